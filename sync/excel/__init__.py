"""Excel workbooks of the store's records (openpyxl): the county's consolidated export, a
template per form, and imports that report before they write.

    >>> summary = export_workbook(store, "区县汇总.xlsx", progress=bar.set, cancelled=ask)
    >>> write_template(store.registry.get("internship"), "学生实习模板.xlsx")
    >>> plan = read_import(store, "学校台账.xlsx", "internship")   # writes nothing
    >>> plan.problems                                               # row, field, zh, en
    >>> apply_import(store, plan, user="li")                        # drafts

An exported workbook imports back: the main sheet's 记录编号 column links the rows of the
repeat-group sheets (实训基地-资金来源, ...) to their records, in both.
"""

from sync.excel.export import ExportCancelled, ExportSummary, export_workbook
from sync.excel.importing import (
    MAX_ROWS,
    ImportPlan,
    ImportProblem,
    PlannedRecord,
    apply_import,
    read_import,
)
from sync.excel.template import write_template

__all__ = [
    "MAX_ROWS",
    "ExportCancelled",
    "ExportSummary",
    "ImportPlan",
    "ImportProblem",
    "PlannedRecord",
    "apply_import",
    "export_workbook",
    "read_import",
    "write_template",
]
