"""The Inno Setup script (built on the Windows runner): per-machine, Chinese, silent-safe,
/SERVER= /CA= /LOCK= into the machine-wide file the app reads, records kept on uninstall."""

from __future__ import annotations

import re

from tests.packaging.conftest import PACKAGING_DIR

ISS = (PACKAGING_DIR / "windows" / "chanjiao.iss").read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[\w+\]\n|\Z)", ISS, re.M | re.S)
    assert match, name
    return match[1]


def test_per_machine_install_into_program_files() -> None:
    setup = section("Setup")
    assert "PrivilegesRequired=admin" in setup
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert r"DefaultDirName={autopf}\Chanjiao" in setup


def test_simplified_chinese_is_the_first_language() -> None:
    languages = section("Languages").strip().splitlines()
    assert languages[0].startswith('Name: "chinesesimplified"')
    assert r"compiler:Languages\ChineseSimplified.isl" in languages[0]


def test_every_custom_message_exists_in_both_languages() -> None:
    messages = re.findall(r"^(\w+)\.(\w+)=", section("CustomMessages"), re.M)
    by_language: dict[str, set[str]] = {}
    for language, name in messages:
        by_language.setdefault(language, set()).add(name)
    assert by_language["chinesesimplified"] == by_language["english"]
    used = set(re.findall(r"CustomMessage\('(\w+)'\)|\{cm:(\w+)", ISS))
    own = {name for pair in used for name in pair if name} - {
        "CreateDesktopIcon",
        "AdditionalIcons",
        "LaunchProgram",
    }
    assert own <= by_language["english"]


def test_server_ca_and_lock_parameters_are_written_to_programdata() -> None:
    for parameter in ("SERVER", "CA", "LOCK"):
        assert f"{{param:{parameter}|}}" in ISS
    assert r"{commonappdata}\Chanjiao\chanjiao.ini" in ISS
    assert "'hub_url'" in ISS and "'ca_bundle'" in ISS and "'locked'" in ISS
    assert "SaveStringsToUTF8File" in ISS


def test_values_are_quoted_like_machine_config() -> None:
    # The Pascal mirror of machine_config.quote: backslashes doubled, quotes escaped, quoted.
    body = ISS[ISS.index("function QuoteIniValue") : ISS.index("function IsSectionLine")]
    assert "StringChangeEx(Result, '\\', '\\\\', True);" in body
    assert "StringChangeEx(Result, '\"', '\\\"', True);" in body


def test_silent_installs_ask_nothing_and_start_nothing() -> None:
    assert "skipifsilent" in section("Run")
    assert "SuppressibleMsgBox" in ISS
    assert "not UninstallSilent" in ISS


def test_uninstall_keeps_records_unless_asked() -> None:
    code = ISS[ISS.index("procedure CurUninstallStepChanged") :]
    assert "{param:PURGE|no}" in code
    assert "MB_DEFBUTTON2" in code  # "No" is the default answer
    purge = code.index("if Purge then")
    # The profile, settings and logs; the sign-in tokens kept in files (sync.client's folder).
    for folder in ("Chanjiao", "chanjiao-collect"):
        assert purge < code.index(rf"DelTree(ExpandConstant('{{localappdata}}\{folder}')")
