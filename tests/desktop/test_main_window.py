"""The main window driven like a clerk does: navigation, keys, and the store behind it."""

import uuid

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop.dialogs.conflict import ConflictDialog
from desktop.main_window import ATTENTION, HOME
from desktop.records.list_page import RecordListPage
from desktop.records.record_page import RecordPage
from sync.protocol import Decision, Record, RecordStatus
from sync.samples import SampleFactory
from sync.store import RecordQuery, Store
from tests.desktop.test_editor import STUDENT_ID, enter_fields
from tests.desktop.windows import USER, open_store, pulled, save_valid, type_text


def navigation_texts(window):
    return [window.navigation.item(row).text() for row in range(window.navigation.count())]


def test_navigation_lists_home_the_three_forms_and_attention(store, open_window):
    window = open_window(store)
    assert navigation_texts(window) == ["首页", "实训基地", "学生实习", "教师企业实践", "需要处理"]
    window.navigation.setCurrentRow(2)
    assert isinstance(window.current_page(), RecordListPage)
    assert window.current_page().form.id == "internship"


def test_language_switches_live_and_retitles_the_navigation(qtbot, store, open_window, languages):
    window = open_window(store)
    chosen = []
    window.language_chosen.connect(chosen.append)
    english = next(a for a in window.language_actions.actions() if a.data() == "en")
    english.trigger()
    assert chosen == ["en"]
    languages.switch_to("en")
    qtbot.waitUntil(lambda: navigation_texts(window)[0] == "Home")
    assert navigation_texts(window) == [
        "Home",
        "Training bases",
        "Student internships",
        "Teacher placements",
        "Needs attention",
    ]
    assert window.windowTitle() == "Chanjiao Collect"
    assert english.isChecked()
    languages.switch_to("zh_CN")
    qtbot.waitUntil(lambda: navigation_texts(window)[0] == "首页")


def test_new_record_by_keyboard_shows_in_the_list(qtbot, store, open_window):
    window = open_window(store)
    window.show_page("internship")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, RecordPage)
    name_input = page.editor.input_of("student_name").focus_widget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name_input)
    type_text(qtbot, name_input, "赵六")
    qtbot.keyClick(name_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.count(RecordQuery(form="internship")) == 1)
    page.back_button.click()
    listing = window.current_page()
    assert isinstance(listing, RecordListPage)
    assert listing.model.rowCount() == 1
    assert "赵六" in [listing.model.index(0, c).data() for c in range(4)]
    assert window.badge("internship") == 1


def test_closing_mid_edit_loses_nothing(qtbot, store_path, open_window):
    store = open_store(store_path)
    window = open_window(store)
    window.new_record("training_base")
    page = window.current_page()
    name_input = page.editor.input_of("name").focus_widget()
    type_text(qtbot, name_input, "智能制造实训基地")
    # Closed before the autosave delay is over.
    window.close()
    shiboken6.delete(window)
    store.close()
    with Store.open(store_path) as reopened:
        rows = reopened.list_records(RecordQuery(form="training_base")).rows
        assert [row.columns["name"] for row in rows] == ["智能制造实训基地"]


def test_submit_and_withdraw(qtbot, store, open_window):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    assert page.submit_button.isEnabled()
    page.submit_button.click()
    assert store.get(record_id).status is RecordStatus.SUBMITTED
    assert page.editor.read_only
    assert page.withdraw_button.isVisible() and not page.submit_button.isVisible()
    page.withdraw_button.click()
    assert store.get(record_id).status is RecordStatus.DRAFT
    assert not page.editor.read_only
    assert page.submit_button.isVisible()


def test_submit_is_disabled_with_the_reason_while_errors_remain(store, open_window):
    window = open_window(store)
    window.new_record("internship")
    page = window.current_page()
    assert not page.submit_button.isEnabled()
    assert "错误" in page._submit_reason.text()
    assert page._submit_reason.isVisible()


def test_a_saved_record_opens_with_its_errors_beside_their_fields(store, open_window):
    record_id = store.save("internship", None, {"student_name": "张三"}, USER).record_id
    window = open_window(store)
    window.open_record("internship", record_id)
    editor = window.current_page().editor
    # Never answered, and required: its message shows without the field being touched.
    messages = editor._rows["id_number"].messages
    assert messages.isVisible()
    assert "请填写“证件号码”" in messages.text()


