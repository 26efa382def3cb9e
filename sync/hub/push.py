"""Applying one pushed batch: scope, role, validation, merge and storage in one transaction.

The values of every save are coerced, encoded and validated first, by `prepare`, outside the write
transaction: they depend on nothing stored, and that is most of a batch's work, which hub
workers then do side by side while their writes take turns. The batch is then read with three
queries (its records, locked on PostgreSQL; the mutation ids seen before; merge bases as
needed), applied in memory in order, so a later mutation sees what an
earlier one did, and written with one `executemany` per table. Change numbers are taken
last; how pulls stay gapless when they commit out of order is told in sync.hub.pull.

Every mutation ends in exactly one of the four outcomes; its result is stored by mutation_id and
a mutation seen before is answered from that record, never applied twice.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, Table, bindparam, select, text, update
from sqlalchemy.engine import Dialect

import forms
from sync.hub import schema
from sync.hub.auth import Caller
from sync.hub.i18n import Lang, rejection
from sync.hub.records import (
    RECORD_COLUMNS,
    RECORD_UPDATE_COLUMNS,
    REVISION_COLUMNS,
    REVISION_FIELDS,
    RecordState,
    dumps,
    typed_fields_json,
)
from sync.hub.scope import can_see
from sync.merge import merge
from sync.protocol import (
    Decision,
    DeleteMutation,
    Mutation,
    Outcome,
    RecordStatus,
    RejectCode,
    ResolveMutation,
    ReviewMutation,
    Role,
    SaveMutation,
    SubmitMutation,
    WithdrawMutation,
    new_id,
)

log = logging.getLogger(__name__)

EDITABLE_BY_SCHOOL = frozenset({RecordStatus.DRAFT.value, RecordStatus.RETURNED.value})


@dataclass(frozen=True, slots=True)
class Rejection:
    """One entry of a rejected result's `errors`, in both languages."""

    code: RejectCode
    zh: str
    en: str
    path: str | None = None

    def stored(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code.value, "zh": self.zh, "en": self.en}

    def to_json(self, lang: Lang) -> str:
        item: dict[str, Any] = {
            "code": self.code.value,
            "message": self.en if lang == "en" else self.zh,
        }
        if self.path is not None:
            item = {"path": self.path, **item}
        return dumps(item)


class Rejected(Exception):
    def __init__(self, errors: list[Rejection]) -> None:
        super().__init__(errors[0].en)
        self.errors = errors


class UnknownForm(Rejected):
    """A save naming a form version the hub does not have: nothing else of it can be checked."""


def _reject(code: RejectCode, reason: str, path: str | None = None, **values: object) -> Rejected:
    zh, en = rejection(reason, **values)
    return Rejected([Rejection(code, zh, en, path)])


@dataclass(slots=True)
class Result:
    """One mutation's answer. `record` is the live state while the mutation is applied; the
    applier renders it to `record_json` at once, as later mutations may change that state."""

    mutation_id: str
    record_id: str
    outcome: Outcome
    record: RecordState | None = None
    conflict_id: str | None = None
    errors: list[Rejection] | None = None
    record_json: bytes | None = None
    rev: int | None = None

    def render(self, lang: Lang) -> Result:
        if self.record is not None:
            self.record_json = self.record.to_json(lang)
            self.rev = self.record.rev
            self.record = None
        return self

    def add_json(self, lang: Lang, parts: list[bytes]) -> None:
        """Append this result's JSON to `parts`, to be joined once with the other results'."""
        parts.append(
            f'{{"mutation_id":"{self.mutation_id}","record_id":"{self.record_id}",'
            f'"outcome":"{self.outcome.value}"'.encode()
        )
        if self.record_json is not None:
            parts.append(b',"record":')
            parts.append(self.record_json)
        if self.conflict_id is not None:
            parts.append(f',"conflict_id":"{self.conflict_id}"'.encode())
        if self.errors is not None:
            errors = ",".join(e.to_json(lang) for e in self.errors)
            parts.append(f',"errors":[{errors}]'.encode())
        parts.append(b"},")


def results_json(results: list[Result], lang: Lang) -> bytes:
    """The push's answer in UTF-8, joined once: a copy of every record's JSON less."""
    parts = [b'{"results":[']
    for result in results:
        result.add_json(lang, parts)
    if results:
        parts[-1] = b"}"  # the last result's "}," without its comma
    parts.append(b"]}")
    return b"".join(parts)


@dataclass
class _Writes:
    """Everything a batch will write, collected while it is applied."""

    new_records: dict[str, RecordState] = field(default_factory=dict)
    changed_records: dict[str, RecordState] = field(default_factory=dict)
    revisions: dict[tuple[str, int], tuple[Any, ...]] = field(default_factory=dict)
    # (state, its rev then, op, mutation_id)
    changes: list[tuple[RecordState, int, str, str]] = field(default_factory=list)
    mutations: list[tuple[Any, ...]] = field(default_factory=list)  # MUTATION_COLUMNS
    audit: list[tuple[str, str, str, str]] = field(default_factory=list)  # AUDIT_COLUMNS
    new_conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed_conflicts: list[dict[str, Any]] = field(default_factory=list)


