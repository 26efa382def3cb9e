"""The county workspace: review, consolidation dashboard, duplicates and Excel."""

from __future__ import annotations

from sync.store import SyncState


def is_county_user(state: SyncState) -> bool:
    """A county reviewer (or an admin) signed in: the hub made the user's org the county itself.
    A school user's org is the school, under its county."""
    return bool(state.org) and state.org == state.county
