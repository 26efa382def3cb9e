"""desktop.settings (QSettings) and sync.settings_files (configparser, for `chanjiao sync`) read
the same values from the same files."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.settings import Settings
from sync import settings_files
from sync.settings_files import connection_settings, read_ini_options

# Values as IT or an installer may write them, each as a line of the machine-wide file.
WRITTEN = [
    '"C:\\\\certs\\\\school-ca.pem"',
    "C:\\certs\\ca.pem",
    "http://proxy.example.edu.cn:3128",
    '  "/etc/ssl/学校 根证书.pem"  ',
    "a, b ,c",
    '"a, b"',
    'x "y z"',
    '"q\\"uote"',
    "value ; comment",
    '"\\x41\\102"',
    "",
    '""',
]


@pytest.mark.parametrize("written", WRITTEN)
def test_both_readers_read_a_value_alike(tmp_path: Path, written: str) -> None:
    system = tmp_path / "system.ini"
    system.write_text(f"[General]\nca_bundle={written}\nproxy={written}\n", encoding="utf-8")
    settings = Settings(tmp_path / "user.ini", system)
    assert read_ini_options(system)["ca_bundle"] == settings.ca_bundle
    connection = connection_settings(tmp_path / "user.ini", system)
    assert connection.ca_bundle == (settings.ca_bundle or None)
    assert connection.proxy == (settings.proxy or None)


def test_both_readers_take_the_same_file_first(tmp_path: Path, qtbot) -> None:
    system = tmp_path / "system.ini"
    system.write_text(
        '[General]\nca_bundle="/it.pem"\nproxy="http://it:1"\nlocked=ca_bundle\n', encoding="utf-8"
    )
    settings = Settings(tmp_path / "user.ini", system)
    settings.proxy = "http://mine:2"
    assert connection_settings(tmp_path / "user.ini", system) == settings_files.ConnectionSettings(
        ca_bundle=settings.ca_bundle, proxy=settings.proxy
    )
