"""The outbox: mutations in the order they were made, until the hub answers them.

An entry is "taken" once a batch (an Idempotency-Key) claims it: from then on it is sent exactly
as stored, so a retry after a crash repeats the same body under the same key. Entries not yet
taken may still change: consecutive saves coalesce, and answers from the hub rebase them.

Which batch holds an entry is kept apart from the entry, in `_taken` (entry → batch) and
`_batches` (batch → key): taking 500 entries writes 500 narrow rows instead of rewriting 500
payloads of a kilobyte and more, and a new key for a batch is one row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sized
from typing import Any

from sync.store.models import OutboxBatch, OutboxEntry
from sync.wire import MAX_PUSH_BYTES, PUSH_ENVELOPE_BYTES, EncodedMutation, Op, new_id

# Op by its stored value: a dict look-up, not the enum's call (a batch takes 500).
_OPS = {op.value: op for op in Op}
# Values bound to one statement at most (SQLite's limit is 32,766 since 3.32, 999 before).
_CHUNK = 500


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        seq=row["seq"],
        mutation_id=row["mutation_id"],
        record_id=row["record_id"],
        op=Op(row["op"]),
        base_rev=row["base_rev"],
        payload_json=row["payload"],
    )


def enqueue(
    conn: sqlite3.Connection,
    record_id: str,
    op: Op,
    base_rev: int,
    payload: dict[str, Any],
    now: str,
) -> None:
    """Append a mutation; a save right after an untaken save of the same record replaces its
    payload instead (same place in the queue, same mutation_id, same base_rev)."""
    text = json.dumps(payload, ensure_ascii=False)
    if op is Op.SAVE:
        last = conn.execute(
            "SELECT seq, op, seq IN (SELECT seq FROM _taken) AS taken FROM _outbox "
            "WHERE record_id = ? ORDER BY seq DESC LIMIT 1",
            (record_id,),
        ).fetchone()
        if last is not None and last["op"] == Op.SAVE and not last["taken"]:
            conn.execute(
                "UPDATE _outbox SET payload = ?, updated_at = ? WHERE seq = ?",
                (text, now, last["seq"]),
            )
            return
    conn.execute(
        "INSERT INTO _outbox (mutation_id, record_id, op, base_rev, payload, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_id(), record_id, str(op), base_rev, text, now, now),
    )


def has_entries(conn: sqlite3.Connection, record_id: str) -> bool:
    found = conn.execute("SELECT 1 FROM _outbox WHERE record_id = ? LIMIT 1", (record_id,))
    return found.fetchone() is not None


def has_taken_entries(conn: sqlite3.Connection, record_id: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM _outbox WHERE record_id = ? AND seq IN (SELECT seq FROM _taken) LIMIT 1",
        (record_id,),
    )
    return found.fetchone() is not None


def drop_untaken(conn: sqlite3.Connection, record_id: str, op: Op | None = None) -> None:
    untaken = "record_id = ? AND seq NOT IN (SELECT seq FROM _taken)"
    if op is None:
        conn.execute(f"DELETE FROM _outbox WHERE {untaken}", (record_id,))
    else:
        conn.execute(f"DELETE FROM _outbox WHERE {untaken} AND op = ?", (record_id, str(op)))


def requeue_untaken(conn: sqlite3.Connection, record_id: str, before: int) -> list[Op]:
    """Move the record's untaken entries queued before seq `before`, in their order, to the
    end of the queue (same mutation_ids: none of them was sent). Returns their ops."""
    rows = conn.execute(
        "SELECT * FROM _outbox WHERE record_id = ? AND seq < ? "
        "AND seq NOT IN (SELECT seq FROM _taken) ORDER BY seq",
        (record_id, before),
    ).fetchall()
    conn.executemany("DELETE FROM _outbox WHERE seq = ?", [(row["seq"],) for row in rows])
    conn.executemany(
        "INSERT INTO _outbox (mutation_id, record_id, op, base_rev, payload, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                row["mutation_id"],
                record_id,
                row["op"],
                row["base_rev"],
                row["payload"],
                row["created_at"],
                row["updated_at"],
            )
            for row in rows
        ],
    )
    return [Op(row["op"]) for row in rows]


def rewrite(conn: sqlite3.Connection, entry: OutboxEntry, now: str) -> None:
    """Store an untaken entry's new base_rev and payload."""
    conn.execute(
        "UPDATE _outbox SET base_rev = ?, payload = ?, updated_at = ? "
        "WHERE seq = ? AND seq NOT IN (SELECT seq FROM _taken)",
        (entry.base_rev, entry.payload_json, now, entry.seq),
    )


def open_batch(conn: sqlite3.Connection, excluded: Collection[str] = ()) -> OutboxBatch | None:
    """The oldest batch taken and not yet answered whose key is not in `excluded`."""
    batches = conn.execute(
        "SELECT b.id, b.key FROM _batches AS b JOIN _taken AS t ON t.batch = b.id "
        "GROUP BY b.id ORDER BY min(t.seq)"
    )
    found = next(((batch, key) for batch, key in batches if key not in excluded), None)
    if found is None:
        return None
    batch, key = found
    rows = conn.execute(
        "SELECT o.* FROM _taken AS t JOIN _outbox AS o ON o.seq = t.seq WHERE t.batch = ? "
        "ORDER BY t.seq",
        (batch,),
    )
    return OutboxBatch(key=key, entries=[_entry(row) for row in rows])


