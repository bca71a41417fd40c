"""Groups of rows by key columns as integer codes, and their sums by np.bincount (issue 12: over 1.5 million task
rows a pandas groupby per figure was most of summarize).

The groups, their order and their keys are those of `frame.groupby(by, observed=True, sort=False)`: in order of
first appearance, rows with a missing key left out.
"""
from typing import NamedTuple

import numpy as np
import pandas as pd


class Groups(NamedTuple):
    codes: np.ndarray   # per row: its key combination's code, `space` where a key is missing
    space: int          # how many codes there are
    keys: np.ndarray    # per group, in order of first appearance: its code
    index: pd.Index     # per group: its keys, named by the columns

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per group: the sum of `values` (integers or booleans summed as int64, exact below 2**53)."""
        sums = np.bincount(self.codes, weights=values, minlength=self.space + 1)[self.keys]
        return sums if values.dtype.kind == "f" else sums.astype(np.int64)

    def mean(self, values: np.ndarray) -> np.ndarray:
        """Per group: the mean of its numbers in `values` (NaN where none), summed as pandas sums them (compensated:
        a plain bincount sum differs in the last bits)."""
        return pd.Series(values).groupby(self.ids()).mean().reindex(range(len(self.keys))).to_numpy()

    def ids(self) -> np.ndarray:
        """Per row: its group's number, −1 where a key is missing."""
        numbers = np.full(self.space + 1, -1)
        numbers[self.keys] = np.arange(len(self.keys))
        return numbers[self.codes]

    def count(self, values: np.ndarray | None = None) -> np.ndarray:
        """Per group: its rows (with `values`, a boolean per row: its rows where it holds)."""
        codes = self.codes if values is None else self.codes[values]
        return np.bincount(codes, minlength=self.space + 1)[self.keys]


def groups(frame: pd.DataFrame, by: list[str]) -> Groups:
    """The groups of `frame`'s rows by the columns `by`."""
    rows = len(frame)
    codes, space, missing = np.zeros(rows, dtype=np.int64), 1, np.zeros(rows, dtype=bool)
    for column in by:
        column_codes, size = _codes(frame[column])
        codes *= size
        codes += column_codes
        space *= size
        missing |= column_codes < 0
        if space > rows:  # keep the codes dense, and their product from overflowing
            codes, uniques = pd.factorize(codes)
            space = len(uniques)
    codes[missing] = space
    first = np.full(space + 1, rows)
    np.minimum.at(first, codes, np.arange(rows))
    first_rows = np.sort(first[:space][first[:space] < rows])
    keys = codes[first_rows]
    arrays = [frame[column].iloc[first_rows].array for column in by]
    index = pd.MultiIndex.from_arrays(arrays, names=by) if len(by) > 1 else pd.Index(arrays[0], name=by[0])
    return Groups(codes, space, keys, index)


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Each value's code (−1 where missing) and how many codes there are; a categorical's own codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64), len(column.cat.categories)
    codes, uniques = pd.factorize(column)
    return codes.astype(np.int64), len(uniques)
