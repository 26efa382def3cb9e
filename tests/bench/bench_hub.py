"""Hub benchmarks against the budgets of DESIGN.md, each over loopback to a real `chanjiao-hub`.

- push 10,000 new records in batches of 500 to a hub on SQLite: ≥ 6,000 records/s end to end.
  The hub runs as deployed on a machine with two cores, `serve --workers 2`, and two clients
  push at once (batches of 500 each, one after another): a hub's push rate is what it takes in
  from all its clients, and one worker alone uses one core. Validating a record (forms) costs
  more than a core's share of the budget, so a single client's sequential pushes to one worker
  are printed too, for comparison, not against the budget.
- pull 10,000 records in pages of 1,000: ≥ 10,000 records/s
- a pull with nothing new: ≤ 15 ms
- 200 concurrent clients (20 users, logged in before the clock starts) on PostgreSQL with 2 workers,
  each pushing 50 records (a batch creating 10, then 4 editing them) at an offered rate:
  ≥ 1,000 mutations/s, p99 ≤ 1 s, no errors (only when CHANJIAO_TEST_PG names a PostgreSQL
  server; a database is made and dropped)

The clients make record, mutation and batch ids as the app does (`new_id`: time-ordered).
Each figure comes with the hub's CPU time per unit (all its processes) and the load average:
the clients share the hub's cores, and so may other work on the machine.

Run with `make bench` or `python -m tests.bench hub`.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvloop
from argon2 import PasswordHasher
from sqlalchemy import Connection, text

from sync.hub.auth import add_org, add_user
from sync.hub.database import Database, single_use_engine
from sync.protocol import PROTOCOL_HEADER, Role, new_id
from sync.samples import FORM_IDS, SampleFactory, demo_orgs
from tests.sync.hub.servers import free_port, hub_process

PG_ENV = "CHANJIAO_TEST_PG"
PASSWORD = "bench"
PUSH_RECORDS = 10_000
BATCH = 500
PUSH_WORKERS = 2  # the machine's cores, and as many clients pushing at once
CLIENTS = 200
CLIENT_USERS = 20  # 10 devices per user
CLIENT_BATCHES = 5  # of CLIENT_BATCH_SIZE: the 50 records each client pushes
CLIENT_BATCH_SIZE = 10
# Sync clients push now and then, not back to back: together they offer this many mutations a
# second, each client one batch every CLIENTS * CLIENT_BATCH_SIZE / OFFERED_RATE seconds. (Back to
# back, 200 clients could not see p99 ≤ 1 s below 200 answers/s, whatever the hub.) Offered a
# tenth above the budget: the clock runs until the last answer, so a hub that just keeps up with
# an offer of exactly 1,000/s would measure a little under it.
OFFERED_RATE = 1_100


def _setup(db_url: str, users: int) -> list[str]:
    """Orgs and `users` school users (one per school); their usernames."""
    county, _ = demo_orgs()
    hasher = PasswordHasher()
    names = [f"bench{i}" for i in range(users)]

    def create(connection: Connection) -> None:
        add_org(connection, county.code, county.name, "county")
        for i, name in enumerate(names):
            code = f"31500{i:05d}"
            add_org(connection, code, f"学校{i}", "school", county.code, "secondary_vocational")
            add_user(connection, hasher, name, PASSWORD, Role.SCHOOL, code)

    database = Database(db_url)
    database.migrate()
    database.write(create)
    database.dispose()
    return names


def _mutations(factory: SampleFactory, count: int) -> list[dict[str, Any]]:
    return [
        {
            "mutation_id": new_id(),
            "record_id": new_id(),
            "op": "save",
            "base_rev": 0,
            "form": FORM_IDS[i % len(FORM_IDS)],
            "form_version": 1,
            "fields": factory.fields(FORM_IDS[i % len(FORM_IDS)]),
        }
        for i in range(count)
    ]


def _cpu_seconds(group: int) -> float:
    """User + system CPU time so far of the processes of a process group: a hub's supervisor and
    its workers (Linux; 0 where /proc is missing)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _login(client: httpx.Client, username: str) -> None:
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    client.headers["Authorization"] = "Bearer " + answer.json()["token"]


def _push_all(
    base_url: str, token: str, mutations: list[dict[str, Any]], clients: int
) -> tuple[float, float]:
    """Push `mutations` in batches of BATCH from `clients` connections at once (each its batches
    one after another); (seconds, CPU seconds of this process). Bodies are encoded before the
    clock starts and answers checked by their outcomes' text: the clients share the hub's cores,
    and the figure is the hub's."""
    client_id = str(uuid.uuid4())
    bodies = [
        json.dumps({"client_id": client_id, "mutations": mutations[first : first + BATCH]})
        for first in range(0, len(mutations), BATCH)
    ]
    sizes = [len(mutations[first : first + BATCH]) for first in range(0, len(mutations), BATCH)]

    def push_share(share: list[tuple[str, int]]) -> None:
        headers = {
            PROTOCOL_HEADER: "1",
            "Authorization": "Bearer " + token,
            "Content-Type": "application/json",
        }
        with httpx.Client(base_url=base_url, timeout=120, headers=headers) as client:
            for body, size in share:
                answer = client.post(
                    "/api/v1/sync/push",
                    content=body,
                    headers={"Idempotency-Key": new_id()},
                )
                answer.raise_for_status()
                applied = answer.content.count(b'"outcome":"applied"')
                assert applied == size, f"{applied} of {size} applied"

    batches = list(zip(bodies, sizes, strict=True))
    own_cpu = time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for done in [pool.submit(push_share, batches[i::clients]) for i in range(clients)]:
            done.result()
    return time.perf_counter() - started, time.process_time() - own_cpu


