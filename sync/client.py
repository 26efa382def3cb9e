"""The desktop's HTTP client of the hub (PROTOCOL.md v1), on httpx.

`HubClient` logs in and out, reads forms and reference data, pushes mutations and pulls records.
Every request carries `X-Chanjiao-Protocol: 1` and `Accept-Language`; TLS is verified against the
operating system's trust store plus an optional CA bundle set by IT; the proxy is the one set in
the settings (sync.settings_files), else the environment's and, on Windows and macOS, the
system's, with the system's exceptions.

Network errors (including a timeout or a reset after the request was sent, whose outcome is
unknown), 5xx, 429 and 409 `in_progress` are retried with exponential backoff and jitter, or after
the hub's `Retry-After`, resending the same body and `Idempotency-Key`: the hub applies a mutation
at most once, so this is safe. Business outcomes (`rejected`, `conflict`) are answers, never
retried. The token lives in a `TokenStore`: the OS keyring, or a file only the user can read.

Everything the client raises is a `HubError`, with a message in zh-CN and en for the user:

    HubError
    ├── NetworkError              no connection or no answer in time, after retries
    ├── TlsError                  the hub's certificate is not trusted: ask IT
    ├── AuthenticationRequired    401: log in again; nothing queued is lost
    │   └── InvalidCredentials    wrong username or password at login
    ├── UpgradeRequired           426: this app is too old; `min_protocol` says what is needed
    ├── RateLimited               429 that cannot wait; `retry_after` in seconds
    ├── HubUnavailable            5xx or 409 in_progress, after retries
    ├── RequestRejected           any other 4xx: the hub's `code`, `hub_message` and `details`
    └── UnexpectedResponse        an answer that does not fit the protocol
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import functools
import hashlib
import logging
import os
import random
import ssl
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

import platformdirs
import pydantic

# httpx, keyring and truststore are imported where they are first used: together they cost the
# desktop app about a second of its start, before any window shows (issue 6, start budget).
if TYPE_CHECKING:
    import httpx
    import keyring.backend

from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    IDEMPOTENCY_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AuditRequest,
    ClientAuditEntry,
    EncodedMutation,
    ErrorBody,
    ErrorCode,
    FormsResponse,
    Health,
    LoginRequest,
    LoginResponse,
    Mutation,
    PullResponse,
    PushResponse,
    ReferenceResponse,
    User,
    encode_mutation,
    push_body,
)

__all__ = [
    "APP_NAME",
    "AuthenticationRequired",
    "FileTokenStore",
    "HubClient",
    "HubError",
    "HubUnavailable",
    "InvalidCredentials",
    "KeyringTokenStore",
    "NetworkError",
    "RateLimited",
    "RequestRejected",
    "RetryPolicy",
    "TlsError",
    "TokenStore",
    "UnexpectedResponse",
    "UpgradeRequired",
    "open_token_store",
]

logger = logging.getLogger(__name__)

APP_NAME = "chanjiao-collect"
API_PREFIX = "/api/v1"
# Seconds: a whole request, and connecting.
DEFAULT_TIMEOUT = 30.0
CONNECT_TIMEOUT = 5.0

_Model = TypeVar("_Model", bound=pydantic.BaseModel)


# Errors ---------------------------------------------------------------------------------------


class HubError(Exception):
    """Base of everything `HubClient` raises; `message(language)` is fit to show a user."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, language: str = "zh-CN") -> str:
        return self.message_zh if language.lower().startswith("zh") else self.message_en


class NetworkError(HubError):
    def __init__(self, message_zh: str | None = None, message_en: str | None = None) -> None:
        super().__init__(
            message_zh or "无法连接到中心服务器，请检查网络后重试。",
            message_en or "Cannot reach the hub: check the network connection and try again.",
        )


class TlsError(HubError):
    def __init__(self, message_zh: str | None = None, message_en: str | None = None) -> None:
        super().__init__(
            message_zh or "无法验证中心服务器的证书，请联系 IT 人员配置受信任的证书。",
            message_en or "The hub's certificate is not trusted: ask IT to set up the certificate.",
        )


