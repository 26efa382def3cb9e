"""Fixtures of the desktop tests: one session QApplication (pytest-qt's `qapp`), languages
compiled once per session, and a thread pool that runs tasks inline."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop.i18n import DEFAULT_LANGUAGE, LanguageSwitcher


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
