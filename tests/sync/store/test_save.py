"""Local edits: save validates and queues in one transaction; the other operations queue their
ops and change the local status as the hub will."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from forms import CoercionError, UnknownFormError
from sync.protocol import Decision, Op, RecordStatus
from sync.samples import SampleFactory
from sync.store import OperationRefusedError, RecordNotFoundError, Store

VALID_ID = "11010519491231002X"


def outbox_rows(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT o.op, o.mutation_id, b.key FROM _outbox AS o "
            "LEFT JOIN _taken AS t ON t.seq = o.seq LEFT JOIN _batches AS b ON b.id = t.batch "
            "ORDER BY o.seq"
        ).fetchall()


def test_save_stores_typed_fields_issues_and_one_outbox_entry(store: Store) -> None:
    fields = SampleFactory(seed=3).fields("internship", "error")
    saved = store.save("internship", None, fields, "li")
    record = store.get(saved.record_id)
    assert record.status is RecordStatus.DRAFT
    assert (record.rev, record.base_rev) == (0, 0)
    assert record.pending
    assert record.fields["start_date"].isoformat() == fields["start_date"]
    assert [i.code for i in record.issues] == [i.code for i in saved.issues]
    assert any(i.severity == "error" for i in saved.issues)
    assert all(i.message_zh and i.message_en for i in saved.issues)
    assert [op for op, _, _ in outbox_rows(store.path)] == ["save"]


def test_new_records_and_their_mutations_get_ids_in_the_order_they_were_made(
    store: Store,
) -> None:
    # Time-ordered ids keep the hub's and the store's id indexes appending (sync.wire.new_id).
    record_ids = [store.save("internship", None, {}, "li").record_id for _ in range(50)]
    assert record_ids == sorted(record_ids)
    assert {uuid.UUID(record_id).version for record_id in record_ids} == {7}
    mutation_ids = [mutation_id for _, mutation_id, _ in outbox_rows(store.path)]
    assert len(set(mutation_ids)) == 50 and mutation_ids == sorted(mutation_ids)


def test_repeat_groups_round_trip_in_order(store: Store) -> None:
    fields = SampleFactory(seed=4).fields("training_base")
    saved = store.save("training_base", None, fields, "li")
    stored = store.get(saved.record_id).fields
    assert [row["_row"] for row in stored["partners"]] == [
        row["_row"] for row in fields["partners"]
    ]
    assert stored["partners"][0]["enterprise_name"] == fields["partners"][0]["enterprise_name"]


def test_consecutive_saves_coalesce_into_one_pending_save(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张"}, "li").record_id
    store.save("internship", record_id, {"student_name": "张三"}, "li")
    store.save("internship", record_id, {"student_name": "张三丰"}, "li")
    batch = store.next_batch()
    assert batch is not None
    assert len(batch.entries) == 1
    assert batch.entries[0].payload["fields"] == {"student_name": "张三丰"}


def test_a_save_already_sent_keeps_its_mutation_id_and_payload(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张"}, "li").record_id
    sent = store.next_batch()
    assert sent is not None
    store.save("internship", record_id, {"student_name": "张三"}, "li")
    again = store.next_batch()
    assert again == sent
    rows = outbox_rows(store.path)
    assert len(rows) == 2
    assert rows[0][1] == sent.entries[0].mutation_id
    assert rows[1][2] is None


def test_values_the_forms_engine_refuses_raise_its_error_and_keep_what_was_saved(
    store: Store,
) -> None:
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    with pytest.raises(CoercionError) as refused:
        store.save("internship", record_id, {"student_name": "李四", "daily_hours": "eight"}, "li")
    assert refused.value.problems[0].path == "daily_hours"
    assert store.get(record_id).fields == {"student_name": "张三"}
    assert len(outbox_rows(store.path)) == 1
    with pytest.raises(UnknownFormError):
        store.save("no_such_form", None, {}, "li")


def test_a_record_cannot_change_form(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    with pytest.raises(OperationRefusedError) as refused:
        store.save("teacher_placement", record_id, {"person_name": "张三"}, "li")
    assert refused.value.code == "wrong_form"


def test_new_records_take_org_and_county_from_the_signed_in_user(store: Store) -> None:
    from dataclasses import replace

    store.set_sync_state(replace(store.sync_state(), org="5001030001", county="500103"))
    record = store.get(store.save("internship", None, {}, "li").record_id)
    assert (record.org, record.county) == ("5001030001", "500103")


def test_submit_is_refused_while_errors_remain(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    with pytest.raises(OperationRefusedError) as refused:
        store.submit(record_id, "li")
    assert refused.value.code == "has_errors"
    assert store.get(record_id).status is RecordStatus.DRAFT


def test_submit_withdraw_review_follow_the_record_life(store: Store) -> None:
    fields = SampleFactory(seed=5).fields("internship")
    record_id = store.save("internship", None, fields, "li").record_id
    store.submit(record_id, "li")
    assert store.get(record_id).status is RecordStatus.SUBMITTED
    with pytest.raises(OperationRefusedError) as twice:
        store.submit(record_id, "li")
    assert twice.value.code == "invalid_transition"
    store.withdraw(record_id, "li")
    store.submit(record_id, "li")
    with pytest.raises(OperationRefusedError) as refused:
        store.review(record_id, Decision.RETURN, "county")
    assert refused.value.code == "comment_required"
    store.review(record_id, Decision.APPROVE, "county")
    record = store.get(record_id)
    assert record.status is RecordStatus.APPROVED
    assert record.review is not None and record.review.by == "county"
    with pytest.raises(OperationRefusedError) as locked:
        store.save("internship", record_id, fields, "li")
    assert locked.value.code == "locked"
    store.review(record_id, Decision.REOPEN, "county", comment="补充保险信息")
    assert store.get(record_id).status is RecordStatus.RETURNED
    ops = [op for op, _, _ in outbox_rows(store.path)]
    assert ops == ["save", "submit", "withdraw", "submit", "review", "review"]


def test_deleting_a_record_the_hub_never_saw_drops_its_queue(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    store.delete(record_id, "li")
    assert outbox_rows(store.path) == []
    with pytest.raises(RecordNotFoundError):
        store.submit(record_id, "li")
    assert store.get(record_id).deleted


def test_deleting_a_record_already_sent_queues_a_delete(store: Store) -> None:
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    assert store.next_batch() is not None
    store.delete(record_id, "li")
    assert [op for op, _, _ in outbox_rows(store.path)] == [Op.SAVE, Op.DELETE]


def test_unknown_record_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(RecordNotFoundError):
        store.get(str(uuid.uuid4()))
