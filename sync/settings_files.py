"""The app's settings files, read without Qt: where they are, and how to reach the hub.

    >>> connection = connection_settings()  # the user's file, then the machine-wide one
    >>> connection.ca_bundle, connection.proxy
    ('/etc/ssl/certs/school-ca.pem', None)

desktop.settings reads and writes these INI files through QSettings. `chanjiao sync` must honour
what IT wrote there (a CA bundle, a proxy) just as the app does, but sync/ is a library without
Qt, and the headless command would start Qt for two strings: so the few options the connection
needs are read here, with configparser and QSettings' own rules for the INI format (values in
double quotes with backslash escapes; an unquoted value with commas is a list), and with the same
precedence as desktop.settings.Settings: the user's file, then the machine-wide one; an option
the machine-wide file lists under `locked`, from that file only. A test compares both readers on
the same files.
"""

from __future__ import annotations

import configparser
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = [
    "APP_DIR_NAME",
    "CONFIG_FILE_NAME",
    "SYSTEM_CONFIG_ENV",
    "ConnectionSettings",
    "connection_settings",
    "read_ini_options",
    "system_config_path",
    "user_config_path",
]

log = logging.getLogger(__name__)

# The folder under the platform's user and machine-wide locations (the app's too).
APP_DIR_NAME = "Chanjiao"
SYSTEM_CONFIG_ENV = "CHANJIAO_SYSTEM_CONFIG"
CONFIG_FILE_NAME = "chanjiao.ini"
# QSettings keeps options written without a group in this section.
_SECTION = "General"
# QSettings' escapes inside and outside quotes; any other escaped character is dropped with its
# backslash (an unquoted C:\certs reads as C:erts in Qt too).
_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    '"': '"',
    "'": "'",
    "?": "?",
    "\\": "\\",
}


def system_config_path() -> Path:
    """Where IT puts the machine-wide file; CHANJIAO_SYSTEM_CONFIG replaces it (tests)."""
    if override := os.environ.get(SYSTEM_CONFIG_ENV):
        return Path(override)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(program_data) / APP_DIR_NAME / CONFIG_FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_DIR_NAME / CONFIG_FILE_NAME
    return Path("/etc/chanjiao") / CONFIG_FILE_NAME


def user_config_path() -> Path:
    return platformdirs.user_config_path(APP_DIR_NAME, appauthor=False) / CONFIG_FILE_NAME


def _unescaped(raw: str) -> str:
    """An INI value as QSettings reads a string option: quotes removed, escapes applied, the
    parts of an unquoted list joined with ", " (as desktop.settings.Option.parse joins them)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    # Spaces outside quotes count only between other characters of a part.
    spaces = 0
    index = 0
    while index < len(raw):
        char = raw[index]
        index += 1
        if char == "\\" and index < len(raw):
            escaped = raw[index]
            index += 1
            code = _ESCAPES.get(escaped)
            if escaped == "x" or escaped in "01234567":
                # \x41 and \101 are "A"; the digits end at the first that is not one.
                digits = "0123456789abcdefABCDEF" if escaped == "x" else "01234567"
                start = index if escaped == "x" else index - 1
                while index < len(raw) and raw[index] in digits:
                    index += 1
                number = raw[start:index]
                # One UTF-16 unit, as in Qt (which drops the higher bits).
                code = chr(int(number, 16 if escaped == "x" else 8) & 0xFFFF) if number else None
            if code is not None:
                current.append(" " * spaces + code)
                spaces = 0
            continue
        if char == '"':
            quoted = not quoted
            current.append(" " * spaces if current else "")
            spaces = 0
        elif not quoted and char == ";":
            break  # a comment to the end of the line
        elif not quoted and char == ",":
            parts.append("".join(current))
            current, spaces = [], 0
        elif not quoted and char in " \t":
            spaces += 1
        else:
            current.append((" " * spaces if current else "") + char)
            spaces = 0
    parts.append("".join(current))
    return ", ".join(parts)


def read_ini_options(path: Path) -> dict[str, str]:
    """The [General] options of an INI file QSettings wrote or IT edited, as strings; empty when
    the file is missing or unreadable (logged: the app then runs on defaults, as Qt's does)."""
    parser = configparser.ConfigParser(
        delimiters=("=",), comment_prefixes=(";", "#"), interpolation=None, strict=False
    )
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        with path.open(encoding="utf-8-sig") as file:
            parser.read_file(file)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        log.warning("ignoring the settings in %s: %s", path, exc)
        return {}
    if not parser.has_section(_SECTION):
        return {}
    return {name: _unescaped(raw) for name, raw in parser.items(_SECTION)}


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """How to reach the hub; None for an option set nowhere (or set empty)."""

    ca_bundle: str | None = None
    proxy: str | None = None


def connection_settings(
    user_file: Path | None = None, system_file: Path | None = None
) -> ConnectionSettings:
    """The CA bundle and proxy the app would use, read as desktop.settings.Settings reads them."""
    system = read_ini_options(system_file or system_config_path())
    user = read_ini_options(user_file or user_config_path())
    locked = {name.strip() for name in system.get("locked", "").split(",")}

    def option(name: str) -> str | None:
        sources = [system] if name in locked else [user, system]
        for source in sources:
            if name in source:
                return source[name] or None
        return None

    return ConnectionSettings(ca_bundle=option("ca_bundle"), proxy=option("proxy"))
