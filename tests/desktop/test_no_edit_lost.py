"""Nothing typed into a record is lost: not when a sync brings a newer version of it while the
user types, not when a save fails (disk full, the data file locked), not for a number too
large for the store. Driven through the main window like a clerk does."""

import sqlite3
import uuid

import shiboken6
from PySide6.QtWidgets import QMessageBox

from desktop.records.record_page import RecordPage
from sync.protocol import Op
from sync.samples import SampleFactory
from sync.store import Store
from tests.desktop.windows import full_disk, open_store, pulled, save_valid, type_into
from tests.sync.engine.conftest import open_device

# More than SQLite's 64-bit integers hold, and more than JSON numbers hold exactly.
HUGE = 99999999999999999999


def open_pulled_record(store, open_window, fields):
    record_id = str(uuid.uuid4())
    store.apply_pull_page([pulled(record_id, 1, fields)], cursor="1")
    window = open_window(store)
    window.open_record("internship", record_id)
    return window, record_id


def test_typing_survives_a_sync_that_changed_another_field(qtbot, store, open_window, hook_calls):
    fields = SampleFactory(seed=5).fields("internship", "valid") | {"class_name": "1班"}
    window, record_id = open_pulled_record(store, open_window, fields)
    type_into(qtbot, window.current_page(), "notes", "about the visit")
    # Before the autosave: a sync on its own connection brings the county's correction.
    with store.for_thread() as sync_connection:
        sync_connection.apply_pull_page([pulled(record_id, 2, fields | {"class_name": "2班"})], "2")
    window._synced(None)
    stored = store.get(record_id).fields
    assert stored["notes"] == "about the visit"
    assert stored["class_name"] == "2班"
    page = window.current_page()
    assert isinstance(page, RecordPage) and page.record_id == record_id
    assert page.editor.input_of("notes").value() == "about the visit"
    assert page.editor.input_of("class_name").value() == "2班"
    assert not hook_calls


def test_typing_into_the_field_a_sync_changed_keeps_the_users_value_for_the_hub(
    qtbot, store, open_window
):
    fields = SampleFactory(seed=5).fields("internship", "valid") | {"class_name": "1班"}
    window, record_id = open_pulled_record(store, open_window, fields)
    type_into(qtbot, window.current_page(), "class_name", "A")
    with store.for_thread() as sync_connection:
        sync_connection.apply_pull_page([pulled(record_id, 2, fields | {"class_name": "2班"})], "2")
    window._synced(None)
    assert store.get(record_id).fields["class_name"] == "1班A"
    queued = store.next_batch()
    assert queued is not None
    [entry] = [entry for entry in queued.entries if entry.record_id == record_id]
    assert entry.op is Op.SAVE
    assert entry.payload["fields"]["class_name"] == "1班A"
    # With the revision it was typed on as its base: the hub reports the conflict.
    assert entry.base_rev == 1
    assert window.current_page().editor.input_of("class_name").value() == "1班A"


def test_an_autosave_after_a_sync_keeps_the_hubs_change_to_another_field(qtbot, store, open_window):
    # The sync changed the record and the autosave fires before the window hears of it.
    fields = SampleFactory(seed=5).fields("internship", "valid") | {"class_name": "1班"}
    window, record_id = open_pulled_record(store, open_window, fields)
    page = window.current_page()
    type_into(qtbot, page, "notes", "first")
    with store.for_thread() as sync_connection:
        sync_connection.apply_pull_page([pulled(record_id, 2, fields | {"class_name": "2班"})], "2")
    page.flush()
    type_into(qtbot, page, "notes", " second")
    page.flush()
    stored = store.get(record_id).fields
    assert (stored["class_name"], stored["notes"]) == ("2班", "first second")


def test_a_failed_autosave_keeps_the_typing_says_why_and_is_tried_again(
    qtbot, store, open_window, monkeypatch, hook_calls
):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    type_into(qtbot, page, "class_name", "1")
    real_save = store.save
    monkeypatch.setattr(store, "save", full_disk)
    page.flush()
    assert not hook_calls
    assert page.editor._save_state_label.text() == "未保存"
    assert page._save_error_banner.isVisible()
    assert "磁盘已满" in page._save_error_banner.text()
    assert "仍在此窗口中" in page._save_error_banner.text()
    # Leaving the record and closing the window both keep it open, and say why.
    window.show_page("internship")
    assert window.current_page() is page
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    window.close()
    assert window.isVisible() and warnings
    # Space freed: the retry saves without another keystroke.
    monkeypatch.setattr(store, "save", real_save)
    qtbot.waitUntil(
        lambda: store.get(record_id).fields.get("class_name", "").endswith("1"),
        timeout=4 * page.editor.RETRY_DELAY_MS,
    )
    assert not page._save_error_banner.isVisible()
    assert page.editor._save_state_label.text().startswith("已保存")


def test_a_save_blocked_by_a_locked_data_file_is_saved_on_close(
    qtbot, store_path, open_window, hook_calls
):
    setup = open_store(store_path)
    record_id = save_valid(setup, "张三")
    setup.close()
    store = Store.open(store_path, busy_timeout=0.1)
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    type_into(qtbot, page, "class_name", "1")
    other = sqlite3.connect(store_path)
    other.execute("BEGIN IMMEDIATE")
    page.flush()
    assert "另一个程序" in page._save_error_banner.text()
    other.rollback()
    other.close()
    window.close()
    assert not window.isVisible()
    shiboken6.delete(window)
    store.close()
    with Store.open(store_path) as reopened:
        assert reopened.get(record_id).fields["class_name"].endswith("1")
    assert not hook_calls


