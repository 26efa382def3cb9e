"""`chanjiao sync`: sync a profile once, without a window, and say how it went.

    chanjiao sync [--profile DIR] [--lang zh-CN|en] [--ca-bundle FILE] [--quiet]

It reaches the hub as the app does: through the CA bundle and proxy set in the app's settings
(the machine-wide file IT writes, then the user's; sync.settings_files), `--ca-bundle` replacing
the CA bundle; without a proxy there, through the environment's or the system's.

IT runs it to diagnose a machine: it prints a one-screen summary (pushed, applied, merged,
conflicts, rejected, pulled, still waiting, last sync time) in Chinese by default, English with
`--lang en` or an English LANG, and exits non-zero with the reason in plain words when the sync
cannot finish.

Exit status:
    0  synced              5  login needed (or never signed in)
    2  wrong arguments     6  this app is too old for the hub
    3  no network          7  the hub is unavailable, refused, or stopped answering
    4  certificate not trusted   8  database damaged on this machine (good backups listed)
    9  cancelled (Ctrl+C)       10  database in use by another program (close it, retry)
                               11  an unexpected error (its traceback on stderr)
"""

from __future__ import annotations

import argparse
import datetime
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sync.client import HubError
from sync.console import console_language, is_zh
from sync.engine import (
    SyncEngine,
    SyncOutcome,
    SyncPhase,
    SyncSummary,
    outcome_message,
    outcome_of,
)
from sync.profile import Profile
from sync.settings_files import connection_settings
from sync.store import StoreError
from sync.store.errors import CorruptDatabaseError

__all__ = ["EXIT_CODES", "main", "summary_text"]

EXIT_CODES: dict[SyncOutcome, int] = {
    SyncOutcome.SYNCED: 0,
    SyncOutcome.OFFLINE: 3,
    SyncOutcome.UNTRUSTED_CERTIFICATE: 4,
    SyncOutcome.LOGIN_REQUIRED: 5,
    SyncOutcome.UPGRADE_REQUIRED: 6,
    SyncOutcome.HUB_UNAVAILABLE: 7,
    SyncOutcome.HUB_REFUSED: 7,
    SyncOutcome.STALLED: 7,
    SyncOutcome.UNKNOWN_FORM: 6,
    SyncOutcome.DATABASE: 8,
    SyncOutcome.BUSY: 10,
    SyncOutcome.UNEXPECTED: 11,
    SyncOutcome.CANCELLED: 9,
}

# (zh, en) labels of the summary lines.
_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("同步完成", "Sync finished"),
    "failed": ("同步未完成", "Sync did not finish"),
    "profile": ("数据目录", "Profile"),
    "hub": ("中心服务器", "Hub"),
    "user": ("用户", "User"),
    "pushed": ("已上传", "Pushed"),
    "applied": ("已生效", "applied"),
    "merged": ("已合并", "merged"),
    "conflicts": ("冲突", "conflicts"),
    "rejected": ("被拒绝", "rejected"),
    "pulled": ("已下载", "Pulled"),
    "backups": ("可用的备份", "Good backups"),
    "no_backups": ("（没有）", "(none)"),
    "pending": ("待上传", "Waiting to push"),
    "forms": ("新表单", "New forms"),
    "last_sync": ("上次同步", "Last sync"),
    "never": ("从未同步", "never"),
    "reason": ("原因", "Reason"),
    "phase": ("正在同步", "Syncing"),
}

_PHASES: dict[SyncPhase, tuple[str, str]] = {
    SyncPhase.FORMS: ("表单", "forms"),
    SyncPhase.REFERENCE: ("基础数据", "reference data"),
    SyncPhase.PUSH: ("上传", "push"),
    SyncPhase.PULL: ("下载", "pull"),
}


def _say(key: str, language: str) -> str:
    zh, en = _LABELS[key]
    return zh if is_zh(language) else en


