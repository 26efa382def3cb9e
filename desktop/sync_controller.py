"""Sync in the background: when passes run, what the status bar says about them.

    sync = SyncController(store, profile, settings, parent=window)
    sync.login_required.connect(window.ask_to_log_in)
    sync.sync_finished.connect(window.refresh_lists)
    window.statusBar().addPermanentWidget(SyncStatusWidget(sync))
    sync.start()                   # a pass now, then every settings.sync_interval_minutes
    sync.request_sync()            # after a submit: soon, once for a burst of requests
    sync.stop()                    # on quit: cancels the running pass and waits for it

A pass runs `SyncEngine.sync` on the controller's own thread, with its own store connection.
While the hub cannot be reached, passes go on at the same interval, so sync resumes by itself
when the network comes back.
A profile not attached to a hub (no hub URL in its sync state) never syncs: it is local only
until the login dialog attaches it, after which `start()` is called again.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktop.county import is_county_user
from desktop.settings import Settings
from sync.profile import Profile
from sync.store import Store
from sync.wire import RecordStatus, utc_now

if TYPE_CHECKING:
    from sync.client import HubClient
    from sync.engine import SyncEngine, SyncOutcome, SyncPhase, SyncSummary

# The engine and the hub client (the protocol's pydantic models, the network stack) are imported
# by the sync thread for its first pass, not at start (issue 6). The UI thread names their
# phases and outcomes only when a pass has reported one, so after that import.

log = logging.getLogger(__name__)

OpenClient = Callable[[Store], "HubClient"]

# A burst of submits (a bulk submit of 50 records) makes one pass, not fifty.
REQUEST_DELAY_MS = 1500
_MINUTE_MS = 60_000


class SyncActivity(enum.Enum):
    LOCAL_ONLY = "local_only"  # no hub attached: nothing to sync with
    IDLE = "idle"  # between passes; `last_outcome` says how the last one ended
    SYNCING = "syncing"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. `total` is 0 while unknown (pulling pages)."""

    activity: SyncActivity
    phase: SyncPhase | None = None
    done: int = 0
    total: int = 0
    last_sync_at: datetime.datetime | None = None
    last_summary: SyncSummary | None = None
    # Records with a conflict, rejected by the hub, or returned by the county.
    attention: int = 0

    @property
    def last_outcome(self) -> SyncOutcome | None:
        return self.last_summary.outcome if self.last_summary is not None else None


def ui_language() -> str:
    """The language of hub and sync messages ("zh-CN" or "en") for the current UI language."""
    return "en" if QLocale().name().startswith("en") else "zh-CN"


def attention_count(store: Store) -> int:
    # Records a county reviewer returned wait for their schools, not for the reviewer.
    returned_waits = not is_county_user(store.sync_state())
    return sum(
        counts.with_conflicts
        + counts.needing_attention
        + (counts.by_status.get(RecordStatus.RETURNED, 0) if returned_waits else 0)
        for counts in store.counts()
    )


class _SyncWorker(QObject):
    """Lives on the sync thread; owns the thread's store connection, engine and hub client.

    One client (one TLS connection, kept alive between passes) serves every pass of a client
    session: the controller starts a new session after a login and when the language or the CA
    bundle changes, and the next pass opens a new client. The client is made, used and closed
    on this thread only."""

    progressed = Signal(str, int, int)
    passed = Signal(object, int)

    def __init__(self, store: Store, profile: Profile) -> None:
        super().__init__()
        self._ui_store = store
        self._profile = profile
        self._store: Store | None = None
        self._engine: SyncEngine | None = None
        self._client: HubClient | None = None
        self._client_session = -1
        # Set from the UI thread; the engine polls it while waiting on the network.
        self.cancel = threading.Event()

    @Slot(object)
    def run_pass(self, request: tuple[int, OpenClient]) -> None:
        """A pass with the client of `request`'s session (opened by its OpenClient if new)."""
        from sync.engine import SyncSummary, outcome_of

        session, open_client = request

        started = utc_now()
        attention = -1  # not counted
        try:
            if self._store is None:
                self._store = self._ui_store.for_thread()
            summary = self._sync(self._store, session, open_client)
            attention = attention_count(self._store)
        except Exception as error:
            # The engine reports every failure it expects; anything else must still end the
            # pass, or the controller would wait for it forever.
            log.exception("sync pass failed")
            summary = SyncSummary(outcome_of(error), started, utc_now(), error=error)
        self.passed.emit(summary, attention)

    def _sync(self, store: Store, session: int, open_client: OpenClient) -> SyncSummary:
        from sync.client import HubError
        from sync.engine import SyncEngine, SyncSummary, outcome_of

        if self._client is None or session != self._client_session:
            self._close_client()
            try:
                self._client = open_client(store)
            except HubError as error:
                now = utc_now()
                return SyncSummary(outcome_of(error), now, now, error=error)
            self._client_session = session
        if self._engine is None:
            reference = self._profile.reference_cache()
            self._engine = SyncEngine(store, self._client, reference=reference)
        self._engine.client = self._client
        return self._engine.sync(progress=self._progress, cancel=self.cancel)

    def _close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _progress(self, phase: SyncPhase, done: int, total: int | None) -> None:
        self.progressed.emit(str(phase), done, total or 0)

    @Slot()
    def close(self) -> None:
        self._close_client()
        if self._store is not None:
            self._store.close()
            self._store = None
        thread = QThread.currentThread()
        thread.quit()


