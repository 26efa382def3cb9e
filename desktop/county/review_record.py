"""One record under county review: the form editor read-only with the record's warnings beside
its fields and in the summary, and the decisions its status allows: approve, return with a
comment, reopen an approved record with a comment, or correct a field (saved as the reviewer).

Decisions are store mutations: they wait in the outbox and go at the next sync, so review works
offline. A decision the hub refused because the school changed the record meanwhile ("stale")
shows here in plain words, with the record as the hub has it now, to be reviewed again.
"""

from __future__ import annotations

import datetime
import html
import sqlite3
from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.county.review_dialogs import CommentDialog
from desktop.dialogs.conflict import ConflictDialog
from desktop.dialogs.history import HistoryDialog
from desktop.editor import FormEditor, SaveState
from desktop.errors import explain
from desktop.i18n import definition_language
from desktop.records.status import (
    ERROR_COLOR,
    MUTED_COLOR,
    STATUS_COLORS,
    WARNING_COLOR,
    make_banner,
    status_text,
)
from desktop.rejections import rejection_text
from forms import CoercionError, FormDefinition, Severity, to_wire
from sync.store import OperationRefusedError, Store, StoredRecord, StoreError
from sync.wire import Decision, RecordStatus, RejectCode

# What the county may correct: anything not approved (PROTOCOL.md, Roles).
_CORRECTABLE = (RecordStatus.SUBMITTED, RecordStatus.RETURNED)


def is_stale(record: StoredRecord) -> bool:
    """The hub refused the reviewer's last decision: the record changed since it was read."""
    return any(error.code is RejectCode.STALE for error in record.attention)


