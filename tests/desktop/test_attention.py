"""The needs-attention view and the record page say why the hub refused a change in the
language the app shows now, whatever language the sync that brought the refusal asked in."""

from __future__ import annotations

import shiboken6

from desktop.attention import AttentionPage
from desktop.records.record_page import RecordPage
from desktop.rejections import rejection_text
from forms import Severity
from sync.protocol import Decision, MutationError
from sync.samples import SampleFactory
from sync.wire import RejectCode
from tests.sync.engine.conftest import devices

__all__ = ["devices"]


def refused_withdraw(devices):
    """A school's withdraw of a record the county approved meanwhile, refused by a real hub
    in Chinese (the sync asked in zh-CN)."""
    school, county = devices("school1"), devices("county")
    fields = SampleFactory(seed=4).fields("internship", "valid")
    record_id = school.store.save("internship", None, fields, "school1").record_id
    school.store.submit(record_id, "school1")
    assert school.engine.sync().ok
    assert county.engine.sync().ok
    county.store.review(record_id, Decision.APPROVE, "county")
    assert county.engine.sync().ok
    school.store.withdraw(record_id, "school1")
    school.engine.sync()
    return school.store, record_id


def chinese(text):
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_a_refusal_brought_in_chinese_is_said_in_english_after_a_switch(qtbot, languages, devices):
    store, record_id = refused_withdraw(devices)
    (error,) = store.get(record_id).attention
    assert chinese(error.message)
    page = AttentionPage(store)
    qtbot.addWidget(page)
    page.show()
    (item,) = [page.tree.topLevelItem(n) for n in range(page.tree.topLevelItemCount())]
    assert item.text(3) == error.message
    languages.switch_to("en")
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).text(0) == "Rejected by the hub")
    said = page.tree.topLevelItem(0).text(3)
    assert said and not chinese(said)
    languages.switch_to("zh_CN")
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).text(3) == error.message)
    shiboken6.delete(page)


def test_the_record_page_banner_follows_the_language(qtbot, languages, devices):
    store, record_id = refused_withdraw(devices)
    page = RecordPage(store, store.registry.get("internship"), record_id, "school1")
    qtbot.addWidget(page)
    page.show()
    banner = page._attention_banner
    assert banner.isVisible() and chinese(banner.text())
    languages.switch_to("en")
    qtbot.waitUntil(lambda: not chinese(banner.text()))
    assert banner.text().startswith("The hub did not accept the last change:")
    shiboken6.delete(page)


def test_a_field_error_is_said_in_the_forms_engines_words_for_that_field(languages, tmp_path):
    from sync.store import Store

    with Store.open(tmp_path / "store.sqlite3") as store:
        fields = SampleFactory(seed=4).fields("internship", "error")
        record_id = store.save("internship", None, fields, "li").record_id
        record = store.get(record_id)
        issue = next(i for i in record.issues if i.severity is Severity.ERROR)
        error = MutationError(
            path=issue.path, code=RejectCode.VALIDATION, message=issue.message("zh")
        )
        assert rejection_text(error, record, "en") == issue.message("en")
        assert rejection_text(error, record, "zh") == issue.message("zh")
        other = MutationError(code=RejectCode.STALE, message="The record was changed (rev 3).")
        assert rejection_text(other, record, "en") == other.message
        assert not chinese(other.message) and chinese(rejection_text(other, record, "zh"))
