"""The form editor: one record of one form, built from its definition.

The editor does not talk to the store. It takes a definition and the record's values, and
says what the user wants by signals carrying the wire values (dates as "YYYY-MM-DD",
unanswered fields left out); the window saves them and answers with `set_save_state`.

    editor = FormEditor(registry.get("internship"), record.fields)
    editor.autosave_requested.connect(save_draft)     # 300 ms after the last edit, and on hide
    editor.save_requested.connect(save_draft)         # Ctrl+S
    editor.submit_requested.connect(submit)           # Ctrl+Enter, only without errors
    editor.issues_changed.connect(update_submit_button)
"""

from __future__ import annotations

import datetime
import html
import itertools
from enum import Enum
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.checking import coerce_leniently, field_conditions, problem_issue
from desktop.editor.inputs import FieldInput, input_for
from desktop.editor.repeat_table import RepeatGroupInput
from desktop.i18n import definition_language
from forms import (
    FieldDef,
    FieldType,
    FormDefinition,
    Issue,
    Problem,
    Severity,
    has_errors,
    issues_of_typed,
    to_wire,
)

ERROR_COLOR = "#b42318"
WARNING_COLOR = "#a15c07"
HINT_COLOR = "#667085"
SUCCESS_COLOR = "#18794e"
PATH_ROLE = Qt.ItemDataRole.UserRole
# Ctrl+Shift+Z redoes on every platform (Windows' standard Redo is Ctrl+Y).
_REDO = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_Z


class SaveState(Enum):
    SAVED = "saved"
    SAVING = "saving"
    UNSAVED = "unsaved"


class _FieldRow:
    """The widgets of one top-level field: its label, input, hint and messages."""

    def __init__(self, editor: FormEditor, field_input: FieldInput) -> None:
        self.field = field_input.field
        self.input = field_input
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.label.setBuddy(field_input.focus_widget())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {HINT_COLOR};")
        # Line edits show the hint as placeholder text; other inputs have no room for it.
        self.hint.setVisible(self.field.hint is not None and not field_input.shows_hint())
        self.required = False
        self.messages = QLabel()
        self.messages.setTextFormat(Qt.TextFormat.RichText)
        self.messages.setWordWrap(True)
        self.messages.hide()
        self.body = QWidget(editor)
        column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field_input)
        column.addWidget(self.hint)
        column.addWidget(self.messages)

    def retranslate(self, lang: str) -> None:
        self.show_label(lang, self.required)
        hint = self.field.hint.get(lang) if self.field.hint is not None else ""
        self.hint.setText(hint)
        self.label.setToolTip(hint)
        self.input.setToolTip(hint)
        self.input.retranslate_ui(lang)

    def show_label(self, lang: str, required: bool) -> None:
        self.required = required
        # A no-break space keeps the marker with the last word when the label wraps.
        marker = f'<span style="color:{ERROR_COLOR}">&nbsp;*</span>' if required else ""
        self.label.setText(html.escape(self.field.label.get(lang)) + marker)


class FieldEdit(QUndoCommand):
    """One change of one field. Typing in a field without leaving it is one step."""

    def __init__(self, editor: FormEditor, name: str, before: Any, after: Any, session: int):
        super().__init__()
        self._editor = editor
        self.name = name
        self.before = before
        self.after = after
        self.session = session
        self._done = True  # the user already made the change in the widget
        self.setText(editor.form.field(name).label.get(editor.lang))

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldEdit):
            return False
        if other.name != self.name or other.session != self.session:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._editor.restore_answer(self.name, self.after)

    def undo(self) -> None:
        self._editor.restore_answer(self.name, self.before)


