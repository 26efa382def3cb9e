"""HubClient against httpx.MockTransport: headers, retries and backoff, error mapping, tokens."""

from __future__ import annotations

import email.utils
import http.server
import json
import logging
import os
import ssl
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import certifi
import httpx
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from sync.client import (
    AuthenticationRequired,
    FileTokenStore,
    HubClient,
    HubUnavailable,
    InvalidCredentials,
    KeyringTokenStore,
    NetworkError,
    RateLimited,
    RequestRejected,
    RetryPolicy,
    TlsError,
    UnexpectedResponse,
    UpgradeRequired,
    open_token_store,
)
from sync.protocol import Mutation, Outcome, SaveMutation, SubmitMutation

HUB = "https://hub.example.cn"
TOKEN = "token-that-must-stay-secret"
ID_NUMBER = "11010519491231002X"
CLIENT_ID = uuid.UUID("00000000-0000-4000-8000-00000000c11e")

Handler = Callable[[httpx.Request], httpx.Response]


class MemoryTokenStore:
    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def get(self) -> str | None:
        return self.token

    def set(self, token: str) -> None:
        self.token = token

    def delete(self) -> None:
        self.token = None


class Hub:
    """A scripted hub: answers (or transport errors) in order, and every request it saw."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def client_for(
    hub: Handler,
    *,
    token: str | None = TOKEN,
    sleeps: list[float] | None = None,
    jitter: float = 1.0,
    **options: Any,
) -> HubClient:
    waits = sleeps if sleeps is not None else []
    return HubClient(
        HUB,
        token_store=options.pop("token_store", MemoryTokenStore(token)),
        transport=httpx.MockTransport(hub),
        sleep=waits.append,
        jitter=lambda: jitter,
        **options,
    )


def error(status: int, code: str, message: str = "", **headers: str) -> httpx.Response:
    body = {"error": {"code": code, "message": message or code, "details": {}}}
    return httpx.Response(status, json=body, headers=headers)


def record(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "form": "internship",
        "form_version": 1,
        "org": "S0001",
        "county": "110105",
        "rev": 1,
        "status": "draft",
        "fields": {"student_id_number": ID_NUMBER},
        "updated_at": "2026-11-21T08:00:00Z",
        "updated_by": "school1",
        **changes,
    }


def login_answer() -> httpx.Response:
    user = {
        "username": "school1",
        "display_name": "第一中学",
        "role": "school",
        "org": "S0001",
        "county": "110105",
    }
    return httpx.Response(
        200, json={"token": TOKEN, "expires_at": "2026-12-21T08:00:00Z", "user": user}
    )


def pull_answer() -> httpx.Response:
    return httpx.Response(200, json={"records": [record()], "next_cursor": "c1", "has_more": False})


def save_mutation() -> SaveMutation:
    return SaveMutation(
        mutation_id=uuid.uuid4(),
        record_id=uuid.uuid4(),
        base_rev=0,
        form="internship",
        form_version=1,
        fields={"student_id_number": ID_NUMBER},
    )


def push_answer(*mutations: Mutation) -> httpx.Response:
    results = [
        {"mutation_id": str(m.mutation_id), "record_id": str(m.record_id), "outcome": "applied"}
        for m in mutations
    ]
    return httpx.Response(200, json={"results": results})


# Requests and answers


def test_every_request_says_protocol_and_language_and_health_needs_no_token() -> None:
    hub = Hub(httpx.Response(200, json={"status": "ok", "protocol": 1, "version": "1.0"}))
    health = client_for(hub, token=None, language="en").health()
    assert health.version == "1.0"
    (request,) = hub.requests
    assert str(request.url) == f"{HUB}/api/v1/health"
    assert request.headers["X-Chanjiao-Protocol"] == "1"
    assert request.headers["Accept-Language"] == "en"
    assert "Authorization" not in request.headers


def test_chinese_is_the_default_language_and_an_api_suffix_in_the_url_is_accepted() -> None:
    hub = Hub(pull_answer())
    client = HubClient(
        HUB + "/api/v1/", token_store=MemoryTokenStore(TOKEN), transport=httpx.MockTransport(hub)
    )
    client.pull()
    assert hub.requests[0].headers["Accept-Language"] == "zh-CN"
    assert hub.requests[0].url.path == "/api/v1/sync/pull"


def test_login_keeps_the_token_and_later_requests_use_it() -> None:
    store = MemoryTokenStore()
    hub = Hub(login_answer(), pull_answer())
    client = client_for(hub, token_store=store)
    assert not client.logged_in
    login = client.login("school1", "pa55", device="PC-01")
    assert login.user.display_name == "第一中学"
    assert store.token == TOKEN
    assert client.logged_in
    assert json.loads(hub.requests[0].content) == {
        "username": "school1",
        "password": "pa55",
        "device": "PC-01",
    }
    client.pull()
    assert hub.requests[1].headers["Authorization"] == f"Bearer {TOKEN}"


def test_wrong_password_is_invalid_credentials_and_not_retried() -> None:
    store = MemoryTokenStore()
    hub = Hub(error(401, "invalid_credentials"))
    with pytest.raises(InvalidCredentials) as raised:
        client_for(hub, token_store=store).login("school1", "wrong")
    assert isinstance(raised.value, AuthenticationRequired)
    assert raised.value.message("zh-CN") == "用户名或密码不正确。"
    assert len(hub.requests) == 1
    assert store.token is None


def test_login_locked_by_failed_attempts_is_not_retried() -> None:
    sleeps: list[float] = []
    hub = Hub(error(429, "rate_limited", **{"Retry-After": "5"}))
    with pytest.raises(RateLimited) as raised:
        client_for(hub, token=None, sleeps=sleeps).login("school1", "wrong")
    assert raised.value.retry_after == 5
    assert "5" in raised.value.message("en")
    assert len(hub.requests) == 1
    assert sleeps == []


def test_logout_revokes_on_the_hub_and_forgets_the_token() -> None:
    store = MemoryTokenStore(TOKEN)
    hub = Hub(httpx.Response(204))
    client = client_for(hub, token_store=store)
    client.logout()
    assert hub.requests[0].method == "POST"
    assert hub.requests[0].url.path == "/api/v1/auth/logout"
    assert hub.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert store.token is None
    assert not client.logged_in


def test_logout_forgets_the_token_even_when_the_hub_cannot_be_reached() -> None:
    store = MemoryTokenStore(TOKEN)
    hub = Hub(*[httpx.ConnectError("refused")] * 5)
    with pytest.raises(NetworkError):
        client_for(hub, token_store=store).logout()
    assert store.token is None


def test_logout_of_a_token_the_hub_already_revoked_succeeds() -> None:
    store = MemoryTokenStore(TOKEN)
    client_for(Hub(error(401, "unauthenticated")), token_store=store).logout()
    assert store.token is None


def test_without_a_token_a_login_is_required_before_anything_is_sent() -> None:
    hub = Hub()
    with pytest.raises(AuthenticationRequired):
        client_for(hub, token=None).forms()
    assert hub.requests == []


def test_forms_me_and_pull_parse_their_answers() -> None:
    published = {"id": "internship", "version": 2, "definition": {"id": "internship"}}
    me = login_answer().json()["user"]
    hub = Hub(
        httpx.Response(200, json={"forms": [published]}),
        httpx.Response(200, json=me),
        pull_answer(),
    )
    client = client_for(hub)
    assert client.forms().forms[0].version == 2
    assert client.me().username == "school1"
    page = client.pull("c0", limit=100)
    assert page.next_cursor == "c1"
    assert page.records[0].fields == {"student_id_number": ID_NUMBER}
    assert dict(hub.requests[2].url.params) == {"cursor": "c0", "limit": "100"}


def test_pull_from_the_start_sends_no_cursor() -> None:
    hub = Hub(pull_answer())
    client_for(hub).pull()
    assert dict(hub.requests[0].url.params) == {"limit": "500"}


def test_reference_returns_the_data_and_its_etag_then_none_when_unchanged() -> None:
    reference = {
        "orgs": [{"code": "S0001", "name": "第一中学", "kind": "school", "county": "110105"}],
        "enterprises": [{"uscc": "91110000600037341L", "name": "某某公司"}],
    }
    hub = Hub(
        httpx.Response(200, json=reference, headers={"ETag": '"v7"'}),
        httpx.Response(304, headers={"ETag": '"v7"'}),
    )
    client = client_for(hub)
    data, etag = client.reference()
    assert data is not None
    assert data.orgs[0].name == "第一中学"
    assert etag == '"v7"'
    assert "If-None-Match" not in hub.requests[0].headers
    assert client.reference(etag) == (None, '"v7"')
    assert hub.requests[1].headers["If-None-Match"] == '"v7"'


def test_push_sends_the_batch_with_its_idempotency_key() -> None:
    mutations: list[Mutation] = [
        save_mutation(),
        SubmitMutation(mutation_id=uuid.uuid4(), record_id=uuid.uuid4(), base_rev=3),
    ]
    key = uuid.uuid4()
    hub = Hub(push_answer(*mutations))
    pushed = client_for(hub).push(CLIENT_ID, mutations, key)
    assert [r.outcome for r in pushed.results] == [Outcome.APPLIED, Outcome.APPLIED]
    request = hub.requests[0]
    assert request.headers["Idempotency-Key"] == str(key)
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert body["client_id"] == str(CLIENT_ID)
    assert [m["op"] for m in body["mutations"]] == ["save", "submit"]


def test_business_outcomes_are_answers_and_never_retried() -> None:
    mutation = save_mutation()
    rejected = {
        "mutation_id": str(mutation.mutation_id),
        "record_id": str(mutation.record_id),
        "outcome": "rejected",
        "errors": [{"code": "forbidden", "message": "无权操作此记录"}],
    }
    hub = Hub(httpx.Response(200, json={"results": [rejected]}))
    pushed = client_for(hub).push(CLIENT_ID, [mutation], uuid.uuid4())
    assert pushed.results[0].outcome == Outcome.REJECTED
    assert len(hub.requests) == 1


# Retries


def test_unknown_outcomes_are_retried_with_the_same_key_and_body() -> None:
    mutation = save_mutation()
    sleeps: list[float] = []
    hub = Hub(
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("sent, no answer"),
        httpx.RemoteProtocolError("connection reset"),
        error(500, "internal"),
        push_answer(mutation),
    )
    key = uuid.uuid4()
    pushed = client_for(hub, sleeps=sleeps).push(CLIENT_ID, [mutation], key)
    assert pushed.results[0].mutation_id == mutation.mutation_id
    assert len(hub.requests) == 5
    assert {r.headers["Idempotency-Key"] for r in hub.requests} == {str(key)}
    assert len({r.content for r in hub.requests}) == 1
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_jittered_and_capped() -> None:
    sleeps: list[float] = []
    hub = Hub(*[httpx.ConnectError("refused")] * 6)
    policy = RetryPolicy(attempts=6, backoff_base=1.0, backoff_cap=3.0)
    with pytest.raises(NetworkError):
        client_for(hub, sleeps=sleeps, jitter=0.0, retry=policy).pull()
    assert sleeps == [0.5, 1.0, 1.5, 1.5, 1.5]


def test_network_error_after_the_last_attempt() -> None:
    sleeps: list[float] = []
    hub = Hub(*[httpx.ConnectTimeout("no route")] * 5)
    with pytest.raises(NetworkError) as raised:
        client_for(hub, sleeps=sleeps).pull()
    assert len(hub.requests) == 5
    assert len(sleeps) == 4
    assert raised.value.message("zh-CN").startswith("无法连接到中心服务器")
    assert raised.value.message("en").startswith("Cannot reach the hub")


def test_hub_unavailable_after_retries_honours_retry_after_of_maintenance() -> None:
    sleeps: list[float] = []
    hub = Hub(*[error(503, "unavailable", **{"Retry-After": "3"})] * 5)
    with pytest.raises(HubUnavailable) as raised:
        client_for(hub, sleeps=sleeps).pull()
    assert raised.value.status_code == 503
    assert sleeps == [3.0, 3.0, 3.0, 3.0]


def test_rate_limited_waits_for_retry_after_then_succeeds() -> None:
    sleeps: list[float] = []
    hub = Hub(error(429, "rate_limited", **{"Retry-After": "7"}), pull_answer())
    client_for(hub, sleeps=sleeps).pull()
    assert sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    sleeps: list[float] = []
    later = email.utils.formatdate(timeval=None, usegmt=True)
    hub = Hub(error(429, "rate_limited", **{"Retry-After": later}), pull_answer())
    client_for(hub, sleeps=sleeps).pull()
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 1


def test_retry_after_too_long_to_wait_is_raised_at_once() -> None:
    sleeps: list[float] = []
    hub = Hub(error(429, "rate_limited", **{"Retry-After": "600"}))
    with pytest.raises(RateLimited) as raised:
        client_for(hub, sleeps=sleeps).pull()
    assert raised.value.retry_after == 600
    assert sleeps == []


def test_batch_in_progress_is_asked_again_shortly_with_the_same_key() -> None:
    mutation = save_mutation()
    sleeps: list[float] = []
    hub = Hub(error(409, "in_progress"), push_answer(mutation))
    key = uuid.uuid4()
    client_for(hub, sleeps=sleeps).push(CLIENT_ID, [mutation], key)
    assert sleeps == [1.0]
    assert [r.headers["Idempotency-Key"] for r in hub.requests] == [str(key)] * 2


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "invalid_request"),
        (403, "forbidden"),
        (404, "not_found"),
        (413, "too_large"),
        (422, "idempotency_mismatch"),
    ],
)
def test_client_errors_are_rejected_without_retry(status: int, code: str) -> None:
    sleeps: list[float] = []
    hub = Hub(error(status, code, "说明"))
    with pytest.raises(RequestRejected) as raised:
        client_for(hub, sleeps=sleeps).push(CLIENT_ID, [save_mutation()], uuid.uuid4())
    assert (raised.value.status_code, raised.value.code) == (status, code)
    assert raised.value.hub_message == "说明"
    assert "说明" in raised.value.message("zh-CN")
    assert len(hub.requests) == 1
    assert sleeps == []


def test_an_error_without_the_protocol_body_keeps_the_status() -> None:
    hub = Hub(httpx.Response(418, text="teapot"))
    with pytest.raises(RequestRejected) as raised:
        client_for(hub).pull()
    assert raised.value.code == "http_418"


# Stops that need the user


def test_401_in_the_middle_requires_a_login_and_forgets_the_token() -> None:
    store = MemoryTokenStore(TOKEN)
    hub = Hub(pull_answer(), error(401, "unauthenticated"))
    client = client_for(hub, token_store=store)
    client.pull()
    with pytest.raises(AuthenticationRequired) as raised:
        client.pull("c1")
    assert not isinstance(raised.value, InvalidCredentials)
    assert len(hub.requests) == 2
    assert store.token is None
    assert not client.logged_in


def test_upgrade_required_says_which_protocol_is_needed() -> None:
    body = {
        "error": {"code": "upgrade_required", "message": "", "details": {"client": 1, "minimum": 2}}
    }
    hub = Hub(httpx.Response(426, json=body))
    with pytest.raises(UpgradeRequired) as raised:
        client_for(hub).pull()
    assert raised.value.min_protocol == 2
    assert "2" in raised.value.message("zh-CN")
    assert "protocol 2" in raised.value.message("en")
    assert len(hub.requests) == 1


def test_upgrade_required_falls_back_to_the_hubs_protocol_header() -> None:
    hub = Hub(error(426, "upgrade_required", **{"X-Chanjiao-Protocol": "3"}))
    with pytest.raises(UpgradeRequired) as raised:
        client_for(hub).pull()
    assert raised.value.min_protocol == 3


def test_an_answer_outside_the_protocol_is_unexpected() -> None:
    with pytest.raises(UnexpectedResponse):
        client_for(Hub(httpx.Response(200, json={"records": "?"}))).pull()
    mutation = save_mutation()
    with pytest.raises(UnexpectedResponse):
        client_for(Hub(push_answer())).push(CLIENT_ID, [mutation], uuid.uuid4())


def test_a_push_answer_that_does_not_name_each_mutation_in_order_is_unexpected() -> None:
    first, second = save_mutation(), save_mutation()
    for answer in (
        push_answer(first, save_mutation()),  # as many results, one mutation not answered
        push_answer(second, first),
        push_answer(first, first),
    ):
        with pytest.raises(UnexpectedResponse):
            client_for(Hub(answer)).push(CLIENT_ID, [first, second], uuid.uuid4())
    pushed = client_for(Hub(push_answer(first, second))).push(
        CLIENT_ID, [first, second], uuid.uuid4()
    )
    assert [r.mutation_id for r in pushed.results] == [first.mutation_id, second.mutation_id]


# TLS


def test_untrusted_certificate_is_a_tls_error_and_not_retried() -> None:
    def untrusted(request: httpx.Request) -> httpx.Response:
        try:
            raise ssl.SSLCertVerificationError("certificate verify failed: self-signed")
        except ssl.SSLCertVerificationError as cause:
            raise httpx.ConnectError("handshake failed", request=request) from cause

    sleeps: list[float] = []
    with pytest.raises(TlsError) as raised:
        client_for(untrusted, sleeps=sleeps).pull()
    assert sleeps == []
    assert "IT" in raised.value.message("zh-CN")
    assert "IT" in raised.value.message("en")


def test_a_ca_bundle_from_it_is_loaded_and_an_unreadable_one_is_reported(tmp_path: Path) -> None:
    HubClient(HUB, token_store=MemoryTokenStore(), ca_bundle=certifi.where()).close()
    missing = tmp_path / "missing.pem"
    with pytest.raises(TlsError) as raised:
        HubClient(HUB, token_store=MemoryTokenStore(), ca_bundle=missing)
    assert str(missing) in raised.value.message("en")


# Logs


def test_retries_are_logged_without_tokens_or_personal_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = Hub(error(500, "internal"), login_answer(), error(503, "unavailable"), pull_answer())
    client = client_for(hub, token=None)
    with caplog.at_level(logging.DEBUG):
        client.login("school1", "pa55")
        client.pull()
    assert "retry 1 of 4" in caplog.text
    assert TOKEN not in caplog.text
    assert ID_NUMBER not in caplog.text
    assert "pa55" not in caplog.text


# Token stores


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


def test_keyring_store_keeps_the_token_per_account() -> None:
    backend = MemoryKeyring()
    store = open_token_store(HUB, backend=backend)
    assert isinstance(store, KeyringTokenStore)
    store.set(TOKEN)
    assert store.get() == TOKEN
    assert KeyringTokenStore("https://other.example.cn", backend).get() is None
    store.delete()
    store.delete()
    assert store.get() is None


def test_without_a_keyring_the_token_goes_to_a_private_file_said_once_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    no_keyring = keyring.backends.fail.Keyring()  # type: ignore[no-untyped-call]
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        first = open_token_store(HUB, backend=no_keyring, data_dir=tmp_path)
        second = open_token_store(HUB, backend=no_keyring, data_dir=tmp_path)
    assert isinstance(first, FileTokenStore)
    assert isinstance(second, FileTokenStore)
    assert first.path == second.path
    assert first.path.is_relative_to(tmp_path)
    assert caplog.text.count("No usable OS keyring") == 1
    first.set(TOKEN)
    assert second.get() == TOKEN
    assert TOKEN not in caplog.text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_file_store_is_readable_only_by_its_user(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens" / "hub.token")
    assert store.get() is None
    store.set("first")
    store.set(TOKEN)
    assert store.get() == TOKEN
    assert os.stat(store.path).st_mode & 0o777 == 0o600
    assert os.stat(store.path.parent).st_mode & 0o077 == 0
    store.delete()
    store.delete()
    assert store.get() is None


# TLS on loopback, with a certificate authority of our own


def write_certificates(directory: Path) -> tuple[Path, Path]:
    """A CA (the bundle IT would hand out) and a server certificate for 127.0.0.1 it signed."""
    pytest.importorskip("cryptography")
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "County IT test CA")])
    ca_certificate = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_bundle = directory / "county-ca.pem"
    ca_bundle.write_bytes(ca_certificate.public_bytes(serialization.Encoding.PEM))
    server_pem = directory / "server.pem"
    server_pem.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + server_certificate.public_bytes(serialization.Encoding.PEM)
    )
    return ca_bundle, server_pem


class HealthHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "ok", "protocol": 1, "version": "tls"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tls_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A loopback HTTPS hub; yields its URL and the CA bundle that makes it trusted."""
    ca_bundle, server_pem = write_certificates(tmp_path)
    for variable in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(server_pem)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HealthHandler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca_bundle
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_hub_certificate_no_one_trusts_is_a_tls_error(tls_hub: tuple[str, Path]) -> None:
    url, _ = tls_hub
    sleeps: list[float] = []
    client = HubClient(url, token_store=MemoryTokenStore(), sleep=sleeps.append)
    with client, pytest.raises(TlsError):
        client.health()
    assert sleeps == []


def test_the_ca_bundle_set_by_it_makes_the_hub_trusted(tls_hub: tuple[str, Path]) -> None:
    url, ca_bundle = tls_hub
    with HubClient(url, token_store=MemoryTokenStore(), ca_bundle=ca_bundle) as client:
        assert client.health().version == "tls"


def test_every_public_name_is_exported() -> None:
    import sync.client

    assert all(hasattr(sync.client, name) for name in sync.client.__all__)
    public_errors = {
        name
        for name, value in vars(sync.client).items()
        if isinstance(value, type) and issubclass(value, sync.client.HubError)
    }
    assert public_errors <= set(sync.client.__all__)
