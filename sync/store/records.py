"""Writing a record to its form's tables (row, repeat rows, search entries) and reading it back.

Values come in typed (forms.coerce, from the UI) or in wire form (from the hub); both store the
same way because dates become ISO text either way.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from forms import FormDefinition, Issue
from sync.protocol import IssueWire
from sync.store.schema import SYSTEM_COLUMN_NAMES, FormTable, column_value, quote, typed_value
from sync.store.search import SearchDocument


class FormRecords:
    """Reads and writes the records of one form."""

    def __init__(self, form: FormDefinition) -> None:
        self.table = FormTable(form)
        self.form = form
        self._search = SearchDocument(self.table)
        name = quote(self.table.name)
        self.select_by_id_sql = f"SELECT * FROM {name} WHERE _id = ?"
        self._search_sql = (
            f"INSERT INTO {quote(self.table.search_table)} (rowid, text, initials) VALUES (?, ?, ?)"
        )
        self._short_sql = (
            f"INSERT INTO {quote(self.table.short_search_table)} (rowid, grams) VALUES (?, ?)"
        )
        self._unsearch_sql = f"DELETE FROM {quote(self.table.search_table)} WHERE rowid = ?"
        self._unshort_sql = f"DELETE FROM {quote(self.table.short_search_table)} WHERE rowid = ?"
        self._children_sql = {
            g.name: (
                f"SELECT * FROM {quote(self.table.child_table(g))} "
                "WHERE _record = ? ORDER BY _position",
                f"DELETE FROM {quote(self.table.child_table(g))} WHERE _record = ?",
            )
            for g in self.table.groups
        }

    def row(self, conn: sqlite3.Connection, record_id: str) -> sqlite3.Row | None:
        found: sqlite3.Row | None = conn.execute(self.select_by_id_sql, (record_id,)).fetchone()
        return found

    def write(
        self,
        conn: sqlite3.Connection,
        state: dict[str, Any],
        values: dict[str, Any],
        is_new: bool,
    ) -> None:
        """Upsert the record row with `state` (every store column) and its field `values`."""
        table = self.table
        record_id = state["_id"]
        row = (*(state[c] for c in SYSTEM_COLUMN_NAMES), *table.field_row(values))
        key = conn.execute(table.upsert_sql, row).fetchone()[0]
        for group in table.groups:
            if not is_new:
                conn.execute(self._children_sql[group.name][1], (record_id,))
            rows = values.get(group.name)
            if rows:
                conn.executemany(
                    table.child_insert_sql[group.name],
                    [
                        (
                            child_row["_row"],
                            record_id,
                            position,
                            *(column_value(c, child_row.get(c.name)) for c in group.fields),
                        )
                        for position, child_row in enumerate(rows)
                    ],
                )
        text, initials, words = self._search.entries(values)
        if not is_new:
            conn.execute(self._unsearch_sql, (key,))
            conn.execute(self._unshort_sql, (key,))
        conn.execute(self._search_sql, (key, text, initials))
        conn.execute(self._short_sql, (key, words))
        if is_new:
            conn.execute(
                "INSERT OR IGNORE INTO _records (id, form) VALUES (?, ?)", (record_id, table.name)
            )

    def update(self, conn: sqlite3.Connection, record_id: str, **columns: Any) -> None:
        """Set store columns of a record row (its fields are written by `write`)."""
        assignments = ", ".join(f"{quote(name)} = ?" for name in columns)
        conn.execute(
            f"UPDATE {quote(self.table.name)} SET {assignments} WHERE _id = ?",
            (*columns.values(), record_id),
        )

    def typed_fields(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        """The record's values as forms.coerce gives them; unanswered values are left out."""
        values: dict[str, Any] = {}
        for field in self.table.scalars:
            value = typed_value(field, row[field.name])
            if value is not None:
                values[field.name] = value
        for group in self.table.groups:
            rows = []
            for child_row in conn.execute(self._children_sql[group.name][0], (row["_id"],)):
                typed: dict[str, Any] = {"_row": child_row["_row"]}
                for child in group.fields:
                    value = typed_value(child, child_row[child.name])
                    if value is not None:
                        typed[child.name] = value
                rows.append(typed)
            if rows:
                values[group.name] = rows
        return values


def issues_json(issues: list[Issue]) -> str:
    return json.dumps(
        [[i.path, i.code, str(i.severity), i.message_zh, i.message_en] for i in issues],
        ensure_ascii=False,
    )


def hub_issues_json(issues: list[IssueWire]) -> str:
    """The hub sends each message in one language; it stands for both until the next local save
    re-validates the record."""
    return json.dumps(
        [[i.path, i.code, i.severity, i.message, i.message] for i in issues], ensure_ascii=False
    )
