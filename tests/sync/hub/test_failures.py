"""The audit trail of pushes, and failures: each one logged, none showing a stack trace or SQL,
each message in zh-CN and en."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from sync.hub import push, schema
from sync.hub.app import create_app
from sync.hub.database import single_use_engine
from sync.hub.i18n import HTTP_ERRORS, REJECTIONS
from sync.hub.service import Hub
from sync.protocol import MAX_BODY_BYTES
from tests.sync.hub.conftest import Api, new_id, op, save


@pytest.fixture
def quiet_api(hub: Hub) -> Iterator[Api]:
    """An Api whose server errors come back as answers, as a real client sees them."""
    with TestClient(create_app(hub), raise_server_exceptions=False) as client:
        yield Api(client)


def _audit(hub: Hub) -> list[Any]:
    with hub.db.read() as connection:
        return list(
            connection.execute(
                select(schema.audit).where(schema.audit.c.action.like("push_%"))
            ).all()
        )


def test_every_mutation_leaves_one_audit_row_and_a_replay_none(api: Api, hub: Hub) -> None:
    fields = api.samples.fields("internship", "valid")
    created = save(new_id(), fields)
    stranger = op("submit", {"id": new_id(), "rev": 1})
    results = api.push("school1", created, stranger)
    assert [r["outcome"] for r in results] == ["applied", "rejected"]
    rows = _audit(hub)
    assert sorted(
        (r.username, r.action, r.detail.split()[0], r.detail.split()[2]) for r in rows
    ) == (
        sorted(
            [
                ("school1", "push_save", created["mutation_id"], "applied"),
                ("school1", "push_submit", stranger["mutation_id"], "rejected"),
            ]
        )
    )
    api.push("school1", created)
    assert len(_audit(hub)) == 2


_FAILING_AUDIT = {
    "sqlite": [
        "CREATE TRIGGER audit_fails BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION audit_fails() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION 'full'; END $$",
        "CREATE TRIGGER audit_fails BEFORE INSERT ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_fails()",
    ],
}


_WORKING_AUDIT = {
    "sqlite": ["DROP TRIGGER audit_fails"],
    "postgresql": ["DROP TRIGGER audit_fails ON audit", "DROP FUNCTION audit_fails"],
}


def test_the_audit_row_is_written_in_the_pushs_transaction(quiet_api: Api, hub: Hub) -> None:
    quiet_api.login("school1")  # a login writes an audit row too
    with hub.db.engine.begin() as connection:
        for statement in _FAILING_AUDIT[connection.dialect.name]:
            connection.exec_driver_sql(statement)
    try:
        answer = quiet_api.push_raw("school1", [save(new_id(), {})])
    finally:  # the PostgreSQL database outlives the test
        with hub.db.engine.begin() as connection:
            for statement in _WORKING_AUDIT[connection.dialect.name]:
                connection.exec_driver_sql(statement)
    assert answer.status_code == 500
    with hub.db.read() as connection:
        for table in (schema.records, schema.record_revisions, schema.changes, schema.mutations):
            assert connection.execute(select(func.count()).select_from(table)).scalar() == 0


def test_an_internal_error_shows_neither_a_stack_trace_nor_sql_and_is_logged(
    quiet_api: Api, hub: Hub, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> str:
        raise OperationalError("SELECT secret FROM records", {}, Exception("database is locked"))

    monkeypatch.setattr(hub, "pull", broken)
    headers = quiet_api.login("school1")
    for lang, words in (("en", "The hub failed"), ("zh-CN", "服务器内部错误")):
        with caplog.at_level(logging.WARNING):
            answer = quiet_api.client.get(
                "/api/v1/sync/pull", headers=headers | {"Accept-Language": lang}
            )
        assert answer.status_code == 500
        assert answer.json() == {
            "error": {
                "code": "internal",
                "message": answer.json()["error"]["message"],
                "details": {},
            }
        }
        assert words in answer.json()["error"]["message"]
        assert not re.search(r"SELECT|Traceback|secret|File \"", answer.text)
        assert "SELECT secret FROM records" in caplog.text  # the log has what the answer hides
        caplog.clear()


def test_every_failure_is_in_the_log(
    api: Api, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    headers = api.login("school1")
    with caplog.at_level(logging.INFO):
        api.client.get("/api/v1/me")
        api.client.post("/api/v1/auth/login", json={"username": "school1", "password": "no"})
        api.client.post("/api/v1/sync/push", json={"mutations": "none"}, headers=headers)
        api.client.get("/api/v1/nothing", headers=headers)
        api.client.post(
            "/api/v1/sync/push",
            content=b"x",
            headers=headers | {"Content-Length": str(MAX_BODY_BYTES + 1)},
        )
        rejected = op("submit", {"id": new_id(), "rev": 1})
        api.push("school1", rejected)
    for expected in (
        "GET /api/v1/me -> 401 unauthenticated",
        "POST /api/v1/auth/login -> 401 invalid_credentials",
        "POST /api/v1/sync/push -> 422 invalid_request",
        "GET /api/v1/nothing -> 404 not_found",
        "POST /api/v1/sync/push -> 413 too_large",
        f"submit {rejected['mutation_id']} on record {rejected['record_id']} rejected: not_found",
    ):
        assert expected in caplog.text


def test_every_hub_message_exists_in_zh_cn_and_en() -> None:
    for zh, en in [*HTTP_ERRORS.values(), *REJECTIONS.values()]:
        assert re.search(r"[\u4e00-\u9fff]", zh), zh
        assert en.isascii() and en != zh, en
    raised = set()
    for source in Path(push.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        raised |= set(re.findall(r'HubError\(\s*\d+,\s*"(\w+)"', text))
        raised |= set(re.findall(r'message_key="(\w+)"', text))
        raised |= set(re.findall(r'_reject\(\s*RejectCode\.\w+,\s*"(\w+)"', text))
    assert raised, "no error codes found in sync/hub"
    assert raised <= set(HTTP_ERRORS) | set(REJECTIONS)


def test_connections_the_database_server_dropped_are_replaced_unseen(
    api: Api, hub: Hub, backend: str
) -> None:
    """The pool does not ping connections before use: when PostgreSQL restarted (its backends
    are gone), the token check and the push run again on fresh connections."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL only: a SQLite connection has no server to lose")
    api.create()
    admin = single_use_engine(hub.db.url)
    with admin.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert ended
    assert api.create()["rev"] == 1
