"""The three-way merge of PROTOCOL.md: each row of the rule, then properties of generated fields."""

from __future__ import annotations

from typing import Any

from hypothesis import given, strategies as st

from sync.merge import MergeResult, PathConflict, merge

R1 = "00000000-0000-4000-8000-000000000001"
R2 = "00000000-0000-4000-8000-000000000002"
R3 = "00000000-0000-4000-8000-000000000003"
R4 = "00000000-0000-4000-8000-000000000004"


def row(row_id: str, **values: Any) -> dict[str, Any]:
    return {"_row": row_id, **values}


def clean(fields: dict[str, Any]) -> MergeResult:
    return MergeResult(fields=fields, conflicts=[])


# Scalar paths


def test_mine_unchanged_takes_theirs() -> None:
    assert merge({"a": 1, "b": "x"}, {"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == clean(
        {"a": 2, "b": "x"}
    )


def test_theirs_unchanged_takes_mine() -> None:
    assert merge({"a": 1}, {"a": 2}, {"a": 1}) == clean({"a": 2})


def test_same_change_on_both_sides_is_taken_without_conflict() -> None:
    assert merge({"a": 1}, {"a": 3}, {"a": 3}) == clean({"a": 3})


def test_different_changes_conflict_on_that_path_only() -> None:
    result = merge({"a": 1, "b": 1}, {"a": 2, "b": 5}, {"a": 3, "b": 1})
    assert result.conflicts == [PathConflict("a", 1, 2, 3)]


def test_disjoint_changes_merge() -> None:
    assert merge({"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 2}) == clean({"a": 2, "b": 2})


def test_absent_none_and_empty_list_are_the_same_unanswered_value() -> None:
    assert merge({"tags": []}, {"tags": None}, {"tags": ["x"]}) == clean({"tags": ["x"]})
    assert merge({}, {"a": None}, {"a": []}) == clean({})


def test_a_cleared_value_is_dropped_from_the_fields() -> None:
    assert merge({"a": 1, "b": 2}, {"a": None, "b": 2}, {"a": 1}) == clean({})


def test_clearing_against_a_change_conflicts_with_none() -> None:
    assert merge({"a": 1}, {}, {"a": 2}).conflicts == [PathConflict("a", 1, None, 2)]


def test_booleans_are_not_numbers() -> None:
    assert merge({"a": 1}, {"a": True}, {"a": 2}).conflicts == [PathConflict("a", 1, True, 2)]


def test_integer_and_decimal_spelling_of_one_number_are_equal() -> None:
    assert merge({"a": 1}, {"a": 1.0}, {"a": 2}) == clean({"a": 2})


def test_select_multiple_is_atomic() -> None:
    result = merge({"tags": ["a"]}, {"tags": ["a", "b"]}, {"tags": ["a", "c"]})
    assert result.conflicts == [PathConflict("tags", ["a"], ["a", "b"], ["a", "c"])]


# Repeat groups


def test_changes_to_different_fields_of_one_row_merge() -> None:
    base = {"people": [row(R1, name="张三", age=30)]}
    mine = {"people": [row(R1, name="张三丰", age=30)]}
    theirs = {"people": [row(R1, name="张三", age=31)]}
    assert merge(base, mine, theirs) == clean({"people": [row(R1, name="张三丰", age=31)]})


def test_conflicting_change_inside_a_row_names_the_row_path() -> None:
    base = {"people": [row(R1, age=30), row(R2, age=40)]}
    mine = {"people": [row(R1, age=31), row(R2, age=40)]}
    theirs = {"people": [row(R1, age=32), row(R2, age=41)]}
    assert merge(base, mine, theirs).conflicts == [PathConflict(f"people[{R1}].age", 30, 31, 32)]


def test_rows_added_on_either_side_are_kept_theirs_first() -> None:
    base = {"people": [row(R1, age=30)]}
    mine = {"people": [row(R1, age=30), row(R2, age=20)]}
    theirs = {"people": [row(R3, age=50), row(R1, age=30)]}
    assert merge(base, mine, theirs) == clean(
        {"people": [row(R3, age=50), row(R1, age=30), row(R2, age=20)]}
    )


def test_row_added_to_an_absent_group() -> None:
    assert merge({}, {"people": [row(R1, age=1)]}, {}) == clean({"people": [row(R1, age=1)]})


def test_row_removed_on_one_side_and_unchanged_on_the_other_is_removed() -> None:
    base = {"people": [row(R1, age=30), row(R2, age=40)]}
    kept_one = {"people": [row(R2, age=40)]}
    assert merge(base, kept_one, base) == clean(kept_one)
    assert merge(base, base, kept_one) == clean(kept_one)


def test_row_removed_on_both_sides_is_removed() -> None:
    base = {"people": [row(R1, age=30), row(R2, age=40)]}
    mine = {"people": [row(R2, age=41)]}
    theirs = {"people": [row(R2, age=40)]}
    assert merge(base, mine, theirs) == clean({"people": [row(R2, age=41)]})


def test_removing_every_row_drops_the_group() -> None:
    base = {"people": [row(R1, age=30)], "a": 1}
    assert merge(base, {"a": 1}, base) == clean({"a": 1})
    assert merge(base, base, {"people": [], "a": 1}) == clean({"a": 1})


def test_row_removed_on_mine_and_changed_on_theirs_conflicts_per_changed_path() -> None:
    base = {"people": [row(R1, name="张三", age=30, note="x")]}
    mine: dict[str, Any] = {"people": []}
    theirs = {"people": [row(R1, name="张三", age=31, phone="13800000000")]}
    assert merge(base, mine, theirs).conflicts == [
        PathConflict(f"people[{R1}].age", 30, None, 31),
        PathConflict(f"people[{R1}].phone", None, None, "13800000000"),
        PathConflict(f"people[{R1}].note", "x", None, None),
    ]


def test_row_removed_on_theirs_and_changed_on_mine_conflicts_with_theirs_none() -> None:
    base = {"people": [row(R1, age=30)]}
    mine = {"people": [row(R1, age=31)]}
    assert merge(base, mine, {}).conflicts == [PathConflict(f"people[{R1}].age", 30, 31, None)]


def test_row_added_on_both_sides_with_one_id_merges_against_an_empty_row() -> None:
    mine = {"people": [row(R1, name="李四", age=20)]}
    theirs = {"people": [row(R1, name="李四", age=21)]}
    assert merge({}, mine, theirs).conflicts == [PathConflict(f"people[{R1}].age", None, 20, 21)]
    assert merge({}, mine, mine) == clean(mine)


def test_empty_child_values_are_dropped_from_rows() -> None:
    base = {"people": [row(R1, age=30, note="x")]}
    mine = {"people": [row(R1, age=30, note=None)]}
    assert merge(base, mine, base) == clean({"people": [row(R1, age=30)]})


def test_order_of_the_side_that_reordered_wins_when_the_other_kept_base_order() -> None:
    base = {"people": [row(R1), row(R2), row(R3)]}
    reordered = {"people": [row(R3), row(R1), row(R2)]}
    assert merge(base, reordered, base) == clean(reordered)
    assert merge(base, base, reordered) == clean(reordered)


def test_order_when_both_sides_reordered_is_theirs_then_rows_added_by_mine() -> None:
    base = {"people": [row(R1), row(R2)]}
    mine = {"people": [row(R4), row(R2), row(R1)]}
    theirs = {"people": [row(R2), row(R3), row(R1)]}
    assert merge(base, mine, theirs) == clean({"people": [row(R2), row(R3), row(R1), row(R4)]})


def test_a_list_that_is_not_a_repeat_group_on_every_side_is_atomic() -> None:
    base = {"x": [row(R1, age=1)]}
    mine = {"x": ["a"]}
    theirs = {"x": [row(R1, age=2)]}
    assert merge(base, mine, theirs).conflicts == [PathConflict("x", base["x"], ["a"], theirs["x"])]


# Properties over generated fields

ROW_IDS = [f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 7)]
SCALAR_FIELDS = ["name", "count", "ratio", "active", "tags"]
CHILD_FIELDS = ["who", "age", "ok"]

scalar_values = st.one_of(
    st.sampled_from(["", "甲", "乙", "x"]),
    st.integers(-2, 2),
    st.floats(-2, 2, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True),
)


def child_values(draw: st.DrawFn) -> dict[str, Any]:
    return draw(st.dictionaries(st.sampled_from(CHILD_FIELDS), scalar_values))


@st.composite
def field_dicts(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = draw(st.dictionaries(st.sampled_from(SCALAR_FIELDS), scalar_values))
    for group in ("people", "sites"):
        row_ids = draw(st.lists(st.sampled_from(ROW_IDS), unique=True, max_size=4))
        if row_ids:
            fields[group] = [row(row_id, **child_values(draw)) for row_id in row_ids]
    return fields


@st.composite
def descendants(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """`base` after edits a user could make: values changed or cleared, rows added, removed,
    edited and moved."""
    edited: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        action = draw(st.sampled_from(["keep", "change", "clear"]))
        if action == "change":
            edited[name] = draw(scalar_values)
        elif action == "keep" and name in base:
            edited[name] = base[name]
    for group in ("people", "sites"):
        rows: list[dict[str, Any]] = []
        for old in base.get(group, []):
            action = draw(st.sampled_from(["keep", "edit", "remove"]))
            if action == "keep":
                rows.append(old)
            elif action == "edit":
                rows.append(row(old["_row"], **child_values(draw)))
        unused = [row_id for row_id in ROW_IDS if row_id not in {r["_row"] for r in rows}]
        added = draw(st.lists(st.sampled_from(unused), unique=True, max_size=2)) if unused else []
        rows += [row(row_id, **child_values(draw)) for row_id in added]
        rows = draw(st.permutations(rows))
        if rows:
            edited[group] = rows
    return edited


@st.composite
def base_and_descendant(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    base = draw(field_dicts())
    return base, draw(descendants(base))


@st.composite
def base_and_two_descendants(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    base = draw(field_dicts())
    return base, draw(descendants(base)), draw(descendants(base))


def conflicts_by_path(result: MergeResult) -> dict[str, tuple[Any, Any, Any]]:
    return {c.path: (c.base, c.mine, c.theirs) for c in result.conflicts}


@given(base_and_descendant())
def test_only_mine_changed_gives_mine(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    base, mine = case
    assert merge(base, mine, base) == clean(mine)


@given(base_and_descendant())
def test_only_theirs_changed_gives_theirs(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    base, theirs = case
    assert merge(base, base, theirs) == clean(theirs)


@given(base_and_descendant())
def test_same_edit_on_both_sides_gives_it_without_conflict(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    base, both = case
    assert merge(base, both, both) == clean(both)


@given(base_and_two_descendants())
def test_conflicts_are_symmetric_in_the_two_sides(
    case: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, mine, theirs = case
    swapped = {
        path: (b, t, m) for path, (b, m, t) in conflicts_by_path(merge(base, theirs, mine)).items()
    }
    assert conflicts_by_path(merge(base, mine, theirs)) == swapped


@given(base_and_two_descendants())
def test_without_conflicts_both_orders_agree_on_every_value(
    case: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    base, mine, theirs = case
    forward = merge(base, mine, theirs)
    backward = merge(base, theirs, mine)
    if not forward.conflicts:
        assert rows_unordered(forward.fields) == rows_unordered(backward.fields)


def rows_unordered(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {r["_row"]: r for r in value} if name in ("people", "sites") else value
        for name, value in fields.items()
    }
