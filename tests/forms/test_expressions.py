"""Conditions compiled to Python code answer as simpleeval did, guards included."""

from __future__ import annotations

import datetime

import pytest

from forms.expressions import Expression, make_evaluator

TODAY = datetime.date(2026, 11, 21)
FIELDS = frozenset({"start", "end", "label", "count"})


def holds(source: str, **values: object) -> bool | None:
    evaluator = make_evaluator(dict.fromkeys(FIELDS) | values, TODAY)
    return Expression(source, FIELDS).holds(evaluator)


def test_comparisons_with_unanswered_fields_do_not_apply() -> None:
    assert holds("end >= start", start=TODAY, end=TODAY) is True
    assert holds("end >= start", start=TODAY) is None
    assert holds("calendar_days(start, today) > 1", start=datetime.date(2026, 1, 1)) is True


def test_strings_and_lists_cannot_grow_past_the_limit() -> None:
    assert holds("label * 1000 != ''", label="ab") is True
    assert holds("label * 100000000 != ''", label="ab") is None
    assert holds("label + label == 'abab'", label="ab") is True


def test_a_field_named_like_a_function_is_the_field_but_a_call_is_the_function() -> None:
    assert holds("count == 3", count=3) is True
    assert holds("count([1, 2]) == 2", count=3) is True


@pytest.mark.parametrize(
    "source", ["__import__('os')", "label.upper()", "[x for x in label]", "open('f')"]
)
def test_anything_beyond_the_allowed_nodes_and_functions_is_refused(source: str) -> None:
    with pytest.raises(ValueError):
        Expression(source, FIELDS)
