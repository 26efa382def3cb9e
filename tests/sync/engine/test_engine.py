"""One sync pass against a real hub on loopback: phases, outcomes, progress, cancellation."""

from __future__ import annotations

import dataclasses
import datetime
import gc
import sqlite3
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import forms
from sync.client import HubClient
from sync.engine import PASS_YOUNG_THRESHOLD, ReferenceCache, SyncEngine, SyncOutcome, SyncPhase
from sync.hub.service import Hub, publish_form
from sync.protocol import Decision, RecordStatus, RejectCode
from sync.samples import SampleFactory
from sync.store import OperationRefusedError
from tests.sync.engine.conftest import (
    FAST_RETRY,
    Device,
    Fault,
    LiveHub,
    LoopbackServer,
    MemoryTokenStore,
    assert_matches_hub,
    wire_fields,
)

SAMPLES = SampleFactory(seed=5)

Progressed = list[tuple[SyncPhase, int, int | None]]


def create(device: Device, count: int = 1, form: str = "internship") -> list[str]:
    return [
        device.store.save(form, None, SAMPLES.fields(form), device.username).record_id
        for _ in range(count)
    ]


def test_a_pass_pushes_new_records_and_pulls_them_back(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 3)
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.SYNCED, summary.message("en")
    assert (summary.pushed, summary.applied, summary.pulled, summary.pending) == (3, 3, 3, 0)
    assert summary.last_sync_at is not None
    hub_records = live_hub.records("school1")
    assert set(hub_records) == set(ids)
    assert_matches_hub(school, hub_records)


def test_the_outbox_goes_in_batches_and_progress_says_how_far(
    devices: Callable[..., Device],
) -> None:
    school = devices("school1")
    create(school, 7)
    school.engine.batch_size = 3
    seen: Progressed = []
    summary = school.engine.sync(progress=lambda *step: seen.append(step))
    assert summary.ok
    pushes = [step for step in seen if step[0] is SyncPhase.PUSH]
    assert pushes == [(SyncPhase.PUSH, 3, 7), (SyncPhase.PUSH, 6, 7), (SyncPhase.PUSH, 7, 7)]
    assert seen[-1] == (SyncPhase.PULL, 7, None)
    assert len(school.transport.push_keys) == 3


def test_records_edited_on_two_machines_reach_both(devices: Callable[..., Device]) -> None:
    first, second = devices("school1"), devices("school1")
    (record_id,) = create(first)
    first.engine.sync()
    second.engine.sync()
    fields = wire_fields(second.store, record_id) | {"position": "数控车工"}
    second.store.save("internship", record_id, fields, "school1")
    second.engine.sync()
    first.engine.sync()
    assert wire_fields(first.store, record_id)["position"] == "数控车工"
    assert first.store.get(record_id).rev == 2


