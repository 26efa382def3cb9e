"""One record open for editing: the form editor wired to the store, with what the record's
status allows (submit, withdraw, delete) and what the county or the hub said about it.

A save is about a millisecond, so the editor's saves go straight to the store on the UI thread.
Nothing typed is dropped: a save that fails leaves the edits in the editor (tried again when
the failure may pass; else kept until the user saves them as a new record or to a file), and a
sync that brought a newer version of the record meanwhile gets the edits on top of it.
"""

from __future__ import annotations

import datetime
import html
import json
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.editor import FormEditor, SaveState
from desktop.editor.checking import without_problem_values
from desktop.errors import explain, may_pass
from desktop.i18n import definition_language
from desktop.records.status import (
    ERROR_COLOR,
    STATUS_COLORS,
    WARNING_COLOR,
    make_banner,
    status_text,
)
from desktop.rejections import rejection_text
from forms import CoercionError, FormDefinition, Issue, Severity, to_wire
from sync.merge import merge
from sync.store import (
    OperationRefusedError,
    RecordNotFoundError,
    Store,
    StoredRecord,
    StoreError,
)
from sync.wire import RecordStatus

_EDITABLE = (RecordStatus.DRAFT, RecordStatus.RETURNED)
# What a save can meet that passes or that the user can act on (busy or damaged file, disk
# full, a number SQLite cannot hold): said in words, the edits kept and saved again later.
_SAVE_FAILURES = (StoreError, sqlite3.Error, OSError, OverflowError)


