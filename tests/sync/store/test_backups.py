"""Backups, restore, and never touching a damaged database."""

from __future__ import annotations

import datetime
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from sync.store import (
    KEEP_BACKUPS,
    CorruptDatabaseError,
    IntegrityCheckPendingError,
    RecordQuery,
    good_backups,
    list_backups,
    restore_backup,
)

from .conftest import open_store


def make_store_with_record(path: Path, name: str = "张三") -> str:
    store = open_store(path)
    try:
        return store.save("internship", None, {"student_name": name}, "li").record_id
    finally:
        store.close()


def test_backup_keeps_the_newest_seven(db_path: Path) -> None:
    make_store_with_record(db_path)
    store = open_store(db_path)
    try:
        made = [store.backup() for _ in range(KEEP_BACKUPS + 3)]
        assert store.backups() == list(reversed(made))[:KEEP_BACKUPS]
    finally:
        store.close()


def test_opening_an_existing_store_makes_the_daily_backup_once(db_path: Path) -> None:
    make_store_with_record(db_path)
    for _ in range(2):
        store = open_store(db_path)
        assert store.verified(timeout=30)  # the check, then the backup, in the background
        store.close()
    assert len([p for p in list_backups(db_path) if p.name.endswith("-daily.sqlite3")]) == 1


def test_a_process_left_open_for_days_backs_up_once_a_day(db_path: Path) -> None:
    now = datetime.datetime.now(datetime.UTC)
    store = open_store(db_path, clock=lambda: now)
    try:
        store.save("internship", None, {"student_name": "张三"}, "li")
        first = store.backup_if_due()  # no backup yet: due
        assert first is not None and store.backups() == [first]
        now += datetime.timedelta(hours=23)
        assert store.backup_if_due() is None
        assert store.backups() == [first]
        made = [first]
        for _ in range(KEEP_BACKUPS + 2):
            now += datetime.timedelta(days=1, hours=1)
            backup = store.backup_if_due()
            assert backup is not None
            made.append(backup)
        assert store.backups() == list(reversed(made))[:KEEP_BACKUPS]
        with sqlite3.connect(made[-1]) as copy:
            assert copy.execute("SELECT student_name FROM internship").fetchall() == [("张三",)]
    finally:
        store.close()


def test_a_write_waits_for_the_check_of_open_only_as_long_as_the_busy_timeout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store_with_record(db_path)
    check_may_end = threading.Event()

    def slow_check(conn: sqlite3.Connection) -> str | None:
        check_may_end.wait()
        return None

    monkeypatch.setattr("sync.store.verification.integrity_problem", slow_check)
    store = open_store(db_path, busy_timeout=0.05)
    try:
        with pytest.raises(IntegrityCheckPendingError) as pending:
            store.save("internship", None, {"student_name": "李四"}, "li")
        assert pending.value.timeout == 0.05
        assert "稍后再试" in pending.value.message("zh-CN")
        assert "Try again" in pending.value.message("en")
        assert store.backup_if_due() is None  # open's own check and backup are not over
        # Reads go on meanwhile; nothing of the refused save was written.
        assert store.count(RecordQuery(form="internship")) == 1
        check_may_end.set()
        assert store.verified(timeout=30)
        store.save("internship", None, {"student_name": "李四"}, "li")
        assert store.count(RecordQuery(form="internship")) == 2
    finally:
        check_may_end.set()
        store.close()


def test_restore_brings_back_the_backup_and_moves_the_current_file_aside(db_path: Path) -> None:
    kept = make_store_with_record(db_path, "张三")
    store = open_store(db_path)
    backup = store.backup()
    later = store.save("internship", None, {"student_name": "李四"}, "li").record_id
    store.close()

    moved = restore_backup(backup, db_path)
    assert moved is not None and moved.exists()
    store = open_store(db_path)
    try:
        assert store.get(kept).fields == {"student_name": "张三"}
        with pytest.raises(Exception, match=later):
            store.get(later)
    finally:
        store.close()


