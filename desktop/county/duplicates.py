"""Duplicates and inconsistencies across the county's schools, for the county to act on: one
student in overlapping internships, one teacher in overlapping placements, one USCC under
different enterprise names. Each line opens into the records involved; double-click one to open
it.

    page = DuplicatesPage(store, tasks)
    page.record_activated.connect(window.open_record)
    page.refresh()
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.county.dashboard import named_schools
from desktop.i18n import definition_language
from desktop.records.status import ERROR_COLOR, MUTED_COLOR, status_text
from desktop.tasks import TaskRunner
from sync.reports import Duplicate, duplicates
from sync.store import RecordNotFoundError, Store
from sync.wire import RecordStatus

log = logging.getLogger(__name__)

_RECORD_ROLE = Qt.ItemDataRole.UserRole
_DUPLICATE_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_text(kind: str) -> str:
    names = {
        "student_overlap": QCoreApplication.translate(
            "Duplicates", "Student in overlapping internships"
        ),
        "teacher_overlap": QCoreApplication.translate(
            "Duplicates", "Teacher in overlapping placements"
        ),
        "uscc_names": QCoreApplication.translate(
            "Duplicates", "One USCC under different enterprise names"
        ),
    }
    return names.get(kind, kind)


def _read_duplicates(store: Store) -> tuple[list[Duplicate], list[tuple[str, str]]]:
    """Runs on a pool thread, with its own connection: what was found, and school names."""
    with store.for_thread() as own:
        return duplicates(own), named_schools(own)


class DuplicatesPage(QWidget):
    record_activated = Signal(str, str)  # form id, record id

    def __init__(self, store: Store, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.duplicates: list[Duplicate] = []
        self.school_names: dict[str, str] = {}
        # Records named once (form, status, school): a language switch names them again.
        self._described: dict[str, tuple[str, RecordStatus, str]] = {}
        self._asked = 0
        # Counted when first shown: counting scans every record.
        self._stale = True
        self._title = QLabel()
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._explanation = QLabel()
        self._explanation.setWordWrap(True)
        self._explanation.setStyleSheet(f"color: {MUTED_COLOR};")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self._count = QLabel()
        self._error = QLabel()
        self._error.setStyleSheet(f"color: {ERROR_COLOR};")
        self._error.setWordWrap(True)
        self._error.hide()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemExpanded.connect(self._describe_records)
        self.tree.itemActivated.connect(self._activate)
        bar = QHBoxLayout()
        bar.addWidget(self._title)
        bar.addStretch(1)
        bar.addWidget(self._count)
        bar.addWidget(self.busy)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._explanation)
        layout.addWidget(self._error)
        layout.addWidget(self.tree, 1)
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

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        self._asked += 1
        asked = self._asked
        self.busy.show()
        self.refresh_button.setEnabled(False)
        self.tasks.run_task(
            lambda: _read_duplicates(self.store),
            lambda found: self._answered(asked, found),
            lambda error: self._failed(asked, error),
        )

    def _answered(self, asked: int, answer: tuple[list[Duplicate], list[tuple[str, str]]]) -> None:
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self.busy.hide()
        self.refresh_button.setEnabled(True)
        self._error.hide()
        found, known_schools = answer
        self._described = {}
        self.school_names = dict(known_schools)
        self.show_duplicates(found)

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked or not shiboken6.isValid(self):
            return
        self.busy.hide()
        self.refresh_button.setEnabled(True)
        log.error("duplicates failed", exc_info=error)
        self._error.setText(self.tr("The duplicates could not be found: {0}").format(error))
        self._error.show()

    def show_duplicates(self, found: list[Duplicate]) -> None:
        self.duplicates = found
        lang = definition_language(QLocale().name())
        self.tree.clear()
        separator = "、" if lang == "zh" else ", "
        for duplicate in found:
            names = [self.school_names.get(code, code) for code in duplicate.schools]
            item = QTreeWidgetItem(
                [
                    kind_text(duplicate.kind),
                    duplicate.key,
                    separator.join(names),
                    duplicate.detail_zh if lang == "zh" else duplicate.detail_en,
                ]
            )
            item.setData(0, _DUPLICATE_ROLE, duplicate)
            item.setToolTip(3, item.text(3))
            for record_id in duplicate.record_ids:
                child = QTreeWidgetItem([record_id[:8]])
                child.setData(0, _RECORD_ROLE, record_id)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._count.setText(self.tr("{0} found").format(len(found)))

    @Slot(QTreeWidgetItem)
    def _describe_records(self, item: QTreeWidgetItem) -> None:
        """Each record involved, named once its line is opened (a few reads, not thousands)."""
        lang = definition_language(QLocale().name())
        for index in range(item.childCount()):
            child = item.child(index)
            record_id = child.data(0, _RECORD_ROLE)
            if record_id not in self._described:
                try:
                    record = self.store.get(record_id)
                except RecordNotFoundError:
                    child.setText(1, self.tr("(no longer on this computer)"))
                    continue
                self._described[record_id] = (record.form, record.status, record.org)
            form_id, status, org = self._described[record_id]
            child.setData(1, _RECORD_ROLE, form_id)
            child.setText(0, self.store.registry.get(form_id).title.get(lang))
            child.setText(1, status_text(status))
            child.setText(2, self.school_names.get(org, org))
            child.setText(3, self.tr("Double-click to open · {0}").format(record_id[:8]))

    @Slot(QTreeWidgetItem)
    def _activate(self, item: QTreeWidgetItem) -> None:
        record_id = item.data(0, _RECORD_ROLE)
        if not record_id:
            return
        form_id = item.data(1, _RECORD_ROLE)
        if not form_id:
            try:
                form_id = self.store.get(record_id).form
            except RecordNotFoundError:
                return
        self.record_activated.emit(form_id, record_id)

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Duplicates and inconsistencies"))
        self._explanation.setText(
            self.tr(
                "The same student, teacher or enterprise recorded in ways that cannot all be"
                " right, across the county's schools. Open a line to see the records involved;"
                " double-click a record to open it."
            )
        )
        self.refresh_button.setText(self.tr("Refresh"))
        self.tree.setHeaderLabels(
            [self.tr("Kind"), self.tr("Key"), self.tr("Schools"), self.tr("Detail")]
        )
        if self.duplicates:
            expanded = {
                index
                for index in range(self.tree.topLevelItemCount())
                if self.tree.topLevelItem(index).isExpanded()
            }
            self.show_duplicates(self.duplicates)
            for index in expanded:
                self.tree.topLevelItem(index).setExpanded(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
