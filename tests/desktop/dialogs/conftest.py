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
from tests.desktop.conftest import no_sleep
from tests.sync.engine.conftest import (
    FAST_RETRY,
    MemoryTokenStore,
)


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
        return HubClient(hub_url, token_store=tokens, retry=FAST_RETRY, sleep=no_sleep)


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