def take_batch(
    conn: sqlite3.Connection,
    limit: int,
    held: Collection[str],
    max_bytes: int = MAX_PUSH_BYTES,
) -> tuple[OutboxBatch | None, list[OutboxEntry]]:
    """Claim up to `limit` entries in queue order under a new key, whose push body stays within
    `max_bytes`. The entries of the `held` records stay behind; everyone else's go on. At most
    one entry per record goes in a batch, and none of a record with an entry in a batch still
    unanswered: the next one's base_rev is only known once the hub has answered that one (see
    hub_answers). So each record has at most one mutation on its way to the hub, and batches
    taken while others are unanswered share no record with them: the hub may apply them in
    any order without changing any record's.

    Also returns the entries met that no body within `max_bytes` could hold: they stay
    untaken, and the caller holds their records, or they would be met again in every batch."""
    seen: set[str] = set()
    taken: list[OutboxEntry] = []
    encoded: list[EncodedMutation] = []
    too_large: list[OutboxEntry] = []
    size = PUSH_ENVELOPE_BYTES - 1  # no comma before the first mutation
    # Read lazily: a batch usually needs only the first `limit` rows of a long queue. Plain
    # tuples of the columns an entry needs, not sqlite3.Row (a fifth of taking a batch).
    rows = conn.cursor()
    rows.row_factory = None
    # The records with an entry in a batch on its way are left out by SQLite (CROSS JOIN:
    # from the few taken entries, not the whole queue), not read into a set here.
    rows.execute(
        "SELECT seq, mutation_id, record_id, op, base_rev, payload, CAST(payload AS BLOB) "
        "FROM _outbox WHERE seq NOT IN (SELECT seq FROM _taken) AND record_id NOT IN "
        "(SELECT o.record_id FROM _taken AS t CROSS JOIN _outbox AS o ON o.seq = t.seq) "
        "ORDER BY seq"
    )
    for seq, mutation_id, record_id, op, base_rev, payload, payload_utf8 in rows:
        if len(taken) == limit:
            break
        if record_id in seen:
            continue  # only a record's first entry: the next one's base is not known yet
        seen.add(record_id)
        if record_id in held:
            continue
        entry = OutboxEntry(seq, mutation_id, record_id, _OPS[op], base_rev, payload)
        mutation = entry.encoded(payload_utf8)
        entry_size = len(mutation.json) + 1  # with its comma
        if PUSH_ENVELOPE_BYTES + entry_size - 1 > max_bytes:
            too_large.append(entry)
        elif size + entry_size > max_bytes:
            break  # it goes first in the next batch
        else:
            taken.append(entry)
            encoded.append(mutation)
            size += entry_size
    rows.close()
    if not taken:
        return None, too_large
    key = new_id()
    batch = conn.execute("INSERT INTO _batches (key) VALUES (?)", (key,)).lastrowid
    seqs = [entry.seq for entry in taken]
    for start in range(0, len(seqs), _CHUNK):
        chunk = seqs[start : start + _CHUNK]
        conn.execute(
            "INSERT INTO _taken (seq, batch) SELECT seq, ? FROM _outbox "
            f"WHERE seq IN {placeholders(chunk)}",
            (batch, *chunk),
        )
    return OutboxBatch(key=key, entries=taken, encoded=encoded), too_large


def rekey_batch(conn: sqlite3.Connection, key: str) -> str:
    """Give a whole unanswered batch a new key; its mutations keep their ids. The entries stay
    taken: the hub may have applied them, so a later save must not merge into one of them and a
    delete must not take them for never sent."""
    new_key = new_id()
    conn.execute("UPDATE _batches SET key = ? WHERE key = ?", (new_key, key))
    return new_key


def count(conn: sqlite3.Connection) -> int:
    total: int = conn.execute("SELECT count(*) FROM _outbox").fetchone()[0]
    return total


# Applying a push's answers: a statement per batch rather than per mutation.


def remove_many(conn: sqlite3.Connection, entries: list[OutboxEntry]) -> None:
    seqs = [entry.seq for entry in entries]
    # A statement per chunk, not per entry: SQLite looks the rows up alike, and Python binds
    # and steps each statement once instead of 500 times.
    for start in range(0, len(seqs), _CHUNK):
        chunk = seqs[start : start + _CHUNK]
        conn.execute(f"DELETE FROM _outbox WHERE seq IN {placeholders(chunk)}", chunk)
        conn.execute(f"DELETE FROM _taken WHERE seq IN {placeholders(chunk)}", chunk)
    if seqs:
        # Batches with nothing left: a handful of rows at most.
        conn.execute("DELETE FROM _batches WHERE id NOT IN (SELECT batch FROM _taken)")


def placeholders(values: Sized) -> str:
    """`(?, ?, ...)`, one for each value: an SQL IN list to bind them to."""
    return f"({', '.join('?' * len(values))})"


def untaken_of(conn: sqlite3.Connection, record_ids: list[str]) -> dict[str, list[OutboxEntry]]:
    """The untaken entries of these records, in queue order; records without any left out."""
    found: dict[str, list[OutboxEntry]] = {}
    rows = conn.execute(
        f"SELECT * FROM _outbox WHERE record_id IN {placeholders(record_ids)} "
        "AND seq NOT IN (SELECT seq FROM _taken) ORDER BY seq",
        record_ids,
    )
    for row in rows:
        found.setdefault(row["record_id"], []).append(_entry(row))
    return found


def with_entries(conn: sqlite3.Connection, record_ids: list[str]) -> set[str]:
    """Those of these records that still have entries in the outbox."""
    rows = conn.execute(
        f"SELECT DISTINCT record_id FROM _outbox WHERE record_id IN {placeholders(record_ids)}",
        record_ids,
    )
    return {record_id for (record_id,) in rows}
