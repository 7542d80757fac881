"""Ranking and SMAA speed.

(0) ``lev2040 rank`` on a valid 5,000 x 20 case through the CLI, as a whole process, against a
    script that reads the same files with pandas and yaml and ranks them with pymcdm (TOPSIS,
    the consensus of the group weights as the mean of the normalised submissions): every import
    counts for both, as does the engine's checking of every cell. Runs alternate (engine,
    script, engine, ...) after a warm-up of each; medians of the wall times. Both run from
    compiled bytecode, as an installed package does (a checkout under PYTHONDONTWRITEBYTECODE
    would otherwise compile the engine's modules on every run): the runs get their own
    ``PYTHONPYCACHEPREFIX``, filled by the warm-up. Goal: ratio <= 1.2.
(a) 5,000 measures x 20 criteria, TOPSIS, VIKOR, SPOTIS and WSM: the engine (checks, pymcdm call,
    ranks) against calling pymcdm directly on the same arrays (its ``rank``). Goal: ratio <= 1.2.
(b) SMAA with 10,000 weight samples on 500 measures x 15 criteria, TOPSIS and WSM: the vectorised
    engine against a Python loop of pymcdm calls (each scored and ranked the pymcdm way, as in (a)),
    with the same rank acceptabilities. Goal: >= 20x faster and under 3 s; peak memory of the
    vectorised run is printed too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from lev2040_mcda.case import write_synthetic_case
from lev2040_mcda.ranking import DecisionMatrix, score, smaa

from .timing import median_time

SCRIPT = """
import pathlib
import sys

import numpy as np
import pandas as pd
import yaml
from pymcdm.helpers import rrankdata
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import minmax_normalization

root = pathlib.Path(sys.argv[1])
crit = yaml.safe_load((root / "criteria.yaml").read_text(encoding="utf-8"))["criteria"]
ids = [c["id"] for c in crit]
table = pd.read_csv(root / "measures.csv")
w = np.zeros(len(ids))
for path in sorted((root / "weights").glob("*.yaml")):
    given = yaml.safe_load(path.read_text(encoding="utf-8"))["weights"]
    v = np.array([given[c] for c in ids], dtype=float)
    w += v / v.sum()
w /= w.sum()
types = np.array([1 if c["direction"] == "benefit" else -1 for c in crit])
pref = TOPSIS(minmax_normalization)(table[ids].to_numpy(dtype=float), w, types)
ranks = rrankdata(pref)
order = np.argsort(-pref, kind="stable")
mid, name = table["id"].to_numpy(), table["name"].to_numpy()
sys.stdout.write("".join(f"{int(ranks[i]):>5}  {mid[i]}  {name[i]}  {pref[i]:.4f}\\n" for i in order))
"""
"""The pandas + pymcdm script: what ranking these files takes without the engine."""


def _cli_vs_script(repeat: int = 5) -> dict:
    """Median wall times of ``lev2040 rank CASE`` and of :data:`SCRIPT` on the same 5,000 x 20 case."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(Path(tmp) / "case", measures=5_000, criteria=20, seed=2040)
        script = Path(tmp) / "rank_with_pymcdm.py"
        script.write_text(SCRIPT, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        commands = {
            "ours": [sys.executable, "-m", "lev2040_mcda.cli", "rank", str(root)],
            "script": [sys.executable, str(script), str(root)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for k in range(repeat + 1):  # the first round is the warm-up: it writes the bytecode
            for name, command in commands.items():
                t0 = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
                if k:
                    times[name].append(time.perf_counter() - t0)
    ours, alt = statistics.median(times["ours"]), statistics.median(times["script"])
    return {
        "benchmark": "lev2040 rank 5,000 x 20 (CLI, whole process)",
        "ours_s": ours,
        "alternative": "pandas + pymcdm script, same files",
        "alternative_s": alt,
        "note": f"goal <= 1.2x; {ours:.2f} s against {alt:.2f} s",
    }


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
    rows = [_cli_vs_script()]
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
