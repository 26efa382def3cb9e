"""Stores filled the way a sync fills them: pulled pages of generated records."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sync.protocol import Record, RecordStatus
from sync.samples import SampleFactory
from sync.store import Store

PAGE = 500
STATUSES = (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.APPROVED)


def pulled_records(
    form: str, count: int, *, distinct: int = 500, seed: int = 3, org: str = "school01"
) -> Iterator[Record]:
    """`count` records of `form` as the hub sends them, repeating `distinct` generated samples
    (generating is slower than storing)."""
    factory = SampleFactory(seed=seed)
    samples = [factory.fields(form, "valid") for _ in range(min(distinct, count))]
    for n in range(count):
        payload: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{form}-{seed}-{n}")),
            "form": form,
            "form_version": 1,
            "org": org,
            "county": "500103",
            "rev": 1,
            "status": STATUSES[n % len(STATUSES)],
            "fields": samples[n % len(samples)],
            "updated_at": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T08:{n % 60:02d}:00Z",
            "updated_by": "hub",
        }
        yield Record.model_validate(payload)


def fill(store: Store, form: str, count: int, **options: Any) -> None:
    """Store `count` pulled records of `form`, a page at a time like a sync."""
    page: list[Record] = []
    for number, record in enumerate(pulled_records(form, count, **options)):
        page.append(record)
        if len(page) == PAGE:
            store.apply_pull_page(page, cursor=f"{form}-{number}")
            page = []
    if page:
        store.apply_pull_page(page, cursor=f"{form}-{count}")
    store.index_pending()  # as the sync engine does after its pull loop


def multiply(path: Path, form: str, copies: int) -> None:
    """Copy every record of `form` in the store file at `path` `copies` times under new ids, in
    SQL: 100,000 records in seconds where pulling them takes a minute on a busy machine. The
    copies are in the list and the record index but not in the search index; tests of lists
    and scrolling only."""
    with sqlite3.connect(path) as db:
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{form}")')]
        copied = [name for name in names if name not in ("_key", "_id")]
        columns = ", ".join(f'"{name}"' for name in copied)
        # Ids in ascending order: appending to the id index is far faster than random inserts.
        db.execute(
            f'INSERT INTO "{form}" ("_id", {columns}) '
            f"SELECT printf('%08x-0000-4000-a000-%012x', n.i, t._key), {columns} "
            f"FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            f'SELECT i FROM n) AS n, "{form}" AS t ORDER BY n.i, t._key',
            (copies,),
        )
