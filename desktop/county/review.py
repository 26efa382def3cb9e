"""The county's review queue: the records its schools submitted, one form at a time, filtered by
school, status and warnings, lazily fetched like the school's lists (desktop.records.model), and
the record under review (review_record.py) opened from it.

Bulk approval takes the selected submitted records without warnings; those with warnings are
skipped and the reviewer is told how many, to open them one by one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.county.review_record import ReviewRecordPage
from desktop.i18n import definition_language
from desktop.pages import forms_in_order
from desktop.records.list_page import fit_columns
from desktop.records.model import RECORD_ID_ROLE, Column, RecordListModel
from desktop.records.status import status_text
from desktop.tasks import TaskRunner
from forms import FormDefinition
from sync.engine import ReferenceCache
from sync.profile import REFERENCE_FILE
from sync.store import ListRow, OperationRefusedError, RecordNotFoundError, RecordQuery, Store
from sync.wire import Decision, OrgKind, RecordStatus

SEARCH_DELAY_MS = 250
# The order clerks know the forms in (as the school's navigation).
# Status filter entries: (key, statuses, pending).
TO_REVIEW = "to_review"
_STATUS_FILTERS: dict[str, tuple[tuple[RecordStatus, ...], bool | None]] = {
    TO_REVIEW: ((RecordStatus.SUBMITTED,), None),
    "not_sent": ((RecordStatus.APPROVED, RecordStatus.RETURNED), True),
    "approved": ((RecordStatus.APPROVED,), None),
    "returned": ((RecordStatus.RETURNED,), None),
    "all": ((RecordStatus.SUBMITTED, RecordStatus.APPROVED, RecordStatus.RETURNED), None),
}
WITH_WARNINGS = "with"
WITHOUT_WARNINGS = "without"


def county_schools(store: Store) -> dict[str, str]:
    """Code → name of the county's schools, from the hub's reference data cached beside the
    store (empty before the first sync)."""
    _etag, reference = ReferenceCache(store.path.parent / REFERENCE_FILE).load()
    if reference is None:
        return {}
    county = store.sync_state().county
    return {
        org.code: org.name
        for org in reference.orgs
        if org.kind is OrgKind.SCHOOL and (county is None or org.county == county)
    }


def _approve_all(store: Store, record_ids: list[str], user: str) -> int:
    """Approve these records; how many were. Runs on a pool thread, with its own connection."""
    approved = 0
    with store.for_thread() as own:
        for record_id in record_ids:
            try:
                own.review(record_id, Decision.APPROVE, user)
            except (OperationRefusedError, RecordNotFoundError):
                continue  # withdrawn or decided meanwhile (a sync ran)
            approved += 1
    return approved


class ReviewQueueModel(RecordListModel):
    """A form's records as the school lists show them, with the school they come from."""

    def __init__(
        self,
        store: Store,
        form: FormDefinition,
        school_name: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(store, form, parent, load=False)
        school = Column(
            sort_key=None,
            header=lambda _lang: QCoreApplication.translate("ReviewQueue", "School"),
            text=lambda row, _lang: school_name(row.org),
        )
        self.columns.insert(1, school)

    def list_row(self, row: int) -> ListRow | None:
        """What the list shows of a row: its status and marks, without reading the record."""
        return self._row(row)


class ReviewQueue(QWidget):
    record_activated = Signal(str, str)  # form id, record id
    records_changed = Signal()
    status_message = Signal(str)

    def __init__(
        self, store: Store, tasks: TaskRunner, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self.forms: list[FormDefinition] = forms_in_order(store.registry)
        self._stale = True
        self._schools: dict[str, str] = {}

        self._title = QLabel()
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._not_sent = QLabel()
        self.bulk_approve_button = QPushButton()
        self.bulk_approve_button.setEnabled(False)
        self.bulk_approve_button.clicked.connect(self.approve_selected)
        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addSpacing(12)
        header.addWidget(self._not_sent)
        header.addStretch(1)
        header.addWidget(self.bulk_approve_button)

        self.form_filter = QComboBox()
        for form in self.forms:
            self.form_filter.addItem("", form.id)
        self.school_filter = QComboBox()
        self.school_filter.setMinimumContentsLength(12)
        self.school_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.school_filter.addItem("", None)
        self.status_filter = QComboBox()
        for key in _STATUS_FILTERS:
            self.status_filter.addItem("", key)
        self.warnings_filter = QComboBox()
        for warnings in (None, WITH_WARNINGS, WITHOUT_WARNINGS):
            self.warnings_filter.addItem("", warnings)
        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(200)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self.apply_filters)
        for combo in (self.form_filter, self.school_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        # Their texts change with the language and the counts: the combos follow.
        for combo in (self.form_filter, self.status_filter, self.warnings_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.warnings_filter.currentIndexChanged.connect(self.apply_filters)
        self._count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.form_filter)
        filters.addWidget(self.school_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.warnings_filter)
        filters.addWidget(self.search_box, 1)
        filters.addWidget(self._count)

        self.table = QTableView()
        # Children of the table: they go after it, so no view reads a model being destroyed.
        self._models = {
            form.id: ReviewQueueModel(store, form, self.school_name, self.table)
            for form in self.forms
        }
        self._waiting: dict[str, int] = {}
        self._fitted: set[str] = set()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures rows, so long queues scroll smoothly.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.activated.connect(self._activate)
        self.model = self._models[self.forms[0].id]
        self._use_model(self.model)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.retranslate_ui()

    # What the review page uses.

    def current_form(self) -> FormDefinition:
        return self.model.form

    def school_name(self, code: str) -> str:
        return self._schools.get(code, code)

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [record_id for row in rows if (record_id := self.model.record_id(row))]

    def mark_stale(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Read the queue again (a sync, a decision), keeping the selection and scroll."""
        self._stale = False
        self._load_schools()
        selected_rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        selected = set(self.selected_ids())
        scrolled = self.table.verticalScrollBar().value()
        self._search_timer.stop()
        self._choose_model()
        self.model.set_query(self._query())
        self.table.verticalScrollBar().setValue(scrolled)
        selection = self.table.selectionModel()
        for row in self.model.rows_of(selected, near=selected_rows):
            selection.select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._count_not_sent()
        self._count_waiting()
        self._fit_columns()

    @Slot()
    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._choose_model()
        query = self._query()
        if query != self.model.query:
            self.model.set_query(query)
        self._fit_columns()

    def _choose_model(self) -> None:
        form_id = self.form_filter.currentData()
        if form_id is not None and form_id != self.model.form.id:
            self.model = self._models[form_id]
            self._use_model(self.model)

    def _query(self) -> RecordQuery:
        statuses, pending = _STATUS_FILTERS[self.status_filter.currentData() or TO_REVIEW]
        warnings = self.warnings_filter.currentData()
        return dataclasses.replace(
            self.model.query,
            statuses=statuses,
            pending=pending,
            org=self.school_filter.currentData(),
            has_issues={WITH_WARNINGS: True, WITHOUT_WARNINGS: False}.get(warnings),
            search=self.search_box.text().strip() or None,
        )

    @Slot()
    def approve_selected(self) -> None:
        """Approve the selected submitted records that have no warnings, after the reviewer
        confirms; say how many were skipped for warnings."""
        approvable: list[str] = []
        with_warnings = not_submitted = 0
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        for row in rows:
            record_id = self.model.record_id(row)
            if record_id is None:  # gone from the queue since it was read
                not_submitted += 1
                continue
            listed = self.model.list_row(row)
            if listed is None:  # changed since its page was read: the record says
                try:
                    record = self.store.get(record_id)
                except RecordNotFoundError:
                    not_submitted += 1
                    continue
                status, has_issues = record.status, bool(record.issues)
                held = record.needs_attention or record.conflict is not None
            else:
                status, has_issues = listed.status, listed.has_issues
                held = listed.needs_attention or listed.has_conflict
            if status is not RecordStatus.SUBMITTED or held:
                not_submitted += 1
            elif has_issues:
                with_warnings += 1
            else:
                approvable.append(record_id)
        if not approvable:
            self.status_message.emit(
                self.tr(
                    "Nothing to approve: the selected records have warnings ({0}) or are not "
                    "waiting for review ({1}). Open them to review one by one."
                ).format(with_warnings, not_submitted)
            )
            return
        text = self.tr("Approve {0} records without warnings?").format(len(approvable))
        if with_warnings:
            text += "\n\n" + self.tr(
                "{0} selected records have warnings and are skipped: open them to review one "
                "by one."
            ).format(with_warnings)
        if not_submitted:
            text += "\n\n" + self.tr(
                "{0} selected records are not waiting for review and are skipped."
            ).format(not_submitted)
        answer = QMessageBox.question(
            self,
            self.tr("Approve records"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        # A write per record: a thousand take seconds on a busy machine, off the UI thread.
        self.bulk_approve_button.setEnabled(False)
        self.status_message.emit(self.tr("Approving {0} records…").format(len(approvable)))
        self.tasks.run_task(
            partial(_approve_all, self.store, approvable, self.user),
            lambda approved: self._bulk_approved(approved, with_warnings),
        )

    def _bulk_approved(self, approved: int, with_warnings: int) -> None:
        if not shiboken6.isValid(self):
            return
        message = self.tr("Approved: {0}. The schools hear at the next sync.").format(approved)
        if with_warnings:
            message += " " + self.tr("Skipped for warnings: {0}.").format(with_warnings)
        self.status_message.emit(message)
        self.records_changed.emit()
        self.refresh()

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Review"))
        self._show_form_titles()
        self.school_filter.setItemText(0, self.tr("All schools"))
        status_names = {
            TO_REVIEW: self.tr("To review"),
            "not_sent": self.tr("Decided, not sent yet"),
            "approved": status_text(RecordStatus.APPROVED),
            "returned": status_text(RecordStatus.RETURNED),
            "all": self.tr("All submitted"),
        }
        for index in range(self.status_filter.count()):
            self.status_filter.setItemText(index, status_names[self.status_filter.itemData(index)])
        warning_names = {
            None: self.tr("With or without warnings"),
            WITH_WARNINGS: self.tr("With warnings"),
            WITHOUT_WARNINGS: self.tr("Without warnings"),
        }
        for index in range(self.warnings_filter.count()):
            self.warnings_filter.setItemText(
                index, warning_names[self.warnings_filter.itemData(index)]
            )
        self.search_box.setPlaceholderText(self.tr("Search: Chinese, or pinyin initials"))
        for model in self._models.values():
            model.retranslate()
        # Words of the other language need other widths.
        self._fitted.clear()
        self._fit_columns()
        self._selection_changed()
        self._show_count()
        self._count_not_sent()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # Inside.

    def _use_model(self, model: RecordListModel) -> None:
        old = self.table.selectionModel()
        self.table.setModel(model)
        if old is not None:
            old.deleteLater()
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSortIndicator(
            model.sort_column(), Qt.SortOrder.DescendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.modelReset.connect(self._show_count, Qt.ConnectionType.UniqueConnection)
        model.modelReset.connect(self._selection_changed, Qt.ConnectionType.UniqueConnection)

    def _load_schools(self) -> None:
        schools = county_schools(self.store)
        if schools == self._schools:
            return
        self._schools = schools
        chosen = self.school_filter.currentData()
        self.school_filter.blockSignals(True)
        while self.school_filter.count() > 1:
            self.school_filter.removeItem(1)
        for code, name in sorted(schools.items(), key=lambda item: item[1]):
            self.school_filter.addItem(name, code)
        index = self.school_filter.findData(chosen)
        self.school_filter.setCurrentIndex(max(index, 0))
        self.school_filter.blockSignals(False)

    @Slot()
    def _show_count(self) -> None:
        self._count.setText(self.tr("Records: {0}").format(self.model.total()))

    def _fit_columns(self) -> None:
        """Columns fitted as a school's record list fits them, once per form."""
        if self.model.form.id in self._fitted or not self.model.rowCount():
            return
        self._fitted.add(self.model.form.id)
        fit_columns(self.table)

    def _count_waiting(self) -> None:
        self._waiting = {
            form.id: self.store.count(RecordQuery(form=form.id, statuses=(RecordStatus.SUBMITTED,)))
            for form in self.forms
        }
        self._show_form_titles()

    def _show_form_titles(self) -> None:
        """Each form with how many of its records wait for review."""
        lang = definition_language(QLocale().name())
        for index, form in enumerate(self.forms):
            title = form.title.get(lang)
            waiting = self._waiting.get(form.id)
            self.form_filter.setItemText(
                index, self.tr("{0} ({1} to review)").format(title, waiting) if waiting else title
            )

    def _count_not_sent(self) -> None:
        statuses, pending = _STATUS_FILTERS["not_sent"]
        waiting = sum(
            self.store.count(
                dataclasses.replace(model.query, statuses=statuses, pending=pending, org=None)
            )
            for model in self._models.values()
        )
        self._not_sent.setText(
            self.tr("Decisions not sent yet: {0}").format(waiting) if waiting else ""
        )

    @Slot()
    def _selection_changed(self, *_changes: QItemSelection) -> None:
        count = len(self.table.selectionModel().selectedRows()) if self.table.model() else 0
        self.bulk_approve_button.setEnabled(count > 0)
        self.bulk_approve_button.setText(
            self.tr("Approve selected without warnings ({0})").format(count)
            if count
            else self.tr("Approve selected without warnings")
        )

    @Slot(QModelIndex)
    def _activate(self, index: QModelIndex) -> None:
        # A blank row (its record left the queue since it was counted) opens nothing.
        record_id = index.data(RECORD_ID_ROLE)
        if record_id:
            self.record_activated.emit(self.model.form.id, record_id)


class ReviewPage(QStackedWidget):
    """The queue, or the record under review in its place."""

    records_changed = Signal()
    status_message = Signal(str)
    record_shown = Signal(bool)  # a record under review opened (True) or left (False)

    def __init__(
        self, store: Store, tasks: TaskRunner, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.queue = ReviewQueue(store, tasks, user)
        self.queue.record_activated.connect(self.open_record)
        self.queue.records_changed.connect(self.records_changed)
        self.queue.status_message.connect(self.status_message)
        self.addWidget(self.queue)
        self.record_page: ReviewRecordPage | None = None

    @Slot(str, str)
    def open_record(self, form_id: str, record_id: str) -> None:
        self.leave_record()
        record = self.store.get(record_id)
        page = ReviewRecordPage(
            self.store,
            self.store.registry.get(form_id),
            record_id,
            self.user,
            school_name=self.queue.school_name(record.org),
        )
        page.back_requested.connect(self.leave_record)
        page.decided.connect(self._decided)
        page.status_message.connect(self.status_message)
        self.record_page = page
        self.addWidget(page)
        self.setCurrentWidget(page)
        self.record_shown.emit(True)

    @Slot()
    def leave_record(self) -> None:
        page = self.record_page
        if page is None:
            return
        page.flush()
        self.record_page = None
        self.setCurrentWidget(self.queue)
        self.record_shown.emit(False)
        self.removeWidget(page)
        page.deleteLater()

    def mark_stale(self) -> None:
        """Records changed (a sync): the queue reads them again, the open record too."""
        self.queue.mark_stale()
        if self.record_page is not None:
            self.record_page.reload()

    def flush(self) -> None:
        if self.record_page is not None:
            self.record_page.flush()

    def focus_search(self) -> None:
        self.leave_record()
        self.queue.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.queue.search_box.selectAll()

    @Slot(str)
    def _decided(self, _record_id: str) -> None:
        self.queue.mark_stale()
        self.records_changed.emit()
