"""The duplicates page lists what sync.reports finds across schools and opens the records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from desktop.county.duplicates import DuplicatesPage, kind_text
from desktop.i18n import LanguageSwitcher
from desktop.tasks import TaskRunner
from forms import FormRegistry
from sync.profile import Profile
from sync.protocol import Org, OrgKind, ReferenceResponse
from sync.reports import duplicates
from sync.store import Store
from tests.desktop.conftest import InlinePool
from tests.sync.test_reports import TODAY, fixture_records


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "county.db", FormRegistry(), today=lambda: TODAY)
    opened.apply_pull_page(fixture_records(), cursor="1")
    yield opened
    opened.close()


@pytest.fixture
def page(
    qtbot: QtBot, store: Store, inline_pool: InlinePool, languages: LanguageSwitcher
) -> DuplicatesPage:
    shown = DuplicatesPage(store, TaskRunner(inline_pool))
    qtbot.addWidget(shown)
    return shown


def lines(page: DuplicatesPage) -> list[QTreeWidgetItem]:
    return [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]


def test_counted_when_first_shown_and_each_line_is_a_duplicate(
    page: DuplicatesPage, store: Store
) -> None:
    assert lines(page) == []
    page.show()
    expected = duplicates(store)
    assert len(expected) == 3
    assert [(item.text(0), item.text(1), item.text(3)) for item in lines(page)] == [
        (kind_text(d.kind), d.key, d.detail_zh) for d in expected
    ]
    assert [item.childCount() for item in lines(page)] == [len(d.record_ids) for d in expected]


def test_a_record_of_a_line_opens(page: DuplicatesPage, store: Store, qtbot: QtBot) -> None:
    page.refresh()
    line = lines(page)[0]
    line.setExpanded(True)  # the records are named when their line opens
    record_id = duplicates(store)[0].record_ids[1]
    child = line.child(1)
    assert child.text(0) == store.registry.get(store.get(record_id).form).title.zh
    with qtbot.waitSignal(page.record_activated) as opened:
        page.tree.itemActivated.emit(child, 0)
    assert opened.args == [store.get(record_id).form, record_id]


def test_activating_a_line_itself_opens_nothing(page: DuplicatesPage, qtbot: QtBot) -> None:
    page.refresh()
    with qtbot.assertNotEmitted(page.record_activated):
        page.tree.itemActivated.emit(lines(page)[0], 0)


def test_english_details(
    page: DuplicatesPage, store: Store, languages: LanguageSwitcher, qtbot: QtBot
) -> None:
    page.refresh()
    expected = duplicates(store)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: lines(page)[0].text(3) == expected[0].detail_en)
    assert [item.text(3) for item in lines(page)] == [d.detail_en for d in expected]


def test_schools_are_named_from_the_reference_data_the_sync_keeps(
    page: DuplicatesPage, store: Store
) -> None:
    page.refresh()
    assert "5001030001" in lines(page)[0].text(2)  # no reference data yet: codes
    schools = [
        Org(code=code, name=name, kind=OrgKind.SCHOOL, county="500103")
        for code, name in (("5001030001", "甲职业学校"), ("5001030002", "乙职业学校"))
    ]
    Profile(store.path.parent).reference_cache().save(
        '"1"', ReferenceResponse(orgs=schools, enterprises=[])
    )
    page.refresh()
    assert lines(page)[0].text(2) == "甲职业学校、乙职业学校"
