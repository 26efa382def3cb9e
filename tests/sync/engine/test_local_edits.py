"""Local edits against newer hub versions: a pull never takes away a value the user entered,
and every mutation reaches the hub with the base its values were made from (so the hub merges
or reports a conflict rather than overwriting another user's change)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sync.protocol import Decision
from sync.samples import SampleFactory
from tests.sync.engine.conftest import Device, LiveHub, assert_matches_hub, wire_fields

SAMPLES = SampleFactory(seed=5)


def shared_record(first: Device, second: Device) -> str:
    record_id = first.store.save(
        "internship", None, SAMPLES.fields("internship"), first.username
    ).record_id
    assert first.engine.sync().ok and second.engine.sync().ok
    return record_id


def test_a_pull_keeps_the_local_values_of_a_record_with_an_open_conflict(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(first.store, record_id)
    second.store.save("internship", record_id, base | {"position": "电工"}, "school1")
    assert second.engine.sync().ok
    # position conflicts with the second device's edit; notes does not
    mine = base | {"position": "焊工", "notes": "只在第一台机器上写的说明"}
    first.store.save("internship", record_id, mine, "school1")
    assert first.engine.sync().conflicts == 1
    assert first.store.get(record_id).fields["notes"] == "只在第一台机器上写的说明"

    newer = wire_fields(second.store, record_id) | {"class_name": "二班"}
    second.store.save("internship", record_id, newer, "school1")
    assert second.engine.sync().ok
    assert first.engine.sync().pulled == 1
    kept = first.store.get(record_id)
    assert kept.conflict is not None
    assert kept.rev == live_hub.records("school1")[record_id].rev
    assert kept.fields["notes"] == "只在第一台机器上写的说明"
    assert kept.fields["position"] == "焊工"

    first.store.resolve(record_id, wire_fields(first.store, record_id), "school1")
    assert first.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.fields["notes"] == "只在第一台机器上写的说明"
    assert hub.fields["position"] == "焊工"
    assert hub.fields["class_name"] == "二班", "the second device's later edit is merged, not lost"
    assert_matches_hub(first, live_hub.records("school1"))


def test_an_edit_made_after_a_pull_of_a_record_needing_attention_keeps_others_changes(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(second.store, record_id)
    second.store.save("internship", record_id, base | {"notes": "第二台机器的说明"}, "school1")
    assert second.engine.sync().ok
    first.store.submit(record_id, "school1")  # on a stale revision: rejected
    summary = first.engine.sync()
    assert (summary.rejected, summary.pulled) == (1, 1)
    assert first.store.get(record_id).needs_attention

    # The user fixes the record on what the first device shows (its own, older, values).
    fixed = wire_fields(first.store, record_id) | {"position": "焊工"}
    first.store.save("internship", record_id, fixed, "school1")
    assert first.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.fields["position"] == "焊工"
    assert hub.fields["notes"] == "第二台机器的说明", "the other device's edit was reverted"
    assert_matches_hub(first, live_hub.records("school1"))


def test_a_pending_edit_pulled_over_goes_with_the_base_it_was_made_from(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(first.store, record_id)
    first.store.save("internship", record_id, base | {"position": "焊工"}, "school1")
    second.store.save("internship", record_id, base | {"notes": "第二台机器的说明"}, "school1")
    assert second.engine.sync().ok
    # The first device pulls the newer version before pushing its edit.
    newer = live_hub.records("school1")[record_id]
    first.store.apply_pull_page([newer], first.store.sync_state().cursor or "")
    assert first.store.get(record_id).rev == newer.rev
    first.store.save(
        "internship",
        record_id,
        wire_fields(first.store, record_id) | {"class_name": "二班"},
        "school1",
    )
    assert first.engine.sync().ok
    hub = live_hub.records("school1")[record_id].fields
    assert (hub["position"], hub["class_name"], hub["notes"]) == (
        "焊工",
        "二班",
        "第二台机器的说明",
    )
    assert_matches_hub(first, live_hub.records("school1"))


def test_a_delete_queued_behind_a_save_that_conflicts_lands_once_resolved(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(first.store, record_id)
    second.store.save("internship", record_id, base | {"position": "电工"}, "school1")
    assert second.engine.sync().ok
    first.store.save("internship", record_id, base | {"position": "焊工"}, "school1")
    first.store.delete(record_id, "school1")
    summary = first.engine.sync()
    assert summary.conflicts == 1
    assert summary.rejected == 0
    back = first.store.get(record_id)
    assert back.conflict is not None and not back.deleted

    # Resolving settles the conflict; the delete still queued goes after it.
    first.store.resolve(record_id, wire_fields(first.store, record_id), "school1")
    assert first.store.get(record_id).deleted
    summary = first.engine.sync()
    assert summary.ok and (summary.conflicts, summary.rejected) == (0, 0)
    assert live_hub.records("school1")[record_id].deleted
    gone = first.store.get(record_id)
    assert gone.deleted and not gone.pending and not gone.needs_attention


def test_resolving_keeps_what_the_other_side_changed_without_conflict(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(first.store, record_id)
    theirs = base | {"position": "电工", "class_name": "二班"}
    second.store.save("internship", record_id, theirs, "school1")
    assert second.engine.sync().ok
    mine = base | {"position": "焊工", "notes": "第一台机器的说明"}
    first.store.save("internship", record_id, mine, "school1")
    assert first.engine.sync().conflicts == 1
    shown = first.store.get(record_id).fields
    assert (shown["position"], shown["notes"], shown["class_name"]) == (
        "焊工",
        mine["notes"],
        "二班",
    )

    first.store.resolve(record_id, wire_fields(first.store, record_id), "school1")
    assert first.engine.sync().ok
    hub = live_hub.records("school1")[record_id].fields
    assert (hub["position"], hub["notes"], hub["class_name"]) == ("焊工", mine["notes"], "二班")


def test_a_refused_delete_can_be_given_up_and_the_record_comes_back(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second, county = devices("school1"), devices("school1"), devices("county")
    record_id = shared_record(first, second)
    first.store.submit(record_id, "school1")
    assert first.engine.sync().ok and county.engine.sync().ok
    county.store.review(record_id, Decision.APPROVE, "county")
    assert county.engine.sync().ok
    second.store.delete(record_id, "school1")  # still a draft on this machine
    assert second.engine.sync().rejected == 1
    refused = second.store.get(record_id)
    assert refused.deleted and refused.needs_attention

    second.store.take_hub_version(record_id, "school1")
    back = second.store.get(record_id)
    assert not back.deleted and not back.needs_attention
    assert second.engine.sync().ok
    assert_matches_hub(second, live_hub.records("school1"))


def test_an_edit_made_while_its_save_is_on_the_way_still_conflicts_with_the_same_field(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(second.store, record_id)
    # The second device pushes an edit of notes; the hub has it, its answer is not applied yet.
    second.store.save("internship", record_id, base | {"notes": "第二台"}, "school1")
    batch = second.store.next_batch()
    assert batch is not None
    # Meanwhile the first device changes the class on the hub.
    first.store.save("internship", record_id, base | {"class_name": "一班"}, "school1")
    assert first.engine.sync().ok
    client_id = uuid.UUID(second.store.sync_state().client_id)
    answer = second.client.push(client_id, batch.mutations(), uuid.UUID(batch.key))
    # Before the answer is applied, the second device's user changes the class too.
    mine = base | {"notes": "第二台", "class_name": "二班"}
    second.store.save("internship", record_id, mine, "school1")
    second.store.apply_push_results(batch, answer.results)

    assert second.engine.sync().conflicts == 1
    hub = live_hub.records("school1")[record_id]
    assert hub.fields["class_name"] == "一班"  # not overwritten without a conflict
    assert hub.conflict is not None
    assert [field.path for field in hub.conflict.fields] == ["class_name"]
    kept = second.store.get(record_id)
    assert kept.fields["class_name"] == "二班" and kept.fields["notes"] == "第二台"
    # Resolved with the second device's value, both users' other edits stay.
    second.store.resolve(record_id, wire_fields(second.store, record_id), "school1")
    assert second.engine.sync().ok and first.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.conflict is None
    assert hub.fields["class_name"] == "二班" and hub.fields["notes"] == "第二台"
    for device in (first, second):
        assert_matches_hub(device, live_hub.records("school1"))


def test_another_users_conflict_is_pulled_at_the_revision_held_and_closes_when_resolved(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second, third = devices("school1"), devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    base = wire_fields(second.store, record_id)
    second.store.save("internship", record_id, base | {"position": "电工"}, "school1")
    assert second.engine.sync().ok and third.engine.sync().ok
    first.store.save("internship", record_id, base | {"position": "焊工"}, "school1")
    assert first.engine.sync().conflicts == 1
    # The conflict made no revision: the third machine holds the record's revision already.
    assert third.engine.sync().ok
    seen = third.store.get(record_id)
    assert seen.conflict is not None and seen.conflict.id == first.store.get(record_id).conflict.id
    assert seen.fields["position"] == "电工"

    # A later revision with the conflict still open replaces the third machine's copy: it held
    # the hub's values, none of its user's.
    newer = wire_fields(second.store, record_id) | {"class_name": "二班"}
    second.store.save("internship", record_id, newer, "school1")
    assert second.engine.sync().ok and third.engine.sync().ok
    assert third.store.get(record_id).fields["class_name"] == "二班"
    assert third.store.get(record_id).conflict is not None

    first.store.resolve(record_id, wire_fields(first.store, record_id), "school1")
    assert first.engine.sync().ok and third.engine.sync().ok
    assert third.store.get(record_id).conflict is None
    assert third.store.get(record_id).fields["position"] == "焊工"
    assert_matches_hub(third, live_hub.records("school1"))


def test_a_pulled_conflict_whose_theirs_differ_from_the_users_side_keeps_the_users_values(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    """The first machine's row holds its user's side of its own conflict; the hub's record comes
    back with another conflict (the third machine's, which superseded it) and the hub's values
    as "theirs": they are compared, differ, and the user's values stay until the user acts."""
    first, second, third = devices("school1"), devices("school1"), devices("school1")
    record_id = shared_record(first, second)
    assert third.engine.sync().ok
    base = wire_fields(second.store, record_id)
    second.store.save("internship", record_id, base | {"position": "电工"}, "school1")
    assert second.engine.sync().ok
    first.store.save("internship", record_id, base | {"position": "焊工"}, "school1")
    assert first.engine.sync().conflicts == 1
    third.store.save("internship", record_id, base | {"position": "钳工"}, "school1")
    assert third.engine.sync().conflicts == 1
    hub = live_hub.records("school1")[record_id]
    assert hub.conflict is not None and hub.fields["position"] == "电工"

    assert first.engine.sync().ok
    kept = first.store.get(record_id)
    assert kept.fields["position"] == "焊工"
    assert kept.conflict is not None and kept.conflict.id != hub.conflict.id

    # Its resolve closes a conflict the hub has closed: refused, the values still here.
    first.store.resolve(record_id, wire_fields(first.store, record_id), "school1")
    assert first.engine.sync().rejected == 1
    refused = first.store.get(record_id)
    assert refused.needs_attention and refused.fields["position"] == "焊工"
    # The user saves them again; the third machine's value waits in its conflict on the hub.
    first.store.save("internship", record_id, wire_fields(first.store, record_id), "school1")
    assert first.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.fields["position"] == "焊工"
    assert hub.conflict is not None
    assert {"钳工"} <= {
        values.get("position") for values in live_hub.values_held_or_refused(record_id)
    }
