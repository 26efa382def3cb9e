"""The county dashboard and duplicates against a fixture small enough to count by hand.

Two schools, S1 and S2, in a county store filled the way a sync fills it (pulled records with
the issues the hub's validation gives them). The expected numbers in each test are counted
from the records below, not computed by the code under test.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms import FormRegistry, validate
from sync.protocol import IssueWire, Org, OrgKind, Record
from sync.reports import Targets, dashboard, duplicates, schools
from sync.samples import SampleFactory
from sync.store import Store

TODAY = datetime.date(2026, 11, 21)
S1, S2 = "5001030001", "5001030002"
_REGISTRY = FormRegistry()
_people = SampleFactory(seed=11)
STUDENT_X = _people.resident_id(datetime.date(2005, 4, 2), "male")
STUDENT_Y = _people.resident_id(datetime.date(2005, 7, 9), "female")
STUDENT_Z = _people.resident_id(datetime.date(2005, 1, 3), "female")
TEACHER_1 = _people.resident_id(datetime.date(1985, 5, 5), "male", "510202")
TEACHER_2 = _people.resident_id(datetime.date(1988, 6, 6), "female", "510202")
TEACHER_3 = _people.resident_id(datetime.date(1998, 7, 7), "male")
TEACHER_4 = _people.resident_id(datetime.date(1990, 8, 8), "female", "510202")
USCC_1 = _people.uscc()
USCC_2 = _people.uscc()
USCC_3 = _people.uscc()


def _record(
    form: str,
    fields: dict[str, Any],
    org: str,
    status: str,
    *,
    deleted: bool = False,
    updated: str = "2026-11-01T08:00:00Z",
) -> Record:
    issues = validate(_REGISTRY.get(form), fields, TODAY)
    return Record.model_validate(
        {
            "id": str(uuid.uuid4()),
            "form": form,
            "form_version": 1,
            "org": org,
            "county": "500103",
            "rev": 1,
            "status": status,
            "deleted": deleted,
            "fields": fields,
            "issues": [
                IssueWire(path=i.path, code=i.code, severity=i.severity, message=i.message_zh)
                for i in issues
            ],
            "updated_at": updated,
            "updated_by": "hub",
        }
    )


def base(
    name: str,
    base_type: str,
    level: str,
    status: str,
    capacity: int,
    workstations: int,
    funding: dict[str, float],
    partners: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    return {
        "name": name,
        "base_type": base_type,
        "level": level,
        "industries": ["intelligent_manufacturing"],
        "functions": ["teaching"],
        "status": status,
        "completion_date": "2025-09-01",
        "annual_capacity": capacity,
        "workstations": workstations,
        "funding": [
            {"_row": str(uuid.uuid4()), "source": source, "amount_10k_yuan": amount}
            for source, amount in funding.items()
        ],
        "partners": [
            {"_row": str(uuid.uuid4()), "enterprise_name": n, "uscc": u, "role": "co_build"}
            for n, u in partners
        ],
    }


def internship(
    student: str, id_number: str, start: str, end: str, **changes: Any
) -> dict[str, Any]:
    """A position internship that breaks no rule, with `changes`."""
    gender = "male" if int(id_number[16]) % 2 else "female"
    fields = {
        "student_name": student,
        "id_type": "resident_id",
        "id_number": id_number,
        "gender": gender,
        "internship_type": "position",
        "enterprise_name": "重庆甲公司",
        "enterprise_uscc": USCC_1,
        "position": "数控车工",
        "start_date": start,
        "end_date": end,
        "daily_hours": 8,
        "night_shift": False,
        "overtime": False,
        "monthly_pay": 3000,
        "probation_wage": 3500,
        "agreement_signed": True,
        "agreement_date": start,
        "guardian_consent": True,
        "insurance_insurer": "中国人保",
        "insurance_policy_no": "PICC-1",
        "school_mentor": "王老师",
        "enterprise_mentor": "李师傅",
        "interns_at_enterprise": 5,
        "enterprise_staff": 100,
        "interns_at_post": 2,
        "post_staff": 20,
    }
    return fields | changes


def placement(
    name: str,
    id_number: str,
    category: str,
    hired: str,
    start: str,
    end: str,
    days: int,
    **changes: Any,
) -> dict[str, Any]:
    fields = {
        "direction": "school_to_enterprise",
        "person_name": name,
        "id_type": "resident_id",
        "id_number": id_number,
        "teacher_category": category,
        "hire_date": hired,
        "enterprise_name": "重庆丙公司",
        "enterprise_uscc": USCC_3,
        "practice_form": "post_practice",
        "start_date": start,
        "end_date": end,
        "days": days,
    }
    return fields | changes


def fixture_records() -> list[Record]:
    tb = "training_base"
    ip = "internship"
    tp = "teacher_placement"
    return [
        # Training bases: 3 reported (S1: TB1, TB2; S2: TB3), a draft and a deleted one left out.
        _record(
            tb,
            base(
                "TB1",
                "campus",
                "national",
                "operating",
                1000,
                50,
                {"central_budget": 100, "local_special_bond": 50},
                [("重庆丙公司", USCC_3)],
            ),
            S1,
            "approved",
        ),
        _record(
            tb,
            base("TB2", "productive", "provincial", "completed", 500, 20, {"long_term_loan": 200}),
            S1,
            "submitted",
        ),
        _record(
            tb,
            base("TB3", "productive", "school", "planned", 300, 10, {"central_budget": 30}),
            S2,
            "returned",
        ),
        _record(
            tb,
            base("TB4", "virtual", "county", "under_construction", 999, 9, {"other": 9}),
            S2,
            "draft",
        ),
        _record(
            tb,
            base("TB5", "productive", "national", "operating", 999, 9, {"central_budget": 9}),
            S2,
            "approved",
            deleted=True,
        ),
        # Internships.
        _record(ip, internship("张三", STUDENT_X, "2026-03-01", "2026-06-30"), S1, "approved"),
        _record(
            ip,
            internship(
                "李四",
                STUDENT_Z,
                "2026-03-01",
                "2026-06-30",
                daily_hours=10,
                night_shift=True,
                enterprise_name="重庆乙公司（渝中）",
                enterprise_uscc=USCC_2,
            ),
            S1,
            "submitted",
        ),
        _record(
            ip,
            internship(
                "王五",
                STUDENT_Z,
                "2026-09-01",
                "2026-10-31",
                monthly_pay=1000,
                probation_wage=3000,
                insurance_policy_no=None,
                agreement_signed=False,
                enterprise_name="重庆甲有限公司",
            ),
            S2,
            "submitted",
        ),
        # Student X again at S2, overlapping X's S1 internship in June.
        _record(
            ip,
            internship(
                "张三",
                STUDENT_X,
                "2026-06-01",
                "2026-08-31",
                interns_at_enterprise=20,
                interns_at_post=5,
                post_staff=10,
            ),
            S2,
            "approved",
        ),
        # Student Y at two schools one after the other: no overlap.
        _record(
            ip,
            internship(
                "赵六",
                STUDENT_Y,
                "2026-01-01",
                "2026-02-28",
                enterprise_name="重庆乙公司（渝中）",
                enterprise_uscc=USCC_2,
            ),
            S1,
            "approved",
        ),
        _record(
            ip,
            internship("赵六", STUDENT_Y, "2026-03-01", "2026-04-30", night_shift=True),
            S2,
            "submitted",
        ),
        # A draft with a night shift and X's dates: neither counted nor a duplicate.
        _record(
            ip,
            internship("张三", STUDENT_X, "2026-03-01", "2026-06-30", night_shift=True),
            S1,
            "draft",
        ),
        # Teachers. T1 (S1): 100 + 90 days within 5 years: compliant; two records, no overlap.
        _record(
            tp,
            placement(
                "陈一", TEACHER_1, "specialty", "2010-01-01", "2023-01-01", "2023-04-30", 100
            ),
            S1,
            "approved",
        ),
        _record(
            tp,
            placement("陈一", TEACHER_1, "specialty", "2010-01-01", "2025-01-01", "2025-03-31", 90),
            S1,
            "approved",
        ),
        # T2: 30 days at S1, then 60 at S2 overlapping in August: 90 days, overdue; latest at S2.
        _record(
            tp,
            placement(
                "周二",
                TEACHER_2,
                "practice_instructor",
                "2015-09-01",
                "2024-08-01",
                "2024-09-30",
                30,
            ),
            S1,
            "approved",
            updated="2026-10-01T08:00:00Z",
        ),
        _record(
            tp,
            placement(
                "周二",
                TEACHER_2,
                "practice_instructor",
                "2015-09-01",
                "2024-07-01",
                "2024-08-31",
                60,
            ),
            S2,
            "submitted",
            updated="2026-11-02T08:00:00Z",
        ),
        # T3 (S2): hired 2025, 40 days so far: short but within the first 3 years.
        _record(
            tp,
            placement("吴三", TEACHER_3, "specialty", "2025-03-01", "2025-07-01", "2025-08-31", 40),
            S2,
            "approved",
        ),
        # T4: a general teacher: the rule does not cover them.
        _record(
            tp,
            placement("郑四", TEACHER_4, "general", "2010-01-01", "2025-07-01", "2025-07-10", 10),
            S2,
            "approved",
        ),
    ]


@pytest.fixture
def county_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "county.db", FormRegistry(), today=lambda: TODAY)
    store.apply_pull_page(fixture_records(), cursor="1")
    yield store
    store.close()


def _values(board: Any, name: str) -> dict[str, float]:
    return {c.key: c.value for c in board.figure(name).counts}


def test_the_valid_internship_of_the_fixture_breaks_no_rule() -> None:
    fields = internship("张三", STUDENT_X, "2026-03-01", "2026-06-30")
    assert validate(_REGISTRY.get("internship"), fields, TODAY) == []


def test_county_record_counts_by_form_and_status(county_store: Store) -> None:
    board = dashboard(county_store, today=TODAY)
    assert _values(board, "records_by_form") == {
        "internship": 6,
        "teacher_placement": 6,
        "training_base": 3,
    }
    assert _values(board, "internship_by_status") == {
        "draft": 1,
        "submitted": 3,
        "returned": 0,
        "approved": 3,
    }
    assert _values(board, "training_base_by_status") == {
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "approved": 1,
    }


def test_county_training_bases(county_store: Store) -> None:
    board = dashboard(county_store, today=TODAY)
    by_type = _values(board, "training_bases_by_type")
    assert by_type == {
        "campus": 1,
        "off_campus": 0,
        "productive": 2,
        "public": 0,
        "virtual": 0,
        "integration": 0,
    }
    by_level = _values(board, "training_bases_by_level")
    assert by_level == {"national": 1, "provincial": 1, "municipal": 0, "county": 0, "school": 1}
    by_status = _values(board, "training_bases_by_status")
    assert by_status == {"planned": 1, "under_construction": 0, "completed": 1, "operating": 1}
    assert _values(board, "training_base_capacity_by_type")["productive"] == 800
    assert _values(board, "training_base_capacity_by_type")["campus"] == 1000
    assert _values(board, "training_base_workstations_by_type")["productive"] == 30
    assert _values(board, "training_base_investment_by_channel") == {
        "central_budget": 130,
        "local_special_bond": 50,
        "long_term_loan": 200,
        "local_fiscal": 0,
        "enterprise": 0,
        "school_self": 0,
        "other": 0,
    }
    labels = {c.key: c.label_zh for c in board.figure("training_bases_by_type").counts}
    assert labels["productive"] == "生产性实训基地"


def test_county_internship_problems_by_rule(county_store: Store) -> None:
    board = dashboard(county_store, today=TODAY)
    assert _values(board, "internship_problems_by_rule") == {
        "daily_hours_max_8": 1,
        "no_night_shift": 2,
        "pay_at_least_80_percent": 1,
        "insurance_policy_no_required": 1,
        "agreement_required": 1,
        "interns_at_most_10_percent": 1,
        "interns_at_post_at_most_20_percent": 1,
    }


def test_county_teacher_compliance_and_short_teachers(county_store: Store) -> None:
    board = dashboard(county_store, today=TODAY)
    # Covered: T1 (compliant), T2 (90 days, overdue), T3 (40 days, first 3 years).
    assert _values(board, "teacher_compliance_rates") == {
        "overall": 33.3,
        "rolling_5_years": 50.0,
        "first_3_years": 0.0,
    }
    assert _values(board, "teachers_by_standing") == {"compliant": 1, "on_track": 1, "short": 1}
    short = [(t.teacher_name, t.school, t.days, t.rule, t.overdue) for t in board.short_teachers]
    assert short == [
        ("吴三", S2, 40, "first_3_years", False),
        ("周二", S2, 90, "rolling_5_years", True),
    ]
    assert all(t.required == 180 for t in board.short_teachers)


def test_one_school_counts_only_its_records(county_store: Store) -> None:
    board = dashboard(county_store, school=S1, today=TODAY)
    assert board.school == S1
    assert _values(board, "records_by_form") == {
        "internship": 3,
        "teacher_placement": 3,
        "training_base": 2,
    }
    assert _values(board, "training_bases_by_type")["productive"] == 1
    assert _values(board, "training_base_investment_by_channel")["central_budget"] == 100
    problems = _values(board, "internship_problems_by_rule")
    assert problems["no_night_shift"] == 1
    assert problems["pay_at_least_80_percent"] == 0
    # Only T1 counts at S1 (T2's latest record is at S2).
    assert _values(board, "teacher_compliance_rates")["overall"] == 100.0
    assert board.short_teachers == []
    s2 = dashboard(county_store, school=S2, today=TODAY)
    assert [t.teacher_name for t in s2.short_teachers] == ["吴三", "周二"]


def test_progress_against_targets(county_store: Store) -> None:
    targets = Targets(training_bases=10, productive_bases=4, teacher_compliance_pct=90.0)
    board = dashboard(county_store, targets=targets, today=TODAY)
    progress = {p.name: (p.target, p.actual) for p in board.targets}
    assert progress == {
        "training_bases": (10, 3),
        "productive_bases": (4, 2),
        "teacher_compliance_pct": (90.0, 33.3),
    }
    assert dashboard(county_store, today=TODAY).targets == []


def test_every_figure_has_both_languages(county_store: Store) -> None:
    for figure in dashboard(county_store, today=TODAY).figures:
        assert figure.title_zh and figure.title_en and figure.unit_zh and figure.unit_en
        assert all(c.label_zh and c.label_en for c in figure.counts)


def test_schools_present_named_from_reference_data(county_store: Store) -> None:
    orgs = [Org(code=S1, name="渝中职教中心", kind=OrgKind.SCHOOL)]
    assert schools(county_store, orgs) == [(S1, "渝中职教中心"), (S2, S2)]


def test_duplicates_found_and_non_overlaps_left_out(county_store: Store) -> None:
    found = {d.kind: d for d in duplicates(county_store)}
    assert len(duplicates(county_store)) == 3

    student = found["student_overlap"]
    assert student.schools == [S1, S2]
    assert len(student.record_ids) == 2
    assert STUDENT_X not in student.key + student.detail_zh + student.detail_en  # masked
    assert "张三" in student.detail_zh

    teacher = found["teacher_overlap"]
    assert teacher.schools == [S1, S2]
    assert "周二" in teacher.detail_zh

    uscc = found["uscc_names"]
    assert uscc.key == USCC_1
    assert "重庆甲公司" in uscc.detail_zh and "重庆甲有限公司" in uscc.detail_zh
    assert uscc.schools == [S1, S2]
    # USCC_2's names differ only in full- and half-width brackets: not reported.
    assert all(d.key != USCC_2 for d in found.values())


def test_overlap_within_one_school_is_reported_and_touching_dates_overlap(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "s.db", FormRegistry(), today=lambda: TODAY) as store:
        store.apply_pull_page(
            [
                _record(
                    "internship",
                    internship("张三", STUDENT_X, "2026-03-01", "2026-03-31"),
                    S1,
                    "submitted",
                ),
                _record(
                    "internship",
                    internship("张三", STUDENT_X, "2026-03-31", "2026-04-30"),
                    S1,
                    "submitted",
                ),
                _record(
                    "internship",
                    internship("张三", STUDENT_X, "2026-05-01", "2026-05-31"),
                    S1,
                    "submitted",
                ),
            ],
            cursor="1",
        )
        found = duplicates(store)
    assert [(d.kind, len(d.record_ids), d.schools) for d in found] == [("student_overlap", 2, [S1])]


def test_an_enterprise_expert_teaching_at_two_schools_at_once_is_no_duplicate(
    tmp_path: Path,
) -> None:
    def expert(school_start: str) -> dict[str, Any]:
        return placement(
            "冯师傅",
            TEACHER_4,
            "enterprise_expert",
            "2010-01-01",
            school_start,
            "2026-06-30",
            30,
            direction="enterprise_to_school",
            practice_form="teaching",
            teaching_hours=40,
        )

    with Store.open(tmp_path / "s.db", FormRegistry(), today=lambda: TODAY) as store:
        store.apply_pull_page(
            [
                _record("teacher_placement", expert("2026-03-01"), S1, "approved"),
                _record("teacher_placement", expert("2026-04-01"), S2, "approved"),
            ],
            cursor="1",
        )
        assert duplicates(store) == []
