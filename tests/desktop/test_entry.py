"""`chanjiao` on the command line: `chanjiao sync` is the headless sync, bad arguments stop."""

import pytest

from desktop.__main__ import main
from sync.engine import SyncOutcome
from sync.headless import EXIT_CODES


def test_sync_subcommand_runs_the_headless_sync(tmp_path, capsys):
    status = main(["sync", "--profile", str(tmp_path), "--quiet", "--lang", "en"])
    assert status == EXIT_CODES[SyncOutcome.LOGIN_REQUIRED]
    assert "has not signed in" in capsys.readouterr().out


def test_hub_without_user_and_password_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--hub", "http://127.0.0.1:8765"])
    assert stopped.value.code == 2
    assert "--user" in capsys.readouterr().err
