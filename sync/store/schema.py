"""Tables of the store and the migrations that create and extend them.

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
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database, Migrations
from sqlite_utils.db import Table

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


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
        self._converted = [
            (position, f)
            for position, f in enumerate(self.scalars)
            if f.type in (FieldType.DATE, FieldType.SELECT_MULTIPLE)
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
        self.child_insert_sql = {
            group.name: (
                f"INSERT INTO {quote(self.child_table(group))} "
                f"(_row, _record, _position, {', '.join(quote(c.name) for c in group.fields)}) "
                f"VALUES (?, ?, ?, {', '.join('?' for _ in group.fields)})"
            )
            for group in self.groups
        }

    def child_table(self, group: FieldDef) -> str:
        return f"{self.name}__{group.name}"

    def field_row(self, values: dict[str, Any]) -> list[Any]:
        """The field columns of a record row, in upsert order, from typed or wire values."""
        row = list(map(values.get, self._scalar_names))
        # Only these need converting; the loop is hot when pulling 500 records a page.
        for position, field in self._converted:
            if row[position] is not None:
                row[position] = column_value(field, row[position])
        return row

    def extra_fields(self, values: dict[str, Any]) -> str | None:
        if values.keys() <= self.form.field_map.keys():
            return None
        unknown = {k: v for k, v in values.items() if k not in self.form.field_map}
        return json.dumps(unknown, ensure_ascii=False) if unknown else None


def _create_internal_tables(db: Database) -> None:
    for statement in (
        """CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
        # Which form table holds a record, so a record id alone finds it.
        """CREATE TABLE _records (id TEXT PRIMARY KEY, form TEXT NOT NULL) WITHOUT ROWID""",
        # A rowid table: rows of a kilobyte and more would bloat a WITHOUT ROWID b-tree.
        """CREATE TABLE _history (
            record_id TEXT NOT NULL, rev INTEGER NOT NULL, form TEXT NOT NULL,
            form_version INTEGER NOT NULL, status TEXT NOT NULL, deleted INTEGER NOT NULL,
            fields TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
            received_at TEXT NOT NULL, UNIQUE (record_id, rev))""",
        # batch_key: the Idempotency-Key of the push that carries the entry, once taken.
        """CREATE TABLE _outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, mutation_id TEXT NOT NULL UNIQUE,
            record_id TEXT NOT NULL, op TEXT NOT NULL, base_rev INTEGER NOT NULL,
            payload TEXT NOT NULL, batch_key TEXT, created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX _outbox_record ON _outbox (record_id, seq)""",
        """CREATE INDEX _outbox_batch ON _outbox (batch_key)""",
        """CREATE TABLE _sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1), client_id TEXT NOT NULL, hub_url TEXT,
            username TEXT, org TEXT, county TEXT, cursor TEXT, last_sync_at TEXT)""",
        """CREATE TABLE _conflicts (
            id TEXT PRIMARY KEY, record_id TEXT NOT NULL, mutation_id TEXT NOT NULL,
            by TEXT NOT NULL, at TEXT NOT NULL, base_rev INTEGER NOT NULL,
            fields TEXT NOT NULL, received_at TEXT NOT NULL, resolved_at TEXT)""",
        """CREATE INDEX _conflicts_record ON _conflicts (record_id)""",
        """CREATE TABLE _audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
            action TEXT NOT NULL, record_id TEXT, form TEXT, detail TEXT NOT NULL DEFAULT '{}')""",
        """CREATE INDEX _audit_record ON _audit (record_id, seq)""",
    ):
        db.execute(statement)


def _history_values_with_shared_names(db: Database) -> None:
    """`_history.fields` holds the values alone, as a JSON array; their names, the same for
    nearly every record of a form, are kept once in `_field_names`. This halves what a pull
    writes to the history (every pulled record's fields are kept as its merge base)."""
    db.execute("CREATE TABLE _field_names (id INTEGER PRIMARY KEY, names TEXT NOT NULL UNIQUE)")
    # No REFERENCES: a foreign key check per pulled record would buy nothing here.
    db.execute("ALTER TABLE _history ADD COLUMN field_names INTEGER")
    for rowid, fields in db.execute("SELECT rowid, fields FROM _history").fetchall():
        values = json.loads(fields)
        names = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
        db.execute("INSERT OR IGNORE INTO _field_names (names) VALUES (?)", [names])
        db.execute(
            "UPDATE _history SET fields = ?, "
            "field_names = (SELECT id FROM _field_names WHERE names = ?) WHERE rowid = ?",
            [json.dumps(list(values.values()), ensure_ascii=False), names, rowid],
        )


