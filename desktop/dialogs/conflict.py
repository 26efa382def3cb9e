"""Resolving a conflict: for each path both sides changed, the user takes one side or types a
value, and the record's conflict is closed with `Store.resolve`.

    dialog = ConflictDialog(store, record_id, user="li", parent=window)
    dialog.conflict_resolved.connect(lambda _id: sync.request_sync())
    dialog.exec()

Paths that were not in conflict keep both sides' edits: the values sent are the three-way
merge of the base, this machine's record and the hub's version, with the chosen values on the
conflicting paths.
"""

from __future__ import annotations

import copy
import html
import sys
from collections.abc import Mapping
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.values import (
    ROW_KEY,
    FieldPath,
    field_at,
    local_time,
    path_label,
    record_title,
    unanswered,
    value_text,
)
from desktop.editor.inputs import FieldInput, input_for
from desktop.i18n import definition_language
from forms import CoercionError, FieldType, to_wire
from sync.merge import merge
from sync.protocol import ConflictField
from sync.store import OperationRefusedError, Store

Side = Literal["mine", "theirs", "typed"]
SIDES: tuple[Side, ...] = ("mine", "theirs", "typed")
ERROR_COLOR = "#b42318"
MUTED_COLOR = "#667085"


def set_path(fields: dict[str, Any], path: str, value: Any, *sources: Mapping[str, Any]) -> None:
    """Put `value` at `path` in wire `fields`; None removes it. A repeat row missing from
    `fields` (removed on one side) comes back from the first of `sources` holding it."""
    parsed = FieldPath.parse(path)
    if parsed.row is None or parsed.child is None:
        if value is None:
            fields.pop(parsed.name, None)
        else:
            fields[parsed.name] = value
        return
    rows: list[dict[str, Any]] = fields.setdefault(parsed.name, [])
    row = next((r for r in rows if r.get(ROW_KEY) == parsed.row), None)
    if row is None:
        if value is None:
            return
        row, position = _row_from(parsed.name, parsed.row, sources)
        rows.insert(min(position, len(rows)), row)
    if value is None:
        row.pop(parsed.child, None)
    else:
        row[parsed.child] = value


def _row_from(
    group: str, row_id: str, sources: tuple[Mapping[str, Any], ...]
) -> tuple[dict[str, Any], int]:
    for fields in sources:
        for position, row in enumerate(fields.get(group) or ()):
            if row.get(ROW_KEY) == row_id:
                return copy.deepcopy(dict(row)), position
    return {ROW_KEY: row_id}, sys.maxsize


def resolved_fields(
    base: Mapping[str, Any],
    local: Mapping[str, Any],
    theirs: Mapping[str, Any],
    chosen: Mapping[str, Any],
) -> dict[str, Any]:
    """The values that close a conflict: the merge of both sides, `chosen` on the paths the
    user decided, and this machine's value on any other path both sides changed."""
    merged = merge(base, local, theirs)
    fields = copy.deepcopy(merged.fields)
    for conflict in merged.conflicts:
        if conflict.path not in chosen:
            set_path(fields, conflict.path, conflict.mine, local, theirs)
    for path, value in chosen.items():
        set_path(fields, path, value, local, theirs)
    return {name: value for name, value in fields.items() if value not in (None, [])}


