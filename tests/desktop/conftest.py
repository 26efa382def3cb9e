"""Fixtures of the desktop tests: one session QApplication (pytest-qt's `qapp`), languages
compiled once per session, a thread pool that runs tasks inline, and a real hub on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.i18n import DEFAULT_LANGUAGE, LanguageSwitcher
from tests.sync.engine.conftest import LiveHub, LoopbackServer, fresh_hub


@pytest.fixture(scope="session")
def _switcher(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> LanguageSwitcher:
    # One per session, like the app's: it owns the installed translators.
    return LanguageSwitcher(qapp, tmp_path_factory.mktemp("catalogs"))


@pytest.fixture
def languages(_switcher: LanguageSwitcher) -> Iterator[LanguageSwitcher]:
    """The app in Chinese, as users start it; back to Chinese after the test."""
    switcher = _switcher
    switcher.switch_to(DEFAULT_LANGUAGE)
    yield switcher
    switcher.switch_to(DEFAULT_LANGUAGE)


class InlinePool:
    """A QThreadPool stand-in that runs each task at once on the calling thread."""

    def start(self, task: Callable[[], None]) -> None:
        task()


@pytest.fixture
def inline_pool() -> InlinePool:
    return InlinePool()


def no_sleep(_seconds: float) -> None:
    """The clients' retry pause, skipped in tests."""


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
