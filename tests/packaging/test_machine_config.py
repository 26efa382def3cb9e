"""The machine-wide chanjiao.ini the installers write (`/SERVER=`, `/CA=`, `chanjiao-config`)
reads back in the app exactly as given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.settings import Settings
from tests.packaging.conftest import PACKAGING_DIR, load

machine_config = load("machine_config")
TEMPLATE = PACKAGING_DIR / "linux" / "chanjiao.ini"


def read_back(system_file: Path, tmp_path: Path) -> Settings:
    return Settings(user_file=tmp_path / "user" / "chanjiao.ini", system_file=system_file)


def test_a_new_file_holds_the_server_and_ca_the_app_reads(tmp_path: Path) -> None:
    ini = tmp_path / "ProgramData" / "Chanjiao" / "chanjiao.ini"
    machine_config.write_machine_config(
        ini, server="https://hub.example.edu.cn", ca="/etc/ssl/certs/school-ca.pem"
    )
    settings = read_back(ini, tmp_path)
    assert settings.hub_url == "https://hub.example.edu.cn"
    assert settings.ca_bundle == "/etc/ssl/certs/school-ca.pem"
    assert settings.locked == frozenset()


def test_windows_paths_chinese_and_quotes_survive_qsettings(tmp_path: Path) -> None:
    ca = 'C:\\证书\\学校 "根" CA.pem'
    ini = tmp_path / "chanjiao.ini"
    machine_config.write_machine_config(ini, ca=ca, proxy="http://代理.example:3128")
    settings = read_back(ini, tmp_path)
    assert settings.ca_bundle == ca
    assert settings.proxy == "http://代理.example:3128"


def test_locked_keys_are_read_only_for_the_user(tmp_path: Path) -> None:
    ini = tmp_path / "chanjiao.ini"
    machine_config.write_machine_config(
        ini, server="https://hub.example.edu.cn", locked=["hub_url", "ca_bundle"]
    )
    settings = read_back(ini, tmp_path)
    assert settings.locked == {"hub_url", "ca_bundle"}
    assert settings.is_locked("hub_url")
    assert not settings.is_locked("proxy")


def test_every_option_is_written_typed(tmp_path: Path) -> None:
    ini = tmp_path / "chanjiao.ini"
    machine_config.write_machine_config(
        ini, sync_interval_minutes=15, language="en", update_check=False
    )
    settings = read_back(ini, tmp_path)
    assert settings.sync_interval_minutes == 15
    assert settings.language == "en"
    assert settings.update_check is False


def test_the_template_sets_nothing_and_keeps_its_comments_when_written(tmp_path: Path) -> None:
    ini = tmp_path / "chanjiao.ini"
    shutil.copy(TEMPLATE, ini)
    assert read_back(ini, tmp_path).hub_url == ""
    machine_config.write_machine_config(ini, server="https://a.example.edu.cn")
    machine_config.write_machine_config(ini, server="https://b.example.edu.cn", ca="/ca.pem")
    text = ini.read_text(encoding="utf-8")
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        assert line in text
    assert text.count("\nhub_url=") == 1
    settings = read_back(ini, tmp_path)
    assert (settings.hub_url, settings.ca_bundle) == ("https://b.example.edu.cn", "/ca.pem")


def test_other_sections_and_keys_stay(tmp_path: Path) -> None:
    ini = tmp_path / "chanjiao.ini"
    ini.write_text('[General]\nproxy="http://p:1"\n\n[Other]\nkey=1\n', encoding="utf-8")
    machine_config.write_machine_config(ini, server="https://hub.example.edu.cn")
    assert ini.read_text(encoding="utf-8") == (
        '[General]\nproxy="http://p:1"\nhub_url="https://hub.example.edu.cn"\n\n[Other]\nkey=1\n'
    )


def test_a_utf8_bom_from_windows_tools_is_read(tmp_path: Path) -> None:
    ini = tmp_path / "chanjiao.ini"
    ini.write_bytes('\ufeff[General]\nproxy="http://p:1"\n'.encode())
    machine_config.write_machine_config(ini, server="https://hub.example.edu.cn")
    settings = read_back(ini, tmp_path)
    assert (settings.hub_url, settings.proxy) == ("https://hub.example.edu.cn", "http://p:1")


@pytest.mark.parametrize(
    "options",
    [
        {"server": "hub.example.edu.cn"},
        {"sync_interval_minutes": 0},
        {"language": "fr"},
        {"locked": ["hub_url", "password"]},
        {"ca": "/a\n[General]\nhub_url=evil"},
    ],
)
def test_values_the_app_would_refuse_are_not_written(tmp_path: Path, options: dict) -> None:
    ini = tmp_path / "chanjiao.ini"
    with pytest.raises(machine_config.MachineConfigError):
        machine_config.write_machine_config(ini, **options)
    assert not ini.exists()


def test_the_command_line_writes_a_chinese_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = tmp_path / "张三" / "配置" / "chanjiao.ini"
    status = machine_config.main(
        ["--file", str(ini), "--server", "https://hub.example.edu.cn", "--lock", "hub_url"]
    )
    assert status == 0
    assert capsys.readouterr().out.strip() == str(ini)
    settings = read_back(ini, tmp_path)
    assert settings.hub_url == "https://hub.example.edu.cn"
    assert settings.locked == {"hub_url"}


def test_the_command_line_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = machine_config.main(["--file", str(tmp_path / "x.ini"), "--server", "ftp://x"])
    assert status == 2
    assert "hub_url must start with https://" in capsys.readouterr().err


def test_the_system_location_follows_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.settings import system_config_path

    monkeypatch.delenv("CHANJIAO_SYSTEM_CONFIG", raising=False)
    assert machine_config.default_path() == system_config_path()


def test_a_user_under_a_chinese_home_reads_the_machine_file_and_keeps_own_values(
    non_ascii_home: Path, tmp_path: Path
) -> None:
    # The user's file at its default place, under …/张三 (the packaging tests' HOME).
    ini = tmp_path / "系统" / "chanjiao.ini"
    machine_config.write_machine_config(
        ini, server="https://hub.example.edu.cn", proxy="http://p:1", locked=["hub_url"]
    )
    settings = Settings(system_file=ini)
    assert non_ascii_home in settings.user_file.parents
    settings.proxy = "http://代理:3128"
    again = Settings(system_file=ini)
    assert again.user_file.is_file()
    assert (again.hub_url, again.proxy) == ("https://hub.example.edu.cn", "http://代理:3128")
