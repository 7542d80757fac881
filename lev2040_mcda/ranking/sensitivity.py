"""How much the ranking depends on the weights: weight intervals and SMAA-2.

Both run on :func:`lev2040_mcda.ranking.methods.score_batch`, i.e. on whole blocks of weight vectors at
once, never on one pymcdm call per sample.

References
----------
Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for
group decision making. Operations Research 49(3), 444-454 (rank acceptability indices, central
weight vectors, confidence factors). Tervonen, T. & Lahdelma, R. (2007). Implementing stochastic
multicriteria acceptability analysis. EJOR 178(2), 500-513 (uniform sampling of the weight simplex).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np

from ..parallel import Scheduler, open_executor, run
from .matrix import DecisionMatrix
from .methods import METHODS, competition_ranks, score_batch

__all__ = [
    "SAMPLERS",
    "weight_intervals",
    "sample_weights",
    "case_weight_samples",
    "smaa",
    "sensitivity_summary",
    "ESTIMATES",
]

SAMPLERS = ("uniform", "dirichlet", "submissions", "ordinal", "intervals")
ESTIMATES = ("uncertain", "exact")
"""How ``sensitivity_summary`` takes measures.csv's numbers: with their ranges, or exact."""
CONFIDENCE_NOTE = (
    "the performance values are exact (the case gives no uncertain values), so the confidence "
    "factor only says whether a measure is first under its own central weights: 1 for every "
    "measure that is ever first (0 is possible only with a method nonlinear in the weights); it "
    "measures how sure a first place is once values are uncertain"
)
"""Why the SMAA-2 confidence factor is 1 (the ``confidence_note`` of :func:`sensitivity_summary`)."""
_CHUNK_SCORES = 2_000_000  # measures x samples per block: bounds the memory of a run
PARALLEL_FROM = 40_000_000
"""Scores (measures x samples) from which a :class:`~lev2040_mcda.parallel.Scheduler` of ``auto``
scores the blocks in local processes: below, starting them costs more than they save."""


