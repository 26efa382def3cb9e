"""A blank workbook of one form for schools to fill in and import: the columns an import reads,
a hint on each header, drop-down lists for choices and 是/否, date-formatted date columns."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from forms import FieldType, FormDefinition
from sync.excel.columns import NO, YES, Column, FormColumns, display_width, language

# Rows the drop-downs and date formats cover: beyond what a school types by hand.
TEMPLATE_ROWS = 2000
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _hint(column: Column, lang: str) -> str:
    field = column.field
    en = lang == "en"
    lines: list[str] = []
    if field.required is True:
        lines.append("Required." if en else "必填。")
    elif isinstance(field.required, str):
        lines.append("Required in some cases." if en else "视情况必填。")
    if field.hint is not None:
        lines.append(field.hint.get(lang))
    kind = field.type
    if kind is FieldType.DATE:
        lines.append("A date, e.g. 2026-09-01." if en else "日期，如 2026-09-01。")
    elif kind is FieldType.BOOLEAN:
        lines.append("Yes or No." if en else "填“是”或“否”。")
    elif kind is FieldType.SELECT_ONE:
        prompt = "One of: " if en else "从下拉列表选择："
        lines.append(prompt + " / ".join(column.choice_labels()))
    elif kind is FieldType.SELECT_MULTIPLE:
        separator = "; " if en else "、"
        lines.append(
            ("One or more, separated by ';': " if en else "可多选，用“、”分隔：")
            + separator.join(column.choice_labels())
        )
    elif kind is FieldType.INTEGER:
        lines.append("A whole number." if en else "整数。")
    elif kind is FieldType.DECIMAL:
        lines.append("A number." if en else "数字。")
    elif kind is FieldType.RESIDENT_ID:
        lines.append(
            "18 characters; the last may be X." if en else "18 位居民身份证号码，末位可能是 X。"
        )
    elif kind is FieldType.USCC:
        lines.append(
            "18 characters from the business licence." if en else "营业执照上的 18 位代码。"
        )
    if field.max_length is not None:
        lines.append(
            f"At most {field.max_length} characters." if en else f"最多 {field.max_length} 字。"
        )
    return "\n".join(lines)


class _Template:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.workbook = Workbook()
        self.choices = self.workbook.active
        assert self.choices is not None
        self.choices.title = "Choices" if lang == "en" else "选项"
        self.choices.sheet_state = "hidden"
        self.lists = 0

    def choice_range(self, labels: list[str]) -> str:
        """A column of the hidden choices sheet holding `labels`, as a validation formula."""
        self.lists += 1
        letter = get_column_letter(self.lists)
        for row, label in enumerate(labels, start=1):
            self.choices.cell(row=row, column=self.lists, value=label)
        return f"{quote_sheetname(self.choices.title)}!${letter}$1:${letter}${len(labels)}"

    def sheet(self, title: str, key_header: str, key_hint: str, columns: list[Column]) -> None:
        sheet: Worksheet = self.workbook.create_sheet(title)
        headers = [key_header, *(c.header for c in columns)]
        for position, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=position, value=header)
            cell.fill = _HEADER_FILL
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = min(max(display_width(header) + 4, 12), 40)
            if position == 1:
                cell.font = _HEADER_FONT
                cell.comment = Comment(key_hint, "Chanjiao")
                continue
            column = columns[position - 2]
            cell.font = _REQUIRED_FONT if column.field.required is True else _HEADER_FONT
            cell.comment = Comment(_hint(column, self.lang), "Chanjiao", width=260, height=120)
            cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            kind = column.field.type
            validation = None
            if kind is FieldType.SELECT_ONE:
                validation = DataValidation(
                    "list", formula1=self.choice_range(column.choice_labels())
                )
            elif kind is FieldType.BOOLEAN:
                en = self.lang == "en"
                validation = DataValidation("list", formula1=f'"{YES[en]},{NO[en]}"')
            elif kind is FieldType.INTEGER:
                validation = DataValidation("whole", operator="greaterThanOrEqual", formula1="0")
            elif kind is FieldType.DATE:
                for row in range(2, TEMPLATE_ROWS + 2):
                    sheet.cell(row=row, column=position).number_format = "yyyy-mm-dd"
            if validation is not None:
                validation.error = (
                    "Not one of the choices" if self.lang == "en" else "不在可选范围内"
                )
                validation.showErrorMessage = True
                validation.add(cells)
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def write_template(form: FormDefinition, path: str | Path, *, lang: str = "zh") -> Path:
    """The template workbook of `form` at `path`: what read_import expects."""
    lang = language(lang)
    columns = FormColumns(form, lang)
    template = _Template(lang)
    en = lang == "en"
    groups = columns.groups
    if groups:
        key_hint = (
            "Any number or text, unique in this sheet: rows of the detail sheets carry it to"
            " say which record they belong to."
            if en
            else "任意编号，在本表中不重复；明细工作表的行用它对应到本表的记录。"
        )
    else:
        key_hint = (
            "Optional: any number or text, unique in this sheet."
            if en
            else "选填：任意编号，不重复。"
        )
    template.sheet(columns.sheet, columns.key_header, key_hint, columns.scalars)
    for group in groups:
        template.sheet(
            columns.group_sheet(group),
            columns.key_header,
            ("The record ID of the main sheet's row." if en else "对应主表中记录的“记录编号”。"),
            columns.group_columns(group),
        )
    # The choices sheet stays first in the file but the main sheet opens.
    template.workbook.active = 1
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        template.workbook.save(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
