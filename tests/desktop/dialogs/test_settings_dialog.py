"""The settings dialog: live options, locked options, backups and restore."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.dialogs.settings_dialog import SettingsDialog
from desktop.settings import Settings
from sync.store import Store, restore_backup


def open_dialog(qtbot, settings, store, tasks, tmp_path: Path) -> SettingsDialog:
    dialog = SettingsDialog(settings, store, tasks, log_dir=tmp_path / "logs")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def answer_message_box(qtbot, button_text: str) -> list[str]:
    """Click `button_text` in the next message box; returns the texts it showed."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.extend([box.text(), box.informativeText()])
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)
    return seen


def test_language_switches_live(qtbot, languages, settings, store, tasks, tmp_path):
    settings.option_changed.connect(
        lambda name: languages.switch_to(settings.language) if name == "language" else None
    )
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert dialog.windowTitle() == "设置"
    dialog.language_combo.setFocus()
    qtbot.keyClick(dialog.language_combo, Qt.Key.Key_Down)
    assert settings.language == "en"
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings")
    assert dialog.backup_button.text() == "Back up now"
    assert dialog.language_combo.currentText() == "English"


def test_options_are_saved_as_they_change(qtbot, languages, settings, store, tasks, tmp_path):
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    dialog.interval_spin.selectAll()
    qtbot.keyClicks(dialog.interval_spin, "15")
    assert settings.sync_interval_minutes == 15
    dialog.hub_edit.setFocus()
    qtbot.keyClicks(dialog.hub_edit, "hub.cq.edu.cn/")
    qtbot.keyClick(dialog.hub_edit, Qt.Key.Key_Return)
    assert settings.hub_url == "https://hub.cq.edu.cn"
    assert dialog.account_label.text() == "仅在本机使用：数据不会发送到任何地方。"
    with qtbot.waitSignal(dialog.login_requested):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_locked_options_are_read_only(qtbot, languages, settings_files, store, tasks, tmp_path):
    user_file, system_file = settings_files
    system_file.write_text(
        "[General]\nhub_url=https://hub.cq.edu.cn\nsync_interval_minutes=30\n"
        "locked=hub_url, sync_interval_minutes\n"
    )
    user_file.write_text("[General]\nhub_url=https://elsewhere\nsync_interval_minutes=2\n")
    settings = Settings(user_file, system_file)
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert dialog.hub_edit.text() == "https://hub.cq.edu.cn"
    assert dialog.hub_edit.isReadOnly()
    assert dialog.hub_note.text() == "此地址由 IT 人员为本机设定。"
    assert dialog.interval_spin.value() == 30
    assert not dialog.interval_spin.isEnabled()
    assert dialog.interval_note.text() == "由 IT 人员设定。"
    qtbot.keyClicks(dialog.hub_edit, "x")
    qtbot.keyClick(dialog.hub_edit, Qt.Key.Key_Return)
    assert settings.hub_url == "https://hub.cq.edu.cn"


def test_back_up_now_then_restore_it_after_confirming(
    qtbot, languages, settings, store, tasks, tmp_path
):
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert dialog.data_edit.text() == str(store.path.parent)
    assert dialog.log_edit.text() == str(tmp_path / "logs")
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.backup_message.text().startswith("已备份到"), timeout=5000)
    assert dialog.backup_list.count() == 1
    assert "手动备份" in dialog.backup_list.item(0).text()
    store.save("internship", record_id, {"student_name": "李四"}, "li")

    dialog.backup_list.setCurrentRow(0)
    answer_message_box(qtbot, "取消")
    with qtbot.assertNotEmitted(dialog.restore_confirmed):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()

    restored: list[Path] = []

    def restore(backup: Path) -> None:
        store.close()
        restore_backup(backup, store.path)
        restored.append(backup)

    dialog.restore_confirmed.connect(restore)
    seen = answer_message_box(qtbot, "恢复")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert restored and not dialog.isVisible()
    assert seen[0].startswith("用 ") and "替换本机的数据" in seen[0]
    with Store.open(store.path) as reopened:
        assert reopened.get(record_id).fields["student_name"] == "张三"


def test_hub_address_shows_the_hub_signed_in_to_when_none_is_set(
    qtbot, languages, settings, store, tasks, tmp_path
):
    state = store.sync_state()
    store.set_sync_state(dataclasses.replace(state, hub_url="http://hub.test", username="u1"))
    assert settings.hub_url == ""
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert dialog.hub_edit.text() == "http://hub.test"
    settings.hub_url = "https://next.example.edu.cn"
    assert open_dialog(qtbot, settings, store, tasks, tmp_path).hub_edit.text() == (
        "https://next.example.edu.cn"
    )


def test_the_data_folder_is_shown_with_why_it_is_fixed(
    qtbot, languages, settings, store, tasks, tmp_path, monkeypatch
):
    dialog = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert dialog.data_edit.text() == str(store.path.parent)
    assert dialog.data_edit.isReadOnly()
    # Not the user's default profile: it was named at the app's start.
    assert "--profile" in dialog.data_note.text()
    languages.switch_to("en")
    qtbot.waitUntil(lambda: dialog.data_note.text().startswith("Your records are kept in this"))
    assert "backups folder" in dialog.data_note.text()

    from sync.profile import Profile

    monkeypatch.setattr(Profile, "default", classmethod(lambda cls: Profile(store.path.parent)))
    default = open_dialog(qtbot, settings, store, tasks, tmp_path)
    assert "--profile" not in default.data_note.text()
    assert "cannot be changed" in default.data_note.text()
