"""One record for every problem found in a file, and the per-file report (RETURN_FORMAT.md keys)."""
from dataclasses import dataclass, field

import pandas as pd

from analytics.intake.messages import MESSAGES, REPORT_HEADINGS, REPORT_WORDS, VALUE_PARTS, WARNINGS


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
    heading, listed = REPORT_HEADINGS, VALUE_PARTS["list"]
    return pd.DataFrame({
        heading["file"]: [r.file for r in reports],
        heading["result"]: [REPORT_WORDS[r.status] for r in reports],
        heading["sections"]: [listed.join(r.sections) for r in reports],
        heading["months"]: [listed.join(r.months) for r in reports],
        heading["errors"]: [len(r.errors) for r in reports],
        heading["warnings"]: [len(r.warnings) for r in reports],
    })


def issues_frame(reports: list[FileReport]) -> pd.DataFrame:
    """One row per issue: 文件, 类型, 工作表, 行, 列, 单元格, 说明."""
    columns = [REPORT_HEADINGS[name] for name in ("file", "severity", "sheet", "row", "column", "cell", "message")]
    rows = [(r.file, REPORT_WORDS[i.severity], i.sheet or "", i.row, i.column or "", i.cell or "", i.message)
            for r in reports for i in r.issues]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({REPORT_HEADINGS["row"]: "Int64"})  # a whole-file problem has no row
