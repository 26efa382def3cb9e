from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import forms

MINIMAL: dict[str, Any] = {
    "id": "visit",
    "version": 1,
    "title": {"zh": "走访", "en": "Visit"},
    "fields": [
        {"name": "place", "type": "text", "label": {"zh": "地点", "en": "Place"}},
        {"name": "people", "type": "integer", "label": {"zh": "人数", "en": "People"}},
    ],
}


def with_changes(**changes: Any) -> dict[str, Any]:
    definition = copy.deepcopy(MINIMAL)
    definition.update(changes)
    return definition


def test_bundled_definitions_carry_versions_and_both_languages() -> None:
    definitions = forms.bundled_definitions()
    assert set(definitions) == {"training_base", "internship", "teacher_placement"}
    for form in definitions.values():
        assert form.version >= 1
        for field in form.fields:
            assert field.label.zh and field.label.en
            for choice in field.choices:
                assert choice.label.zh and choice.label.en


def test_definition_round_trips_through_json(tmp_path: Path) -> None:
    form = forms.bundled_definitions()["internship"]
    path = tmp_path / "internship.json"
    path.write_text(json.dumps(form.to_json(), ensure_ascii=False), encoding="utf-8")
    assert forms.load_definition(path) == form


@pytest.mark.parametrize(
    ("definition", "reason"),
    [
        (with_changes(version=0), "version"),
        (with_changes(fields=[]), None),
        (with_changes(rules=[{"id": "r", "path": "nowhere", "severity": "error", "check": "1",
                              "message": {"zh": "x", "en": "x"}}]), "nowhere"),
        (with_changes(rules=[{"id": "r", "path": "place", "severity": "error",
                              "check": "undefined_name > 1", "message": {"zh": "x", "en": "x"}}]),
         "undefined_name"),
        (with_changes(rules=[{"id": "r", "path": "place", "severity": "error",
                              "check": "place.__class__", "message": {"zh": "x", "en": "x"}}]),
         "Attribute"),
        (with_changes(rules=[{"id": "r", "path": "place", "severity": "error",
                              "check": "__import__('os')", "message": {"zh": "x", "en": "x"}}]),
         "function"),
        (with_changes(rules=[{"id": "r", "path": "place", "severity": "error",
                              "check": "[x for x in place]", "message": {"zh": "x", "en": "x"}}]),
         "ListComp"),
        (with_changes(rules=[{"id": "r", "path": "place", "severity": "fatal",
                              "check": "True", "message": {"zh": "x", "en": "x"}}]), "severity"),
        (with_changes(fields=[{"name": "k", "type": "select_one",
                               "label": {"zh": "k", "en": "k"}}]), "choices"),
        (with_changes(fields=[{"name": "k", "type": "text",
                               "label": {"zh": "k", "en": ""}}]), "en"),
        (with_changes(fields=[{"name": "k", "type": "text", "pattern": "(",
                               "label": {"zh": "k", "en": "k"}}]), "pattern"),
        (with_changes(extra_member=1), "extra"),
        (with_changes(fields=[{"name": "g", "type": "repeat", "label": {"zh": "g", "en": "g"},
                               "fields": [{"name": "k", "type": "text", "required": "True",
                                           "label": {"zh": "k", "en": "k"}}]}]), "conditions"),
        ("{not json", "JSON"),
        # JSON's own types only, and the member at fault named by its path.
        (with_changes(version="2"), "version"),
        (with_changes(fields=[{"name": "k", "type": "integer", "min": "0",
                               "label": {"zh": "k", "en": "k"}}]), "fields[0].min"),
        (with_changes(fields=[{"name": "k", "type": "text", "colour": "red",
                               "label": {"zh": "k", "en": "k"}}]), "colour"),
        (with_changes(fields=[{"name": "k", "type": "select_one", "label": {"zh": "k", "en": "k"},
                               "choices": [{"name": "Yes", "label": {"zh": "是", "en": "Yes"}}]}]),
         "fields[0].choices[0].name"),
        (with_changes(title="Visit"), "title"),
        ([MINIMAL], "object"),
    ],
)  # fmt: skip
def test_malformed_definition_is_refused_with_a_reason(definition: Any, reason: str | None) -> None:
    with pytest.raises(forms.DefinitionError) as raised:
        forms.load_definition(definition)
    if reason:
        assert reason in str(raised.value)


def test_registry_serves_newest_version_and_exact_ones() -> None:
    v1 = forms.load_definition(MINIMAL)
    v2_source = with_changes(version=2)
    v2_source["fields"].append(
        {"name": "notes", "type": "long_text", "label": {"zh": "备注", "en": "Notes"}}
    )
    v2 = forms.load_definition(v2_source)
    registry = forms.FormRegistry([v1, v2])
    assert registry.get("visit") is v2
    assert registry.get("visit", 1) is v1
    with pytest.raises(forms.UnknownFormError):
        registry.get("visit", 3)
    with pytest.raises(forms.UnknownFormError):
        registry.get("nothing")


def test_labels_of_repeat_paths_name_group_and_field() -> None:
    form = forms.bundled_definitions()["training_base"]
    row = "0b7f6c1e-8a52-4f4e-9d3c-2a1f0e6b7c01"
    assert form.label(f"partners[{row}].uscc") == "合作企业 / 统一社会信用代码"
    assert form.label(f"partners[{row}].uscc", "en") == (
        "Partner enterprises / Unified social credit code"
    )
