"""The teacher rule across records: 180 days in enterprises within any rolling 5 years for
specialty teachers and practice instructors; 180 days within the first 3 years of service for
teachers hired less than 3 years ago. Computed per teacher, shown as rates, never a record error.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from forms.expressions import add_years

REQUIRED_DAYS = 180
COVERED_CATEGORIES = frozenset({"specialty", "practice_instructor"})


@dataclass(frozen=True, slots=True)
class Placement:
    """One school_to_enterprise placement of a teacher, as recorded."""

    start_date: datetime.date
    end_date: datetime.date
    days: int | None = None


class ComplianceRule(StrEnum):
    NOT_COVERED = "not_covered"  # general teachers and enterprise experts
    FIRST_3_YEARS = "first_3_years"
    ROLLING_5_YEARS = "rolling_5_years"


@dataclass(frozen=True, slots=True)
class Compliance:
    rule: ComplianceRule
    window_start: datetime.date | None
    window_end: datetime.date | None
    days: int
    compliant: bool
    # A new teacher still inside the first 3 years who has not reached 180 days yet is not
    # in breach: `overdue` stays False until the window has closed.
    overdue: bool

    @property
    def shortfall(self) -> int:
        return max(REQUIRED_DAYS - self.days, 0)


def _days_in_window(
    placement: Placement, window_start: datetime.date, window_end: datetime.date
) -> int:
    """The placement's days that fall inside the window, pro rata when it straddles an edge."""
    span = (placement.end_date - placement.start_date).days + 1
    if span <= 0:
        return 0
    start = max(placement.start_date, window_start)
    end = min(placement.end_date, window_end)
    overlap = (end - start).days + 1
    if overlap <= 0:
        return 0
    recorded = placement.days if placement.days is not None else span
    return min(recorded, span) * overlap // span


def teacher_compliance(
    category: str | None,
    hire_date: datetime.date | None,
    placements: Iterable[Placement],
    today: datetime.date,
) -> Compliance:
    """Where one teacher stands on `today`, from all of that teacher's placements."""
    if category not in COVERED_CATEGORIES:
        return Compliance(ComplianceRule.NOT_COVERED, None, None, 0, True, False)
    placements = list(placements)
    first_3_end = add_years(hire_date, 3) if hire_date is not None else None
    if hire_date is not None and first_3_end is not None and today < first_3_end:
        days = sum(_days_in_window(p, hire_date, first_3_end) for p in placements)
        compliant = days >= REQUIRED_DAYS
        return Compliance(
            ComplianceRule.FIRST_3_YEARS, hire_date, first_3_end, days, compliant, False
        )
    window_start = add_years(today, -5)
    assert window_start is not None
    days = sum(_days_in_window(p, window_start, today) for p in placements)
    compliant = days >= REQUIRED_DAYS
    return Compliance(
        ComplianceRule.ROLLING_5_YEARS, window_start, today, days, compliant, not compliant
    )
