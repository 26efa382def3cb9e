"""What the editor shows about the answers, computed by the forms rules engine: the values
that coerce and the problems of those that do not, and which fields apply right now.

`field_conditions` evaluates the definition's `relevant` and `required` conditions the way
`forms.validate` does; forms has no public helper for it yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from forms import CoercionError, FormDefinition, Issue, Problem, Severity, coerce
from forms.expressions import make_evaluator


def without_problem_values(raw: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """`raw` minus the values the problems point at: a cell of a repeat row, or a field."""
    cleaned = dict(raw)
    for problem in problems:
        top, _, rest = problem.path.partition("[")
        row_id, _, child = rest.partition("].")
        if child and isinstance(cleaned.get(top), list):
            cleaned[top] = [
                {k: v for k, v in row.items() if not (row.get("_row") == row_id and k == child)}
                for row in cleaned[top]
            ]
        else:
            cleaned.pop(top, None)
    return cleaned


def coerce_leniently(
    form: FormDefinition, raw: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Typed values of every answer that coerces, and the problems of the others, so one
    value typed wrong does not hide the issues of the rest of the form."""
    try:
        return coerce(form, raw), []
    except CoercionError as error:
        problems = error.problems
    cleaned = without_problem_values(raw, problems)
    try:
        return coerce(form, cleaned), problems
    except CoercionError as error:
        # A problem of a whole group (a row without an id): leave that group out.
        broken = {problem.path.partition("[")[0] for problem in error.problems}
        kept = {name: value for name, value in cleaned.items() if name not in broken}
        return coerce(form, kept), problems + error.problems


def problem_issue(problem: Problem) -> Issue:
    """A coercion problem shown like any other error."""
    return Issue(problem.path, problem.code, Severity.ERROR, problem.message_zh, problem.message_en)


@dataclass(frozen=True, slots=True)
class FieldConditions:
    hidden: frozenset[str]
    required: frozenset[str]


def field_conditions(
    form: FormDefinition, typed: dict[str, Any], today: datetime.date
) -> FieldConditions:
    """Fields whose `relevant` condition does not hold (forms.validate skips them: a condition
    that cannot be decided yet counts as not holding), and fields required right now."""
    compiled = form.compiled
    evaluator = make_evaluator(dict.fromkeys(form.field_map) | typed, today)
    hidden = frozenset(
        name for name, condition in compiled.relevant.items() if not condition.holds(evaluator)
    )
    required = frozenset(
        field.name
        for field in form.fields
        if field.required is True
        or (field.name in compiled.required and compiled.required[field.name].holds(evaluator))
    )
    return FieldConditions(hidden, required - hidden)
