"""A record's history after real round trips through a hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.dialogs.history import HistoryDialog
from sync.samples import SampleFactory
from tests.sync.engine.conftest import Device, LiveHub, open_device, wire_fields

SAMPLES = SampleFactory(seed=9)


@pytest.fixture
def school(live_hub: LiveHub, tmp_path: Path) -> Iterator[Device]:
    device = open_device(live_hub, "school1", tmp_path / "school.db")
    yield device
    device.close()


def tree_texts(dialog):
    """Each heading with its children's (what, before, after)."""
    tree = dialog.tree
    found = []
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        children = [
            tuple(item.child(row).text(column) for column in range(3))
            for row in range(item.childCount())
        ]
        found.append((item.text(0), children))
    return found


def test_every_version_says_who_when_and_what_changed(qtbot, languages, school):
    fields = SAMPLES.fields("training_base") | {"level": "county", "notes": None}
    record_id = school.store.save("training_base", None, fields, "school1").record_id
    assert school.engine.sync().ok
    edited = wire_fields(school.store, record_id)
    removed = edited["partners"][0]
    edited |= {"level": "national", "notes": "已验收", "partners": edited["partners"][1:]}
    school.store.save("training_base", record_id, edited, "school1")
    assert school.engine.sync().ok
    school.store.submit(record_id, "school1")
    assert school.engine.sync().ok
    school.store.withdraw(record_id, "school1")

    dialog = HistoryDialog(school.store, record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    (pending, pending_changes), third, second, first, local = tree_texts(dialog)
    assert pending.startswith("尚未发送到中心服务器 · school1 · ")
    assert pending_changes == [("状态", "已提交", "草稿")]
    assert third[0].startswith("第 3 版 · school1 · ") and third[0].endswith(" · 已提交")
    assert third[1] == [("状态", "草稿", "已提交")]
    assert second[0].startswith("第 2 版 · school1 · ")
    assert ("级别", "县级", "国家级") in second[1]
    assert ("备注", "（未填写）", "已验收") in second[1]
    assert ("合作企业 第 1 行 / 企业名称", removed["enterprise_name"], "（未填写）") in second[1]
    assert first[0].startswith("第 1 版 · ")
    assert ("基地名称", "", fields["name"]) in first[1]
    assert local[0] == "本机操作记录"
    assert [what for what, _when, _who in local[1]] == ["撤回", "提交", "修改", "修改"][
        : len(local[1])
    ]


def test_a_record_never_synced_says_so(qtbot, languages, store):
    record_id = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    dialog = HistoryDialog(store, record_id)
    qtbot.addWidget(dialog)
    (pending, changes), _local = tree_texts(dialog)
    assert pending.startswith("尚未发送到中心服务器")
    assert ("学生姓名", "", "张三") in changes


def test_language_switch_retranslates_the_history(qtbot, languages, school):
    record_id = school.store.save(
        "internship",
        None,
        SAMPLES.fields("internship") | {"internship_type": "position"},
        "school1",
    ).record_id
    school.engine.sync()
    dialog = HistoryDialog(school.store, record_id)
    qtbot.addWidget(dialog)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Record history")
    (first, changes), _local = tree_texts(dialog)
    assert first.startswith("Version 1 · school1 · ")
    assert ("Internship type", "", "Position internship") in changes
