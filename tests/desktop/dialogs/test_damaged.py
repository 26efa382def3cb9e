"""A damaged data file at start: the dialog lists the good backups; restoring one brings the
records back and the app goes on; quitting leaves the file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from desktop import __main__ as entry
from desktop.dialogs.damaged import DamagedDataDialog
from sync.profile import Profile
from sync.store import CorruptDatabaseError
from tests.desktop.stores import fill


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Profile, Path]:
    """A profile with two records, a good backup of them, then its data file overwritten."""
    profile = Profile(tmp_path / "profile")
    with profile.open_store() as store:
        fill(store, "internship", 2)
        backup = store.backup("manual")
    with profile.store_path.open("r+b") as data:
        data.write(b"not a database any more" * 8)
    return profile, backup


def test_the_dialog_offers_the_good_backups_newest_first(qtbot, damaged, languages):
    profile, backup = damaged
    with pytest.raises(CorruptDatabaseError) as error:
        profile.open_store()
    dialog = DamagedDataDialog(error.value.path, error.value.backups)
    qtbot.addWidget(dialog)
    assert dialog.backup_list.count() == 1
    assert dialog.chosen_backup() == backup
    assert dialog.restore_button.isEnabled()
    assert str(profile.store_path) in dialog.message.text()
    assert "损坏" in dialog.windowTitle()


def test_with_no_good_backup_the_user_can_only_quit(qtbot, tmp_path, languages):
    dialog = DamagedDataDialog(tmp_path / "store.sqlite3", [])
    qtbot.addWidget(dialog)
    assert dialog.chosen_backup() is None
    assert not dialog.restore_button.isEnabled()
    assert dialog.backup_list.isHidden()


def test_restoring_the_chosen_backup_opens_its_records(qapp, damaged, monkeypatch):
    profile, _backup = damaged
    monkeypatch.setattr(DamagedDataDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    store = entry._open_store(profile)
    assert store is not None
    with store:
        assert sum(sum(c.by_status.values()) for c in store.counts()) == 2


def test_quitting_leaves_the_damaged_file_alone(qapp, damaged, monkeypatch):
    profile, _backup = damaged
    before = profile.store_path.read_bytes()
    monkeypatch.setattr(DamagedDataDialog, "exec", lambda _self: QDialog.DialogCode.Rejected)
    assert entry._open_store(profile) is None
    assert profile.store_path.read_bytes() == before


@pytest.fixture
def damaged_inside(tmp_path: Path) -> Profile:
    """A profile whose file opens (header and schema are fine) but fails the integrity check
    the store runs in the background, with a good backup made before."""
    profile = Profile(tmp_path / "profile")
    with profile.open_store() as store:
        fill(store, "internship", 300)
        store.backup("manual")
    size = profile.store_path.stat().st_size
    with profile.store_path.open("r+b") as data:
        data.seek(size // 2)
        data.write(b"\xff" * 8192)
    return profile


def test_a_damage_found_after_the_window_opened_offers_the_backups(
    qtbot, damaged_inside, monkeypatch
):
    store = damaged_inside.open_store()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    offered: list[list[Path]] = []

    def choose(dialog: DamagedDataDialog) -> QDialog.DialogCode:
        offered.append([dialog.chosen_backup()])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DamagedDataDialog, "exec", choose)
    restore: list[Path] = []
    timer = entry.watch_integrity(store, window, restore)
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=10_000)
    store.close()
    assert restore == offered[0] == store.backups()[:1]
    assert not window.isVisible()


def test_a_good_file_opens_the_window_and_stays(qtbot, tmp_path):
    profile = Profile(tmp_path / "profile")
    profile.open_store().close()
    store = profile.open_store()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    restore: list[Path] = []
    timer = entry.watch_integrity(store, window, restore)
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=10_000)
    store.close()
    assert restore == []
    assert window.isVisible()
