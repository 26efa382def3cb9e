"""Fixtures of the dialog tests: a real hub on loopback, a profile's store, settings files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.settings import Settings
from desktop.tasks import TaskRunner
from sync.client import HubClient
from sync.profile import Profile
from sync.store import Store
from tests.sync.engine.conftest import (
    FAST_RETRY,
    LiveHub,
    LoopbackServer,
    MemoryTokenStore,
    fresh_hub,
)


def _no_sleep(_seconds: float) -> None:
    pass


@pytest.fixture(scope="package")
def server() -> Iterator[LoopbackServer]:
    running = LoopbackServer()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def live_hub(server: LoopbackServer, tmp_path: Path) -> Iterator[LiveHub]:
    """A real hub with the orgs and users of tests/sync/hub (password "pw") on loopback."""
    hub = fresh_hub(tmp_path)
    server.serve(hub)
    yield LiveHub(server.url, hub)
    hub.db.dispose()


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile(tmp_path / "profile")


@pytest.fixture
def store(profile: Profile) -> Iterator[Store]:
    opened = profile.open_store()
    yield opened
    opened.close()


@pytest.fixture
def settings_files(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "user.ini", tmp_path / "system.ini"


@pytest.fixture
def settings(settings_files: tuple[Path, Path]) -> Settings:
    return Settings(*settings_files)


@pytest.fixture
def tasks(qapp) -> TaskRunner:
    return TaskRunner()


class Tokens:
    """In-memory token stores, one per hub and user, as the keyring keeps them."""

    def __init__(self) -> None:
        self.stores: dict[tuple[str, str], MemoryTokenStore] = {}

    def connect(self, hub_url: str, username: str) -> HubClient:
        tokens = self.stores.setdefault((hub_url, username), MemoryTokenStore())
        return HubClient(hub_url, token_store=tokens, retry=FAST_RETRY, sleep=_no_sleep)


@pytest.fixture
def tokens() -> Tokens:
    return Tokens()


def closed_port_url() -> str:
    """A loopback URL nothing listens on."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


ConnectFactory = Callable[[str, str], HubClient]
