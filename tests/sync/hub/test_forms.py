"""`form publish` reaches hub processes that are already serving: GET /forms lists the new
version and a push validated against it is accepted, in every process on the database."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

import forms
from sync.hub.app import create_app
from sync.hub.service import Hub, publish_form
from tests.sync.hub.conftest import Api, new_id, op, save


def _internship_v2() -> forms.FormDefinition:
    definition: dict[str, Any] = forms.bundled_definitions()["internship"].to_json()
    definition["version"] = 2
    definition["fields"].append(
        {"name": "mentor_wechat", "type": "text", "label": {"zh": "导师微信", "en": "WeChat"}}
    )
    return forms.load_definition(definition)


def _versions(api: Api) -> set[int]:
    answer = api.client.get("/api/v1/forms", headers=api.login("school1"))
    assert answer.status_code == 200, answer.text
    return {f["version"] for f in answer.json()["forms"] if f["id"] == "internship"}


def test_a_form_published_while_hubs_serve_is_served_and_accepted_by_each(
    api: Api, hub: Hub
) -> None:
    # A second hub process on the same database, started before the publish as the first was.
    other_hub = Hub(hub.db, hub.auth)
    with TestClient(create_app(other_hub)) as client:
        other = Api(client)
        assert _versions(api) == _versions(other) == {1}
        publish_form(hub.db, _internship_v2())
        # The first process is asked for the forms; the second gets a push naming v2 first.
        assert _versions(api) == {2, 1}
        fields = api.samples.fields("internship") | {"mentor_wechat": "wx1"}
        for each in (other, api):
            result = each.push("school1", save(new_id(), fields) | {"form_version": 2})
            assert result["outcome"] == "applied", result
            assert result["record"]["form_version"] == 2
            assert result["record"]["fields"]["mentor_wechat"] == "wx1"
        assert _versions(other) == {2, 1}
        # Validated against v2: a field v2 does not have is still invalid.
        wrong = save(new_id(), fields | {"no_such_field": 1}) | {"form_version": 2}
        assert other.push("school1", wrong)["errors"][0]["code"] == "invalid"


def test_a_resolve_on_a_record_of_a_version_published_since_is_accepted(api: Api, hub: Hub) -> None:
    """A resolve names no version: its record's may be one this process has not loaded yet."""
    late_hub = Hub(hub.db, hub.auth)
    publish_form(hub.db, _internship_v2())
    fields = api.samples.fields("internship") | {"mentor_wechat": "wx1"}
    record = api.push("school1", save(new_id(), fields) | {"form_version": 2})["record"]
    theirs = save(record["id"], fields | {"mentor_wechat": "wx2"}, base_rev=1)
    assert api.push("school1", theirs | {"form_version": 2})["outcome"] == "applied"
    mine = save(record["id"], fields | {"mentor_wechat": "wx3"}, base_rev=1)
    conflict = api.push("school1", mine | {"form_version": 2})
    assert conflict["outcome"] == "conflict"
    resolve = op(
        "resolve",
        conflict["record"],
        conflict_id=conflict["conflict_id"],
        fields=fields | {"mentor_wechat": "wx3"},
    )
    with TestClient(create_app(late_hub)) as client:
        result = Api(client).push("school1", resolve)
    assert result["outcome"] == "applied", result
    assert result["record"]["fields"]["mentor_wechat"] == "wx3"
