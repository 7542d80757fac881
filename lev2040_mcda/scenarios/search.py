"""Every consistent scenario, exactly, by a pruned search instead of a brute force.

The search fixes descriptors one after another (branch and bound). After some descriptors are
chosen, the partial balance ``P`` (the sum of their rows) is known, and for every pair of variants
``a``, ``c`` of one block the rest can change ``B[a] - B[c]`` by at most
``G[a, c] = sum over the remaining descriptors i of max over i's variants v of (M[v, a] - M[v, c])``
(precomputed for every depth). A variant ``a`` can still end within ``K`` of its block's best only if
``P[a] - P[c] + G[a, c] >= -K`` for every ``c`` of its block; a branch dies when a chosen variant
fails this, or when some descriptor still to be chosen has no variant left that passes it. The
same test prunes the children: a descriptor is only branched on its still-possible variants.

The search is breadth-first in numpy batches (all partial scenarios of a level at once, bounded
in size and worked depth-first when a level grows large), so Python runs once per batch, not per
node. It is split into chunks by the variants of the first descriptors in file order: each chunk
is independent and picklable, and :func:`consistent_scenarios` is the chunks' results concatenated
in chunk order, in lexicographic order of the scenarios whichever executor runs the chunks.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from lev2040_mcda.case import CIBModel

from .core import CIBResult, SearchTooLarge, fixed_indices

__all__ = ["Chunk", "consistent_scenarios", "search_chunk", "search_chunks"]

_BATCH = 1 << 16  # partial scenarios expanded at once: bounds memory (for 100 variants, some 100 MB)


@dataclass(frozen=True)
class Chunk:
    """One independent part of the search: the variants of the first ``len(prefix)`` descriptors
    (file order). Plain data, so it can be sent to another process."""

    prefix: tuple[int, ...]


@dataclass(frozen=True)
class _Plan:
    """Everything the search precomputes once for a model, K and the fixed descriptors."""

    order: np.ndarray  # search order of the descriptors
    domains: tuple[np.ndarray, ...]  # per descriptor (file order): the variant indices allowed
    offsets: np.ndarray
    blockcols: np.ndarray  # (n, S): the columns of each block, padded with the dummy column V
    colblock: np.ndarray  # (V, S): the columns of each column's block, padded with itself
    bounds: np.ndarray  # (n + 1, V, S): G at each depth, along colblock
    exempt_cols: np.ndarray  # (V,) bool: columns of fixed descriptors (not checked)
    matrix: np.ndarray  # (V, V) int32
    k: int


def _plan(model: CIBModel, k: int, fixed: dict[int, int], head: int) -> _Plan:
    sizes = np.asarray(model.sizes, dtype=np.int64)
    offsets = np.asarray(model.offsets, dtype=np.int64)
    n, total = len(sizes), int(sizes.sum())
    m = np.asarray(model.matrix, dtype=np.int32)
    width = int(sizes.max())
    blockcols = np.full((n, width), total, dtype=np.int64)
    colblock = np.empty((total, width), dtype=np.int64)
    for j, (o, s) in enumerate(zip(offsets, sizes, strict=True)):
        blockcols[j, :s] = np.arange(o, o + s)
        for a in range(o, o + s):
            colblock[a] = a
            colblock[a, :s] = np.arange(o, o + s)
    domains = tuple(
        np.array([fixed[j]]) if j in fixed else np.arange(s, dtype=np.int64) for j, s in enumerate(sizes)
    )
    # how much descriptor i can still move B[a] - B[c]: max over its allowed rows
    gather = m[:, colblock]  # (V, V, S): M[v, colblock[a, s]]
    diff = m[:, :, None] - gather  # M[v, a] - M[v, c]
    reach = np.stack([diff[offsets[i] + domains[i]].max(axis=0) for i in range(n)])  # (n, V, S)
    # search order: the chunk's descriptors, then the fixed ones, then the most influential first
    # (their rows move the balances most, so choosing them early tightens the bounds soonest)
    influence = reach.sum(axis=(1, 2))
    rest = [j for j in range(head, n) if j not in fixed]
    order = (
        list(range(head)) + sorted(j for j in fixed if j >= head) + sorted(rest, key=lambda j: -influence[j])
    )
    bounds = np.zeros((n + 1, total, width), dtype=np.int32)
    for t in range(n - 1, -1, -1):
        bounds[t] = bounds[t + 1] + reach[order[t]]
    exempt_cols = np.zeros(total, dtype=bool)
    for j in fixed:
        exempt_cols[offsets[j] : offsets[j] + sizes[j]] = True
    return _Plan(
        order=np.asarray(order, dtype=np.int64),
        domains=domains,
        offsets=offsets,
        blockcols=blockcols,
        colblock=colblock,
        bounds=bounds,
        exempt_cols=exempt_cols,
        matrix=m,
        k=k,
    )


def _feasible(plan: _Plan, t: int, partial: np.ndarray) -> np.ndarray:
    """(N, V + 1) bool: which variants can still end within K of their block's best, given the
    partial balances (N, V) at depth ``t``; the extra last column is the padding (never)."""
    diffs = partial[:, :, None] - partial[:, plan.colblock] + plan.bounds[t][None]
    ok = diffs.min(axis=2) >= -plan.k
    ok |= plan.exempt_cols
    return np.concatenate([ok, np.zeros((len(ok), 1), dtype=bool)], axis=1)


def _prune(plan: _Plan, t: int, chosen: np.ndarray, partial: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows that can still become results, and their feasibility masks."""
    feas = _feasible(plan, t, partial)
    rows = np.arange(len(chosen))
    keep = np.ones(len(chosen), dtype=bool)
    if t:
        cols = plan.offsets[plan.order[:t]] + chosen
        keep &= feas[rows[:, None], cols].all(axis=1)
    if t < len(plan.order):
        keep &= feas[:, plan.blockcols[plan.order[t:]]].any(axis=2).all(axis=1)
    return keep, feas


