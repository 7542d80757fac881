"""Normalisations of the decision matrix, each with the guard its formula needs.

pymcdm's formulas, column by column (``x`` one criterion's values over the measures, m of them):

=================== ============================== ===================================
name                benefit                        cost
=================== ============================== ===================================
minmax              (x - min) / (max - min)        (max - x) / (max - min)
max                 x / max                        1 - x / max
sum                 x / sum(x)                     (1 / x) / sum(1 / x)
vector              x / sqrt(sum(x²))              1 - x / sqrt(sum(x²))
logarithmic         ln x / ln prod(x)              (1 - ln x / ln prod(x)) / (m - 1)
linear              x / max                        min / x
nonlinear           (x / max)²                     (min / x)³
enhanced_accuracy   1 - (max - x) / sum(max - x)   1 - (x - min) / sum(x - min)
zavadskas_turskis   1 - |(max - x) / max|          1 - |(min - x) / min|
none                x                              max - x
=================== ============================== ===================================

A guard refuses exactly what its formula cannot take, no more (:data:`GUARDS`):

- The ratio normalisations (max, sum, vector, logarithmic, linear, nonlinear) read a value as a
  share of the column's maximum, sum or length, which has a meaning only on a scale whose zero is
  "none" and that has no negative values; a negative value is refused (it can make the maximum or
  the sum <= 0 and turn the order around). A zero is a value like any other (x / max = 0), except
  where the formula divides by it: a cost criterion under sum, linear and nonlinear (1 / x,
  min / x), and a criterion that is 0 for every measure (max, sum or length 0). The logarithmic
  one takes ln x (values > 0) and divides by ln prod(x), which must be > 0: at 0 it divides by 0,
  below 0 it reverses the order of the criterion; its cost form divides by m - 1.
- enhanced_accuracy divides by the column's total distance from its best value: a criterion with
  the same value for every measure has none. zavadskas_turskis divides by the best value (max for
  a benefit, min for a cost), which must not be 0. Both take negative values.
- minmax is defined for any column: where the spread is 0 every measure gets 1 (pymcdm's
  convention; such a criterion tells no measure apart, and a method adds the same for every
  measure). ``none`` is defined for any column.

What happens when a guard refuses: a method's ratio normalisation (WSM's and WPM's default, or
one asked for) is replaced by min-max for the whole matrix, with a warning naming the criteria
and why; enhanced_accuracy and zavadskas_turskis, which are only used when asked for, raise
:class:`MethodNotApplicable` naming the criteria (use minmax).

pymcdm's sum, linear and logarithmic functions refuse any zero (or any value <= 0) in benefit and
cost columns alike; they are computed here with pymcdm's formulas and the guards above instead.
The logarithmic one adds logarithms rather than multiplying the column (pymcdm's product is inf
from about a hundred measures of value 1000, and every value then 0).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..case import MAX_MAGNITUDE
from .library import pymcdm
from .matrix import DecisionMatrix, MethodNotApplicable, few

__all__ = [
    "NORMALIZATIONS",
    "RATIO",
    "GUARDS",
    "guard",
    "normalization_function",
    "choose_normalization",
    "normalized",
]

NORMALIZATIONS = (
    "minmax",
    "max",
    "sum",
    "vector",
    "logarithmic",
    "linear",
    "nonlinear",
    "enhanced_accuracy",
    "zavadskas_turskis",
    "none",
)
RATIO = ("max", "sum", "vector", "logarithmic", "linear", "nonlinear")
"""The ratio normalisations: where their guard refuses, a method uses min-max instead."""

NEGATIVE = "criteria with negative values"
ALL_ZERO = "criteria that are 0 for every measure"
ZERO_COST = "cost criteria with a zero (the cost form divides by each value)"
NOT_POSITIVE = "criteria with values <= 0"
LOG_PRODUCT = "criteria whose values multiply to at most 1 (ln prod(x) <= 0)"
ONE_MEASURE = "cost criteria of a single measure (the cost form divides by m - 1)"
FLAT = "criteria with the same value for every measure"
ZERO_BEST = "criteria whose best value is 0 (the max of a benefit, the min of a cost)"


def _ratio(x: np.ndarray, cost: bool, zero_cost: bool) -> str | None:
    """A ratio normalisation's guard: no negative value, not 0 throughout, and (where the cost
    form divides by each value) no zero in a cost criterion."""
    if (x < 0).any():
        return NEGATIVE
    if not (x > 0).any():
        return ALL_ZERO
    if cost and zero_cost and (x == 0).any():
        return ZERO_COST
    return None


def _logarithmic_guard(x: np.ndarray, cost: bool) -> str | None:
    if not (x > 0).all():
        return NOT_POSITIVE
    if not np.log(x).sum() > 0:
        return LOG_PRODUCT
    if cost and len(x) < 2:
        return ONE_MEASURE
    return None


GUARDS: dict[str, Callable[[np.ndarray, bool], str | None]] = {
    "minmax": lambda x, cost: None,
    "max": lambda x, cost: _ratio(x, cost, zero_cost=False),
    "sum": lambda x, cost: _ratio(x, cost, zero_cost=True),
    "vector": lambda x, cost: _ratio(x, cost, zero_cost=False),
    "logarithmic": _logarithmic_guard,
    "linear": lambda x, cost: _ratio(x, cost, zero_cost=True),
    "nonlinear": lambda x, cost: _ratio(x, cost, zero_cost=True),
    "enhanced_accuracy": lambda x, cost: FLAT if x.min() == x.max() else None,
    "zavadskas_turskis": lambda x, cost: ZERO_BEST if (x.min() if cost else x.max()) == 0 else None,
    "none": lambda x, cost: None,
}
"""Per normalisation: ``guard(x, cost)`` -> why the formula cannot take column ``x``, or None."""


def guard(dm: DecisionMatrix, name: str) -> dict[str, list[str]]:
    """The criteria that normalisation ``name`` cannot take, by reason (in criterion order)."""
    out: dict[str, list[str]] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for cid, col, t in zip(dm.criterion_ids, dm.values.T, dm.types):
            why = GUARDS[name](col, t == -1) if len(col) else None
            if why is not None:
                out.setdefault(why, []).append(cid)
    return out


def _reasons(bad: dict[str, list[str]]) -> str:
    return "; ".join(f"{why}: {few(ids)}" for why, ids in bad.items())


def normalization_function(name: str) -> Callable[[np.ndarray, bool], np.ndarray]:
    """The column function ``f(x, cost)`` of normalisation ``name`` (pymcdm's formulas)."""
    normalizations = pymcdm().normalizations

    own = {
        "none": _none,
        "sum": _sum,
        "linear": _linear,
        "logarithmic": _logarithmic,
    }
    return own.get(name) or getattr(normalizations, f"{name}_normalization")


def _none(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """``none``, as pymcdm's VIKOR means it: raw values, a cost column turned into max - x."""
    return np.max(x) - x if cost else np.asarray(x, dtype=float)


def _sum(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """pymcdm's sum normalisation, taking zeros in a benefit column (x / sum(x) = 0)."""
    return (1 / x) / np.sum(1 / x) if cost else x / np.sum(x)


def _linear(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """pymcdm's linear normalisation, taking zeros in a benefit column (x / max = 0)."""
    return np.min(x) / x if cost else x / np.max(x)


def _logarithmic(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """pymcdm's logarithmic normalisation, ``ln x / ln prod(x)``, with ``ln prod(x)`` as the sum
    of the logarithms (pymcdm's product overflows to inf, and every value then to 0)."""
    logs = np.log(x)
    out = logs / logs.sum()
    return (1 - out) / (x.shape[0] - 1) if cost else out


def choose_normalization(dm: DecisionMatrix, label: str, name: str, warnings: list[str]) -> str:
    """The normalisation a method uses: ``name``, or min-max where ``name`` is a ratio
    normalisation whose guard refuses a criterion (with a warning naming the criteria)."""
    if name in RATIO:
        bad = guard(dm, name)
        if bad:
            warnings.append(
                f"{label}: the {name} normalisation cannot take {_reasons(bad)}; min-max used instead"
            )
            return "minmax"
    return name


def normalized(dm: DecisionMatrix, name: str, label: str) -> np.ndarray:
    """The decision matrix under normalisation ``name`` (cost columns turned as pymcdm does).

    Raises
    ------
    MethodNotApplicable
        naming the criteria that the guard of ``name`` refuses (for a ratio normalisation,
        :func:`choose_normalization` has replaced it already), or whose values are beyond 1e15.
    """
    bad = guard(dm, name)
    if bad:
        raise MethodNotApplicable(
            f"{label}: the {name} normalisation is undefined for {_reasons(bad)} (use minmax)"
        )
    f = normalization_function(name)
    out = np.empty(dm.values.shape)
    with np.errstate(all="ignore"):  # checked column by column below
        for j, t in enumerate(dm.types):
            out[:, j] = f(dm.values[:, j], t == -1)
    nonfinite = [j for j, col in enumerate(out.T) if not np.isfinite(col).all()]
    if nonfinite:  # the guards leave only values beyond the case stage's range (a scenario's factor)
        cols = dm.values[:, nonfinite]
        why = "values beyond 1e15 in magnitude" if (np.abs(cols) > MAX_MAGNITUDE).any() else "these values"
        raise MethodNotApplicable(
            f"{label}: the {name} normalisation is undefined for criteria with {why}: "
            f"{few([dm.criterion_ids[j] for j in nonfinite])} (use minmax)"
        )
    return out
