"""A real hub on loopback for the engine's tests, clients of it, and a transport that breaks.

One uvicorn server on 127.0.0.1 serves the whole session; each test (or state machine example)
gets a fresh hub database behind it (`LoopbackServer.serve`). Orgs and users are those of
tests/sync/hub/conftest.py (password "pw").
"""

from __future__ import annotations

import enum
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from starlette.types import ASGIApp, Receive, Scope, Send

import forms
from sync.client import HubClient, RetryPolicy
from sync.engine import SyncEngine
from sync.hub import schema
from sync.hub.app import create_app, open_hub
from sync.hub.service import Hub
from sync.protocol import MAX_MUTATIONS_PER_PUSH, Record
from sync.store import Store, SyncState
from sync.store.database import configure
from tests.sync.hub.conftest import FAST_HASHER, PASSWORD, every_revision, populate

LOOPBACK = "127.0.0.1"
# Retries as in production, minus the waiting: tests run in seconds.
FAST_RETRY = RetryPolicy(attempts=4, backoff_base=0.0, in_progress_wait=0.01)


class MemoryTokenStore:
    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def get(self) -> str | None:
        return self.token

    def set(self, token: str) -> None:
        self.token = token

    def delete(self) -> None:
        self.token = None


class _Switch:
    """The ASGI app the server runs: whichever hub app the current test installed."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        assert self.app is not None, "no hub is being served"
        await self.app(scope, receive, send)


class LoopbackServer:
    """uvicorn on 127.0.0.1 and a free port, in a thread of this process."""

    def __init__(self) -> None:
        self._switch = _Switch()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((LOOPBACK, 0))
        self.url = f"http://{LOOPBACK}:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(self._switch, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the loopback hub did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def serve(self, hub: Hub) -> None:
        self._switch.app = create_app(hub)


def fresh_hub(directory: Path) -> Hub:
    hub = open_hub(f"sqlite:///{directory / 'hub.sqlite3'}")
    hub.auth.hasher = FAST_HASHER
    hub.db.write(populate)
    return hub


@pytest.fixture(scope="session")
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.start()
    yield server
    server.stop()


@dataclass
class LiveHub:
    url: str
    hub: Hub

    def login(self, username: str) -> MemoryTokenStore:
        tokens = MemoryTokenStore()
        with HubClient(self.url, token_store=tokens, retry=FAST_RETRY, sleep=_no_sleep) as client:
            client.login(username, PASSWORD, "pytest")
        return tokens

    def records(self, username: str) -> dict[str, Record]:
        """Every record in the user's scope as the hub has it now, by id."""
        tokens = self.login(username)
        found: dict[str, Record] = {}
        with HubClient(self.url, token_store=tokens, retry=FAST_RETRY, sleep=_no_sleep) as client:
            cursor = None
            while True:
                page = client.pull(cursor, 1000)
                found.update((str(record.id), record) for record in page.records)
                cursor = page.next_cursor
                if not page.has_more:
                    return found

    def values_held_or_refused(self, record_id: str) -> list[dict[str, Any]]:
        """Every set of values the hub has held (revisions) or refused (conflicts) for the
        record."""
        revisions, conflicts = every_revision(), schema.conflicts
        with self.hub.db.read() as connection:
            held = connection.execute(
                select(revisions.c.fields).where(revisions.c.record_id == record_id)
            ).all()
            refused = connection.execute(
                select(conflicts.c.mine).where(conflicts.c.record_id == record_id)
            ).all()
        return [json.loads(row[0]) for row in (*held, *refused)]

    def revisions(self, record_id: str) -> list[dict[str, Any]]:
        """The fields of each revision the hub holds of the record, oldest first."""
        revisions = every_revision()
        with self.hub.db.read() as connection:
            rows = connection.execute(
                select(revisions.c.fields)
                .where(revisions.c.record_id == record_id)
                .order_by(revisions.c.rev)
            ).all()
        return [json.loads(row[0]) for row in rows]

    def revisions_per_mutation(self) -> dict[str, int]:
        """How many revisions each mutation made (at most one each, when nothing is doubled)."""
        revisions = every_revision()
        with self.hub.db.read() as connection:
            rows = connection.execute(
                select(revisions.c.mutation_id, func.count()).group_by(revisions.c.mutation_id)
            ).all()
        return {str(row[0]): int(row[1]) for row in rows}


