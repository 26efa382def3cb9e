"""The record list: the model over the store's keyset pages, and the page around it."""

import dataclasses

import pytest
import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

import forms
from desktop.records.list_page import RecordListPage
from desktop.records.model import BLOCK_SIZE, RECORD_ID_ROLE, RecordListModel
from sync.protocol import RecordStatus
from sync.samples import SampleFactory
from sync.store import RecordQuery, Store
from tests.desktop.stores import fill, multiply

BIG = 100_000
USER = "li"


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    # One store for the module, open from its creation: reopening checks all 100,000 records.
    path = tmp_path_factory.mktemp("big") / "store.sqlite3"
    with Store.open(path) as store:
        fill(store, "internship", BIG // 100, distinct=200)
        multiply(path, "internship", 99)
        yield store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "store.sqlite3") as store:
        yield store


@pytest.fixture
def internship():
    return forms.FormRegistry().get("internship")


def save_student(store, name, flavour="valid", **changes):
    fields = SampleFactory(seed=hash(name) % 1000).fields("internship", flavour)
    fields = {**fields, "student_name": name, **changes}
    return store.save("internship", None, fields, USER).record_id


@pytest.fixture
def open_list(qtbot, languages):
    pages = []

    def open_(store, form_id="internship"):
        page = RecordListPage(store, store.registry.get(form_id), USER)
        pages.append(page)
        page.resize(1100, 700)
        page.show()
        return page

    yield open_
    # Before the store closes: a page left alive would read it on the next language change.
    for page in pages:
        shiboken6.delete(page)


def shown_names(page):
    model = page.model
    column = [c.header("zh") for c in model.columns].index("学生姓名")
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester, qapp, store, internship):
    fill(store, "internship", BLOCK_SIZE * 2 + 50, distinct=20)
    save_student(store, "张三", flavour="error")
    model = RecordListModel(store, internship)
    qtmodeltester.check(model)
    model.set_query(RecordQuery(form="internship", statuses=(RecordStatus.DRAFT,)))
    qtmodeltester.check(model)


def reads_of_the_store(store, monkeypatch):
    """The list queries the store answers from now on, as (offset, after) pairs."""
    reads = []
    list_records = store.list_records

    def counted(query, after=None, limit=50, **options):
        reads.append((options.get("offset", 0), after))
        return list_records(query, after, limit, **options)

    monkeypatch.setattr(store, "list_records", counted)
    return reads


def test_a_100000_record_list_spans_every_row_and_ctrl_end_reaches_the_last(
    qtbot, big_store, open_list, monkeypatch
):
    reads = reads_of_the_store(big_store, monkeypatch)
    page = open_list(big_store)
    assert page.model.rowCount() == BIG
    assert "100000" in page._count.text()
    scroll_bar = page.table.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.maximum() > BIG - 100)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.table.currentIndex().row() == BIG - 1
    assert scroll_bar.value() == scroll_bar.maximum()
    oldest = big_store.list_records(
        dataclasses.replace(page.model.query, descending=not page.model.query.descending), limit=3
    )
    assert [page.model.record_id(row) for row in (BIG - 1, BIG - 2, BIG - 3)] == [
        row.id for row in oldest.rows
    ]
    assert page.model.index(BIG - 1, 0).data() in {"草稿", "已提交", "已通过"}
    # The first rows and the last ones, not the 100,000 between.
    assert len(reads) < 10


def test_rows_read_by_key_and_by_offset_agree_with_the_store(big_store, qapp, monkeypatch):
    model = RecordListModel(big_store, big_store.registry.get("internship"))
    reads = reads_of_the_store(big_store, monkeypatch)
    # Down from the middle: the first block at its offset, the next after the key it ended at.
    middle = BIG // 2 - BLOCK_SIZE // 2
    shown = [model.record_id(row) for row in range(middle, middle + BLOCK_SIZE * 2)]
    assert reads[0][0] > 0 and reads[-1][1] is not None
    expected = big_store.list_records(model.query, offset=middle, limit=BLOCK_SIZE * 2)
    assert shown == [row.id for row in expected.rows]
    assert model.index(middle, 0).data() == {
        RecordStatus.DRAFT: "草稿",
        RecordStatus.SUBMITTED: "已提交",
        RecordStatus.APPROVED: "已通过",
    }.get(expected.rows[0].status)


