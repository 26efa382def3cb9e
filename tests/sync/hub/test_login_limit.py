"""The login rate limit under concurrent attempts: five failures for a username in five minutes,
however many attempts arrive at once, and on every hub process of one database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from sync.hub.app import create_app, open_hub
from tests.sync.hub.conftest import FAST_HASHER, PASSWORD, Api

PARALLEL = 40


def _parallel_logins(
    clients: list[TestClient], username: str, passwords: list[str]
) -> list[tuple[int, str]]:
    """(status, Retry-After) of each attempt, all let go at the same moment, spread over the
    clients."""
    start = threading.Barrier(len(passwords))

    def attempt(index: int) -> tuple[int, str]:
        start.wait()
        answer = clients[index % len(clients)].post(
            "/api/v1/auth/login", json={"username": username, "password": passwords[index]}
        )
        return answer.status_code, answer.headers.get("Retry-After", "")

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(attempt, range(len(passwords))))


def test_parallel_wrong_logins_get_five_401s_and_then_429(api: Api) -> None:
    answers = _parallel_logins([api.client], "county", [f"wrong{i}" for i in range(PARALLEL)])
    statuses = sorted(status for status, _ in answers)
    assert statuses == [401] * 5 + [429] * (PARALLEL - 5), statuses
    assert all(0 < int(after) <= 300 for status, after in answers if status == 429)
    # The limit holds for the right password too, and for this username only.
    right = api.client.post("/api/v1/auth/login", json={"username": "county", "password": PASSWORD})
    assert right.status_code == 429
    assert api.login("county2")


def test_the_limit_holds_across_hub_processes(api: Api, db_url: str) -> None:
    """Two hubs on one database, as two processes (each its own engine and pool) would be."""
    other = open_hub(db_url, FAST_HASHER)
    try:
        with TestClient(create_app(other)) as second:
            answers = _parallel_logins([api.client, second], "school1", ["wrong"] * PARALLEL)
    finally:
        other.db.dispose()
    assert sorted(status for status, _ in answers) == [401] * 5 + [429] * (PARALLEL - 5)


def test_parallel_logins_of_an_unknown_username_are_limited_too(api: Api) -> None:
    answers = _parallel_logins([api.client], "nobody", ["wrong"] * PARALLEL)
    assert sorted(status for status, _ in answers) == [401] * 5 + [429] * (PARALLEL - 5)


def test_parallel_right_logins_all_succeed_and_clear_the_failures(api: Api) -> None:
    for _ in range(4):
        wrong = api.client.post("/api/v1/auth/login", json={"username": "county", "password": "x"})
        assert wrong.status_code == 401
    answers = _parallel_logins([api.client], "county", [PASSWORD] * 10)
    assert [status for status, _ in answers] == [200] * 10
    # The successes cleared the four failures: five more may fail before the limit.
    for _ in range(5):
        wrong = api.client.post("/api/v1/auth/login", json={"username": "county", "password": "x"})
        assert wrong.status_code == 401
    limited = api.client.post("/api/v1/auth/login", json={"username": "county", "password": "x"})
    assert limited.status_code == 429
