"""County figures computed from the local store: the consolidation dashboard and the duplicates
across schools. No Qt; the desktop draws what this returns.

    >>> board = dashboard(store, school=None, targets=Targets(training_bases=300))
    >>> for figure in board.figures:              # one chart and its table each
    ...     print(figure.title_zh, [(c.label_zh, c.value) for c in figure.counts])
    >>> board.short_teachers                       # teachers short of 180 days
    >>> duplicates(store)                          # student / teacher overlaps, one USCC many names
    >>> schools(store, orgs)                       # [(org code, name)], names from the hub's orgs

Refinements of the agreed shape: `ShortTeacher.window_end` and `.overdue` (False for a new
teacher still inside the first 3 years), `Duplicate.forms`, `Figure.value(key)`,
`Dashboard.figure(name)`, `TargetProgress.fraction`. Everything reads the store in one
snapshot (Store.reading()); call it from the thread that owns the store (a pool thread with
`store.for_thread()` in the app).

What is counted: live (not deleted) records that were reported, i.e. every status but draft;
the `<form>_by_status` figures alone count drafts too (a school's own store has them). A county
store holds no drafts. `school` is an org code: the figures of that school's records only.

Duplicates: `student_overlap` (internships of one ID number whose dates overlap),
`teacher_overlap` (a teacher's school-to-enterprise placements that overlap; enterprise staff
teaching at two schools at once are not reported), `uscc_names` (one USCC recorded under names
that differ beyond full-/half-width characters and spaces).

Figures (`Figure.name`, in this order; `Count.key` is a choice name, a status or a rule id):
- `records_by_form`: reported records per form (keys: form ids).
- `<form>_by_status` for each form: records per status (keys: draft, submitted, returned,
  approved; drafts included).
- `training_bases_by_type` / `_by_level` / `_by_status`: bases per choice of base_type, level,
  status (keys: the choice names of the definition, in its order).
- `training_base_capacity_by_type`: annual_capacity (trainees per year) summed per base type.
- `training_base_workstations_by_type`: workstations summed per base type.
- `training_base_investment_by_channel`: funding amounts (10k yuan) summed per funding source
  (central_budget, local_special_bond, long_term_loan, ...), from the `funding` rows.
- `internship_problems_by_rule`: internships carrying each issue, by the forms engine's rule ids
  (daily_hours_max_8, no_night_shift, pay_at_least_80_percent, insurance_policy_no_required,
  agreement_required, interns_at_most_10_percent, interns_at_post_at_most_20_percent). Read
  from the issues stored with each record, so they match what the review queue shows.
- `teacher_compliance_rates` (%): keys overall, rolling_5_years, first_3_years: compliant
  teachers / teachers the rule covers (forms.teacher_compliance; teachers keyed by ID number,
  placements of all schools, a teacher counted at the school of their latest record).
- `teachers_by_standing` (people): compliant, on_track (new teachers below 180 days whose
  3 years are not over), short (overdue).

`Dashboard.short_teachers` lists every covered teacher below 180 days (on track or overdue),
most days short first. `Dashboard.targets` has one TargetProgress per target that is set.
`Duplicate.key` is what the records share as shown to people (ID numbers masked), plus the
start of the overlap for overlaps; `record_ids` and `schools` (org codes) are sorted.
"""

from __future__ import annotations

import datetime
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from forms import (
    REQUIRED_DAYS,
    ComplianceRule,
    FormDefinition,
    Placement,
    mask_id_number,
    teacher_compliance,
)
from forms.compliance import COVERED_CATEGORIES
from sync.protocol import Org, RecordStatus
from sync.store import Store

# Live records that a school has reported.
_REPORTED = "t._deleted = 0 AND t._status != 'draft'"

STATUS_LABELS: dict[RecordStatus, tuple[str, str]] = {
    RecordStatus.DRAFT: ("草稿", "Draft"),
    RecordStatus.SUBMITTED: ("已提交", "Submitted"),
    RecordStatus.RETURNED: ("已退回", "Returned"),
    RecordStatus.APPROVED: ("已通过", "Approved"),
}

