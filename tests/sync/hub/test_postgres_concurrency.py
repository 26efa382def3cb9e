"""Two hub processes on one PostgreSQL database, conflicting edits pushed at both from threads:
every mutation ends in exactly one of the four outcomes and no accepted value is lost."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, select

from sync.hub import schema
from sync.hub.auth import add_user
from sync.hub.database import Database
from sync.protocol import Role
from sync.samples import SampleFactory
from tests.sync.hub.conftest import (
    FAST_HASHER,
    PASSWORD,
    S1,
    _empty_pg,
    every_revision,
    populate,
)
from tests.sync.hub.servers import free_port, hub_process

pytestmark = pytest.mark.slow

THREADS = 8
ROUNDS = 12
RECORDS = 4
OUTCOMES = {"applied", "merged", "conflict", "rejected"}
# Each editor's own field: edits of it alone merge with everyone else's.
OWN_FIELDS = (
    "student_name", "major_name", "position", "enterprise_name", "insurance_insurer",
    "school_mentor", "enterprise_mentor", "notes",
)  # fmt: skip


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[str]:
    _empty_pg(pg_url)
    database = Database(pg_url)
    database.migrate()

    def users(connection: Connection) -> None:
        populate(connection)
        for i in range(THREADS):
            add_user(connection, FAST_HASHER, f"editor{i}", PASSWORD, Role.SCHOOL, S1)

    database.write(users)
    database.dispose()
    yield pg_url


def login(client: httpx.Client, username: str) -> None:
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = "Bearer " + answer.json()["token"]


def save(record_id: str, fields: dict[str, Any], base_rev: int) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "record_id": record_id,
        "op": "save",
        "base_rev": base_rev,
        "form": "internship",
        "form_version": 1,
        "fields": fields,
    }


def test_two_hub_processes_lose_no_accepted_value(pg_db: str) -> None:
    ports = [free_port(), free_port()]
    with (
        hub_process(["serve", "--db", pg_db, "--port", str(ports[0])], ports[0]) as hub_a,
        hub_process(["serve", "--db", pg_db, "--port", str(ports[1])], ports[1]) as hub_b,
    ):
        urls = [hub_a.url, hub_b.url]
        samples = SampleFactory(seed=5)
        base_fields = [samples.fields("internship") for _ in range(RECORDS)]
        with httpx.Client(base_url=urls[0], timeout=60) as setup:
            login(setup, "school1")
            created = setup.post(
                "/api/v1/sync/push",
                json={
                    "client_id": str(uuid.uuid4()),
                    "mutations": [save(str(uuid.uuid4()), f, 0) for f in base_fields],
                },
            ).json()["results"]
        records = [r["record"] for r in created]
        sent: list[tuple[int, dict[str, Any], dict[str, Any]]] = []  # (editor, mutation, result)
        lock = threading.Lock()
        start = threading.Barrier(THREADS)

        def editor(index: int) -> None:
            rng = random.Random(index)
            known = {r["id"]: (r["rev"], r["fields"]) for r in records}
            with httpx.Client(base_url=urls[index % 2], timeout=60) as client:
                login(client, f"editor{index}")
                start.wait()
                for round_ in range(ROUNDS):
                    chosen = rng.sample(list(known), k=rng.choice((1, 2)))
                    batch = []
                    for record_id in chosen:
                        rev, fields = known[record_id]
                        # class_name: every editor writes it (conflicts); their own field
                        # nobody else writes (merges).
                        tag = f"e{index}-r{round_}"
                        own = "class_name" if rng.random() < 0.4 else OWN_FIELDS[index]
                        batch.append(save(record_id, fields | {own: tag}, rev))
                    answer = client.post(
                        "/api/v1/sync/push",
                        json={"client_id": str(uuid.uuid4()), "mutations": batch},
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )
                    assert answer.status_code == 200, answer.text
                    results = answer.json()["results"]
                    with lock:
                        sent.extend((index, m, r) for m, r in zip(batch, results, strict=True))
                    for result in results:
                        if result.get("record"):
                            record = result["record"]
                            known[record["id"]] = (record["rev"], record["fields"])

        with ThreadPoolExecutor(THREADS) as pool:
            for future in [pool.submit(editor, i) for i in range(THREADS)]:
                future.result()

        # A batch sent again, to the other process, answers from the stored results.
        with httpx.Client(base_url=urls[1], timeout=60) as client:
            login(client, "editor0")
            mutation, first = next(
                (m, r) for editor, m, r in sent if editor == 0 and r["outcome"] != "rejected"
            )
            again = client.post(
                "/api/v1/sync/push",
                json={"client_id": str(uuid.uuid4()), "mutations": [mutation]},
            ).json()["results"][0]
            assert again == first

    assert len({m["mutation_id"] for _, m, _ in sent}) == len(sent)
    outcomes = [result["outcome"] for _, _, result in sent]
    print("outcomes:", dict(Counter(outcomes)))
    assert set(outcomes) <= OUTCOMES
    assert "conflict" in outcomes
    assert {"applied", "merged"} & set(outcomes)

    database = Database(pg_db)
    with database.read() as connection:
        revisions = {
            (row.record_id, row.rev): row for row in connection.execute(select(every_revision()))
        }
        stored = {row.mutation_id: row for row in connection.execute(select(schema.mutations))}
        conflicts = {row.id: row for row in connection.execute(select(schema.conflicts))}
        current = {row.id: row for row in connection.execute(select(schema.records))}
        seqs = connection.execute(select(schema.changes.c.seq)).scalars().all()
    database.dispose()

    accepted_revs: dict[str, list[int]] = {}
    for _, mutation, result in sent:
        mutation_id = mutation["mutation_id"]
        assert stored[mutation_id].outcome == result["outcome"]  # exactly one stored outcome
        record_id = mutation["record_id"]
        if result["outcome"] in ("applied", "merged"):
            rev = result["record"]["rev"]
            revision = revisions[(record_id, rev)]
            assert revision.mutation_id == mutation_id
            accepted_revs.setdefault(record_id, []).append(rev)
            # Three-way: what this edit changed is in its revision; everything else is what the
            # revision before held, so no earlier accepted value was overwritten unseen.
            after = json.loads(revision.fields)
            before = json.loads(revisions[(record_id, rev - 1)].fields)
            base = json.loads(revisions[(record_id, mutation["base_rev"])].fields)
            for name in after.keys() | before.keys() | mutation["fields"].keys():
                mine = mutation["fields"].get(name)
                expected = before.get(name) if mine == base.get(name) else mine
                assert after.get(name) == expected, (name, result["outcome"])
        elif result["outcome"] == "conflict":
            conflict = conflicts[result["conflict_id"]]
            assert json.loads(conflict.mine) == mutation["fields"]
            assert conflict.mutation_id == mutation_id
    for record_id, revs in accepted_revs.items():
        assert len(revs) == len(set(revs)), "two accepted edits wrote one revision"
        final = current[record_id]
        assert sorted(rev for (rid, rev) in revisions if rid == record_id) == list(
            range(1, final.rev + 1)
        )
        assert final.fields == revisions[(record_id, final.rev)].fields
    assert len(seqs) == len(set(seqs))
    assert len({row.seq for row in current.values()}) == len(current)
