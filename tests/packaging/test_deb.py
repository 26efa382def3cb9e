"""The .deb's tree (dpkg-deb itself runs in `make package`): where things go, what it
depends on, the conffile and the maintainer scripts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import PACKAGING_DIR, load

deb = load("deb")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the .deb is built on Linux")


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    bundle = tmp_path / "dist" / "chanjiao"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "chanjiao").write_text("#!/bin/sh\n", encoding="utf-8")
    (bundle / "chanjiao").chmod(0o775)
    root = tmp_path / "root"
    deb.stage(bundle, root, "0.1.0", "amd64")
    return root


def control(root: Path) -> dict[str, str]:
    fields = {}
    for line in (root / "DEBIAN" / "control").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            name, _, value = line.partition(": ")
            fields[name] = value
    return fields


def test_the_bundle_goes_to_opt_with_a_command_in_usr_bin(staged: Path) -> None:
    assert (staged / "opt/chanjiao/chanjiao").is_file()
    assert os.readlink(staged / "usr/bin/chanjiao") == "/opt/chanjiao/chanjiao"
    assert (staged / "usr/share/applications/chanjiao.desktop").is_file()
    assert (staged / "usr/share/icons/hicolor/256x256/apps/chanjiao.png").is_file()
    assert (staged / "usr/share/icons/hicolor/scalable/apps/chanjiao.svg").is_file()


def test_the_machine_wide_settings_are_a_conffile(staged: Path) -> None:
    conffiles = (staged / "DEBIAN/conffiles").read_text(encoding="utf-8").split()
    assert conffiles == ["/etc/chanjiao/chanjiao.ini"]
    assert (staged / "etc/chanjiao/chanjiao.ini").read_bytes() == (
        PACKAGING_DIR / "linux/chanjiao.ini"
    ).read_bytes()


def test_depends_on_what_qts_xcb_plugin_loads(staged: Path) -> None:
    depends = control(staged)["Depends"]
    for package in (
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libxcb-icccm4",
        "libxcb-image0",
        "libxcb-keysyms1",
        "libxcb-randr0",
        "libxcb-render-util0",
        "libxcb-shape0",
        "libxcb-xinerama0",
        "libxcb-xkb1",
        "libegl1",
        "libfontconfig1",
        "libdbus-1-3",
        "fonts-noto-cjk | fonts-wqy-microhei",
    ):
        assert package in depends


def test_control_fields(staged: Path) -> None:
    fields = control(staged)
    assert (fields["Package"], fields["Version"], fields["Architecture"]) == (
        "chanjiao",
        "0.1.0",
        "amd64",
    )
    assert int(fields["Installed-Size"]) > 0


def test_the_config_tool_runs_with_the_system_python(staged: Path, tmp_path: Path) -> None:
    tool = staged / "usr/sbin/chanjiao-config"
    assert tool.read_text(encoding="utf-8").startswith("#!/usr/bin/python3\n")
    assert os.access(tool, os.X_OK)
    ini = tmp_path / "张三.ini"
    subprocess.run(
        [sys.executable, str(tool), "--file", str(ini), "--server", "https://hub.example.edu.cn"],
        check=True,
        capture_output=True,
    )
    assert 'hub_url="https://hub.example.edu.cn"' in ini.read_text(encoding="utf-8")


def test_maintainer_scripts_are_valid_shell(staged: Path) -> None:
    for script in ("postinst", "postrm"):
        path = staged / "DEBIAN" / script
        assert os.access(path, os.X_OK)
        subprocess.run(["sh", "-n", str(path)], check=True)
    postinst = (staged / "DEBIAN/postinst").read_text(encoding="utf-8")
    assert "CHANJIAO_SERVER" in postinst and "/usr/sbin/chanjiao-config" in postinst


def test_removal_never_touches_home_folders(staged: Path) -> None:
    for script in ("postinst", "postrm"):
        text = (staged / "DEBIAN" / script).read_text(encoding="utf-8")
        assert "/home" not in text and "rm " not in text


def test_md5sums_list_the_files_but_not_the_conffile(staged: Path) -> None:
    listed = [
        line.split("  ", 1)[1] for line in (staged / "DEBIAN/md5sums").read_text().splitlines()
    ]
    assert "opt/chanjiao/chanjiao" in listed
    assert "usr/sbin/chanjiao-config" in listed
    assert not any(path.startswith("etc/") for path in listed)


# `readelf -V -W` of a library that needs glibc from libc.so.6 and libm.so.6 and defines
# versions of its own (one named like glibc's, which must not count).
READELF_VERSIONS = """
Version symbols section '.gnu.version' contains 6 entries:
 Addr: 0x0000000000000520  Offset: 0x000520  Link: 5 (.dynsym)
  000:   0 (*local*)       2 (GLIBC_2.2.5)   3 (GLIBC_2.29)    4 (GLIBC_2.99)

