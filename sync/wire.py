"""The protocol's plain values: version, limits, headers, enumerations and UTC times.

Kept apart from the pydantic models in `sync.protocol` (which re-exports all of this) so that
the store and the desktop can start without importing pydantic, a fifth of the app's start.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

PROTOCOL_VERSION = 1
MAX_MUTATIONS_PER_PUSH = 500
MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_PULL_LIMIT = 500
MAX_PULL_LIMIT = 1000
PROTOCOL_HEADER = "X-Chanjiao-Protocol"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# What a push body may hold: a mebibyte under the hub's limit, so that a batch is never refused
# as too large however the envelope or a proxy in between counts.
MAX_PUSH_BYTES = MAX_BODY_BYTES - 1024 * 1024


# The last id's time and counter: ids made in one process sort in the order they were made,
# within a millisecond and when the clock steps back.
_id_lock = threading.Lock()
_last_id_ms = 0
_last_id_counter = 0
_COUNTER_BITS = 42


def new_id() -> str:
    """A new record, mutation or batch id: a UUID version 7 (RFC 9562) laid out as Python
    3.14's uuid.uuid7 lays it out: 48 bits of the clock in milliseconds, a 42-bit counter that
    starts at random each millisecond, 32 random bits. Ids made one after another sort after
    each other, so the hub's and the stores' id indexes take them near one end instead of on
    random pages: a push of 10,000 new records cost the hub about 35% less CPU than with
    uuid4 ids. Only the order matters; nothing reads the time back out of an id (the hub never
    trusts client clocks), and a wrong clock costs speed, not correctness. PROTOCOL.md lets
    whoever creates a thing choose its UUID, and ids of any version are still taken.

    Written here rather than taken from the uuid6 package: that one reads its own package
    metadata when imported (50-70 ms of the app's start, and a failure in a PyInstaller bundle
    that does not copy the metadata), and moves its clock a millisecond ahead for every id
    made within one, so a fast import runs ahead of the clock."""
    global _last_id_ms, _last_id_counter
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_id_ms:
            # Random, with the top bit clear: room to count up within the millisecond.
            counter = int.from_bytes(os.urandom(6)) >> (48 - _COUNTER_BITS + 1)
        else:
            ms, counter = _last_id_ms, _last_id_counter + 1
            if counter >> _COUNTER_BITS:
                ms, counter = ms + 1, 0
        _last_id_ms, _last_id_counter = ms, counter
    bits = (
        (ms & 0xFFFF_FFFF_FFFF) << 80
        | 7 << 76  # version
        | (counter >> 30) << 64
        | 2 << 62  # variant: RFC 9562
        | (counter & 0x3FFF_FFFF) << 32
        | int.from_bytes(os.urandom(4))
    )
    return str(uuid.UUID(int=bits))


@dataclass(frozen=True, slots=True)
class EncodedMutation:
    """A mutation as it goes in a push body: its JSON object in UTF-8, encoded once where it
    is stored rather than validated and serialised again for every push."""

    mutation_id: str
    json: bytes


def push_body(client_id: str, mutations: Sequence[EncodedMutation]) -> bytes:
    """`{"client_id": ..., "mutations": [...]}`: its size is `push_body_size`."""
    return b"".join(
        (
            b'{"client_id":"',
            client_id.encode(),
            b'","mutations":[',
            b",".join(mutation.json for mutation in mutations),
            b"]}",
        )
    )


# A body's bytes besides its mutations' and the commas between them (a client_id is a UUID).
PUSH_ENVELOPE_BYTES = len(push_body("00000000-0000-0000-0000-000000000000", []))


def format_utc(moment: datetime.datetime) -> str:
    """`2026-11-21T08:00:00Z`: UTC, whole seconds, as PROTOCOL.md writes times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


class Role(StrEnum):
    SCHOOL = "school"
    COUNTY = "county"
    ADMIN = "admin"


class RecordStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Op(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REVIEW = "review"
    DELETE = "delete"
    RESOLVE = "resolve"


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


class Outcome(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class RejectCode(StrEnum):
    FORBIDDEN = "forbidden"
    LOCKED = "locked"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    STALE = "stale"
    INVALID_TRANSITION = "invalid_transition"
    VALIDATION = "validation"


class ErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    IN_PROGRESS = "in_progress"
    TOO_LARGE = "too_large"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    UPGRADE_REQUIRED = "upgrade_required"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


class OrgKind(StrEnum):
    COUNTY = "county"
    SCHOOL = "school"