def _search_pending(db: Database) -> None:
    """Search entries of pulled records, made when they were written but not in the FTS5
    indexes yet: `FormRecords.index_pending` moves them there after the pull, thousands at a
    time, and searches meanwhile match them here. A table of its own rather than a column of
    each form table, so that finding them never scans 100,000 rows."""
    db.execute(
        "CREATE TABLE _search_pending (form TEXT NOT NULL, key INTEGER NOT NULL, "
        "text TEXT NOT NULL, initials TEXT NOT NULL, words TEXT NOT NULL, "
        "PRIMARY KEY (form, key)) WITHOUT ROWID"
    )


def _form_definitions(db: Database) -> None:
    """Definitions added to the store (new versions from the hub), so that other connections,
    and the next start, use them too: see Store._follow_forms."""
    db.execute(
        "CREATE TABLE _form_definitions (form TEXT NOT NULL, version INTEGER NOT NULL, "
        "definition TEXT NOT NULL, PRIMARY KEY (form, version))"
    )


STORE_MIGRATIONS = Migrations("chanjiao_store")
STORE_MIGRATIONS(name="0001_internal_tables")(_create_internal_tables)
STORE_MIGRATIONS(name="0002_history_values_with_shared_names")(_history_values_with_shared_names)
STORE_MIGRATIONS(name="0003_search_pending")(_search_pending)
STORE_MIGRATIONS(name="0004_form_definitions")(_form_definitions)


def _add_missing_columns(table: Table, wanted: Iterable[tuple[str, str]]) -> None:
    existing = set(table.columns_dict)
    for name, declared in wanted:
        if name not in existing:
            table.add_column(name, declared)


def ensure_form_tables(db: Database, form: FormDefinition) -> None:
    """Create a form's tables, or add the columns a newer version brings. Never drops a column:
    values of fields a version removed stay in the file."""
    names = FormTable(form)
    table = db.table(names.name)
    if not table.exists():
        system = ", ".join(f"{quote(name)} {declared}" for name, declared in SYSTEM_COLUMNS)
        db.execute(f"CREATE TABLE {quote(names.name)} (_key INTEGER PRIMARY KEY, {system})")
        # Each index costs every pulled record (~10 µs): only what lists filter and sort by.
        for index in (
            # _deleted last: lists and counts of live records read these, never the wide rows.
            ("_updated_at", "_id", "_deleted"),
            ("_status", "_updated_at", "_id", "_deleted"),
            ("_org", "_updated_at", "_id", "_deleted"),
        ):
            table.create_index(index, if_not_exists=True)
        db.execute(
            f"CREATE VIRTUAL TABLE {quote(names.search_table)} "
            "USING fts5(text, initials, tokenize='trigram')"
        )
        # Its queries are single prefix terms, which need no positions: a smaller index.
        db.execute(
            f"CREATE VIRTUAL TABLE {quote(names.short_search_table)} USING fts5(grams, detail=none)"
        )
    _add_missing_columns(table, ((f.name, sql_type(f)) for f in names.scalars))
    for field in names.list_columns:
        if field.type is FieldType.RESIDENT_ID:
            continue  # shown masked: nobody sorts by it
        # The expression lists sort by (queries._sort_expression): unanswered as ''.
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(f'{names.name}__sort_{field.name}')} "
            f"ON {quote(names.name)} (ifnull({quote(field.name)}, ''), _id)"
        )
    for group in names.groups:
        child_name = names.child_table(group)
        child = db.table(child_name)
        if not child.exists():
            db.execute(
                f"CREATE TABLE {quote(child_name)} (_row TEXT PRIMARY KEY, "
                f"_record TEXT NOT NULL REFERENCES {quote(names.name)}(_id), "
                "_position INTEGER NOT NULL)"
            )
            child.create_index(("_record", "_position"), if_not_exists=True)
        _add_missing_columns(child, ((f.name, sql_type(f)) for f in group.fields))


def form_migrations(forms: Iterable[FormDefinition]) -> Migrations:
    """One migration per form version, applied once: `<form>_v<version>`."""
    migrations = Migrations("chanjiao_forms")
    for form in sorted(forms, key=lambda f: (f.id, f.version)):

        def migrate(db: Database, form: FormDefinition = form) -> None:
            ensure_form_tables(db, form)

        migrations(name=f"{form.id}_v{form.version}")(migrate)
    return migrations
