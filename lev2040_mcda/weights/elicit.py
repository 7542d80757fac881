"""Elicitation kernels: one stakeholder's answers -> normalised weights.

Pure numpy functions over arrays, vectorised over respondents (rows), so that a survey export of
100,000 rows is one array operation, not 100,000 calls. Files, ids and error messages are the
weights stage's business (:mod:`lev2040_mcda.weights.elicitation`); these functions only see numbers.

References
----------
- Rank-order centroid, rank-sum, rank-reciprocal: Barron, F. H. & Barrett, B. E. (1996). Decision
  quality using ranked attribute weights. Management Science 42(11), 1515-1523.
- AHP priorities and consistency: Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill
  (random index table); Saaty, T. L. (1977). J. Math. Psychology 15, 234-281.
- Incomplete pairwise matrices: Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of
  incomplete pairwise comparison matrices. Math. Comput. Modelling 52, 318-333 (logarithmic least
  squares, the geometric-mean solution for incomplete matrices); Kwiesielewicz, M. (1996). The
  logarithmic least squares and the generalized pseudoinverse in estimating ratios. EJOR 93, 611-619.
- Random index beyond n = 15: Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic
  hierarchy process: a new approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

__all__ = [
    "SAATY_RI",
    "random_index",
    "normalise_rows",
    "positional_weights",
    "ranking_weights",
    "AhpResult",
    "ahp",
    "ahp_batch",
    "llsm_weights",
    "is_connected",
    "RANKING_SCHEMES",
]

SAATY_RI = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
"""Saaty's (1980) random consistency index by matrix size."""

RANKING_SCHEMES = ("roc", "rs", "rr")


def random_index(n: int) -> tuple[float, str]:
    """Random index for an ``n``-by-``n`` matrix and the table it comes from.

    >>> random_index(4)
    (0.9, 'Saaty 1980')
    """
    if n in SAATY_RI:
        return SAATY_RI[n], "Saaty 1980"
    # Alonso & Lamata (2006): lambda_max of random matrices ~ 2.7699 n - 4.3513
    return (1.7699 * n - 4.3513) / (n - 1), "Alonso & Lamata 2006"


