"""Search that works for Chinese: substrings of any length and pinyin initials."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings, strategies as st
from pypinyin import Style, lazy_pinyin

from sync.store import RecordQuery, Store
from sync.store.search import initials

from .conftest import hub_record


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


@pytest.mark.parametrize(
    ("typed", "same_as"), [("\x00", ""), ("张三\x1b", "张三"), ("\t张三\n", "张三")]
)
def test_control_characters_in_a_search_are_spaces(
    store: Store, people: dict[str, str], typed: str, same_as: str
) -> None:
    assert found(store, typed) == found(store, same_as)
    assert found(store, "张\x00三") == found(store, "张 三")  # a NUL ended the MATCH string


def test_pulled_records_are_found_before_and_after_their_entries_are_indexed(
    store: Store,
) -> None:
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    store.apply_pull_page(
        [
            hub_record(first, fields={"student_name": "张三", "enterprise_name": "长安汽车"}),
            hub_record(second, fields={"student_name": "李四"}),
            hub_record(third, fields={"student_name": "Wang Lei"}),
        ],
        "c1",
    )
    store.index_pending()
    # A newer version renames one; another is edited here before the index catches up.
    store.apply_pull_page([hub_record(second, rev=2, fields={"student_name": "李思"})], "c2")
    store.apply_pull_page([hub_record(third, rev=2, fields={"student_name": "Wang Fang"})], "c3")
    store.save("internship", third, {"student_name": "Wang Lei"}, "li")
    expected = {
        "李四": set(),
        "李思": {second},
        "ls": {second},
        "张三": {first},
        "zs": {first},
        "长安汽车": {first},
        "WANG": {third},
        "fang": set(),
        "Lei": {third},
    }
    waiting = {text: found(store, text) for text in expected}
    assert store.index_pending() == 1  # the renamed one; the save indexed its record itself
    assert store.index_pending() == 0
    indexed = {text: found(store, text) for text in expected}
    assert waiting == indexed == expected


def test_a_record_replaced_by_newer_pulls_keeps_every_revision_in_its_history(
    store: Store,
) -> None:
    record_id = str(uuid.uuid4())
    for rev, name in enumerate(["张", "张三", "张三丰"], start=1):
        pulled = hub_record(record_id, rev=rev, fields={"student_name": name})
        store.apply_pull_page([pulled], f"c{rev}")
    revisions = store.history(record_id).revisions
    assert [(r.rev, r.fields) for r in revisions] == [
        (1, {"student_name": "张"}),
        (2, {"student_name": "张三"}),
        (3, {"student_name": "张三丰"}),
    ]
    store.save("internship", record_id, {"student_name": "张三风"}, "li")
    assert store.history(record_id).revisions == revisions


def test_search_folds_case_beyond_ascii_before_and_after_indexing(store: Store) -> None:
    # Not names, which are searched by their initials too (lower-cased in Python).
    full_width, umlaut = str(uuid.uuid4()), str(uuid.uuid4())
    store.apply_pull_page(
        [
            hub_record(full_width, fields={"student_name": "张三", "position": "ＷＥＬＤＥＲ"}),
            hub_record(umlaut, fields={"student_name": "李四", "notes": "Lieferant: Äpfel GmbH"}),
        ],
        "c1",
    )
    expected = {
        "ｗｅｌｄ": {full_width},
        "ＷＥＬ": {full_width},
        "äpfel": {umlaut},
        "ÄPFEL": {umlaut},
    }
    waiting = {text: found(store, text) for text in expected}
    store.index_pending()
    indexed = {text: found(store, text) for text in expected}
    assert waiting == indexed == expected


# Characters with several readings (重 长 行 单 曾 解 朝 乐 会 和 仇 查 覃 尉 石 银), others that
# make phrases with them, and what names hold besides (Latin letters, digits, marks).
_NAME_CHARACTERS = (
    "重庆长安汽车行单于曾解放朝阳乐会和仇查覃尉迟石家庄银" + "张三丰李四王伟有限公司 aB1-·（）"
)


@pytest.mark.parametrize(
    "text",
    ["张三", "重庆长安汽车股份有限公司", "曾婉清", "单于飞", "解放碑步行街", "Wang 长乐", "银行"],
)
def test_initials_are_pypinyins(text: str) -> None:
    """Read phrase by phrase, as pypinyin reads the whole text, not character by character."""
    assert initials(text) == "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@given(st.text(alphabet=_NAME_CHARACTERS, max_size=14))
@settings(max_examples=300)
def test_initials_of_any_text_are_pypinyins(text: str) -> None:
    assert initials(text) == "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
