"""Logging in: on first run, when the hub says the login expired, and to attach a local
profile to a hub.

    if needs_first_run(store):
        dialog = LoginDialog(store, settings, tasks)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return            # the user closed it: quit
    sync.start()

The hub address is prefilled from settings and read-only when IT locked it machine-wide.
Logging in writes the hub, the user and their org into the store's sync state and the token
into the token store; from then on the app starts and works with no network. "Work on this
computer only" makes a local profile instead: the store names a user but no hub, and this
dialog attaches it to a hub later.
"""

from __future__ import annotations

import dataclasses
import getpass
import socket
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import explain
from desktop.settings import Settings
from desktop.sync_controller import ui_language
from desktop.tasks import TaskRunner
from sync.client import HubClient, HubError, RetryPolicy, open_token_store
from sync.profile import token_account
from sync.protocol import User
from sync.store import Store

# Someone is waiting in front of the dialog: one quick retry, not a minute of backoff.
LOGIN_RETRY = RetryPolicy(attempts=2, backoff_base=0.3)
ERROR_COLOR = "#b42318"

Connect = Callable[[str, str], HubClient]
"""(hub URL, username) → a client of that hub keeping that user's token."""


def needs_first_run(store: Store) -> bool:
    """Whether the store has never been signed in nor made a local profile."""
    return store.sync_state().username is None


def is_local_profile(store: Store) -> bool:
    state = store.sync_state()
    return state.username is not None and state.hub_url is None


def normalized_hub_url(text: str) -> str:
    """What the user typed as a hub address, with https:// when no scheme was given."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    return url


def default_connect(settings: Settings) -> Connect:
    """Clients whose token goes where Profile.open_client looks for it."""
    ca_bundle = settings.ca_bundle or None
    proxy = settings.proxy or None
    language = ui_language()

    def connect(hub_url: str, username: str) -> HubClient:
        return HubClient(
            hub_url,
            token_store=open_token_store(token_account(hub_url, username)),
            language=language,
            ca_bundle=ca_bundle,
            proxy=proxy,
            retry=LOGIN_RETRY,
        )

    return connect


class OtherAccountError(Exception):
    """The profile holds the records or queued changes of another account: logged in as
    someone else, they would be sent and filed under that account."""

    def __init__(self, hub_url: str, username: str) -> None:
        self.hub_url = hub_url
        self.username = username
        super().__init__(f"this profile holds the records of {username} at {hub_url}")


def log_in(store: Store, connect: Connect, hub_url: str, username: str, password: str) -> User:
    """Log in and write the hub, user and org into the store's sync state. Runs in the
    background: it uses its own connection to the store. Raises OtherAccountError, before
    asking the hub, for another account on a profile holding a signed-in account's work."""
    with store.for_thread() as own:
        state = own.sync_state()
        other_account = state.hub_url is not None and (
            normalized_hub_url(state.hub_url),
            state.username,
        ) != (hub_url, username)
        if other_account and (
            own.pending_count() or any(c.by_status.values() for c in own.counts())
        ):
            raise OtherAccountError(state.hub_url or "", state.username or "")
    with connect(hub_url, username) as client:
        user = client.login(username, password, device=socket.gethostname()).user
    with store.for_thread() as own:
        state = own.sync_state()
        same_account = (state.hub_url, state.username) == (hub_url, username)
        own.set_sync_state(
            dataclasses.replace(
                state,
                hub_url=hub_url,
                username=username,
                org=user.org,
                county=user.county or user.org,
                # Another hub or user: its records come from the start.
                cursor=state.cursor if same_account else None,
                last_sync_at=state.last_sync_at if same_account else None,
            )
        )
    return user