def normalise_rows(values: np.ndarray) -> np.ndarray:
    """Each row divided by its sum; a row summing to 0 (or to no finite number) becomes NaN: the
    caller rejects it, never counts it 0.

    >>> normalise_rows(np.array([[2.0, 1.0, 1.0], [0.0, 0.0, 0.0]])).round(2).tolist()
    [[0.5, 0.25, 0.25], [nan, nan, nan]]
    """
    values = np.asarray(values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # an inf or NaN total is a NaN row too
        totals = values.sum(axis=1, keepdims=True)
        ok = (totals > 0) & np.isfinite(totals)
        return np.where(ok, values / np.where(ok, totals, 1.0), np.nan)


def positional_weights(m: int, scheme: str = "roc") -> np.ndarray:
    """Weights of positions 1..m (best first) under a ranking scheme (Barron & Barrett 1996).

    >>> positional_weights(4).round(4).tolist()     # rank-order centroid
    [0.5208, 0.2708, 0.1458, 0.0625]
    >>> positional_weights(4, "rs").tolist()        # rank sum: 4,3,2,1 / 10
    [0.4, 0.3, 0.2, 0.1]
    """
    k = np.arange(1, m + 1, dtype=float)
    if scheme == "roc":
        return np.cumsum((1.0 / k)[::-1])[::-1] / m
    if scheme == "rs":
        return (m + 1 - k) / (m * (m + 1) / 2)
    if scheme == "rr":
        return (1.0 / k) / np.sum(1.0 / k)
    raise ValueError(f"unknown ranking scheme {scheme!r} (expected one of {', '.join(RANKING_SCHEMES)})")


def ranking_weights(ranks: np.ndarray, scheme: str = "roc") -> np.ndarray:
    """Weights from ranks (1 = most important; equal ranks are ties; NaN = not ranked -> 0).

    Only the order matters: ``1, 2, 2, 4`` and ``1, 2, 2, 3`` are the same ranking. Tied items
    share the mean of the positional weights of the places they occupy together.

    >>> ranking_weights(np.array([[1, 2, 2, 3]])).round(4).tolist()
    [[0.5208, 0.2083, 0.2083, 0.0625]]
    """
    ranks = np.atleast_2d(np.asarray(ranks, dtype=float))
    ranked = ~np.isnan(ranks)
    m_rows = ranked.sum(axis=1)
    a = np.where(ranked, ranks, np.inf)
    # for every cell: how many ranked items are strictly better, and how many share its rank
    better = (a[:, None, :] < a[:, :, None]).sum(axis=2)
    tied = ((a[:, None, :] == a[:, :, None]) & ranked[:, None, :]).sum(axis=2)
    out = np.zeros_like(ranks)
    for m in np.unique(m_rows):
        if m == 0:
            continue
        rows = m_rows == m
        cum = np.concatenate([[0.0], np.cumsum(positional_weights(int(m), scheme))])
        b, t = better[rows], np.maximum(tied[rows], 1)
        hi = np.minimum(b + t, int(m))
        w = (cum[hi] - cum[np.minimum(b, int(m))]) / t
        out[rows] = np.where(ranked[rows], w, 0.0)
    return out


@dataclass(frozen=True)
class AhpResult:
    """Priorities of one pairwise comparison matrix and how consistent it is."""

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_source: str
    completed: bool  # missing judgements were filled in by LLSM before the eigenvector
    matrix: np.ndarray  # the (completed) judgement matrix the priorities come from


def is_connected(known: np.ndarray) -> bool:
    """Whether the comparisons (a boolean n-by-n pattern) link every item to every other."""
    n = known.shape[0]
    seen = {0}
    frontier = [0]
    while frontier:
        i = frontier.pop()
        for j in np.flatnonzero(known[i] | known[:, i]):
            if int(j) not in seen:
                seen.add(int(j))
                frontier.append(int(j))
    return len(seen) == n


def llsm_weights(matrix: np.ndarray) -> np.ndarray:
    """Logarithmic least squares weights of a (possibly incomplete, NaN = missing) reciprocal matrix.

    For a complete matrix this is the row geometric mean; for an incomplete one it solves the
    Laplacian system of Bozóki, Fülöp & Rónyai (2010, Theorem 4) for log-weights. The
    comparisons must be connected.
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    known = ~np.isnan(a) & ~np.eye(n, dtype=bool)
    logs = np.where(known, np.log(np.where(known, a, 1.0)), 0.0)
    laplacian = np.diag(known.sum(axis=1).astype(float)) - known.astype(float)
    rhs = logs.sum(axis=1)
    # fix the scale: log w_0 = 0 (replace the first equation), then normalise
    laplacian[0, :] = 0.0
    laplacian[0, 0] = 1.0
    rhs[0] = 0.0
    y = np.linalg.solve(laplacian, rhs)
    w = np.exp(y - y.max())
    return w / w.sum()


def ahp(matrix: np.ndarray) -> AhpResult:
    """Principal-eigenvector priorities, lambda_max, CI and CR (Saaty's RI) of one matrix.

    Missing judgements (NaN) are completed with ``w_i / w_j`` from :func:`llsm_weights` first.

    >>> m = np.array([[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]])
    >>> r = ahp(m); r.weights.round(3).tolist(), round(r.cr, 3)
    ([0.637, 0.258, 0.105], 0.033)
    """
    a = np.array(matrix, dtype=float)
    completed = bool(np.isnan(a).any())
    if completed:
        w = llsm_weights(a)
        a = np.where(np.isnan(a), w[:, None] / w[None, :], a)
    return replace(ahp_batch(a[None])[0], completed=completed)


def ahp_batch(matrices: np.ndarray) -> list[AhpResult]:
    """:func:`ahp` for a stack of complete matrices (k, n, n), in one batched eigen-decomposition."""
    mats = np.asarray(matrices, dtype=float)
    k, n, _ = mats.shape
    values, vectors = np.linalg.eig(mats)
    idx = np.argmax(values.real, axis=1)
    lam = values.real[np.arange(k), idx]
    vec = np.abs(vectors.real[np.arange(k), :, idx])
    weights = vec / vec.sum(axis=1, keepdims=True)
    ri, source = random_index(n)
    ci = (lam - n) / (n - 1) if n > 1 else np.zeros(k)
    ci = np.maximum(ci, 0.0)  # rounding can give -1e-16 for consistent matrices
    cr = ci / ri if ri > 0 else np.zeros(k)
    return [
        AhpResult(weights[i], float(lam[i]), float(ci[i]), float(cr[i]), ri, source, False, mats[i])
        for i in range(k)
    ]
