"""What happens when something goes wrong that no code handled: it is written with its
traceback to a rotating UTF-8 log in the user data folder, and the user sees a dialog saying in
plain words what happened and where the log is, never a bare traceback only.

Errors from worker threads are reported on the UI thread too.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
import threading
import traceback
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QtMsgType,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import APP_DIR_NAME
from sync.store.errors import CorruptDatabaseError, IntegrityCheckPendingError, StoreBusyError

log = logging.getLogger(__name__)

LOG_FILE_NAME = "chanjiao.log"
_LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def default_log_dir() -> Path:
    return platformdirs.user_data_path(APP_DIR_NAME, appauthor=False) / "logs"


def start_log(directory: Path) -> RotatingFileHandler:
    """Log to `directory`/chanjiao.log, keeping five older files of 1 MB each."""
    directory.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        directory / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return handler


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings (a missing font, a failed plugin) go to our log, not a console
    that school computers never show."""
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), message)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and the errors that caused it, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def may_pass(error: BaseException) -> bool:
    """Whether doing the same again may work: the data file busy (another program, the
    integrity check at start) or the disk full. A damaged or read-only data file, a record gone,
    a number too large stay so: trying again every few seconds only repeats the message."""
    for cause in _chain(error):
        if isinstance(cause, StoreBusyError):
            return True
        if isinstance(cause, sqlite3.OperationalError):
            text = str(cause)
            if "locked" in text or "busy" in text or "full" in text:
                return True
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return True
    return False


def _httpx_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """httpx's timeout and connect errors, or none while httpx is not imported: it is imported
    only when the app first talks to a hub (a second of start saved), and an error cannot come
    from it before then."""
    httpx = sys.modules.get("httpx")
    if httpx is None:
        return (), ()
    return (httpx.TimeoutException,), (httpx.ConnectError,)


def _certificate_errors() -> tuple[type[BaseException], ...]:
    """ssl's verification error, or none while ssl is not imported: it comes with the network
    stack, not at start, and an error cannot come from it before then."""
    ssl = sys.modules.get("ssl")
    return () if ssl is None else (ssl.SSLCertVerificationError,)


def explain(error: BaseException) -> str:
    """What went wrong, in words a school clerk can act on."""
    timeouts, connect_errors = _httpx_errors()
    certificate_errors = _certificate_errors()
    for cause in _chain(error):
        if isinstance(cause, certificate_errors):
            return QCoreApplication.translate(
                "errors",
                "This computer does not trust the hub's certificate. "
                "Ask your IT staff to install the certificate the hub uses.",
            )
        if isinstance(cause, (*timeouts, TimeoutError)):
            return QCoreApplication.translate(
                "errors", "The hub did not answer in time. Try again in a few minutes."
            )
        if isinstance(cause, (*connect_errors, ConnectionError)):
            return QCoreApplication.translate(
                "errors",
                "Cannot reach the hub. Check that this computer is connected to the network.",
            )
        if isinstance(cause, PermissionError):
            return QCoreApplication.translate(
                "errors",
                "The app may not write to a file it needs ({0}). "
                "Ask your IT staff to check the folder's permissions.",
            ).format(cause.filename or "?")
        disk_full = isinstance(cause, sqlite3.OperationalError) and "full" in str(cause)
        if disk_full or (isinstance(cause, OSError) and cause.errno == errno.ENOSPC):
            return QCoreApplication.translate(
                "errors", "The disk is full. Free some space, then try again."
            )
        if isinstance(cause, IntegrityCheckPendingError):
            return QCoreApplication.translate(
                "errors",
                "The data file is still being checked for damage, as it is each time the app "
                "opens it. Nothing was lost: try again in a moment.",
            )
        locked = isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)
        if locked or isinstance(cause, StoreBusyError):
            return QCoreApplication.translate(
                "errors",
                "The data file is in use by another program. "
                "Close other copies of the app, then try again.",
            )
        if isinstance(cause, (sqlite3.DatabaseError, CorruptDatabaseError)):
            return QCoreApplication.translate(
                "errors",
                "The data file is damaged. Restore the latest backup in Settings, "
                "or ask your IT staff for help.",
            )
        if isinstance(cause, OverflowError):
            return QCoreApplication.translate(
                "errors", "A number is too large to be stored. Check the numbers you typed."
            )
        if isinstance(cause, MemoryError):
            return QCoreApplication.translate(
                "errors", "The computer ran out of memory. Close other programs, then try again."
            )
    return QCoreApplication.translate(
        "errors",
        "Something unexpected went wrong, and what you were doing may not have finished. "
        "Records saved before are not affected.",
    )


class ErrorDialog(QMessageBox):
    """The plain explanation, where the log is, and the technical details folded away."""

    def __init__(
        self, explanation: str, details: str, log_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Chanjiao Collect: an error happened"))
        self.setText(explanation)
        self.setInformativeText(
            self.tr("The details were written to the log file:\n{0}").format(log_path)
        )
        self.setDetailedText(details)
        # QMessageBox wraps to a narrow column; a long log path broke over three lines.
        self.setStyleSheet(
            "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 32em; }"
        )
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.addButton(
            self.tr("Open log folder"), QMessageBox.ButtonRole.ActionRole
        ).clicked.connect(self.open_log_folder)

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_path.parent)))


class ExceptionHook(QObject):
    """sys.excepthook and threading.excepthook: log, then tell the user on the UI thread."""

    # Emitted on the thread that failed; Qt queues it to the UI thread.
    error_reported = Signal(str, str)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._dialog_open = False
        self.error_reported.connect(self._show_dialog)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unhandled error", exc_info=(kind, error, trace))
        details = "".join(traceback.format_exception(kind, error, trace))
        self.error_reported.emit(explain(error), details)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str, str)
    def _show_dialog(self, explanation: str, details: str) -> None:
        # One error often sets off more; the log has them all, one dialog is enough.
        if self._dialog_open:
            return
        self._dialog_open = True
        try:
            ErrorDialog(explanation, details, self.log_path).exec()
        finally:
            self._dialog_open = False
