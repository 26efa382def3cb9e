"""Command-line tools speak the environment's language (sync.console): tests that read their
English output set it."""

from __future__ import annotations

import pytest


def set_console_language(monkeypatch: pytest.MonkeyPatch, locale: str) -> None:
    """`locale` for this process and the tools it starts; LC_ALL wins over the others."""
    monkeypatch.setenv("LC_ALL", locale)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", locale)
