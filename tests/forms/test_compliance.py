import datetime as dt

import pytest

import forms
from forms import ComplianceRule, Placement

TODAY = dt.date(2026, 11, 21)


def placement(start: str, end: str, days: int | None = None) -> Placement:
    return Placement(dt.date.fromisoformat(start), dt.date.fromisoformat(end), days)


def test_general_teachers_are_not_covered() -> None:
    result = forms.teacher_compliance("general", dt.date(2000, 1, 1), [], TODAY)
    assert result.rule is ComplianceRule.NOT_COVERED and result.compliant


def test_rolling_five_years_counts_only_days_inside_the_window() -> None:
    placements = [
        placement("2021-01-01", "2021-06-29", 90),  # before 2021-11-21: outside
        placement("2022-03-01", "2022-05-29", 90),
        placement("2025-07-01", "2025-09-28", 90),
    ]
    result = forms.teacher_compliance("specialty", dt.date(2010, 9, 1), placements, TODAY)
    assert result.rule is ComplianceRule.ROLLING_5_YEARS
    assert result.window_start == dt.date(2021, 11, 21)
    assert result.days == 180 and result.compliant and not result.overdue


def test_rolling_five_years_short_is_overdue_with_shortfall() -> None:
    result = forms.teacher_compliance(
        "practice_instructor", dt.date(2010, 9, 1), [placement("2024-07-01", "2024-08-29")], TODAY
    )
    assert (result.days, result.compliant, result.overdue, result.shortfall) == (
        60,
        False,
        True,
        120,
    )


def test_placement_straddling_the_window_counts_pro_rata() -> None:
    result = forms.teacher_compliance(
        "specialty", dt.date(2000, 1, 1), [placement("2021-11-12", "2021-11-30", 19)], TODAY
    )
    assert result.days == 10


def test_new_teacher_counts_from_hire_date_and_is_not_overdue_yet() -> None:
    hired = dt.date(2025, 9, 1)
    short = forms.teacher_compliance(
        "specialty", hired, [placement("2026-07-01", "2026-08-29")], TODAY
    )
    assert short.rule is ComplianceRule.FIRST_3_YEARS
    assert short.window_end == dt.date(2028, 9, 1)
    assert (short.days, short.compliant, short.overdue) == (60, False, False)
    enough = forms.teacher_compliance(
        "specialty",
        hired,
        [placement("2026-01-01", "2026-06-29"), placement("2026-07-01", "2026-07-01")],
        TODAY,
    )
    assert enough.days == 181 and enough.compliant


@pytest.mark.parametrize("days", [None, 500])
def test_recorded_days_never_exceed_the_calendar(days: int | None) -> None:
    result = forms.teacher_compliance(
        "specialty", dt.date(2000, 1, 1), [placement("2026-01-01", "2026-01-10", days)], TODAY
    )
    assert result.days == 10
