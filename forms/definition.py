"""Form definitions: the schema they must follow, and loading them.

Definitions are JSON data files so the hub can publish a new version without an app release.
The pydantic models below are the schema: a definition that does not fit them, or whose
expressions name fields or functions that do not exist, raises DefinitionError on load.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forms.errors import DefinitionError, UnknownFormError
from forms.expressions import Expression

_NAME = r"^[a-z][a-z0-9_]*$"


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    PHONE = "phone"
    RESIDENT_ID = "resident_id"
    USCC = "uscc"
    MAJOR_CODE = "major_code"
    REPEAT = "repeat"


TEXT_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.LONG_TEXT,
        FieldType.PHONE,
        FieldType.RESIDENT_ID,
        FieldType.USCC,
        FieldType.MAJOR_CODE,
    }
)


# Types whose answered values need no check beyond coerce() (rules may still use them).
_UNCHECKED_TYPES = frozenset(
    {FieldType.DATE, FieldType.BOOLEAN, FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A user-visible string in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


class Choice(_Strict):
    name: Annotated[str, Field(pattern=_NAME)]
    label: Text


class FieldDef(_Strict):
    """One question of a form. Conditions (`required` as a string, `relevant`, `check_when`) are
    expressions over the form's top-level fields."""

    name: Annotated[str, Field(pattern=_NAME)]
    type: FieldType
    label: Text
    hint: Text | None = None
    unit: Text | None = None
    required: bool | str = False
    required_message: Text | None = None
    relevant: str | None = None
    # For typed identifiers: check the format only when this holds (id_number is a resident ID
    # only when id_type says so).
    check_when: str | None = None
    default: Any = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_length: int | None = Field(default=None, gt=0)
    pattern: str | None = None
    pattern_message: Text | None = None
    choices: tuple[Choice, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    # Columns in record lists and full-text search.
    searchable: bool = False
    list_column: bool = False

    @model_validator(mode="after")
    def _check_shape(self) -> FieldDef:
        is_choice = self.type in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE)
        if is_choice and not self.choices:
            raise ValueError(f"{self.name}: a {self.type} field needs choices")
        if self.choices and not is_choice:
            raise ValueError(f"{self.name}: only select fields take choices")
        if self.type is FieldType.REPEAT:
            if not self.fields:
                raise ValueError(f"{self.name}: a repeat group needs fields")
            if any(f.type is FieldType.REPEAT for f in self.fields):
                raise ValueError(f"{self.name}: repeat groups do not nest")
            # Conditions are over top-level fields; a row's fields are required or not.
            if any(isinstance(f.required, str) or f.relevant or f.check_when for f in self.fields):
                raise ValueError(f"{self.name}: fields of a repeat group take no conditions")
        elif self.fields:
            raise ValueError(f"{self.name}: only repeat groups take fields")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"{self.name}: bad pattern: {exc}") from exc
        names = [c.name for c in self.choices] + [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate choice or field names")
        return self

    def choice_label(self, name: str, lang: str = "zh") -> str:
        for choice in self.choices:
            if choice.name == name:
                return choice.label.get(lang)
        return name

    @cached_property
    def choice_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.choices)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class RuleDef(_Strict):
    """A cross-field constraint: when `when` holds, `check` must hold, else an issue at `path`.

    A check whose inputs are unanswered does not apply (see forms.expressions)."""

    id: Annotated[str, Field(pattern=_NAME)]
    path: str
    severity: Severity
    when: str | None = None
    check: str
    message: Text


class FormDefinition(_Strict):
    id: Annotated[str, Field(pattern=_NAME)]
    version: int = Field(ge=1)
    title: Text
    description: Text | None = None
    fields: tuple[FieldDef, ...] = Field(min_length=1)
    rules: tuple[RuleDef, ...] = ()
    format: Literal[1] = 1

    @model_validator(mode="after")
    def _check_names(self) -> FormDefinition:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError("duplicate field names")
        rule_ids = [r.id for r in self.rules]
        if len(rule_ids) != len(set(rule_ids)):
            raise ValueError("duplicate rule ids")
        for rule in self.rules:
            if rule.path.split("[")[0] not in names:
                raise ValueError(f"rule {rule.id}: path {rule.path!r} is not a field")
        return self

    @cached_property
    def field_map(self) -> dict[str, FieldDef]:
        return {f.name: f for f in self.fields}

    @cached_property
    def exact_types(self) -> dict[str, type]:
        """The Python type each field's typed value has, for fields where a value of exactly
        that type needs no conversion (coerce() takes it as it is)."""
        exact = {
            FieldType.INTEGER: int,
            FieldType.DECIMAL: float,
            FieldType.BOOLEAN: bool,
            **dict.fromkeys(TEXT_TYPES, str),
        }
        return {f.name: exact[f.type] for f in self.fields if f.type in exact}

    def field(self, name: str) -> FieldDef:
        return self.field_map[name]

    def label(self, path: str, lang: str = "zh") -> str:
        """The label of a path such as `partners[<row>].uscc`, for messages."""
        top, _, rest = path.partition("[")
        field = self.field_map.get(top)
        if field is None:
            return path
        if rest and "]." in rest:
            child_name = rest.split("].", 1)[1]
            for child in field.fields:
                if child.name == child_name:
                    return f"{field.label.get(lang)} / {child.label.get(lang)}"
        return field.label.get(lang)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)

    @cached_property
    def compiled(self) -> CompiledExpressions:
        return CompiledExpressions(self)


