"""The form editor driven like a user does: keys into real widgets."""

import datetime
import re
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

import forms
from desktop.editor import FormEditor, SaveState
from desktop.editor.inputs import READ_ONLY_STYLE
from sync import samples
from sync.samples import SampleFactory

TODAY = datetime.date(2026, 3, 1)
STUDENT_ID = "11010520060312001X"  # a boy born 2006-03-12
ENTERPRISE_USCC = "91440300715267260N"

# Keys to enter a field with, before Enter moves to the next: text to type, or ("down", n) to
# step through a combo box.
Keys = str | tuple[str, int]


@pytest.fixture(scope="module")
def registry():
    return forms.FormRegistry()


@pytest.fixture
def open_editor(qtbot, languages, registry):
    def open_(form_id, values=None, **options):
        editor = FormEditor(registry.get(form_id), values, today=TODAY, **options)
        qtbot.addWidget(editor)
        editor.resize(1100, 800)
        editor.show()
        editor.activateWindow()
        qtbot.waitUntil(editor.isActiveWindow)
        return editor

    return open_


def type_text(qtbot, widget, text):
    """Type like a user: ASCII as key presses, Chinese committed by the input method."""
    for part in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if part.isascii():
            qtbot.keyClicks(widget, part)
        elif widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
            event = QInputMethodEvent()
            event.setCommitString(part)
            QApplication.sendEvent(widget, event)


def focused():
    return QApplication.focusWidget()


def enter_fields(qtbot, editor, keys_by_field):
    """Type into fields from the first, pressing Enter after each, checking where it lands."""
    editor.focus_field(editor.form.fields[0].name)
    for field in editor.form.fields:
        if not editor.input_of(field.name).isVisible():
            continue
        widget = editor.input_of(field.name).focus_widget()
        assert focused() is widget, f"Enter did not reach {field.name}"
        keys = keys_by_field.get(field.name, "")
        if isinstance(keys, tuple):
            for _ in range(keys[1]):
                qtbot.keyClick(widget, Qt.Key.Key_Down)
        elif keys:
            type_text(qtbot, widget, keys)
        if field.type is forms.FieldType.REPEAT:
            # Past the table's add and remove buttons.
            group = editor.input_of(field.name)
            while group.isAncestorOf(focused()):
                qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        elif field.type is forms.FieldType.LONG_TEXT:
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
        else:
            qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_internship_filled_by_keyboard(qtbot, open_editor):
    editor = open_editor("internship")
    enter_fields(
        qtbot,
        editor,
        {
            "student_name": "王小明",
            "id_type": ("down", 1),
            "id_number": STUDENT_ID,
            "gender": ("down", 1),
            "birth_date": "2006年3月12日",
            "major_code": "460103",
            "internship_type": ("down", 1),
            "enterprise_name": "深圳市某某科技有限公司",
            "enterprise_uscc": ENTERPRISE_USCC,
            "start_date": "2026-3-2",
            "end_date": "20260331",
            "daily_hours": "７.５",
            "night_shift": ("down", 2),
            "notes": "第一周\n第二周",
        },
    )
    assert editor.issues == []
    assert editor.values() == {
        "student_name": "王小明",
        "id_type": "resident_id",
        "id_number": STUDENT_ID,
        "gender": "male",
        "birth_date": "2006-03-12",
        "major_code": "460103",
        "internship_type": "cognitive",
        "enterprise_name": "深圳市某某科技有限公司",
        "enterprise_uscc": ENTERPRISE_USCC,
        "start_date": "2026-03-02",
        "end_date": "2026-03-31",
        "daily_hours": 7.5,
        "night_shift": False,
        "notes": "第一周\n第二周",
    }


def test_teacher_placement_filled_by_keyboard(qtbot, open_editor):
    editor = open_editor("teacher_placement")
    enter_fields(
        qtbot,
        editor,
        {
            "direction": ("down", 1),
            "person_name": "李老师",
            "id_number": STUDENT_ID,
            "teacher_category": ("down", 1),
            "hire_date": "2015-09-01",
            "practice_form": ("down", 1),
            "start_date": "2025-07-01",
            "end_date": "2025-08-29",
            "days": "60",
        },
    )
    assert editor.issues == []
    values = editor.values()
    assert values["person_name"] == "李老师"
    assert values["days"] == 60
    assert values["hire_date"] == "2015-09-01"