def test_a_new_record_opens_without_messages_beside_its_fields(store, open_window):
    window = open_window(store)
    window.new_record("internship")
    editor = window.current_page().editor
    assert editor.issues
    assert not any(row.messages.isVisible() for row in editor._rows.values())


def test_delete_asks_for_confirmation(qtbot, store, open_window, monkeypatch):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    window.delete_action.trigger()
    assert store.count(RecordQuery(form="internship")) == 1
    assert isinstance(window.current_page(), RecordPage)
    window.delete_action.trigger()
    assert store.count(RecordQuery(form="internship")) == 0
    assert isinstance(window.current_page(), RecordListPage)
    assert answers == []


def test_ctrl_f_goes_to_the_search_box_of_the_current_form(qtbot, store, open_window):
    window = open_window(store)
    window.show_page("teacher_placement")
    window.show_page(HOME)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, RecordListPage) and page.form.id == "teacher_placement"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.search_box)


def test_home_counts_records_by_form_and_status(store, open_window):
    save_valid(store, "张三")
    submitted = save_valid(store, "李四")
    store.submit(submitted, USER)
    window = open_window(store)
    card = window.home._cards["internship"]
    assert card.status_figures[RecordStatus.DRAFT].number.text() == "1"
    assert card.status_figures[RecordStatus.SUBMITTED].number.text() == "1"
    assert card.pending.number.text() == "2"


def test_returned_records_need_attention_with_the_county_comment(qtbot, store, open_window):
    record_id = save_valid(store, "张三")
    store.submit(record_id, USER)
    store.review(record_id, Decision.RETURN, "county", "企业信用代码请核对")
    window = open_window(store)
    assert window.badge(ATTENTION) == 1
    window.show_page(ATTENTION)
    tree = window.attention.tree
    assert tree.topLevelItemCount() == 1
    item = tree.topLevelItem(0)
    assert item.text(0) == "被区县退回"
    assert "企业信用代码请核对" in item.text(3)
    tree.itemActivated.emit(item, 0)
    page = window.current_page()
    assert isinstance(page, RecordPage) and page.record_id == record_id
    assert "企业信用代码请核对" in page._review_banner.text()
    assert not page.editor.read_only


def pull_conflict(store):
    """A record the hub sent at rev 1, then at rev 2 with a conflict on the student's name."""
    fields = SampleFactory(seed=5).fields("internship", "valid")
    record_id = str(uuid.uuid4())
    base = {
        "id": record_id,
        "form": "internship",
        "form_version": 1,
        "org": "school01",
        "county": "500103",
        "status": "draft",
        "updated_by": "hub",
    }
    first = Record.model_validate(
        {
            **base,
            "rev": 1,
            "fields": {**fields, "student_name": "张三"},
            "updated_at": "2026-03-01T08:00:00Z",
        }
    )
    conflict = {
        "id": str(uuid.uuid4()),
        "mutation_id": str(uuid.uuid4()),
        "by": "county",
        "at": "2026-03-02T08:00:00Z",
        "base_rev": 1,
        "fields": [{"path": "student_name", "base": "张三", "mine": "张叁", "theirs": "张珊"}],
    }
    second = Record.model_validate(
        {
            **base,
            "rev": 2,
            "fields": {**fields, "student_name": "张珊"},
            "updated_at": "2026-03-02T08:00:00Z",
            "conflict": conflict,
        }
    )
    store.apply_pull_page([first], cursor="1")
    store.apply_pull_page([second], cursor="2")
    return record_id


def test_a_conflict_needs_attention_and_is_resolved_from_the_record(
    qtbot, store, open_window, monkeypatch
):
    record_id = pull_conflict(store)
    window = open_window(store)
    assert window.badge(ATTENTION) == 1
    window.show_page(ATTENTION)
    item = window.attention.tree.topLevelItem(0)
    assert item.text(0) == "冲突"
    assert "学生姓名" in item.text(3)
    window.attention.tree.itemActivated.emit(item, 0)
    page = window.current_page()
    assert page.editor.read_only
    assert page.resolve_button.isVisible()
    assert not page.submit_button.isEnabled()

    def take_theirs(dialog):
        dialog.choose_all("theirs")
        dialog.resolve()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", take_theirs)
    page.resolve_button.click()
    page = window.current_page()
    assert isinstance(page, RecordPage) and page.record_id == record_id
    assert not page.editor.read_only
    assert page.editor.input_of("student_name").value() == "张珊"
    assert store.get(record_id).conflict is None
    assert window.badge(ATTENTION) == 0


