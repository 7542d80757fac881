"""SMAA-2 with uncertain performance values: rank acceptabilities, central weights and confidence
factors when the estimates of measures.csv vary as well as the weights, and which of them drives a
measure's rank.

Lahdelma & Salminen (2001), SMAA-2, treat both the weights and the criteria values as random: a rank
acceptability index is the share of (weight, value) draws in which a measure takes a rank, and the
confidence factor of a measure is the probability that it is first under its own central weights
when the values vary. Tervonen & Figueira (2008), "A survey on stochastic multicriteria
acceptability analysis methods", J. Multi-Crit. Decis. Anal. 15, 1–14, describe the joint sampling.

Two ways of drawing, both seeded per block (the same result in this process, a process pool or a
Dask cluster):

- ``method="value"``, the additive value on fixed scales (:mod:`.scale`, the portfolio's value):
  every weight sample gets its own value sample; the value is linear in both, so a block of samples
  is a few array operations (the speed goal: 10,000 samples of 500 measures x 15 criteria in 2 s).
- an MCDM method (TOPSIS, ...): each drawn decision matrix is scored with a block of
  :data:`WEIGHTS_PER_DRAW` weight samples by :func:`~.methods.score_batch` (a method's
  normalisation depends on the whole matrix, so each matrix costs one batched scoring). Weights and
  values are independent, so every (weight, matrix) pair is still a draw of the joint distribution:
  the estimates are unbiased; pairs sharing a matrix are not independent, which widens their error
  a little against fully paired draws.

The drivers of a measure's rank are one-at-a-time variances (a screening, as a tornado diagram
shows it): the variance of its rank when only the weights vary (values at their estimates), and when
only one criterion's estimates vary (weights at the centre); each divided by their sum. They are not
Sobol indices: interactions between the sources are not apportioned.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

import numpy as np

from ..parallel import Scheduler, open_executor, run
from .estimates import EstimateModel, sample_cells, sample_matrices
from .matrix import DecisionMatrix
from .methods import METHODS, competition_ranks, score_batch
from .scale import ValueScale

__all__ = ["VALUE_METHOD", "smaa_uncertain", "rank_drivers", "WEIGHTS_PER_DRAW", "DRIVER_SAMPLES"]

VALUE_METHOD = "value"
"""The method name of the additive value on fixed scales (not an MCDM method of the registry)."""
WEIGHTS_PER_DRAW = 20
"""Weight samples scored with each drawn decision matrix under an MCDM method."""
DRIVER_SAMPLES = 1000
"""Samples per source (the weights, each criterion) for the drivers of the ranks."""
CONFIDENCE_DRAWS = 1000
"""Drawn value sets for the confidence factors (the value method; an MCDM method scores a fifth as
many drawn matrices, one batched scoring each)."""
_BLOCK_CELLS = 4_000_000  # samples x measures x criteria per block of the value method
PARALLEL_FROM = 40_000_000
"""Samples x measures x criteria from which ``auto`` shares the blocks among local processes."""


class Ranker:
    """Scores of measures (measures x samples) for weight samples and drawn values: the value on
    fixed scales, or an MCDM method on whole drawn matrices. Picklable: blocks may run elsewhere."""

    def __init__(
        self,
        dm: DecisionMatrix,
        method: str,
        options: dict | None,
        model: EstimateModel,
        scale: ValueScale | None = None,
    ):
        self.dm, self.method, self.options, self.model = dm, method, dict(options or {}), model
        self.higher = True if method == VALUE_METHOD else METHODS[method].higher_is_better
        if method == VALUE_METHOD:
            if scale is None:
                raise ValueError("the value method needs the fixed value scale")
            self.factor = scale.sign / scale.width  # partial value per unit of each criterion
            self.base = (dm.values - scale.zero) * self.factor  # measures x criteria
            self._cells(model)

    def _cells(self, model: EstimateModel) -> None:
        """Per uncertain cell: its estimate and its partial value per unit (float32, as drawn),
        and whether the cells are every cell in measures-then-criteria order."""
        m, n = self.dm.shape
        self.cell_value = model.value.astype(np.float32)
        self.cell_factor = self.factor[model.cols].astype(np.float32)
        self.dense = bool(
            model.size == m * n
            and (model.rows == np.repeat(np.arange(m), n)).all()
            and (model.cols == np.tile(np.arange(n), m)).all()
        )

    def ranks(self, scores: np.ndarray) -> np.ndarray:
        return competition_ranks(scores, self.higher)

    def paired(self, W: np.ndarray, rng: np.random.Generator, vary: bool = True) -> np.ndarray:
        """Scores (measures x samples): sample k under weights ``W[k]`` and its own drawn values
        (the value method) or a drawn matrix per :data:`WEIGHTS_PER_DRAW` samples (a method).
        ``vary=False``: the values at their estimates."""
        if self.method == VALUE_METHOD:
            scores = self.base @ W.T
            if vary and self.model.size:
                scores += self._deviations(W, rng).T
            return scores
        if not vary or not self.model.size:
            return score_batch(self.dm, W, self.method, self.options)
        out = np.empty((self.dm.shape[0], len(W)))
        draws = -(-len(W) // WEIGHTS_PER_DRAW)
        for g, X in enumerate(sample_matrices(self.model, self.dm.values, rng, draws)):
            part = slice(g * WEIGHTS_PER_DRAW, (g + 1) * WEIGHTS_PER_DRAW)
            out[:, part] = score_batch(self._matrix(X), W[part], self.method, self.options)
        return out

    def _deviations(self, W: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """samples x measures: each sample's change of value from its drawn estimates."""
        D = self._drawn(len(W), rng)
        return np.matmul(D, W.astype(np.float32)[:, :, None])[:, :, 0]

    def _drawn(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """count x measures x criteria (float32): the drawn changes of the partial values."""
        m, n = self.dm.shape
        d = sample_cells(self.model, rng, count, dtype=np.float32)
        d -= self.cell_value
        d *= self.cell_factor
        if self.dense:
            return d.reshape(count, m, n)
        D = np.zeros((count, m, n), dtype=np.float32)
        D[:, self.model.rows, self.model.cols] = d
        return D

    def confidence(
        self, central: np.ndarray, ever: np.ndarray, count: int, rng: np.random.Generator
    ) -> np.ndarray:
        """For each row e of ``central`` (the central weights of measure ``ever[e]``): in how many of
        ``count`` drawn value sets that measure is first under them (ties share the first place)."""
        C = central / central.sum(axis=1, keepdims=True)
        hits = np.zeros(len(C))
        cols = np.arange(len(C))
        if self.method == VALUE_METHOD:
            m, n = self.dm.shape
            base = self.base @ C.T  # measures x E
            C32 = C.astype(np.float32)  # one matrix product (BLAS) per block
            step = max(1, _BLOCK_CELLS // (m * max(n, len(C))))
            for a in range(0, count, step):
                k = min(step, count - a)
                S = (self._drawn(k, rng).reshape(k * m, n) @ C32.T).reshape(k, m, len(C)) + base[None]
                hits += (S[:, ever, cols] >= S.max(axis=1)).sum(axis=0)
            return hits
        for X in sample_matrices(self.model, self.dm.values, rng, count):
            ranks = self.ranks(score_batch(self._matrix(X), C, self.method, self.options))
            hits += ranks[ever, cols] == 1
        return hits

    def _matrix(self, X: np.ndarray) -> DecisionMatrix:
        """The decision matrix with drawn values; bounds taken from the data widened to hold them
        (the catalogue's are kept: the draws are clipped to them)."""
        lo = np.minimum(self.dm.bounds[:, 0], X.min(axis=0))
        hi = np.maximum(self.dm.bounds[:, 1], X.max(axis=0))
        return replace(self.dm, values=X, bounds=np.column_stack([lo, hi]))

    def one_source(self, w: np.ndarray, column: int, count: int, rng: np.random.Generator) -> np.ndarray:
        """Scores (measures x count) with weights ``w`` and only ``column``'s estimates drawn."""
        sub = _restrict(self.model, column)
        if not sub.size:
            return np.repeat(self.paired(w[None, :], rng, vary=False), count, axis=1)
        other = Ranker.__new__(Ranker)
        other.__dict__.update(self.__dict__)
        other.model = sub
        if self.method == VALUE_METHOD:
            other._cells(sub)
            return other.paired(np.repeat(w[None, :], count, axis=0), rng)
        draws = max(1, count // 20)
        mats = sample_matrices(sub, self.dm.values, rng, draws)
        return np.column_stack(
            [score_batch(self._matrix(X), w[None, :], self.method, self.options) for X in mats]
        )


def _restrict(model: EstimateModel, column: int) -> EstimateModel:
    """The estimates of one column of ``model``."""
    keep = model.cols == column
    fields = {
        name: getattr(model, name)[keep]
        for name, value in vars(model).items()
        if isinstance(value, np.ndarray) and value.shape[:1] == model.cols.shape
    }
    return replace(model, **fields)


def _block(ranker: Ranker, W: np.ndarray, seed: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, int]:
    """One block: how often each (measure, rank) occurs, the sum of the weights that make each
    measure first, and the block's size (module level: another process may run it)."""
    m = ranker.dm.shape[0]
    ranks = ranker.ranks(ranker.paired(W, np.random.default_rng(seed)))
    counts = np.bincount(((np.arange(m) * m)[:, None] + ranks - 1).ravel(), minlength=m * m)
    return counts, (ranks == 1).astype(float) @ W, len(W)


def smaa_uncertain(
    ranker: Ranker,
    weights: np.ndarray,
    seed: int,
    ever: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
) -> dict[str, Any]:
    """SMAA-2 over the weight samples (rows of ``weights``) and drawn values, as
    :func:`~.sensitivity.smaa` returns it: ``acceptability``, ``central_weights``, ``confidence``
    (the share of drawn values in which a measure is first under its own central weights) and
    ``samples``. Blocks are seeded ``(seed, block)``: the same result on every executor."""
    m, n = ranker.dm.shape
    W = np.asarray(weights, dtype=float)
    W = W / W.sum(axis=1, keepdims=True)
    total = len(W)
    chunk = max(WEIGHTS_PER_DRAW, (_BLOCK_CELLS // max(m * n, 1)) // WEIGHTS_PER_DRAW * WEIGHTS_PER_DRAW)
    blocks = [(ranker, W[a : a + chunk], (seed, 18, k)) for k, a in enumerate(range(0, total, chunk))]
    counts, first_sum, done = np.zeros(m * m), np.zeros((m, n)), 0

    def added(result) -> None:
        nonlocal done
        done += result[2]
        if progress is not None:
            progress(done, total)

    # the value method's blocks are numpy calls that release the GIL: threads share them
    threads = ranker.method == VALUE_METHOD
    with open_executor(executor, total * m * n, PARALLEL_FROM, threads=threads) as ex:
        for got, firsts_of, _ in run(_block, blocks, ex, added):
            counts += got
            first_sum += firsts_of
        acceptability = counts.reshape(m, m) / max(total, 1)
        firsts = acceptability[:, 0] * total
        central = np.divide(
            first_sum, firsts[:, None], out=np.full((m, n), np.nan), where=firsts[:, None] > 0
        )
        confidence = np.full(m, np.nan)
        ever = np.flatnonzero(firsts > 0)
        if len(ever):
            draws = (
                CONFIDENCE_DRAWS
                if ranker.method == VALUE_METHOD
                else CONFIDENCE_DRAWS // WEIGHTS_PER_DRAW * 4
            )
            parts = [(ranker, central[ever], ever, draws // 4, (seed, 19, k)) for k in range(4)]
            confidence[ever] = sum(run(_confidence_job, parts, ex)) / (draws // 4 * 4)
    return {
        "acceptability": acceptability,
        "central_weights": central,
        "confidence": confidence,
        "samples": total,
    }


def _confidence_job(
    ranker: Ranker, central: np.ndarray, ever: np.ndarray, count: int, seed: tuple[int, ...]
) -> np.ndarray:
    return ranker.confidence(central, ever, count, np.random.default_rng(seed))


def rank_drivers(ranker: Ranker, center: np.ndarray, weights: np.ndarray, seed: int) -> list[dict[str, Any]]:
    """Per measure: its rank's variance when only the weights vary (the first
    :data:`DRIVER_SAMPLES` weight samples, values at their estimates) and when only each
    criterion's estimates vary (weights at ``center``), normalised to shares summing to 1."""
    dm = ranker.dm
    count = min(len(weights), DRIVER_SAMPLES)
    w = np.asarray(center, dtype=float) / np.sum(center)
    parts = {"weights": ranker.ranks(ranker.paired(weights[:count], None, vary=False)).var(axis=1)}
    for j, cid in enumerate(dm.criterion_ids):
        if (ranker.model.cols == j).any():
            rng = np.random.default_rng((seed, 20, j))
            parts[cid] = ranker.ranks(ranker.one_source(w, j, count, rng)).var(axis=1)
    out = []
    for i, (mid, name) in enumerate(zip(dm.measure_ids, dm.measure_names)):
        var = {k: float(v[i]) for k, v in parts.items()}
        total = sum(var.values())
        shares = {k: v / total for k, v in sorted(var.items(), key=lambda kv: -kv[1])} if total > 0 else {}
        out.append({"id": mid, "name": name, "rank_variance": total, "shares": shares})
    return out
