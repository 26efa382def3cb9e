"""Ctrl+C in `chanjiao sync`: the summary says what is known (the records still waiting, the
last sync that finished), not "waiting: 0" and "last sync: never"."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.engine import SyncEngine, SyncOutcome
from sync.headless import EXIT_CODES, main
from tests.sync.engine.conftest import LiveHub
from tests.sync.engine.test_headless import private_tokens, signed_in_profile

__all__ = ["private_tokens"]  # the autouse fixture, used here too


def test_ctrl_c_prints_what_is_still_waiting_and_the_last_sync(
    tmp_path: Path,
    live_hub: LiveHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = signed_in_profile(tmp_path / "profile", live_hub)
    assert main(["--profile", str(profile.directory), "--lang", "en", "--quiet"]) == 0
    with profile.open_store() as store:
        store.save("internship", None, {"student_name": "张三"}, "school1")
    capsys.readouterr()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(SyncEngine, "sync", interrupted)
    status = main(["--profile", str(profile.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == EXIT_CODES[SyncOutcome.CANCELLED]
    assert "Waiting to push: 1" in out, out
    assert "never" not in out.lower(), out
