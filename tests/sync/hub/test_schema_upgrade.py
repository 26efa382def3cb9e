"""The migration runner's upgrade path, with a stand-in next version after the newest: the
database is brought to it with its data kept, the version is recorded, running again does nothing,
and a step that fails leaves the database at its version. Then the real migrations, each on a
database with data as the version before it left it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, func, inspect, select, text

from sync.hub import schema
from sync.hub.auth import add_org
from sync.hub.database import Database
from sync.hub.service import Hub
from tests.sync.hub.conftest import Api, edit, revisions_held

RELEASED = list(schema.MIGRATIONS)
CURRENT = schema.LATEST_VERSION
STAMPED = [CURRENT]  # a new database is stamped with the newest version only
NEXT = CURRENT + 1


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A database at the released version holding one county; the next version's traces
    removed after (the PostgreSQL database lives for the whole session)."""
    db = Database(db_url)
    db.migrate()
    db.write(lambda c: add_org(c, "500103", "渝中区", "county"))
    yield db
    db.write(lambda c: c.execute(text("DROP TABLE IF EXISTS upgrade_test")))
    db.write(
        lambda c: c.execute(
            schema.schema_migrations.delete().where(schema.schema_migrations.c.version > CURRENT)
        )
    )
    db.dispose()


def _next_version(connection: Connection) -> None:
    """A new table filled from an old one, as a real migration might do."""
    connection.execute(text("CREATE TABLE upgrade_test (code VARCHAR(32) PRIMARY KEY)"))
    connection.execute(text("INSERT INTO upgrade_test (code) SELECT code FROM orgs"))


def _with_next_version(monkeypatch: pytest.MonkeyPatch, step: schema.Migration) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", [*RELEASED, (NEXT, "test", step)])
    monkeypatch.setattr(schema, "LATEST_VERSION", NEXT)


def _state(db: Database) -> tuple[int | None, list[int], list[str]]:
    with db.read() as connection:
        versions = connection.execute(select(schema.schema_migrations.c.version)).scalars()
        orgs = connection.execute(select(schema.orgs.c.code)).scalars()
        return schema.current_version(connection), sorted(versions), list(orgs)


def test_a_new_version_upgrades_a_database_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _state(database) == (CURRENT, STAMPED, ["500103"])
    _with_next_version(monkeypatch, _next_version)
    assert database.migrate() == [NEXT]
    assert _state(database) == (NEXT, [*STAMPED, NEXT], ["500103"])
    with database.read() as connection:
        copied = connection.execute(text("SELECT code FROM upgrade_test")).scalars().all()
    assert copied == ["500103"]
    assert database.migrate() == []  # already at the new version: nothing runs twice
    assert _state(database) == (NEXT, [*STAMPED, NEXT], ["500103"])


def test_a_failing_step_leaves_the_database_at_its_version(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(connection: Connection) -> None:
        _next_version(connection)
        raise RuntimeError("the step failed half way")

    _with_next_version(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        database.migrate()
    assert _state(database) == (CURRENT, STAMPED, ["500103"])
    with database.read() as connection:
        assert not connection.dialect.has_table(connection, "upgrade_test")  # rolled back
    _with_next_version(monkeypatch, _next_version)
    assert database.migrate() == [NEXT]  # and the step runs once it is fixed
    assert _state(database) == (NEXT, [*STAMPED, NEXT], ["500103"])


def _as_version_1(connection: Connection) -> None:
    """What version 1 held for the same history: every revision in record_revisions, the
    current one too with its mutation id, no mutation id in records, a unique index of seq."""
    revisions, records = schema.record_revisions, schema.records
    connection.execute(
        revisions.insert().from_select(
            [column.name for column in revisions.c],
            select(
                records.c.id,
                *(records.c[column.name] for column in list(revisions.c)[1:]),
            ),
        )
    )
    connection.execute(text("ALTER TABLE records DROP COLUMN mutation_id"))
    connection.execute(text("CREATE UNIQUE INDEX ix_records_seq ON records (seq)"))
    connection.execute(schema.schema_migrations.delete())
    connection.execute(
        schema.schema_migrations.insert().values(version=1, applied_at="2026-11-21T08:00:00Z")
    )


def _history(hub: Hub) -> tuple[list[Any], list[Any]]:
    with hub.db.read() as connection:
        current = connection.execute(
            select(schema.records.c.id, schema.records.c.rev, schema.records.c.mutation_id)
        ).all()
        replaced = connection.execute(select(schema.record_revisions)).all()
    return sorted(current), sorted(replaced)


def test_version_2_keeps_the_current_revision_in_records_only(hub: Hub, api: Api) -> None:
    """A version-1 database's history, every revision and the mutation that made it, is all
    there after the upgrade, and its records are edited, merged and answered again as before."""
    created = api.create()
    first_edit = edit(created, class_name="2025级1班")
    assert api.push("school1", first_edit)["record"]["rev"] == 2
    untouched = api.create()
    current, replaced = _history(hub)
    assert [row.rev for row in replaced] == [1]  # only the one replaced
    hub.db.write(_as_version_1)
    try:
        with hub.db.read() as connection:
            stored = connection.execute(select(func.count(schema.record_revisions.c.rev))).scalar()
        assert stored == 3  # both revisions of one record, the one of the other
        assert hub.db.migrate() == [2]
        assert _state(hub.db)[:2] == (2, [1, 2])
    finally:  # the PostgreSQL database outlives the test: as a new one was again
        hub.db.migrate()
        hub.db.write(
            lambda c: c.execute(
                schema.schema_migrations.delete().where(
                    schema.schema_migrations.c.version.not_in(STAMPED)
                )
            )
        )
    assert _history(hub) == (current, replaced)
    with hub.db.read() as connection:
        indexes = {i["name"] for i in inspect(connection).get_indexes("records")}
    assert "ix_records_seq" not in indexes
    # The revision the upgrade left in records alone is stored when replaced, with its mutation.
    assert api.push("school1", edit(untouched, notes="补录"))["outcome"] == "applied"
    made_by = {row.id: row.mutation_id for row in current}
    with hub.db.read() as connection:
        revision = connection.execute(
            select(schema.record_revisions).where(
                schema.record_revisions.c.record_id == untouched["id"]
            )
        ).one()
    assert (revision.rev, revision.mutation_id) == (1, made_by[untouched["id"]])
    # An edit from the first revision merges with the second; the second's edit is answered
    # again as it was.
    merged = api.push("school1", edit(created, position="钳工"))
    assert merged["outcome"] == "merged"
    assert (merged["record"]["rev"], merged["record"]["fields"]["class_name"]) == (3, "2025级1班")
    again = api.push("school1", first_edit)
    assert (again["outcome"], again["record"]["rev"]) == ("applied", 2)
    assert again["record"]["fields"]["class_name"] == "2025级1班"
    with hub.db.read() as connection:
        assert revisions_held(connection, created["id"]) == [1, 2, 3]
