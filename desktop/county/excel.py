"""Excel in and out: the export dialog, import templates, and the import wizard.

    open_export(store, tasks, user, parent)                 # the export dialog, opened
    open_import(store, tasks, user, parent, on_imported)    # the import wizard, opened
    save_template(form, parent)                             # asks where, writes the template

File ▸ Excel (desktop.county.excel_menu) opens them; the county's Excel page shows them too.

Exporting and reading a file run on a pool thread through the TaskRunner; the export reports
progress and can be cancelled, and is written beside its target and renamed into place only
when complete, so a cancelled or failed export leaves nothing half-written. An import is read
and checked first (`sync.excel.read_import` writes nothing); records are written only when the
user confirms the report.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.county.dashboard import named_schools
from desktop.i18n import definition_language
from desktop.pages import forms_in_order
from desktop.records.status import ERROR_COLOR, MUTED_COLOR, WARNING_COLOR
from desktop.tasks import TaskRunner
from forms import FormDefinition
from sync.store import Store

if TYPE_CHECKING:
    # sync.excel (openpyxl) is imported when a file is read or written: File ▸ Excel is built
    # with every main window, and openpyxl would cost a school's start a quarter of a second.
    from sync.excel import ExportSummary, ImportPlan

log = logging.getLogger(__name__)

XLSX_FILTER = "Excel (*.xlsx)"
SUCCESS_COLOR = "#18794e"


def _language() -> str:
    return definition_language(QLocale().name())


def _documents() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class _ProgressRelay(QObject):
    """Carries the export's progress from the pool thread to the dialog (a queued signal)."""

    changed = Signal(int, int)


def _export(store: Store, path: Path, **options: Any) -> ExportSummary:
    """Runs on a pool thread, with its own connection. The library writes beside `path` and
    renames at the end: cancelled (ExportCancelled) or failed, no file is left."""
    from sync.excel import export_workbook

    with store.for_thread() as own:
        return export_workbook(own, path, **options)


