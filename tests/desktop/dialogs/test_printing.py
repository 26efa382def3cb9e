"""Printing a record: the print-out's words, and a PDF written to disk."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from desktop.printing import print_record, record_html, save_pdf
from sync.samples import SampleFactory

SAMPLES = SampleFactory(seed=4)


@pytest.fixture
def internship(store):
    fields = SAMPLES.fields("internship") | {"internship_type": "position", "night_shift": False}
    record_id = store.save("internship", None, fields, "li").record_id
    return store.get(record_id), store.registry.get("internship")


def test_the_print_out_has_labels_choice_labels_and_signature_lines(languages, internship):
    record, form = internship
    page = record_html(record, form, "zh")
    assert "学生实习" in page
    assert "实习类型" in page and "岗位实习" in page and ">position<" not in page
    assert "是否安排夜班" in page and ">否<" in page
    assert record.fields["id_number"] in page
    for role in ("学生", "学校指导教师", "企业指导人员", "签字", "日期"):
        assert role in page
    assert record.fields["school_mentor"] in page


def test_a_training_base_prints_its_rows_as_tables_without_signatures(languages, store):
    fields = SAMPLES.fields("training_base")
    record = store.get(store.save("training_base", None, fields, "li").record_id)
    page = record_html(record, store.registry.get("training_base"), "zh")
    assert "合作企业" in page and "统一社会信用代码" in page
    assert fields["partners"][0]["enterprise_name"] in page
    assert "签字" not in page


def test_save_as_pdf_writes_a_pdf(languages, internship, tmp_path):
    record, form = internship
    path = tmp_path / "实习.pdf"
    save_pdf(record, form, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    if shutil.which("pdftotext"):
        extracted = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
        # CJK fonts map some glyphs to Kangxi radicals (⽣ for 生) when text is extracted.
        text = unicodedata.normalize("NFKC", extracted)
        assert "实习类型" in text and "岗位实习" in text and "企业指导人员" in text


def test_print_goes_through_the_print_dialog_to_the_printer(
    languages, internship, tmp_path, monkeypatch
):
    record, form = internship
    path = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        # The user picks "print to file" in the system's print dialog.
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(path))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert print_record(record, form)
    assert path.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QPrintDialog.DialogCode.Rejected)
    assert not print_record(record, form)
