"""Raw values (JSON from the wire, the UI, a spreadsheet) to typed values, or CoercionError.

Typed values: text types → str; integer → int; decimal → float; date → datetime.date;
boolean → bool; select_one → choice name; select_multiple → list of choice names;
repeat → list of dicts, each with its `_row` UUID string. Unanswered values (None, "" for text,
[] for lists) are left out of the result.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

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


def _to_text(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> str | None:
    if not isinstance(value, str):
        problems.append(_problem(path, "not_text", field))
        return None
    # NUL comes only from pasted binary junk, shows as nothing, and PostgreSQL text cannot
    # hold it (the hub refuses a body carrying one): dropped here, so it never reaches a push.
    return value.replace("\x00", "") or None


# The largest whole numbers every reader of the records holds exactly: JSON readers that use
# doubles (2^53 - 1), and SQLite, whose INTEGER is 64 bits (a larger one raised OverflowError
# when a pulled page was stored, and stopped every pull at that page).
MAX_INTEGER = 2**53 - 1


def _to_integer(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(_problem(path, "not_integer", field))
        return None
    if isinstance(value, float):
        if not value.is_integer():
            problems.append(_problem(path, "not_integer", field))
            return None
        value = int(value)
    whole: int = value
    if not -MAX_INTEGER <= whole <= MAX_INTEGER:
        problems.append(_problem(path, "integer_too_large", field))
        return None
    return whole


def _to_decimal(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(_problem(path, "not_number", field))
        return None
    try:
        number = float(value)
    except OverflowError:  # a whole number of more than 308 digits
        number = math.inf
    if not math.isfinite(number):
        problems.append(_problem(path, "not_number", field))
        return None
    return number


def _to_date(
    field: FieldDef, value: Any, path: str, problems: list[Problem]
) -> datetime.date | None:
    day = _coerce_date(value)
    if day is None:
        problems.append(_problem(path, "not_date", field))
    return day


def _to_boolean(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> bool | None:
    if not isinstance(value, bool):
        problems.append(_problem(path, "not_boolean", field))
        return None
    return value


def _to_choice(field: FieldDef, value: Any, path: str, problems: list[Problem]) -> str | None:
    if not isinstance(value, str) or value not in field.choice_names:
        problems.append(_problem(path, "unknown_choice", field, value=_short(value)))
        return None
    return value


def _to_choices(
    field: FieldDef, value: Any, path: str, problems: list[Problem]
) -> list[str] | None:
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


# A converter: (field, raw value, path, problems) → the typed value, or None after appending a
# problem (or when unanswered).
Converter = Callable[[FieldDef, Any, str, list[Problem]], Any]

_CONVERTERS: dict[FieldType, Converter] = {
    **dict.fromkeys(TEXT_TYPES, _to_text),
    FieldType.INTEGER: _to_integer,
    FieldType.DECIMAL: _to_decimal,
    FieldType.DATE: _to_date,
    FieldType.BOOLEAN: _to_boolean,
    FieldType.SELECT_ONE: _to_choice,
    FieldType.SELECT_MULTIPLE: _to_choices,
}

# The Python type a field's typed value has, for types where a raw value of exactly that type
# (most of them) is taken as it is, unless it is inf/NaN, text with NUL, or not a choice.
_EXACT_TYPES: dict[FieldType, type] = {
    FieldType.INTEGER: int,
    FieldType.DECIMAL: float,
    FieldType.BOOLEAN: bool,
    FieldType.SELECT_ONE: str,
    **dict.fromkeys(TEXT_TYPES, str),
}

# Per field name: (the exact type of its typed value or None, the choices of a select_one field
# or None, its converter, the field).
FieldCoercions = dict[str, tuple[type[Any] | None, frozenset[str] | None, Converter, FieldDef]]


def _field_coercions(fields: tuple[FieldDef, ...]) -> FieldCoercions:
    return {
        f.name: (
            _EXACT_TYPES.get(f.type),
            f.choice_names if f.type is FieldType.SELECT_ONE else None,
            _CONVERTERS.get(f.type) or _rows_converter(_field_coercions(f.fields)),
            f,
        )
        for f in fields
    }


class FormCoercions:
    """How coerce() converts each field of one form version, worked out once."""

    def __init__(self, form: FormDefinition) -> None:
        self.fields = _field_coercions(form.fields)


def _rows_converter(children: FieldCoercions) -> Converter:
    """The converter of a repeat group whose fields convert as `children` say."""

    def convert(
        field: FieldDef, value: Any, path: str, problems: list[Problem]
    ) -> list[dict[str, Any]] | None:
        if type(value) is not list and not isinstance(value, list | tuple):
            problems.append(_problem(path, "not_rows", field))
            return None
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        for raw_row in value:
            if type(raw_row) is not dict and not isinstance(raw_row, Mapping):
                problems.append(_problem(path, "not_rows", field))
                continue
            row_id = raw_row.get("_row")
            if not _is_uuid(row_id):
                problems.append(_problem(path, "bad_row_id", field))
                continue
            if row_id in seen:
                problems.append(_problem(path, "duplicate_row_id", field))
                continue
            seen.add(row_id)
            row: dict[str, Any] = {"_row": row_id}
            _coerce_values(children, raw_row, f"{path}[{row_id}].", row, problems)
            rows.append(row)
        return rows or None

    return convert


# How str(uuid.UUID(...)) writes one; other spellings uuid.UUID() takes go to uuid.UUID().
_CANONICAL_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def _is_uuid(value: object) -> TypeGuard[str]:
    if type(value) is str and _CANONICAL_UUID.fullmatch(value):
        return True
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


def _coerce_values(
    coercions: FieldCoercions,
    values: Mapping[Any, Any],
    prefix: str,
    typed: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Typed `values` into `typed`, problems into `problems`: the fields of a form (prefix "")
    or of one row of a repeat group (prefix `group[row id].`, where `_row` is no field)."""
    value: Any
    for name, value in values.items():
        coercion = coercions.get(name) if isinstance(name, str) else None
        if coercion is None:
            if not prefix:
                problems.append(_problem(_short(name), "unknown_field", None))
            elif name != "_row":
                problems.append(_problem(f"{prefix}{name}", "unknown_field", None))
            continue
        exact, choices, convert, field = coercion
        # Values that already have their field's type (most of them) need no conversion.
        if type(value) is exact:
            if choices is not None:
                if value in choices:
                    typed[name] = value
                    continue
            elif exact is str:
                if "\x00" not in value:
                    if value:
                        typed[name] = value
                    continue
            elif exact is float:
                if math.isfinite(value):
                    typed[name] = value
                    continue
            elif exact is not int or -MAX_INTEGER <= value <= MAX_INTEGER:
                typed[name] = value
                continue
        elif exact is float and type(value) is int and -1e308 < value < 1e308:
            typed[name] = float(value)  # a decimal written as a whole number, as JSON does
            continue
        elif (
            convert is _to_date
            and type(value) is str
            and len(value) == 10
            and value[4] == "-"
            and value[7] == "-"
        ):
            # A date as JSON holds it: _coerce_date's reading, without its two calls.
            try:
                typed[name] = datetime.date.fromisoformat(value)
                continue
            except ValueError:
                pass  # not a day: _to_date says so below
        if value is None:
            continue
        converted = convert(field, value, prefix + name, problems)
        if converted is not None:
            typed[name] = converted


def coerce(form: FormDefinition, fields: object) -> dict[str, Any]:
    """Typed values for `fields`, or CoercionError listing every value that does not fit."""
    if not isinstance(fields, Mapping):
        zh, en = message("not_object", "", "")
        raise CoercionError([Problem("", "not_object", zh, en)])
    problems: list[Problem] = []
    typed: dict[str, Any] = {}
    _coerce_values(form.coercions.fields, fields, "", typed, problems)
    if problems:
        raise CoercionError(problems)
    return typed


# Typed values that are already what JSON holds; to_wire passes them on without a look inside.
_JSON_SCALARS = frozenset({str, int, float, bool})


def _plain(value: Any) -> Any:
    # Rows and lists first: most values that reach here are those (nothing is both a list or
    # dict and a date).
    if isinstance(value, dict):
        return {k: v if type(v) in _JSON_SCALARS else _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _JSON_SCALARS else _plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_wire(form: FormDefinition, typed: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values back to their JSON form (dates as YYYY-MM-DD)."""
    field_map = form.field_map
    return {
        name: value if type(value) in _JSON_SCALARS else _plain(value)
        for name, value in typed.items()
        if name in field_map
    }
