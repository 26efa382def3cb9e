"""`chanjiao-hub`: every command, its exit status, and the servers it starts."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import select

from forms import bundled_definitions
from sync.hub import cli, schema
from sync.hub.app import DB_ENV, TOKEN_DAYS_ENV, open_hub, token_lifetime_from_env
from sync.hub.auth import InvalidCredentials
from sync.hub.cli import main
from sync.hub.database import Database
from sync.hub.demo import DEMO_PASSWORD
from sync.samples import SampleFactory
from tests.console_language import set_console_language
from tests.sync.hub.conftest import FAST_HASHER
from tests.sync.hub.servers import HUB_COMMAND, free_port, hub_process


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages; test_cli_language.py reads the Chinese ones."""
    set_console_language(monkeypatch, "en_US.UTF-8")


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    """Where no database is yet."""
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def db(fresh_db: str) -> str:
    """A hub database, as `chanjiao-hub init` makes it (the other commands refuse to make one)."""
    database = Database(fresh_db)
    database.migrate()
    database.dispose()
    return fresh_db


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)


def add_user_with(password: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return run("user", "add", *args, "--password-stdin")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["bogus"],
        ["serve", "--port", "not-a-port"],
        ["serve", "--port", "70000"],
        ["serve", "--workers", "0"],
        ["serve", "--token-days", "0"],
        ["org"],
        ["org", "add", "500103"],
        ["org", "add", "500103", "x"],
        ["org", "add", "500103", "x", "--kind", "province"],
        ["user", "add", "u", "--role", "king", "--org", "1"],
        ["user", "add", "u", "--role", "school"],
        ["user", "disable"],
        ["maintenance", "sometimes"],
        ["form", "publish"],
        ["enterprises", "import"],
        ["backup"],
        ["migrate"],
        ["add-org", "--code", "1"],
    ],
)
def test_wrong_arguments_exit_2_with_one_line(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("chanjiao-hub") and err.count("\n") == 1, err


def test_the_console_script_exits_2_on_wrong_arguments() -> None:
    done = subprocess.run([HUB_COMMAND, "serve", "--nope"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def _commands(parser: argparse.ArgumentParser, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, [*prefix, name])


def test_help_on_every_command_and_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    commands = list(_commands(cli._parser(), []))
    assert {tuple(c) for c in commands} >= {
        ("init",),
        ("org", "add"),
        ("user", "add"),
        ("user", "list"),
        ("user", "disable"),
        ("serve",),
        ("demo",),
        ("form", "publish"),
        ("enterprises", "import"),
        ("backup",),
    }
    for command in commands:
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert f"usage: chanjiao-hub {' '.join(command)}".strip() in capsys.readouterr().out
        if command:
            assert f"chanjiao-hub {' '.join(command)}" in (cli.__doc__ or "")
    done = subprocess.run([HUB_COMMAND, "--help"], capture_output=True, text=True, check=True)
    assert "enterprises" in done.stdout


def test_the_default_database_is_in_the_platform_data_directory(
    no_env_db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        "platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data" / "hub")
    )
    assert cli.default_db() == str(tmp_path / "data" / "hub" / "hub.sqlite3")
    assert run("init") == 0
    assert (tmp_path / "data" / "hub" / "hub.sqlite3").is_file()
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    assert run("init") == 0
    assert (tmp_path / "env.sqlite3").is_file()


def test_init_org_add_and_user_add(
    fresh_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = fresh_db
    assert run("init", "--db", db) == 0
    assert f"schema up to date ({schema.LATEST_VERSION})" in capsys.readouterr().out
    assert run("init", "--db", db) == 0
    assert "nothing to apply" in capsys.readouterr().out
    assert run("org", "add", "500103", "渝中区", "--kind", "county", "--db", db) == 0
    assert (
        run(
            "org",
            "add",
            "3150010301",
            "职教中心",
            "--kind",
            "school",
            "--county",
            "500103",
            "--school-kind",
            "secondary_vocational",
            "--db",
            db,
        )
        == 0
    )
    assert (
        add_user_with(
            "secret",
            monkeypatch,
            "teacher",
            "--db",
            db,
            "--role",
            "school",
            "--org",
            "3150010301",
            "--display-name",
            "王老师",
        )
        == 0
    )
    database = Database(db)
    with database.read() as connection:
        user = connection.execute(select(schema.users)).one()
        school = connection.execute(
            select(schema.orgs).where(schema.orgs.c.code == "3150010301")
        ).one()
    database.dispose()
    assert (user.username, user.role, user.org, user.county) == (
        "teacher",
        "school",
        "3150010301",
        "500103",
    )
    assert user.display_name == "王老师"
    assert user.password_hash.startswith("$argon2")
    assert (school.kind, school.county) == ("school", "500103")


def test_user_add_asks_for_the_password_twice_on_a_terminal(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run("org", "add", "500103", "x", "--kind", "county", "--db", db)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["typed", "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert run("user", "add", "c", "--role", "county", "--org", "500103", "--db", db) == 1
    assert "differ" in capsys.readouterr().err
    answers = iter(["typed", "typed"])
    assert run("user", "add", "c", "--role", "county", "--org", "500103", "--db", db) == 0
    database = Database(db)
    with database.read() as connection:
        stored = connection.execute(select(schema.users.c.password_hash)).scalar_one()
    database.dispose()
    assert FAST_HASHER.verify(stored, "typed")


def test_user_add_without_a_terminal_or_password_stdin_exits_2(db: str) -> None:
    done = subprocess.run(
        [HUB_COMMAND, "user", "add", "c", "--role", "admin", "--org", "x", "--db", db],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "--password-stdin" in done.stderr and done.stderr.count("\n") == 1


def test_user_list_and_disable(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("org", "add", "500103", "渝中区", "--kind", "county", "--db", db)
    add_user_with("pw", monkeypatch, "county1", "--role", "county", "--org", "500103", "--db", db)
    add_user_with("pw", monkeypatch, "boss", "--role", "admin", "--org", "x", "--db", db)
    hub = open_hub(db, FAST_HASHER)
    token, _, _ = hub.auth.login("county1", "pw", "pytest")
    capsys.readouterr()
    assert run("user", "list", "--db", db) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["username", "role", "org", "disabled", "display", "name"]
    assert [line.split()[:4] for line in lines[1:]] == [
        ["boss", "admin", "x", "no"],
        ["county1", "county", "500103", "no"],
    ]
    assert run("user", "disable", "county1", "--db", db) == 0
    assert "1 token(s) revoked" in capsys.readouterr().out
    assert hub.auth.caller(token) is None
    with pytest.raises(InvalidCredentials):
        hub.auth.login("county1", "pw", "pytest")
    hub.db.dispose()
    run("user", "list", "--db", db)
    assert capsys.readouterr().out.splitlines()[2].split()[:4] == [
        "county1",
        "county",
        "500103",
        "yes",
    ]
    assert run("user", "disable", "nobody", "--db", db) == 1


def test_refusals_exit_with_status_1(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("org", "add", "1", "x", "--kind", "school", "--county", "404404", "--db", db) == 1
    assert "no county" in capsys.readouterr().err
    assert add_user_with("p", monkeypatch, "u", "--role", "county", "--org", "404", "--db", db) == 1
    run("org", "add", "500103", "x", "--kind", "county", "--db", db)
    assert run("org", "add", "500103", "x", "--kind", "county", "--db", db) == 1
    assert "exists already" in capsys.readouterr().err


def test_user_add_reads_the_password_from_stdin(db: str) -> None:
    assert run("org", "add", "500103", "x", "--kind", "county", "--db", db) == 0
    done = subprocess.run(
        [
            HUB_COMMAND,
            "user",
            "add",
            "c",
            "--db",
            db,
            "--role",
            "county",
            "--org",
            "500103",
            "--password-stdin",
        ],
        input="from stdin\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    port = free_port()
    with hub_process(["serve", "--db", db, "--port", str(port)], port) as hub:
        login = httpx.post(
            hub.url + "/api/v1/auth/login", json={"username": "c", "password": "from stdin"}
        )
        assert login.status_code == 200


def _enterprises(db: str) -> list[tuple[str, str, str | None, str | None]]:
    database = Database(db)
    with database.read() as connection:
        rows = connection.execute(select(schema.enterprises).order_by("uscc")).all()
    database.dispose()
    return [(r.uscc, r.name, r.industry, r.integration_level) for r in rows]


def test_enterprises_import_csv_with_chinese_headers_skips_invalid_rows(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    factory = SampleFactory(seed=3)
    (_, first), (_, second) = factory.enterprise(), factory.enterprise()
    path = tmp_path / "企业.csv"
    path.write_text(
        "统一社会信用代码,企业名称,行业,产教融合型企业级别\n"
        f"{first},甲公司,制造业,省级\n"
        "91500000BADBADBAD1,乙公司,,\n"
        f"{second},丙公司,,\n",
        encoding="utf-8-sig",
    )
    assert run("enterprises", "import", str(path), "--db", db) == 0
    captured = capsys.readouterr()
    assert "row 3" in captured.err and "91500000BADBADBAD1" in captured.err
    assert "2 added, 0 updated" in captured.out and "1 skipped" in captured.out
    assert _enterprises(db) == sorted(
        [(first, "甲公司", "制造业", "省级"), (second, "丙公司", None, None)]
    )


def test_enterprises_import_xlsx_with_english_headers_updates_known_ones(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, uscc = SampleFactory(seed=4).enterprise()
    for name in ("旧名", "新名"):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["name", "USCC", "industry"])
        sheet.append([name, uscc, "物流"])
        sheet.append(["无代码公司", None, None])
        workbook.save(tmp_path / "list.xlsx")
        assert run("enterprises", "import", str(tmp_path / "list.xlsx"), "--db", db) == 0
    assert "0 added, 1 updated" in capsys.readouterr().out
    assert _enterprises(db) == [(uscc, "新名", "物流", None)]


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("list.txt", b"uscc,name\n", 2),
        ("missing.csv", None, 1),
        ("broken.xlsx", b"not a workbook", 1),
        ("headless.csv", b"a,b\n1,2\n", 1),
        ("latin1.csv", "uscc,name\n1,caf\xe9\n".encode("latin-1"), 1),
    ],
)
def test_enterprises_import_bad_files_exit_with_one_line(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    status: int,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert run("enterprises", "import", str(path), "--db", db) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_backup_copies_a_sqlite_database_and_prints_pg_dump_for_postgresql(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("org", "add", "500103", "渝中区", "--kind", "county", "--db", db)
    copy = tmp_path / "copy.sqlite3"
    assert run("backup", str(copy), "--db", db) == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT code FROM orgs").fetchall() == [("500103",)]
    assert run("backup", str(copy), "--db", db) == 1
    capsys.readouterr()
    pg = "postgresql://hub:secret@db.example/chanjiao_hub"
    assert run("backup", "/var/backups/hub.dump", "--db", pg) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("pg_dump --format=custom --file=/var/backups/hub.dump ")
    assert "db.example/chanjiao_hub" in printed and "secret" not in printed


def test_form_publish_and_maintenance(db: str, tmp_path: Path) -> None:
    definition = bundled_definitions()["internship"].to_json() | {"version": 2}
    path = tmp_path / "internship-v2.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    assert run("form", "publish", str(path), "--db", db) == 0
    assert run("form", "publish", str(path), "--db", db) == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("form", "publish", str(broken), "--db", db) == 1
    assert run("form", "publish", str(tmp_path / "missing.json"), "--db", db) == 1
    assert run("maintenance", "on", "--db", db) == 0
    port = free_port()
    with hub_process(["serve", "--db", db, "--port", str(port)], port) as hub:
        assert httpx.get(hub.url + "/api/v1/me").status_code == 503
        assert run("maintenance", "off", "--db", db) == 0
    database = Database(db)
    with database.read() as connection:
        versions = connection.execute(select(schema.form_definitions.c.version)).scalars().all()
    database.dispose()
    assert versions == [2]


def test_serve_token_days_sets_the_token_lifetime(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run("org", "add", "500103", "x", "--kind", "county", "--db", db)
    add_user_with("pw", monkeypatch, "c", "--role", "county", "--org", "500103", "--db", db)
    port = free_port()
    with hub_process(["serve", "--db", db, "--port", str(port), "--token-days", "2"], port) as hub:
        answer = httpx.post(
            hub.url + "/api/v1/auth/login", json={"username": "c", "password": "pw"}
        )
    expires = datetime.datetime.fromisoformat(answer.json()["expires_at"].replace("Z", "+00:00"))
    left = expires - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=1, hours=23) < left <= datetime.timedelta(days=2)


def test_the_token_lifetime_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_DAYS_ENV, raising=False)
    assert token_lifetime_from_env() == datetime.timedelta(days=30)
    monkeypatch.setenv(TOKEN_DAYS_ENV, "7")
    assert token_lifetime_from_env() == datetime.timedelta(days=7)


def test_demo_prints_the_logins_and_serves_sample_records() -> None:
    port = free_port()
    with hub_process(["demo", "--port", str(port)], port) as hub:
        url = hub.url
        lines = hub.output().splitlines()[:7]
        assert f"http://127.0.0.1:{port}/api/v1" in lines[0]
        logins = [line.split() for line in lines[2:7]]
        assert {line[0] for line in logins} == {"county", "school1", "school2", "school3", "admin"}
        assert all(line[1] == DEMO_PASSWORD for line in logins)

        def pull_all(username: str) -> list[dict[str, Any]]:
            token = httpx.post(
                url + "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
            ).json()["token"]
            answer = httpx.get(
                url + "/api/v1/sync/pull",
                params={"limit": 1000},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            assert not answer["has_more"]
            return list(answer["records"])

        everything = pull_all("admin")
        assert len(everything) >= 300
        assert {r["form"] for r in everything} == {
            "internship",
            "training_base",
            "teacher_placement",
        }
        assert {r["status"] for r in everything} == {"draft", "submitted", "returned", "approved"}
        assert any(i["severity"] == "warning" for r in everything for i in r["issues"])
        assert [r["conflict"] is not None for r in pull_all("school1")].count(True) == 1
        assert "draft" not in {r["status"] for r in pull_all("county")}
    assert hub.process.returncode == 0
