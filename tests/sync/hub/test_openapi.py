"""Property tests over the hub's own OpenAPI document (schemathesis): whatever a client sends that
the schema allows or forbids, the hub answers with a documented status, a body that fits the
documented schema, and never a server error. Bounded to a few examples per operation."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sync.hub.app import create_app, open_hub
from tests.sync.hub.conftest import FAST_HASHER, PASSWORD, populate

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def hub_app() -> Iterator[tuple[FastAPI, str]]:
    with tempfile.TemporaryDirectory(prefix="chanjiao-openapi-") as scratch:
        hub = open_hub(str(Path(scratch) / "hub.sqlite3"), FAST_HASHER)
        hub.db.write(populate)
        app = create_app(hub)
        with TestClient(app) as client:
            token = client.post(
                "/api/v1/auth/login", json={"username": "county", "password": PASSWORD}
            ).json()["token"]
        yield app, token
        hub.db.dispose()


def test_every_operation_answers_as_documented(hub_app: tuple[FastAPI, str]) -> None:
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
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def answers_as_documented(case: Any) -> None:
            path = case.operation.path
            # A key used again with another body is refused by design: one key per example.
            fresh = {"Idempotency-Key": str(uuid.uuid4())} if path == "/api/v1/sync/push" else {}
            # A cursor is opaque: any string fits its schema, but only the hub's own are accepted.
            excluded = [positive_data_acceptance] if path == "/api/v1/sync/pull" else []
            case.call_and_validate(headers=headers | fresh, excluded_checks=excluded)

        answers_as_documented()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert len(checked) == 8, checked