class RecordPage(QWidget):
    record_saved = Signal(str)  # record id
    record_changed = Signal(str)  # submitted, withdrawn
    record_deleted = Signal(str)
    conflict_resolved = Signal(str)  # record id; its values changed, so it is opened afresh
    back_requested = Signal()
    status_message = Signal(str)

    def __init__(
        self,
        store: Store,
        form: FormDefinition,
        record_id: str | None,
        user: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.user = user
        self.record_id = record_id
        self.record: StoredRecord | None = store.get(record_id) if record_id else None
        values = to_wire(form, self.record.fields) if self.record else {}
        # What the editor's values were edited from: what it loaded or last saved. When the
        # store holds something else, a sync changed the record under the editor. Their hub
        # revision (the base they go to the hub with).
        self._known_values = values
        self._known_base = self.record.base_rev if self.record else 0
        self.editor = FormEditor(
            form,
            values,
            read_only=not self._editable(),
            show_all_messages=self.record is not None,
        )
        self.editor.autosave_requested.connect(self._save)
        self.editor.save_requested.connect(self._save)
        self.editor.submit_requested.connect(self._submit_values)
        self.editor.issues_changed.connect(self._show_submit_state)
        self.editor.set_shortcut_scope(self)
        if self.record is not None:
            self.editor.set_save_state(
                SaveState.SAVED, datetime.datetime.fromisoformat(self.record.updated_at)
            )

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        # Esc leaves the record (everything typed is saved on the way out).
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self._status = QLabel()
        self.submit_button = QPushButton()
        self.submit_button.clicked.connect(self.editor.request_submit)
        self.withdraw_button = QPushButton()
        self.withdraw_button.clicked.connect(self.withdraw)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete)
        self.history_button = QPushButton()
        self.history_button.clicked.connect(self.show_history)
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.resolve_conflict)
        self._submit_reason = QLabel()
        self._submit_reason.setStyleSheet(f"color: {ERROR_COLOR};")
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self._status)
        actions.addStretch(1)
        actions.addWidget(self._submit_reason)
        actions.addWidget(self.history_button)
        actions.addWidget(self.resolve_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.withdraw_button)
        actions.addWidget(self.submit_button)
        self._review_banner = make_banner(WARNING_COLOR)
        self._attention_banner = make_banner(ERROR_COLOR)
        self._conflict_banner = make_banner(ERROR_COLOR)
        self._save_error_banner = make_banner(ERROR_COLOR)
        self._save_error_banner.hide()
        # Whether the last failed save may work when tried again (None: the last save worked).
        self._failure_may_pass: bool | None = None
        # Shown when the record is gone from the store (deleted by a sync): what was typed is
        # kept as a new record.
        self.save_as_new_button = QPushButton()
        self.save_as_new_button.clicked.connect(self.save_as_new_record)
        self.save_as_new_button.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self._save_error_banner)
        save_as_new = QHBoxLayout()
        save_as_new.addWidget(self.save_as_new_button)
        save_as_new.addStretch(1)
        layout.addLayout(save_as_new)
        layout.addWidget(self._review_banner)
        layout.addWidget(self._attention_banner)
        layout.addWidget(self._conflict_banner)
        layout.addWidget(self.editor, 1)
        # Tab out of the form (past the issue list, or its last field when there is none)
        # reaches Submit, not the window's navigation.
        QWidget.setTabOrder(self.editor.summary, self.submit_button)
        self.retranslate_ui()

    # What the window uses.

    @property
    def status(self) -> RecordStatus:
        return self.record.status if self.record else RecordStatus.DRAFT

    def can_delete(self) -> bool:
        return self.status in _EDITABLE

    def follow_store(self) -> bool:
        """After a sync: show the record's new status and marks. False when the sync changed
        its values, which this editor cannot take in: what was typed since the last save is
        saved on top of them first, and the window opens the record again."""
        if self.record_id is None:
            return True
        fresh = self.store.get(self.record_id)
        if fresh.deleted or to_wire(self.form, fresh.fields) != self._known_values:
            if not self.flush():
                # The edits could not be saved (the page says why): the editor keeps them.
                self._reload()
                return True
            self.editor.set_read_only(True)
            return False
        self._reload()
        return True

    def flush(self) -> bool:
        """Save what was typed and not saved yet (the window is closing or leaving, a sync
        starts). False when it could not be saved: the page says why and keeps the edits."""
        self.editor.flush_autosave()
        return self._nothing_unsaved()

    def save_may_pass(self) -> bool:
        """Whether the last failed save may work when tried again (the data file busy, the
        disk full); False when it cannot (damaged or read-only data file, record gone)."""
        return self._failure_may_pass is not False

    def save_typed_to_file(self) -> Path:
        """Write what the editor holds to a JSON file in the profile's folder (the store
        cannot take it) and stop saving it: the window may close. Raises OSError when the
        file cannot be written."""
        folder = self.store.path.parent / "unsaved"
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        name = f"{self.form.id}-{self.record_id or 'new'}-{now:%Y%m%d-%H%M%S}.json"
        path = folder / name
        typed = {
            "form": self.form.id,
            "record_id": self.record_id,
            "user": self.user,
            "written_at": now.isoformat(),
            "fields": self.editor.values(),
        }
        path.write_text(
            json.dumps(typed, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        self.editor.set_read_only(True)
        return path

    @Slot()
    def save_as_new_record(self) -> None:
        """The record is gone from the store: what was typed becomes a new record."""
        self.record_id = None
        self.record = None
        self._known_values = {}
        self._known_base = 0
        self.save_as_new_button.hide()
        self.editor.set_read_only(False)
        self.editor.set_save_state(SaveState.UNSAVED)
        self.editor.flush_autosave()
        self._show_record()

    def _nothing_unsaved(self) -> bool:
        """Whether nothing typed here waits to be saved."""
        return self.editor.read_only or not self.editor.has_unsaved_changes()

    @Slot()
    def withdraw(self) -> None:
        if self.record_id is None:
            return
        try:
            self.store.withdraw(self.record_id, self.user)
        except OperationRefusedError:
            self.status_message.emit(self.tr("This record can no longer be withdrawn."))
        else:
            self.status_message.emit(self.tr("Withdrawn: the record is a draft again."))
        self._reload()
        self.record_changed.emit(self.record_id)

    @Slot()
    def delete(self) -> None:
        if not self.can_delete():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete record"),
            self.tr("Delete this record? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        # Nothing is left to autosave once the record is gone.
        self.editor.set_read_only(True)
        if self.record_id is not None:
            self.store.delete(self.record_id, self.user)
            self.record_deleted.emit(self.record_id)
        else:
            self.back_requested.emit()
        self.status_message.emit(self.tr("Record deleted."))

    @Slot()
    def show_history(self) -> None:
        if self.record_id is not None:
            # Dialogs are imported when first opened: the main window imports this page at start.
            from desktop.dialogs.history import HistoryDialog

            HistoryDialog(self.store, self.record_id, parent=self).exec()

    @Slot()
    def resolve_conflict(self) -> None:
        if self.record_id is None or self.record is None or self.record.conflict is None:
            return
        from desktop.dialogs.conflict import ConflictDialog

        dialog = ConflictDialog(self.store, self.record_id, self.user, parent=self)
        resolved: list[str] = []
        dialog.conflict_resolved.connect(resolved.append)
        dialog.exec()
        # Told only after the dialog closed: the window replaces this page (the dialog's parent).
        if resolved:
            self.conflict_resolved.emit(self.record_id)

    def retranslate_ui(self) -> None:
        self.back_button.setText(self.tr("← Back to list"))
        self.back_button.setToolTip(self.tr("Back to the list (Esc); what you typed is saved"))
        self.history_button.setText(self.tr("History…"))
        self.history_button.setToolTip(self.tr("Every version of this record: who, when, what"))
        self.resolve_button.setText(self.tr("Resolve conflict…"))
        self.submit_button.setText(self.tr("Submit"))
        self.submit_button.setToolTip(self.tr("Send the record to the county (Ctrl+Enter)"))
        self.withdraw_button.setText(self.tr("Withdraw"))
        self.withdraw_button.setToolTip(
            self.tr("Take the record back to draft before the county reviews it")
        )
        self.delete_button.setText(self.tr("Delete…"))
        self.save_as_new_button.setText(self.tr("Save as a new record"))
        self._show_record()

    # Qt events.

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # Inside.

    def _editable(self) -> bool:
        if self.record is None:
            return True
        return self.record.status in _EDITABLE and self.record.conflict is None

    def _reload(self) -> None:
        if self.record_id is not None:
            self.record = self.store.get(self.record_id)
        self.editor.set_read_only(not self._editable())
        self._show_record()

    @Slot(object)
    def _save(self, values: dict[str, Any]) -> None:
        if not self._editable():
            return
        try:
            fields, edited_from = self._onto_stored(values)
            result = self.store.save(
                self.form.id, self.record_id, fields, self.user, edited_from=edited_from
            )
        except CoercionError as error:
            # Values the editor let through and the forms engine refuses: an error beside each
            # field, and the rest of the record saved.
            self.editor.show_save_problems(error.problems)
            kept = without_problem_values(values, error.problems)
            if kept != values:
                self._save(kept)
            else:
                self.editor.set_save_state(SaveState.UNSAVED)
            return
        except OperationRefusedError:
            # A sync brought the county's approval (or a deletion) while the user typed.
            self.editor.set_save_state(SaveState.UNSAVED)
            self.status_message.emit(
                self.tr("This record was approved or deleted meanwhile: the change was not saved.")
            )
            self._reload()
            return
        except RecordNotFoundError:
            # Deleted by a sync, or removed from the list before it was opened: saving again
            # cannot work, saving as a new record can.
            self._failure_may_pass = False
            self.editor.set_save_state(SaveState.UNSAVED)
            self._save_error_banner.setText(
                html.escape(
                    self.tr(
                        "Not saved: this record no longer exists on this computer (it was "
                        "deleted, perhaps by a sync). What you typed is still in this window: "
                        "choose Save as a new record to keep it."
                    )
                )
            )
            self._save_error_banner.show()
            self.save_as_new_button.show()
            return
        except _SAVE_FAILURES as error:
            self._failure_may_pass = may_pass(error)
            if self._failure_may_pass:
                self.editor.save_failed()
                text = self.tr(
                    "Not saved: {0} What you typed is still in this window; "
                    "saving is tried again in a few seconds."
                )
            else:
                # Tried again on the next edit only; closing the window offers a file.
                self.editor.set_save_state(SaveState.UNSAVED)
                text = self.tr(
                    "Not saved: {0} What you typed is still in this window. When you close "
                    "the window, you can save it to a file instead."
                )
            self._save_error_banner.setText(html.escape(text.format(explain(error))))
            self._save_error_banner.show()
            return
        except Exception:
            # A fault of the app: the global hook reports it, and the edits stay unsaved.
            self.editor.set_save_state(SaveState.UNSAVED)
            raise
        self._save_error_banner.hide()
        self._failure_may_pass = None
        self.record_id = result.record_id
        stored = self.store.get(self.record_id)
        carried = fields != values
        if carried:
            # The edits were carried onto a newer revision that the editor does not show: it
            # shows that revision now, so that the user goes on from what the hub holds and no
            # later edit is made over a value the sync replaced.
            values = to_wire(self.form, stored.fields)
            self._show_values(values)
        self._known_values = values
        self._known_base = stored.base_rev
        if self.record is None:
            self.record = stored
            self._show_record()
        self.editor.set_save_state(SaveState.SAVED, datetime.datetime.now(datetime.UTC))
        self.record_saved.emit(self.record_id)
        if carried:
            # The editor counts the values put into it as edits: saved now (they are what the
            # store holds), so that nothing waits and leaving or closing is not held up.
            self.editor.flush_autosave()

    def _show_values(self, values: dict[str, Any]) -> None:
        """Put stored values into the fields that show others. The focus stays in the field
        the user is in (its own value was saved as typed, so it is not set again)."""
        focused = self.window().focusWidget()
        shown = self.editor.values()
        for field in self.form.fields:
            if values.get(field.name) != shown.get(field.name):
                self.editor.restore_answer(field.name, values.get(field.name))
        if focused is not None:
            focused.setFocus(Qt.FocusReason.OtherFocusReason)

    def _onto_stored(self, values: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
        """What to save of the editor's values, and the hub revision they were edited from
        when it is not the stored one. When a sync changed the record since the editor loaded
        or saved it, the edits go on top of its newer values; when the user changed a field
        the sync changed too, the edits go as they are, with the revision they were made
        from: the hub merges them with the newer version or reports the conflict."""
        if self.record_id is None:
            return values, None
        stored = self.store.get(self.record_id)
        stored_values = to_wire(self.form, stored.fields)
        if stored.deleted or stored_values == self._known_values:
            # Acknowledged by the hub meanwhile, the same values have a newer base.
            self._known_base = stored.base_rev
            return values, None
        merged = merge(self._known_values, values, stored_values)
        if merged.conflicts:
            return values, self._known_base
        return merged.fields, None

    @Slot(object)
    def _submit_values(self, values: dict[str, Any]) -> None:
        # The editor flushed its autosave first; a record never edited is saved here.
        if self.record_id is None:
            self._save(values)
        if self.record_id is None or not self._nothing_unsaved():
            return  # not saved: the page says why, and the store holds an older version
        try:
            self.store.submit(self.record_id, self.user)
        except OperationRefusedError:
            self.status_message.emit(self.tr("Fix the errors before submitting."))
            return
        self.status_message.emit(self.tr("Submitted. It is sent to the county at the next sync."))
        self._reload()
        self.record_changed.emit(self.record_id)

    def _show_record(self) -> None:
        status = self.status
        words = html.escape(status_text(status))
        self._status.setText(f'<span style="color:{STATUS_COLORS[status]}">● {words}</span>')
        editable = self._editable()
        self.submit_button.setVisible(status in _EDITABLE)
        self.withdraw_button.setVisible(status is RecordStatus.SUBMITTED)
        self.delete_button.setVisible(status in _EDITABLE)
        self.delete_button.setEnabled(editable)
        self.history_button.setVisible(self.record_id is not None)
        self.resolve_button.setVisible(self.record is not None and self.record.conflict is not None)
        self._show_submit_state(self.editor.issues)
        self._show_banners()

    @Slot(list)
    def _show_submit_state(self, issues: list[Issue]) -> None:
        errors = sum(issue.severity is Severity.ERROR for issue in issues)
        blocked = errors > 0 or not self._editable()
        self.submit_button.setEnabled(not blocked)
        if errors and self.status in _EDITABLE:
            reason = self.tr("Cannot submit: errors to fix: {0}").format(errors)
        elif self.record is not None and self.record.conflict is not None:
            reason = self.tr("Cannot submit: resolve the conflict first")
        else:
            reason = ""
        self._submit_reason.setText(reason)
        self._submit_reason.setVisible(bool(reason))
        self.submit_button.setToolTip(
            reason or self.tr("Send the record to the county (Ctrl+Enter)")
        )

    def _show_banners(self) -> None:
        record = self.record
        lang = definition_language(QLocale().name())
        review = record.review if record is not None else None
        if record is not None and record.status is RecordStatus.RETURNED and review is not None:
            comment = review.comment or self.tr("(no comment)")
            self._review_banner.setText(
                self.tr("Returned by the county ({0}): {1}").format(
                    html.escape(review.by), html.escape(comment)
                )
            )
            self._review_banner.show()
        else:
            self._review_banner.hide()
        if record is not None and record.attention:
            lines = [html.escape(rejection_text(error, record, lang)) for error in record.attention]
            self._attention_banner.setText(
                self.tr("The hub did not accept the last change:") + "<br>" + "<br>".join(lines)
            )
            self._attention_banner.show()
        else:
            self._attention_banner.hide()
        if record is not None and record.conflict is not None:
            paths = ", ".join(
                html.escape(self.form.label(field.path, lang)) for field in record.conflict.fields
            )
            self._conflict_banner.setText(
                self.tr(
                    "This record was changed here and on the hub at the same time ({0}). "
                    "It stays read-only until the conflict is resolved: choose Resolve conflict."
                ).format(paths)
            )
            self._conflict_banner.show()
        else:
            self._conflict_banner.hide()
