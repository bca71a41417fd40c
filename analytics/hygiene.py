"""Office hygiene, the nine-no standard (DOMAIN.md "Nine-no hygiene score").

An inspection row scores 100 × passed ÷ applicable items; a row with no applicable item is not
scored. A section-month scores the mean of its scored rows; the bureau-month the mean of its
section-month scores (each section weighs the same, however many places it inspected).
"""
import numpy as np
import pandas as pd

from analytics.grouping import groups
from analytics.intake import vocab

ITEMS = list(vocab.NINE_ITEMS)


def _marks(inspections: pd.DataFrame) -> np.ndarray:
    """The nine marks as floats: 1 pass, 0 fail, NaN not applicable."""
    return inspections[ITEMS].to_numpy(dtype=float, na_value=np.nan)


def row_scores(inspections: pd.DataFrame) -> pd.Series:
    """nine_no_score of every inspection row; NaN where no item applied."""
    marks = _marks(inspections)
    applicable = (~np.isnan(marks)).sum(axis=1)
    passed = (marks == 1).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(applicable > 0, 100 * passed / applicable, np.nan), index=inspections.index)


def section_month_scores(inspections: pd.DataFrame) -> pd.DataFrame:
    """nine_no_score (mean of scored rows) and scored_rows per section and month."""
    scores, grouped = row_scores(inspections).to_numpy(), groups(inspections, ["section", "month"])
    return pd.DataFrame({"nine_no_score": grouped.mean(scores), "scored_rows": grouped.count(~np.isnan(scores))},
                        index=grouped.index)


def bureau_month_scores(section_scores: pd.DataFrame) -> pd.Series:
    """The bureau's nine_no_score per month: the mean of its section-month scores."""
    return section_scores.groupby(level="month", observed=True, sort=False)["nine_no_score"].mean()


def item_fail_rates(inspections: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group and item: fails, applicable and fail_rate = fails ÷ applicable (NaN where none applied).

    Out: long format, one row per group and item (the item's Chinese name in `item`)."""
    marks, grouped = _marks(inspections), groups(inspections, by)
    # One row per group and item, the items of a group together.
    fails = np.column_stack([grouped.count(column == 0) for column in marks.T]).ravel()
    applicable = np.column_stack([grouped.count(~np.isnan(column)) for column in marks.T]).ravel()
    long = grouped.index.repeat(len(ITEMS)).to_frame(index=False).assign(
        item=np.tile([names[0] for names in vocab.NINE_ITEMS.values()], len(grouped.index)),
        fails=fails, applicable=applicable)
    return long.assign(fail_rate=long["fails"] / long["applicable"].where(long["applicable"] > 0))


def place_fail_rates(inspections: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group and place: fails, applicable and fail_rate over all nine items."""
    marks = _marks(inspections)
    frame = inspections[[*by, "place"]].assign(fails=(marks == 0).sum(axis=1), applicable=(~np.isnan(marks)).sum(axis=1))
    sums = frame.groupby([*by, "place"], observed=True, sort=False)[["fails", "applicable"]].sum().reset_index()
    return sums.assign(fail_rate=sums["fails"] / sums["applicable"].where(sums["applicable"] > 0))


def in_month(inspections: pd.DataFrame, month: str) -> pd.DataFrame:
    """The inspection rows of `month`."""
    return inspections[inspections["month"] == month]
