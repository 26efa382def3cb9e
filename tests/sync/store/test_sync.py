"""What the sync engine relies on: stable batches, and hub answers applied as PROTOCOL.md says."""

from __future__ import annotations

import datetime
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from forms import UnknownFormError
from sync.protocol import (
    MUTATION_ADAPTER,
    PUSH_ENVELOPE_BYTES,
    MutationError,
    Op,
    Outcome,
    PushRequest,
    RecordStatus,
    RejectCode,
    push_body,
)
from sync.store import OutboxBatch, OutboxEntry, RecordQuery, Store, UnexpectedAnswerError
from sync.store.schema import FormTable

from .conftest import answer, hub_record, open_store


def new_record(store: Store, name: str = "张三") -> str:
    return store.save("internship", None, {"student_name": name}, "li").record_id


def test_a_batch_survives_a_restart_with_the_same_key_and_mutations(
    store: Store, db_path: Path
) -> None:
    for n in range(3):
        new_record(store, f"学生{n}")
    batch = store.next_batch(limit=2)
    assert batch is not None and len(batch.entries) == 2
    store.close()
    reopened = open_store(db_path)
    try:
        assert reopened.next_batch(limit=2) == batch
        mutations = batch.mutations()
        assert [str(m.mutation_id) for m in mutations] == [e.mutation_id for e in batch.entries]
    finally:
        reopened.close()


def test_batches_hold_at_most_one_mutation_per_record(store: Store) -> None:
    record_id = new_record(store)
    store.save("internship", record_id, {"student_name": "张三丰"}, "li")
    other = new_record(store, "李四")
    store.delete(other, "li")  # never sent: leaves nothing to push
    third = new_record(store, "王五")
    batch = store.next_batch()
    assert batch is not None
    assert [e.record_id for e in batch.entries] == [record_id, third]


def test_applied_save_updates_record_base_and_history(store: Store) -> None:
    record_id = new_record(store)
    batch = store.next_batch()
    assert batch is not None
    hub = hub_record(record_id, rev=1, fields={"student_name": "张三"})
    store.apply_push_results(batch, [answer(batch.entries[0], Outcome.APPLIED, hub)])
    record = store.get(record_id)
    assert (record.rev, record.base_rev, record.pending) == (1, 1, False)
    assert store.pending_count() == 0
    assert [r.rev for r in store.history(record_id).revisions] == [1]
    assert store.next_batch() is None


def test_edits_made_while_a_save_was_in_flight_are_rebased_on_the_hubs_answer(
    store: Store,
) -> None:
    record_id = new_record(store)
    batch = store.next_batch()
    assert batch is not None
    store.save("internship", record_id, {"student_name": "张三", "class_name": "汽修1班"}, "li")
    # The hub merged someone else's major_name into our save.
    merged = hub_record(record_id, rev=3, fields={"student_name": "张三", "major_name": "汽车"})
    store.apply_push_results(batch, [answer(batch.entries[0], Outcome.MERGED, merged)])
    record = store.get(record_id)
    assert record.fields == {"student_name": "张三", "major_name": "汽车", "class_name": "汽修1班"}
    assert record.pending
    follow_up = store.next_batch()
    assert follow_up is not None
    assert follow_up.entries[0].base_rev == 3
    assert follow_up.entries[0].payload["fields"] == {
        "student_name": "张三",
        "major_name": "汽车",
        "class_name": "汽修1班",
    }


def test_rejected_mutation_marks_the_record_and_holds_only_its_later_mutations(
    store: Store,
) -> None:
    rejected_id = new_record(store, "张三")
    other_id = new_record(store, "李四")
    batch = store.next_batch()
    assert batch is not None
    store.save("internship", rejected_id, {"student_name": "张三丰"}, "li")
    errors = [MutationError(code=RejectCode.FORBIDDEN, message="不在本校范围")]
    store.apply_push_results(
        batch,
        [
            answer(batch.entries[0], Outcome.REJECTED, errors=errors),
            answer(
                batch.entries[1],
                Outcome.APPLIED,
                hub_record(other_id, fields={"student_name": "李四"}),
            ),
        ],
    )
    record = store.get(rejected_id)
    assert record.needs_attention
    assert record.attention[0].code is RejectCode.FORBIDDEN
    new_record(store, "王五")
    waiting = store.next_batch()
    assert waiting is not None
    assert rejected_id not in [e.record_id for e in waiting.entries]
    assert store.count(RecordQuery(form="internship", needs_attention=True)) == 1


