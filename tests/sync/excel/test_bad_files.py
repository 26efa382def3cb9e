"""Every kind of bad file gives a plan with a clear problem for the whole file, no record, and
writes nothing; none of them raises."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from sync.excel import apply_import, importing, read_import
from sync.store import RecordQuery, Store
from tests.sync.excel.conftest import SCHOOLS


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(2 * 1024 * 1024))


def _renamed_csv(path: Path) -> None:
    path.write_text("学生姓名,证件号码\n张三,110105200001010011\n", encoding="utf-8")


def _old_xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(8 * 1024 * 1024))


def _zip_not_a_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")


def _damaged_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><")
        archive.writestr("xl/workbook.xml", "not xml at all")


def _wrong_columns(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Amount", "Notes"])
    sheet.append(["x", 1, "y"])
    workbook.save(path)


def _megabytes_of_junk(path: Path) -> None:
    """A real workbook under the right headers, its cells stuffed with random text."""
    rng = random.Random(2)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生实习")
    sheet.append(["学生姓名", "证件号码", "开始日期"])
    for _ in range(300):
        junk = "".join(rng.choice("abc字节乱码0123") for _ in range(6000))
        sheet.append([junk, junk[:30], junk[:12]])
    workbook.save(path)


def _header_only(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["学生姓名", "证件号码"])
    workbook.save(path)


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_empty, "空"),
    "random bytes": (_random_bytes, "不是 Excel 工作簿"),
    "renamed csv": (_renamed_csv, "CSV"),
    "old xls": (_old_xls, ".xls"),
    "zip bomb": (_zip_bomb, "压缩炸弹"),
    "zip without a workbook": (_zip_not_a_workbook, "工作簿"),
    "damaged workbook": (_damaged_workbook, "无法"),
    "wrong columns": (_wrong_columns, "表头"),
    "header only": (_header_only, "没有数据行"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_with_a_message_and_writes_nothing(
    kind: str, store: Store, tmp_path: Path
) -> None:
    make, words = BAD_FILES[kind]
    path = tmp_path / "bad.xlsx"
    make(path)
    plan = read_import(store, path, "internship")
    assert plan.records == []
    assert not plan.readable
    problem = next(p for p in plan.problems if p.row is None)
    assert words in problem.message_zh
    assert problem.message_en and problem.message_en != problem.message_zh
    assert apply_import(store, plan, "li", org=SCHOOLS[0]) == 0
    assert store.count(RecordQuery(form="internship")) == 0
    assert store.pending_count() == 0


def test_megabytes_of_junk_in_cells_are_reported_row_by_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "junk.xlsx"
    _megabytes_of_junk(path)
    assert path.stat().st_size > 1024 * 1024
    plan = read_import(store, path, "internship")
    assert plan.records == []
    assert plan.rows_read == 300
    assert plan.skipped_rows == 300
    assert any("过长" in p.message_zh for p in plan.problems)
    assert apply_import(store, plan, "li", org=SCHOOLS[0]) == 0
    assert store.count(RecordQuery(form="internship")) == 0


def test_too_many_rows_are_refused_with_the_limit(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生实习")
    sheet.append(["学生姓名", "实习单位"])
    for n in range(51):
        sheet.append([f"学生{n}", "甲"])
    path = tmp_path / "many.xlsx"
    workbook.save(path)
    plan = read_import(store, path, "internship")
    assert plan.records == [] and not plan.readable
    assert "50" in plan.problems[-1].message_zh and "split" in plan.problems[-1].message_en


def test_a_file_that_does_not_exist_is_reported(store: Store, tmp_path: Path) -> None:
    plan = read_import(store, tmp_path / "gone.xlsx", "internship")
    assert not plan.readable and plan.records == []


def test_a_cell_far_down_the_sheet_is_refused_without_reading_every_row(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 20)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["学生姓名", "实习单位"])
    sheet.append(["张三", "甲"])
    sheet.cell(row=100_000, column=1, value="x")
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    plan = read_import(store, path, "internship")
    assert plan.records == [] and not plan.readable
    assert "101" in plan.problems[-1].message_zh and "empty rows" in plan.problems[-1].message_en
