"""Form definitions: the schema they must follow, and loading them.

Definitions are JSON data files so the hub can publish a new version without an app release.
A definition is read into the frozen classes below by checking every member against the schema
written out in `_read_form` and its helpers: a definition that does not fit, or whose expressions
name fields or functions that do not exist, raises DefinitionError on load, naming the member
(`fields[3].choices[0].name`) and what is wrong with it.

The schema is checked by hand rather than by pydantic: the desktop app loads definitions at
every start, and importing pydantic and building its models for them took more than half of
the start's budget (issue 6). Reading the bundled definitions this way takes a millisecond.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from forms.errors import DefinitionError, UnknownFormError
from forms.expressions import Expression

if TYPE_CHECKING:
    from forms.coerce import FormCoercions
    from forms.validate import FormChecks

_NAME = re.compile(r"[a-z][a-z0-9_]*")
FORMAT = 1


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


@dataclass(frozen=True)
class Text:
    """A user-visible string in both languages."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text


@dataclass(frozen=True, kw_only=True)
class FieldDef:
    """One question of a form. Conditions (`required` as a string, `relevant`, `check_when`) are
    expressions over the form's top-level fields."""

    name: str
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
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: Text | None = None
    choices: tuple[Choice, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    # Columns in record lists and full-text search.
    searchable: bool = False
    list_column: bool = False

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


@dataclass(frozen=True, kw_only=True)
class RuleDef:
    """A cross-field constraint: when `when` holds, `check` must hold, else an issue at `path`.

    A check whose inputs are unanswered does not apply (see forms.expressions)."""

    id: str
    path: str
    severity: Severity
    when: str | None = None
    check: str
    message: Text


@dataclass(frozen=True, kw_only=True)
class FormDefinition:
    id: str
    version: int
    title: Text
    description: Text | None = None
    fields: tuple[FieldDef, ...]
    rules: tuple[RuleDef, ...] = ()
    format: int = FORMAT

    @cached_property
    def field_map(self) -> dict[str, FieldDef]:
        return {f.name: f for f in self.fields}

    @cached_property
    def coercions(self) -> FormCoercions:
        """How coerce() converts each field, worked out once per form version."""
        from forms.coerce import FormCoercions  # forms.coerce imports this module

        return FormCoercions(self)

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
        """The definition as JSON data, members left at their default left out."""
        data = _to_json(self)
        assert isinstance(data, dict)
        return data

    @cached_property
    def compiled(self) -> CompiledExpressions:
        return CompiledExpressions(self)

    @cached_property
    def checks(self) -> FormChecks:
        """What validation checks, worked out once per form version (see forms.validate)."""
        from forms.validate import FormChecks  # forms.validate imports this module

        return FormChecks(self)


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {
            member.name: _to_json(getattr(value, member.name))
            for member in dataclasses.fields(value)
            if member.default is dataclasses.MISSING
            or getattr(value, member.name) != member.default
        }
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    if isinstance(value, StrEnum):
        return str(value)
    return value


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
        form = _read_form(data)
    except _Misfit as misfit:
        raise DefinitionError(f"form definition does not fit the schema: {misfit}") from None
    form.compiled  # noqa: B018 - compile now so a bad expression fails at load, not at use
    return form


# The schema. Each reader takes the JSON value at `where` (a path such as `fields[2].label`)
# and returns the checked value, or raises _Misfit naming the path. JSON's own types only: a
# number written as a string is refused, not converted.


class _Misfit(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)


_T = TypeVar("_T")


def _members(
    value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Misfit(where, f"must be an object, not {_json_type(value)}")
    extra = sorted(str(name) for name in value if name not in required + optional)
    if extra:
        raise _Misfit(where, f"extra members are not allowed: {', '.join(extra)}")
    for name in required:
        if name not in value:
            raise _Misfit(_at(where, name), "is required")
    return value


def _at(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Misfit(where, f"must be a string, not {_json_type(value)}")
    return value


def _name(value: Any, where: str) -> str:
    name = _string(value, where)
    if not _NAME.fullmatch(name):
        raise _Misfit(where, f"{name!r} must match {_NAME.pattern} (lower case, digits, _)")
    return name


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Misfit(where, f"must be true or false, not {_json_type(value)}")
    return value


def _integer(value: Any, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Misfit(where, f"must be a whole number, not {_json_type(value)}")
    if value < minimum:
        raise _Misfit(where, f"must be at least {minimum}, not {value}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Misfit(where, f"must be a number, not {_json_type(value)}")
    return float(value)


def _text(value: Any, where: str) -> Text:
    data = _members(value, where, ("zh", "en"), ())
    zh, en = _string(data["zh"], f"{where}.zh"), _string(data["en"], f"{where}.en")
    for language, text in (("zh", zh), ("en", en)):
        if not text:
            raise _Misfit(f"{where}.{language}", "must not be empty")
    return Text(zh=zh, en=en)


def _one_of(value: Any, where: str, kind: Callable[[str], _T], allowed: list[str]) -> _T:
    if value not in allowed:
        raise _Misfit(where, f"{value!r} is not one of {', '.join(allowed)}")
    return kind(value)


def _optional(
    data: Mapping[str, Any], name: str, where: str, read: Callable[[Any, str], _T]
) -> _T | None:
    value = data.get(name)
    return None if value is None else read(value, _at(where, name))


def _items(
    data: Mapping[str, Any], name: str, where: str, read: Callable[[Any, str], _T]
) -> tuple[_T, ...]:
    value = data.get(name, [])
    if not isinstance(value, list | tuple):
        raise _Misfit(_at(where, name), f"must be a list, not {_json_type(value)}")
    return tuple(read(item, f"{_at(where, name)}[{index}]") for index, item in enumerate(value))


def _choice(value: Any, where: str) -> Choice:
    data = _members(value, where, ("name", "label"), ())
    return Choice(
        name=_name(data["name"], f"{where}.name"), label=_text(data["label"], f"{where}.label")
    )


_FIELD_MEMBERS = tuple(member.name for member in dataclasses.fields(FieldDef))


def _field(value: Any, where: str) -> FieldDef:
    data = _members(value, where, ("name", "type", "label"), _FIELD_MEMBERS[3:])
    required = data.get("required", False)
    if not isinstance(required, bool | str):
        raise _Misfit(_at(where, "required"), "must be true, false or a condition")
    max_length = _optional(data, "max_length", where, lambda v, at: _integer(v, at, 1))
    field = FieldDef(
        name=_name(data["name"], f"{where}.name"),
        type=_one_of(data["type"], f"{where}.type", FieldType, [str(t) for t in FieldType]),
        label=_text(data["label"], f"{where}.label"),
        hint=_optional(data, "hint", where, _text),
        unit=_optional(data, "unit", where, _text),
        required=required,
        required_message=_optional(data, "required_message", where, _text),
        relevant=_optional(data, "relevant", where, _string),
        check_when=_optional(data, "check_when", where, _string),
        default=data.get("default"),
        min=_optional(data, "min", where, _number),
        max=_optional(data, "max", where, _number),
        min_exclusive=_boolean(data.get("min_exclusive", False), f"{where}.min_exclusive"),
        max_length=max_length,
        pattern=_optional(data, "pattern", where, _string),
        pattern_message=_optional(data, "pattern_message", where, _text),
        choices=_items(data, "choices", where, _choice),
        fields=_items(data, "fields", where, _field),
        searchable=_boolean(data.get("searchable", False), f"{where}.searchable"),
        list_column=_boolean(data.get("list_column", False), f"{where}.list_column"),
    )
    problem = _shape_problem(field)
    if problem is not None:
        raise _Misfit(where, f"{field.name}: {problem}")
    return field


def _shape_problem(field: FieldDef) -> str | None:
    """What is wrong with the combination of a field's members, if anything."""
    is_choice = field.type in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE)
    if is_choice and not field.choices:
        return f"a {field.type} field needs choices"
    if field.choices and not is_choice:
        return "only select fields take choices"
    if field.type is FieldType.REPEAT:
        if not field.fields:
            return "a repeat group needs fields"
        if any(f.type is FieldType.REPEAT for f in field.fields):
            return "repeat groups do not nest"
        # Conditions are over top-level fields; a row's fields are required or not.
        if any(isinstance(f.required, str) or f.relevant or f.check_when for f in field.fields):
            return "fields of a repeat group take no conditions"
    elif field.fields:
        return "only repeat groups take fields"
    if field.pattern is not None:
        try:
            re.compile(field.pattern)
        except re.error as exc:
            return f"bad pattern: {exc}"
    names = [c.name for c in field.choices] + [f.name for f in field.fields]
    if len(names) != len(set(names)):
        return "duplicate choice or field names"
    return None


def _rule(value: Any, where: str) -> RuleDef:
    data = _members(value, where, ("id", "path", "severity", "check", "message"), ("when",))
    return RuleDef(
        id=_name(data["id"], f"{where}.id"),
        path=_string(data["path"], f"{where}.path"),
        severity=_one_of(
            data["severity"], f"{where}.severity", Severity, [str(s) for s in Severity]
        ),
        when=_optional(data, "when", where, _string),
        check=_string(data["check"], f"{where}.check"),
        message=_text(data["message"], f"{where}.message"),
    )


def _read_form(value: Any) -> FormDefinition:
    data = _members(
        value, "", ("id", "version", "title", "fields"), ("description", "rules", "format")
    )
    form_id = _name(data["id"], "id")
    version = _integer(data["version"], "version", 1)
    title = _text(data["title"], "title")
    description = _optional(data, "description", "", _text)
    if data.get("format", FORMAT) != FORMAT:
        raise _Misfit("format", f"must be {FORMAT}, not {data['format']!r}")
    fields = _items(data, "fields", "", _field)
    if not fields:
        raise _Misfit("fields", "must hold at least one field")
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise _Misfit("fields", "duplicate field names")
    rules = _items(data, "rules", "", _rule)
    rule_ids = [r.id for r in rules]
    if len(rule_ids) != len(set(rule_ids)):
        raise _Misfit("rules", "duplicate rule ids")
    for index, rule in enumerate(rules):
        if rule.path.split("[")[0] not in names:
            raise _Misfit(f"rules[{index}].path", f"rule {rule.id}: {rule.path!r} is not a field")
    return FormDefinition(
        id=form_id,
        version=version,
        title=title,
        description=description,
        fields=fields,
        rules=rules,
    )


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
