"""Imports: the export of 1,000 records comes back identical, templates fill and import,
rows with unreadable values are reported and left out, and people already recorded for the
same dates are not imported twice."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from forms import CoercionError
from sync.excel import (
    ImportPlan,
    PlannedRecord,
    apply_import,
    export_workbook,
    read_import,
    write_template,
)
from sync.samples import SampleFactory
from sync.store import RecordQuery, Store
from tests.sync.excel.conftest import SCHOOLS, TODAY, fill, open_store, pulled


def _all_fields(store: Store, form: str) -> list[str]:
    """Every live record's typed fields without repeat-row ids, as sorted canonical JSON."""
    found: list[str] = []
    after = None
    while True:
        page = store.list_records(RecordQuery(form=form), after=after, limit=500)
        for row in page.rows:
            fields = store.get(row.id).fields
            for value in fields.values():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    for group_row in value:
                        group_row.pop("_row")
            found.append(json.dumps(fields, default=str, sort_keys=True, ensure_ascii=False))
        if page.next_after is None:
            return sorted(found)
        after = page.next_after


def test_export_then_import_of_1000_records_round_trips(store: Store, tmp_path: Path) -> None:
    fill(store, 334, seed=9)
    path = tmp_path / "all.xlsx"
    export_workbook(store, path, include_id_numbers=True, today=TODAY)
    with open_store(tmp_path / "other.db") as other:
        for form in ("internship", "teacher_placement", "training_base"):
            plan = read_import(other, path, form, today=TODAY)
            assert not any(p.blocking for p in plan.problems), plan.problems[:3]
            assert len(plan.records) == 334
            assert apply_import(other, plan, "li", org=SCHOOLS[0]) == 334
            assert _all_fields(other, form) == _all_fields(store, form)


