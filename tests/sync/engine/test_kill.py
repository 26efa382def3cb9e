"""kill -9: a client process syncing 5,000 records is killed at random moments 20 times and
restarted; at the end its store equals the hub's and the hub holds every record once, each saved
exactly once.

Nothing here forks: the test process runs the session's loopback hub in a thread, and a child
forked while that thread held a lock (SQLite's allocator, the GIL's helpers) hung in
sqlite3.connect (1 run in 5 in CI). The hub these clients sync with runs in a process of its
own on the test's hub database, and the clients are started with subprocess; each says "ready"
once its imports are done, so the kills land in the sync and not in Python's start-up."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sync.samples import SampleFactory
from tests.sync.engine.conftest import LOOPBACK, Device, LiveHub, assert_matches_hub, open_store

RECORDS = 5_000
KILLS = 20
ROOT = Path(__file__).resolve().parents[3]


def _python(module: str, *args: str, **options: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, **options
    )


@pytest.fixture
def hub_process(live_hub: LiveHub) -> Iterator[str]:
    """The URL of a hub process serving live_hub's database."""
    database = str(live_hub.hub.db.engine.url.database)
    server = _python("tests.sync.engine.hub_process", database)
    assert server.stdout is not None
    port = int(server.stdout.readline())
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 30
    while True:  # the port is printed just before uvicorn listens on it
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=30)


def _start_syncing_client(store_path: Path, hub_url: str, token: str) -> subprocess.Popen[bytes]:
    """A client process that syncs the store until a pass succeeds, once it says it is ready."""
    child = _python("tests.sync.engine.sync_child", str(store_path), hub_url, token)
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    return child


@pytest.mark.slow
def test_a_client_killed_again_and_again_while_syncing_ends_equal_to_the_hub(
    devices: Callable[..., Device], live_hub: LiveHub, hub_process: str
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
        child = _start_syncing_client(school.path, hub_process, token)
        time.sleep(moments.uniform(0.02, 0.3))
        os.kill(child.pid, signal.SIGKILL)
        exits.append(child.wait())
    assert exits.count(-signal.SIGKILL) > KILLS // 2, "most kills should land mid-sync"
    last = _start_syncing_client(school.path, hub_process, token)
    assert last.wait(timeout=600) == 0
    school.store = open_store(school.path)
    hub_records = live_hub.records("school1")
    assert set(hub_records) == ids
    assert {record.rev for record in hub_records.values()} == {1}
    assert all(count == 1 for count in live_hub.revisions_per_mutation().values())
    assert school.store.pending_count() == 0
    assert_matches_hub(school, hub_records)