# (rule id or "<field>_required", issue path, zh, en): the problems the county watches.
INTERNSHIP_PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    ("daily_hours_max_8", "daily_hours", "每日实习超过 8 小时", "More than 8 hours a day"),
    ("no_night_shift", "night_shift", "安排夜班", "Night shifts"),
    ("pay_at_least_80_percent", "monthly_pay", "报酬低于试用期工资 80%", "Pay under 80%"),
    ("insurance_policy_no_required", "insurance_policy_no", "未投保实习责任保险", "No insurance"),
    ("agreement_required", "agreement_signed", "未签订三方协议", "No agreement"),
    (
        "interns_at_most_10_percent",
        "interns_at_enterprise",
        "实习生超过职工总数 10%",
        "Interns over 10% of staff",
    ),
    (
        "interns_at_post_at_most_20_percent",
        "interns_at_post",
        "同岗位实习生超过 20%",
        "Interns over 20% of post staff",
    ),
)

_RULE_LABELS = {
    ComplianceRule.ROLLING_5_YEARS: ("5 年内累计 180 天", "180 days within 5 years"),
    ComplianceRule.FIRST_3_YEARS: ("新教师 3 年内 180 天", "New teachers: 180 days in 3 years"),
}


@dataclass(frozen=True)
class Targets:
    """What the county aims for; None leaves a target out."""

    training_bases: int | None = None
    productive_bases: int | None = None
    teacher_compliance_pct: float | None = None


@dataclass(frozen=True)
class Count:
    """One bar of a chart and one row of its table."""

    key: str
    label_zh: str
    label_en: str
    value: float


@dataclass(frozen=True)
class Figure:
    """One chart with its table."""

    name: str
    title_zh: str
    title_en: str
    unit_zh: str
    unit_en: str
    counts: list[Count]

    def value(self, key: str) -> float:
        """The value of one key (0 when the figure has no such row)."""
        return next((c.value for c in self.counts if c.key == key), 0.0)


@dataclass(frozen=True)
class TargetProgress:
    name: str
    label_zh: str
    label_en: str
    target: float
    actual: float

    @property
    def fraction(self) -> float:
        """actual / target, 1.0 for a target of 0."""
        return self.actual / self.target if self.target else 1.0


@dataclass(frozen=True)
class ShortTeacher:
    """A teacher the rule covers who has fewer than `required` days in the rule's window."""

    record_id: str  # the teacher's latest placement record
    school: str
    teacher_name: str
    days: float
    required: float
    rule: str  # forms.ComplianceRule: first_3_years | rolling_5_years
    window_end: datetime.date | None = None
    # False for a new teacher whose 3 years are not over yet: short, but not in breach.
    overdue: bool = True


@dataclass(frozen=True)
class Dashboard:
    school: str | None
    figures: list[Figure]
    targets: list[TargetProgress]
    short_teachers: list[ShortTeacher]

    def figure(self, name: str) -> Figure:
        """The figure called `name`; KeyError when there is none."""
        for figure in self.figures:
            if figure.name == name:
                return figure
        raise KeyError(name)


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "student_overlap" | "teacher_overlap" | "uscc_names"
    key: str
    record_ids: list[str]
    schools: list[str]
    detail_zh: str
    detail_en: str
    forms: list[str] = field(default_factory=list)


# Dashboard ------------------------------------------------------------------------------------


def dashboard(
    store: Store,
    *,
    school: str | None = None,
    targets: Targets = Targets(),
    today: datetime.date | None = None,
) -> Dashboard:
    """Every figure of the county (school=None) or of one school, read in one snapshot."""
    today = today or datetime.date.today()
    with store.reading() as conn:
        figures = _record_counts(conn, store, school)
        bases = _training_bases(conn, store.registry.get("training_base"), school)
        figures += bases
        figures.append(_internship_problems(conn, school))
        standings = _teacher_standings(conn, today, school)
    if school is not None:
        standings = [s for s in standings if s.school == school]
    figures += _teacher_figures(standings)
    short = sorted(
        (s.short for s in standings if s.short is not None),
        key=lambda t: (t.days - t.required, t.school, t.teacher_name),
    )
    progress = _progress(targets, figures)
    return Dashboard(school, figures, progress, short)


