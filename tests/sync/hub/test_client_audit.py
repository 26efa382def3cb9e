"""`POST /audit`: a client's export lines land in the hub's audit under the caller's name."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from sync.hub import schema
from sync.hub.service import Hub
from tests.sync.hub.conftest import Api


def _client_lines(hub: Hub) -> list[Any]:
    with hub.db.read() as connection:
        return list(
            connection.execute(
                select(schema.audit).where(schema.audit.c.action.like("client_%"))
            ).all()
        )


def _entry(seq: int, **detail: Any) -> dict[str, Any]:
    return {"seq": seq, "at": "2026-11-21T08:00:00Z", "action": "export", "detail": detail}


def test_export_lines_are_kept_under_the_caller(api: Api, hub: Hub) -> None:
    answer = api.client.post(
        "/api/v1/audit",
        json={
            "client_id": api.client_id,
            "entries": [_entry(3, file="区县.xlsx", id_numbers=True, records=90)],
        },
        headers=api.login("county"),
    )
    assert answer.status_code == 204, answer.text
    [line] = _client_lines(hub)
    assert (line.username, line.action, line.at) == (
        "county",
        "client_export",
        "2026-11-21T08:00:00Z",
    )
    detail = json.loads(line.detail)
    assert detail == {
        "client_id": api.client_id,
        "seq": 3,
        "file": "区县.xlsx",
        "id_numbers": True,
        "records": 90,
    }


def test_refused_without_a_token_or_with_another_action(api: Api, hub: Hub) -> None:
    body = {"client_id": api.client_id, "entries": [_entry(1)]}
    assert api.client.post("/api/v1/audit", json=body).status_code == 401
    other = {"client_id": api.client_id, "entries": [{**_entry(1), "action": "delete_all"}]}
    answer = api.client.post("/api/v1/audit", json=other, headers=api.login("school1"))
    assert answer.status_code == 422
    empty = {"client_id": api.client_id, "entries": []}
    assert (
        api.client.post("/api/v1/audit", json=empty, headers=api.login("school1")).status_code
        == 422
    )
    # A time UTC cannot hold (found by schemathesis: it was a 500 from the UTC conversion).
    for at in ("0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"):
        early = {"client_id": api.client_id, "entries": [{**_entry(1), "at": at}]}
        answer = api.client.post("/api/v1/audit", json=early, headers=api.login("school1"))
        assert answer.status_code == 422, answer.text
    assert _client_lines(hub) == []