def test_edits_of_different_fields_merge_and_of_the_same_field_conflict(
    devices: Callable[..., Device],
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = create(first)[0]
    first.engine.sync()
    second.engine.sync()
    base = wire_fields(first.store, record_id)
    first.store.save("internship", record_id, base | {"position": "钳工"}, "school1")
    second.store.save("internship", record_id, base | {"notes": "已回访"}, "school1")
    assert first.engine.sync().applied == 1
    merged = second.engine.sync()
    assert merged.merged == 1
    assert wire_fields(second.store, record_id) | {} == base | {
        "position": "钳工",
        "notes": "已回访",
    }
    first.engine.sync()
    now = wire_fields(first.store, record_id)
    first.store.save("internship", record_id, now | {"position": "电工"}, "school1")
    second.store.save("internship", record_id, now | {"position": "焊工"}, "school1")
    first.engine.sync()
    conflicted = second.engine.sync()
    assert conflicted.conflicts == 1
    stored = second.store.get(record_id)
    assert stored.conflict is not None
    assert [(f.path, f.mine, f.theirs) for f in stored.conflict.fields] == [
        ("position", "焊工", "电工")
    ]


def test_a_rejected_record_waits_and_the_rest_of_the_queue_goes_on(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    county = devices("county")
    refused = create(school)[0]
    school.store.submit(refused, "school1")
    school.engine.sync()
    county.engine.sync()
    county.store.review(refused, Decision.APPROVE, "county")
    county.engine.sync()
    # This machine has not heard of the approval: it edits what the hub has locked.
    school.store.save(
        "internship", refused, wire_fields(school.store, refused) | {"notes": "改"}, "school1"
    )
    school.store.withdraw(refused, "school1")
    others = create(school, 2)
    summary = school.engine.sync()
    assert summary.ok
    assert (summary.applied, summary.rejected) == (2, 1)
    stored = school.store.get(refused)
    assert stored.needs_attention
    assert stored.attention[0].code in (RejectCode.LOCKED, RejectCode.FORBIDDEN)
    assert stored.fields["notes"] == "改"
    assert summary.pending == 1  # the withdraw waits behind the rejected save
    assert set(others) <= set(live_hub.records("school1"))
    assert live_hub.records("school1")[refused].status is RecordStatus.APPROVED


def test_a_login_lost_mid_pass_stops_it_and_keeps_everything_queued(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 7)
    school.engine.batch_size = 2

    def lose_login(phase: SyncPhase, done: int, total: int | None) -> None:
        caller = live_hub.hub.auth.caller(school.tokens.token or "")
        if phase is SyncPhase.PUSH and caller is not None:
            live_hub.hub.auth.logout(caller)  # e.g. the administrator disabled this login

    summary = school.engine.sync(progress=lose_login)
    assert summary.outcome is SyncOutcome.LOGIN_REQUIRED
    # The batches sent before the first answer was applied (the one alongside the first, and
    # the one sent when the first was answered) may or may not have beaten the logout to the
    # hub; the fourth is sent after it. Either way nothing is lost: what was not applied here
    # is still queued.
    assert summary.pushed in (2, 4, 6)
    assert summary.pushed + summary.pending == 7
    assert "log in" in summary.message("en")
    assert "登录" in summary.message("zh-CN")
    assert school.store.sync_state().last_sync_at is None
    assert school.tokens.token is None
    school.tokens.token = live_hub.login("school1").token
    assert school.engine.sync().ok
    assert set(live_hub.records("school1")) == set(ids)
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())


def test_a_hub_that_needs_a_newer_app_stops_the_pass_and_says_which_protocol(
    devices: Callable[..., Device],
) -> None:
    school = devices("school1")
    create(school)
    school.transport.scripted.append(Fault.UPGRADE_REQUIRED)
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.UPGRADE_REQUIRED
    assert summary.min_protocol == 2
    assert "2" in summary.message("en") and "2" in summary.message("zh-CN")
    assert summary.pending == 1


def test_cancelling_between_batches_keeps_the_rest_for_the_next_pass(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 5)
    school.engine.batch_size = 2
    cancel = threading.Event()

    def cancel_after_first_batch(phase: SyncPhase, done: int, total: int | None) -> None:
        if phase is SyncPhase.PUSH:
            cancel.set()

    summary = school.engine.sync(progress=cancel_after_first_batch, cancel=cancel)
    assert summary.outcome is SyncOutcome.CANCELLED
    assert (summary.pushed, summary.pending) == (2, 3)
    # The second and third batches were already on their way (two go at once, and the third
    # went when the first was answered, before its answer was applied): the hub may have
    # applied them, but their answers were not, so they go again under the same keys and are
    # answered from the hub's record of them. (The third's worker may not have sent it yet
    # when the pass returned.)
    first_pass = set(school.transport.push_keys)
    assert len(first_pass) in (2, 3)
    school.transport.push_keys.clear()
    assert school.engine.sync(cancel=lambda: False).ok
    second_pass = set(school.transport.push_keys)
    assert len(second_pass) == 2 and len(first_pass & second_pass) == len(first_pass) - 1
    assert set(live_hub.records("school1")) == set(ids)
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())