def schools(store: Store, orgs: Iterable[Org] = ()) -> list[tuple[str, str]]:
    """(org code, name) of every school with live records in the store, by code. Names come
    from `orgs` (the hub's reference data); a school missing there is named by its code."""
    names = {org.code: org.name for org in orgs}
    codes: set[str] = set()
    with store.reading() as conn:
        for form in store.registry.latest():
            rows = conn.execute(f'SELECT DISTINCT _org FROM "{form.id}" WHERE _deleted = 0')
            codes.update(row[0] for row in rows if row[0])
    return [(code, names.get(code, code)) for code in sorted(codes)]


def _school_filter(school: str | None) -> tuple[str, list[Any]]:
    return ("", []) if school is None else (" AND t._org = ?", [school])


def _record_counts(conn: sqlite3.Connection, store: Store, school: str | None) -> list[Figure]:
    where, params = _school_filter(school)
    per_form: list[Count] = []
    figures: list[Figure] = []
    for form in store.registry.latest():
        rows = conn.execute(
            f'SELECT _status, count(*) FROM "{form.id}" AS t WHERE t._deleted = 0{where} '
            "GROUP BY _status",
            params,
        )
        by_status = {str(status): count for status, count in rows}
        reported = sum(n for status, n in by_status.items() if status != RecordStatus.DRAFT)
        per_form.append(Count(form.id, form.title.zh, form.title.en, reported))
        figures.append(
            Figure(
                f"{form.id}_by_status",
                f"{form.title.zh}：按状态",
                f"{form.title.en} by status",
                "条",
                "records",
                [
                    Count(str(status), zh, en, by_status.get(str(status), 0))
                    for status, (zh, en) in STATUS_LABELS.items()
                ],
            )
        )
    total = Figure("records_by_form", "各表记录数", "Records by form", "条", "records", per_form)
    return [total, *figures]


def _choice_counts(form: FormDefinition, name: str, values: dict[str, float]) -> list[Count]:
    """A count per choice of the field, in the definition's order; values the definition does
    not know (a newer version's choices) follow under their names."""
    choices = form.field(name).choices
    counts = [Count(c.name, c.label.zh, c.label.en, values.get(c.name, 0)) for c in choices]
    known = {c.name for c in choices}
    counts += [Count(k, k, k, v) for k, v in sorted(values.items()) if k not in known]
    return counts


def _training_bases(
    conn: sqlite3.Connection, form: FormDefinition, school: str | None
) -> list[Figure]:
    where, params = _school_filter(school)
    by_type: dict[str, float] = defaultdict(float)
    by_level: dict[str, float] = defaultdict(float)
    by_status: dict[str, float] = defaultdict(float)
    capacity: dict[str, float] = defaultdict(float)
    workstations: dict[str, float] = defaultdict(float)
    rows = conn.execute(
        "SELECT base_type, level, status, count(*), total(annual_capacity), total(workstations) "
        f"FROM training_base AS t WHERE {_REPORTED}{where} GROUP BY base_type, level, status",
        params,
    )
    for base_type, level, status, count, trainees, stations in rows:
        base_type, level, status = base_type or "", level or "", status or ""
        by_type[base_type] += count
        by_level[level] += count
        by_status[status] += count
        capacity[base_type] += trainees
        workstations[base_type] += stations
    funding = dict(
        conn.execute(
            "SELECT f.source, total(f.amount_10k_yuan) FROM training_base__funding AS f "
            f"JOIN training_base AS t ON t._id = f._record WHERE {_REPORTED}{where} "
            "GROUP BY f.source",
            params,
        ).fetchall()
    )
    # Unanswered choices (a draft pulled half-filled) have no bar.
    for values in (by_type, by_level, by_status, capacity, workstations, funding):
        values.pop("", None)
    funding_form = form.field("funding")
    source = next(f for f in funding_form.fields if f.name == "source")
    channels = [
        Count(c.name, c.label.zh, c.label.en, funding.get(c.name, 0)) for c in source.choices
    ]
    return [
        Figure(
            "training_bases_by_type",
            "实训基地：按类型",
            "Training bases by type",
            "个",
            "bases",
            _choice_counts(form, "base_type", by_type),
        ),
        Figure(
            "training_bases_by_level",
            "实训基地：按级别",
            "Training bases by level",
            "个",
            "bases",
            _choice_counts(form, "level", by_level),
        ),
        Figure(
            "training_bases_by_status",
            "实训基地：按建设状态",
            "Training bases by construction status",
            "个",
            "bases",
            _choice_counts(form, "status", by_status),
        ),
        Figure(
            "training_base_capacity_by_type",
            "年培训能力：按基地类型",
            "Trainees per year by base type",
            "人次/年",
            "trainees/year",
            _choice_counts(form, "base_type", capacity),
        ),
        Figure(
            "training_base_workstations_by_type",
            "工位数：按基地类型",
            "Workstations by base type",
            "个",
            "workstations",
            _choice_counts(form, "base_type", workstations),
        ),
        Figure(
            "training_base_investment_by_channel",
            "建设投资：按资金来源",
            "Investment by funding channel",
            "万元",
            "10k yuan",
            channels,
        ),
    ]


