"""Applying what the hub answered: push results and pulled pages.

A record with unanswered local changes is never overwritten by the hub's version: that version
is recorded as the new merge base, the record's revision moves on, and the local edits stay
queued (the hub merges them). When the hub accepts a mutation while later local edits wait,
those edits are carried onto the hub's answer and rebased on its revision.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import operator
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from forms import FormRegistry, UnknownFormError, to_wire
from sync.merge import merge
from sync.store import outbox
from sync.store.errors import UnexpectedAnswerError
from sync.store.models import OutboxBatch, OutboxEntry
from sync.store.records import FormRecords, RecordWrite, hub_issues_json
from sync.store.schema import SYSTEM_COLUMN_NAMES, quote
from sync.wire import Op, Outcome, format_utc

if TYPE_CHECKING:
    from sync.protocol import MutationError, MutationResult, Record

    # A pulled record with its id and update time as stored.
    Pulled = tuple[str, str, Record]
    # An accepted mutation, the hub's record and the local row it answers.
    Accepted = tuple[OutboxEntry, Record, sqlite3.Row]

_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))
# Store columns a list index holds or is partial on (FormTable.list_indexes), besides `_id`,
# `_updated_at` (the hub's time: it changes) and `_attention` (kept as it is): an accepted
# record's row takes the hub's value of these only where it differs, so that the indexes of
# those that stay are not touched.
_INDEXED_STATE = ("_status", "_deleted", "_org", "_conflict_id")
# Those an accepted record's row takes from the hub's answer whatever they hold.
_HUB_STATE = tuple(
    name
    for name in SYSTEM_COLUMN_NAMES
    if name not in (*_INDEXED_STATE, "_id", "_created_at", "_attention")
)
# What the push path reads of a record's row (_located_many): `_key` to write it back, the
# indexed columns above, and what the answers' own paths need; not the fields, nor the store
# columns an accepted answer replaces (a third of reading 20 columns).
_STATE_READ = ("_key", "_id", *_INDEXED_STATE, "_attention", "_created_at", "_base_rev")


def json_text(value: Any) -> str:
    """Compact JSON, three times faster than json.dumps (pydantic_core is imported here, not
    at start: answers come with pydantic models, so it is loaded by then)."""
    from pydantic_core import to_json

    return to_json(value).decode()


def utc_text(moment: datetime.datetime) -> str:
    """format_utc, five times as fast for the whole-second UTC times the hub sends (a pulled
    page has 500 of them): isoformat and strftime format each number through printf."""
    if moment.tzinfo is datetime.UTC and not moment.microsecond:
        return (
            f"{moment.year:04d}-{_TWO_DIGITS[moment.month]}-{_TWO_DIGITS[moment.day]}"
            f"T{_TWO_DIGITS[moment.hour]}:{_TWO_DIGITS[moment.minute]}:"
            f"{_TWO_DIGITS[moment.second]}Z"
        )
    return format_utc(moment)


def _hub_columns(record: Record, record_id: str) -> tuple[Any, ...]:
    """The store columns from `_id` to `_rev`, which SYSTEM_COLUMNS and NEW_HUB_COLUMNS both
    begin with, of the hub's version of a record."""
    return (
        record_id,
        record.form_version,
        record.org,
        record.county,
        str(record.status),
        int(record.deleted),
        record.rev,
    )


def system_state(row: sqlite3.Row) -> dict[str, Any]:
    return {name: row[name] for name in SYSTEM_COLUMN_NAMES}


def holds_hub_version(row: sqlite3.Row) -> bool:
    """Whether the record's row is the hub's revision `_rev` as pulled or answered: nothing
    local waits on it (no queued change, rejection or open conflict, whose row holds the
    user's values) and it was not edited from an older revision. Such a row is its own merge
    base (see HubAnswers.keep_bases)."""
    return (
        bool(row["_rev"])
        and row["_rev"] == row["_base_rev"]
        and not row["_pending"]
        and row["_attention"] is None
        and row["_conflict_id"] is None
    )


