"""The consolidation dashboard of a county, or of one of its schools: each of the library's
figures as a bar chart with its numbers in a table beside it, progress against the targets the
county set, and the teachers short of the 180-day rule.

    page = DashboardPage(store, tasks, county="500103")
    page.record_activated.connect(window.open_record)   # a teacher double-clicked
    page.refresh()

`sync.reports.dashboard` scans every record, so it runs on a pool thread through the TaskRunner
while the page shows that it is counting; the answer is kept, so a language switch redraws it
without counting again.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.county.charts import ROW_HEIGHT, BarChart, format_number
from desktop.i18n import definition_language
from desktop.records.status import ERROR_COLOR, MUTED_COLOR
from desktop.settings import user_config_path
from desktop.tasks import TaskRunner
from sync.profile import Profile
from sync.reports import Dashboard, Figure, ShortTeacher, Targets, dashboard, schools
from sync.store import Store

log = logging.getLogger(__name__)

_ALL_SCHOOLS = ""


def _language() -> str:
    return definition_language(QLocale().name())


def _pick(item: Any, name: str) -> str:
    """A library text in the UI language: `name_zh` or `name_en`."""
    return str(getattr(item, f"{name}_{_language()}"))


def _read_dashboard(
    store: Store, school: str | None, targets: Targets, today: datetime.date | None
) -> tuple[Dashboard, list[tuple[str, str]]]:
    """Runs on a pool thread, with its own connection: the figures and the schools to pick."""
    with store.for_thread() as own:
        return dashboard(own, school=school, targets=targets, today=today), named_schools(own)


def named_schools(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the schools with records in the store, named from the hub's reference
    data the sync keeps beside it (a code stands in for a name not known yet). Reads files:
    call it on a pool thread."""
    _etag, reference = Profile(store.path.parent).reference_cache().load()
    return schools(store, reference.orgs if reference is not None else ())


def target_labels() -> dict[str, str]:
    """The targets the county can set, in the UI language (the dialog shows them before any
    dashboard has named them)."""
    return {
        "training_bases": QCoreApplication.translate("Targets", "Training bases"),
        "productive_bases": QCoreApplication.translate("Targets", "Productive training bases"),
        "teacher_compliance_pct": QCoreApplication.translate(
            "Targets", "Teacher placement compliance (%)"
        ),
    }


def rule_text(rule: str) -> str:
    names = {
        "rolling_5_years": QCoreApplication.translate("Targets", "180 days within 5 years"),
        "first_3_years": QCoreApplication.translate("Targets", "New teacher: 180 days in 3 years"),
    }
    return names.get(rule, rule)


def load_targets(settings: QSettings, county: str) -> Targets:
    """The targets the county saved, else none set. Keys an older version saved that no longer
    exist are dropped; a damaged value leaves every target unset."""
    stored = settings.value(f"county_targets/{county}")
    if not stored:
        return Targets()
    try:
        saved = json.loads(str(stored))
        known = {field.name for field in dataclasses.fields(Targets)}
        values = {name: value for name, value in saved.items() if name in known}
        if not all(value is None or isinstance(value, int | float) for value in values.values()):
            raise TypeError(values)
        return Targets(**values)
    except (ValueError, TypeError, AttributeError):
        log.warning("ignoring saved targets of county %s", county)
        return Targets()


def save_targets(settings: QSettings, county: str, targets: Targets) -> None:
    settings.setValue(f"county_targets/{county}", json.dumps(dataclasses.asdict(targets)))
    settings.sync()