def _issue_json(issues: list[forms.Issue]) -> tuple[str, str]:
    if not issues:
        return "[]", "[]"
    return (
        dumps([issue.to_wire("zh") for issue in issues]),
        dumps([issue.to_wire("en") for issue in issues]),
    )


@dataclass(slots=True)
class CheckedFields:
    """Values of a record under one form version: typed, as JSON text, and their issues.

    Their wire form (dict) is made only when asked for: an edit compares or merges it with
    the record's, while a new record, most of what is pushed, needs only the text."""

    definition: forms.FormDefinition
    typed: dict[str, Any]
    fields_json: str
    fields_utf8: bytes | None  # as typed_fields_json made it
    issues_zh: str
    issues_en: str
    made_wire: dict[str, Any] | None = None  # `wire`, once asked for

    @property
    def wire(self) -> dict[str, Any]:
        if self.made_wire is None:
            self.made_wire = forms.to_wire(self.definition, self.typed)
        return self.made_wire


def check_fields(
    definition: forms.FormDefinition, fields: object, today: datetime.date
) -> CheckedFields:
    """Coerce, encode and validate `fields`; Rejected (invalid) when a value does not fit."""
    try:
        typed = forms.coerce(definition, fields)
    except forms.CoercionError as error:
        raise Rejected(
            [
                Rejection(RejectCode.INVALID, p.message_zh, p.message_en, p.path or None)
                for p in error.problems
            ]
        ) from None
    issues_zh, issues_en = _issue_json(forms.issues_of_typed(definition, typed, today))
    fields_json, fields_utf8 = typed_fields_json(definition, typed)
    return CheckedFields(definition, typed, fields_json, fields_utf8, issues_zh, issues_en)


# A save's values checked before the transaction, or why the save is rejected: raised only where
# the save would have checked them, so a forbidden or stale save still says so first.
PreparedSave = CheckedFields | Rejected


def prepare(
    registry: forms.FormRegistry, mutations: list[Mutation], today: datetime.date
) -> list[PreparedSave | None]:
    """`check_fields` of every save in the batch (None for other ops), needing no database."""
    prepared: list[PreparedSave | None] = []
    for mutation in mutations:
        if not isinstance(mutation, SaveMutation):
            prepared.append(None)
            continue
        try:
            definition = registry.get(mutation.form, mutation.form_version)
        except forms.UnknownFormError:
            zh, en = rejection("unknown_form", form=mutation.form, version=mutation.form_version)
            prepared.append(UnknownForm([Rejection(RejectCode.INVALID, zh, en, "form")]))
            continue
        try:
            prepared.append(check_fields(definition, mutation.fields, today))
        except Rejected as rejected:
            prepared.append(rejected)
    return prepared


def _columns(table: Table) -> str:
    return ", ".join(f'"{column.name}"' for column in table.columns)


# The batch's reads, with its ids as one parameter: an array on PostgreSQL, a JSON array on
# SQLite. An expanding IN was rendered anew for every batch, with a parameter per id, which cost
# more than the query. Records are locked in the order of their ids, so two batches never wait
# for each other in a circle.
_LOCK_RECORDS_PG = (
    f"SELECT {_columns(schema.records)} FROM records WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
)
_STORED_RESULTS_PG = (
    f"SELECT {_columns(schema.mutations)} FROM mutations WHERE mutation_id = ANY(%s)"
)
_READ_RECORDS_SQLITE = (
    f"SELECT {_columns(schema.records)} FROM records "
    "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
)
_STORED_RESULTS_SQLITE = (
    f"SELECT {_columns(schema.mutations)} FROM mutations "
    "WHERE mutation_id IN (SELECT value FROM json_each(?))"
)


