"""Benchmarks of sync.engine end to end: client store → hub (SQLite, its own process) → client
store, over loopback.

    python -m tests.bench sync

Budgets (DESIGN.md, issue 5): push 10,000 new records ≥ 6,000 records/s; initial pull of
100,000 records into an empty client ≥ 6,000 records/s; a sync with nothing to do ≤ 15 ms.
The clients keep reference data as the desktop does, so a pass with nothing to do asks for the
reference data (304), pushes nothing, pulls an empty page and records the time. Prints figures
and the load average (the machine is shared: read the figures against it); asserts nothing.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from sync.client import HubClient
from sync.engine import ReferenceCache, SyncEngine, SyncPhase, SyncSummary
from sync.hub.app import open_hub
from sync.hub.auth import Caller
from sync.protocol import MUTATION_ADAPTER, Mutation, Op, Role
from sync.samples import SampleFactory
from sync.store import Store, SyncState
from tests.sync.hub.conftest import COUNTY, FAST_HASHER, PASSWORD, S1, populate

PUSHED = 10_000
PULLED = 100_000
NOOP_RUNS = 50
DISTINCT_SAMPLES = 2_000
BUDGET_RECORDS_PER_SECOND = 6_000
BUDGET_NOOP_MS = 15.0


class MemoryTokenStore:
    def __init__(self) -> None:
        self.token: str | None = None

    def get(self) -> str | None:
        return self.token

    def set(self, token: str) -> None:
        self.token = token

    def delete(self) -> None:
        self.token = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _seed_hub(db_url: str, records: int) -> float:
    """`records` records of school S1 written through the hub's push path, in process."""
    hub = open_hub(db_url)
    hub.auth.hasher = FAST_HASHER
    hub.db.write(populate)
    school = Caller("school1", "bench", Role.SCHOOL, S1, COUNTY, "")
    factory = SampleFactory(seed=3)
    samples = [factory.fields("internship") for _ in range(DISTINCT_SAMPLES)]
    started = time.perf_counter()
    for first in range(0, records, 500):
        batch: list[Mutation] = [
            MUTATION_ADAPTER.validate_python(
                {
                    "mutation_id": str(uuid.uuid4()),
                    "record_id": str(uuid.uuid4()),
                    "op": Op.SAVE,
                    "base_rev": 0,
                    "form": "internship",
                    "form_version": 1,
                    "fields": samples[n % DISTINCT_SAMPLES],
                }
            )
            for n in range(first, min(first + 500, records))
        ]
        hub.push(school, batch, "", None, "zh")
    seconds = time.perf_counter() - started
    hub.db.dispose()
    return records / seconds


def _start_hub(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "sync.hub.app:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, "CHANJIAO_HUB_DB": db_url},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health").status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the hub did not start")


def _device(url: str, username: str, path: Path) -> tuple[Store, HubClient, SyncEngine]:
    client = HubClient(url, token_store=MemoryTokenStore())
    user = client.login(username, PASSWORD, "bench").user
    store = Store.open(path)
    state = store.sync_state()
    store.set_sync_state(
        SyncState(state.client_id, url, username, user.org, user.county or user.org)
    )
    reference = ReferenceCache(path.with_suffix(".reference.json"))
    return store, client, SyncEngine(store, client, reference=reference)


def _timed_phases(engine: SyncEngine) -> tuple[SyncSummary, dict[SyncPhase, float], float]:
    """A pass, and how long each phase took (from one progress report to the last of it)."""
    marks: list[tuple[SyncPhase, float]] = []
    started = time.perf_counter()

    def progress(phase: SyncPhase, done: int, total: int | None) -> None:
        marks.append((phase, time.perf_counter()))

    summary = engine.sync(progress=progress)
    seconds = time.perf_counter() - started
    phases: dict[SyncPhase, float] = {}
    previous = started
    for phase, at in marks:
        phases[phase] = phases.get(phase, 0.0) + at - previous
        previous = at
    return summary, phases, seconds


def _line(name: str, value: float, unit: str, budget: str, within: bool) -> None:
    verdict = "within budget" if within else "OVER BUDGET"
    print(f"   {name:<44} {value:>10,.1f} {unit:<10} budget {budget:<14} {verdict}", flush=True)


def bench_push(url: str, directory: Path) -> None:
    store, client, engine = _device(url, "school2", directory / "push.db")
    factory = SampleFactory(seed=4)
    samples = [factory.fields("internship") for _ in range(DISTINCT_SAMPLES)]
    for n in range(PUSHED):
        store.save("internship", None, samples[n % DISTINCT_SAMPLES], "school2")
    summary, phases, seconds = _timed_phases(engine)
    assert summary.ok and summary.applied == PUSHED, summary.message("en")
    push_rate = PUSHED / phases[SyncPhase.PUSH]
    _line(
        f"push {PUSHED:,} records (push phase)",
        push_rate,
        "records/s",
        f">= {BUDGET_RECORDS_PER_SECOND:,}",
        push_rate >= BUDGET_RECORDS_PER_SECOND,
    )
    whole = PUSHED / seconds
    print(f"   whole pass, pulling them back too: {whole:,.0f} records/s ({seconds:.2f} s)")
    store.close()
    client.close()


def bench_pull_and_noop(url: str, directory: Path) -> None:
    store, client, engine = _device(url, "school1", directory / "pull.db")
    summary, _, seconds = _timed_phases(engine)
    assert summary.ok and summary.pulled == PULLED, summary.message("en")
    rate = PULLED / seconds
    _line(
        f"initial pull of {PULLED:,} records (whole pass)",
        rate,
        "records/s",
        f">= {BUDGET_RECORDS_PER_SECOND:,}",
        rate >= BUDGET_RECORDS_PER_SECOND,
    )
    timings: list[float] = []
    for _ in range(NOOP_RUNS):
        started = time.perf_counter()
        summary = engine.sync()
        timings.append(time.perf_counter() - started)
        assert summary.ok and summary.pushed == summary.pulled == 0
    median = statistics.median(timings) * 1000
    p95 = sorted(timings)[int(len(timings) * 0.95)] * 1000
    _line(
        "sync with nothing to do (median)",
        median,
        "ms",
        f"<= {BUDGET_NOOP_MS:g} ms",
        median <= BUDGET_NOOP_MS,
    )
    _line(
        "sync with nothing to do (p95)",
        p95,
        "ms",
        f"<= {BUDGET_NOOP_MS:g} ms",
        p95 <= BUDGET_NOOP_MS,
    )
    store.close()
    client.close()


def main() -> None:
    print(f"   (load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as name:
        directory = Path(name)
        db_url = f"sqlite:///{directory / 'hub.sqlite3'}"
        seeded = _seed_hub(db_url, PULLED)
        print(f"   (hub seeded with {PULLED:,} records in process at {seeded:,.0f} records/s)")
        server, url = _start_hub(db_url)
        try:
            bench_push(url, directory)
            bench_pull_and_noop(url, directory)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
