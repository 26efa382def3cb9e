"""Benchmarks of sync.engine end to end: client store → hub (SQLite, its own process) → client
store, over loopback.

    python -m tests.bench sync

Budgets (DESIGN.md, issue 5): push 10,000 new records ≥ 6,000 records/s; initial pull of
100,000 records into an empty client ≥ 6,000 records/s; a sync with nothing to do ≤ 15 ms.
The clients keep reference data as the desktop does, so a pass with nothing to do asks for the
reference data (304), pushes nothing, pulls an empty page and records the time. Prints figures
and the load average (the machine is shared: read the figures against it), and the CPU time per
record of this process (the client: engine and store) and of the hub's, so that the client's own
cost shows apart from the hub's and from the other processes' load; asserts nothing.

`CHANJIAO_BENCH_PULLED` sets how many records the hub is seeded with (default 100,000), for a
quicker run while working on the engine.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sync.client import HubClient
from sync.engine import ReferenceCache, SyncEngine, SyncPhase, SyncSummary
from sync.hub.app import open_hub
from sync.hub.auth import Caller
from sync.protocol import MUTATION_ADAPTER, Mutation, Op, PushResponse, Role
from sync.samples import SampleFactory
from sync.store import Store, SyncState
from sync.store.database import configure
from tests.sync.hub.conftest import COUNTY, FAST_HASHER, PASSWORD, S1, populate

PUSHED = 10_000
PULLED = int(os.environ.get("CHANJIAO_BENCH_PULLED", "100000"))
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


@dataclass(frozen=True, slots=True)
class Clocks:
    """Wall time, this process's CPU time and the hub process's CPU time, in seconds."""

    wall: float
    client_cpu: float
    hub_cpu: float

    @classmethod
    def now(cls, hub: subprocess.Popen[bytes]) -> Clocks:
        return cls(time.perf_counter(), time.process_time(), _cpu_seconds(hub.pid))

    def __sub__(self, earlier: Clocks) -> Clocks:
        return Clocks(
            self.wall - earlier.wall,
            self.client_cpu - earlier.client_cpu,
            self.hub_cpu - earlier.hub_cpu,
        )


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (Linux /proc; NaN elsewhere)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    # The fields after the command name, which is in parentheses and may hold spaces.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_phases(
    engine: SyncEngine, hub: subprocess.Popen[bytes]
) -> tuple[SyncSummary, dict[SyncPhase, Clocks], Clocks]:
    """A pass, and the clocks of each phase (from one progress report to the last of it)."""
    marks: list[tuple[SyncPhase, Clocks]] = []
    started = Clocks.now(hub)

    def progress(phase: SyncPhase, done: int, total: int | None) -> None:
        marks.append((phase, Clocks.now(hub)))

    summary = engine.sync(progress=progress)
    whole = Clocks.now(hub) - started
    phases: dict[SyncPhase, Clocks] = {}
    previous = started
    for phase, at in marks:
        step = at - previous
        so_far = phases.get(phase, Clocks(0.0, 0.0, 0.0))
        phases[phase] = Clocks(
            so_far.wall + step.wall,
            so_far.client_cpu + step.client_cpu,
            so_far.hub_cpu + step.hub_cpu,
        )
        previous = at
    return summary, phases, whole


def _line(name: str, value: float, unit: str, budget: str, within: bool) -> None:
    verdict = "within budget" if within else "OVER BUDGET"
    print(f"   {name:<44} {value:>10,.1f} {unit:<10} budget {budget:<14} {verdict}", flush=True)


def _cpu_line(clocks: Clocks, records: int) -> None:
    print(
        f"     CPU per record: client {clocks.client_cpu / records * 1e6:,.0f} µs, "
        f"hub {clocks.hub_cpu / records * 1e6:,.0f} µs; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )


class PushSpans:
    """When each push was on its way (sent until answered), to tell how long the hub had none
    to work on: time the client kept it waiting."""

    def __init__(self, client: HubClient) -> None:
        self.spans: list[tuple[float, float]] = []
        push = client.push

        def timed(*args: Any, **kwargs: Any) -> PushResponse:
            started = time.perf_counter()
            try:
                return push(*args, **kwargs)
            finally:
                self.spans.append((started, time.perf_counter()))

        client.push = timed  # type: ignore[method-assign]

    def idle(self) -> tuple[float, float]:
        """Seconds with no push on its way, and seconds from the first push to the last answer."""
        spans = sorted(self.spans)
        first, last = spans[0][0], max(end for _, end in spans)
        idle, covered_to = 0.0, first
        for start, end in spans:
            idle += max(0.0, start - covered_to)
            covered_to = max(covered_to, end)
        return idle, last - first


def bench_push(url: str, hub: subprocess.Popen[bytes], directory: Path) -> None:
    store, client, engine = _device(url, "school2", directory / "push.db")
    spans = PushSpans(client)
    factory = SampleFactory(seed=4)
    samples = [factory.fields("internship") for _ in range(DISTINCT_SAMPLES)]
    # The records to push are saved without waiting for the disk (that is not what is measured),
    # then the store is put back to its own durability for the pass.
    configure(store._conn, store.path, "OFF")
    for n in range(PUSHED):
        store.save("internship", None, samples[n % DISTINCT_SAMPLES], "school2")
    configure(store._conn, store.path)
    summary, phases, whole = _timed_phases(engine, hub)
    assert summary.ok and summary.applied == PUSHED, summary.message("en")
    push = phases[SyncPhase.PUSH]
    push_rate = PUSHED / push.wall
    _line(
        f"push {PUSHED:,} records (push phase)",
        push_rate,
        "records/s",
        f">= {BUDGET_RECORDS_PER_SECOND:,}",
        push_rate >= BUDGET_RECORDS_PER_SECOND,
    )
    _cpu_line(push, PUSHED)
    idle, pushing = spans.idle()
    print(
        f"     no push at the hub (waiting on this client): {idle * 1000:,.0f} ms of "
        f"{pushing * 1000:,.0f} ms"
    )
    print(
        f"   whole pass, pulling them back too: {PUSHED / whole.wall:,.0f} records/s "
        f"({whole.wall:.2f} s)"
    )
    store.close()
    client.close()


def bench_pull_and_noop(url: str, hub: subprocess.Popen[bytes], directory: Path) -> None:
    store, client, engine = _device(url, "school1", directory / "pull.db")
    summary, _, whole = _timed_phases(engine, hub)
    assert summary.ok and summary.pulled == PULLED, summary.message("en")
    rate = PULLED / whole.wall
    _line(
        f"initial pull of {PULLED:,} records (whole pass)",
        rate,
        "records/s",
        f">= {BUDGET_RECORDS_PER_SECOND:,}",
        rate >= BUDGET_RECORDS_PER_SECOND,
    )
    _cpu_line(whole, PULLED)
    timings: list[float] = []
    started = Clocks.now(hub)
    for _ in range(NOOP_RUNS):
        began = time.perf_counter()
        summary = engine.sync()
        timings.append(time.perf_counter() - began)
        assert summary.ok and summary.pushed == summary.pulled == 0
    spent = Clocks.now(hub) - started
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
    print(
        f"     CPU per pass: client {spent.client_cpu / NOOP_RUNS * 1e3:.2f} ms, "
        f"hub {spent.hub_cpu / NOOP_RUNS * 1e3:.2f} ms; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
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
            bench_push(url, server, directory)
            bench_pull_and_noop(url, server, directory)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
