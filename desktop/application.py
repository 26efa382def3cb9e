"""Starting the app's services, in the order that lets each later step fail visibly: the log
first, then the exception hook, then settings and the language they name.

    app = QApplication(sys.argv)
    services = start_services(app)
    ... build the main window with services.settings and services.tasks ...
    app.exec()
    services.stop()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs
from PySide6.QtCore import Slot, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from desktop import APP_DIR_NAME
from desktop.errors import ExceptionHook, default_log_dir, log_qt_message, start_log
from desktop.i18n import LanguageSwitcher
from desktop.settings import Settings
from desktop.tasks import TaskRunner


@dataclass
class Services:
    settings: Settings
    languages: LanguageSwitcher
    exception_hook: ExceptionHook
    tasks: TaskRunner
    log_handler: RotatingFileHandler
    previous_qt_handler: Callable[..., None] | None

    @property
    def log_path(self) -> Path:
        return Path(self.log_handler.baseFilename)

    @Slot(str)
    def apply_option(self, name: str) -> None:
        """Options that take effect at once when changed in Settings."""
        if name == "language":
            self.languages.switch_to(self.settings.language)

    def stop(self) -> None:
        qInstallMessageHandler(self.previous_qt_handler)
        self.exception_hook.uninstall()
        self.languages.remove_translators()
        logging.getLogger().removeHandler(self.log_handler)
        self.log_handler.close()


def start_services(
    app: QApplication,
    settings: Settings | None = None,
    log_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> Services:
    log_handler = start_log(log_dir or default_log_dir())
    previous_qt_handler = qInstallMessageHandler(log_qt_message)
    hook = ExceptionHook(Path(log_handler.baseFilename), app)
    hook.install()
    settings = settings or Settings(parent=app)
    catalogs = cache_dir or platformdirs.user_cache_path(APP_DIR_NAME, appauthor=False)
    languages = LanguageSwitcher(app, catalogs / "translations")
    languages.switch_to(settings.language)
    tasks = TaskRunner(parent=app)
    services = Services(settings, languages, hook, tasks, log_handler, previous_qt_handler)
    settings.option_changed.connect(services.apply_option)
    return services
