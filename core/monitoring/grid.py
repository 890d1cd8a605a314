"""Which cells a row of facts counts in, so that many columns are summed over every cell at
once: one counting pass per column, indicator and period instead of a grouping per scope."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from core.monitoring.catalogue import ScopeType

Scope = tuple[ScopeType, int]
LISTS = (list, tuple)  # what a subject_ids cell holds; anything else (None, NaN) is empty
NO_SCHOOL, OTHER_SCHOOL = -1, -2  # positions of a row without a school, or another one's


def ids(values: Iterable[Any]) -> list[int]:
    """Ids from a column that may hold None, NaN or <NA>, as plain ints."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return [int(v) for v in pd.to_numeric(series.dropna()).tolist()]


def id_array(column: pd.Series, missing: int = -1) -> np.ndarray:
    """An id column as int64, `missing` where it holds None, NaN or <NA>."""
    numbers = pd.to_numeric(column).to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(numbers), missing, numbers).astype("int64")


@dataclass(frozen=True)
class Scopes:
    """Every cell of a municipality in order: itself, its schools, the subjects taught there."""

    municipality_id: int
    schools: tuple[int, ...]
    subjects: tuple[int, ...]

    @property
    def all(self) -> tuple[Scope, ...]:
        return (
            (ScopeType.MUNICIPALITY, self.municipality_id),
            *((ScopeType.SCHOOL, s) for s in self.schools),
            *((ScopeType.SUBJECT, s) for s in self.subjects),
        )

    def columns(self, wanted: Iterable[ScopeType]) -> tuple[list[Scope], np.ndarray]:
        """The scopes of the wanted breakdowns, in order, and their columns in a Grid."""
        kinds = set(wanted)
        chosen = [(i, s) for i, s in enumerate(self.all) if s[0] in kinds]
        return [s for _, s in chosen], np.array([i for i, _ in chosen], dtype="int64")

    def school_positions(self, column: pd.Series) -> np.ndarray:
        """Each row's school as a position in `schools`; NO_SCHOOL or OTHER_SCHOOL."""
        found = id_array(column, NO_SCHOOL)
        index = pd.Index(self.schools, dtype="int64").get_indexer(pd.Index(found))
        return np.where(found == NO_SCHOOL, NO_SCHOOL, np.where(index < 0, OTHER_SCHOOL, index))

    def memberships(self, lists: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """(row, subject position) pairs of a column of subject lists: a row of two subjects
        counts in both (and twice in one it names twice)."""
        own = [x if isinstance(x, LISTS) else () for x in lists]
        lengths = np.fromiter(map(len, own), dtype="int64", count=len(own))
        rows = np.repeat(np.arange(len(own)), lengths)
        found = np.fromiter(chain.from_iterable(own), dtype="int64", count=int(lengths.sum()))
        positions = pd.Index(self.subjects, dtype="int64").get_indexer(pd.Index(found))
        known = positions >= 0
        return rows[known], positions[known]


@dataclass(frozen=True)
class Grid:
    """Rows of facts and the cells they count in, as (row, scope) pairs: a row counts in
    its municipality, its school and each of its subjects (twice in one it names twice)."""

    rows: np.ndarray
    scopes: np.ndarray  # positions in Scopes.all
    size: int  # how many scopes there are

    def sums(self, mask: np.ndarray, *columns: np.ndarray) -> np.ndarray:
        """Per column (bool or int, one value per row), its sum over the rows in `mask` in
        every scope: (k, scopes). Counting, single-threaded: no BLAS threads spinning beside
        the bot's event loop."""
        kept = mask[self.rows]
        rows, scopes = self.rows[kept], self.scopes[kept]
        found = [
            np.bincount(scopes, weights=np.asarray(c)[rows], minlength=self.size) for c in columns
        ]
        totals: np.ndarray = np.rint(np.array(found, dtype="float64")).astype("int64")
        return totals.reshape(len(columns), self.size)


def grid(scopes: Scopes, schools: pd.Series, subjects: Sequence[Any]) -> Grid:
    """The cells of each row: the municipality, its school if one of the municipality's, and
    each of its subjects."""
    return placed(scopes, scopes.school_positions(schools), scopes.memberships(subjects))


def placed(scopes: Scopes, schools: np.ndarray, subjects: tuple[np.ndarray, np.ndarray]) -> Grid:
    """The grid of rows already placed: their school positions (Scopes.school_positions) and
    (row, subject position) memberships (Scopes.memberships)."""
    count = len(schools)
    known = np.flatnonzero(schools >= 0)
    member, subject = subjects
    return Grid(
        rows=np.concatenate([np.arange(count), known, member]).astype("int64"),
        scopes=np.concatenate(
            [np.zeros(count), 1 + schools[known], 1 + len(scopes.schools) + subject]
        ).astype("int64"),
        size=len(scopes.all),
    )