class TargetsDialog(QDialog):
    """The county's targets, one number each; 0 leaves a target out."""

    def __init__(self, targets: Targets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Targets"))
        self.spins: dict[str, QDoubleSpinBox] = {}
        labels = target_labels()
        form = QFormLayout()
        for field in dataclasses.fields(Targets):
            value = getattr(targets, field.name)
            spin = QDoubleSpinBox()
            # Whole counts stay whole; rates (percent) take one decimal.
            is_rate = "float" in str(field.type)
            spin.setDecimals(1 if is_rate else 0)
            spin.setRange(0, 100 if is_rate else 1_000_000)
            spin.setSpecialValueText(self.tr("not set"))
            spin.setValue(float(value or 0))
            spin.setProperty("is_rate", is_rate)
            self.spins[field.name] = spin
            form.addRow(labels.get(field.name, field.name), spin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            self.tr("The county's targets, remembered on this computer. 0 leaves a target out.")
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def targets(self) -> Targets:
        values: dict[str, float | int | None] = {}
        for name, spin in self.spins.items():
            if spin.value() == 0:
                values[name] = None
            else:
                values[name] = spin.value() if spin.property("is_rate") else int(spin.value())
        return Targets(**values)


class FigureView(QGroupBox):
    """One figure: its bar chart, and beside it the same numbers as a table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = BarChart()
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().setVisible(False)
        # Rows as tall as the chart's, so each number sits level with its bar's row.
        self.table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(280)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = QHBoxLayout(self)
        row.addWidget(self.chart, 3)
        row.addWidget(self.table, 2)

    def show_figure(self, figure: Figure) -> None:
        unit = _pick(figure, "unit")
        title = _pick(figure, "title")
        self.setTitle(title)
        bars = [(_pick(count, "label"), float(count.value)) for count in figure.counts]
        self.chart.set_bars(
            bars,
            self.tr("Unit: {0}").format(unit) if unit else title,
            full_scale=100.0 if figure.unit_en == "%" else None,
        )
        self.table.setHorizontalHeaderLabels([self.tr("Item"), unit or self.tr("Value")])
        self.table.setRowCount(len(bars))
        for row, (label, value) in enumerate(bars):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            number = QTableWidgetItem(format_number(value))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, number)
        # Tall enough for every row: the page scrolls, not each table.
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += self.table.verticalHeader().length()
        self.table.setFixedHeight(max(height, self.chart.sizeHint().height()))


class TeachersModel(QAbstractTableModel):
    """The teachers short of the rule: a county has thousands, so a model, not items."""

    COLUMNS = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.teachers: list[ShortTeacher] = []
        self._school_names: dict[str, str] = {}

    def set_teachers(self, teachers: list[ShortTeacher], school_names: dict[str, str]) -> None:
        self.beginResetModel()
        self.teachers = teachers
        self._school_names = school_names
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.teachers)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Name"),
            self.tr("School"),
            self.tr("Days"),
            self.tr("Required"),
            self.tr("Rule"),
            self.tr("Standing"),
        )[section]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        teacher = self.teachers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return teacher.teacher_name
            if column == 1:
                return self._school_names.get(teacher.school, teacher.school)
            if column == 2:
                return format_number(teacher.days)
            if column == 3:
                return format_number(teacher.required)
            if column == 4:
                return rule_text(teacher.rule)
            return self.tr("Overdue") if teacher.overdue else self.tr("On track (3 years not over)")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and teacher.overdue:
            return QColor(ERROR_COLOR)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)
        if self.teachers:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.teachers) - 1, 5))


class DashboardPage(QWidget):
    """The dashboard of the county (all schools) or of the school picked."""

    record_activated = Signal(str, str)  # form id, record id
    dashboard_shown = Signal()

    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        *,
        county: str | None = None,
        settings: QSettings | None = None,
        today: Callable[[], datetime.date | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        """`county` keys the saved targets (default: the signed-in user's county). `settings`
        holds them (default: the user's settings file)."""
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.county = county or store.sync_state().county or ""
        self.settings = settings or QSettings(str(user_config_path()), QSettings.Format.IniFormat)
        self._today = today
        self.targets = load_targets(self.settings, self.county)
        self.dashboard: Dashboard | None = None
        self.school_names: dict[str, str] = {}
        self._asked = 0
        # Counted when first shown: counting scans every record.
        self._stale = True

        self._title = QLabel()
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._school_label = QLabel()
        self.school_picker = QComboBox()
        self.school_picker.setMinimumWidth(220)
        self.school_picker.addItem("", _ALL_SCHOOLS)
        self.school_picker.currentIndexChanged.connect(self.refresh)
        self.targets_button = QPushButton()
        self.targets_button.clicked.connect(self.edit_targets)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # counting: no known end
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self._busy_label = QLabel()
        self._busy_label.setStyleSheet(f"color: {MUTED_COLOR};")
        self._busy_label.hide()
        self._error = QLabel()
        self._error.setStyleSheet(f"color: {ERROR_COLOR};")
        self._error.setWordWrap(True)
        self._error.hide()
        bar = QHBoxLayout()
        bar.addWidget(self._title)
        bar.addStretch(1)
        bar.addWidget(self._busy_label)
        bar.addWidget(self.busy)
        bar.addWidget(self._school_label)
        bar.addWidget(self.school_picker)
        bar.addWidget(self.targets_button)
        bar.addWidget(self.refresh_button)

        self.targets_box = QGroupBox()
        self._targets_grid = QGridLayout(self.targets_box)
        self.target_bars: list[QProgressBar] = []
        self.figures_box = QWidget()
        self._figures_layout = QVBoxLayout(self.figures_box)
        self._figures_layout.setContentsMargins(0, 0, 0, 0)
        self.figure_views: list[FigureView] = []
        self.teachers_box = QGroupBox()
        self.teachers_model = TeachersModel(self)
        self.teachers = QTableView()
        self.teachers.setModel(self.teachers_model)
        self.teachers.verticalHeader().setVisible(False)
        self.teachers.horizontalHeader().setResizeContentsPrecision(100)
        self.teachers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.teachers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.teachers.setAlternatingRowColors(True)
        self.teachers.horizontalHeader().setStretchLastSection(True)
        self.teachers.setMinimumHeight(360)
        self.teachers.horizontalHeader().setMinimumSectionSize(72)
        self.teachers.doubleClicked.connect(self._open_teacher)
        self._teachers_hint = QLabel()
        self._teachers_hint.setStyleSheet(f"color: {MUTED_COLOR};")
        teachers_layout = QVBoxLayout(self.teachers_box)
        teachers_layout.addWidget(self._teachers_hint)
        teachers_layout.addWidget(self.teachers)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.targets_box)
        column.addWidget(self.figures_box)
        column.addWidget(self.teachers_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._error)
        layout.addWidget(scroll, 1)
        self.retranslate_ui()

    def mark_stale(self) -> None:
        """Records changed: count again now if shown, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # Counting.

    def school(self) -> str | None:
        code = self.school_picker.currentData()
        return code or None

    @property
    def is_busy(self) -> bool:
        return self.busy.isVisible() or not self.busy.isHidden()

    @Slot()
    def refresh(self) -> None:
        """Count again in the background; an older answer arriving late is dropped."""
        self._stale = False
        self._asked += 1
        asked = self._asked
        self._set_busy(True)
        self.tasks.run_task(
            lambda: _read_dashboard(self.store, self.school(), self.targets, self._today()),
            lambda answer: self._answered(asked, answer),
            lambda error: self._failed(asked, error),
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self._busy_label.setVisible(busy)
        self.refresh_button.setEnabled(not busy)

    def _answered(self, asked: int, answer: tuple[Dashboard, list[tuple[str, str]]]) -> None:
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self._error.hide()
        board, known_schools = answer
        self._fill_schools(known_schools)
        self.show_dashboard(board)

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self._set_busy(False)
        log.error("dashboard failed", exc_info=error)
        self._error.setText(self.tr("The dashboard could not be counted: {0}").format(error))
        self._error.show()

    def _fill_schools(self, known_schools: list[tuple[str, str]]) -> None:
        self.school_names = dict(known_schools)
        current = self.school_picker.currentData()
        self.school_picker.blockSignals(True)
        while self.school_picker.count() > 1:
            self.school_picker.removeItem(1)
        for code, name in known_schools:
            self.school_picker.addItem(name if name == code else f"{name} ({code})", code)
        index = self.school_picker.findData(current)
        self.school_picker.setCurrentIndex(max(index, 0))
        self.school_picker.blockSignals(False)

    # Showing.

    def show_dashboard(self, board: Dashboard) -> None:
        """Draw a dashboard the library computed (also what the benchmark times)."""
        self.dashboard = board
        self._show_figures(board)
        self._show_targets(board)
        self._show_teachers(board)
        self.dashboard_shown.emit()

    def _show_figures(self, board: Dashboard) -> None:
        while len(self.figure_views) < len(board.figures):
            view = FigureView()
            self.figure_views.append(view)
            self._figures_layout.addWidget(view)
        while len(self.figure_views) > len(board.figures):
            self.figure_views.pop().deleteLater()
        for view, figure in zip(self.figure_views, board.figures, strict=True):
            view.show_figure(figure)

    def _show_targets(self, board: Dashboard) -> None:
        while self._targets_grid.count():
            item = self._targets_grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                # Hidden at once: deleteLater waits for the event loop, and until then an
                # unlaid-out widget would be painted over the box.
                widget.hide()
                widget.deleteLater()
        self.target_bars = []
        self.targets_box.setVisible(bool(board.targets))
        for row, progress in enumerate(board.targets):
            label = QLabel(_pick(progress, "label"))
            bar = QProgressBar()
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            target = float(progress.target)
            value = float(progress.actual)
            # QProgressBar counts in whole steps: tenths keep rates like 72.5 % exact enough.
            bar.setRange(0, max(round(target * 10), 1))
            bar.setValue(min(round(value * 10), bar.maximum()))
            if progress.name.endswith("_pct"):
                # A rate against a rate: "72.5% / 90%", not a share of a share.
                bar.setFormat(f"{format_number(value)}% / {format_number(target)}%")
            else:
                share = value / target * 100 if target > 0 else 100.0
                bar.setFormat(f"{format_number(value)} / {format_number(target)}  ({share:.0f}%)")
            bar.setProperty("value_shown", value)
            bar.setProperty("target_shown", target)
            if value < target:
                bar.setStyleSheet("QProgressBar::chunk { background: #a15c07; }")
            else:
                bar.setStyleSheet("QProgressBar::chunk { background: #18794e; }")
            self.target_bars.append(bar)
            self._targets_grid.addWidget(label, row, 0)
            self._targets_grid.addWidget(bar, row, 1)
        self._targets_grid.setColumnStretch(1, 1)

    def _show_teachers(self, board: Dashboard) -> None:
        self.teachers_model.set_teachers(board.short_teachers, self.school_names)
        # Widths from the first rows: a county's thousands of teachers are not all measured.
        self.teachers.resizeColumnsToContents()

    @Slot(QModelIndex)
    def _open_teacher(self, index: QModelIndex) -> None:
        if index.isValid():
            record_id = self.teachers_model.teachers[index.row()].record_id
            self.record_activated.emit("teacher_placement", record_id)

    # Targets.

    @Slot()
    def edit_targets(self) -> None:
        dialog = TargetsDialog(self.targets, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.targets = dialog.targets()
        try:
            save_targets(self.settings, self.county, self.targets)
        except OSError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
        self.refresh()

    # Language.

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Dashboard"))
        self._school_label.setText(self.tr("School:"))
        self.school_picker.setItemText(0, self.tr("All schools (county)"))
        self.targets_button.setText(self.tr("Targets…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self._busy_label.setText(self.tr("Counting…"))
        self.targets_box.setTitle(self.tr("Progress against the county's targets"))
        self.teachers_box.setTitle(self.tr("Teachers short of 180 days in enterprises"))
        self._teachers_hint.setText(self.tr("Double-click a teacher to open the record."))
        self.teachers_model.retranslate()
        if self.dashboard is not None:
            self.show_dashboard(self.dashboard)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
