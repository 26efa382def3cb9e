"""The wire format of PROTOCOL.md v1, shared by the client and the hub.

Models validate what arrives; `fields` stay plain JSON here and are coerced by `forms` on the
hub, because their shape depends on the form version.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, TypeAdapter

from sync.wire import (  # re-exported: the wire's plain values are part of the protocol
    DEFAULT_PULL_LIMIT as DEFAULT_PULL_LIMIT,
    IDEMPOTENCY_HEADER as IDEMPOTENCY_HEADER,
    MAX_BODY_BYTES as MAX_BODY_BYTES,
    MAX_MUTATIONS_PER_PUSH as MAX_MUTATIONS_PER_PUSH,
    MAX_PULL_LIMIT as MAX_PULL_LIMIT,
    MAX_PUSH_BYTES as MAX_PUSH_BYTES,
    PROTOCOL_HEADER as PROTOCOL_HEADER,
    PROTOCOL_VERSION as PROTOCOL_VERSION,
    PUSH_ENVELOPE_BYTES as PUSH_ENVELOPE_BYTES,
    Decision as Decision,
    EncodedMutation as EncodedMutation,
    ErrorCode as ErrorCode,
    Op as Op,
    OrgKind as OrgKind,
    Outcome as Outcome,
    RecordStatus as RecordStatus,
    RejectCode as RejectCode,
    Role as Role,
    format_utc as format_utc,
    new_id as new_id,
    push_body as push_body,
    utc_now as utc_now,
)


def _in_utc(moment: datetime.datetime) -> datetime.datetime:
    """The moment in UTC (one without an offset is taken as UTC). One UTC cannot hold, as
    0001-01-01T00:00:00+00:01, is refused as a value error (422), not left to fail later."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("a time before year 1 or after year 9999 in UTC") from None


UtcTime = Annotated[
    datetime.datetime, AfterValidator(_in_utc), PlainSerializer(format_utc, return_type=str)
]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Open(BaseModel):
    """Answers a client reads: a newer hub may add members, the client ignores them."""

    model_config = ConfigDict(extra="ignore")


# Errors ---------------------------------------------------------------------------------------


class ErrorDetail(_Open):
    code: ErrorCode | str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(_Open):
    error: ErrorDetail


# Health, auth, forms, reference ---------------------------------------------------------------


class Health(_Open):
    status: Literal["ok"] = "ok"
    protocol: int = PROTOCOL_VERSION
    version: str


class LoginRequest(_Wire):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)
    device: str = Field(default="", max_length=200)


class User(_Open):
    username: str
    display_name: str
    role: Role
    org: str
    county: str | None


class LoginResponse(_Open):
    token: str
    expires_at: UtcTime
    user: User


class PublishedForm(_Open):
    id: str
    version: int
    definition: dict[str, Any]


class FormsResponse(_Open):
    forms: list[PublishedForm]


class Org(_Open):
    code: str
    name: str
    kind: OrgKind
    county: str | None = None
    school_kind: str | None = None


class Enterprise(_Open):
    uscc: str
    name: str
    industry: str | None = None
    integration_level: str | None = None


class ReferenceResponse(_Open):
    orgs: list[Org]
    enterprises: list[Enterprise]


# Records --------------------------------------------------------------------------------------


class IssueWire(_Open):
    path: str
    code: str
    severity: Literal["error", "warning"]
    message: str


class Review(_Open):
    decision: Decision
    comment: str | None = None
    by: str
    at: UtcTime


class ConflictField(_Open):
    path: str
    base: Any = None
    mine: Any = None
    theirs: Any = None


class Conflict(_Open):
    id: uuid.UUID
    mutation_id: uuid.UUID
    by: str
    at: UtcTime
    base_rev: int
    fields: list[ConflictField]


class Record(_Open):
    id: uuid.UUID
    form: str
    form_version: int
    org: str
    county: str
    rev: int = Field(ge=1)
    status: RecordStatus
    deleted: bool = False
    fields: dict[str, Any]
    issues: list[IssueWire] = Field(default_factory=list)
    review: Review | None = None
    conflict: Conflict | None = None
    updated_at: UtcTime
    updated_by: str


# Push -----------------------------------------------------------------------------------------


def _op_required(schema: dict[str, Any]) -> None:
    """`op` has a default for Python callers, but on the wire it picks the variant: required."""
    required = schema.setdefault("required", [])
    if "op" not in required:
        required.append("op")


class _MutationBase(_Wire):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_op_required)

    mutation_id: uuid.UUID
    record_id: uuid.UUID
    base_rev: int = Field(ge=0)


class SaveMutation(_MutationBase):
    op: Literal[Op.SAVE] = Op.SAVE
    form: str = Field(min_length=1, max_length=100)
    form_version: int = Field(ge=1)
    fields: dict[str, Any]


class SubmitMutation(_MutationBase):
    op: Literal[Op.SUBMIT] = Op.SUBMIT


class WithdrawMutation(_MutationBase):
    op: Literal[Op.WITHDRAW] = Op.WITHDRAW


class ReviewMutation(_MutationBase):
    op: Literal[Op.REVIEW] = Op.REVIEW
    decision: Decision
    comment: str | None = Field(default=None, max_length=4000)


class DeleteMutation(_MutationBase):
    op: Literal[Op.DELETE] = Op.DELETE


class ResolveMutation(_MutationBase):
    op: Literal[Op.RESOLVE] = Op.RESOLVE
    conflict_id: uuid.UUID
    fields: dict[str, Any]


Mutation = Annotated[
    SaveMutation
    | SubmitMutation
    | WithdrawMutation
    | ReviewMutation
    | DeleteMutation
    | ResolveMutation,
    Field(discriminator="op"),
]


MUTATION_ADAPTER: TypeAdapter[Mutation] = TypeAdapter(Mutation)


def encode_mutation(mutation: Mutation) -> EncodedMutation:
    return EncodedMutation(str(mutation.mutation_id), MUTATION_ADAPTER.dump_json(mutation))


class PushRequest(_Wire):
    client_id: uuid.UUID
    # The upper bound is documented but checked by the hub, so that too many answers 413, not 422.
    mutations: list[Mutation] = Field(
        min_length=1, json_schema_extra={"maxItems": MAX_MUTATIONS_PER_PUSH}
    )


class MutationError(_Open):
    path: str | None = None
    code: RejectCode
    message: str


class MutationResult(_Open):
    mutation_id: uuid.UUID
    record_id: uuid.UUID
    outcome: Outcome
    record: Record | None = None
    conflict_id: uuid.UUID | None = None
    errors: list[MutationError] | None = None


class PushResponse(_Open):
    results: list[MutationResult]


# Pull -----------------------------------------------------------------------------------------


class PullResponse(_Open):
    records: list[Record]
    next_cursor: str
    has_more: bool


# Audit ----------------------------------------------------------------------------------------

MAX_AUDIT_ENTRIES = 100


class ClientAuditEntry(_Wire):
    """Something done on a client that the hub's audit must know, such as an export with ID
    numbers. `seq` numbers the client's entries: the hub keeps each (client_id, seq) once."""

    seq: int = Field(ge=1)
    at: UtcTime
    action: Literal["export"]
    detail: dict[str, Any] = Field(default_factory=dict)


class AuditRequest(_Wire):
    """`POST /audit`: answered 204 once every entry is in the hub's audit."""

    client_id: uuid.UUID
    entries: list[ClientAuditEntry] = Field(min_length=1, max_length=MAX_AUDIT_ENTRIES)