def test_import_writes_nothing_until_applied(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    export_workbook(filled, path, include_id_numbers=True, today=TODAY)
    with open_store(tmp_path / "other.db") as other:
        plan = read_import(other, path, "internship", today=TODAY)
        assert len(plan.records) == 30
        assert other.count(RecordQuery(form="internship")) == 0
        assert other.pending_count() == 0
        apply_import(other, plan, "li", org=SCHOOLS[1])
        rows = other.list_records(RecordQuery(form="internship"), limit=100).rows
        assert len(rows) == 30 and {r.status for r in rows} == {"draft"}
        assert other.pending_count() == 30


def _sheet(path: Path, header: list[str], rows: list[list[Any]], title: str = "学生实习") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


_HEADER = ["学生姓名", "证件号码", "实习类型", "实习单位", "开始日期", "结束日期", "是否安排夜班"]


def _student(factory: SampleFactory) -> str:
    return factory.resident_id(datetime.date(2005, 3, 3), "female")


def test_a_filled_template_imports_with_labels_and_text_dates(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(store.registry.get("internship"), path)
    template = load_workbook(path)
    sheet = template["学生实习"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "记录编号" and "学生姓名" in header
    assert sheet.cell(1, header.index("证件号码") + 1).comment is not None
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("选项" in (f or "") for f in lists)  # choice lists on the hidden sheet
    assert '"是,否"' in lists
    assert template["选项"].sheet_state == "hidden"

    id_number = _student(SampleFactory(seed=1))
    values = {
        "学生姓名": "张三",
        "证件号码": id_number,
        "实习类型": "认识实习",
        "实习单位": "重庆甲公司",
        "开始日期": "2026/3/1",
        "结束日期": datetime.date(2026, 3, 20),
        "是否安排夜班": "否",
    }
    sheet.append([values.get(h) for h in header])
    template.save(path)
    plan = read_import(store, path, "internship", today=TODAY)
    assert [p for p in plan.problems if p.blocking] == []
    assert len(plan.records) == 1
    fields = plan.records[0].fields
    assert fields["internship_type"] == "cognitive"
    assert fields["start_date"] == "2026-03-01" and fields["end_date"] == "2026-03-20"
    assert fields["night_shift"] is False


def test_bad_dates_and_bad_ids_are_reported_and_those_rows_left_out(
    store: Store, tmp_path: Path
) -> None:
    factory = SampleFactory(seed=2)
    good = [_student(factory), "李四", "认识实习", "甲", "2026-03-01", "2026-03-10", "否"]
    good = [good[1], good[0], *good[2:]]
    bad_date = ["王五", _student(factory), "认识实习", "甲", "2026-02-30", "2026-03-10", "否"]
    bad_id = ["赵六", "500103200503031234", "认识实习", "甲", "2026-03-01", "2026-03-10", "否"]
    bad_choice = ["钱七", _student(factory), "顶岗实习", "甲", "2026-03-01", "2026-03-10", "否"]
    path = _sheet(tmp_path / "rows.xlsx", _HEADER, [good, bad_date, bad_id, bad_choice])
    plan = read_import(store, path, "internship", today=TODAY)
    assert [r.fields["student_name"] for r in plan.records] == ["李四"]
    blocking = {(p.row, p.field) for p in plan.problems if p.blocking}
    assert blocking == {(3, "start_date"), (4, "id_number"), (5, "internship_type")}
    by_row = {p.row: p for p in plan.problems if p.blocking}
    assert "2026-02-30" in by_row[3].message_zh or "日期" in by_row[3].message_zh
    assert "身份证" in by_row[4].message_zh and "resident ID" in by_row[4].message_en
    assert "顶岗实习" in by_row[5].message_zh
    assert apply_import(store, plan, "li", org=SCHOOLS[0]) == 1


def test_a_student_already_recorded_for_the_same_dates_is_not_imported_twice(
    store: Store, tmp_path: Path
) -> None:
    factory = SampleFactory(seed=3, today=TODAY)
    recorded = factory.fields("internship")
    store.apply_pull_page([pulled("internship", recorded, SCHOOLS[0])], cursor="1")
    twice = _student(factory)
    rows = [
        [
            "张三",
            recorded["id_number"],
            "认识实习",
            "甲",
            recorded["start_date"],
            recorded["end_date"],
            "否",
        ],
        ["李四", twice, "认识实习", "甲", "2026-03-01", "2026-03-10", "否"],
        ["李四", twice, "认识实习", "乙", "2026-03-01", "2026-03-10", "否"],
        # Same student, other dates: a new internship.
        ["李四", twice, "认识实习", "乙", "2026-04-01", "2026-04-10", "否"],
    ]
    plan = read_import(store, _sheet(tmp_path / "d.xlsx", _HEADER, rows), "internship")
    assert [r.row for r in plan.records] == [3, 5]
    reported = {p.row: p for p in plan.problems if p.blocking}
    assert set(reported) == {2, 4}
    assert "已有记录" in reported[2].message_zh and "already recorded" in reported[4].message_en
    assert recorded["id_number"] not in reported[2].message_zh  # masked
    # Recorded meanwhile (a sync pulled it): apply leaves it out too.
    meanwhile = dict(recorded, id_number=twice, start_date="2026-04-01", end_date="2026-04-10")
    store.apply_pull_page([pulled("internship", meanwhile, SCHOOLS[1])], cursor="2")
    assert apply_import(store, plan, "li", org=SCHOOLS[0]) == 1


def test_apply_saves_all_or_nothing(store: Store) -> None:
    factory = SampleFactory(seed=6, today=TODAY)
    good = PlannedRecord(2, factory.fields("internship"))
    unreadable = PlannedRecord(3, {"student_name": "王五", "start_date": "not a date"})
    plan = ImportPlan("internship", "x.xlsx", [good, unreadable], [], 2)
    with pytest.raises(CoercionError):
        apply_import(store, plan, "li", org=SCHOOLS[0])
    assert store.count(RecordQuery(form="internship")) == 0
    assert store.pending_count() == 0


def test_detail_rows_join_their_record_and_a_bad_one_holds_it_back(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bases.xlsx"
    write_template(store.registry.get("training_base"), path)
    workbook = load_workbook(path)
    main = workbook["实训基地"]
    header = [c.value for c in main[1]]

    def base(key: str, name: str) -> list[Any]:
        values = {
            "记录编号": key,
            "基地名称": name,
            "基地类型": "生产性实训基地",
            "级别": "校级",
            "服务产业": "新能源、现代物流",
            "功能": "教学",
            "建设状态": "规划中",
            "总投资（万元）": 300,
        }
        return [values.get(h) for h in header]

    main.append(base("A", "甲基地"))
    main.append(base("B", "乙基地"))
    funding = workbook["实训基地-资金来源"]
    assert [c.value for c in funding[1]] == ["记录编号", "来源", "金额（万元）"]
    funding.append(["A", "中央预算内投资", 100])
    funding.append(["A", "地方政府专项债券", 200])
    funding.append(["B", "企业投入", "三百"])
    funding.append(["C", "其他", 1])
    workbook.save(path)

    plan = read_import(store, path, "training_base", today=TODAY)
    assert [r.fields["name"] for r in plan.records] == ["甲基地"]
    fields = plan.records[0].fields
    assert fields["industries"] == ["new_energy", "logistics"]
    assert [(row["source"], row["amount_10k_yuan"]) for row in fields["funding"]] == [
        ("central_budget", 100),
        ("local_special_bond", 200),
    ]
    blocking = {(p.sheet, p.row, p.field) for p in plan.problems if p.blocking}
    assert blocking == {("实训基地-资金来源", 4, "amount_10k_yuan"), ("实训基地-资金来源", 5, None)}
    assert apply_import(store, plan, "li", org=SCHOOLS[0]) == 1


def test_an_english_export_imports_too(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    export_workbook(filled, path, include_id_numbers=True, lang="en", today=TODAY)
    with open_store(tmp_path / "other.db") as other:
        for form in ("internship", "training_base"):
            plan = read_import(other, path, form, today=TODAY)
            assert len(plan.records) == 30, plan.problems[:3]
            apply_import(other, plan, "li", org=SCHOOLS[0])
            assert _all_fields(other, form) == _all_fields(filled, form)