class _ValueChoice(QWidget):
    """A radio button with the value beside it in words that wrap; clicking the words
    chooses it too."""

    def __init__(self, radio: QRadioButton) -> None:
        super().__init__()
        self.radio = radio
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setCursor(Qt.CursorShape.PointingHandCursor)
        self.words.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(radio, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.words, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.words and event.type() == QEvent.Type.MouseButtonRelease:
            self.radio.click()
            return True
        return super().eventFilter(watched, event)


class _PathRow:
    """The widgets of one conflicting path: label, base, and the three ways to settle it;
    the input for another value shows below when that is chosen."""

    def __init__(self, dialog: ConflictDialog, conflict: ConflictField) -> None:
        self.conflict = conflict
        self.field = field_at(dialog.form, conflict.path)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("font-weight: bold;")
        self.base = QLabel()
        self.base.setWordWrap(True)
        self.base.setStyleSheet(f"color: {MUTED_COLOR};")
        self.group = QButtonGroup(dialog)
        self.radios: dict[Side, QRadioButton] = {}
        for side in SIDES:
            radio = QRadioButton()
            self.group.addButton(radio)
            self.radios[side] = radio
            radio.toggled.connect(dialog.update_buttons)
        self.choices = {side: _ValueChoice(self.radios[side]) for side in ("mine", "theirs")}
        self.editor: FieldInput | None = None
        # Whole repeat groups (a delete against an edit) are taken from one side only.
        if self.field is not None and self.field.type is not FieldType.REPEAT:
            self.editor = input_for(self.field)
            self.editor.set_value(conflict.mine)
            self.editor.setVisible(False)
            self.radios["typed"].toggled.connect(self._typed_toggled)
        else:
            self.radios["typed"].setEnabled(False)

    def retranslate(self, dialog: ConflictDialog, lang: str) -> None:
        sources = (dialog.local, dialog.theirs, dialog.base)
        self.label.setText(path_label(dialog.form, self.conflict.path, lang, *sources))
        self.base.setText(self._words(self.conflict.base, lang))
        mine = (
            QCoreApplication.translate("ConflictDialog", "(deleted)")
            if dialog.deleted
            else self._words(self.conflict.mine, lang)
        )
        self.choices["mine"].words.setText(mine)
        self.choices["theirs"].words.setText(self._words(self.conflict.theirs, lang))
        self.radios["typed"].setText(
            QCoreApplication.translate("ConflictDialog", "Type another value")
        )
        if self.editor is not None:
            self.editor.retranslate_ui(lang)

    def _words(self, value: Any, lang: str) -> str:
        return value_text(self.field, value, lang) or unanswered()

    @Slot(bool)
    def _typed_toggled(self, checked: bool) -> None:
        assert self.editor is not None
        self.editor.setVisible(checked)
        if checked:
            self.editor.focus_widget().setFocus()

    def side(self) -> Side | None:
        for side, radio in self.radios.items():
            if radio.isChecked():
                return side
        return None

    def value(self) -> Any:
        side = self.side()
        if side == "mine":
            return self.conflict.mine
        if side == "theirs":
            return self.conflict.theirs
        return self.editor.value() if self.editor is not None else None


class ConflictDialog(QDialog):
    """Base | mine | theirs for each conflicting path, with who and when; per path take
    mine, take theirs or type a value, then resolve. Emits `conflict_resolved(record_id)`
    after the store closed the conflict (the resolve is queued for the next sync)."""

    conflict_resolved = Signal(str)

    def __init__(
        self, store: Store, record_id: str, user: str, parent: QWidget | None = None
    ) -> None:
        """`user` is who resolves (the signed-in username). Raises ValueError when the
        record has no open conflict."""
        super().__init__(parent)
        self._store = store
        self.record_id = record_id
        self._user = user
        record = store.get(record_id)
        if record.conflict is None:
            raise ValueError(f"record {record_id} has no open conflict")
        self.conflict = record.conflict
        # This computer deleted the record while the hub's version changed.
        self.deleted = record.deleted
        self.form = store.registry.get(record.form)
        revisions = {revision.rev: revision for revision in store.history(record_id).revisions}
        self.local = to_wire(self.form, record.fields)
        theirs = revisions.get(record.rev)
        self.theirs = theirs.fields if theirs is not None else self.local
        base = revisions.get(self.conflict.base_rev)
        # Without the base every difference counts as this machine's edit.
        self.base = base.fields if base is not None else self.theirs
        self._theirs_revision = theirs
        self._base_revision = base
        self._title_text = record_title(self.form, self.local)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.headers = [QLabel() for _ in range(5)]
        for header in self.headers:
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.rows = [_PathRow(self, conflict) for conflict in self.conflict.fields]
        for row in self.rows:
            for radio in row.radios.values():
                radio.setEnabled(radio.isEnabled() and not self.deleted)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for column, header in enumerate(self.headers):
            grid.addWidget(header, 0, column)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, 1, 0, 1, 5)
        top = Qt.AlignmentFlag.AlignTop
        for index, row in enumerate(self.rows):
            at = 2 + 2 * index
            grid.addWidget(row.label, at, 0, top)
            grid.addWidget(row.base, at, 1, top)
            grid.addWidget(row.choices["mine"], at, 2, top)
            grid.addWidget(row.choices["theirs"], at, 3, top)
            grid.addWidget(row.radios["typed"], at, 4, top)
            if row.editor is not None:
                grid.addWidget(row.editor, at + 1, 1, 1, 4)
        grid.setColumnMinimumWidth(0, 150)
        grid.setColumnMinimumWidth(1, 150)
        for column, stretch in ((0, 1), (1, 2), (2, 3), (3, 3), (4, 0)):
            grid.setColumnStretch(column, stretch)
        grid.setRowStretch(2 + 2 * len(self.rows), 1)
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        self.all_mine_button = QPushButton()
        self.all_mine_button.setAutoDefault(False)
        self.all_mine_button.clicked.connect(lambda: self.choose_all("mine"))
        self.all_theirs_button = QPushButton()
        self.all_theirs_button.setAutoDefault(False)
        self.all_theirs_button.clicked.connect(lambda: self.choose_all("theirs"))
        self.buttons = QDialogButtonBox()
        self.resolve_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.resolve_button.clicked.connect(self.resolve)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_mine_button)
        bottom.addWidget(self.all_theirs_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.resize(1000, min(260 + 70 * len(self.rows), 760))
        self.retranslate_ui()
        self.update_buttons()

    def retranslate_ui(self) -> None:
        lang = definition_language(QLocale().name())
        self.setWindowTitle(self.tr("Resolve a conflict"))
        title = self.form.title.get(lang)
        self.title.setText(f"{title} · {self._title_text}" if self._title_text else title)
        if self.deleted:
            # The store cannot bring back a record deleted here: the county settles it.
            self.intro.setText(
                self.tr(
                    "This record was deleted on this computer while it was changed on the "
                    "hub, so the hub kept it. A deleted record cannot be brought back here: "
                    "ask your county reviewer to delete it on the hub or to keep it."
                )
            )
        else:
            self.intro.setText(
                self.tr(
                    "This computer's edit and the hub's version changed the same fields. "
                    "Choose for each field which value to keep, or type another, then click "
                    "Resolve. Other changes of both sides are kept."
                )
            )
        base = self._base_revision
        theirs = self._theirs_revision
        mine_who = (
            self.tr("Your edit")
            if self.conflict.by == self._user
            else self.tr("Edit by {0}").format(html.escape(self.conflict.by))
        )
        field_header = self.tr("Field")
        self.headers[0].setText(f"<b>{field_header}</b>")
        self.headers[1].setText(self._header(self.tr("Before both edits"), base))
        mine_detail = f"{html.escape(self.conflict.by)} · {local_time(self.conflict.at)}"
        self.headers[2].setText(
            f'<b>{mine_who}</b><br><span style="color:{MUTED_COLOR}">{mine_detail}</span>'
        )
        self.headers[3].setText(self._header(self.tr("On the hub"), theirs))
        for row in self.rows:
            row.retranslate(self, lang)
        if self.conflict.by == self._user:
            self.all_mine_button.setText(self.tr("Keep all mine"))
        else:
            self.all_mine_button.setText(self.tr("Keep all of {0}'s").format(self.conflict.by))
        self.all_theirs_button.setText(self.tr("Keep all of the hub's"))
        self.resolve_button.setText(self.tr("Resolve"))

    def _header(self, title: str, revision: Any) -> str:
        if revision is None:
            return f"<b>{title}</b>"
        version = self.tr("version {0}").format(revision.rev)
        detail = f"{html.escape(revision.updated_by)} · {local_time(revision.updated_at)}"
        return f'<b>{title}</b> ({version})<br><span style="color:{MUTED_COLOR}">{detail}</span>'

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def row(self, path: str) -> _PathRow:
        return next(row for row in self.rows if row.conflict.path == path)

    def choose(self, path: str, side: Side) -> None:
        self.row(path).radios[side].setChecked(True)

    def choose_all(self, side: Side) -> None:
        for row in self.rows:
            row.radios[side].setChecked(True)

    def chosen_values(self) -> dict[str, Any]:
        return {row.conflict.path: row.value() for row in self.rows}

    @Slot()
    def update_buttons(self) -> None:
        undecided = sum(1 for row in self.rows if row.side() is None)
        self.resolve_button.setEnabled(undecided == 0 and not self.deleted)
        for button in (self.all_mine_button, self.all_theirs_button):
            button.setEnabled(not self.deleted)
        self.resolve_button.setToolTip(
            self.tr("Choose a value for every field first.") if undecided else ""
        )

    @Slot()
    def resolve(self) -> None:
        fields = resolved_fields(self.base, self.local, self.theirs, self.chosen_values())
        try:
            self._store.resolve(self.record_id, fields, self._user)
        except CoercionError as error:
            lang = definition_language(QLocale().name())
            sources = (self.local, self.theirs, self.base)
            self._show_error(
                "\n".join(
                    f"{path_label(self.form, problem.path, lang, *sources)}: "
                    f"{problem.message(lang)}"
                    for problem in error.problems
                )
            )
            return
        except OperationRefusedError:
            self._show_error(
                self.tr("This conflict was already resolved. Close this window to see the record.")
            )
            return
        self.conflict_resolved.emit(self.record_id)
        self.accept()

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
