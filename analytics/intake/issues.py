"""One record for every problem found in a file, and the per-file report (RETURN_FORMAT.md keys)."""
from dataclasses import dataclass, field

import pandas as pd

from analytics.intake.messages import MESSAGES, WARNINGS


@dataclass(frozen=True)
class Issue:
    code: str                  # stable slug, a key of MESSAGES
    sheet: str | None = None
    row: int | None = None     # the spreadsheet's own 1-based row
    column: str | None = None  # the contract's column name (完成数)
    cell: str | None = None    # "E7", so the clerk can jump to it
    value: str | None = None
    params: dict = field(default_factory=dict, compare=False)

    @property
    def severity(self) -> str:
        return "warning" if self.code in WARNINGS else "error"

    @property
    def message(self) -> str:
        fields = {"sheet": self.sheet, "row": self.row, "column": self.column,
                  "cell": self.cell, "value": self.value}
        return MESSAGES[self.code].format(**fields, **self.params)

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "cell": self.cell,
                "code": self.code, "message": self.message}


@dataclass
class FileReport:
    file: str                  # as given; inside a zip "ZIP/MEMBER"
    sections: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    upload: int | None = None  # which of the uploaded files (their position in the batch) it came from

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def status(self) -> str:
        return "rejected" if self.errors else "imported"

    def add(self, code: str, **fields) -> None:
        self.issues.append(Issue(code, **fields))

    def to_dict(self, max_issues: int) -> dict:
        return {"file": self.file, "status": self.status, "sections": self.sections, "months": self.months,
                "errors": capped(self.errors, max_issues), "warnings": capped(self.warnings, max_issues)}


def capped(issues: list[Issue], max_issues: int) -> list[dict]:
    """The first `max_issues` issues as dicts, then one line counting the rest."""
    shown = [i.to_dict() for i in issues[:max_issues]]
    if len(issues) > max_issues:
        shown.append(Issue("more-issues", value=str(len(issues) - max_issues)).to_dict())
    return shown


def reports_frame(reports: list[FileReport]) -> pd.DataFrame:
    """One row per file: 文件, 结果, 科室, 月份, 错误数, 提示数 (for tables and downloads)."""
    return pd.DataFrame({
        "文件": [r.file for r in reports],
        "结果": ["通过" if r.status == "imported" else "退回" for r in reports],
        "科室": ["、".join(r.sections) for r in reports],
        "月份": ["、".join(r.months) for r in reports],
        "错误数": [len(r.errors) for r in reports],
        "提示数": [len(r.warnings) for r in reports],
    })


def issues_frame(reports: list[FileReport]) -> pd.DataFrame:
    """One row per issue: 文件, 类型, 工作表, 行, 列, 单元格, 说明."""
    rows = [{"文件": r.file, "类型": "错误" if i.severity == "error" else "提示", "工作表": i.sheet or "", "行": i.row,
             "列": i.column or "", "单元格": i.cell or "", "说明": i.message} for r in reports for i in r.issues]
    frame = pd.DataFrame(rows, columns=["文件", "类型", "工作表", "行", "列", "单元格", "说明"])
    return frame.astype({"行": "Int64"})  # a whole-file problem has no row