def _internship_problems(conn: sqlite3.Connection, school: str | None) -> Figure:
    where, params = _school_filter(school)
    # _issues rows are [path, code, severity, message_zh, message_en].
    rows = conn.execute(
        "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), "
        "count(DISTINCT t._id) "
        "FROM internship AS t, json_each(t._issues) AS j "
        f"WHERE t._issues != '[]' AND {_REPORTED}{where} GROUP BY 1, 2",
        params,
    )
    found: dict[str, int] = {}
    for path, code, count in rows:
        key = code if code != "required" else f"{path}_required"
        found[key] = found.get(key, 0) + count
    return Figure(
        "internship_problems_by_rule",
        "实习合规问题：按规则",
        "Internship compliance problems by rule",
        "条",
        "internships",
        [Count(key, zh, en, found.get(key, 0)) for key, _, zh, en in INTERNSHIP_PROBLEMS],
    )


@dataclass(frozen=True, slots=True)
class _Standing:
    school: str
    rule: ComplianceRule
    compliant: bool
    short: ShortTeacher | None


def _teacher_standings(
    conn: sqlite3.Connection, today: datetime.date, school: str | None
) -> list[_Standing]:
    """Every teacher with a reported school-to-enterprise placement (at `school`, when given),
    keyed by ID number, judged over the placements of all schools; category and hire date from
    the latest record."""
    # Sorted by SQLite and read one teacher at a time: rows held all at once outlive the young
    # generations and set off full garbage collections, which cost more than the sort.
    rows = conn.execute(
        "SELECT id_number, _id, _org, person_name, teacher_category, hire_date, start_date, "
        "end_date, days FROM teacher_placement AS t "
        f"WHERE {_REPORTED} AND direction = 'school_to_enterprise' "
        "AND id_number IS NOT NULL AND id_number != '' "
        + (
            ""
            if school is None
            else "AND id_number IN (SELECT id_number FROM teacher_placement WHERE _org = ?) "
        )
        + "ORDER BY id_number, _updated_at, _id",
        [] if school is None else [school],
    )
    standings: list[_Standing] = []
    fromisoformat = datetime.date.fromisoformat
    for _, group in groupby(rows, key=itemgetter(0)):
        records = list(group)
        latest = records[-1]
        if latest[4] not in COVERED_CATEGORIES:
            continue
        placements = [
            Placement(fromisoformat(row[6]), fromisoformat(row[7]), row[8])
            for row in records
            if row[6] and row[7]
        ]
        hire = fromisoformat(latest[5]) if latest[5] else None
        result = teacher_compliance(latest[4], hire, placements, today)
        short = None
        if not result.compliant:
            short = ShortTeacher(
                record_id=latest[1],
                school=latest[2],
                teacher_name=latest[3] or "",
                days=result.days,
                required=REQUIRED_DAYS,
                rule=str(result.rule),
                window_end=result.window_end,
                overdue=result.overdue,
            )
        standings.append(_Standing(latest[2], result.rule, result.compliant, short))
    return standings


