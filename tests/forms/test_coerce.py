from __future__ import annotations

import datetime
from typing import Any

import pytest

import forms
from tests.forms.conftest import ROW_A, ROW_B

TB = forms.bundled_definitions()["training_base"]
IT = forms.bundled_definitions()["internship"]


def test_wire_values_become_typed_values_and_back() -> None:
    raw = {
        "name": "基地",
        "workstations": 12.0,
        "area_m2": 10,
        "start_date": "2024-02-29",
        "industries": ["other", "other", "big_data"],
        "funding": [{"_row": ROW_A, "source": "other", "amount_10k_yuan": 1}],
        "address": None,
        "notes": "",
    }
    typed = forms.coerce(TB, raw)
    assert typed == {
        "name": "基地",
        "workstations": 12,
        "area_m2": 10.0,
        "start_date": datetime.date(2024, 2, 29),
        "industries": ["other", "big_data"],
        "funding": [{"_row": ROW_A, "source": "other", "amount_10k_yuan": 1.0}],
    }
    assert forms.to_wire(TB, typed)["start_date"] == "2024-02-29"
    assert forms.coerce(TB, typed) == typed


def test_nul_characters_are_dropped_from_text_in_fields_and_rows() -> None:
    # The hub refuses a body with NUL (PostgreSQL text cannot hold it): it must never be sent.
    typed = forms.coerce(
        TB,
        {"name": "基\x00地", "notes": "\x00", "funding": [{"_row": ROW_A, "source": "other"}]},
    )
    assert typed["name"] == "基地"
    assert "notes" not in typed


@pytest.mark.parametrize(
    ("fields", "path", "code"),
    [
        ({"unknown": 1}, "unknown", "unknown_field"),
        ({"name": 5}, "name", "not_text"),
        ({"workstations": 1.5}, "workstations", "not_integer"),
        ({"workstations": True}, "workstations", "not_integer"),
        ({"workstations": 10**19}, "workstations", "integer_too_large"),
        ({"workstations": -(2**53)}, "workstations", "integer_too_large"),
        ({"workstations": 1e300}, "workstations", "integer_too_large"),
        ({"area_m2": "12"}, "area_m2", "not_number"),
        ({"area_m2": float("nan")}, "area_m2", "not_number"),
        ({"area_m2": float("inf")}, "area_m2", "not_number"),
        ({"area_m2": 10**400}, "area_m2", "not_number"),
        ({"start_date": "2024-02-30"}, "start_date", "not_date"),
        ({"start_date": "2024/02/01"}, "start_date", "not_date"),
        ({"start_date": datetime.datetime(2024, 2, 1)}, "start_date", "not_date"),
        ({"level": "galactic"}, "level", "unknown_choice"),
        ({"industries": "big_data"}, "industries", "not_list"),
        ({"industries": ["big_data", "moon"]}, "industries", "unknown_choice"),
        ({"funding": {"source": "other"}}, "funding", "not_rows"),
        ({"funding": [{"source": "other"}]}, "funding", "bad_row_id"),
        ({"funding": [{"_row": ROW_A}, {"_row": ROW_A}]}, "funding", "duplicate_row_id"),
        ({"funding": [{"_row": ROW_B, "colour": 1}]}, f"funding[{ROW_B}].colour", "unknown_field"),
        ({"funding": [{"_row": ROW_B, "amount_10k_yuan": "x"}]},
         f"funding[{ROW_B}].amount_10k_yuan", "not_number"),
    ],
)  # fmt: skip
def test_wrong_values_name_path_and_reason(fields: dict[str, Any], path: str, code: str) -> None:
    with pytest.raises(forms.CoercionError) as raised:
        forms.coerce(TB, fields)
    problem = raised.value.problems[0]
    assert (problem.path, problem.code) == (path, code)
    assert problem.message("zh") != problem.message("en")


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(forms.CoercionError) as raised:
        forms.coerce(IT, {"daily_hours": "8", "night_shift": "no", "gender": "x"})
    assert {p.path for p in raised.value.problems} == {"daily_hours", "night_shift", "gender"}


def test_not_a_mapping_is_a_coercion_error() -> None:
    with pytest.raises(forms.CoercionError):
        forms.coerce(IT, ["student_name"])
