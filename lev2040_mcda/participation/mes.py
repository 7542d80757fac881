"""The Method of Equal Shares (Peters, Pierczyński & Skowron 2021, "Proportional participatory
budgeting with additive utilities", NeurIPS), and its completion as equalshares.net describes it.

The rule, with every voter starting from an equal share ``b_i = budget / n``: a project ``c`` is
affordable when its supporters' money covers its cost; its price ``rho`` is the least value with
``sum_i min(b_i, rho * u_i(c)) = cost(c)`` (supporters pay in proportion to their utility, those
who cannot pay all they have). The affordable project with the least ``rho`` is bought, its
supporters pay ``min(b_i, rho * u_i(c))``; repeat until nothing is affordable. With cost utilities
(``u_i(c) = cost(c)`` for an approval) the least ``rho`` is the highest "effective vote count"
``cost / max payment`` of equalshares.net; with cardinality utilities (``u = 1``) it is the least
highest payment.

A project's ``rho`` can only grow from round to round (budgets only shrink), so each round looks at
the projects in the order of their last ``rho`` and stops as soon as that lower bound exceeds the
best found (equalshares.net's reference code does the same); one evaluation is a gather, a sum and,
only when someone cannot pay an equal part, a sort of the supporters' budget-to-utility ratios.

Completion ("add1", the standard one): run the rule again with every voter's share raised by one
``step`` (one currency unit, as equalshares.net and pabutools' ``voter_budget_increment=1``) for
as long as the raised run still fits the real budget; keep the last run that fits (``add1e``:
stop too at the first exhaustive outcome). ``add1u`` then fills what is left with the
utilitarian greedy (by total utility per unit of cost: by votes, with cost utilities). Counted
this way (``add1``, one zloty per step, ties none), the Wieliczka 2023 Green Million vote gives
its official selection (``tests/test_vote_reference.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .outcome import Payment, Tie
from .profile import Profile

__all__ = ["MesRun", "default_step", "equal_shares", "mes_with_completion", "utilitarian_fill"]

TOL = 1e-9  # relative: prices this close are a tie, money this close to a cost covers it


@dataclass(frozen=True)
class MesRun:
    """One run of the rule at one share per voter: the selection, its ties and payments."""

    share: float
    selected: tuple[int, ...]
    ties: tuple[Tie, ...]
    payments: tuple[Payment, ...]
    cost: float
    left: np.ndarray  # each voter's share not spent (the property tests read it)


def equal_shares(
    prof: Profile, util: tuple[np.ndarray, ...], share: float, rank: np.ndarray, tie_break: str
) -> MesRun:
    """The rule with ``share`` per voter (no completion). ``rank`` is the tie order."""
    cost = prof.cost
    b = np.full(prof.voters, float(share))
    total_u = np.array([u.sum() for u in util])
    alive = np.flatnonzero(_supported(prof, util)).tolist()
    bound = {j: (cost[j] / total_u[j] if cost[j] > 0 else 0.0) for j in alive}
    selected: list[int] = []
    ties: list[Tie] = []
    payments: list[Payment] = []
    while alive:
        alive.sort(key=lambda j: (bound[j], rank[j]))
        best = math.inf
        seen: list[int] = []
        keep: list[int] = []
        for pos, j in enumerate(alive):
            if bound[j] > best * (1 + TOL):
                keep.extend(alive[pos:])
                break
            rho = _price(b[prof.supporters[j]], util[j], cost[j])
            if rho is None:  # not affordable now, so never again
                continue
            bound[j] = rho
            keep.append(j)
            seen.append(j)
            best = min(best, rho)
        if not seen:
            break
        tied = [j for j in seen if bound[j] <= best * (1 + TOL)]
        win = min(tied, key=lambda j: rank[j])
        if len(tied) > 1:
            others = [j for j in tied if j != win]
            why = prof.tie_reason(win, others, tie_break)
            tied_ids = tuple(prof.ids[j] for j in sorted(tied, key=lambda j: rank[j]))
            ties.append(Tie(len(selected) + 1, "mes", tied_ids, prof.ids[win], why))
        payments.append(_pay(prof, b, util[win], win, bound[win]))
        selected.append(win)
        alive = [j for j in keep if j != win]
    spent = float(cost[selected].sum()) if selected else 0.0
    return MesRun(float(share), tuple(selected), tuple(ties), tuple(payments), spent, b)


def _price(bj: np.ndarray, uj: np.ndarray, c: float) -> float | None:
    """The least rho with ``sum(min(bj, rho * uj)) == c``; None when ``sum(bj) < c``."""
    if c <= 0:
        return 0.0
    if bj.sum() < c * (1 - TOL):
        return None
    ratio = bj / uj
    rho = c / uj.sum()
    if rho <= ratio.min():  # everyone can pay in proportion: the common case
        return float(rho)
    order = np.argsort(ratio, kind="stable")
    r, bs, us = ratio[order], bj[order], uj[order]
    paid_before = np.concatenate(([0.0], np.cumsum(bs)[:-1]))
    u_after = np.cumsum(us[::-1])[::-1]
    cand = (c - paid_before) / u_after
    ok = np.flatnonzero(cand <= r)
    return float(cand[ok[0]]) if ok.size else float(r[-1])


def _pay(prof: Profile, b: np.ndarray, uj: np.ndarray, j: int, rho: float) -> Payment:
    idx = prof.supporters[j]
    have = b[idx]
    pay = np.minimum(have, rho * uj) if prof.cost[j] > 0 else np.zeros(len(idx))
    b[idx] = np.maximum(have - pay, 0.0)
    payers = pay > 0
    exhausted = int(np.count_nonzero(payers & (pay >= have * (1 - 1e-12))))
    return _summary(prof.ids[j], rho, pay[payers], exhausted)


def _summary(project: str, price: float, pay: np.ndarray, exhausted: int) -> Payment:
    if pay.size == 0:
        return Payment(project, float(price), 0, 0.0, 0.0, 0.0, 0.0, exhausted)
    return Payment(
        project,
        float(price),
        int(pay.size),
        float(pay.sum()),
        float(pay.max()),
        float(pay.min()),
        float(pay.mean()),
        exhausted,
    )


def default_step(share: float) -> float:
    """One currency unit per voter (equalshares.net, pabutools' ``voter_budget_increment=1``) when
    the initial share is between 10 and 1,000 units (the Polish and Swiss votes: tens to hundreds
    of zloty or francs); otherwise the power of ten nearest to 1/100 of the share, so a budget
    written in millions (a share of 0.4) or a vote of half a million voters with a few units each
    neither takes one step for the whole share nor thousands of runs of the rule."""
    if share <= 0:
        return 1.0
    if 10 <= share <= 1_000:
        return 1.0
    return float(10 ** round(math.log10(share / 100)))


def mes_with_completion(
    prof: Profile,
    util: tuple[np.ndarray, ...],
    budget: float,
    rank: np.ndarray,
    tie_break: str,
    completion: str,
    step: float | None,
    max_steps: int,
) -> tuple[MesRun, float | None, list[str]]:
    """MES, raised by the add-one completion when ``completion`` asks for it. Returns the run kept,
    the step used (None without add-one) and notes.

    As the equalshares.net computation tool does it: start from the share rounded down to a
    whole ``step``, raise it by one step while the raised run still fits the budget and keep the
    last run that fits (``add1``, ``add1u``); ``add1e``/``add1eu`` also stop at the first run whose
    outcome is exhaustive (no supported project left out fits what remains), as the completion
    page of equalshares.net words it. When every project with a supporter fits the budget, the
    utilitarian completions (``add1u``, ``add1eu``) keep the raw run (their greedy fill buys the
    rest); ``add1``/``add1e`` raise the shares until every supported project is bought.
    """
    n = prof.voters
    share = budget / n if n else 0.0
    raw = equal_shares(prof, util, share, rank, tie_break)
    if not completion.startswith("add1") or n == 0:
        return raw, None, []
    supported = _supported(prof, util)
    everything = float(prof.cost[supported].sum()) <= budget * (1 + TOL)
    if everything and completion.endswith("u"):
        return raw, None, ["every supported project fits the budget: no add-one completion needed"]
    step = float(step) if step else default_step(share)
    stop_when_exhaustive = completion in ("add1e", "add1eu")
    k = math.floor(share / step + TOL)
    run = equal_shares(prof, util, round(k * step, 12), rank, tie_break)
    notes: list[str] = []
    for taken in range(max_steps + 1):
        if stop_when_exhaustive and _exhaustive(prof, supported, run.selected, budget):
            break
        if everything and len(run.selected) == int(np.count_nonzero(supported)):
            break  # every supported project bought: no higher share changes the outcome
        if taken == max_steps:
            notes.append(f"add-one completion stopped after {max_steps:,} steps")
            break
        k += 1
        if k * step > budget:  # one voter alone could pay the whole budget: nothing more to gain
            break
        nxt = equal_shares(prof, util, round(k * step, 12), rank, tie_break)
        if nxt.cost > budget * (1 + TOL):
            break
        run = nxt
    return run, step, notes


def _supported(prof: Profile, util: tuple[np.ndarray, ...]) -> np.ndarray:
    """Projects the rule can buy: some utility for someone, or free and voted for (a project that
    costs nothing is bought first, nobody paying; its cost utility would be 0)."""
    total_u = np.array([u.sum() for u in util])
    voted = np.array([len(s) > 0 for s in prof.supporters], dtype=bool)
    return voted & ((total_u > 0) | (prof.cost <= 0))


def _exhaustive(prof: Profile, supported: np.ndarray, selected: tuple[int, ...], budget: float) -> bool:
    """No supported project left out fits what the selection leaves (unsupported ones never count)."""
    left = budget - (float(prof.cost[list(selected)].sum()) if selected else 0.0)
    out = np.ones(len(prof.cost), dtype=bool)
    out[list(selected)] = False
    fits = out & supported & (prof.cost <= left + TOL * max(budget, 1.0))
    return not bool(fits.any())


def utilitarian_fill(
    prof: Profile,
    util: tuple[np.ndarray, ...],
    selected: tuple[int, ...],
    budget: float,
    rank: np.ndarray,
    tie_break: str,
    stage: str = "completion",
) -> tuple[list[int], list[Tie]]:
    """Add, by total utility per unit of cost (highest first), every supported project that still
    fits. With cost utilities that is by votes; ties by ``rank``. Returns the added and the ties."""
    total_u = np.array([u.sum() for u in util])
    value = np.where(prof.cost > 0, total_u / np.where(prof.cost > 0, prof.cost, 1.0), np.inf)
    chosen = set(selected)
    buyable = _supported(prof, util)
    cand = [j for j in range(len(prof.cost)) if j not in chosen and buyable[j]]
    return greedy_pass(
        prof,
        cand,
        value,
        budget,
        float(prof.cost[list(selected)].sum()),
        rank,
        tie_break,
        stage,
        len(selected),
    )


def greedy_pass(
    prof: Profile,
    cand: list[int],
    value: np.ndarray,
    budget: float,
    spent: float,
    rank: np.ndarray,
    tie_break: str,
    stage: str,
    before: int,
) -> tuple[list[int], list[Tie]]:
    """Go through ``cand`` by ``value`` (highest first; ties by ``rank``) and take what fits.

    A tie is reported when the order within a group of equal value decided: a project of the
    group was left out that would have fitted had it come first.
    """
    cand = sorted(cand, key=lambda j: (-value[j], rank[j]))
    added: list[int] = []
    ties: list[Tie] = []
    limit = budget * (1 + 1e-12)
    groups: list[list[int]] = []
    for j in cand:
        if groups and _same(value[groups[-1][0]], value[j]):
            groups[-1].append(j)
        else:
            groups.append([j])
    for group in groups:
        at_start = spent
        taken = []
        for j in group:
            if spent + prof.cost[j] <= limit:
                spent += float(prof.cost[j])
                added.append(j)
                taken.append(j)
        # the order decided when a project of the group was left out that would have fitted had
        # it come first
        lost = [j for j in group if j not in taken and at_start + prof.cost[j] <= limit]
        if taken and lost:
            win = taken[0]
            why = prof.tie_reason(win, lost, tie_break)
            step = before + added.index(win) + 1
            ties.append(Tie(step, stage, tuple(prof.ids[j] for j in group), prof.ids[win], why))
    return added, ties


def _same(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= TOL * max(abs(a), abs(b), 1e-300)
