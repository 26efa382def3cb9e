"""The login dialog driven like a user does, against a real hub on loopback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog

from desktop.dialogs.login import LoginDialog, is_local_profile, needs_first_run
from desktop.settings import Settings
from sync.engine import SyncEngine
from tests.desktop.dialogs.conftest import closed_port_url


def open_dialog(qtbot, store, settings, tasks, tokens, **options):
    dialog = LoginDialog(store, settings, tasks, connect=tokens.connect, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_chinese(widget, text):
    """What an input method does: commit the composed text."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def fill(qtbot, dialog, hub_url, username, password):
    if not dialog.hub_edit.isReadOnly():
        dialog.hub_edit.clear()
        qtbot.keyClicks(dialog.hub_edit, hub_url)
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)


def test_first_login_signs_the_store_in_and_keeps_the_token(
    qtbot, languages, store, settings, tasks, tokens, live_hub
):
    assert needs_first_run(store)
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    assert dialog.windowTitle() == "登录中心服务器"
    fill(qtbot, dialog, live_hub.url + "/", "school1", "pw")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as logged_in:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        # The login runs in the background: the dialog says so and takes no second click.
        assert dialog.progress.isVisible()
        assert not dialog.login_button.isEnabled()
    assert logged_in.args[0].username == "school1"
    assert dialog.result() == QDialog.DialogCode.Accepted
    state = store.sync_state()
    assert (state.hub_url, state.username, state.org) == (live_hub.url, "school1", "3150010301")
    assert tokens.stores[(live_hub.url, "school1")].token
    assert settings.hub_url == live_hub.url
    assert not needs_first_run(store)


def test_a_wrong_password_is_said_in_plain_words_and_the_dialog_stays(
    qtbot, languages, store, settings, tasks, tokens, live_hub
):
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    fill(qtbot, dialog, live_hub.url, "school1", "wrong")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert dialog.message.text() == "用户名或密码不正确。"
    assert dialog.isVisible()
    assert dialog.username_edit.text() == "school1"
    assert dialog.password_edit.text() == ""
    assert needs_first_run(store)


def test_no_network_is_said_in_plain_words(qtbot, languages, store, settings, tasks, tokens):
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    fill(qtbot, dialog, closed_port_url(), "school1", "pw")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert "无法连接到中心服务器" in dialog.message.text()
    assert not dialog.progress.isVisible()


def test_a_hub_address_locked_by_it_is_prefilled_and_read_only(
    qtbot, languages, store, settings_files, tasks, tokens, live_hub
):
    user_file, system_file = settings_files
    system_file.write_text(f"[General]\nhub_url={live_hub.url}\nlocked=hub_url\n")
    settings = Settings(user_file, system_file)
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    assert dialog.hub_edit.text() == live_hub.url
    assert dialog.hub_edit.isReadOnly()
    assert dialog.hub_note.text() == "此地址由 IT 人员为本机设定。"
    fill(qtbot, dialog, "ignored", "school1", "pw")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert store.sync_state().hub_url == live_hub.url


