"""Columns of a form's sheets: headers in both languages and the conversion of each value
between the store's columns, the spreadsheet's cells and the forms engine's wire values.

A sheet of a form has the record columns (`RECORD_COLUMNS`) and then one column per top-level
field that is not a repeat group; each repeat group has its own sheet whose first column is the
record key. Cells hold what people read: choice labels, 是/否, real dates, numbers.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms import FieldDef, FieldType, FormDefinition, mask_id_number

# Excel's limits: 31 characters in a sheet name, none of these in it.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
# The column linking a record to the rows of its repeat groups; an export puts the record id in
# it, a filled template any text unique in the sheet.
RECORD_KEY = ("记录编号", "Record ID")
# The record columns of an export, after the key: read back by nobody (an import makes drafts).
RECORD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("_org", "学校代码", "School code"),
    ("_status", "状态", "Status"),
    ("_updated_at", "更新时间", "Updated at"),
    ("_updated_by", "更新人", "Updated by"),
)
YES = ("是", "Yes")
NO = ("否", "No")
_TRUE_WORDS = frozenset({"是", "yes", "y", "true", "1", "对", "√"})
_FALSE_WORDS = frozenset({"否", "no", "n", "false", "0", "×"})
_LIST_SEPARATORS = re.compile(r"[、;；\n]")
_LIST_JOIN = {"zh": "、", "en": "; "}


def language(lang: str) -> str:
    return "en" if lang.startswith("en") else "zh"


def header_key(text: object) -> str:
    """A header as compared on import: full-width as half-width, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def sheet_name(*parts: str) -> str:
    """A valid, at most 31-character sheet name from its parts."""
    name = _SHEET_NAME_FORBIDDEN.sub("_", "-".join(parts)).strip("'")
    return name[:MAX_SHEET_NAME]


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Chinese characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class CellError(ValueError):
    """A cell that cannot be read as its field's value; `code` is a forms.messages code."""

    def __init__(self, code: str, value: object = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value


@dataclass(frozen=True)
class Column:
    """One field's column in one language."""

    field: FieldDef
    lang: str

    @property
    def header(self) -> str:
        return self.field.label.get(self.lang)

    def exporter(self, reveal_ids: bool) -> Callable[[Any], Any] | None:
        """The conversion of a stored value to a cell, or None when the value goes as it is."""
        kind = self.field.type
        lang = self.lang
        if kind is FieldType.DATE:
            return _stored_date
        if kind is FieldType.BOOLEAN:
            yes, no = YES[lang == "en"], NO[lang == "en"]
            return lambda v: None if v is None else (yes if v else no)
        if kind is FieldType.SELECT_ONE:
            labels = {c.name: c.label.get(lang) for c in self.field.choices}
            return lambda v: None if v is None else labels.get(v, v)
        if kind is FieldType.SELECT_MULTIPLE:
            labels = {c.name: c.label.get(lang) for c in self.field.choices}
            join = _LIST_JOIN[lang].join
            return lambda v: None if v is None else join(labels.get(n, n) for n in json.loads(v))
        if kind is FieldType.RESIDENT_ID and not reveal_ids:
            return lambda v: None if v is None else mask_id_number(v)
        return None

    def importer(self) -> Callable[[Any], Any]:
        """The conversion of a cell to a wire value (None when empty); raises CellError."""
        kind = self.field.type
        if kind is FieldType.DATE:
            return _cell_date
        if kind is FieldType.BOOLEAN:
            return _cell_boolean
        if kind is FieldType.INTEGER:
            return _cell_integer
        if kind is FieldType.DECIMAL:
            return _cell_number
        if kind in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE):
            names = {header_key(c.name): c.name for c in self.field.choices}
            for option in self.field.choices:
                names[header_key(option.label.zh)] = option.name
                names[header_key(option.label.en)] = option.name

            def choice(text: str) -> str:
                found = names.get(header_key(text))
                if found is None:
                    raise CellError("unknown_choice", text)
                return found

            if kind is FieldType.SELECT_ONE:
                return lambda v: None if _blank(v) else choice(str(v).strip())

            def choices(value: Any) -> list[str] | None:
                if _blank(value):
                    return None
                parts = [p.strip() for p in _LIST_SEPARATORS.split(str(value))]
                return [choice(p) for p in parts if p]

            return choices
        return _cell_text

    def choice_labels(self) -> list[str]:
        return [c.label.get(self.lang) for c in self.field.choices]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _stored_date(value: Any) -> Any:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value  # not a date in the store: shown as it is


def _cell_date(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time():
            raise CellError("not_date", value)
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        for separator in ("/", ".", "年", "月"):
            text = text.replace(separator, "-")
        text = text.removesuffix("日").removesuffix("-")
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return datetime.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
            except ValueError:
                pass
    raise CellError("not_date", value)


def _cell_boolean(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = header_key(value)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise CellError("not_boolean", value)


def _number(value: Any, code: str) -> float:
    if isinstance(value, bool):
        raise CellError(code, value)
    if isinstance(value, int | float):
        return float(value)
    try:
        number = float(unicodedata.normalize("NFKC", str(value)).replace(",", "").strip())
    except ValueError:
        raise CellError(code, value) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(code, value)
    return number


def _cell_integer(value: Any) -> int | None:
    if _blank(value):
        return None
    number = _number(value, "not_integer")
    if not number.is_integer():
        raise CellError("not_integer", value)
    return int(number)


def _cell_number(value: Any) -> float | None:
    return None if _blank(value) else _number(value, "not_number")


def _cell_text(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 460103.0 is "460103"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class FormColumns:
    """The sheets of one form in one language: the main sheet's field columns and, per repeat
    group, its sheet name and columns."""

    form: FormDefinition
    lang: str

    @property
    def title(self) -> str:
        return self.form.title.get(self.lang)

    @property
    def sheet(self) -> str:
        return sheet_name(self.title)

    @property
    def scalars(self) -> list[Column]:
        return [Column(f, self.lang) for f in self.form.fields if f.type is not FieldType.REPEAT]

    @property
    def groups(self) -> list[FieldDef]:
        return [f for f in self.form.fields if f.type is FieldType.REPEAT]

    def group_sheet(self, group: FieldDef, lang: str | None = None) -> str:
        lang = lang or self.lang
        return sheet_name(self.form.title.get(lang), group.label.get(lang))

    def group_columns(self, group: FieldDef) -> list[Column]:
        return [Column(f, self.lang) for f in group.fields]

    @property
    def key_header(self) -> str:
        return RECORD_KEY[self.lang == "en"]
