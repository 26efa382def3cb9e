"""Conditions written in definitions, evaluated safely by simpleeval.

Each expression is parsed once per form version (simpleeval re-uses the tree), never handed to
eval/exec. Names are the form's top-level fields and `today`; functions are listed in FUNCTIONS.

Unanswered fields are None. An expression that compares or computes with None raises TypeError
inside simpleeval; we read that as "does not apply", so a rule such as `end_date >= start_date`
stays silent until both dates are entered (the `required` checks report the missing ones).
"""

from __future__ import annotations

import ast
import calendar
import datetime
from collections.abc import Callable, Mapping
from typing import Any

from simpleeval import InvalidExpression, SimpleEval

from forms.identifiers import is_resident_id, resident_id_birth_date, resident_id_gender


def _age(birth: datetime.date | None, at: datetime.date | None) -> int | None:
    if birth is None or at is None:
        return None
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


def add_months(day: datetime.date | None, months: int) -> datetime.date | None:
    if day is None:
        return None
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date | None, years: int) -> datetime.date | None:
    return add_months(day, 12 * years)


def _calendar_days(start: datetime.date | None, end: datetime.date | None) -> int | None:
    """Days from start to end, both included."""
    if start is None or end is None:
        return None
    return (end - start).days + 1


def _total(rows: list[Mapping[str, Any]] | None, name: str) -> float:
    return float(sum(row.get(name) or 0 for row in rows or ()))


def _count(rows: list[Any] | None) -> int:
    return len(rows or ())


def _coalesce(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "age": _age,
    "add_months": add_months,
    "add_years": add_years,
    "calendar_days": _calendar_days,
    "total": _total,
    "count": _count,
    "coalesce": _coalesce,
    "abs": abs,
    "round": round,
    "valid_resident_id": lambda v: isinstance(v, str) and is_resident_id(v),
    "id_birth_date": resident_id_birth_date,
    "id_gender": resident_id_gender,
}

CONSTANTS = frozenset({"today", "True", "False", "None"})


class Expression:
    """One condition, parsed and checked against the names it may use."""

    __slots__ = ("_tree", "names", "source")

    def __init__(self, source: str, field_names: frozenset[str]) -> None:
        self.source = source
        try:
            module = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"syntax error in {source!r}: {exc.msg}") from exc
        used: set[str] = set()
        for node in ast.walk(module):
            if isinstance(node, ast.Call):
                if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                    raise ValueError(f"unknown function in {source!r}")
            elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
                if node.id not in field_names and node.id not in CONSTANTS:
                    raise ValueError(f"unknown name {node.id!r} in {source!r}")
                used.add(node.id)
            elif isinstance(node, ast.Attribute | ast.Lambda | ast.NamedExpr):
                raise ValueError(f"not allowed in conditions: {source!r}")
        self._tree: ast.expr = module.body
        self.names = frozenset(used)

    def evaluate(self, evaluator: SimpleEval) -> Any:
        return evaluator.eval(self.source, previously_parsed=self._tree)

    def holds(self, evaluator: SimpleEval) -> bool | None:
        """True or False, or None when it compares or computes with an unanswered field."""
        try:
            return bool(self.evaluate(evaluator))
        except (TypeError, ArithmeticError, ValueError, OverflowError, InvalidExpression):
            return None


def make_evaluator(values: Mapping[str, Any], today: datetime.date) -> SimpleEval:
    evaluator = SimpleEval(functions=FUNCTIONS, names=dict(values))
    evaluator.names["today"] = today
    return evaluator
