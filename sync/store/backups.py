"""Online backups through the SQLite backup API, and restoring one.

Backups live in `backups/` beside the database as `<stem>-<UTC time>-<reason>.sqlite3`; the
newest `KEEP_BACKUPS` are kept. A damaged database is never overwritten: restoring moves it aside
to `<name>.damaged-<UTC time>` first.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
from pathlib import Path

from sync.store.database import integrity_problem

KEEP_BACKUPS = 7
DAILY = datetime.timedelta(days=1)
_TIME_FORMAT = "%Y%m%dT%H%M%S%fZ"


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


def list_backups(path: Path) -> list[Path]:
    """Backups of the database at `path`, newest first."""
    directory = backup_dir(path)
    if not directory.is_dir():
        return []
    found = directory.glob(f"{path.stem}-*.sqlite3")
    return sorted(found, key=lambda p: p.name.removeprefix(path.stem), reverse=True)


def is_good_backup(backup: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return integrity_problem(conn) is None
    finally:
        conn.close()


def good_backups(path: Path) -> list[Path]:
    """Backups that pass their integrity check, newest first."""
    return [backup for backup in list_backups(path) if is_good_backup(backup)]


def write_backup(conn: sqlite3.Connection, path: Path, reason: str) -> Path:
    """A consistent copy of the open database, then the oldest beyond KEEP_BACKUPS removed."""
    directory = backup_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime(_TIME_FORMAT)
    target = directory / f"{path.stem}-{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
        # A rollback-journal copy opens read-only anywhere, without -wal and -shm files.
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    os.replace(partial, target)
    for old in list_backups(path)[KEEP_BACKUPS:]:
        old.unlink()
    return target


def daily_backup_due(path: Path, now: datetime.datetime) -> bool:
    newest = next(iter(list_backups(path)), None)
    if newest is None:
        return True
    made = datetime.datetime.fromtimestamp(newest.stat().st_mtime, datetime.UTC)
    return now - made >= DAILY


def restore_backup(backup: Path, path: Path) -> Path | None:
    """Put `backup` in place of the database at `path` (which must not be open).

    The file it replaces, with its -wal and -shm, is moved aside, never deleted; returns where
    it went (None when there was no file). Raises ValueError when the backup itself is bad."""
    if not is_good_backup(backup):
        raise ValueError(f"{backup} fails its integrity check")
    moved: Path | None = None
    if path.exists():
        stamp = datetime.datetime.now(datetime.UTC).strftime(_TIME_FORMAT)
        moved = path.with_name(f"{path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                os.replace(companion, Path(f"{moved}{suffix}"))
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, partial)
    os.replace(partial, path)
    return moved
