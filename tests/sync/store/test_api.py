"""The public API is what `sync.store.__all__` says, and all of it exists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sync.store

from .conftest import open_store


def test_all_names_exist_and_nothing_public_is_left_out() -> None:
    exported = set(sync.store.__all__)
    assert all(hasattr(sync.store, name) for name in exported)
    public = {
        name
        for name, value in vars(sync.store).items()
        if not name.startswith("_") and not isinstance(value, type(sync.store))
    }
    assert public == exported


def test_opening_a_store_with_nothing_to_migrate_leaves_the_slow_imports_out(
    db_path: Path,
) -> None:
    """sqlite-utils (migrations) and pypinyin (search initials) each take a large part of a
    second to import, the protocol's pydantic models a fifth of the app's start: the app's
    start must not pay for them. The forms engine is checked on its own."""
    open_store(db_path).close()  # created and migrated here
    script = (
        "import sys\n"
        "from sync.store import RecordQuery, Store\n"
        f"store = Store.open({str(db_path)!r})\n"
        "store.list_records(RecordQuery(form='internship'))\n"
        "store.close()\n"
        "slow = {'sqlite_utils', 'pypinyin', 'sync.protocol'}\n"
        "print(sorted(slow & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
