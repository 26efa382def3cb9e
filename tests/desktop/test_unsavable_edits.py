"""Edits the store cannot take do not trap the user and are not lost: a list row whose record
left the list opens nothing, a record gone from the store is kept as a new one, and a save that
cannot work (damaged data file) is not retried for ever; the window can always be closed, with
what was typed written to a file."""

import json
import pathlib

import pytest
from PySide6.QtWidgets import QMessageBox

from sync.store import RecordNotFoundError
from sync.store.errors import CorruptDatabaseError
from tests.desktop.windows import full_disk, save_valid, type_into


def damaged(*_args, **_kwargs):
    raise CorruptDatabaseError(pathlib.Path("/x/store.sqlite3"), "malformed", [])


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes answered without showing: `answers` holds what question() answers."""
    shown = {"warning": [], "question": [], "information": []}
    answers = []

    def question(_parent, _title, text, *_args):
        shown["question"].append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown["warning"].append(args[2]))
    monkeypatch.setattr(
        QMessageBox, "information", lambda *args: shown["information"].append(args[2])
    )
    return shown, answers


def open_edited(qtbot, store, open_window, text="1"):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    type_into(qtbot, page, "class_name", text)
    return window, page, record_id


def unsaved_files(store_path):
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (store_path.parent / "unsaved").glob("*.json")
    ]


def test_a_blank_list_row_opens_nothing_and_the_list_is_read_again(qtbot, store, open_window):
    ids = [save_valid(store, name) for name in ("张三", "李四", "王五")]
    window = open_window(store)
    window.show_page("internship")
    page = window.lists["internship"]
    page.model.refresh()  # counted 3, no row read yet
    with store.for_thread() as sync_connection:
        sync_connection.delete(ids[0], "someone")
    blank = page.model.index(2, 0)
    assert page.model.record_id(2) is None
    page.table.doubleClicked.emit(blank)
    page.table.activated.emit(blank)
    assert window.record_page is None
    assert window.current_page() is page
    # The short read is noticed: the list is counted again.
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    # What crosses Signal(str, str) for None names no record either.
    window.open_record("internship", "")
    assert window.record_page is None


def test_a_record_gone_from_the_store_is_kept_as_a_new_record(
    qtbot, store, open_window, monkeypatch, hook_calls
):
    _window, page, record_id = open_edited(qtbot, store, open_window, "X")
    real_save = store.save

    def gone(form_id, saved_id, *args, **kwargs):
        if saved_id is not None:
            raise RecordNotFoundError(saved_id)
        return real_save(form_id, saved_id, *args, **kwargs)

    monkeypatch.setattr(store, "save", gone)
    page.flush()
    assert "不再存在" in page._save_error_banner.text()
    # Saving it again cannot work: it is not tried every few seconds.
    assert not page.editor._retry_timer.isActive()
    assert page.save_as_new_button.isVisible()
    typed = page.editor.input_of("class_name").value()
    page.save_as_new_button.click()
    assert page.record_id not in (None, record_id)
    assert store.get(page.record_id).fields["class_name"] == typed
    assert not page._save_error_banner.isVisible()
    assert not hook_calls


def test_a_damaged_data_file_is_not_retried_and_the_window_closes_with_a_copy(
    qtbot, store, store_path, open_window, monkeypatch, dialogs, hook_calls
):
    shown, answers = dialogs
    window, page, record_id = open_edited(qtbot, store, open_window)
    typed = page.editor.input_of("class_name").value()
    monkeypatch.setattr(store, "save", damaged)
    page.flush()
    assert "损坏" in page._save_error_banner.text()
    assert not page.editor._retry_timer.isActive()
    # Staying is offered first and keeps everything.
    answers.append(QMessageBox.StandardButton.No)
    window.close()
    assert window.isVisible()
    assert unsaved_files(store_path) == []
    # Closing anyway writes what was typed to a file in the profile's folder, and says where.
    answers.append(QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible()
    [copy] = unsaved_files(store_path)
    assert copy["record_id"] == record_id
    assert copy["fields"]["class_name"] == typed
    assert str(store_path.parent / "unsaved") in shown["question"][-1]
    assert str(store_path.parent / "unsaved") in shown["information"][-1]
    assert not hook_calls


def test_a_save_that_may_pass_keeps_the_window_once_then_offers_a_copy(
    qtbot, store, store_path, open_window, monkeypatch, dialogs
):
    shown, answers = dialogs
    window, page, _record_id = open_edited(qtbot, store, open_window)
    monkeypatch.setattr(store, "save", full_disk)
    window.close()
    assert window.isVisible() and shown["warning"] and not shown["question"]
    answers.append(QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible()
    [copy] = unsaved_files(store_path)
    assert copy["fields"]["class_name"] == page.editor.input_of("class_name").value()


def test_a_copy_that_cannot_be_written_either_is_lost_only_when_the_user_says_so(
    qtbot, store, store_path, open_window, monkeypatch, dialogs
):
    shown, answers = dialogs
    window, _page, _record_id = open_edited(qtbot, store, open_window)
    monkeypatch.setattr(store, "save", damaged)
    (store_path.parent / "unsaved").write_text("a file where the folder goes")
    answers.extend([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])
    window.close()
    assert window.isVisible()
    answers.extend([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes])
    window.close()
    assert not window.isVisible()
    assert len(shown["question"]) == 4


def test_a_record_whose_edits_cannot_be_saved_can_be_left_with_a_copy(
    qtbot, store, store_path, open_window, monkeypatch, dialogs, hook_calls
):
    shown, answers = dialogs
    window, page, record_id = open_edited(qtbot, store, open_window)
    typed = page.editor.input_of("class_name").value()
    monkeypatch.setattr(store, "save", damaged)
    # Declined: the record stays open with what was typed.
    answers.append(QMessageBox.StandardButton.No)
    window.show_page("home")
    assert window.record_page is page
    assert unsaved_files(store_path) == []
    # Accepted: what was typed goes to a file first, then the home page shows.
    answers.append(QMessageBox.StandardButton.Yes)
    window.show_page("home")
    assert window.record_page is None
    assert window.current_page() is window.home
    [copy] = unsaved_files(store_path)
    assert copy["record_id"] == record_id
    assert copy["fields"]["class_name"] == typed
    assert str(store_path.parent / "unsaved") in shown["information"][-1]
    assert not hook_calls