def test_conflict_is_stored_marks_the_record_and_resolve_sends_the_choice(store: Store) -> None:
    record_id = new_record(store)
    batch = store.next_batch()
    assert batch is not None
    entry = batch.entries[0]
    conflict_id = str(uuid.uuid4())
    hub = hub_record(
        record_id,
        rev=2,
        fields={"student_name": "张山"},
        conflict={
            "id": conflict_id,
            "mutation_id": entry.mutation_id,
            "by": "li",
            "at": "2026-11-21T08:00:00Z",
            "base_rev": 1,
            "fields": [{"path": "student_name", "base": "张", "mine": "张三", "theirs": "张山"}],
        },
    )
    store.apply_push_results(batch, [answer(entry, Outcome.CONFLICT, hub, conflict_id=conflict_id)])
    record = store.get(record_id)
    assert record.fields == {"student_name": "张三"}
    assert record.conflict is not None and record.conflict.fields[0].theirs == "张山"
    assert record.base_rev == 2
    store.save("internship", record_id, {"student_name": "张三！"}, "li")
    assert store.next_batch() is None  # held until resolved
    store.resolve(record_id, {"student_name": "张山"}, "li")
    assert store.get(record_id).conflict is None
    resolved = store.next_batch()
    assert resolved is not None
    assert [e.op for e in resolved.entries] == [Op.RESOLVE]
    assert resolved.entries[0].payload == {
        "conflict_id": conflict_id,
        "fields": {"student_name": "张山"},
    }
    assert resolved.entries[0].base_rev == 2


def test_an_answer_that_leaves_mutations_out_applies_nothing_and_keeps_the_batch(
    store: Store,
) -> None:
    # A mutation the answer leaves out may have been applied by the hub: back in the queue,
    # a later save would coalesce into it and the hub would answer the first body only.
    first, second = new_record(store), new_record(store, "李四")
    batch = store.next_batch()
    assert batch is not None
    accepted = answer(batch.entries[0], Outcome.APPLIED, hub_record(first))
    for results in (
        [accepted],
        [accepted, accepted],
        [*reversed([accepted, answer(batch.entries[1], Outcome.APPLIED, hub_record(second))])],
    ):
        with pytest.raises(UnexpectedAnswerError):
            store.apply_push_results(batch, results)
    store.save("internship", second, {"student_name": "李四四"}, "li")
    assert store.next_batch() == batch, "the same key and mutations, as first sent"
    assert (store.get(first).rev, store.get(first).pending) == (0, True)


def test_pull_stores_records_and_the_cursor(store: Store) -> None:
    record_id = str(uuid.uuid4())
    store.apply_pull_page([hub_record(record_id, rev=4, status="submitted")], cursor="c1")
    record = store.get(record_id)
    assert (record.rev, record.base_rev, record.status) == (4, 4, RecordStatus.SUBMITTED)
    assert not record.pending
    assert store.sync_state().cursor == "c1"


def test_a_dirty_record_survives_a_pull(store: Store) -> None:
    record_id = str(uuid.uuid4())
    store.apply_pull_page([hub_record(record_id, rev=1, fields={"student_name": "张"})], "c1")
    store.save("internship", record_id, {"student_name": "张三"}, "li")
    store.apply_pull_page([hub_record(record_id, rev=2, fields={"student_name": "张山"})], "c2")
    record = store.get(record_id)
    assert record.fields == {"student_name": "张三"}
    # Its values were edited from revision 1: that stays their base (mutations made from now
    # on go with it too), or the hub would take the unchanged ones for edits of revision 2.
    assert (record.rev, record.base_rev) == (2, 1)
    assert [r.fields for r in store.history(record_id).revisions] == [
        {"student_name": "张"},
        {"student_name": "张山"},
    ]
    batch = store.next_batch()
    assert batch is not None
    # The pending save keeps the base its edits were made on: the hub merges 1 → mine, 2.
    assert batch.entries[0].base_rev == 1


