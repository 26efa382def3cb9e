"""Fault injection: a real hub on loopback behind a transport that drops requests, loses answers
after the hub committed, duplicates, delays, answers 500 and 429, and times out.

Once the faults stop, every client converges to the hub's state, no mutation is applied twice
and nothing acknowledged is lost.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from sync.engine import SyncOutcome
from sync.hub.pull import decode_cursor
from sync.protocol import Decision, RecordStatus
from sync.samples import SampleFactory
from sync.store import RecordNotFoundError
from tests.sync.engine.conftest import (
    NETWORK_FAULTS,
    Device,
    Fault,
    FaultyTransport,
    LiveHub,
    assert_matches_hub,
    wire_fields,
)

SAMPLES = SampleFactory(seed=17)


def assert_each_mutation_applied_at_most_once(live_hub: LiveHub) -> None:
    doubled = {m: n for m, n in live_hub.revisions_per_mutation().items() if n > 1}
    assert doubled == {}


@pytest.mark.parametrize("fault", NETWORK_FAULTS, ids=lambda fault: fault.name.lower())
def test_a_push_meeting_a_fault_is_retried_with_the_same_key_and_applied_once(
    fault: Fault, devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = [
        school.store.save("internship", None, SAMPLES.fields("internship"), "school1").record_id
        for _ in range(3)
    ]
    school.transport.scripted.extend([None, fault])  # GET /forms passes; the push meets it
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.SYNCED, summary.message("en")
    assert school.transport.faults[fault] == 1
    assert len(set(school.transport.push_keys)) == 1
    hub_records = live_hub.records("school1")
    assert set(hub_records) == set(ids)
    assert {record.rev for record in hub_records.values()} == {1}
    assert_each_mutation_applied_at_most_once(live_hub)
    assert_matches_hub(school, hub_records)


def test_answers_lost_on_every_retry_leave_the_batch_for_the_next_pass(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    record_id = school.store.save(
        "internship", None, SAMPLES.fields("internship"), "school1"
    ).record_id
    school.transport.scripted.extend([None] + [Fault.DROP_RESPONSE] * 4)
    failed = school.engine.sync()
    assert failed.outcome is SyncOutcome.OFFLINE
    assert failed.pending == 1
    assert live_hub.records("school1")[record_id].rev == 1  # the hub did commit it
    # Meanwhile the user edits again: the sent batch stays as it was, the edit queues behind.
    fields = wire_fields(school.store, record_id) | {"notes": "断网后补充"}
    school.store.save("internship", record_id, fields, "school1")
    school.reopen()
    after_crash = school.engine.sync()
    assert after_crash.outcome is SyncOutcome.SYNCED
    assert (after_crash.pushed, after_crash.applied) == (2, 2)
    assert len(set(school.transport.push_keys[:5])) == 1
    hub_record = live_hub.records("school1")[record_id]
    assert (hub_record.rev, hub_record.fields["notes"]) == (2, "断网后补充")
    assert_each_mutation_applied_at_most_once(live_hub)


def test_a_pull_cut_off_part_way_keeps_its_pages_and_resumes_from_its_cursor(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    writer = devices("school1")
    for _ in range(25):
        writer.store.save("internship", None, SAMPLES.fields("internship", "draft"), "school1")
    assert writer.engine.sync().ok
    reader = devices("school1")
    reader.engine.pull_limit = 4
    # GET /forms and two pages pass; every attempt at the third page loses its answer.
    reader.transport.scripted.extend([None, None, None] + [Fault.DROP_RESPONSE] * 4)
    cut_off = reader.engine.sync()
    assert (cut_off.outcome, cut_off.pulled) == (SyncOutcome.OFFLINE, 8)
    stored_cursor = decode_cursor(reader.store.sync_state().cursor)
    assert stored_cursor > decode_cursor(None)
    reader.transport.rate = 0.8
    cursors = [stored_cursor]
    for _ in range(5):
        reader.engine.sync()
        cursors.append(decode_cursor(reader.store.sync_state().cursor))
    reader.transport.off()
    assert reader.engine.sync().ok
    assert cursors == sorted(cursors)
    assert_matches_hub(reader, live_hub.records("school1"))


class Storm:
    """Three machines (two at school S1, the county) editing through a flaky network."""

    def __init__(self, devices: Callable[..., Device], seed: int) -> None:
        self.random = random.Random(seed)
        self.desks = [
            devices("school1", FaultyTransport(rate=0.6, seed=seed)),
            devices("school1", FaultyTransport(rate=0.6, seed=seed + 1)),
        ]
        self.county = devices("county", FaultyTransport(rate=0.6, seed=seed + 2))
        for device in self.everyone():
            # Small batches: faults meet batches on their way together.
            device.engine.batch_size = 3
        # The values each record should end with: one machine edits each record.
        self.expected: dict[str, dict[str, Any]] = {}
        self.owner: dict[str, Device] = {}
        self.deleted: set[str] = set()

    def edit(self, desk: Device) -> None:
        mine = [r for r, owner in self.owner.items() if owner is desk and r not in self.deleted]
        editable = [
            r
            for r in mine
            if desk.store.get(r).status in (RecordStatus.DRAFT, RecordStatus.RETURNED)
        ]
        choice = self.random.random()
        if editable and choice < 0.4:
            record_id = self.random.choice(editable)
            fields = self.expected[record_id] | {"notes": f"第{self.random.randrange(1000)}次修改"}
            desk.store.save("internship", record_id, fields, desk.username)
            self.expected[record_id] = fields
        elif editable and choice < 0.55:
            record_id = self.random.choice(editable)
            desk.store.submit(record_id, desk.username)
        elif editable and choice < 0.6:
            record_id = self.random.choice(editable)
            desk.store.delete(record_id, desk.username)
            self.deleted.add(record_id)
        else:
            fields = SAMPLES.fields("internship")
            record_id = desk.store.save("internship", None, fields, desk.username).record_id
            self.expected[record_id] = fields
            self.owner[record_id] = desk

    def review(self) -> None:
        for record_id in list(self.expected):
            try:
                record = self.county.store.get(record_id)
            except RecordNotFoundError:
                continue
            if record.status is RecordStatus.SUBMITTED and not record.pending:
                self.county.store.review(record_id, Decision.APPROVE, "county")

    def everyone(self) -> list[Device]:
        return [*self.desks, self.county]


def test_three_machines_converge_after_a_storm_of_faults(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    storm = Storm(devices, seed=2026)
    outcomes: list[SyncOutcome] = []
    for _ in range(8):
        for desk in storm.desks:
            for _ in range(4):
                storm.edit(desk)
        storm.review()
        for device in storm.everyone():
            outcomes.append(device.engine.sync().outcome)
    faults = sum(sum(device.transport.faults.values()) for device in storm.everyone())
    assert faults > 20
    assert {SyncOutcome.OFFLINE, SyncOutcome.HUB_UNAVAILABLE} & set(outcomes)
    assert set(outcomes) <= {SyncOutcome.SYNCED, SyncOutcome.OFFLINE, SyncOutcome.HUB_UNAVAILABLE}
    for device in storm.everyone():
        device.transport.off()
    for _ in range(2):
        for device in storm.everyone():
            assert device.engine.sync().ok
    for desk in storm.desks:
        assert_matches_hub(desk, live_hub.records("school1"))
    assert_matches_hub(storm.county, live_hub.records("county"))
    hub_records = live_hub.records("school1")
    for record_id, fields in storm.expected.items():
        if record_id in storm.deleted:
            # Deleted before the hub ever saw it: it never leaves this machine.
            assert record_id not in hub_records or hub_records[record_id].deleted
        else:
            assert hub_records[record_id].fields == fields, record_id
    assert_each_mutation_applied_at_most_once(live_hub)
