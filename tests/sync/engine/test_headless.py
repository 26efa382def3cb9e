"""`chanjiao sync` on a profile directory against the loopback hub: summary, language, and the
reason in plain words with a distinct exit status when it fails."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sync import client
from sync.client import FileTokenStore, HubClient, TlsError, TokenStore, UpgradeRequired
from sync.engine import SyncOutcome, outcome_message, outcome_of
from sync.headless import EXIT_CODES, main
from sync.profile import Profile, token_account
from sync.samples import SampleFactory
from sync.store import Store, SyncState
from tests.sync.engine.conftest import LiveHub

SAMPLES = SampleFactory(seed=8)


@pytest.fixture(autouse=True)
def private_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens in the test's directory, and retries without waiting."""

    def token_file(account: str) -> TokenStore:
        return FileTokenStore(tmp_path / "tokens" / account.replace("/", "_"))

    # Patched in sync.client: the profile imports the client when it makes one.
    monkeypatch.setattr(client, "open_token_store", token_file)
    monkeypatch.setattr(client, "HubClient", functools.partial(HubClient, sleep=lambda _: None))
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


def signed_in_profile(directory: Path, live_hub: LiveHub, username: str = "school1") -> Profile:
    signed_in = Profile(directory)
    with signed_in.open_store() as store:
        state = store.sync_state()
        store.set_sync_state(
            SyncState(state.client_id, live_hub.url, username, "3150010301", "500103")
        )
        for _ in range(2):
            store.save("internship", None, SAMPLES.fields("internship"), username)
    token = live_hub.login(username).token
    assert token is not None
    client.open_token_store(token_account(live_hub.url, username)).set(token)
    return signed_in


def test_a_sync_prints_what_it_did_in_english(
    tmp_path: Path, live_hub: LiveHub, capsys: pytest.CaptureFixture[str]
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.splitlines()[0] == "Sync finished"
    assert "Pushed: 2 (applied 2, merged 0, conflicts 0, rejected 0)" in out
    assert "Pulled: 2" in out
    assert "Waiting to push: 0" in out
    assert "never" not in out
    assert len(out.splitlines()) <= 20
    assert len(live_hub.records("school1")) == 2


def test_the_summary_is_in_chinese_by_default(
    tmp_path: Path, live_hub: LiveHub, capsys: pytest.CaptureFixture[str]
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    assert main(["--profile", str(synced.directory)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "同步完成"
    assert "已上传：2（已生效 2，已合并 0，冲突 0，被拒绝 0）" in captured.out
    assert "正在同步" in captured.err  # the progress line


def test_an_english_locale_chooses_english(
    tmp_path: Path,
    live_hub: LiveHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    assert main(["--profile", str(synced.directory), "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("Sync finished")


def test_a_profile_never_signed_in_asks_for_a_login(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--profile", str(tmp_path / "empty"), "--lang", "en"])
    assert status == EXIT_CODES[SyncOutcome.LOGIN_REQUIRED] == 5
    assert "has not signed in" in capsys.readouterr().out


def test_a_lost_token_asks_for_a_login_and_keeps_the_records(
    tmp_path: Path, live_hub: LiveHub, capsys: pytest.CaptureFixture[str]
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    client.open_token_store(token_account(live_hub.url, "school1")).delete()
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == 5
    assert "log in again" in out and "Waiting to push: 2" in out
    with Store.open(synced.store_path) as store:
        assert store.pending_count() == 2


def test_no_network_is_said_in_plain_words(
    tmp_path: Path, live_hub: LiveHub, capsys: pytest.CaptureFixture[str]
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    with Store.open(synced.store_path) as store:
        state = store.sync_state()
        store.set_sync_state(
            SyncState(state.client_id, "http://127.0.0.1:9", "school1", state.org, state.county)
        )
    client.open_token_store(token_account("http://127.0.0.1:9", "school1")).set("token")
    status = main(["--profile", str(synced.directory), "--quiet"])
    assert status == EXIT_CODES[SyncOutcome.OFFLINE] == 3
    assert "无法连接到中心服务器" in capsys.readouterr().out


def test_a_damaged_database_is_said_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = Profile(tmp_path / "profile")
    damaged.directory.mkdir()
    damaged.store_path.write_bytes(b"this is not a database" * 100)
    status = main(["--profile", str(damaged.directory), "--lang", "en"])
    assert status == EXIT_CODES[SyncOutcome.DATABASE] == 8
    assert "database on this computer has a problem" in capsys.readouterr().out


def test_every_outcome_has_an_exit_status_and_words_in_both_languages() -> None:
    assert set(EXIT_CODES) == set(SyncOutcome)
    failures = [outcome for outcome in SyncOutcome if outcome is not SyncOutcome.SYNCED]
    assert all(EXIT_CODES[outcome] != 0 for outcome in failures)
    words = {
        (outcome_message(outcome, None, "zh-CN"), outcome_message(outcome, None, "en"))
        for outcome in SyncOutcome
    }
    assert len(words) == len(SyncOutcome)
    assert all(zh != en for zh, en in words)
    assert EXIT_CODES[outcome_of(TlsError())] == 4
    upgrade = UpgradeRequired(3)
    assert EXIT_CODES[outcome_of(upgrade)] == 6
    assert "3" in outcome_message(outcome_of(upgrade), upgrade, "zh-CN")


def test_the_default_profile_lives_in_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Profile.default().store_path == tmp_path / "chanjiao/profiles/default/store.sqlite3"
