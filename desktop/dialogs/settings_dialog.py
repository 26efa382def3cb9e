"""Settings: language, hub, sync interval, where the data and logs are, backup and restore.

    dialog = SettingsDialog(settings, store, tasks, log_dir=services.log_path.parent)
    dialog.login_requested.connect(window.show_login)
    dialog.restore_confirmed.connect(window.restore_backup)
    dialog.exec()

Options take effect as they are changed (the language switches at once through
`Services.apply_option`); options IT locked machine-wide are shown read-only. Restoring a
backup replaces the open data file, which only the window that owns every connection to it can
do: after the user confirmed, the dialog emits `restore_confirmed(backup)` and closes; the
receiver stops sync, closes its stores, calls `sync.store.restore_backup(backup, store.path)`
(which keeps the replaced file aside) and opens the store again.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.login import normalized_hub_url
from desktop.errors import explain
from desktop.i18n import LANGUAGES
from desktop.settings import Settings
from desktop.tasks import TaskRunner
from sync.profile import Profile
from sync.store import Store

MUTED_COLOR = "#667085"
ERROR_COLOR = "#b42318"
_BACKUP_TIME = "%Y%m%dT%H%M%S%fZ"


def make_backup(store: Store) -> Path:
    """A manual backup, on the calling thread's own connection (for TaskRunner)."""
    with store.for_thread() as own:
        return own.backup("manual")


def backup_time(backup: Path, stem: str) -> datetime.datetime | None:
    """When a backup was made, from its name `<stem>-<UTC time>-<reason>.sqlite3`."""
    stamp = backup.stem.removeprefix(stem + "-").split("-", 1)[0]
    try:
        return datetime.datetime.strptime(stamp, _BACKUP_TIME).replace(tzinfo=datetime.UTC)
    except ValueError:
        return None


def backup_reason(backup: Path) -> str:
    return backup.stem.rsplit("-", 1)[-1]


def backup_label(backup: Path, stem: str) -> str:
    """A backup in a list: when it was made, why, and its size."""
    reasons = {
        "manual": QCoreApplication.translate("SettingsDialog", "made by hand"),
        "daily": QCoreApplication.translate("SettingsDialog", "daily"),
        "pre-migration": QCoreApplication.translate("SettingsDialog", "before an update"),
    }
    made = backup_time(backup, stem)
    when = made.astimezone().strftime("%Y-%m-%d %H:%M:%S") if made else backup.name
    reason = reasons.get(backup_reason(backup), backup_reason(backup))
    # "KB" and "MB", which people know, not "KiB".
    size = QLocale().formattedDataSize(
        backup.stat().st_size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
    )
    return f"{when} · {reason} · {size}"