def test_working_without_a_hub_makes_a_local_profile_that_logs_in_later(
    qtbot, languages, store, settings, tasks, tokens, live_hub
):
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    type_chinese(dialog.username_edit, "李老师")
    with qtbot.waitSignal(dialog.local_profile_chosen) as chosen:
        qtbot.mouseClick(dialog.offline_button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["李老师"]
    assert is_local_profile(store) and not needs_first_run(store)
    record = store.save("internship", None, {"student_name": "张三"}, "李老师").record_id

    later = open_dialog(qtbot, store, settings, tasks, tokens)
    assert not later.offline_button.isVisible()
    fill(qtbot, later, live_hub.url, "school1", "pw")
    with qtbot.waitSignal(later.logged_in, timeout=10_000):
        qtbot.mouseClick(later.login_button, Qt.MouseButton.LeftButton)
    assert not is_local_profile(store)
    # What was entered before the hub existed goes to it at the first sync.
    with tokens.connect(live_hub.url, "school1") as client:
        assert SyncEngine(store, client).sync().ok
    assert record in live_hub.records("school1")


def test_relogin_keeps_the_user_and_says_why(qtbot, languages, store, settings, tasks, tokens):
    state = store.sync_state()
    store.set_sync_state(state.__class__(state.client_id, "http://hub", "school1", "S1", "C"))
    dialog = open_dialog(qtbot, store, settings, tasks, tokens, relogin=True)
    assert dialog.username_edit.text() == "school1"
    assert "登录已失效" in dialog.intro.text()
    assert dialog.password_edit.hasFocus() or not dialog.isActiveWindow()


def test_language_switch_retranslates_the_dialog(qtbot, languages, store, settings, tasks, tokens):
    dialog = open_dialog(qtbot, store, settings, tasks, tokens)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Log in to the hub")
    assert dialog.login_button.text() == "Log in"


def test_relogin_keeps_the_hub_and_the_user_fixed(qtbot, languages, store, settings, tasks, tokens):
    state = store.sync_state()
    store.set_sync_state(state.__class__(state.client_id, "http://hub", "school1", "S1", "C"))
    dialog = open_dialog(qtbot, store, settings, tasks, tokens, relogin=True)
    assert dialog.hub_edit.text() == "http://hub"
    assert dialog.hub_edit.isReadOnly() and dialog.username_edit.isReadOnly()


def test_another_account_on_a_profile_holding_records_is_refused(
    qtbot, languages, store, settings, tasks, tokens, live_hub
):
    first = open_dialog(qtbot, store, settings, tasks, tokens)
    fill(qtbot, first, live_hub.url, "school1", "pw")
    with qtbot.waitSignal(first.logged_in, timeout=10_000):
        qtbot.mouseClick(first.login_button, Qt.MouseButton.LeftButton)
    # Made offline by school1: queued, not on the hub yet.
    record = store.save("internship", None, {"student_name": "张三"}, "school1").record_id

    other = open_dialog(qtbot, store, settings, tasks, tokens)
    fill(qtbot, other, live_hub.url, "school2", "pw")
    qtbot.mouseClick(other.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: other.message.isVisible(), timeout=10_000)
    assert "school1" in other.message.text()
    assert "chanjiao --profile" in other.message.text()
    assert other.isVisible()
    assert store.sync_state().username == "school1"
    assert (live_hub.url, "school2") not in tokens.stores  # the hub was not even asked
    # The same account again is welcome, and its record goes to its own school.
    fill(qtbot, other, live_hub.url, "school1", "pw")
    with qtbot.waitSignal(other.logged_in, timeout=10_000):
        qtbot.mouseClick(other.login_button, Qt.MouseButton.LeftButton)
    with tokens.connect(live_hub.url, "school1") as client:
        assert SyncEngine(store, client).sync().ok
    assert record in live_hub.records("school1")
    assert record not in live_hub.records("school2")


def test_the_login_goes_through_the_proxy_of_the_settings(
    qtbot, languages, store, settings_files, tasks, live_hub, monkeypatch
):
    from desktop.dialogs import login
    from tests.sync.engine.conftest import MemoryTokenStore
    from tests.sync.engine.recording_proxy import recording_proxy

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(login, "open_token_store", lambda _account: MemoryTokenStore())
    user_file, system_file = settings_files
    with recording_proxy() as proxy:
        system_file.write_text(f'[General]\nproxy="{proxy.url}"\n', encoding="utf-8")
        settings = Settings(user_file, system_file)
        # The dialog's own way to make clients, as the app opens it: no connect given.
        dialog = LoginDialog(store, settings, tasks)
        qtbot.addWidget(dialog)
        dialog.show()
        fill(qtbot, dialog, live_hub.url, "school1", "pw")
        with qtbot.waitSignal(dialog.logged_in, timeout=10_000):
            qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        assert f"POST {live_hub.url}/api/v1/auth/login" in proxy.requests
