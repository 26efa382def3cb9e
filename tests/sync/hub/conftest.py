"""Hub fixtures: a hub on SQLite (always) and on PostgreSQL (when CHANJIAO_TEST_PG is set), its
orgs and users, and `Api`, a thin test client that speaks the protocol.

Orgs: county 500103 with schools S1 and S2; county 500104 with school S3.
Users (password "pw"): school1 (S1), school2 (S2), school3 (S3), county (500103),
county2 (500104), admin.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Subquery, select, text, union_all

from sync.hub import schema
from sync.hub.app import create_app, open_hub
from sync.hub.auth import add_org, add_user
from sync.hub.database import single_use_engine
from sync.hub.service import Hub
from sync.protocol import Role
from sync.samples import SampleFactory

PG_ENV = "CHANJIAO_TEST_PG"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "pw"
S1, S2, S3 = "3150010301", "4150010302", "3150010401"
COUNTY, COUNTY2 = "500103", "500104"


def pg_skip_reason() -> str:
    return f"{PG_ENV} is not set, so the PostgreSQL tests do not run"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database made for this test session and dropped after it."""
    server = os.environ.get(PG_ENV)
    if not server:
        print(pg_skip_reason())
        pytest.skip(pg_skip_reason())
    name = f"chanjiao_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = single_use_engine(server)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_pg(url: str) -> None:
    engine = single_use_engine(url)
    with engine.connect() as connection:
        if connection.dialect.has_table(connection, "records"):
            tables = ", ".join(
                t.name for t in schema.metadata.sorted_tables if t.name != "schema_migrations"
            )
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))
            connection.execute(text("ALTER SEQUENCE change_seq RESTART"))
            connection.execute(schema.counters.insert().values(name=schema.CHANGE_COUNTER, value=0))
    engine.dispose()


def every_revision() -> Subquery:
    """Every revision the hub holds: those replaced (record_revisions) and each record's
    current one (its row in records), with record_revisions' columns."""
    revisions, records = schema.record_revisions, schema.records
    current = select(
        records.c.id.label("record_id"),
        *(records.c[column.name] for column in list(revisions.c)[1:]),
    )
    return union_all(select(revisions), current).subquery("every_revision")


def revisions_held(connection: Connection, record_id: str) -> list[int]:
    """The numbers of the revisions the hub holds of a record, in order."""
    revisions = every_revision()
    held = connection.execute(select(revisions.c.rev).where(revisions.c.record_id == record_id))
    return sorted(held.scalars())


def populate(connection: Connection) -> None:
    add_org(connection, COUNTY, "重庆市渝中区", "county")
    add_org(connection, COUNTY2, "重庆市大渡口区", "county")
    add_org(connection, S1, "重庆市渝中职业教育中心", "school", COUNTY, "secondary_vocational")
    add_org(connection, S2, "重庆渝州科技职业学院", "school", COUNTY, "higher_vocational")
    add_org(connection, S3, "重庆市大渡口职业教育中心", "school", COUNTY2, "secondary_vocational")
    for username, role, org in (
        ("school1", Role.SCHOOL, S1),
        ("school2", Role.SCHOOL, S2),
        ("school3", Role.SCHOOL, S3),
        ("county", Role.COUNTY, COUNTY),
        ("county2", Role.COUNTY, COUNTY2),
        ("admin", Role.ADMIN, COUNTY),
    ):
        add_user(connection, FAST_HASHER, username, PASSWORD, role, org)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "postgresql":
        url = str(request.getfixturevalue("pg_url"))
        _empty_pg(url)
        return url
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def hub(db_url: str) -> Iterator[Hub]:
    hub = open_hub(db_url, FAST_HASHER)
    hub.db.write(populate)
    yield hub
    hub.db.dispose()


@pytest.fixture
def api(hub: Hub) -> Iterator[Api]:
    with TestClient(create_app(hub), raise_server_exceptions=True) as client:
        yield Api(client)


def new_id() -> str:
    return str(uuid.uuid4())


class Api:
    """Protocol calls as the tests make them."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}
        self.samples = SampleFactory(seed=11)
        self.client_id = new_id()

    def login(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            answer = self.client.post(
                "/api/v1/auth/login",
                json={"username": username, "password": PASSWORD, "device": "pytest"},
            )
            assert answer.status_code == 200, answer.text
            self.tokens[username] = answer.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def push_raw(
        self,
        username: str,
        mutations: list[dict[str, Any]],
        key: str | None = None,
        lang: str | None = None,
    ) -> Any:
        headers = self.login(username)
        if key is not None:
            headers["Idempotency-Key"] = key
        if lang is not None:
            headers["Accept-Language"] = lang
        return self.client.post(
            "/api/v1/sync/push",
            json={"client_id": self.client_id, "mutations": mutations},
            headers=headers,
        )

    def push(self, username: str, *mutations: dict[str, Any], lang: str | None = None) -> Any:
        answer = self.push_raw(username, list(mutations), lang=lang)
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        return results[0] if len(results) == 1 else results

    def pull(self, username: str, cursor: str | None = None, limit: int | None = None) -> Any:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        answer = self.client.get("/api/v1/sync/pull", params=params, headers=self.login(username))
        assert answer.status_code == 200, answer.text
        return answer.json()

    def pull_all(self, username: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.pull(username, cursor)
            records += page["records"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return records

    # Records in a given state ------------------------------------------------------------------

    def create(self, username: str = "school1", flavour: str = "valid", **fields: Any) -> Any:
        values = self.samples.fields("internship", flavour) | fields
        result = self.push(username, save(new_id(), values))
        assert result["outcome"] == "applied", result
        return result["record"]

    def submitted(self, username: str = "school1") -> Any:
        record = self.create(username)
        result = self.push(username, op("submit", record))
        assert result["outcome"] == "applied", result
        return result["record"]

    def approved(self) -> Any:
        record = self.submitted()
        result = self.push("county", op("review", record, decision="approve"))
        assert result["outcome"] == "applied", result
        return result["record"]


def save(
    record_id: str,
    fields: dict[str, Any],
    base_rev: int = 0,
    form: str = "internship",
    mutation_id: str | None = None,
) -> dict[str, Any]:
    return {
        "mutation_id": mutation_id or new_id(),
        "record_id": record_id,
        "op": "save",
        "base_rev": base_rev,
        "form": form,
        "form_version": 1,
        "fields": fields,
    }


def op(name: str, record: dict[str, Any], base_rev: int | None = None, **extra: Any) -> Any:
    return {
        "mutation_id": new_id(),
        "record_id": record["id"],
        "op": name,
        "base_rev": record["rev"] if base_rev is None else base_rev,
        **extra,
    }


def edit(record: dict[str, Any], base_rev: int | None = None, **changes: Any) -> dict[str, Any]:
    """A save of `record` with some fields changed (None removes one)."""
    fields = {k: v for k, v in (record["fields"] | changes).items() if v is not None}
    return save(record["id"], fields, record["rev"] if base_rev is None else base_rev)
