"""`chanjiao --self-test` as IT runs it: one line per check, exit 0 only when all pass, from a
home folder and a temporary folder with Chinese characters in their names."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop import self_test
from tests.packaging.conftest import load

machine_config = load("machine_config")


@pytest.fixture
def chinese_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, the temporary folder and the user locations under /tmp/…/张三."""
    home = tmp_path / "张三"
    (home / "临时").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(home / "临时"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHANJIAO_SYSTEM_CONFIG", str(home / "没有" / "chanjiao.ini"))
    return home


def lines(out: str) -> dict[str, str]:
    """check name -> its mark."""
    marks = {}
    for line in out.splitlines():
        mark, _, rest = line.partition(" ")
        marks[rest.split(":")[0]] = mark
    return marks


def every_dialog_class_in_the_app() -> set[str]:
    """Found here by reading the source, independently of how the self-test finds them."""
    source = Path(self_test.__file__).parent
    pattern = re.compile(r"^class (\w+)\((?:QDialog|QMessageBox|QWizard)\)", re.MULTILINE)
    return {
        name
        for path in source.rglob("*.py")
        if path.name not in ("self_test.py", "editor_demo.py", "__main__.py")
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }


def test_every_check_passes_in_a_chinese_home(
    qapp: QApplication, chinese_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = self_test.run_self_test(["--self-test"])
    out = capsys.readouterr().out
    marks = lines(out)
    assert status == 0, out
    assert self_test.FAIL not in marks.values()
    for check in ("form definitions", "store", "validation", "save", "translations zh_CN"):
        assert marks[check] == self_test.PASS
    assert marks["form editor internship"] == self_test.PASS
    # Every dialog is built: the county's and the error dialog too, not only desktop.dialogs'.
    dialogs = every_dialog_class_in_the_app()
    county_and_error = {"CommentDialog", "ExportDialog", "ImportWizard", "TargetsDialog"}
    assert county_and_error | {"ErrorDialog"} <= dialogs
    for name in dialogs:
        assert marks.get(f"dialog {name}") == self_test.PASS, out
    # Each form's list and new record, and the needs-attention page: 3 forms x 2 + 1.
    assert "main window: MainWindow and 7 pages" in out
    assert marks["print to PDF"] == self_test.PASS
    # The store lived in the temporary profile under 张三/临时, and is gone.
    assert f"store: {chinese_home / '临时'}" in out
    assert list((chinese_home / "临时").iterdir()) == []


def test_the_machine_wide_file_is_reported_with_its_locked_keys(
    qapp: QApplication, chinese_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ini = chinese_home / "系统" / "chanjiao.ini"
    machine_config.write_machine_config(
        ini, server="https://hub.example.edu.cn", locked=["hub_url"]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHANJIAO_SYSTEM_CONFIG", str(ini))
        assert self_test.run_self_test([]) == 0
    out = capsys.readouterr().out
    assert f"✓ machine settings: {ini} (hub https://hub.example.edu.cn; locked: hub_url)" in out


def test_a_failing_check_fails_the_run_and_is_named(
    qapp: QApplication,
    chinese_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(self_test, "KNOWN_ZH", "不对")
    report = chinese_home / "报告.txt"
    assert self_test.run_self_test(["--self-test", "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "✗ translations zh_CN: 'Problems' -> '问题', expected '不对'" in out
    assert report.read_text(encoding="utf-8").startswith("✓ form definitions")


def test_a_module_not_in_the_build_is_skipped_not_failed(
    qapp: QApplication,
    chinese_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(self_test, "MAIN_WINDOW_MODULE", "desktop.no_such_window")
    monkeypatch.setattr(self_test, "DIALOGS_PACKAGE", "desktop.no_such_dialogs")
    assert self_test.run_self_test([]) == 0
    out = capsys.readouterr().out
    assert "- main window: no desktop.no_such_window in this build (skipped)" in out
    assert "- dialogs: no desktop.no_such_dialogs in this build (skipped)" in out


def test_time_window_shows_the_main_window_once(
    qapp: QApplication, chinese_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert self_test.run_self_test(["--self-test", "--time-window"]) == 0
    assert capsys.readouterr().out.startswith("✓ window shown: main window")


def test_chanjiao_self_test_is_dispatched_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.__main__ import main

    seen: list[list[str]] = []
    monkeypatch.setattr(self_test, "run_self_test", lambda argv: seen.append(argv) or 3)
    assert main(["--self-test", "--report", "r.txt"]) == 3
    assert seen == [["--self-test", "--report", "r.txt"]]


def test_screenshots_show_every_window_page_and_dialog_in_both_languages(
    qapp: QApplication, chinese_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = chinese_home / "截图"
    assert self_test.run_self_test(["--self-test", "--screenshots", str(folder)]) == 0, (
        capsys.readouterr().out
    )
    names = {path.name for path in folder.iterdir()}
    for language in ("zh_CN", "en"):
        for name in every_dialog_class_in_the_app():
            assert f"{language}-dialog-{name}.png" in names
        for form in ("internship", "teacher_placement", "training_base"):
            assert {
                f"{language}-editor-{form}.png",
                f"{language}-main-list-{form}.png",
                f"{language}-main-record-{form}.png",
            } <= names
        assert {f"{language}-main-home.png", f"{language}-main-attention.png"} <= names
    # Real pictures: a PNG of a window, not an empty file.
    home = (folder / "en-main-home.png").read_bytes()
    assert home.startswith(b"\x89PNG") and len(home) > 10_000
