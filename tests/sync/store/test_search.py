"""Search that works for Chinese: substrings of any length and pinyin initials."""

from __future__ import annotations

import pytest

from sync.store import RecordQuery, Store


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    names = {
        "张三": {"student_name": "张三", "enterprise_name": "重庆长安汽车股份有限公司"},
        "张三丰": {"student_name": "张三丰", "class_name": "数控2班"},
        "李四": {"student_name": "李四", "notes": "实习单位在两江新区鱼复工业园"},
        "Wang": {"student_name": "Wang Lei", "position": "装配工"},
    }
    return {
        name: store.save("internship", None, fields, "li").record_id
        for name, fields in names.items()
    }


def found(store: Store, text: str) -> set[str]:
    rows = store.list_records(RecordQuery(form="internship", search=text)).rows
    assert len(rows) == store.count(RecordQuery(form="internship", search=text))
    return {row.id for row in rows}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", {"张三", "张三丰"}),  # two characters: below what trigrams can answer
        ("张", {"张三", "张三丰"}),
        ("三丰", {"张三丰"}),
        ("张三丰", {"张三丰"}),
        ("长安汽车", {"张三"}),  # inside a longer name
        ("鱼复工业园", {"李四"}),  # long text
        ("zs", {"张三", "张三丰"}),  # pinyin initials
        ("ZSF", {"张三丰"}),
        ("cqca", {"张三"}),  # 重庆长安: polyphonic characters read as in the phrase
        ("wang", {"Wang"}),
        ("王", set()),
        ("  ", {"张三", "张三丰", "李四", "Wang"}),
    ],
)
def test_search(store: Store, people: dict[str, str], text: str, expected: set[str]) -> None:
    assert found(store, text) == {people[name] for name in expected}


def test_search_follows_edits_and_combines_with_filters(
    store: Store, people: dict[str, str]
) -> None:
    store.save("internship", people["李四"], {"student_name": "李思"}, "li")
    assert found(store, "李四") == set()
    assert found(store, "李思") == {people["李四"]}
    query = RecordQuery(form="internship", search="张三", has_conflict=True)
    assert store.count(query) == 0


def test_quotes_and_operators_in_a_search_are_plain_text(
    store: Store, people: dict[str, str]
) -> None:
    assert found(store, '"张') == {people["张三"], people["张三丰"]}
    assert found(store, 'a" OR "b') == set()
    assert found(store, "张三 NOT") == set()
