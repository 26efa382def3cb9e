"""Conditions written in definitions, compiled once per form version into Python functions.

An expression is parsed, and every node of its tree checked against a whitelist (_ALLOWED_NODES,
names of the form's top-level fields and `today`, calls of FUNCTIONS without keywords) before
the tree is rewritten and compiled; it is never handed to eval/exec as text. The compiled
function reads field values from the record's mapping, calls FUNCTIONS through its own
globals, and has no builtins. It computes what simpleeval (the interpreter used before, and
the reference the tests compare with) computes for the same tree, including simpleeval's caps
on adding and repeating strings and lists.

Unanswered fields are None. An expression that compares or computes with None raises TypeError;
we read that as "does not apply", so a rule such as `end_date >= start_date` stays silent until
both dates are entered (the `required` checks report the missing ones).
"""

from __future__ import annotations

import ast
import datetime
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
_DOES_NOT_APPLY = (TypeError, ArithmeticError, ValueError, InvalidExpression)

# Names the compiled code uses besides the form's fields; field names match [a-z][a-z0-9_]*,
# so none of these (nor a function's compiled name, _fn_<name>) can be one.
_VALUES, _TODAY = "_values", "_today"


def _literal_too_long() -> None:
    raise IterableTooLong("a literal of the expression is too long")


_GLOBALS: dict[str, Any] = {
    "__builtins__": {},
    "_safe_add": safe_add,
    "_safe_mult": safe_mult,
    "_literal_too_long": _literal_too_long,
    **{f"_fn_{name}": function for name, function in FUNCTIONS.items()},
}


def _is_unsized_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not hasattr(node.value, "__len__")


class _ToPython(ast.NodeTransformer):
    """A checked tree rewritten to read fields from `_values` and call FUNCTIONS by their
    compiled names, with simpleeval's meaning of each name, `+`, `*` and literal."""

    def __init__(self, field_names: frozenset[str]) -> None:
        self.field_names = field_names

    def visit_Name(self, node: ast.Name) -> ast.expr:
        # simpleeval looks a name up in the record first (where `today` was put over any field
        # of that name), then among the functions.
        if node.id == "today":
            return ast.Name(_TODAY, ast.Load())
        if node.id in self.field_names:
            get = ast.Attribute(ast.Name(_VALUES, ast.Load()), "get", ast.Load())
            return ast.Call(get, [ast.Constant(node.id)], [])
        return ast.Name(f"_fn_{node.id}", ast.Load())

    def visit_Call(self, node: ast.Call) -> ast.expr:
        # A call always means one of FUNCTIONS, even where a field has the same name.
        assert isinstance(node.func, ast.Name)
        function = ast.Name(f"_fn_{node.func.id}", ast.Load())
        return ast.Call(function, [self.visit(arg) for arg in node.args], [])

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        left, right = self.visit(node.left), self.visit(node.right)
        # simpleeval caps the length of what + and * make of strings and lists; with a number
        # literal on one side (0.8 * wage, x + 1) no cap can apply, and Python's own operator
        # gives the same result or the same TypeError.
        capped = None
        if isinstance(node.op, ast.Add):
            if not (_is_unsized_literal(node.left) or _is_unsized_literal(node.right)):
                capped = "_safe_add"
        elif isinstance(node.op, ast.Mult):
            float_literal = [
                side
                for side in (node.left, node.right)
                if isinstance(side, ast.Constant) and type(side.value) is float
            ]
            if not float_literal:
                capped = "_safe_mult"
        if capped is None:
            return ast.BinOp(left, node.op, right)
        return ast.Call(ast.Name(capped, ast.Load()), [left, right], [])

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        if isinstance(node.value, str | bytes) and len(node.value) > MAX_STRING_LENGTH:
            return ast.Call(ast.Name("_literal_too_long", ast.Load()), [], [])
        return node


def _compile(
    tree: ast.expr, field_names: frozenset[str], source: str
) -> Callable[[Mapping[str, Any], datetime.date], Any]:
    body = _ToPython(field_names).visit(tree)
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(_VALUES), ast.arg(_TODAY)],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    module = ast.fix_missing_locations(ast.Expression(ast.Lambda(arguments, body)))
    try:
        code = compile(module, f"<condition {source!r}>", "eval")
    except (RecursionError, MemoryError) as exc:
        raise ValueError(f"{source!r} is nested too deeply") from exc
    # Code compiled from a tree that _ToPython built out of a checked one: no text is evaluated.
    function: Callable[[Mapping[str, Any], datetime.date], Any] = eval(code, _GLOBALS)
    return function


@dataclass(frozen=True, slots=True)
class Evaluator:
    """What conditions read: a record's typed values (unanswered ones None or left out) and
    the day it is checked on."""

    values: Mapping[str, Any]
    today: datetime.date


class Expression:
    """One condition, parsed, checked against the names it may use, and compiled."""

    __slots__ = ("_function", "names", "source")

    def __init__(self, source: str, field_names: frozenset[str]) -> None:
        self.source = source
        try:
            module = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"syntax error in {source!r}: {exc.msg}") from exc
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
        self._function = _compile(module.body, field_names, source)

    def holds(self, evaluator: Evaluator) -> bool | None:
        """True or False, or None when it compares or computes with an unanswered field."""
        return self.holds_for(evaluator.values, evaluator.today)

    def holds_for(self, values: Mapping[str, Any], today: datetime.date) -> bool | None:
        """holds() for a record's values, without building an Evaluator."""
        try:
            return bool(self._function(values, today))
        except _DOES_NOT_APPLY:
            return None


def make_evaluator(values: Mapping[str, Any], today: datetime.date) -> Evaluator:
    """What conditions read to decide for `values` on `today`."""
    return Evaluator(values, today)
