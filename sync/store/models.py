"""What the store hands out: plain frozen dataclasses, plus the protocol models it reuses.

The protocol's pydantic models are imported only where they are made (sync.wire holds its
plain values), so that opening the store does not import pydantic.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from forms import Issue
from sync.wire import EncodedMutation, Op, RecordStatus

if TYPE_CHECKING:
    from sync.protocol import Conflict, MutationError, Review


@dataclass(frozen=True, slots=True)
class SaveResult:
    record_id: str
    issues: list[Issue]


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One record as the form view shows it: typed fields (see forms.coerce) and its marks."""

    id: str
    form: str
    form_version: int
    org: str
    county: str
    status: RecordStatus
    deleted: bool
    rev: int
    base_rev: int
    fields: dict[str, Any]
    issues: list[Issue]
    review: Review | None
    conflict: Conflict | None
    # The hub's errors for the last rejected mutation; the record's later mutations wait.
    attention: list[MutationError]
    pending: bool
    created_at: str
    updated_at: str
    updated_by: str

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)


@dataclass(frozen=True, slots=True)
class ListRow:
    """A record list row: only what the list shows. ID numbers in `columns` are masked."""

    id: str
    form: str
    org: str  # the school (or county) the record belongs to
    status: RecordStatus
    updated_at: str
    updated_by: str
    columns: dict[str, Any]
    has_issues: bool
    has_errors: bool
    has_conflict: bool
    needs_attention: bool
    pending: bool


class PageKey(NamedTuple):
    """Where a page ended: the sort value and id of its last row (keyset paging)."""

    value: Any
    record_id: str


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Filters and order of a record list of one form.

    `sort` is `updated_at`, `created_at`, `status` or a list column of the form; ties break on
    the record id. `search` matches the searchable fields (Chinese substrings of any length, and
    pinyin initials of names such as "zs" for 张三)."""

    form: str
    statuses: tuple[RecordStatus, ...] = ()
    org: str | None = None
    has_issues: bool | None = None
    has_errors: bool | None = None
    has_conflict: bool | None = None
    needs_attention: bool | None = None
    pending: bool | None = None
    search: str | None = None
    sort: str = "updated_at"
    descending: bool = True
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[ListRow]
    # Pass back as `after` for the next page; None on the last page.
    next_after: PageKey | None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One mutation waiting for the hub's answer, in queue order (`seq`). `payload_json` holds
    its other members (a JSON object, as stored): a push sends it as it is, and only answers
    that need its values decode it (`payload`)."""

    seq: int
    mutation_id: str
    record_id: str
    op: Op
    base_rev: int
    payload_json: str

    @property
    def payload(self) -> dict[str, Any]:
        # pydantic_core's parser, twice as fast as json's: read while applying answers, which
        # come with pydantic models, so it is loaded by then.
        from pydantic_core import from_json

        payload: dict[str, Any] = from_json(self.payload_json)
        return payload

    def encoded(self, payload_utf8: bytes | None = None) -> EncodedMutation:
        """The mutation as a push body holds it. `payload_utf8`: `payload_json` in UTF-8, when
        the caller read it so from the store (SQLite keeps it so): not encoded again."""
        payload = self.payload_json.encode() if payload_utf8 is None else payload_utf8
        members = payload[1:].lstrip()
        head = (
            f'{{"mutation_id":"{self.mutation_id}","record_id":"{self.record_id}",'
            f'"base_rev":{self.base_rev},"op":"{self.op}"'
        )
        return EncodedMutation(
            self.mutation_id,
            head.encode() + (b"}" if members.startswith(b"}") else b"," + members),
        )


@dataclass(frozen=True, slots=True)
class OutboxBatch:
    """Mutations to push together. `key` is the Idempotency-Key; it and the entries are stored,
    so after a crash `next_batch` returns the same batch again until its results are applied."""

    key: str
    entries: list[OutboxEntry]
    # The entries as a push body holds them, when the batch was made from them (its size had
    # to be known): not encoded a second time for the push.
    encoded: list[EncodedMutation] | None = field(default=None, compare=False, repr=False)

    def mutations(self) -> list[EncodedMutation]:
        if self.encoded is not None:
            return self.encoded
        return [entry.encoded() for entry in self.entries]


@dataclass(frozen=True, slots=True)
class SyncState:
    client_id: str
    hub_url: str | None = None
    username: str | None = None
    org: str | None = None
    county: str | None = None
    cursor: str | None = None
    last_sync_at: datetime.datetime | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """A record's state as the hub sent it at one revision: the merge base of later edits."""

    rev: int
    status: RecordStatus
    deleted: bool
    fields: dict[str, Any]
    updated_at: str
    updated_by: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Something a user did on this machine."""

    at: str
    user: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordHistory:
    revisions: list[Revision]
    audit: list[AuditEntry]


@dataclass(frozen=True, slots=True)
class FormCounts:
    """Live records of one form by status, for the home page."""

    form: str
    by_status: dict[RecordStatus, int]
    with_issues: int
    with_conflicts: int
    needing_attention: int
    pending: int
