"""The "needs attention" view: records in conflict, records the hub rejected and records the
county returned, each with what was said about it, across every form."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import definition_language
from desktop.pages import StorePage
from desktop.records.status import ERROR_COLOR, WARNING_COLOR, dot_icon
from desktop.rejections import rejection_text
from forms import FieldType, FormDefinition
from sync.store import ListRow, RecordQuery, Store
from sync.wire import RecordStatus, RejectCode

# More than a clerk can work through at once; the list pages show the rest.
LIMIT_PER_KIND = 200
_FORM_ROLE = Qt.ItemDataRole.UserRole
_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class AttentionItem:
    form: FormDefinition
    row: ListRow
    kind: str  # "conflict", "rejected" or "returned"
    detail: str


def _title(form: FormDefinition, row: ListRow) -> str:
    """The record's first text column (a name), else the start of its id."""
    for field in form.fields:
        if field.list_column and field.type is FieldType.TEXT and row.columns.get(field.name):
            return str(row.columns[field.name])
    return row.id[:8]


class AttentionPage(StorePage):
    record_activated = Signal(str, str)  # form id, record id

    def __init__(
        self, store: Store, *, reviewer: bool = False, parent: QWidget | None = None
    ) -> None:
        """`reviewer=True` for a county reviewer: records it returned wait for the school, not
        for it, and a decision refused because the record changed is to be made again."""
        super().__init__(parent)
        self.store = store
        self._reviewer = reviewer
        self._title = QLabel()
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._explanation = QLabel()
        self._explanation.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._explanation)
        layout.addWidget(self.tree, 1)
        self.items: list[AttentionItem] = []
        # Collected when first shown: finding them scans every form's records.
        self.retranslate_ui()

    def refresh(self) -> None:
        self.items = self._collect()
        lang = definition_language(QLocale().name())
        self.tree.clear()
        kinds = {
            "conflict": (self.tr("Conflict"), ERROR_COLOR),
            "rejected": (self.tr("Rejected by the hub"), ERROR_COLOR),
            "returned": (self.tr("Returned by the county"), WARNING_COLOR),
        }
        for item in self.items:
            words, color = kinds[item.kind]
            tree_item = QTreeWidgetItem(
                [
                    words,
                    item.form.title.get(lang),
                    _title(item.form, item.row),
                    item.detail,
                ]
            )
            tree_item.setIcon(0, dot_icon(color))
            tree_item.setData(0, _FORM_ROLE, item.form.id)
            tree_item.setData(0, _ID_ROLE, item.row.id)
            tree_item.setToolTip(3, item.detail)
            self.tree.addTopLevelItem(tree_item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._explanation.setText(
            self.tr("Nothing needs your attention.")
            if not self.items
            else self.tr(
                "These records wait for you: open one (double-click or Enter) to fix it. "
                "Edits to a rejected or conflicting record are held until it is fixed."
            )
        )

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Needs attention"))
        self.tree.setHeaderLabels(
            [self.tr("Why"), self.tr("Form"), self.tr("Record"), self.tr("What was said")]
        )
        self.mark_stale()

    def _collect(self) -> list[AttentionItem]:
        lang = definition_language(QLocale().name())
        found: list[AttentionItem] = []
        seen: set[str] = set()
        for form in self.store.registry.latest():
            kinds = [
                ("conflict", RecordQuery(form=form.id, has_conflict=True)),
                ("rejected", RecordQuery(form=form.id, needs_attention=True)),
            ]
            if not self._reviewer:
                kinds.append(
                    ("returned", RecordQuery(form=form.id, statuses=(RecordStatus.RETURNED,)))
                )
            for kind, query in kinds:
                for row in self.store.list_records(query, limit=LIMIT_PER_KIND).rows:
                    if row.id in seen:
                        continue
                    seen.add(row.id)
                    found.append(
                        AttentionItem(form, row, kind, self._detail(form, kind, row, lang))
                    )
        return found

    def _detail(self, form: FormDefinition, kind: str, row: ListRow, lang: str) -> str:
        record = self.store.get(row.id)
        if kind == "conflict" and record.conflict is not None:
            fields = ", ".join(form.label(field.path, lang) for field in record.conflict.fields)
            return self.tr("Changed here and on the hub ({0}) at the same time: {1}").format(
                record.conflict.by, fields
            )
        if kind == "rejected":
            if self._reviewer and any(error.code is RejectCode.STALE for error in record.attention):
                return self.tr(
                    "Changed since you reviewed it: the hub did not take your decision. "
                    "Open it to review it again."
                )
            return " ".join(rejection_text(error, record, lang) for error in record.attention)
        if record.review is not None:
            comment = record.review.comment or self.tr("(no comment)")
            return self.tr("{0}: {1}").format(record.review.by, comment)
        return ""

    @Slot(QTreeWidgetItem, int)
    def _activate(self, item: QTreeWidgetItem, _column: int) -> None:
        self.record_activated.emit(item.data(0, _FORM_ROLE), item.data(0, _ID_ROLE))
