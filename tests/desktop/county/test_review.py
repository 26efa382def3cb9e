"""The county's review against a real hub on loopback: a school's store and the county's store,
each with its own engine, synced for real. The county's window is the app's MainWindow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.county.review import ReviewPage
from desktop.county.review_dialogs import CommentDialog
from desktop.county.review_record import ReviewRecordPage
from desktop.county.workspace import ATTENTION, REVIEW, CountyWorkspace
from desktop.dialogs.conflict import ConflictDialog
from desktop.main_window import MainWindow
from desktop.tasks import TaskRunner
from sync.engine import ReferenceCache, SyncOutcome
from sync.profile import REFERENCE_FILE
from sync.protocol import Decision, RecordStatus
from sync.samples import SampleFactory
from tests.desktop.windows import full_disk
from tests.sync.engine.conftest import Device, Fault

FORM = "internship"
S1_NAME = "重庆市渝中职业教育中心"
S2_NAME = "重庆渝州科技职业学院"


@pytest.fixture
def open_window(qtbot, languages, inline_pool):
    windows: list[MainWindow] = []

    def open_(device: Device) -> MainWindow:
        window = MainWindow(device.store, TaskRunner(inline_pool))
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield open_
    for window in windows:
        if shiboken6.isValid(window):
            shiboken6.delete(window)


def synced(device: Device) -> None:
    outcome = device.engine.sync()
    assert outcome.outcome is SyncOutcome.SYNCED, outcome


def submit_new(school: Device, flavour: str = "valid", seed: int = 1) -> str:
    fields = SampleFactory(seed=seed).fields(FORM, flavour)
    record_id = school.store.save(FORM, None, fields, school.username).record_id
    school.store.submit(record_id, school.username)
    return record_id


def review_page(window: MainWindow) -> ReviewPage:
    assert isinstance(window.workspace, CountyWorkspace)
    window.workspace.show_page(REVIEW)
    review = window.workspace.review
    review.queue.form_filter.setCurrentIndex(review.queue.form_filter.findData(FORM))
    return review


def open_for_review(window: MainWindow, record_id: str) -> ReviewRecordPage:
    review = review_page(window)
    review.queue.refresh()
    model = review.queue.model
    row = next(r for r in range(model.rowCount()) if model.record_id(r) == record_id)
    review.queue.table.activated.emit(model.index(row, 0))
    page = review.record_page
    assert page is not None and page.isVisible()
    return page


def answer_comment_dialog(
    monkeypatch: pytest.MonkeyPatch, comment: str, check: Callable[[CommentDialog], None]
) -> None:
    """The next comment dialog gets `comment` typed; `check` sees it before it closes."""

    def exec_(dialog: CommentDialog) -> int:
        assert not dialog.ok_button.isEnabled()
        dialog.comment_box.setPlainText(comment)
        check(dialog)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(CommentDialog, "exec", exec_)


def queue_ids(window: MainWindow) -> list[str]:
    queue = review_page(window).queue
    queue.refresh()
    return [queue.model.record_id(row) for row in range(queue.model.rowCount())]


def test_a_county_user_gets_the_county_workspace(devices, open_window):
    window = open_window(devices("county"))
    workspace = window.workspace
    assert isinstance(workspace, CountyWorkspace)
    assert window.centralWidget() is workspace
    assert workspace.page_keys()[0] == REVIEW and workspace.page_keys()[-1] == ATTENTION
    assert workspace.navigation.item(0).text() == "审核"
    school_window = open_window(devices("school1"))
    assert school_window.workspace is None


def test_submit_return_fix_resubmit_approve(devices, open_window, monkeypatch):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    assert record_id in queue_ids(window)

    assert not window.print_action.isEnabled()
    page = open_for_review(window, record_id)
    assert page.editor.read_only
    assert window.print_action.isEnabled()
    answer_comment_dialog(monkeypatch, "实习协议未上传，请补充。", lambda _dialog: None)
    page.return_button.click()
    assert county.store.get(record_id).status is RecordStatus.RETURNED
    synced(county)

    synced(school)
    returned = school.store.get(record_id)
    assert returned.status is RecordStatus.RETURNED
    assert returned.review is not None and returned.review.comment == "实习协议未上传，请补充。"
    fields = dict(SampleFactory(seed=1).fields(FORM, "valid"))
    fields["position"] = "数控车工"
    school.store.save(FORM, record_id, fields, school.username)
    school.store.submit(record_id, school.username)
    synced(school)

    synced(county)
    window._synced(None)
    # The record still open under review follows the sync: the school's fix, to decide on.
    assert review_page(window).record_page is page
    assert page.editor.input_of("position").value() == "数控车工"
    assert page.approve_button.isVisible()
    page.approve_button.click()
    synced(county)
    synced(school)
    approved = school.store.get(record_id)
    assert approved.status is RecordStatus.APPROVED
    assert approved.fields["position"] == "数控车工"


def test_return_without_a_comment_is_impossible(devices, open_window, monkeypatch):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)

    def exec_(dialog: CommentDialog) -> int:
        assert not dialog.ok_button.isEnabled()
        dialog.comment_box.setPlainText("   \n ")
        assert not dialog.ok_button.isEnabled()
        dialog.accept()  # Enter with a blank comment
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(CommentDialog, "exec", exec_)
    page.return_button.click()
    assert county.store.get(record_id).status is RecordStatus.SUBMITTED
    assert not county.store.get(record_id).pending


def test_a_review_made_offline_syncs_later(devices, open_window):
    school = devices("school1")
    county = devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)
    page.approve_button.click()
    assert page._pending_banner.isVisible()

    county.transport.scripted = [Fault.DROP_REQUEST] * 20
    assert county.engine.sync().outcome is SyncOutcome.OFFLINE
    assert county.store.get(record_id).pending
    queue = review_page(window).queue
    queue.status_filter.setCurrentIndex(queue.status_filter.findData("not_sent"))
    assert queue_ids(window) == [record_id]
    assert "1" in queue._not_sent.text()

    county.transport.off()
    synced(county)
    assert not county.store.get(record_id).pending
    assert county.live.records("school1")[record_id].status is RecordStatus.APPROVED


def test_bulk_approve_skips_records_with_warnings(devices, open_window, monkeypatch):
    school, county = devices("school1"), devices("county")
    clean = [submit_new(school, "valid", seed) for seed in (1, 2)]
    warned = submit_new(school, "warning", 3)
    synced(school)
    synced(county)
    window = open_window(county)
    queue = review_page(window).queue
    queue.refresh()
    queue.table.selectAll()
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    queue.bulk_approve_button.click()
    assert "2" in asked[0] and "1" in asked[0]
    assert "警告" in asked[0]
    assert [county.store.get(i).status for i in clean] == [RecordStatus.APPROVED] * 2
    assert county.store.get(warned).status is RecordStatus.SUBMITTED
    assert queue_ids(window) == [warned]


def test_the_warnings_filter_shows_only_records_with_warnings(devices, open_window):
    school, county = devices("school1"), devices("county")
    submit_new(school, "valid", 1)
    warned = submit_new(school, "warning", 3)
    synced(school)
    synced(county)
    window = open_window(county)
    queue = review_page(window).queue
    queue.warnings_filter.setCurrentIndex(queue.warnings_filter.findData("with"))
    assert queue_ids(window) == [warned]
    page = open_for_review(window, warned)
    assert page._warnings_banner.isVisible()
    assert page.editor.summary.count() > 0


def test_a_stale_review_comes_back_as_changed_since_you_reviewed_it(
    devices, open_window, languages
):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)
    page.approve_button.click()  # offline: not sent yet

    # Meanwhile the school takes it back, changes it and submits again.
    school.store.withdraw(record_id, school.username)
    fields = dict(SampleFactory(seed=1).fields(FORM, "valid"))
    fields["position"] = "焊工"
    school.store.save(FORM, record_id, fields, school.username)
    school.store.submit(record_id, school.username)
    synced(school)

    synced(county)
    window._synced(None)
    record = county.store.get(record_id)
    assert record.needs_attention
    attention = window.attention
    window.workspace.show_page(ATTENTION)
    attention.refresh()
    details = [item.detail for item in attention.items]
    assert any("审核后记录已被修改" in detail for detail in details), details
    languages.switch_to("en")
    attention.refresh()
    assert any("Changed since you reviewed it" in i.detail for i in attention.items)

    # Reviewed again: the newest version is the one shown and decided on.
    window.open_record(FORM, record_id)
    page = window.workspace.review.record_page
    assert page is not None and page._stale_banner.isVisible()
    assert "Changed since you reviewed it" in page._stale_banner.text()
    assert "Your decision was not accepted" in page._status.text()
    assert not page.approve_button.isVisible()
    page.review_again_button.click()
    assert county.store.get(record_id).fields["position"] == "焊工"
    assert not county.store.get(record_id).needs_attention
    page = window.workspace.review.record_page
    page.approve_button.click()
    synced(county)
    assert county.live.records("school1")[record_id].status is RecordStatus.APPROVED


def test_a_correction_is_saved_under_the_reviewers_name(devices, open_window, qtbot):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)
    page.correct_button.click()
    assert not page.editor.read_only
    position = page.editor.input_of("position")
    position.set_value("装配钳工")
    position.edited.emit()
    page.flush()
    assert county.store.get(record_id).fields["position"] == "装配钳工"
    assert county.store.get(record_id).updated_by == "county"
    synced(county)
    history = county.store.history(record_id)
    assert history.revisions[-1].updated_by == "county"
    assert county.live.records("school1")[record_id].fields["position"] == "装配钳工"


def test_reopen_an_approved_record_with_a_comment(devices, open_window, monkeypatch):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    county.store.review(record_id, Decision.APPROVE, "county")
    synced(county)
    window = open_window(county)
    queue = review_page(window).queue
    queue.status_filter.setCurrentIndex(queue.status_filter.findData("approved"))
    page = open_for_review(window, record_id)
    assert page.reopen_button.isVisible() and not page.approve_button.isVisible()
    answer_comment_dialog(monkeypatch, "数据有误，需重新核对。", lambda _dialog: None)
    page.reopen_button.click()
    synced(county)
    synced(school)
    reopened = school.store.get(record_id)
    assert reopened.status is RecordStatus.RETURNED
    assert reopened.review is not None and reopened.review.comment == "数据有误，需重新核对。"


def test_the_queue_shows_and_filters_by_school(devices, open_window):
    school1, school2, county = devices("school1"), devices("school2"), devices("county")
    county.engine.reference = ReferenceCache(county.store.path.parent / REFERENCE_FILE)
    first, second = submit_new(school1, seed=1), submit_new(school2, seed=2)
    synced(school1)
    synced(school2)
    synced(county)
    window = open_window(county)
    queue = review_page(window).queue
    assert sorted(queue_ids(window)) == sorted([first, second])
    names = [queue.school_filter.itemText(i) for i in range(1, queue.school_filter.count())]
    assert sorted(names) == sorted([S1_NAME, S2_NAME])
    school_column = [queue.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert "学校" in school_column
    row = queue_ids(window).index(second)
    assert queue.model.index(row, school_column.index("学校")).data() == S2_NAME

    queue.school_filter.setCurrentIndex(queue.school_filter.findText(S2_NAME))
    assert queue_ids(window) == [second]


def test_a_correction_that_meets_the_schools_change_is_resolved_from_the_record(
    devices, open_window, monkeypatch
):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)
    page.correct_button.click()
    position = page.editor.input_of("position")
    position.set_value("装配钳工")
    position.edited.emit()
    page.flush()  # not sent yet

    school.store.withdraw(record_id, school.username)
    fields = dict(SampleFactory(seed=1).fields(FORM, "valid"))
    fields["position"] = "焊工"
    school.store.save(FORM, record_id, fields, school.username)
    school.store.submit(record_id, school.username)
    synced(school)
    synced(county)
    window._synced(None)
    assert county.store.get(record_id).conflict is not None
    assert page.resolve_button.isVisible() and not page.approve_button.isVisible()
    assert "实习岗位" in page._stale_banner.text()

    def keep_mine(dialog):
        dialog.choose_all("mine")
        dialog.resolve()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", keep_mine)
    page.resolve_button.click()
    assert county.store.get(record_id).conflict is None
    assert page.editor.input_of("position").value() == "装配钳工"
    synced(county)
    assert county.live.records("school1")[record_id].fields["position"] == "装配钳工"


def test_every_column_of_the_queue_is_readable_in_a_1300_pixel_window_in_english(
    devices, open_window, languages, qtbot
):
    school, county = devices("school1"), devices("county")
    for seed in range(5):
        submit_new(school, seed=seed)
    synced(school)
    synced(county)
    languages.switch_to("en")
    window = open_window(county)
    window.resize(1300, 820)
    queue = review_page(window).queue
    queue.refresh()
    qtbot.waitUntil(lambda: queue.model.rowCount() == 5)
    table, header = queue.table, queue.table.horizontalHeader()
    for column in range(queue.model.columnCount()):
        assert table.columnWidth(column) >= header.sectionSizeHint(column), column
    # All columns in view, "Last changed" whole: no horizontal scrolling (it had 16 "M" widths
    # a column, so English headers and dates went past the window's edge).
    assert sum(map(table.columnWidth, range(queue.model.columnCount()))) <= (
        table.viewport().width()
    )


def test_a_blank_queue_row_opens_nothing(devices, open_window, qtbot):
    school, county = devices("school1"), devices("county")
    records = [submit_new(school, "valid", seed) for seed in (1, 2)]
    synced(school)
    synced(county)
    window = open_window(county)
    review = review_page(window)
    queue = review.queue
    queue.model.refresh()  # counted 2, no row read yet
    county.store.review(records[0], Decision.APPROVE, county.username)  # leaves the queue
    blank = queue.model.index(1, 0)
    assert queue.model.record_id(1) is None
    queue.table.activated.emit(blank)
    assert review.record_page is None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)


def test_a_correction_that_cannot_be_saved_stays_typed_and_is_saved_later(
    devices, open_window, qtbot, monkeypatch
):
    school, county = devices("school1"), devices("county")
    record_id = submit_new(school)
    synced(school)
    synced(county)
    window = open_window(county)
    page = open_for_review(window, record_id)
    page.correct_button.click()
    messages: list[str] = []
    page.status_message.connect(messages.append)
    real_save = county.store.save
    monkeypatch.setattr(county.store, "save", full_disk)
    position = page.editor.input_of("position")
    position.set_value("装配钳工")
    position.edited.emit()
    page.flush()
    # Before, the save raised past the page and the editor was left "saved": leaving lost it.
    assert page.editor.has_unsaved_changes()
    assert messages and "磁盘已满" in messages[-1]
    monkeypatch.setattr(county.store, "save", real_save)
    page.flush()
    assert not page.editor.has_unsaved_changes()
    assert county.store.get(record_id).fields["position"] == "装配钳工"
