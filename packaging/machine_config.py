#!/usr/bin/env python3
"""Write options into the machine-wide chanjiao.ini the app reads before the user's own.

The installers call this (the .deb's postinst as `chanjiao-config`; the Windows installer runs
the same steps in its Pascal code for `/SERVER=` and `/CA=`). Only the keys given are written;
every other line, comments included, stays as it was, so IT's own edits survive:

    write_machine_config(Path("/etc/chanjiao/chanjiao.ini"),
                         server="https://hub.example.edu.cn", ca="/etc/ssl/certs/school.pem",
                         locked=["hub_url", "ca_bundle"])

    chanjiao-config --server https://hub.example.edu.cn --ca /etc/ssl/school.pem --lock hub_url

Values are written the way Qt's QSettings reads them back: in double quotes, with backslashes
and quotes escaped (an unquoted `C:\\certs\\ca.pem` would lose its backslashes), UTF-8.
This file needs only Python 3.7's standard library: the .deb runs it with the system's python3
(Debian 10 and UOS 20 have 3.7).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

SECTION = "General"
# The options of desktop/settings.py that IT may preset or lock.
KEYS = ("hub_url", "ca_bundle", "proxy", "sync_interval_minutes", "language", "update_check")
LANGUAGES = ("zh_CN", "en")
_KEY_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")
_SECTION_LINE = re.compile(r"^\s*\[(.*)\]\s*$")


class MachineConfigError(ValueError):
    """An option value that the app would not accept."""


def quote(value: str) -> str:
    """`value` as QSettings' INI format reads it back unchanged."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _checked(
    options: dict[str, str | int | bool | None], locked: Iterable[str] | None
) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in options.items():
        if value is None:
            continue
        if isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, int):
            values[key] = str(value)
        elif "\n" in value or "\r" in value:
            raise MachineConfigError(f"{key}: a value cannot span lines")
        else:
            values[key] = quote(value)
    hub = options.get("hub_url")
    if isinstance(hub, str) and hub and not hub.startswith(("https://", "http://")):
        raise MachineConfigError(f"hub_url must start with https:// (got {hub!r})")
    interval = options.get("sync_interval_minutes")
    if isinstance(interval, int) and not 1 <= interval <= 24 * 60:
        raise MachineConfigError("sync_interval_minutes must be between 1 and 1440")
    language = options.get("language")
    if isinstance(language, str) and language not in LANGUAGES:
        raise MachineConfigError(f"language must be one of {', '.join(LANGUAGES)}")
    if locked is not None:
        names = [name.strip() for name in locked if name.strip()]
        unknown = sorted(set(names) - set(KEYS))
        if unknown:
            raise MachineConfigError(f"unknown keys to lock: {', '.join(unknown)}")
        # Unquoted, so QSettings reads the list the app splits on commas.
        values["locked"] = ", ".join(names)
    return values


def updated_lines(lines: list[str], values: dict[str, str]) -> list[str]:
    """`lines` of an INI file with `values` (already quoted) set in [General]."""
    result: list[str] = []
    pending = dict(values)
    section: str | None = None
    general_end: int | None = None
    for line in lines:
        header = _SECTION_LINE.match(line)
        if header:
            if section == SECTION:
                general_end = len(result)
            section = header.group(1).strip()
            result.append(line)
            continue
        key = _KEY_LINE.match(line)
        if section == SECTION and key and key.group(1) in values:
            if key.group(1) in pending:
                result.append(f"{key.group(1)}={pending.pop(key.group(1))}")
            continue  # a repeated key: the first one holds the new value
        result.append(line)
    if section == SECTION:
        general_end = len(result)
    added = [f"{key}={value}" for key, value in pending.items()]
    if general_end is None:
        if result and result[-1].strip():
            result.append("")
        return [*result, f"[{SECTION}]", *added]
    # After the section's last option, before the blank lines and comments that end it.
    while general_end > 0 and not _KEY_LINE.match(result[general_end - 1]):
        if _SECTION_LINE.match(result[general_end - 1]):
            break
        general_end -= 1
    return result[:general_end] + added + result[general_end:]


def write_machine_config(
    path: Path,
    *,
    server: str | None = None,
    ca: str | None = None,
    proxy: str | None = None,
    sync_interval_minutes: int | None = None,
    language: str | None = None,
    update_check: bool | None = None,
    locked: Sequence[str] | None = None,
) -> None:
    """Set the given options in `path` (created with its folder when missing), atomically."""
    options: dict[str, str | int | bool | None] = {
        "hub_url": server,
        "ca_bundle": ca,
        "proxy": proxy,
        "sync_interval_minutes": sync_interval_minutes,
        "language": language,
        "update_check": update_check,
    }
    values = _checked(options, locked)
    if not values:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    lines = updated_lines(text.splitlines(), values)
    handle, temporary = tempfile.mkstemp(prefix=".chanjiao-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write("\n".join(lines) + "\n")
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def default_path() -> Path:
    override = os.environ.get("CHANJIAO_SYSTEM_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Chanjiao/chanjiao.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Chanjiao/chanjiao.ini")
    return Path("/etc/chanjiao/chanjiao.ini")


def _on_off(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {text!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="chanjiao-config",
        description="Set Chanjiao Collect's machine-wide options (hub address, CA bundle, ...).",
    )
    parser.add_argument("--file", type=Path, default=None, help="default: the system location")
    parser.add_argument("--server", help="the hub's address, https://...")
    parser.add_argument("--ca", help="a PEM file of the CA that signed the hub's certificate")
    parser.add_argument("--proxy", help="http://host:port, empty for the system's proxy")
    parser.add_argument("--sync-interval", type=int, help="minutes between automatic syncs")
    parser.add_argument("--language", choices=LANGUAGES)
    parser.add_argument("--update-check", type=_on_off, metavar="on|off")
    parser.add_argument(
        "--lock",
        action="append",
        choices=KEYS,
        help="a key users may not change (repeat for several; replaces the locked list)",
    )
    args = parser.parse_args(argv)
    path = args.file or default_path()
    try:
        write_machine_config(
            path,
            server=args.server,
            ca=args.ca,
            proxy=args.proxy,
            sync_interval_minutes=args.sync_interval,
            language=args.language,
            update_check=args.update_check,
            locked=args.lock,
        )
    except (MachineConfigError, OSError) as error:
        print(f"chanjiao-config: {error}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
