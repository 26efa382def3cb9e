"""Fixtures of the desktop tests: one session QApplication (pytest-qt's `qapp`), languages
compiled once per session, and a thread pool that runs tasks inline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.i18n import DEFAULT_LANGUAGE, LanguageSwitcher


@pytest.fixture(scope="session")
def catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalogs")


@pytest.fixture
def languages(qapp: QApplication, catalog_cache: Path) -> Iterator[LanguageSwitcher]:
    """The app in Chinese, as users start it; back to Chinese after the test."""
    switcher = LanguageSwitcher(qapp, catalog_cache)
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
