import types

import forms


def test_public_api_is_exactly_all() -> None:
    public = {
        name
        for name in dir(forms)
        if not name.startswith("_") and not isinstance(getattr(forms, name), types.ModuleType)
    }
    assert public == set(forms.__all__)


def test_every_exception_derives_from_form_error() -> None:
    for name in ("DefinitionError", "UnknownFormError", "CoercionError"):
        assert issubclass(getattr(forms, name), forms.FormError)
