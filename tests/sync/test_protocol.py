"""sync.protocol: the wire models of PROTOCOL.md, as both the client and the hub read them."""

from __future__ import annotations

import datetime
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pydantic import ValidationError

from sync import wire
from sync.protocol import (
    MAX_MUTATIONS_PER_PUSH,
    MUTATION_ADAPTER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ErrorBody,
    LoginRequest,
    MutationResult,
    PullResponse,
    PushRequest,
    Record,
    ReviewMutation,
    SaveMutation,
    SubmitMutation,
    format_utc,
    new_id,
)


def record_wire(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "form": "internship",
        "form_version": 1,
        "org": "3150010301",
        "county": "500103",
        "rev": 1,
        "status": "draft",
        "deleted": False,
        "fields": {"student_name": "张三", "partners": [{"_row": str(uuid.uuid4())}]},
        "issues": [{"path": "id_number", "code": "required", "severity": "error", "message": "x"}],
        "review": None,
        "conflict": None,
        "updated_at": "2026-11-21T08:00:00Z",
        "updated_by": "school1",
        **changes,
    }


def test_constants_name_the_protocol() -> None:
    assert PROTOCOL_VERSION == 1
    assert PROTOCOL_HEADER == "X-Chanjiao-Protocol"
    assert MAX_MUTATIONS_PER_PUSH == 500


def test_new_ids_are_uuid7_in_the_order_they_were_made() -> None:
    made = [new_id() for _ in range(5_000)]  # many within one millisecond
    assert made == sorted(made) and len(set(made)) == len(made)
    parsed = uuid.UUID(made[0])
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    moment = datetime.datetime.fromtimestamp((parsed.int >> 80) / 1000)  # milliseconds
    assert abs(moment - datetime.datetime.now()) < datetime.timedelta(minutes=1)


def test_new_ids_keep_their_order_when_the_clock_steps_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nanoseconds: 2033, then 2001 twice. The last id's time and counter are put back after.
    clock = iter([2_000_000_000_000_000_000, 1_000_000_000_000_000_000, 1_000_000_000_000_000_000])
    monkeypatch.setattr(wire.time, "time_ns", lambda: next(clock))
    monkeypatch.setattr(wire, "_last_id_ms", 0)
    monkeypatch.setattr(wire, "_last_id_counter", 0)
    made = [new_id() for _ in range(3)]
    assert made == sorted(made) and len(set(made)) == 3


def test_new_ids_made_on_several_threads_are_all_different() -> None:
    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(lambda _: new_id(), range(20_000)))
    assert len(set(made)) == len(made)


def test_times_are_written_as_utc_whole_seconds() -> None:
    moment = datetime.datetime(
        2026, 11, 21, 16, 0, 5, 999, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    assert format_utc(moment) == "2026-11-21T08:00:05Z"
    assert format_utc(datetime.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"


def test_a_record_round_trips_and_serializes_times_as_protocol_text() -> None:
    wire = record_wire(
        status="returned",
        review={
            "decision": "return",
            "comment": "补充",
            "by": "county",
            "at": "2026-11-21T09:00:00Z",
        },
    )
    record = Record.model_validate(wire)
    dumped = record.model_dump(mode="json")
    assert dumped["updated_at"] == "2026-11-21T08:00:00Z"
    assert dumped["review"]["at"] == "2026-11-21T09:00:00Z"
    assert dumped["fields"] == wire["fields"]


def test_answers_ignore_members_a_newer_hub_adds() -> None:
    record = Record.model_validate(record_wire(shiny_new_member=1))
    assert not hasattr(record, "shiny_new_member")
    page = PullResponse.model_validate(
        {"records": [], "next_cursor": "c", "has_more": False, "server_time": "now"}
    )
    assert page.next_cursor == "c"


def test_requests_refuse_unknown_members() -> None:
    with pytest.raises(ValidationError):
        LoginRequest.model_validate({"username": "a", "password": "b", "otp": "1"})


def test_mutations_are_told_apart_by_op() -> None:
    base = {"mutation_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "base_rev": 0}
    save = MUTATION_ADAPTER.validate_python(
        base | {"op": "save", "form": "internship", "form_version": 1, "fields": {}}
    )
    assert isinstance(save, SaveMutation)
    review = MUTATION_ADAPTER.validate_python(
        base | {"op": "review", "decision": "return", "comment": "x"}
    )
    assert isinstance(review, ReviewMutation)
    with pytest.raises(ValidationError):
        MUTATION_ADAPTER.validate_python(base | {"op": "teleport"})
    with pytest.raises(ValidationError):
        MUTATION_ADAPTER.validate_python(base | {"op": "submit", "fields": {}})
    with pytest.raises(ValidationError):
        MUTATION_ADAPTER.validate_python(base | {"op": "submit", "base_rev": -1})


def test_python_callers_need_not_name_the_op_but_the_wire_schema_requires_it() -> None:
    submit = SubmitMutation(mutation_id=uuid.uuid4(), record_id=uuid.uuid4(), base_rev=3)
    assert submit.model_dump(mode="json")["op"] == "submit"
    assert "op" in SubmitMutation.model_json_schema()["required"]


def test_a_push_has_at_least_one_mutation_and_documents_the_upper_bound() -> None:
    with pytest.raises(ValidationError):
        PushRequest.model_validate({"client_id": str(uuid.uuid4()), "mutations": []})
    schema = PushRequest.model_json_schema()["properties"]["mutations"]
    assert (schema["minItems"], schema["maxItems"]) == (1, MAX_MUTATIONS_PER_PUSH)


def test_results_and_errors_read_as_the_hub_writes_them() -> None:
    result = MutationResult.model_validate(
        {
            "mutation_id": str(uuid.uuid4()),
            "record_id": str(uuid.uuid4()),
            "outcome": "rejected",
            "errors": [{"path": "start_date", "code": "invalid", "message": "日期"}],
        }
    )
    assert result.errors is not None and result.errors[0].code == "invalid"
    body = ErrorBody.model_validate(
        {"error": {"code": "rate_limited", "message": "稍后", "details": {"retry_after": 3}}}
    )
    assert body.error.details == {"retry_after": 3}
