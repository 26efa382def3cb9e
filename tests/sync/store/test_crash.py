"""Crash test: a process saving in a loop is killed with SIGKILL at random moments, 50 times.
After each kill the database passes its integrity check and every save that returned is there,
with its outbox entry (record and outbox are one transaction).

The children are started with subprocess, never forked: pytest's process may run threads (the
engine tests' loopback hub), and a child forked while one held a lock hangs. The child is
crash_child.py."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import open_store

KILLS = 50

ROOT = Path(__file__).resolve().parents[3]


def test_every_returned_save_survives_sigkill(db_path: Path) -> None:
    rng = random.Random(20261121)
    # Each record's name as its last save that returned saved it, and that save's number.
    returned: dict[str, tuple[int, int]] = {}
    # Created before the first child, so no child spends its short life on migrations.
    open_store(db_path).close()
    for attempt in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.store.crash_child", str(db_path), str(attempt)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            encoding="utf-8",
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"  # imports and pinyin done: kills hit saves
        time.sleep(rng.uniform(0.02, 0.3))
        child.kill()
        lines = child.stdout.read().split("\n")
        child.wait()
        child.stdout.close()
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
