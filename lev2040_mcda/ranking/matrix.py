"""The decision matrix: measures x criteria, with directions, bounds and PROMETHEE preferences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case import Case, apply_scenario

__all__ = ["DecisionMatrix", "decision_matrix"]


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
