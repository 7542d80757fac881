"""Incomplete weight information: weights drawn uniformly from a polytope of the weight simplex.

When a group can only say "climate matters more than cost" or "housing weighs 0.2 to 0.4", the
weights it accepts form a polytope W = {w >= 0, sum(w) = 1, A w <= b}, from which SMAA (Lahdelma &
Salminen 2001) draws them uniformly; Robust Portfolio Modelling (Liesiö, Mild & Salo 2007) takes
the same sets as incomplete information. :func:`ordinal_constraints`, :func:`interval_constraints`
and :func:`statement_constraints` build ``A, b``; :func:`hit_and_run` samples any such W;
:func:`polytope_samples` does both.

Hit-and-run (Smith 1984) moves to a uniform point of the chord of a random line through the current
point; its stationary distribution is uniform on W for any direction distribution giving d and -d
the same density (Bélisle, Romeijn & Smith 1993). Two things make it fast here:

- **Rounding.** W can be thin (for a strict order the last weight lies in 0 .. 1/n), where isotropic
  directions mix slowly. The directions come from the logarithmic barrier's (Dikin's) ellipsoid
  at W's analytic centre, E ⊆ W ⊆ m E for m facets, found by Newton's method; it is affine-invariant
  and so rounds a simplex such as the ordered one exactly. Only the nonnegativity rows that no row
  of ``A`` implies (``w_k >= w_j >= 0``, ``w_k >= lo_k > 0``) enter: a redundant row pulls it off.
- **Many chains.** All chains start at the analytic centre (a simplex's centroid: for the ordered
  one the rank-order-centroid weights) and run side by side as one array; each yields a point after
  ``burn`` steps, then one every ``thin`` steps.

With the defaults (``burn = max(50, n²)``, ``thin = max(5, n)``, up to 1,000 chains) the marginal
quantiles of a strict order of n = 15 weights lie within about 0.1 standard deviations of the exact
ones (a uniform point of the simplex, sorted), and 10,000 points take about 0.3 s; one unrounded
chain thins by ``ceiling(log(n + 1) / 4 n^3)`` steps (about 1,900) in the ``hitandrun`` R package
that goes with Tervonen, van Valkenhoef, Baştürk & Postmus (2013).

References
----------
Bélisle, C. J. P., Romeijn, H. E. & Smith, R. L. (1993). Hit-and-run algorithms for generating
multivariate distributions. Mathematics of Operations Research 18(2), 255-266.
Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for
group decision making. Operations Research 49(3), 444-454.
Liesiö, J., Mild, P. & Salo, A. (2007). Preference programming for robust portfolio modeling and
project selection. European Journal of Operational Research 181(3), 1488-1505.
Smith, R. L. (1984). Efficient Monte Carlo procedures for generating points uniformly distributed
over bounded regions. Operations Research 32(6), 1296-1308.
Tervonen, T., van Valkenhoef, G., Baştürk, N. & Postmus, D. (2013). Hit-And-Run enables efficient
weight generation for simulation-based multiple criteria decision analysis. European Journal of
Operational Research 224(3), 552-559.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = [
    "POLYTOPE_KINDS",
    "ordinal_constraints",
    "interval_constraints",
    "statement_constraints",
    "hit_and_run",
    "polytope_samples",
]

POLYTOPE_KINDS = ("ordinal", "intervals", "statements")
"""The kinds of incomplete weight information :func:`polytope_samples` takes."""
CHAINS = 1000
"""Chains run side by side by :func:`hit_and_run` (fewer when fewer points are asked for)."""
_TOL = 1e-9  # how far a start may lie outside a constraint and still count as feasible
_RESYNC = 50  # steps after which the slacks are recomputed from the points (no drift)


def _rows(n: int, pairs) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``w_k - w_j <= 0`` (``w_j >= w_k``) for each ``(j, k)``."""
    A = np.zeros((len(pairs), n))
    for r, (j, k) in enumerate(pairs):
        A[r, k], A[r, j] = 1.0, -1.0
    return A, np.zeros(len(pairs))


def _ordered(center: np.ndarray, tol: float) -> list[tuple[int, int]]:
    """The pairs ``(a, c)`` of adjacent tiers of ``center`` (equal within ``tol``: one tier)."""
    tiers: list[list[int]] = []
    for i in np.argsort(-center, kind="stable"):
        if tiers and center[tiers[-1][-1]] - center[i] <= tol:
            tiers[-1].append(int(i))
        else:
            tiers.append([int(i)])
    return [(a, c) for upper, lower in itertools.pairwise(tiers) for a in upper for c in lower]