def test_the_open_record_saves_as_pdf_with_what_was_just_typed(
    qtbot, store, open_window, monkeypatch, tmp_path
):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    class_input = window.current_page().editor.input_of("class_name").focus_widget()
    class_input.setFocus()
    type_text(qtbot, class_input, "2024级数控1班")
    target = tmp_path / "张三.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    window.pdf_action.trigger()
    assert target.read_bytes().startswith(b"%PDF")
    assert store.get(record_id).fields["class_name"].endswith("2024级数控1班")


def test_a_whole_form_filled_by_keyboard_is_submitted_and_listed(qtbot, store, open_window):
    window = open_window(store)
    window.show_page("internship")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    enter_fields(
        qtbot,
        page.editor,
        {
            "student_name": "王小明",
            "id_type": ("down", 1),
            "id_number": STUDENT_ID,
            "gender": ("down", 1),
            "birth_date": "2006-03-12",
            "internship_type": ("down", 1),
            "enterprise_name": "重庆某某科技有限公司",
            "start_date": "2026-3-2",
            "end_date": "20260331",
            "night_shift": ("down", 2),
        },
    )
    assert page.submit_button.isEnabled()
    # Tab out of the last field lands on Submit (no issue list in between), where Ctrl+Enter
    # submits as it does in the form.
    assert QApplication.focusWidget() is page.submit_button
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert store.get(page.record_id).status is RecordStatus.SUBMITTED
    page.back_button.click()
    listing = window.current_page()
    row = [listing.model.index(0, c).data() for c in range(listing.model.columnCount())]
    assert row[:3] == ["已提交", "王小明", "110105********001X"]


def test_escape_goes_back_to_the_list(qtbot, store, open_window):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    name_input = page.editor.input_of("student_name").focus_widget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name_input)
    qtbot.keyClick(name_input, Qt.Key.Key_Escape)
    assert isinstance(window.current_page(), RecordListPage)


def test_an_edit_to_a_record_approved_meanwhile_is_refused_in_plain_words(
    qtbot, store, open_window
):
    record_id = save_valid(store, "张三")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    store.submit(record_id, USER)
    store.review(record_id, Decision.APPROVE, "county")
    messages = []
    page.status_message.connect(messages.append)
    class_input = page.editor.input_of("class_name").focus_widget()
    class_input.setFocus()
    type_text(qtbot, class_input, "1班")
    page.flush()
    assert "未保存" in messages[-1]
    assert page.editor.read_only
    assert store.get(record_id).status is RecordStatus.APPROVED


def test_the_open_record_follows_what_a_sync_brought(qtbot, store, open_window):
    fields = SampleFactory(seed=5).fields("internship", "valid")
    record_id = str(uuid.uuid4())
    store.apply_pull_page([pulled(record_id, 1, fields)], cursor="1")
    window = open_window(store)
    window.open_record("internship", record_id)
    page = window.current_page()
    window._synced(None)
    assert window.current_page() is page
    store.apply_pull_page([pulled(record_id, 2, {**fields, "class_name": "县里改的班级"})], "2")
    window._synced(None)
    page = window.current_page()
    assert isinstance(page, RecordPage) and page.record_id == record_id
    assert page.editor.input_of("class_name").value() == "县里改的班级"
    # Its own saves are not news.
    class_input = page.editor.input_of("class_name").focus_widget()
    class_input.setFocus()
    type_text(qtbot, class_input, "1班")
    page.flush()
    window._synced(None)
    assert window.current_page() is page


def test_a_figure_on_the_home_page_opens_the_list_of_those_records(qtbot, store, open_window):
    save_valid(store, "张三")
    submitted = save_valid(store, "李四")
    store.submit(submitted, USER)
    window = open_window(store)
    figure = window.home._cards["internship"].status_figures[RecordStatus.SUBMITTED]
    qtbot.mouseClick(figure, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, RecordListPage) and page.form.id == "internship"
    assert page.model.rowCount() == 1
    assert page.model.record_id(0) == submitted
