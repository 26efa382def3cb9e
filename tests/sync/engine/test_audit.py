"""Exports noted in a machine's audit log reach the hub's audit with the next pass, once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from sync.excel import export_workbook
from sync.hub import schema
from tests.sync.engine.conftest import Device, LiveHub


def _hub_exports(live_hub: LiveHub) -> list[dict[str, object]]:
    with live_hub.hub.db.read() as connection:
        rows = connection.execute(
            select(schema.audit).where(schema.audit.c.action == "client_export")
        ).all()
    return [{"username": row.username, **json.loads(row.detail)} for row in rows]


def test_an_export_with_id_numbers_reaches_the_hub_audit_once(
    devices: Callable[..., Device], live_hub: LiveHub, tmp_path: Path
) -> None:
    county = devices("county")
    assert county.engine.sync().ok
    export_workbook(county.store, tmp_path / "a.xlsx", include_id_numbers=True, user="county")
    export_workbook(county.store, tmp_path / "b.xlsx", user="county")
    assert county.engine.sync().ok
    exports = _hub_exports(live_hub)
    assert [(e["username"], e["file"], e["id_numbers"]) for e in exports] == [
        ("county", "a.xlsx", True),
        ("county", "b.xlsx", False),
    ]
    assert county.engine.sync().ok
    assert len(_hub_exports(live_hub)) == 2