def _print_push(label: str, hub_cpu: float, elapsed: float, own_cpu: float, budget: bool) -> None:
    rate = PUSH_RECORDS / elapsed
    verdict = ("ok" if rate >= 6000 else "BELOW BUDGET") if budget else "(not the budget's setup)"
    print(
        f"   push {PUSH_RECORDS:,} new records, batches of {BATCH}, SQLite, {label}: "
        f"{rate:,.0f} records/s ({elapsed:.2f} s)  budget ≥ 6,000  {verdict}"
    )
    print(
        f"     CPU: hub {hub_cpu / PUSH_RECORDS * 1e6:,.0f} µs/record, client "
        f"{own_cpu / PUSH_RECORDS * 1e6:,.0f} µs/record; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def _login_token(base_url: str, username: str) -> str:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        _login(client, username)
        return client.headers["Authorization"].split()[1]


def bench_sqlite() -> None:
    with tempfile.TemporaryDirectory(prefix="chanjiao-bench-") as scratch:
        db_url = f"sqlite:///{Path(scratch) / 'hub.sqlite3'}"
        (username,) = _setup(db_url, 1)
        factory = SampleFactory(seed=1)
        port = free_port()
        with hub_process(["serve", "--db", db_url, "--port", str(port)], port) as hub:
            token = _login_token(hub.url, username)
            hub_cpu = _cpu_seconds(hub.process.pid)
            elapsed, own_cpu = _push_all(hub.url, token, _mutations(factory, PUSH_RECORDS), 1)
            hub_cpu = _cpu_seconds(hub.process.pid) - hub_cpu
        _print_push("1 worker, 1 client", hub_cpu, elapsed, own_cpu, budget=False)

        port = free_port()
        args = ["serve", "--db", db_url, "--port", str(port), "--workers", str(PUSH_WORKERS)]
        with (
            hub_process(args, port) as hub,
            httpx.Client(base_url=hub.url, timeout=120, headers={PROTOCOL_HEADER: "1"}) as client,
        ):
            _login(client, username)
            token = client.headers["Authorization"].split()[1]
            hub_cpu = _cpu_seconds(hub.process.pid)
            mutations = _mutations(factory, PUSH_RECORDS)
            elapsed, own_cpu = _push_all(hub.url, token, mutations, PUSH_WORKERS)
            hub_cpu = _cpu_seconds(hub.process.pid) - hub_cpu
            _print_push(
                f"{PUSH_WORKERS} workers, {PUSH_WORKERS} clients", hub_cpu, elapsed, own_cpu, True
            )
            # The pulls see both pushes: 20,000 records; the first 10,000 are timed.
            hub_cpu, own_cpu = _cpu_seconds(hub.process.pid), time.process_time()
            started = time.perf_counter()
            cursor, pulled = None, 0
            while pulled < PUSH_RECORDS:
                params = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
                page = client.get("/api/v1/sync/pull", params=params).json()
                pulled += len(page["records"])
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break
            elapsed = time.perf_counter() - started
            hub_cpu = _cpu_seconds(hub.process.pid) - hub_cpu
            own_cpu = time.process_time() - own_cpu
            rate = pulled / elapsed
            print(
                f"   pull {pulled:,} records, pages of 1,000: {rate:,.0f} records/s "
                f"({elapsed:.2f} s)  budget ≥ 10,000  {'ok' if rate >= 10_000 else 'BELOW BUDGET'}"
            )
            print(
                f"     CPU: hub {hub_cpu / pulled * 1e6:,.0f} µs/record, client "
                f"{own_cpu / pulled * 1e6:,.0f} µs/record; load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            while True:
                page = client.get("/api/v1/sync/pull", params={"cursor": cursor}).json()
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break

            timings = []
            hub_cpu = _cpu_seconds(hub.process.pid)
            for _ in range(50):
                started = time.perf_counter()
                client.get("/api/v1/sync/pull", params={"cursor": cursor}).raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
            hub_cpu = _cpu_seconds(hub.process.pid) - hub_cpu
            median = statistics.median(timings)
            print(
                f"   pull with nothing new: p50 {median:.1f} ms, max {max(timings):.1f} ms, hub "
                f"CPU {hub_cpu / len(timings) * 1000:.1f} ms each  budget ≤ 15 ms  "
                f"{'ok' if median <= 15 else 'BELOW BUDGET'}"
            )


async def _client_run(
    url: str,
    token: str,
    offset: float,
    batches: list[list[dict[str, Any]]],
    latencies: list[float],
    errors: list[str],
) -> int:
    """One client: its first batch creates records, each later one edits all of them."""
    headers = {"Authorization": "Bearer " + token, PROTOCOL_HEADER: "1"}
    done = 0
    revs = {new_id(): 0 for _ in batches[0]}
    interval = CLIENTS * CLIENT_BATCH_SIZE / OFFERED_RATE
    # Plain HTTP: verify=False spares each client loading the CA bundle (25 ms of CPU, 5 s for
    # 200 clients, taken from the hub on a shared machine).
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers, verify=False) as client:
        start = time.perf_counter() + offset
        for number, fields_batch in enumerate(batches):
            await asyncio.sleep(max(0.0, start + number * interval - time.perf_counter()))
            batch = [
                {
                    "mutation_id": new_id(),
                    "record_id": record_id,
                    "op": "save",
                    "base_rev": rev,
                    "form": "internship",
                    "form_version": 1,
                    "fields": fields,
                }
                for (record_id, rev), fields in zip(revs.items(), fields_batch, strict=True)
            ]
            started = time.perf_counter()
            try:
                answer = await client.post(
                    "/api/v1/sync/push",
                    json={"client_id": str(uuid.uuid4()), "mutations": batch},
                    headers={"Idempotency-Key": new_id()},
                )
            except httpx.HTTPError as error:
                errors.append(repr(error))
                continue
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                errors.append(f"{answer.status_code} {answer.text[:200]}")
                continue
            for result in answer.json()["results"]:
                done += 1
                if result["outcome"] != "applied":
                    errors.append(f"outcome {result['outcome']}")
                else:
                    revs[result["record_id"]] = result["record"]["rev"]
    return done


async def _many_clients(url: str, tokens: list[str]) -> tuple[int, float, list[float], list[str]]:
    factory = SampleFactory(seed=3)
    work = [
        [
            [factory.fields("internship") for _ in range(CLIENT_BATCH_SIZE)]
            for _ in range(CLIENT_BATCHES)
        ]
        for _ in range(CLIENTS)
    ]  # made before the clock starts: the figure is the hub's, not the sample generator's
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    counts = await asyncio.gather(
        *(
            _client_run(
                url,
                tokens[i % len(tokens)],
                i * CLIENT_BATCH_SIZE / OFFERED_RATE,
                work[i],
                latencies,
                errors,
            )
            for i in range(CLIENTS)
        )
    )
    return sum(counts), time.perf_counter() - started, latencies, errors


def bench_postgres(server: str) -> None:
    name = f"chanjiao_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = single_use_engine(server)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = server.rsplit("/", 1)[0] + "/" + name
    try:
        usernames = _setup(db_url, CLIENT_USERS)
        port = free_port()
        args = ["serve", "--db", db_url, "--port", str(port), "--workers", "2"]
        with hub_process(args, port) as hub:
            tokens = []
            with httpx.Client(base_url=hub.url, timeout=60) as client:
                for username in usernames:
                    _login(client, username)
                    tokens.append(client.headers["Authorization"].split()[1])
            hub_cpu, own_cpu = _cpu_seconds(hub.process.pid), time.process_time()
            # uvloop (a hub dependency off Windows) for the clients too: they share the hub's cores.
            mutations, elapsed, latencies, errors = uvloop.run(_many_clients(hub.url, tokens))
            hub_cpu = _cpu_seconds(hub.process.pid) - hub_cpu
            own_cpu = time.process_time() - own_cpu
            hub_log = [
                line
                for line in hub.output().splitlines()
                if "ERROR" in line or "WARNING" in line or "died" in line
            ]
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
        rate = mutations / elapsed
        ok = rate >= 1000 and p99 <= 1.0 and not errors
        print(
            f"   {CLIENTS} concurrent clients, PostgreSQL, 2 workers, offered "
            f"{OFFERED_RATE:,}/s: {rate:,.0f} mutations/s, "
            f"p99 {p99 * 1000:.0f} ms, {len(errors)} errors ({mutations:,} mutations in "
            f"{elapsed:.1f} s)  budget ≥ 1,000/s, p99 ≤ 1 s, no errors  "
            f"{'ok' if ok else 'BELOW BUDGET'}"
        )
        print(
            f"     CPU: hub {hub_cpu / max(mutations, 1) * 1e6:,.0f} µs/mutation, clients "
            f"{own_cpu / max(mutations, 1) * 1e6:,.0f} µs/mutation; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        for error in errors[:5]:
            print(f"     error: {error}")
        for line in hub_log[:10]:
            print(f"     hub: {line}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    bench_sqlite()
    server = os.environ.get(PG_ENV)
    if server:
        bench_postgres(server)
    else:
        print(
            f"   {CLIENTS} concurrent clients on PostgreSQL: skipped, because {PG_ENV} is not "
            "set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )


if __name__ == "__main__":
    main()
