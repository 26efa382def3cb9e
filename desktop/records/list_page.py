"""One form's record list: search, filters, the table, and what can be done to a selection."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import definition_language
from desktop.pages import StorePage
from desktop.records.model import RECORD_ID_ROLE, RecordListModel
from desktop.records.status import status_text
from forms import FormDefinition
from sync.store import OperationRefusedError, RecordNotFoundError, Store
from sync.wire import RecordStatus

SEARCH_DELAY_MS = 250
# Columns are fitted to this many rows from the top: the content a user sees first, measured
# without reading the rows beyond from the store.
FITTED_ROWS = 100


def shared_widths(needs: list[int], floors: list[int], available: int) -> list[int]:
    """Column widths within `available`: each column's need, except that the widest are cut
    to one common width, never below their floor (their header). Wider than `available` only
    when even the floors are."""
    if sum(needs) <= available:
        return needs

    def capped(cap: int) -> list[int]:
        return [max(floor, min(need, cap)) for need, floor in zip(needs, floors, strict=True)]

    low, high = 0, max(needs)  # the widest cap that fits is in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if sum(capped(middle)) <= available:
            low = middle
        else:
            high = middle
    return capped(low)


def fit_columns(table: QTableView) -> None:
    """Every column as wide as its header and the first rows need, or where the table is too
    narrow for that, their typical content (nine rows in ten); if even that is too wide, the
    widest columns give way, never below their header, so the others stay whole. A cut text
    shows whole in its tooltip."""
    model = table.model()
    header = table.horizontalHeader()
    grid = 1 if table.showGrid() else 0
    rows = range(min(model.rowCount(), FITTED_ROWS))
    headers, widest, typical = [], [], []
    for column in range(model.columnCount()):
        contents = sorted(
            table.sizeHintForIndex(model.index(row, column)).width() + grid for row in rows
        ) or [0]
        headers.append(header.sectionSizeHint(column))
        widest.append(max(contents[-1], headers[-1]))
        typical.append(max(contents[(len(contents) - 1) * 9 // 10], headers[-1]))
    # Room for the vertical scroll bar, shown or soon shown.
    available = (
        table.width() - 2 * table.frameWidth() - table.verticalScrollBar().sizeHint().width()
    )
    needs = widest if sum(widest) <= available else typical
    for column, width in enumerate(shared_widths(needs, headers, available)):
        table.setColumnWidth(column, width)


class RecordListPage(StorePage):
    record_activated = Signal(str, str)  # form id, record id
    new_record_requested = Signal(str)  # form id
    records_changed = Signal()
    status_message = Signal(str)

    def __init__(
        self, store: Store, form: FormDefinition, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.user = user
        # Read when first shown: the window starts without querying lists nobody looks at.
        self._columns_fitted = False
        self._total: int | None = None
        self.model = RecordListModel(store, form, self, load=False)

        self._title = QLabel()
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(lambda: self.new_record_requested.emit(self.form.id))
        self.submit_button = QPushButton()
        self.submit_button.clicked.connect(self.submit_selected)
        self.submit_button.setEnabled(False)
        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self.submit_button)
        header.addWidget(self.new_button)

        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(280)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self.apply_filters)
        self.status_filter = QComboBox()
        self.status_filter.addItem("", None)
        for status in RecordStatus:
            self.status_filter.addItem("", status)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.issues_filter = QCheckBox()
        self.issues_filter.toggled.connect(self.apply_filters)
        self.conflict_filter = QCheckBox()
        self.conflict_filter.toggled.connect(self.apply_filters)
        self._count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 2)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.issues_filter)
        filters.addWidget(self.conflict_filter)
        filters.addStretch(1)
        filters.addWidget(self._count)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # The indicator first: enabling sorting sorts by whatever it shows.
        self.table.horizontalHeader().setSortIndicator(
            self.model.sort_column(), Qt.SortOrder.DescendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setHighlightSections(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures rows, so 100,000 of them scroll smoothly.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.activated.connect(self._activate)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._count_records)
        self.model.modelReset.connect(
            lambda: self._selection_changed(QItemSelection(), QItemSelection())
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 9, 4, 4)  # every pixel across is a column's
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.retranslate_ui()

    # What the window uses.

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [record_id for row in rows if (record_id := self.model.record_id(row))]

    def refresh(self) -> None:
        """Read the list again, keeping where the user was: the scroll position and the
        selected records still near where they were (or at the top, where an edit moves them)."""
        selected_rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        selected = set(self.selected_ids())
        scrolled = self.table.verticalScrollBar().value()
        self.model.refresh()
        self.table.verticalScrollBar().setValue(scrolled)
        selection = self.table.selectionModel()
        for row in self.model.rows_of(selected, near=selected_rows):
            selection.select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        if not self._columns_fitted:
            self._fit_columns()
            # An empty list is fitted to its headers, and again when it has records.
            self._columns_fitted = self.model.rowCount() > 0

    def show_status(self, status: RecordStatus | None) -> None:
        """Filter by one status (None: all), leaving the other filters as they are."""
        index = 0 if status is None else self.status_filter.findData(status)
        self.status_filter.setCurrentIndex(index)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    @Slot()
    def apply_filters(self) -> None:
        self._search_timer.stop()
        status = self.status_filter.currentData()
        query = dataclasses.replace(
            self.model.query,
            search=self.search_box.text().strip() or None,
            statuses=(status,) if status is not None else (),
            has_issues=True if self.issues_filter.isChecked() else None,
            has_conflict=True if self.conflict_filter.isChecked() else None,
        )
        if query != self.model.query:
            self.model.set_query(query)

    @Slot()
    def submit_selected(self) -> None:
        """Submit every selected record that can be; say how many could not and why."""
        submitted = with_errors = not_submittable = 0
        for record_id in self.selected_ids():
            try:
                self.store.submit(record_id, self.user)
            except OperationRefusedError as refused:
                if refused.code == "has_errors":
                    with_errors += 1
                else:
                    not_submittable += 1
            except RecordNotFoundError:
                not_submittable += 1
            else:
                submitted += 1
        message = self.tr("Records submitted: {0}.").format(submitted)
        if with_errors:
            message += " " + self.tr(
                "Not submitted because of errors: {0} (open them to fix)."
            ).format(with_errors)
        if not_submittable:
            message += " " + self.tr("Submitted or approved already: {0}.").format(not_submittable)
        self.status_message.emit(message)
        if submitted:
            self.records_changed.emit()
            self.refresh()

    def delete_selected(self) -> None:
        """Delete the selected drafts and returned records, after the user confirms."""
        record_ids = self.selected_ids()
        if not record_ids:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete records"),
            self.tr(
                "Delete the selected records ({0})? Only drafts and returned records are "
                "deleted; this cannot be undone."
            ).format(len(record_ids)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        deleted = 0
        for record_id in record_ids:
            try:
                self.store.delete(record_id, self.user)
            except (OperationRefusedError, RecordNotFoundError):
                continue
            deleted += 1
        message = self.tr("Records deleted: {0}.").format(deleted)
        if deleted < len(record_ids):
            message += " " + self.tr("Kept because they are not drafts: {0}.").format(
                len(record_ids) - deleted
            )
        self.status_message.emit(message)
        self.records_changed.emit()
        self.refresh()

    def retranslate_ui(self) -> None:
        lang = definition_language(QLocale().name())
        self._title.setText(self.form.title.get(lang))
        self.new_button.setText(self.tr("New record"))
        self.new_button.setToolTip(self.tr("Start a new record (Ctrl+N)"))
        self.submit_button.setText(self.tr("Submit selected"))
        self.search_box.setPlaceholderText(
            self.tr("Search: Chinese, or pinyin initials such as zs for 张三 (Ctrl+F)")
        )
        self.status_filter.setItemText(0, self.tr("All statuses"))
        for index in range(1, self.status_filter.count()):
            self.status_filter.setItemText(index, status_text(self.status_filter.itemData(index)))
        self.issues_filter.setText(self.tr("Has issues"))
        self.conflict_filter.setText(self.tr("Has conflict"))
        self.model.retranslate()
        self._show_count(self._total)
        if self._columns_fitted:
            self._fit_columns()  # the headers and texts are as wide as their language

    # Qt events.

    # Inside.

    @Slot()
    def _count_records(self) -> None:
        self._show_count(self.model.total())

    def _show_count(self, total: int | None) -> None:
        self._total = total
        self._count.setText("" if total is None else self.tr("Records: {0}").format(total))

    def _fit_columns(self) -> None:
        fit_columns(self.table)

    @Slot(QModelIndex)
    def _activate(self, index: QModelIndex) -> None:
        # A blank row (its record left the list since it was counted) opens nothing.
        record_id = index.data(RECORD_ID_ROLE)
        if record_id:
            self.record_activated.emit(self.form.id, record_id)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.submit_button.setEnabled(count > 0)
        self.submit_button.setText(
            self.tr("Submit selected ({0})").format(count) if count else self.tr("Submit selected")
        )
