"""Read-only queries for the UI: record lists with keyset paging, counts, history."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from forms import FieldType, mask_id_number
from sync.store.models import (
    AuditEntry,
    FormCounts,
    ListRow,
    Page,
    PageKey,
    RecordQuery,
    Revision,
)
from sync.store.records import FormRecords
from sync.store.schema import quote
from sync.store.search import match_query, pending_condition
from sync.wire import RecordStatus

_STATUSES = {str(status): status for status in RecordStatus}
_SYSTEM_SORTS = {
    "updated_at": "t._updated_at",
    "created_at": "t._created_at",
    "status": "t._status",
}


def _sort_expression(records: FormRecords, sort: str) -> str:
    if sort in _SYSTEM_SORTS:
        return _SYSTEM_SORTS[sort]
    if any(f.name == sort for f in records.table.list_columns):
        # Unanswered sorts as '' so that keyset comparisons never meet NULL; matches the
        # expression index of each list column (schema.ensure_form_tables).
        return f"ifnull(t.{quote(sort)}, '')"
    raise ValueError(f"cannot sort {records.table.name} by {sort!r}")


def _where(
    conn: sqlite3.Connection, records: FormRecords, query: RecordQuery
) -> tuple[str, str, list[Any]]:
    """(FROM clause, WHERE clause, parameters) for the query's filters."""
    table = quote(records.table.name)
    conditions: list[str] = []
    params: list[Any] = []
    source = f"{table} AS t"
    match = match_query(query.search) if query.search else None
    if match is not None:
        suffix, expression = match
        index = quote(records.table.name + suffix)
        params.append(expression)
        if records.has_pending(conn):
            # Pulled records not indexed yet (a sync is under way): their entries wait in
            # _search_pending, where they are matched instead of any older ones indexed.
            condition, pending_params = pending_condition(query.search or "")
            found = (
                f"SELECT rowid FROM {index} WHERE {index} MATCH ? AND rowid NOT IN "
                "(SELECT key FROM _search_pending WHERE form = ?) "
                f"UNION ALL SELECT p.key FROM _search_pending AS p WHERE p.form = ? AND {condition}"
            )
            params.extend([records.table.name, records.table.name, *pending_params])
        else:
            found = f"SELECT rowid FROM {index} WHERE {index} MATCH ?"
        # Drive from the index: a search narrows 100,000 rows to a few before sorting.
        source = f"({found}) AS s CROSS JOIN {table} AS t ON t._key = s.rowid"
    if not query.include_deleted:
        conditions.append("t._deleted = 0")
    if query.statuses:
        conditions.append(f"t._status IN ({', '.join('?' for _ in query.statuses)})")
        params.extend(str(s) for s in query.statuses)
    if query.org is not None:
        conditions.append("t._org = ?")
        params.append(query.org)
    flags = (
        (query.has_issues, "(t._has_errors OR t._has_warnings)"),
        (query.has_errors, "t._has_errors"),
        (query.has_conflict, "t._conflict_id IS NOT NULL"),
        (query.needs_attention, "t._attention IS NOT NULL"),
        (query.pending, "t._pending"),
    )
    for wanted, expression in flags:
        if wanted is not None:
            conditions.append(f"{'' if wanted else 'NOT '}({expression})")
    return source, " AND ".join(conditions) or "1", params


