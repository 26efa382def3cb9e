"""POST /sync/push: the four outcomes, who may do what, validation, merge and idempotency."""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select, update

from sync.hub import schema
from sync.hub.push import BatchApplier
from sync.hub.service import IN_PROGRESS_TIMEOUT, Hub
from sync.protocol import format_utc, utc_now
from tests.sync.hub.conftest import COUNTY, S1, Api, edit, new_id, op, revisions_held, save


def test_a_new_record_is_applied_as_a_draft_of_the_school(api: Api) -> None:
    fields = api.samples.fields("internship")
    record_id = new_id()
    result = api.push("school1", save(record_id, fields))
    assert result["outcome"] == "applied"
    assert result["record_id"] == record_id
    record = result["record"]
    assert (record["rev"], record["status"], record["deleted"]) == (1, "draft", False)
    assert (record["org"], record["county"]) == (S1, COUNTY)
    assert record["fields"]["student_name"] == fields["student_name"]
    assert record["issues"] == []
    assert record["updated_by"] == "school1"
    assert record["updated_at"].endswith("Z")


def test_a_county_creates_records_of_its_own(api: Api) -> None:
    record = api.create("county")
    assert (record["org"], record["county"]) == (COUNTY, COUNTY)


def test_drafts_with_rule_violations_are_saved_with_their_issues_in_the_callers_language(
    api: Api,
) -> None:
    fields = api.samples.fields("internship") | {"night_shift": True}
    zh = api.push("school1", save(new_id(), fields))
    assert zh["outcome"] == "applied"
    issue = next(i for i in zh["record"]["issues"] if i["path"] == "night_shift")
    assert issue["severity"] == "error"
    assert "夜班" in issue["message"]
    en = api.push("school1", save(new_id(), fields), lang="en-US,en;q=0.9")
    issue = next(i for i in en["record"]["issues"] if i["path"] == "night_shift")
    assert "night" in issue["message"].lower()


def test_values_that_do_not_fit_the_form_are_rejected_as_invalid_one_error_each(api: Api) -> None:
    fields = api.samples.fields("internship") | {
        "daily_hours": "eight",
        "start_date": "2026/09/01",
        "internship_type": "summer",
        "favourite_colour": "blue",
        # Beyond what a client's SQLite (64 bits) and JSON readers (2^53) hold: accepted, it
        # stopped every pull of the records' clients at its page.
        "interns_at_enterprise": 10**20,
    }
    result = api.push("school1", save(new_id(), fields), lang="en")
    assert result["outcome"] == "rejected"
    assert "record" not in result
    errors = {e["path"]: e for e in result["errors"]}
    assert set(errors) == {
        "daily_hours",
        "start_date",
        "internship_type",
        "favourite_colour",
        "interns_at_enterprise",
    }
    assert "too large" in errors["interns_at_enterprise"]["message"]
    assert all(e["code"] == "invalid" for e in errors.values())
    assert "date" in errors["start_date"]["message"]
    zh = api.push("school1", save(new_id(), fields))
    assert any("日期" in e["message"] for e in zh["errors"])


def test_an_unknown_form_or_version_is_invalid(api: Api) -> None:
    unknown = save(new_id(), {}, form="canteen_menu")
    assert api.push("school1", unknown)["errors"][0]["code"] == "invalid"
    future = save(new_id(), {}) | {"form_version": 99}
    result = api.push("school1", future)
    assert (result["outcome"], result["errors"][0]["code"]) == ("rejected", "invalid")


def test_a_record_cannot_change_its_form(api: Api) -> None:
    record = api.create()
    other = save(record["id"], {}, base_rev=1, form="training_base")
    assert api.push("school1", other)["errors"][0]["code"] == "invalid"


def test_a_save_on_an_unknown_record_with_a_revision_is_not_found(api: Api) -> None:
    result = api.push("school1", save(new_id(), {}, base_rev=3))
    assert result["errors"][0]["code"] == "not_found"