class BatchApplier:
    """Applies the mutations of one batch inside one write transaction."""

    def __init__(
        self,
        connection: Connection,
        registry: forms.FormRegistry,
        caller: Caller,
        now: str,
        today: datetime.date,
        lang: Lang,
    ) -> None:
        self.connection = connection
        self.lang = lang
        self.registry = registry
        self.caller = caller
        self.now = now
        self.today = today
        self.states: dict[str, RecordState] = {}
        # Each record's current revision as it was made (REVISION_COLUMNS), kept apart from its
        # state, which a mutation changes before it commits: stored when a new one replaces it.
        self.current_revisions: dict[str, tuple[Any, ...]] = {}
        self.seen: dict[str, Result] = {}
        self.writes = _Writes()

    # Reading -----------------------------------------------------------------------------------

    def apply_batch(
        self, mutations: list[Mutation], prepared: list[PreparedSave | None]
    ) -> list[Result]:
        """Read what the batch needs, then apply its mutations in order (`prepared`: what
        `prepare` made of them)."""
        # Ids as text made once a mutation, by pydantic_core's encoder: str() of a UUID costs
        # 1.2 µs an id, this 0.25.
        texts = json.loads(to_json([i for m in mutations for i in (m.mutation_id, m.record_id)]))
        ids = list(zip(texts[::2], texts[1::2], strict=True))
        self._load(ids)
        return [
            self.apply(mutation, checked, mutation_id, record_id)
            for mutation, checked, (mutation_id, record_id) in zip(
                mutations, prepared, ids, strict=True
            )
        ]

    def _load(self, ids: list[tuple[str, str]]) -> None:
        record_ids = sorted({record_id for _, record_id in ids})
        mutation_ids = list({mutation_id for mutation_id, _ in ids})
        connection = self.connection
        if connection.dialect.name == "postgresql":
            records = connection.exec_driver_sql(_LOCK_RECORDS_PG, (record_ids,))
            stored = connection.exec_driver_sql(_STORED_RESULTS_PG, (mutation_ids,)).all()
        else:
            records = connection.exec_driver_sql(_READ_RECORDS_SQLITE, (dumps(record_ids),))
            stored = connection.exec_driver_sql(
                _STORED_RESULTS_SQLITE, (dumps(mutation_ids),)
            ).all()
        for row in records:
            state = self.states[row.id] = RecordState.from_row(row)
            self.current_revisions[row.id] = state.revision_row()
        for row in stored:
            self.seen[row.mutation_id] = self._replay(row)

    def _replay(self, row: Any) -> Result:
        if row.username != self.caller.username:
            # A mutation id of someone else: never show their record.
            zh, en = rejection("forbidden_record")
            return Result(
                row.mutation_id,
                row.record_id,
                Outcome.REJECTED,
                errors=[Rejection(RejectCode.FORBIDDEN, zh, en)],
            )
        errors = None
        if row.errors is not None:
            errors = [
                Rejection(RejectCode(e["code"]), e["zh"], e["en"], e["path"])
                for e in json.loads(row.errors)
            ]
        record = None
        if row.rev is not None:
            record = self._record_at(row.record_id, row.rev)
            if record is not None and row.conflict_id is not None:
                record.conflict = self.connection.execute(
                    select(schema.conflicts.c.wire).where(schema.conflicts.c.id == row.conflict_id)
                ).scalar()
                record.conflict_id = row.conflict_id
        return Result(
            row.mutation_id, row.record_id, Outcome(row.outcome), record, row.conflict_id, errors
        ).render(self.lang)

    def _record_at(self, record_id: str, rev: int) -> RecordState | None:
        """The record as it was at `rev` (its current conflict marker only when current)."""
        current = self.states.get(record_id)
        if current is None:
            row = self.connection.execute(
                select(schema.records).where(schema.records.c.id == record_id)
            ).first()
            if row is None:
                return None
            current = RecordState.from_row(row)
        if current.rev == rev:
            return current.snapshot()
        revision = self.connection.execute(
            select(schema.record_revisions).where(
                schema.record_revisions.c.record_id == record_id,
                schema.record_revisions.c.rev == rev,
            )
        ).first()
        if revision is None:
            return None
        snapshot = current.snapshot()
        snapshot.rev = rev
        snapshot.form_version = revision.form_version
        snapshot.status = revision.status
        snapshot.deleted = bool(revision.deleted)
        snapshot.fields_json = revision.fields
        snapshot.fields_utf8 = None
        snapshot.parsed_fields = None
        snapshot.issues_zh = revision.issues_zh
        snapshot.issues_en = revision.issues_en
        snapshot.review = revision.review
        snapshot.updated_at = revision.updated_at
        snapshot.updated_by = revision.updated_by
        snapshot.mutation_id = revision.mutation_id
        snapshot.conflict = None
        snapshot.conflict_id = None
        return snapshot

    def _fields_at(self, state: RecordState, rev: int) -> dict[str, Any]:
        if rev == 0:
            return {}
        pending = self.writes.revisions.get((state.id, rev))
        if pending is not None:
            return dict(json.loads(pending[REVISION_FIELDS]))
        text = self.connection.execute(
            select(schema.record_revisions.c.fields).where(
                schema.record_revisions.c.record_id == state.id,
                schema.record_revisions.c.rev == rev,
            )
        ).scalar()
        if text is None:
            raise _reject(RejectCode.STALE, "stale", rev=state.rev)
        return dict(json.loads(text))

    # Applying ----------------------------------------------------------------------------------

    def apply(
        self, mutation: Mutation, prepared: PreparedSave | None, mutation_id: str, record_id: str
    ) -> Result:
        """Apply one mutation; `prepared` is what `prepare` made of it (a save's values)."""
        seen = self.seen.get(mutation_id)
        if seen is not None:
            return seen
        try:
            self._check_scope(record_id)
            if isinstance(mutation, SaveMutation):
                assert prepared is not None
                result = self._save(mutation, prepared, mutation_id, record_id)
            else:
                handler: Callable[[Any], Result] = getattr(self, f"_{mutation.op.value}")
                result = handler(mutation)
        except Rejected as rejected:
            result = Result(mutation_id, record_id, Outcome.REJECTED, errors=rejected.errors)
            log.info(
                "push by %s: %s %s on record %s rejected: %s",
                self.caller.username,
                mutation.op.value,
                mutation_id,
                result.record_id,
                "; ".join(f"{e.code.value} {e.path or ''} {e.en}" for e in rejected.errors),
            )
        result.render(self.lang)
        self.seen[mutation_id] = result
        op, outcome, username = mutation.op.value, result.outcome.value, self.caller.username
        self.writes.mutations.append(
            (
                mutation_id,
                result.record_id,
                username,
                op,
                outcome,
                result.rev,
                result.conflict_id,
                dumps([e.stored() for e in result.errors]) if result.errors else None,
                self.now,
            )
        )
        self.writes.audit.append(
            (self.now, username, "push_" + op, f"{mutation_id} {result.record_id} {outcome}")
        )
        return result

    def _check_scope(self, record_id: str) -> None:
        """Any op on a record outside the caller's scope is forbidden, before anything else is
        checked: no other answer may tell what that record holds (its form, status or rev)."""
        state = self.states.get(record_id)
        if state is not None and not can_see(self.caller, state.org, state.county, state.status):
            raise _reject(RejectCode.FORBIDDEN, "forbidden_record")

    def _existing(self, mutation: Mutation) -> RecordState:
        """The not deleted record of a non-save mutation (in scope: `_check_scope`)."""
        state = self.states.get(str(mutation.record_id))
        if state is None:
            raise _reject(RejectCode.NOT_FOUND, "not_found")
        if state.deleted:
            raise _reject(RejectCode.NOT_FOUND, "deleted")
        return state

    def _require_role(self, op: str, *roles: Role) -> None:
        if self.caller.role not in roles:
            raise _reject(RejectCode.FORBIDDEN, "forbidden_op", op=op)

    def _check_editable(self, state: RecordState) -> None:
        if state.status == RecordStatus.APPROVED:
            raise _reject(RejectCode.LOCKED, "locked_approved")
        if self.caller.role is Role.SCHOOL and state.status not in EDITABLE_BY_SCHOOL:
            raise _reject(RejectCode.LOCKED, "locked_submitted")

    def _check_current(self, state: RecordState, base_rev: int) -> None:
        if base_rev != state.rev:
            raise _reject(RejectCode.STALE, "stale", rev=state.rev)

    def _commit(self, state: RecordState, op: str, mutation_id: str, *, new_rev: bool) -> None:
        """Record that `state` changed: a new revision (when it is one), the one it replaces
        stored, and a change entry."""
        if new_rev:
            replaced = self.current_revisions.get(state.id)  # None for a record created now
            if replaced is not None:
                self.writes.revisions[(state.id, state.rev)] = replaced
            state.rev += 1
            state.updated_at = self.now
            state.updated_by = self.caller.username
            state.mutation_id = mutation_id
            self.current_revisions[state.id] = state.revision_row()
        if state.id not in self.writes.new_records:
            self.writes.changed_records[state.id] = state
        self.writes.changes.append((state, state.rev, op, mutation_id))

    def _set_fields(self, state: RecordState, checked: CheckedFields) -> None:
        state.form_version = checked.definition.version
        # The wire form when the save made it, else parsed from the JSON if ever needed.
        state.parsed_fields = checked.made_wire
        state.fields_json = checked.fields_json
        state.fields_utf8 = checked.fields_utf8
        state.issues_zh, state.issues_en = checked.issues_zh, checked.issues_en

    def _save(
        self, mutation: SaveMutation, prepared: PreparedSave, mutation_id: str, record_id: str
    ) -> Result:
        if isinstance(prepared, UnknownForm):
            raise prepared
        state = self.states.get(record_id)
        if state is None:
            return self._create(mutation, prepared, mutation_id, record_id)
        if state.form != mutation.form:
            raise _reject(RejectCode.INVALID, "form_mismatch", "form", form=state.form)
        return self._edit(state, prepared, mutation.base_rev, mutation_id, "save")

    def _create(
        self, mutation: SaveMutation, prepared: PreparedSave, mutation_id: str, record_id: str
    ) -> Result:
        if self.caller.role is Role.ADMIN:
            raise _reject(RejectCode.FORBIDDEN, "forbidden_op", op="save")
        if mutation.base_rev != 0:
            raise _reject(RejectCode.NOT_FOUND, "not_found")
        if isinstance(prepared, Rejected):
            raise prepared
        definition = prepared.definition
        county = self.caller.county if self.caller.role is Role.SCHOOL else self.caller.org
        state = RecordState(
            id=record_id,
            form=definition.id,
            form_version=definition.version,
            org=self.caller.org,
            county=county or "",
            rev=0,
            status=RecordStatus.DRAFT.value,
            deleted=False,
            fields_json="{}",
            issues_zh="[]",
            issues_en="[]",
            review=None,
            conflict=None,
            conflict_id=None,
            created_at=self.now,
            created_by=self.caller.username,
            updated_at=self.now,
            updated_by=self.caller.username,
        )
        self._set_fields(state, prepared)
        self.states[record_id] = state
        self.writes.new_records[record_id] = state
        self._commit(state, "save", mutation_id, new_rev=True)
        return Result(mutation_id, record_id, Outcome.APPLIED, state)

    def _edit(
        self,
        state: RecordState,
        prepared: PreparedSave,
        base_rev: int,
        mutation_id: str,
        op: str,
        closes: str | None = None,
    ) -> Result:
        """A save or a resolve on an existing record: apply, merge, or conflict."""
        if self.caller.role is Role.ADMIN:
            raise _reject(RejectCode.FORBIDDEN, "forbidden_op", op=op)
        if state.deleted:
            raise _reject(RejectCode.NOT_FOUND, "deleted")
        self._check_editable(state)
        if base_rev > state.rev:
            raise _reject(RejectCode.STALE, "stale", rev=state.rev)
        if isinstance(prepared, Rejected):
            raise prepared
        checked = prepared
        theirs = state.fields
        outcome = Outcome.APPLIED
        if base_rev != state.rev:
            merged = merge(self._fields_at(state, base_rev), checked.wire, theirs)
            if merged.conflicts:
                return self._conflict(state, mutation_id, base_rev, checked.wire, merged.conflicts)
            outcome = Outcome.MERGED
            checked = check_fields(checked.definition, merged.fields, self.today)
        if closes is not None:
            self._close_conflict(state, closes)
        if checked.wire != theirs or checked.definition.version != state.form_version:
            self._set_fields(state, checked)
            self._commit(state, op, mutation_id, new_rev=True)
        elif closes is not None:
            self._commit(state, op, mutation_id, new_rev=False)
        return Result(mutation_id, state.id, outcome, state)

    def _conflict(
        self,
        state: RecordState,
        mutation_id: str,
        base_rev: int,
        mine: dict[str, Any],
        paths: list[Any],
    ) -> Result:
        conflict_id = new_id()
        wire = {
            "id": conflict_id,
            "mutation_id": mutation_id,
            "by": self.caller.username,
            "at": self.now,
            "base_rev": base_rev,
            "fields": [
                {"path": p.path, "base": p.base, "mine": p.mine, "theirs": p.theirs} for p in paths
            ],
        }
        if state.conflict_id is not None:
            self._close_conflict(state, state.conflict_id, "superseded")
        state.conflict = dumps(wire)
        state.conflict_id = conflict_id
        self.writes.new_conflicts[conflict_id] = {
            "id": conflict_id,
            "record_id": state.id,
            "mutation_id": mutation_id,
            "by": self.caller.username,
            "at": self.now,
            "base_rev": base_rev,
            "wire": state.conflict,
            "mine": dumps(mine),
            "state": "open",
            "closed_by": None,
            "closed_at": None,
        }
        self._commit(state, "conflict", mutation_id, new_rev=False)
        return Result(mutation_id, state.id, Outcome.CONFLICT, state, conflict_id)

    def _close_conflict(self, state: RecordState, conflict_id: str, how: str = "resolved") -> None:
        pending = self.writes.new_conflicts.get(conflict_id)
        if pending is not None:
            pending.update(state=how, closed_by=self.caller.username, closed_at=self.now)
        else:
            self.writes.closed_conflicts.append(
                {
                    "b_id": conflict_id,
                    "state": how,
                    "closed_by": self.caller.username,
                    "closed_at": self.now,
                }
            )
        state.conflict = None
        state.conflict_id = None

    def _resolve(self, mutation: ResolveMutation) -> Result:
        mutation_id = str(mutation.mutation_id)
        state = self._existing(mutation)
        conflict_id = str(mutation.conflict_id)
        if state.conflict_id != conflict_id:
            known = (
                conflict_id in self.writes.new_conflicts
                or self.connection.execute(
                    select(schema.conflicts.c.id).where(
                        schema.conflicts.c.id == conflict_id,
                        schema.conflicts.c.record_id == state.id,
                    )
                ).first()
                is not None
            )
            if known:
                raise _reject(RejectCode.STALE, "conflict_closed", "conflict_id")
            raise _reject(RejectCode.NOT_FOUND, "no_conflict", "conflict_id")
        try:
            definition = self.registry.get(state.form, state.form_version)
        except forms.UnknownFormError:
            raise _reject(
                RejectCode.INVALID, "unknown_form", form=state.form, version=state.form_version
            ) from None
        # Its values are checked here, as its form is the record's; raised where a save's are.
        prepared: PreparedSave
        try:
            prepared = check_fields(definition, mutation.fields, self.today)
        except Rejected as rejected:
            prepared = rejected
        return self._edit(
            state, prepared, mutation.base_rev, mutation_id, "resolve", closes=conflict_id
        )

    def _submit(self, mutation: SubmitMutation) -> Result:
        self._require_role("submit", Role.SCHOOL, Role.COUNTY)
        state = self._existing(mutation)
        if state.status not in EDITABLE_BY_SCHOOL:
            raise _reject(
                RejectCode.INVALID_TRANSITION,
                "invalid_transition",
                status=state.status,
                op="submit",
            )
        self._check_current(state, mutation.base_rev)
        errors = [
            Rejection(RejectCode.VALIDATION, zh["message"], en["message"], zh["path"])
            for zh, en in zip(json.loads(state.issues_zh), json.loads(state.issues_en), strict=True)
            if zh["severity"] == "error"
        ]
        if errors:
            raise Rejected(errors)
        return self._set_status(state, mutation, RecordStatus.SUBMITTED)

    def _withdraw(self, mutation: WithdrawMutation) -> Result:
        self._require_role("withdraw", Role.SCHOOL)
        state = self._existing(mutation)
        if state.status != RecordStatus.SUBMITTED:
            raise _reject(
                RejectCode.INVALID_TRANSITION,
                "invalid_transition",
                status=state.status,
                op="withdraw",
            )
        self._check_current(state, mutation.base_rev)
        return self._set_status(state, mutation, RecordStatus.DRAFT)

    def _review(self, mutation: ReviewMutation) -> Result:
        self._require_role("review", Role.COUNTY, Role.ADMIN)
        state = self._existing(mutation)
        decision = mutation.decision
        comment = (mutation.comment or "").strip()
        if decision is not Decision.APPROVE and not comment:
            raise _reject(RejectCode.INVALID, "comment_required", "comment")
        needed = RecordStatus.APPROVED if decision is Decision.REOPEN else RecordStatus.SUBMITTED
        if state.status != needed:
            raise _reject(
                RejectCode.INVALID_TRANSITION,
                "invalid_transition",
                status=state.status,
                op=decision.value,
            )
        self._check_current(state, mutation.base_rev)
        state.review = dumps(
            {
                "decision": decision.value,
                "comment": comment or None,
                "by": self.caller.username,
                "at": self.now,
            }
        )
        target = RecordStatus.APPROVED if decision is Decision.APPROVE else RecordStatus.RETURNED
        return self._set_status(state, mutation, target)

    def _set_status(self, state: RecordState, mutation: Mutation, status: RecordStatus) -> Result:
        state.status = status.value
        self._commit(state, mutation.op.value, str(mutation.mutation_id), new_rev=True)
        return Result(str(mutation.mutation_id), state.id, Outcome.APPLIED, state)

    def _delete(self, mutation: DeleteMutation) -> Result:
        mutation_id = str(mutation.mutation_id)
        self._require_role("delete", Role.SCHOOL, Role.COUNTY)
        state = self.states.get(str(mutation.record_id))
        if state is not None and state.deleted:
            return Result(mutation_id, state.id, Outcome.APPLIED, state)
        state = self._existing(mutation)
        if state.status == RecordStatus.APPROVED:
            raise _reject(RejectCode.LOCKED, "locked_approved")
        if state.status not in EDITABLE_BY_SCHOOL:
            raise _reject(
                RejectCode.INVALID_TRANSITION,
                "invalid_transition",
                status=state.status,
                op="delete",
            )
        if mutation.base_rev > state.rev:
            raise _reject(RejectCode.STALE, "stale", rev=state.rev)
        if mutation.base_rev != state.rev:
            # PROTOCOL.md: "a delete against a record changed since base_rev is a conflict", any
            # change: a return with the county's comment, or values changed and changed back, is
            # as unseen by the deleting device as an edit. The conflict lists the fields that
            # differ from the base, none when only the status or review did.
            base = self._fields_at(state, mutation.base_rev)
            theirs = state.fields
            changed = sorted(k for k in base.keys() | theirs.keys() if base.get(k) != theirs.get(k))
            paths = [_DeletedPath(k, base.get(k), theirs.get(k)) for k in changed]
            return self._conflict(state, mutation_id, mutation.base_rev, {}, paths)
        state.deleted = True
        self._commit(state, "delete", mutation_id, new_rev=True)
        return Result(mutation_id, state.id, Outcome.APPLIED, state)

    # Writing -----------------------------------------------------------------------------------

    def flush(self) -> None:
        writes, connection = self.writes, self.connection
        inserts: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = []
        if writes.changes:
            seqs, txid = _next_changes(connection, len(writes.changes))
            username, now = self.caller.username, self.now
            change_rows = []
            for (state, rev, op, mutation_id), seq in zip(writes.changes, seqs, strict=True):
                state.seq = seq
                state.txid = txid
                change_rows.append((seq, state.id, rev, op, mutation_id, username, now))
            if writes.new_records:
                inserts.append(
                    ("records", RECORD_COLUMNS, [s.row() for s in writes.new_records.values()])
                )
            inserts.append(("changes", _CHANGE_COLUMNS, change_rows))
        if writes.revisions:
            inserts.append(("record_revisions", REVISION_COLUMNS, list(writes.revisions.values())))
        if writes.mutations:
            inserts.append(("mutations", _MUTATION_COLUMNS, writes.mutations))
            inserts.append(("audit", _AUDIT_COLUMNS, writes.audit))
        updates = [s.update_row() for s in writes.changed_records.values()]
        if connection.dialect.name == "postgresql":
            _write_postgresql(connection, inserts, updates)
        else:
            for table, names, rows in inserts:
                _insert_many(connection, table, names, rows)
            if updates:
                connection.exec_driver_sql(_UPDATE_RECORDS_SQLITE, updates)
        if writes.new_conflicts:
            connection.execute(schema.conflicts.insert(), list(writes.new_conflicts.values()))
        if writes.closed_conflicts:
            connection.execute(
                update(schema.conflicts)
                .where(schema.conflicts.c.id == bindparam("b_id"))
                .values(
                    state=bindparam("state"),
                    closed_by=bindparam("closed_by"),
                    closed_at=bindparam("closed_at"),
                ),
                writes.closed_conflicts,
            )


