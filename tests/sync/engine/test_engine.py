"""One sync pass against a real hub on loopback: phases, outcomes, progress, cancellation."""

from __future__ import annotations

from collections.abc import Callable

from sync.engine import SyncOutcome
from sync.samples import SampleFactory
from tests.sync.engine.conftest import Device, LiveHub, assert_matches_hub

SAMPLES = SampleFactory(seed=5)


def test_a_pass_pushes_new_records_and_pulls_them_back(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    ids = [
        school.store.save("internship", None, SAMPLES.fields("internship"), "school1").record_id
        for _ in range(3)
    ]
    summary = school.engine.sync()
    assert summary.outcome is SyncOutcome.SYNCED, summary.message("en")
    assert (summary.pushed, summary.applied, summary.pulled) == (3, 3, 3)
    hub_records = live_hub.records("school1")
    assert set(hub_records) == set(ids)
    assert_matches_hub(school, hub_records)