def _rate(standings: Sequence[_Standing]) -> float:
    if not standings:
        return 0.0
    return round(100 * sum(s.compliant for s in standings) / len(standings), 1)


def _teacher_figures(standings: list[_Standing]) -> list[Figure]:
    rolling = [s for s in standings if s.rule is ComplianceRule.ROLLING_5_YEARS]
    first = [s for s in standings if s.rule is ComplianceRule.FIRST_3_YEARS]
    compliant = sum(s.compliant for s in standings)
    overdue = sum(1 for s in standings if s.short is not None and s.short.overdue)
    return [
        Figure(
            "teacher_compliance_rates",
            "教师企业实践达标率",
            "Teacher placement compliance",
            "%",
            "%",
            [
                Count("overall", "全部", "All", _rate(standings)),
                Count(
                    "rolling_5_years", *_RULE_LABELS[ComplianceRule.ROLLING_5_YEARS], _rate(rolling)
                ),
                Count("first_3_years", *_RULE_LABELS[ComplianceRule.FIRST_3_YEARS], _rate(first)),
            ],
        ),
        Figure(
            "teachers_by_standing",
            "教师企业实践：人数",
            "Teachers by standing",
            "人",
            "teachers",
            [
                Count("compliant", "已达标", "Compliant", compliant),
                Count(
                    "on_track",
                    "新教师未满 3 年",
                    "New, within 3 years",
                    len(standings) - compliant - overdue,
                ),
                Count("short", "未达标", "Short", overdue),
            ],
        ),
    ]


def _progress(targets: Targets, figures: list[Figure]) -> list[TargetProgress]:
    by_name = {f.name: f for f in figures}
    bases = by_name["training_bases_by_type"]
    progress: list[TargetProgress] = []
    if targets.training_bases is not None:
        progress.append(
            TargetProgress(
                "training_bases",
                "实训基地数",
                "Training bases",
                targets.training_bases,
                sum(c.value for c in bases.counts),
            )
        )
    if targets.productive_bases is not None:
        progress.append(
            TargetProgress(
                "productive_bases",
                "生产性实训基地数",
                "Productive training bases",
                targets.productive_bases,
                bases.value("productive"),
            )
        )
    if targets.teacher_compliance_pct is not None:
        progress.append(
            TargetProgress(
                "teacher_compliance_pct",
                "教师企业实践达标率（%）",
                "Teacher compliance (%)",
                targets.teacher_compliance_pct,
                by_name["teacher_compliance_rates"].value("overall"),
            )
        )
    return progress


# Duplicates -----------------------------------------------------------------------------------


def duplicates(store: Store) -> list[Duplicate]:
    """Students in overlapping internships, teachers in overlapping placements (any schools,
    including one school twice) and USCCs recorded under different enterprise names."""
    with store.reading() as conn:
        found = _overlaps(conn, "internship", "student_name", "student_overlap")
        # Enterprise staff may teach at two schools at once; a teacher is in one enterprise.
        found += _overlaps(
            conn,
            "teacher_placement",
            "person_name",
            "teacher_overlap",
            "direction = 'school_to_enterprise'",
        )
        found += _uscc_names(conn)
    return found


_OVERLAP_WORDS = {
    "student_overlap": ("学生", "条时间重叠的实习记录", "Student", "internships that overlap"),
    "teacher_overlap": ("教师", "条时间重叠的企业实践记录", "Teacher", "placements that overlap"),
}


