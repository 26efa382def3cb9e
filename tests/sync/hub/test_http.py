"""What every request meets: error bodies in the caller's language, the protocol version header,
body limits, maintenance, authentication, and the small endpoints."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from sync.hub import schema
from sync.hub.i18n import language
from sync.hub.service import Hub, set_maintenance
from sync.protocol import MAX_BODY_BYTES, PROTOCOL_HEADER, ErrorBody
from tests.sync.hub.conftest import PASSWORD, Api


def error_of(answer: object, status: int, code: str) -> dict[str, object]:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    ErrorBody.model_validate(body)
    assert body["error"]["code"] == code
    return dict(body["error"])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr-FR, en;q=0.5", "en"),
        ("en;q=0.3, zh-TW;q=0.6", "zh"),
        ("de", "zh"),
        ("en;q=bogus", "zh"),
    ],
)
def test_language_is_picked_from_accept_language(header: str | None, expected: str) -> None:
    assert language(header) == expected


def test_starlette_404_and_405_speak_the_protocol_in_both_languages(api: Api) -> None:
    zh = error_of(api.client.get("/api/v1/nothing-here"), 404, "not_found")
    assert zh["message"] == "找不到请求的地址。"
    en = error_of(
        api.client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"}),
        404,
        "not_found",
    )
    assert en["message"] == "There is nothing at this address."
    error_of(api.client.delete("/api/v1/health"), 405, "method_not_allowed")


def test_a_body_that_does_not_fit_is_422_and_malformed_json_400(api: Api) -> None:
    headers = api.login("school1") | {"Accept-Language": "en"}
    bad = api.client.post("/api/v1/sync/push", json={"mutations": "no"}, headers=headers)
    error = error_of(bad, 422, "invalid_request")
    assert "schema" in str(error["message"])
    locations = {tuple(e["loc"]) for e in error["details"]["errors"]}  # type: ignore[index]
    assert ("body", "client_id") in locations
    raw = api.client.post(
        "/api/v1/sync/push",
        content=b"{not json",
        headers=headers | {"Content-Type": "application/json"},
    )
    error_of(raw, 400, "invalid_request")
    login = api.client.post("/api/v1/auth/login", json={"username": "x"})
    assert "请求" in str(error_of(login, 422, "invalid_request")["message"])


def test_the_protocol_header_older_is_426_absent_or_current_is_accepted(api: Api) -> None:
    assert api.client.get("/api/v1/health").status_code == 200
    assert api.client.get("/api/v1/health", headers={PROTOCOL_HEADER: "1"}).status_code == 200
    assert api.client.get("/api/v1/health", headers={PROTOCOL_HEADER: "2"}).status_code == 200
    old = api.client.get("/api/v1/health", headers={PROTOCOL_HEADER: "0"})
    error = error_of(old, 426, "upgrade_required")
    assert error["details"] == {"client": 0, "minimum": 1}
    assert "升级" in str(error["message"])
    error_of(api.client.get("/api/v1/me", headers={PROTOCOL_HEADER: "one"}), 400, "invalid_request")


def test_bodies_over_16_mib_are_refused_before_they_are_read(api: Api) -> None:
    headers = api.login("school1") | {"Content-Type": "application/json"}
    declared = api.client.post(
        "/api/v1/sync/push",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers=headers,
    )
    error_of(declared, 413, "too_large")

    def chunks():  # no Content-Length: sent chunked
        for _ in range(17):
            yield b" " * (1024 * 1024)

    chunked = api.client.post("/api/v1/sync/push", content=chunks(), headers=headers)
    error_of(chunked, 413, "too_large")


def test_maintenance_answers_503_with_retry_after(api: Api, hub: Hub) -> None:
    headers = api.login("school1")
    set_maintenance(hub.db, True)
    hub._maintenance = (0.0, False)  # do not wait for the next check
    answer = api.client.get("/api/v1/me", headers=headers)
    error_of(answer, 503, "unavailable")
    assert int(answer.headers["Retry-After"]) > 0
    assert api.client.get("/api/v1/health").status_code == 200
    set_maintenance(hub.db, False)
    hub._maintenance = (0.0, True)
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200


def test_health_needs_no_login(api: Api) -> None:
    body = api.client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["protocol"] == 1
    assert body["version"]


def test_login_me_and_logout(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/auth/login",
        json={"username": "school1", "password": PASSWORD, "device": "laptop"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"] == {
        "username": "school1",
        "display_name": "school1",
        "role": "school",
        "org": "3150010301",
        "county": "500103",
    }
    assert body["expires_at"].endswith("Z")
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert api.client.get("/api/v1/me", headers=headers).json() == body["user"]
    assert api.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    error_of(api.client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_tokens_are_stored_hashed(api: Api, hub: Hub) -> None:
    token = api.login("school1")["Authorization"].split()[1]
    with hub.db.read() as connection:
        stored = connection.execute(select(schema.tokens.c.token_hash)).scalars().all()
    assert stored and token not in stored


def test_every_endpoint_but_health_and_login_needs_a_live_token(api: Api) -> None:
    for method, path in (
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/forms"),
        ("GET", "/api/v1/reference"),
        ("GET", "/api/v1/sync/pull"),
        ("POST", "/api/v1/auth/logout"),
    ):
        answer = api.client.request(method, path)
        error_of(answer, 401, "unauthenticated")
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        forged = api.client.request(method, path, headers={"Authorization": "Bearer forged"})
        error_of(forged, 401, "unauthenticated")


def test_an_expired_token_is_refused(api: Api, hub: Hub) -> None:
    hub.auth.token_lifetime = datetime.timedelta(seconds=-1)
    headers = api.login("school2")
    error_of(api.client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_wrong_credentials_and_the_login_rate_limit(api: Api) -> None:
    def attempt(password: str, username: str = "county") -> object:
        return api.client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": password},
            headers={"Accept-Language": "en"},
        )

    error_of(attempt("wrong", "nobody"), 401, "invalid_credentials")
    for _ in range(5):
        error_of(attempt("wrong"), 401, "invalid_credentials")
    limited = attempt(PASSWORD)
    error = error_of(limited, 429, "rate_limited")
    retry_after = int(limited.headers["Retry-After"])  # type: ignore[attr-defined]
    assert 0 < retry_after <= 300
    assert f"{retry_after} seconds" in str(error["message"])
    assert attempt(PASSWORD, "county2").status_code == 200  # other usernames are not limited


def test_forms_lists_every_published_definition(api: Api) -> None:
    body = api.client.get("/api/v1/forms", headers=api.login("school1")).json()
    ids = {(f["id"], f["version"]) for f in body["forms"]}
    assert {("internship", 1), ("training_base", 1), ("teacher_placement", 1)} <= ids
    internship = next(f for f in body["forms"] if f["id"] == "internship")
    assert internship["definition"]["id"] == "internship"


def test_reference_has_an_etag_and_answers_304_when_unchanged(api: Api) -> None:
    headers = api.login("school1")
    answer = api.client.get("/api/v1/reference", headers=headers)
    assert answer.status_code == 200
    orgs = {o["code"]: o for o in answer.json()["orgs"]}
    assert orgs["3150010301"]["county"] == "500103"
    assert orgs["500103"]["kind"] == "county"
    etag = answer.headers["ETag"]
    same = api.client.get("/api/v1/reference", headers=headers | {"If-None-Match": etag})
    assert same.status_code == 304
    other = api.client.get("/api/v1/reference", headers=headers | {"If-None-Match": '"old"'})
    assert other.status_code == 200


def test_openapi_is_served_under_the_api_prefix(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sync/push" in spec["paths"]
    push = spec["paths"]["/api/v1/sync/push"]["post"]
    assert {"413", "409", "422", "426"} <= set(push["responses"])


def test_the_package_exports_what_it_names() -> None:
    import sync.hub

    for name in sync.hub.__all__:
        assert getattr(sync.hub, name) is not None
