"""The consolidated workbook: a summary sheet of the dashboard, one sheet per form, one per
repeat group keyed to its record. openpyxl's write-only mode: rows stream to disk, so 100,000
records need little memory. Written beside the target and renamed into place at the end, so a
cancelled or failed export leaves no half file."""

from __future__ import annotations

import datetime
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sync.excel.columns import (
    RECORD_COLUMNS,
    FormColumns,
    display_width,
    language,
)
from sync.excel.sheetdata import RowWriter, splice
from sync.reports import STATUS_LABELS, Dashboard, dashboard as compute_dashboard
from sync.store import Store
from sync.store.schema import quote

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Rows between progress reports and cancel checks: often enough for a smooth bar, rarely
# enough to cost nothing.
_STEP = 1000
# Rows looked at to size the columns (write-only sheets take widths before their first row).
_WIDTH_SAMPLE = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 50
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_STATUS_TEXT = {str(s): labels for s, labels in STATUS_LABELS.items()}


class ExportCancelled(Exception):
    """The export was cancelled; no file was written."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    records: dict[str, int]  # form id → records written
    group_rows: dict[str, int]  # sheet name → rows of a repeat group
    include_id_numbers: bool
    seconds: float
    sheets: list[str] = field(default_factory=list)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def _utc_datetime(text: Any) -> Any:
    """A stored UTC timestamp as a naive datetime (Excel has no time zones)."""
    if not isinstance(text, str):
        return text
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return moment.replace(tzinfo=None, microsecond=0)


class _Writer:
    def __init__(
        self,
        school: str | None,
        lang: str,
        reveal_ids: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> None:
        self.school = school
        self.lang = lang
        self.reveal_ids = reveal_ids
        self.progress = progress
        self.cancelled = cancelled
        self.workbook = Workbook(write_only=True)
        self.done = 0
        self.total = 0
        # Sheet title → (file of its data rows, last cell of the sheet).
        self.row_files: dict[str, tuple[Path, str]] = {}

    def tick(self, rows: int) -> None:
        self.done += rows
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled
        if self.progress is not None:
            self.progress(self.done, self.total)

    def header(self, sheet: Any, headers: Sequence[str]) -> None:
        cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            cells.append(cell)
        sheet.append(cells)

    def table(
        self,
        title: str,
        headers: Sequence[str],
        rows: Iterable[list[Any]],
        count: int,
    ) -> None:
        """A data sheet: sized columns, bold frozen header, filters over every row."""
        sheet = self.workbook.create_sheet(title)
        rows = iter(rows)
        sample = list(islice(rows, _WIDTH_SAMPLE))
        for position, header in enumerate(headers):
            widest = max([display_width(header), *(_cell_width(row[position]) for row in sample)])
            width = min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH)
            sheet.column_dimensions[get_column_letter(position + 1)].width = width
        sheet.freeze_panes = "A2"
        last_column = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
        self.header(sheet, headers)
        # The data rows go to a file of their own, spliced in after saving (sheetdata.py).
        handle, name = tempfile.mkstemp(prefix="chanjiao-export-", suffix=".xml")
        rows_file = Path(name)
        self.row_files[sheet.title] = (rows_file, f"{last_column}{count + 1}")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            writer = RowWriter(
                out,
                len(headers),
                self.style_id(sheet, "yyyy-mm-dd"),
                self.style_id(sheet, "yyyy-mm-dd h:mm:ss"),
            )
            written = 0
            for row in chain(sample, rows):
                writer.write(row)
                written += 1
                if written % _STEP == 0:
                    self.tick(_STEP)
        self.tick(written % _STEP)

    def style_id(self, sheet: Any, number_format: str) -> int:
        """The workbook's cell style with this number format, made if new (as openpyxl makes
        it for a date cell)."""
        cell = WriteOnlyCell(sheet, value=None)
        cell.number_format = number_format
        return int(cell.style_id)

    def discard(self) -> None:
        for rows_file, _ in self.row_files.values():
            rows_file.unlink(missing_ok=True)
        _discard(self.workbook)

    def where(self) -> tuple[str, list[Any]]:
        if self.school is None:
            return "t._deleted = 0", []
        return "t._deleted = 0 AND t._org = ?", [self.school]


def _cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    return display_width(str(value))


def _record_rows(conn: Any, columns: FormColumns, writer: _Writer) -> Iterator[list[Any]]:
    where, params = writer.where()
    scalars = columns.scalars
    names = [name for name, _, _ in RECORD_COLUMNS]
    select = ", ".join(
        ["t._id", *(f"t.{n}" for n in names), *(f"t.{quote(c.field.name)}" for c in scalars)]
    )
    status_index = 1 + names.index("_status")
    status_labels = {k: v[writer.lang == "en"] for k, v in _STATUS_TEXT.items()}
    converters: list[tuple[int, Callable[[Any], Any]]] = [
        (status_index, lambda s: status_labels.get(s, s)),
        (1 + names.index("_updated_at"), _utc_datetime),
    ]
    offset = 1 + len(names)
    for position, column in enumerate(scalars):
        convert = column.exporter(writer.reveal_ids)
        if convert is not None:
            converters.append((offset + position, convert))
    cursor = conn.execute(
        f"SELECT {select} FROM {quote(columns.form.id)} AS t WHERE {where} "
        "ORDER BY t._org, t._created_at, t._key",
        params,
    )
    for stored in cursor:
        row = list(stored)
        for position, convert in converters:
            row[position] = convert(row[position])
        yield row


def _group_rows(
    conn: Any, columns: FormColumns, group: Any, writer: _Writer
) -> Iterator[list[Any]]:
    where, params = writer.where()
    children = columns.group_columns(group)
    child_table = quote(f"{columns.form.id}__{group.name}")
    select = ", ".join(["c._record", *(f"c.{quote(c.field.name)}" for c in children)])
    converters = [
        (1 + position, convert)
        for position, column in enumerate(children)
        if (convert := column.exporter(writer.reveal_ids)) is not None
    ]
    cursor = conn.execute(
        f"SELECT {select} FROM {child_table} AS c "
        f"JOIN {quote(columns.form.id)} AS t ON t._id = c._record WHERE {where} "
        "ORDER BY t._org, t._created_at, t._key, c._position",
        params,
    )
    for stored in cursor:
        row = list(stored)
        for position, convert in converters:
            row[position] = convert(row[position])
        yield row


def _count(conn: Any, table: str, writer: _Writer, child: str | None = None) -> int:
    where, params = writer.where()
    if child is None:
        sql = f"SELECT count(*) FROM {quote(table)} AS t WHERE {where}"
    else:
        sql = (
            f"SELECT count(*) FROM {quote(child)} AS c "
            f"JOIN {quote(table)} AS t ON t._id = c._record WHERE {where}"
        )
    return int(conn.execute(sql, params).fetchone()[0])


def _summary_sheet(writer: _Writer, board: Dashboard) -> None:
    en = writer.lang == "en"
    sheet = writer.workbook.create_sheet("Summary" if en else "汇总")
    for letter, width in zip("ABCDE", (34, 16, 16, 16, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def heading(text: str) -> None:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        sheet.append([cell])

    title = "Production-education integration: summary" if en else "产教融合数据汇总"
    heading(title)
    scope = board.school or ("whole county" if en else "全区县")
    sheet.append(["School" if en else "范围", scope])
    generated = datetime.datetime.now().replace(microsecond=0)
    sheet.append(["Exported at" if en else "导出时间", generated])
    sheet.append([])
    if board.targets:
        heading("Targets" if en else "目标进度")
        writer.header(sheet, ["", "Target" if en else "目标", "Actual" if en else "实际", "%"])
        for target in board.targets:
            sheet.append(
                [
                    target.label_en if en else target.label_zh,
                    target.target,
                    target.actual,
                    round(100 * target.fraction, 1),
                ]
            )
        sheet.append([])
    for figure in board.figures:
        heading(figure.title_en if en else figure.title_zh)
        writer.header(sheet, ["", figure.unit_en if en else figure.unit_zh])
        for count in figure.counts:
            sheet.append([count.label_en if en else count.label_zh, count.value])
        sheet.append([])


def _short_teacher_rows(board: Dashboard, lang: str) -> Iterator[list[Any]]:
    rules = {
        "rolling_5_years": ("5 年内累计 180 天", "180 days within 5 years"),
        "first_3_years": ("新教师 3 年内 180 天", "New teachers: 180 days in 3 years"),
    }
    en = lang == "en"
    for teacher in board.short_teachers:
        rule = rules.get(teacher.rule, (teacher.rule, teacher.rule))[en]
        overdue = ("是", "Yes")[en] if teacher.overdue else ("否", "No")[en]
        yield [
            teacher.teacher_name,
            teacher.school,
            teacher.days,
            teacher.required,
            rule,
            teacher.window_end,
            overdue,
            teacher.record_id,
        ]


_SHORT_TEACHER_HEADERS = (
    ["姓名", "学校代码", "天数", "要求天数", "规则", "截止日期", "已逾期", "记录编号"],
    ["Name", "School code", "Days", "Required", "Rule", "Window ends", "Overdue", "Record ID"],
)


def _discard(workbook: Workbook) -> None:
    """Remove the temporary files of a write-only workbook that will not be saved: they may
    hold ID numbers. Each sheet is closed (its XML finished) first, as saving would."""
    for sheet in workbook.worksheets:
        try:
            if not sheet.closed:
                sheet.close()
            sheet._writer.cleanup()  # openpyxl has no public call that removes the file
        except (OSError, ValueError, AttributeError):
            pass


def export_workbook(
    store: Store,
    path: str | Path,
    *,
    forms: Sequence[str] | None = None,
    school: str | None = None,
    include_id_numbers: bool = False,
    dashboard: Dashboard | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    lang: str = "zh",
    user: str | None = None,
    today: datetime.date | None = None,
) -> ExportSummary:
    """Write the workbook of `forms` (default: every form) of the county or of one school.

    ID numbers are masked unless `include_id_numbers`. `dashboard` is the summary sheet's
    content (computed when None). `progress(done, total)` is called every 1,000 rows;
    `cancelled()` is checked as often and, when it returns True, ExportCancelled is raised and
    no file is left. Every export is noted in the store's audit log (who, which forms, whether
    ID numbers were included). Run it on a worker thread with a Store of that thread
    (`store.for_thread()`)."""
    started = time.perf_counter()
    lang = language(lang)
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    chosen = [store.registry.get(f) for f in forms] if forms else store.registry.latest()
    writer = _Writer(school, lang, include_id_numbers, progress, cancelled)
    board = dashboard or compute_dashboard(store, school=school, today=today)
    records: dict[str, int] = {}
    group_rows: dict[str, int] = {}
    sheets: list[str] = []
    try:
        with store.reading() as conn:
            plan = []
            for form in chosen:
                columns = FormColumns(form, lang)
                count = _count(conn, form.id, writer)
                groups = [
                    (g, _count(conn, form.id, writer, f"{form.id}__{g.name}"))
                    for g in columns.groups
                ]
                plan.append((columns, count, groups))
                writer.total += count + sum(n for _, n in groups)
            _summary_sheet(writer, board)
            sheets.append(writer.workbook.worksheets[-1].title)
            if board.short_teachers:
                title = ("企业实践未达标教师", "Teachers short of 180 days")[lang == "en"]
                writer.total += len(board.short_teachers)
                writer.table(
                    title,
                    _SHORT_TEACHER_HEADERS[lang == "en"],
                    _short_teacher_rows(board, lang),
                    len(board.short_teachers),
                )
                sheets.append(title)
            for columns, count, groups in plan:
                headers = [
                    columns.key_header,
                    *(labels[lang == "en"] for _, *labels in RECORD_COLUMNS),
                    *(c.header for c in columns.scalars),
                ]
                writer.table(columns.sheet, headers, _record_rows(conn, columns, writer), count)
                records[columns.form.id] = count
                sheets.append(columns.sheet)
                for group, rows in groups:
                    name = columns.group_sheet(group)
                    headers = [
                        columns.key_header,
                        *(c.header for c in columns.group_columns(group)),
                    ]
                    writer.table(name, headers, _group_rows(conn, columns, group, writer), rows)
                    group_rows[name] = rows
                    sheets.append(name)
        writer.workbook.save(partial)
        splice(partial, writer.row_files)
        if cancelled is not None and cancelled():
            raise ExportCancelled
        os.replace(partial, target)
    except BaseException:
        writer.discard()
        partial.unlink(missing_ok=True)
        raise
    finally:
        for rows_file, _ in writer.row_files.values():
            rows_file.unlink(missing_ok=True)
    store.audit(
        user or store.sync_state().username or "",
        "export",
        {
            "file": target.name,
            "forms": [f.id for f in chosen],
            "school": school,
            "records": sum(records.values()),
            "id_numbers": include_id_numbers,
        },
    )
    return ExportSummary(
        target,
        records,
        group_rows,
        include_id_numbers,
        time.perf_counter() - started,
        sheets,
    )


__all__ = ["ExportCancelled", "ExportSummary", "export_workbook"]
