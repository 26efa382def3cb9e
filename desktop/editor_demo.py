"""The form editor on its own, one tab per bundled form, for trying it and for screenshots.

python -m desktop.editor_demo                      # Chinese, interactive
python -m desktop.editor_demo --language en --screenshots /tmp/shots
"""

from __future__ import annotations

import argparse
import datetime
import sys
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTabWidget

import forms
from desktop.application import start_services
from desktop.editor import FormEditor, SaveState
from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES

# Half-filled records with a few mistakes, so the demo shows messages as well as answers.
SAMPLE_VALUES: dict[str, dict[str, Any]] = {
    "internship": {
        "student_name": "王小明",
        "id_type": "resident_id",
        "id_number": "11010520060312001X",
        "gender": "female",
        "internship_type": "position",
        "enterprise_name": "深圳市智造科技有限公司",
        "start_date": "2026-03-02",
        "end_date": "2026-02-27",
        "daily_hours": 9,
        "monthly_pay": 2000,
        "probation_wage": 3000,
    },
    "teacher_placement": {
        "direction": "school_to_enterprise",
        "person_name": "李老师",
        "teacher_category": "specialty",
        "start_date": "2025-07-01",
        "end_date": "2025-08-29",
        "days": 75,
    },
    "training_base": {
        "name": "智能制造公共实训基地",
        "base_type": "productive",
        "level": "provincial",
        "industries": ["intelligent_manufacturing", "big_data"],
        "partners": [
            {"_row": str(uuid.uuid4()), "enterprise_name": "甲公司", "investment_10k_yuan": 120},
            {"_row": str(uuid.uuid4()), "enterprise_name": "乙公司", "uscc": "123"},
        ],
        "contact_phone": "0755-1234",
    },
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m desktop.editor_demo", description=__doc__)
    parser.add_argument("--language", choices=list(LANGUAGES), default=DEFAULT_LANGUAGE)
    parser.add_argument("--empty", action="store_true", help="open empty records")
    parser.add_argument("--screenshots", type=Path, help="save one PNG per form here and quit")
    options = parser.parse_args(argv)

    app = QApplication(sys.argv[:1])
    services = start_services(app)
    services.languages.switch_to(options.language)
    registry = forms.FormRegistry()
    tabs = QTabWidget()
    for form in registry.latest():
        values = {} if options.empty else SAMPLE_VALUES.get(form.id, {})
        editor = FormEditor(form, values)
        editor.set_save_state(SaveState.SAVED, datetime.datetime.now())
        editor.autosave_requested.connect(
            lambda _values, editor=editor: editor.set_save_state(
                SaveState.SAVED, datetime.datetime.now()
            )
        )
        tabs.addTab(editor, form.title.get(editor.lang))
    tabs.resize(1280, 860)
    tabs.show()
    if options.screenshots is not None:
        QTimer.singleShot(0, lambda: _save_screenshots(tabs, options.screenshots, options.language))
    app.exec()
    services.stop()


def _save_screenshots(tabs: QTabWidget, folder: Path, language: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        # Layouts settle over a few passes (check lists fit their height to their width).
        for _ in range(5):
            QApplication.processEvents()
        editor = tabs.widget(index)
        assert isinstance(editor, FormEditor)
        tabs.grab().save(str(folder / f"editor_{editor.form.id}_{language}.png"))
    QApplication.quit()


if __name__ == "__main__":
    main()
