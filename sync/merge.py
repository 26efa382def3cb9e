"""Three-way merge of a record's fields, as PROTOCOL.md "Three-way merge (on the hub)" defines it.

`merge(base, mine, theirs)` compares wire-format field dicts path by path. A path is `field` or,
inside a repeat group, `group[<_row>].field`. Absent, None and an empty list all mean unanswered.

For each path: mine == base → theirs; theirs == base → mine; mine == theirs → that value;
otherwise a `PathConflict`. Values are compared as JSON values: `True` is not `1`, `1` is `1.0`.
select_multiple lists and any list that is not a repeat group are atomic values.

A repeat group (a list of objects, each with a `_row` id) is merged row by row:

- a row on both sides is merged field by field;
- a row added on one side is kept; added on both sides with the same `_row`, it is merged field
  by field against an empty row;
- a row removed on one side and unchanged on the other is removed; removed on both, removed;
- a row removed on one side and changed on the other gives one `PathConflict` per child path the
  other side changed, with the removing side's value None.

Row order follows the same rule applied to the sequence of `_row` ids: if mine kept base's order,
theirs' order; if theirs kept it, mine's order; otherwise theirs' order, then the rows added by
mine in mine's order.

`MergeResult.fields` holds no unanswered values (None and empty lists are dropped) and is
meaningful only when `conflicts` is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["MergeResult", "PathConflict", "merge"]

ROW_KEY = "_row"


@dataclass(frozen=True, slots=True)
class PathConflict:
    """One path changed to different values on both sides; unanswered values are None."""

    path: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True, slots=True)
class MergeResult:
    fields: dict[str, Any]
    conflicts: list[PathConflict]


def merge(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> MergeResult:
    """Merge two descendants of `base`; see the module docstring for the rules."""
    conflicts: list[PathConflict] = []
    fields = _merge_fields(base, mine, theirs, "", conflicts)
    return MergeResult(fields=fields, conflicts=conflicts)


def _merge_fields(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    path_prefix: str,
    conflicts: list[PathConflict],
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in dict.fromkeys([*theirs, *mine, *base]):
        if name == ROW_KEY:
            continue
        base_value = _answered(base.get(name))
        mine_value = _answered(mine.get(name))
        theirs_value = _answered(theirs.get(name))
        path = path_prefix + name
        # Repeat groups do not nest, so inside a row every value is atomic.
        if not path_prefix and _all_repeat_groups(base_value, mine_value, theirs_value):
            value = _merge_rows(base_value, mine_value, theirs_value, path, conflicts)
        else:
            value = _merge_value(base_value, mine_value, theirs_value, path, conflicts)
        if value is not None:
            merged[name] = value
    return merged


def _merge_value(
    base: Any, mine: Any, theirs: Any, path: str, conflicts: list[PathConflict]
) -> Any:
    if _same(mine, base):
        return theirs
    if _same(theirs, base) or _same(mine, theirs):
        return mine
    conflicts.append(PathConflict(path, base, mine, theirs))
    return None


def _merge_rows(
    base: list[dict[str, Any]] | None,
    mine: list[dict[str, Any]] | None,
    theirs: list[dict[str, Any]] | None,
    path: str,
    conflicts: list[PathConflict],
) -> list[dict[str, Any]] | None:
    base_rows = _rows_by_id(base)
    mine_rows = _rows_by_id(mine)
    theirs_rows = _rows_by_id(theirs)
    merged_rows: list[dict[str, Any]] = []
    for row_id in _row_order(list(base_rows), list(mine_rows), list(theirs_rows)):
        row_prefix = f"{path}[{row_id}]."
        base_row = base_rows.get(row_id)
        mine_row = mine_rows.get(row_id)
        theirs_row = theirs_rows.get(row_id)
        row: dict[str, Any] | None = None
        if mine_row is not None and theirs_row is not None:
            row = _merge_fields(base_row or {}, mine_row, theirs_row, row_prefix, conflicts)
        elif mine_row is not None:
            row = _one_sided_row(base_row, mine_row, row_prefix, conflicts, "theirs")
        elif theirs_row is not None:
            row = _one_sided_row(base_row, theirs_row, row_prefix, conflicts, "mine")
        if row is not None:
            merged_rows.append({ROW_KEY: row_id, **row})
    return merged_rows or None


def _one_sided_row(
    base_row: Mapping[str, Any] | None,
    row: Mapping[str, Any],
    row_prefix: str,
    conflicts: list[PathConflict],
    missing_on: Literal["mine", "theirs"],
) -> dict[str, Any] | None:
    """A row only one side holds: added there (kept), or removed on the other side (dropped)."""
    if base_row is None:
        return _merge_fields({}, row, row, row_prefix, conflicts)
    for name in dict.fromkeys([*row, *base_row]):
        if name == ROW_KEY:
            continue
        base_value = _answered(base_row.get(name))
        kept_value = _answered(row.get(name))
        if _same(base_value, kept_value):
            continue
        if missing_on == "mine":
            conflicts.append(PathConflict(row_prefix + name, base_value, None, kept_value))
        else:
            conflicts.append(PathConflict(row_prefix + name, base_value, kept_value, None))
    return None


def _row_order(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """Every row id, in the order the merged group keeps them (rows dropped later are skipped)."""
    if mine == base:
        first, second = theirs, base
    elif theirs == base:
        first, second = mine, base
    else:
        first, second = theirs, mine
    return list(dict.fromkeys([*first, *second, *base]))


def _rows_by_id(rows: list[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    return {row[ROW_KEY]: row for row in rows or ()}


def _answered(value: Any) -> Any:
    """None for every spelling of unanswered."""
    return None if value is None or value == [] else value


def _is_repeat_group(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get(ROW_KEY), str) for item in value
    )


def _all_repeat_groups(*values: Any) -> bool:
    answered = [value for value in values if value is not None]
    return bool(answered) and all(_is_repeat_group(value) for value in answered)


def _same(left: Any, right: Any) -> bool:
    """Equality of JSON values: booleans never equal numbers, unlike Python's `True == 1`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[key], right[key]) for key in left)
    return bool(left == right)
