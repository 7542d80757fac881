"""The fixed value scale of every criterion: what "doing nothing" is worth and how wide a
criterion's range is, the same for every measure, scenario and weight set.

Portfolio decision analysis values a measure as the weighted sum of partial values on these scales
(Kleinmuntz 2007; Liesiö, Mild & Salo 2007; see :mod:`lev2040_mcda.portfolio.values`); the ranking
stage's SMAA with uncertain estimates ranks on them too (``method="value"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..case import Case
from .matrix import decision_matrix

__all__ = ["ValueScale", "value_scale"]


@dataclass(frozen=True)
class ValueScale:
    """The fixed scale of each criterion: ``low``..``high`` (including the status quo ``zero``),
    where the ends come from (``catalogue`` or ``data``), and the sign (+1 benefit, −1 cost)."""

    criteria: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    zero: np.ndarray
    sign: np.ndarray
    sources: tuple[str, ...]

    @property
    def width(self) -> np.ndarray:
        span = self.high - self.low
        return np.where(span > 0, span, 1.0)  # a criterion without range contributes nothing

    def partial(self, case: Case, scenario: str | None = None) -> np.ndarray:
        """measures x criteria: each measure's partial values ``s_j (x_ij - q_j) / R_j`` in
        ``scenario`` (``None``: the baseline)."""
        values = decision_matrix(case, scenario).values
        return self.sign * (values - self.zero) / self.width

    def as_json(self) -> dict[str, dict[str, Any]]:
        return {
            c: {
                "low": float(lo),
                "high": float(hi),
                "status_quo": float(q),
                "from": src,
            }
            for c, lo, hi, q, src in zip(self.criteria, self.low, self.high, self.zero, self.sources)
        }


def value_scale(case: Case) -> ValueScale:
    """The fixed scales of ``case``'s criteria: the catalogue's ``min``/``max`` where given,
    otherwise the range of the values over the baseline and every scenario; widened to include
    each criterion's status quo.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> scale = value_scale(load_case("cases/tiny"))
    >>> scale.as_json()["homes"]
    {'low': 0.0, 'high': 300.0, 'status_quo': 0.0, 'from': 'data'}
    """
    crit = case.criteria
    seen = np.vstack(
        [decision_matrix(case, s).values for s in [None, *(s.id for s in case.scenarios)]]
    ).reshape(-1, len(crit))
    data_lo = seen.min(axis=0) if len(seen) else np.zeros(len(crit))
    data_hi = seen.max(axis=0) if len(seen) else np.zeros(len(crit))
    zero = np.array([c.status_quo for c in crit], dtype=float)
    low = np.array([c.min if c.min is not None else data_lo[j] for j, c in enumerate(crit)], dtype=float)
    high = np.array([c.max if c.max is not None else data_hi[j] for j, c in enumerate(crit)], dtype=float)
    sources = tuple(
        "catalogue"
        if c.min is not None and c.max is not None
        else "data"
        if c.min is None and c.max is None
        else "catalogue and data"
        for c in crit
    )
    return ValueScale(
        criteria=tuple(c.id for c in crit),
        low=np.minimum(low, zero),
        high=np.maximum(high, zero),
        zero=zero,
        sign=np.array([1.0 if c.direction == "benefit" else -1.0 for c in crit]),
        sources=sources,
    )