def test_a_save_of_edits_made_before_a_pull_goes_with_their_base(store: Store) -> None:
    # The user typed on revision 1; a pull replaced it with revision 2 before the save.
    record_id = str(uuid.uuid4())
    store.apply_pull_page([hub_record(record_id, rev=1, fields={"student_name": "张"})], "c1")
    store.apply_pull_page([hub_record(record_id, rev=2, fields={"student_name": "张山"})], "c2")
    store.save("internship", record_id, {"student_name": "张三"}, "li", edited_from=1)
    record = store.get(record_id)
    assert (record.rev, record.base_rev) == (2, 1)
    batch = store.next_batch()
    assert batch is not None
    assert batch.entries[0].base_rev == 1
    # Never a newer base than the stored one.
    store.save("internship", record_id, {"student_name": "张三丰"}, "li", edited_from=5)
    assert store.get(record_id).base_rev == 1


def test_an_older_or_repeated_pull_changes_nothing(store: Store) -> None:
    record_id = str(uuid.uuid4())
    store.apply_pull_page([hub_record(record_id, rev=3, fields={"student_name": "新"})], "c1")
    store.apply_pull_page([hub_record(record_id, rev=2, fields={"student_name": "旧"})], "c0")
    assert store.get(record_id).fields == {"student_name": "新"}


def test_a_page_with_an_unknown_form_stores_nothing(store: Store) -> None:
    known = hub_record(str(uuid.uuid4()))
    unknown = hub_record(str(uuid.uuid4()), form="new_form")
    with pytest.raises(UnknownFormError):
        store.apply_pull_page([known, unknown], cursor="c9")
    assert store.sync_state().cursor is None
    assert store.count(RecordQuery(form="internship")) == 0


def test_sync_state_keeps_a_client_id_per_installation(store: Store, db_path: Path) -> None:
    from dataclasses import replace

    state = store.sync_state()
    uuid.UUID(state.client_id)
    synced = datetime.datetime(2026, 11, 21, 8, 0, tzinfo=datetime.UTC)
    store.set_sync_state(
        replace(state, hub_url="https://hub.example", username="li", last_sync_at=synced)
    )
    store.close()
    reopened = open_store(db_path)
    try:
        again = reopened.sync_state()
        assert (again.client_id, again.hub_url, again.username, again.last_sync_at) == (
            state.client_id,
            "https://hub.example",
            "li",
            synced,
        )
    finally:
        reopened.close()


def test_a_batch_of_accepted_saves_leaves_each_record_as_the_hub_answered(store: Store) -> None:
    names = ["张三", "李四", "王五"]
    record_ids = [new_record(store, name) for name in names]
    batch = store.next_batch()
    assert batch is not None and len(batch.entries) == 3
    # Edited again while the batch was on its way: that edit stays queued.
    store.save("internship", record_ids[1], {"student_name": "李思"}, "li")
    store.apply_push_results(
        batch,
        [
            answer(
                entry,
                Outcome.APPLIED,
                hub_record(entry.record_id, rev=1, fields={"student_name": name}),
            )
            for entry, name in zip(batch.entries, names, strict=True)
        ],
    )
    records = [store.get(record_id) for record_id in record_ids]
    assert [(r.rev, r.pending) for r in records] == [(1, False), (1, True), (1, False)]
    assert [r.fields["student_name"] for r in records] == ["张三", "李思", "王五"]
    assert [store.history(record_id).revisions[-1].fields for record_id in record_ids] == [
        {"student_name": name} for name in names
    ]
    assert store.pending_count() == 1
    listed = store.list_records(RecordQuery(form="internship", search="ww")).rows
    assert [row.id for row in listed] == [record_ids[2]]


def _missing_list_indexes(store: Store) -> set[str]:
    table = FormTable(store.registry.get("internship"))
    with store.reading() as conn:
        present = {row[1] for row in conn.execute('PRAGMA index_list("internship")')}
    return set(table.list_indexes) - present


