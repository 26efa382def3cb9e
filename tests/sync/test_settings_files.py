"""The app's settings files read without Qt: the CA bundle and proxy `chanjiao sync` uses, with
the precedence of desktop.settings (tests/desktop/test_settings_files_agree.py compares them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.settings_files import (
    ConnectionSettings,
    connection_settings,
    read_ini_options,
    system_config_path,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_options_it_wrote_are_read_as_qt_reads_them(tmp_path: Path) -> None:
    ini = write(
        tmp_path / "张老师" / "chanjiao.ini",
        "; comment\n"
        "[General]\n"
        'ca_bundle="C:\\\\certs\\\\学校根证书.pem"\n'
        "proxy = http://proxy.example.edu.cn:3128 ; the school's\n"
        "locked=hub_url, ca_bundle\n"
        "[Other]\n"
        "proxy=elsewhere\n",
    )
    assert read_ini_options(ini) == {
        "ca_bundle": "C:\\certs\\学校根证书.pem",
        "proxy": "http://proxy.example.edu.cn:3128",
        "locked": "hub_url, ca_bundle",
    }


@pytest.mark.parametrize(
    "content",
    [b"not an ini file at all", b"[General\nproxy=x", b"\xff\xfe\x00garbage", b""],
)
def test_an_unreadable_file_counts_as_no_settings(tmp_path: Path, content: bytes) -> None:
    ini = tmp_path / "chanjiao.ini"
    ini.write_bytes(content)
    assert read_ini_options(ini) == {}
    assert connection_settings(tmp_path / "none.ini", ini) == ConnectionSettings()


def test_the_users_value_wins_unless_it_locked_the_option(tmp_path: Path) -> None:
    system = write(
        tmp_path / "system.ini",
        '[General]\nca_bundle="/etc/ssl/school.pem"\nproxy="http://it:3128"\nlocked=ca_bundle\n',
    )
    user = write(
        tmp_path / "user.ini", '[General]\nca_bundle="/mine.pem"\nproxy="http://me:8080"\n'
    )
    assert connection_settings(user, system) == ConnectionSettings(
        ca_bundle="/etc/ssl/school.pem", proxy="http://me:8080"
    )
    # Emptied by the user: no proxy of the app's own (the environment's and the system's apply).
    write(user, '[General]\nproxy=""\n')
    assert connection_settings(user, system) == ConnectionSettings(
        ca_bundle="/etc/ssl/school.pem", proxy=None
    )


def test_the_machine_wide_file_is_where_the_environment_says_in_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = write(tmp_path / "etc" / "chanjiao.ini", '[General]\nproxy="http://it:3128"\n')
    monkeypatch.setenv("CHANJIAO_SYSTEM_CONFIG", str(system))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert system_config_path() == system
    assert connection_settings() == ConnectionSettings(proxy="http://it:3128")
