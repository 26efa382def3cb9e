"""The hub's tables (SQLAlchemy Core) and the versioned migration runner.

Why Core and a small runner rather than the ORM and Alembic: the hub's hot path is a batch of
500 mutations written with a handful of `executemany` statements, which the ORM's unit of work
would only slow down; and the schema is small and owned by this package alone, so a list of
numbered Python functions run in one locked transaction does everything Alembic would, without
a second configuration, a migrations directory to ship in the PyInstaller bundle, or a new
dependency. A fresh database gets `metadata.create_all` and is stamped with the newest version
(what Alembic calls "create_all, then stamp head"); an existing one runs every migration newer
than its stamp, in order. Migration 1 is that baseline.

Values travel as the wire format, so record fields, issues, reviews and conflicts are stored as
JSON text (identical on SQLite and PostgreSQL, and copied into answers without re-encoding), and
times as `2026-11-21T08:00:00Z` strings, which sort as they compare.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    select,
    text,
)

metadata = MetaData()

_ID = 36  # a UUID as text
_TIME = 20  # 2026-11-21T08:00:00Z

orgs = Table(
    "orgs",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # county | school
    Column("county", String(32)),  # a school's county code
    Column("school_kind", String(32)),
)

enterprises = Table(
    "enterprises",
    metadata,
    Column("uscc", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("industry", String(64)),
    Column("integration_level", String(32)),
)

users = Table(
    "users",
    metadata,
    Column("username", String(150), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("org", String(32), nullable=False),
    Column("county", String(32)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(_TIME), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the token, never the token
    Column("username", String(150), nullable=False, index=True),
    Column("device", String(200), nullable=False, default=""),
    Column("created_at", String(_TIME), nullable=False),
    Column("expires_at", String(_TIME), nullable=False),
    Column("revoked_at", String(_TIME)),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(150), nullable=False),
    Column("at", String(_TIME), nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
)

records = Table(
    "records",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("form", String(100), nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("org", String(32), nullable=False),
    Column("county", String(32), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("fields", Text, nullable=False),
    # Issues are rendered in the caller's language, so both are kept.
    Column("issues_zh", Text, nullable=False),
    Column("issues_en", Text, nullable=False),
    Column("review", Text),
    Column("conflict", Text),  # the open conflict as it travels, or NULL
    Column("conflict_id", String(_ID)),
    Column("created_at", String(_TIME), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("updated_at", String(_TIME), nullable=False),
    Column("updated_by", String(150), nullable=False),
    # The record's latest change, and on PostgreSQL the transaction that wrote it (0 on SQLite).
    Column("seq", BigInteger, nullable=False),
    Column("txid", BigInteger, nullable=False, default=0),
    # The mutation that made the current revision (schema version 2; set on every record).
    Column("mutation_id", String(_ID)),
    # No index of seq alone: pulls read (txid, seq) with the indexes below, and a record's seq
    # is unique as the change it names is (changes' key). Version 1 kept a unique one.
    Index("ix_records_txid_seq", "txid", "seq"),
    Index("ix_records_org_txid_seq", "org", "txid", "seq"),
    Index("ix_records_county_txid_seq", "county", "txid", "seq"),
)

# Every revision a later one replaced, written when it is replaced; the current revision is the
# record's row. Storing the current one here too (schema version 1) wrote every record twice,
# and a batch of new records inserted into this table's index at 500 random places.
record_revisions = Table(
    "record_revisions",
    metadata,
    Column("record_id", String(_ID), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("fields", Text, nullable=False),
    Column("issues_zh", Text, nullable=False),
    Column("issues_en", Text, nullable=False),
    Column("review", Text),
    Column("updated_at", String(_TIME), nullable=False),
    Column("updated_by", String(150), nullable=False),
    Column("mutation_id", String(_ID), nullable=False),
    PrimaryKeyConstraint("record_id", "rev"),
)

# The global change sequence, and the audit line of every change to a record.
changes = Table(
    "changes",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("record_id", String(_ID), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("op", String(16), nullable=False),  # a mutation op, or "conflict"
    Column("mutation_id", String(_ID), nullable=False),
    Column("username", String(150), nullable=False),
    Column("at", String(_TIME), nullable=False),
)

# SQLite takes change numbers from a counter row (its writers queue anyway); PostgreSQL from a
# sequence, so concurrent batches never wait on one row while they commit.
change_seq = Sequence("change_seq", metadata=metadata)
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

mutations = Table(
    "mutations",
    metadata,
    Column("mutation_id", String(_ID), primary_key=True),
    Column("record_id", String(_ID), nullable=False),
    Column("username", String(150), nullable=False),
    Column("op", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("rev", Integer),  # the revision the answer's record showed
    Column("conflict_id", String(_ID)),
    Column("errors", Text),  # [{"path", "code", "zh", "en"}]
    Column("created_at", String(_TIME), nullable=False),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("record_id", String(_ID), nullable=False, index=True),
    Column("mutation_id", String(_ID), nullable=False),
    Column("by", String(150), nullable=False),
    Column("at", String(_TIME), nullable=False),
    Column("base_rev", Integer, nullable=False),
    Column("wire", Text, nullable=False),  # the conflict as it travels
    Column("mine", Text, nullable=False),  # every value of the losing edit
    Column("state", String(16), nullable=False),  # open | resolved | superseded
    Column("closed_by", String(150)),
    Column("closed_at", String(_TIME)),
)

push_batches = Table(
    "push_batches",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("username", String(150), nullable=False),
    Column("body_hash", String(64), nullable=False),
    # done; in_progress while a SQLite hub applies it (marked before its turn to write)
    Column("state", String(16), nullable=False),
    Column("started_at", String(_TIME), nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(_TIME), nullable=False),
    Column("username", String(150), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, default=""),
)

form_definitions = Table(
    "form_definitions",
    metadata,
    Column("id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("definition", Text, nullable=False),
    Column("published_at", String(_TIME), nullable=False),
    PrimaryKeyConstraint("id", "version"),
)

settings = Table(
    "settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(_TIME), nullable=False),
)

CHANGE_COUNTER = "changes"

Migration = Callable[[Connection], None]


def _baseline(connection: Connection) -> None:
    metadata.create_all(connection)


def _current_revision_in_records(connection: Connection) -> None:
    """The current revision's mutation id moves to its record, and the revision rows that only
    repeated the record's row go: record_revisions keeps the revisions later ones replaced. And
    the unique index of records.seq, which no query used, goes: each insert paid for it."""
    connection.execute(text("DROP INDEX ix_records_seq"))
    connection.execute(text("ALTER TABLE records ADD COLUMN mutation_id VARCHAR(36)"))
    connection.execute(
        text(
            "UPDATE records SET mutation_id = (SELECT r.mutation_id FROM record_revisions r "
            "WHERE r.record_id = records.id AND r.rev = records.rev)"
        )
    )
    connection.execute(
        text(
            "DELETE FROM record_revisions WHERE EXISTS (SELECT 1 FROM records "
            "WHERE records.id = record_revisions.record_id AND records.rev = record_revisions.rev)"
        )
    )


# Append only: (version, what it does, how). A released migration never changes.
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "baseline: every table of the first release", _baseline),
    (
        2,
        "the current revision in records only; no index of records.seq",
        _current_revision_in_records,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(connection: Connection) -> int | None:
    """The stamped schema version, or None for a database the hub has never touched."""
    if not connection.dialect.has_table(connection, "schema_migrations"):
        return None
    version = connection.execute(
        select(schema_migrations.c.version).order_by(schema_migrations.c.version.desc()).limit(1)
    ).scalar()
    return int(version) if version is not None else None


def migrate(connection: Connection, now: str) -> list[int]:
    """Bring the schema to LATEST_VERSION inside the caller's transaction; the versions applied.

    On PostgreSQL an advisory lock makes concurrent hub workers wait for the first one."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7411)"))
    version = current_version(connection)
    if version is None:
        metadata.create_all(connection)
        connection.execute(counters.insert().values(name=CHANGE_COUNTER, value=0))
        connection.execute(
            schema_migrations.insert().values(version=LATEST_VERSION, applied_at=now)
        )
        return [LATEST_VERSION]
    applied = []
    for number, _, step in MIGRATIONS:
        if number > version:
            step(connection)
            connection.execute(schema_migrations.insert().values(version=number, applied_at=now))
            applied.append(number)
    return applied