def test_a_pull_into_an_empty_table_builds_its_list_indexes_once_it_is_over(
    store: Store, db_path: Path
) -> None:
    names = ["王五", "张三", "李四", "赵六"]
    pulled = [hub_record(str(uuid.uuid4()), fields={"student_name": name}) for name in names]
    store.apply_pull_page(pulled[:2], cursor="c1")
    store.apply_pull_page(pulled[2:], cursor="c2")
    assert _missing_list_indexes(store) == set(
        FormTable(store.registry.get("internship")).list_indexes
    )
    by_name = RecordQuery(form="internship", sort="student_name", descending=False)
    expected = [record.id for record in sorted(pulled, key=lambda r: r.fields["student_name"])]
    # Lists are right meanwhile (only slower), and after a crash too.
    assert [row.id for row in store.list_records(by_name).rows] == [str(i) for i in expected]
    store.close()
    reopened = open_store(db_path)
    try:
        reopened.index_pending()
        assert _missing_list_indexes(reopened) == set()
        assert [row.id for row in reopened.list_records(by_name).rows] == [str(i) for i in expected]
    finally:
        reopened.close()


def test_a_pull_into_a_table_holding_records_keeps_its_list_indexes(store: Store) -> None:
    new_record(store)
    store.apply_pull_page([hub_record(str(uuid.uuid4()))], cursor="c1")
    assert _missing_list_indexes(store) == set()


def test_accepted_saves_take_the_hubs_marks_and_the_fields_it_merged(store: Store) -> None:
    same, merged = new_record(store, "张三"), new_record(store, "李四")
    batch = store.next_batch()
    assert batch is not None
    by_record = {entry.record_id: entry for entry in batch.entries}
    warning = {"path": "student_name", "code": "check", "severity": "warning", "message": "核对"}
    answers = [
        # The fields that were sent, with the hub's revision, school, status and issues.
        answer(
            by_record[same],
            Outcome.APPLIED,
            hub_record(same, rev=3, status="submitted", issues=[warning], org="5001030002"),
        ),
        # Merged on the hub with someone else's edit: the hub's fields win.
        answer(
            by_record[merged],
            Outcome.MERGED,
            hub_record(merged, rev=2, fields={"student_name": "李四", "notes": "企业已核实"}),
        ),
    ]
    store.apply_push_results(batch, answers)
    kept = store.get(same)
    assert (kept.rev, kept.base_rev, kept.status, kept.org, kept.pending) == (
        3,
        3,
        RecordStatus.SUBMITTED,
        "5001030002",
        False,
    )
    assert kept.fields == {"student_name": "张三"}
    (row,) = store.list_records(RecordQuery(form="internship", has_issues=True)).rows
    assert row.id == same and row.updated_by == "hub-user"
    assert store.get(merged).fields == {"student_name": "李四", "notes": "企业已核实"}
    store.index_pending()
    found = store.list_records(RecordQuery(form="internship", search="企业已核实")).rows
    assert [row.id for row in found] == [merged]
    assert [
        row.id for row in store.list_records(RecordQuery(form="internship", search="zs")).rows
    ] == [same]


def push_body_size(batch: OutboxBatch) -> int:
    return len(push_body(str(uuid.uuid4()), batch.mutations()))


def test_a_batch_stays_within_the_push_body_limit_and_the_rest_follows(store: Store) -> None:
    saved = [new_record(store, f"学生{n}" + "长" * 1000) for n in range(5)]
    first = store.next_batch(limit=1)
    assert first is not None
    one = len(first.mutations()[0].json)
    max_bytes = PUSH_ENVELOPE_BYTES + 2 * one + 1 + 10  # two mutations and a comma fit, not 3
    batches: list[OutboxBatch] = []
    while batch := store.next_batch(in_flight=[b.key for b in batches], max_bytes=max_bytes):
        batches.append(batch)
    assert [len(b.entries) for b in batches] == [1, 2, 2]  # the first: the limit=1 batch
    assert all(push_body_size(b) <= max_bytes for b in batches)
    assert [e.record_id for b in batches for e in b.entries] == saved


