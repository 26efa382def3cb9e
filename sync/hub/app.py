"""The hub's HTTP face: FastAPI routes of PROTOCOL.md under `/api/v1`, its error bodies, and the
checks every request passes first (protocol version, body size, maintenance).

Every non-2xx answer, including Starlette's own 404/405 and request validation errors, has the
body `{"error": {"code", "message", "details"}}` with `message` in the language of
Accept-Language (zh-CN by default).
"""

from __future__ import annotations

import ctypes
import datetime
import gc
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import Annotated, Any

import anyio.to_thread
from argon2 import PasswordHasher
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRouter
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hub.auth import (
    DEFAULT_TOKEN_LIFETIME,
    Authenticator,
    Caller,
    InvalidCredentials,
    RateLimited,
)
from sync.hub.client_audit import record_client_audit
from sync.hub.database import Database
from sync.hub.i18n import SCHEMA_PROBLEMS, Lang, http_message, language
from sync.hub.service import Hub, HubError
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    IDEMPOTENCY_HEADER,
    MAX_BODY_BYTES,
    MAX_MUTATIONS_PER_PUSH,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AuditRequest,
    ErrorBody,
    FormsResponse,
    Health,
    LoginRequest,
    LoginResponse,
    Op,
    PullResponse,
    PushRequest,
    PushResponse,
    ReferenceResponse,
    User,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DB_ENV = "CHANJIAO_HUB_DB"
TOKEN_DAYS_ENV = "CHANJIAO_HUB_TOKEN_DAYS"
MAINTENANCE_RETRY_AFTER = 300
# Pushes a hub process applies at once; later ones wait their turn in order. With one thread per
# request (up to 40) every batch shared the GIL with all the others and each took as long as the
# slowest: 200 clients on PostgreSQL saw p99 1.5-1.8 s with 40, 0.4-0.5 s with 8 (2 was too few
# to overlap the database round trips: 1.2-2.4 s).
PUSH_SLOTS = 8

_STATUS_CODES = {
    400: "invalid_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "in_progress",
    413: "too_large",
    422: "invalid_request",
    426: "upgrade_required",
    429: "rate_limited",
    503: "unavailable",
}


def _lang_of(headers: Any) -> Lang:
    return language(headers.get("accept-language"))