def test_a_batch_whose_key_the_hub_holds_for_another_body_goes_again_under_a_new_key(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 2)
    batch = school.store.next_batch()
    assert batch is not None
    # This key reached the hub with another body: as an older version of the app wrote it.
    client_id = uuid.UUID(school.store.sync_state().client_id)
    school.client.push(client_id, batch.mutations()[:1], uuid.UUID(batch.key))
    summary = school.engine.sync()
    assert summary.ok, summary.message("en")
    assert (summary.pushed, summary.applied, summary.pending) == (2, 2, 0)
    assert school.transport.push_keys[-2] == batch.key  # refused: idempotency_mismatch
    assert school.transport.push_keys[-1] != batch.key
    hub_records = live_hub.records("school1")
    assert set(hub_records) == set(ids)
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())
    assert_matches_hub(school, hub_records)


def test_passes_reuse_their_worker_threads(
    devices: Callable[..., Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    school = devices("school1")
    school.engine.batch_size = 1  # several pushes, two at once
    ran_on: set[threading.Thread] = set()
    request = school.client._request

    def noting_the_thread(*args: Any, **kwargs: Any) -> Any:
        ran_on.add(threading.current_thread())
        return request(*args, **kwargs)

    monkeypatch.setattr(school.client, "_request", noting_the_thread)
    for _ in range(3):
        create(school, 3)
        assert school.engine.sync().ok
    # A dozen requests (forms, 9 pushes, 3 pulls): a thread each would be a dozen threads. Two
    # are at work at once; a third may be one an earlier test left behind that came back.
    assert threading.current_thread() not in ran_on
    assert len(ran_on) <= 3


def test_a_pass_collects_garbage_less_often_and_leaves_the_process_as_it_was(
    devices: Callable[..., Device],
) -> None:
    school = devices("school1")
    create(school, 2)
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    assert school.engine.sync(progress=lambda *_: during.append(gc.get_threshold())).ok
    assert during
    assert all(each[0] >= PASS_YOUNG_THRESHOLD and each[1:] == before[1:] for each in during)
    assert gc.get_threshold() == before
    # Also after a pass that failed.
    create(school)
    school.transport.scripted.append(Fault.UPGRADE_REQUIRED)
    assert school.engine.sync().outcome is SyncOutcome.UPGRADE_REQUIRED
    assert gc.get_threshold() == before


def test_batches_on_their_way_together_never_share_a_record(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 4)
    for record_id in ids[:2]:
        school.store.submit(record_id, "school1")  # queued behind the record's save
    school.engine.batch_size = 3
    assert school.engine.sync().ok
    # Three saves, then (while they are on their way) the fourth alone: the submits wait for
    # the answers to their records' saves, whose revision they build on.
    assert len(set(school.transport.push_keys)) == 3
    hub_records = live_hub.records("school1")
    assert {record_id: hub_records[record_id].status for record_id in ids} == {
        ids[0]: RecordStatus.SUBMITTED,
        ids[1]: RecordStatus.SUBMITTED,
        ids[2]: RecordStatus.DRAFT,
        ids[3]: RecordStatus.DRAFT,
    }
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())
    assert_matches_hub(school, hub_records)


def test_a_hub_that_stops_answering_stalls_the_pass_and_the_batch_goes_again_later(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = create(school, 2)
    school.transport.delay = 1.0
    school.transport.scripted.extend([None, Fault.DELAY])  # GET /forms, then the push
    school.engine.stall_timeout = 0.2
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.STALLED
    assert "stopped answering" in summary.message("en")
    assert summary.pending == 2
    school.engine.stall_timeout = 30
    assert school.engine.sync().ok
    assert set(live_hub.records("school1")) == set(ids)
    assert len(set(school.transport.push_keys)) == 1
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())


def test_no_network_is_an_outcome_not_an_exception(tmp_path: Path) -> None:
    from sync.store import Store

    with Store.open(tmp_path / "s.db") as store:
        unreachable = HubClient(
            "http://127.0.0.1:9",
            token_store=MemoryTokenStore("t"),
            retry=FAST_RETRY,
            sleep=lambda _: None,
        )
        summary = SyncEngine(store, unreachable).sync()
    assert summary.outcome is SyncOutcome.OFFLINE
    assert "network" in summary.message("en")


def test_reference_data_is_cached_and_fetched_again_only_when_it_changed(
    devices: Callable[..., Device], tmp_path: Path
) -> None:
    school = devices("school1")
    school.engine.reference = ReferenceCache(tmp_path / "reference.json")
    assert school.engine.sync().reference_updated
    _, reference = school.engine.reference.load()
    assert reference is not None and "3150010301" in {org.code for org in reference.orgs}
    # Within the refresh interval a pass does not ask; after it, the hub answers 304.
    school.transport.requests.clear()
    assert not school.engine.sync().reference_updated
    assert "GET /reference" not in school.transport.requests
    school.engine.reference_refresh_interval = 0
    assert not school.engine.sync().reference_updated
    assert school.transport.requests.count("GET /reference") == 1


def test_a_pass_with_nothing_to_do_makes_one_request_and_writes_nothing(
    devices: Callable[..., Device], tmp_path: Path
) -> None:
    school = devices("school1")
    school.engine.reference = ReferenceCache(tmp_path / "reference.json")
    create(school, 2)
    first = school.engine.sync()
    assert first.ok and first.pushed == 2
    watcher = sqlite3.connect(school.path)
    data_version = watcher.execute("PRAGMA data_version").fetchone()[0]
    school.transport.requests.clear()
    idle = school.engine.sync()
    assert (idle.outcome, idle.pushed, idle.pulled) == (SyncOutcome.SYNCED, 0, 0)
    assert school.transport.requests == ["GET /sync/pull"]
    # Another connection would see any commit of the store's as a new data_version.
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == data_version
    assert idle.last_sync_at is not None and first.last_sync_at is not None
    assert idle.last_sync_at >= first.last_sync_at
    # The time is stored again once the stored one is a minute old.
    state = school.store.sync_state()
    an_hour_ago = idle.last_sync_at - datetime.timedelta(hours=1)
    school.store.set_sync_state(dataclasses.replace(state, last_sync_at=an_hour_ago))
    later = school.engine.sync()
    assert school.store.sync_state().last_sync_at == later.last_sync_at
    watcher.close()


def _internship_v2() -> forms.FormDefinition:
    definition: dict[str, Any] = forms.bundled_definitions()["internship"].to_json()
    definition["version"] = 2
    definition["fields"].append(
        {"name": "mentor_wechat", "type": "text", "label": {"zh": "导师微信", "en": "WeChat"}}
    )
    return forms.load_definition(definition)


def test_a_form_published_on_the_hub_reaches_the_store_before_its_records(
    devices: Callable[..., Device], live_hub: LiveHub, loopback: LoopbackServer
) -> None:
    school = devices("school1")
    publish_form(live_hub.hub.db, _internship_v2())
    restarted = Hub(live_hub.hub.db, live_hub.hub.auth)
    loopback.serve(restarted)
    summary = school.engine.sync()
    assert summary.forms_added == ("internship v2",)
    assert ("internship", 2) in school.store.registry
    record_id = school.store.save(
        "internship", None, SAMPLES.fields("internship") | {"mentor_wechat": "wx1"}, "school1"
    ).record_id
    assert school.engine.sync().ok
    assert live_hub.records("school1")[record_id].fields["mentor_wechat"] == "wx1"


def test_an_unknown_form_version_in_a_pulled_page_fetches_the_forms_first(
    devices: Callable[..., Device], live_hub: LiveHub, loopback: LoopbackServer
) -> None:
    school = devices("school1")
    assert school.engine.sync().ok  # forms checked: the next check would be an hour away
    publish_form(live_hub.hub.db, _internship_v2())
    loopback.serve(Hub(live_hub.hub.db, live_hub.hub.auth))
    other = devices("school1")
    other.engine.sync()
    record_id = other.store.save(
        "internship", None, SAMPLES.fields("internship") | {"mentor_wechat": "wx2"}, "school1"
    ).record_id
    assert other.engine.sync().ok
    summary = school.engine.sync()
    assert summary.ok and summary.forms_added == ("internship v2",)
    assert school.store.get(record_id).fields["mentor_wechat"] == "wx2"


def test_the_hub_answering_garbage_is_reported_not_raised(devices: Callable[..., Device]) -> None:
    school = devices("school1")
    create(school)

    school.transport.scripted.append(Fault.GARBAGE)
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.HUB_REFUSED
    assert summary.pending == 1


def test_an_edit_the_hub_rejects_keeps_its_values_when_the_newer_version_arrives(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = create(first)[0]
    first.engine.sync()
    second.engine.sync()
    first.store.delete(record_id, "school1")
    first.engine.sync()
    edited = wire_fields(second.store, record_id) | {"notes": "删除前补充的说明"}
    second.store.save("internship", record_id, edited, "school1")
    summary = second.engine.sync()
    assert (summary.rejected, summary.pulled) == (1, 1)
    kept = second.store.get(record_id)
    assert kept.needs_attention
    assert kept.fields["notes"] == "删除前补充的说明"
    assert kept.rev == live_hub.records("school1")[record_id].rev


def test_a_delete_that_conflicts_brings_the_record_back_with_the_conflict(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    first, second = devices("school1"), devices("school1")
    record_id = create(first)[0]
    first.engine.sync()
    second.engine.sync()
    edited = wire_fields(first.store, record_id) | {"notes": "补充了实习单位联系人"}
    first.store.save("internship", record_id, edited, "school1")
    first.engine.sync()
    second.store.delete(record_id, "school1")
    summary = second.engine.sync()
    assert summary.conflicts == 1
    assert not live_hub.records("school1")[record_id].deleted
    back = second.store.get(record_id)
    assert back.conflict is not None
    assert not back.deleted, "nothing of a conflicting delete is applied"


def test_a_record_with_an_open_conflict_is_not_deleted_until_it_is_resolved(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    # A delete queued behind the conflict would wait for ever (a deleted record cannot be
    # resolved): the store refuses it, and after resolving the delete goes through.
    first, second = devices("school1"), devices("school1")
    record_id = first.store.save("internship", None, {"student_name": "张三"}, "school1").record_id
    assert first.engine.sync().ok and second.engine.sync().ok
    fields = wire_fields(first.store, record_id) | {"position": "焊工"}
    first.store.save("internship", record_id, fields, "school1")
    assert first.engine.sync().ok
    second.store.delete(record_id, "school1")
    assert second.engine.sync().ok
    assert second.store.get(record_id).conflict is not None

    with pytest.raises(OperationRefusedError) as refused:
        second.store.delete(record_id, "school1")
    assert refused.value.code == "has_conflict"

    second.store.resolve(record_id, wire_fields(second.store, record_id), "school1")
    second.store.delete(record_id, "school1")
    assert second.engine.sync().ok
    assert live_hub.records("school1")[record_id].deleted
    assert not second.store.get(record_id).pending


def test_an_unexpected_error_ends_the_pass_with_a_summary_that_keeps_the_queue(
    devices: Callable[..., Device],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    device = devices("school1")
    device.store.save("internship", None, SAMPLES.fields("internship"), "school1")

    def overflowing(*args: Any, **kwargs: Any) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(device.store, "apply_pull_page", overflowing)
    summary = device.engine.sync()
    assert summary.outcome is SyncOutcome.UNEXPECTED
    assert summary.pushed == 1  # what went before the failure stays done
    for language in ("zh-CN", "en"):
        words = summary.message(language)
        # The data is fine: nothing may suggest restoring a backup, which loses newer work.
        assert "备份" not in words and "backup" not in words.lower()
    assert "未同步的数据仍保留在本机" in summary.message("zh-CN")
    assert "OverflowError" in caplog.text  # the traceback is in the log for IT
    monkeypatch.undo()
    assert device.engine.sync().ok
