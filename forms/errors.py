"""The errors the forms engine raises, and nothing else.

    FormError                 base of everything below
    ├── DefinitionError       a form definition is malformed (bad schema, unknown name in a rule)
    ├── UnknownFormError      no definition with that id (or version) is loaded
    └── CoercionError         raw values do not fit the definition; `.problems` lists each one

The hub turns CoercionError into the protocol's `invalid` outcome; the desktop shows its
messages beside the fields.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One value that could not be coerced: where, why, and what to do, in both languages."""

    path: str
    code: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


class FormError(Exception):
    """Base class of every error raised by `forms`."""


class DefinitionError(FormError):
    """A form definition does not match the schema or refers to something that does not exist."""


class UnknownFormError(FormError):
    """No loaded definition has this form id or version."""

    def __init__(self, form_id: str, version: int | None = None) -> None:
        self.form_id = form_id
        self.version = version
        what = form_id if version is None else f"{form_id} v{version}"
        super().__init__(f"unknown form: {what}")


class CoercionError(FormError):
    """Raw values that do not fit the definition. `problems` holds every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first.path}: {first.message_en}{more}")
