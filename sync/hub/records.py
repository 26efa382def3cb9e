"""A record as the hub holds it, and its wire form rendered straight from stored JSON text.

Fields, issues (in both languages), the review and the open conflict are kept as the JSON text
that travels, so answering a pull or a push copies strings instead of parsing and re-encoding
every value.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from pydantic_core import PydanticSerializationError, to_json
from sqlalchemy import Row

import forms
from sync.hub.i18n import Lang

# pydantic_core's encoder (Rust): 2.5 µs for a record's values, against 5.9 with json's C
# encoder. Text it cannot encode to UTF-8 (a lone surrogate) goes to json's, as it always did.
_stdlib_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON that keeps Chinese readable."""
    try:
        return to_json(value).decode()
    except PydanticSerializationError:
        return _stdlib_encode(value)


def typed_fields_json(
    definition: forms.FormDefinition, typed: dict[str, Any]
) -> tuple[str, bytes | None]:
    """`dumps(forms.to_wire(definition, typed))`, without making the wire form: pydantic_core
    writes a date as to_wire does (YYYY-MM-DD), and every other typed value is already what
    JSON holds (a record's values: to_wire 5.4 µs, saved). And that text in UTF-8 as the
    encoder wrote it, for the answer to copy (None from json's encoder: it has no UTF-8)."""
    try:
        utf8 = to_json(typed)
    except PydanticSerializationError:
        return _stdlib_encode(forms.to_wire(definition, typed)), None
    return utf8.decode(), utf8


@functools.lru_cache(maxsize=4096)
def _json_string(text: str) -> str:
    """A form id, org code or username as JSON: a handful of them recur on every record."""
    return dumps(text)


@dataclass(slots=True)
class RecordState:
    id: str
    form: str
    form_version: int
    org: str
    county: str
    rev: int
    status: str
    deleted: bool
    fields_json: str
    issues_zh: str
    issues_en: str
    review: str | None
    conflict: str | None
    conflict_id: str | None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    seq: int = 0
    txid: int = 0
    mutation_id: str | None = None  # the mutation that made the current revision
    parsed_fields: dict[str, Any] | None = None
    # `fields_json` in UTF-8 when a push has it so: its answer copies it instead of encoding
    # the text again (1 KB a record, 13,000 instructions an answered record).
    fields_utf8: bytes | None = None

    @classmethod
    def from_row(cls, row: Row[Any]) -> RecordState:
        return cls(
            id=row.id,
            form=row.form,
            form_version=row.form_version,
            org=row.org,
            county=row.county,
            rev=row.rev,
            status=row.status,
            deleted=bool(row.deleted),
            fields_json=row.fields,
            issues_zh=row.issues_zh,
            issues_en=row.issues_en,
            review=row.review,
            conflict=row.conflict,
            conflict_id=row.conflict_id,
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            seq=row.seq,
            txid=row.txid,
            mutation_id=row.mutation_id,
        )

    @property
    def fields(self) -> dict[str, Any]:
        if self.parsed_fields is None:
            self.parsed_fields = json.loads(self.fields_json)
        return self.parsed_fields

    def snapshot(self) -> RecordState:
        return replace(self)

    def to_json(self, lang: Lang) -> bytes:
        """The record as it travels, in UTF-8."""
        fields = self.fields_json.encode() if self.fields_utf8 is None else self.fields_utf8
        return b"".join(
            (
                f'{{"id":"{self.id}","form":{_json_string(self.form)},'
                f'"form_version":{self.form_version},"org":{_json_string(self.org)},'
                f'"county":{_json_string(self.county)},"rev":{self.rev},'
                f'"status":"{self.status}","deleted":{"true" if self.deleted else "false"},'
                '"fields":'.encode(),
                fields,
                f',"issues":{self.issues_en if lang == "en" else self.issues_zh},'
                f'"review":{self.review or "null"},"conflict":{self.conflict or "null"},'
                f'"updated_at":"{self.updated_at}",'
                f'"updated_by":{_json_string(self.updated_by)}}}'.encode(),
            )
        )

    def row(self) -> tuple[Any, ...]:
        """The `records` row, its values in the order of RECORD_COLUMNS."""
        return _record_values(self)

    def update_row(self) -> tuple[Any, ...]:
        """What an update of the `records` row sets, in the order of RECORD_UPDATE_COLUMNS."""
        return _update_values(self)

    def revision_row(self) -> tuple[Any, ...]:
        """The current revision as a `record_revisions` row (REVISION_COLUMNS), to be stored
        when a later revision replaces it."""
        return _revision_values(self)


# The rows above as tuples, without a dict a row: a batch writes 500 of each.
RECORD_COLUMNS = (
    "id",
    "form",
    "form_version",
    "org",
    "county",
    "rev",
    "status",
    "deleted",
    "fields",
    "issues_zh",
    "issues_en",
    "review",
    "conflict",
    "conflict_id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "seq",
    "txid",
    "mutation_id",
)
# The id, then every column a change may set (not the form, org, county or creation).
RECORD_UPDATE_COLUMNS = (
    "id",
    "form_version",
    "rev",
    "status",
    "deleted",
    "fields",
    "issues_zh",
    "issues_en",
    "review",
    "conflict",
    "conflict_id",
    "updated_at",
    "updated_by",
    "seq",
    "txid",
    "mutation_id",
)
REVISION_COLUMNS = (
    "record_id",
    "rev",
    "form_version",
    "status",
    "deleted",
    "fields",
    "issues_zh",
    "issues_en",
    "review",
    "updated_at",
    "updated_by",
    "mutation_id",
)
REVISION_FIELDS = REVISION_COLUMNS.index("fields")


def _values_of(columns: tuple[str, ...]) -> Callable[[RecordState], tuple[Any, ...]]:
    """The RecordState attributes that hold `columns`, read as one tuple in their order: each
    column's attribute has its name, but for the fields' JSON and a revision's record id."""
    renamed = {"fields": "fields_json", "record_id": "id"}
    getter: Callable[[RecordState], tuple[Any, ...]] = attrgetter(
        *(renamed.get(column, column) for column in columns)
    )
    return getter


_record_values = _values_of(RECORD_COLUMNS)
_update_values = _values_of(RECORD_UPDATE_COLUMNS)
_revision_values = _values_of(REVISION_COLUMNS)
