"""Importing a school's spreadsheet: read and check everything first, write nothing; then, once
the user has seen the report and confirmed, save the records as drafts.

    read_import(store, path, form) -> ImportPlan    # problems (row, field, zh, en) + records
    apply_import(store, plan, user) -> int           # the planned records, saved as drafts

A file that is not a real workbook (empty, random bytes, a renamed CSV or .xls, a zip bomb,
too large, too many rows) or whose columns are not the form's yields a plan with one problem
for the whole file and no record. A row with a value that cannot be read (a bad date, a choice
that does not exist, an invalid ID number or credit code) is reported and left out; other
issues (a required field left empty, a rule broken) are reported and the row is imported as a
draft that shows them. A student (or teacher) already recorded for the same dates, in the store
or earlier in the file, is reported and not imported again.
"""

from __future__ import annotations

import datetime
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from forms import CoercionError, FormDefinition, Issue, coerce, issues_of_typed
from forms.identifiers import mask_id_number
from forms.messages import message
from sync.excel.columns import (
    RECORD_COLUMNS,
    RECORD_KEY,
    CellError,
    Column,
    FormColumns,
    header_key,
)
from sync.store import Store
from sync.store.schema import quote

MAX_FILE_BYTES = 30 * 1024 * 1024
# What the workbook's parts may unpack to, in all and as a ratio: beyond is a zip bomb.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_PACKING_RATIO = 200
MAX_ROWS = 20_000
MAX_CELL_CHARACTERS = 5_000
# Rows a sheet may run to, empty ones included, per row of data allowed.
_EMPTY_ROWS_ALLOWED = 5
# A report longer than this helps nobody: the rest is summed up in one line.
MAX_PROBLEMS = 1_000
# Issues that mean a value was typed wrong rather than left to complete: the row waits.
_BLOCKING_CODES = frozenset(
    {"invalid_resident_id", "invalid_uscc", "invalid_phone", "invalid_major_code", "max_length"}
)
# Forms whose records belong to one person over dates: (ID field, start, end, name field).
_PERSON_DATES = {
    "internship": ("id_number", "start_date", "end_date", "student_name"),
    "teacher_placement": ("id_number", "start_date", "end_date", "person_name"),
}


@dataclass(frozen=True)
class ImportProblem:
    """One thing the user should know. `row` is the spreadsheet's row number (the header is
    row 1), None for the whole file; `blocking` means the row (or the file) is not imported."""

    row: int | None
    field: str | None
    message_zh: str
    message_en: str
    blocking: bool = True
    sheet: str | None = None
    column: str | None = None

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


@dataclass(frozen=True)
class PlannedRecord:
    """A record the import would create: wire values for Store.save and the issues its draft
    will show."""

    row: int
    fields: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class ImportPlan:
    form: str
    file: str
    records: list[PlannedRecord]
    problems: list[ImportProblem]
    rows_read: int = 0

    @property
    def readable(self) -> bool:
        """False when the whole file was refused."""
        return not any(p.row is None and p.blocking for p in self.problems)

    @property
    def skipped_rows(self) -> int:
        return len({p.row for p in self.problems if p.blocking and p.row is not None})


