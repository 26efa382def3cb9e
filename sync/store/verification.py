"""The integrity check of a store file, run once per open, in the background.

`PRAGMA integrity_check` reads the whole file: 2.8 s for 100,000 records (234 MB), and the daily
backup copies it all again, while the app must show its window within a second. So `Store.open`
reads only the header and schema, then a thread with its own connection runs the check and, when
it passed and one is due, the daily backup. Reads go ahead meanwhile; writes wait for the
verdict, so nothing is ever written into a file not yet known to be good, and a file that fails
is never written at all: every write raises CorruptDatabaseError with the good backups. A write
waits for the verdict as long as it would for a lock (the busy timeout), then raises
IntegrityCheckPendingError: on a slow disk the check of a big file can take longer, and a save
must not hang meanwhile.

The app holds the thread back until its window is painted (`Store.open(..., check_later=True)`,
then `Store.start_check()`): on two cores, a thread reading 234 MB competes with the start. A
write, a verdict asked for or closing the store start a check held back at once.
"""

from __future__ import annotations

import datetime
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from sync.store.backups import daily_backup_due, good_backups, write_backup
from sync.store.database import connect, integrity_problem
from sync.store.errors import CorruptDatabaseError, IntegrityCheckPendingError
from sync.wire import utc_now

_log = logging.getLogger(__name__)


class Verification:
    """The verdict on one store file, shared by every Store of it in this process."""

    def __init__(self, path: Path, clock: Callable[[], datetime.datetime] = utc_now) -> None:
        self.path = path
        # What the daily backup after the check is due by (backups.daily_backup_due).
        self._clock = clock
        self._checked = threading.Event()
        # Set once the check and the daily backup after it are over.
        self._finished = threading.Event()
        self._refusal: CorruptDatabaseError | None = None
        self._thread: threading.Thread | None = None
        # The thread's arguments while it is held back (see `hold`).
        self._held: tuple[float, bool] | None = None
        self._starting = threading.Lock()

    @classmethod
    def known_good(
        cls, path: Path, clock: Callable[[], datetime.datetime] = utc_now
    ) -> Verification:
        """A file created just now, or checked before writing (see `check_now`)."""
        verification = cls(path, clock)
        verification._checked.set()
        verification._finished.set()
        return verification

    def check_now(self, conn: sqlite3.Connection) -> None:
        """Check on the caller's connection (before a migration). Raises CorruptDatabaseError."""
        self._record(integrity_problem(conn))
        self._finished.set()
        self.require(None)

    def hold(self, busy_timeout: float, *, check: bool) -> None:
        """The check (unless done already: `check=False`), then the daily backup if it is due
        and the file is good, on a thread of their own that `release()` starts (and so does
        asking for the verdict)."""
        self._held = (busy_timeout, check)

    def release(self) -> None:
        """Start the thread held back by `hold`; nothing when it started already."""
        with self._starting:
            if self._held is None:
                return
            busy_timeout, check = self._held
            self._held = None
            self._thread = threading.Thread(
                target=self._run,
                args=(busy_timeout, check),
                name=f"store-check {self.path.name}",
                # Killed at exit mid-backup, it leaves a .partial file no one takes for a backup.
                daemon=True,
            )
            self._thread.start()

    def join(self) -> None:
        """Wait for the thread: closing the store that opened the file lets nothing of it run
        on (a backup being written while the file is restored, moved or deleted). A check held
        back runs now: other stores of the file may still wait for its verdict."""
        self.release()
        if self._thread is not None:
            self._thread.join()

    def _run(self, busy_timeout: float, check: bool) -> None:
        try:
            conn = connect(self.path, busy_timeout)
        except sqlite3.Error as exc:
            self._record(str(exc))
            self._finished.set()
            return
        try:
            if check:
                self._record(integrity_problem(conn))
            if self._refusal is None and daily_backup_due(self.path, self._clock()):
                write_backup(conn, self.path, "daily")
        except (sqlite3.Error, OSError) as exc:
            if not self._checked.is_set():
                self._record(str(exc))
            else:
                # A backup that failed leaves the file as good as it was; tomorrow's will try.
                _log.warning("daily backup of %s failed: %s", self.path, exc)
        finally:
            conn.close()
            if not self._checked.is_set():
                self._record("the integrity check was interrupted")
            self._finished.set()

    def _record(self, problem: str | None) -> None:
        if problem is not None:
            self._refusal = CorruptDatabaseError(self.path, problem, good_backups(self.path))
        self._checked.set()

    def require(self, timeout: float | None) -> None:
        """Wait for the verdict, at most `timeout` seconds (None: as long as it takes); raise
        IntegrityCheckPendingError when there is none by then, CorruptDatabaseError when the
        file failed its check."""
        self.release()
        if not self._checked.wait(timeout):
            raise IntegrityCheckPendingError(self.path, timeout or 0.0)
        refusal = self._refusal
        if refusal is not None:
            raise CorruptDatabaseError(refusal.path, refusal.detail, refusal.backups)

    def wait(self, timeout: float | None) -> bool:
        """True once the check passed and the daily backup is over, False if that takes longer
        than `timeout` seconds. Raises CorruptDatabaseError when the check failed."""
        self.release()
        if not self._finished.wait(timeout):
            return False
        self.require(None)
        return True
