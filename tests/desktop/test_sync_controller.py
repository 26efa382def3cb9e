"""The sync controller and its status bar widget against a real hub on loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from desktop.settings import Settings
from desktop.sync_controller import SyncActivity, SyncController, SyncStatusWidget
from sync.client import HubClient
from sync.engine import SyncOutcome
from sync.profile import Profile
from sync.samples import SampleFactory
from sync.store import Store, SyncState
from tests.desktop.conftest import no_sleep
from tests.sync.engine.conftest import (
    FAST_RETRY,
    LiveHub,
    MemoryTokenStore,
)
from tests.sync.engine.recording_proxy import recording_proxy
from tests.sync.hub.conftest import S1

SAMPLES = SampleFactory(seed=11)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "user.ini", tmp_path / "system.ini")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Profile(tmp_path / "profile").open_store()
    yield opened
    opened.close()


def sign_in(store: Store, hub_url: str, username: str = "school1") -> None:
    state = store.sync_state()
    store.set_sync_state(
        SyncState(state.client_id, hub_url=hub_url, username=username, org=S1, county="500103")
    )


def client_factory(
    hub_url: str, tokens: MemoryTokenStore, transport: httpx.BaseTransport | None = None
) -> Callable[[Store], HubClient]:
    def open_client(_store: Store) -> HubClient:
        return HubClient(
            hub_url, token_store=tokens, retry=FAST_RETRY, sleep=no_sleep, transport=transport
        )

    return open_client


@pytest.fixture
def make_controller(qtbot, languages, store, settings, tmp_path):
    made: list[SyncController] = []

    def make(open_client: Callable[[Store], HubClient] | None = None) -> SyncController:
        controller = SyncController(
            store, Profile(tmp_path / "profile"), settings, open_client=open_client
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.stop()


def test_a_pass_runs_off_the_ui_thread_and_the_status_bar_says_when(
    qtbot, make_controller, store, live_hub: LiveHub
):
    sign_in(store, live_hub.url)
    ids = [store.save("internship", None, SAMPLES.fields("internship"), "school1").record_id]
    controller = make_controller(client_factory(live_hub.url, live_hub.login("school1")))
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    progress: list[tuple[str, int, int]] = []
    controller.sync_progress.connect(lambda *step: progress.append(step))
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000) as finished:
        controller.start()
        # The UI thread is free while the pass runs: the widget already says so.
        assert widget.state_label.text() == "正在同步…"
        assert widget.sync_button.text() == "取消"
    summary = finished.args[0]
    assert summary.outcome is SyncOutcome.SYNCED, summary.message("en")
    assert ("push", 1, 1) in progress
    assert set(live_hub.records("school1")) == set(ids)
    assert widget.state_label.text().startswith("上次同步 ")
    assert widget.sync_button.text() == "立即同步"
    assert not widget.attention_button.isVisible()


def test_with_the_hub_down_the_status_bar_says_offline_in_plain_words(
    qtbot, make_controller, store
):
    url = closed_port_url()
    sign_in(store, url)
    controller = make_controller(client_factory(url, MemoryTokenStore("token")))
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(controller.sync_failed, timeout=10_000) as failed:
        controller.start()
    assert "无法连接到中心服务器" in failed.args[0]
    assert widget.state_label.text() == "离线：无法连接中心服务器"
    assert "请检查网络" in widget.state_label.toolTip()
    assert controller.status.last_outcome is SyncOutcome.OFFLINE


def test_an_expired_login_asks_for_a_new_one_and_stops_periodic_passes(
    qtbot, make_controller, store, live_hub: LiveHub
):
    sign_in(store, live_hub.url)
    controller = make_controller(client_factory(live_hub.url, MemoryTokenStore("expired")))
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(controller.login_required, timeout=10_000):
        controller.start()
    assert widget.state_label.text() == "登录已过期，请重新登录"
    assert not controller._periodic.isActive()


def test_a_profile_without_a_hub_is_local_only_and_never_syncs(qtbot, make_controller):
    controller = make_controller(client_factory("http://127.0.0.1:9", MemoryTokenStore()))
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    with qtbot.assertNotEmitted(controller.sync_started):
        controller.start()
        controller.sync_now()
    assert controller.status.activity is SyncActivity.LOCAL_ONLY
    assert widget.state_label.text() == "仅本机使用（未连接中心服务器）"
    assert not widget.sync_button.isVisible()


def test_requests_in_a_burst_make_one_pass(qtbot, make_controller, store, live_hub: LiveHub):
    sign_in(store, live_hub.url)
    controller = make_controller(client_factory(live_hub.url, live_hub.login("school1")))
    controller._request_timer.setInterval(50)
    started: list[bool] = []
    controller.sync_started.connect(lambda: started.append(True))
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000):
        for _ in range(5):
            controller.request_sync()
    qtbot.wait(200)
    assert started == [True]


def test_passes_share_one_client_until_a_new_login_and_stop_closes_it(
    qtbot, make_controller, store, live_hub: LiveHub
):
    sign_in(store, live_hub.url)
    open_client = client_factory(live_hub.url, live_hub.login("school1"))
    opened: list[HubClient] = []

    def counting(opened_store: Store) -> HubClient:
        opened.append(open_client(opened_store))
        return opened[-1]

    controller = make_controller(counting)
    for again in (controller.start, controller.sync_now):
        with qtbot.waitSignal(controller.sync_finished, timeout=10_000) as finished:
            again()
        assert finished.args[0].outcome is SyncOutcome.SYNCED
    assert len(opened) == 1
    # start() follows a login: its token is read by a new client, the old one closed.
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000):
        controller.start()
    assert len(opened) == 2
    assert opened[0]._http.is_closed and not opened[1]._http.is_closed
    controller.stop()
    assert opened[1]._http.is_closed


def test_stop_cancels_a_pass_waiting_on_the_network(qtbot, make_controller, store, live_hub):
    sign_in(store, live_hub.url)
    release = threading.Event()
    controller = make_controller(
        client_factory(live_hub.url, live_hub.login("school1"), _Stuck(release))
    )
    finished: list[object] = []
    controller.sync_finished.connect(finished.append)
    with qtbot.waitSignal(controller.sync_started):
        controller.start()
    qtbot.wait(100)
    controller.stop(timeout_ms=3000)
    release.set()
    assert not controller._thread.isRunning()


def test_language_switch_retranslates_the_status(qtbot, make_controller, languages):
    controller = make_controller()
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: widget.state_label.text() == "Local only (no hub)")


class _Stuck(httpx.BaseTransport):
    """A network that never answers until released."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.release.wait(10)
        raise httpx.ConnectError("gave up", request=request)


