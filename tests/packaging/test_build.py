"""`make package`'s glibc step (packaging/build.py): the figure it prints is the .deb's libc6
version, and a bundle needing a newer glibc than --max-glibc fails the build."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import PACKAGING_DIR, load

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the .deb is built on Linux")


@pytest.fixture
def build(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # build.py imports its sibling deb.py as a script does, from its own folder.
    monkeypatch.syspath_prepend(str(PACKAGING_DIR))
    return load("build")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "chanjiao"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy(Path(shutil.which("true") or "/bin/true").resolve(), folder / "_internal/true")
    return folder


def test_the_glibc_figure_is_printed_with_the_depends_it_becomes(
    build: ModuleType, bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needed, within = build.check_glibc(bundle, None)
    out = capsys.readouterr().out
    assert within
    assert needed == load("deb").glibc_needed(bundle)
    assert f"glibc ≥ {needed}, needed by _internal/true" in out
    assert f"the .deb depends on libc6 (>= {needed})" in out


def test_a_newer_glibc_than_the_limit_fails(
    build: ModuleType, bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /bin/true of any glibc since 2.3 needs more than 2.2; nothing needs glibc 99.
    assert build.check_glibc(bundle, "2.2")[1] is False
    assert "✗ at most glibc 2.2" in capsys.readouterr().out
    assert build.check_glibc(bundle, "99.0")[1] is True


def test_max_glibc_takes_a_version(build: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "build_bundle", lambda: pytest.fail("built before checking"))
    with pytest.raises(SystemExit) as exited:
        build.main(["--max-glibc", "latest"])
    assert exited.value.code == 2


def test_the_bundle_runs_without_the_builds_library_path(
    build: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The AlmaLinux build finds its newer SQLite through LD_LIBRARY_PATH; the bundle's
    # self-test must not, or a bundle without it would pass there.
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/sqlite/lib")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/somewhere/else")
    env = build.bundle_environment(tmp_path / "张三")
    assert env["HOME"] == str(tmp_path / "张三")
    # The self-test's temporary profile (the store, settings, logs) goes under 张三/临时.
    assert env["TMPDIR"] == str(tmp_path / "张三" / "临时")
    assert (tmp_path / "张三" / "临时").is_dir()
    assert "LD_LIBRARY_PATH" not in env and "XDG_CONFIG_HOME" not in env