def test_id_numbers_are_masked(store, open_list):
    save_student(store, "张三")
    page = open_list(store)
    column = [c.header("zh") for c in page.model.columns].index("证件号码")
    shown = page.model.index(0, column).data()
    assert "********" in shown and len(shown) == 18


def test_search_by_chinese_and_by_pinyin_initials(qtbot, store, open_list):
    for name in ("张三", "李四", "王小明"):
        save_student(store, name)
    page = open_list(store)
    assert sorted(shown_names(page)) == sorted(["张三", "李四", "王小明"])
    qtbot.keyClicks(page.search_box, "wxm")
    qtbot.waitUntil(lambda: shown_names(page) == ["王小明"])
    page.search_box.clear()
    page.search_box.insert("李四")
    qtbot.waitUntil(lambda: shown_names(page) == ["李四"])
    page.search_box.clear()
    qtbot.waitUntil(lambda: len(shown_names(page)) == 3)


def test_filters_by_status_issues_and_conflict(store, open_list):
    draft = save_student(store, "张三")
    save_student(store, "李四", flavour="error")
    submitted = save_student(store, "王五")
    store.submit(submitted, USER)
    page = open_list(store)
    page.status_filter.setCurrentIndex(page.status_filter.findData(RecordStatus.SUBMITTED))
    assert shown_names(page) == ["王五"]
    page.status_filter.setCurrentIndex(page.status_filter.findData(RecordStatus.DRAFT))
    assert sorted(shown_names(page)) == ["张三", "李四"]
    page.issues_filter.setChecked(True)
    assert shown_names(page) == ["李四"]
    page.status_filter.setCurrentIndex(0)
    page.issues_filter.setChecked(False)
    page.conflict_filter.setChecked(True)
    assert shown_names(page) == []
    assert page.model.total() == 0
    assert draft


def test_columns_sort_through_the_store(store, open_list):
    for name in ("王五", "张三", "李四"):
        save_student(store, name)
    page = open_list(store)
    column = [c.header("zh") for c in page.model.columns].index("学生姓名")
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert page.model.query.sort == "student_name"
    assert shown_names(page) == sorted(["王五", "张三", "李四"])
    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert shown_names(page) == sorted(["王五", "张三", "李四"], reverse=True)


def test_status_and_issue_badges(store, open_list):
    save_student(store, "李四", flavour="error")
    page = open_list(store)
    marks = [c.header("zh") for c in page.model.columns].index("提示")
    assert page.model.index(0, 0).data() == "草稿"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "有错误" in page.model.index(0, marks).data()
    assert "未同步" in page.model.index(0, marks).data()


def select_rows(page, rows):
    selection = page.table.selectionModel()
    for row in rows:
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_bulk_submit_submits_the_selected_records_without_errors(store, open_list):
    good = [save_student(store, name) for name in ("张三", "王五")]
    bad = save_student(store, "李四", flavour="error")
    page = open_list(store)
    messages = []
    page.status_message.connect(messages.append)
    select_rows(page, range(3))
    assert page.submit_button.isEnabled()
    assert "3" in page.submit_button.text()
    page.submit_button.click()
    assert [store.get(i).status for i in good] == [RecordStatus.SUBMITTED] * 2
    assert store.get(bad).status is RecordStatus.DRAFT
    assert "2" in messages[-1] and "1" in messages[-1]


def test_delete_of_selected_records_asks_first(store, open_list, monkeypatch):
    record_id = save_student(store, "张三")
    page = open_list(store)
    select_rows(page, [0])
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(*args, **kwargs):
        asked.append(args)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    page.delete_selected()
    assert len(asked) == 1
    assert store.count(RecordQuery(form="internship")) == 1
    page.delete_selected()
    assert store.count(RecordQuery(form="internship")) == 0
    assert page.model.rowCount() == 0
    assert record_id