def ordinal_constraints(center: np.ndarray, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """``A, b`` with ``A w <= b`` for the order of ``center``: ``w_a >= w_b`` whenever ``center``
    ranks a above b; criteria whose centre weights differ by at most ``tol`` are not ordered among
    themselves. Only adjacent tiers get rows (the rest follows).

    Examples
    --------
    >>> A, b = ordinal_constraints(np.array([0.2, 0.5, 0.3]))
    >>> A.tolist(), b.tolist()
    ([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0]], [0.0, 0.0])
    """
    center = _vector(center, "center")
    return _rows(len(center), _ordered(center, tol))


def interval_constraints(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A, b`` for ``lo_j <= w_j <= hi_j``; bounds the simplex already sets (``lo_j <= 0``,
    ``hi_j >= 1``) get no row.

    Raises
    ------
    ValueError
        ``lo`` and ``hi`` differ in length, or some ``lo_j > hi_j``.

    Examples
    --------
    >>> A, b = interval_constraints(np.array([0.1, 0.0]), np.array([0.5, 1.0]))
    >>> A.tolist(), b.tolist()
    ([[1.0, 0.0], [-1.0, 0.0]], [0.5, -0.1])
    """
    lo, hi = _vector(lo, "lo"), _vector(hi, "hi")
    if lo.shape != hi.shape:
        raise ValueError(f"lo and hi must have one bound per criterion ({len(lo)} and {len(hi)} given)")
    for j in np.flatnonzero(lo > hi)[:1]:
        raise ValueError(f"criterion {j}: the lower bound {lo[j]:g} is above the upper bound {hi[j]:g}")
    up, down = np.flatnonzero(hi < 1), np.flatnonzero(lo > 0)
    A = np.zeros((len(up) + len(down), len(lo)))
    A[np.arange(len(up)), up] = 1.0
    A[len(up) + np.arange(len(down)), down] = -1.0
    return A, np.concatenate([hi[up], -lo[down]])


def statement_constraints(n: int, at_least: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """``A, b`` with ``w_j >= w_k`` for each ``(j, k)``: "j is at least as important as k".

    Statements that follow from others (``a >= b`` and ``b >= c`` give ``a >= c``) get no row of
    their own; a repeated statement counts once.

    Raises
    ------
    ValueError
        An index is outside 0 .. n - 1, a criterion is compared with itself, or the statements form
        a cycle (``a >= b >= a``: the weights would have to be equal, a polytope without interior).

    Examples
    --------
    >>> A, b = statement_constraints(3, [(0, 1), (1, 2), (0, 2)])
    >>> A.tolist()
    [[-1.0, 1.0, 0.0], [0.0, -1.0, 1.0]]
    """
    return _rows(n, _statements(n, at_least))


def _statements(n: int, at_least) -> list[tuple[int, int]]:
    """The statements checked (indices, no self-comparison, no cycle), without repeated or implied
    ones: only the facets stay."""
    edges: list[tuple[int, int]] = []
    for pair in at_least:
        j, k = (int(x) for x in pair)
        if not (0 <= j < n and 0 <= k < n):
            raise ValueError(f"statement ({j}, {k}): criteria are numbered 0 .. {n - 1}")
        if j == k:
            raise ValueError(f"statement ({j}, {k}) compares criterion {j} with itself")
        if (j, k) not in edges:
            edges.append((j, k))
    above = _closure(n, edges)
    if above.diagonal().any():
        i = int(np.flatnonzero(above.diagonal())[0])
        ring = ", ".join(str(j) for j in np.flatnonzero(above[i] & above[:, i]))
        raise ValueError(
            f"the statements form a cycle among criteria {ring}: those weights would have to be "
            "equal, which leaves the polytope without interior (merge them or drop a statement)"
        )
    # the transitive reduction: j >= k is implied when another statement j >= m has m >= k
    return [(j, k) for j, k in edges if not any(above[m, k] for a, m in edges if a == j and m != k)]


def _closure(n: int, edges) -> np.ndarray:
    """``above[j, k]``: the statements imply w_j >= w_k (Warshall's transitive closure)."""
    above = np.zeros((n, n), dtype=bool)
    for j, k in edges:
        above[j, k] = True
    for m in range(n):
        above |= above[:, m : m + 1] & above[m : m + 1, :]
    return above


def _levels(n: int, edges) -> np.ndarray:
    """Each criterion's depth below the statements' tops (0 for one no statement puts below another)."""
    level = np.zeros(n, dtype=int)
    for _ in range(n):
        for j, k in edges:
            level[k] = max(level[k], level[j] + 1)
    return level


def _vector(x, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or not len(x):
        raise ValueError(f"{name} must be a vector of one number per criterion, not shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite")
    return x


def _facets(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A, b`` with the nonnegativity rows ``-w_k <= 0`` that a row of A does not imply.

    Row i implies ``w_k >= 0`` when ``A[i, k] < 0``, every other entry is >= 0 and ``b[i] <= 0``
    (then ``|A[i, k]| w_k >= sum_j A[i, j] w_j >= 0``), provided those w_j are themselves known to
    be >= 0; a criterion is settled only by criteria settled before it, so no proof is circular.
    """
    n = A.shape[1]
    proofs = [
        (int(np.flatnonzero(r < 0)[0]), set(np.flatnonzero(r > 0).tolist()))
        for r, c in zip(A, b)
        if c <= 0 and (r < 0).sum() == 1
    ]
    known, implied = set(range(n)) - {k for k, _ in proofs}, set()  # known: kept, needs no proof
    while new := {k for k, js in proofs if k not in implied and js <= known | implied}:
        implied |= new
    keep = sorted(set(range(n)) - implied)
    return np.vstack([A, -np.eye(n)[keep]]), np.concatenate([b, np.zeros(len(keep))])


def _interior(rng, G, h, x) -> np.ndarray:
    """A point inside the polytope from a feasible ``x``: x, or the midpoint of a chord through x."""
    n = len(x)
    for _ in range(64):
        if (h - G @ x).min() > 1e-12:
            return x
        d = rng.standard_normal(n)
        d -= d.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            q = (G @ d) / np.maximum(h - G @ x, 0.0)
        x = x + (1.0 / np.fmin.reduce(q) + 1.0 / np.fmax.reduce(q)) / 2 * d
    raise ValueError(
        "the polytope has no interior: the constraints fix some weights or force them to be equal "
        "(or start lies at a corner; start from an interior point)"
    )


def _analytic_center(G, h, x, N) -> tuple[np.ndarray, np.ndarray]:
    """The analytic centre of ``{G y <= h}`` in the plane ``x + N z`` (damped Newton from an interior
    ``x``) and the barrier's Hessian there (in the plane's coordinates)."""
    s = h - G @ x
    GN = G @ N
    for _ in range(100):
        g = GN.T @ (1.0 / s)
        H = GN.T @ (GN / (s**2)[:, None])
        dz = -np.linalg.solve(H, g)
        dec = float(-g @ dz)
        if dec < 1e-18:
            break
        gd = GN @ dz
        t = min(1.0, 0.99 * float(np.min(s[gd > 0] / gd[gd > 0]))) if (gd > 0).any() else 1.0
        f0 = -np.log(s).sum()
        while t > 1e-12:
            s1 = s - t * gd
            if (s1 > 0).all() and -np.log(s1).sum() <= f0 - 0.25 * t * dec:
                break
            t /= 2
        x, s = x + t * (N @ dz), s - t * gd
    return x, GN.T @ (GN / (s**2)[:, None])


def hit_and_run(
    rng: np.random.Generator,
    A: np.ndarray,
    b: np.ndarray,
    count: int,
    start: np.ndarray,
    *,
    thin: int | None = None,
    burn: int | None = None,
    chains: int | None = None,
) -> np.ndarray:
    """``(count, n)`` points distributed (asymptotically) uniformly on
    ``{w >= 0, sum(w) = 1, A w <= b}``, by hit-and-run with rounded directions (see the module's
    notes), from ``rng`` alone.

    ``start`` is a feasible point (the consensus weights, say) inside or on a facet, from which
    Newton's method finds the analytic centre where all ``chains`` (default: up to 1,000) start.
    Each yields a point after ``burn`` steps (default ``max(50, n²)``), then one every ``thin``
    steps (default ``max(5, n)``); the rows are the chains' first points, then their second ones.

    Raises
    ------
    ValueError
        ``start`` is not in the polytope, the polytope has no interior (a weight fixed, two forced
        equal), or ``A``, ``b`` or the counts have the wrong shape or sign.

    Examples
    --------
    >>> A, b = ordinal_constraints(np.array([0.5, 0.3, 0.2]))
    >>> W = hit_and_run(np.random.default_rng(1), A, b, 20_000, np.array([0.5, 0.3, 0.2]))
    >>> W.shape, bool((W[:, 0] >= W[:, 1]).all() and (W[:, 1] >= W[:, 2]).all())
    ((20000, 3), True)
    >>> np.round(W.mean(axis=0), 2).tolist()  # the rank-order centroid (11, 5, 2) / 18
    [0.61, 0.28, 0.11]
    """
    start = _vector(start, "start")
    n = len(start)
    A = np.asarray(A, dtype=float) if np.size(A) else np.zeros((0, n))
    b = np.asarray(b, dtype=float).reshape(-1)
    count, burn = int(count), max(50, n * n) if burn is None else int(burn)
    thin = max(5, n) if thin is None else int(thin)
    if A.ndim != 2 or A.shape != (len(b), n) or count < 0 or burn < 0 or thin < 1:
        raise ValueError(
            f"hit_and_run needs A with {n} columns and a row per entry of b ({len(b)}; A is "
            f"{A.shape}), count >= 0 ({count}), burn >= 0 ({burn}) and thin >= 1 ({thin})"
        )
    _check_start(A, b, start)
    if n == 1 or count == 0:
        return np.ones((count, n))
    G, h = _facets(A, b)
    x = _interior(rng, G, h, start)
    N = np.linalg.qr(np.eye(n) - 1.0 / n)[0][:, : n - 1]  # an orthonormal basis of the plane
    center, H = _analytic_center(G, h, x, N)
    L = N @ np.linalg.cholesky(np.linalg.inv(H))  # directions L z: the barrier's ellipsoid
    C = max(1, min(count, CHAINS if chains is None else int(chains)))
    per = -(-count // C)
    return _chains(rng, G, h, L, center, C, burn, thin, per)[:count]


def _check_start(A, b, start) -> None:
    over = A @ start - b if len(A) else np.zeros(1)
    for bad, why in (
        (abs(start.sum() - 1) > _TOL, f"its weights sum to {start.sum():g}, not 1"),
        (start.min() < -_TOL, f"weight {int(np.argmin(start))} is negative"),
        (over.max() > _TOL, f"it violates row {int(np.argmax(over))} of A by {over.max():.3g}"),
    ):
        if bad:
            raise ValueError(f"start is not in the polytope: {why}")


def _chains(rng, G, h, L, center, C, burn, thin, per) -> np.ndarray:
    """``per`` points from each of ``C`` chains started at ``center``: ``(per * C, n)``, by time.
    The chains are columns (of W, n x C, and the slacks S = h - G W): a chain's minimum over its
    constraints is then a reduction across rows, which numpy does a whole row at a time. The
    products are einsum's loops, not BLAS: a threaded BLAS stalls when processes share the cores,
    and its sums may differ with the number of threads, which a chain would then amplify."""
    n, k = L.shape
    B = np.vstack([L, G @ L])  # [d; G d] = B z for the direction d = L z
    W = np.repeat(center[:, None], C, axis=1)
    S = np.repeat((h - G @ center)[:, None], C, axis=1)
    q, DG = np.empty_like(S), np.empty((n + len(h), C))
    out = np.empty((per, C, n))
    taken = 0
    for step in range(burn + (per - 1) * thin + 1):
        if step >= burn and (step - burn) % thin == 0:
            out[taken] = W.T
            taken += 1
        if taken == per:
            break
        np.einsum("ij,jc->ic", B, rng.standard_normal((k, C)), out=DG)
        D, GD = DG[:n], DG[n:]
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(GD, S, out=q)  # the chord's ends are at t = 1 / q
        hi = 1.0 / np.fmax.reduce(q, axis=0)
        lo = 1.0 / np.fmin.reduce(q, axis=0)
        DG *= lo + (hi - lo) * rng.random(C)
        W += D
        if (step + 1) % _RESYNC == 0:
            W += (1.0 - W.sum(axis=0)) / n
            S = h[:, None] - np.einsum("ij,jc->ic", G, W)
        else:
            S -= GD
        np.maximum(S, 0.0, out=S)
    out = out.reshape(per * C, n)
    return np.maximum(out, 0.0, out=out)


def polytope_samples(
    rng: np.random.Generator,
    kind: str,
    center: np.ndarray,
    count: int,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    at_least: list[tuple[int, int]] | None = None,
) -> np.ndarray:
    """``(count, n)`` weights drawn uniformly from what ``kind`` of information allows:

    - ``"ordinal"``: the order of ``center`` (:func:`ordinal_constraints`);
    - ``"intervals"``: ``lo <= w <= hi`` (:func:`interval_constraints`);
    - ``"statements"``: ``w_j >= w_k`` for each ``(j, k)`` in ``at_least``
      (:func:`statement_constraints`).

    The chains start from ``center`` (the consensus weights), moved a hundredth of the way towards a
    point inside the polytope when it lies on a facet, or from that point when ``center`` itself is
    outside (a consensus the intervals or statements exclude).

    Raises
    ------
    ValueError
        An unknown ``kind``, missing bounds or statements, or information that leaves no weights
        (lower bounds summing to over 1, upper ones to under 1) or no interior (a fixed weight, a
        cycle of statements).

    Examples
    --------
    >>> W = polytope_samples(np.random.default_rng(1), "intervals", np.array([0.4, 0.3, 0.3]), 1000,
    ...                      lo=np.array([0.3, 0.1, 0.1]), hi=np.array([0.5, 0.5, 0.5]))
    >>> bool((W[:, 0] >= 0.3 - 1e-12).all() and (W[:, 0] <= 0.5 + 1e-12).all())
    True
    """
    center = _vector(center, "center")
    n = len(center)
    if center.min() < 0 or center.sum() <= 0:
        raise ValueError("center must be weights >= 0 with a positive sum")
    center = center / center.sum()
    if kind == "intervals":
        if lo is None or hi is None:
            raise ValueError("intervals need lo and hi")
        A, b = interval_constraints(lo, hi)
        inside = _inside_box(_vector(lo, "lo"), _vector(hi, "hi"), n)
    elif kind in ("ordinal", "statements"):
        if kind == "statements" and at_least is None:
            raise ValueError("statements need at_least, a list of (j, k): w_j >= w_k")
        pairs = _ordered(center, 1e-12) if kind == "ordinal" else _statements(n, at_least)
        A, b = _rows(n, pairs)
        level = _levels(n, pairs)  # strictly decreasing along every statement, all > 0
        inside = (level.max() + 1 - level) / (level.max() + 1 - level).sum()
    else:
        raise ValueError(f"unknown kind {kind!r} (expected {', '.join(POLYTOPE_KINDS)})")
    G, h = _facets(A, b)
    slack = (h - G @ center).min()
    start = inside if slack < -_TOL else 0.99 * center + 0.01 * inside if slack <= 1e-12 else center
    return hit_and_run(rng, A, b, count, start)


def _inside_box(lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    """A point strictly inside ``{lo <= w <= hi, w >= 0, sum(w) = 1}``, or a ValueError saying why
    there is none."""
    if len(lo) != n or len(hi) != n:
        raise ValueError(f"lo and hi must have {n} bounds, one per criterion ({len(lo)} and {len(hi)} given)")
    a, c = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    for j in np.flatnonzero((lo > 1) | (hi < 0) | (lo > hi))[:1]:
        raise ValueError(f"criterion {j}: the interval {lo[j]:g} .. {hi[j]:g} leaves no weight in 0 .. 1")
    if a.sum() > 1 + _TOL or c.sum() < 1 - _TOL:
        raise ValueError(
            f"the intervals leave no weights: the lower bounds sum to {a.sum():g} and the upper "
            f"bounds to {c.sum():g}, but the weights sum to 1"
        )
    fixed = np.flatnonzero(a == c)
    if len(fixed) or a.sum() >= 1 - 1e-12 or c.sum() <= 1 + 1e-12:
        why = (
            f"criterion {fixed[0]}'s interval is a single value"
            if len(fixed)
            else "the bounds fix every weight"
        )
        raise ValueError(f"the intervals leave the weights no room ({why}): nothing to sample")
    return a + (1.0 - a.sum()) / (c - a).sum() * (c - a)
