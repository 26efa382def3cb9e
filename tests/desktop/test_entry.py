"""`chanjiao` on the command line: `chanjiao sync` is the headless sync, `--hub` signs in
before the window opens, bad arguments stop."""

import io
import sys

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QApplication

from desktop.__main__ import main
from desktop.main_window import MainWindow
from sync.engine import SyncOutcome
from sync.headless import EXIT_CODES
from sync.store import Store
from tests.sync.engine.conftest import LoopbackServer, fresh_hub
from tests.sync.hub.conftest import PASSWORD


def test_sync_subcommand_runs_the_headless_sync(tmp_path, capsys):
    status = main(["sync", "--profile", str(tmp_path), "--quiet", "--lang", "en"])
    assert status == EXIT_CODES[SyncOutcome.LOGIN_REQUIRED]
    assert "has not signed in" in capsys.readouterr().out


def test_hub_without_user_and_password_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--hub", "http://127.0.0.1:8765"])
    assert stopped.value.code == 2
    assert "--user" in capsys.readouterr().err


@pytest.fixture
def hub_server(tmp_path):
    server = LoopbackServer()
    server.start()
    hub = fresh_hub(tmp_path)
    server.serve(hub)
    yield server
    server.stop()
    hub.db.dispose()


def test_signing_in_from_the_command_line_opens_the_window(qapp, hub_server, tmp_path, monkeypatch):
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))
    monkeypatch.setenv("CHANJIAO_SYSTEM_CONFIG", str(tmp_path / "none.ini"))
    # Tokens in a file under the temporary data folder, never in this machine's keyring.
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    shown = []

    def exec_(app):
        shown.extend(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    profile = tmp_path / "profile"
    arguments = ["--profile", str(profile), "--hub", hub_server.url, "--user", "school1"]
    assert main([*arguments, "--password-stdin"]) == 0
    assert len(shown) == 1
    with Store.open(profile / "store.sqlite3") as store:
        state = store.sync_state()
    assert (state.hub_url, state.username) == (hub_server.url, "school1")
