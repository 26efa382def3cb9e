"""kill -9: a client process syncing 5,000 records is killed at random moments 20 times and
restarted; at the end its store equals the hub's and the hub holds every record once, each saved
exactly once. The client processes are forked from the test, so the kills land in the sync and
not in Python's start-up."""

from __future__ import annotations

import os
import random
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.samples import SampleFactory
from tests.sync.engine.conftest import Device, LiveHub, assert_matches_hub, open_store
from tests.sync.engine.sync_child import sync_until_done

RECORDS = 5_000
KILLS = 20


def _fork_syncing_client(store_path: Path, hub_url: str, token: str) -> tuple[int, int]:
    """A forked client process (no interpreter start-up to wait for) that syncs the store
    until a pass succeeds; returns its pid and a pipe that says when it has begun."""
    ready, said = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(ready)
            os.write(said, b"ready")
            os.close(said)
            status = sync_until_done(store_path, hub_url, token)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(said)
    return pid, ready


def _exit_status(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.slow
def test_a_client_killed_again_and_again_while_syncing_ends_equal_to_the_hub(
    devices: Callable[..., Device], live_hub: LiveHub
) -> None:
    school = devices("school1")
    samples = SampleFactory(seed=9)
    distinct = [samples.fields("internship") for _ in range(100)]
    ids = {
        school.store.save("internship", None, distinct[n % 100], "school1").record_id
        for n in range(RECORDS)
    }
    school.store.close()
    token = school.tokens.token
    assert token is not None
    moments = random.Random(5)
    exits = []
    for _ in range(KILLS):
        pid, ready = _fork_syncing_client(school.path, live_hub.url, token)
        assert os.read(ready, 5) == b"ready"
        os.close(ready)
        time.sleep(moments.uniform(0.02, 0.3))
        os.kill(pid, signal.SIGKILL)
        exits.append(_exit_status(pid))
    assert exits.count(-signal.SIGKILL) > KILLS // 2, "most kills should land mid-sync"
    pid, ready = _fork_syncing_client(school.path, live_hub.url, token)
    assert os.read(ready, 5) == b"ready"
    os.close(ready)
    assert _exit_status(pid) == 0
    school.store = open_store(school.path)
    hub_records = live_hub.records("school1")
    assert set(hub_records) == ids
    assert {record.rev for record in hub_records.values()} == {1}
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())
    assert school.store.pending_count() == 0
    assert_matches_hub(school, hub_records)