def _local_time(moment: datetime.datetime | None, language: str) -> str:
    if moment is None:
        return _say("never", language)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def summary_text(
    summary: SyncSummary,
    language: str,
    *,
    profile: Path | None = None,
    hub_url: str | None = None,
    username: str | None = None,
) -> str:
    """The one-screen summary `chanjiao sync` prints."""
    zh = is_zh(language)
    colon = "：" if zh else ": "
    lines = [_say("ok" if summary.ok else "failed", language)]

    def line(key: str, value: object) -> None:
        lines.append(f"  {_say(key, language)}{colon}{value}")

    if profile is not None:
        line("profile", profile)
    if hub_url:
        line("hub", hub_url)
    if username:
        line("user", username)
    outcomes = ("，" if zh else ", ").join(
        f"{_say(key, language)} {count}"
        for key, count in (
            ("applied", summary.applied),
            ("merged", summary.merged),
            ("conflicts", summary.conflicts),
            ("rejected", summary.rejected),
        )
    )
    line("pushed", f"{summary.pushed}（{outcomes}）" if zh else f"{summary.pushed} ({outcomes})")
    line("pulled", summary.pulled)
    line("pending", summary.pending)
    if summary.forms_added:
        line("forms", ("，" if zh else ", ").join(summary.forms_added))
    line("last_sync", _local_time(summary.last_sync_at, language))
    if not summary.ok:
        line("reason", summary.message(language))
    return "\n".join(lines)


def _failure_text(error: BaseException, language: str) -> str:
    """What to print when the sync could not even start."""
    colon = "：" if is_zh(language) else ": "
    reason = outcome_message(outcome_of(error), error, language)
    lines = [_say("failed", language), f"  {_say('reason', language)}{colon}{reason}"]
    if isinstance(error, CorruptDatabaseError):
        # Issue 3: a damaged database gets a clear error and the list of good backups.
        lines.append(f"  {_say('backups', language)}{colon}")
        lines.extend(f"    {backup}" for backup in error.backups)
        if not error.backups:
            lines.append(f"    {_say('no_backups', language)}")
    return "\n".join(lines)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _progress_printer(out: TextIO, language: str) -> Callable[[SyncPhase, int, int | None], None]:
    def show(phase: SyncPhase, done: int, total: int | None) -> None:
        zh, en = _PHASES[phase]
        name = zh if is_zh(language) else en
        count = f"{done}/{total}" if total is not None else str(done)
        print(f"\r{_say('phase', language)} {name} {count}   ", end="", file=out, flush=True)

    return show


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chanjiao sync",
        description="Sync this computer's records with the hub once and print a summary.",
        # The exit codes IT scripts against, as the module's docstring lists them.
        epilog="Exit status:" + (__doc__ or "").split("Exit status:", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="profile directory (default: the user's)"
    )
    parser.add_argument(
        "--lang", choices=["zh-CN", "en"], help="zh-CN (default) or en; else taken from LANG"
    )
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="FILE",
        help="extra CA certificates trusted for the hub (default: ca_bundle of the settings)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `chanjiao sync`; returns the exit status (see the module's docstring)."""
    arguments = _parser().parse_args(argv)
    language = console_language(arguments.lang)
    profile = Profile(arguments.profile) if arguments.profile else Profile.default()
    cancel = threading.Event()
    try:
        store = profile.open_store()
    except (StoreError, sqlite3.Error, OSError) as exc:
        print(_failure_text(exc, language))
        return EXIT_CODES[outcome_of(exc)]
    try:
        state = store.sync_state()
        try:
            connection = connection_settings()
            client = profile.open_client(
                store,
                language=language,
                ca_bundle=arguments.ca_bundle or connection.ca_bundle,
                proxy=connection.proxy,
            )
        except HubError as exc:
            print(_failure_text(exc, language))
            return EXIT_CODES[outcome_of(exc)]
        with client:
            engine = SyncEngine(store, client, reference=profile.reference_cache())
            progress = None if arguments.quiet else _progress_printer(sys.stderr, language)
            started = _now()
            try:
                summary = engine.sync(progress=progress, cancel=cancel)
            except KeyboardInterrupt:
                cancel.set()
                # What is true now, read back from the store (an interrupted transaction rolled
                # back): what still waits, and the last sync that finished before this one.
                summary = SyncSummary(
                    SyncOutcome.CANCELLED,
                    started,
                    _now(),
                    pending=store.pending_count(),
                    last_sync_at=store.sync_state().last_sync_at,
                )
            if progress is not None:
                print(file=sys.stderr)
    finally:
        store.close()
    text = summary_text(
        summary,
        language,
        profile=profile.directory,
        hub_url=state.hub_url,
        username=state.username,
    )
    print(text)
    return EXIT_CODES[summary.outcome]
