"""The child process of the crash test (test_crash.py): saves in a loop until it is killed.

A module of its own so that starting it imports only the store, not pytest and the test
fixtures (which took most of each of the 50 children's second of start-up).

    python -m tests.sync.store.crash_child DB_PATH SEED
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from forms import FormRegistry
from sync.samples import DEFAULT_TODAY
from sync.store import Store
from sync.store.search import load_pinyin


def save_until_killed(path: Path, seed: int) -> None:
    """Says "ready", then prints each record id and the name it saved once its save has
    returned."""
    rng = random.Random(seed)
    # As the test's open_store opens it, so this open takes no daily backup of its own.
    store = Store.open(path, FormRegistry(), today=lambda: DEFAULT_TODAY)
    load_pinyin()
    print("ready", flush=True)
    record_id: str | None = None
    for n in range(1_000_000):
        # Mostly new records; sometimes keep typing into the last one (coalescing saves).
        target = record_id if record_id and rng.random() < 0.3 else None
        name = f"学生{seed}-{n}"
        fields = {"student_name": name, "notes": "备注" * rng.randrange(50)}
        record_id = store.save("internship", target, fields, "crash").record_id
        print(record_id, name, flush=True)


if __name__ == "__main__":
    save_until_killed(Path(sys.argv[1]), int(sys.argv[2]))