@pytest.fixture
def live_hub(loopback: LoopbackServer, tmp_path: Path) -> Iterator[LiveHub]:
    hub = fresh_hub(tmp_path)
    loopback.serve(hub)
    yield LiveHub(loopback.url, hub)
    hub.db.dispose()


def _no_sleep(seconds: float) -> None:
    pass


class Fault(enum.Enum):
    DROP_REQUEST = "drop the request before the hub sees it"
    DROP_RESPONSE = "forward, then lose the answer (the hub has committed)"
    TIMEOUT_AFTER_SEND = "forward, then time out reading the answer"
    DUPLICATE = "send the request twice, answer the second"
    DELAY = "answer late"
    SERVER_ERROR = "answer 500 without forwarding"
    RATE_LIMITED = "answer 429 with Retry-After without forwarding"
    UPGRADE_REQUIRED = "answer 426: the hub needs protocol 2"
    GARBAGE = "answer 200 with a captive portal's page"


# What a flaky network and a busy hub do; every one of them must be survived.
NETWORK_FAULTS = (
    Fault.DROP_REQUEST,
    Fault.DROP_RESPONSE,
    Fault.TIMEOUT_AFTER_SEND,
    Fault.DUPLICATE,
    Fault.DELAY,
    Fault.SERVER_ERROR,
    Fault.RATE_LIMITED,
)