def test_a_current_save_is_applied_as_a_new_revision(api: Api, hub: Hub) -> None:
    record = api.create()
    result = api.push("school1", edit(record, class_name="2025级1班"))
    assert result["outcome"] == "applied"
    assert result["record"]["rev"] == 2
    assert result["record"]["fields"]["class_name"] == "2025级1班"
    with hub.db.read() as connection:
        assert revisions_held(connection, record["id"]) == [1, 2]
        # The one replaced is stored as it was; the current one is the record's row.
        replaced = connection.execute(
            select(schema.record_revisions).where(
                schema.record_revisions.c.record_id == record["id"]
            )
        ).one()
    assert replaced.rev == 1
    assert json.loads(replaced.fields) == record["fields"]


def test_disjoint_edits_from_a_stale_base_merge(api: Api) -> None:
    record = api.submitted()
    county_edit = api.push("county", edit(record, class_name="county"))
    assert county_edit["outcome"] == "applied"
    # The county returns it; the school edits another field from the revision it had.
    returned = api.push(
        "county", op("review", county_edit["record"], decision="return", comment="请核对")
    )
    assert returned["outcome"] == "applied"
    school = api.push("school1", edit(record, base_rev=record["rev"], position="钳工"))
    assert school["outcome"] == "merged"
    merged = school["record"]["fields"]
    assert (merged["class_name"], merged["position"]) == ("county", "钳工")
    assert school["record"]["rev"] == returned["record"]["rev"] + 1
    assert school["record"]["status"] == "returned"


def test_the_same_field_changed_on_both_sides_is_a_conflict_that_loses_no_value(
    api: Api, hub: Hub
) -> None:
    record = api.submitted()
    api.push("county", op("review", record, decision="return", comment="改"))
    county = api.push("county", edit(record, base_rev=record["rev"], position="county"))
    assert county["outcome"] == "merged"
    mine = edit(record, base_rev=record["rev"], position="school")
    result = api.push("school1", mine)
    assert result["outcome"] == "conflict"
    state = result["record"]
    assert state["fields"]["position"] == "county"
    assert state["rev"] == county["record"]["rev"]
    conflict = state["conflict"]
    assert conflict["id"] == result["conflict_id"]
    assert conflict["mutation_id"] == mine["mutation_id"]
    assert conflict["by"] == "school1"
    assert conflict["base_rev"] == record["rev"]
    assert conflict["fields"] == [
        {
            "path": "position",
            "base": record["fields"]["position"],
            "mine": "school",
            "theirs": "county",
        }
    ]
    with hub.db.read() as connection:
        stored = connection.execute(
            select(schema.conflicts.c.mine).where(schema.conflicts.c.id == result["conflict_id"])
        ).scalar_one()
    assert '"position":"school"' in stored
    # Both sides see the marked record.
    for username in ("school1", "county"):
        seen = next(r for r in api.pull_all(username) if r["id"] == record["id"])
        assert seen["conflict"]["id"] == result["conflict_id"]


def test_resolve_closes_the_conflict_with_the_values_given(api: Api) -> None:
    record = api.create()
    api.push("school1", edit(record, position="one"))
    conflict = api.push("school1", edit(record, base_rev=1, position="two"))
    assert conflict["outcome"] == "conflict"
    state = conflict["record"]
    fields = state["fields"] | {"position": "two"}
    resolve = op("resolve", state, conflict_id=conflict["conflict_id"], fields=fields)
    result = api.push("school1", resolve)
    assert result["outcome"] == "applied"
    assert result["record"]["conflict"] is None
    assert result["record"]["fields"]["position"] == "two"
    again = op("resolve", result["record"], conflict_id=conflict["conflict_id"], fields=fields)
    assert api.push("school1", again)["errors"][0]["code"] == "stale"
    unknown = op("resolve", result["record"], conflict_id=new_id(), fields=fields)
    assert api.push("school1", unknown)["errors"][0]["code"] == "not_found"


