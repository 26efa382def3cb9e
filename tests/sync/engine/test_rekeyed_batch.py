"""A batch the hub holds under its key for another body goes again under a new key. Between the
two, its mutations stay taken: the hub may have applied them already, so a later edit must not be
folded into one of them (the hub would answer that id from its record and the edit would be
gone) and a delete must not be taken for one of a record never sent."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest

from sync.engine import SyncOutcome
from sync.store import OutboxBatch, Store
from tests.sync.engine.conftest import Device, LiveHub, wire_fields


def cancel_right_after_rekeying(device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the first mutation of the next batch under its key with a shorter body (as an older
    app version would have sent it), then run a pass that is cancelled once the engine gave the
    batch its new key: the batch is left unanswered."""
    store = device.store
    batch = store.next_batch()
    assert batch is not None and len(batch.entries) == 2
    client_id = uuid.UUID(store.sync_state().client_id)
    device.client.push(client_id, batch.mutations()[:1], uuid.UUID(batch.key))

    cancel = threading.Event()
    rekey = Store.rekey_batch

    def rekey_then_cancel(self: Store, unanswered: OutboxBatch) -> None:
        rekey(self, unanswered)
        cancel.set()

    monkeypatch.setattr(Store, "rekey_batch", rekey_then_cancel)
    assert device.engine.sync(cancel=cancel).outcome is SyncOutcome.CANCELLED
    monkeypatch.undo()


def test_an_edit_after_a_rekeyed_batch_reaches_the_hub(
    devices: Callable[..., Device], live_hub: LiveHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = devices("school1")
    store = school.store
    first = store.save(
        "internship", None, {"student_name": "张三", "notes": "v1"}, "school1"
    ).record_id
    store.save("internship", None, {"student_name": "李四"}, "school1")
    cancel_right_after_rekeying(school, monkeypatch)

    fields = wire_fields(store, first) | {"notes": "v2 typed after"}
    store.save("internship", first, fields, "school1")
    assert school.engine.sync().ok

    assert store.get(first).fields["notes"] == "v2 typed after"
    assert "v2 typed after" in [v.get("notes") for v in live_hub.values_held_or_refused(first)]
    assert live_hub.records("school1")[first].fields["notes"] == "v2 typed after"


def test_a_delete_after_a_rekeyed_batch_reaches_the_hub(
    devices: Callable[..., Device], live_hub: LiveHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = devices("school1")
    store = school.store
    first = store.save("internship", None, {"student_name": "张三"}, "school1").record_id
    store.save("internship", None, {"student_name": "李四"}, "school1")
    cancel_right_after_rekeying(school, monkeypatch)

    store.delete(first, "school1")
    assert school.engine.sync().ok

    assert store.get(first).deleted
    assert live_hub.records("school1")[first].deleted