def _overlaps(
    conn: sqlite3.Connection, form: str, name_field: str, kind: str, only: str = "1"
) -> list[Duplicate]:
    """Records of one ID number whose dates overlap, among the records where `only` holds."""
    rows = conn.execute(
        f'SELECT id_number, _id, _org, "{name_field}", start_date, end_date FROM "{form}" AS t '
        f"WHERE {_REPORTED} AND {only} AND start_date IS NOT NULL AND end_date IS NOT NULL "
        f'AND id_number IN (SELECT id_number FROM "{form}" AS t WHERE {_REPORTED} AND {only} '
        "AND id_number IS NOT NULL AND id_number != '' GROUP BY id_number HAVING count(*) > 1) "
        "ORDER BY id_number, start_date, _id"
    ).fetchall()
    found: list[Duplicate] = []
    cluster: list[Any] = []
    cluster_end = ""

    def close() -> None:
        if len(cluster) > 1:
            found.append(_overlap(kind, form, cluster))

    for row in rows:
        # ISO dates compare as text; a placement ending the day the next starts overlaps.
        if cluster and row[0] == cluster[0][0] and row[4] <= cluster_end:
            cluster.append(row)
            cluster_end = max(cluster_end, row[5])
            continue
        close()
        cluster, cluster_end = [row], row[5]
    close()
    return found


def _overlap(kind: str, form: str, rows: list[Any]) -> Duplicate:
    zh_who, zh_what, en_who, en_what = _OVERLAP_WORDS[kind]
    masked = mask_id_number(rows[0][0])
    name = rows[-1][3] or ""
    start = rows[0][4]
    end = max(row[5] for row in rows)
    return Duplicate(
        kind=kind,
        key=f"{masked} {start}",
        record_ids=sorted(row[1] for row in rows),
        schools=sorted({row[2] for row in rows}),
        detail_zh=f"{zh_who}{name}（{masked}）有 {len(rows)} {zh_what}（{start} 至 {end}）",
        detail_en=f"{en_who} {name} ({masked}) has {len(rows)} {en_what} ({start} to {end})",
        forms=[form],
    )


def normalized_name(name: str) -> str:
    """An enterprise name compared for sameness: full-width characters as half-width (（）→()),
    no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


_ENTERPRISES = (
    "SELECT upper(enterprise_uscc) AS uscc, enterprise_name AS name, t._id AS record, "
    "t._org AS org, 'internship' AS form FROM internship AS t "
    f"WHERE {_REPORTED} AND enterprise_uscc IS NOT NULL AND enterprise_uscc != '' "
    "UNION ALL SELECT upper(enterprise_uscc), enterprise_name, t._id, t._org, "
    "'teacher_placement' FROM teacher_placement AS t "
    f"WHERE {_REPORTED} AND enterprise_uscc IS NOT NULL AND enterprise_uscc != '' "
    "UNION ALL SELECT upper(p.uscc), p.enterprise_name, t._id, t._org, 'training_base' "
    "FROM training_base__partners AS p JOIN training_base AS t ON t._id = p._record "
    f"WHERE {_REPORTED} AND p.uscc IS NOT NULL AND p.uscc != ''"
)


def _uscc_names(conn: sqlite3.Connection) -> list[Duplicate]:
    rows = conn.execute(
        f"WITH e AS ({_ENTERPRISES}) SELECT uscc, name, record, org, form FROM e "
        "WHERE uscc IN (SELECT uscc FROM e WHERE name IS NOT NULL "
        "GROUP BY uscc HAVING count(DISTINCT trim(name)) > 1) ORDER BY uscc, name"
    ).fetchall()
    by_uscc: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_uscc[row[0]].append(row)
    found: list[Duplicate] = []
    for uscc, group in by_uscc.items():
        names: dict[str, str] = {}
        for row in group:
            if row[1]:
                names.setdefault(normalized_name(row[1]), row[1].strip())
        if len(names) < 2:
            continue
        shown = sorted(names.values())
        found.append(
            Duplicate(
                kind="uscc_names",
                key=uscc,
                record_ids=sorted({row[2] for row in group}),
                schools=sorted({row[3] for row in group}),
                detail_zh=f"统一社会信用代码 {uscc} 对应 {len(shown)} 个不同的企业名称："
                + "、".join(shown),
                detail_en=f"USCC {uscc} is recorded under {len(shown)} different names: "
                + "; ".join(shown),
                forms=sorted({row[4] for row in group}),
            )
        )
    return found
