"""Ranking and SMAA speed.

(a) 5,000 measures x 20 criteria, TOPSIS, VIKOR, SPOTIS and WSM: the engine (checks, pymcdm call,
    ranks) against calling pymcdm directly on the same arrays (its ``rank``). Goal: ratio <= 1.2.
(b) SMAA with 10,000 weight samples on 500 measures x 15 criteria, TOPSIS and WSM: the vectorised
    engine against a Python loop of pymcdm calls (each scored and ranked the pymcdm way, as in (a)),
    with the same rank acceptabilities. Goal: >= 20x faster and under 3 s; peak memory of the
    vectorised run is printed too.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from lev2040_mcda.ranking import DecisionMatrix, score, smaa

from .timing import median_time


def _matrix(m: int, n: int, seed: int) -> DecisionMatrix:
    rng = np.random.default_rng(seed)
    values = rng.uniform(1, 100, (m, n))
    types = np.where(np.arange(n) % 3 == 0, -1, 1)
    bounds = np.column_stack([np.zeros(n), np.full(n, 100.0)])
    return DecisionMatrix(
        tuple(f"m{i}" for i in range(m)),
        tuple(f"M{i}" for i in range(m)),
        tuple(f"c{j}" for j in range(n)),
        values,
        types,
        bounds,
        tuple(("usual", None, None) for _ in range(n)),
    )


def _pymcdm(method: str, dm: DecisionMatrix):
    from pymcdm import methods as pm
    from pymcdm import normalizations as nz

    return {
        "topsis": lambda: pm.TOPSIS(nz.minmax_normalization),
        "vikor": lambda: pm.VIKOR(),
        "spotis": lambda: pm.SPOTIS(dm.bounds),
        "wsm": lambda: pm.WSM(nz.sum_normalization),
    }[method]()


def run() -> list[dict]:
    rows = []
    dm = _matrix(5_000, 20, seed=1)
    w = np.random.default_rng(2).dirichlet(np.ones(20))
    for method in ("topsis", "vikor", "spotis", "wsm"):
        body = _pymcdm(method, dm)
        ours = median_time(lambda: score(dm, w, method), repeat=5)  # noqa: B023 (timed here, at once)
        direct = median_time(lambda: body.rank(body(dm.values, w, dm.types, validation=False)), repeat=5)  # noqa: B023
        rows.append(
            {
                "benchmark": f"rank 5,000 x 20, {method.upper()}",
                "ours_s": ours,
                "alternative": "pymcdm called directly",
                "alternative_s": direct,
                "note": "goal <= 1.2x",
            }
        )

    dm = _matrix(500, 15, seed=3)
    W = np.random.default_rng(4).dirichlet(np.ones(15), size=10_000)
    for method in ("topsis", "wsm"):
        body = _pymcdm(method, dm)
        smaa(dm, method, {}, W[:10])  # warm-up: imports
        tracemalloc.start()
        t0 = time.perf_counter()
        ours = smaa(dm, method, {}, W)
        ours_s = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        t0 = time.perf_counter()
        counts = np.zeros((500, 500))
        for k in range(len(W)):  # pymcdm's own way, as in (a): call, then rank
            ranks = body.rank(body(dm.values, W[k], dm.types, validation=False)).astype(int)
            counts[np.arange(500), ranks - 1] += 1
        loop_s = time.perf_counter() - t0
        same = np.allclose(counts / len(W), ours["acceptability"])
        rows.append(
            {
                "benchmark": f"SMAA 10,000 samples, 500 x 15, {method.upper()}",
                "ours_s": ours_s,
                "alternative": "loop of pymcdm calls",
                "alternative_s": loop_s,
                "note": f"{loop_s / ours_s:.0f}x faster; peak {peak / 2**20:.0f} MiB; "
                f"same acceptabilities: {'yes' if same else 'NO'}",
            }
        )
    return rows
