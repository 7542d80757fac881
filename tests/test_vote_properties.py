"""Properties of the counting rules on small random elections, and the rules against a slow,
exact (fractions) reading of their definitions.

- greedy never exceeds the budget and is exhaustive (no project with a vote left out fits);
- MES (raw and completed) respects the budget; in a run every selected project's cost is paid by
  its supporters and no voter pays more than the share it started with;
- raw MES and Phragmén select exactly what the brute-force readings select, in the same order.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case.votes import Ballot, Project, Vote
from lev2040_mcda.participation import count
from lev2040_mcda.participation.mes import equal_shares
from lev2040_mcda.participation.profile import profile


@st.composite
def elections(draw, points: bool = False, free: bool = False):
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 6))
    low = 0 if free else 1
    costs = draw(st.lists(st.integers(low, 12), min_size=m, max_size=m))
    budget = draw(st.integers(1, 30))
    value = st.integers(1, 3) if points else st.just(1)
    ballots = [
        draw(st.dictionaries(st.sampled_from([f"p{j}" for j in range(m)]), value, max_size=m))
        for _ in range(n)
    ]
    projects = tuple(Project(f"p{j}", f"P{j}", float(c)) for j, c in enumerate(costs))
    kind = "cumulative" if points else "approval"
    return Vote(
        projects, tuple(Ballot(f"v{i}", dict(b)) for i, b in enumerate(ballots)), float(budget), kind=kind
    )


def _votes(vote: Vote) -> dict[str, int]:
    return {p.id: sum(1 for b in vote.ballots if b.points.get(p.id, 0) > 0) for p in vote.projects}


def _key(vote: Vote):
    votes = _votes(vote)
    order = {p.id: i for i, p in enumerate(vote.projects)}
    cost = {p.id: p.cost for p in vote.projects}
    return lambda pid: (-votes[pid], cost[pid], order[pid])


@given(elections(free=True))
def test_greedy_within_budget_and_exhaustive(vote):
    out = count(vote, "greedy")
    assert out.cost <= vote.budget
    votes = _votes(vote)
    left = vote.budget - out.cost
    assert not [p for p in vote.projects if p.id not in out.selected and votes[p.id] and p.cost <= left]


@given(elections(free=True), st.sampled_from(["cost", "cardinality"]))
def test_mes_within_budget_and_paid_by_supporters(vote, utility):
    for completion in ("none", "add1", "add1u", "add1eu"):
        assert count(vote, "mes", utility=utility, completion=completion).cost <= vote.budget * (1 + 1e-9)
    prof = profile(vote)
    if not prof.voters:
        return
    share = vote.budget / prof.voters
    run = equal_shares(prof, prof.utilities(utility), share, prof.tie_rank("votes"), "votes")
    assert np.all(run.left >= -1e-9) and np.all(run.left <= share + 1e-9)
    for pay, j in zip(run.payments, run.selected, strict=True):
        assert abs(pay.paid - prof.cost[j]) <= 1e-9 * max(prof.cost[j], 1)
        assert pay.payers <= len(prof.supporters[j])
    assert abs((share - run.left).sum() - run.cost) <= 1e-6


def _brute_rho(budgets: list[Fraction], utils: list[Fraction], cost: Fraction) -> Fraction | None:
    """The definition read literally: the least rho with sum(min(b_i, rho * u_i)) == cost, found by
    trying every set of supporters who pay all they have."""
    if cost == 0:
        return Fraction(0)
    if sum(budgets) < cost:
        return None
    best = None
    k = len(budgets)
    for size in range(k):
        for full in combinations(range(k), size):
            rest = [i for i in range(k) if i not in full]
            rho = (cost - sum(budgets[i] for i in full)) / sum(utils[i] for i in rest)
            if rho >= 0 and sum(min(b, rho * u) for b, u in zip(budgets, utils, strict=True)) == cost:
                best = rho if best is None else min(best, rho)
    return best


def brute_mes(vote: Vote, utility: str) -> tuple[str, ...]:
    n = len(vote.ballots)
    if n == 0:
        return ()
    key = _key(vote)
    budget = [Fraction(int(vote.budget), n)] * n
    left = [p for p in vote.projects if any(b.points.get(p.id, 0) > 0 for b in vote.ballots)]
    chosen: list[str] = []
    while True:
        offers = []
        for p in left:
            supp = [i for i, b in enumerate(vote.ballots) if b.points.get(p.id, 0) > 0]
            pts = [Fraction(vote.ballots[i].points[p.id]) for i in supp]
            utils = [Fraction(int(p.cost)) * x if utility == "cost" else Fraction(1) for x in pts]
            if utility == "cost" and p.cost == 0:
                utils = [Fraction(0)] * len(supp)
            rho = _brute_rho([budget[i] for i in supp], utils, Fraction(int(p.cost)))
            if rho is not None:
                offers.append((rho, key(p.id), p, supp, utils))
        if not offers:
            return tuple(chosen)
        rho, _, p, supp, utils = min(offers, key=lambda o: (o[0], o[1]))
        for i, u in zip(supp, utils, strict=True):
            budget[i] -= min(budget[i], rho * u)
        chosen.append(p.id)
        left.remove(p)


def brute_phragmen(vote: Vote) -> tuple[str, ...]:
    """Voters earn money at rate 1; at the earliest time some unbought project's supporters hold its
    cost it is bought with all their money; the count ends when that project does not fit."""
    key = _key(vote)
    spent = {b.voter: Fraction(0) for b in vote.ballots}  # money spent so far (the load)
    supp = {p.id: [b.voter for b in vote.ballots if b.points.get(p.id, 0) > 0] for p in vote.projects}
    cost = {p.id: Fraction(int(p.cost)) for p in vote.projects}
    left = [pid for pid in supp if supp[pid]]
    now, total, chosen = Fraction(0), Fraction(0), []
    while left:
        # the times at which each project becomes affordable, then the earliest one checked by money
        times = sorted({max(now, (cost[p] + sum(spent[v] for v in supp[p])) / len(supp[p])) for p in left})
        t = next(t for t in times if any(sum(t - spent[v] for v in supp[p]) >= cost[p] for p in left))
        ready = [p for p in left if sum(t - spent[v] for v in supp[p]) >= cost[p]]
        p = min(ready, key=key)
        if total + cost[p] > int(vote.budget):
            break
        for v in supp[p]:
            spent[v] = t
        now, total = t, total + cost[p]
        chosen.append(p)
        left.remove(p)
    return tuple(chosen)


@given(elections(), st.sampled_from(["cost", "cardinality"]))
def test_raw_mes_equals_its_definition(vote, utility):
    assert count(vote, "mes", utility=utility, completion="none").selected == brute_mes(vote, utility)


@given(elections(points=True))
def test_raw_cardinal_mes_equals_its_definition(vote):
    assert count(vote, "mes", utility="cardinality", completion="none").selected == brute_mes(
        vote, "cardinality"
    )
    assert count(vote, "mes", utility="cost", completion="none").selected == brute_mes(vote, "cost")


@given(elections())
def test_phragmen_equals_its_definition(vote):
    assert count(vote, "phragmen").selected == brute_phragmen(vote)
