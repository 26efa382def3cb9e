"""The app's options: typed, read from the machine-wide file first, then the user's file.

IT presets options for every user of a computer in the machine-wide INI file (written by the
installer, e.g. `/SERVER=`); the options it lists under `locked` are fixed there, the others
are only defaults the user may change in the user's own file:

    [General]
    hub_url=https://hub.example.edu.cn
    ca_bundle=/etc/ssl/certs/school-ca.pem
    locked=hub_url, ca_bundle

    settings = Settings()
    settings.sync_interval_minutes = 10
    settings.is_locked("hub_url")
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES

# Where the files are is shared with `chanjiao sync`, which reads them without Qt.
from sync.settings_files import (
    CONFIG_FILE_NAME,
    SYSTEM_CONFIG_ENV,
    system_config_path,
    user_config_path,
)

__all__ = [
    "CONFIG_FILE_NAME",
    "SYSTEM_CONFIG_ENV",
    "Option",
    "OptionLockedError",
    "Settings",
    "system_config_path",
    "user_config_path",
]

log = logging.getLogger(__name__)

T = TypeVar("T", str, int, bool)

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class OptionLockedError(Exception):
    """The option is fixed in the machine-wide file; only IT can change it."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} is locked by the machine-wide settings")


class Option(Generic[T]):
    """One typed option; its attribute name on Settings is its INI key."""

    def __init__(self, default: T, is_valid: Callable[[T], bool] = lambda _value: True) -> None:
        self.default = default
        self.is_valid = is_valid
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, settings: None, owner: type) -> Option[T]: ...
    @overload
    def __get__(self, settings: Settings, owner: type) -> T: ...
    def __get__(self, settings: Settings | None, owner: type) -> Option[T] | T:
        if settings is None:
            return self
        return settings.read(self)

    def __set__(self, settings: Settings, value: T) -> None:
        settings.write(self, value)

    def parse(self, stored: object) -> T | None:
        """The typed value of what QSettings read (INI gives strings), or None if unusable."""
        kind = type(self.default)
        value: Any = stored
        if kind is bool and isinstance(stored, str):
            lowered = stored.strip().lower()
            value = True if lowered in _TRUE else False if lowered in _FALSE else None
        elif kind is int and isinstance(stored, str):
            try:
                value = int(stored.strip())
            except ValueError:
                value = None
        elif kind is str and isinstance(stored, list):
            # QSettings reads an unquoted value with commas as a list.
            value = ", ".join(str(part) for part in stored)
        if not isinstance(value, kind) or not self.is_valid(value):
            return None
        return value


class Settings(QObject):
    option_changed = Signal(str)

    hub_url = Option("")
    ca_bundle = Option("")
    proxy = Option("")
    sync_interval_minutes = Option(5, lambda minutes: 1 <= minutes <= 24 * 60)
    language = Option(DEFAULT_LANGUAGE, lambda language: language in LANGUAGES)
    update_check = Option(True)

    def __init__(
        self,
        user_file: Path | None = None,
        system_file: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.user_file = user_file or user_config_path()
        self.system_file = system_file or system_config_path()
        self._user = QSettings(str(self.user_file), QSettings.Format.IniFormat)
        self._system = QSettings(str(self.system_file), QSettings.Format.IniFormat)
        locked = self._system.value("locked", "")
        names = locked if isinstance(locked, list) else str(locked).split(",")
        self.locked = frozenset(name.strip() for name in names if name.strip())

    def is_locked(self, name: str) -> bool:
        return name in self.locked

    def read(self, option: Option[T]) -> T:
        sources = [self._system] if self.is_locked(option.name) else [self._user, self._system]
        for source in sources:
            stored = source.value(option.name)
            if stored is None:
                continue
            value = option.parse(stored)
            if value is not None:
                return value
            log.warning("ignoring %s=%r in %s", option.name, stored, source.fileName())
        return option.default

    def write(self, option: Option[T], value: T) -> None:
        if self.is_locked(option.name):
            raise OptionLockedError(option.name)
        if type(value) is not type(option.default) or not option.is_valid(value):
            raise ValueError(f"{option.name}: {value!r} is not a valid value")
        if value == self.read(option):
            return
        self._user.setValue(option.name, value)
        self._user.sync()
        self.option_changed.emit(option.name)
