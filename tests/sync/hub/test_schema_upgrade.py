"""The migration runner's upgrade path, with a stand-in next version (the product has only its
baseline so far, so this is version 2 on a version-1 database): the database is brought to it with
its data kept, the version is recorded, running again does nothing, and a step that fails leaves
the database at its version."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, select, text

from sync.hub import schema
from sync.hub.auth import add_org
from sync.hub.database import Database

RELEASED = list(schema.MIGRATIONS)
CURRENT = schema.LATEST_VERSION
ALL = [number for number, _, _ in RELEASED]
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
    assert _state(database) == (CURRENT, ALL, ["500103"])
    _with_next_version(monkeypatch, _next_version)
    assert database.migrate() == [NEXT]
    assert _state(database) == (NEXT, [*ALL, NEXT], ["500103"])
    with database.read() as connection:
        copied = connection.execute(text("SELECT code FROM upgrade_test")).scalars().all()
    assert copied == ["500103"]
    assert database.migrate() == []  # already at the new version: nothing runs twice
    assert _state(database) == (NEXT, [*ALL, NEXT], ["500103"])


def test_a_failing_step_leaves_the_database_at_its_version(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(connection: Connection) -> None:
        _next_version(connection)
        raise RuntimeError("the step failed half way")

    _with_next_version(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        database.migrate()
    assert _state(database) == (CURRENT, ALL, ["500103"])
    with database.read() as connection:
        assert not connection.dialect.has_table(connection, "upgrade_test")  # rolled back
    _with_next_version(monkeypatch, _next_version)
    assert database.migrate() == [NEXT]  # and the step runs once it is fixed
    assert _state(database) == (NEXT, [*ALL, NEXT], ["500103"])
