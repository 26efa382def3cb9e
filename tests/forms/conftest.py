"""Realistic valid records of each form, built with checksums from python-stdnum."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from stdnum.cn import ric, uscc

import forms

TODAY = datetime.date(2026, 11, 21)
ROW_A = "0b7f6c1e-8a52-4f4e-9d3c-2a1f0e6b7c01"
ROW_B = "0b7f6c1e-8a52-4f4e-9d3c-2a1f0e6b7c02"


def resident_id(birth: str, sequence: str = "123", region: str = "500103") -> str:
    """A valid ID; the last digit of `sequence` decides gender (odd is male)."""
    body = region + birth.replace("-", "") + sequence
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def credit_code(body: str = "91500000202869463") -> str:
    return body + uscc.calc_check_digit(body)


@pytest.fixture(scope="session")
def registry() -> forms.FormRegistry:
    return forms.FormRegistry()


def valid_internship() -> dict[str, Any]:
    return {
        "student_name": "张三",
        "id_type": "resident_id",
        "id_number": resident_id("2006-03-15", "123"),
        "gender": "male",
        "birth_date": "2006-03-15",
        "major_code": "460103",
        "major_name": "数控技术",
        "class_name": "2023级数控1班",
        "internship_type": "position",
        "enterprise_name": "重庆长安汽车股份有限公司",
        "enterprise_uscc": credit_code(),
        "position": "数控车床操作工",
        "start_date": "2026-03-01",
        "end_date": "2026-08-31",
        "daily_hours": 8,
        "night_shift": False,
        "overtime": False,
        "hazardous_post": False,
        "via_intermediary": False,
        "fee_charged": False,
        "monthly_pay": 3000,
        "probation_wage": 3500,
        "agreement_signed": True,
        "agreement_date": "2026-02-20",
        "guardian_consent": True,
        "insurance_insurer": "中国人民财产保险股份有限公司",
        "insurance_policy_no": "PZAA202650010000001",
        "school_mentor": "李明",
        "enterprise_mentor": "王建国",
        "interns_at_enterprise": 20,
        "enterprise_staff": 500,
        "interns_at_post": 4,
        "post_staff": 30,
    }


def valid_training_base() -> dict[str, Any]:
    return {
        "name": "智能制造产教融合实训基地",
        "base_type": "integration",
        "level": "municipal",
        "address": "重庆市渝中区大坪正街 19 号",
        "industries": ["intelligent_manufacturing", "next_gen_it"],
        "majors": [{"_row": ROW_A, "major_code": "460103", "major_name": "数控技术"}],
        "partners": [
            {
                "_row": ROW_B,
                "enterprise_name": "重庆长安汽车股份有限公司",
                "uscc": credit_code(),
                "role": "co_build",
                "investment_10k_yuan": 300,
            }
        ],
        "area_m2": 4200.5,
        "workstations": 240,
        "equipment_value_10k_yuan": 1800,
        "annual_capacity": 3000,
        "functions": ["teaching", "training", "production"],
        "status": "operating",
        "start_date": "2023-03-01",
        "completion_date": "2024-09-01",
        "total_investment_10k_yuan": 2500,
        "funding": [
            {"_row": ROW_A, "source": "central_budget", "amount_10k_yuan": 1000},
            {"_row": ROW_B, "source": "local_special_bond", "amount_10k_yuan": 1500},
        ],
        "contact_name": "陈静",
        "contact_phone": "023-68812345",
        "notes": "2024 年通过市级验收。",
    }


def valid_teacher_placement() -> dict[str, Any]:
    return {
        "direction": "school_to_enterprise",
        "person_name": "刘洋",
        "id_type": "resident_id",
        "id_number": resident_id("1988-07-02", "246", region="110105"),
        "gender": "female",
        "teacher_category": "specialty",
        "hire_date": "2012-09-01",
        "subject": "数控技术",
        "enterprise_name": "重庆长安汽车股份有限公司",
        "enterprise_uscc": credit_code(),
        "practice_form": "post_practice",
        "post": "工艺工程师",
        "start_date": "2026-07-01",
        "end_date": "2026-08-31",
        "days": 60,
        "supervisor": "赵工",
        "outcomes": "完成两项工艺改进。",
    }


VALID = {
    "internship": valid_internship,
    "training_base": valid_training_base,
    "teacher_placement": valid_teacher_placement,
}