class FormEditor(QWidget):
    # object, not dict: a dict would cross as a QVariantMap, whose integers wrap at 64 bits
    # (99999999999999999999 arrived as -1).
    autosave_requested = Signal(object)
    save_requested = Signal(object)
    submit_requested = Signal(object)
    issues_changed = Signal(list)

    AUTOSAVE_DELAY_MS = 300
    # After a save failed (the data file busy, the disk full): how soon autosave tries again.
    RETRY_DELAY_MS = 5000

    def __init__(
        self,
        form: FormDefinition,
        values: dict[str, Any] | None = None,
        *,
        read_only: bool = False,
        show_all_messages: bool = False,
        today: datetime.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`show_all_messages`: every message beside its field from the start (a saved record
        opened again), not only beside fields answered or left (a new record)."""
        super().__init__(parent)
        self.form = form
        self.read_only = read_only
        self._today = today
        self.lang = definition_language(QLocale().name())
        self.undo_stack = QUndoStack(self)
        self._answers: dict[str, Any] = {}
        self._typed: dict[str, Any] = {}
        self._hidden: frozenset[str] = frozenset()
        self._required: frozenset[str] = frozenset()
        self.issues: list[Issue] = []
        self._dirty = False
        self._save_state = SaveState.SAVED
        self._saved_at: datetime.datetime | None = None
        self._edit_session = 0
        # Messages beside a field appear once it was answered or left, or after a submit
        # attempt: a new, empty record should not open covered in "fill in" messages. A saved
        # record shows them all at once: its errors are what the clerk came back to fix.
        self._touched = {name for name, value in (values or {}).items() if value is not None}
        self._show_all_messages = show_all_messages
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(self.AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.flush_autosave)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(self.RETRY_DELAY_MS)
        self._retry_timer.timeout.connect(self.flush_autosave)
        # Coercion problems the store found in a save that the editor's own check let through.
        self._save_problems: list[Issue] = []
        self._rows = {field.name: self._make_row(field) for field in form.fields}
        self._build_layout()
        self._connect_keys()
        for name, row in self._rows.items():
            row.input.set_value((values or {}).get(name))
            self._answers[name] = row.input.value()
            row.input.edited.connect(lambda name=name: self._on_edited(name))
        self.set_read_only(read_only)
        self._revalidate()
        self.retranslate_ui()
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # What the window uses.

    def values(self) -> dict[str, Any]:
        """The answers in wire format. Fields that do not apply (relevance) are left out but
        kept in their inputs, so answering the question that hid them brings them back."""
        shown = {name: value for name, value in self._typed.items() if name not in self._hidden}
        return to_wire(self.form, shown)

    def input_of(self, name: str) -> FieldInput:
        """The input widget of a top-level field."""
        return self._rows[name].input

    def has_errors(self) -> bool:
        return has_errors(self.issues)

    def has_unsaved_changes(self) -> bool:
        """Whether something typed has not reached the store (not saved yet, or saving failed)."""
        return self._dirty

    def set_save_state(self, state: SaveState, saved_at: datetime.datetime | None = None) -> None:
        """What the store answered: SAVED (with when), or UNSAVED when saving failed."""
        if state is SaveState.SAVED and self._dirty:
            state = SaveState.UNSAVED  # edited again while the store was saving
        if state is SaveState.UNSAVED:
            self._dirty = True  # saving failed: try again on the next edit, hide or close
        self._save_state = state
        if saved_at is not None:
            self._saved_at = saved_at
        self._show_save_state()

    def save_failed(self) -> None:
        """Saving failed for a reason that may pass (the data file busy, the disk full): the
        edits stay unsaved and autosave tries again in a few seconds."""
        self.set_save_state(SaveState.UNSAVED)
        self._retry_timer.start()

    def show_save_problems(self, problems: list[Problem]) -> None:
        """Values the store refused to read (forms.CoercionError of a save): an error beside
        each field until it is edited, like the values the editor itself cannot read."""
        self._save_problems = [problem_issue(problem) for problem in problems]
        self._touched |= {problem.path.partition("[")[0] for problem in problems}
        self._revalidate()

    def set_read_only(self, read_only: bool) -> None:
        """Read-only for reviewing: values shown, nothing editable, nothing saved."""
        self.read_only = read_only
        for row in self._rows.values():
            row.input.set_read_only(read_only)
        for shortcut in self._shortcuts:
            shortcut.setEnabled(not read_only)
        self._save_state_label.setVisible(not read_only)

    def set_shortcut_scope(self, scope: QWidget) -> None:
        """Ctrl+S and Ctrl+Enter work while the focus is anywhere in `scope` (the page holding
        this editor and its buttons): Tab out of the last field reaches the buttons, and with
        no issue to list the panel that used to end the form is folded away."""
        for shortcut in self._shortcuts:
            shortcut.setParent(scope)

    def focus_field(self, path: str) -> None:
        """Show and focus the input of a path (`field` or `group[<row>].field`)."""
        name, _, rest = path.partition("[")
        row = self._rows.get(name)
        if row is None or name in self._hidden:
            return
        self._scroll.ensureWidgetVisible(row.body, 40, 80)
        if isinstance(row.input, RepeatGroupInput) and rest:
            row_id, _, child = rest.partition("].")
            row.input.focus_cell(row_id, child)
        else:
            row.input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def flush_autosave(self) -> None:
        """Emit autosave_requested now if anything changed since the last save."""
        self._autosave_timer.stop()
        self._retry_timer.stop()
        if not self._dirty or self.read_only:
            return
        self._dirty = False
        self._save_state = SaveState.SAVING
        self._show_save_state()
        self.autosave_requested.emit(self.values())

    @Slot()
    def request_save(self) -> None:
        self._autosave_timer.stop()
        self._retry_timer.stop()
        self._dirty = False
        self._save_state = SaveState.SAVING
        self._show_save_state()
        self.save_requested.emit(self.values())

    @Slot()
    def request_submit(self) -> None:
        """Submit when nothing blocks it; else go to the first error."""
        errors = [issue for issue in self.issues if issue.severity is Severity.ERROR]
        if errors:
            self._show_all_messages = True
            self._show_issues()
            self.focus_field(errors[0].path)
            return
        self.flush_autosave()
        self.submit_requested.emit(self.values())

    def retranslate_ui(self) -> None:
        self.lang = definition_language(QLocale().name())
        self._title.setText(self.form.title.get(self.lang))
        self._summary_title.setText(self.tr("Problems"))
        for name, row in self._rows.items():
            row.required = name in self._required
            row.retranslate(self.lang)
        self._fit_label_column()
        self._show_issues()
        self._show_save_state()

    def _fit_label_column(self) -> None:
        """Labels on one line where they fit in a column of up to 18 em; longer ones wrap.
        A wrapped QLabel asks for little width, so without this English labels broke into
        three short lines."""
        metrics = self.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(row.field.label.get(self.lang) + " *")
            for row in self._rows.values()
        )
        width = min(widest + 4, metrics.horizontalAdvance("M") * 18)
        for row in self._rows.values():
            row.label.setMinimumWidth(width)

    # Qt events.

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the editor (another page, closing the window) saves what was typed.
        self.flush_autosave()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_autosave()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo_stack.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo) or event.keyCombination() == (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.ShiftModifier
                | Qt.Key.Key_Z
            ):
                self.undo_stack.redo()
                return True
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and plain == Qt.KeyboardModifier.NoModifier and watched in self._enter_moves:
                self._focus_next_field(watched)
                return True
        return super().eventFilter(watched, event)

    # Building.

    def _make_row(self, field: FieldDef) -> _FieldRow:
        field_input = (
            RepeatGroupInput(field) if field.type is FieldType.REPEAT else input_for(field)
        )
        return _FieldRow(self, field_input)

    def _build_layout(self) -> None:
        self._title = QLabel()
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._save_state_label = QLabel()
        self._save_state_label.setStyleSheet(f"color: {HINT_COLOR};")
        # With nothing to list, the issue panel folds away and this says so in the header.
        self._no_issues_label = QLabel()
        self._no_issues_label.setStyleSheet(f"color: {SUCCESS_COLOR};")
        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self._no_issues_label)
        header.addSpacing(12)
        header.addWidget(self._save_state_label)

        page = QWidget()
        page_column = QVBoxLayout(page)
        self._form_layout = QFormLayout()
        page_column.addLayout(self._form_layout)
        # Spare height below the last field, not between fields.
        page_column.addStretch(1)
        self._form_layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._form_layout.setVerticalSpacing(10)
        self._form_layout.setHorizontalSpacing(16)
        for row in self._rows.values():
            self._form_layout.addRow(row.label, row.body)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(page)
        self._form_page = page

        self._summary_title = QLabel()
        self.summary = QListWidget()
        self.summary.setWordWrap(True)
        self.summary.itemActivated.connect(self._jump_to_issue)
        self.summary.itemClicked.connect(self._jump_to_issue)
        summary_panel = QWidget()
        self._summary_panel = summary_panel
        summary_column = QVBoxLayout(summary_panel)
        summary_column.setContentsMargins(0, 0, 0, 0)
        summary_column.addWidget(self._summary_title)
        summary_column.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._scroll)
        splitter.addWidget(summary_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([720, 280])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

    def _connect_keys(self) -> None:
        focus_widgets = [row.input.focus_widget() for row in self._rows.values()]
        self._enter_moves = {
            row.input.focus_widget() for row in self._rows.values() if row.input.moves_on_enter()
        }
        for widget in [*focus_widgets, self.summary]:
            widget.installEventFilter(self)
        chain = []
        for row in self._rows.values():
            chain.append(row.input.focus_widget())
            if isinstance(row.input, RepeatGroupInput):
                chain += [row.input.add_button, row.input.remove_button]
        chain.append(self.summary)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcuts = []
        for keys, slot in [
            (QKeySequence.StandardKey.Save, self.request_save),
            (
                QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Return),
                self.request_submit,
            ),
            (
                QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Enter),
                self.request_submit,
            ),
        ]:
            shortcut = QShortcut(keys, self, context=context)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    # Edits.

    def _on_edited(self, name: str) -> None:
        after = self._rows[name].input.value()
        before = self._answers[name]
        if after == before:
            return
        self._answers[name] = after
        self._touched.add(name)
        self._save_problems = [
            issue for issue in self._save_problems if issue.path.partition("[")[0] != name
        ]
        self.undo_stack.push(FieldEdit(self, name, before, after, self._edit_session))
        self._changed()

    def restore_answer(self, name: str, value: Any) -> None:
        """Put a value back into a field (undo, redo) and show it there."""
        row = self._rows[name]
        row.input.set_value(value)
        self._answers[name] = value
        self._changed()
        self.focus_field(name)

    def _changed(self) -> None:
        self._revalidate()
        self._dirty = True
        self._save_state = SaveState.UNSAVED
        self._show_save_state()
        self._autosave_timer.start()

    def _focus_next_field(self, current: QObject) -> None:
        rows = [row for row in self._rows.values() if row.field.name not in self._hidden]
        for index, row in enumerate(rows):
            if row.input.focus_widget() is current and index + 1 < len(rows):
                self.focus_field(rows[index + 1].field.name)
                return

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._edit_session += 1
        left = self._field_of(_old)
        if left is not None and left not in self._touched:
            self._touched.add(left)
            self._show_issues()
        if new is not None and self._form_page.isAncestorOf(new):
            self._scroll.ensureWidgetVisible(new, 40, 80)

    def _field_of(self, widget: QWidget | None) -> str | None:
        for name, row in self._rows.items():
            if widget is not None and (widget is row.input or row.input.isAncestorOf(widget)):
                return name
        return None

    # Checking.

    def _revalidate(self) -> None:
        raw = {name: value for name, value in self._answers.items() if value is not None}
        self._typed, problems = coerce_leniently(self.form, raw)
        today = self._today or datetime.date.today()
        conditions = field_conditions(self.form, self._typed, today)
        self._hidden, self._required = conditions.hidden, conditions.required
        issues = [problem_issue(problem) for problem in problems] + self._save_problems
        issues += issues_of_typed(self.form, self._typed, today)
        order = {name: index for index, name in enumerate(self._rows)}
        self.issues = sorted(
            (issue for issue in issues if issue.path.partition("[")[0] not in self._hidden),
            key=lambda issue: order.get(issue.path.partition("[")[0], len(order)),
        )
        for index, (name, row) in enumerate(self._rows.items()):
            self._form_layout.setRowVisible(index, name not in self._hidden)
            if row.required != (name in self._required):
                row.show_label(self.lang, name in self._required)
        self._show_issues()
        self.issues_changed.emit(self.issues)

    def _issue_text(self, issue: Issue) -> str:
        name, _, rest = issue.path.partition("[")
        row = self._rows.get(name)
        if rest and row is not None and isinstance(row.input, RepeatGroupInput):
            number = row.input.row_number(rest.partition("]")[0])
            if number is not None:
                return self.tr("Row {0}: {1}").format(number, issue.message(self.lang))
        return issue.message(self.lang)

    def _show_issues(self) -> None:
        by_field: dict[str, list[Issue]] = {}
        for issue in self.issues:
            by_field.setdefault(issue.path.partition("[")[0], []).append(issue)
        for name, row in self._rows.items():
            shown = self._show_all_messages or name in self._touched
            field_issues = by_field.get(name, []) if shown else []
            lines = [
                f'<span style="color:{_color(issue)}">{html.escape(self._issue_text(issue))}</span>'
                for issue in field_issues
            ]
            row.messages.setText("<br>".join(lines))
            row.messages.setVisible(bool(lines))
            if isinstance(row.input, RepeatGroupInput):
                row.input.show_issues(field_issues)

        style = self.style()
        error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.summary.clear()
        for issue in self.issues:
            is_error = issue.severity is Severity.ERROR
            item = QListWidgetItem(
                error_icon if is_error else warning_icon, self._issue_text(issue)
            )
            item.setData(PATH_ROLE, issue.path)
            item.setForeground(QColor(_color(issue)))
            self.summary.addItem(item)
        errors = sum(issue.severity is Severity.ERROR for issue in self.issues)
        warnings = len(self.issues) - errors
        self._summary_title.setText(self.tr("Errors: {0}  Warnings: {1}").format(errors, warnings))
        self._no_issues_label.setText(self.tr("No problems found"))
        self._summary_panel.setVisible(bool(self.issues))
        self._no_issues_label.setVisible(not self.issues)

    @Slot(QListWidgetItem)
    def _jump_to_issue(self, item: QListWidgetItem) -> None:
        self.focus_field(item.data(PATH_ROLE))

    def _show_save_state(self) -> None:
        if self._save_state is SaveState.SAVING:
            text = self.tr("Saving…")
        elif self._save_state is SaveState.UNSAVED:
            text = self.tr("Not saved")
        elif self._saved_at is not None:
            text = self.tr("Saved {0}").format(self._saved_at.astimezone().strftime("%H:%M"))
        else:
            text = self.tr("Saved")
        self._save_state_label.setText(text)


def _color(issue: Issue) -> str:
    return ERROR_COLOR if issue.severity is Severity.ERROR else WARNING_COLOR
