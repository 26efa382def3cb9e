"""`chanjiao`: the desktop app, and `chanjiao sync` for syncing without a window.

chanjiao                                   # the app on the user's default profile
chanjiao --profile DIR                     # another profile (a folder holding its store)
chanjiao --hub URL --user U --password-stdin   # sign in first (make run, tests)
chanjiao sync [--profile DIR] ...          # see sync.headless
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from sync import headless
from sync.client import HubClient
from sync.engine import SyncEngine
from sync.profile import Profile
from sync.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chanjiao", description="Chanjiao Collect")
    parser.add_argument("--profile", type=Path, help="profile directory (default: the user's)")
    parser.add_argument("--hub", help="hub address to sign in to before the window opens")
    parser.add_argument("--user", help="user name to sign in as (with --hub)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def sign_in(profile: Profile, store: Store, hub_url: str, username: str, password: str) -> None:
    """Log in, remember the hub and user in the store, and sync once so the window opens with
    the user's records."""
    with HubClient(hub_url, token_store=profile.token_store(hub_url, username)) as client:
        login = client.login(username, password)
        state = store.sync_state()
        if (state.hub_url, state.username) != (hub_url, username):
            # Another hub or user: its cursor means nothing here.
            state = dataclasses.replace(state, cursor=None, last_sync_at=None)
        store.set_sync_state(
            dataclasses.replace(
                state,
                hub_url=hub_url,
                username=username,
                org=login.user.org,
                county=login.user.county,
            )
        )
        SyncEngine(store, client, reference=profile.reference_cache()).sync()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sync"]:
        return headless.main(arguments[1:])
    options = _parser().parse_args(arguments)
    if options.hub and not (options.user and options.password_stdin):
        _parser().error("--hub needs --user and --password-stdin")
    password = sys.stdin.readline().rstrip("\n") if options.password_stdin else ""

    # Imported here so that `chanjiao sync` starts without loading Qt.
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from desktop.application import start_services
    from desktop.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    services = start_services(app)
    profile = Profile(options.profile) if options.profile else Profile.default()
    store = profile.open_store()
    try:
        if options.hub:
            sign_in(profile, store, options.hub, options.user, password)
        window = MainWindow(store)
        window.language_chosen.connect(
            lambda language: setattr(services.settings, "language", language)
        )
        window.show()
        status = app.exec()
        # The window goes before the store it reads: stopping services changes the language.
        shiboken6.delete(window)
    finally:
        services.stop()
        store.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
