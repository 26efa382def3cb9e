"""Resolving conflicts that a real hub produced, through the dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.dialogs.conflict import ConflictDialog, resolved_fields
from sync.samples import SampleFactory
from tests.sync.engine.conftest import Device, LiveHub, open_device, wire_fields

SAMPLES = SampleFactory(seed=7)


@pytest.fixture
def two_machines(live_hub: LiveHub, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    """Two installations of school1: edits on both reach the hub one after the other."""
    first = open_device(live_hub, "school1", tmp_path / "first.db")
    second = open_device(live_hub, "school1", tmp_path / "second.db")
    yield first, second
    first.close()
    second.close()


def conflicting_edits(
    first: Device, second: Device, form: str, edit_first, edit_second, start=None
) -> str:
    """A record both machines hold (a sample, with `start` over it), edited differently on
    each; `second` syncs last and gets the conflict."""
    fields = SAMPLES.fields(form) | (start or {})
    record_id = first.store.save(form, None, fields, "school1").record_id
    assert first.engine.sync().ok
    assert second.engine.sync().ok
    base = wire_fields(first.store, record_id)
    first.store.save(form, record_id, edit_first(base), "school1")
    second.store.save(form, record_id, edit_second(base), "school1")
    assert first.engine.sync().applied == 1
    assert second.engine.sync().conflicts == 1
    return record_id


def open_dialog(qtbot, device: Device, record_id: str) -> ConflictDialog:
    dialog = ConflictDialog(device.store, record_id, device.username)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def test_each_field_is_settled_its_own_way_and_the_hub_takes_the_result(
    qtbot, languages, two_machines, live_hub
):
    first, second = two_machines
    on_first = {"position": "电工", "internship_type": "cognitive", "daily_hours": 6}
    on_second = {"position": "焊工", "internship_type": "position", "daily_hours": 7.5}
    record_id = conflicting_edits(
        first,
        second,
        "internship",
        lambda base: base | on_first | {"notes": "甲"},
        lambda base: base | on_second | {"class_name": "乙"},
        start={"internship_type": None, "daily_hours": 8},
    )
    dialog = open_dialog(qtbot, second, record_id)
    rows = {row.conflict.path: row for row in dialog.rows}
    assert set(rows) == {"position", "internship_type", "daily_hours"}
    # Labels from the definition, choices by their labels, units, who and when.
    assert rows["internship_type"].label.text() == "实习类型"
    assert rows["internship_type"].choices["mine"].words.text() == "岗位实习"
    assert rows["internship_type"].choices["theirs"].words.text() == "认识实习"
    assert rows["daily_hours"].choices["mine"].words.text() == "7.5 小时"
    assert rows["internship_type"].base.text() == "（未填写）"
    assert "你的修改" in dialog.headers[2].text()
    assert "school1" in dialog.headers[3].text() and "第 2 版" in dialog.headers[3].text()
    assert not dialog.resolve_button.isEnabled()

    qtbot.mouseClick(rows["position"].radios["mine"], Qt.MouseButton.LeftButton)
    # The words choose too, not only the small round button.
    qtbot.mouseClick(rows["internship_type"].choices["theirs"].words, Qt.MouseButton.LeftButton)
    assert rows["internship_type"].side() == "theirs"
    hours = rows["daily_hours"].editor
    assert not hours.isVisible()
    qtbot.mouseClick(rows["daily_hours"].radios["typed"], Qt.MouseButton.LeftButton)
    assert hours.isVisible() and hours.line_edit.hasFocus()
    hours.line_edit.selectAll()
    qtbot.keyClicks(hours.line_edit, "6.5")
    assert dialog.resolve_button.isEnabled()
    with qtbot.waitSignal(dialog.conflict_resolved) as resolved:
        qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert resolved.args == [record_id]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert second.store.get(record_id).conflict is None

    assert second.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.conflict is None
    assert hub.fields["position"] == "焊工"
    assert hub.fields["internship_type"] == "cognitive"
    assert hub.fields["daily_hours"] == 6.5
    # What only one side changed is kept from both.
    assert hub.fields["notes"] == "甲"
    assert hub.fields["class_name"] == "乙"
    assert first.engine.sync().ok
    assert wire_fields(first.store, record_id)["position"] == "焊工"


def test_repeat_row_paths_read_as_rows_and_a_typed_value_is_checked(
    qtbot, languages, two_machines, live_hub
):
    first, second = two_machines

    def investment(amount):
        def edit(base):
            partners = [dict(row) for row in base["partners"]]
            partners[1]["investment_10k_yuan"] = amount
            return base | {"partners": partners}

        return edit

    record_id = conflicting_edits(first, second, "training_base", investment(100), investment(200))
    dialog = open_dialog(qtbot, second, record_id)
    (row,) = dialog.rows
    assert row.label.text() == "合作企业 第 2 行 / 投入（万元）"
    assert row.choices["mine"].words.text() == "200 万元"
    assert row.base.text().endswith(" 万元")

    dialog.choose(row.conflict.path, "typed")
    row.editor.line_edit.setText("很多")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("合作企业 第 2 行 / 投入（万元）")
    assert second.store.get(record_id).conflict is not None

    dialog.choose_all("theirs")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert second.store.get(record_id).conflict is None
    assert second.engine.sync().ok
    hub = live_hub.records("school1")[record_id]
    assert hub.fields["partners"][1]["investment_10k_yuan"] == 100


def test_a_row_removed_on_one_side_comes_back_when_its_edit_is_kept():
    row = {"_row": "r1", "name": "甲", "amount": 1}
    other = {"_row": "r2", "name": "乙", "amount": 2}
    base = {"funding": [row, other]}
    local = {"funding": [other]}
    theirs = {"funding": [row | {"amount": 5}, other]}
    assert resolved_fields(base, local, theirs, {"funding[r1].amount": None}) == {
        "funding": [other]
    }
    assert resolved_fields(base, local, theirs, {"funding[r1].amount": 5}) == {
        "funding": [row | {"amount": 5}, other]
    }


def test_language_switch_retranslates_the_dialog(qtbot, languages, two_machines):
    first, second = two_machines
    record_id = conflicting_edits(
        first,
        second,
        "internship",
        lambda base: base | {"internship_type": "cognitive"},
        lambda base: base | {"internship_type": "position"},
        start={"internship_type": None},
    )
    dialog = open_dialog(qtbot, second, record_id)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Resolve a conflict")
    assert dialog.rows[0].label.text() == "Internship type"
    assert dialog.rows[0].choices["theirs"].words.text() == "Cognitive internship"


def test_a_delete_against_an_edit_brings_the_record_back_to_resolve(qtbot, languages, two_machines):
    first, second = two_machines
    form = "training_base"
    fields = SAMPLES.fields(form) | {"level": "county"}
    record_id = first.store.save(form, None, fields, "school1").record_id
    assert first.engine.sync().ok
    assert second.engine.sync().ok
    edited = wire_fields(first.store, record_id) | {"level": "national"}
    first.store.save(form, record_id, edited, "school1")
    assert first.engine.sync().ok
    second.store.delete(record_id, "school1")
    assert second.engine.sync().conflicts == 1
    assert not second.store.get(record_id).deleted
    dialog = open_dialog(qtbot, second, record_id)
    assert "本机无法恢复已删除的记录" not in dialog.intro.text()
    assert dialog.rows[0].choices["theirs"].words.text() == "国家级"
    dialog.rows[0].radios["theirs"].click()
    assert dialog.resolve_button.isEnabled()