class SyncController(QObject):
    """Runs sync passes off the UI thread: at start, every few minutes, when asked.

    Signals, all on the UI thread:
    - `sync_started()`: a pass began.
    - `sync_progress(phase, done, total)`: phase is a SyncPhase value; total 0 when unknown.
    - `sync_finished(summary)`: a pass ended, however (SyncSummary); views may refresh.
    - `sync_failed(message)`: it ended without syncing, in plain words in the UI language
      (not for a cancelled pass). Offline is normal and repeats every interval: show it
      quietly (the status widget does), never in a dialog.
    - `login_required()`: the hub wants a new login; periodic passes wait until `start()`.
    - `state_changed()`: `status` changed.
    """

    sync_started = Signal()
    sync_progress = Signal(str, int, int)
    sync_finished = Signal(object)
    sync_failed = Signal(str)
    login_required = Signal()
    state_changed = Signal()

    _pass_requested = Signal(object)
    _close_requested = Signal()

    def __init__(
        self,
        store: Store,
        profile: Profile,
        settings: Settings,
        *,
        open_client: OpenClient | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`store` is the UI thread's; the sync thread opens its own with `for_thread()`.
        `settings` is desktop.settings.Settings (interval, CA bundle). `open_client` makes
        the hub client of a pass (tests give one with an in-memory token store)."""
        super().__init__(parent)
        self._store = store
        self._profile = profile
        self._settings = settings
        self._open_client = open_client
        state = store.sync_state()
        self.status = SyncStatus(
            SyncActivity.IDLE if state.hub_url else SyncActivity.LOCAL_ONLY,
            last_sync_at=state.last_sync_at,
        )
        # `status.attention` stays 0 until the first pass counts it off the UI thread, so
        # that startup does not wait for a count over every record.
        self._running = False
        self._again = False
        self._stopped = False
        # The hub client's session: passes of one session share a client (see _SyncWorker).
        self._client_session = 0
        self._periodic = QTimer(self)
        self._periodic.timeout.connect(self.sync_now)
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(REQUEST_DELAY_MS)
        self._request_timer.timeout.connect(self.sync_now)
        settings.option_changed.connect(self._option_changed)

        # A dedicated thread, not TaskRunner: the engine keeps one store connection, which
        # must stay on one thread, and a long pass must not hold a pool thread UI reads need.
        self._thread = QThread(self)
        self._thread.setObjectName("chanjiao-sync")
        self._worker = _SyncWorker(store, profile)
        self._worker.moveToThread(self._thread)
        self._pass_requested.connect(self._worker.run_pass, Qt.ConnectionType.QueuedConnection)
        self._close_requested.connect(self._worker.close, Qt.ConnectionType.QueuedConnection)
        self._worker.progressed.connect(self._progressed)
        self._worker.passed.connect(self._passed)
        # A running QThread destroyed at exit aborts the process: stop it on quit at the latest.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._running

    @Slot()
    def start(self) -> None:
        """Sync now and every `sync_interval_minutes` after; again after a new login or
        after a local profile was attached to a hub."""
        if self._stopped:
            return
        if self._store.sync_state().hub_url is None:
            self._set_status(activity=SyncActivity.LOCAL_ONLY)
            return
        if self.status.activity is SyncActivity.LOCAL_ONLY:
            self._set_status(activity=SyncActivity.IDLE)
        # Called again after a login: its new token is read by a new client.
        self._client_session += 1
        self._periodic.start(self._settings.sync_interval_minutes * _MINUTE_MS)
        self.sync_now()

    @Slot()
    def sync_now(self) -> None:
        """A pass now, or right after the running one ends."""
        if self._stopped or self.status.activity is SyncActivity.LOCAL_ONLY:
            return
        self._request_timer.stop()
        if self._running:
            self._again = True
            return
        self._running = True
        # Cleared here, not on the sync thread: a Cancel clicked before the pass starts counts.
        self._worker.cancel.clear()
        self._set_status(activity=SyncActivity.SYNCING, phase=None, done=0, total=0)
        self.sync_started.emit()
        self._pass_requested.emit((self._client_session, self._client_opener()))

    @Slot()
    def request_sync(self) -> None:
        """A pass soon: after a submit, a resolve, a delete."""
        if not self._request_timer.isActive():
            self._request_timer.start()

    @Slot()
    def cancel(self) -> None:
        """Stop the running pass; everything not synced stays queued."""
        self._again = False
        self._worker.cancel.set()

    def stop(self, timeout_ms: int = 10_000) -> None:
        """On quit: cancel the running pass, close the thread's store, end the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._periodic.stop()
        self._request_timer.stop()
        self.cancel()
        self._close_requested.emit()
        self._thread.wait(timeout_ms)

    def _client_opener(self) -> OpenClient:
        if self._open_client is not None:
            return self._open_client
        # Read here, on the UI thread: Settings is not for other threads.
        return partial(
            self._profile.open_client,
            language=ui_language(),
            ca_bundle=self._settings.ca_bundle or None,
            proxy=self._settings.proxy or None,
        )

    def _set_status(self, **changes: object) -> None:
        status = dataclasses.replace(self.status, **changes)  # type: ignore[arg-type]
        if status != self.status:
            self.status = status
            self.state_changed.emit()

    @Slot(str)
    def _option_changed(self, name: str) -> None:
        if name in ("language", "ca_bundle", "proxy"):
            # The client was made with them: the next pass makes a new one.
            self._client_session += 1
        if name == "sync_interval_minutes" and self._periodic.isActive():
            self._periodic.setInterval(self._settings.sync_interval_minutes * _MINUTE_MS)

    @Slot(str, int, int)
    def _progressed(self, phase: str, done: int, total: int) -> None:
        from sync.engine import SyncPhase

        self._set_status(phase=SyncPhase(phase), done=done, total=total)
        self.sync_progress.emit(phase, done, total)

    @Slot(object, int)
    def _passed(self, summary: SyncSummary, attention: int) -> None:
        from sync.engine import SyncOutcome

        self._running = False
        self._set_status(
            activity=SyncActivity.IDLE,
            phase=None,
            last_summary=summary,
            last_sync_at=summary.last_sync_at or self.status.last_sync_at,
            attention=attention if attention >= 0 else self.status.attention,
        )
        self.sync_finished.emit(summary)
        if summary.outcome is SyncOutcome.LOGIN_REQUIRED:
            self._periodic.stop()
            self._again = False
            self.login_required.emit()
        elif not summary.ok and summary.outcome is not SyncOutcome.CANCELLED:
            self.sync_failed.emit(summary.message(ui_language()))
        if self._again and not self._stopped:
            self._again = False
            self.sync_now()


class SyncStatusWidget(QWidget):
    """The status bar's sync corner: offline / syncing n of m / last synced at / needs
    attention, with "Sync now" (or "Cancel" during a pass). The tooltip holds the whole
    message. Emits `attention_clicked()` when the attention count is clicked."""

    attention_clicked = Signal()

    PROBLEM_COLOR = "#b42318"
    QUIET_COLOR = "#667085"

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.state_label = QLabel()
        self.attention_button = QToolButton()
        self.attention_button.setAutoRaise(True)
        self.attention_button.setStyleSheet(f"color: {self.PROBLEM_COLOR}; font-weight: bold;")
        self.attention_button.clicked.connect(self.attention_clicked)
        self.sync_button = QToolButton()
        self.sync_button.setAutoRaise(True)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sync_button.clicked.connect(self._sync_or_cancel)
        layout.addWidget(self.state_label)
        layout.addWidget(self.attention_button)
        layout.addWidget(self.sync_button)
        controller.state_changed.connect(self.show_status)
        self.show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.show_status()
        super().changeEvent(event)

    @Slot()
    def show_status(self) -> None:
        status = self.controller.status
        text, problem = self._state_words(status)
        color = self.PROBLEM_COLOR if problem else self.QUIET_COLOR
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"color: {color};" if problem else "")
        self.state_label.setToolTip(self._details(status))
        self.attention_button.setText(self.tr("Needs attention: {0}").format(status.attention))
        self.attention_button.setVisible(status.attention > 0)
        syncing = status.activity is SyncActivity.SYNCING
        self.sync_button.setText(self.tr("Cancel") if syncing else self.tr("Sync now"))
        shown = status.activity is not SyncActivity.LOCAL_ONLY
        self.sync_button.setVisible(shown)
        if shown:
            # Only for a button shown: QStyle's Python class (the style's icons) costs ~9 ms
            # to create, which a local profile's start need not pay (issue 6).
            from PySide6.QtWidgets import QStyle

            icon = (
                QStyle.StandardPixmap.SP_BrowserStop
                if syncing
                else QStyle.StandardPixmap.SP_BrowserReload
            )
            self.sync_button.setIcon(self.style().standardIcon(icon))

    def _state_words(self, status: SyncStatus) -> tuple[str, bool]:
        """The short words, and whether they tell of a problem the user must act on."""
        if status.activity is SyncActivity.LOCAL_ONLY:
            return self.tr("Local only (no hub)"), False
        if status.activity is SyncActivity.SYNCING:
            if status.phase is not None and _pulling(status.phase):
                return self.tr("Syncing: received {0}").format(status.done), False
            if status.total:
                return self.tr("Syncing {0}/{1}").format(status.done, status.total), False
            return self.tr("Syncing…"), False
        outcome = status.last_outcome
        if outcome is None or _quiet(outcome):
            if status.last_sync_at is None:
                return self.tr("Not synced yet"), False
            return self.tr("Last synced {0}").format(_when(status.last_sync_at)), False
        return self._failure_words(outcome)

    def _failure_words(self, outcome: SyncOutcome) -> tuple[str, bool]:
        from sync.engine import SyncOutcome

        if outcome is SyncOutcome.OFFLINE:
            return self.tr("Offline: cannot reach the hub"), False
        if outcome is SyncOutcome.UNTRUSTED_CERTIFICATE:
            return self.tr("Certificate not trusted: ask IT"), True
        if outcome is SyncOutcome.LOGIN_REQUIRED:
            return self.tr("Login expired: log in again"), True
        if outcome is SyncOutcome.UPGRADE_REQUIRED:
            return self.tr("Hub version mismatch: update the app"), True
        if outcome in (SyncOutcome.HUB_UNAVAILABLE, SyncOutcome.STALLED):
            return self.tr("Hub not answering: will retry"), False
        if outcome is SyncOutcome.BUSY:
            # Not "Sync failed" with an alert: nothing is damaged, the next pass goes through.
            return self.tr("Database in use by another program: will retry"), False
        return self.tr("Sync failed"), True

    def _details(self, status: SyncStatus) -> str:
        if status.activity is SyncActivity.LOCAL_ONLY:
            return self.tr(
                "Records stay on this computer. Log in to a hub in Settings to send them."
            )
        lines = []
        summary = status.last_summary
        if status.activity is SyncActivity.SYNCING:
            lines.append(self.tr("Sending your changes, then receiving the hub's."))
        elif summary is not None and not summary.ok:
            lines.append(summary.message(ui_language()))
        if status.last_sync_at is not None:
            lines.append(self.tr("Last synced {0}").format(_when(status.last_sync_at, full=True)))
        if summary is not None and summary.pending:
            lines.append(self.tr("{0} changes wait to be sent").format(summary.pending))
        return "\n".join(lines)

    @Slot()
    def _sync_or_cancel(self) -> None:
        if self.controller.running:
            self.controller.cancel()
        else:
            self.controller.sync_now()


def _pulling(phase: SyncPhase) -> bool:
    from sync.engine import SyncPhase

    return phase is SyncPhase.PULL


def _quiet(outcome: SyncOutcome) -> bool:
    """A pass that ended well, or that the user cancelled: nothing to tell of."""
    from sync.engine import SyncOutcome

    return outcome is SyncOutcome.SYNCED or outcome is SyncOutcome.CANCELLED


def _when(moment: datetime.datetime, full: bool = False) -> str:
    """Local time: "10:42" today, else with the date."""
    local = moment.astimezone()
    if local.date() == datetime.date.today() and not full:
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