class FaultyTransport(httpx.BaseTransport):
    """A real transport to the loopback hub that breaks requests on purpose.

    Each request meets the next scripted fault, or a random one with probability `rate`;
    `faults` counts what happened, `requests` lists each request's method and path. `off()`
    makes it a plain transport again."""

    def __init__(
        self,
        rate: float = 0.0,
        seed: int = 0,
        kinds: tuple[Fault, ...] = NETWORK_FAULTS,
        delay: float = 0.02,
    ) -> None:
        self._inner = httpx.HTTPTransport()
        self._random = random.Random(seed)
        self.rate = rate
        self.kinds = kinds
        self.delay = delay
        self.scripted: list[Fault | None] = []
        self.faults: dict[Fault, int] = dict.fromkeys(Fault, 0)
        self.push_keys: list[str] = []
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def off(self) -> None:
        self.rate = 0.0
        self.scripted.clear()

    def _next_fault(self, request: httpx.Request) -> Fault | None:
        """The fault this request meets, counted, and the request noted (engines send from
        several threads)."""
        with self._lock:
            self.requests.append(f"{request.method} {request.url.path.removeprefix('/api/v1')}")
            if request.url.path.endswith("/sync/push"):
                self.push_keys.append(request.headers["Idempotency-Key"])
            fault: Fault | None = None
            if self.scripted:
                fault = self.scripted.pop(0)
            elif self.rate and self._random.random() < self.rate:
                fault = self._random.choice(self.kinds)
            if fault is not None:
                self.faults[fault] += 1
            return fault

    def _forward(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        content = response.read()
        response.close()
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._next_fault(request)
        if fault is Fault.DROP_REQUEST:
            raise httpx.ConnectError("dropped before sending", request=request)
        if fault is Fault.DROP_RESPONSE:
            self._forward(request)
            raise httpx.RemoteProtocolError("connection reset after sending", request=request)
        if fault is Fault.TIMEOUT_AFTER_SEND:
            self._forward(request)
            raise httpx.ReadTimeout("no answer in time", request=request)
        if fault is Fault.DUPLICATE:
            self._forward(request)
        if fault is Fault.DELAY:
            time.sleep(self.delay)
        if fault is Fault.SERVER_ERROR:
            return httpx.Response(500, json=_error("internal"), request=request)
        if fault is Fault.RATE_LIMITED:
            return httpx.Response(
                429, headers={"Retry-After": "1"}, json=_error("rate_limited"), request=request
            )
        if fault is Fault.UPGRADE_REQUIRED:
            body = _error("upgrade_required") | {}
            body["error"]["details"] = {"client": 1, "minimum": 2}
            return httpx.Response(426, json=body, request=request)
        if fault is Fault.GARBAGE:
            return httpx.Response(200, text="<html>captive portal</html>", request=request)
        return self._forward(request)

    def close(self) -> None:
        self._inner.close()


def _error(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": code, "details": {}}}


@dataclass
class Device:
    """One installation: its store, its client (over `transport`), its engine."""

    username: str
    path: Path
    live: LiveHub
    tokens: MemoryTokenStore
    transport: FaultyTransport
    store: Store
    client: HubClient
    engine: SyncEngine
    batch_size: int = MAX_MUTATIONS_PER_PUSH

    def reopen(self) -> None:
        """A crash: everything in memory is gone; the store file and the token remain."""
        self.client.close()
        self.store.close()
        self.store = open_store(self.path)
        self.client = _client(self.live.url, self.tokens, self.transport)
        self.engine = SyncEngine(
            self.store, self.client, batch_size=self.batch_size, stall_timeout=30
        )

    def close(self) -> None:
        self.client.close()
        self.store.close()
        self.transport.close()


def open_store(path: Path) -> Store:
    """A device's store, committing without waiting for the disk: these tests crash processes
    (kill -9, reopening), never the machine, and a process's commits survive its death without
    fsync. Waiting for the disk on every save was most of the engine suite's time."""
    store = Store.open(path)
    configure(store._conn, store.path, "OFF")
    return store


def _client(url: str, tokens: MemoryTokenStore, transport: httpx.BaseTransport) -> HubClient:
    return HubClient(
        url, token_store=tokens, transport=transport, retry=FAST_RETRY, sleep=_no_sleep
    )


def open_device(
    live: LiveHub,
    username: str,
    path: Path,
    transport: FaultyTransport | None = None,
    batch_size: int = MAX_MUTATIONS_PER_PUSH,
) -> Device:
    tokens = live.login(username)
    transport = transport or FaultyTransport()
    client = _client(live.url, tokens, transport)
    user = client.me()
    store = open_store(path)
    state = store.sync_state()
    store.set_sync_state(
        SyncState(
            client_id=state.client_id,
            hub_url=live.url,
            username=username,
            org=user.org,
            county=user.county or user.org,
        )
    )
    engine = SyncEngine(store, client, batch_size=batch_size, stall_timeout=30)
    return Device(username, path, live, tokens, transport, store, client, engine, batch_size)


@pytest.fixture
def devices(live_hub: LiveHub, tmp_path: Path) -> Iterator[Callable[..., Device]]:
    opened: list[Device] = []

    def make(username: str, transport: FaultyTransport | None = None) -> Device:
        device = open_device(
            live_hub, username, tmp_path / f"{username}-{len(opened)}.db", transport
        )
        opened.append(device)
        return device

    yield make
    for device in opened:
        device.close()


def wire_fields(store: Store, record_id: str) -> dict[str, Any]:
    """A stored record's fields as they travel."""
    record = store.get(record_id)
    form = store.registry.get(record.form)
    return forms.to_wire(form, record.fields)


def assert_matches_hub(device: Device, hub_records: dict[str, Record]) -> None:
    """The device holds every record of its scope exactly as the hub does."""
    for record_id, record in hub_records.items():
        mine = device.store.get(record_id)
        assert (mine.rev, mine.status, mine.deleted) == (
            record.rev,
            record.status,
            record.deleted,
        ), record_id
        assert not mine.pending, record_id
        assert wire_fields(device.store, record_id) == _without_nulls(record.fields), record_id


def _without_nulls(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}
