"""Record lists for the UI: filters, masked ID numbers, keyset paging, counts, history."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sync.protocol import RecordStatus
from sync.samples import SampleFactory
from sync.store import RecordQuery, Store

from .conftest import hub_record

VALID_ID = "11010519491231002X"
RECORDS = 100_000


def test_list_rows_show_list_columns_with_masked_id_numbers(store: Store) -> None:
    fields = {"student_name": "张三", "id_number": VALID_ID, "internship_type": "position"}
    record_id = store.save("internship", None, fields, "li").record_id
    (row,) = store.list_records(RecordQuery(form="internship")).rows
    assert row.id == record_id
    assert row.columns["student_name"] == "张三"
    assert row.columns["id_number"] == "110105********002X"
    assert (row.has_issues, row.has_errors, row.has_conflict, row.pending) == (
        True,
        True,
        False,
        True,
    )
    (unmasked,) = store.list_records(RecordQuery(form="internship"), mask_ids=False).rows
    assert unmasked.columns["id_number"] == VALID_ID


def test_filters_by_status_school_and_issues(store: Store) -> None:
    factory = SampleFactory(seed=11)
    clean = store.save("internship", None, factory.fields("internship"), "li", org="A").record_id
    broken = store.save("internship", None, factory.fields("internship", "error"), "li", org="B")
    store.submit(clean, "li")
    internship = RecordQuery(form="internship")
    assert store.count(internship) == 2
    submitted = RecordQuery(form="internship", statuses=(RecordStatus.SUBMITTED,))
    assert [r.id for r in store.list_records(submitted).rows] == [clean]
    assert [r.id for r in store.list_records(RecordQuery(form="internship", org="B")).rows] == [
        broken.record_id
    ]
    assert store.count(RecordQuery(form="internship", has_errors=True)) == 1
    assert store.count(RecordQuery(form="internship", has_issues=False)) == 1
    counts = {c.form: c for c in store.counts()}["internship"]
    assert counts.by_status[RecordStatus.SUBMITTED] == 1
    assert counts.by_status[RecordStatus.DRAFT] == 1
    assert counts.with_issues == 1


def test_history_lists_hub_revisions_and_local_actions(store: Store) -> None:
    record_id = str(uuid.uuid4())
    store.apply_pull_page([hub_record(record_id, rev=1)], "c1")
    store.save("internship", record_id, {"student_name": "张三丰"}, "li")
    store.save("internship", record_id, {"student_name": "张三丰 "}, "li")
    history = store.history(record_id)
    assert [r.rev for r in history.revisions] == [1]
    assert [(a.user, a.action) for a in history.audit] == [("li", "save")]


def _fill(path: Path, names: list[str]) -> list[tuple[str, str, str]]:
    """100,000 rows written straight into the form table: (id, updated_at, name)."""
    rows = [
        (
            str(uuid.UUID(int=n + 1)),
            f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z",
            # Every tenth name unanswered: lists sort those as ''.
            None if n % 10 == 0 else names[n % len(names)],
            ("draft", "submitted")[n % 2],
        )
        for n in range(RECORDS)
    ]
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO internship (_id, _form_version, _status, _created_at, _updated_at, "
            "student_name) VALUES (?, 1, ?, ?, ?, ?)",
            [(i, status, at, at, name) for i, at, name, status in rows],
        )
    return [(i, at, name or "") for i, at, name, _ in rows]


def _all_pages(store: Store, query: RecordQuery, limit: int) -> list[str]:
    seen: list[str] = []
    page = store.list_records(query, limit=limit)
    while True:
        seen.extend(row.id for row in page.rows)
        if page.next_after is None:
            return seen
        page = store.list_records(query, after=page.next_after, limit=limit)


def test_keyset_paging_walks_100000_records_once_each_in_order(store: Store) -> None:
    factory = SampleFactory(seed=12)
    rows = _fill(store.path, [factory.person_name() for _ in range(500)])
    by_update = _all_pages(store, RecordQuery(form="internship"), limit=5000)
    expected = [i for i, _, _ in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]
    assert by_update == expected
    by_name = _all_pages(
        store, RecordQuery(form="internship", sort="student_name", descending=False), limit=10_000
    )
    assert by_name == [i for i, _, _ in sorted(rows, key=lambda r: (r[2], r[0]))]
    drafts = RecordQuery(form="internship", statuses=(RecordStatus.DRAFT,))
    first = store.list_records(drafts, limit=50)
    second = store.list_records(drafts, after=first.next_after, limit=50)
    # _fill makes every even-numbered record a draft.
    draft_order = [i for i, _, _ in sorted(rows[::2], key=lambda r: (r[1], r[0]), reverse=True)]
    assert [r.id for r in first.rows + second.rows] == draft_order[:100]
    assert store.count(drafts) == RECORDS // 2


def test_a_page_at_an_offset_is_the_rows_there_in_either_order(store: Store) -> None:
    """How a list reaches its last rows at once: the first rows of the reverse order."""
    factory = SampleFactory(seed=13)
    rows = _fill(store.path, [factory.person_name() for _ in range(500)])
    by_name = [i for i, _, _ in sorted(rows, key=lambda r: (r[2], r[0]))]
    ascending = RecordQuery(form="internship", sort="student_name", descending=False)
    descending = RecordQuery(form="internship", sort="student_name", descending=True)
    middle = store.list_records(ascending, offset=50_000, limit=100)
    assert [r.id for r in middle.rows] == by_name[50_000:50_100]
    after_middle = store.list_records(ascending, after=middle.next_after, limit=10)
    assert [r.id for r in after_middle.rows] == by_name[50_100:50_110]
    last = store.list_records(descending, offset=0, limit=100)
    assert [r.id for r in reversed(last.rows)] == by_name[-100:]
    near_last = store.list_records(descending, offset=100, limit=100)
    assert [r.id for r in reversed(near_last.rows)] == by_name[-200:-100]
    beyond = store.list_records(ascending, offset=RECORDS - 5, limit=100)
    assert ([r.id for r in beyond.rows], beyond.next_after) == (by_name[-5:], None)


def test_unsent_audit_lines_are_found_by_index_not_by_reading_every_line(store: Store) -> None:
    """The sync engine asks on every pass; the audit grows by a line per editing session."""
    store.save("internship", None, {"student_name": "张三"}, "li")
    store.audit("li", "export", {"rows": 1})
    traced: list[str] = []
    with store.reading() as conn:
        conn.set_trace_callback(traced.append)
        try:
            lines = store.unsent_audit("export", 10)
        finally:
            conn.set_trace_callback(None)
        (query,) = [sql for sql in traced if "FROM _audit" in sql]
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert [entry.action for _, entry in lines] == ["export"]
    assert "INDEX _audit_action" in plan
