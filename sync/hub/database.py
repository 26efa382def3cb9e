"""Connecting to the hub's database: a SQLite file by default, PostgreSQL through psycopg 3.

SQLite runs in WAL mode with `synchronous=NORMAL`; write transactions start with
`BEGIN IMMEDIATE` so two writers queue on the busy timeout instead of failing on a lock upgrade,
and read transactions see one snapshot. On PostgreSQL a write transaction that loses a race
(a unique key taken by a concurrent batch, a deadlock, a serialization failure) is run again
from the start by `Database.write`, so callers write plain single-attempt code.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable, Row, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from sync.console import Bilingual
from sync.hub import schema
from sync.protocol import format_utc, utc_now

T = TypeVar("T")

_WRITE = "chanjiao_write"
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})  # serialization, deadlock, unique
MAX_ATTEMPTS = 8
_BUSY_SECONDS = 30  # how long a SQLite writer waits for its turn


class DatabaseURLError(Bilingual, ValueError):
    """A database URL the hub cannot use: not SQLite or PostgreSQL, malformed, or in memory."""


# The backends the hub runs on, each with the one driver it ships.
_DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` use psycopg 3; a bare path means a SQLite file.

    DatabaseURLError for anything else, before a driver is looked for (that failed with the
    import error of a driver the hub does not ship). Its message never shows a password."""
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    try:
        given = make_url(url)
    except (ArgumentError, ValueError) as error:
        raise DatabaseURLError(
            f"不是数据库地址（{error}）", f"not a database URL ({error})"
        ) from None
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
        parsed = make_url(url)
    else:
        parsed = given
    backend = parsed.get_backend_name()
    if _DRIVERS.get(backend) != parsed.get_driver_name():
        shown = given.render_as_string(hide_password=True)
        raise DatabaseURLError(
            f"中心服务器的数据库须是 SQLite 文件或 postgresql://...，不能是 {shown}",
            f"the hub's database is a SQLite file or postgresql://..., not {shown}",
        )
    if backend == "sqlite" and (parsed.database or "") in ("", ":memory:"):
        raise DatabaseURLError(
            "中心服务器需要 SQLite 文件，不能用内存数据库",
            "the hub needs a SQLite file, not an in-memory database",
        )
    return url


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off: we say BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 32 MiB rather than 2: a 500-record batch touches the records indexes all over.
    cursor.execute("PRAGMA cache_size=-32768")
    # Copy the WAL into the database every 10,000 pages (40 MiB) rather than every 1,000: a
    # pushed batch dirties some 1,500 pages, most of them index pages at random places, and
    # copied after every batch each was written back once a batch; a checkpoint every few
    # batches writes the pages they share once (hub system time on a push to a 100,000-record
    # database 50 -> 36 µs a record, the final checkpoint counted).
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _is_retryable(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in _RETRYABLE_SQLSTATES


class Database:
    """One engine and the two ways the hub uses it: read snapshots and retried writes."""

    # Connections a process keeps, and how many more it may open while busy. Kept ones are most:
    # an overflow connection is closed when handed back, and opening one costs PostgreSQL a
    # backend process, so a storm of clients would keep opening and closing them. Two workers
    # stay at 60 connections, under PostgreSQL's default limit of 100.
    def __init__(self, url: str, *, pool_size: int = 20, max_overflow: int = 10) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = parsed.database or ""
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=False
            )
            # Writes take turns anyway (BEGIN IMMEDIATE), so they share one connection, whose
            # page cache then stays valid from one write to the next: SQLite drops a
            # connection's whole cache when another connection has written since it last
            # looked, and with writes spread over the pool each batch read the indexes it
            # inserts into from the file again (2.5 reads a pushed record on a 100,000-record
            # database). A writer waits for it as long as it would wait for the lock.
            self._writer = create_engine(
                self.url, pool_size=1, max_overflow=0, pool_timeout=_BUSY_SECONDS
            )
            for engine in (self.engine, self._writer):
                event.listen(engine, "connect", _sqlite_connect)
                event.listen(engine, "begin", _sqlite_begin)
        else:
            # No ping on checkout: it is a round trip on each of a request's connections. A
            # connection found dead (the server restarted) makes the pool drop all it had, and
            # `write` and `read_one` run again on a fresh one.
            self.engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=False
            )
            self._writer = self.engine
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    def read_one(self, statement: Executable, parameters: dict[str, Any]) -> Row[Any] | None:
        """The first row of one read statement. On PostgreSQL outside a transaction: a single
        statement sees one snapshot anyway, and BEGIN and COMMIT were a round trip each."""
        for attempt in (1, 2):
            try:
                if self.is_sqlite:
                    with self.read() as connection:
                        return connection.execute(statement, parameters).first()
                with self._autocommit.connect() as connection:
                    return connection.execute(statement, parameters).first()
            except DBAPIError as error:
                if attempt == 2 or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction, again from the start when it lost a race or
        its pooled connection had died."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with (
                    self._writer.connect().execution_options(**{_WRITE: True}) as connection,
                    connection.begin(),
                ):
                    return work(connection)
            except DBAPIError as error:
                if (
                    self.is_sqlite
                    or attempt == MAX_ATTEMPTS
                    or not (_is_retryable(error) or error.connection_invalidated)
                ):
                    raise
                time.sleep(random.uniform(0, 0.01 * attempt))
        raise AssertionError("unreachable")

    def migrate(self) -> list[int]:
        now = format_utc(utc_now())
        return self.write(lambda connection: schema.migrate(connection, now))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer is not self.engine:
            self._writer.dispose()


def single_use_engine(url: str) -> Engine:
    """An engine without a pool, for administrative statements (creating databases in tests)."""
    return create_engine(normalize_url(url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
