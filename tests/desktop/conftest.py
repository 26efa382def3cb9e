"""Fixtures of the desktop tests: one session QApplication (pytest-qt's `qapp`), languages
compiled once per session, a thread pool that runs tasks inline, a real hub on loopback, and
main windows over a store with a logged-in user."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.i18n import DEFAULT_LANGUAGE, LanguageSwitcher
from desktop.main_window import MainWindow
from desktop.tasks import TaskRunner
from sync.store import Store
from tests.desktop.windows import open_store
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


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with open_store(store_path) as store:
        yield store


@pytest.fixture
def open_window(
    qtbot: QtBot, languages: LanguageSwitcher, inline_pool: InlinePool
) -> Iterator[Callable[[Store], MainWindow]]:
    """Opens main windows over a store, shown and painted; deleted after the test."""
    windows: list[MainWindow] = []

    def open_(store: Store) -> MainWindow:
        window = MainWindow(store, TaskRunner(inline_pool))
        windows.append(window)
        # The window counts once it has painted (the inline pool shows the counts at once).
        with qtbot.waitSignal(window.first_painted):
            window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    yield open_
    # Before the store closes: a window left alive would read it on the next language change.
    for window in windows:
        if shiboken6.isValid(window):
            shiboken6.delete(window)


@pytest.fixture
def hook_calls(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """What reached the global exception hook: a failure the page handles never does."""
    calls: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: calls.append(exc[1]))
    return calls
