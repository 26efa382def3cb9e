"""A hypothesis state machine: two machines at school S1 and one at its county edit, submit,
review, delete, push, pull, crash and meet network faults against one real hub.

Invariants: after a fault-free full sync every machine equals the hub within its scope, except
a record whose change the hub refused (needs attention): it holds that change on the hub's
latest revision until its user acts, and equals the hub once the user gives the change up
(take_hub_version); every mutation is applied at most once;
every value a user entered is in the current record, in the hub's history (superseded by a later
edit), in a conflict, or still on the user's machine (queued or needing attention) — never
silently gone; a value the hub's history replaced never comes
back in a later revision (only an edit made from an older base would bring it back: users enter
new values); cursors only move forward; no deleted record comes back.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from sync.engine import SyncOutcome
from sync.hub import schema
from sync.hub.pull import decode_cursor
from sync.protocol import Decision, RecordStatus
from sync.samples import SampleFactory
from sync.store import OperationRefusedError, RecordNotFoundError, StoredRecord
from tests.sync.engine.conftest import (
    Device,
    FaultyTransport,
    LiveHub,
    LoopbackServer,
    fresh_hub,
    open_device,
    wire_fields,
)

DESKS = ("desk_a", "desk_b")
MACHINES = (*DESKS, "county")
EDITED_FIELDS = ("notes", "position", "class_name")
EDITABLE = (RecordStatus.DRAFT, RecordStatus.RETURNED)
FULL_SYNC_ROUNDS = 6
BATCH_SIZE = 2
NETWORK_OUTCOMES = (SyncOutcome.SYNCED, SyncOutcome.OFFLINE, SyncOutcome.HUB_UNAVAILABLE)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self, server: LoopbackServer, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        directory.mkdir(parents=True)
        hub = fresh_hub(directory)
        server.serve(hub)
        self.live = LiveHub(server.url, hub)
        self.machines: dict[str, Device] = {
            name: open_device(
                self.live,
                "county" if name == "county" else "school1",
                directory / f"{name}.db",
                FaultyTransport(seed=index),
                # Small batches: several on their way at once, and open ones at a crash.
                batch_size=BATCH_SIZE,
            )
            for index, name in enumerate(MACHINES)
        }
        self.samples = SampleFactory(seed=7)
        self.values = itertools.count()
        # The last value each machine entered in each field of each record.
        self.entered: dict[tuple[str, str, str], Any] = {}
        self.cursors: dict[str, tuple[int, ...]] = {name: (0, 0) for name in MACHINES}
        # The deleted records each machine has heard of from the hub.
        self.tombstones: dict[str, set[str]] = {name: set() for name in MACHINES}
        self.created: list[str] = []

    def teardown(self) -> None:
        try:
            self.full_sync()
        finally:
            for machine in self.machines.values():
                machine.close()
            self.live.hub.db.dispose()

    # What users do --------------------------------------------------------------------------

    def _local(self, name: str, record_id: str) -> StoredRecord | None:
        try:
            return self.machines[name].store.get(record_id)
        except RecordNotFoundError:
            return None

    def _pick(
        self, data: st.DataObject, name: str, usable: Callable[[StoredRecord], bool]
    ) -> StoredRecord | None:
        """One of the records on machine `name` that `usable` accepts, or None."""
        candidates = [
            record
            for record in (self._local(name, record_id) for record_id in self.created)
            if record is not None and not record.deleted and usable(record)
        ]
        return data.draw(st.sampled_from(candidates)) if candidates else None

    def _create(self, desk: str) -> str:
        fields = self.samples.fields("internship")
        record_id = self.machines[desk].store.save("internship", None, fields, "school1").record_id
        for field in EDITED_FIELDS:
            self.entered[(desk, record_id, field)] = fields.get(field)
        self.created.append(record_id)
        return record_id

    @initialize()
    def records_everyone_has(self) -> None:
        """Three records on every machine (one submitted, so the county has it too)."""
        first, *_ = [self._create("desk_a") for _ in range(3)]
        self.machines["desk_a"].store.submit(first, "school1")
        for name in MACHINES:
            assert self.machines[name].engine.sync().ok
        for machine in self.machines.values():
            machine.transport.rate = 0.2

    @rule(desk=st.sampled_from(DESKS))
    def create(self, desk: str) -> None:
        self._create(desk)

    @rule(name=st.sampled_from(MACHINES), field=st.sampled_from(EDITED_FIELDS), data=st.data())
    def edit(self, name: str, field: str, data: st.DataObject) -> None:
        allowed = EDITABLE if name in DESKS else (*EDITABLE, RecordStatus.SUBMITTED)
        record = self._pick(data, name, lambda r: r.status in allowed)
        if record is None:
            return
        machine = self.machines[name]
        value = f"{name}-{next(self.values)}"
        fields = wire_fields(machine.store, record.id) | {field: value}
        machine.store.save("internship", record.id, fields, machine.username)
        self.entered[(name, record.id, field)] = value

    @rule(desk=st.sampled_from(DESKS), data=st.data())
    def submit_or_withdraw(self, desk: str, data: st.DataObject) -> None:
        store = self.machines[desk].store
        record = self._pick(data, desk, lambda r: r.status is not RecordStatus.APPROVED)
        if record is None:
            return
        with contextlib.suppress(OperationRefusedError):
            if record.status is RecordStatus.SUBMITTED:
                store.withdraw(record.id, "school1")
            else:
                store.submit(record.id, "school1")

    @rule(decision=st.sampled_from(Decision), data=st.data())
    def review(self, decision: Decision, data: st.DataObject) -> None:
        wanted = RecordStatus.APPROVED if decision is Decision.REOPEN else RecordStatus.SUBMITTED
        record = self._pick(data, "county", lambda r: r.status is wanted)
        if record is None:
            return
        comment = None if decision is Decision.APPROVE else "请补充材料"
        with contextlib.suppress(OperationRefusedError):
            self.machines["county"].store.review(record.id, decision, "county", comment)

    @rule(desk=st.sampled_from(DESKS), data=st.data())
    def delete(self, desk: str, data: st.DataObject) -> None:
        record = self._pick(data, desk, lambda r: r.status in EDITABLE)
        if record is not None:
            with contextlib.suppress(OperationRefusedError):
                self.machines[desk].store.delete(record.id, "school1")

    def _resolve(self, name: str, record_id: str) -> None:
        """The user keeps their own values for the conflicting fields."""
        record = self._local(name, record_id)
        if record is not None and record.conflict is not None and not record.deleted:
            machine = self.machines[name]
            fields = wire_fields(machine.store, record_id)
            machine.store.resolve(record_id, fields, machine.username)

    @rule(name=st.sampled_from(MACHINES), data=st.data())
    def resolve(self, name: str, data: st.DataObject) -> None:
        record = self._pick(data, name, lambda r: r.conflict is not None)
        if record is not None:
            self._resolve(name, record.id)

    # What machines and networks do ----------------------------------------------------------

    @rule(name=st.sampled_from(MACHINES))
    def sync(self, name: str) -> None:
        machine = self.machines[name]
        summary = machine.engine.sync()
        # Network faults may stop a pass; nothing else may.
        assert summary.outcome in NETWORK_OUTCOMES, summary.message("en")
        self._after_pass(name)

    def _after_pass(self, name: str) -> None:
        cursor = self.machines[name].store.sync_state().cursor
        position = decode_cursor(cursor)
        assert position >= self.cursors[name], "a cursor moved back"
        self.cursors[name] = position
        for record_id in self.created:
            record = self._local(name, record_id)
            if record is None or record.pending or record.rev == 0 or record.needs_attention:
                continue
            # A delete answered with a conflict was not applied: not a tombstone.
            if record.deleted and record.conflict is None:
                self.tombstones[name].add(record_id)

    @rule(name=st.sampled_from(MACHINES), field=st.sampled_from(EDITED_FIELDS), data=st.data())
    def act_on_rejection(self, name: str, field: str, data: st.DataObject) -> None:
        """The user fixes a record the hub refused, on what their machine shows: the hub must
        merge the edit with what it has, not take the values the user left for edits."""
        allowed = EDITABLE if name in DESKS else (*EDITABLE, RecordStatus.SUBMITTED)
        record = self._pick(data, name, lambda r: r.needs_attention and r.status in allowed)
        if record is None:
            return
        machine = self.machines[name]
        value = f"{name}-{next(self.values)}"
        fields = wire_fields(machine.store, record.id) | {field: value}
        machine.store.save("internship", record.id, fields, machine.username)
        self.entered[(name, record.id, field)] = value

    @rule(name=st.sampled_from(MACHINES))
    def crash(self, name: str) -> None:
        self.machines[name].reopen()

    @rule(name=st.sampled_from(MACHINES), rate=st.sampled_from([0.0, 0.5, 0.9]))
    def network(self, name: str, rate: float) -> None:
        self.machines[name].transport.rate = rate

    @invariant()
    def no_deleted_record_comes_back(self) -> None:
        for name, tombstones in self.tombstones.items():
            for record_id in tombstones:
                record = self._local(name, record_id)
                assert record is not None and record.deleted, f"{record_id} came back on {name}"

    # The fault-free full sync and what must hold after it -------------------------------------

    def full_sync(self) -> None:
        for machine in self.machines.values():
            machine.transport.off()
        for _ in range(FULL_SYNC_ROUNDS):
            pushed = 0
            for name, machine in self.machines.items():
                for record_id in self.created:
                    self._resolve(name, record_id)
                summary = machine.engine.sync()
                assert summary.ok, summary.message("en")
                self._after_pass(name)
                pushed += summary.pushed
            if pushed == 0:
                break
        else:
            pytest.fail("the machines did not settle")
        self.assert_no_value_silently_gone()
        self.assert_every_mutation_applied_at_most_once()
        self.assert_no_replaced_value_comes_back()
        # Last: it gives up the changes the hub refused, which the checks above look for.
        self.assert_everyone_equals_the_hub()

    def assert_everyone_equals_the_hub(self) -> None:
        """Every record in a machine's scope is the hub's, but one whose change the hub refused
        (needs attention): it holds that change, on the hub's latest revision, until its user
        acts. Giving the change up (take_hub_version) then leaves the hub's record exactly."""
        for name, machine in self.machines.items():
            in_scope = self.live.records(machine.username)
            for record_id, hub_record in in_scope.items():
                mine = machine.store.get(record_id)
                if mine.needs_attention:
                    assert mine.rev == hub_record.rev, f"{record_id} on {name} is behind the hub"
                    machine.store.take_hub_version(record_id, machine.username)
                    mine = machine.store.get(record_id)
                hub_fields = {k: v for k, v in hub_record.fields.items() if v is not None}
                local = (mine.rev, mine.status, mine.deleted, mine.pending)
                hub = (hub_record.rev, hub_record.status, hub_record.deleted, False)
                assert local == hub, f"{record_id} on {name}: {local} != {hub}"
                assert wire_fields(machine.store, record_id) == hub_fields, f"{record_id} on {name}"
            for record_id in set().union(*self.tombstones.values()):
                came_back = record_id in in_scope and not in_scope[record_id].deleted
                assert not came_back, f"{record_id} came back on the hub: {self._story(record_id)}"

    def _story(self, record_id: str) -> list[tuple[object, ...]]:
        """The hub's changes of a record: (rev, op, user), for failure messages."""
        changes = schema.changes
        with self.live.hub.db.read() as connection:
            rows = connection.execute(
                select(changes.c.rev, changes.c.op, changes.c.username)
                .where(changes.c.record_id == record_id)
                .order_by(changes.c.seq)
            ).all()
        return [tuple(row) for row in rows]

    def assert_every_mutation_applied_at_most_once(self) -> None:
        doubled = {m: n for m, n in self.live.revisions_per_mutation().items() if n > 1}
        assert doubled == {}

    def assert_no_value_silently_gone(self) -> None:
        for (name, record_id, field), value in self.entered.items():
            if value is None:
                continue
            local = self._local(name, record_id)
            seen = self.live.values_held_or_refused(record_id)
            if local is not None and (local.needs_attention or local.pending):
                seen.append(wire_fields(self.machines[name].store, record_id))
            if not seen and local is not None and local.deleted and local.rev == 0:
                continue  # deleted by its user before the hub ever saw it
            assert any(values.get(field) == value for values in seen), (
                f"{name} entered {field}={value!r} in {record_id}; it is nowhere"
            )

    def assert_no_replaced_value_comes_back(self) -> None:
        """Users enter new values: one the hub's history replaced that turns up again in a
        later revision was sent by an edit made from an older base, as if its user had changed
        it back, over another user's change."""
        for record_id in self.created:
            for field in EDITED_FIELDS:
                replaced: set[Any] = set()
                current: Any = None
                for revision, fields in enumerate(self.live.revisions(record_id), 1):
                    value = fields.get(field)
                    if value != current:
                        assert value is None or value not in replaced, (
                            f"{field}={value!r} of {record_id} came back in revision {revision}"
                            f": {self._story(record_id)}"
                        )
                        if current is not None:
                            replaced.add(current)
                        current = value


@pytest.mark.slow
def test_three_machines_always_converge_and_never_lose_an_edit(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    examples = itertools.count()
    run_state_machine_as_test(
        lambda: SyncMachine(loopback, tmp_path / f"example-{next(examples)}"),
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
