"""Pull pages over the global change sequence.

A record's `seq` is its latest change, so one ordered scan of `records` by `seq` yields every
record at most once, in its latest state and in change order. The cursor wraps the last `seq`
sent; clients treat it as opaque, so its form may change with the protocol version it names.
"""

from __future__ import annotations

import base64
import binascii

from sqlalchemy import Connection, select

from sync.hub import schema
from sync.hub.auth import Caller
from sync.hub.i18n import Lang
from sync.hub.records import RecordState
from sync.hub.scope import scope_filter

_PREFIX = "v1:"


class BadCursor(ValueError):
    pass


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(cursor) from None
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise BadCursor(cursor)
    return int(text[len(_PREFIX) :])


def pull_page(
    connection: Connection, caller: Caller, cursor: str | None, limit: int, lang: Lang
) -> str:
    """The JSON body of one pull page."""
    after = decode_cursor(cursor)
    rows = connection.execute(
        select(schema.records)
        .where(schema.records.c.seq > after, scope_filter(caller))
        .order_by(schema.records.c.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    page = [RecordState.from_row(row) for row in rows[:limit]]
    last = page[-1].seq if page else after
    return (
        '{"records":['
        + ",".join(state.to_json(lang) for state in page)
        + f'],"next_cursor":"{encode_cursor(last)}","has_more":{"true" if has_more else "false"}}}'
    )