Version definition section '.gnu.version_d' contains 2 entries:
 Addr: 0x0000000000000560  Offset: 0x000560  Link: 6 (.dynstr)
  000000: Rev: 1  Flags: BASE  Index: 1  Cnt: 1  Name: libfake.so.1
  0x001c: Rev: 1  Flags: none  Index: 4  Cnt: 1  Name: GLIBC_2.99

Version needs section '.gnu.version_r' contains 2 entries:
 Addr: 0x0000000000000598  Offset: 0x000598  Link: 6 (.dynstr)
  000000: Version: 1  File: libm.so.6  Cnt: 1
  0x0010:   Name: GLIBC_2.29  Flags: none  Version: 3
  0x0020: Version: 1  File: libc.so.6  Cnt: 3
  0x0030:   Name: GLIBC_2.2.5  Flags: none  Version: 2
  0x0040:   Name: GLIBC_PRIVATE  Flags: none  Version: 5
  0x0050:   Name: GLIBC_2.3.4  Flags: none  Version: 6
"""


def test_glibc_versions_come_from_the_version_needs_only() -> None:
    assert deb.glibc_versions_needed(READELF_VERSIONS) == {(2, 29), (2, 2, 5), (2, 3, 4)}


def objdump_glibc_references(path: Path) -> set[tuple[int, ...]]:
    """The GLIBC_ versions `objdump -p` lists under "Version References" (another tool's
    reading of the same section)."""
    listing = subprocess.run(
        ["objdump", "-p", str(path)], capture_output=True, text=True, check=True
    ).stdout
    references = listing.partition("Version References:")[2]
    return {
        tuple(int(part) for part in version.split("."))
        for version in re.findall(
            r"^\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ GLIBC_([\d.]+)$", references, re.M
        )
    }


def test_libc6_is_the_newest_glibc_a_bundled_elf_file_needs(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    true = Path(shutil.which("true") or "/bin/true").resolve()
    shutil.copy(true, bundle / "_internal" / "true")
    (bundle / "README").write_text("not an ELF file", encoding="utf-8")
    expected = max(objdump_glibc_references(true))
    assert deb.glibc_needs(bundle) == {Path("_internal/true"): expected}
    assert deb.glibc_needed(bundle) == ".".join(map(str, expected))
    root = tmp_path / "root"
    deb.stage(bundle, root, "0.1.0", "amd64")
    assert f"libc6 (>= {deb.glibc_needed(bundle)})," in control(root)["Depends"]


def test_a_bundle_without_elf_files_gets_the_floor(staged: Path) -> None:
    assert control(staged)["Depends"].startswith("libc6 (>= 2.17), ")


def test_the_glibc_given_is_the_one_written(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    deb.stage(bundle, tmp_path / "root", "0.1.0", "amd64", glibc="2.28")
    assert control(tmp_path / "root")["Depends"].startswith("libc6 (>= 2.28), ")


def test_the_desktop_entry_is_in_one_menu_in_both_languages(staged: Path) -> None:
    text = (staged / "usr/share/applications/chanjiao.desktop").read_text(encoding="utf-8")
    entry = dict(line.split("=", 1) for line in text.splitlines()[1:] if "=" in line)
    main_categories = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game"}
    main_categories |= {"Graphics", "Network", "Office", "Science", "Settings", "System", "Utility"}
    assert len(set(entry["Categories"].strip(";").split(";")) & main_categories) == 1
    assert (entry["Exec"], entry["Icon"], entry["StartupWMClass"]) == ("chanjiao",) * 3
    assert (staged / f"usr/share/icons/hicolor/scalable/apps/{entry['Icon']}.svg").is_file()
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry[key] and entry[f"{key}[zh_CN]"]