def test_a_mutation_id_seen_before_returns_its_stored_result_and_is_never_applied_twice(
    api: Api, hub: Hub
) -> None:
    record = api.create()
    mutation = edit(record, class_name="x")
    first = api.push("school1", mutation)
    api.push("school1", edit(first["record"], class_name="y"))
    again = api.push("school1", mutation)
    assert again == first
    assert again["record"]["rev"] == 2
    with hub.db.read() as connection:
        count = len(revisions_held(connection, record["id"]))
    assert count == 3
    rejected = save(new_id(), {"nope": 1})
    assert api.push("school1", rejected) == api.push("school1", rejected)


def test_someone_elses_mutation_id_shows_nothing_of_their_record(api: Api) -> None:
    record = api.create("school1")
    mutation = edit(record, class_name="x")
    api.push("school1", mutation)
    replay = api.push("school2", mutation)
    assert replay["outcome"] == "rejected"
    assert "record" not in replay


def test_later_mutations_in_a_batch_see_earlier_ones(api: Api) -> None:
    record_id = new_id()
    fields = api.samples.fields("internship")
    first = save(record_id, fields)
    second = save(record_id, fields | {"class_name": "b"}, base_rev=1)
    submit = {"mutation_id": new_id(), "record_id": record_id, "op": "submit", "base_rev": 2}
    results = api.push("school1", first, second, submit)
    assert [r["outcome"] for r in results] == ["applied", "applied", "applied"]
    assert [r["record"]["rev"] for r in results] == [1, 2, 3]
    assert results[2]["record"]["status"] == "submitted"


def test_submit_is_rejected_while_an_error_issue_remains(api: Api) -> None:
    record = api.create(flavour="error")
    assert any(i["severity"] == "error" for i in record["issues"])
    result = api.push("school1", op("submit", record), lang="en")
    assert result["outcome"] == "rejected"
    errors = result["errors"]
    assert {e["code"] for e in errors} == {"validation"}
    expected = {i["path"] for i in record["issues"] if i["severity"] == "error"}
    assert {e["path"] for e in errors} == expected


def test_status_changes_follow_the_record_life(api: Api) -> None:
    record = api.submitted()
    assert record["status"] == "submitted"
    withdrawn = api.push("school1", op("withdraw", record))["record"]
    assert withdrawn["status"] == "draft"
    submitted = api.push("school1", op("submit", withdrawn))["record"]
    returned = api.push("county", op("review", submitted, decision="return", comment="补充"))
    assert returned["record"]["status"] == "returned"
    assert returned["record"]["review"]["decision"] == "return"
    assert returned["record"]["review"]["comment"] == "补充"
    assert returned["record"]["review"]["by"] == "county"
    again = api.push("school1", op("submit", returned["record"]))["record"]
    approved = api.push("admin", op("review", again, decision="approve"))["record"]
    assert approved["status"] == "approved"
    reopened = api.push("county", op("review", approved, decision="reopen", comment="更正"))
    assert reopened["record"]["status"] == "returned"


def test_return_and_reopen_need_a_comment(api: Api) -> None:
    record = api.submitted()
    result = api.push("county", op("review", record, decision="return"))
    assert (result["errors"][0]["code"], result["errors"][0]["path"]) == ("invalid", "comment")


def test_invalid_transitions_are_rejected(api: Api) -> None:
    draft = api.create()
    for mutation, user in (
        (op("withdraw", draft), "school1"),
        (op("review", draft, decision="approve"), "admin"),
    ):
        assert api.push(user, mutation)["errors"][0]["code"] == "invalid_transition"
    submitted = api.submitted()
    assert api.push("school1", op("submit", submitted))["errors"][0]["code"] == (
        "invalid_transition"
    )
    reopen = op("review", submitted, decision="reopen", comment="x")
    assert api.push("county", reopen)["errors"][0]["code"] == "invalid_transition"