def test_training_base_filled_by_keyboard_with_rows(qtbot, open_editor):
    editor = open_editor("training_base")
    industries = editor.input_of("industries")
    functions = editor.input_of("functions")
    enter_fields(
        qtbot,
        editor,
        {
            "name": "智能制造实训基地",
            "base_type": ("down", 1),
            "level": ("down", 1),
            "area_m2": "1200.5",
            "workstations": "80",
            "status": ("down", 3),
        },
    )
    for choices in (industries, functions):
        choices.focus_widget().setFocus()
        qtbot.keyClick(choices.focus_widget(), Qt.Key.Key_Home)
        qtbot.keyClick(choices.focus_widget(), Qt.Key.Key_Space)
    editor.focus_field("majors")
    majors = editor.input_of("majors")
    qtbot.keyClick(majors.table, Qt.Key.Key_Tab)
    assert focused() is majors.add_button
    qtbot.keyClick(majors.add_button, Qt.Key.Key_Space)
    assert focused() is majors.table
    # The first key opens the cell's editor, which takes the rest.
    qtbot.keyClick(majors.table, "4")
    type_text(qtbot, focused(), "60103")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "机电一体化技术")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    # The delegate commits on Enter through the event loop.
    qtbot.waitUntil(lambda: "major_name" in editor.values()["majors"][0])

    values = editor.values()
    [row] = values["majors"]
    assert uuid.UUID(row["_row"])
    assert row["major_code"] == "460103"
    assert row["major_name"] == "机电一体化技术"
    assert values["workstations"] == 80
    assert values["area_m2"] == 1200.5
    assert len(values["industries"]) == 1
    assert len(values["functions"]) == 1
    # status "operating" requires the completion date: the one error left.
    assert [issue.path for issue in editor.issues] == ["completion_date"]


def test_inline_error_appears_as_the_user_types_and_clears_when_fixed(qtbot, open_editor):
    editor = open_editor("internship")
    id_number = editor.input_of("id_number").focus_widget()
    editor.focus_field("id_number")
    type_text(qtbot, id_number, "110105200603120010")
    messages = editor._rows["id_number"].messages
    assert messages.isVisible()
    assert "不是有效的居民身份证号码" in messages.text()
    qtbot.keyClick(id_number, Qt.Key.Key_Backspace)
    qtbot.keyClick(id_number, "X")
    assert not messages.isVisible()
    assert "id_number" not in [issue.path for issue in editor.issues]


def test_text_in_a_number_field_is_explained_not_fatal(qtbot, open_editor):
    editor = open_editor("internship", {"daily_hours": 6})
    hours = editor.input_of("daily_hours").focus_widget()
    editor.focus_field("daily_hours")
    type_text(qtbot, hours, "abc")
    messages = editor._rows["daily_hours"].messages
    assert messages.isVisible()
    assert "应为数字" in messages.text()
    assert "daily_hours" not in editor.values()
    assert editor.has_errors()


def test_warnings_are_shown_apart_from_errors(qtbot, open_editor):
    editor = open_editor("internship", {"interns_at_enterprise": 30, "enterprise_staff": 100})
    [warning] = [issue for issue in editor.issues if issue.severity is forms.Severity.WARNING]
    assert warning.path == "interns_at_enterprise"
    assert "#a15c07" in editor._rows["interns_at_enterprise"].messages.text()


def test_position_fields_apply_only_to_position_internships(qtbot, open_editor):
    editor = open_editor("internship", {"internship_type": "position", "probation_wage": 3000})
    probation = editor.input_of("probation_wage")
    assert probation.isVisible()
    assert editor.values()["probation_wage"] == 3000
    editor.focus_field("internship_type")
    qtbot.keyClick(editor.input_of("internship_type").focus_widget(), Qt.Key.Key_Up)
    assert editor.values()["internship_type"] == "cognitive"
    assert not probation.isVisible()
    assert "probation_wage" not in editor.values()
    assert "probation_wage" not in [issue.path for issue in editor.issues]
    qtbot.keyClick(editor.input_of("internship_type").focus_widget(), Qt.Key.Key_Down)
    assert probation.isVisible()
    assert editor.values()["probation_wage"] == 3000