class ExportDialog(QDialog):
    """Which forms, which school, with or without ID numbers, where; then progress and Cancel."""

    exported = Signal(str)  # path written

    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        user: str,
        *,
        today: datetime.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self.forms = forms_in_order(store.registry)
        self._today = today or datetime.date.today()
        self._cancel = threading.Event()
        self.running = False
        self.result_path: Path | None = None

        self.forms_box = QGroupBox()
        forms_layout = QVBoxLayout(self.forms_box)
        self.form_boxes: dict[str, QCheckBox] = {}
        for form in self.forms:
            box = QCheckBox()
            box.setChecked(True)
            box.toggled.connect(self._update_buttons)
            self.form_boxes[form.id] = box
            forms_layout.addWidget(box)
        self.school_picker = QComboBox()
        self.school_picker.addItem("", "")
        self.id_numbers = QCheckBox()
        self.id_numbers.setChecked(False)
        self.id_numbers.toggled.connect(self._show_warning)
        self.id_warning = QLabel()
        self.id_warning.setWordWrap(True)
        self.id_warning.setStyleSheet(f"color: {WARNING_COLOR};")
        self.path_edit = QLineEdit(str(_documents() / self.default_name()))
        self.path_edit.textChanged.connect(self._update_buttons)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        self._form_layout = QFormLayout()
        self._school_label = QLabel()
        self._file_label = QLabel()
        self._form_layout.addRow(self._school_label, self.school_picker)
        self._form_layout.addRow(self._file_label, path_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.forms_box)
        layout.addLayout(self._form_layout)
        layout.addWidget(self.id_numbers)
        layout.addWidget(self.id_warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self._relay = _ProgressRelay(self)
        self._relay.changed.connect(self._progressed)
        self.retranslate_ui()
        self._show_warning(False)
        self._update_buttons()
        self.tasks.run_task(partial(_read_schools, store), self._fill_schools, self._no_schools)

    def default_name(self) -> str:
        stem = "产教融合数据" if _language() == "zh" else "chanjiao-data"
        return f"{stem}_{self._today.isoformat()}.xlsx"

    def chosen_forms(self) -> list[str]:
        return [form_id for form_id, box in self.form_boxes.items() if box.isChecked()]

    def chosen_path(self) -> Path:
        path = Path(self.path_edit.text().strip()).expanduser()
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def _fill_schools(self, known: list[tuple[str, str]]) -> None:
        if not shiboken6.isValid(self):
            return
        for code, name in known:
            self.school_picker.addItem(name if name == code else f"{name} ({code})", code)

    def _no_schools(self, error: BaseException) -> None:
        # The export still works for every school; only the picker stays short.
        log.warning("schools could not be listed: %s", error)

    @Slot()
    def choose_path(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export to Excel"), self.path_edit.text(), XLSX_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen)

    @Slot(bool)
    def _show_warning(self, checked: bool) -> None:
        self.id_warning.setVisible(checked)

    @Slot()
    def _update_buttons(self) -> None:
        ready = bool(self.chosen_forms()) and bool(self.path_edit.text().strip())
        self.export_button.setEnabled(ready and not self.running)
        self.cancel_button.setEnabled(self.running)
        self.close_button.setEnabled(not self.running)
        for widget in (self.forms_box, self.school_picker, self.id_numbers, self.path_edit):
            widget.setEnabled(not self.running)
        self.choose_button.setEnabled(not self.running)

    @Slot()
    def start(self) -> None:
        path = self.chosen_path()
        if not path.parent.is_dir():
            self._say(self.tr("The folder {0} does not exist.").format(path.parent), ERROR_COLOR)
            return
        if path.exists():
            answer = QMessageBox.question(
                self, self.tr("Export to Excel"), self.tr("Replace {0}?").format(path)
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._cancel.clear()
        self.running = True
        self.result_path = None
        self.progress.setRange(0, 0)
        self._say(self.tr("Exporting…"), MUTED_COLOR)
        self._update_buttons()
        relay = self._relay
        cancel = self._cancel
        forms = self.chosen_forms()
        school = self.school_picker.currentData() or None
        include = self.id_numbers.isChecked()
        self.tasks.run_task(
            partial(
                _export,
                self.store,
                path,
                forms=forms,
                school=school,
                include_id_numbers=include,
                progress=relay.changed.emit,
                cancelled=cancel.is_set,
                lang=_language(),
                user=self.user,
            ),
            self._finished,
            self._failed,
        )

    @Slot()
    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("Cancelling…"), MUTED_COLOR)

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if not self.running:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _finished(self, summary: ExportSummary) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.result_path = summary.path
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._say(
            self.tr("Exported {0} records to {1}").format(
                sum(summary.records.values()), summary.path
            ),
            SUCCESS_COLOR,
        )
        self._update_buttons()
        self.close_button.setFocus()
        self.exported.emit(str(summary.path))

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        from sync.excel import ExportCancelled

        if isinstance(error, ExportCancelled):
            self._say(self.tr("Cancelled: no file was written."), MUTED_COLOR)
        else:
            log.error("export failed", exc_info=error)
            self._say(self.tr("The export failed, no file was written: {0}").format(error))
        self._update_buttons()

    def _say(self, text: str, color: str = ERROR_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};")

    def reject(self) -> None:
        # Closing while it runs cancels it: the file is not left half-written.
        if self.running:
            self.cancel()
            return
        super().reject()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Export to Excel"))
        self.forms_box.setTitle(self.tr("Forms"))
        lang = _language()
        for form in self.forms:
            self.form_boxes[form.id].setText(form.title.get(lang))
        self.school_picker.setItemText(0, self.tr("All schools"))
        self._school_label.setText(self.tr("School:"))
        self._file_label.setText(self.tr("File:"))
        self.choose_button.setText(self.tr("Choose…"))
        self.id_numbers.setText(self.tr("Include full ID numbers"))
        self.id_warning.setText(
            self.tr(
                "ID numbers are personal data, often of minors. This export is written to the"
                " audit log and reported to the hub's audit. Keep the file safe."
            )
        )
        self.export_button.setText(self.tr("Export"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _read_schools(store: Store) -> list[tuple[str, str]]:
    """Runs on a pool thread: (code, name) of the schools with records here."""
    with store.for_thread() as own:
        return named_schools(own)


def template_name(form: FormDefinition) -> str:
    if _language() == "zh":
        return f"{form.title.get('zh')}_导入模板.xlsx"
    return f"{form.id}-import-template.xlsx"


def save_template(form: FormDefinition, parent: QWidget | None = None) -> Path | None:
    """Ask where, then write the form's import template there (a small file: no progress)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ExcelTemplates", "Save import template"),
        str(_documents() / template_name(form)),
        XLSX_FILTER,
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    from sync.excel import write_template

    try:
        write_template(form, path, lang=_language())
    except OSError as error:
        QMessageBox.warning(
            parent, QCoreApplication.translate("ExcelTemplates", "Save import template"), str(error)
        )
        return None
    return path


def _read_plan(store: Store, path: Path, form_id: str) -> ImportPlan:
    """Runs on a pool thread, with its own connection; reads and checks, writes nothing."""
    from sync.excel import read_import

    with store.for_thread() as own:
        return read_import(own, path, form_id)


def _apply_plan(store: Store, plan: ImportPlan, user: str, org: str | None) -> int:
    from sync.excel import apply_import

    with store.for_thread() as own:
        return apply_import(own, plan, user, org=org)


class ImportWizard(QDialog):
    """Choose a form and a file; read it in the background; show the report; import only what
    the user confirms."""

    records_imported = Signal(str, int)  # form id, records written

    def __init__(
        self, store: Store, tasks: TaskRunner, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self.forms = forms_in_order(store.registry)
        self.plan: ImportPlan | None = None
        self.imported = 0
        self._asked = 0
        self.busy = False

        # Page 1: what to read.
        self.form_picker = QComboBox()
        for form in self.forms:
            self.form_picker.addItem("", form.id)
        # A county user imports a school's spreadsheet for that school; a school imports its own.
        state = store.sync_state()
        self.for_county = bool(state.org) and state.org == state.county
        self.school_picker = QComboBox()
        self._school_label = QLabel()
        self.path_edit = QLineEdit()
        self.path_edit.textChanged.connect(self._update_buttons)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton()
        self.template_button.clicked.connect(lambda: save_template(self.chosen_form(), self))
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._form_label = QLabel()
        self._file_label = QLabel()
        choose_page = QWidget()
        form_layout = QFormLayout()
        form_layout.addRow(self._form_label, self.form_picker)
        if self.for_county:
            form_layout.addRow(self._school_label, self.school_picker)
            self.tasks.run_task(partial(_read_schools, store), self._fill_schools)
        form_layout.addRow(self._file_label, path_row)
        choose_layout = QVBoxLayout(choose_page)
        choose_layout.addWidget(self._intro)
        choose_layout.addLayout(form_layout)
        template_row = QHBoxLayout()
        template_row.addStretch(1)
        template_row.addWidget(self.template_button)
        choose_layout.addLayout(template_row)
        choose_layout.addStretch(1)

        # Page 2: the report.
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.report = QTableWidget(0, 3)
        self.report.verticalHeader().setVisible(False)
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report.setAlternatingRowColors(True)
        self.report.setWordWrap(True)
        header = self.report.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        report_page = QWidget()
        report_layout = QVBoxLayout(report_page)
        report_layout.addWidget(self.counts)
        report_layout.addWidget(self.report, 1)

        self.pages = QStackedWidget()
        self.pages.addWidget(choose_page)
        self.pages.addWidget(report_page)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.read_button = QPushButton()
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(self.read_file)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.confirm)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(760, 520)
        self.retranslate_ui()
        self._update_buttons()

    def chosen_form(self) -> FormDefinition:
        return self.forms[max(self.form_picker.currentIndex(), 0)]

    def _fill_schools(self, known: list[tuple[str, str]]) -> None:
        if not shiboken6.isValid(self):
            return
        for code, name in known:
            self.school_picker.addItem(name if name == code else f"{name} ({code})", code)
        self._update_buttons()

    def importable(self) -> int:
        return len(self.plan.records) if self.plan is not None else 0

    @Slot()
    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import from Excel"), str(_documents()), XLSX_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen)

    @Slot()
    def read_file(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        form_id = self.chosen_form().id
        self._asked += 1
        asked = self._asked
        self.plan = None
        self._set_busy(True, self.tr("Reading {0}…").format(path.name))
        self.tasks.run_task(
            partial(_read_plan, self.store, path, form_id),
            lambda plan: self._read(asked, plan),
            lambda error: self._read_failed(asked, path, error),
        )

    def _read(self, asked: int, plan: ImportPlan) -> None:
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.plan = plan
        self._show_report(plan)

    def _read_failed(self, asked: int, path: Path, error: BaseException) -> None:
        """`read_import` reports bad files in its plan; anything it raises is still a report."""
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self._set_busy(False)
        log.warning("import of %s failed: %r", path.name, error)
        self.plan = None
        self.report.setRowCount(1)
        for column, text in enumerate(
            ("–", "–", self.tr("The file could not be read: {0}").format(error))
        ):
            self.report.setItem(0, column, QTableWidgetItem(text))
        self.counts.setText(self.tr("Nothing can be imported from this file."))
        self.counts.setStyleSheet(f"color: {ERROR_COLOR};")
        self.pages.setCurrentIndex(1)
        self._update_buttons()

    def _show_report(self, plan: ImportPlan) -> None:
        lang = _language()
        form = self.store.registry.get(plan.form)
        problems = plan.problems
        self.report.setRowCount(len(problems))
        for index, problem in enumerate(problems):
            message = problem.message(lang)
            where = problem.column or (form.label(problem.field, lang) if problem.field else "–")
            cells = (str(problem.row) if problem.row is not None else "–", where, message)
            color = QColor(ERROR_COLOR if problem.blocking else WARNING_COLOR)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setForeground(color)
                if column == 2:
                    item.setToolTip(text)
                self.report.setItem(index, column, item)
        self.report.resizeRowsToContents()
        ready = len(plan.records)
        summary = self.tr(
            "{0} rows read: {1} can be imported, {2} left out; {3} lines in the report."
        ).format(plan.rows_read, ready, plan.skipped_rows, len(problems))
        if not plan.readable:
            summary = self.tr("The file cannot be imported: see the report.")
        elif not ready:
            summary += " " + self.tr("Nothing can be imported from this file.")
        self.counts.setText(summary)
        self.counts.setStyleSheet("" if ready else f"color: {ERROR_COLOR};")
        self.pages.setCurrentIndex(1)
        self._update_buttons()

    @Slot()
    def confirm(self) -> None:
        """Write the plan's records: the only step that changes the store."""
        plan = self.plan
        if plan is None or not plan.records:
            return
        form_id = self.chosen_form().id
        org = self.school_picker.currentData() or None
        self._set_busy(True, self.tr("Importing…"))
        self.tasks.run_task(
            partial(_apply_plan, self.store, plan, self.user, org),
            lambda written: self._applied(form_id, written),
            self._apply_failed,
        )

    def _applied(self, form_id: str, written: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.imported = written
        self.plan = None
        self.message.setText(self.tr("{0} records imported.").format(written))
        self.message.setStyleSheet(f"color: {SUCCESS_COLOR};")
        self._update_buttons()
        self.records_imported.emit(form_id, written)

    def _apply_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        log.error("import failed", exc_info=error)
        self.message.setText(self.tr("The import failed, nothing was written: {0}").format(error))
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self._update_buttons()

    @Slot()
    def back(self) -> None:
        self.plan = None
        self.message.clear()
        self.pages.setCurrentIndex(0)
        self._update_buttons()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        if busy:
            self.message.setText(text)
            self.message.setStyleSheet(f"color: {MUTED_COLOR};")
        else:
            self.message.clear()
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        choosing = self.pages.currentIndex() == 0
        self.read_button.setVisible(choosing)
        school_chosen = not self.for_county or bool(self.school_picker.currentData())
        self.read_button.setEnabled(
            bool(self.path_edit.text().strip()) and school_chosen and not self.busy
        )
        self.import_button.setVisible(not choosing)
        self.import_button.setEnabled(self.importable() > 0 and not self.busy)
        self.import_button.setText(self.tr("Import {0} records").format(self.importable()))
        self.back_button.setVisible(not choosing)
        self.back_button.setEnabled(not self.busy)
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import from Excel"))
        self._intro.setText(
            self.tr(
                "Choose the form and the spreadsheet. The file is checked first and nothing is"
                " written until you confirm the report. Use the template for the columns."
            )
        )
        lang = _language()
        for index, form in enumerate(self.forms):
            self.form_picker.setItemText(index, form.title.get(lang))
        self._form_label.setText(self.tr("Form:"))
        self._school_label.setText(self.tr("For school:"))
        self._file_label.setText(self.tr("File:"))
        self.choose_button.setText(self.tr("Choose…"))
        self.template_button.setText(self.tr("Download the template…"))
        self.report.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Field"), self.tr("Problem")]
        )
        self.back_button.setText(self.tr("Back"))
        self.read_button.setText(self.tr("Read the file"))
        self.close_button.setText(self.tr("Close"))
        self._update_buttons()
        if self.plan is not None:
            self._show_report(self.plan)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def open_export(store: Store, tasks: TaskRunner, user: str, parent: QWidget) -> ExportDialog:
    dialog = ExportDialog(store, tasks, user, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_import(
    store: Store,
    tasks: TaskRunner,
    user: str,
    parent: QWidget,
    on_imported: Callable[[str, int], None],
) -> ImportWizard:
    wizard = ImportWizard(store, tasks, user, parent=parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.records_imported.connect(on_imported)
    wizard.open()
    return wizard


class ExcelPage(QWidget):
    """The county workspace's Excel page: export, import, and the templates."""

    records_imported = Signal(str, int)  # form id, records written

    def __init__(
        self, store: Store, tasks: TaskRunner, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self.forms = forms_in_order(store.registry)
        self._title = QLabel()
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self.export_box = QGroupBox()
        self._export_text = QLabel()
        self._export_text.setWordWrap(True)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(
            lambda: open_export(self.store, self.tasks, self.user, self)
        )
        self.import_box = QGroupBox()
        self._import_text = QLabel()
        self._import_text.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(
            lambda: open_import(self.store, self.tasks, self.user, self, self.records_imported.emit)
        )
        self.template_buttons: dict[str, QPushButton] = {}
        for box, text, button in (
            (self.export_box, self._export_text, self.export_button),
            (self.import_box, self._import_text, self.import_button),
        ):
            row = QHBoxLayout(box)
            row.addWidget(text, 1)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.templates_box = QGroupBox()
        templates = QHBoxLayout(self.templates_box)
        for form in self.forms:
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, form=form: save_template(form, self))
            self.template_buttons[form.id] = button
            templates.addWidget(button)
        templates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self.export_box)
        layout.addWidget(self.import_box)
        layout.addWidget(self.templates_box)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Excel"))
        self.export_box.setTitle(self.tr("Export"))
        self._export_text.setText(
            self.tr(
                "A workbook of the county's records, or of one school's: one sheet per form,"
                " repeat groups on their own sheets, and a summary of the dashboard."
            )
        )
        self.export_button.setText(self.tr("Export to Excel…"))
        self.import_box.setTitle(self.tr("Import"))
        self._import_text.setText(
            self.tr(
                "Records from a school's spreadsheet, as drafts. The file is checked first;"
                " nothing is written until you confirm its report."
            )
        )
        self.import_button.setText(self.tr("Import from Excel…"))
        self.templates_box.setTitle(self.tr("Import templates"))
        lang = _language()
        for form in self.forms:
            self.template_buttons[form.id].setText(form.title.get(lang) + "…")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
