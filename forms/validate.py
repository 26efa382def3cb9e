"""Checking a record against its definition: every rule, in both languages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from forms.coerce import coerce
from forms.definition import TEXT_TYPES, FieldDef, FieldType, FormDefinition, Severity
from forms.expressions import DOES_NOT_APPLY, Compiled, Expression
from forms.identifiers import is_major_code, is_phone, is_resident_id, is_uscc
from forms.messages import message

_FORMAT_CHECKS: dict[FieldType, tuple[Callable[[str], bool], str]] = {
    FieldType.PHONE: (is_phone, "invalid_phone"),
    FieldType.RESIDENT_ID: (is_resident_id, "invalid_resident_id"),
    FieldType.USCC: (is_uscc, "invalid_uscc"),
    FieldType.MAJOR_CODE: (is_major_code, "invalid_major_code"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """A rule the record breaks. Errors block submitting; warnings are shown and flagged."""

    path: str
    code: str
    severity: Severity
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def to_wire(self, lang: str = "zh") -> dict[str, str]:
        return {
            "path": self.path,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message(lang),
        }


def _number(value: float) -> str:
    return f"{value:g}"


def _issue(field: FieldDef, path: str, code: str, **extra: object) -> Issue:
    zh, en = message(code, field.label.zh, field.label.en, **extra)
    return Issue(path, code, Severity.ERROR, zh, en)


def _pattern_issue(field: FieldDef, path: str) -> Issue:
    custom = field.pattern_message
    zh, en = message("pattern", field.label.zh, field.label.en)
    return Issue(
        path, "pattern", Severity.ERROR, custom.zh if custom else zh, custom.en if custom else en
    )


def _required_issue(field: FieldDef, path: str) -> Issue:
    if field.required_message is not None:
        return Issue(
            path, "required", Severity.ERROR, field.required_message.zh, field.required_message.en
        )
    code = "required_choice" if field.type is FieldType.SELECT_MULTIPLE else "required"
    return _issue(field, path, code)


# The checks of one answered value that need nothing but the field itself (and, for a typed
# identifier, its check_when condition): (value, where, record's values, today, issues), where
# `where` is what comes before the field's name in an issue's path: "" for a top-level field,
# `group[row id].` for one of a row. Paths are built only for an issue.
AnswerCheck = Callable[[Any, str, Mapping[str, Any], datetime.date, list[Issue]], None]


def _text_check(field: FieldDef, check_when: Expression | None) -> AnswerCheck | None:
    max_length = field.max_length
    format_check = _FORMAT_CHECKS.get(field.type)
    pattern = re.compile(field.pattern) if field.pattern is not None else None
    if max_length is None and format_check is None and pattern is None:
        return None

    def check(
        value: str, where: str, values: Mapping[str, Any], today: datetime.date, issues: list[Issue]
    ) -> None:
        text = value.strip()
        if max_length is not None and len(text) > max_length:
            issues.append(_issue(field, where + field.name, "max_length", limit=max_length))
        if format_check is not None and (check_when is None or check_when.holds_for(values, today)):
            is_valid, code = format_check
            if not is_valid(text):
                issues.append(_issue(field, where + field.name, code))
        if pattern is not None and not pattern.fullmatch(text):
            issues.append(_pattern_issue(field, where + field.name))

    return check


def _number_check(field: FieldDef) -> AnswerCheck | None:
    low, high, low_excluded = field.min, field.max, field.min_exclusive
    if low is None and high is None:
        return None

    def check(
        value: float,
        where: str,
        values: Mapping[str, Any],
        today: datetime.date,
        issues: list[Issue],
    ) -> None:
        if low is not None:
            if low_excluded and value <= low:
                limit = _number(low)
                issues.append(_issue(field, where + field.name, "min_exclusive", limit=limit))
            elif value < low:
                issues.append(_issue(field, where + field.name, "min", limit=_number(low)))
        if high is not None and value > high:
            issues.append(_issue(field, where + field.name, "max", limit=_number(high)))

    return check


def _answer_check(field: FieldDef, check_when: Expression | None) -> AnswerCheck | None:
    """The checks of an answered value of `field`, or None when coerce() checked all there is."""
    if field.type in TEXT_TYPES:
        return _text_check(field, check_when)
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return _number_check(field)
    if field.type is FieldType.REPEAT:
        return _rows_check(field)
    return None


def _rows_check(group: FieldDef) -> AnswerCheck:
    # Per field of a row: (field, whether required, the checks of its answer).
    children = [
        (child, child.required is True, _answer_check(child, None)) for child in group.fields
    ]

    def check(
        rows: list[dict[str, Any]],
        where: str,
        values: Mapping[str, Any],
        today: datetime.date,
        issues: list[Issue],
    ) -> None:
        for row in rows:
            in_row = f"{where}{group.name}[{row['_row']}]."
            for child, required, check_answer in children:
                value = row.get(child.name)
                if value is None or (isinstance(value, str) and not value.strip()):
                    if required:
                        issues.append(_required_issue(child, in_row + child.name))
                elif check_answer is not None:
                    check_answer(value, in_row, values, today, issues)

    return check


class FormChecks:
    """The checks of one form version, worked out once from its definition: per top-level
    field, in order, (name, relevant, the issue when unanswered and required, required-when,
    the checks of an answer), and per rule (when, check, the issue when it fails).

    Issues whose path is fixed are built here, once; Issue is immutable, so records share them."""

    def __init__(self, form: FormDefinition) -> None:
        compiled = form.compiled
        self.fields: list[
            tuple[str, Expression | None, Issue | None, Expression | None, AnswerCheck | None]
        ] = []
        for f in form.fields:
            relevant = compiled.relevant.get(f.name)
            required_issue = _required_issue(f, f.name) if f.required is not False else None
            check_answer = _answer_check(f, compiled.check_when.get(f.name))
            # A field with no condition, not required, and nothing to check in an answer (most
            # dates, flags and choices) raises no issue of its own: left out.
            if relevant is not None or required_issue is not None or check_answer is not None:
                required_when = compiled.required.get(f.name)
                self.fields.append((f.name, relevant, required_issue, required_when, check_answer))
        # Rules as their closures, not Expressions: issues_of_typed does what holds_for does,
        # a call less for each of a record's conditions.
        self.rules: list[tuple[Compiled | None, Compiled, Issue]] = []
        for rule in form.rules:
            when = compiled.rule_when.get(rule.id)
            self.rules.append(
                (
                    when.function if when is not None else None,
                    compiled.rule_check[rule.id].function,
                    Issue(rule.path, rule.id, rule.severity, rule.message.zh, rule.message.en),
                )
            )


def validate(
    form: FormDefinition, fields: object, today: datetime.date | None = None
) -> list[Issue]:
    """Every issue of `fields` (raw or typed values) under `form`, errors and warnings.

    Raises CoercionError when a value has the wrong type; a value that is merely wrong (an
    invalid ID, an end before a start) is an issue, so drafts can be saved with them."""
    typed = coerce(form, fields)
    return issues_of_typed(form, typed, today or datetime.date.today())


def issues_of_typed(
    form: FormDefinition, typed: dict[str, Any], today: datetime.date
) -> list[Issue]:
    """validate() for values that already went through coerce()."""
    checks = form.checks
    issues: list[Issue] = []
    for name, relevant, required_issue, required_when, check_answer in checks.fields:
        if relevant is not None and not relevant.holds_for(typed, today):
            continue
        value = typed.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required_issue is not None and (
                required_when is None or required_when.holds_for(typed, today)
            ):
                issues.append(required_issue)
        elif check_answer is not None:
            check_answer(value, "", typed, today, issues)
    for when, check, issue in checks.rules:
        # A rule breaks when its `when` holds and its check is false (Expression.holds_for: a
        # condition that raises one of DOES_NOT_APPLY neither holds nor is false).
        try:
            if (when is None or when(typed, today)) and not check(typed, today):
                issues.append(issue)
        except DOES_NOT_APPLY:
            pass
    return issues


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


@dataclass(frozen=True, slots=True)
class FieldStates:
    """Which top-level fields apply to a record right now, for an editor to show."""

    hidden: frozenset[str]
    required: frozenset[str]


def field_states(form: FormDefinition, typed: dict[str, Any], today: datetime.date) -> FieldStates:
    """Fields whose `relevant` condition does not hold (validate() skips them; a condition
    that cannot be decided yet counts as not holding) and fields required right now."""
    fields = form.checks.fields
    hidden = frozenset(
        name
        for name, relevant, _, _, _ in fields
        if relevant is not None and not relevant.holds_for(typed, today)
    )
    required = frozenset(
        name
        for name, _, required_issue, required_when, _ in fields
        if required_issue is not None
        and (required_when is None or required_when.holds_for(typed, today))
    )
    return FieldStates(hidden, required - hidden)
