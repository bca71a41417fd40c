"""What a checked batch would bring, before it is imported (issue 12): per section-month of each accepted file, the
rows read per table, its completion rate and nine-no score as the dashboard computes them after the import, and
its warnings."""
import pandas as pd

from analytics import labels
from analytics.intake.loader import LoadResult
from analytics.rules import Rules
from analytics.summary import summarize

READ = ["tasks", "inspections", "events"]
COLUMNS = ["file", "section", "month", *READ, "completion_rate", "nine_no_score", "imported", "replaces", "warnings"]


def batch_preview(result: LoadResult, sections: pd.DataFrame, rules: Rules, known: set[str],
                  in_force: pd.DataFrame | None = None) -> pd.DataFrame:
    """file, section, month, tasks, inspections, events (rows read), completion_rate, nine_no_score, imported (its
    upload is one of `known`, the digests stored before: the import skips it), replaces (将替换现行版本（上次导入于 …）
    where the import puts it in place of the version in force: `in_force` is store.versions_of()'s rows, those of
    state "current" count; blank otherwise), warnings (the section-month's as the
    dashboard will list them, then its file's). Figures from summarize() over the batch alone, as the store has
    them after the import (a section-month's figures depend on its own return only)."""
    rows = [(index, report, section, month) for index, report in enumerate(result.reports) if report.status == "imported"
            for section in report.sections for month in report.months]
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    months = sorted({month for *_, month in rows})
    figures = summarize(result, sections, rules, months).section_months.set_index(["section", "month"])
    counts = {kind: _rows_read(result, kind) for kind in READ}
    current = {} if in_force is None else {(row.section, row.month): row.imported_at
                                           for row in in_force[in_force["state"] == "current"].itertuples()}
    preview = []
    for index, report, section, month in rows:
        key = (section, month)
        shown = figures.loc[key] if key in figures.index else pd.Series(dtype=object)
        preview.append({
            "file": report.file, "section": section, "month": month,
            **{kind: counts[kind].get((index, section, month), 0) for kind in READ},
            "completion_rate": shown.get("completion_rate"), "nine_no_score": shown.get("nine_no_score"),
            "warnings": labels.LIST_SEPARATOR.join([*shown.get("warnings", []), *(i.message for i in report.warnings)]),
            "imported": (imported := _imported(result, report, known)),
            "replaces": labels.REPLACES_VERSION.format(at=current[key]) if key in current and not imported else ""})
    return pd.DataFrame(preview, columns=COLUMNS).astype({"completion_rate": float, "nine_no_score": float})


def _rows_read(result: LoadResult, kind: str) -> dict:
    """(report index, section, month) → rows of `kind` read from that file for that section-month."""
    table = result.of(kind)
    keys = pd.DataFrame({"report": result.record_reports[kind], "section": table["section"].to_numpy(),
                         "month": table["month"].to_numpy()})
    return keys.groupby(["report", "section", "month"]).size().to_dict()


def _imported(result: LoadResult, report, known: set[str]) -> bool:
    return report.upload is not None and result.digests[report.upload] in known


def new_reports(result: LoadResult, known: set[str]) -> int:
    """How many accepted files (returns; a zip's members each) the import would add: those not imported before."""
    return sum(report.status == "imported" and not _imported(result, report, known) for report in result.reports)
