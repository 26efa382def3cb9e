"""Printing one record, or saving it as a PDF: the form's labels and choice labels in the UI
language, repeat groups as tables, and for an internship the lines the student and both
mentors sign.

    print_record(store.get(record_id), registry.get("internship"), parent=window)
    save_pdf(record, form, Path("张三.pdf"))
    ask_and_save_pdf(record, form, parent=window)     # asks where first

The print-out is paperwork to sign and file, so ID numbers are printed in full.
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QSizeF
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.dialogs.values import local_time, record_title, value_text
from desktop.i18n import definition_language
from desktop.records.status import status_text
from forms import FieldDef, FieldType, FormDefinition, field_states
from sync.store import StoredRecord

# Fonts with Chinese glyphs on each platform; Qt falls back further when none is installed.
FONT_FAMILIES = [
    "Noto Sans CJK SC",
    "Microsoft YaHei",
    "PingFang SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "sans-serif",
]
MARGINS_MM = QMarginsF(18, 12, 18, 12)

_STYLE = """
h1 { font-size: 15pt; text-align: center; margin-bottom: 2pt; }
p.subtitle { font-size: 11pt; text-align: center; margin-top: 0; }
p.meta { color: #555555; font-size: 8pt; }
table.fields { border-collapse: collapse; border-color: #999999; border-style: solid; }
td.label { background-color: #f0f0f0; }
table.rows { border-collapse: collapse; border-color: #bbbbbb; border-style: solid; }
th { background-color: #f0f0f0; font-weight: normal; }
"""


def _signatures(form_id: str, fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(role, printed name) of who signs the print-out of this form."""
    if form_id != "internship":
        return []
    return [
        (QCoreApplication.translate("printing", "Student"), fields.get("student_name") or ""),
        (
            QCoreApplication.translate("printing", "School mentor"),
            fields.get("school_mentor") or "",
        ),
        (
            QCoreApplication.translate("printing", "Enterprise mentor"),
            fields.get("enterprise_mentor") or "",
        ),
    ]


def _cell(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _rows_table(field: FieldDef, rows: list[dict[str, Any]], lang: str) -> str:
    header = "".join(f"<th>{_cell(child.label.get(lang))}</th>" for child in field.fields)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{_cell(value_text(child, row.get(child.name), lang))}</td>"
            for child in field.fields
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="rows" width="100%" border="1" cellspacing="0" cellpadding="2">'
        f"<tr>{header}</tr>{body}</table>"
    )


def record_html(record: StoredRecord, form: FormDefinition, lang: str) -> str:
    """The print-out as HTML for QTextDocument; `lang` is "zh" or "en"."""
    hidden = field_states(form, record.fields, datetime.date.today()).hidden
    title = record_title(form, record.fields)
    meta = " · ".join(
        part
        for part in (
            QCoreApplication.translate("printing", "Status: {0}").format(
                status_text(record.status)
            ),
            QCoreApplication.translate("printing", "School: {0}").format(record.org)
            if record.org
            else "",
            QCoreApplication.translate("printing", "Last changed {0} by {1}").format(
                local_time(record.updated_at), record.updated_by
            ),
            QCoreApplication.translate("printing", "Record {0}").format(record.id[:8]),
        )
        if part
    )
    rows = []
    for field in form.fields:
        if field.name in hidden:
            continue
        value = record.fields.get(field.name)
        if field.type is FieldType.REPEAT:
            shown = _rows_table(field, value or [], lang) if value else ""
        else:
            shown = _cell(value_text(field, value, lang))
        label = _cell(field.label.get(lang))
        rows.append(f'<tr><td class="label" width="32%">{label}</td><td>{shown}</td></tr>')
    parts = [
        f"<h1>{_cell(form.title.get(lang))}</h1>",
        f'<p class="subtitle">{_cell(title)}</p>' if title else "",
        f'<p class="meta">{_cell(meta)}</p>',
        f'<table class="fields" width="100%" border="1" cellspacing="0" cellpadding="3">'
        f"{''.join(rows)}</table>",
    ]
    signatures = _signatures(form.id, record.fields)
    if signatures:
        labelled = QCoreApplication.translate("printing", "{0}: {1}")
        sign = QCoreApplication.translate("printing", "Signature")
        date = QCoreApplication.translate("printing", "Date")
        # Underscores, not cell borders: they print the same in every viewer and on paper.
        lines = "".join(
            f"<tr><td>{_cell(labelled.format(role, name))}</td>"
            f"<td>{_cell(labelled.format(sign, '_' * 26))}</td>"
            f"<td>{_cell(labelled.format(date, '_' * 16))}</td></tr>"
            for role, name in signatures
        )
        # The table's top margin is lost after another table; an empty line keeps the space.
        parts.append("<p>&nbsp;</p>")
        parts.append(f'<table class="signatures" width="100%" cellpadding="5">{lines}</table>')
    return "<html><body>" + "".join(parts) + "</body></html>"


def record_document(record: StoredRecord, form: FormDefinition) -> QTextDocument:
    """The print-out in the current UI language."""
    lang = definition_language(QLocale().name())
    document = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(_STYLE)
    document.setHtml(record_html(record, form, lang))
    return document


def _fit_to_page(
    document: QTextDocument,
    device: QPdfWriter | QPrinter,
    layout: QPageLayout,
    keep_last_table: bool = False,
) -> QTextDocument:
    """Lay the document out on the device's printable area at the device's resolution, so
    fonts keep their point sizes and the margins are the page layout's, not QTextDocument's
    own two centimetres on top of them. With `keep_last_table`, the last table (the
    signature lines) starts a new page rather than being split over two."""
    document.documentLayout().setPaintDevice(device)
    area = layout.paintRectPixels(device.resolution())
    document.setPageSize(QSizeF(area.width(), area.height()))
    document.setDocumentMargin(0)
    tables = document.rootFrame().childFrames()
    if keep_last_table and tables:
        table = tables[-1]
        top = document.documentLayout().frameBoundingRect(table).top()
        bottom = document.documentLayout().frameBoundingRect(table).bottom()
        if int(top // area.height()) != int(bottom // area.height()):
            table_format = table.frameFormat()
            table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFrameFormat(table_format)
    return document


def _print_title(record: StoredRecord, form: FormDefinition) -> str:
    lang = definition_language(QLocale().name())
    title = record_title(form, record.fields)
    return f"{form.title.get(lang)} · {title}" if title else form.title.get(lang)


def save_pdf(record: StoredRecord, form: FormDefinition, path: Path) -> None:
    """Write the print-out as an A4 PDF at `path`."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    writer.setTitle(_print_title(record, form))
    writer.setCreator("Chanjiao Collect")
    document = record_document(record, form)
    signed = bool(_signatures(form.id, record.fields))
    _fit_to_page(document, writer, writer.pageLayout(), signed).print_(writer)


def print_record(record: StoredRecord, form: FormDefinition, parent: QWidget | None = None) -> bool:
    """Print through the system's print dialog (which can also print to a PDF file). True
    when something was sent to the printer."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName(_print_title(record, form))
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document = record_document(record, form)
    signed = bool(_signatures(form.id, record.fields))
    _fit_to_page(document, printer, printer.pageLayout(), signed).print_(printer)
    return True


def ask_and_save_pdf(
    record: StoredRecord, form: FormDefinition, parent: QWidget | None = None
) -> Path | None:
    """Ask where to save the PDF (named after the record), save it, and say where."""
    suggested = _print_title(record, form).replace(" · ", "-").replace("/", "-") + ".pdf"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("printing", "Save as PDF"),
        str(Path.home() / suggested),
        QCoreApplication.translate("printing", "PDF files (*.pdf)"),
    )
    if not chosen:
        return None
    path = Path(chosen).with_suffix(".pdf")
    save_pdf(record, form, path)
    return path
