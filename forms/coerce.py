"""Raw values (JSON from the wire, the UI, a spreadsheet) to typed values, or CoercionError.

Typed values: text types → str; integer → int; decimal → float; date → datetime.date;
boolean → bool; select_one → choice name; select_multiple → list of choice names;
repeat → list of dicts, each with its `_row` UUID string. Unanswered values (None, "" for text,
[] for lists) are left out of the result.
"""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Mapping
from typing import Any

from forms.definition import TEXT_TYPES, FieldDef, FieldType, FormDefinition
from forms.errors import CoercionError, Problem
from forms.messages import message


def _problem(path: str, code: str, field: FieldDef | None, **extra: object) -> Problem:
    label_zh = field.label.zh if field else path
    label_en = field.label.en if field else path
    zh, en = message(code, label_zh, label_en, **extra)
    return Problem(path, code, zh, en)


def _coerce_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _coerce_value(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> Any:
    """The typed value, or None after appending a problem (or when unanswered)."""
    kind = field.type
    if kind in TEXT_TYPES:
        if not isinstance(value, str):
            problems.append(_problem(path, "not_text", field))
            return None
        # NUL comes only from pasted binary junk, shows as nothing, and PostgreSQL text cannot
        # hold it (the hub refuses a body carrying one): dropped here, so it never reaches a push.
        return value.replace("\x00", "") or None
    if kind is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(_problem(path, "not_integer", field))
            return None
        if isinstance(value, float):
            if not value.is_integer():
                problems.append(_problem(path, "not_integer", field))
                return None
            return int(value)
        return value
    if kind is FieldType.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(_problem(path, "not_number", field))
            return None
        if not math.isfinite(value):
            problems.append(_problem(path, "not_number", field))
            return None
        return float(value)
    if kind is FieldType.DATE:
        day = _coerce_date(value)
        if day is None:
            problems.append(_problem(path, "not_date", field))
        return day
    if kind is FieldType.BOOLEAN:
        if not isinstance(value, bool):
            problems.append(_problem(path, "not_boolean", field))
            return None
        return value
    if kind is FieldType.SELECT_ONE:
        if not isinstance(value, str) or value not in field.choice_names:
            problems.append(_problem(path, "unknown_choice", field, value=_short(value)))
            return None
        return value
    if kind is FieldType.SELECT_MULTIPLE:
        if not isinstance(value, list | tuple):
            problems.append(_problem(path, "not_list", field))
            return None
        chosen: list[str] = []
        for item in value:
            if not isinstance(item, str) or item not in field.choice_names:
                problems.append(_problem(path, "unknown_choice", field, value=_short(item)))
            elif item not in chosen:
                chosen.append(item)
        return chosen or None
    return _coerce_rows(field, value, path, problems)


def _coerce_rows(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(value, list | tuple):
        problems.append(_problem(path, "not_rows", field))
        return None
    children = {child.name: child for child in field.fields}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw_row in value:
        if not isinstance(raw_row, Mapping):
            problems.append(_problem(path, "not_rows", field))
            continue
        row_id = raw_row.get("_row")
        if not _is_uuid(row_id):
            problems.append(_problem(path, "bad_row_id", field))
            continue
        assert isinstance(row_id, str)
        if row_id in seen:
            problems.append(_problem(path, "duplicate_row_id", field))
            continue
        seen.add(row_id)
        row: dict[str, Any] = {"_row": row_id}
        for name, raw in raw_row.items():
            if name == "_row":
                continue
            child_path = f"{path}[{row_id}].{name}"
            child = children.get(name) if isinstance(name, str) else None
            if child is None:
                problems.append(_problem(child_path, "unknown_field", None))
                continue
            if raw is None:
                continue
            typed = _coerce_value(child, raw, child_path, problems)
            if typed is not None:
                row[name] = typed
        rows.append(row)
    return rows or None


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _needs_a_look(value: object) -> bool:
    """A value of its field's type that still needs _coerce_value: inf/NaN, or text with NUL."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and "\x00" in value


def coerce(form: FormDefinition, fields: object) -> dict[str, Any]:
    """Typed values for `fields`, or CoercionError listing every value that does not fit."""
    if not isinstance(fields, Mapping):
        zh, en = message("not_object", "", "")
        raise CoercionError([Problem("", "not_object", zh, en)])
    problems: list[Problem] = []
    typed: dict[str, Any] = {}
    field_map = form.field_map
    exact_types = form.exact_types
    for name, raw in fields.items():
        # Values that already have their field's type (most of them) need no conversion.
        if type(raw) is exact_types.get(name) and not _needs_a_look(raw):
            if raw != "":
                typed[name] = raw
            continue
        field = field_map.get(name) if isinstance(name, str) else None
        if field is None:
            problems.append(_problem(_short(name), "unknown_field", None))
            continue
        if raw is None:
            continue
        value = _coerce_value(field, raw, name, problems)
        if value is not None:
            typed[name] = value
    if problems:
        raise CoercionError(problems)
    return typed


# Typed values that are already what JSON holds; to_wire passes them on without a look inside.
_JSON_SCALARS = frozenset({str, int, float, bool})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [v if type(v) in _JSON_SCALARS else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: v if type(v) in _JSON_SCALARS else _plain(v) for k, v in value.items()}
    return value


def to_wire(form: FormDefinition, typed: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values back to their JSON form (dates as YYYY-MM-DD)."""
    field_map = form.field_map
    return {
        name: value if type(value) in _JSON_SCALARS else _plain(value)
        for name, value in typed.items()
        if name in field_map
    }
