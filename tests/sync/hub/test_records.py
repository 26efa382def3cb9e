"""A record's values as the hub stores and sends them."""

from __future__ import annotations

from typing import Any

from hypothesis import given, strategies as st

import forms
from sync.hub.records import dumps, typed_fields_json
from tests.forms.test_fuzz import typed_records


@given(typed_records(), st.sampled_from(["", "\ud800", "é\x00"]))
def test_values_are_written_from_their_typed_form_as_from_their_wire_form(
    record: tuple[forms.FormDefinition, dict[str, Any]], odd_text: str
) -> None:
    form, fields = record
    text_fields = [f.name for f in form.fields if f.type in forms.definition.TEXT_TYPES]
    if odd_text and text_fields:
        fields = {**fields, text_fields[0]: odd_text}  # a lone surrogate: the other encoder
    try:
        typed = forms.coerce(form, fields)
    except forms.CoercionError:
        return
    text, utf8 = typed_fields_json(form, typed)
    assert text == dumps(forms.to_wire(form, typed))
    # The UTF-8 the answer copies is that text's, and is missing only where text has none.
    if utf8 is None:
        assert "\ud800" in text
    else:
        assert utf8 == text.encode()
