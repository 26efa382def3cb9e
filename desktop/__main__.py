"""`chanjiao`: the desktop app, and `chanjiao sync` for syncing without a window.

chanjiao                                   # the app on the user's default profile
chanjiao --profile DIR                     # another profile (a folder holding its store)
chanjiao --hub URL --user U --password-stdin   # sign in first (make run, tests)
chanjiao sync [--profile DIR] ...          # see sync.headless
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

# Before Qt on purpose: PySide6 installs an import hook that reads the source of every module
# imported after it (looking for `from __feature__ import ...`); the store and the forms are
# dozens of modules it need not read. The sync engine, its hub client and their protocol models
# are not imported at start at all: the sync thread imports them for its first pass.
from sync.profile import Profile
from sync.store import CorruptDatabaseError, Store, restore_backup
from sync.store.search import load_pinyin

# isort: split
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.application import Services, start_services
from desktop.main_window import MainWindow
from desktop.sync_controller import SyncController

# How often the window asks whether the store's background integrity check is over.
VERDICT_POLL_MS = 250
PINYIN_LOAD_DELAY_MS = 1000

# Dialogs, `chanjiao sync` and the self-test are imported when they are used, not at start:
# the time to the first window is measured against a bare Qt window (issue 6).


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chanjiao", description="Chanjiao Collect")
    parser.add_argument("--profile", type=Path, help="profile directory (default: the user's)")
    parser.add_argument("--hub", help="hub address to sign in to before the window opens")
    parser.add_argument("--user", help="user name to sign in as (with --hub)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in arguments:
        from desktop.self_test import run_self_test

        return run_self_test(arguments)
    if arguments[:1] == ["sync"]:
        from sync import headless

        return headless.main(arguments[1:])
    options = _parser().parse_args(arguments)
    if options.hub and not (options.user and options.password_stdin):
        _parser().error("--hub needs --user and --password-stdin")
    password = sys.stdin.readline().rstrip("\n") if options.password_stdin else ""

    # The running application when there is one (tests start the app in theirs).
    app = cast(QApplication, QApplication.instance()) or QApplication(sys.argv[:1])
    services = start_services(app)
    profile = Profile(options.profile) if options.profile else Profile.default()
    opened = _open_store(profile)
    if opened is None:
        services.stop()
        return 1
    store = opened
    try:
        if options.hub:
            from desktop.dialogs.login import default_connect, log_in

            log_in(store, default_connect(services.settings), options.hub, options.user, password)
        elif store.sync_state().username is None:
            # First run: neither signed in nor made a local profile.
            from desktop.dialogs.login import LoginDialog

            first_run = LoginDialog(store, services.settings, services.tasks)
            if first_run.exec() != QDialog.DialogCode.Accepted:
                return 0
        while True:
            restore: list[Path] = []
            status = _run_window(app, services, profile, store, restore)
            if not restore:
                break
            # Restoring a backup replaces the data file: every connection to it is closed.
            store.close()
            restore_backup(restore[0], store.path)
            opened = _open_store(profile)
            if opened is None:
                return 1
            store = opened
    finally:
        services.stop()
        store.close()
    return status


def _open_store(profile: Profile) -> Store | None:
    """The profile's store; while its file is damaged, the user restores a good backup or
    quits (None)."""
    while True:
        try:
            # The integrity check starts once the window is painted (_run_window).
            return profile.open_store(check_later=True)
        except CorruptDatabaseError as error:
            backup = _choose_backup(error)
            if backup is None:
                return None
            restore_backup(backup, error.path)


def _choose_backup(error: CorruptDatabaseError, parent: QWidget | None = None) -> Path | None:
    from desktop.dialogs.damaged import DamagedDataDialog

    dialog = DamagedDataDialog(error.path, error.backups, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen_backup()


def watch_integrity(store: Store, window: QWidget, restore: list[Path]) -> QTimer:
    """Wait, without blocking, for the integrity check the store runs after opening. When the
    file failed it, the damaged-data dialog offers the good backups: the one chosen is put in
    `restore`, and the window closes for it (or to quit). Nothing was written meanwhile: the
    store's writes wait for the verdict."""
    timer = QTimer(window)
    timer.setInterval(VERDICT_POLL_MS)

    def poll() -> None:
        try:
            if not store.verified(0):
                return
        except CorruptDatabaseError as error:
            timer.stop()
            backup = _choose_backup(error, parent=window)
            if backup is not None:
                restore.append(backup)
            window.close()
            return
        timer.stop()

    timer.timeout.connect(poll)
    timer.start()
    return timer


def _run_window(
    app: QApplication, services: Services, profile: Profile, store: Store, restore: list[Path]
) -> int:
    """The main window and background sync until the window closes. A backup the user chose
    to restore is put in `restore`, and the window closes for it."""
    sync = SyncController(store, profile, services.settings, parent=app)
    window = MainWindow(store, services.tasks, sync=sync)
    window.language_chosen.connect(
        lambda language: setattr(services.settings, "language", language)
    )

    def show_login(relogin: bool) -> None:
        from desktop.dialogs.login import LoginDialog

        dialog = LoginDialog(
            store, services.settings, services.tasks, relogin=relogin, parent=window
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            window.retranslate_ui()
            sync.start()

    def show_settings() -> None:
        from desktop.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            services.settings,
            store,
            services.tasks,
            log_dir=services.log_path.parent,
            parent=window,
        )
        dialog.login_requested.connect(lambda: show_login(relogin=False))
        dialog.restore_confirmed.connect(restore.append)
        dialog.exec()
        if restore:
            window.close()

    window.login_requested.connect(lambda: show_login(relogin=False))
    window.settings_requested.connect(show_settings)
    sync.login_required.connect(lambda: show_login(relogin=True))

    def start_background_work() -> None:
        # The integrity check (a thread reading the whole file; writes wait for it) and the
        # first sync pass (with the network stack's import).
        store.start_check()
        watch_integrity(store, window, restore)
        sync.start()
        # Pinyin's dictionary loaded soon after on a pool thread, not inside the first save.
        QTimer.singleShot(
            PINYIN_LOAD_DELAY_MS,
            window,
            lambda: services.tasks.run_task(load_pinyin, lambda _: None),
        )

    window.first_painted.connect(start_background_work)
    window.show()
    status = app.exec()
    sync.stop()
    # The window goes before the store it reads: stopping services changes the language.
    shiboken6.delete(window)
    shiboken6.delete(sync)
    return status


if __name__ == "__main__":
    sys.exit(main())
