"""The decision matrix (measures x criteria, with directions, bounds and PROMETHEE preferences) and
the checks of what the data allow a method: a criterion a method cannot take is named in a
:class:`MethodNotApplicable`, never turned into NaN and dropped. The normalisations and their
guards are in :mod:`.normalization`.

The case stage keeps every number within 1e-15 .. 1e15 in magnitude (or 0), so sums, squares and
ratios of a column stay finite; what can still fail is a division by a column's own spread, sum,
average or extreme when that is 0, and each method's check below names the criteria where its
formula does that.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from ..case import Case, apply_scenario

__all__ = [
    "DecisionMatrix",
    "decision_matrix",
    "MethodNotApplicable",
]


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
    values = _values(case.measures, [c.id for c in crit])
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


def _values(measures, ids: list[str]) -> np.ndarray:
    """``values[i, j]``: measure i on criterion ``ids[j]``, read a row at a time (one C call per
    measure, not one lookup per cell: 5,000 x 20 cells take a few milliseconds)."""
    if not ids:
        return np.zeros((len(measures), 0))
    row = operator.itemgetter(*ids)
    cells = [row(m.performance) for m in measures]
    if len(ids) == 1:
        cells = [(v,) for v in cells]
    return np.array(cells, dtype=float).reshape(len(measures), len(ids))


def few(ids: list[str]) -> str:
    """The first three ids, then how many more."""
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


# -- what the data allow a method: refusals that name the criteria ------------------------------


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


def _wpm_check(dm: DecisionMatrix, N: np.ndarray, norm: str) -> None:
    """WPM compares two measures by the product of the ratios of their values, prod (a_kj /
    a_lj)^w_j (Bridgman 1922; Miller & Starr 1969; pymcdm's prod n_ij^w_j ranks the same): every
    value must be > 0, a zero making a ratio 0/0 or infinite. The normalised values are raised to
    powers: a negative one has no real power."""
    bad = [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col <= 0).any()]
    if bad:
        raise MethodNotApplicable(
            f"WPM needs a ratio scale (it multiplies powers of the values); criteria with values <= 0: {few(bad)}"
        )
    bad = [c for c, col in zip(dm.criterion_ids, N.T) if (col < 0).any()]
    if bad:
        raise MethodNotApplicable(
            f"WPM needs normalised values >= 0, but the {norm} normalisation gives negative ones on "
            f"these data for criteria: {few(bad)} (use sum)"
        )


def _mabac_check(N: np.ndarray, norm: str) -> None:
    """MABAC's border area is a geometric mean of (normalised value + 1): a factor must be >= 0
    (a negative one has no real root; a factor 0 makes the border 0)."""
    if (N + 1 < 0).any():
        raise MethodNotApplicable(
            f"MABAC needs normalised values of at least -1, but the {norm} "
            "normalisation gives lower ones on these data (use minmax)"
        )


def _edas_check(dm: DecisionMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Each criterion's average (> 0, EDAS divides by it) and the distances from it (finite)."""
    mean = dm.values.mean(axis=0)
    bad = [c for c, a in zip(dm.criterion_ids, mean) if not a > 0]
    if bad:
        raise MethodNotApplicable(
            f"EDAS divides by each criterion's average; criteria whose average is <= 0: {few(bad)}"
        )
    diff = (dm.values - mean) / mean * dm.types  # > 0 where better than average
    _check_columns(diff, dm, "EDAS: the distance from the average")
    return mean, diff


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
