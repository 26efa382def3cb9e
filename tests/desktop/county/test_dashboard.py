"""The county dashboard: what it shows is what sync.reports counted, in the UI language, with
targets the county sets and keeps."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop.county.charts import format_number
from desktop.county.dashboard import DashboardPage, TargetsDialog, load_targets, save_targets
from desktop.i18n import LanguageSwitcher
from desktop.tasks import TaskRunner
from sync.reports import Targets, dashboard
from sync.store import Store
from tests.desktop.conftest import InlinePool
from tests.desktop.stores import fill

TODAY = datetime.date(2026, 11, 21)


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records of every form at two schools, filled once for the module's tests to read."""
    path = tmp_path_factory.mktemp("county") / "county.db"
    with Store.open(path) as store:
        for form in ("training_base", "internship", "teacher_placement"):
            fill(store, form, 40)
        fill(store, "training_base", 12, org="school02", seed=5)
        fill(store, "teacher_placement", 12, org="school02", seed=5)
    return path


@pytest.fixture
def store(county_file: Path) -> Iterator[Store]:
    with Store.open(county_file) as opened:
        yield opened


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def page(
    qtbot: QtBot,
    store: Store,
    settings: QSettings,
    inline_pool: InlinePool,
    languages: LanguageSwitcher,
) -> DashboardPage:
    shown = DashboardPage(
        store, TaskRunner(inline_pool), county="500103", settings=settings, today=lambda: TODAY
    )
    qtbot.addWidget(shown)
    return shown


def table_rows(page: DashboardPage, index: int) -> list[tuple[str, str]]:
    table = page.figure_views[index].table
    return [
        (table.item(row, 0).text(), table.item(row, 1).text()) for row in range(table.rowCount())
    ]


def test_every_figure_shows_the_library_numbers_in_its_table_and_chart(
    page: DashboardPage, store: Store
) -> None:
    page.refresh()
    expected = dashboard(store, today=TODAY)
    assert [view.title() for view in page.figure_views] == [f.title_zh for f in expected.figures]
    for index, figure in enumerate(expected.figures):
        rows = [(count.label_zh, format_number(count.value)) for count in figure.counts]
        assert table_rows(page, index) == rows, figure.name
        chart = page.figure_views[index].chart
        assert chart.bars == [(c.label_zh, float(c.value)) for c in figure.counts]
    # The fixture has something to show: not a table of zeros.
    assert expected.figure("records_by_form").value("training_base") > 0
    model = page.teachers_model
    assert model.rowCount() == len(expected.short_teachers) > 0
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [
        teacher.teacher_name for teacher in expected.short_teachers
    ]


def test_rates_are_drawn_against_100_percent_and_counts_against_the_largest(
    page: DashboardPage, store: Store
) -> None:
    page.refresh()
    figures = dashboard(store, today=TODAY).figures
    scales = {
        f.name: view.chart.full_scale for f, view in zip(figures, page.figure_views, strict=True)
    }
    rates = {f.name for f in figures if f.unit_en == "%"}
    assert rates, "the fixture has a rate figure"
    assert all(scales[name] == 100.0 for name in rates)
    assert all(scale is None for name, scale in scales.items() if name not in rates)


def test_a_school_picked_shows_that_school_only(page: DashboardPage, store: Store) -> None:
    page.refresh()
    assert [page.school_picker.itemData(i) for i in range(page.school_picker.count())] == [
        "",
        "school01",
        "school02",
    ]
    page.school_picker.setCurrentIndex(2)  # counts again at once
    expected = dashboard(store, school="school02", today=TODAY).figure("records_by_form")
    assert page.dashboard is not None and page.dashboard.school == "school02"
    shown = dict(table_rows(page, 0))
    assert shown == {c.label_zh: format_number(c.value) for c in expected.counts}
    assert shown != dict(
        (c.label_zh, format_number(c.value))
        for c in dashboard(store, today=TODAY).figure("records_by_form").counts
    )


def test_english_relabels_without_counting_again(
    page: DashboardPage,
    store: Store,
    languages: LanguageSwitcher,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    page.refresh()
    monkeypatch.setattr(page, "refresh", lambda: pytest.fail("counted again"))
    expected = dashboard(store, today=TODAY)
    languages.switch_to("en")
    qtbot.waitUntil(lambda: page.figure_views[0].title() == expected.figures[0].title_en)
    assert [view.title() for view in page.figure_views] == [f.title_en for f in expected.figures]
    assert [label for label, _ in table_rows(page, 0)] == [
        c.label_en for c in expected.figures[0].counts
    ]
    assert page.school_picker.itemText(0) == "All schools (county)"


def test_targets_are_edited_remembered_per_county_and_shown_as_progress(
    page: DashboardPage,
    store: Store,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page.refresh()
    assert page.target_bars == []  # none set yet

    def set_targets(dialog: TargetsDialog) -> TargetsDialog.DialogCode:
        dialog.spins["training_bases"].setValue(100)
        dialog.spins["teacher_compliance_pct"].setValue(80)
        return TargetsDialog.DialogCode.Accepted

    monkeypatch.setattr(TargetsDialog, "exec", set_targets)
    page.edit_targets()
    assert load_targets(settings, "500103") == Targets(
        training_bases=100, teacher_compliance_pct=80.0
    )
    assert load_targets(settings, "500104") == Targets()
    progress = dashboard(store, targets=page.targets, today=TODAY).targets
    assert [bar.property("value_shown") for bar in page.target_bars] == [p.actual for p in progress]
    assert [bar.property("target_shown") for bar in page.target_bars] == [100, 80]
    bases, rate = page.target_bars
    assert bases.format().startswith(f"{format_number(progress[0].actual)} / 100  (")
    assert rate.format() == f"{format_number(progress[1].actual)}% / 80%"


def test_damaged_saved_targets_fall_back_to_none_set(settings: QSettings) -> None:
    settings.setValue("county_targets/500103", "{not json")
    assert load_targets(settings, "500103") == Targets()
    save_targets(settings, "500103", Targets(productive_bases=3))
    assert load_targets(settings, "500103") == Targets(productive_bases=3)


def test_a_teacher_double_clicked_asks_to_open_the_record(
    page: DashboardPage, qtbot: QtBot
) -> None:
    page.refresh()
    assert page.dashboard is not None
    with qtbot.waitSignal(page.record_activated) as opened:
        page.teachers.doubleClicked.emit(page.teachers_model.index(0, 0))
    assert opened.args == ["teacher_placement", page.dashboard.short_teachers[0].record_id]


def test_the_page_is_busy_while_counting_and_a_failure_is_shown(
    qtbot: QtBot, store: Store, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[object] = []

    class HeldPool:
        def start(self, task: object) -> None:
            held.append(task)

    page = DashboardPage(store, TaskRunner(HeldPool()), county="500103", settings=settings)
    qtbot.addWidget(page)
    page.refresh()
    assert page.is_busy and not page.refresh_button.isEnabled()
    monkeypatch.setattr("desktop.county.dashboard.dashboard", _broken)
    held.pop()()  # type: ignore[operator]
    qtbot.waitUntil(lambda: not page.is_busy)
    assert "disk on fire" in page._error.text()


def _broken(*_args: object, **_kwargs: object) -> None:
    raise OSError("disk on fire")