class _FileRefused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _check_file(path: Path) -> None:
    """Refuse, before openpyxl sees it, what is not a workbook of a sane size."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise _FileRefused(
            f"无法打开文件：{exc.strerror or exc}",
            f"The file cannot be opened: {exc.strerror or exc}",
        ) from exc
    if size == 0:
        raise _FileRefused("文件是空的。", "The file is empty.")
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise _FileRefused(
            f"文件超过 {limit} MB，请拆分后分批导入。",
            f"The file is larger than {limit} MB: split it and import the parts.",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileRefused(
            "这是旧版 Excel（.xls）文件：请在 Excel 中“另存为”.xlsx 格式后再导入。",
            "This is an old Excel (.xls) file: save it as .xlsx in Excel, then import that.",
        )
    if not zipfile.is_zipfile(path):
        raise _FileRefused(
            "文件不是 Excel 工作簿（.xlsx）：可能是改了扩展名的 CSV 或其他文件。"
            "请用模板填写后导入。",
            "The file is not an Excel workbook (.xlsx): perhaps a renamed CSV or another"
            " file. Fill in the template and import that.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _FileRefused(
            "文件已损坏，无法作为 Excel 工作簿读取。",
            "The file is damaged: it cannot be read as a workbook.",
        ) from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise _FileRefused(
            "文件不是 Excel 工作簿（.xlsx），缺少工作簿内容。",
            "The file is not an Excel workbook (.xlsx): it has no workbook part.",
        )
    unpacked = sum(m.file_size for m in members)
    bomb = unpacked > MAX_UNPACKED_BYTES or any(
        m.file_size > 1024 * 1024 and m.file_size > MAX_PACKING_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if bomb:
        raise _FileRefused(
            "文件解压后过大（疑似压缩炸弹），已拒绝读取。",
            "The file unpacks to far too much data (a zip bomb?): it was not read.",
        )


def _choose_sheet(workbook: Any, form: FormDefinition) -> Any:
    wanted = {header_key(FormColumns(form, lang).sheet) for lang in ("zh", "en")}
    wanted |= {header_key(form.id), header_key(form.title.zh), header_key(form.title.en)}
    for sheet in workbook.worksheets:
        if header_key(sheet.title) in wanted:
            return sheet
    return workbook.worksheets[0] if workbook.worksheets else None


def _group_sheets(workbook: Any, form: FormDefinition) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for group in FormColumns(form, "zh").groups:
        names = {header_key(FormColumns(form, lang).group_sheet(group)) for lang in ("zh", "en")}
        for sheet in workbook.worksheets:
            if header_key(sheet.title) in names:
                found[group.name] = sheet
    return found


def _cell_problem(column: Column, error: CellError, row: int, sheet: str) -> ImportProblem:
    label = column.field.label
    shown = str(error.value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    zh, en = message(error.code, label.zh, label.en, value=shown)
    return ImportProblem(row, column.field.name, zh, en, True, sheet, column.header)


class _Reader:
    """The problems found while reading one file, and the day rules are checked on."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.problems: list[ImportProblem] = []
        self.hidden = 0

    def report(self, problem: ImportProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.hidden += 1

    def columns(
        self, header: tuple[Any, ...], columns: list[Column], sheet: str
    ) -> tuple[dict[int, Column], int | None]:
        """Which field each column holds, and the record key's column."""
        # Labels first, then the export's record columns, then field names: "Status" is a
        # record column even though training_base has a field named status.
        by_name = {header_key(column.field.name): column for column in columns}
        by_label: dict[str, Column] = {}
        for column in columns:
            by_label[header_key(column.field.label.zh)] = column
            by_label[header_key(column.field.label.en)] = column
        ignored = {header_key(t) for _, *labels in RECORD_COLUMNS for t in labels}
        key_headers = {header_key(t) for t in RECORD_KEY}
        mapped: dict[int, Column] = {}
        key_column = None
        seen: set[str] = set()
        for position, text in enumerate(header):
            if text is None or not str(text).strip():
                continue
            wanted = header_key(text)
            if wanted in key_headers:
                key_column = position
                continue
            found = by_label.get(wanted)
            if found is None and wanted not in ignored:
                found = by_name.get(wanted)
            if found is None:
                if wanted not in ignored:
                    self.report(
                        ImportProblem(
                            1,
                            None,
                            f"“{text}”列不是此表的字段，已忽略。",
                            f"Column {text!r} is not a field of this form: it was ignored.",
                            False,
                            sheet,
                            str(text),
                        )
                    )
                continue
            if found.field.name in seen:
                raise _FileRefused(
                    f"“{text}”列出现了两次，请删除其中一列。",
                    f"Column {text!r} appears twice: delete one of them.",
                )
            seen.add(found.field.name)
            mapped[position] = found
        return mapped, key_column

    def rows(self, sheet: Any, width: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Non-empty data rows with their row numbers; refuses a sheet with too many."""
        count = 0
        # Empty rows count too: a cell far down the sheet makes openpyxl yield every row above.
        last_row = 1 + MAX_ROWS * _EMPTY_ROWS_ALLOWED
        for number, values in enumerate(
            sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
        ):
            if number > last_row:
                raise _FileRefused(
                    f"表格超过 {last_row} 行（含空行），请删除多余的行或拆分后导入。",
                    f"The sheet runs past row {last_row} (empty rows included): delete the"
                    " extra rows or split it.",
                )
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _FileRefused(
                    f"表中数据超过 {MAX_ROWS} 行，请拆分为多个文件分批导入。",
                    f"The sheet has more than {MAX_ROWS} rows: split it into several files.",
                )
            yield number, values

    def convert(
        self, values: tuple[Any, ...], mapped: dict[int, Column], row: int, sheet: str
    ) -> dict[str, Any] | None:
        """Wire values of one row, or None after reporting the cells that cannot be read."""
        fields: dict[str, Any] = {}
        ok = True
        for position, column in mapped.items():
            raw = values[position] if position < len(values) else None
            if isinstance(raw, str) and len(raw) > MAX_CELL_CHARACTERS:
                label = column.field.label
                self.report(
                    ImportProblem(
                        row,
                        column.field.name,
                        f"“{label.zh}”的内容过长（超过 {MAX_CELL_CHARACTERS} 字）。",
                        f"{label.en} is too long (over {MAX_CELL_CHARACTERS} characters).",
                        True,
                        sheet,
                        column.header,
                    )
                )
                ok = False
                continue
            try:
                value = column.importer()(raw)
            except CellError as error:
                self.report(_cell_problem(column, error, row, sheet))
                ok = False
                continue
            if value is not None:
                fields[column.field.name] = value
        return fields if ok else None


def _refused(form: str, path: Path, zh: str, en: str, rows: int = 0) -> ImportPlan:
    return ImportPlan(form, path.name, [], [ImportProblem(None, None, zh, en, True)], rows)


def read_import(
    store: Store, path: str | Path, form: str, *, today: datetime.date | None = None
) -> ImportPlan:
    """Read a spreadsheet of `form` and say what importing it would do. Writes nothing, and
    never raises for a bad file: its problems are in the plan."""
    path = Path(path)
    definition = store.registry.get(form)
    today = today or datetime.date.today()
    try:
        _check_file(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except _FileRefused as refused:
        return _refused(form, path, refused.zh, refused.en)
    except Exception:  # openpyxl raises whatever its parsers meet in a damaged file
        return _refused(
            form,
            path,
            "文件无法作为 Excel 工作簿读取：可能已损坏，或不是 .xlsx 格式。",
            "The file cannot be read as an Excel workbook: it may be damaged or not .xlsx.",
        )
    try:
        return _read(store, path, definition, workbook, today)
    except _FileRefused as refused:
        return _refused(form, path, refused.zh, refused.en)
    except Exception:  # a damaged part met while reading rows
        return _refused(
            form,
            path,
            "读取文件时出错：文件可能已损坏。请用模板重新填写后导入。",
            "The file could not be read to the end: it may be damaged. Use the template.",
        )
    finally:
        workbook.close()


def _read(
    store: Store, path: Path, form: FormDefinition, workbook: Any, today: datetime.date
) -> ImportPlan:
    reader = _Reader(today)
    sheet = _choose_sheet(workbook, form)
    if sheet is None:
        raise _FileRefused("工作簿中没有工作表。", "The workbook has no sheet.")
    zh_columns = FormColumns(form, "zh")
    header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = tuple(header_row)[:1000]
    mapped, key_column = reader.columns(header, zh_columns.scalars, sheet.title)
    present = {c.field.name for c in mapped.values()}
    required = {c.field.name for c in zh_columns.scalars if c.field.required is True}
    # Without one column a record cannot do without, the sheet is some other table.
    if not mapped or (required and not present & required):
        expected = "、".join(c.header for c in zh_columns.scalars[:5])
        expected_en = ", ".join(c.field.label.en for c in zh_columns.scalars[:5])
        raise _FileRefused(
            f"表头与“{form.title.zh}”不符：第 1 行应为字段名称，如 {expected} 等。请下载模板填写。",
            f"The columns are not those of {form.title.en}: row 1 should name the fields,"
            f" e.g. {expected_en}. Download the template and fill it in.",
        )
    for column in zh_columns.scalars:
        if column.field.required is True and column.field.name not in present:
            label = column.field.label
            reader.report(
                ImportProblem(
                    1,
                    column.field.name,
                    f"缺少必填列“{label.zh}”：导入的草稿需补填。",
                    f"The required column {label.en!r} is missing: the drafts will need it.",
                    False,
                    sheet.title,
                )
            )
    width = max(max(mapped), key_column or 0) + 1
    planned: dict[str, tuple[int, dict[str, Any]]] = {}
    order: list[tuple[int, dict[str, Any], str | None]] = []
    rows_read = 0
    for number, values in reader.rows(sheet, width):
        rows_read += 1
        fields = reader.convert(values, mapped, number, sheet.title)
        key = None
        if key_column is not None and key_column < len(values) and values[key_column] is not None:
            key = str(values[key_column]).strip() or None
        if fields is None:
            continue
        if key is not None:
            if key in planned:
                reader.report(
                    ImportProblem(
                        number,
                        None,
                        f"记录编号“{key}”与第 {planned[key][0]} 行重复，本行未导入。",
                        f"Record ID {key!r} repeats row {planned[key][0]}: this row was skipped.",
                        True,
                        sheet.title,
                    )
                )
                continue
            planned[key] = (number, fields)
        order.append((number, fields, key))
    if rows_read == 0:
        raise _FileRefused(
            f"工作表“{sheet.title}”中没有数据行（第 1 行为表头，数据从第 2 行起）。",
            f"Sheet {sheet.title!r} has no data rows (row 1 is the header, data starts on row 2).",
        )
    blocked_keys = _attach_groups(reader, workbook, form, planned, key_column is not None)
    records: list[PlannedRecord] = []
    seen_people = _recorded_people(store, form)
    for number, fields, key in order:
        if key is not None and key in blocked_keys:
            continue
        record = _plan_record(reader, form, number, fields, sheet.title)
        if record is None:
            continue
        if not _first_of_person(reader, form, record, seen_people, sheet.title):
            continue
        records.append(record)
    if reader.hidden:
        reader.problems.append(
            ImportProblem(
                None,
                None,
                f"另有 {reader.hidden} 个问题未列出。",
                f"{reader.hidden} more problems are not listed.",
                False,
            )
        )
    return ImportPlan(form.id, path.name, records, reader.problems, rows_read)


def _attach_groups(
    reader: _Reader,
    workbook: Any,
    form: FormDefinition,
    planned: dict[str, tuple[int, dict[str, Any]]],
    has_keys: bool,
) -> set[str]:
    """Rows of the repeat-group sheets into their records' fields; the keys of records with a
    group row that cannot be read (such records are not imported)."""
    blocked: set[str] = set()
    sheets = _group_sheets(workbook, form)
    if sheets and not has_keys:
        reader.report(
            ImportProblem(
                1,
                None,
                f"主表缺少“{RECORD_KEY[0]}”列，明细工作表未导入。",
                f"The main sheet has no {RECORD_KEY[1]!r} column: the detail sheets were skipped.",
                False,
            )
        )
        return blocked
    columns = FormColumns(form, "zh")
    for group in columns.groups:
        sheet = sheets.get(group.name)
        if sheet is None:
            continue
        header = tuple(next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ()))[:100]
        mapped, key_column = reader.columns(header, columns.group_columns(group), sheet.title)
        if key_column is None or not mapped:
            reader.report(
                ImportProblem(
                    1,
                    None,
                    f"工作表“{sheet.title}”缺少“{RECORD_KEY[0]}”列或字段列，已忽略。",
                    f"Sheet {sheet.title!r} lacks the {RECORD_KEY[1]!r} column or the field"
                    " columns: it was ignored.",
                    False,
                    sheet.title,
                )
            )
            continue
        width = max(max(mapped), key_column) + 1
        for number, values in reader.rows(sheet, width):
            raw_key = values[key_column] if key_column < len(values) else None
            key = str(raw_key).strip() if raw_key is not None else ""
            if key not in planned:
                reader.report(
                    ImportProblem(
                        number,
                        None,
                        f"记录编号“{key}”在主表中没有对应的行，本行未导入。",
                        f"Record ID {key!r} is not in the main sheet: this row was skipped.",
                        True,
                        sheet.title,
                    )
                )
                continue
            row = reader.convert(values, mapped, number, sheet.title)
            if row is None:
                blocked.add(key)
                continue
            row["_row"] = str(uuid.uuid4())
            planned[key][1].setdefault(group.name, []).append(row)
    return blocked


def _plan_record(
    reader: _Reader, form: FormDefinition, row: int, fields: dict[str, Any], sheet: str
) -> PlannedRecord | None:
    try:
        typed = coerce(form, fields)
    except CoercionError as error:  # the columns' conversions should make this unreachable
        for problem in error.problems:
            reader.report(
                ImportProblem(
                    row, problem.path, problem.message_zh, problem.message_en, True, sheet
                )
            )
        return None
    issues = issues_of_typed(form, typed, reader.today)
    blocking = [i for i in issues if i.code in _BLOCKING_CODES]
    for issue in issues:
        reader.report(
            ImportProblem(
                row,
                issue.path,
                issue.message_zh,
                issue.message_en,
                issue in blocking,
                sheet,
                form.label(issue.path),
            )
        )
    if blocking:
        return None
    return PlannedRecord(row, fields, issues)


def _person_key(form: FormDefinition, fields: dict[str, Any]) -> tuple[str, str, str] | None:
    names = _PERSON_DATES.get(form.id)
    if names is None:
        return None
    id_number, start, end = (fields.get(n) for n in names[:3])
    if not (id_number and start and end):
        return None
    return str(id_number).upper(), str(start), str(end)


def _recorded_people(store: Store, form: FormDefinition) -> set[tuple[str, str, str]]:
    names = _PERSON_DATES.get(form.id)
    if names is None:
        return set()
    id_number, start, end = (quote(n) for n in names[:3])
    with store.reading() as conn:
        rows = conn.execute(
            f"SELECT upper({id_number}), {start}, {end} FROM {quote(form.id)} "
            f"WHERE _deleted = 0 AND {id_number} IS NOT NULL AND {start} IS NOT NULL "
            f"AND {end} IS NOT NULL"
        )
        return {(row[0], row[1], row[2]) for row in rows}


def _first_of_person(
    reader: _Reader,
    form: FormDefinition,
    record: PlannedRecord,
    seen: set[tuple[str, str, str]],
    sheet: str,
) -> bool:
    """False (and reported) when the person is already recorded for these dates."""
    key = _person_key(form, record.fields)
    if key is None:
        return True
    if key not in seen:
        seen.add(key)
        return True
    name_field = _PERSON_DATES[form.id][3]
    name = record.fields.get(name_field, "")
    masked = mask_id_number(key[0])
    reader.report(
        ImportProblem(
            record.row,
            _PERSON_DATES[form.id][0],
            f"{name}（{masked}）在 {key[1]} 至 {key[2]} 已有记录（本系统中或文件前面的行），"
            "本行未重复导入。",
            f"{name} ({masked}) is already recorded for {key[1]} to {key[2]} (here or in an"
            " earlier row): this row was not imported again.",
            True,
            sheet,
        )
    )
    return False


def apply_import(
    store: Store,
    plan: ImportPlan,
    user: str,
    *,
    org: str | None = None,
    county: str | None = None,
) -> int:
    """Save the plan's records as drafts (of the signed-in user's school unless `org` is
    given), all in one transaction, and return how many. Records of people recorded for the
    same dates since the plan was read are left out."""
    form = store.registry.get(plan.form)
    recorded = _recorded_people(store, form)
    fresh = [
        record.fields
        for record in plan.records
        if (key := _person_key(form, record.fields)) is None or key not in recorded
    ]
    return len(store.save_drafts(plan.form, fresh, user, org=org, county=county))


__all__ = [
    "MAX_ROWS",
    "ImportPlan",
    "ImportProblem",
    "PlannedRecord",
    "apply_import",
    "read_import",
]
