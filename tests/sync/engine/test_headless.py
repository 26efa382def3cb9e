"""`chanjiao sync` on a profile directory against the loopback hub: summary, language, the
reason in plain words with a distinct exit status when it fails; the proxy and CA bundle of the
app's settings files (the machine-wide one IT writes, then the user's), else the environment's
proxy, except for a hub the system's proxy settings exempt."""

from __future__ import annotations

import functools
import urllib.parse
import urllib.request
from collections.abc import Iterator
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
from tests.sync.engine.recording_proxy import RecordingProxy, recording_proxy

SAMPLES = SampleFactory(seed=8)


@pytest.fixture(autouse=True)
def private_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens in the test's directory, retries without waiting, and no settings files (this
    machine's own would apply)."""

    def token_file(account: str) -> TokenStore:
        return FileTokenStore(tmp_path / "tokens" / account.replace("/", "_"))

    # Patched in sync.client: the profile imports the client when it makes one.
    monkeypatch.setattr(client, "open_token_store", token_file)
    monkeypatch.setattr(client, "HubClient", functools.partial(HubClient, sleep=lambda _: None))
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("CHANJIAO_SYSTEM_CONFIG", str(tmp_path / "etc" / "chanjiao.ini"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


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


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    with recording_proxy() as running:
        yield running


@pytest.fixture
def settings_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The machine-wide and the user's settings file of this test (where private_tokens put
    them), neither written yet; no proxy in the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    system_file = tmp_path / "etc" / "chanjiao.ini"
    user_file = tmp_path / "config" / "Chanjiao" / "chanjiao.ini"
    for file in (system_file, user_file):
        file.parent.mkdir(parents=True)
    return system_file, user_file


def pushes_and_pulls(proxy: RecordingProxy, hub_url: str) -> list[str]:
    """The push and pull requests the proxy forwarded (the test's own requests to the hub, to
    log in or look, go other ways)."""
    wanted = (f"POST {hub_url}/api/v1/sync/push", f"GET {hub_url}/api/v1/sync/pull")
    return [request for request in proxy.requests if request in wanted]


def test_a_sync_goes_through_the_proxy_it_set_in_the_machine_wide_file(
    tmp_path: Path,
    live_hub: LiveHub,
    proxy: RecordingProxy,
    settings_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    system_file, _ = settings_files
    system_file.write_text(f'[General]\nproxy="{proxy.url}"\n', encoding="utf-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Pushed: 2" in out
    assert pushes_and_pulls(proxy, live_hub.url) == [
        f"POST {live_hub.url}/api/v1/sync/push",
        f"GET {live_hub.url}/api/v1/sync/pull",
    ]


def test_a_proxy_that_is_not_running_stops_the_sync_as_offline_with_nothing_lost(
    tmp_path: Path,
    live_hub: LiveHub,
    settings_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    system_file, _ = settings_files
    # host:port without a scheme is an HTTP proxy, as in HTTP_PROXY; nothing listens on port 9.
    system_file.write_text('[General]\nproxy="127.0.0.1:9"\n', encoding="utf-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == EXIT_CODES[SyncOutcome.OFFLINE], out
    assert "Waiting to push: 2" in out
    assert live_hub.records("school1") == {}


def test_a_proxy_that_is_no_address_is_said_in_plain_words(
    tmp_path: Path,
    live_hub: LiveHub,
    settings_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, user_file = settings_files
    user_file.write_text('[General]\nproxy="ftp://代理"\n', encoding="utf-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == EXIT_CODES[SyncOutcome.OFFLINE]
    assert "The proxy in the settings is not valid: ftp://代理" in out


def test_without_a_proxy_setting_the_environments_proxy_is_used(
    tmp_path: Path,
    live_hub: LiveHub,
    proxy: RecordingProxy,
    settings_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert main(["--profile", str(synced.directory), "--quiet"]) == 0
    assert len(pushes_and_pulls(proxy, live_hub.url)) == 2


def test_a_hub_the_systems_proxy_settings_exempt_is_reached_directly(
    tmp_path: Path,
    live_hub: LiveHub,
    proxy: RecordingProxy,
    settings_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    hub_host = urllib.parse.urlsplit(live_hub.url).hostname
    # What Windows' "bypass the proxy for" list or macOS' exceptions answer for the hub; httpx
    # reads only NO_PROXY.
    monkeypatch.setattr(urllib.request, "proxy_bypass", lambda host: host == hub_host)
    assert main(["--profile", str(synced.directory), "--quiet"]) == 0
    assert pushes_and_pulls(proxy, live_hub.url) == []
    assert len(live_hub.records("school1")) == 2


def test_the_ca_bundle_of_the_machine_wide_file_reaches_the_client(
    tmp_path: Path,
    live_hub: LiveHub,
    settings_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    system_file, user_file = settings_files
    ca_bundle = tmp_path / "证书" / "school-ca.pem"  # not there: the client says which file
    system_file.write_text(
        f'[General]\nca_bundle="{ca_bundle}"\nlocked=ca_bundle\n', encoding="utf-8"
    )
    user_file.write_text('[General]\nca_bundle="/the/users/own.pem"\n', encoding="utf-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    status = main(["--profile", str(synced.directory), "--lang", "en", "--quiet"])
    out = capsys.readouterr().out
    assert status == EXIT_CODES[SyncOutcome.UNTRUSTED_CERTIFICATE] == 4
    assert f"The CA bundle set by IT cannot be read: {ca_bundle}" in out


def test_the_ca_bundle_argument_replaces_the_settings_one(
    tmp_path: Path,
    live_hub: LiveHub,
    settings_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import certifi

    system_file, _ = settings_files
    system_file.write_text('[General]\nca_bundle="/nowhere/ca.pem"\n', encoding="utf-8")
    synced = signed_in_profile(tmp_path / "profile", live_hub)
    arguments = ["--profile", str(synced.directory), "--quiet", "--ca-bundle", certifi.where()]
    assert main(arguments) == 0, capsys.readouterr().out
