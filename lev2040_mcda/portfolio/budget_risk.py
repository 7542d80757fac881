"""What the uncertain estimates do to a budget: the probability that a portfolio stays within each
limit when its costs are drawn from their ranges (:func:`budget_risk`), and a robust budget that
holds with a chosen probability (:func:`robust_budget`).

**Budget risk.** Every number in measures.csv is an estimate; uncertainty.csv gives some of them a
range (:mod:`lev2040_mcda.case.estimates`). For a selection and a limited resource, the sum of the
selected measures' amounts is drawn ``samples`` times (:func:`~lev2040_mcda.ranking.sample_cells`,
seeded by ``seed`` alone; estimates of one ``group`` move together, the others independently;
an amount without a range is taken as it is): the share of draws within the limit, the mean and
the 50/90/95 % quantiles of the sum.

**Robust budget.** Following Bertsimas & Sim (2004), "The price of robustness", *Oper. Res.* 52(1),
35-53, a limit ``sum c_i x_i <= B`` becomes ``sum c_i x_i + gamma z + sum p_i <= B`` with
``z + p_i >= d_i x_i`` and ``z, p_i >= 0``: ``c_i`` the nominal amount, ``d_i`` its overrun to the
high end of its range (only overruns matter against a limit), so the portfolio keeps a reserve for
any ``gamma`` of its measures overrunning at once (:class:`~lev2040_mcda.portfolio.problem.Protection`).
``gamma`` runs over 0 .. n (n: the measures with a range on the resource); the least one whose
optimal portfolio holds the limit with sampled probability at least the ``confidence`` asked for is
found by search (a handful of solves, deterministic): doubling from 1 until one reaches it (the
gamma needed is mostly small, and a large one the slowest to solve), then bisection over the whole
numbers, then halvings between the last two, to an eighth (:data:`FRACTIONS`; gamma 1.5 keeps room
for one measure's whole overrun and half of another's), the probability checked by
:func:`budget_risk` with the same seed. Why this and not a chance constraint over the samples (one
binary per sample): the model stays one small MIP (n + 1 continuous variables and n rows per limit)
whatever the number of samples, ``gamma`` reads plainly ("up to 3 measures overrun at once"), and
the probability is still the sampled one, correlation groups included. The probability need not
grow strictly with ``gamma`` (each ``gamma`` has its own optimal portfolio): the search returns a
``gamma`` whose portfolio reaches the confidence, and at most an eighth below it one whose
portfolio does not. With several protected limits each is held with the confidence on its own (not jointly): each
``gamma`` is raised in turn, in the case's order of resources, until every limit's probability is
reached.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..case import Case, apply_scenario
from ..errors import InputError, Problem
from .model import PortfolioModel
from .problem import InfeasiblePortfolio, PortfolioProblem, Protection, Solution

__all__ = ["budget_risk", "robust_budget", "BudgetUnreachable", "uncertain_limits", "SAMPLES"]

SAMPLES = 10_000
"""Draws of the estimates behind a budget's probability (its standard error is at most 0.005)."""
CHUNK = 1 << 22
"""Values drawn at once (32 MB): the draws go in blocks of ``CHUNK // cells`` samples, so the memory
stays small for large cases; the cells of a group are comonotone within a block (all of them up to
4 million values)."""
FRACTIONS = 3
"""Halvings of gamma below a whole number: it is found to 1/8 of a measure's overrun."""
_TOL = 1e-9  # a sum equal to the limit (to rounding) is within it


class BudgetUnreachable(InfeasiblePortfolio):
    """``--budget-confidence`` asks for a probability that no protection of the limit reaches
    (an option the case cannot satisfy: exit code 2)."""

    exit_code = 2


def _amounts(case: Case, r: str) -> np.ndarray:
    """Every measure's amount of resource ``r`` as the portfolio reads it."""
    return np.array([m.resources.get(r, m.performance.get(r, 0.0)) for m in case.measures], dtype=float)


def uncertain_limits(case: Case, limits: dict[str, float | None] | None = None) -> list[str]:
    """The limited resources (``limits`` over the case's own) whose amounts have a range, in the
    case's order."""
    lim = {r: res.limit for r, res in case.resources.items()} | dict(limits or {})
    with_range = {e.column for e in case.uncertainty.on(case.resources)}
    return [r for r in case.resources if lim.get(r) is not None and r in with_range]