def test_status_operations_on_a_stale_revision_are_stale(api: Api) -> None:
    record = api.create()
    api.push("school1", edit(record, class_name="new"))
    assert api.push("school1", op("submit", record))["errors"][0]["code"] == "stale"
    submitted = api.submitted()
    api.push("county", edit(submitted, class_name="fixed by county"))
    review = op("review", submitted, decision="approve")
    assert api.push("county", review)["errors"][0]["code"] == "stale"


def test_approved_records_are_locked_and_submitted_ones_locked_for_the_school(api: Api) -> None:
    approved = api.approved()
    for user in ("school1", "county"):
        result = api.push(user, edit(approved, class_name="x"))
        assert result["errors"][0]["code"] == "locked"
    assert api.push("school1", op("delete", approved))["errors"][0]["code"] == "locked"
    submitted = api.submitted()
    assert api.push("school1", edit(submitted, class_name="x"))["errors"][0]["code"] == "locked"
    corrected = api.push("county", edit(submitted, class_name="x"))
    assert corrected["outcome"] == "applied"
    assert corrected["record"]["status"] == "submitted"


def test_delete_keeps_a_tombstone(api: Api) -> None:
    record = api.create()
    result = api.push("school1", op("delete", record))
    assert result["outcome"] == "applied"
    assert result["record"]["deleted"] is True
    assert result["record"]["rev"] == 2
    tombstone = next(r for r in api.pull_all("school1") if r["id"] == record["id"])
    assert tombstone["deleted"] is True
    assert api.push("school1", op("delete", result["record"]))["outcome"] == "applied"
    assert api.push("school1", edit(result["record"], class_name="x"))["errors"][0]["code"] == (
        "not_found"
    )
    submitted = api.submitted()
    assert api.push("school1", op("delete", submitted))["errors"][0]["code"] == (
        "invalid_transition"
    )


def test_a_delete_against_a_record_changed_since_its_base_is_a_conflict(api: Api) -> None:
    record = api.create()
    assert api.push("school1", edit(record, class_name="new"))["outcome"] == "applied"
    result = api.push("school1", op("delete", record, base_rev=1))
    assert result["outcome"] == "conflict"
    assert result["record"]["deleted"] is False
    assert result["record"]["conflict"]["fields"] == [
        {
            "path": "class_name",
            "base": record["fields"]["class_name"],
            "mine": None,
            "theirs": "new",
        }
    ]


def test_a_delete_against_a_status_change_since_its_base_is_a_conflict_too(api: Api) -> None:
    """PROTOCOL.md: "A delete against a record changed since base_rev is a conflict" — any
    change, not only of fields: the device deleting never saw the county return the record with
    its comment. Nothing is deleted; the conflict lists no field (none differs from the base),
    the record in the answer shows what changed. Once resolved, a delete from the current
    revision goes through."""
    record = api.submitted()
    returned = api.push("county", op("review", record, decision="return", comment="补充"))
    assert returned["outcome"] == "applied"
    draft_seen_before = record | {"rev": record["rev"] - 1}  # the device's rev: before submit
    result = api.push("school1", op("delete", draft_seen_before))
    assert result["outcome"] == "conflict", result
    state = result["record"]
    assert (state["deleted"], state["status"]) == (False, "returned")
    assert state["review"]["comment"] == "补充"
    assert state["rev"] == returned["record"]["rev"]
    assert state["conflict"]["fields"] == []
    assert state["conflict"]["base_rev"] == record["rev"] - 1
    # The same when the values changed and changed back: the record is not as the device saw it.
    draft = api.create()
    changed = api.push("school1", edit(draft, class_name="x"))["record"]
    back = api.push("school1", edit(changed, class_name=draft["fields"]["class_name"]))
    assert back["record"]["fields"] == draft["fields"]
    assert api.push("school1", op("delete", draft))["outcome"] == "conflict"
    # Resolved, the record can be deleted from its current revision.
    conflicted = next(r for r in api.pull_all("school1") if r["id"] == draft["id"])
    resolve = op(
        "resolve",
        conflicted,
        conflict_id=conflicted["conflict"]["id"],
        fields=conflicted["fields"],
    )
    resolved = api.push("school1", resolve)
    assert resolved["outcome"] == "applied"
    deleted = api.push("school1", op("delete", resolved["record"]))
    assert (deleted["outcome"], deleted["record"]["deleted"]) == ("applied", True)


