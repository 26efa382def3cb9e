"""The hub's production files agree with the hub: the systemd unit's and the admin guide's
`chanjiao-hub` commands parse with its command line, nginx proxies to the port the unit serves
on, and the guide covers what the issue asks of it."""

from __future__ import annotations

import re
import shlex

import pytest

from sync.hub.cli import _parser
from tests.packaging.conftest import PACKAGING_DIR

HUB = PACKAGING_DIR / "hub"
GUIDE = (PACKAGING_DIR.parent / "docs" / "admin-guide.md").read_text(encoding="utf-8")
UNIT = (HUB / "chanjiao-hub.service").read_text(encoding="utf-8")
HUB_EXECUTABLE = "/opt/chanjiao-hub/venv/bin/chanjiao-hub"


def unit_commands() -> list[list[str]]:
    commands = re.findall(r"^ExecStart(?:Pre)?=(.+)$", UNIT, re.M)
    assert len(commands) == 2
    return [shlex.split(command) for command in commands]


def guide_hub_commands() -> list[list[str]]:
    """The arguments of every `hub ...` command in the guide's shell blocks."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.lstrip().startswith("hub()"):
                continue
            words = shlex.split(line, comments=True)
            for start in (i for i, word in enumerate(words) if word == "hub"):
                if start == 0 or words[start - 1] in ("|", "&&", ";"):
                    rest = words[start + 1 :]
                    ends = [i for i, word in enumerate(rest) if word in ("|", "&&", ";")]
                    commands.append(rest[: ends[0]] if ends else rest)
    return commands


def parses(arguments: list[str]) -> None:
    try:
        _parser().parse_args(arguments)
    except SystemExit as exited:
        pytest.fail(f"chanjiao-hub {shlex.join(arguments)}: exit {exited.code}")


def test_the_unit_runs_commands_the_hub_has() -> None:
    for command in unit_commands():
        assert command[0] == HUB_EXECUTABLE
        parses(command[1:])
    assert [command[1] for command in unit_commands()] == ["init", "serve"]


def test_nginx_proxies_to_the_port_the_unit_serves_on() -> None:
    serve = next(command for command in unit_commands() if command[1] == "serve")
    arguments = _parser().parse_args(serve[1:])
    nginx = (HUB / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream chanjiao_hub \{\s*server ([\d.]+):(\d+);", nginx)
    assert upstream
    assert (arguments.host, arguments.port) == (upstream[1], int(upstream[2]))
    assert "ssl_certificate " in nginx
    # The form Debian 12's nginx 1.22 accepts (`http2 on;` needs 1.25.1; nginx -t failed on it).
    assert "listen 443 ssl http2;" in nginx and "http2 on;" not in nginx
    assert "location = /api/v1/health" in nginx


def test_the_unit_reads_the_database_from_the_env_file() -> None:
    assert "EnvironmentFile=/etc/chanjiao-hub/hub.env" in UNIT
    example = (HUB / "hub.env.example").read_text(encoding="utf-8")
    assert re.search(r"^CHANJIAO_HUB_DB=postgresql://", example, re.M)


def test_every_hub_command_in_the_admin_guide_parses() -> None:
    commands = guide_hub_commands()
    used = {command[0] for command in commands}
    assert {"org", "user", "form", "maintenance"} <= used
    for command in commands:
        parses(command)


def test_the_admin_guide_covers_install_organisations_backups_upgrades_monitoring() -> None:
    sections = re.findall(r"^## \d\. .*· (.+)$", GUIDE, re.M)
    for topic in ("Installing the hub", "Counties, schools and users", "Backups and restore"):
        assert topic in sections
    assert "Upgrades" in sections and "Monitoring" in sections
    assert "pg_dump" in GUIDE and "pg_restore" in GUIDE
    assert "/api/v1/health" in GUIDE


def test_the_guides_files_exist() -> None:
    for path in re.findall(r"\bpackaging/[\w./-]+\.\w+", GUIDE):
        assert (PACKAGING_DIR.parent / path).is_file(), path
