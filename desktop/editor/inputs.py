"""One input widget per field type. Each gives the raw value `forms.coerce` takes, so what
the user typed is never lost or silently changed: text that is not a number stays text, and
coerce turns it into a message beside the field."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from forms import FieldDef, FieldType
from forms.definition import TEXT_TYPES

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _normalized(text: str) -> str:
    """Full-width digits and punctuation from a Chinese input method made plain."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(text: str, whole: bool) -> int | float | str | None:
    """The number in `text`, None when empty, else the text itself for coerce to report."""
    plain = _normalized(text).replace(",", "").replace(" ", "")
    if not plain:
        return None
    if _INTEGER.fullmatch(plain):
        return int(plain)
    if _DECIMAL.fullmatch(plain):
        number = float(plain)
        # 12.0 in an integer field is 12; 12.5 goes on to coerce, which explains.
        return int(number) if whole and number.is_integer() else number
    return text


def parse_date(text: str) -> str | None:
    """`text` as YYYY-MM-DD when it reads as a date (2026-9-1, 2026/09/01, 20260901,
    2026年9月1日), None when empty, else the text itself for coerce to report."""
    plain = _normalized(text)
    if not plain:
        return None
    match = _DATE.fullmatch(plain) or _COMPACT_DATE.fullmatch(plain)
    if match is None:
        return text
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return text


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


# The look of every read-only input (FieldInput.set_read_only); the drop-down arrow goes, as
# the calendar button does, since nothing can be chosen.
READ_ONLY_STYLE = """
QLineEdit, QPlainTextEdit, QComboBox, QListWidget, QTableWidget {
    background: palette(window);
}
QComboBox { border: 1px solid palette(mid); border-radius: 2px; padding: 1px 3px; }
QComboBox::drop-down { width: 0px; border: none; }
"""
_CHANGING_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
)


class FieldInput(QWidget):
    """The input of one field. `edited` is emitted for changes the user makes, never for
    `set_value`, so undo and autosave see only real edits."""

    edited = Signal()

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """Nothing can be changed, and every kind of input shows it the same way: the window's
        background behind values as readable as when editable (a disabled widget would grey
        them out), and no buttons that do nothing."""
        self._set_input_read_only(read_only)
        self.setStyleSheet(READ_ONLY_STYLE if read_only else "")

    def _set_input_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes keyboard focus for this field."""
        focus = self.focusProxy()
        assert focus is not None
        return focus

    def moves_on_enter(self) -> bool:
        """Whether Enter goes to the next field (not in multi-line text or tables)."""
        return True

    def shows_hint(self) -> bool:
        """Whether the input shows the field's hint itself, as placeholder text."""
        return False

    def retranslate_ui(self, lang: str) -> None:
        """Texts that come from the definition, in `lang` ("zh" or "en")."""

    def _add(self, widget: QWidget, stretch: int = 1) -> None:
        self._layout.addWidget(widget, stretch)