def _run(plan: _Plan, prefix: tuple[int, ...], deadline: float | None) -> np.ndarray:
    """The scenarios (file order, lexicographic) below ``prefix``, as an (R, n) array."""
    n = len(plan.order)
    head = len(prefix)
    for j, v in enumerate(prefix):
        if v not in plan.domains[j]:
            return np.empty((0, n), dtype=np.int64)
    rows = plan.offsets[:head] + np.asarray(prefix, dtype=np.int64)
    start = plan.matrix[rows].sum(axis=0, dtype=np.int32)[None]
    stack = [(head, np.asarray([prefix], dtype=np.int64).reshape(1, head), start)]
    found = []
    while stack:
        if deadline is not None and time.perf_counter() > deadline:
            raise SearchTooLarge("time budget exceeded")
        t, chosen, partial = stack.pop()
        keep, feas = _prune(plan, t, chosen, partial)
        chosen, partial, feas = chosen[keep], partial[keep], feas[keep]
        if not len(chosen):
            continue
        if t == n:
            found.append(chosen)
            continue
        d = plan.order[t]
        cols = plan.offsets[d] + plan.domains[d]
        parent, pick = np.nonzero(feas[:, cols])
        child = np.concatenate([chosen[parent], plan.domains[d][pick][:, None]], axis=1)
        grown = partial[parent] + plan.matrix[cols[pick]]
        for lo in range(((len(child) - 1) // _BATCH) * _BATCH, -1, -_BATCH):
            stack.append((t + 1, child[lo : lo + _BATCH], grown[lo : lo + _BATCH]))
    if not found:
        return np.empty((0, n), dtype=np.int64)
    in_order = np.concatenate(found)
    out = np.empty_like(in_order)
    out[:, plan.order] = in_order
    return out[np.lexsort(out.T[::-1])]


def _results(model: CIBModel, states: np.ndarray, fixed: dict[int, int]) -> list[CIBResult]:
    """The found scenarios with their inconsistency and total impact score, vectorised."""
    if not len(states):
        return []
    offsets = np.asarray(model.offsets, dtype=np.int64)
    m = np.asarray(model.matrix, dtype=np.int64)
    rows = states + offsets
    b = m[rows].sum(axis=1)  # (R, V)
    chosen = np.take_along_axis(b, rows, axis=1)  # (R, n)
    best = np.stack([b[:, o : o + s].max(axis=1) for o, s in zip(model.offsets, model.sizes, strict=True)], 1)
    gap = best - chosen
    if fixed:
        gap[:, sorted(fixed)] = 0
    worst, tis = gap.max(axis=1), chosen.sum(axis=1)
    return [
        CIBResult(tuple(int(v) for v in s), int(w), int(z))
        for s, w, z in zip(states, worst, tis, strict=True)
    ]


def _head(model: CIBModel, levels: int | None) -> int:
    if levels is None:
        levels = 2 if len(model.sizes) >= 6 else 1
    return max(0, min(levels, len(model.sizes)))


def search_chunks(
    model: CIBModel, fixed: Mapping[str, str] | None = None, levels: int | None = None
) -> list[Chunk]:
    """The chunks of the search, in the order their results are concatenated.

    ``levels`` descriptors (file order; default 2 for six or more descriptors, else 1) are
    enumerated; a fixed one among them contributes only its fixed variant.
    """
    fix = fixed_indices(model, fixed)
    ranges = [[fix[j]] if j in fix else range(s) for j, s in enumerate(model.sizes[: _head(model, levels)])]
    return [Chunk(tuple(p)) for p in itertools.product(*ranges)]


def search_chunk(
    model: CIBModel,
    chunk: Chunk,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    time_budget: float | None = None,
) -> list[CIBResult]:
    """The results of one chunk (lexicographic order); module level so an executor can run it."""
    fix = fixed_indices(model, fixed)
    if not model.descriptors:
        return []
    plan = _plan(model, int(max_inconsistency), fix, len(chunk.prefix))
    deadline = None if time_budget is None else time.perf_counter() + time_budget
    try:
        states = _run(plan, chunk.prefix, deadline)
    except SearchTooLarge:
        raise _too_large(model, time_budget) from None
    return _results(model, states, fix)


def consistent_scenarios(
    model: CIBModel,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    time_budget: float | None = None,
    levels: int | None = None,
) -> list[CIBResult]:
    """Every scenario whose inconsistency is at most ``max_inconsistency``, exactly.

    Parameters
    ----------
    model : the CIB model.
    max_inconsistency : K; 0 lists the fully consistent scenarios, K > 0 the weakly inconsistent
        ones too (every non-fixed descriptor within K of its block's best).
    fixed : ``{descriptor id: variant id}``, an intervention: the descriptor keeps that variant and
        is itself exempt from the consistency condition (its state is set from outside the
        system), while its row still acts on the others.
    limit : return at most this many (the first in lexicographic order).
    progress : called as ``progress(done, total)`` after each chunk.
    time_budget : seconds; when the search runs longer it raises :class:`SearchTooLarge`.

    Returns
    -------
    list of :class:`CIBResult`, lexicographic in the variant indices (file order).

    Raises
    ------
    SearchTooLarge : the time budget ran out; use the succession Monte-Carlo (``basins``).
    ValueError : an unknown descriptor or variant id in ``fixed``.

    Examples
    --------
    Two descriptors that promote each other's first variant, or each other's second:

    >>> import numpy as np
    >>> from lev2040_mcda.case import CIBModel, Descriptor, Variant
    >>> two = (Variant("hoch", "hoch"), Variant("tief", "tief"))
    >>> m = np.array([[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]])
    >>> model = CIBModel((Descriptor("a", "A", None, two), Descriptor("b", "B", None, two)), m)
    >>> [(r.variants, r.total_impact) for r in consistent_scenarios(model)]
    [((0, 0), 3), ((1, 1), 3)]
    >>> [r.variants for r in consistent_scenarios(model, fixed={"a": "tief"})]
    [(1, 1)]
    """
    chunks = search_chunks(model, fixed, levels)
    fix = fixed_indices(model, fixed)
    if not model.descriptors:
        return []
    head = len(chunks[0].prefix) if chunks else 0
    plan = _plan(model, int(max_inconsistency), fix, head)
    deadline = None if time_budget is None else time.perf_counter() + time_budget
    out: list[CIBResult] = []
    for done, chunk in enumerate(chunks, 1):
        try:
            states = _run(plan, chunk.prefix, deadline)
        except SearchTooLarge:
            raise _too_large(model, time_budget) from None
        out.extend(_results(model, states, fix))
        if progress is not None:
            progress(done, len(chunks))
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _too_large(model: CIBModel, budget: float | None) -> SearchTooLarge:
    space = int(np.prod(model.sizes, dtype=np.float64))
    return SearchTooLarge(
        f"the scenario space of {len(model.sizes)} descriptors ({space:,} scenarios) was not searched "
        f"exactly within {budget:g} s; sample it with the succession Monte-Carlo instead "
        "(basins(model, starts=N, seed=S)), which finds the attractors and their volume weights"
    )