# The big batch statements go to the driver directly: SQLAlchemy's per-row parameter processing
# cost as much as the writes themselves. Values are already plain str/int/bool, and go as tuples:
# the drivers bind positional parameters in half the time of named ones.


_CHANGE_COLUMNS = ("seq", "record_id", "rev", "op", "mutation_id", "username", "at")
_MUTATION_COLUMNS = (
    "mutation_id",
    "record_id",
    "username",
    "op",
    "outcome",
    "rev",
    "conflict_id",
    "errors",
    "created_at",
)
_AUDIT_COLUMNS = ("at", "username", "action", "detail")

# The id is the first parameter (?1), as in RECORD_UPDATE_COLUMNS.
_UPDATE_RECORDS_SQLITE = (
    "UPDATE records SET "
    + ", ".join(f'"{name}" = ?{n}' for n, name in enumerate(RECORD_UPDATE_COLUMNS[1:], 2))
    + " WHERE id = ?1"
)


# Columns whose value all rows of a batch nearly always share (the caller, the time, a new
# record's org and status, no review or conflict): bound once a statement instead of once a
# row, when every row holds the same. Each bound value costs sqlite3 some 200 ns, None and bools
# 600 (its adapter lookup); a new record's rows have 24 such values.
_SHARED_COLUMNS: dict[str, tuple[str, ...]] = {
    "records": (
        "form",
        "form_version",
        "org",
        "county",
        "rev",
        "status",
        "deleted",
        "review",
        "conflict",
        "conflict_id",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "txid",
    ),
    "changes": ("rev", "op", "username", "at"),
    "mutations": ("username", "op", "outcome", "rev", "conflict_id", "errors", "created_at"),
    "audit": ("at", "username", "action"),
}