def error_response(
    status: int,
    code: str,
    lang: Lang,
    *,
    message_key: str | None = None,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    details = details or {}
    if message is None:
        message = http_message(message_key or code, lang, **details)
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


def log_failure(method: str, path: str, status: int, code: str, details: object = None) -> None:
    """Every answer other than 2xx leaves a line in the log."""
    log.warning("%s %s -> %d %s %s", method, path, status, code, details or "")


def _json(text: str | bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(text, status_code=status, media_type="application/json", headers=headers)


class Gate:
    """ASGI middleware: protocol version, body size and maintenance, before any routing."""

    def __init__(self, app: ASGIApp, hub: Hub) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        lang = _lang_of(headers)
        refusal = self._refusal(headers, lang)
        if (
            refusal is None
            and "content-length" not in headers
            and scope["method"] in ("POST", "PUT", "PATCH")
        ):
            receive, refusal = await self._buffer(receive, lang)
        if (
            refusal is None
            and scope["path"] != API_PREFIX + "/health"
            and await self._maintenance()
        ):
            refusal = error_response(
                503,
                "unavailable",
                lang,
                headers={"Retry-After": str(MAINTENANCE_RETRY_AFTER)},
            )
        if refusal is not None:
            code = json.loads(bytes(refusal.body))["error"]["code"]
            log_failure(scope["method"], scope["path"], refusal.status_code, code)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _maintenance(self) -> bool:
        known = self.hub.maintenance_known()
        if known is not None:
            return known
        return await run_in_threadpool(self.hub.in_maintenance)  # a query: not on the loop

    @staticmethod
    def _refusal(headers: dict[str, str], lang: Lang) -> Response | None:
        declared = headers.get(PROTOCOL_HEADER.lower())
        if declared is not None:
            try:
                version = int(declared.strip())
            except ValueError:
                return error_response(
                    400,
                    "invalid_request",
                    lang,
                    message_key="bad_protocol",
                    details={"header": PROTOCOL_HEADER},
                )
            if version < PROTOCOL_VERSION:
                return error_response(
                    426,
                    "upgrade_required",
                    lang,
                    details={"client": version, "minimum": PROTOCOL_VERSION},
                )
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return error_response(413, "too_large", lang, details={"max_bytes": MAX_BODY_BYTES})
        return None

    @staticmethod
    async def _buffer(receive: Receive, lang: Lang) -> tuple[Receive, Response | None]:
        """Read a body of unknown length, refusing it once it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return receive, error_response(
                    413, "too_large", lang, details={"max_bytes": MAX_BODY_BYTES}
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay, None


_PUSH_REQUEST_REF = "#/components/schemas/PushRequest"

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code}
    for status, code in _STATUS_CODES.items()
    if status not in (404, 405)
}


_bearer = HTTPBearer(auto_error=False)


async def _lang_dependency(request: Request) -> Lang:
    # async, though it awaits nothing: FastAPI runs a plain function in a worker thread, a hop
    # that cost more than the rest of this.
    return _lang_of(request.headers)


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _caller(hub: Hub, credentials: HTTPAuthorizationCredentials | None) -> Caller:
    caller = hub.auth.caller(credentials.credentials) if credentials else None
    if caller is None:
        raise HubError(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    return caller


def _caller_dependency(request: Request, credentials: BearerDep) -> Caller:
    return _caller(request.app.state.hub, credentials)


CallerDep = Annotated[Caller, Depends(_caller_dependency)]
LangDep = Annotated[Lang, Depends(_lang_dependency)]


# A JSON string holding NUL, which PostgreSQL's text cannot store: the escape \u0000 after an
# even number of backslashes (after an odd number it is an escaped backslash, then "u0000").
# A raw NUL byte is not valid JSON at all.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _nul_path(value: Any) -> list[str | int] | None:
    """Where the first string (or member name) holding NUL is in a parsed JSON document."""
    if isinstance(value, str):
        return [] if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        for name in value:
            if "\x00" in name:
                return [name]
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        path = _nul_path(item)
        if path is not None:
            return [key, *path]
    return None


def _refuse_nul(raw: bytes) -> None:
    """422 for a JSON body with NUL in any string, before any of it reaches the database.
    A scan of the raw bytes, so that bodies without it cost no walk of their values."""
    if b"\\u0000" not in raw or _NUL_ESCAPE.search(raw) is None:
        return
    try:
        path = _nul_path(json.loads(raw))
    except ValueError:
        return  # not JSON: its own validation says so
    if path is not None:
        raise RequestValidationError([{"loc": ("body", *path), "type": "string_nul"}])


async def _no_nul_in_body(request: Request) -> None:
    _refuse_nul(await request.body())


def _too_many_mutations(raw: bytes) -> HubError | None:
    """413 for a push of more than 500 mutations, whatever else is wrong with them: looked at
    when the body did not validate, as the count is checked after validation otherwise."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    mutations = body.get("mutations") if isinstance(body, dict) else None
    if isinstance(mutations, list) and len(mutations) > MAX_MUTATIONS_PER_PUSH:
        return _too_large(len(mutations))
    return None


def _too_large(count: int) -> HubError:
    return HubError(413, "too_large", details={"mutations": count, "max": MAX_MUTATIONS_PER_PUSH})


def _push(
    hub: Hub,
    credentials: HTTPAuthorizationCredentials | None,
    raw: bytes,
    idempotency_key: str | None,
    lang: Lang,
) -> bytes:
    """A push, all in one worker thread (a hop less than a caller dependency): the caller,
    then the body, parsed and validated in one pass by pydantic, then the batch."""
    caller = _caller(hub, credentials)
    try:
        body = PushRequest.model_validate_json(raw)
    except ValidationError as error:
        too_many = _too_many_mutations(raw)
        if too_many is not None:
            raise too_many from None
        errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
        raise RequestValidationError(errors) from None
    count = len(body.mutations)
    if count > MAX_MUTATIONS_PER_PUSH:
        raise _too_large(count)
    _refuse_nul(raw)
    body_hash = hashlib.sha256(raw).hexdigest()
    return hub.push(caller, body.mutations, body_hash, idempotency_key, lang)


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(
        title="Chanjiao Collect hub",
        version=hub.version,
        description="Sync protocol v1 between the Chanjiao Collect desktop client and its hub.",
        openapi_url=API_PREFIX + "/openapi.json",
        docs_url=API_PREFIX + "/docs",
        redoc_url=None,
    )
    app.state.hub = hub
    push_slots = anyio.CapacityLimiter(PUSH_SLOTS)
    router = APIRouter(prefix=API_PREFIX, responses=_ERRORS)

    @router.get("/health", response_model=Health)
    def health() -> Health:
        return Health(version=hub.version)

    @router.post(
        "/auth/login", response_model=LoginResponse, dependencies=[Depends(_no_nul_in_body)]
    )
    def login(body: LoginRequest) -> LoginResponse:
        try:
            token, expires_at, caller = hub.auth.login(body.username, body.password, body.device)
        except RateLimited as limited:
            raise HubError(
                429,
                "rate_limited",
                details={"retry_after": limited.retry_after},
                headers={"Retry-After": str(limited.retry_after)},
            ) from None
        except InvalidCredentials:
            raise HubError(401, "invalid_credentials") from None
        return LoginResponse.model_validate(
            {"token": token, "expires_at": expires_at, "user": caller.to_user()}
        )

    @router.post("/auth/logout", status_code=204, response_class=Response)
    def logout(caller: CallerDep) -> Response:
        hub.auth.logout(caller)
        return Response(status_code=204)

    @router.get("/me", response_model=User)
    def me(caller: CallerDep) -> User:
        return caller.to_user()

    @router.get("/forms", response_model=FormsResponse)
    def published_forms(caller: CallerDep) -> Response:
        return _json(hub.forms_json())

    @router.get(
        "/reference",
        response_model=ReferenceResponse,
        responses={304: {"description": "not modified since the ETag given"}},
    )
    def reference(
        caller: CallerDep,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        body, etag = hub.reference()
        if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
            return Response(status_code=304, headers={"ETag": etag})
        return _json(body, headers={"ETag": etag})

    @router.post(
        "/sync/push",
        response_model=PushResponse,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": _PUSH_REQUEST_REF}}},
            }
        },
    )
    async def push(
        request: Request,
        credentials: BearerDep,
        lang: LangDep,
        idempotency_key: Annotated[
            str | None, Header(alias=IDEMPOTENCY_HEADER, min_length=1, max_length=200)
        ] = None,
    ) -> Response:
        raw = await request.body()
        text = await anyio.to_thread.run_sync(
            _push, hub, credentials, raw, idempotency_key, lang, limiter=push_slots
        )
        return _json(text)

    @router.post(
        "/audit",
        status_code=204,
        response_class=Response,
        dependencies=[Depends(_no_nul_in_body)],
    )
    def audit(body: AuditRequest, caller: CallerDep) -> Response:
        """Lines of the caller's own audit log (exports with ID numbers) into the hub's."""
        record_client_audit(hub.db, caller, body)
        return Response(status_code=204)

    @router.get("/sync/pull", response_model=PullResponse)
    def pull(
        caller: CallerDep,
        lang: LangDep,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ) -> Response:
        return _json(hub.pull(caller, cursor, limit, lang))

    app.include_router(router)
    _document_push_request(app)
    _install_error_handlers(app)
    app.add_middleware(Gate, hub=hub)
    return app


def _document_push_request(app: FastAPI) -> None:
    """Put PushRequest and the models it uses into the OpenAPI components: the push route reads
    its body itself, so FastAPI does not know them."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            _, definitions = models_json_schema(
                [(PushRequest, "validation")], ref_template="#/components/schemas/{model}"
            )
            document["components"]["schemas"].update(definitions["$defs"])
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def _install_error_handlers(app: FastAPI) -> None:
    async def hub_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HubError)
        log_failure(request.method, request.url.path, exc.status, exc.message_key, exc.details)
        return error_response(
            exc.status,
            exc.code,
            _lang_of(request.headers),
            message_key=exc.message_key,
            details=exc.details,
            headers=exc.headers,
        )

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [_schema_problem(e) for e in exc.errors()]
        log_failure(request.method, request.url.path, 422, "invalid_request", errors)
        lang = _lang_of(request.headers)
        return error_response(
            422,
            "invalid_request",
            lang,
            message=_schema_message(errors, lang),
            details={"errors": errors},
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _STATUS_CODES.get(exc.status_code)
        if code is None:
            code = "invalid_request" if exc.status_code < 500 else "internal"
        log_failure(request.method, request.url.path, exc.status_code, code)
        return error_response(exc.status_code, code, _lang_of(request.headers), headers=exc.headers)

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("request failed: %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal", _lang_of(request.headers))

    app.add_exception_handler(HubError, hub_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)


_OPS = frozenset(op.value for op in Op)
_QUOTED = re.compile(r"'([^']*)'")


def _readable_path(loc: list[str | int]) -> str:
    """`mutations[3].base_rev` for pydantic's ("body", "mutations", 3, "save", "base_rev"):
    without "body", and without the op a mutation was validated as."""
    parts = loc[1:] if loc[:1] == ["body"] else loc
    path = ""
    for at, part in enumerate(parts):
        if isinstance(part, int):
            path += f"[{part}]"
        elif not (at >= 2 and parts[at - 2] == "mutations" and part in _OPS):
            path += f".{part}" if path else part
    return path


def _schema_problem(error: Mapping[str, Any]) -> dict[str, Any]:
    """One validation error as `details` gives it: where (`loc` as pydantic says it and the
    `path` of the message), what (`type`) and its plain context values (bounds, expected)."""
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    problem: dict[str, Any] = {
        "loc": loc,
        "path": _readable_path(loc),
        "type": str(error.get("type", "")),
    }
    context = {
        name: value
        for name, value in (error.get("ctx") or {}).items()
        if isinstance(value, str | int | float | bool)
    }
    if "expected_tags" in context:  # "<Op.SAVE: 'save'>, ...": the names alone
        context["expected_tags"] = ", ".join(_QUOTED.findall(str(context["expected_tags"])))
    if context:
        problem["ctx"] = context
    return problem


def _schema_message(problems: list[dict[str, Any]], lang: Lang) -> str:
    """The first problem in words, and how many more `details` holds."""
    first: dict[str, Any] = problems[0] if problems else {"path": "", "type": "unknown"}
    zh, en = SCHEMA_PROBLEMS.get(first["type"], SCHEMA_PROBLEMS["unknown"])
    try:
        problem = (en if lang == "en" else zh).format(**first.get("ctx", {}))
    except (KeyError, IndexError, ValueError):
        zh, en = SCHEMA_PROBLEMS["unknown"]
        problem = en if lang == "en" else zh
    body_zh, body_en = SCHEMA_PROBLEMS["body"]
    path = first["path"] or (body_en if lang == "en" else body_zh)
    more = http_message("schema_more", lang, count=len(problems) - 1) if len(problems) > 1 else ""
    return http_message("schema_problem", lang, path=path, problem=problem, more=more)


def open_hub(
    url: str,
    hasher: PasswordHasher | None = None,
    token_lifetime: datetime.timedelta = DEFAULT_TOKEN_LIFETIME,
) -> Hub:
    """A hub on the database at `url`, its schema brought up to date first."""
    db = Database(url)
    db.migrate()
    return Hub(db, Authenticator(db, hasher=hasher, token_lifetime=token_lifetime))


def token_lifetime_from_env() -> datetime.timedelta:
    """$CHANJIAO_HUB_TOKEN_DAYS days, or the default 30 when it is not set."""
    days = os.environ.get(TOKEN_DAYS_ENV)
    return datetime.timedelta(days=int(days)) if days else DEFAULT_TOKEN_LIFETIME


def serving_process_gc() -> None:
    """Garbage collection and memory reuse for a process that now serves requests.

    Everything made so far (compiled forms and their expressions, SQLAlchemy's caches, the app)
    lives as long as the process: frozen, full collections stop walking it on every batch (they
    cost 40 µs a pushed record). A batch of 500 makes some 100,000 short-lived containers and no
    cycles, so the young generation is collected every 20,000 allocations instead of 700."""
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    _reuse_freed_memory()


# glibc's mallopt parameters: allocations from this size on get pages of their own; free memory
# past this much at the top of the heap goes back to the system.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_FROM = 32 * 1024 * 1024  # glibc's largest
_TRIM_FROM = 128 * 1024 * 1024


def _reuse_freed_memory() -> None:
    """Keep the memory of one push for the next (glibc). A push's body, its parsed values and
    its answer are blocks of 0.5-1 MB, which glibc mapped anew for each and gave back when freed:
    2 page faults a pushed record, a sixth of the hub's system time on a push (load 12: sys
    21 → 15 µs a record, faults 2.2 → 0.55). A no-op where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM)
    mallopt(_M_TRIM_THRESHOLD, _TRIM_FROM)


def app_from_env() -> FastAPI:
    """The app factory uvicorn workers call (`sync.hub.app:app_from_env`)."""
    app = create_app(open_hub(os.environ[DB_ENV], token_lifetime=token_lifetime_from_env()))
    serving_process_gc()
    return app
