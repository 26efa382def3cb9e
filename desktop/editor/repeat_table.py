"""A repeat group (partners, funding sources) as an editable table: one row per entry, one
column per child field, rows added and removed with buttons. Each row keeps the `_row` id it
was created with, so issues, conflicts and merges refer to the same row on every device."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.inputs import FieldInput, display_text, parse_date, parse_number
from forms import FieldDef, FieldType, Issue, Severity

ROW_ID_ROLE = Qt.ItemDataRole.UserRole
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1

ERROR_BACKGROUND = QColor("#fde2e1")
WARNING_BACKGROUND = QColor("#fdf0d5")

_Index = QModelIndex | QPersistentModelIndex


def _choices(child: FieldDef, lang: str, yes: str, no: str) -> list[tuple[str, Any]]:
    if child.type is FieldType.BOOLEAN:
        return [(yes, True), (no, False)]
    return [(choice.label.get(lang), choice.name) for choice in child.choices]


def _cell_value(child: FieldDef, text: str) -> Any:
    if child.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return parse_number(text, child.type is FieldType.INTEGER)
    if child.type is FieldType.DATE:
        return parse_date(text)
    return text or None


class _CellDelegate(QStyledItemDelegate):
    """Combo boxes for choice columns, line edits (with the length limit) for the rest."""

    def __init__(self, table: RepeatGroupInput) -> None:
        super().__init__(table)
        self._group = table

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        child = self._group.field.fields[index.column()]
        if child.type in (FieldType.SELECT_ONE, FieldType.BOOLEAN):
            combo = QComboBox(parent)
            combo.addItem("", None)
            for label, value in self._group.choices(child):
                combo.addItem(label, value)
            return combo
        line_edit = QLineEdit(parent)
        if child.max_length is not None:
            line_edit.setMaxLength(child.max_length)
        return line_edit

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.data(VALUE_ROLE)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0) if value is not None else 0)
        elif isinstance(editor, QLineEdit):
            text = display_text(value)
            editor.setMaxLength(max(editor.maxLength(), len(text)))
            editor.setText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        child = self._group.field.fields[index.column()]
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            text = editor.currentText() if value is not None else ""
        else:
            assert isinstance(editor, QLineEdit)
            value = _cell_value(child, editor.text())
            text = display_text(value)
        if value == index.data(VALUE_ROLE):
            return
        model.setData(index, value, VALUE_ROLE)
        model.setData(index, text, Qt.ItemDataRole.DisplayRole)


class RepeatGroupInput(FieldInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._lang = "zh"
        self.table = QTableWidget(0, len(field.fields))
        self.table.setItemDelegate(_CellDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # A long label in a narrow column ends in "…" (its tooltip has it whole), rather than
        # losing both ends as a centred, clipped header does.
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(self._edit_triggers)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(self._update_buttons)
        self.table.installEventFilter(self)
        self._setting = False
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_current_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        column.addLayout(buttons)
        self._layout.addLayout(column)
        self.setFocusProxy(self.table)
        self._fit_height()
        self._update_buttons()

    def choices(self, child: FieldDef) -> list[tuple[str, Any]]:
        return _choices(child, self._lang, self.tr("Yes"), self.tr("No"))

    def row_ids(self) -> list[str]:
        return [self._row_id(row) for row in range(self.table.rowCount())]

    def row_number(self, row_id: str) -> int | None:
        """The 1-based row number users see for a `_row` id."""
        ids = self.row_ids()
        return ids.index(row_id) + 1 if row_id in ids else None

    def value(self) -> list[dict[str, Any]] | None:
        rows = []
        for row in range(self.table.rowCount()):
            entry: dict[str, Any] = {"_row": self._row_id(row)}
            for column, child in enumerate(self.field.fields):
                item = self.table.item(row, column)
                value = item.data(VALUE_ROLE) if item is not None else None
                if value is not None:
                    entry[child.name] = value
            rows.append(entry)
        return rows or None

    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            self.table.setRowCount(0)
            for entry in value or ():
                self._append_row(entry.get("_row") or str(uuid.uuid4()), entry)
        finally:
            self._setting = False
        self._fit_height()
        self._update_buttons()

    def _set_input_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only else self._edit_triggers
        )
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)

    def moves_on_enter(self) -> bool:
        return False

    def retranslate_ui(self, lang: str) -> None:
        self._lang = lang
        required = " *"
        labels = [
            child.label.get(lang) + (required if child.required is True else "")
            for child in self.field.fields
        ]
        self.table.setHorizontalHeaderLabels(labels)
        for column, label in enumerate(labels):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(label)
        self.add_button.setText(self.tr("Add row"))
        self.remove_button.setText(self.tr("Remove row"))
        self._setting = True
        try:
            for row in range(self.table.rowCount()):
                for column, child in enumerate(self.field.fields):
                    item = self.table.item(row, column)
                    if item is not None:
                        item.setText(self._display(child, item.data(VALUE_ROLE)))
        finally:
            self._setting = False

    def show_issues(self, issues: list[Issue]) -> None:
        """Tint the cells with issues and put the messages on them as tooltips."""
        by_cell: dict[tuple[str, str], list[Issue]] = {}
        for issue in issues:
            row_id, _, child = issue.path.partition("[")[2].partition("].")
            by_cell.setdefault((row_id, child), []).append(issue)
        lang = self._lang
        for row in range(self.table.rowCount()):
            row_id = self._row_id(row)
            for column, child in enumerate(self.field.fields):
                item = self.table.item(row, column)
                if item is None:
                    continue
                cell_issues = by_cell.get((row_id, child.name), [])
                if not cell_issues:
                    background = QBrush()
                elif any(issue.severity is Severity.ERROR for issue in cell_issues):
                    background = QBrush(ERROR_BACKGROUND)
                else:
                    background = QBrush(WARNING_BACKGROUND)
                self._setting = True
                try:
                    item.setBackground(background)
                    item.setToolTip("\n".join(issue.message(lang) for issue in cell_issues))
                finally:
                    self._setting = False

    def focus_cell(self, row_id: str, child_name: str) -> None:
        row = self.row_ids().index(row_id) if row_id in self.row_ids() else 0
        names = [child.name for child in self.field.fields]
        column = names.index(child_name) if child_name in names else 0
        self.table.setCurrentCell(row, column)
        self.table.setFocus()

    @Slot()
    def add_row(self) -> None:
        self._setting = True
        try:
            self._append_row(str(uuid.uuid4()), {})
        finally:
            self._setting = False
        self._fit_height()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.setFocus()
        self.edited.emit()

    @Slot()
    def remove_current_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        self._renumber()
        self._fit_height()
        self._update_buttons()
        self.edited.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Tab goes from cell to cell, and out of the table after the last cell instead of
        # wrapping to the first: keyboard users must be able to leave.
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            last_row, last_column = self.table.rowCount() - 1, self.table.columnCount() - 1
            at = (self.table.currentRow(), self.table.currentColumn())
            if event.key() == Qt.Key.Key_Tab and at == (last_row, last_column):
                self.add_button.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if event.key() == Qt.Key.Key_Backtab and at in ((0, 0), (-1, -1)):
                self._focus_before_table()
                return True
        return super().eventFilter(watched, event)

    def _focus_before_table(self) -> None:
        widget = self.table.previousInFocusChain()
        while widget is not self.table:
            if (
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.isVisible()
                and widget.isEnabled()
            ):
                widget.setFocus(Qt.FocusReason.BacktabFocusReason)
                return
            widget = widget.previousInFocusChain()

    @property
    def _edit_triggers(self) -> QAbstractItemView.EditTrigger:
        return (
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    def _display(self, child: FieldDef, value: Any) -> str:
        for label, choice in self.choices(child):
            if value is not None and choice == value:
                return label
        return display_text(value)

    def _append_row(self, row_id: str, entry: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        header = QTableWidgetItem(str(row + 1))
        header.setData(ROW_ID_ROLE, row_id)
        self.table.setVerticalHeaderItem(row, header)
        for column, child in enumerate(self.field.fields):
            value = entry.get(child.name)
            item = QTableWidgetItem(self._display(child, value))
            item.setData(VALUE_ROLE, value)
            self.table.setItem(row, column, item)

    def _row_id(self, row: int) -> str:
        header = self.table.verticalHeaderItem(row)
        return str(header.data(ROW_ID_ROLE))

    def _renumber(self) -> None:
        for row in range(self.table.rowCount()):
            self.table.verticalHeaderItem(row).setText(str(row + 1))

    def _fit_height(self) -> None:
        """Every row visible: the form scrolls, not the table."""
        rows = max(self.table.rowCount(), 1)
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row_height + 2 * self.table.frameWidth() + 2)

    @Slot()
    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.currentRow() >= 0)

    @Slot(QTableWidgetItem)
    def _item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._setting:
            self.edited.emit()
