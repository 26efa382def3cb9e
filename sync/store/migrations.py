"""The migrations that create and extend the store's tables (sqlite-utils Migrations).

Imported only when a migration is pending (see schema.migrations_pending): sqlite-utils takes a
large part of a second to import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database, Migrations
from sqlite_utils.db import Table

from forms import FormDefinition
from sync.store.schema import (
    FORM_MIGRATION_SET,
    STORE_MIGRATION_NAMES,
    STORE_MIGRATION_SET,
    SYSTEM_COLUMNS,
    FormTable,
    form_migration_name,
    quote,
    sql_type,
)


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


def _list_indexes(db: Database) -> None:
    """The form tables' list indexes as schema.FormTable.list_indexes makes them: one per
    order, each ending in the filtered columns (deleted, status, school), and partial ones for
    conflicts and rejections. They replace three indexes by update time, status and school
    that neither sorted by status nor filtered a list sorted by a column without reading
    every row (a rare status sorted by name: 0.8 s on 100,000 records). Indexes only: no data
    changes."""
    filters = "_deleted, _status, _org"
    tables = [
        name
        for (name,) in db.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = "
            "'idx_' || tbl_name || '__updated_at__id__deleted'"
        ).fetchall()
    ]
    for name in tables:
        table = quote(name)
        for columns in ("", "status__", "org__"):
            db.execute(f"DROP INDEX {quote(f'idx_{name}__{columns}updated_at__id__deleted')}")
        for index, on in (
            ("list", f"(_updated_at, _id, {filters})"),
            ("by_status", "(_status, _id, _deleted, _org)"),
            ("conflicts", "(_updated_at, _id) WHERE _conflict_id IS NOT NULL"),
            ("attention", "(_updated_at, _id) WHERE _attention IS NOT NULL"),
        ):
            db.execute(f"CREATE INDEX {quote(f'{name}.{index}')} ON {table} {on}")
        sorts = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND substr(name, 1, ?) = ?",
            [name, len(name) + 7, f"{name}__sort_"],
        ).fetchall()
        for (index,) in sorts:
            column = quote(index[len(name) + 7 :])
            db.execute(f"DROP INDEX {quote(index)}")
            db.execute(
                f"CREATE INDEX {quote(index)} ON {table} (ifnull({column}, ''), _id, {filters})"
            )


def _outbox_batches(db: Database) -> None:
    """Which batch holds an outbox entry moves from `_outbox.batch_key` to `_taken` (entry →
    batch) and `_batches` (batch → key): taking a batch rewrote each entry's row, payload and
    all, just to set its key. Taken entries keep their batch and its key; the table is rebuilt
    without the column (SQLite 3.34 cannot drop one), its numbering carried on."""
    db.execute("CREATE TABLE _batches (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)")
    db.execute("CREATE TABLE _taken (seq INTEGER PRIMARY KEY, batch INTEGER NOT NULL)")
    db.execute("CREATE INDEX _taken_batch ON _taken (batch)")
    db.execute(
        "INSERT INTO _batches (key) SELECT batch_key FROM _outbox WHERE batch_key IS NOT NULL "
        "GROUP BY batch_key ORDER BY min(seq)"
    )
    db.execute(
        "INSERT INTO _taken (seq, batch) "
        "SELECT o.seq, b.id FROM _outbox AS o JOIN _batches AS b ON b.key = o.batch_key"
    )
    numbered = db.execute("SELECT seq FROM sqlite_sequence WHERE name = '_outbox'").fetchone()
    columns = "seq, mutation_id, record_id, op, base_rev, payload, created_at, updated_at"
    db.execute("ALTER TABLE _outbox RENAME TO _outbox_before_batches")
    db.execute(
        """CREATE TABLE _outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, mutation_id TEXT NOT NULL UNIQUE,
            record_id TEXT NOT NULL, op TEXT NOT NULL, base_rev INTEGER NOT NULL,
            payload TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""
    )
    db.execute(f"INSERT INTO _outbox ({columns}) SELECT {columns} FROM _outbox_before_batches")
    db.execute("DROP TABLE _outbox_before_batches")
    db.execute("CREATE INDEX _outbox_record ON _outbox (record_id, seq)")
    if numbered is not None:
        # Numbers of entries already answered are not given again.
        db.execute("DELETE FROM sqlite_sequence WHERE name = '_outbox'")
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('_outbox', ?)", numbered)


def _audit_by_action(db: Database) -> None:
    """The sync engine looks for export lines not yet sent to the hub on every pass
    (Store.unsent_audit): without an index that read every line since the last one sent,
    autosaves included, which grow by one per editing session."""
    db.execute("CREATE INDEX _audit_action ON _audit (action, seq)")


def _list_index_names(db: Database) -> None:
    """The indexes 0005_list_indexes first named `<form>__list` (and by_status, conflicts,
    attention) take the names it gives them now, `<form>.list`: a repeat group named `list`
    would have had its child table's name taken. Stores that ran the first 0005 only."""
    for suffix in ("list", "by_status", "conflicts", "attention"):
        found = db.execute(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' "
            "AND name = tbl_name || ?",
            [f"__{suffix}"],
        ).fetchall()
        for table, name, sql in found:
            db.execute(f"DROP INDEX {quote(name)}")
            db.execute(sql.replace(quote(name), quote(f"{table}.{suffix}"), 1))


