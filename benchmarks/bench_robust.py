"""Core indices under uncertain weights: 4 scenarios x 200 weight samples on 300 measures.

Each scenario's model is built once and handed to HiGHS once; every sample only changes the
objective. The alternative is the obvious one: rebuild the PuLP model and solve it for every
sample (timed on the first 20 samples of one scenario and scaled to all solves). Goal: < 60 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from lev2040_mcda.case import load_case, write_synthetic_case
from lev2040_mcda.parallel import Scheduler
from lev2040_mcda.portfolio import PortfolioModel, build_problem, measure_values
from lev2040_mcda.ranking import decision_matrix, sample_weights
from lev2040_mcda.robust import robust_summary


def _on_cluster(case, args: dict, local: dict) -> tuple[float, bool]:
    """The same run on a Dask LocalCluster of 2 worker processes (started before the clock)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            t0 = time.perf_counter()
            there = robust_summary(case, **args, executor=client.get_executor(pure=False))
            took = time.perf_counter() - t0
    return took, there["core_index"] == local["core_index"]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(
            Path(tmp) / "robust", measures=300, criteria=10, seed=21, scenarios=4, interactions=60
        )
        case = load_case(root)
        w = np.full(len(case.criteria), 1.0 / len(case.criteria))
        args = dict(
            method="topsis",
            options={},
            weights=w,
            weights_info={"source": "equal"},
            samples=200,
            seed=1,
            scenarios=[s.id for s in case.scenarios],
            solver="highs",
        )
        t0 = time.perf_counter()
        result = robust_summary(case, **args, executor=Scheduler())  # what the CLI does: auto
        ours = time.perf_counter() - t0
        cluster_s, same = _on_cluster(case, args, result)
        W = sample_weights(np.random.default_rng(1), len(w), 20, "dirichlet", center=w)
        t0 = time.perf_counter()
        dm = decision_matrix(case)
        for k in range(len(W)):  # rebuild and solve per sample
            values, text = measure_values(case, None, W[k])
            PortfolioModel(build_problem(case, values, text), "highs").solve()
        per = (time.perf_counter() - t0) / len(W)
        del dm
    solves = 4 * 200
    return [
        {
            "benchmark": "core indices, 4 scenarios x 200 samples, 300 measures",
            "ours_s": ours,
            "alternative": "rebuild + solve per sample (extrapolated)",
            "alternative_s": per * solves,
            "note": f"{solves} solves, {ours / solves * 1000:.0f} ms each; goal < 60 s; "
            f"core {len(result['core'])}, never {len(result['never'])}",
        },
        {
            "benchmark": "the same on a Dask LocalCluster of 2 workers",
            "ours_s": cluster_s,
            "alternative": "local processes (--scheduler auto)",
            "alternative_s": ours,
            "note": f"core indices {'identical' if same else 'DIFFERENT'} to the local run",
        },
    ]
