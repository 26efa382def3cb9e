"""A record as the hub holds it, and its wire form rendered straight from stored JSON text.

Fields, issues (in both languages), the review and the open conflict are kept as the JSON text
that travels, so answering a pull or a push copies strings instead of parsing and re-encoding
every value.
"""

from __future__ import annotations

import functools
import json
import json.encoder
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row

from sync.hub.i18n import Lang


def _unencodable(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


# The C encoder made once, without the circular-reference check (values come from JSON): a third
# cheaper than json.dumps, which builds one per call. The pure-Python encoder where C is missing.
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_c_encode = (
    _c_make_encoder(
        None, _unencodable, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    if _c_make_encoder is not None
    else None
)
_py_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON that keeps Chinese readable."""
    if _c_encode is None:
        return _py_encode(value)
    return "".join(_c_encode(value, 0))


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
    parsed_fields: dict[str, Any] | None = None

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
        )

    @property
    def fields(self) -> dict[str, Any]:
        if self.parsed_fields is None:
            self.parsed_fields = json.loads(self.fields_json)
        return self.parsed_fields

    def snapshot(self) -> RecordState:
        return replace(self)

    def to_json(self, lang: Lang) -> str:
        return (
            f'{{"id":"{self.id}","form":{_json_string(self.form)},'
            f'"form_version":{self.form_version},"org":{_json_string(self.org)},'
            f'"county":{_json_string(self.county)},"rev":{self.rev},'
            f'"status":"{self.status}","deleted":{"true" if self.deleted else "false"},'
            f'"fields":{self.fields_json},'
            f'"issues":{self.issues_en if lang == "en" else self.issues_zh},'
            f'"review":{self.review or "null"},"conflict":{self.conflict or "null"},'
            f'"updated_at":"{self.updated_at}","updated_by":{_json_string(self.updated_by)}}}'
        )

    def row(self) -> dict[str, Any]:
        """The `records` row."""
        return {
            "id": self.id,
            "form": self.form,
            "form_version": self.form_version,
            "org": self.org,
            "county": self.county,
            "rev": self.rev,
            "status": self.status,
            "deleted": self.deleted,
            "fields": self.fields_json,
            "issues_zh": self.issues_zh,
            "issues_en": self.issues_en,
            "review": self.review,
            "conflict": self.conflict,
            "conflict_id": self.conflict_id,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "seq": self.seq,
            "txid": self.txid,
        }

    def revision_row(self, mutation_id: str) -> dict[str, Any]:
        """The `record_revisions` row of the current revision."""
        return {
            "record_id": self.id,
            "rev": self.rev,
            "form_version": self.form_version,
            "status": self.status,
            "deleted": self.deleted,
            "fields": self.fields_json,
            "issues_zh": self.issues_zh,
            "issues_en": self.issues_en,
            "review": self.review,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "mutation_id": mutation_id,
        }
