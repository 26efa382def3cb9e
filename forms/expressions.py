"""Conditions written in definitions, turned once per form version into Python closures.

An expression is parsed, and every node of its tree checked against a whitelist (_ALLOWED_NODES,
names of the form's top-level fields and `today`, calls of FUNCTIONS without keywords); the
checked tree is then turned into one closure per node, which reads field values from the
record's mapping and calls FUNCTIONS. Nothing is handed to eval/exec or compile(). The closures
compute what simpleeval (the interpreter used before, and the reference the tests compare with)
computes for the same tree, including simpleeval's caps on adding and repeating strings and
lists, without walking the tree again for every record.

Unanswered fields are None. An expression that compares or computes with None raises TypeError;
we read that as "does not apply", so a rule such as `end_date >= start_date` stays silent until
both dates are entered (the `required` checks report the missing ones).
"""

from __future__ import annotations

import ast
import datetime
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simpleeval import MAX_STRING_LENGTH, InvalidExpression, IterableTooLong, safe_add, safe_mult

from forms.identifiers import is_resident_id, resident_id_birth_date, resident_id_gender


def _age(birth: datetime.date | None, at: datetime.date | None) -> int | None:
    if birth is None or at is None:
        return None
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


def _days_in_month(year: int, month: int) -> int:
    # Not calendar.monthrange: calendar brings locale (the desktop's start, issue 6), and
    # importing it in every call costs a rule check more than the rest of it.
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def add_months(day: datetime.date | None, months: int) -> datetime.date | None:
    if day is None:
        return None
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _days_in_month(year, month)))


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


def _round(number: float, digits: int = 0) -> float:
    """round(), but refusing a number of digits no decimal has: round(x, -10**8) takes
    minutes, and a published definition would stall every check on every client and hub."""
    if not isinstance(digits, int) or not -20 <= digits <= 20:
        raise ValueError(f"round() to {digits!r} digits")
    return round(number, digits)


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
    "round": _round,
    "valid_resident_id": lambda v: isinstance(v, str) and is_resident_id(v),
    "id_birth_date": resident_id_birth_date,
    "id_gender": resident_id_gender,
}

CONSTANTS = frozenset({"today", "True", "False", "None"})

# What a condition may contain: comparisons, arithmetic, and/or/not, if-else, calls of
# FUNCTIONS, names and literals (tuples and lists for `in`). Anything else is refused on load.
_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Name, ast.Constant, ast.Tuple, ast.List, ast.Load,
    ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip

# What evaluating a condition may raise when its inputs do not fit it: "does not apply".
# (AttributeError: a function given a value of another type, as age() given text.)
DOES_NOT_APPLY = (TypeError, ArithmeticError, ValueError, AttributeError, InvalidExpression)

# A condition turned into Python closures: (record's values, today) → its value.
Compiled = Callable[[Mapping[str, Any], datetime.date], Any]

_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: safe_add,
    ast.Sub: operator.sub,
    ast.Mult: safe_mult,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda x, y: operator.contains(y, x),
    ast.NotIn: lambda x, y: not operator.contains(y, x),
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


def _binary_operator(node: ast.BinOp) -> Callable[[Any, Any], Any]:
    """simpleeval's operator, except where its cap on the length of what + and * make of
    strings and lists cannot apply (a number literal on one side: 0.8 * wage, x + 1) and
    Python's own gives the same result or the same TypeError."""
    sides = (node.left, node.right)
    if isinstance(node.op, ast.Add) and any(
        isinstance(side, ast.Constant) and not hasattr(side.value, "__len__") for side in sides
    ):
        return operator.add
    if isinstance(node.op, ast.Mult) and any(
        isinstance(side, ast.Constant) and type(side.value) is float for side in sides
    ):
        return operator.mul
    return _BINARY[type(node.op)]


def _field_name(node: ast.expr, field_names: frozenset[str]) -> str | None:
    """The field a node reads, when it is just that (as _closures reads a Name)."""
    if isinstance(node, ast.Name) and node.id != "today" and node.id in field_names:
        return node.id
    return None


