"""Excel export, templates and import as the user drives them: background work with progress
and cancel, reports before anything is written, nothing half-done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from desktop.county.excel import ExcelPage, ExportDialog, ImportWizard
from desktop.county.excel_menu import ExcelMenu
from desktop.i18n import LanguageSwitcher
from desktop.tasks import TaskRunner
from forms import FormRegistry
from sync.excel import export_workbook
from sync.store import RecordQuery, Store
from tests.desktop.conftest import InlinePool
from tests.sync.test_reports import TODAY, fixture_records


@pytest.fixture
def county_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "county.db", FormRegistry(), today=lambda: TODAY)
    store.apply_pull_page(fixture_records(), cursor="1")
    yield store
    store.close()


@pytest.fixture
def school_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "school.db", FormRegistry(), today=lambda: TODAY)
    yield store
    store.close()


@pytest.fixture
def tasks(inline_pool: InlinePool, languages: LanguageSwitcher) -> TaskRunner:
    return TaskRunner(inline_pool)


def internships(store: Store) -> int:
    return store.count(RecordQuery(form="internship"))


# Export.


def export_dialog(qtbot: QtBot, store: Store, tasks: TaskRunner, path: Path) -> ExportDialog:
    dialog = ExportDialog(store, tasks, "county")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    return dialog


def test_export_writes_the_chosen_forms_and_says_where(
    qtbot: QtBot, county_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    path = tmp_path / "汇总.xlsx"
    dialog = export_dialog(qtbot, county_store, tasks, path)
    assert not dialog.id_numbers.isChecked() and dialog.id_warning.isHidden()
    assert dialog.path_edit.text().endswith(".xlsx")
    dialog.form_boxes["training_base"].setChecked(False)
    with qtbot.waitSignal(dialog.exported):
        dialog.export_button.click()
    assert dialog.result_path == path
    assert str(path) in dialog.message.text()
    sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert "学生实习" in sheets and "实训基地" not in sheets
    assert not dialog.running and dialog.close_button.isEnabled()


def test_id_numbers_warn_that_the_export_is_audited(
    qtbot: QtBot, county_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    dialog = export_dialog(qtbot, county_store, tasks, tmp_path / "ids.xlsx")
    dialog.id_numbers.setChecked(True)
    assert not dialog.id_warning.isHidden()
    assert "审计" in dialog.id_warning.text() or "audit" in dialog.id_warning.text()


def test_export_cancelled_midway_leaves_no_file(
    qtbot: QtBot, county_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    path = tmp_path / "cancelled.xlsx"
    dialog = export_dialog(qtbot, county_store, tasks, path)
    progressed: list[tuple[int, int]] = []

    def press_cancel(done: int, total: int) -> None:
        # The first progress report (the first sheet written), then Cancel.
        progressed.append((done, total))
        dialog.cancel_button.click()

    dialog._relay.changed.connect(press_cancel)
    dialog.export_button.click()
    assert progressed and progressed[0][1] > 0
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir() if "cancelled" in p.name] == []
    assert dialog.result_path is None and not dialog.running
    assert dialog.export_button.isEnabled()


def test_export_without_a_folder_says_so_and_writes_nothing(
    qtbot: QtBot, county_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    dialog = export_dialog(qtbot, county_store, tasks, tmp_path / "missing" / "x.xlsx")
    dialog.export_button.click()
    assert "missing" in dialog.message.text()
    assert not (tmp_path / "missing").exists()


def test_no_form_chosen_cannot_export(
    qtbot: QtBot, county_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    dialog = export_dialog(qtbot, county_store, tasks, tmp_path / "x.xlsx")
    for box in dialog.form_boxes.values():
        box.setChecked(False)
    assert not dialog.export_button.isEnabled()


# Import.


def wizard_for(qtbot: QtBot, store: Store, tasks: TaskRunner, path: Path) -> ImportWizard:
    wizard = ImportWizard(store, tasks, "li")
    qtbot.addWidget(wizard)
    wizard.form_picker.setCurrentIndex(wizard.form_picker.findData("internship"))
    wizard.path_edit.setText(str(path))
    return wizard


def report_rows(wizard: ImportWizard) -> list[tuple[str, str, str]]:
    table = wizard.report
    return [
        (table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    ]


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01 not a workbook" * 5000, "姓名,证件号码\n张三,1\n".encode()],
    ids=["empty", "junk", "renamed csv"],
)
def test_a_bad_file_shows_its_report_and_writes_nothing(
    qtbot: QtBot,
    school_store: Store,
    tasks: TaskRunner,
    tmp_path: Path,
    content: bytes,
) -> None:
    path = tmp_path / "学校台账.xlsx"
    path.write_bytes(content)
    wizard = wizard_for(qtbot, school_store, tasks, path)
    wizard.read_button.click()
    rows = report_rows(wizard)
    assert len(rows) == 1 and rows[0][0] == "–" and rows[0][2]
    assert not wizard.import_button.isEnabled()
    wizard.confirm()  # even asked directly, there is nothing to write
    assert internships(school_store) == 0


def test_a_good_file_is_reported_then_written_only_when_confirmed(
    qtbot: QtBot,
    county_store: Store,
    school_store: Store,
    tasks: TaskRunner,
    tmp_path: Path,
) -> None:
    path = tmp_path / "台账.xlsx"
    export_workbook(county_store, path, forms=["internship"], include_id_numbers=True)
    wizard = wizard_for(qtbot, school_store, tasks, path)
    wizard.read_button.click()
    assert wizard.plan is not None
    ready = len(wizard.plan.records)
    assert ready > 0
    # The report: row numbers of the sheet, the column, the message in Chinese.
    assert any(row[0].isdigit() and row[2] for row in report_rows(wizard))
    assert str(ready) in wizard.counts.text()
    assert wizard.import_button.isEnabled() and str(ready) in wizard.import_button.text()
    assert internships(school_store) == 0  # read and reported: nothing written yet

    with qtbot.waitSignal(wizard.records_imported) as imported:
        wizard.import_button.click()
    assert imported.args == ["internship", ready]
    assert internships(school_store) == ready
    assert not wizard.import_button.isEnabled()  # the plan is spent: no second import


def test_back_drops_the_plan(
    qtbot: QtBot, county_store: Store, school_store: Store, tasks: TaskRunner, tmp_path: Path
) -> None:
    path = tmp_path / "台账.xlsx"
    export_workbook(county_store, path, forms=["internship"], include_id_numbers=True)
    wizard = wizard_for(qtbot, school_store, tasks, path)
    wizard.read_button.click()
    wizard.back_button.click()
    assert wizard.plan is None and wizard.pages.currentIndex() == 0
    wizard.confirm()
    assert internships(school_store) == 0


# Templates and entry points.


def test_a_template_is_saved_where_the_user_chooses(
    qtbot: QtBot,
    school_store: Store,
    tasks: TaskRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = tmp_path / "模板"
    monkeypatch.setattr(
        "desktop.county.excel.QFileDialog.getSaveFileName",
        lambda *_args, **_kwargs: (str(chosen), ""),
    )
    menu = ExcelMenu(school_store, tasks, "li")
    menu.template_actions["internship"].trigger()
    assert openpyxl.load_workbook(chosen.with_suffix(".xlsx")).sheetnames


def test_menu_and_page_open_the_dialogs(
    qtbot: QtBot, school_store: Store, tasks: TaskRunner
) -> None:
    page = ExcelPage(school_store, tasks, "li")
    qtbot.addWidget(page)
    menu = ExcelMenu(school_store, tasks, "li", parent=page)
    export = menu.show_export()
    wizard = menu.show_import()
    assert export.isVisible() and wizard.isVisible()
    assert not wizard.for_county and wizard.school_picker.isHidden()
    export.close()
    wizard.close()
