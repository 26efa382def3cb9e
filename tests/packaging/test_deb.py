"""The .deb's tree (dpkg-deb itself runs in `make package`): where things go, what it
depends on, the conffile and the maintainer scripts."""

from __future__ import annotations

import os
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


def test_libc6_is_the_glibc_the_bundled_binaries_need(staged: Path, tmp_path: Path) -> None:
    assert "libc6 (>= 2.17)" in control(staged)["Depends"]  # no ELF file in the fake bundle
    bundle = tmp_path / "with-elf"
    bundle.mkdir()
    (bundle / "python").write_bytes(Path(sys.executable).resolve().read_bytes())
    major, minor = deb.glibc_needed(bundle).split(".")
    assert (int(major), int(minor)) >= (2, 17)
