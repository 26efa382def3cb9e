"""A served hub's log: its own lines (rejected mutations at INFO, refused requests at WARNING)
reach it with their time, level and logger, in serve with one worker or several, and in demo."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from sync.hub.app import open_hub
from sync.hub.demo import DEMO_PASSWORD
from tests.sync.hub.conftest import FAST_HASHER, PASSWORD, populate
from tests.sync.hub.servers import free_port, hub_process

LINE = r"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}} {level}:\s+sync\.hub\.{logger}: .*{text}"


def _hub_lines(args: Sequence[str], username: str, password: str) -> str:
    """The log of a hub that answered a wrong login and a push with one rejected mutation."""
    port = free_port()
    with hub_process([*args, "--port", str(port)], port) as hub:
        url = hub.url + "/api/v1"
        assert (
            httpx.post(
                url + "/auth/login", json={"username": username, "password": "no"}
            ).status_code
            == 401
        )
        token = httpx.post(
            url + "/auth/login", json={"username": username, "password": password}
        ).json()["token"]
        missing = str(uuid.uuid4())
        answer = httpx.post(
            url + "/sync/push",
            json={
                "client_id": str(uuid.uuid4()),
                "mutations": [
                    {
                        "mutation_id": str(uuid.uuid4()),
                        "record_id": missing,
                        "op": "submit",
                        "base_rev": 1,
                    }
                ],
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.json()["results"][0]["outcome"] == "rejected"
        output = hub.output()
    assert re.search(
        LINE.format(level="WARNING", logger="app", text="POST /api/v1/auth/login -> 401"),
        output,
        re.MULTILINE,
    ), output
    assert re.search(
        LINE.format(level="INFO", logger="push", text=f"on record {missing} rejected: not_found"),
        output,
        re.MULTILINE,
    ), output
    return output


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_logs_the_hubs_own_lines_with_their_time(tmp_path: Path, workers: int) -> None:
    db = str(tmp_path / "hub.sqlite3")
    hub = open_hub(db, FAST_HASHER)
    hub.db.write(populate)
    hub.db.dispose()
    output = _hub_lines(["serve", "--db", db, "--workers", str(workers)], "school1", PASSWORD)
    # uvicorn's own lines have their time too.
    access = r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO: .*"POST /api/v1/sync/push HTTP/1.1" 200'
    assert re.search(access, output, re.MULTILINE), output


def test_demo_logs_the_hubs_own_lines_with_their_time() -> None:
    _hub_lines(["demo"], "school1", DEMO_PASSWORD)
