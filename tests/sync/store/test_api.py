"""The public API is what `sync.store.__all__` says, and all of it exists."""

from __future__ import annotations

import sync.store


def test_all_names_exist_and_nothing_public_is_left_out() -> None:
    exported = set(sync.store.__all__)
    assert all(hasattr(sync.store, name) for name in exported)
    public = {
        name
        for name, value in vars(sync.store).items()
        if not name.startswith("_") and not isinstance(value, type(sync.store))
    }
    assert public == exported