class RecordLists:
    def __init__(self, records: FormRecords) -> None:
        self.records = records
        self._masked = {
            f.name
            for f in records.table.list_columns
            if f.type is FieldType.RESIDENT_ID or f.name == "id_number"
        }
        self._columns = [f.name for f in records.table.list_columns]

    def page(
        self,
        conn: sqlite3.Connection,
        query: RecordQuery,
        after: PageKey | None,
        limit: int,
        mask_ids: bool,
        offset: int = 0,
    ) -> Page:
        sort = _sort_expression(self.records, query.sort)
        source, where, params = _where(conn, self.records, query)
        direction = "DESC" if query.descending else "ASC"
        if after is not None:
            # Spelt out rather than as a row value, which SQLite cannot seek with on an
            # expression index: the first term is the index range, the rest breaks ties.
            before, strictly = ("<=", "<") if query.descending else (">=", ">")
            where += f" AND {sort} {before} ? AND ({sort} {strictly} ? OR t._id {strictly} ?)"
            params.extend([after.value, after.value, after.record_id])
        columns = ", ".join(f"t.{quote(c)}" for c in self._columns)
        sql = (
            f"SELECT t._id, t._org, t._status, t._updated_at, t._updated_by, t._has_errors, "
            f"t._has_warnings, t._conflict_id, t._attention, t._pending, {sort} AS _sort"
            f"{', ' + columns if columns else ''} FROM {source} WHERE {where} "
            f"ORDER BY {sort} {direction}, t._id {direction} LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, (*params, limit, offset)).fetchall()
        listed = [self._row(row, mask_ids) for row in rows]
        next_after = PageKey(rows[-1]["_sort"], rows[-1]["_id"]) if len(rows) == limit else None
        return Page(rows=listed, next_after=next_after)

    def count(self, conn: sqlite3.Connection, query: RecordQuery) -> int:
        source, where, params = _where(conn, self.records, query)
        total: int = conn.execute(
            f"SELECT count(*) FROM {source} WHERE {where}", params
        ).fetchone()[0]
        return total

    def _row(self, row: sqlite3.Row, mask_ids: bool) -> ListRow:
        columns: dict[str, Any] = {}
        for name in self._columns:
            value = row[name]
            if mask_ids and name in self._masked and isinstance(value, str):
                value = mask_id_number(value)
            columns[name] = value
        return ListRow(
            id=row["_id"],
            form=self.records.table.name,
            org=row["_org"],
            status=_STATUSES[row["_status"]],
            updated_at=row["_updated_at"],
            updated_by=row["_updated_by"],
            columns=columns,
            has_issues=bool(row["_has_errors"] or row["_has_warnings"]),
            has_errors=bool(row["_has_errors"]),
            has_conflict=row["_conflict_id"] is not None,
            needs_attention=row["_attention"] is not None,
            pending=bool(row["_pending"]),
        )


def form_counts(conn: sqlite3.Connection, records: FormRecords) -> FormCounts:
    by_status = dict.fromkeys(RecordStatus, 0)
    issues = conflicts = attention = pending = 0
    rows = conn.execute(
        "SELECT _status, count(*), total(_has_errors OR _has_warnings), "
        "total(_conflict_id IS NOT NULL), total(_attention IS NOT NULL), total(_pending) "
        f"FROM {quote(records.table.name)} WHERE _deleted = 0 GROUP BY _status"
    )
    for status, n, with_issues, with_conflicts, needing_attention, with_pending in rows:
        by_status[RecordStatus(status)] = n
        issues += int(with_issues)
        conflicts += int(with_conflicts)
        attention += int(needing_attention)
        pending += int(with_pending)
    return FormCounts(records.table.name, by_status, issues, conflicts, attention, pending)


def revisions(conn: sqlite3.Connection, record_id: str) -> list[Revision]:
    rows = conn.execute(
        "SELECT h.rev, h.status, h.deleted, h.fields, n.names, h.updated_at, h.updated_by "
        "FROM _history AS h JOIN _field_names AS n ON n.id = h.field_names "
        "WHERE h.record_id = ? ORDER BY h.rev",
        (record_id,),
    )
    return [
        Revision(
            rev=row["rev"],
            status=RecordStatus(row["status"]),
            deleted=bool(row["deleted"]),
            fields=dict(zip(json.loads(row["names"]), json.loads(row["fields"]), strict=True)),
            updated_at=row["updated_at"],
            updated_by=row["updated_by"],
        )
        for row in rows
    ]


def audit_entries(conn: sqlite3.Connection, record_id: str) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT at, user, action, detail FROM _audit WHERE record_id = ? ORDER BY seq",
        (record_id,),
    )
    return [
        AuditEntry(at=row["at"], user=row["user"], action=row["action"], detail=json.loads(row[3]))
        for row in rows
    ]