class ReviewRecordPage(QWidget):
    decided = Signal(str)  # record id: a decision or a correction was stored
    back_requested = Signal()
    status_message = Signal(str)

    def __init__(
        self,
        store: Store,
        form: FormDefinition,
        record_id: str,
        user: str,
        school_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.record_id = record_id
        self.user = user
        self.school_name = school_name
        self.record = store.get(record_id)
        self.editor = FormEditor(form, to_wire(form, self.record.fields), read_only=True)
        self.editor.autosave_requested.connect(self._save_correction)
        self.editor.save_requested.connect(self._save_correction)

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self._status = QLabel()
        self._school = QLabel()
        self.history_button = QPushButton()
        self.history_button.clicked.connect(self.show_history)
        self.correct_button = QPushButton()
        self.correct_button.setCheckable(True)
        self.correct_button.toggled.connect(self._set_correcting)
        self.return_button = QPushButton()
        self.return_button.clicked.connect(self.return_record)
        self.reopen_button = QPushButton()
        self.reopen_button.clicked.connect(self.reopen)
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.review_again_button = QPushButton()
        self.review_again_button.clicked.connect(self.review_again)
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.resolve_conflict)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self._status)
        actions.addWidget(self._school)
        actions.addStretch(1)
        for button in (
            self.history_button,
            self.correct_button,
            self.reopen_button,
            self.return_button,
            self.approve_button,
            self.review_again_button,
            self.resolve_button,
        ):
            actions.addWidget(button)

        self._stale_banner = make_banner(ERROR_COLOR)
        self._review_banner = make_banner(MUTED_COLOR)
        self._warnings_banner = make_banner(WARNING_COLOR)
        self._pending_banner = make_banner(MUTED_COLOR)

        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(actions)
        for banner in (
            self._stale_banner,
            self._review_banner,
            self._warnings_banner,
            self._pending_banner,
        ):
            layout.addWidget(banner)
        layout.addWidget(self.editor, 1)
        self.retranslate_ui()

    # Decisions.

    @Slot()
    def approve(self) -> None:
        self._decide(Decision.APPROVE, None)

    @Slot()
    def return_record(self) -> None:
        dialog = CommentDialog(
            self.tr("Return to the school"),
            self.tr(
                "The school gets the record back to fix it, with your comment. Say what is "
                "wrong and what it should change."
            ),
            self.tr("Return"),
            parent=self,
        )
        if dialog.exec() == CommentDialog.DialogCode.Accepted:
            self._decide(Decision.RETURN, dialog.comment())

    @Slot()
    def reopen(self) -> None:
        dialog = CommentDialog(
            self.tr("Reopen an approved record"),
            self.tr(
                "The record goes back to the school as returned, so that it can be changed. "
                "Say why it is reopened."
            ),
            self.tr("Reopen"),
            parent=self,
        )
        if dialog.exec() == CommentDialog.DialogCode.Accepted:
            self._decide(Decision.REOPEN, dialog.comment())

    @Slot()
    def review_again(self) -> None:
        """Drop the refused decision: the record as the hub has it now, to be decided on."""
        try:
            self.store.take_hub_version(self.record_id, self.user)
        except OperationRefusedError:
            self.status_message.emit(self.tr("Sync first: the newest version is not here yet."))
            return
        self.record = self.store.get(self.record_id)
        self._replace_editor_values()
        self._show_record()
        self.status_message.emit(self.tr("This is what the school sent last: review it again."))
        self.decided.emit(self.record_id)

    @Slot()
    def resolve_conflict(self) -> None:
        """A correction that met the school's change of the same field: choose per field."""
        if self.record.conflict is None:
            return
        dialog = ConflictDialog(self.store, self.record_id, self.user, parent=self)
        resolved: list[str] = []
        dialog.conflict_resolved.connect(resolved.append)
        dialog.exec()
        if resolved:
            self.record = self.store.get(self.record_id)
            self._replace_editor_values()
            self._show_record()
            self.decided.emit(self.record_id)

    @Slot()
    def show_history(self) -> None:
        HistoryDialog(self.store, self.record_id, parent=self).exec()

    def flush(self) -> None:
        """Save a correction typed and not saved yet."""
        self.editor.flush_autosave()

    def reload(self) -> None:
        """Read the record again (after a sync): new values are shown only when no correction
        is being typed."""
        self.flush()
        shown = to_wire(self.form, self.record.fields)
        self.record = self.store.get(self.record_id)
        # A new editor only for new values: it would lose the reviewer's place in the form.
        changed = to_wire(self.form, self.record.fields) != shown
        if changed and not self.correct_button.isChecked():
            self._replace_editor_values()
        self._show_record()

    def retranslate_ui(self) -> None:
        self.back_button.setText(self.tr("← Back to the queue"))
        self.back_button.setToolTip(self.tr("Back to the review queue (Esc)"))
        self.history_button.setText(self.tr("History…"))
        self.history_button.setToolTip(self.tr("Every version of this record: who, when, what"))
        self.correct_button.setText(self.tr("Correct a field"))
        self.correct_button.setToolTip(
            self.tr("Change a value yourself; the change is saved under your name")
        )
        self.approve_button.setText(self.tr("Approve"))
        self.review_again_button.setText(self.tr("Review again"))
        self.resolve_button.setText(self.tr("Resolve conflict…"))
        self.resolve_button.setToolTip(
            self.tr("Your correction and the school's change met: choose what to keep")
        )
        self.review_again_button.setToolTip(
            self.tr("Drop your refused decision and show the record as the school sent it last")
        )
        self.return_button.setText(self.tr("Return…"))
        self.return_button.setToolTip(self.tr("Send the record back to the school with a comment"))
        self.reopen_button.setText(self.tr("Reopen…"))
        self.reopen_button.setToolTip(
            self.tr("Give an approved record back to the school, with a comment")
        )
        self._show_record()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # Inside.

    def _decide(self, decision: Decision, comment: str | None) -> None:
        self.flush()
        try:
            self.store.review(self.record_id, decision, self.user, comment)
        except OperationRefusedError:
            self.status_message.emit(
                self.tr("This record can no longer be decided on: it changed meanwhile.")
            )
        else:
            messages = {
                Decision.APPROVE: self.tr("Approved. The school hears at the next sync."),
                Decision.RETURN: self.tr("Returned to the school. It hears at the next sync."),
                Decision.REOPEN: self.tr("Reopened. The school hears at the next sync."),
            }
            self.status_message.emit(messages[decision])
        self.correct_button.setChecked(False)
        self.record = self.store.get(self.record_id)
        self._show_record()
        self.decided.emit(self.record_id)

    @Slot(bool)
    def _set_correcting(self, correcting: bool) -> None:
        if not correcting:
            self.flush()
        self.editor.set_read_only(not correcting)
        if correcting:
            self.editor.focus_field(self.form.fields[0].name)
            self.status_message.emit(
                self.tr("Correcting: changes are saved as you type, under your name.")
            )
        self._show_record()

    @Slot(object)
    def _save_correction(self, values: dict[str, Any]) -> None:
        if not self.correct_button.isChecked():
            return
        try:
            self.store.save(self.form.id, self.record_id, values, self.user)
        except OperationRefusedError:
            self.editor.set_save_state(SaveState.UNSAVED)
            self.status_message.emit(
                self.tr("This record was approved meanwhile: the correction was not saved.")
            )
            self.correct_button.setChecked(False)
            return
        except CoercionError:
            self.editor.set_save_state(SaveState.UNSAVED)
            raise
        except (StoreError, sqlite3.Error, OSError, OverflowError) as error:
            # Kept unsaved, so the next edit, leaving the record or a sync saves it again:
            # nothing the reviewer typed is dropped (it was, when the save raised past here).
            self.editor.set_save_state(SaveState.UNSAVED)
            self.status_message.emit(
                self.tr("The correction is not saved yet: {0}").format(explain(error))
            )
            return
        self.record = self.store.get(self.record_id)
        self.editor.set_save_state(SaveState.SAVED, datetime.datetime.now(datetime.UTC))
        self._show_record()
        self.decided.emit(self.record_id)

    def _replace_editor_values(self) -> None:
        old = self.editor
        self.editor = FormEditor(self.form, to_wire(self.form, self.record.fields), read_only=True)
        self.editor.autosave_requested.connect(self._save_correction)
        self.editor.save_requested.connect(self._save_correction)
        self._layout.replaceWidget(old, self.editor)
        old.deleteLater()

    def _show_record(self) -> None:
        record = self.record
        status = record.status
        stale = is_stale(record)
        if stale:
            # The status here is the refused decision's, not the record's on the hub.
            words, color = self.tr("Your decision was not accepted"), ERROR_COLOR
        else:
            words, color = status_text(status), STATUS_COLORS[status]
        self._status.setText(f'<span style="color:{color}">● {html.escape(words)}</span>')
        self._school.setText(html.escape(self.school_name))
        self._school.setVisible(bool(self.school_name))
        held = stale or record.conflict is not None
        submitted = status is RecordStatus.SUBMITTED and not held
        self.approve_button.setVisible(submitted)
        self.return_button.setVisible(submitted)
        self.reopen_button.setVisible(status is RecordStatus.APPROVED and not held)
        self.correct_button.setVisible(status in _CORRECTABLE and not held)
        self.review_again_button.setVisible(stale)
        self.resolve_button.setVisible(record.conflict is not None)
        warnings = [issue for issue in self.editor.issues if issue.severity is Severity.WARNING]
        self.approve_button.setToolTip(
            self.tr("Approve, although it has warnings: {0}").format(len(warnings))
            if warnings
            else self.tr("Approve the record: it is locked until you reopen it")
        )
        self._show_banners(record, warnings_count=len(warnings))

    def _show_banners(self, record: StoredRecord, *, warnings_count: int) -> None:
        if is_stale(record):
            self._stale_banner.setText(
                self.tr(
                    "Changed since you reviewed it: the school changed this record before your "
                    "decision reached the hub, so the hub did not take it. Choose Review again "
                    "to see what the school sent, then decide again."
                )
            )
            self._stale_banner.show()
        elif record.conflict is not None:
            lang = definition_language(QLocale().name())
            paths = ", ".join(
                html.escape(self.form.label(field.path, lang)) for field in record.conflict.fields
            )
            self._stale_banner.setText(
                self.tr(
                    "Your correction and the school's change met on the same fields ({0}). "
                    "Choose Resolve conflict to decide what to keep, then review it."
                ).format(paths)
            )
            self._stale_banner.show()
        elif record.attention:
            lang = definition_language(QLocale().name())
            lines = [html.escape(rejection_text(error, record, lang)) for error in record.attention]
            self._stale_banner.setText(
                self.tr("The hub did not accept the last change:") + "<br>" + "<br>".join(lines)
            )
            self._stale_banner.show()
        else:
            self._stale_banner.hide()
        review = record.review
        if review is not None and status_of_review_shown(record) and not is_stale(record):
            comment = html.escape(review.comment) if review.comment else ""
            at = review.at.astimezone().strftime("%Y-%m-%d %H:%M")
            decisions = {
                Decision.APPROVE: self.tr("Approved by {0} at {1}"),
                Decision.RETURN: self.tr("Returned by {0} at {1}"),
                Decision.REOPEN: self.tr("Reopened by {0} at {1}"),
            }
            text = decisions[review.decision].format(html.escape(review.by), at)
            if comment:
                text = self.tr("{0}: {1}").format(text, comment)
            self._review_banner.setText(text)
            self._review_banner.show()
        else:
            self._review_banner.hide()
        if warnings_count:
            self._warnings_banner.setText(
                self.tr(
                    "Warnings: {0}. They are shown in amber beside their fields and listed "
                    "under Problems; check them before approving."
                ).format(warnings_count)
            )
            self._warnings_banner.show()
        else:
            self._warnings_banner.hide()
        if record.pending:
            self._pending_banner.setText(
                self.tr("Not sent yet: the hub gets this at the next sync.")
            )
            self._pending_banner.show()
        else:
            self._pending_banner.hide()


def status_of_review_shown(record: StoredRecord) -> bool:
    """The last decision is worth showing while the record is in the state it led to (a
    resubmitted record's old return comment is history, not news)."""
    return record.status in (RecordStatus.APPROVED, RecordStatus.RETURNED)