def test_scope_a_school_may_not_touch_another_schools_record(api: Api) -> None:
    record = api.create("school1")
    for mutation in (edit(record, class_name="x"), op("submit", record), op("delete", record)):
        result = api.push("school2", mutation)
        assert result["errors"][0]["code"] == "forbidden"
        assert "record" not in result


def test_scope_a_county_sees_no_school_drafts_and_nothing_of_other_counties(api: Api) -> None:
    draft = api.create("school1")
    assert api.push("county", edit(draft, class_name="x"))["errors"][0]["code"] == "forbidden"
    submitted = api.submitted("school3")
    result = api.push("county", op("review", submitted, decision="approve"))
    assert result["errors"][0]["code"] == "forbidden"
    assert api.push("county2", op("review", submitted, decision="approve"))["outcome"] == "applied"


def _forbidden_and_silent(api: Api, username: str, mutation: dict[str, Any]) -> None:
    """The mutation is rejected as forbidden in both languages, naming nothing of the record."""
    for lang in ("zh", "en"):
        result = api.push(username, mutation | {"mutation_id": new_id()}, lang=lang)
        assert result["outcome"] == "rejected", result
        assert [e["code"] for e in result["errors"]] == ["forbidden"], result
        assert "record" not in result
        assert "teacher_placement" not in str(result)


def test_scope_is_checked_before_anything_else_for_every_op(api: Api) -> None:
    """A record outside the caller's scope answers forbidden whatever else is wrong with the
    mutation (another form, unknown form, bad values, stale base, no such conflict): any other
    answer would tell something of another school's or county's record."""
    placement_fields = api.samples.fields("teacher_placement")
    placement = api.push("school1", save(new_id(), placement_fields, form="teacher_placement"))
    draft = placement["record"]
    as_internship = save(draft["id"], api.samples.fields("internship"), base_rev=draft["rev"])
    unknown_form = save(draft["id"], {}, base_rev=draft["rev"], form="canteen_menu")
    bad_values = save(draft["id"], {"nope": 1}, base_rev=1, form="teacher_placement")
    stale = save(draft["id"], placement_fields, base_rev=9, form="teacher_placement")
    # The county does not see a school's draft; nor do another school and another county.
    for username in ("school2", "county", "county2", "school3"):
        for mutation in (as_internship, unknown_form, bad_values, stale):
            _forbidden_and_silent(api, username, mutation)
        _forbidden_and_silent(api, username, op("delete", draft))
        _forbidden_and_silent(api, username, op("submit", draft))
        resolve = op("resolve", draft, conflict_id=new_id(), fields=placement_fields)
        _forbidden_and_silent(api, username, resolve)

    submitted = api.push("school1", op("submit", draft))["record"]
    for username in ("school2", "county2", "school3"):
        _forbidden_and_silent(api, username, op("withdraw", submitted))
        _forbidden_and_silent(api, username, op("review", submitted, decision="approve"))
        _forbidden_and_silent(api, username, op("review", submitted, decision="return"))
        _forbidden_and_silent(api, username, op("review", submitted, decision="reopen"))
        as_internship = save(submitted["id"], {}, base_rev=submitted["rev"])
        _forbidden_and_silent(api, username, as_internship)

    # An open conflict of school1's: nobody outside its scope may resolve it.
    returned = api.push("county", op("review", submitted, decision="return", comment="改"))
    base = returned["record"]

    def placement_edit(post: str) -> dict[str, Any]:
        fields = base["fields"] | {"post": post}
        return save(base["id"], fields, base_rev=base["rev"], form="teacher_placement")

    assert api.push("school1", placement_edit("one"))["outcome"] == "applied"
    conflict = api.push("county", placement_edit("two"))
    assert conflict["outcome"] == "conflict"
    resolve = op(
        "resolve", conflict["record"], conflict_id=conflict["conflict_id"], fields=placement_fields
    )
    for username in ("school2", "county2"):
        _forbidden_and_silent(api, username, resolve)
    assert api.push("county", resolve)["outcome"] == "applied"


