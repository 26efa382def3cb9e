"""The consolidated workbook: sheets, headers, labels, dates, layout, ID numbers, progress,
cancel and the audit line."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from sync.excel import ExportCancelled, export_workbook
from sync.reports import dashboard
from sync.samples import SampleFactory
from sync.store import RecordQuery, Store
from tests.sync.excel.conftest import SCHOOLS, TODAY, pulled


def _audit(store: Store) -> list[dict[str, object]]:
    with sqlite3.connect(store.path) as db:
        rows = db.execute("SELECT user, detail FROM _audit WHERE action = 'export'").fetchall()
    return [{"user": user, **json.loads(detail)} for user, detail in rows]


def test_sheets_headers_labels_and_dates(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "county.xlsx"
    summary = export_workbook(filled, path, today=TODAY, user="county1")
    assert summary.records == {"internship": 30, "teacher_placement": 30, "training_base": 30}
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "汇总"
    assert {"学生实习", "教师企业实践", "实训基地"} <= set(workbook.sheetnames)
    short = dashboard(filled, today=TODAY).short_teachers
    assert len(short) > 0
    teachers = list(workbook["企业实践未达标教师"].iter_rows(values_only=True))
    assert teachers[0][:3] == ("姓名", "学校代码", "天数")
    assert {row[0] for row in teachers[1:]} == {t.teacher_name for t in short}
    assert {"实训基地-服务专业", "实训基地-合作企业", "实训基地-资金来源"} <= set(
        workbook.sheetnames
    )

    sheet = workbook["学生实习"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["记录编号", "学校代码", "状态"]
    assert {"学生姓名", "证件号码", "实习类型", "开始日期", "是否安排夜班"} <= set(header)
    assert sheet.max_row == 31
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}31"
    width = sheet.column_dimensions["F"].width  # 学生姓名
    assert 8 <= width <= 50
    values = {name: sheet.cell(2, header.index(name) + 1).value for name in header}
    assert values["状态"] == "已提交"
    assert values["实习类型"] in ("认识实习", "岗位实习")
    assert values["是否安排夜班"] in ("是", "否")
    assert isinstance(values["开始日期"], datetime.datetime)  # a real date cell
    assert sheet.cell(2, header.index("开始日期") + 1).number_format == "yyyy-mm-dd"

    bases = workbook["实训基地"]
    base_ids = {row[0] for row in bases.iter_rows(min_row=2, values_only=True)}
    funding = workbook["实训基地-资金来源"]
    assert [c.value for c in funding[1]] == ["记录编号", "来源", "金额（万元）"]
    rows = list(funding.iter_rows(min_row=2, values_only=True))
    assert rows and {row[0] for row in rows} <= base_ids
    assert {row[1] for row in rows} <= {
        "中央预算内投资",
        "地方政府专项债券",
        "中长期贷款",
        "地方财政",
        "企业投入",
        "学校自筹",
        "其他",
    }
    summary_sheet = [row[0] for row in workbook["汇总"].iter_rows(values_only=True)]
    assert "实训基地：按类型" in summary_sheet
    assert "实习合规问题：按规则" in summary_sheet


def test_id_numbers_masked_unless_asked_and_every_export_audited(
    filled: Store, tmp_path: Path
) -> None:
    record_id = filled.list_records(RecordQuery(form="internship"), limit=1).rows[0].id
    id_number = filled.get(record_id).fields["id_number"]

    def exported_ids(path: Path) -> set[str]:
        sheet = load_workbook(path, read_only=True)["学生实习"]
        return {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)}

    masked = exported_ids(export_workbook(filled, tmp_path / "a.xlsx", today=TODAY).path)
    assert id_number not in masked
    assert id_number[:6] + "********" + id_number[-4:] in masked
    full = export_workbook(
        filled, tmp_path / "b.xlsx", include_id_numbers=True, today=TODAY, user="county1"
    )
    assert id_number in exported_ids(full.path)
    audit = _audit(filled)
    assert [(a["file"], a["id_numbers"]) for a in audit] == [("a.xlsx", False), ("b.xlsx", True)]
    assert audit[1]["user"] == "county1" and audit[1]["records"] == 90


def test_one_school_and_one_form_in_english(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "school.xlsx"
    summary = export_workbook(
        filled, path, forms=["internship"], school=SCHOOLS[0], lang="en", today=TODAY
    )
    assert summary.records == {"internship": 15}
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "Summary"
    assert "Student internships" in workbook.sheetnames
    assert "Training bases" not in workbook.sheetnames
    rows = list(workbook["Student internships"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Record ID", "School code", "Status")
    assert "Student name" in rows[0]
    assert {row[1] for row in rows[1:]} == {SCHOOLS[0]}
    assert {row[2] for row in rows[1:]} == {"Submitted"}


def test_progress_reaches_the_total(filled: Store, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_workbook(
        filled, tmp_path / "p.xlsx", today=TODAY, progress=lambda d, t: calls.append((d, t))
    )
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1] > 90  # records plus repeat-group rows


def test_cancel_leaves_no_file_and_keeps_an_older_one(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "county.xlsx"
    path.write_bytes(b"the previous export")
    temporary = len(ALL_TEMP_FILES)
    with pytest.raises(ExportCancelled):
        export_workbook(filled, path, today=TODAY, cancelled=lambda: True)
    assert len(ALL_TEMP_FILES) == temporary  # openpyxl's sheet files, ID numbers and all
    assert path.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if "xlsx" in p.name) == ["county.xlsx"]
    assert _audit(filled) == []


def test_text_with_markup_and_control_characters_stays_readable(
    store: Store, tmp_path: Path
) -> None:
    fields = SampleFactory(seed=4, today=TODAY).fields("internship")
    fields["notes"] = "A&B <c> 'd' \"e\"\x01\n第二行  "
    store.apply_pull_page([pulled("internship", fields, SCHOOLS[0])], cursor="1")
    path = export_workbook(store, tmp_path / "t.xlsx", forms=["internship"], today=TODAY).path
    sheet = load_workbook(path)["学生实习"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("备注") + 1).value == "A&B <c> 'd' \"e\"\n第二行  "