def wire_fields(
    conn: sqlite3.Connection,
    records: FormRecords,
    row: sqlite3.Row,
    registry: FormRegistry | None = None,
) -> dict[str, Any]:
    """A stored record's fields as the hub sent them, fields this definition lacks included.
    Read as the row's own version of the form has them when `registry` holds it: a field a
    newer version dropped keeps its value in the merge base of a record pulled before."""
    form = records.form
    key = (form.id, row["_form_version"])
    if registry is not None and row["_form_version"] != form.version and key in registry:
        form = registry.get(*key)
    fields = to_wire(form, records.typed_fields(conn, row, form))
    if row["_extra"]:
        fields |= json.loads(row["_extra"])
    return fields


def _answered(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _conflict_id(record: Record) -> str | None:
    return str(record.conflict.id) if record.conflict else None


def carry_edits(
    sent: Mapping[str, Any], local: Mapping[str, Any], hub: Mapping[str, Any]
) -> dict[str, Any]:
    """Local fields edited after `sent` was pushed, applied on top of the hub's answer to it."""
    merged = merge(sent, local, hub)
    if not merged.conflicts:
        return merged.fields
    # A path both sides changed: the local edit is newer than anything the hub has seen.
    fields = dict(hub)
    for name in set(sent) | set(local):
        if local.get(name) != sent.get(name):
            if local.get(name) is None:
                fields.pop(name, None)
            else:
                fields[name] = local[name]
    return fields


def _fields_of(entries: Iterable[OutboxEntry]) -> list[Mapping[str, Any]]:
    return [entry.payload["fields"] for entry in entries if "fields" in entry.payload]


def _edited_both_ways(
    sent: Mapping[str, Any], edits: Iterable[Mapping[str, Any]], hub: Mapping[str, Any]
) -> bool:
    """Whether any of `edits`, made after `sent` was pushed, changed a path that the hub's
    answer to `sent` changed too, to another value."""
    return any(merge(sent, edited, hub).conflicts for edited in edits)


class HubAnswers:
    """Applies hub answers inside the caller's write transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        forms: Mapping[str, FormRecords],
        now: str,
        registry: FormRegistry | None = None,
    ) -> None:
        self._conn = conn
        self._forms = forms
        self._now = now
        # Older versions of the forms, for merge bases of records stored under one.
        self._registry = registry

    def _located(self, record_id: str) -> tuple[FormRecords, sqlite3.Row] | None:
        found = self._conn.execute("SELECT form FROM _records WHERE id = ?", (record_id,))
        form_row = found.fetchone()
        if form_row is None or form_row[0] not in self._forms:
            return None
        records = self._forms[form_row[0]]
        row = records.row(self._conn, record_id)
        return None if row is None else (records, row)

    def _remember(self, *records: Record) -> None:
        self._remember_pulled([(str(r.id), format_utc(r.updated_at), r) for r in records])

    def _remember_pulled(self, pulled: Iterable[Pulled]) -> None:
        """Keep the hub's versions as merge bases (per record and revision)."""
        named = [
            (tuple(record.fields), record_id, updated_at, record)
            for record_id, updated_at, record in pulled
        ]
        name_ids = self._field_name_ids({names for names, _, _, _ in named})
        self._conn.executemany(
            "INSERT OR IGNORE INTO _history (record_id, rev, form, form_version, status, "
            "deleted, fields, field_names, updated_at, updated_by, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    record_id,
                    record.rev,
                    record.form,
                    record.form_version,
                    str(record.status),
                    int(record.deleted),
                    json_text(list(record.fields.values())),
                    name_ids[names],
                    updated_at,
                    record.updated_by,
                    self._now,
                )
                for names, record_id, updated_at, record in named
            ],
        )

    def keep_bases(self, records: FormRecords, rows: Iterable[sqlite3.Row]) -> None:
        """Copy records that hold the hub's version into `_history` before they change.

        A pulled record's history is not written with it (a fifth of a pull's cost went into
        copies nobody reads): while nothing changes it, its row is that revision. It is copied
        here, at the first local change or when a newer pull replaces it, so the merge base
        and the history dialog's revisions are the same as if it had been written at once."""
        bases = [row for row in rows if holds_hub_version(row)]
        if not bases:
            return
        fields_of = [(row, wire_fields(self._conn, records, row, self._registry)) for row in bases]
        named = [(tuple(fields), row, fields) for row, fields in fields_of]
        name_ids = self._field_name_ids({names for names, _, _ in named})
        self._conn.executemany(
            "INSERT OR IGNORE INTO _history (record_id, rev, form, form_version, status, "
            "deleted, fields, field_names, updated_at, updated_by, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    row["_id"],
                    row["_rev"],
                    records.table.name,
                    row["_form_version"],
                    row["_status"],
                    row["_deleted"],
                    json_text(list(fields.values())),
                    name_ids[names],
                    row["_updated_at"],
                    row["_updated_by"],
                    self._now,
                )
                for names, row, fields in named
            ],
        )

    def _field_name_ids(self, names: set[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
        """Ids of these lists of field names in `_field_names` (added when new). Looked up
        in each transaction: an id remembered from one that rolled back would not exist."""
        if not names:
            return {}
        texts = {json_text(list(each)): each for each in names}
        self._conn.executemany(
            "INSERT OR IGNORE INTO _field_names (names) VALUES (?)", [(t,) for t in texts]
        )
        found = self._conn.execute(
            f"SELECT names, id FROM _field_names WHERE names IN ({', '.join('?' for _ in texts)})",
            list(texts),
        )
        return {texts[text]: name_id for text, name_id in found}

    def _store_conflict(self, record: Record) -> None:
        conflict = record.conflict
        if conflict is None:
            self._conn.execute(
                "UPDATE _conflicts SET resolved_at = ? WHERE record_id = ? AND resolved_at IS NULL",
                (self._now, str(record.id)),
            )
            return
        self._conn.execute(
            "INSERT OR REPLACE INTO _conflicts (id, record_id, mutation_id, by, at, base_rev, "
            "fields, received_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                str(conflict.id),
                str(record.id),
                str(conflict.mutation_id),
                conflict.by,
                format_utc(conflict.at),
                conflict.base_rev,
                json.dumps(
                    [f.model_dump(mode="json") for f in conflict.fields], ensure_ascii=False
                ),
                self._now,
            ),
        )

    def _hub_version(
        self,
        records: FormRecords,
        record: Record,
        row: sqlite3.Row | None,
        record_id: str,
        updated_at: str,
    ) -> RecordWrite:
        """The write that makes the local record the hub's version (it has no local changes)."""
        fields = record.fields
        extra, field_columns = records.table.wire_columns(fields)
        if (
            row is None
            and extra is None
            and not record.issues
            and record.review is None
            and record.conflict is None
        ):
            # In NEW_HUB_COLUMNS order, before the field columns (in place: the list is new).
            field_columns[:0] = (*_hub_columns(record, record_id), updated_at, record.updated_by)
            return RecordWrite(record_id, field_columns, fields, is_new=True, hub_state_only=True)
        # In SYSTEM_COLUMNS order, then the field columns.
        columns = (
            *self._hub_state(record, row, record_id, updated_at, extra),
            *field_columns,
        )
        return RecordWrite(record_id, columns, fields, is_new=row is None)

    def _hub_state(
        self,
        record: Record,
        row: sqlite3.Row | None,
        record_id: str,
        updated_at: str,
        extra: str | None,
    ) -> tuple[Any, ...]:
        """The store columns of the hub's version, in SYSTEM_COLUMNS order; `extra`: its
        fields this definition lacks, as `_extra` holds them."""
        issues = record.issues
        if issues:
            severities = {issue.severity for issue in issues}
            issue_columns = (
                hub_issues_json(issues),
                int("error" in severities),
                int("warning" in severities),
            )
        else:
            issue_columns = ("[]", 0, 0)
        return (
            *_hub_columns(record, record_id),
            record.rev,
            row["_created_at"] if row else updated_at,
            updated_at,
            record.updated_by,
            *issue_columns,
            record.review.model_dump_json() if record.review else None,
            _conflict_id(record),
            row["_attention"] if row else None,
            0,
            extra,
        )

    # Push ---------------------------------------------------------------------------------

    def push_results(self, batch: OutboxBatch, results: list[MutationResult]) -> None:
        """A statement per table for the whole batch where it can (most answers accept a
        mutation of a record with nothing else queued: the record becomes the hub's version);
        a record with later edits or a conflict or rejection takes its own statements."""
        # Every mutation answered, or none applied: one left out may have been applied by the
        # hub, so it must not go back in the queue, where a later save would coalesce into it.
        # It stays taken under the batch's key, whose answers the hub gives again. (Ids compared
        # as numbers: str() of a UUID takes longer than all the rest of this check.)
        if [result.mutation_id.int for result in results] != [
            int(entry.mutation_id.replace("-", ""), 16) for entry in batch.entries
        ]:
            raise UnexpectedAnswerError(batch.key)
        answered = list(zip(batch.entries, results, strict=True))
        outbox.remove_many(self._conn, [entry for entry, _ in answered])
        record_ids = list(dict.fromkeys(entry.record_id for entry, _ in answered))
        located = self._located_many(record_ids)
        later = outbox.untaken_of(self._conn, record_ids)
        # Per form: accepted records with nothing queued after, taking the hub's version.
        taken: dict[str, tuple[FormRecords, list[Accepted]]] = {}
        for entry, result in answered:
            if entry.record_id not in located:
                continue
            records, row = located[entry.record_id]
            if result.outcome in (Outcome.APPLIED, Outcome.MERGED) and result.record:
                if entry.record_id in later:
                    self._accepted(records, row, entry, result.record, later[entry.record_id])
                else:
                    taken.setdefault(records.table.name, (records, []))[1].append(
                        (entry, result.record, row)
                    )
            elif result.outcome is Outcome.CONFLICT and result.record:
                self._conflicted(records, row, result.record, later.get(entry.record_id, []))
            elif result.outcome is Outcome.REJECTED:
                self._rejected(records, entry.record_id, result.errors or [])
        for records, accepted in taken.values():
            self._take_hub_versions(records, accepted)
        # Those took the hub's version with nothing left queued: not pending any more.
        settled = {entry.record_id for _, accepted in taken.values() for entry, _, _ in accepted}
        unsettled = [record_id for record_id in record_ids if record_id not in settled]
        queued = outbox.with_entries(self._conn, unsettled) if unsettled else set()
        by_form: dict[str, list[tuple[int, str]]] = {}
        for record_id in unsettled:
            if record_id in located:
                form = located[record_id][0].table.name
                by_form.setdefault(form, []).append((int(record_id in queued), record_id))
        for form, pending in by_form.items():
            self._conn.executemany(f"UPDATE {quote(form)} SET _pending = ? WHERE _id = ?", pending)

    def _located_many(self, record_ids: list[str]) -> dict[str, tuple[FormRecords, sqlite3.Row]]:
        """The records' forms and rows: the columns `_STATE_READ`, not their fields."""
        # Each form's table asked for all of them, which is what `_records` (a view over the
        # tables' _id indexes) would do, without its DISTINCT and a second query per form.
        marks = outbox.placeholders(record_ids)
        found: dict[str, tuple[FormRecords, sqlite3.Row]] = {}
        for records in self._forms.values():
            states = self._conn.execute(
                f"SELECT {', '.join(_STATE_READ)} FROM {quote(records.table.name)} "
                f"WHERE _id IN {marks}",
                record_ids,
            )
            found |= {row[1]: (records, row) for row in states.fetchall()}
        return found

    def _take_hub_versions(self, records: FormRecords, accepted: list[Accepted]) -> None:
        # The hub's version is the row now, and the history's copy of it can wait until it
        # changes (keep_bases), except where an earlier rejection still needs attention or
        # another user's conflict stays open (see _holds_hub_values).
        self._remember(
            *(
                record
                for _, record, row in accepted
                if row["_attention"] is not None or record.conflict is not None
            )
        )
        if not accepted:
            return
        # Most answers hold the very fields that were sent, which the row holds too: nothing
        # was queued after the mutation (see push_results). Their rows only take the hub's
        # store columns (its revision, times and marks), the indexed ones only where they
        # change, grouped by which; fields, repeat rows and search entries stay as they are.
        unchanged: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        rewritten: list[RecordWrite] = []
        # By position in the hub's state (_hub_state) and in the row read (sqlite3.Row looks a
        # name up one column after another).
        hub_state = operator.itemgetter(*map(SYSTEM_COLUMN_NAMES.index, _HUB_STATE))
        hub_indexed = operator.itemgetter(*map(SYSTEM_COLUMN_NAMES.index, _INDEXED_STATE))
        names_read = accepted[0][2].keys()
        stored_indexed = operator.itemgetter(*map(names_read.index, _INDEXED_STATE))
        key_position = names_read.index("_key")
        # A batch's answers come with a few distinct times (the hub writes it in a second or
        # two): each written as text once.
        times: dict[datetime.datetime, str] = {}
        for entry, record, row in accepted:
            # The entry's record id is the row's: the hub answers for the mutation's record.
            record_id = entry.record_id
            updated_at = times.get(record.updated_at)
            if updated_at is None:
                updated_at = times[record.updated_at] = utc_text(record.updated_at)
            if record.fields != entry.payload.get("fields"):
                rewritten.append(self._hub_version(records, record, row, record_id, updated_at))
                continue
            extra = records.table.extra_fields(record.fields)
            state = self._hub_state(record, row, record_id, updated_at, extra)
            indexed = hub_indexed(state)
            changed = tuple(map(operator.ne, stored_indexed(row), indexed))
            unchanged.setdefault(tuple(itertools.compress(_INDEXED_STATE, changed)), []).append(
                (*hub_state(state), *itertools.compress(indexed, changed), row[key_position])
            )
        table = quote(records.table.name)
        for names, values in unchanged.items():
            assignments = ", ".join(f"{quote(name)} = ?" for name in (*_HUB_STATE, *names))
            self._conn.executemany(f"UPDATE {table} SET {assignments} WHERE _key = ?", values)
        # With the pulled pages' entries: the engine pulls right after pushing.
        records.write_many(self._conn, rewritten, index_now=False)
        settled = [entry.record_id for entry, record, _ in accepted if not record.conflict]
        if settled:
            self._conn.execute(
                "UPDATE _conflicts SET resolved_at = ? WHERE resolved_at IS NULL "
                f"AND record_id IN {outbox.placeholders(settled)}",
                (self._now, *settled),
            )
        for _, record, _ in accepted:
            if record.conflict is not None:
                self._store_conflict(record)

    def _accepted(
        self,
        records: FormRecords,
        row: sqlite3.Row,
        entry: OutboxEntry,
        record: Record,
        later: list[OutboxEntry],
    ) -> None:
        """Edits made while the mutation was on its way are carried onto the hub's answer,
        unless one of them changed a path that the answer also changed, to another value."""
        self._remember(record)
        # `row` holds the store columns only (_located_many): the fields are read here.
        row = records.row(self._conn, entry.record_id) or row
        # What a save or resolve sent; status ops leave the fields as they were.
        sent = entry.payload.get("fields")
        local = (
            to_wire(records.form, records.typed_fields(self._conn, row)) if sent is not None else {}
        )
        if (
            sent is not None
            and later
            and _edited_both_ways(sent, [local, *_fields_of(later)], record.fields)
        ):
            # Someone else changed a path on the hub that this user changed again while the
            # mutation was on its way. Carried onto the answer, the later edit would go with
            # the answer's revision as its base, and the hub would take it over the other
            # change without a conflict (PROTOCOL.md: that is a conflict). As after a pull
            # (_pull_form_page), the record's revision moves on while its values and its base
            # (`_base_rev`, which the waiting mutations go with) stay: the hub merges them and
            # reports the conflict.
            records.update(self._conn, entry.record_id, _rev=record.rev)
            return
        for waiting in later:
            payload_json = waiting.payload_json
            payload = waiting.payload
            if sent is not None and "fields" in payload:
                payload = {**payload, "fields": carry_edits(sent, payload["fields"], record.fields)}
                payload_json = json.dumps(payload, ensure_ascii=False)
            rebased = dataclasses.replace(waiting, base_rev=record.rev, payload_json=payload_json)
            outbox.rewrite(self._conn, rebased, self._now)
        if sent is None:
            records.update(self._conn, entry.record_id, _rev=record.rev, _base_rev=record.rev)
            return
        state = system_state(row) | {"_rev": record.rev, "_base_rev": record.rev}
        carried = carry_edits(sent, local, record.fields)
        records.write(self._conn, state, carried, is_new=False)

    def _conflicted(
        self, records: FormRecords, row: sqlite3.Row, record: Record, later: list[OutboxEntry]
    ) -> None:
        """Nothing of the mutation was applied; the local values stay as the user left them
        ("mine" of the conflict) and its later edits wait until it is resolved.

        The record is now based on the hub's revision with the conflict, the one its resolve
        answers: the mutations queued after the one that conflicted are rebased on it too, or
        they would go with a base the record no longer has (a delete would conflict again and
        replace the conflict its resolve closes). A queued resolve of a conflict this one
        replaced is dropped: the hub refuses it, and its values are in the row, which the
        user resolves the new conflict from."""
        self._remember(record)
        self._store_conflict(record)
        conflict_id = _conflict_id(record)
        for waiting in later:
            if waiting.op is Op.RESOLVE and waiting.payload.get("conflict_id") != conflict_id:
                outbox.remove_many(self._conn, [waiting])
                continue
            outbox.rewrite(self._conn, dataclasses.replace(waiting, base_rev=record.rev), self._now)
        columns: dict[str, Any] = {
            "_rev": record.rev,
            "_base_rev": record.rev,
            "_conflict_id": conflict_id,
        }
        if not later:
            columns["_status"] = str(record.status)
            columns["_review"] = record.review.model_dump_json() if record.review else None
        if row["_deleted"] and not record.deleted:
            # Nothing of a conflicting delete was applied: the record is back, with its conflict.
            columns["_deleted"] = 0
        base = self._history_fields(str(record.id), row["_base_rev"])
        if base is None:
            records.update(self._conn, str(record.id), **columns)
            return
        # Based on the conflict's revision from now on, the row takes what the other side
        # changed there and keeps what its user changed (the conflicting paths included): left
        # as they were, the values the user never touched would go with the resolve as edits
        # of that revision and undo the other side's changes that did not conflict.
        full = records.row(self._conn, str(record.id)) or row
        local = to_wire(records.form, records.typed_fields(self._conn, full))
        state = system_state(full) | columns
        records.write(self._conn, state, carry_edits(base, local, record.fields), is_new=False)

    def _history_fields(self, record_id: str, rev: int) -> dict[str, Any] | None:
        """The fields of the hub's revision `rev` of the record as `_history` holds them."""
        found = self._conn.execute(
            "SELECT h.fields, n.names FROM _history AS h "
            "JOIN _field_names AS n ON n.id = h.field_names WHERE h.record_id = ? AND h.rev = ?",
            (record_id, rev),
        ).fetchone()
        if found is None:
            return None
        return dict(zip(json.loads(found[1]), json.loads(found[0]), strict=True))

    def _rejected(self, records: FormRecords, record_id: str, errors: list[MutationError]) -> None:
        attention = json.dumps([e.model_dump(mode="json") for e in errors], ensure_ascii=False)
        records.update(self._conn, record_id, _attention=attention)

    # Pull ---------------------------------------------------------------------------------

    def pull_page(self, pulled: list[Record]) -> None:
        by_form: dict[str, list[Record]] = {}
        for record in pulled:
            if record.form not in self._forms:
                raise UnknownFormError(record.form, record.form_version)
            by_form.setdefault(record.form, []).append(record)
        for form, page in by_form.items():
            self._pull_form_page(self._forms[form], page)

    def _pull_form_page(self, records: FormRecords, page: list[Record]) -> None:
        by_id = {str(record.id): record for record in page}
        known = {
            row["_id"]: row
            for row in self._conn.execute(
                f"SELECT _id, _rev, _pending, _created_at, _attention, _conflict_id FROM "
                f"{quote(records.table.name)} WHERE _id IN ({', '.join('?' for _ in by_id)})",
                list(by_id),
            )
        }
        if not known:
            self._pull_new(records, by_id)
            return
        # A conflict opened or closed on the hub makes no revision: a record at the revision
        # this store holds comes again when its conflict is not the one held here.
        newer = [
            (record_id, utc_text(record.updated_at), record)
            for record_id, record in by_id.items()
            if record_id not in known
            or record.rev > known[record_id]["_rev"]
            or (
                record.rev == known[record_id]["_rev"]
                and _conflict_id(record) != known[record_id]["_conflict_id"]
            )
        ]
        # Local changes wait for the hub's merge, an edit the hub rejected waits for its user,
        # and so do the values of a record with an open conflict (its row holds "mine"): the
        # newer version goes to the history and the record's revision moves on, its fields
        # stay. Its base revision (`_base_rev`, which its mutations go with) stays the one
        # the local values were edited from: the hub then merges them with the newer version
        # or reports a conflict. Moved to the newer revision, the hub would take every local
        # value the user never changed for a change, and put it over the newer one. (Rebasing
        # the local values here instead would need a merge of each queued payload, and a
        # conflict could not be told to the user before the hub's.)
        dirty = [
            (record.rev, record_id)
            for record_id, _, record in newer
            if record_id in known
            and (
                known[record_id]["_pending"]
                or known[record_id]["_attention"]
                or (
                    known[record_id]["_conflict_id"]
                    and not self._holds_hub_values(records, record_id, known[record_id]["_rev"])
                )
            )
        ]
        dirty_ids = {record_id for _, record_id in dirty}
        self._remember_pulled([pulled for pulled in newer if pulled[0] in dirty_ids])
        self._conn.executemany(
            f"UPDATE {quote(records.table.name)} SET _rev = ? WHERE _id = ?", dirty
        )
        clean = [pulled for pulled in newer if pulled[0] not in dirty_ids]
        replaced = [record_id for record_id, _, _ in clean if record_id in known]
        if replaced:
            # The revisions they held go to the history before the newer ones replace them.
            self.keep_bases(records, records.rows(self._conn, replaced))
        records.write_many(
            self._conn,
            [
                self._hub_version(records, record, known.get(record_id), record_id, updated_at)
                for record_id, updated_at, record in clean
            ],
            index_now=False,
        )
        self._conn.executemany(
            "UPDATE _conflicts SET resolved_at = ? WHERE record_id = ? AND resolved_at IS NULL",
            [
                (self._now, record_id)
                for record_id, _, record in clean
                if record_id in known and not record.conflict
            ],
        )
        for _, _, record in clean:
            if record.conflict is not None:
                self._store_conflict(record)
        # Kept as they came: the row of a record with an open conflict is told from one holding
        # its user's side of the conflict by these (_holds_hub_values).
        self._remember_pulled([pulled for pulled in clean if pulled[2].conflict is not None])

    def _holds_hub_values(self, records: FormRecords, record_id: str, rev: int) -> bool:
        """Whether the row of a record with an open conflict holds the hub's values of its
        revision `rev`: another user's conflict, pulled. Not so when it holds this user's side
        ("mine") of their own conflict, which must stay until they resolve it; nor when the hub's
        values of `rev` are not kept here, to be safe."""
        hub = self._history_fields(record_id, rev)
        row = records.row(self._conn, record_id)
        if hub is None or row is None:
            return False
        held = wire_fields(self._conn, records, row, self._registry)
        # An unanswered field may come as null or not at all.
        return _answered(held) == _answered(hub)

    def _pull_new(self, records: FormRecords, by_id: dict[str, Record]) -> None:
        """Records this store has never held (an initial pull's pages): nothing local to keep,
        no base to move, no conflict to close."""
        if records.is_empty(self._conn):
            records.defer_list_indexes(self._conn)
        records.write_many(
            self._conn,
            [
                self._hub_version(records, record, None, record_id, utc_text(record.updated_at))
                for record_id, record in by_id.items()
            ],
            index_now=False,
        )
        conflicted = [record for record in by_id.values() if record.conflict is not None]
        for record in conflicted:
            self._store_conflict(record)
        self._remember(*conflicted)