def _field_and_constant(
    first: ast.expr, second: ast.expr, field_names: frozenset[str]
) -> tuple[str, Any, bool] | None:
    """(field, constant, whether the field comes first) when the two operands of a comparison
    or arithmetic are a field and a literal: the most common shape of a condition, made one
    closure instead of three. Never a literal too long to evaluate (that one raises)."""
    for field_node, constant_node, field_first in ((first, second, True), (second, first, False)):
        field = _field_name(field_node, field_names)
        if (
            field is not None
            and isinstance(constant_node, ast.Constant)
            and not (
                isinstance(constant_node.value, str | bytes)
                and len(constant_node.value) > MAX_STRING_LENGTH
            )
        ):
            return field, constant_node.value, field_first
    return None


def _closures(node: ast.expr, field_names: frozenset[str]) -> Compiled:
    """A checked tree as closures that compute what simpleeval computes for it."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str | bytes) and len(value) > MAX_STRING_LENGTH:

            def too_long(values: Mapping[str, Any], today: datetime.date) -> Any:
                raise IterableTooLong("a literal of the expression is too long")

            return too_long
        return lambda values, today: value
    if isinstance(node, ast.Name):
        # simpleeval looks a name up in the record first (where `today` was put over any
        # field of that name), then among the functions.
        name = node.id
        if name == "today":
            return lambda values, today: today
        if name in field_names:
            return lambda values, today: values.get(name)
        function = FUNCTIONS[name]
        return lambda values, today: function
    if isinstance(node, ast.Call):
        # A call always means one of FUNCTIONS, even where a field has the same name.
        assert isinstance(node.func, ast.Name)
        call = FUNCTIONS[node.func.id]
        argument = _field_name(node.args[0], field_names) if len(node.args) == 1 else None
        if argument is not None:  # a function of one field: age(birth_date)
            return lambda values, today: call(values.get(argument))
        args = [_closures(arg, field_names) for arg in node.args]
        if len(args) == 1:
            only = args[0]
            return lambda values, today: call(only(values, today))
        if len(args) == 2:  # months_between(start_date, end_date): no list to build a call
            first, second = args
            return lambda values, today: call(first(values, today), second(values, today))
        return lambda values, today: call(*[arg(values, today) for arg in args])
    if isinstance(node, ast.Compare):
        return _compare(node, field_names)
    if isinstance(node, ast.BoolOp):
        return _bool_op(node, field_names)
    if isinstance(node, ast.BinOp):
        binary = _binary_operator(node)
        shortcut = _field_with_constant(binary, node.left, node.right, field_names)
        if shortcut is not None:
            return shortcut
        left, right = _closures(node.left, field_names), _closures(node.right, field_names)
        return lambda values, today: binary(left(values, today), right(values, today))
    if isinstance(node, ast.UnaryOp):
        unary, operand = _UNARY[type(node.op)], _closures(node.operand, field_names)
        return lambda values, today: unary(operand(values, today))
    if isinstance(node, ast.IfExp):
        test = _closures(node.test, field_names)
        body, orelse = _closures(node.body, field_names), _closures(node.orelse, field_names)
        return lambda values, today: (
            body(values, today) if test(values, today) else orelse(values, today)
        )
    assert isinstance(node, ast.Tuple | ast.List)
    items = [_closures(item, field_names) for item in node.elts]
    make = tuple if isinstance(node, ast.Tuple) else list
    return lambda values, today: make([item(values, today) for item in items])


def _field_with_constant(
    apply: Callable[[Any, Any], Any], left: ast.expr, right: ast.expr, names: frozenset[str]
) -> Compiled | None:
    """`apply` (an operator) to a field and a literal, either way round, as one closure; None
    for other operands."""
    pair = _field_and_constant(left, right, names)
    if pair is None:
        return None
    field, constant, field_first = pair
    if field_first:
        return lambda values, today: apply(values.get(field), constant)
    return lambda values, today: apply(constant, values.get(field))


def _compare(node: ast.Compare, field_names: frozenset[str]) -> Compiled:
    first = _closures(node.left, field_names)
    steps = [
        (_COMPARE[type(op)], _closures(comparator, field_names))
        for op, comparator in zip(node.ops, node.comparators, strict=True)
    ]
    if len(steps) == 1:
        compare = steps[0][0]
        comparator = node.comparators[0]
        shortcut = _field_with_constant(compare, node.left, comparator, field_names)
        if shortcut is not None:
            return shortcut
        left_field = _field_name(node.left, field_names)
        right_field = _field_name(comparator, field_names)
        if left_field is not None and right_field is not None:
            return lambda values, today: compare(values.get(left_field), values.get(right_field))
        second = steps[0][1]
        return lambda values, today: compare(first(values, today), second(values, today))

    def chain(values: Mapping[str, Any], today: datetime.date) -> Any:
        right = first(values, today)
        result: Any = True
        for compare, comparator in steps:
            left, right = right, comparator(values, today)
            result = compare(left, right)
            if not result:
                break
        return result

    return chain


def _bool_op(node: ast.BoolOp, field_names: frozenset[str]) -> Compiled:
    parts = [_closures(part, field_names) for part in node.values]
    stop_when = isinstance(node.op, ast.Or)  # `or` stops at a true value, `and` at a false one
    # Python's own and/or does what the loop below does, without it, for the usual few parts.
    if len(parts) == 2:
        first, second = parts
        if stop_when:
            return lambda values, today: first(values, today) or second(values, today)
        return lambda values, today: first(values, today) and second(values, today)
    if len(parts) == 3:
        first, second, third = parts
        if stop_when:
            return lambda values, today: (
                first(values, today) or second(values, today) or third(values, today)
            )
        return lambda values, today: (
            first(values, today) and second(values, today) and third(values, today)
        )

    def bool_op(values: Mapping[str, Any], today: datetime.date) -> Any:
        result: Any = False
        for part in parts:
            result = part(values, today)
            if bool(result) is stop_when:
                break
        return result

    return bool_op


@dataclass(frozen=True, slots=True)
class Evaluator:
    """What conditions read: a record's typed values (unanswered ones None or left out) and
    the day it is checked on."""

    values: Mapping[str, Any]
    today: datetime.date


class Expression:
    """One condition, parsed, checked against the names it may use, and turned into closures."""

    __slots__ = ("function", "names", "source")

    def __init__(self, source: str, field_names: frozenset[str]) -> None:
        self.source = source
        try:
            module = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"syntax error in {source!r}: {exc.msg}") from exc
        except RecursionError as exc:
            raise ValueError(f"{source!r} is nested too deeply") from exc
        used: set[str] = set()
        for node in ast.walk(module):
            if not isinstance(node, _ALLOWED_NODES):
                raise ValueError(f"{type(node).__name__} is not allowed in {source!r}")
            if isinstance(node, ast.Call):
                if node.keywords:
                    raise ValueError(f"keyword arguments are not allowed in {source!r}")
                if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                    raise ValueError(f"unknown function in {source!r}")
            elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
                if node.id not in field_names and node.id not in CONSTANTS:
                    raise ValueError(f"unknown name {node.id!r} in {source!r}")
                used.add(node.id)
        self.names = frozenset(used)
        try:
            # (values, today) -> the condition's value, or one of DOES_NOT_APPLY raised
            self.function: Compiled = _closures(module.body, field_names)
        except RecursionError as exc:
            raise ValueError(f"{source!r} is nested too deeply") from exc

    def holds(self, evaluator: Evaluator) -> bool | None:
        """True or False, or None when it compares or computes with an unanswered field."""
        return self.holds_for(evaluator.values, evaluator.today)

    def holds_for(self, values: Mapping[str, Any], today: datetime.date) -> bool | None:
        """holds() for a record's values, without building an Evaluator."""
        try:
            return bool(self.function(values, today))
        except DOES_NOT_APPLY:
            return None


def make_evaluator(values: Mapping[str, Any], today: datetime.date) -> Evaluator:
    """What conditions read to decide for `values` on `today`."""
    return Evaluator(values, today)
