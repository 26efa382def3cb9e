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
from tests.sync.hub.conftest import PASSWORD, Api, new_id, op, save


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


def test_a_body_that_does_not_fit_is_422_naming_the_member_and_the_problem(api: Api) -> None:
    headers = api.login("school1") | {"Accept-Language": "en"}
    bad = api.client.post("/api/v1/sync/push", json={"mutations": "no"}, headers=headers)
    error = error_of(bad, 422, "invalid_request")
    assert error["message"] == (
        "The request does not fit the API schema: client_id is required. (1 more in details)"
    )
    problems = error["details"]["errors"]  # type: ignore[index]
    assert {(tuple(e["loc"]), e["type"]) for e in problems} == {
        (("body", "client_id"), "missing"),
        (("body", "mutations"), "list_type"),
    }
    login = api.client.post("/api/v1/auth/login", json={"username": "x"})
    assert error_of(login, 422, "invalid_request")["message"] == (
        "请求内容不符合接口格式：password 为必填项。"
    )


def test_malformed_json_is_422_too(api: Api) -> None:
    for lang, words in (("en", "not valid JSON"), ("zh", "不是有效的 JSON")):
        raw = api.client.post(
            "/api/v1/sync/push",
            content=b"{not json",
            headers=api.login("school1")
            | {"Content-Type": "application/json", "Accept-Language": lang},
        )
        error = error_of(raw, 422, "invalid_request")
        assert words in str(error["message"])
        [problem] = error["details"]["errors"]  # type: ignore[index]
        assert problem["type"] == "json_invalid"
        assert "line 1 column 2" in problem["ctx"]["error"]


def test_a_mutation_that_does_not_fit_is_named_with_its_bound_in_both_languages(api: Api) -> None:
    mutation = save(new_id(), {}) | {"base_rev": -1, "record_id": "r1"}
    body = {"client_id": api.client_id, "mutations": [save(new_id(), {}), mutation]}
    answers = {
        lang: error_of(
            api.client.post(
                "/api/v1/sync/push",
                json=body,
                headers=api.login("school1") | {"Accept-Language": lang},
            ),
            422,
            "invalid_request",
        )
        for lang in ("zh", "en")
    }
    assert answers["en"]["message"] == (
        "The request does not fit the API schema: mutations[1].record_id must be a UUID "
        "string (invalid character: found `r` at 0). "
        "(1 more in details)"
    )
    assert answers["zh"]["message"].startswith(  # type: ignore[union-attr]
        "请求内容不符合接口格式：mutations[1].record_id 应为 UUID 字符串"
    )
    assert answers["zh"]["message"].endswith("（另有 1 处问题，见 details）")  # type: ignore[union-attr]
    assert answers["en"]["details"] == answers["zh"]["details"]
    base_rev = answers["en"]["details"]["errors"][1]  # type: ignore[index]
    assert base_rev == {
        "loc": ["body", "mutations", 1, "save", "base_rev"],
        "path": "mutations[1].base_rev",
        "type": "greater_than_equal",
        "ctx": {"ge": 0},
    }
    unknown_op = body | {"mutations": [{"op": "shred", "record_id": new_id()}]}
    answer = api.client.post(
        "/api/v1/sync/push",
        json=unknown_op,
        headers=api.login("school1") | {"Accept-Language": "en"},
    )
    assert error_of(answer, 422, "invalid_request")["message"] == (
        "The request does not fit the API schema: mutations[0] has 'op' 'shred', which is not "
        "one of save, submit, withdraw, review, delete, resolve."
    )
    query = api.client.get(
        "/api/v1/sync/pull?limit=0", headers=api.login("school1") | {"Accept-Language": "en"}
    )
    assert error_of(query, 422, "invalid_request")["message"] == (
        "The request does not fit the API schema: query.limit must be at least 1."
    )


def test_nul_in_any_string_is_422_before_it_reaches_the_database(api: Api) -> None:
    """PostgreSQL's text cannot hold NUL (the login answered 500 there)."""
    login = api.client.post(
        "/api/v1/auth/login",
        json={"username": "school1\x00", "password": PASSWORD, "device": "d"},
        headers={"Accept-Language": "en"},
    )
    error = error_of(login, 422, "invalid_request")
    assert error["message"] == (
        "The request does not fit the API schema: username must not contain the NUL "
        "character (\\u0000)."
    )
    assert error["details"] == {
        "errors": [{"loc": ["body", "username"], "path": "username", "type": "string_nul"}]
    }
    device = {"username": "school1", "password": PASSWORD, "device": "lap\x00top"}
    error_of(api.client.post("/api/v1/auth/login", json=device), 422, "invalid_request")
    fields = api.samples.fields("internship")
    for where in ({"class_name": "一班\x00"}, {"no\x00such": 1}):
        mutation = save(new_id(), fields | where)
        pushed = api.push_raw("school1", [mutation], lang="en")
        error = error_of(pushed, 422, "invalid_request")
        assert error["details"]["errors"][0]["type"] == "string_nul"  # type: ignore[index]
        assert str(error["message"]).startswith(
            "The request does not fit the API schema: mutations[0].fields."
        )
    comment = op("review", {"id": new_id(), "rev": 1}, decision="return", comment="\x00")
    error_of(api.push_raw("county", [comment]), 422, "invalid_request")
    audit = {
        "client_id": api.client_id,
        "entries": [
            {"seq": 1, "at": "2026-11-21T08:00:00Z", "action": "export", "detail": {"f": "\x00"}}
        ],
    }
    answer = api.client.post("/api/v1/audit", json=audit, headers=api.login("county"))
    error_of(answer, 422, "invalid_request")
    # A backslash followed by the text "u0000" is no NUL.
    text = api.push("school1", save(new_id(), fields | {"class_name": "\\u0000"}))
    assert text["outcome"] == "applied"
    assert text["record"]["fields"]["class_name"] == "\\u0000"


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
