"""`chanjiao-hub` on wrong values and failures: one line on stderr and no traceback, exit status 2
for a wrong argument or value, 1 for a database that is missing, unreachable or failing, or a
disk; serve also logs the failure in full, with its time. And --db before the command's name."""

from __future__ import annotations

import io
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from sync.hub.app import TOKEN_DAYS_ENV
from sync.hub.cli import main
from sync.hub.database import Database, single_use_engine
from tests.console_language import set_console_language
from tests.sync.hub.conftest import PG_ENV, pg_skip_reason
from tests.sync.hub.servers import HUB_COMMAND, free_port

TIMESTAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


def one_line(err: str) -> str:
    assert err.startswith("chanjiao-hub: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def hub(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`chanjiao-hub` as a process: serve configures the logging, which must not leak into the
    tests' own."""
    return subprocess.run(
        [HUB_COMMAND, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def closed_port_url() -> str:
    """PostgreSQL where nothing listens."""
    return f"postgresql://postgres:secret@127.0.0.1:{free_port()}/hub"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages; test_cli_language.py reads the Chinese ones."""
    set_console_language(monkeypatch, "en_US.UTF-8")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "hub.sqlite3")
    assert main(["init", "--db", url]) == 0
    return url


@pytest.mark.parametrize(
    "url",
    [
        "mysql://hub:secret@db.example/hub",
        "postgresql+psycopg2://hub:secret@db.example/hub",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql://hub:secret@db.example:port/hub",
        "://nothing",
    ],
)
@pytest.mark.parametrize("command", [["init"], ["user", "list"], ["backup", "copy"]])
def test_a_database_url_the_hub_cannot_use_exits_2(
    url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--db", url]) == 2
    err = one_line(capsys.readouterr().err)
    assert "secret" not in err


def test_serve_with_a_wrong_database_url_exits_2() -> None:
    done = hub("serve", "--db", "mysql://x/y")
    assert done.returncode == 2
    one_line(done.stderr)


@pytest.mark.parametrize("days", ["abc", "0", "-3", "1.5"])
def test_serve_with_wrong_token_days_in_the_environment_exits_2(db: str, days: str) -> None:
    done = hub("serve", "--db", db, "--port", str(free_port()), env={TOKEN_DAYS_ENV: days})
    assert done.returncode == 2
    assert TOKEN_DAYS_ENV in one_line(done.stderr)


@pytest.mark.parametrize(
    "command",
    [
        ["init"],
        ["user", "list"],
        ["user", "disable", "someone"],
        ["org", "add", "500103", "x", "--kind", "county"],
        ["maintenance", "on"],
    ],
)
def test_an_unreachable_postgresql_exits_1(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = closed_port_url()
    assert main([*command, "--db", url]) == 1
    err = one_line(capsys.readouterr().err)
    assert "Connection refused" in err and "secret" not in err


def test_serve_on_an_unreachable_postgresql_exits_1_and_logs_it_in_full() -> None:
    done = hub("serve", "--db", closed_port_url(), "--port", str(free_port()))
    assert done.returncode == 1
    *log, last = done.stderr.splitlines()
    assert last.startswith("chanjiao-hub: database postgresql://postgres:***@127.0.0.1:")
    assert "Connection refused" in last
    assert re.match(rf"{TIMESTAMP}.* ERROR:.*Connection refused", log[0]), done.stderr
    assert "Is the server running" in done.stderr  # the driver's whole message, in the log
    assert "Traceback" not in done.stderr and "secret" not in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["user", "list"],
        ["user", "disable", "someone"],
        ["org", "add", "500103", "x", "--kind", "county"],
        ["backup", "copy.sqlite3"],
        ["form", "publish", "form.json"],
        ["maintenance", "on"],
    ],
)
def test_commands_other_than_init_refuse_a_database_that_does_not_exist(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "hub.sqlite3"
    assert main([*command, "--db", str(typo)]) == 1
    err = one_line(capsys.readouterr().err)
    assert f"no hub database at {typo}: run chanjiao-hub init first" in err
    assert not typo.exists() and not (tmp_path / "copy.sqlite3").exists()


def test_user_add_refuses_a_database_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    typo = tmp_path / "hub.sqlite3"
    args = ["user", "add", "u", "--role", "admin", "--org", "x", "--password-stdin"]
    assert main([*args, "--db", str(typo)]) == 1
    assert "run chanjiao-hub init first" in one_line(capsys.readouterr().err)
    assert not typo.exists()


def test_a_sqlite_file_that_is_not_a_hub_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"")  # an empty file is an empty SQLite database
    assert main(["user", "list", "--db", str(other)]) == 1
    assert "no hub database" in one_line(capsys.readouterr().err)


@pytest.fixture
def empty_pg() -> Iterator[str]:
    """A PostgreSQL database with nothing in it."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(pg_skip_reason())
    name = f"chanjiao_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = single_use_engine(server)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_an_empty_postgresql_database_is_refused_until_init(
    empty_pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "list", "--db", empty_pg]) == 1
    assert "run chanjiao-hub init first" in one_line(capsys.readouterr().err)
    database = Database(empty_pg)
    with database.engine.connect() as connection:
        assert not connection.dialect.has_table(connection, "users")  # nothing was made
    database.dispose()
    assert main(["init", "--db", empty_pg]) == 0
    assert main(["user", "list", "--db", empty_pg]) == 0


def test_a_database_whose_directory_cannot_be_made_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("")
    assert main(["init", "--db", str(tmp_path / "a-file" / "hub.sqlite3")]) == 1
    assert "cannot create the database" in one_line(capsys.readouterr().err)


def test_a_database_file_that_cannot_be_opened_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-directory.sqlite3").mkdir()
    assert main(["init", "--db", str(tmp_path / "a-directory.sqlite3")]) == 1
    assert "unable to open database file" in one_line(capsys.readouterr().err)


def test_backup_into_a_missing_directory_exits_1(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    dest = tmp_path / "missing" / "copy.sqlite3"
    assert main(["backup", str(dest), "--db", db]) == 1
    assert f"cannot back up {db} to {dest}" in one_line(capsys.readouterr().err)


def test_db_before_or_after_the_command(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = str(tmp_path / "first.sqlite3")
    assert main(["--db", first, "init"]) == 0
    assert Path(first).is_file()
    assert main(["--db", first, "org", "add", "500103", "x", "--kind", "county"]) == 0
    capsys.readouterr()
    # Given in both places, the one after the command's name counts.
    assert main(["--db", first, "user", "list", "--db", str(tmp_path / "nowhere")]) == 1
    assert "nowhere" in capsys.readouterr().err
    assert main(["--db", db, "org", "add", "500103", "x", "--kind", "county"]) == 0
    assert main(["org", "add", "500103", "x", "--kind", "county", "--db", first]) == 1
    assert "exists already" in capsys.readouterr().err