def test_roles_may_only_do_their_operations(api: Api) -> None:
    submitted = api.submitted()
    assert (
        api.push("school1", op("review", submitted, decision="approve"))["errors"][0]["code"]
        == "forbidden"
    )
    assert api.push("county", op("withdraw", submitted))["errors"][0]["code"] == "forbidden"
    assert api.push("admin", edit(submitted, class_name="x"))["errors"][0]["code"] == "forbidden"
    assert api.push("admin", save(new_id(), {}))["errors"][0]["code"] == "forbidden"
    assert api.push("admin", op("delete", submitted))["errors"][0]["code"] == "forbidden"


def test_rejection_messages_follow_accept_language(api: Api) -> None:
    submitted = api.submitted()
    zh = api.push("school1", op("review", submitted, decision="approve"))
    en = api.push("school1", op("review", submitted, decision="approve"), lang="en")
    assert "审核" in zh["errors"][0]["message"]
    assert "review" in en["errors"][0]["message"]


def test_an_idempotency_key_replays_its_batch_and_refuses_another_body(api: Api) -> None:
    key = str(uuid.uuid4())
    mutations = [save(new_id(), api.samples.fields("internship"))]
    first = api.push_raw("school1", mutations, key=key)
    second = api.push_raw("school1", mutations, key=key)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    other = api.push_raw("school1", [save(new_id(), {})], key=key, lang="en")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    assert "Idempotency-Key" in other.json()["error"]["message"]


