"""Every rule of DOMAIN.md, with a case that breaks it and one that keeps it."""

from __future__ import annotations

from typing import Any

import pytest

import forms
from tests.forms.conftest import ROW_A, TODAY, VALID, resident_id


def issues_for(registry: forms.FormRegistry, form_id: str, fields: dict[str, Any]) -> list[Any]:
    return forms.validate(registry.get(form_id), fields, today=TODAY)


@pytest.mark.parametrize("form_id", sorted(VALID))
def test_realistic_record_has_no_issue(registry: forms.FormRegistry, form_id: str) -> None:
    assert issues_for(registry, form_id, VALID[form_id]()) == []


# (form, rule code, path, changes that break it, changes that keep it, severity)
CASES: list[tuple[str, str, str, dict[str, Any], dict[str, Any], str]] = [
    # training_base
    ("training_base", "required", "name", {"name": None}, {"name": "基地"}, "error"),
    ("training_base", "required", "base_type", {"base_type": None}, {}, "error"),
    ("training_base", "required", "level", {"level": None}, {}, "error"),
    ("training_base", "required", "status", {"status": None}, {}, "error"),
    ("training_base", "max_length", "name", {"name": "基" * 101}, {"name": "基" * 100}, "error"),
    ("training_base", "required_choice", "industries", {"industries": []}, {}, "error"),
    ("training_base", "required_choice", "functions", {"functions": None}, {}, "error"),
    (
        "training_base",
        "invalid_major_code",
        f"majors[{ROW_A}].major_code",
        {"majors": [{"_row": ROW_A, "major_code": "46010", "major_name": "数控技术"}]},
        {"majors": [{"_row": ROW_A, "major_code": "460103", "major_name": "数控技术"}]},
        "error",
    ),
    (
        "training_base",
        "invalid_uscc",
        f"partners[{ROW_A}].uscc",
        {"partners": [{"_row": ROW_A, "enterprise_name": "某公司", "uscc": "91500000202869463X"}]},
        {"partners": [{"_row": ROW_A, "enterprise_name": "某公司", "uscc": "91110000600037341L"}]},
        "error",
    ),
    (
        "training_base",
        "min",
        f"partners[{ROW_A}].investment_10k_yuan",
        {
            "partners": [
                {
                    "_row": ROW_A,
                    "enterprise_name": "某公司",
                    "uscc": "91110000600037341L",
                    "investment_10k_yuan": -1,
                }
            ]
        },
        {
            "partners": [
                {
                    "_row": ROW_A,
                    "enterprise_name": "某公司",
                    "uscc": "91110000600037341L",
                    "investment_10k_yuan": 0,
                }
            ]
        },
        "error",
    ),
    ("training_base", "min_exclusive", "area_m2", {"area_m2": 0}, {"area_m2": 0.5}, "error"),
    ("training_base", "min", "workstations", {"workstations": -1}, {"workstations": 0}, "error"),
    (
        "training_base",
        "min",
        "equipment_value_10k_yuan",
        {"equipment_value_10k_yuan": -0.1},
        {"equipment_value_10k_yuan": 0},
        "error",
    ),
    ("training_base", "min", "annual_capacity", {"annual_capacity": -5}, {}, "error"),
    (
        "training_base",
        "required",
        "completion_date",
        {"status": "completed", "completion_date": None},
        {"status": "under_construction", "completion_date": None},
        "error",
    ),
    (
        "training_base",
        "completion_after_start",
        "completion_date",
        {"start_date": "2024-01-01", "completion_date": "2023-12-31"},
        {"start_date": "2024-01-01", "completion_date": "2024-01-01"},
        "error",
    ),
    (
        "training_base",
        "min",
        "total_investment_10k_yuan",
        {"total_investment_10k_yuan": -1, "funding": None},
        {"total_investment_10k_yuan": 0, "funding": None},
        "error",
    ),
    (
        "training_base",
        "min_exclusive",
        f"funding[{ROW_A}].amount_10k_yuan",
        {"funding": [{"_row": ROW_A, "source": "other", "amount_10k_yuan": 0}]},
        {"funding": [{"_row": ROW_A, "source": "other", "amount_10k_yuan": 2500}]},
        "error",
    ),
    (
        "training_base",
        "funding_adds_up",
        "funding",
        {"total_investment_10k_yuan": 2600},
        {"total_investment_10k_yuan": 2500.0},
        "warning",
    ),
    (
        "training_base",
        "invalid_phone",
        "contact_phone",
        {"contact_phone": "12345"},
        {"contact_phone": "13812345678"},
        "error",
    ),
    # internship
    ("internship", "required", "student_name", {"student_name": "  "}, {}, "error"),
    ("internship", "required", "id_number", {"id_number": None}, {}, "error"),
    (
        "internship",
        "invalid_resident_id",
        "id_number",
        {"id_number": "500103200603151230"},
        {"id_type": "passport", "id_number": "E12345678", "gender": None, "birth_date": None},
        "error",
    ),
    (
        "internship",
        "gender_matches_id",
        "gender",
        {"gender": "female"},
        {"gender": None},
        "error",
    ),
    (
        "internship",
        "birth_date_matches_id",
        "birth_date",
        {"birth_date": "2006-03-16"},
        {"birth_date": "2006-03-15"},
        "error",
    ),
    (
        "internship",
        "invalid_major_code",
        "major_code",
        {"major_code": "4601"},
        {"major_code": "510201"},
        "error",
    ),
    ("internship", "required", "internship_type", {"internship_type": None}, {}, "error"),
    ("internship", "required", "enterprise_name", {"enterprise_name": ""}, {}, "error"),
    (
        "internship",
        "invalid_uscc",
        "enterprise_uscc",
        {"enterprise_uscc": "915000002028694630"},
        {"enterprise_uscc": None},
        "error",
    ),
    (
        "internship",
        "required",
        "position",
        {"position": None},
        {"position": None, "internship_type": "cognitive"},
        "error",
    ),
    ("internship", "required", "start_date", {"start_date": None}, {}, "error"),
    ("internship", "required", "end_date", {"end_date": None}, {}, "error"),
    (
        "internship",
        "end_after_start",
        "end_date",
        {"end_date": "2026-02-28"},
        {"end_date": "2026-03-01"},
        "error",
    ),
    ("internship", "daily_hours_max_8", "daily_hours", {"daily_hours": 8.5}, {}, "error"),
    ("internship", "no_night_shift", "night_shift", {"night_shift": True}, {}, "error"),
    ("internship", "no_overtime", "overtime", {"overtime": True}, {}, "error"),
    ("internship", "no_hazardous_post", "hazardous_post", {"hazardous_post": True}, {}, "error"),
    ("internship", "no_intermediary", "via_intermediary", {"via_intermediary": True}, {}, "error"),
    ("internship", "no_fee", "fee_charged", {"fee_charged": True}, {}, "error"),
    ("internship", "min", "monthly_pay", {"monthly_pay": -1}, {"monthly_pay": 2800}, "error"),
    (
        "internship",
        "pay_at_least_80_percent",
        "monthly_pay",
        {"monthly_pay": 2799.99},
        {"monthly_pay": 1600.8, "probation_wage": 2001},  # exactly 80%, despite binary floats
        "error",
    ),
    (
        "internship",
        "required",
        "probation_wage",
        {"probation_wage": None},
        {"probation_wage": None, "internship_type": "cognitive"},
        "error",
    ),
    (
        "internship",
        "agreement_required",
        "agreement_signed",
        {"agreement_signed": False},
        {"agreement_signed": None, "internship_type": "cognitive"},
        "error",
    ),
    (
        "internship",
        "agreement_before_start",
        "agreement_date",
        {"agreement_date": "2026-03-02"},
        {"agreement_date": "2026-03-01"},
        "error",
    ),
    (
        "internship",
        "guardian_consent_under_18",
        "guardian_consent",
        {
            "id_number": resident_id("2009-05-01", "121"),
            "birth_date": "2009-05-01",
            "guardian_consent": None,
        },
        {"guardian_consent": None},
        "error",
    ),
    (
        "internship",
        "required",
        "insurance_policy_no",
        {"insurance_policy_no": None},
        {"insurance_policy_no": None, "internship_type": "cognitive"},
        "error",
    ),
    ("internship", "required", "school_mentor", {"school_mentor": None}, {}, "error"),
    ("internship", "required", "enterprise_mentor", {"enterprise_mentor": None}, {}, "error"),
    (
        "internship",
        "interns_at_most_10_percent",
        "interns_at_enterprise",
        {"interns_at_enterprise": 51},
        {"interns_at_enterprise": 50},
        "warning",
    ),
    (
        "internship",
        "interns_at_post_at_most_20_percent",
        "interns_at_post",
        {"interns_at_post": 7},
        {"interns_at_post": 6},
        "warning",
    ),
    (
        "internship",
        "position_min_age_16",
        "internship_type",
        {
            "id_number": resident_id("2010-03-02", "121"),
            "birth_date": "2010-03-02",
            "guardian_consent": True,
        },
        {
            "id_number": resident_id("2010-03-01", "121"),
            "birth_date": "2010-03-01",
            "guardian_consent": True,
        },
        "error",
    ),
    (
        "internship",
        "position_at_most_6_months",
        "end_date",
        {"end_date": "2026-09-02"},
        {"end_date": "2026-09-01"},
        "warning",
    ),
    # teacher_placement
    ("teacher_placement", "required", "direction", {"direction": None}, {}, "error"),
    ("teacher_placement", "required", "person_name", {"person_name": None}, {}, "error"),
    (
        "teacher_placement",
        "required",
        "id_number",
        {"id_number": None, "gender": None},
        {
            "id_number": None,
            "gender": None,
            "direction": "enterprise_to_school",
            "teaching_hours": 32,
        },
        "error",
    ),
    (
        "teacher_placement",
        "invalid_resident_id",
        "id_number",
        {"id_number": "11010519491231002Y"},
        {"id_number": "11010519491231002X", "gender": None},
        "error",
    ),
    (
        "teacher_placement",
        "gender_matches_id",
        "gender",
        {"gender": "male"},
        {"gender": "female"},
        "error",
    ),
    ("teacher_placement", "required", "teacher_category", {"teacher_category": None}, {}, "error"),
    (
        "teacher_placement",
        "required",
        "hire_date",
        {"hire_date": None},
        {"hire_date": None, "direction": "enterprise_to_school", "teaching_hours": 32},
        "error",
    ),
    (
        "teacher_placement",
        "invalid_uscc",
        "enterprise_uscc",
        {"enterprise_uscc": "abc"},
        {"enterprise_uscc": "91110000600037341L"},
        "error",
    ),
    ("teacher_placement", "required", "practice_form", {"practice_form": None}, {}, "error"),
    ("teacher_placement", "required", "start_date", {"start_date": None}, {}, "error"),
    (
        "teacher_placement",
        "end_after_start",
        "end_date",
        {"end_date": "2026-06-30"},
        {"end_date": "2026-07-01", "days": 1},
        "error",
    ),
    ("teacher_placement", "min_exclusive", "days", {"days": 0}, {"days": 1}, "error"),
    (
        "teacher_placement",
        "days_within_dates",
        "days",
        {"days": 63},
        {"days": 62},
        "error",
    ),
    (
        "teacher_placement",
        "required",
        "teaching_hours",
        {"direction": "enterprise_to_school"},
        {"direction": "enterprise_to_school", "teaching_hours": 0},
        "error",
    ),
]