class CompiledExpressions:
    """Every expression of one form version, parsed once and checked against the field names."""

    def __init__(self, form: FormDefinition) -> None:
        names = frozenset(form.field_map)

        def compile_(source: str, where: str) -> Expression:
            try:
                return Expression(source, names)
            except ValueError as exc:
                raise DefinitionError(f"{form.id} v{form.version}: {where}: {exc}") from exc

        self.required: dict[str, Expression] = {}
        self.relevant: dict[str, Expression] = {}
        self.check_when: dict[str, Expression] = {}
        for f in form.fields:
            if isinstance(f.required, str):
                self.required[f.name] = compile_(f.required, f"{f.name}.required")
            if f.relevant is not None:
                self.relevant[f.name] = compile_(f.relevant, f"{f.name}.relevant")
            if f.check_when is not None:
                self.check_when[f.name] = compile_(f.check_when, f"{f.name}.check_when")
        # Per field, in order: (field, relevant, required-when, check-when, whether an answer
        # needs checks beyond coerce()), read once per record.
        self.field_plan = [
            (
                f,
                self.relevant.get(f.name),
                self.required.get(f.name),
                self.check_when.get(f.name),
                f.type not in _UNCHECKED_TYPES,
            )
            for f in form.fields
        ]
        self.rule_when: dict[str, Expression] = {}
        self.rule_check: dict[str, Expression] = {}
        for rule in form.rules:
            if rule.when is not None:
                self.rule_when[rule.id] = compile_(rule.when, f"rule {rule.id}.when")
            self.rule_check[rule.id] = compile_(rule.check, f"rule {rule.id}.check")


def load_definition(source: dict[str, Any] | str | Path) -> FormDefinition:
    """A definition from a dict, a JSON string or a path to a JSON file, checked and compiled."""
    try:
        if isinstance(source, Path):
            data: Any = json.loads(source.read_text(encoding="utf-8"))
        elif isinstance(source, str):
            data = json.loads(source)
        else:
            data = source
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DefinitionError(f"cannot read form definition as JSON: {exc}") from exc
    try:
        form = FormDefinition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(f"form definition does not fit the schema: {exc}") from exc
    form.compiled  # noqa: B018 - compile now so a bad expression fails at load, not at use
    return form


def bundled_definitions() -> dict[str, FormDefinition]:
    """The definitions shipped with the app, by form id."""
    forms: dict[str, FormDefinition] = {}
    for entry in resources.files("forms.definitions").iterdir():
        if entry.name.endswith(".json"):
            form = load_definition(entry.read_text(encoding="utf-8"))
            forms[form.id] = form
    return forms


class FormRegistry:
    """Every loaded version of every form; the newest version of each is the default."""

    def __init__(self, definitions: list[FormDefinition] | None = None) -> None:
        self._by_key: dict[tuple[str, int], FormDefinition] = {}
        for form in definitions if definitions is not None else bundled_definitions().values():
            self.add(form)

    def add(self, form: FormDefinition) -> None:
        self._by_key[(form.id, form.version)] = form

    def get(self, form_id: str, version: int | None = None) -> FormDefinition:
        if version is not None:
            try:
                return self._by_key[(form_id, version)]
            except KeyError:
                raise UnknownFormError(form_id, version) from None
        versions = [v for (fid, v) in self._by_key if fid == form_id]
        if not versions:
            raise UnknownFormError(form_id)
        return self._by_key[(form_id, max(versions))]

    def latest(self) -> list[FormDefinition]:
        return [self.get(form_id) for form_id in sorted({fid for fid, _ in self._by_key})]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key or any(fid == key for fid, _ in self._by_key)
