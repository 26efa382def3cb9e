"""Pull pages over the global change order.

A record row carries its latest change: `seq` (a global, increasing change number) and, on
PostgreSQL, `txid`, the id of the transaction that wrote it. Pages are read in (txid, seq) order,
so each record comes at most once, in its latest state, and the cursor is the (txid, seq) of the
last record sent.

Why txid: concurrent batches commit in any order, so a plain `seq > cursor` would let a pull
read seq 11 while seq 10 is still uncommitted, and skip 10 for good. On PostgreSQL a pull first
finds its horizon: the oldest transaction still writing to this database (or, when there is none,
the next transaction id to be given out). Every transaction below the horizon has finished and is
visible to the page query, whose snapshot is taken after, so the page reads only below the
horizon and nothing can later appear behind the cursor; no writer ever waits for another to
commit. (The cluster-wide `pg_snapshot_xmin` would do the same but let any long transaction in
any other database of the server hold back every pull. pg_stat_activity shows a role its own
sessions in full, and every hub worker connects as the hub's role.) On SQLite writers are
serialized, txid is always 0, and the order is plain `seq`.

Clients treat the cursor as opaque; it names its format ("v1") so it can change.
"""

from __future__ import annotations

import base64
import binascii
import re

from sqlalchemy import Connection, literal, select, text, tuple_

from sync.hub import schema
from sync.hub.auth import Caller
from sync.hub.i18n import Lang
from sync.hub.records import RecordState
from sync.hub.scope import scope_filter

_CURSOR = re.compile(r"v1:(\d{1,19})\.(\d{1,19})")
# backend_xid is a 32-bit xid: it is widened with the epoch of the snapshot's xmax (an xid8),
# which it is at most 2^31 behind.
_HORIZON = text(
    """
    SELECT coalesce(min(xmax - ((xmax % 4294967296) - xid + 4294967296) % 4294967296), max(xmax))
    FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) AS now
    LEFT JOIN (
        SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
        WHERE datname = current_database() AND backend_xid IS NOT NULL
    ) AS running ON true
    """
)


class BadCursor(ValueError):
    pass


def encode_cursor(txid: int, seq: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{txid}.{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(cursor) from None
    match = _CURSOR.fullmatch(decoded)
    if match is None or max(int(match[1]), int(match[2])) >= 2**63:
        raise BadCursor(cursor)
    return int(match[1]), int(match[2])


def pull_page(
    connection: Connection, caller: Caller, cursor: str | None, limit: int, lang: Lang
) -> bytes:
    """The JSON body of one pull page, in UTF-8."""
    txid, seq = decode_cursor(cursor)
    records = schema.records
    query = (
        select(records)
        .where(
            tuple_(records.c.txid, records.c.seq) > tuple_(literal(txid), literal(seq)),
            scope_filter(caller),
        )
        .order_by(records.c.txid, records.c.seq)
        .limit(limit + 1)
    )
    if connection.dialect.name == "postgresql":
        # Its own statement, so the page's snapshot is taken after the horizon was read.
        horizon = connection.execute(_HORIZON).scalar_one()
        query = query.where(records.c.txid < literal(int(horizon)))
    rows = connection.execute(query).all()
    has_more = len(rows) > limit
    page = [RecordState.from_row(row) for row in rows[:limit]]
    next_cursor = (
        encode_cursor(page[-1].txid, page[-1].seq) if page else cursor or encode_cursor(0, 0)
    )
    return (
        b'{"records":['
        + b",".join(state.to_json(lang) for state in page)
        + f'],"next_cursor":"{next_cursor}","has_more":{"true" if has_more else "false"}}}'.encode()
    )
