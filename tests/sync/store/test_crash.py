"""Crash test: a process saving in a loop is killed with SIGKILL at random moments, 50 times.
After each kill the database passes its integrity check and every save that returned is there,
with its outbox entry (record and outbox are one transaction)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from sync.store.search import load_pinyin

from .conftest import open_store

KILLS = 50

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _save_until_killed(path: Path, out_fd: int, seed: int) -> None:
    """Runs in the forked child: prints each record id and the name it saved once its save
    has returned."""
    try:
        os.dup2(out_fd, 1)
        sys.stdout = os.fdopen(1, "w", encoding="utf-8", closefd=False)
        rng = random.Random(seed)
        store = open_store(path)
        record_id: str | None = None
        for n in range(1_000_000):
            # Mostly new records; sometimes keep typing into the last one (coalescing saves).
            target = record_id if record_id and rng.random() < 0.3 else None
            name = f"学生{seed}-{n}"
            fields = {"student_name": name, "notes": "备注" * rng.randrange(50)}
            record_id = store.save("internship", target, fields, "crash").record_id
            print(record_id, name, flush=True)
    finally:
        os._exit(1)


def test_every_returned_save_survives_sigkill(db_path: Path) -> None:
    rng = random.Random(20261121)
    # Each record's name as its last save that returned saved it, and that save's number.
    returned: dict[str, tuple[int, int]] = {}
    # Created, and pinyin loaded, before the first fork (as the app loads it after start), so
    # no child spends its short life on imports and migrations instead of saves.
    open_store(db_path).close()
    load_pinyin()
    for attempt in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _save_until_killed(db_path, write_fd, attempt)
        os.close(write_fd)
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd, encoding="utf-8") as pipe:
            lines = pipe.read().split("\n")
        for line in lines[:-1]:  # the last may be cut short
            record_id, name = line.split(" ")
            seed_text, n_text = name.removeprefix("学生").split("-")
            returned[record_id] = (int(seed_text), int(n_text))

        store = open_store(db_path)
        assert store.verified()  # the integrity check of open; raises if it fails
        store.close()
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = dict(conn.execute("SELECT _id, student_name FROM internship").fetchall())
            queued = {row[0] for row in conn.execute("SELECT record_id FROM _outbox")}
        lost = set(returned) - set(stored)
        assert not lost, f"after kill {attempt + 1}: lost {lost}"
        # A re-save's values, not only its record: the name a returned save stored, or that of
        # the one the kill cut short after its commit (the next save of that child).
        for record_id, (seed, n) in returned.items():
            has_seed, has_n = stored[record_id].removeprefix("学生").split("-")
            assert int(has_seed) == seed and int(has_n) >= n, (
                f"after kill {attempt + 1}: {record_id} holds {stored[record_id]}, "
                f"its save of 学生{seed}-{n} returned"
            )
        assert set(stored) == queued
    assert len(returned) > KILLS
