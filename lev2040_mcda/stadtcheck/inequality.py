"""Inequality across districts: the Gini index and Theil's T, population-weighted.

With weights w_i (residents, normalised to sum 1) and values x_i >= 0 (budget or benefit per
resident), mu = sum_i w_i x_i:

- Gini: G = sum_i sum_j w_i w_j |x_i - x_j| / (2 mu), the mean absolute difference over twice the
  mean (Gini 1912; Cowell, *Measuring Inequality*, 3rd ed., 2011, ch. 2). With n equal weights it
  is the "population" Gini sum |x_i - x_j| / (2 n^2 mu), which lies in [0, (n - 1) / n]: below 1.
- Theil's T: T = sum_i w_i (x_i / mu) ln(x_i / mu), 0 ln 0 = 0 (Theil 1967; Cowell 2011, ch. 3:
  the generalised entropy index GE(1)); 0 when everyone gets the same, ln(n) at most with equal
  weights.

Both are 0 for equal values and do not change when every value is multiplied by the same c > 0.
Missing values (NaN) are left out with their weights, never counted as zero; with no value left,
or a mean of 0 (nobody gets anything), the index is NaN: undefined, not "equal".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["gini", "theil"]


def gini(x: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None) -> float:
    """The (weighted) Gini index of ``x``: 0 = equal, towards 1 = all to one.

    >>> gini([1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 1]), 6)  # one of four gets all: (n - 1) / n
    0.75
    >>> round(gini([1, 3], weights=[3, 1]), 6) == round(gini([1, 1, 1, 3]), 6)
    True

    Raises
    ------
    ValueError
        for a negative value or weight, or weights of another length than ``x``.
    """
    v, w = _prepare(x, weights)
    if v is None:
        return float("nan")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    mu = float(w @ v)
    # sum_i sum_j w_i w_j |x_i - x_j| = 2 sum_i w_i (x_i W_<i - S_<i), over x sorted ascending,
    # W_<i and S_<i the weight and the weighted sum of the values before i
    w_before = np.cumsum(w) - w
    s_before = np.cumsum(w * v) - w * v
    total = 2.0 * float(w @ (v * w_before - s_before))
    return max(0.0, total / (2.0 * mu))


def theil(x: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None) -> float:
    """Theil's T index of ``x`` (weighted): 0 = equal, ln(n) = all to one of n.

    >>> theil([2, 2, 2])
    0.0
    >>> round(theil([0, 0, 0, 1]), 6) == round(float(np.log(4)), 6)
    True

    Raises
    ------
    ValueError
        for a negative value or weight, or weights of another length than ``x``.
    """
    v, w = _prepare(x, weights)
    if v is None:
        return float("nan")
    r = v / float(w @ v)
    terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    return max(0.0, float(w @ terms))


def _prepare(x, weights) -> tuple[np.ndarray | None, np.ndarray]:
    """The values and normalised weights without the missing ones; None when nothing is left or
    the mean is 0."""
    v = np.asarray(x, dtype=float).ravel()
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != v.shape:
        raise ValueError(f"{w.size} weights for {v.size} values")
    keep = ~np.isnan(v) & ~np.isnan(w)
    v, w = v[keep], w[keep]
    if (v < 0).any() or (w < 0).any() or not np.isfinite(v).all() or not np.isfinite(w).all():
        raise ValueError("inequality indices need finite values and weights >= 0")
    v, w = v[w > 0], w[w > 0]
    if v.size == 0 or not (v > 0).any():
        return None, w
    # both indices are scale-free: divide by the largest value, so that tiny or huge amounts
    # neither underflow nor overflow in the sums
    return v / v.max(), w / w.sum()
