"""The data file failed its integrity check: say so, list the backups that pass theirs, and let
the user restore one or quit. Never a bare traceback, never the data touched without asking.

    dialog = DamagedDataDialog(error.path, error.backups)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        restore_backup(dialog.chosen_backup(), error.path)

Shown when `Store.open` raises CorruptDatabaseError, and when the check running in the
background after start reports a problem (the window is open then; it closes for the restore).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.settings_dialog import backup_label


class DamagedDataDialog(QDialog):
    """Accepted with a backup chosen (`chosen_backup()`); rejected means quit."""

    def __init__(
        self, data_file: Path, good_backups: list[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data_file = data_file
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_list = QListWidget()
        self.backup_list.currentRowChanged.connect(self._update_buttons)
        self.backup_list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # The icon beside the message, as in a message box, not on a line of its own.
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.backup_list, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self.setWindowTitle(self.tr("Chanjiao Collect: the data file is damaged"))
        self.restore_button.setText(self.tr("Restore the selected backup"))
        self.quit_button.setText(self.tr("Quit"))
        if good_backups:
            self.message.setText(
                self.tr(
                    "The data file on this computer is damaged and cannot be used:\n{0}\n\n"
                    "Restore one of these backups. Everything entered after it and not yet "
                    "synced is no longer shown; the damaged file is kept aside in the data "
                    "folder for your IT staff."
                ).format(data_file)
            )
        else:
            self.message.setText(
                self.tr(
                    "The data file on this computer is damaged and cannot be used:\n{0}\n\n"
                    "There is no good backup to restore. Ask your IT staff for help; records "
                    "already synced are safe on the hub."
                ).format(data_file)
            )
            self.backup_list.hide()
        self._show_backups(good_backups)

    def _show_backups(self, backups: list[Path]) -> None:
        for backup in backups:
            item = QListWidgetItem(backup_label(backup, self._data_file.stem))
            item.setData(Qt.ItemDataRole.UserRole, str(backup))
            item.setToolTip(str(backup))
            self.backup_list.addItem(item)
        # Newest first: the one losing the least.
        self.backup_list.setCurrentRow(0 if backups else -1)
        self._update_buttons()

    def chosen_backup(self) -> Path | None:
        item = self.backup_list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.chosen_backup() is not None)