def _insert_many(
    connection: Connection, table: str, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    shared = _shared_insert(table, names)
    if shared is not None:
        insert, shared_of, rest_of = shared
        values = shared_of(rows[0])
        if all(shared_of(row) == values for row in rows):
            insert.run(connection, values, [rest_of(row) for row in rows])
            return
    _insert(table, names, ()).run(connection, (), rows)


# Rows an INSERT takes at most: a batch of 500 in five statements, within SQLite's smallest
# limit of parameters a statement (999, before 3.32).
_ROWS_PER_STATEMENT = 100
_MAX_PARAMETERS = 999


@dataclass(frozen=True, slots=True)
class _Insert:
    """An INSERT of one row, and of `per_statement` rows in one statement: sqlite3's
    executemany steps, resets and checks every row on its own, which cost a record's rows
    as much as 1 µs each. The shared values are the first parameters of either."""

    one: str
    many: str
    per_statement: int

    def run(
        self, connection: Connection, shared: tuple[Any, ...], rows: list[tuple[Any, ...]]
    ) -> None:
        per = self.per_statement
        whole = len(rows) - len(rows) % per
        if whole:
            connection.exec_driver_sql(
                self.many,
                [
                    shared + tuple(chain.from_iterable(rows[at : at + per]))
                    for at in range(0, whole, per)
                ],
            )
        if whole < len(rows):
            connection.exec_driver_sql(self.one, [shared + row for row in rows[whole:]])


@functools.cache
def _insert(table: str, names: tuple[str, ...], shared: tuple[str, ...]) -> _Insert:
    """The INSERT of `names`, `shared` among them bound once: parameters ?1, ?2... in the order
    of `shared`, then each row's others in the order of `names`."""
    numbers = {name: number for number, name in enumerate(shared, 1)}
    others = [name for name in names if name not in numbers]
    per_statement = min(_ROWS_PER_STATEMENT, (_MAX_PARAMETERS - len(shared)) // len(others))

    def row(n: int) -> str:
        first = len(shared) + n * len(others) + 1
        number = numbers | {name: at for at, name in enumerate(others, first)}
        return "(" + ", ".join(f"?{number[name]}" for name in names) + ")"

    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table}" ({columns}) VALUES '
    many = ", ".join(row(n) for n in range(per_statement))
    return _Insert(sql + row(0), sql + many, per_statement)


_RowValues = Callable[[tuple[Any, ...]], tuple[Any, ...]]


@functools.cache
def _shared_insert(
    table: str, names: tuple[str, ...]
) -> tuple[_Insert, _RowValues, _RowValues] | None:
    """For a table of _SHARED_COLUMNS: its INSERT, what reads the shared values from a row, and
    what reads the others."""
    shared = _SHARED_COLUMNS.get(table)
    if shared is None:
        return None
    shared_of = _values_at([names.index(name) for name in shared])
    rest_of = _values_at([n for n, name in enumerate(names) if name not in shared])
    return _insert(table, names, shared), shared_of, rest_of


def _values_at(positions: list[int]) -> _RowValues:
    """What reads the values at `positions` of a row, as a tuple (itemgetter of one position
    gives the value alone)."""
    if len(positions) == 1:
        (position,) = positions
        return lambda row: (row[position],)
    getter: _RowValues = itemgetter(*positions)
    return getter


def _write_postgresql(
    connection: Connection,
    inserts: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]],
    record_updates: list[tuple[Any, ...]],
) -> None:
    """All of a batch's rows in one statement: each table's rows go as one binary array per
    column (`unnest`), each table's INSERT (and the UPDATE of changed records) a part of one
    WITH. One round trip, instead of one bind and execute per row."""
    shape: list[tuple[str, tuple[str, ...]]] = []
    params: list[list[Any]] = []
    for table, names, rows in inserts:
        shape.append((table, names))
        params.extend(map(list, zip(*rows, strict=True)))
    if record_updates:
        shape.append(("", RECORD_UPDATE_COLUMNS))
        params.extend(map(list, zip(*record_updates, strict=True)))
    if shape:
        sql = _postgresql_batch_sql(connection.dialect, tuple(shape))
        connection.exec_driver_sql(sql, tuple(params))