class AuthenticationRequired(HubError):
    def __init__(self) -> None:
        super().__init__(
            "登录已失效，请重新登录。尚未同步的数据仍保留在本机。",
            "Your login has expired: log in again. Nothing waiting to sync has been lost.",
        )


class InvalidCredentials(AuthenticationRequired):
    def __init__(self) -> None:
        HubError.__init__(self, "用户名或密码不正确。", "Wrong username or password.")


class UpgradeRequired(HubError):
    def __init__(self, min_protocol: int | None) -> None:
        self.min_protocol = min_protocol
        if min_protocol is None:
            super().__init__(
                "客户端版本过旧，请升级后再同步。",
                "This app is too old for the hub: update it, then sync again.",
            )
        else:
            super().__init__(
                f"客户端版本过旧：中心服务器需要支持同步协议第 {min_protocol} 版的客户端，"
                "请升级后再同步。",
                f"This app is too old for the hub, which needs sync protocol {min_protocol}: "
                "update it, then sync again.",
            )


class RateLimited(HubError):
    def __init__(self, retry_after: float | None) -> None:
        self.retry_after = retry_after
        if retry_after is None:
            super().__init__("请求过于频繁，请稍后再试。", "Too many requests: try again later.")
        else:
            seconds = round(retry_after)
            super().__init__(
                f"请求过于频繁，请 {seconds} 秒后再试。",
                f"Too many requests: try again in {seconds} seconds.",
            )


class HubUnavailable(HubError):
    def __init__(self, status_code: int, retry_after: float | None = None) -> None:
        self.status_code = status_code
        self.retry_after = retry_after
        super().__init__(
            "中心服务器暂时不可用，请稍后再试。",
            "The hub is unavailable right now: try again later.",
        )