def test_a_batch_still_in_progress_answers_409(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second request with the key of a batch being applied is refused at once, on either
    database, rather than waiting for the first; the key answers again once that batch ended."""
    mutations = [save(new_id(), api.samples.fields("internship"))]
    key = new_id()
    inside, release = threading.Event(), threading.Event()
    flush = BatchApplier.flush

    def held_flush(applier: BatchApplier) -> None:
        inside.set()
        release.wait(timeout=20)
        flush(applier)

    monkeypatch.setattr(BatchApplier, "flush", held_flush)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(api.push_raw, "school1", mutations, key)
        assert inside.wait(timeout=20)
        try:
            answer = api.push_raw("school1", mutations, key=key, lang="en")
        finally:
            release.set()
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"]["code"] == "in_progress"
        assert first.result().status_code == 200
    monkeypatch.setattr(BatchApplier, "flush", flush)
    again = api.push_raw("school1", mutations, key=key)
    assert again.status_code == 200
    assert again.json() == first.result().json()


def test_a_key_left_in_progress_by_a_dead_hub_is_taken_over(api: Api, hub: Hub) -> None:
    """A hub process killed inside a batch leaves its key marked in progress (SQLite marks it
    before the batch): once the mark is older than any batch takes, the key answers again."""
    mutations = [save(new_id(), api.samples.fields("internship"))]
    key = new_id()
    first = api.push_raw("school1", mutations, key=key)
    assert first.status_code == 200
    long_ago = format_utc(utc_now() - IN_PROGRESS_TIMEOUT - datetime.timedelta(seconds=1))
    hub.db.write(
        lambda connection: connection.execute(
            update(schema.push_batches)
            .where(schema.push_batches.c.key == key)
            .values(state="in_progress", started_at=long_ago)
        )
    )
    again = api.push_raw("school1", mutations, key=key)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()


def test_a_batch_that_failed_leaves_its_key_free(api: Api, hub: Hub, monkeypatch: Any) -> None:
    """The key commits with the batch: a batch that failed half way is applied in full later."""
    key = new_id()
    mutations = [save(new_id(), api.samples.fields("internship")) for _ in range(2)]

    def fail(applier: Any) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(BatchApplier, "flush", fail)
        with pytest.raises(RuntimeError):
            api.push_raw("school1", mutations, key=key)
    answer = api.push_raw("school1", mutations, key=key)
    assert answer.status_code == 200
    assert [r["outcome"] for r in answer.json()["results"]] == ["applied", "applied"]


def test_push_limits(api: Api) -> None:
    too_many = [save(new_id(), {}) for _ in range(501)]
    answer = api.push_raw("school1", too_many)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    # Counted before the mutations are validated: 413 even when some do not fit the schema.
    malformed = [*too_many[:-1], {"op": "save", "base_rev": -1}]
    answer = api.push_raw("school1", malformed)
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["details"] == {"mutations": 501, "max": 500}
    empty = api.push_raw("school1", [])
    assert empty.status_code == 422
    assert empty.json()["error"]["code"] == "invalid_request"
    exactly = api.push_raw("school1", [save(new_id(), {}) for _ in range(500)])
    assert exactly.status_code == 200
    assert len(exactly.json()["results"]) == 500


def test_every_change_gets_the_next_sequence_number(api: Api, hub: Hub) -> None:
    record = api.create()
    api.push("school1", edit(record, class_name="a"), op("submit", record, base_rev=2))
    with hub.db.read() as connection:
        seqs = (
            connection.execute(select(schema.changes.c.seq).order_by(schema.changes.c.seq))
            .scalars()
            .all()
        )
        logged = connection.execute(
            select(schema.changes.c.op, schema.changes.c.rev).order_by(schema.changes.c.seq)
        ).all()
        assert [tuple(row) for row in logged] == [("save", 1), ("save", 2), ("submit", 3)]
    assert len(seqs) == 3
    assert seqs == sorted(set(seqs))
    assert S1 in {r["org"] for r in api.pull_all("school1")}


@pytest.mark.parametrize("all_alike", [True, False], ids=["new records", "with odd ones"])
def test_a_batch_larger_than_one_insert_stores_every_row_in_order(
    api: Api, hub: Hub, all_alike: bool
) -> None:
    """A batch's rows go many to a statement, the values they all share bound once: a rejection
    or a record deleted as it was made among them is stored as any other."""
    mutations = [save(new_id(), api.samples.fields("internship")) for _ in range(230)]
    if not all_alike:
        mutations.insert(8, op("delete", {"id": mutations[7]["record_id"], "rev": 1}))
        mutations[100]["fields"] = mutations[100]["fields"] | {"daily_hours": "eight"}
    results = api.push("school1", *mutations)
    outcomes = [result["outcome"] for result in results]
    assert outcomes.count("applied") == len(mutations) - (0 if all_alike else 1)
    pulled = {record["id"]: record for record in api.pull_all("school1")}
    created = [r for m, r in zip(mutations, results, strict=True) if m["op"] == "save"]
    for result in created:
        if result["outcome"] == "applied" and result["record_id"] in pulled:
            record = pulled[result["record_id"]]
            assert record["fields"] == result["record"]["fields"]
            assert record["deleted"] is (record["rev"] == 2)
    with hub.db.read() as connection:
        changed = connection.execute(
            select(schema.changes.c.record_id, schema.changes.c.op).order_by(schema.changes.c.seq)
        ).all()
        stored = {
            mutation_id: outcome
            for mutation_id, outcome in connection.execute(
                select(schema.mutations.c.mutation_id, schema.mutations.c.outcome)
            )
        }
    applied = [m for m, outcome in zip(mutations, outcomes, strict=True) if outcome == "applied"]
    assert changed == [(m["record_id"], m["op"]) for m in applied]
    assert stored == {m["mutation_id"]: o for m, o in zip(mutations, outcomes, strict=True)}
    assert len(pulled) == len(created) - (0 if all_alike else 1)
