"""A record's history: every revision this computer received from the hub, with who, when and
what changed (field labels, old → new values), edits not yet sent, and what users did to the
record on this computer.

    HistoryDialog(store, record_id, parent=window).exec()
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.values import (
    ROW_KEY,
    field_at,
    local_time,
    path_label,
    record_title,
    unanswered,
    value_text,
)
from desktop.i18n import definition_language
from desktop.records.status import status_text
from forms import FieldType, FormDefinition, to_wire
from sync.store import AuditEntry, Revision, Store

MUTED_COLOR = "#667085"


@dataclass(frozen=True)
class Change:
    """One path whose value differs between two versions (wire values, None = unanswered)."""

    path: str
    before: Any
    after: Any


def _answered(value: Any) -> Any:
    return None if value in (None, "", []) else value


def field_changes(
    form: FormDefinition, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[Change]:
    """What changed from `before` to `after`, in the definition's field order; repeat rows
    are matched by their `_row` id, so an added or removed row lists each of its values."""
    changes: list[Change] = []
    for field in form.fields:
        old, new = _answered(before.get(field.name)), _answered(after.get(field.name))
        if field.type is FieldType.REPEAT:
            changes.extend(_row_changes(field.name, old or [], new or []))
        elif old != new:
            changes.append(Change(field.name, old, new))
    return changes


def _row_changes(
    group: str, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> Iterator[Change]:
    old_rows = {row.get(ROW_KEY): row for row in before}
    new_rows = {row.get(ROW_KEY): row for row in after}
    for row_id in dict.fromkeys([*new_rows, *old_rows]):
        old_row, new_row = old_rows.get(row_id, {}), new_rows.get(row_id, {})
        for child in dict.fromkeys([*new_row, *old_row]):
            if child == ROW_KEY:
                continue
            old, new = _answered(old_row.get(child)), _answered(new_row.get(child))
            if old != new:
                yield Change(f"{group}[{row_id}].{child}", old, new)


def action_text(action: str) -> str:
    """What a user did, from the store's audit."""
    actions = {
        "save": QCoreApplication.translate("HistoryDialog", "Edited"),
        "submit": QCoreApplication.translate("HistoryDialog", "Submitted"),
        "withdraw": QCoreApplication.translate("HistoryDialog", "Withdrew"),
        "review": QCoreApplication.translate("HistoryDialog", "Reviewed"),
        "delete": QCoreApplication.translate("HistoryDialog", "Deleted"),
        "resolve": QCoreApplication.translate("HistoryDialog", "Resolved a conflict"),
    }
    return actions.get(action, action)


class HistoryDialog(QDialog):
    """Every revision of one record, newest first, each with who, when and its changes."""

    def __init__(self, store: Store, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        record = store.get(record_id)
        history = store.history(record_id)
        self.form = store.registry.get(record.form)
        self.revisions: list[Revision] = history.revisions
        self.audit: list[AuditEntry] = history.audit
        self.local = to_wire(self.form, record.fields)
        # Local edits the hub has not answered yet, shown above the revisions.
        self.pending = record.pending
        self.local_status = record.status
        self.local_by = record.updated_by
        self.local_at = record.updated_at
        self._title_text = record_title(self.form, self.local)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = definition_language(QLocale().name())
        self.setWindowTitle(self.tr("Record history"))
        title = self.form.title.get(lang)
        self.title.setText(f"{title} · {self._title_text}" if self._title_text else title)
        self.note.setText(
            self.tr(
                "The versions this computer received from the hub, newest first. Edits "
                "merged by the hub show as versions of their own."
            )
        )
        self.tree.setHeaderLabels([self.tr("Change"), self.tr("Before"), self.tr("After")])
        self._fill(lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _fill(self, lang: str) -> None:
        self.tree.clear()
        newest = self.revisions[-1] if self.revisions else None
        if self.pending:
            item = self._heading(
                self.tr("Not sent to the hub yet · {0} · {1}").format(
                    self.local_by, local_time(self.local_at)
                )
            )
            before_status = newest.status if newest is not None else None
            self._add_changes(
                item,
                newest.fields if newest is not None else {},
                self.local,
                before_status,
                self.local_status,
                lang,
            )
        for index in range(len(self.revisions) - 1, -1, -1):
            revision = self.revisions[index]
            previous = self.revisions[index - 1] if index > 0 else None
            item = self._heading(
                self.tr("Version {0} · {1} · {2} · {3}").format(
                    revision.rev,
                    revision.updated_by,
                    local_time(revision.updated_at),
                    status_text(revision.status),
                )
            )
            if revision.deleted and (previous is None or not previous.deleted):
                self._child(item, self.tr("Deleted"), "", "")
            self._add_changes(
                item,
                previous.fields if previous is not None else {},
                revision.fields,
                previous.status if previous is not None else None,
                revision.status,
                lang,
            )
        if self.audit:
            item = self._heading(self.tr("On this computer"))
            for entry in reversed(self.audit):
                self._child(item, action_text(entry.action), local_time(entry.at), entry.user)
        if not self.tree.topLevelItemCount():
            self._heading(self.tr("No versions yet: the record has not been synced."))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 420))
        self.tree.setColumnWidth(1, 280)

    def _heading(self, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [text])
        item.setFirstColumnSpanned(True)
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        return item

    def _child(self, parent: QTreeWidgetItem, what: str, before: str, after: str) -> None:
        child = QTreeWidgetItem(parent, [what, before, after])
        for column in (1, 2):
            child.setToolTip(column, child.text(column))

    def _add_changes(
        self,
        item: QTreeWidgetItem,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        before_status: Any,
        after_status: Any,
        lang: str,
    ) -> None:
        if before_status is not None and before_status != after_status:
            self._child(
                item, self.tr("Status"), status_text(before_status), status_text(after_status)
            )
        changes = field_changes(self.form, before, after)
        for change in changes:
            field = field_at(self.form, change.path)
            # A new record has no "before": its values are simply listed.
            old = value_text(field, change.before, lang) or (unanswered() if before else "")
            self._child(
                item,
                path_label(self.form, change.path, lang, after, before),
                old,
                value_text(field, change.after, lang) or unanswered(),
            )
        if not changes and item.childCount() == 0:
            none = QTreeWidgetItem(item, [self.tr("No field changed")])
            none.setForeground(0, QBrush(QColor(MUTED_COLOR)))
            none.setFirstColumnSpanned(True)
