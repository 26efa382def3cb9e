"""Benchmark of the desktop app's start against a bare PySide6 window, in the same run.

    python -m tests.bench app

Budgets (DESIGN.md, issue 6): process start to a usable main window on a profile of 100,000
records ≤ 2.5 × process start to a bare PySide6 window; RSS with 100,000 records ≤ 250 MB.
Each start is a fresh process (offscreen platform), timed from just before it is spawned to the
moment its window has been shown and painted; one warm-up start each, then the median of rounds
that take each measurement in turn. Each start also reports its CPU time up to the painted
window (the machine is shared: wall-clock times swell with its load, CPU times much less).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sync.store import Store
from tests.desktop.stores import fill

RECORDS = 100_000
STARTS = 5
RSS_BUDGET_MB = 250
RATIO_BUDGET = 2.5

# Runs in the child: QApplication.exec replaced by "paint once, report, quit", so the timed
# start is exactly the app's own (desktop.__main__.main) or a bare window's.
_REPORT = """
import json, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def report(_app=None):
    app = QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible())
    app.processEvents()
    window.repaint()
    figures = {"ready": time.time(), "cpu": time.process_time(), "rss_mb": rss_mb()}
    lists = getattr(window, "lists", None)
    if lists is not None:
        # The 100,000-record list shown, then Ctrl+End to its last record, each painted; CPU of
        # the UI thread alone (the integrity check and backup run on others meanwhile).
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        shown = time.thread_time()
        window.show_page("internship")
        table = lists["internship"].table
        app.processEvents()
        table.viewport().repaint()
        figures["list_cpu"] = time.thread_time() - shown
        table.setFocus()
        ended = time.thread_time()
        QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        app.processEvents()
        table.viewport().repaint()
        figures["end_cpu"] = time.thread_time() - ended
        figures["end_row"] = table.currentIndex().row()
        figures["rss_scrolled_mb"] = rss_mb()
    print("BENCH " + json.dumps(figures), flush=True)
    return 0

QApplication.exec = report
"""

_BARE = (
    _REPORT
    + """
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
window.show()
sys.exit(app.exec())
"""
)

# The app's module first, as the `chanjiao` launcher imports it: it imports the store before
# Qt on purpose (see desktop.__main__), an order the report's Qt import would otherwise undo.
_APP = (
    """
from desktop.__main__ import main
"""
    + _REPORT
    + """
sys.exit(main(["--profile", sys.argv[1]]))
"""
)


# Process start and the app's imports only: the share of the start no window code can change.
_IMPORTS = """
import json, time
import desktop.__main__
print("BENCH " + json.dumps({"ready": time.time(), "cpu": time.process_time()}), flush=True)
"""


def _start(code: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    figures: dict[str, float] = json.loads(line.removeprefix("BENCH "))
    figures["seconds"] = figures.pop("ready") - started
    return figures


def _profile(directory: Path) -> Path:
    profile = directory / "profile"
    profile.mkdir()
    with Store.open(profile / "store.sqlite3") as store:
        fill(store, "internship", RECORDS, distinct=500)
        # Signed in as a local user: the window opens without the first-run dialog.
        state = store.sync_state()
        store.set_sync_state(dataclasses.replace(state, username="bench", org="school01"))
    return profile


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        built = time.perf_counter()
        profile = _profile(directory)
        print(f"  profile of {RECORDS:,} records built in {time.perf_counter() - built:.1f} s")
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            # Bytecode cached (outside the tree) by the warm-up start, as an installed app has
            # it: compiling every module again would be timed as start-up otherwise.
            "PYTHONPYCACHEPREFIX": str(directory / "pycache"),
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(directory / "config"),
            "XDG_DATA_HOME": str(directory / "data"),
            "XDG_CACHE_HOME": str(directory / "cache"),
            "CHANJIAO_SYSTEM_CONFIG": str(directory / "no-system.ini"),
        }
        # Warm-up (compiled translations, file caches), then rounds that interleave the
        # measurements: on a shared machine the load changes from one minute to the next.
        _start(_BARE, env=env)
        _start(_APP, str(profile), env=env)
        bare_runs, app_runs, import_runs, opens, checks = [], [], [], [], []
        for _ in range(STARTS):
            bare_runs.append(_start(_BARE, env=env))
            app_runs.append(_start(_APP, str(profile), env=env))
            import_runs.append(_start(_IMPORTS, env=env))
            # Part of the app's start, measured alone: the store's open; and its integrity
            # check (and daily backup), which runs in the background once the store is open.
            started = time.perf_counter()
            store = Store.open(profile / "store.sqlite3")
            opens.append(time.perf_counter() - started)
            store.verified()
            checks.append(time.perf_counter() - started)
            store.close()
    bare = statistics.median(run["seconds"] for run in bare_runs)
    app = statistics.median(run["seconds"] for run in app_runs)
    rss = max(run["rss_mb"] for run in app_runs)
    scrolled = max(run["rss_scrolled_mb"] for run in app_runs)
    end_row = int(app_runs[0]["end_row"])
    list_cpu = statistics.median(run["list_cpu"] for run in app_runs)
    end_cpu = statistics.median(run["end_cpu"] for run in app_runs)
    bare_cpu = statistics.median(run["cpu"] for run in bare_runs)
    app_cpu = statistics.median(run["cpu"] for run in app_runs)
    print(f"  load average: {', '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print(
        f"  bare PySide6 window: {bare * 1000:.0f} ms (median of {STARTS}), "
        f"{bare_cpu * 1000:.0f} ms CPU"
    )
    print(
        f"  app main window, {RECORDS:,} records: {app * 1000:.0f} ms = {app / bare:.2f} × bare"
        f"  (budget {RATIO_BUDGET} ×);"
        f" {app_cpu * 1000:.0f} ms CPU = {app_cpu / bare_cpu:.2f} × bare"
    )
    imports = statistics.median(run["seconds"] for run in import_runs)
    imports_cpu = statistics.median(run["cpu"] for run in import_runs)
    print(
        f"    of which process start and imports: {imports * 1000:.0f} ms, "
        f"{imports_cpu * 1000:.0f} ms CPU"
    )
    print(
        f"    of which Store.open of {RECORDS:,} records: {statistics.median(opens) * 1000:.0f} ms"
    )
    print(
        f"  its integrity check and daily backup, in the background after open: "
        f"{statistics.median(checks) * 1000:.0f} ms"
    )
    print(f"  RSS at start: {rss:.0f} MB  (budget {RSS_BUDGET_MB} MB)")
    print(
        f"  the {RECORDS:,}-record list shown: {list_cpu * 1000:.0f} ms CPU; Ctrl+End to its "
        f"row {end_row + 1:,}: {end_cpu * 1000:.0f} ms CPU (UI thread, medians, painted)"
    )
    print(f"  RSS after the list was shown and scrolled to its end: {scrolled:.0f} MB")


if __name__ == "__main__":
    main()