def closed_port_url() -> str:
    """A loopback URL nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_an_unexpected_error_ends_the_pass_and_the_next_one_runs(qtbot, make_controller, store):
    sign_in(store, "http://127.0.0.1:9")
    calls: list[int] = []

    def broken(_store: Store) -> HubClient:
        calls.append(1)
        raise RuntimeError("a bug")

    controller = make_controller(broken)
    with qtbot.waitSignal(controller.sync_failed, timeout=5000):
        controller.start()
    assert not controller.running
    with qtbot.waitSignal(controller.sync_finished, timeout=5000):
        controller.sync_now()
    assert len(calls) == 2


def test_passes_go_through_the_proxy_of_the_settings_and_a_new_one_takes_effect(
    qtbot, languages, store, tmp_path, live_hub: LiveHub, monkeypatch
):
    from sync import client

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    tokens = live_hub.login("school1")
    monkeypatch.setattr(client, "open_token_store", lambda _account: tokens)
    sign_in(store, live_hub.url)
    store.save("internship", None, SAMPLES.fields("internship"), "school1")
    with recording_proxy() as first, recording_proxy() as second:
        system = tmp_path / "system.ini"
        system.write_text(f'[General]\nproxy="{first.url}"\n', encoding="utf-8")
        settings = Settings(tmp_path / "user.ini", system)
        # The controller makes its own clients, as the app does: no open_client given.
        controller = SyncController(store, Profile(tmp_path / "profile"), settings)
        try:
            with qtbot.waitSignal(controller.sync_finished, timeout=10_000) as finished:
                controller.start()
            assert finished.args[0].outcome is SyncOutcome.SYNCED
            assert f"POST {live_hub.url}/api/v1/sync/push" in first.requests
            settings.proxy = second.url
            with qtbot.waitSignal(controller.sync_finished, timeout=10_000) as finished:
                controller.sync_now()
            assert finished.args[0].outcome is SyncOutcome.SYNCED
            assert f"GET {live_hub.url}/api/v1/sync/pull" in second.requests
        finally:
            controller.stop()
