"""Benchmark of the county dashboard page over 100,000 records.

    python -m tests.bench county_ui

Budget (issue 7): the dashboard over 100,000 records drawn ≤ 1 s. Measured on a store of
100,000 records (internships, teacher placements and training bases: a few hundred pulled, then
copied in SQL), offscreen: the library's counting (sync.reports.dashboard, on a pool thread in
the app) and the page's drawing of its answer (tables, charts, target bars, teachers, painted
once), each as the median of rounds, wall-clock and CPU time, with the load. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.county.dashboard import DashboardPage
from desktop.tasks import TaskRunner
from sync.reports import Dashboard, ShortTeacher, Targets, dashboard
from sync.store import Store
from tests.desktop.stores import fill, multiply

# form: (records pulled, copies of each) → 100,000 records in all.
SHAPE = {"internship": (500, 100), "teacher_placement": (300, 100), "training_base": (200, 100)}
ROUNDS = 5
BUDGET_S = 1.0
TARGETS = Targets(training_bases=300, productive_bases=120, teacher_compliance_pct=90.0)
TODAY = datetime.date(2026, 11, 21)
SHORT_TEACHERS = 5_000


class _InlinePool:
    def start(self, task: Callable[[], None]) -> None:
        task()


def _build(path: Path) -> int:
    with Store.open(path) as store:
        for form, (pulled, _copies) in SHAPE.items():
            fill(store, form, pulled)
    for form, (_pulled, copies) in SHAPE.items():
        multiply(path, form, copies - 1)
    return sum(pulled * copies for pulled, copies in SHAPE.values())


def _short_teacher() -> ShortTeacher:
    return ShortTeacher(
        record_id="00000000-0000-4000-a000-000000000000",
        school="school01",
        teacher_name="张三",
        days=30,
        required=180,
        rule="rolling_5_years",
    )


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def _median_line(name: str, rounds: list[tuple[float, float]]) -> str:
    wall = statistics.median(r[0] for r in rounds)
    cpu = statistics.median(r[1] for r in rounds)
    return f"   {name}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (median of {ROUNDS})"


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "county.db"
        started = time.perf_counter()
        records = _build(path)
        print(f"   store of {records:,} records built in {time.perf_counter() - started:.1f} s")
        settings = QSettings(str(Path(folder) / "user.ini"), QSettings.Format.IniFormat)
        with Store.open(path) as store:

            def new_page() -> DashboardPage:
                page = DashboardPage(
                    store, TaskRunner(_InlinePool()), settings=settings, today=lambda: TODAY
                )
                page.targets = TARGETS
                page.resize(1300, 860)
                page.show()
                app.processEvents()
                return page

            answers: list[Dashboard] = []
            counting = [
                _timed(lambda: answers.append(dashboard(store, targets=TARGETS, today=TODAY)))
                for _ in range(ROUNDS)
            ]
            board = answers[-1]

            def draw(page: DashboardPage) -> None:
                page.show_dashboard(board)
                app.processEvents()
                page.grab()  # every widget painted once

            fresh: list[tuple[float, float]] = []
            for _ in range(ROUNDS):
                page = new_page()
                fresh.append(_timed(lambda page=page: draw(page)))
                page.close()
                page.deleteLater()
            page = new_page()
            draw(page)
            again = [_timed(lambda: draw(page)) for _ in range(ROUNDS)]
            refreshed = [
                _timed(lambda: (page.refresh(), app.processEvents(), page.grab()))
                for _ in range(ROUNDS)
            ]
            shown = len(page.figure_views)
            # Copies share their teachers' ID numbers, so their days add up past 180: the list
            # of teachers short is drawn again with as many teachers as a large county has.
            sample = board.short_teachers or [_short_teacher()]
            crowded = dataclasses.replace(
                board, short_teachers=[sample[n % len(sample)] for n in range(SHORT_TEACHERS)]
            )
            listed = [
                _timed(lambda: (page.show_dashboard(crowded), app.processEvents(), page.grab()))
                for _ in range(ROUNDS)
            ]
    print(f"   {shown} figures, {len(board.short_teachers)} teachers short")
    print(_median_line("counting (sync.reports.dashboard, a pool thread in the app)", counting))
    print(_median_line("drawing its answer on a fresh page", fresh))
    print(_median_line("drawing it again (a language switch)", again))
    print(_median_line("refresh to painted (counting + drawing)", refreshed))
    print(_median_line(f"drawing with {SHORT_TEACHERS:,} teachers short", listed))
    worst = max(statistics.median(r[0] for r in rounds) for rounds in (fresh, again, listed))
    print(f"   budget: drawn ≤ {BUDGET_S:.0f} s; drawing median {worst:.3f} s; load {_load()}")


if __name__ == "__main__":
    main()
