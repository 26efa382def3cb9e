"""Field values and paths in words, for dialogs and print-outs: choice labels instead of codes,
yes and no, units, and repeat-group rows by number ("合作企业 第 2 行 / 统一社会信用代码").

Values may be wire values (revisions, conflicts: dates as "YYYY-MM-DD") or typed values
(the store's records: dates as datetime.date); both read the same.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.editor.inputs import display_text
from forms import FieldDef, FieldType, FormDefinition

ROW_KEY = "_row"
_ROW_PATH = re.compile(r"(?P<group>[^\[\]]+)\[(?P<row>[^\]]+)\]\.(?P<child>.+)")


@dataclass(frozen=True)
class FieldPath:
    """`field`, or `group[<row>].child` inside a repeat group."""

    name: str
    row: str | None = None
    child: str | None = None

    @classmethod
    def parse(cls, path: str) -> FieldPath:
        match = _ROW_PATH.fullmatch(path)
        if match is None:
            return cls(path)
        return cls(match["group"], match["row"], match["child"])


def field_at(form: FormDefinition, path: str) -> FieldDef | None:
    """The definition of the field a path names (the child field inside a repeat group)."""
    parsed = FieldPath.parse(path)
    field = form.field_map.get(parsed.name)
    if field is None or parsed.child is None:
        return field
    return next((child for child in field.fields if child.name == parsed.child), None)


def row_number(group: str, row_id: str, *sources: Mapping[str, Any]) -> int | None:
    """The 1-based number of a repeat row in the first of `sources` that has it."""
    for fields in sources:
        rows = fields.get(group) or ()
        for index, row in enumerate(rows):
            if isinstance(row, Mapping) and row.get(ROW_KEY) == row_id:
                return index + 1
    return None


def path_label(form: FormDefinition, path: str, lang: str, *sources: Mapping[str, Any]) -> str:
    """The words for a path; a repeat row is numbered as it stands in the first of
    `sources` holding it."""
    parsed = FieldPath.parse(path)
    field = form.field_map.get(parsed.name)
    if field is None:
        return path
    if parsed.row is None:
        return field.label.get(lang)
    child = field_at(form, path)
    number = row_number(parsed.name, parsed.row, *sources)
    row = (
        QCoreApplication.translate("values", "row {0}").format(number)
        if number is not None
        else QCoreApplication.translate("values", "a removed row")
    )
    child_label = child.label.get(lang) if child is not None else parsed.child or ""
    return f"{field.label.get(lang)} {row} / {child_label}"


def yes_no(value: bool) -> str:
    return (
        QCoreApplication.translate("values", "Yes")
        if value
        else QCoreApplication.translate("values", "No")
    )


def unanswered() -> str:
    return QCoreApplication.translate("values", "(not filled in)")


def value_text(field: FieldDef | None, value: Any, lang: str, *, unit: bool = True) -> str:
    """A value in words; "" when unanswered (the caller shows `unanswered()` if it wants)."""
    if value is None or value == [] or value == "":
        return ""
    if field is None:
        return display_text(value)
    kind = field.type
    if kind is FieldType.BOOLEAN and isinstance(value, bool):
        return yes_no(value)
    if kind is FieldType.SELECT_ONE:
        return field.choice_label(str(value), lang)
    if kind is FieldType.SELECT_MULTIPLE and isinstance(value, Sequence):
        separator = "、" if lang == "zh" else ", "
        return separator.join(field.choice_label(str(name), lang) for name in value)
    if kind is FieldType.REPEAT and isinstance(value, Sequence):
        return QCoreApplication.translate("values", "Rows: {0}").format(len(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = display_text(value)
    if unit and field.unit is not None and kind in (FieldType.INTEGER, FieldType.DECIMAL):
        return f"{text} {field.unit.get(lang)}"
    return text


def record_title(form: FormDefinition, fields: Mapping[str, Any]) -> str:
    """What names a record to a person: its first searchable text (a student's or teacher's
    name, a base's name)."""
    for field in form.fields:
        if field.searchable and fields.get(field.name):
            return str(fields[field.name])
    return ""


def local_time(moment: str | datetime.datetime | None) -> str:
    """A stored UTC time as local "YYYY-MM-DD HH:MM"."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
