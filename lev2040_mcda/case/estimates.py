"""Uncertain estimates: the ranges of ``uncertainty.csv`` resolved to one range per cell.

Every number in measures.csv is an estimate. ``uncertainty.csv`` (or ``.xlsx``) gives some of them
a range and a distribution; :func:`~lev2040_mcda.case.estimates_read.read_uncertainty` resolves its
rows (blanket ``*`` rows with a ``district`` or ``goal`` selector, relative ``-30%``/``+20%`` ends)
into one :class:`Estimate` per (measure, column), checked against the value in measures.csv. The
sampling is the ranking stage's (:mod:`lev2040_mcda.ranking.estimates`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DISTRIBUTIONS", "UNCERTAINTY_FILE", "Estimate", "Uncertainty"]

DISTRIBUTIONS = ("uniform", "triangular", "pert", "normal")
"""``uniform`` on [low, high]; ``triangular`` and ``pert`` (Beta-PERT, λ = 4) with the value in
measures.csv as the mode; ``normal`` with low and high its 5 % and 95 % quantiles."""

UNCERTAINTY_FILE = "uncertainty"
"""The file's stem in the case folder: ``uncertainty.csv`` or ``uncertainty.xlsx``."""


@dataclass(frozen=True)
class Estimate:
    """The range of one number of measures.csv: ``measure``'s ``column`` (a criterion or a resource
    id) lies in ``low`` .. ``high`` around ``value`` (the number in measures.csv), distributed as
    ``distribution``. Estimates with the same ``group`` move together (their errors are drawn from
    one random number: perfectly rank-correlated). ``row`` is the line of uncertainty.csv that set it."""

    measure: str
    column: str
    value: float
    low: float
    high: float
    distribution: str
    group: str | None = None
    row: int = 0

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Uncertainty:
    """Every estimate of a case with a range (in measures.csv's order of measures, then the
    file's order of columns); ``source`` is the file it came from (None: the case has none)."""

    estimates: tuple[Estimate, ...] = ()
    source: str | None = None

    def __bool__(self) -> bool:
        return any(e.width > 0 for e in self.estimates)

    def on(self, columns) -> tuple[Estimate, ...]:
        """The estimates of ``columns`` (criterion or resource ids) with a range of width > 0."""
        wanted = set(columns)
        return tuple(e for e in self.estimates if e.column in wanted and e.width > 0)
