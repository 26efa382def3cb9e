"""Writing a record to its form's tables (row, repeat rows, search entries) and reading it back.

Values come in typed (forms.coerce, from the UI) or in wire form (from the hub); both store the
same way because dates become ISO text either way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms import FieldDef, FormDefinition, Issue
from sync.store.schema import (
    SYSTEM_COLUMN_NAMES,
    FormTable,
    column_value,
    quote,
    text_literal,
    typed_value,
)
from sync.store.search import SearchDocument

if TYPE_CHECKING:
    from sync.protocol import IssueWire

# Records indexed per statement by index_pending: big enough that FTS5 writes few segments.
_INDEX_CHUNK = 2000


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made
# making one cost five times as much (~1.5 µs, paid by every record pulled or answered).
@dataclass(slots=True)
class RecordWrite:
    record_id: str
    # Store columns then field columns, in upsert order (FormTable.upsert_sql); or, with
    # `hub_state_only`, schema.NEW_HUB_COLUMNS then field columns.
    row: Sequence[Any]
    # Typed or wire values: the repeat groups are written from them.
    values: dict[str, Any]
    is_new: bool
    # A new record the hub sent with nothing but its state (FormTable.new_hub_insert_sql).
    hub_state_only: bool = False


class FormRecords:
    """Reads and writes the records of one form."""

    def __init__(self, form: FormDefinition) -> None:
        self.table = FormTable(form)
        self.form = form
        # Tables as older versions of the form had them, by version (typed_fields).
        self._older: dict[int, FormTable] = {}
        self._search = SearchDocument(self.table)
        name = quote(self.table.name)
        self.select_by_id_sql = f"SELECT * FROM {name} WHERE _id = ?"
        self._search_sql = (
            f"INSERT INTO {quote(self.table.search_table)} (rowid, text, initials) VALUES (?, ?, ?)"
        )
        self._short_sql = (
            f"INSERT INTO {quote(self.table.short_search_table)} (rowid, grams) VALUES (?, ?)"
        )
        self._keys_sql = f"SELECT _id, _key FROM {name} WHERE _id IN"
        self._top_key_sql = f"SELECT ifnull(max(_key), 0) FROM {name}"
        self._state_columns = ", ".join(("_key", *map(quote, SYSTEM_COLUMN_NAMES)))
        self._any_sql = f"SELECT 1 FROM {name} LIMIT 1"
        self._unsearch_sql = f"DELETE FROM {quote(self.table.search_table)} WHERE rowid IN"
        self._unshort_sql = f"DELETE FROM {quote(self.table.short_search_table)} WHERE rowid IN"
        # The form as a literal: the entries are bound as they are made, one text fewer each.
        self._pending_sql = (
            "INSERT OR REPLACE INTO _search_pending (form, key, text, initials, words) "
            f"VALUES ({text_literal(self.table.name)}, ?, ?, ?, ?)"
        )
        self._indexed_sql = "DELETE FROM _search_pending WHERE form = ? AND key IN"
        self._waiting_sql = (
            "SELECT key, text, initials, words FROM _search_pending WHERE form = ? "
            f"ORDER BY key LIMIT {_INDEX_CHUNK}"
        )
        self._children_sql = {
            g.name: (
                f"SELECT * FROM {quote(self.table.child_table(g))} "
                "WHERE _record = ? ORDER BY _position",
                f"DELETE FROM {quote(self.table.child_table(g))} WHERE _record IN",
            )
            for g in self.table.groups
        }

    def row(self, conn: sqlite3.Connection, record_id: str) -> sqlite3.Row | None:
        found: sqlite3.Row | None = conn.execute(self.select_by_id_sql, (record_id,)).fetchone()
        return found

    def rows(
        self, conn: sqlite3.Connection, record_ids: list[str], *, states_only: bool = False
    ) -> list[sqlite3.Row]:
        """The records' rows; `states_only`: their rowid (`_key`) and store columns, without
        the fields (a third of the cost of reading 500 rows)."""
        columns = self._state_columns if states_only else "*"
        found: list[sqlite3.Row] = []
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            found += conn.execute(
                f"SELECT {columns} FROM {quote(self.table.name)} "
                f"WHERE _id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ).fetchall()
        return found

    def write(
        self, conn: sqlite3.Connection, state: dict[str, Any], values: dict[str, Any], is_new: bool
    ) -> None:
        """Upsert one record: `state` holds every store column, `values` its fields."""
        row = (*(state[c] for c in SYSTEM_COLUMN_NAMES), *self.table.field_row(values))
        self.write_many(conn, [RecordWrite(state["_id"], row, values, is_new)])

    def write_many(
        self, conn: sqlite3.Connection, writes: Sequence[RecordWrite], *, index_now: bool = True
    ) -> None:
        """Upsert records with their repeat rows and search entries, a statement per table
        rather than per record (pulled pages come 500 at a time).

        `index_now=False` (pulled pages) leaves the search entries to `index_pending`: the
        two FTS5 indexes cost a pulled record more than everything else together (trigrams
        of every text), and FTS5 writes them far more cheaply thousands at a time."""
        if not writes:
            return
        table = self.table
        keys: dict[str, int] = {}
        new = [w for w in writes if w.is_new]
        if new:
            # The rowids SQLite would give them, chosen here so that no query reads them back.
            (top,) = conn.execute(self._top_key_sql).fetchone()
            keys = {w.record_id: top + n for n, w in enumerate(new, start=1)}
            keyed = ((keys[w.record_id], w.row, w.hub_state_only) for w in new)
            for statement, rows in table.inserts(keyed):
                if rows:
                    conn.executemany(statement, rows)
        replaced = [w.record_id for w in writes if not w.is_new]
        if replaced:
            conn.executemany(table.upsert_sql, [w.row for w in writes if not w.is_new])
            marks = ", ".join("?" for _ in replaced)
            keys.update(conn.execute(f"{self._keys_sql} ({marks})", replaced).fetchall())
            for group in table.groups:
                conn.execute(f"{self._children_sql[group.name][1]} ({marks})", replaced)
            if index_now:
                # Plain rowids: a subquery here would make SQLite collect them in a temporary
                # table first, which costs a save more than the lookup above.
                self._unindex(conn, [keys[record_id] for record_id in replaced])
        for group in table.groups:
            conn.executemany(
                table.child_insert_sql[group.name],
                [
                    (
                        child_row["_row"],
                        w.record_id,
                        position,
                        *(column_value(c, child_row.get(c.name)) for c in group.fields),
                    )
                    for w in writes
                    for position, child_row in enumerate(w.values.get(group.name) or ())
                ],
            )
        entries = [(keys[w.record_id], *self._search.entries(w.values)) for w in writes]
        if index_now:
            self._index(conn, entries)
        else:
            # A replaced record's old entries stay in the indexes until index_pending;
            # searches leave them out.
            conn.executemany(self._pending_sql, entries)

    def _unindex(self, conn: sqlite3.Connection, keys: list[int]) -> None:
        marks = ", ".join("?" for _ in keys)
        conn.execute(f"{self._unsearch_sql} ({marks})", keys)
        conn.execute(f"{self._unshort_sql} ({marks})", keys)

    def _index(self, conn: sqlite3.Connection, entries: list[tuple[int, str, str, str]]) -> None:
        conn.executemany(self._search_sql, [(key, text, ini) for key, text, ini, _ in entries])
        conn.executemany(self._short_sql, [(key, words) for key, _, _, words in entries])
        if conn.execute("SELECT 1 FROM _search_pending LIMIT 1").fetchone() is not None:
            keys = [key for key, _, _, _ in entries]
            conn.execute(
                f"{self._indexed_sql} ({', '.join('?' for _ in keys)})", [self.table.name, *keys]
            )

    def index_pending(self, conn: sqlite3.Connection) -> int:
        """Move up to a chunk of waiting search entries into the indexes; how many."""
        entries = conn.execute(self._waiting_sql, (self.table.name,)).fetchall()
        if entries:
            self._unindex(conn, [key for key, _, _, _ in entries])
            self._index(conn, [tuple(entry) for entry in entries])
        return len(entries)

    def has_pending(self, conn: sqlite3.Connection) -> bool:
        found = conn.execute(
            "SELECT 1 FROM _search_pending WHERE form = ? LIMIT 1", (self.table.name,)
        )
        return found.fetchone() is not None

    def is_empty(self, conn: sqlite3.Connection) -> bool:
        return conn.execute(self._any_sql).fetchone() is None

    def defer_list_indexes(self, conn: sqlite3.Connection) -> None:
        """Drop the list indexes of the (empty) table before a pull fills it: SQLite builds
        an index over 100,000 rows from scratch in a tenth of a second, where keeping it up
        to date costs each pulled record ~10 µs and its pages written again at every commit.
        `missing_list_indexes` gives the statements that build them again (index_pending)."""
        for name in self.table.list_indexes:
            conn.execute(f"DROP INDEX IF EXISTS {quote(name)}")

    def missing_list_indexes(self, conn: sqlite3.Connection) -> list[str]:
        existing = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                (self.table.name,),
            )
        }
        return [sql for name, sql in self.table.list_indexes.items() if name not in existing]

    def update(self, conn: sqlite3.Connection, record_id: str, **columns: Any) -> None:
        """Set store columns of a record row (its fields are written by `write`)."""
        assignments = ", ".join(f"{quote(name)} = ?" for name in columns)
        conn.execute(
            f"UPDATE {quote(self.table.name)} SET {assignments} WHERE _id = ?",
            (*columns.values(), record_id),
        )

    def typed_fields(
        self, conn: sqlite3.Connection, row: sqlite3.Row, form: FormDefinition | None = None
    ) -> dict[str, Any]:
        """The record's values as forms.coerce gives them; unanswered values are left out.
        `form`: read them as that version of the form has them (the row's own version, for
        a merge base) rather than as the newest; fields the tables have no column for are
        left out (their values, if any, are in `_extra`)."""
        table = self.table if form is None or form is self.form else self._older_table(form)
        present = set(row.keys()) if table is not self.table else None
        values: dict[str, Any] = {}
        for field in table.scalars:
            if present is None or field.name in present:
                value = typed_value(field, row[field.name])
                if value is not None:
                    values[field.name] = value
        for group in table.groups:
            select = self._children_sql.get(group.name, (None,))[0]
            if select is None:
                select = self._older_children_sql(conn, table, group)
                if select is None:
                    continue
            rows = []
            for child_row in conn.execute(select, (row["_id"],)):
                typed: dict[str, Any] = {"_row": child_row["_row"]}
                # sqlite3.Row's `in` looks at its values: the column names are its keys().
                columns = None if present is None else set(child_row.keys())
                for child in group.fields:
                    if columns is None or child.name in columns:
                        value = typed_value(child, child_row[child.name])
                        if value is not None:
                            typed[child.name] = value
                rows.append(typed)
            if rows:
                values[group.name] = rows
        return values

    def _older_table(self, form: FormDefinition) -> FormTable:
        table = self._older.get(form.version)
        if table is None:
            table = self._older[form.version] = FormTable(form)
        return table

    @staticmethod
    def _older_children_sql(
        conn: sqlite3.Connection, table: FormTable, group: FieldDef
    ) -> str | None:
        """The select of a group the newest version dropped, if its child table was made."""
        name = table.child_table(group)
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        if found is None:
            return None
        return f"SELECT * FROM {quote(name)} WHERE _record = ? ORDER BY _position"


def issues_json(issues: list[Issue]) -> str:
    return json.dumps(
        [[i.path, i.code, str(i.severity), i.message_zh, i.message_en] for i in issues],
        ensure_ascii=False,
    )


def hub_issues_json(issues: list[IssueWire]) -> str:
    """The hub sends each message in one language; it stands for both until the next local save
    re-validates the record."""
    if not issues:
        return "[]"
    return json.dumps(
        [[i.path, i.code, i.severity, i.message, i.message] for i in issues], ensure_ascii=False
    )
