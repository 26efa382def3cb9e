"""Helpers of the tests that drive the main window like a clerk: a store with a logged-in
user, typing as a user types, records saved or pulled the way the app gets them."""

import dataclasses
import sqlite3

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from sync.protocol import Record
from sync.samples import SampleFactory
from sync.store import Store

USER = "li"


def open_store(path):
    store = Store.open(path)
    state = store.sync_state()
    store.set_sync_state(dataclasses.replace(state, username=USER, org="school01"))
    return store


def type_text(qtbot, widget, text):
    """ASCII as key presses, Chinese committed by the input method, as a user types."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


def type_into(qtbot, page, field, text, *, replace=False):
    box = page.editor.input_of(field).focus_widget()
    box.setFocus()
    if replace:
        box.selectAll()
    type_text(qtbot, box, text)


def save_valid(store, name, form="internship"):
    fields = SampleFactory(seed=len(name)).fields(form, "valid")
    fields["student_name" if form == "internship" else "person_name"] = name
    return store.save(form, None, fields, USER).record_id


def pulled(record_id, rev, fields, status="draft"):
    return Record.model_validate(
        {
            "id": record_id,
            "form": "internship",
            "form_version": 1,
            "org": "school01",
            "county": "500103",
            "status": status,
            "rev": rev,
            "fields": fields,
            "updated_at": f"2026-03-0{rev}T08:00:00Z",
            "updated_by": "county",
        }
    )


def full_disk(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")