def test_a_huge_number_is_refused_beside_its_field_and_the_rest_is_saved(
    qtbot, store, open_window, hook_calls
):
    # Before, the editor's signal carried a QVariantMap and the number was saved as -1; now it
    # reaches the forms engine as typed, which refuses it (beyond 2^53 - 1) beside its field.
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    type_into(qtbot, page, "enterprise_staff", str(HUGE), replace=True)
    type_into(qtbot, page, "class_name", "1")
    page.flush()
    assert not hook_calls
    stored = store.get(record_id).fields
    assert stored["class_name"].endswith("1")
    assert stored.get("enterprise_staff") not in (-1, HUGE)
    messages = page.editor._rows["enterprise_staff"].messages
    qtbot.waitUntil(lambda: "数值过大" in messages.text())
    assert messages.isVisible()
    # Corrected, the error goes and the number is saved.
    type_into(qtbot, page, "enterprise_staff", "12", replace=True)
    page.flush()
    assert store.get(record_id).fields["enterprise_staff"] == 12
    assert not any(i.path == "enterprise_staff" for i in page.editor.issues)


def test_a_field_changed_on_the_hub_while_the_user_typed_it_is_a_conflict_on_the_hub(
    qtbot, live_hub, tmp_path, open_window
):
    valid = SampleFactory(seed=3).fields("internship", "valid") | {"class_name": "1班"}
    here = open_device(live_hub, "school1", tmp_path / "here.db")
    elsewhere = open_device(live_hub, "school1", tmp_path / "elsewhere.db")
    try:
        record_id = elsewhere.store.save("internship", None, valid, "li").record_id
        elsewhere.engine.sync()
        here.engine.sync()
        window = open_window(here.store)
        window.open_record("internship", record_id)
        type_into(qtbot, window.current_page(), "class_name", "A")
        elsewhere.store.save("internship", record_id, valid | {"class_name": "2班"}, "wang")
        elsewhere.engine.sync()
        # The sync pass pulls the other change before the autosave; the window hears after.
        here.engine.sync()
        window._synced(None)
        here.engine.sync()
        assert live_hub.records("school1")[record_id].conflict is not None
        assert here.store.get(record_id).conflict is not None
        shiboken6.delete(window)
    finally:
        here.close()
        elsewhere.close()


def test_after_an_autosave_carried_onto_a_pulled_version_the_editor_shows_that_version(
    qtbot, store, open_window, hook_calls
):
    # A sync pulled another user's change; the autosave fires before the window hears of it.
    fields = SampleFactory(seed=5).fields("internship", "valid") | {"class_name": "1班"}
    window, record_id = open_pulled_record(store, open_window, fields)
    page = window.current_page()
    with store.for_thread() as sync_connection:
        sync_connection.apply_pull_page([pulled(record_id, 2, fields | {"class_name": "2班"})], "2")
    type_into(qtbot, page, "notes", "n")
    notes_box = page.editor.input_of("notes").focus_widget()
    assert page.flush()  # nothing left waiting: leaving or closing is not held up
    assert store.get(record_id).fields["class_name"] == "2班"
    # The editor shows what it saved, not the value the sync replaced; the user stays put.
    assert page.editor.input_of("class_name").value() == "2班"
    assert window.focusWidget() is notes_box
    # An edit of that field goes on from the other user's value, which is not overwritten.
    type_into(qtbot, page, "class_name", "A")
    page.flush()
    assert store.get(record_id).fields["class_name"] == "2班A"
    [entry] = [entry for entry in store.next_batch().entries if entry.record_id == record_id]
    assert entry.payload["fields"]["class_name"] == "2班A"
    assert entry.payload["fields"]["notes"].endswith("n")
    assert not hook_calls


def test_an_edit_after_a_carried_autosave_keeps_the_other_users_change_on_the_hub(
    qtbot, live_hub, tmp_path, open_window
):
    valid = SampleFactory(seed=3).fields("internship", "valid") | {"class_name": "1班"}
    here = open_device(live_hub, "school1", tmp_path / "here.db")
    elsewhere = open_device(live_hub, "school1", tmp_path / "elsewhere.db")
    try:
        record_id = elsewhere.store.save("internship", None, valid, "li").record_id
        elsewhere.engine.sync()
        here.engine.sync()
        window = open_window(here.store)
        window.open_record("internship", record_id)
        page = window.current_page()
        elsewhere.store.save("internship", record_id, valid | {"class_name": "2班"}, "wang")
        elsewhere.engine.sync()
        here.engine.sync()  # pulls 2班; the window has not heard yet
        type_into(qtbot, page, "notes", "n")
        page.flush()
        type_into(qtbot, page, "class_name", "A")
        page.flush()
        here.engine.sync()
        on_hub = live_hub.records("school1")[record_id]
        assert on_hub.fields["class_name"] == "2班A"
        assert on_hub.fields["notes"].endswith("n")
        shiboken6.delete(window)
    finally:
        here.close()
        elsewhere.close()