def test_required_marker_follows_the_condition(qtbot, open_editor):
    editor = open_editor("internship", {"internship_type": "cognitive"})
    position_label = editor._rows["position"].label
    assert "*" not in position_label.text()
    editor.input_of("internship_type").set_value("position")
    editor.input_of("internship_type").edited.emit()
    assert "*" in position_label.text()


def test_undo_and_redo_of_field_edits(qtbot, open_editor):
    editor = open_editor("internship")
    name = editor.input_of("student_name").focus_widget()
    major = editor.input_of("major_name").focus_widget()
    editor.focus_field("student_name")
    type_text(qtbot, name, "张三")
    editor.focus_field("major_name")
    type_text(qtbot, major, "护理")
    assert editor.undo_stack.count() == 2  # typing in one field is one step
    qtbot.keyClick(major, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert major.text() == ""
    qtbot.keyClick(major, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == ""
    assert focused() is name
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(name, Qt.Key.Key_Z, ctrl_shift)
    assert name.text() == "张三"
    assert editor.values() == {"student_name": "张三"}


def test_autosave_after_idle_with_wire_values(qtbot, open_editor):
    editor = open_editor("internship")
    editor.focus_field("start_date")
    with qtbot.waitSignal(editor.autosave_requested, timeout=2000) as autosaved:
        type_text(qtbot, editor.input_of("start_date").focus_widget(), "2026/3/2")
    assert autosaved.args == [{"start_date": "2026-03-02"}]
    assert editor._save_state_label.text() == "正在保存…"
    editor.set_save_state(SaveState.SAVED, datetime.datetime(2026, 3, 1, 10, 42))
    assert editor._save_state_label.text() == "已保存 10:42"


def test_closing_mid_edit_saves_at_once(qtbot, open_editor):
    editor = open_editor("internship")
    editor.focus_field("student_name")
    type_text(qtbot, editor.input_of("student_name").focus_widget(), "赵")
    assert editor._save_state_label.text() == "未保存"
    with qtbot.waitSignal(editor.autosave_requested, timeout=0) as autosaved:
        editor.close()
    assert autosaved.args == [{"student_name": "赵"}]


def test_a_failed_save_is_tried_again_on_close(qtbot, open_editor):
    editor = open_editor("internship")
    editor.focus_field("student_name")
    with qtbot.waitSignal(editor.autosave_requested, timeout=2000):
        type_text(qtbot, editor.input_of("student_name").focus_widget(), "赵")
    editor.set_save_state(SaveState.UNSAVED)
    assert editor._save_state_label.text() == "未保存"
    with qtbot.waitSignal(editor.autosave_requested, timeout=0) as autosaved:
        editor.close()
    assert autosaved.args == [{"student_name": "赵"}]


def test_nothing_autosaved_without_edits(qtbot, open_editor):
    editor = open_editor("internship", {"student_name": "赵"})
    with qtbot.assertNotEmitted(editor.autosave_requested, wait=400):
        editor.close()


def test_ctrl_s_saves_and_ctrl_enter_submits_only_without_errors(qtbot, open_editor):
    values = {
        "student_name": "王小明",
        "id_number": STUDENT_ID,
        "internship_type": "cognitive",
        "enterprise_name": "某某公司",
        "start_date": "2026-03-02",
        "end_date": "2026-03-31",
    }
    editor = open_editor("internship", {**values, "end_date": None})
    name = editor.input_of("student_name").focus_widget()
    editor.focus_field("student_name")
    with qtbot.waitSignal(editor.save_requested, timeout=0) as saved:
        qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [{k: v for k, v in values.items() if k != "end_date"}]
    with qtbot.assertNotEmitted(editor.submit_requested):
        qtbot.keyClick(name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    end_date = editor.input_of("end_date").focus_widget()
    assert focused() is end_date
    type_text(qtbot, end_date, "2026-03-31")
    with qtbot.waitSignal(editor.submit_requested, timeout=0) as submitted:
        qtbot.keyClick(end_date, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert submitted.args == [values]


def test_summary_jumps_to_the_field(qtbot, open_editor):
    editor = open_editor(
        "internship",
        {"student_name": "王小明", "end_date": "2026-01-01", "start_date": "2026-02-01"},
    )
    rows = [editor.summary.item(i) for i in range(editor.summary.count())]
    [end_before_start] = [item for item in rows if "早于" in item.text()]
    editor.summary.setCurrentItem(end_before_start)
    editor.summary.setFocus()
    qtbot.keyClick(editor.summary, Qt.Key.Key_Return)
    assert focused() is editor.input_of("end_date").focus_widget()


def test_repeat_rows_keep_their_ids_and_show_cell_issues(qtbot, open_editor):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    editor = open_editor(
        "training_base",
        {
            "partners": [
                {"_row": first, "enterprise_name": "甲公司", "uscc": ENTERPRISE_USCC},
                {"_row": second, "enterprise_name": "乙公司", "investment_10k_yuan": 12.5},
            ]
        },
    )
    partners = editor.input_of("partners")
    assert [row["_row"] for row in editor.values()["partners"]] == [first, second]
    assert "第 2 行" in editor._rows["partners"].messages.text()
    assert partners.table.item(1, 1).toolTip() != ""
    partners.table.setCurrentCell(0, 0)
    partners.remove_current_row()
    assert [row["_row"] for row in editor.values()["partners"]] == [second]
    qtbot.keyClick(partners.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [row["_row"] for row in editor.values()["partners"]] == [first, second]


def test_read_only_for_review(qtbot, open_editor):
    editor = open_editor("internship", {"student_name": "王小明"}, read_only=True)
    name = editor.input_of("student_name").focus_widget()
    editor.focus_field("student_name")
    type_text(qtbot, name, "改")
    gender = editor.input_of("gender").focus_widget()
    gender.setFocus()
    qtbot.keyClick(gender, Qt.Key.Key_Down)
    assert editor.values() == {"student_name": "王小明"}
    # Every kind of input looks read-only the same way, and none is greyed out.
    kinds = ("student_name", "gender", "start_date")
    assert {editor.input_of(kind).styleSheet() for kind in kinds} == {READ_ONLY_STYLE}
    assert gender.isEnabled()
    with qtbot.assertNotEmitted(editor.autosave_requested):
        editor.close()


def test_the_issue_panel_folds_away_while_there_are_no_issues(qtbot, open_editor, registry):
    with_issues = open_editor("internship")
    assert with_issues.issues and with_issues.summary.isVisible()
    assert not with_issues._no_issues_label.isVisible()
    values = SampleFactory(seed=3).fields("internship")
    valid = FormEditor(registry.get("internship"), values, today=samples.DEFAULT_TODAY)
    qtbot.addWidget(valid)
    valid.show()
    assert not valid.issues
    assert not valid.summary.isVisible()
    assert valid._no_issues_label.isVisible()


def test_language_switches_live(qtbot, open_editor, languages):
    editor = open_editor("internship")
    label = editor._rows["student_name"].label
    assert "学生姓名" in label.text()
    languages.switch_to("en")
    qtbot.waitUntil(lambda: "Student name" in label.text())
    assert editor._summary_title.text().startswith("Errors")
    assert editor.input_of("night_shift").focus_widget().itemText(1) == "Yes"


def test_tab_leaves_a_table_after_its_last_cell(qtbot, open_editor):
    editor = open_editor("training_base", {"majors": [{"_row": str(uuid.uuid4())}]})
    majors = editor.input_of("majors")
    editor.focus_field("majors")
    majors.table.setCurrentCell(0, 0)
    qtbot.keyClick(majors.table, Qt.Key.Key_Tab)
    assert (majors.table.currentRow(), majors.table.currentColumn()) == (0, 1)
    qtbot.keyClick(majors.table, Qt.Key.Key_Tab)
    assert focused() is majors.add_button
    majors.table.setCurrentCell(0, 0)
    majors.table.setFocus()
    qtbot.keyClick(majors.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is editor.input_of("industries").focus_widget()


def test_date_picked_from_the_calendar_by_keyboard(qtbot, open_editor):
    editor = open_editor("internship", {"birth_date": "2006-03-12"})
    birth_date = editor.input_of("birth_date")
    editor.focus_field("birth_date")
    qtbot.keyClick(birth_date.focus_widget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: birth_date._calendar is not None and birth_date._calendar.isVisible())
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert editor.values()["birth_date"] == "2006-03-13"
    assert focused() is birth_date.focus_widget()
    assert editor.undo_stack.count() == 1
