"""Conditions written in definitions, evaluated safely by simpleeval.

Each expression is parsed once per form version (simpleeval re-uses the tree), never handed to
eval/exec. Names are the form's top-level fields and `today`; functions are listed in FUNCTIONS.

Unanswered fields are None. An expression that compares or computes with None raises TypeError
inside simpleeval; we read that as "does not apply", so a rule such as `end_date >= start_date`
stays silent until both dates are entered (the `required` checks report the missing ones).
"""

from __future__ import annotations

import ast
import datetime
import threading
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression, SimpleEval

from forms.identifiers import is_resident_id, resident_id_birth_date, resident_id_gender


def _age(birth: datetime.date | None, at: datetime.date | None) -> int | None:
    if birth is None or at is None:
        return None
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


def add_months(day: datetime.date | None, months: int) -> datetime.date | None:
    if day is None:
        return None
    import calendar  # here, not at start: calendar brings locale (the desktop's start, issue 6)

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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


def _no_inputs(names: Mapping[str, Any]) -> tuple[()]:
    return ()


class Expression:
    """One condition, parsed and checked against the names it may use."""

    __slots__ = ("_inputs", "_results", "_tree", "names", "source")

    # Results are remembered per combination of input values (conditions are pure functions
    # of them): most records repeat the same choices, flags and dates. Bounded by clearing.
    MAX_REMEMBERED = 4096

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
        self._tree: ast.expr = module.body
        self.names = frozenset(used)
        inputs = sorted(used - {"True", "False", "None"})
        # The memo key: the input values, read from the evaluator's names in one C call.
        self._inputs: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*inputs) if inputs else _no_inputs
        )
        self._results: dict[tuple[Any, ...], bool | None] = {}

    def evaluate(self, evaluator: SimpleEval) -> Any:
        return evaluator.eval(self.source, previously_parsed=self._tree)

    def holds(self, evaluator: SimpleEval) -> bool | None:
        """True or False, or None when it compares or computes with an unanswered field."""
        names = evaluator.names
        key = self._inputs(names)
        try:
            return self._results[key]
        except KeyError:
            pass
        except TypeError:  # an input is a list (choices, repeat rows): not hashable
            return self._holds(evaluator)
        result = self._holds(evaluator)
        if len(self._results) >= self.MAX_REMEMBERED:
            self._results.clear()
        self._results[key] = result
        return result

    def _holds(self, evaluator: SimpleEval) -> bool | None:
        try:
            return bool(self.evaluate(evaluator))
        except (TypeError, ArithmeticError, ValueError, OverflowError, InvalidExpression):
            return None


class _DataEvaluator(EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval, without its per-node scan of results for modules and forbidden functions.

    That scan guards against names bound to code; ours are coerced form values (str, numbers,
    dates, lists, dicts) and FUNCTIONS, and node types were whitelisted when the expression was
    compiled. Skipping it doubles the speed of rule checks (the validation budget needs it)."""

    def _eval(self, node: ast.AST) -> Any:
        return self.nodes[type(node)](node)

    def _eval_call(self, node: ast.Call) -> Any:
        # Compiling checked that every call names one of FUNCTIONS and passes no keywords.
        assert isinstance(node.func, ast.Name)
        return self.functions[node.func.id](*[self._eval(arg) for arg in node.args])


_per_thread = threading.local()


def make_evaluator(values: dict[str, Any], today: datetime.date) -> SimpleEval:
    """An evaluator over `values` (which gains `today`). Building one costs more than most
    evaluations, so each thread re-uses its own."""
    evaluator: SimpleEval | None = getattr(_per_thread, "evaluator", None)
    if evaluator is None:
        evaluator = _per_thread.evaluator = _DataEvaluator(functions=FUNCTIONS)
    values["today"] = today
    evaluator.names = values
    return evaluator
