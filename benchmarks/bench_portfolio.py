"""Portfolio optimisation at scale.

1,000 measures, 3 resources, 300 pair interactions and 100 requires/excludes, solved to proven
optimality with CBC and with HiGHS; the alternative is a greedy value-per-resource heuristic (the
obvious hand method), reported with the value the optimum gains over it. The main solve's goal
(issue 15, replacing issue 6's "proven in under 10 s"): as fast as a plain PuLP/CBC script building
the same model (ratio <= 1.0); with a 10 s time limit, the gap CBC has proven by then.
``portfolio`` with its default explanations and tiers (the in-process HiGHS re-optimisations):
1,000 measures < 60 s and <= 15x the bare solve; 200 measures <= 5x the bare solve.
A 20-step frontier on 300 measures (in-process HiGHS): goal under 15 s.
"""

from __future__ import annotations

import time

import numpy as np

from lev2040_mcda.parallel import Scheduler
from lev2040_mcda.portfolio import FastModel, PortfolioModel, PortfolioProblem, explain, frontier_points


def _problem(n: int, seed: int, pairs: int = 300, links: int = 100) -> PortfolioProblem:
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, n)
    resources = {r: rng.uniform(1, 50, n) * (rng.random(n) < 0.8) for r in ("cost", "land", "staff")}
    limits = {r: float(a.sum() * 0.3) for r, a in resources.items()}
    ids = [f"m{i:04d}" for i in range(n)]
    requires = [(i, i - 1) for i in range(1, n, max(1, n // max(links // 2, 1)))][: links // 2]
    linked = {i for pair in requires for i in pair}
    free = [i for i in range(n) if i not in linked]
    excludes = [(free[2 * k], free[2 * k + 1]) for k in range(links // 2)]
    pair_list = []
    for _ in range(pairs):
        i, j = rng.choice(n, 2, replace=False)
        s = rng.uniform(0.1, 1) * (1 if rng.random() < 0.5 else -1)
        pair_list.append((int(i), int(j), float(s * 0.5 * (values[i] + values[j]) / 2)))
    return PortfolioProblem(
        ids=ids,
        names=ids,
        values=values,
        resources=resources,
        limits=limits,
        requires=requires,
        excludes=excludes,
        mandatory=set(),
        include=set(),
        exclude=set(),
        pairs=pair_list,
        objective="random values",
        units=dict.fromkeys(resources),
    )


def _greedy(p: PortfolioProblem) -> float:
    """Add measures by value per share of the limits they take, while everything still holds."""
    load = sum(a / p.limits[r] for r, a in p.resources.items())
    order = np.argsort(-(p.values / np.maximum(load, 1e-9)))
    needs = dict(p.requires)
    excl = {}
    for i, j in p.excludes:
        excl.setdefault(i, set()).add(j)
        excl.setdefault(j, set()).add(i)
    used = dict.fromkeys(p.resources, 0.0)
    chosen: set[int] = set()
    for i in order:
        group = [int(i)] + ([needs[int(i)]] if int(i) in needs and needs[int(i)] not in chosen else [])
        if any(excl.get(g, set()) & (chosen | set(group)) for g in group):
            continue
        if all(used[r] + sum(a[g] for g in group) <= p.limits[r] for r, a in p.resources.items()):
            chosen |= set(group)
            for r, a in p.resources.items():
                used[r] += sum(a[g] for g in group)
    total = float(p.values[list(chosen)].sum())
    total += sum(b for i, j, b in p.pairs if i in chosen and j in chosen)
    return total


def _plain_pulp(p: PortfolioProblem) -> float:
    """What a user would write with PuLP and CBC for the same model (no scaling, no tie break,
    no checks): the alternative the engine's main solve is measured against."""
    import pulp

    prob = pulp.LpProblem("plain", pulp.LpMaximize)
    n = len(p.ids)
    x = [prob.add_variable(f"x_{i}", 0, 1, "Binary") for i in range(n)]
    y = [prob.add_variable(f"y_{k}", 0, 1) for k in range(len(p.pairs))]
    for k, (i, j, b) in enumerate(p.pairs):
        if b > 0:
            prob += y[k] <= x[i]
            prob += y[k] <= x[j]
        else:
            prob += y[k] >= x[i] + x[j] - 1
    prob += pulp.lpSum(float(v) * xi for v, xi in zip(p.values, x)) + pulp.lpSum(
        float(b) * yk for (_, _, b), yk in zip(p.pairs, y)
    )
    for r, a in p.resources.items():
        prob += pulp.lpSum(float(a[i]) * x[i] for i in range(n) if a[i]) <= p.limits[r]
    for i, j in p.requires:
        prob += x[i] <= x[j]
    for i, j in p.excludes:
        prob += x[i] + x[j] <= 1
    t0 = time.perf_counter()
    prob.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=1e-9))
    return time.perf_counter() - t0


def _explained(p: PortfolioProblem, tiers: int = 10) -> tuple[float, float, int, int]:
    """The bare solve's time, and the time of the solve with the default tiers and explanations
    (what ``portfolio`` does), with how many explanations are exact of how many."""
    t0 = time.perf_counter()
    model = PortfolioModel(p, "cbc")
    best = model.solve()
    bare = time.perf_counter() - t0
    fast = FastModel(model)
    auto = Scheduler()  # what the CLI does: --scheduler auto
    frontier_points(model, "cost", tiers, fast=fast, executor=auto)
    ex = explain(model, best, fast=fast, executor=auto)
    total = time.perf_counter() - t0
    rows = ex["selected"] + ex["not_selected"]
    return bare, total, sum(e.get("exact", True) for e in rows), len(rows)


def run() -> list[dict]:
    rows = []
    seeds = (1, 2, 3, 4, 5)  # solve times of random multi-knapsacks vary a lot: median of five
    problems = [_problem(1_000, seed=s) for s in seeds]
    greedy_s, greedy = [], []
    for problem in problems:
        t0 = time.perf_counter()
        greedy.append(_greedy(problem))
        greedy_s.append(time.perf_counter() - t0)
    for solver in ("cbc", "highs"):
        took, gains, statuses = [], [], []
        for problem, g in zip(problems, greedy):
            t0 = time.perf_counter()
            sol = PortfolioModel(problem, solver).solve()
            took.append(time.perf_counter() - t0)
            gains.append((sol.objective - g) / g)
            statuses.append(sol.status)
        rows.append(
            {
                "benchmark": f"portfolio 1,000 measures, 3 resources, {solver.upper()}",
                "ours_s": float(np.median(took)),
                "alternative": "greedy value/resource",
                "alternative_s": float(np.median(greedy_s)),
                "note": f"median of seeds {seeds}: {', '.join(f'{t:.1f}' for t in took)} s; "
                f"{'/'.join(sorted(set(statuses)))}; optimum beats greedy by "
                f"{min(gains):.1%}-{max(gains):.1%}; goal < 10 s",
            }
        )
    # what an analyst gets within the goal: a 10 s time limit and the gap the solver proved by then
    took, gaps = [], []
    for problem in problems:
        t0 = time.perf_counter()
        sol = PortfolioModel(problem, "cbc", time_limit=10).solve()
        took.append(time.perf_counter() - t0)
        gaps.append(sol.gap)
    rows.append(
        {
            "benchmark": "portfolio 1,000 measures, CBC --time-limit 10",
            "ours_s": float(np.median(took)),
            "alternative": "greedy value/resource",
            "alternative_s": float(np.median(greedy_s)),
            "note": "proven gap at the limit per seed: "
            + ", ".join("-" if g is None else f"{g:.4%}" for g in gaps),
        }
    )
    plain = [_plain_pulp(problem) for problem in problems]
    cbc = rows[0]["ours_s"]
    rows.append(
        {
            "benchmark": "portfolio 1,000 measures, main solve (CBC) against plain PuLP/CBC",
            "ours_s": cbc,
            "alternative": "plain PuLP/CBC script, same model",
            "alternative_s": float(np.median(plain)),
            "note": f"per seed {', '.join(f'{t:.1f}' for t in plain)} s; goal ratio <= 1.0",
        }
    )
    for n, goal in ((1_000, "< 60 s and <= 15x the bare solve"), (200, "<= 5x the bare solve")):
        p = problems[0] if n == 1_000 else _problem(200, seed=3, pairs=60, links=20)
        bare, total, exact, count = _explained(p)
        rows.append(
            {
                "benchmark": f"portfolio {n:,} measures with tiers (10) and explanations",
                "ours_s": total,
                "alternative": "the bare solve",
                "alternative_s": bare,
                "note": f"{exact} of {count} explanations exact, the rest proven intervals; goal {goal}",
            }
        )
    small = _problem(300, seed=12, pairs=90, links=30)
    model = PortfolioModel(small, "cbc")
    t0 = time.perf_counter()
    points = frontier_points(model, "cost", 20, fast=FastModel(model), executor=Scheduler())
    took_f = time.perf_counter() - t0
    t0 = time.perf_counter()
    PortfolioModel(small, "cbc").solve()
    one = time.perf_counter() - t0
    rows.append(
        {
            "benchmark": "frontier 20 steps, 300 measures (in-process HiGHS)",
            "ours_s": took_f,
            "alternative": "one build + solve",
            "alternative_s": one,
            "note": f"{sum(p['new_portfolio'] for p in points)} distinct portfolios; goal < 15 s",
        }
    )
    return rows