@functools.cache
def _postgresql_batch_sql(dialect: Dialect, shape: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The statement of `_write_postgresql` for its tables and columns; the table "" stands
    for the UPDATE of records, its first column the id."""
    quote = dialect.identifier_preparer.quote

    def arrays(table: Table, names: tuple[str, ...]) -> str:
        types = (table.c[n].type.compile(dialect=dialect) for n in names)
        return ", ".join(f"%b::{kind}[]" for kind in types)

    parts = []
    for number, (name, names) in enumerate(shape):
        columns = ", ".join(map(quote, names))
        if name:
            parts.append(
                f"w{number} AS (INSERT INTO {quote(name)} ({columns}) "
                f"SELECT * FROM unnest({arrays(schema.metadata.tables[name], names)}))"
            )
        else:
            assignments = ", ".join(f"{quote(n)} = new.{quote(n)}" for n in names[1:])
            parts.append(
                f"w{number} AS (UPDATE records SET {assignments} "
                f"FROM unnest({arrays(schema.records, names)}) AS new({columns}) "
                "WHERE records.id = new.id)"
            )
    return "WITH " + ", ".join(parts) + " SELECT 1"


def _next_changes(connection: Connection, count: int) -> tuple[list[int], int]:
    """`count` new change numbers, ascending, and the id of this transaction (0 on SQLite)."""
    if connection.dialect.name == "postgresql":
        rows = connection.execute(_NEXT_SEQUENCE_NUMBERS, {"n": count}).all()
        return sorted(row[0] for row in rows), int(rows[0][1])
    last = connection.execute(_NEXT_COUNTER_NUMBERS, {"n": count}).scalar_one()
    return list(range(last - count + 1, last + 1)), 0


_NEXT_SEQUENCE_NUMBERS = text(
    "SELECT nextval('change_seq'), pg_current_xact_id()::text::bigint FROM generate_series(1, :n)"
)
_NEXT_COUNTER_NUMBERS = (
    update(schema.counters)
    .where(schema.counters.c.name == schema.CHANGE_COUNTER)
    .values(value=schema.counters.c.value + bindparam("n"))
    .returning(schema.counters.c.value)
)


@dataclass(frozen=True, slots=True)
class _DeletedPath:
    """A path the other side changed under a delete: mine is the deletion (None)."""

    path: str
    base: Any
    theirs: Any
    mine: Any = None
