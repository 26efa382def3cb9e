"""Opening a connection with the store's durability settings, and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.store.errors import CorruptDatabaseError, StoreBusyError, StoreError

# Measured by tests/bench/bench_store.py (autosave pattern, file database, WAL) on the 2-core
# machine: with the disk to itself FULL gives a save p50 of 1.0-1.3 ms (p99 2.5-10 ms), NORMAL
# 0.65-0.9 ms; when other processes hammer the disk FULL's p50 rises to 3-7 ms while NORMAL
# stays under 1 ms. NORMAL survives any crash of the app but a power cut may take back every
# commit since the last checkpoint, seconds to minutes of typing; FULL syncs the WAL on each
# commit, so a save that returned survives that too. The issue's promise is "never loses a
# keystroke", laptops run flat, and FULL meets the budget on an idle disk: FULL.
SYNCHRONOUS = "FULL"
# For what the hub answers, which a power cut may take back without losing anything: a pulled
# page goes with its cursor (same transaction) and is pulled again; a push's answers are
# asked for again under the batch's key, which stays taken. So their commits (one per 500
# records) need not wait for the disk; a later save's FULL commit syncs them too.
HUB_SYNCHRONOUS = "NORMAL"
# WAL pages a pulling connection lets pile up before it copies them into the database
# (SQLite's default is 1,000 = 4 MB). A pulled page of 500 records dirties pages all over the
# sort and filter indexes, more than 1,000 of them, so the default checkpoints after every page
# and copies the same index pages again each time; measured on 100,000 records, checkpointing
# every ~8 pages took a third off the CPU time of a pull and doubled its speed. The UI's
# connection keeps the default: a save that comes during a pull may copy up to this much
# (tens of ms, while it already waits for the pull's transaction), and `Store.index_pending`
# checkpoints once the pull is over so that the next save does not.
PULL_AUTOCHECKPOINT_PAGES = 8192
# A connection's page cache in KiB (SQLite's default is 2 MiB): random record ids spread pulled
# pages over the id indexes.
CACHE_KIB = 32768
# A pulling connection's: a page pulled into a full table inserts into each list index at
# random places, whose pages (~60 MB for 100,000 records) then no longer fit, and every page
# read them again from the OS. Measured pulling 10,000 more into 100,000: a third fewer reads,
# ~10% less CPU. Memory is taken only as pages are read, and `Store.index_pending` (the pull
# is over) gives it back.
PULL_CACHE_KIB = 131072
DEFAULT_BUSY_TIMEOUT = 5.0
# FTS5's trigram tokenizer, which Chinese search needs, arrived in SQLite 3.34.
MINIMUM_SQLITE = (3, 34, 0)


def connect(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> sqlite3.Connection:
    """A connection owned by the calling thread (sqlite3 refuses use from any other)."""
    if sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        raise StoreError(f"SQLite {sqlite3.sqlite_version} is too old: the store needs 3.34+")
    conn = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=True)
    conn.row_factory = sqlite3.Row
    return conn


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """None when `PRAGMA integrity_check` passes, else what it (or opening the file) reported."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    messages = [str(row[0]) for row in rows]
    return None if messages == ["ok"] else "; ".join(messages[:5])


def configure(conn: sqlite3.Connection, path: Path, synchronous: str = SYNCHRONOUS) -> None:
    """WAL (the UI reads while the sync thread writes), foreign keys, the measured sync level."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(path, str(exc), []) from exc
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"{path}: WAL journal mode refused ({mode})")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def busy_as_store_error(path: Path, timeout: float) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise StoreBusyError(path, timeout) from exc
        raise


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, path: Path, timeout: float, synchronous: str | None = None
) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock up front, so a busy database fails here after the
    busy timeout instead of half-way through (a deferred read lock cannot wait to upgrade).
    `synchronous` applies to this transaction only."""
    with busy_as_store_error(path, timeout):
        restore = None
        if synchronous is not None:
            restore = conn.execute("PRAGMA synchronous").fetchone()[0]
            conn.execute(f"PRAGMA synchronous = {synchronous}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            if restore is not None:
                conn.execute(f"PRAGMA synchronous = {int(restore)}")