def test_a_mutation_too_large_for_any_push_needs_attention_and_the_queue_goes_on(
    store: Store,
) -> None:
    before = new_record(store, "张三")
    too_large = new_record(store, "长" * 20_000)
    after = new_record(store, "王五")
    max_bytes = 10_000
    batch = store.next_batch(language="en", max_bytes=max_bytes)
    assert batch is not None
    assert [e.record_id for e in batch.entries] == [before, after]
    record = store.get(too_large)
    assert record.needs_attention and record.pending
    assert "too large" in record.attention[0].message
    assert store.next_batch(in_flight=[batch.key], max_bytes=max_bytes) is None
    # Made smaller and saved again, it goes.
    store.save("internship", too_large, {"student_name": "李四"}, "li")
    assert not store.get(too_large).needs_attention
    again = store.next_batch(in_flight=[batch.key], max_bytes=max_bytes)
    assert again is not None and [e.record_id for e in again.entries] == [too_large]
    assert again.entries[0].payload["fields"] == {"student_name": "李四"}


def test_the_attention_for_a_mutation_too_large_is_in_chinese_by_default(store: Store) -> None:
    too_large = new_record(store, "长" * 20_000)
    assert store.next_batch(max_bytes=10_000) is None
    assert "太大" in store.get(too_large).attention[0].message


def test_a_stored_mutation_is_encoded_as_the_protocol_reads_it() -> None:
    record_id, mutation_id, conflict_id = (str(uuid.uuid4()) for _ in range(3))
    fields = {"student_name": "张三", "daily_hours": 6.5, "night_shift": False, "x": None}
    payloads = {
        Op.SAVE: {"form": "internship", "form_version": 2, "fields": fields},
        Op.SUBMIT: {},
        Op.REVIEW: {"decision": "return", "comment": '请补充"保险"'},
        Op.RESOLVE: {"conflict_id": conflict_id, "fields": fields},
    }
    for op, payload in payloads.items():
        entry = OutboxEntry(
            7, mutation_id, record_id, op, 3, json.dumps(payload, ensure_ascii=False)
        )
        mutation = MUTATION_ADAPTER.validate_json(entry.encoded().json)
        expected = {"mutation_id": mutation_id, "record_id": record_id, "op": op, "base_rev": 3}
        assert mutation == MUTATION_ADAPTER.validate_python(expected | payload)
    entry = OutboxEntry(7, mutation_id, record_id, Op.SUBMIT, 3, "{}")
    body = push_body(str(uuid.uuid4()), [entry.encoded(), entry.encoded()])
    assert len(PushRequest.model_validate_json(body).mutations) == 2


def test_a_pulled_page_stores_each_new_record_whole_under_keys_in_page_order(
    store: Store, db_path: Path
) -> None:
    """Records with nothing but the hub's state are written by a statement of their own
    (FormTable.new_hub_insert_sql); they are stored as those with issues or fields this
    definition lacks are, and keep their place in the page."""
    plain, warned, later = (str(uuid.uuid4()) for _ in range(3))
    warning = {"path": "student_name", "code": "check", "severity": "warning", "message": "核对"}
    page = [
        hub_record(
            plain, rev=3, status="submitted", fields={"student_name": "张三", "night_shift": True}
        ),
        hub_record(warned, issues=[warning]),
        hub_record(later, fields={"student_name": "李四", "later_field": "新"}),
    ]
    store.apply_pull_page(page, cursor="c1")
    columns = (
        "_key, _id, _rev, _base_rev, _created_at, _updated_at, _issues, _has_errors, "
        "_has_warnings, _pending, _review, _conflict_id, _attention, _extra, night_shift"
    )
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(f"SELECT {columns} FROM internship ORDER BY _key").fetchall()
        pending = conn.execute("SELECT key FROM _search_pending ORDER BY key").fetchall()
    at = "2026-11-21T08:00:00Z"
    issues = '[["student_name", "check", "warning", "核对", "核对"]]'
    assert rows == [
        (1, plain, 3, 3, at, at, "[]", 0, 0, 0, None, None, None, None, 1),
        (2, warned, 1, 1, at, at, issues, 0, 1, 0, None, None, None, None, None),
        (3, later, 1, 1, at, at, "[]", 0, 0, 0, None, None, None, '{"later_field": "新"}', None),
    ]
    assert pending == [(1,), (2,), (3,)]