def _sweep(w: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """Weight vectors with criterion j at each value of t and the others rescaled in proportion."""
    rest = np.delete(w, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(len(rest), 1.0 / max(len(rest), 1))
    W = np.empty((len(t), len(w)))
    W[:, j] = t
    W[:, np.arange(len(w)) != j] = (1 - t)[:, None] * rest[None, :]
    return W


def weight_intervals(
    dm: DecisionMatrix,
    weights: np.ndarray,
    method: str,
    options: dict | None = None,
    top_k: int = 3,
    resolution: int = 1000,
    scorer: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    """Per criterion: the range of its weight (others rescaled in proportion) within which the
    first-ranked measure, and the set of the top ``top_k``, stay the same.

    Each criterion's weight is swept over a grid of ``resolution + 1`` points in [0, 1] plus its
    current value; the interval ends are exact to ``1 / resolution``. ``scorer`` (weights ->
    measures x samples, higher is better) replaces ``method``'s scores, e.g. the value on fixed
    scales.
    """
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    higher = True if scorer is not None else METHODS[method].higher_is_better
    out = []
    for j, cid in enumerate(dm.criterion_ids):
        # a single criterion always carries the whole weight (a sweep to 0 would leave none)
        grid = np.linspace(0.0, 1.0, resolution + 1) if len(w) > 1 else np.zeros(0)
        t = np.unique(np.append(grid, w[j]))
        W = _sweep(w, j, t)
        ranks = competition_ranks(
            scorer(W) if scorer is not None else score_batch(dm, W, method, options), higher
        )
        here = int(np.searchsorted(t, w[j]))
        top1 = ranks == 1
        same_first = (top1 == top1[:, [here]]).all(axis=0)
        in_top = ranks <= top_k
        same_top = (in_top == in_top[:, [here]]).all(axis=0)
        out.append(
            {
                "criterion": cid,
                "weight": float(w[j]),
                "first": _interval(t, same_first, here),
                "top_k": _interval(t, same_top, here),
            }
        )
    return out


def _interval(t: np.ndarray, same: np.ndarray, here: int) -> list[float]:
    lo = here
    while lo > 0 and same[lo - 1]:
        lo -= 1
    hi = here
    while hi < len(t) - 1 and same[hi + 1]:
        hi += 1
    return [float(t[lo]), float(t[hi])]


def sample_weights(
    rng: np.random.Generator,
    n: int,
    count: int,
    sampler: str,
    center: np.ndarray | None = None,
    concentration: float | None = None,
    pool: np.ndarray | None = None,
    pool_p: np.ndarray | None = None,
) -> np.ndarray:
    """``count`` weight vectors over ``n`` criteria.

    ``uniform``: uniformly on the simplex (Dirichlet(1, ..., 1)); ``dirichlet``: Dirichlet around
    ``center`` with total concentration ``concentration`` (default 10 n: the larger, the closer);
    ``submissions``: drawn with replacement from the rows of ``pool`` with probabilities
    ``pool_p`` (each group in proportion to its influence).
    """
    if sampler == "uniform":
        return rng.dirichlet(np.ones(n), size=count)
    if sampler == "dirichlet":
        c = concentration if concentration is not None else 10.0 * n
        alpha = np.maximum(np.asarray(center, dtype=float) * c, 1e-3)
        return rng.dirichlet(alpha, size=count)
    if sampler == "submissions":
        idx = rng.choice(len(pool), size=count, replace=True, p=pool_p)
        return pool[idx]
    raise ValueError(f"unknown sampler {sampler!r} (expected one of {', '.join(SAMPLERS)})")


def case_weight_samples(
    case,
    rng: np.random.Generator,
    count: int,
    sampler: str,
    center: np.ndarray,
    concentration: float | None = None,
) -> np.ndarray:
    """:func:`sample_weights` over the criteria of ``case``; ``submissions`` draws from the case's
    own submissions. ``ordinal`` and ``intervals`` draw uniformly (hit-and-run,
    :mod:`.polytope`) from the weights consistent with what the groups agreed: the order of the
    criteria in ``center`` (the consensus), or each criterion's interval between the least and the
    greatest weight any group gives it."""
    from ..errors import InputError, Problem
    from .polytope import polytope_samples

    pool = pool_p = None
    if sampler in ("ordinal", "intervals"):
        lo, hi = _group_envelope(case) if sampler == "intervals" else (None, None)
        try:
            return polytope_samples(rng, sampler, np.asarray(center, dtype=float), count, lo=lo, hi=hi)
        except ValueError as exc:
            raise InputError(Problem("--sampling", f"{sampler}: {exc}")) from None
    if sampler == "submissions":
        pool, pool_p = _submission_pool(case)
    return sample_weights(
        rng, len(center), count, sampler, center=center, concentration=concentration, pool=pool, pool_p=pool_p
    )


def smaa(
    dm: DecisionMatrix,
    method: str,
    options: dict | None,
    weights: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
) -> dict[str, Any]:
    """SMAA-2 over the sampled ``weights`` (samples x criteria).

    The samples are scored in fixed blocks (of about :data:`_CHUNK_SCORES` scores), on
    ``executor`` (:mod:`lev2040_mcda.parallel`; None: this process; ``auto`` shares them among local
    processes from :data:`PARALLEL_FROM` scores on), and added up in block order: the same result
    wherever they run.

    Returns the rank acceptability indices ``b[i, r]`` (share of samples in which measure i has
    rank r + 1; ties share a rank), the central weight vector of every measure that is ever first
    (the mean of the samples that make it first), and its confidence factor: whether it is first
    under its own central weights. SMAA-2 defines the factor as the probability of that over the
    uncertain performance values; with exact values it is 1 or 0, and 1 wherever the weights that
    make a measure first form a convex set, as for every method whose ranking is linear in the
    weights (WSM, WPM in logarithms, MABAC, PROMETHEE II, SPOTIS).
    """
    m, n = dm.shape
    higher = METHODS[method].higher_is_better
    W = np.asarray(weights, dtype=float)
    W = W / W.sum(axis=1, keepdims=True)
    total = len(W)
    counts = np.zeros(m * m)
    first_sum = np.zeros((m, n))
    chunk = max(1, _CHUNK_SCORES // max(m, 1))
    blocks = [(dm, W[a : a + chunk], method, options) for a in range(0, total, chunk)]
    done = 0

    def added(result: tuple[np.ndarray, np.ndarray, int]) -> None:
        nonlocal done
        done += result[2]
        if progress is not None:
            progress(done, total)

    with open_executor(executor, m * total, PARALLEL_FROM) as ex:
        for got, firsts_of, _ in run(_smaa_block, blocks, ex, added):
            counts += got
            first_sum += firsts_of
    acceptability = counts.reshape(m, m) / total
    firsts = acceptability[:, 0] * total
    central = np.divide(first_sum, firsts[:, None], out=np.full((m, n), np.nan), where=firsts[:, None] > 0)
    confidence = np.full(m, np.nan)
    ever = np.flatnonzero(firsts > 0)
    if len(ever):
        r = competition_ranks(score_batch(dm, central[ever], method, options), higher)
        confidence[ever] = (r[ever, np.arange(len(ever))] == 1).astype(float)
    return {
        "acceptability": acceptability,
        "central_weights": central,
        "confidence": confidence,
        "samples": total,
    }


def _smaa_block(
    dm: DecisionMatrix, block: np.ndarray, method: str, options: dict | None
) -> tuple[np.ndarray, np.ndarray, int]:
    """One block of samples: how often each (measure, rank) occurs, the sum of the samples that
    make each measure first, and the block's size (module level: another process may run it)."""
    m = dm.shape[0]
    ranks = competition_ranks(score_batch(dm, block, method, options), METHODS[method].higher_is_better)
    counts = np.bincount(((np.arange(m) * m)[:, None] + ranks - 1).ravel(), minlength=m * m)
    return counts, (ranks == 1).astype(float) @ block, len(block)


def sensitivity_summary(
    case,
    method: str,
    options: dict,
    weights: np.ndarray,
    weights_info: dict,
    samples: int,
    seed: int,
    sampler: str,
    concentration: float | None = None,
    top_k: int = 3,
    scenario: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
    estimates: str = "uncertain",
) -> dict[str, Any]:
    """Everything ``lev2040 sensitivity`` shows, JSON-ready (the SMAA blocks on ``executor``, as in
    :func:`smaa`).

    ``method`` is an MCDM method or ``"value"``, the additive value on fixed scales (the
    portfolio's). ``estimates="uncertain"`` (default) draws the case's uncertain estimates
    (uncertainty.csv) with the weights (:mod:`.uncertain`), and adds the ``drivers`` of each rank;
    ``"exact"``, or a case without ranges on its criteria, takes measures.csv's numbers as exact."""
    from ..errors import InputError, Problem
    from .matrix import decision_matrix
    from .methods import MethodNotApplicable

    if estimates not in ESTIMATES:
        raise InputError(Problem("--estimates", f"unknown {estimates!r} (expected {' or '.join(ESTIMATES)})"))
    dm = decision_matrix(case, scenario)
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    try:
        return _summary(
            case, dm, method, options, w, weights_info, samples, seed, sampler, concentration, top_k,
            scenario, progress, executor, estimates,
        )  # fmt: skip
    except MethodNotApplicable as exc:
        raise InputError(Problem("--method", f"{method}: {exc}")) from None


def _summary(
    case, dm, method, options, w, weights_info, samples, seed, sampler, concentration, top_k, scenario,
    progress, executor, estimates,
) -> dict[str, Any]:  # fmt: skip
    from .estimates import estimate_model
    from .scale import value_scale
    from .uncertain import VALUE_METHOD, Ranker, rank_drivers, smaa_uncertain

    rng = np.random.default_rng(seed)
    W = case_weight_samples(case, rng, samples, sampler, center=w, concentration=concentration)
    model = estimate_model(case, dm.criterion_ids, scenario)
    uncertain = estimates == "uncertain" and model.size > 0
    scale = value_scale(case) if method == VALUE_METHOD else None
    ranker = Ranker(dm, method, options, model if uncertain else _exact(model), scale)
    if uncertain or method == VALUE_METHOD:
        result = smaa_uncertain(ranker, W, seed, progress=progress, executor=executor)
    else:
        result = smaa(dm, method, options, W, progress=progress, executor=executor)
    b = result["acceptability"]
    order = np.lexsort((np.arange(dm.shape[0]), -b[:, :top_k].sum(axis=1), -b[:, 0]))
    scorer = (lambda V: ranker.paired(V, None, vary=False)) if method == VALUE_METHOD else None
    spec = METHODS.get(method)
    out = {
        "method": method,
        "label": spec.label if spec else "Value on fixed scales",
        "higher_is_better": spec.higher_is_better if spec else True,
        "options": options,
        "weights": {c: float(x) for c, x in zip(dm.criterion_ids, w)},
        "weights_source": weights_info,
        "scenario": scenario,
        "sampling": {
            "sampler": sampler,
            "samples": samples,
            "seed": seed,
            "concentration": (concentration if concentration is not None else 10.0 * dm.shape[1])
            if sampler == "dirichlet"
            else None,
        },
        "estimates": {
            "mode": "uncertain" if uncertain else "exact",
            "source": case.uncertainty.source if uncertain else None,
            "cells": int(model.size) if uncertain else 0,
        },
        "top_k": top_k,
        **({} if uncertain else {"confidence_note": CONFIDENCE_NOTE}),
        "intervals": weight_intervals(dm, w, method, options, top_k=top_k, scorer=scorer),
        "acceptability": [
            {
                "id": dm.measure_ids[i],
                "name": dm.measure_names[i],
                "first": float(b[i, 0]),
                "top_k": float(b[i, :top_k].sum()),
                "by_rank": [float(x) for x in b[i]],
                "confidence": None if np.isnan(result["confidence"][i]) else float(result["confidence"][i]),
                "central_weights": None
                if np.isnan(result["central_weights"][i]).any()
                else {c: float(x) for c, x in zip(dm.criterion_ids, result["central_weights"][i])},
            }
            for i in order
        ],
    }
    if uncertain:
        drivers = {d["id"]: d for d in rank_drivers(ranker, w, W, seed)}
        out["drivers"] = [drivers[dm.measure_ids[i]] for i in order]
    return out


def _exact(model):
    """``model`` without its uncertain cells."""
    from .uncertain import _restrict

    return _restrict(model, -1)


def _submission_pool(case) -> tuple[np.ndarray, np.ndarray]:
    """Every used submission's weights, and a drawing probability that gives each group its
    influence share (split equally among its submissions)."""
    from ..errors import InputError, Problem
    from ..weights import aggregate, elicit_case, weights_summary

    sw = elicit_case(case)
    if len(sw) == 0:
        why = weights_summary(case)["skipped"]["consensus"]
        reason = f"submissions: nothing to resample: {why} (use --sampling dirichlet or uniform)"
        raise InputError(Problem("--sampling", reason))
    influence = {g.id: g.influence for g in case.groups}
    agg = aggregate(sw, influence)
    share = dict(zip(agg.groups, agg.influence))
    labels = [g if g is not None else "all" for g in sw.groups]
    counts = {g: labels.count(g) for g in set(labels)}
    p = np.array([share.get(g, 0.0) / counts[g] for g in labels])
    if not p.sum() > 0:  # no submitting group has influence: each submission counts the same
        p = np.ones(len(labels))
    return sw.weights, p / p.sum()


def _group_envelope(case) -> tuple[np.ndarray, np.ndarray]:
    """Each criterion's least and greatest weight over the groups' weights."""
    from ..errors import InputError, Problem
    from ..weights import weights_summary

    summary = weights_summary(case)
    groups = summary.get("groups") or []
    if "skipped" in summary or len(groups) < 2:
        why = summary["skipped"]["consensus"] if "skipped" in summary else "fewer than two groups submitted"
        raise InputError(
            Problem(
                "--sampling",
                f"intervals: no groups' weights to span: {why} (use --sampling ordinal or dirichlet)",
            )
        )
    W = np.array([[g["weights"][c] for c in case.criterion_ids] for g in groups])
    return W.min(axis=0), W.max(axis=0)