class RequestRejected(HubError):
    def __init__(
        self, status_code: int, code: str, hub_message: str, details: Mapping[str, Any]
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.hub_message = hub_message
        self.details = dict(details)
        super().__init__(
            f"中心服务器拒绝了请求：{hub_message}", f"The hub refused the request: {hub_message}"
        )


class UnexpectedResponse(HubError):
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        super().__init__(
            f"无法识别中心服务器的应答（HTTP {status_code}），请联系 IT 人员。",
            f"The hub's answer could not be understood (HTTP {status_code}): tell IT.",
        )


# Token stores ---------------------------------------------------------------------------------


class TokenStore(Protocol):
    """Where the hub's bearer token is kept between runs of the app."""

    def get(self) -> str | None: ...

    def set(self, token: str) -> None: ...

    def delete(self) -> None: ...


class KeyringTokenStore:
    """The token in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def __init__(self, account: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        import keyring

        self.account = account
        self._backend = backend or keyring.get_keyring()

    def get(self) -> str | None:
        return self._backend.get_password(APP_NAME, self.account)

    def set(self, token: str) -> None:
        self._backend.set_password(APP_NAME, self.account, token)

    def delete(self) -> None:
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._backend.delete_password(APP_NAME, self.account)


class FileTokenStore:
    """The token in a file only its user may read (mode 0600), for machines with no keyring."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self) -> str | None:
        try:
            token = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return token or None

    def set(self, token: str) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.unlink(missing_ok=True)
        # Created with mode 0600 so that the token is never readable by others, even briefly.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(token)
        os.replace(partial, self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


def open_token_store(
    account: str,
    *,
    backend: keyring.backend.KeyringBackend | None = None,
    data_dir: Path | None = None,
) -> TokenStore:
    """The keyring store for `account` (e.g. the hub URL), or the file store when this machine
    has no usable keyring backend."""
    import keyring

    backend = backend or keyring.get_keyring()
    if backend.priority >= 1:
        return KeyringTokenStore(account, backend)
    directory = data_dir or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = directory / "tokens" / f"{hashlib.sha256(account.encode()).hexdigest()[:16]}.token"
    _log_file_fallback_once(path.parent)
    return FileTokenStore(path)


@functools.cache
def _log_file_fallback_once(directory: Path) -> None:
    logger.warning(
        "No usable OS keyring on this machine: the login token is kept in a file only this user "
        "can read, in %s",
        directory,
    )


# Client ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a request is retried.

    The n-th retry waits `min(backoff_cap, backoff_base * 2**(n-1))` scaled by a random factor
    in [0.5, 1), or the hub's `Retry-After` when it says so; a `Retry-After` longer than
    `max_retry_after` is not waited for but raised, so the user hears about it.
    """

    attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_retry_after: float = 60.0
    in_progress_wait: float = 1.0


class _Retry(Exception):
    """A failed attempt worth repeating: `failure` is raised when attempts run out."""

    def __init__(self, failure: HubError, reason: str, wait: float | None = None) -> None:
        self.failure = failure
        self.reason = reason
        self.wait = wait


class HubClient:
    """One hub, one user's token. Thread-compatible, not thread-safe: one per sync worker."""

    def __init__(
        self,
        base_url: str,
        *,
        token_store: TokenStore,
        language: str = "zh-CN",
        ca_bundle: str | os.PathLike[str] | None = None,
        proxy: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        import httpx

        root = base_url.rstrip("/")
        api_url = root if root.endswith(API_PREFIX) else root + API_PREFIX
        self.base_url = api_url
        self.language = language
        self.retry = retry or RetryPolicy()
        self._token_store = token_store
        self._token: str | None = None
        self._sleep = sleep
        self._jitter = jitter
        self._http = httpx.Client(
            base_url=api_url + "/",
            transport=transport,
            verify=_tls_context(ca_bundle),
            # Without a proxy of its own: the environment's, else the system's (both through
            # urllib.request.getproxies()), except for a hub the system's settings exempt.
            trust_env=True,
            proxy=_proxy(proxy) if proxy else None,
            mounts=None if proxy or transport else _system_exemption(api_url),
            timeout=timeout or httpx.Timeout(DEFAULT_TIMEOUT, connect=CONNECT_TIMEOUT),
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Accept-Language": language},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def logged_in(self) -> bool:
        """A token is stored; whether the hub still accepts it shows at the next request."""
        return self._current_token() is not None

    def health(self) -> Health:
        return _parse(Health, self._request("GET", "health", authenticated=False))

    def login(self, username: str, password: str, device: str = "") -> LoginResponse:
        """Log in and keep the token. Raises `InvalidCredentials` for a wrong password and
        `RateLimited` after too many of them (never retried: each retry would count)."""
        body = LoginRequest(username=username, password=password, device=device)
        response = self._request(
            "POST",
            "auth/login",
            content=body.model_dump_json().encode(),
            authenticated=False,
            retry_rate_limited=False,
        )
        login = _parse(LoginResponse, response)
        self._token_store.set(login.token)
        self._token = login.token
        return login

    def logout(self) -> None:
        """Revoke the token on the hub and forget it here; it is forgotten even when the hub
        cannot be reached, and that error is raised afterwards."""
        if self._current_token() is None:
            return
        try:
            self._request("POST", "auth/logout")
        except AuthenticationRequired:
            pass
        finally:
            self._forget_token()

    def me(self) -> User:
        return _parse(User, self._request("GET", "me"))

    def forms(self) -> FormsResponse:
        return _parse(FormsResponse, self._request("GET", "forms"))

    def reference(self, etag: str | None = None) -> tuple[ReferenceResponse | None, str | None]:
        """Orgs and enterprises with their ETag; `(None, etag)` when `etag` is still current."""
        import httpx

        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "reference", headers=headers)
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return None, etag
        return _parse(ReferenceResponse, response), response.headers.get("ETag")

    def push(
        self,
        client_id: uuid.UUID,
        mutations: Sequence[Mutation | EncodedMutation],
        idempotency_key: uuid.UUID,
    ) -> PushResponse:
        """Send one batch: models, or mutations encoded where they are stored (the store's
        batches). Keep `idempotency_key` for this batch until it is answered: a retry with the
        same key and mutations is answered from the hub's record, never reapplied."""
        if not mutations:
            raise ValueError("a push holds at least one mutation")
        encoded = [
            mutation if isinstance(mutation, EncodedMutation) else encode_mutation(mutation)
            for mutation in mutations
        ]
        response = self._request(
            "POST",
            "sync/push",
            content=push_body(str(client_id), encoded),
            headers={IDEMPOTENCY_HEADER: str(idempotency_key)},
        )
        pushed = _parse(PushResponse, response)
        # One result per mutation, in order (PROTOCOL.md). Any other answer is not applied:
        # a mutation left unanswered may have been applied by the hub, so it must stay in
        # its batch, under its key, until an answer names it.
        # Ids compared as numbers: str() of a UUID takes longer than all the rest of this check.
        answered = [result.mutation_id.int for result in pushed.results]
        if answered != [int(mutation.mutation_id.replace("-", ""), 16) for mutation in encoded]:
            raise UnexpectedResponse(response.status_code)
        return pushed

    def pull(self, cursor: str | None = None, limit: int = DEFAULT_PULL_LIMIT) -> PullResponse:
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return _parse(PullResponse, self._request("GET", "sync/pull", params=params))

    def send_audit(self, client_id: uuid.UUID, entries: Sequence[ClientAuditEntry]) -> None:
        """Lines of this machine's audit log (exports) into the hub's audit."""
        body = AuditRequest(client_id=client_id, entries=list(entries))
        self._request("POST", "audit", content=body.model_dump_json().encode())

    # Requests ---------------------------------------------------------------------------------

    def _current_token(self) -> str | None:
        if self._token is None:
            self._token = self._token_store.get()
        return self._token

    def _forget_token(self) -> None:
        self._token = None
        self._token_store.delete()

    def _request(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        retry_rate_limited: bool = True,
    ) -> httpx.Response:
        """Send until answered; 2xx and 304 are returned, everything else raised."""
        request_headers = dict(headers or {})
        if content is not None:
            request_headers["Content-Type"] = "application/json"
        if authenticated:
            token = self._current_token()
            if token is None:
                raise AuthenticationRequired()
            request_headers["Authorization"] = f"Bearer {token}"
        attempts = max(1, self.retry.attempts)
        attempt = 1
        while True:
            try:
                return self._attempt(
                    method, path, content, params, request_headers, retry_rate_limited
                )
            except _Retry as retry:
                if attempt >= attempts:
                    raise retry.failure from retry.__cause__
                wait = retry.wait if retry.wait is not None else self._backoff(attempt)
                logger.warning(
                    "%s /%s: %s; retry %d of %d in %.1f s",
                    method,
                    path,
                    retry.reason,
                    attempt,
                    attempts - 1,
                    wait,
                )
                self._sleep(wait)
                attempt += 1

    def _attempt(
        self,
        method: str,
        path: str,
        content: bytes | None,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str],
        retry_rate_limited: bool,
    ) -> httpx.Response:
        import httpx

        try:
            response = self._http.request(
                method, path, content=content, params=params, headers=headers
            )
        except httpx.TransportError as error:
            if _is_certificate_error(error):
                raise TlsError() from error
            raise _Retry(NetworkError(), type(error).__name__) from error
        status = response.status_code
        if status < 300 or status == httpx.codes.NOT_MODIFIED:
            return response
        error_code, hub_message, details = _error_of(response)
        retry_after = _retry_after(response)
        if status == httpx.codes.UNAUTHORIZED:
            if path == "auth/login":
                raise InvalidCredentials()
            self._forget_token()
            raise AuthenticationRequired()
        if status == httpx.codes.UPGRADE_REQUIRED:
            raise UpgradeRequired(_min_protocol(details, response))
        if status == httpx.codes.TOO_MANY_REQUESTS:
            failure: HubError = RateLimited(retry_after)
            if not retry_rate_limited:
                raise failure
            raise self._timed_retry(failure, f"HTTP {status}", retry_after)
        if status >= 500:
            failure = HubUnavailable(status, retry_after)
            raise self._timed_retry(failure, f"HTTP {status}", retry_after)
        if status == httpx.codes.CONFLICT and error_code == ErrorCode.IN_PROGRESS:
            wait = self.retry.in_progress_wait * (0.5 + self._jitter() / 2)
            raise _Retry(HubUnavailable(status), "batch still in progress on the hub", wait)
        if 400 <= status < 500:
            raise RequestRejected(status, error_code, hub_message, details)
        raise UnexpectedResponse(status)

    def _timed_retry(self, failure: HubError, reason: str, retry_after: float | None) -> Exception:
        """A retry after the hub's `Retry-After`, or the failure itself when that is too long."""
        if retry_after is not None and retry_after > self.retry.max_retry_after:
            return failure
        return _Retry(failure, reason, retry_after)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.retry.backoff_cap, self.retry.backoff_base * 2.0 ** (attempt - 1))
        return ceiling * (0.5 + self._jitter() / 2)


def _tls_context(ca_bundle: str | os.PathLike[str] | None) -> ssl.SSLContext:
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as error:
            raise TlsError(
                f"无法读取 IT 设置的 CA 证书文件：{os.fspath(ca_bundle)}",
                f"The CA bundle set by IT cannot be read: {os.fspath(ca_bundle)}",
            ) from error
    return context


def _proxy(url: str) -> httpx.Proxy:
    """The proxy set in the settings; `host:port` means an HTTP proxy, as in the environment."""
    import httpx

    full = url if "://" in url else f"http://{url}"
    try:
        return httpx.Proxy(full)
    except (ValueError, httpx.InvalidURL) as error:
        raise NetworkError(
            f"设置中的代理服务器地址无效：{url}", f"The proxy in the settings is not valid: {url}"
        ) from error


def _system_exemption(api_url: str) -> dict[str, httpx.BaseTransport | None] | None:
    """A direct route to the hub when the system's proxy settings exempt it, else None.

    httpx takes its proxies from urllib.request.getproxies(), which reads the environment and
    else the Windows registry or macOS' system configuration, but their exceptions from NO_PROXY
    only: Windows' "bypass the proxy for local addresses" and its exceptions list, and macOS'
    "bypass proxy settings for these hosts", are urllib.request.proxy_bypass(). Without this a
    hub on the school's network would be sent to a proxy that cannot reach it."""
    import urllib.parse
    import urllib.request

    proxies = urllib.request.getproxies()
    host = urllib.parse.urlsplit(api_url).hostname
    if not host or not (proxies.get("http") or proxies.get("https") or proxies.get("all")):
        return None
    # On Windows this may look the host up (an exception by address): only when a proxy is set.
    if not urllib.request.proxy_bypass(host):
        return None
    literal = f"[{host}]" if ":" in host else host
    return {f"all://{literal}": None}


def _is_certificate_error(error: BaseException) -> bool:
    """Whether a transport error comes from an untrusted certificate (retrying cannot help)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(error)


def _parse(model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as error:
        raise UnexpectedResponse(response.status_code) from error


def _error_of(response: httpx.Response) -> tuple[str, str, dict[str, Any]]:
    """The hub's error code, message and details, or stand-ins when the body is not one."""
    try:
        error = ErrorBody.model_validate_json(response.content).error
    except pydantic.ValidationError:
        return f"http_{response.status_code}", response.reason_phrase, {}
    return str(error.code), error.message, error.details


def _retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds, from either of its forms (delta-seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.datetime.now(datetime.UTC)).total_seconds())


def _min_protocol(details: Mapping[str, Any], response: httpx.Response) -> int | None:
    """The protocol the hub needs: its `details.minimum`, else its protocol header."""
    candidates: tuple[Any, ...] = (
        details.get("minimum"),
        response.headers.get(PROTOCOL_HEADER),
    )
    for candidate in candidates:
        try:
            return int(candidate)
        except (TypeError, ValueError):
            continue
    return None