def _child_rows_per_record(db: Database) -> None:
    """Repeat rows were keyed by `_row` alone, which made their ids unique across all records,
    where the protocol has each record's creator choose them: a pulled page with two records
    sharing a row id failed on every pass, and so did a save. They are keyed by (_record, _row)
    now; each child table is rebuilt (SQLite cannot change a primary key), rows and indexes
    kept."""
    old_key = "_row TEXT PRIMARY KEY"
    children = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND instr(sql, ?) > 0",
        [old_key],
    ).fetchall()
    for name, sql in children:
        indexes = [
            index_sql
            for (index_sql,) in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                [name],
            ).fetchall()
        ]
        rebuilt = f"{name}.rebuilt"
        # Columns added by later form versions follow in `sql`, before its closing bracket.
        body = sql[sql.index("(") + 1 : sql.rindex(")")].replace(old_key, "_row TEXT NOT NULL", 1)
        db.execute(f"CREATE TABLE {quote(rebuilt)} ({body}, PRIMARY KEY (_record, _row))")
        db.execute(f"INSERT INTO {quote(rebuilt)} SELECT * FROM {quote(name)}")
        db.execute(f"DROP TABLE {quote(name)}")
        db.execute(f"ALTER TABLE {quote(rebuilt)} RENAME TO {quote(name)}")
        for index_sql in indexes:
            db.execute(index_sql)


def _records_from_form_tables(db: Database) -> None:
    """`_records` (which form table holds a record id) was a table written with every new
    record: a second B-tree of random ids beside the form table's own `_id` index, which made
    a page pulled into 100,000 records write ~45% more WAL pages (pull CPU ~12% more). It is a
    view over the form tables' ids now; every row it held was a copy of theirs."""
    db.execute("DROP TABLE _records")
    _create_records_view(db)


def _create_records_view(db: Database) -> None:
    """`_records` (id, form) over every form table: a form table is the one with a
    `<form>__search` index beside it (ensure_form_tables). A lookup by id reads each form
    table's `_id` index (the view's WHERE is pushed into each SELECT)."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT t.name FROM sqlite_master AS t JOIN sqlite_master AS s "
            "ON s.name = t.name || '__search' AND s.type = 'table' "
            "WHERE t.type = 'table' ORDER BY t.name"
        ).fetchall()
    ]
    selects = [
        f"SELECT _id, '{name.replace(chr(39), chr(39) * 2)}' FROM {quote(name)}" for name in tables
    ]
    db.execute("DROP VIEW IF EXISTS _records")
    db.execute(
        "CREATE VIEW _records (id, form) AS "
        + (" UNION ALL ".join(selects) or "SELECT NULL, NULL WHERE 0")
    )


def _form_definitions(db: Database) -> None:
    """Definitions added to the store (new versions from the hub), so that other connections,
    and the next start, use them too: see Store._follow_forms."""
    db.execute(
        "CREATE TABLE _form_definitions (form TEXT NOT NULL, version INTEGER NOT NULL, "
        "definition TEXT NOT NULL, PRIMARY KEY (form, version))"
    )


STORE_MIGRATIONS = Migrations(STORE_MIGRATION_SET)
for _name, _migration in zip(
    STORE_MIGRATION_NAMES,
    (
        _create_internal_tables,
        _history_values_with_shared_names,
        _search_pending,
        _form_definitions,
        _list_indexes,
        _outbox_batches,
        _audit_by_action,
        _list_index_names,
        _child_rows_per_record,
        _records_from_form_tables,
    ),
    strict=True,
):
    STORE_MIGRATIONS(name=_name)(_migration)


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
    created = not table.exists()
    if created:
        system = ", ".join(f"{quote(name)} {declared}" for name, declared in SYSTEM_COLUMNS)
        db.execute(f"CREATE TABLE {quote(names.name)} (_key INTEGER PRIMARY KEY, {system})")
        db.execute(
            f"CREATE VIRTUAL TABLE {quote(names.search_table)} "
            "USING fts5(text, initials, tokenize='trigram')"
        )
        # Its queries are single prefix terms, which need no positions: a smaller index.
        db.execute(
            f"CREATE VIRTUAL TABLE {quote(names.short_search_table)} USING fts5(grams, detail=none)"
        )
    _add_missing_columns(table, ((f.name, sql_type(f)) for f in names.scalars))
    for statement in names.list_indexes.values():
        db.execute(statement)
    for group in names.groups:
        child_name = names.child_table(group)
        child = db.table(child_name)
        if not child.exists():
            db.execute(
                f"CREATE TABLE {quote(child_name)} (_row TEXT NOT NULL, "
                f"_record TEXT NOT NULL REFERENCES {quote(names.name)}(_id), "
                # Row ids are chosen by each record's creator: unique within a record only.
                "_position INTEGER NOT NULL, PRIMARY KEY (_record, _row))"
            )
            child.create_index(("_record", "_position"), if_not_exists=True)
        _add_missing_columns(child, ((f.name, sql_type(f)) for f in group.fields))
    # A new table joins the view (from 0010 on: before, `_records` is the table).
    if created:
        records = db.execute("SELECT type FROM sqlite_master WHERE name = '_records'").fetchone()
        if records is not None and records[0] == "view":
            _create_records_view(db)


def form_migrations(forms: Iterable[FormDefinition]) -> Migrations:
    """One migration per form version, applied once: `<form>_v<version>`."""
    migrations = Migrations(FORM_MIGRATION_SET)
    for form in sorted(forms, key=lambda f: (f.id, f.version)):

        def migrate(db: Database, form: FormDefinition = form) -> None:
            ensure_form_tables(db, form)

        migrations(name=form_migration_name(form))(migrate)
    return migrations
