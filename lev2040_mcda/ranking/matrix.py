"""The decision matrix (measures x criteria, with directions, bounds and PROMETHEE preferences), its
normalisations, and the checks of what the data allow a method: a criterion a normalisation or a
method cannot take is named in a :class:`MethodNotApplicable`, never turned into NaN and dropped.

The case stage keeps every number within 1e-15 .. 1e15 in magnitude (or 0), so sums, squares and
ratios of a column stay finite; what can still fail is a division by a column's own spread, sum or
extreme when that is 0 (a criterion with the same value for every measure, or zeros), and that is
what :func:`normalized` reports. pymcdm's logarithmic normalisation multiplies a whole column (inf
from about a hundred measures of value 1000); the one here adds logarithms, which is the same
number without the overflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..case import MAX_MAGNITUDE, Case, apply_scenario

__all__ = [
    "DecisionMatrix",
    "decision_matrix",
    "MethodNotApplicable",
    "NORMALIZATIONS",
    "normalization_function",
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
RATIO = {"max", "sum", "vector", "logarithmic", "linear", "nonlinear"}
"""The normalisations that need values > 0 (the methods fall back to min-max otherwise)."""


class MethodNotApplicable(ValueError):
    """The data do not meet the method's assumptions (the reason says which)."""


@dataclass(frozen=True)
class DecisionMatrix:
    """What every ranking method sees: ``values[i, j]`` is measure i on criterion j.

    ``types`` are pymcdm's (1 = benefit, -1 = cost); ``bounds`` are the scale's ends per criterion
    (the catalogue's ``min``/``max`` where given, else the data's); ``preferences`` are the
    PROMETHEE ``(function, q, p)`` per criterion (``usual`` where none is given).
    """

    measure_ids: tuple[str, ...]
    measure_names: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    values: np.ndarray
    types: np.ndarray
    bounds: np.ndarray
    preferences: tuple[tuple[str, float | None, float | None], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape


def decision_matrix(case: Case, scenario: str | None = None) -> DecisionMatrix:
    """The decision matrix of ``case`` (in ``scenario``, when given).

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> dm = decision_matrix(load_case("cases/tiny"))
    >>> dm.shape, dm.types.tolist(), dm.bounds[2].tolist()
    ((6, 4), [-1, 1, 1, 1], [0.0, 200.0])
    """
    case = apply_scenario(case, scenario)
    crit = case.criteria
    values = np.array([[m.performance[c.id] for c in crit] for m in case.measures], dtype=float)
    values = values.reshape(len(case.measures), len(crit))
    types = np.array([1 if c.direction == "benefit" else -1 for c in crit])
    lo = values.min(axis=0) if len(values) else np.zeros(len(crit))
    hi = values.max(axis=0) if len(values) else np.ones(len(crit))
    bounds = np.array(
        [
            [c.min if c.min is not None else lo[j], c.max if c.max is not None else hi[j]]
            for j, c in enumerate(crit)
        ],
        dtype=float,
    ).reshape(len(crit), 2)
    prefs = tuple(
        (c.preference.function, c.preference.q, c.preference.p) if c.preference else ("usual", None, None)
        for c in crit
    )
    return DecisionMatrix(
        tuple(m.id for m in case.measures),
        tuple(m.name for m in case.measures),
        tuple(c.id for c in crit),
        values,
        types,
        bounds,
        prefs,
    )


def few(ids: list[str]) -> str:
    """The first three ids, then how many more."""
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def normalization_function(name: str):
    """The column function ``f(x, cost)`` of normalisation ``name``, as pymcdm's methods take it."""
    from pymcdm import normalizations

    if name == "none":
        return _no_normalization
    if name == "logarithmic":
        return _logarithmic
    return getattr(normalizations, f"{name}_normalization")


def _no_normalization(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """``none``, as pymcdm's VIKOR means it: raw values, a cost column turned into max - x."""
    return np.max(x) - x if cost else np.asarray(x, dtype=float)


def _logarithmic(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """pymcdm's logarithmic normalisation, ``ln x / ln prod(x)``, with ``ln prod(x)`` as the sum
    of the logarithms (pymcdm's product overflows to inf, and every value then to 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(x)
        out = logs / logs.sum()
        return (1 - out) / (x.shape[0] - 1) if cost else out


def normalized(dm: DecisionMatrix, name: str, label: str) -> np.ndarray:
    """The decision matrix under normalisation ``name`` (cost columns turned as pymcdm does).

    Raises
    ------
    MethodNotApplicable
        naming the criteria for which ``name`` is undefined on these data.
    """
    f = normalization_function(name)
    out = np.empty(dm.values.shape)
    with np.errstate(all="ignore"):  # checked column by column below
        for j, t in enumerate(dm.types):
            out[:, j] = f(dm.values[:, j], t == -1)
    bad = [j for j, col in enumerate(out.T) if not np.isfinite(col).all()]
    if bad:
        cols = dm.values[:, bad]
        if (cols.min(axis=0) == cols.max(axis=0)).all():
            why = "the same value for every measure"
        elif (np.abs(cols) > MAX_MAGNITUDE).any():  # the case stage allows none: a scenario's factor
            why = "values beyond 1e15 in magnitude"
        else:
            why = "a value it divides by 0 (a zero, or no spread)"
        raise MethodNotApplicable(
            f"{label}: the {name} normalisation is undefined for criteria with {why}: "
            f"{few([dm.criterion_ids[j] for j in bad])} (use minmax)"
        )
    return out


# -- what the data allow a method: refusals that name the criteria ------------------------------


def _normalization(dm: DecisionMatrix, spec: Any, options: dict, warnings: list[str]) -> str:
    """The normalisation a method uses: the one asked for (or its default), or min-max where a
    ratio normalisation meets values <= 0 (with a warning naming the criteria)."""
    name = str(options.get("normalization", spec.normalization))
    if name in RATIO:
        bad = [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col <= 0).any()]
        if bad:
            warnings.append(
                f"{spec.label}: {name} normalisation needs values > 0; criteria with "
                f"values <= 0: {few(bad)}; min-max used instead"
            )
            return "minmax"
    return name


def _not_ratio_scale(dm: DecisionMatrix) -> list[str]:
    """Criteria a ratio method cannot take: any negative value, or a zero where it divides (cost)."""
    return [
        c
        for c, col, t in zip(dm.criterion_ids, dm.values.T, dm.types)
        if (col < 0).any() or (t == -1 and (col == 0).any())
    ]


def _check_positive(dm: DecisionMatrix, label: str, why: str, strict: bool = False) -> None:
    bad = (
        [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col <= 0).any()]
        if strict
        else _not_ratio_scale(dm)
    )
    if bad:
        what = "values <= 0" if strict else "negative values (or zeros in a cost criterion)"
        raise MethodNotApplicable(f"{label} needs a ratio scale ({why}); criteria with {what}: {few(bad)}")


def _check_varies(dm: DecisionMatrix, label: str, values: np.ndarray | None = None) -> None:
    """Every criterion varies over the measures (in ``values``, the matrix normalised, if given)."""
    values = dm.values if values is None else values
    flat = [c for c, col in zip(dm.criterion_ids, values.T) if col.min() == col.max()]
    if flat:
        raise MethodNotApplicable(
            f"{label} cannot use a criterion with the same value for every measure: {', '.join(flat[:3])}"
        )


def _check_columns(a: np.ndarray, dm: DecisionMatrix, what: str) -> None:
    """A per-criterion intermediate (measures x criteria) is finite, or the criteria are named: a
    NaN there would otherwise be masked later (an EDAS distance of NaN counts as 0)."""
    bad = [c for c, col in zip(dm.criterion_ids, np.asarray(a).T) if not np.isfinite(col).all()]
    if bad:
        raise MethodNotApplicable(f"{what} is undefined on these data for criteria: {few(bad)}")


def _finite(s: np.ndarray, dm: DecisionMatrix, label: str) -> np.ndarray:
    """Scores (measures, or measures x samples) that are all finite, or the method is refused."""
    bad = ~np.isfinite(s)
    if bad.any():
        rows = np.flatnonzero(bad if bad.ndim == 1 else bad.any(axis=1))
        which = few([dm.measure_ids[i] for i in rows])
        raise MethodNotApplicable(f"{label} gives undefined scores on these data (measures {which})")
    return s


def _indistinct(values: np.ndarray, w: np.ndarray) -> bool:
    """Whether no criterion of weight > 0 tells the measures apart (also: a single measure)."""
    return bool((np.ptp(values[:, w > 0], axis=0) == 0).all())