class LoginDialog(QDialog):
    """Hub address, username and password; login runs in the background.

    Signals: `logged_in(user)` (sync.protocol.User) after a successful login, then the dialog
    accepts; `local_profile_chosen(username)` when the user works without a hub."""

    logged_in = Signal(object)
    local_profile_chosen = Signal(str)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        tasks: TaskRunner,
        *,
        relogin: bool = False,
        connect: Connect | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`relogin`: the hub said the login expired (the username is kept). `connect` makes
        the hub client (tests give one with an in-memory token store)."""
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._tasks = tasks
        self._relogin = relogin
        self._connect = connect
        self.busy = False
        state = store.sync_state()

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.hub_edit = QLineEdit(state.hub_url or settings.hub_url)
        self.hub_edit.setPlaceholderText("https://hub.example.edu.cn")
        self.hub_locked = settings.is_locked("hub_url")
        if self.hub_locked:
            self.hub_edit.setText(settings.hub_url)
            self.hub_edit.setReadOnly(True)
        self.hub_note = QLabel()
        self.hub_note.setStyleSheet("color: #667085;")
        self.hub_note.setVisible(self.hub_locked)
        self.username_edit = QLineEdit(state.username or "")
        if relogin and state.hub_url is not None:
            # The same account again: the profile's records and queue are that account's.
            self.hub_edit.setText(state.hub_url)
            self.hub_edit.setReadOnly(True)
            self.username_edit.setReadOnly(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress_label = QLabel()
        self.progress.hide()
        self.progress_label.hide()

        self.hub_label = QLabel()
        self.hub_label.setBuddy(self.hub_edit)
        self.username_label = QLabel()
        self.username_label.setBuddy(self.username_edit)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.hub_label, self.hub_edit)
        form.addRow(None, self.hub_note)
        form.addRow(self.username_label, self.username_edit)
        form.addRow(self.password_label, self.password_edit)

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setDefault(True)
        self.offline_button = QPushButton()
        self.offline_button.setAutoDefault(False)
        # Only at first run: a profile already local or signed in stays what it is.
        self.offline_button.setVisible(not relogin and state.username is None)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.login_button.clicked.connect(self.start_login)
        self.offline_button.clicked.connect(self.work_offline)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        # Apart from Log in and Cancel: it is a different way to start, not a step of login.
        bottom = QHBoxLayout()
        bottom.addWidget(self.offline_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.setMinimumWidth(480)
        # A read-only line edit looks editable by default; these show what cannot be changed.
        for edit in self.findChildren(QLineEdit):
            if edit.isReadOnly():
                edit.setStyleSheet("background: palette(window);")
        self.retranslate_ui()
        first_empty = next(
            (
                edit
                for edit in (self.hub_edit, self.username_edit, self.password_edit)
                if not edit.text() and not edit.isReadOnly()
            ),
            self.password_edit,
        )
        first_empty.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Log in to the hub"))
        if self._relogin:
            self.intro.setText(
                self.tr(
                    "Your login has expired. Log in again to go on syncing; nothing waiting "
                    "to sync has been lost."
                )
            )
        else:
            self.intro.setText(
                self.tr(
                    "Enter the address of your hub and your account. After the first login "
                    "the app works without a network and syncs when it can."
                )
            )
        self.hub_label.setText(self.tr("Hub address"))
        self.username_label.setText(self.tr("Username"))
        self.password_label.setText(self.tr("Password"))
        self.hub_note.setText(self.tr("Set by your IT staff for this computer."))
        self.progress_label.setText(self.tr("Logging in…"))
        self.login_button.setText(self.tr("Log in"))
        self.offline_button.setText(self.tr("Work on this computer only"))
        self.offline_button.setToolTip(
            self.tr(
                "Enter records without a hub. You can log in to a hub later in Settings; "
                "the records are sent then."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @Slot()
    def start_login(self) -> None:
        if self.busy:
            return
        hub_url = normalized_hub_url(self.hub_edit.text())
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not hub_url.startswith(("http://", "https://")):
            self.show_error(self.tr("Enter the hub address, such as https://hub.example.edu.cn"))
            self.hub_edit.setFocus()
            return
        if not username or not password:
            self.show_error(self.tr("Enter your username and password."))
            (self.username_edit if not username else self.password_edit).setFocus()
            return
        self.hub_edit.setText(hub_url)
        self._set_busy(True)
        connect = self._connect or default_connect(self._settings)
        self._tasks.run_task(
            partial(log_in, self._store, connect, hub_url, username, password),
            partial(self._logged_in, hub_url),
            self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.message.hide()
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        for widget in (
            self.hub_edit,
            self.username_edit,
            self.password_edit,
            self.login_button,
            self.offline_button,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)

    def _logged_in(self, hub_url: str, user: User) -> None:
        self._set_busy(False)
        if not self.hub_locked:
            self._settings.hub_url = hub_url
        self.logged_in.emit(user)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if isinstance(error, OtherAccountError):
            self.show_error(
                self.tr(
                    "This profile holds the records of {0} at {1}; logged in as another "
                    "account, they would be sent under it. Log in as {0}, or keep the other "
                    "account in a profile of its own: start the app with "
                    "chanjiao --profile FOLDER."
                ).format(error.username, error.hub_url)
            )
        elif isinstance(error, HubError):
            self.show_error(error.message(ui_language()))
        else:
            self.show_error(explain(error))
        self.password_edit.setFocus()

    @Slot()
    def work_offline(self) -> None:
        username = self.username_edit.text().strip() or getpass.getuser()
        state = self._store.sync_state()
        self._store.set_sync_state(dataclasses.replace(state, username=username))
        self.local_profile_chosen.emit(username)
        self.accept()

    def reject(self) -> None:
        # A login under way finishes in the background; its result must not be dropped half-way.
        if not self.busy:
            super().reject()
