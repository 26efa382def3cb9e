"""Property tests over the hub's own OpenAPI document (schemathesis): whatever a client sends that
the schema allows or forbids, the hub answers with a documented status, a body that fits the
documented schema, and never a server error. Bounded to a few examples per operation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sync.hub.app import create_app
from sync.hub.service import Hub
from tests.sync.hub.conftest import PASSWORD

# Fewer on PostgreSQL, where each example costs round trips: it runs for what fails there and not
# on SQLite (NUL in text answered 500), which generated strings reach within a few examples.
EXAMPLES_PER_OPERATION = {"sqlite": 25, "postgresql": 15}


@pytest.fixture
def hub_app(hub: Hub) -> Iterator[tuple[FastAPI, str]]:
    app = create_app(hub)
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/login", json={"username": "county", "password": PASSWORD}
        ).json()["token"]
    yield app, token


def test_every_operation_answers_as_documented(hub_app: tuple[FastAPI, str], backend: str) -> None:
    app, token = hub_app
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/auth/logout":
            continue  # it would revoke the token every other example uses

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION[backend],
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def answers_as_documented(case: Any) -> None:
            path = case.operation.path
            # A key used again with another body is refused by design: one key per example.
            fresh = {"Idempotency-Key": str(uuid.uuid4())} if path == "/api/v1/sync/push" else {}
            # A cursor is opaque: any string fits its schema, but only the hub's own are accepted.
            # Strings holding NUL fit the schema too (JSON Schema cannot forbid a character in
            # every string) but are refused with 422: PostgreSQL's text cannot store them.
            refused = path == "/api/v1/sync/pull" or _holds_nul([case.body, case.query])
            excluded = [positive_data_acceptance] if refused else []
            case.call_and_validate(headers=headers | fresh, excluded_checks=excluded)

        answers_as_documented()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert len(checked) == 8, checked


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False