class SettingsDialog(QDialog):
    """The app's options. Signals: `login_requested()` (the user wants to log in to a hub:
    attach a local profile or change the hub), `restore_confirmed(backup: Path)`."""

    login_requested = Signal()
    restore_confirmed = Signal(Path)

    def __init__(
        self,
        settings: Settings,
        store: Store,
        tasks: TaskRunner,
        *,
        log_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self._tasks = tasks
        self._log_dir = log_dir
        self._backing_up = False
        # Read once: retranslating must not touch the store (it may be closed by then).
        self._account = store.sync_state()

        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(settings.language))
        self.language_combo.setEnabled(not settings.is_locked("language"))
        self.language_combo.currentIndexChanged.connect(self._language_chosen)

        # The hub signed in to, while no other address is set for the next login.
        self.hub_edit = QLineEdit(settings.hub_url or self._account.hub_url or "")
        self.hub_edit.setPlaceholderText("https://hub.example.edu.cn")
        self.hub_edit.setReadOnly(settings.is_locked("hub_url"))
        self.hub_edit.editingFinished.connect(self._hub_edited)
        self.hub_note = QLabel()
        self.hub_note.setWordWrap(True)
        self.hub_note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
        self.login_button = QPushButton()
        self.login_button.setAutoDefault(False)
        self.login_button.clicked.connect(self.login_requested)

        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(1, 24 * 60)
        self.interval_spin.setValue(settings.sync_interval_minutes)
        self.interval_spin.setEnabled(not settings.is_locked("sync_interval_minutes"))
        self.interval_spin.valueChanged.connect(self._interval_changed)
        self.interval_note = QLabel()
        self.interval_note.setStyleSheet(f"color: {MUTED_COLOR};")

        self.data_edit = QLineEdit(str(store.path.parent))
        self.data_edit.setReadOnly(True)
        # The folder is fixed (not moved from here): `chanjiao sync`, run by IT's schedule, and
        # IT's tools find a user's records in the default profile, or in the one the app's
        # start names with --profile; a folder chosen here would be one they do not know.
        self._default_data = store.path.parent == Profile.default().directory
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        self.data_note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.open_data_button = QPushButton()
        self.open_data_button.setAutoDefault(False)
        self.open_data_button.clicked.connect(lambda: self._open_folder(store.path.parent))
        self.backup_list = QListWidget()
        self.backup_list.setMinimumHeight(120)
        self.backup_list.currentRowChanged.connect(self._update_buttons)
        self.backup_button = QPushButton()
        self.backup_button.setAutoDefault(False)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_message = QLabel()
        self.backup_message.setWordWrap(True)
        self.backup_message.hide()

        self.log_edit = QLineEdit(str(log_dir))
        self.log_edit.setReadOnly(True)
        self.open_log_button = QPushButton()
        self.open_log_button.setAutoDefault(False)
        self.open_log_button.clicked.connect(lambda: self._open_folder(log_dir))

        self.general_box = QGroupBox()
        general_form = QFormLayout(self.general_box)
        self.language_label = QLabel()
        general_form.addRow(self.language_label, self.language_combo)

        self.hub_box = QGroupBox()
        hub_form = QFormLayout(self.hub_box)
        self.hub_label = QLabel()
        hub_form.addRow(self.hub_label, self.hub_edit)
        hub_form.addRow(None, self.hub_note)
        account_row = QHBoxLayout()
        account_row.addWidget(self.account_label, 1)
        account_row.addWidget(self.login_button)
        self.account_title = QLabel()
        hub_form.addRow(self.account_title, account_row)
        self.interval_label = QLabel()
        interval_row = QHBoxLayout()
        interval_row.addWidget(self.interval_spin)
        interval_row.addWidget(self.interval_note, 1)
        hub_form.addRow(self.interval_label, interval_row)

        self.data_box = QGroupBox()
        data_layout = QVBoxLayout(self.data_box)
        data_form = QFormLayout()
        self.data_label = QLabel()
        data_form.addRow(self.data_label, _with_button(self.data_edit, self.open_data_button))
        data_form.addRow("", self.data_note)
        self.log_label = QLabel()
        data_form.addRow(self.log_label, _with_button(self.log_edit, self.open_log_button))
        self.backups_label = QLabel()
        data_layout.addLayout(data_form)
        data_layout.addWidget(self.backups_label)
        data_layout.addWidget(self.backup_list)
        backup_buttons = QHBoxLayout()
        backup_buttons.addWidget(self.backup_button)
        backup_buttons.addWidget(self.restore_button)
        backup_buttons.addStretch(1)
        data_layout.addLayout(backup_buttons)
        data_layout.addWidget(self.backup_message)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_box)
        layout.addWidget(self.hub_box)
        layout.addWidget(self.data_box, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)
        # A read-only line edit looks editable by default; these show what cannot be changed.
        for edit in self.findChildren(QLineEdit):
            if edit.isReadOnly():
                edit.setStyleSheet("background: palette(window);")
        self.retranslate_ui()
        self.show_backups()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.general_box.setTitle(self.tr("General"))
        self.language_label.setText(self.tr("Language"))
        self.hub_box.setTitle(self.tr("Hub and sync"))
        self.hub_label.setText(self.tr("Hub address"))
        if self._settings.is_locked("hub_url"):
            self.hub_note.setText(self.tr("Set by your IT staff for this computer."))
        else:
            self.hub_note.setText(self.tr("A new address is used from the next login."))
        self.account_title.setText(self.tr("Account"))
        state = self._account
        if state.hub_url:
            self.account_label.setText(
                self.tr("Signed in as {0} at {1}").format(state.username, state.hub_url)
            )
            self.login_button.setText(self.tr("Log in again…"))
        else:
            self.account_label.setText(
                self.tr("Working on this computer only: records are not sent anywhere.")
            )
            self.login_button.setText(self.tr("Log in to a hub…"))
        self.interval_label.setText(self.tr("Sync every"))
        self.interval_spin.setSuffix(self.tr(" min"))
        self.interval_note.setText(
            self.tr("Set by your IT staff.")
            if self._settings.is_locked("sync_interval_minutes")
            else self.tr("while the hub can be reached")
        )
        self.data_box.setTitle(self.tr("Data, backups and logs"))
        self.data_label.setText(self.tr("Data folder"))
        self.data_note.setText(
            self.tr(
                "Your records are kept here, in your own user folder on this computer. The "
                "folder cannot be changed: the scheduled sync and your IT staff look for the "
                "records here. To keep a copy elsewhere, back up now and copy the newest file "
                "in its backups folder."
            )
            if self._default_data
            else self.tr(
                "Your records are kept in this folder because the app was started with it "
                "(--profile), as your IT staff set it up. It changes only with how the app is "
                "started. To keep a copy elsewhere, back up now and copy the newest file in its "
                "backups folder."
            )
        )
        self.log_label.setText(self.tr("Log folder"))
        self.open_data_button.setText(self.tr("Open"))
        self.open_log_button.setText(self.tr("Open"))
        self.backups_label.setText(
            self.tr("Backups (a new one is made every day; the latest seven are kept):")
        )
        self.backup_button.setText(self.tr("Back up now"))
        self.restore_button.setText(self.tr("Restore the selected backup…"))
        self.show_backups()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def show_backups(self) -> None:
        current = self.selected_backup()
        self.backup_list.clear()
        for backup in self._store.backups():
            item = QListWidgetItem(backup_label(backup, self._store.path.stem))
            item.setData(Qt.ItemDataRole.UserRole, str(backup))
            item.setToolTip(str(backup))
            self.backup_list.addItem(item)
            if current is not None and backup == current:
                self.backup_list.setCurrentItem(item)
        if not self.backup_list.count():
            empty = QListWidgetItem(self.tr("No backups yet."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.backup_list.addItem(empty)
        self._update_buttons()

    def selected_backup(self) -> Path | None:
        item = self.backup_list.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return None
        return Path(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)
        self.backup_button.setEnabled(not self._backing_up)

    @Slot()
    def back_up_now(self) -> None:
        self._backing_up = True
        self._update_buttons()
        self._say(self.tr("Backing up…"))
        self._tasks.run_task(lambda: make_backup(self._store), self._backed_up, self._failed)

    def _backed_up(self, backup: Path) -> None:
        self._backing_up = False
        self.show_backups()
        self._say(self.tr("Backed up to {0}").format(backup))

    def _failed(self, error: BaseException) -> None:
        self._backing_up = False
        self._update_buttons()
        self._say(explain(error), problem=True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.backup_message.setText(text)
        self.backup_message.setStyleSheet(f"color: {ERROR_COLOR};" if problem else "")
        self.backup_message.show()

    @Slot()
    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None or not self.confirm_restore(backup):
            return
        self.restore_confirmed.emit(backup)
        self.accept()

    def confirm_restore(self, backup: Path) -> bool:
        made = backup_time(backup, self._store.path.stem)
        when = made.astimezone().strftime("%Y-%m-%d %H:%M") if made else backup.name
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Restore a backup"))
        box.setText(
            self.tr("Replace the data on this computer with the backup of {0}?").format(when)
        )
        box.setInformativeText(
            self.tr(
                "Everything entered after that time and not yet synced is no longer shown. "
                "The current data file is kept aside in the data folder, not deleted."
            )
        )
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    @Slot(int)
    def _language_chosen(self, index: int) -> None:
        self._settings.language = self.language_combo.itemData(index)

    @Slot()
    def _hub_edited(self) -> None:
        if self.hub_edit.isReadOnly():
            return
        url = normalized_hub_url(self.hub_edit.text())
        self.hub_edit.setText(url)
        self._settings.hub_url = url

    @Slot(int)
    def _interval_changed(self, minutes: int) -> None:
        self._settings.sync_interval_minutes = minutes

    def _open_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _with_button(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row