class _LineInput(FieldInput):
    """A single line edit, with the hint as placeholder and the unit after it."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line_edit = QLineEdit()
        # Full-width lines on a wide window are hard to read and look unfinished.
        self.line_edit.setMaximumWidth(560)
        self.line_edit.textEdited.connect(self.edited)
        self.setFocusProxy(self.line_edit)
        # The line edit takes what it may up to its maximum width, the stretch the rest.
        self._add(self.line_edit, 10)
        self._unit = QLabel()
        if field.unit is not None:
            self._add(self._unit, 0)
        self._layout.addStretch(1)

    def _set_input_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)

    def shows_hint(self) -> bool:
        return True

    def retranslate_ui(self, lang: str) -> None:
        if self.field.hint is not None:
            self.line_edit.setPlaceholderText(self.field.hint.get(lang))
        if self.field.unit is not None:
            self._unit.setText(self.field.unit.get(lang))


class TextInput(_LineInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        if field.max_length is not None:
            self.line_edit.setMaxLength(field.max_length)

    def value(self) -> str | None:
        return self.line_edit.text() or None

    def set_value(self, value: Any) -> None:
        text = display_text(value)
        # A stored value longer than the limit (an import, an older definition) is kept whole
        # and flagged by validation rather than cut off by the line edit.
        if self.field.max_length is not None:
            self.line_edit.setMaxLength(max(self.field.max_length, len(text)))
        self.line_edit.setText(text)


class NumberInput(_LineInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line_edit.setMaximumWidth(160)

    def value(self) -> int | float | str | None:
        return parse_number(self.line_edit.text(), self.field.type is FieldType.INTEGER)

    def set_value(self, value: Any) -> None:
        self.line_edit.setText(display_text(value))


class _CalendarPopup(QCalendarWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)


class DateInput(FieldInput):
    """A line edit that may stay empty (QDateEdit cannot), with a calendar popup on the
    button, Alt+Down or F4. Dates typed in common ways are read and shown as YYYY-MM-DD."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line_edit = QLineEdit()
        self.line_edit.setMaximumWidth(160)
        self.line_edit.textEdited.connect(self.edited)
        self.line_edit.editingFinished.connect(self._tidy)
        self.line_edit.installEventFilter(self)
        self.setFocusProxy(self.line_edit)
        self.calendar_button = QToolButton()
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        # Keyboard users type the date or press Alt+Down; the button is for the mouse.
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.show_calendar)
        self._add(self.line_edit, 0)
        self._add(self.calendar_button, 0)
        self._layout.addStretch(1)
        self._calendar: _CalendarPopup | None = None

    def value(self) -> str | None:
        return parse_date(self.line_edit.text())

    def set_value(self, value: Any) -> None:
        self.line_edit.setText(display_text(value))

    def _set_input_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
        self.calendar_button.setVisible(not read_only)

    def retranslate_ui(self, lang: str) -> None:
        self.line_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.calendar_button.setToolTip(self.tr("Choose from a calendar (Alt+Down)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            alt_down = event.key() == Qt.Key.Key_Down and (
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if (alt_down or event.key() == Qt.Key.Key_F4) and not self.line_edit.isReadOnly():
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def show_calendar(self) -> None:
        if self._calendar is None:
            self._calendar = _CalendarPopup(self)
            self._calendar.activated.connect(self._pick)
            self._calendar.clicked.connect(self._pick)
        value = self.value()
        shown = QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate()
        self._calendar.setSelectedDate(shown if shown.isValid() else QDate.currentDate())
        self._calendar.adjustSize()
        self._calendar.move(self.line_edit.mapToGlobal(self.line_edit.rect().bottomLeft()))
        self._calendar.show()
        self._calendar.setFocus()

    @Slot(QDate)
    def _pick(self, day: QDate) -> None:
        assert self._calendar is not None
        self._calendar.hide()
        self.line_edit.setText(day.toString("yyyy-MM-dd"))
        self.line_edit.setFocus()
        self.edited.emit()

    @Slot()
    def _tidy(self) -> None:
        value = self.value()
        if value is not None and value != self.line_edit.text():
            self.line_edit.setText(value)


class LongTextInput(FieldInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.text_edit = QPlainTextEdit()
        # Tab moves to the next field, as everywhere else in the form.
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.text_edit.setUndoRedoEnabled(False)
        self.text_edit.setMaximumWidth(720)
        self._setting = False
        self.text_edit.textChanged.connect(self._text_changed)
        self.setFocusProxy(self.text_edit)
        self._add(self.text_edit, 10)
        self._layout.addStretch(1)

    def value(self) -> str | None:
        return self.text_edit.toPlainText() or None

    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            self.text_edit.setPlainText(display_text(value))
        finally:
            self._setting = False

    def _set_input_read_only(self, read_only: bool) -> None:
        self.text_edit.setReadOnly(read_only)

    def moves_on_enter(self) -> bool:
        return False

    def shows_hint(self) -> bool:
        return True

    def retranslate_ui(self, lang: str) -> None:
        if self.field.hint is not None:
            self.text_edit.setPlaceholderText(self.field.hint.get(lang))

    @Slot()
    def _text_changed(self) -> None:
        if not self._setting:
            self.edited.emit()


class _ComboInput(FieldInput):
    """A combo box whose first, empty item means unanswered."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(160)
        self.combo.addItem("", None)
        # activated is the user's choice (mouse or keys); currentIndexChanged is also ours.
        self.combo.activated.connect(self.edited)
        self._read_only = False
        self.combo.installEventFilter(self)
        self.setFocusProxy(self.combo)
        self._add(self.combo, 0)
        self._layout.addStretch(1)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:
            # A value this version does not offer stays visible; coerce reports it.
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def _set_input_read_only(self, read_only: bool) -> None:
        # Not disabled (that greys the value out): clicks, the wheel and keys that would
        # change the choice are swallowed instead, and Tab still passes through.
        self._read_only = read_only

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._read_only and event.type() in _CHANGING_EVENTS:
            is_tab = isinstance(event, QKeyEvent) and event.key() in (
                Qt.Key.Key_Tab,
                Qt.Key.Key_Backtab,
            )
            if not is_tab:
                return True
        return super().eventFilter(watched, event)


class ChoiceInput(_ComboInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        for choice in field.choices:
            self.combo.addItem(choice.name, choice.name)

    def retranslate_ui(self, lang: str) -> None:
        for index, choice in enumerate(self.field.choices, start=1):
            self.combo.setItemText(index, choice.label.get(lang))


class YesNoInput(_ComboInput):
    """Yes, no, or unanswered: a check box cannot tell "no" from "not answered yet"."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo.setMinimumWidth(100)
        self.combo.addItem("", True)
        self.combo.addItem("", False)

    def retranslate_ui(self, lang: str) -> None:
        self.combo.setItemText(1, self.tr("Yes"))
        self.combo.setItemText(2, self.tr("No"))


class CheckListInput(FieldInput):
    """Choices to tick, laid out in columns; one tab stop, arrows move, Space ticks."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.list = QListWidget()
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._setting = False
        for choice in field.choices:
            item = QListWidgetItem(choice.name)
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.itemChanged.connect(self._item_changed)
        self.list.itemActivated.connect(self._toggle)
        self.setFocusProxy(self.list)
        self._add(self.list)
        self._fit_rows()

    def value(self) -> list[str] | None:
        chosen = [
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return chosen or None

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        self._setting = True
        try:
            for row in range(self.list.count()):
                item = self.list.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        finally:
            self._setting = False

    def _set_input_read_only(self, read_only: bool) -> None:
        flags = Qt.ItemFlag.ItemIsEnabled
        if not read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        for row in range(self.list.count()):
            self.list.item(row).setFlags(flags)

    def retranslate_ui(self, lang: str) -> None:
        for row, choice in enumerate(self.field.choices):
            self.list.item(row).setText(choice.label.get(lang))
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Columns as wide as the longest choice, and tall enough to show every choice at
        the current width, so nothing is cut off and nothing scrolls."""
        model = self.list.model()
        sizes = [self.list.sizeHintForIndex(model.index(row, 0)) for row in range(model.rowCount())]
        if not sizes:
            return
        cell = QSize(max(size.width() for size in sizes) + 24, max(s.height() for s in sizes) + 4)
        self.list.setGridSize(cell)
        frame = 2 * self.list.frameWidth()
        columns = max(1, (self.width() - frame - 4) // cell.width())
        rows = -(-len(sizes) // columns)
        self.list.setFixedHeight(rows * cell.height() + frame + 4)

    @Slot(QListWidgetItem)
    def _item_changed(self, _item: QListWidgetItem) -> None:
        if not self._setting:
            self.edited.emit()

    @Slot(QListWidgetItem)
    def _toggle(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)


def input_for(field: FieldDef, parent: QWidget | None = None) -> FieldInput:
    """The input widget for a field of any type but repeat groups (see repeat_table)."""
    kind = field.type
    if kind is FieldType.LONG_TEXT:
        return LongTextInput(field, parent)
    if kind in TEXT_TYPES:
        return TextInput(field, parent)
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        return NumberInput(field, parent)
    if kind is FieldType.DATE:
        return DateInput(field, parent)
    if kind is FieldType.BOOLEAN:
        return YesNoInput(field, parent)
    if kind is FieldType.SELECT_ONE:
        return ChoiceInput(field, parent)
    if kind is FieldType.SELECT_MULTIPLE:
        return CheckListInput(field, parent)
    raise ValueError(f"{field.name}: no input for {kind}")