def _damage(path: Path, *, wal: bool = False) -> None:
    """Garbage in the internship table's root page; the header and schema stay readable."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'internship'")
        (page,) = root.fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    with open(path, "r+b") as raw:
        raw.seek((page - 1) * size)
        raw.write(b"\x0d" + os.urandom(size - 1))
        if wal:
            # The file format version bytes that say "WAL", as the store leaves its files.
            raw.seek(18)
            raw.write(b"\x02\x02")


def test_a_damaged_rollback_mode_database_is_refused_at_open_untouched(db_path: Path) -> None:
    """A file not in WAL mode (a restored backup) is checked before open switches it."""
    make_store_with_record(db_path)
    store = open_store(db_path)
    backup = store.backup()
    store.close()
    _damage(db_path)
    before = db_path.read_bytes()

    with pytest.raises(CorruptDatabaseError) as refused:
        open_store(db_path)
    assert backup in refused.value.backups
    assert refused.value.backups == good_backups(db_path)
    assert db_path.read_bytes() == before


def test_a_damaged_database_refuses_every_write_and_stays_untouched(db_path: Path) -> None:
    record_id = make_store_with_record(db_path)
    store = open_store(db_path)
    backup = store.backup()
    store.close()
    _damage(db_path, wal=True)
    before, backups = db_path.read_bytes(), list_backups(db_path)

    store = open_store(db_path)  # the check runs in the background
    try:
        with pytest.raises(CorruptDatabaseError) as refused:
            store.verified(timeout=30)
        assert backup in refused.value.backups
        assert refused.value.backups == good_backups(db_path)
        other_thread = store.for_thread()
        for write in (
            lambda: store.save("internship", None, {"student_name": "李四"}, "li"),
            lambda: other_thread.delete(record_id, "li"),
            lambda: store.apply_pull_page([], "c1"),
            store.backup,
        ):
            with pytest.raises(CorruptDatabaseError):
                write()
        other_thread.close()
    finally:
        store.close()
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == backups


def test_a_check_held_back_runs_on_start_check_and_makes_the_daily_backup(db_path: Path) -> None:
    make_store_with_record(db_path)
    store = open_store(db_path, check_later=True)
    try:
        assert not list_backups(db_path)  # nothing ran yet
        store.start_check()
        assert store.verified(timeout=30)
        assert [p.name.endswith("-daily.sqlite3") for p in list_backups(db_path)] == [True]
    finally:
        store.close()


def test_a_write_before_a_held_back_check_waits_for_it(db_path: Path) -> None:
    make_store_with_record(db_path)
    store = open_store(db_path, check_later=True)
    try:
        # Neither start_check nor verified called: the write starts the check and waits.
        saved = store.save("internship", None, {"student_name": "李四"}, "li")
        assert store.get(saved.record_id).fields["student_name"] == "李四"
    finally:
        store.close()


def test_a_damaged_database_opened_with_its_check_held_back_refuses_writes(
    db_path: Path,
) -> None:
    make_store_with_record(db_path)
    store = open_store(db_path)
    store.backup()
    store.close()
    _damage(db_path, wal=True)
    before = db_path.read_bytes()

    store = open_store(db_path, check_later=True)
    try:
        with pytest.raises(CorruptDatabaseError):
            store.save("internship", None, {"student_name": "李四"}, "li")
        with pytest.raises(CorruptDatabaseError):
            store.verified(timeout=30)
    finally:
        store.close()
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_untouched(db_path: Path) -> None:
    db_path.write_bytes(b"this is a spreadsheet, not a database" * 200)
    with pytest.raises(CorruptDatabaseError) as refused:
        open_store(db_path)
    assert refused.value.backups == []
    assert db_path.read_bytes().startswith(b"this is a spreadsheet")


def test_a_damaged_backup_is_not_offered(db_path: Path) -> None:
    make_store_with_record(db_path)
    store = open_store(db_path)
    good, bad = store.backup(), store.backup()
    store.close()
    bad.write_bytes(b"garbage" * 1000)
    assert good in good_backups(db_path)
    assert bad not in good_backups(db_path)
    with pytest.raises(ValueError):
        restore_backup(bad, db_path)
