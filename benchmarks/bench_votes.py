"""Counting the online participation's vote.

1. The Method of Equal Shares on 10,000 voters x 100 projects (seeded approval ballots of 1 to 10
   projects, popularity skewed, budget 1,000,000 so each voter's share is 100 units, costs 5,000 to
   100,000): the raw rule and the rule with its standard add-one completion (``add1u``, one unit
   per step). The alternative is the straightforward implementation: a Python loop over each
   project's supporters in every round (sorting them by budget, as equalshares.net's reference
   code does, without its lazy re-evaluation), which gives the same selection (checked). For the
   completed rule the alternative is that loop run once per add-one step, timed on the raw run and
   multiplied by the number of runs the completion needed (the note says so).
2. A 500,000-ballot Pabulib file read with ``lev2040_mcda.case.load_votes`` and counted (greedy
   and the support per project and district), against ``pandas.read_csv`` of its VOTES section and
   a count of approvals per project (split, explode, value_counts) on the same file.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from lev2040_mcda.case.votes import Ballot, Project, Vote
from lev2040_mcda.participation import count, support

from .timing import median_time

SEED = 17


def _projects(rng: np.random.Generator, m: int) -> tuple[Project, ...]:
    costs = rng.integers(5_000, 100_001, size=m)
    return tuple(Project(f"p{j}", f"Project {j}", float(c)) for j, c in enumerate(costs))


def _approvals(rng: np.random.Generator, n: int, m: int) -> list[list[int]]:
    """Each voter approves 1 to 10 distinct projects, popular ones more often (skewed weights):
    drawn for all voters at once (Gumbel top-k: the k largest of log-weight + Gumbel noise are a
    weighted sample without replacement)."""
    popularity = rng.pareto(1.5, size=m) + 0.2
    sizes = rng.integers(1, 11, size=n)
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(n, m))
    ranked = np.argsort(-keys, axis=1)[:, :10]
    return [sorted(row[:k].tolist()) for row, k in zip(ranked, sizes, strict=True)]


def mes_vote(n: int = 10_000, m: int = 100) -> Vote:
    rng = np.random.default_rng(SEED)
    projects = _projects(rng, m)
    ballots = tuple(
        Ballot(f"v{i}", {f"p{j}": 1.0 for j in a}, f"d{i % 7}") for i, a in enumerate(_approvals(rng, n, m))
    )
    return Vote(projects, ballots, 1_000_000.0, name="benchmark")


def python_mes(vote: Vote, share: float) -> list[str]:
    """The obvious implementation (cost utilities, ties by votes, cost, order): every round, every
    remaining project, every supporter in a Python loop."""
    cost = {p.id: p.cost for p in vote.projects}
    order = {p.id: i for i, p in enumerate(vote.projects)}
    supporters: dict[str, list[int]] = {p.id: [] for p in vote.projects}
    for i, b in enumerate(vote.ballots):
        for pid in b.points:
            supporters[pid].append(i)
    budget = [share] * len(vote.ballots)
    left = [pid for pid in cost if supporters[pid]]
    chosen = []
    while True:
        best, best_key = None, None
        for pid in left:
            voters = sorted(supporters[pid], key=lambda i: budget[i])
            if sum(budget[i] for i in voters) < cost[pid] * (1 - 1e-9):
                continue
            paid, rest, pay = 0.0, len(voters), None
            for i in voters:
                pay = (cost[pid] - paid) / rest
                if pay <= budget[i]:
                    break
                paid += budget[i]
                rest -= 1
            key = (pay / cost[pid], -len(voters), cost[pid], order[pid])
            if best_key is None or key < best_key:
                best, best_key = (pid, pay), key
        if best is None:
            return chosen
        pid, pay = best
        for i in supporters[pid]:
            budget[i] -= min(budget[i], pay)
        chosen.append(pid)
        left.remove(pid)


def _write_pb(path: Path, n: int, m: int) -> None:
    rng = np.random.default_rng(SEED + 1)
    projects = _projects(rng, m)
    lines = ["META", "key;value", "description;benchmark vote", f"num_projects;{m}", f"num_votes;{n}"]
    lines += [f"budget;{1_500_000}", "vote_type;approval", "PROJECTS", "project_id;name;cost"]
    lines += [f"{p.id};{p.name};{int(p.cost)}" for p in projects]
    lines += ["VOTES", "voter_id;district;vote"]
    lines += [f"{i};d{i % 7};{','.join(f'p{j}' for j in a)}" for i, a in enumerate(_approvals(rng, n, m))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pandas_count(path: Path) -> object:
    import pandas as pd

    with path.open(encoding="utf-8") as f:
        start = next(i for i, line in enumerate(f) if line.strip() == "VOTES")
    votes = pd.read_csv(path, sep=";", skiprows=start + 1, dtype=str)
    return votes["vote"].str.split(",").explode().value_counts()


def _once(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def run() -> list[dict]:
    rows = []
    vote = mes_vote()
    share = vote.budget / len(vote.ballots)
    ours_raw = median_time(lambda: count(vote, "mes", completion="none"), repeat=3)
    raw = count(vote, "mes", completion="none")
    alt_s, alt = _once(lambda: python_mes(vote, share))
    assert list(raw.selected) == alt, "numpy MES and the Python loop disagree"
    rows.append(
        {
            "benchmark": "MES (raw) 10,000 voters x 100 projects",
            "ours_s": ours_raw,
            "alternative": "Python loop over supporters",
            "alternative_s": alt_s,
            "note": f"{len(raw.selected)} selected, identical to the loop",
        }
    )
    ours_full = median_time(lambda: count(vote, "mes"), repeat=1)
    full = count(vote, "mes")
    runs = round((full.voter_budget - np.floor(share)) / full.step) + 2
    final = python_mes(vote, full.voter_budget)
    assert [p for p, s in zip(full.selected, full.stages, strict=True) if s == "mes"] == final
    rows.append(
        {
            "benchmark": "MES + add-one completion (add1u), same vote",
            "ours_s": ours_full,
            "alternative": f"the loop x {runs} runs (extrapolated)",
            "alternative_s": alt_s * runs,
            "note": f"share {share:.0f} -> {full.voter_budget:.0f}; goal < 5 s",
        }
    )
    rows.append(_read_and_count())
    return rows


def _read_and_count(n: int = 500_000, m: int = 60) -> dict:
    from lev2040_mcda.case import load_votes

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vote.pb"
        _write_pb(path, n, m)

        def ours() -> object:
            (vote,) = load_votes(path)
            return count(vote, "greedy"), support(vote)

        ours_s, (out, _) = _once(ours)
        alt_s, counts = _once(lambda: _pandas_count(path))
        (vote,) = load_votes(path)
        ours_counts = {p.project: p.approvals for p in support(vote).projects}
        assert all(ours_counts[pid] == c for pid, c in counts.items()), "approval counts differ"
    return {
        "benchmark": f"read + count a {n:,}-ballot .pb file ({m} projects)",
        "ours_s": ours_s,
        "alternative": "pandas.read_csv + explode + value_counts",
        "alternative_s": alt_s,
        "note": f"load_votes, greedy ({len(out.selected)} selected) and support; goal < 10 s",
    }
