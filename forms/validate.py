"""Checking a record against its definition: every rule, in both languages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from forms.coerce import coerce
from forms.definition import TEXT_TYPES, FieldDef, FieldType, FormDefinition, Severity
from forms.expressions import Expression, make_evaluator
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


@lru_cache(maxsize=256)
def _compiled_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _number(value: float) -> str:
    return f"{value:g}"


def _issue(field: FieldDef, path: str, code: str, **extra: object) -> Issue:
    zh, en = message(code, field.label.zh, field.label.en, **extra)
    return Issue(path, code, Severity.ERROR, zh, en)


def _check_value(
    field: FieldDef, value: Any, path: str, check_format: bool, issues: list[Issue]
) -> None:
    """Checks of one answered value that need nothing but the field itself."""
    kind = field.type
    if kind in TEXT_TYPES:
        text = value.strip()
        if field.max_length is not None and len(text) > field.max_length:
            issues.append(_issue(field, path, "max_length", limit=field.max_length))
        if check_format and kind in _FORMAT_CHECKS:
            is_valid, code = _FORMAT_CHECKS[kind]
            if not is_valid(text):
                issues.append(_issue(field, path, code))
        if field.pattern is not None and not _compiled_pattern(field.pattern).fullmatch(text):
            custom = field.pattern_message
            zh, en = message("pattern", field.label.zh, field.label.en)
            issues.append(
                Issue(
                    path,
                    "pattern",
                    Severity.ERROR,
                    custom.zh if custom else zh,
                    custom.en if custom else en,
                )
            )
    elif kind in (FieldType.INTEGER, FieldType.DECIMAL):
        if field.min is not None:
            if field.min_exclusive and value <= field.min:
                issues.append(_issue(field, path, "min_exclusive", limit=_number(field.min)))
            elif value < field.min:
                issues.append(_issue(field, path, "min", limit=_number(field.min)))
        if field.max is not None and value > field.max:
            issues.append(_issue(field, path, "max", limit=_number(field.max)))


def _is_unanswered(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _required_issue(field: FieldDef, path: str) -> Issue:
    if field.required_message is not None:
        return Issue(
            path, "required", Severity.ERROR, field.required_message.zh, field.required_message.en
        )
    code = "required_choice" if field.type is FieldType.SELECT_MULTIPLE else "required"
    return _issue(field, path, code)


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
    compiled = form.compiled
    values: dict[str, Any] = dict.fromkeys(form.field_map) | typed
    evaluator = make_evaluator(values, today)

    def holds(expression: Expression) -> bool:
        # Expressions remember their results per input values, so one condition guarding many
        # fields (internship_type == 'position') is evaluated once.
        return bool(expression.holds(evaluator))

    issues: list[Issue] = []
    for field, relevant, required_when, check_when, checked in compiled.field_plan:
        if relevant is not None and not holds(relevant):
            continue
        value = values[field.name]
        if _is_unanswered(value):
            required = field.required is True or (
                required_when is not None and holds(required_when)
            )
            if required:
                issues.append(_required_issue(field, field.name))
            continue
        if field.type is FieldType.REPEAT:
            rows: list[dict[str, Any]] = value
            for row in rows:
                for child in field.fields:
                    path = f"{field.name}[{row['_row']}].{child.name}"
                    child_value = row.get(child.name)
                    if _is_unanswered(child_value):
                        if child.required is True:
                            issues.append(_required_issue(child, path))
                    else:
                        _check_value(child, child_value, path, True, issues)
            continue
        if not checked:
            continue
        check_format = check_when is None or holds(check_when)
        _check_value(field, value, field.name, check_format, issues)

    for rule in form.rules:
        when = compiled.rule_when.get(rule.id)
        if when is not None and not holds(when):
            continue
        if compiled.rule_check[rule.id].holds(evaluator) is False:
            issues.append(
                Issue(rule.path, rule.id, rule.severity, rule.message.zh, rule.message.en)
            )
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
    compiled = form.compiled
    evaluator = make_evaluator(dict.fromkeys(form.field_map) | typed, today)
    hidden = frozenset(
        name for name, condition in compiled.relevant.items() if not condition.holds(evaluator)
    )
    required = frozenset(
        field.name
        for field, _, required_when, _, _ in compiled.field_plan
        if field.required is True or (required_when is not None and required_when.holds(evaluator))
    )
    return FieldStates(hidden, required - hidden)
