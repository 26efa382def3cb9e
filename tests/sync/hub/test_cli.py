"""`chanjiao-hub`: every command, its exit status, and the servers it starts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from forms import bundled_definitions
from sync.hub import schema
from sync.hub.cli import main
from sync.hub.database import Database
from sync.hub.demo import DEMO_PASSWORD
from tests.sync.hub.servers import HUB_COMMAND, free_port, hub_process


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def run(*args: str) -> int:
    return main(list(args))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["bogus"],
        ["serve", "--port", "not-a-port"],
        ["serve", "--workers", "0"],
        ["add-org", "--code", "500103", "--name", "x"],
        ["add-org", "--code", "500103", "--name", "x", "--kind", "province"],
        ["add-user", "--username", "u", "--role", "king", "--org", "1", "--password", "p"],
        ["add-user", "--username", "u", "--role", "school", "--org", "1"],
        ["maintenance", "sometimes"],
        ["publish-form"],
    ],
)
def test_wrong_arguments_exit_with_status_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "usage: chanjiao-hub" in capsys.readouterr().err


def test_the_console_script_exits_2_on_wrong_arguments() -> None:
    done = subprocess.run([HUB_COMMAND, "serve", "--nope"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr


def test_every_command_is_documented_in_help_and_in_the_module() -> None:
    import argparse

    from sync.hub import cli

    parser = cli._parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(commands) >= {"serve", "migrate", "demo", "import-reference"}
    done = subprocess.run([HUB_COMMAND, "--help"], capture_output=True, text=True, check=True)
    for command in commands:
        assert command in done.stdout
        assert f"chanjiao-hub {command}" in (cli.__doc__ or "")


def test_migrate_add_org_and_add_user(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("migrate", "--db", db) == 0
    assert run("migrate", "--db", db) == 0
    assert "nothing to apply" in capsys.readouterr().out
    assert (
        run("add-org", "--db", db, "--code", "500103", "--name", "渝中区", "--kind", "county") == 0
    )
    assert (
        run(
            "add-org",
            "--db",
            db,
            "--code",
            "3150010301",
            "--name",
            "职教中心",
            "--kind",
            "school",
            "--county",
            "500103",
            "--school-kind",
            "secondary_vocational",
        )
        == 0
    )
    assert (
        run(
            "add-user",
            "--db",
            db,
            "--username",
            "teacher",
            "--role",
            "school",
            "--org",
            "3150010301",
            "--password",
            "secret",
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


def test_refusals_exit_with_status_1(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            "add-org",
            "--db",
            db,
            "--code",
            "1",
            "--name",
            "x",
            "--kind",
            "school",
            "--county",
            "404404",
        )
        == 1
    )
    assert "no county" in capsys.readouterr().err
    assert (
        run(
            "add-user",
            "--db",
            db,
            "--username",
            "u",
            "--role",
            "county",
            "--org",
            "404",
            "--password",
            "p",
        )
        == 1
    )
    run("add-org", "--db", db, "--code", "500103", "--name", "x", "--kind", "county")
    assert run("add-org", "--db", db, "--code", "500103", "--name", "x", "--kind", "county") == 1
    assert "exists already" in capsys.readouterr().err


def test_add_user_reads_the_password_from_stdin(db: str) -> None:
    assert run("add-org", "--db", db, "--code", "500103", "--name", "x", "--kind", "county") == 0
    done = subprocess.run(
        [
            HUB_COMMAND,
            "add-user",
            "--db",
            db,
            "--username",
            "c",
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


def test_import_reference_adds_orgs_and_keeps_enterprises_current(db: str, tmp_path: Path) -> None:
    reference = {
        "orgs": [
            {
                "code": "3150010301",
                "name": "职教中心",
                "kind": "school",
                "county": "500103",
                "school_kind": "secondary_vocational",
            },
            {"code": "500103", "name": "渝中区", "kind": "county"},
        ],
        "enterprises": [{"uscc": "91500103MA5U7XXX1X", "name": "旧名", "industry": "logistics"}],
    }
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    assert run("import-reference", "--db", db, str(path)) == 0
    reference["enterprises"][0]["name"] = "新名"
    path.write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    assert run("import-reference", "--db", db, str(path)) == 0
    database = Database(db)
    with database.read() as connection:
        orgs = connection.execute(select(schema.orgs.c.code, schema.orgs.c.county)).all()
        names = connection.execute(select(schema.enterprises.c.name)).scalars().all()
    database.dispose()
    assert sorted(orgs) == [("3150010301", "500103"), ("500103", None)]
    assert names == ["新名"]
    path.write_text('{"orgs": "none"}', encoding="utf-8")
    assert run("import-reference", "--db", db, str(path)) == 1


def test_publish_form_and_maintenance(db: str, tmp_path: Path) -> None:
    definition = bundled_definitions()["internship"].to_json() | {"version": 2}
    path = tmp_path / "internship-v2.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    assert run("publish-form", "--db", db, str(path)) == 0
    assert run("publish-form", "--db", db, str(path)) == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("publish-form", "--db", db, str(broken)) == 1
    assert run("maintenance", "--db", db, "on") == 0
    port = free_port()
    with hub_process(["serve", "--db", db, "--port", str(port)], port) as hub:
        assert httpx.get(hub.url + "/api/v1/me").status_code == 503
        assert run("maintenance", "--db", db, "off") == 0
    database = Database(db)
    with database.read() as connection:
        versions = connection.execute(select(schema.form_definitions.c.version)).scalars().all()
    database.dispose()
    assert versions == [2]


def test_demo_prints_the_logins_and_serves_sample_records() -> None:
    port = free_port()
    with hub_process(["demo", "--port", str(port)], port) as hub:
        url = hub.url
        lines = hub.output().splitlines()[:7]
        assert f"http://127.0.0.1:{port}/api/v1" in lines[0]
        logins = [line.split() for line in lines[2:7]]
        assert {line[0] for line in logins} == {"county", "school1", "school2", "school3", "admin"}
        assert all(line[1] == DEMO_PASSWORD for line in logins)
        token = httpx.post(
            url + "/api/v1/auth/login", json={"username": "county", "password": DEMO_PASSWORD}
        ).json()["token"]
        pulled = httpx.get(
            url + "/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}
        ).json()["records"]
        statuses = {r["status"] for r in pulled}
        assert {"submitted", "approved", "returned"} <= statuses
        assert "draft" not in statuses
    assert hub.process.returncode == 0