@pytest.mark.parametrize(
    ("form_id", "code", "path", "breaking", "keeping", "severity"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{c[1]}" for c in CASES],
)
def test_rule_breaks_and_holds(
    registry: forms.FormRegistry,
    form_id: str,
    code: str,
    path: str,
    breaking: dict[str, Any],
    keeping: dict[str, Any],
    severity: str,
) -> None:
    broken = issues_for(registry, form_id, VALID[form_id]() | breaking)
    found = [i for i in broken if i.code == code and i.path == path]
    assert len(found) == 1, broken
    assert found[0].severity == severity
    assert found[0].message_zh and found[0].message_en
    kept = issues_for(registry, form_id, VALID[form_id]() | keeping)
    assert not [i for i in kept if i.code == code and i.path == path], kept


def test_position_fields_are_not_checked_for_cognitive_internships(
    registry: forms.FormRegistry,
) -> None:
    fields = VALID["internship"]() | {"internship_type": "cognitive", "monthly_pay": 1}
    for name in ("probation_wage", "agreement_signed", "insurance_policy_no", "position"):
        fields.pop(name)
    assert issues_for(registry, "internship", fields) == []


def test_passport_number_is_not_checked_as_resident_id(registry: forms.FormRegistry) -> None:
    fields = VALID["internship"]() | {"id_type": "passport", "id_number": "E12345678"}
    assert issues_for(registry, "internship", fields) == []


def test_empty_draft_reports_only_required_fields(registry: forms.FormRegistry) -> None:
    issues = issues_for(registry, "internship", {})
    assert {i.code for i in issues} == {"required"}
    assert {i.path for i in issues} >= {"student_name", "id_number", "start_date"}


def test_field_states_follow_the_internship_type(registry: forms.FormRegistry) -> None:
    form = registry.get("internship")
    position = forms.field_states(form, {"internship_type": "position"}, TODAY)
    assert "probation_wage" not in position.hidden
    assert {"position", "probation_wage", "student_name"} <= position.required
    cognitive = forms.field_states(form, {"internship_type": "cognitive"}, TODAY)
    assert "probation_wage" in cognitive.hidden
    assert "position" not in cognitive.required and "student_name" in cognitive.required
