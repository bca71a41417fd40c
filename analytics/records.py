"""The one shape of a year's records: what the loader reads, the store keeps and gives back, and summarize uses.

Every frame has the columns of COLUMNS (plus SOURCE_COLUMNS where a row came from a sheet) in the dtypes of
DTYPES; `typed` sets them, here and nowhere else.
"""
from dataclasses import dataclass, field

import pandas as pd

from analytics.intake.vocab import NINE_ITEMS

SOURCE_COLUMNS = ["source_file", "source_sheet", "source_row"]
COLUMNS = {
    "tasks": ["section", "month", "area", "task", "planned", "done", "deployed", "note"],
    "inspections": ["section", "month", "date", "place", *NINE_ITEMS, "inspector", "remark"],
    "events": ["section", "month", "date", "category", "description", "status", "handling"],
    "bonus": ["section", "month", "date", "category", "person", "note"],
}
KINDS = tuple(COLUMNS)
# One row per section-month with a current return. From the loader: section, month, source_file; from the store
# also when the section-month first arrived (imported_at) and who imported the current return.
RETURN_COLUMNS = ["section", "month", "source_file", "imported_at", "imported_by"]
DECISION_COLUMNS = ["id", "action", "section", "month", "date", "category", "description", "who", "at", "why",
                    "undone_at", "undone_by"]
# 1 pass, 0 fail, <NA> not applicable for each of the nine items.
DTYPES = {"planned": "int64", "done": "int64", "deployed": bool, **dict.fromkeys(NINE_ITEMS, "Int8")}


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each of its columns in DTYPES set to that dtype."""
    return frame.astype({name: dtype for name, dtype in DTYPES.items() if name in frame.columns})


def empty(kind: str) -> pd.DataFrame:
    """No records of `kind` (a key of COLUMNS), in its columns and dtypes."""
    return typed(pd.DataFrame(columns=COLUMNS[kind] + SOURCE_COLUMNS))


def no_decisions() -> pd.DataFrame:
    return pd.DataFrame(columns=DECISION_COLUMNS)


@dataclass
class Records:
    """A batch's or a year's records: one frame per kind, the returns they came in, and staff decisions."""
    tasks: pd.DataFrame
    inspections: pd.DataFrame
    events: pd.DataFrame
    bonus: pd.DataFrame
    returns: pd.DataFrame
    decisions: pd.DataFrame = field(default_factory=no_decisions)

    def of(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)

    def of_section(self, section: str) -> "Records":
        """Only `section`'s records, returns and decisions."""
        return Records(*(frame[frame["section"] == section] for frame in
                         (self.tasks, self.inspections, self.events, self.bonus, self.returns, self.decisions)))
