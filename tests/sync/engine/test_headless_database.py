"""A busy database is not a damaged one: `chanjiao sync` must not send IT to the backups when
the running app simply holds the lock, and must list the good backups when the file is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.engine import SyncOutcome, outcome_message, outcome_of
from sync.headless import EXIT_CODES, _failure_text, main
from sync.store.errors import CorruptDatabaseError, IntegrityCheckPendingError, StoreBusyError


def test_a_locked_database_is_busy_not_damaged(tmp_path: Path) -> None:
    error = StoreBusyError(tmp_path / "store.db", 5)
    assert outcome_of(error) is SyncOutcome.BUSY
    assert EXIT_CODES[SyncOutcome.BUSY] != EXIT_CODES[SyncOutcome.DATABASE]
    for language in ("zh-CN", "en"):
        words = outcome_message(SyncOutcome.BUSY, error, language)
        assert "备份" not in words and "backup" not in words.lower()
    assert "backup" not in _failure_text(error, "en").lower()


def test_a_damaged_database_lists_its_good_backups(tmp_path: Path) -> None:
    backups = [tmp_path / "backups" / "store-2026-11-20.db", tmp_path / "backups" / "x.db"]
    error = CorruptDatabaseError(tmp_path / "store.db", "malformed", backups)
    assert outcome_of(error) is SyncOutcome.DATABASE
    for language in ("zh-CN", "en"):
        text = _failure_text(error, language)
        assert all(str(backup) in text for backup in backups)


def test_help_documents_the_busy_and_damaged_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert f"{EXIT_CODES[SyncOutcome.BUSY]}  database in use" in shown
    assert f"{EXIT_CODES[SyncOutcome.DATABASE]}  database damaged" in shown
    assert f"{EXIT_CODES[SyncOutcome.UNEXPECTED]}  an unexpected error" in shown


def test_a_write_waiting_for_the_integrity_check_is_not_said_to_be_another_program(
    tmp_path: Path,
) -> None:
    error = IntegrityCheckPendingError(tmp_path / "store.db", 5.0)
    assert outcome_of(error) is SyncOutcome.BUSY
    assert "正在检查数据文件是否完好" in outcome_message(SyncOutcome.BUSY, error, "zh-CN")
    assert "still being checked" in outcome_message(SyncOutcome.BUSY, error, "en")
