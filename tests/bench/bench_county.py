"""Benchmarks of the county library over 100,000 records: the dashboard's figures
(sync.reports), the duplicates, the Excel export, and an import.

    python -m tests.bench county

Budgets (issue 7): dashboard over 100,000 records drawn ≤ 1 s (the drawing is the desktop's,
see bench_county_ui; the computing here aims at ≤ 0.5 s); export of 100,000 records ≤ 30 s.
The store: a few hundred records of each form in every flavour (valid, warnings, errors,
drafts) over three schools, pulled with the hub's issues, then copied in SQL with their
repeat-group rows and new ID numbers up to 100,000. Wall-clock and CPU time with the load;
the machine is shared, so CPU time per record is the steadier figure. Asserts nothing.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms import FormRegistry, validate
from sync.excel import export_workbook, read_import
from sync.protocol import IssueWire, Record
from sync.reports import Targets, dashboard, duplicates
from sync.samples import SampleFactory
from sync.store import Store

TODAY = datetime.date(2026, 11, 21)
SCHOOLS = ("3150010301", "4150010302", "3150010303")
# form: (distinct records pulled, copies of each) → 100,000 records in all.
SHAPE = {"internship": (500, 80), "teacher_placement": (400, 75), "training_base": (300, 100)}
FLAVOURS = {
    "internship": ("valid", "valid", "warning", "error", "draft"),
    "teacher_placement": ("valid", "valid", "valid", "error", "draft"),
    "training_base": ("valid", "valid", "warning", "error", "draft"),
}
STATUSES = ("submitted", "approved", "returned")
ROUNDS = 5
TARGETS = Targets(training_bases=300, productive_bases=120, teacher_compliance_pct=90.0)


def _load() -> str:
    return "load " + " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def _timed(action: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _pulled(form: str, count: int, factory: SampleFactory, registry: FormRegistry) -> list[Record]:
    definition = registry.get(form)
    flavours = FLAVOURS[form]
    records = []
    for n in range(count):
        flavour = flavours[n % len(flavours)]
        fields = factory.fields(form, flavour)
        issues = validate(definition, fields, TODAY)
        records.append(
            Record.model_validate(
                {
                    "id": str(uuid.uuid4()),
                    "form": form,
                    "form_version": 1,
                    "org": SCHOOLS[n % len(SCHOOLS)],
                    "county": "500103",
                    "rev": 1,
                    # Errors are drafts at the school: a county sees them once fixed, but the
                    # figures must cope with records carrying any issue.
                    "status": STATUSES[n % len(STATUSES)],
                    "fields": fields,
                    "issues": [
                        IssueWire(
                            path=i.path, code=i.code, severity=i.severity, message=i.message_zh
                        )
                        for i in issues
                    ],
                    "updated_at": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z",
                    "updated_by": "hub",
                }
            )
        )
    return records


def _copy(path: Path, form: str, copies: int, groups: list[str]) -> None:
    """Each record of `form` `copies` times more under new ids, with its repeat-group rows and
    ID numbers of its own (the same person 80 times would make every copy a duplicate)."""
    with sqlite3.connect(path) as db:
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{form}")')]
        copied = [n for n in names if n not in ("_key", "_id", "id_number")]
        columns = ", ".join(f'"{n}"' for n in copied)
        has_id = "id_number" in names
        originals = db.execute(f'SELECT max(_key) FROM "{form}"').fetchone()[0]
        numbers = (
            "CROSS JOIN (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
            "SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n) AS n"
        )
        new_id = "printf('%08x-0000-4000-a000-%012x', n.i, t._key)"
        id_column = ', "id_number"' if has_id else ""
        id_value = ", t.id_number || '-' || n.i" if has_id else ""
        db.execute(
            f'INSERT INTO "{form}" ("_id"{id_column}, {columns}) '
            f'SELECT {new_id}{id_value}, {columns} FROM "{form}" AS t {numbers} '
            "ORDER BY n.i, t._key",
            (copies,),
        )
        for group in groups:
            child = f"{form}__{group}"
            child_names = [row[1] for row in db.execute(f'PRAGMA table_info("{child}")')]
            fields = ", ".join(f'c."{n}"' for n in child_names if not n.startswith("_"))
            targets = ", ".join(f'"{n}"' for n in child_names if not n.startswith("_"))
            db.execute(
                f'INSERT INTO "{child}" (_row, _record, _position, {targets}) '
                f"SELECT printf('%08x-0001-4000-a000-%012x', n.i, c.rowid), {new_id}, "
                f'c._position, {fields} FROM "{form}" AS t '
                f'JOIN "{child}" AS c ON c._record = t._id {numbers} WHERE t._key <= ?',
                (copies, originals),
            )


def _build(path: Path) -> int:
    registry = FormRegistry()
    factory = SampleFactory(seed=17, today=TODAY)
    with Store.open(path, registry, today=lambda: TODAY) as store:
        for form, (distinct, _copies) in SHAPE.items():
            store.apply_pull_page(_pulled(form, distinct, factory, registry), cursor=form)
    groups = {"training_base": ["majors", "partners", "funding"]}
    for form, (_distinct, copies) in SHAPE.items():
        _copy(path, form, copies - 1, groups.get(form, []))
    with sqlite3.connect(path) as db:
        return sum(db.execute(f'SELECT count(*) FROM "{form}"').fetchone()[0] for form in SHAPE)


def _median(rounds: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "county.db"
        started = time.perf_counter()
        records = _build(path)
        print(f"   store of {records:,} records built in {time.perf_counter() - started:.1f} s")
        with Store.open(path, today=lambda: TODAY) as store:
            before = os.times()
            county = [
                _timed(lambda: dashboard(store, targets=TARGETS, today=TODAY))
                for _ in range(ROUNDS)
            ]
            after = os.times()
            wall, cpu = _median(county)
            # System time is SQLite reading pages the 32 MiB cache cannot keep (a 165 MB file).
            print(
                f"   dashboard, county: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU "
                f"(median of {ROUNDS}; aim ≤ 500 ms; user "
                f"{(after.user - before.user) / ROUNDS * 1000:.0f} ms + system "
                f"{(after.system - before.system) / ROUNDS * 1000:.0f} ms a round) {_load()}"
            )
            school = [
                _timed(lambda: dashboard(store, school=SCHOOLS[0], today=TODAY))
                for _ in range(ROUNDS)
            ]
            wall, cpu = _median(school)
            print(f"   dashboard, one school: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU")
            found: list[int] = []
            wall, cpu = _timed(lambda: found.append(len(duplicates(store))))
            print(
                f"   duplicates: {found[0]} found in {wall * 1000:.0f} ms wall, "
                f"{cpu * 1000:.0f} ms CPU {_load()}"
            )
            workbook = Path(folder) / "county.xlsx"
            wall, cpu = _timed(
                lambda: export_workbook(store, workbook, include_id_numbers=True, today=TODAY)
            )
            size = workbook.stat().st_size / 1024 / 1024
            print(
                f"   export of {records:,} records: {wall:.1f} s wall, {cpu:.1f} s CPU "
                f"({cpu / records * 1e6:.0f} µs CPU per record; budget 30 s), {size:.1f} MB "
                f"{_load()}"
            )
            one_school = Path(folder) / "school.xlsx"
            summary = export_workbook(
                store,
                one_school,
                forms=["teacher_placement"],
                school=SCHOOLS[0],
                include_id_numbers=True,
                today=TODAY,
            )
            placements = summary.total_records
            wall, cpu = _timed(lambda: read_import(store, one_school, "teacher_placement"))
            print(
                f"   import check of {placements:,} teacher placements: {wall:.1f} s wall, "
                f"{cpu:.1f} s CPU ({cpu / placements * 1e6:.0f} µs CPU per row) {_load()}"
            )
