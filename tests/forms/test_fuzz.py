"""Whatever arrives, coerce and validate raise only their documented errors."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from hypothesis import given, strategies as st

import forms
from forms.definition import FieldDef, FieldType
from tests.forms.conftest import TODAY

REGISTRY = forms.FormRegistry()
FORMS = REGISTRY.latest()

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
junk = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
row_ids = st.uuids().map(str)


def value_of(field: FieldDef) -> st.SearchStrategy[Any]:
    """Plausible values of the right type, with out-of-range and malformed ones mixed in."""
    kind = field.type
    if kind is FieldType.INTEGER:
        return st.integers(min_value=-(10**12), max_value=10**12)
    if kind is FieldType.DECIMAL:
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers()
    if kind is FieldType.DATE:
        return st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat) | st.text(
            max_size=12
        )
    if kind is FieldType.BOOLEAN:
        return st.booleans()
    if kind is FieldType.SELECT_ONE:
        return st.sampled_from([c.name for c in field.choices])
    if kind is FieldType.SELECT_MULTIPLE:
        return st.lists(st.sampled_from([c.name for c in field.choices]), max_size=4)
    if kind is FieldType.REPEAT:
        row = st.fixed_dictionaries(
            {"_row": row_ids}, optional={c.name: value_of(c) for c in field.fields}
        )
        return st.lists(row, max_size=3)
    return st.text(max_size=120) | st.from_regex(r"\d{17}[\dX]", fullmatch=True)


@st.composite
def typed_records(draw: st.DrawFn) -> tuple[forms.FormDefinition, dict[str, Any]]:
    form = draw(st.sampled_from(FORMS))
    fields = draw(st.fixed_dictionaries({}, optional={f.name: value_of(f) for f in form.fields}))
    return form, fields


@st.composite
def junk_records(draw: st.DrawFn) -> tuple[forms.FormDefinition, Any]:
    form = draw(st.sampled_from(FORMS))
    names = st.sampled_from([f.name for f in form.fields]) | st.text(max_size=10)
    fields = draw(st.dictionaries(names, junk, max_size=8) | junk)
    return form, fields


@given(typed_records())
def test_values_of_the_right_type_validate_without_raising(
    record: tuple[forms.FormDefinition, dict[str, Any]],
) -> None:
    form, fields = record
    try:
        issues = forms.validate(form, fields, today=TODAY)
    except forms.CoercionError as exc:
        assert exc.problems
        assert all(p.message_zh and p.message_en for p in exc.problems)
        return
    for issue in issues:
        assert issue.severity in ("error", "warning")
        assert issue.message_zh and issue.message_en
        assert issue.path.split("[")[0] in form.field_map


@given(junk_records())
def test_junk_raises_only_coercion_error(record: tuple[forms.FormDefinition, Any]) -> None:
    form, fields = record
    try:
        forms.validate(form, fields, today=TODAY)
    except forms.CoercionError as exc:
        assert all(p.message_zh and p.message_en for p in exc.problems)


@given(st.dictionaries(st.text(max_size=10), junk, max_size=6) | junk)
def test_junk_definitions_raise_only_definition_error(source: Any) -> None:
    with contextlib.suppress(forms.DefinitionError):
        forms.load_definition(source)


@given(typed_records())
def test_a_rule_is_broken_where_its_condition_holds_and_its_check_is_false(
    record: tuple[forms.FormDefinition, dict[str, Any]],
) -> None:
    form, fields = record
    try:
        typed = forms.coerce(form, fields)
    except forms.CoercionError:
        return
    compiled = form.compiled
    expected = [
        rule.id
        for rule in form.rules
        if (
            rule.id not in compiled.rule_when or compiled.rule_when[rule.id].holds_for(typed, TODAY)
        )
        and compiled.rule_check[rule.id].holds_for(typed, TODAY) is False
    ]
    rule_ids = {rule.id for rule in form.rules}
    issues = forms.issues_of_typed(form, typed, TODAY)
    assert [issue.code for issue in issues if issue.code in rule_ids] == expected