def test_list_speaks_english_after_a_live_switch(qtbot, store, open_list, languages):
    save_student(store, "张三")
    page = open_list(store)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: page.new_button.text() == "New record")
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Status"
    assert page.model.index(0, 0).data() == "Draft"
    assert page.status_filter.itemText(0) == "All statuses"
    assert page.model.index(0, 0).data(RECORD_ID_ROLE) == page.model.record_id(0)


def test_a_changed_query_keeps_filters_of_the_page(store, open_list):
    save_student(store, "张三")
    page = open_list(store)
    page.model.set_query(dataclasses.replace(page.model.query, sort="student_name"))
    page.issues_filter.setChecked(True)
    assert page.model.query.sort == "student_name"
    assert page.model.query.has_issues is True


def test_a_refresh_keeps_the_scroll_and_the_selection_far_down_and_moved_to_the_top(
    qtbot, store, open_list
):
    fill(store, "internship", BLOCK_SIZE * 5, distinct=50)
    page = open_list(store)
    page.model.set_query(
        dataclasses.replace(page.model.query, sort="student_name", descending=False)
    )
    page.table.scrollToBottom()
    scrolled = page.table.verticalScrollBar().value()
    far_down = BLOCK_SIZE * 5 - 2
    edited = next(
        row for row in range(BLOCK_SIZE * 3, far_down) if page.model.index(row, 0).data() == "草稿"
    )
    select_rows(page, [far_down, edited])
    chosen = set(page.selected_ids())
    # Renamed, the edited record sorts first: 一 is the first of the Chinese characters.
    edited_id = page.model.record_id(edited)
    store.save("internship", edited_id, {"student_name": "一一"}, USER)
    page.refresh()
    assert page.model.record_id(0) == edited_id
    assert set(page.selected_ids()) == chosen
    assert page.table.verticalScrollBar().value() == scrolled


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_column_is_readable_in_a_1300_pixel_window(
    qtbot, tmp_path, languages, inline_pool, language
):
    from desktop.main_window import MainWindow
    from desktop.tasks import TaskRunner

    languages.switch_to(language)
    with Store.open(tmp_path / "store.sqlite3") as store:
        store.set_sync_state(dataclasses.replace(store.sync_state(), username=USER, org="S1"))
        for form_id in ("training_base", "internship", "teacher_placement"):
            fill(store, form_id, 60, distinct=60)
            # Unsent and with errors (required fields left out): the longest flags a row has.
            form = store.registry.get(form_id)
            fields = SampleFactory(seed=9).fields(form_id, "valid")
            for field in form.fields:
                if field.required is True and not field.list_column:
                    fields.pop(field.name, None)
            assert store.save(form_id, None, fields, USER).issues
        window = MainWindow(store, TaskRunner(inline_pool))
        try:
            window.resize(1300, 820)
            window.show()
            for form_id in ("training_base", "internship", "teacher_placement"):
                window.show_page(form_id)
                table = window.lists[form_id].table
                header = table.horizontalHeader()
                qtbot.waitUntil(lambda table=table: table.model().rowCount() == 61)
                model = table.model()
                for column in range(model.columnCount()):
                    name = model.headerData(column, Qt.Orientation.Horizontal)
                    width = table.columnWidth(column)
                    print(
                        form_id,
                        name,
                        width,
                        header.sectionSizeHint(column),
                        table.sizeHintForColumn(column),
                        table.viewport().width(),
                    )
                    assert width >= header.sectionSizeHint(column), (form_id, name)
                    # Typical content: nine rows in ten whole (a few long names may be cut).
                    cut = [
                        row
                        for row in range(model.rowCount())
                        if table.sizeHintForIndex(model.index(row, column)).width() > width
                    ]
                    assert len(cut) <= model.rowCount() // 10, (form_id, name)
                assert header.length() <= table.viewport().width(), form_id
        finally:
            shiboken6.delete(window)


def test_a_list_first_shown_empty_fits_its_columns_to_the_first_records(store, open_list):
    page = open_list(store)
    assert page.model.rowCount() == 0
    save_student(store, "欧阳明月", enterprise_name="重庆市渝中区酒店管理与数字化运营有限公司")
    page.refresh()
    for column in range(page.model.columnCount()):
        content = page.table.sizeHintForIndex(page.model.index(0, column)).width()
        assert page.table.columnWidth(column) >= content, column
