"""Tables of the store: names, columns and statements (the migrations that create and extend
them are in sync.store.migrations).

Each form has a table named after it with one column per top-level field, and a child table
`<form>__<group>` per repeat group keyed by `_row`. Store columns start with `_` (field names
cannot), so a field may be called `status` without clashing with the record status. Two FTS5
tables per form serve search: `<form>__search` (trigram: substrings of three characters and
more, and pinyin initials) and `<form>__search_short` (bigram words, for one- and two-character
queries that trigrams cannot answer).
"""

from __future__ import annotations

import datetime
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from forms import FieldDef, FieldType, FormDefinition

_SQL_TYPES: dict[FieldType, str] = {
    FieldType.INTEGER: "INTEGER",
    FieldType.DECIMAL: "REAL",
    FieldType.BOOLEAN: "INTEGER",
}

# Store columns of every form table, in the order rows are written.
SYSTEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_id", "TEXT NOT NULL UNIQUE"),
    ("_form_version", "INTEGER NOT NULL"),
    ("_org", "TEXT NOT NULL DEFAULT ''"),
    ("_county", "TEXT NOT NULL DEFAULT ''"),
    ("_status", "TEXT NOT NULL DEFAULT 'draft'"),
    ("_deleted", "INTEGER NOT NULL DEFAULT 0"),
    ("_rev", "INTEGER NOT NULL DEFAULT 0"),
    ("_base_rev", "INTEGER NOT NULL DEFAULT 0"),
    ("_created_at", "TEXT NOT NULL"),
    ("_updated_at", "TEXT NOT NULL"),
    ("_updated_by", "TEXT NOT NULL DEFAULT ''"),
    # [{path, code, severity, message_zh, message_en}], so lists filter without re-validating.
    ("_issues", "TEXT NOT NULL DEFAULT '[]'"),
    ("_has_errors", "INTEGER NOT NULL DEFAULT 0"),
    ("_has_warnings", "INTEGER NOT NULL DEFAULT 0"),
    ("_review", "TEXT"),
    ("_conflict_id", "TEXT"),
    # The hub's errors for a rejected mutation: the record needs attention.
    ("_attention", "TEXT"),
    # 1 while the outbox holds mutations of this record that the hub has not answered.
    ("_pending", "INTEGER NOT NULL DEFAULT 0"),
    # Fields the hub sent that this machine's definition does not know yet: kept, never dropped.
    ("_extra", "TEXT"),
)
SYSTEM_COLUMN_NAMES = tuple(name for name, _ in SYSTEM_COLUMNS)
# Store columns a new record seldom has (a review, a conflict, a rejection, fields the definition
# lacks): sqlite3 binds None only after looking it up in its adapters (~0.3 µs each), so a new
# row without any of them is inserted by a statement that leaves them out (FormTable.inserts).
_SELDOM_SET = ("_review", "_conflict_id", "_attention", "_extra")
# The store columns of a new record the hub sent with nothing but its state (no issues, review,
# conflict, or fields the definition lacks: most of an initial pull), as
# FormTable.new_hub_insert_sql takes them after its key and before its field columns.
NEW_HUB_COLUMNS = (
    "_id",
    "_form_version",
    "_org",
    "_county",
    "_status",
    "_deleted",
    "_rev",
    "_updated_at",
    "_updated_by",
)
# The other store columns of such a record: the same value as one of those, or a constant.
_NEW_HUB_SAME_AS = {"_base_rev": "_rev", "_created_at": "_updated_at"}
_NEW_HUB_CONSTANTS = {"_issues": "'[]'", "_has_errors": "0", "_has_warnings": "0", "_pending": "0"}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def text_literal(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_type(field: FieldDef) -> str:
    return _SQL_TYPES.get(field.type, "TEXT")


def column_value(field: FieldDef, value: Any) -> Any:
    """A typed or wire value as stored: dates as ISO text, choice lists as JSON."""
    if value is None:
        return None
    if field.type is FieldType.SELECT_MULTIPLE:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _values_of(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """operator.itemgetter of `names`, giving a tuple for one name or none too."""
    if len(names) > 1:
        return operator.itemgetter(*names)
    return lambda values: tuple(values[name] for name in names)


def typed_value(field: FieldDef, stored: Any) -> Any:
    """A stored value back to its typed form (see forms.coerce)."""
    if stored is None:
        return None
    if field.type is FieldType.DATE and isinstance(stored, str):
        return datetime.date.fromisoformat(stored)
    if field.type is FieldType.BOOLEAN:
        return bool(stored)
    if field.type is FieldType.SELECT_MULTIPLE and isinstance(stored, str):
        return json.loads(stored)
    return stored


class FormTable:
    """Names and statements of one form's tables, for the newest definition of the form."""

    def __init__(self, form: FormDefinition) -> None:
        self.form = form
        self.name = form.id
        self.scalars = tuple(f for f in form.fields if f.type is not FieldType.REPEAT)
        self.groups = tuple(f for f in form.fields if f.type is FieldType.REPEAT)
        self.search_table = f"{form.id}__search"
        self.short_search_table = f"{form.id}__search_short"
        self.list_columns = tuple(f for f in self.scalars if f.list_column)
        self._scalar_names = [f.name for f in self.scalars]
        # Every field unanswered: typed values merged over it give the field columns in one
        # C call (field_row; itemgetter, where a get per name in Python costs ~1.5 µs).
        self._unanswered: dict[str, Any] = dict.fromkeys(form.field_map)
        self._field_values = _values_of(self._scalar_names)
        # Written as 0 and 1, as SQLite stores them anyway: sqlite3 binds an int at once but
        # looks a bool up in its adapters first (~0.3 µs; internship has 6 a record).
        self._booleans = [
            position for position, f in enumerate(self.scalars) if f.type is FieldType.BOOLEAN
        ]
        self._converted = [
            (position, f)
            for position, f in enumerate(self.scalars)
            if f.type in (FieldType.DATE, FieldType.SELECT_MULTIPLE)
        ]
        self._lists = [
            (position, field)
            for position, field in self._converted
            if field.type is FieldType.SELECT_MULTIPLE
        ]
        columns = (*SYSTEM_COLUMN_NAMES, *(f.name for f in self.scalars))
        updates = ", ".join(
            f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in ("_id", "_created_at")
        )
        self.upsert_sql = (
            f"INSERT INTO {quote(self.name)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join('?' for _ in columns)}) "
            f"ON CONFLICT(_id) DO UPDATE SET {updates}"
        )
        self.insert_sql = (
            f"INSERT INTO {quote(self.name)} (_key, {', '.join(map(quote, columns))}) "
            f"VALUES (?, {', '.join('?' for _ in columns)})"
        )
        kept = [position for position, c in enumerate(columns) if c not in _SELDOM_SET]
        self._seldom_set = operator.itemgetter(*(columns.index(c) for c in _SELDOM_SET))
        self._kept = operator.itemgetter(*kept)
        self._insert_kept_sql = (
            f"INSERT INTO {quote(self.name)} "
            f"(_key, {', '.join(quote(columns[p]) for p in kept)}) "
            f"VALUES (?, {', '.join('?' for _ in kept)})"
        )
        # Each value bound once, and the constants written in the statement: sqlite3 binds a
        # value through a lock and an adapter check, a text with a copy (~700 instructions).
        bound = {c: n for n, c in enumerate(("_key", *NEW_HUB_COLUMNS, *self._scalar_names), 1)}
        new_hub_columns = [c for c in ("_key", *columns) if c not in _SELDOM_SET]
        self.new_hub_insert_sql = (
            f"INSERT INTO {quote(self.name)} ({', '.join(map(quote, new_hub_columns))}) VALUES ("
            + ", ".join(
                _NEW_HUB_CONSTANTS.get(c) or f"?{bound[_NEW_HUB_SAME_AS.get(c, c)]}"
                for c in new_hub_columns
            )
            + ")"
        )
        self.child_insert_sql = {
            group.name: (
                f"INSERT INTO {quote(self.child_table(group))} "
                f"(_row, _record, _position, {', '.join(quote(c.name) for c in group.fields)}) "
                f"VALUES (?, ?, ?, {', '.join('?' for _ in group.fields)})"
            )
            for group in self.groups
        }

    def inserts(
        self, rows: Iterable[tuple[int, Sequence[Any], bool]]
    ) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """(statement, parameters) that insert new records' rows under their keys (rowids):
        (key, row, whether the row holds NEW_HUB_COLUMNS rather than every store column, as
        upsert_sql takes them, before its field columns)."""
        unset = (None,) * len(_SELDOM_SET)
        new_hub: list[tuple[Any, ...]] = []
        kept: list[tuple[Any, ...]] = []
        full: list[tuple[Any, ...]] = []
        for key, row, hub_state_only in rows:
            if hub_state_only:
                new_hub.append((key, *row))
            elif self._seldom_set(row) == unset:
                kept.append((key, *self._kept(row)))
            else:
                full.append((key, *row))
        return [
            (self.new_hub_insert_sql, new_hub),
            (self._insert_kept_sql, kept),
            (self.insert_sql, full),
        ]

    @property
    def list_indexes(self) -> dict[str, str]:
        """The indexes lists filter and sort by, by name: CREATE INDEX IF NOT EXISTS statements.

        One per order a list can have (by update time, status, or a list column), each ending
        in the columns lists filter by: scanned in its order, it answers the deleted, status
        and school conditions from its own entries (a whole scan of 100,000 takes ~10 ms), so
        a filtered list or count reads only the wide rows it shows. Each costs every record
        written a B-tree insert, which matters only to big pulls into a full table: a pull
        into an empty one builds them afterwards (FormRecords.defer_list_indexes)."""
        table = quote(self.name)
        filters = "_deleted, _status, _org"
        # Named with a '.', which no field name has: a repeat group's child table, named
        # `<form>__<group>`, could otherwise take an index's name.
        indexes = {
            f"{self.name}.list": f"{table} (_updated_at, _id, {filters})",
            f"{self.name}.by_status": f"{table} (_status, _id, _deleted, _org)",
            # The few records the attention page lists, found without scanning every row;
            # partial, so that the others cost nothing.
            f"{self.name}.conflicts": f"{table} (_updated_at, _id) WHERE _conflict_id IS NOT NULL",
            f"{self.name}.attention": f"{table} (_updated_at, _id) WHERE _attention IS NOT NULL",
        }
        for field in self.list_columns:
            if field.type is FieldType.RESIDENT_ID:
                continue  # shown masked: nobody sorts by it
            # The expression lists sort by (queries._sort_expression): unanswered as ''.
            indexes[f"{self.name}__sort_{field.name}"] = (
                f"{table} (ifnull({quote(field.name)}, ''), _id, {filters})"
            )
        return {
            name: f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {on}"
            for name, on in indexes.items()
        }

    def child_table(self, group: FieldDef) -> str:
        return f"{self.name}__{group.name}"

    def field_row(self, values: dict[str, Any]) -> list[Any]:
        """The field columns of a record row, in upsert order, from typed or wire values."""
        row = list(self._field_values({**self._unanswered, **values}))
        # Only these need converting; the loop is hot when pulling 500 records a page.
        for position, field in self._converted:
            if row[position] is not None:
                row[position] = column_value(field, row[position])
        self._booleans_as_ints(row)
        return row

    def wire_columns(self, values: dict[str, Any]) -> tuple[str | None, list[Any]]:
        """(`_extra`, field columns) of wire values (the hub's), whose dates are ISO text
        already: only choice lists need converting, and most forms have none."""
        # A get per name through map costs a third less than merging over `_unanswered`.
        row = list(map(values.get, self._scalar_names))
        # Every key of `values` gave one of the answered field columns: no fields the
        # definition lacks, and nothing more to look at (most records).
        answered_only = len(values) == len(row) - row.count(None)
        for position, field in self._lists:
            if row[position] is not None:
                row[position] = column_value(field, row[position])
        self._booleans_as_ints(row)
        return None if answered_only else self.extra_fields(values), row

    def _booleans_as_ints(self, row: list[Any]) -> None:
        for position in self._booleans:
            value = row[position]
            if value is True:
                row[position] = 1
            elif value is False:
                row[position] = 0

    def extra_fields(self, values: dict[str, Any]) -> str | None:
        if values.keys() <= self.form.field_map.keys():
            return None
        unknown = {k: v for k, v in values.items() if k not in self.form.field_map}
        return json.dumps(unknown, ensure_ascii=False) if unknown else None


# Migrations (sync.store.migrations, on sqlite-utils) by name, so that finding none pending at
# open needs no sqlite-utils: importing it (with click, dateutil, pluggy) takes 0.3-1 s, which
# the app's start must not pay when there is nothing to migrate.
MIGRATIONS_TABLE = "_sqlite_migrations"
STORE_MIGRATION_SET = "chanjiao_store"
FORM_MIGRATION_SET = "chanjiao_forms"
STORE_MIGRATION_NAMES = (
    "0001_internal_tables",
    "0002_history_values_with_shared_names",
    "0003_search_pending",
    "0004_form_definitions",
    "0005_list_indexes",
    "0006_outbox_batches",
    "0007_audit_by_action",
    "0008_list_index_names",
    "0009_child_rows_per_record",
    "0010_records_from_form_tables",
)


def form_migration_name(form: FormDefinition) -> str:
    """One migration per form version, applied once."""
    return f"{form.id}_v{form.version}"


def migrations_pending(conn: sqlite3.Connection, forms: Iterable[FormDefinition]) -> bool:
    """Whether a migration of the store or of one of these form versions has not run yet."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if exists is None:
        return True
    rows = conn.execute(f"SELECT migration_set, name FROM {quote(MIGRATIONS_TABLE)}")
    applied = {(migration_set, name) for migration_set, name in rows}
    wanted = [(STORE_MIGRATION_SET, name) for name in STORE_MIGRATION_NAMES]
    wanted += [(FORM_MIGRATION_SET, form_migration_name(form)) for form in forms]
    return any(key not in applied for key in wanted)
