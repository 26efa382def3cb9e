"""Data rows of large sheets as SpreadsheetML, written straight to a file, and spliced into the
workbook openpyxl saved.

Why: openpyxl builds a Cell object and an XML element per value. Measured on the 2-core
machine (tests/bench/bench_county.py), its write-only mode cost 300 µs CPU per exported record:
30 s for 100,000, the whole budget, before the machine's load is counted. openpyxl still
makes the workbook: the summary sheet, styles, header rows, widths, frozen panes, filters and
every other part; only the <row> elements after each data sheet's header come from here,
about ten times faster.
The XML is the one openpyxl writes for the same values: inline strings, numbers, dates as
serial numbers with openpyxl's own date styles.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

# Characters XML 1.0 cannot carry (openpyxl refuses them too): dropped from exported text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_TEXT = 32_767  # Excel's limit
_EXCEL_EPOCH_ORDINAL = datetime.date(1899, 12, 30).toordinal()
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def _text(value: str) -> str:
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if _SPECIAL.search(value) is None:  # nearly always: one scan, no copies
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub("", value)


class RowWriter:
    """Writes rows (lists of str, int, float, bool, date, datetime or None) from row 2 on."""

    def __init__(self, out: IO[str], columns: int, date_style: int, datetime_style: int) -> None:
        from openpyxl.utils import get_column_letter

        self._write = out.write
        self._letters = [get_column_letter(n + 1) for n in range(columns)]
        self._date = f' s="{date_style}"><v>'
        self._datetime = f' s="{datetime_style}"><v>'
        self.number = 1

    def write(self, values: Sequence[Any]) -> None:
        self.number += 1
        r = str(self.number)
        cells = [f'<row r="{r}">']
        append = cells.append
        for letter, value in zip(self._letters, values, strict=False):
            kind = type(value)
            if kind is str:
                if value:
                    append(
                        f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">'
                        f"{_text(value)}</t></is></c>"
                    )
            elif value is None:
                continue
            elif kind is int or kind is float:
                append(f'<c r="{letter}{r}"><v>{value!r}</v></c>')
            elif kind is datetime.date:
                serial = value.toordinal() - _EXCEL_EPOCH_ORDINAL
                append(f'<c r="{letter}{r}"{self._date}{serial}</v></c>')
            elif kind is datetime.datetime:
                serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
                append(f'<c r="{letter}{r}"{self._datetime}{serial!r}</v></c>')
            elif kind is bool:
                append(f'<c r="{letter}{r}" t="b"><v>{int(value)}</v></c>')
            else:
                text = _text(str(value))
                append(
                    f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{text}</t></is></c>"
                )
        append("</row>")
        self._write("".join(cells))


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → the archive member holding the sheet."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in relations.iter(f"{_NS_PACKAGE_REL}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = member
    return parts


def splice(path: Path, rows: dict[str, tuple[Path, str]]) -> None:
    """Put each sheet's rows file (sheet title → (file, last cell such as "W1001")) after the
    header row of that sheet in the workbook at `path`, rewriting the file in place."""
    spliced = path.with_name(path.name + ".spliced")
    try:
        with (
            zipfile.ZipFile(path) as source,
            zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
        ):
            parts = _sheet_parts(source)
            by_member = {parts[title]: found for title, found in rows.items()}
            for info in source.infolist():
                data = source.read(info)
                if info.filename not in by_member:
                    target.writestr(info, data)
                    continue
                rows_file, last_cell = by_member[info.filename]
                xml = data.decode("utf-8").replace("<sheetData/>", "<sheetData></sheetData>", 1)
                head, tail = xml.split("</sheetData>", 1)
                head = _DIMENSION.sub(f'<dimension ref="A1:{last_cell}"/>', head, count=1)
                with target.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head.encode("utf-8"))
                    with rows_file.open("rb") as stream:
                        shutil.copyfileobj(stream, member, 1024 * 1024)
                    member.write(("</sheetData>" + tail).encode("utf-8"))
        os.replace(spliced, path)
    finally:
        spliced.unlink(missing_ok=True)