class _Draws:
    """The sampled estimates of some resources, summed over selections (the same draws for every
    selection: a seed gives one set of draws)."""

    def __init__(self, case: Case, resources: list[str], samples: int, seed: int, scenario: str | None):
        from ..ranking import estimate_model

        self.case_s = apply_scenario(case, scenario)
        self.model = estimate_model(case, resources, scenario)
        self.resources, self.samples, self.seed = list(resources), int(samples), int(seed)
        self.amounts = {r: _amounts(self.case_s, r) for r in resources}

    def cells(self, r: str) -> np.ndarray:
        """The model's cells of resource ``r`` (index into its cells)."""
        return np.flatnonzero(self.model.cols == self.resources.index(r))

    def deviation(self, r: str) -> np.ndarray:
        """Each measure's overrun to the high end of its range on ``r`` (0 without a range)."""
        d = np.zeros(len(self.case_s.measures))
        k = self.cells(r)
        d[self.model.rows[k]] = np.maximum(self.model.high[k] - self.model.value[k], 0.0)
        return d

    def totals(self, selected) -> dict[str, tuple[np.ndarray, int]]:
        """Per resource, the drawn sums of the selection and how many of its amounts have a range."""
        from ..ranking import sample_cells

        chosen = np.zeros(len(self.case_s.measures), dtype=bool)
        chosen[list(selected)] = True
        picks, exact = {}, {}
        for r in self.resources:
            k = self.cells(r)
            k = k[chosen[self.model.rows[k]]]
            picks[r] = k
            ranged = np.zeros_like(chosen)
            ranged[self.model.rows[k]] = True
            exact[r] = float(self.amounts[r][chosen & ~ranged].sum())
        out = {r: np.full(self.samples, exact[r]) for r in self.resources}
        if self.model.size and any(len(k) for k in picks.values()):
            rng = np.random.default_rng(self.seed)
            block = max(1, CHUNK // self.model.size)
            for start in range(0, self.samples, block):
                m = min(block, self.samples - start)
                drawn = sample_cells(self.model, rng, m)
                for r, k in picks.items():
                    out[r][start : start + m] += drawn[:, k].sum(axis=1)
        return {r: (out[r], len(picks[r])) for r in self.resources}

    def risk(self, selected, limits: dict[str, float | None]) -> dict[str, dict[str, Any]]:
        """:func:`budget_risk`'s entries for the selection."""
        out = {}
        for r, (tot, n) in self.totals(selected).items():
            if not n:
                continue
            lim = float(limits[r])
            p50, p90, p95 = (float(v) for v in np.quantile(tot, [0.5, 0.9, 0.95]))
            out[r] = {
                "limit": lim,
                "nominal": float(self.amounts[r][sorted(set(selected))].sum()) if len(selected) else 0.0,
                "probability_within": float(np.mean(tot <= lim + _TOL * max(1.0, abs(lim)))),
                "mean": float(tot.mean()),
                "p50": p50,
                "p90": p90,
                "p95": p95,
                "samples": self.samples,
                "seed": self.seed,
                "unit": self.case_s.resources[r].unit,
                "uncertain": n,
            }
        return out


def budget_risk(
    case: Case,
    selected: list[int],
    *,
    samples: int = SAMPLES,
    seed: int = 2040,
    scenario: str | None = None,
    limits: dict[str, float | None] | None = None,
) -> dict[str, dict]:
    """The probability that the measures ``selected`` (indices into ``case.measures``) stay within
    each limit when their amounts are drawn from uncertainty.csv's ranges.

    One entry per limited resource (``limits`` override the case's, as ``--limit`` does; in a
    scenario its limits and ranges) on which a selected measure has a range: ``limit``,
    ``nominal`` (the selection's sum of the numbers in measures.csv), ``probability_within`` (the
    share of the ``samples`` draws whose sum is at most the limit), ``mean``, ``p50``, ``p90``,
    ``p95`` of the sum, ``samples``, ``seed``, ``unit`` and ``uncertain`` (how many of the
    selection's amounts have a range). ``{}`` when none has.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> budget_risk(load_case("cases/tiny"), [0, 1])  # tiny has no uncertainty.csv
    {}
    """
    if samples < 1:
        raise InputError(Problem("samples", f"{samples} draws: at least 1 is needed"))
    case_s = apply_scenario(case, scenario)
    lim = {r: res.limit for r, res in case_s.resources.items()} | dict(limits or {})
    resources = uncertain_limits(case, lim)
    if not resources:
        return {}
    return _Draws(case, resources, samples, seed, scenario).risk(selected, lim)


def robust_budget(
    case: Case,
    problem: PortfolioProblem,
    nominal: Solution,
    confidence: float,
    *,
    solver: str = "cbc",
    time_limit: float | None = None,
    samples: int = SAMPLES,
    seed: int = 2040,
    scenario: str | None = None,
) -> tuple[PortfolioModel, Solution, list[dict[str, Any]]]:
    """The portfolio of ``problem`` whose every limit with uncertain amounts holds with sampled
    probability at least ``confidence``, by a Bertsimas-Sim reserve of the least ``gamma`` found
    (see the module's text). ``nominal`` is the problem's optimum without reserve.

    Returns the model with the reserve rows (the problem's :attr:`~PortfolioProblem.protect` set),
    its solution, and one entry per protected resource: ``confidence``, ``resource``, ``gamma``,
    ``uncertain`` (the measures with a range: gamma's largest value), ``achieved`` (the sampled
    probability), ``samples``, ``seed``, ``nominal_limit``, ``used`` (nominal), ``reserve`` (what
    the portfolio keeps for overruns) and ``value_cost`` (the value given up against ``nominal``).

    Raises :class:`BudgetUnreachable` when even the full reserve (every measure at its high end)
    does not reach ``confidence``, naming the best probability reached; an :class:`InputError`
    when ``confidence`` is not in (0, 1) or no limited resource has a range.
    """
    if not 0 < confidence < 1:
        raise InputError(Problem("--budget-confidence", f"{confidence!r} is not a probability in (0, 1)"))
    resources = uncertain_limits(case, problem.limits)
    if not resources:
        raise InputError(
            Problem(
                "--budget-confidence",
                "no limited resource has a range in uncertainty.csv: there is no overrun to protect against",
            )
        )
    draws = _Draws(case, resources, samples, seed, scenario)
    dev = {r: draws.deviation(r) for r in resources}
    count = {r: int(np.count_nonzero(dev[r] > 0)) for r in resources}
    solved: dict[tuple[int, ...], tuple[PortfolioModel, Solution, dict[str, float]] | None] = {}

    def solve(gamma: dict[str, float]):
        key = tuple(gamma[r] for r in resources)
        if key not in solved:
            guard = {r: Protection(dev[r], float(g)) for r, g in gamma.items() if g > 0}
            model = PortfolioModel(replace(problem, protect=guard), solver, time_limit)
            sol = model.solve()
            if sol.ok:
                risk = draws.risk(sol.selected, problem.limits)
                probs = {r: risk[r]["probability_within"] if r in risk else 1.0 for r in resources}
                solved[key] = (model, sol, probs)
            elif sol.status == "infeasible":
                solved[key] = None
            else:
                within = f" within the time limit of {time_limit:g} s" if time_limit is not None else ""
                raise InfeasiblePortfolio(
                    f"the solver found no portfolio with the robust budget{within}, and did not prove "
                    "that none exists; try a longer --time-limit",
                    status=sol.status,
                )
        return solved[key]

    gamma = dict.fromkeys(resources, 0.0)
    current = solve(gamma)
    assert current is not None  # gamma 0 is the nominal problem, solved before
    while True:
        short = [r for r in resources if current[2][r] < confidence]
        if not short:
            break
        r = short[0]

        def reaches(g: float, r: str = r):
            got = solve(gamma | {r: g})
            return got if got is not None and got[2][r] >= confidence else None

        # up from below, doubling (1, 2, 4, ... n): the gamma needed is mostly small, and a large
        # one is the slowest to solve
        lo, n, top = gamma[r], float(count[r]), None
        g = 1.0
        while top is None and lo < n:
            while g <= lo:
                g *= 2
            g = min(g, n)
            top = reaches(g)
            if top is None:
                lo = g
        if top is None:
            seen = [got[2][r] for got in solved.values() if got is not None]
            fits = solve(gamma | {r: n}) is not None
            raise _unreachable(case, r, confidence, n, problem.limits[r], max(seen), fits)
        hi = g
        halvings = 0
        while True:  # whole numbers while more than one apart, then FRACTIONS halvings
            if hi - lo > 1:
                mid = float(math.floor((lo + hi) / 2))
                mid = mid if lo < mid < hi else (lo + hi) / 2  # lo a fraction from an earlier pass
            elif halvings < FRACTIONS:
                mid, halvings = (lo + hi) / 2, halvings + 1
            else:
                break
            got = reaches(mid)
            if got is not None:
                hi, top = mid, got
            else:
                lo = mid
        gamma[r], current = hi, top
    model, sol, probs = current
    model.solves = len(solved)  # every solve of the search (each gamma once) counts
    cost = nominal.objective - sol.objective if nominal.objective is not None else None
    entries = [
        {
            "confidence": confidence,
            "resource": r,
            "gamma": gamma[r],
            "uncertain": count[r],
            "achieved": probs[r],
            "samples": draws.samples,
            "seed": draws.seed,
            "nominal_limit": float(problem.limits[r]),
            "used": float(problem.resources[r][sol.selected].sum()) if sol.selected else 0.0,
            "reserve": model.p.reserve(sol.selected, r),
            "value_cost": cost,
        }
        for r in resources
    ]
    return model, sol, entries


def _unreachable(
    case: Case, r: str, confidence: float, n: float, limit: float, best: float, fits: bool
) -> BudgetUnreachable:
    """The error when the full reserve on ``r`` (``n`` overruns at once) does not reach the
    confidence: its tails go beyond the high ends (normal ranges), or it leaves no portfolio."""
    unit = case.resources[r].unit
    within = f"{limit:g}" + (f" {unit}" if unit else "")
    every = f"every measure with a range on {r} overrunning at once (gamma = {n:g})"
    why = (
        f"even with a reserve for {every} the draws beyond the ranges' high ends exceed it"
        if fits
        else f"a reserve for {every} leaves no portfolio"
    )
    line = (
        f"--budget-confidence {confidence:g}: {r} cannot be held within {within} with probability "
        f"{confidence:g}: {why}; the best probability reached is {best:.3g}"
    )
    return BudgetUnreachable(line, [line], status="infeasible")
