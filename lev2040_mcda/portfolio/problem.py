"""The portfolio problem: a case's measures, values, limits and rules as plain arrays
(:class:`PortfolioProblem`), what a solve returns (:class:`Solution`), and the error when no portfolio
exists (:class:`InfeasiblePortfolio`).

The problem knows nothing of PuLP: the model (:mod:`lev2040_mcda.portfolio.model`) is built from it,
and a selection's value is computed from it (:meth:`PortfolioProblem.value`), so every stage that
scores a portfolio counts the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..case import Case, district_and_parents, magnitude_problem
from ..errors import InputError, McdaError, Problem, did_you_mean
from .equity import set_equity

__all__ = ["PortfolioProblem", "Protection", "Solution", "InfeasiblePortfolio", "build_problem", "protection"]


class InfeasiblePortfolio(McdaError):
    """No portfolio satisfies the constraints; the message says why in terms of the case.

    ``reasons`` are the message's points one by one, ``status`` is ``infeasible`` (proven) or
    ``not solved`` (a time limit stopped the solver first)."""

    exit_code = 3

    def __init__(self, message: str, reasons: list[str] | None = None, status: str = "infeasible"):
        super().__init__(message)
        self.reasons = list(reasons) if reasons is not None else [message]
        self.status = status


@dataclass(frozen=True)
class Protection:
    """A resource limit protected against overruns (Bertsimas & Sim 2004, "The price of
    robustness", Oper. Res. 52(1), 35-53): the row holds when any ``gamma`` of the measures use
    their nominal amount plus ``deviation`` (the high end of the estimate less the nominal; 0 for
    an exact one) at once, the others their nominal amount; a fractional ``gamma`` lets one more
    overrun by that fraction."""

    deviation: np.ndarray
    gamma: float


def protection(deviations: np.ndarray, gamma: float) -> float:
    """What a selection must keep in reserve under :class:`Protection`: the ``floor(gamma)``
    largest of its ``deviations`` and the fraction ``gamma - floor(gamma)`` of the next one.

    >>> protection(np.array([1.0, 5.0, 3.0]), 1.5)
    6.5
    """
    d = np.sort(np.asarray(deviations, dtype=float))[::-1]
    k = int(np.floor(gamma))
    frac = gamma - k
    return float(d[:k].sum() + (frac * d[k] if k < len(d) else 0.0))


@dataclass
class PortfolioProblem:
    """Everything the model needs, as plain arrays over the measures (index i)."""

    ids: list[str]
    names: list[str]
    values: np.ndarray
    resources: dict[str, np.ndarray]
    limits: dict[str, float | None]
    requires: list[tuple[int, int]]
    excludes: list[tuple[int, int]]
    mandatory: set[int]
    include: set[int]
    exclude: set[int]
    pairs: list[tuple[int, int, float]]
    district_members: dict[str, list[int]] = field(default_factory=dict)
    balance_min_measures: int = 0
    balance_min_share: dict[str, float] = field(default_factory=dict)
    goal_members: dict[str, list[int]] = field(default_factory=dict)
    coverage_min: int = 0
    objective: str = ""
    units: dict[str, str | None] = field(default_factory=dict)
    periods: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    pair_weights: list[float] = field(default_factory=list)  # signed strength x interaction_weight
    protect: dict[str, Protection] = field(default_factory=dict)  # robust limits (resource -> ...)
    # equity across districts (:mod:`~lev2040_mcda.portfolio.equity`): the measures counting for
    # each listed district, its residents, the least benefit per resident (x the listed districts'
    # average) and the least share of each resource (x the district's population share)
    equity_members: dict[str, list[int]] = field(default_factory=dict)
    populations: dict[str, float] = field(default_factory=dict)
    equity_min_benefit: float = 0.0
    equity_min_budget: dict[str, float] = field(default_factory=dict)

    def set_values(self, values: np.ndarray) -> None:
        """New measure values, with the pair terms that follow from them."""
        self.values = np.asarray(values, dtype=float)
        self.pairs = [
            (i, j, w * (abs(self.values[i]) + abs(self.values[j])) / 2)
            for (i, j, _), w in zip(self.pairs, self.pair_weights)
        ]

    def value(self, selected) -> float:
        """The value of a selection, computed from the data: its measures' values plus the terms
        of its pairs."""
        chosen = set(selected)
        total = float(self.values[sorted(chosen)].sum()) if chosen else 0.0
        return total + sum(float(b) for i, j, b in self._pairs_within(chosen))

    def value_parts(self, selected) -> dict[str, float]:
        """:meth:`value` split: the measures' own values, the synergies (> 0) and the conflicts
        (< 0) of the selected pairs."""
        chosen = set(selected)
        terms = [b for _, _, b in self._pairs_within(chosen)]
        return {
            "measures": float(self.values[sorted(chosen)].sum()) if chosen else 0.0,
            "synergies": float(sum(b for b in terms if b > 0)),
            "conflicts": float(sum(b for b in terms if b < 0)),
        }

    def reserve(self, selected, resource: str) -> float:
        """What the selection keeps of ``resource``'s limit for overruns (0 without protection)."""
        guard = self.protect.get(resource)
        if guard is None or guard.gamma <= 0:
            return 0.0
        return protection(guard.deviation[sorted(set(selected))], guard.gamma)

    def _pairs_within(self, chosen: set[int]) -> list[tuple[int, int, float]]:
        return [(i, j, b) for i, j, b in self.pairs if i in chosen and j in chosen]

    @property
    def forced(self) -> set[int]:
        """Mandatory and included measures with everything they require (transitively)."""
        needs: dict[int, list[int]] = {}
        for i, j in self.requires:
            needs.setdefault(i, []).append(j)
        out: set[int] = set()
        stack = list(self.mandatory | self.include)
        while stack:
            i = stack.pop()
            if i not in out:
                out.add(i)
                stack += needs.get(i, [])
        return out


@dataclass
class Solution:
    status: str  # optimal | feasible (not proven) | infeasible | not solved
    objective: float | None
    selected: list[int]
    solver: str
    proven: bool
    start: dict[int, int] = field(default_factory=dict)  # measure -> period index (with periods)
    bound: float | None = None  # the solver's proven upper bound on the value (None: unknown)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def gap(self) -> float | None:
        """Proven relative gap ``(bound - value) / |value|``: 0 when optimal, how far at most a
        stopped solve may be from the optimum, None when the solver gave no bound."""
        if self.proven and self.status == "optimal":
            return 0.0
        if self.bound is None or self.objective is None or abs(self.objective) < 1e-9:
            return None  # no relative gap to a value of 0
        return max(self.bound - self.objective, 0.0) / abs(self.objective)


# -- building the problem from a case ---------------------------------------------------------


def build_problem(
    case: Case,
    values: np.ndarray,
    objective: str,
    limits: dict[str, float] | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    coverage: int | None = None,
    pairs: list[tuple[str, str, float]] | None = None,
    *,
    min_benefit_per_resident: float | None = None,
    min_budget_share: Mapping[str, float] | None = None,
) -> PortfolioProblem:
    """The portfolio problem of ``case`` (already in its scenario) with measure values ``values``.

    ``pairs`` are signed measure interactions ``(a, b, strength * sign)``; by default the case's
    measure-measure interactions. ``min_benefit_per_resident`` and ``min_budget_share`` (resource
    -> share) override case.yaml's equity rules (:func:`~lev2040_mcda.portfolio.equity.set_equity`).
    """
    ids = [m.id for m in case.measures]
    index = {mid: i for i, mid in enumerate(ids)}
    for flag, wanted in (("--include", include), ("--exclude", exclude)):
        for mid in wanted:
            if mid not in index:
                raise InputError(Problem(flag, f"unknown measure {mid!r}{did_you_mean(mid, ids)}"))
    res_ids = list(case.resources)
    resources = {
        r: np.array([m.resources.get(r, m.performance.get(r, 0.0)) for m in case.measures]) for r in res_ids
    }
    lim = {r: case.resources[r].limit for r in res_ids}
    for r, v in (limits or {}).items():
        if r not in lim:
            raise InputError(
                Problem(
                    "--limit",
                    f"unknown resource {r!r} (expected one of {', '.join(res_ids) or 'none'})"
                    + did_you_mean(r, res_ids),
                )
            )
        reason = magnitude_problem(v)  # the range of every number read (case.cells): inf, nan, 1e308
        if reason is not None:
            raise InputError(Problem("--limit", f"{r}={v!r} {reason}"))
        lim[r] = v
    settings = case.config.portfolio
    if pairs is None:
        pairs = [
            (it.source, it.target, it.strength * (1 if it.effect == "synergy" else -1))
            for it in case.interactions
            if it.level == "measure"
        ]
    scale = settings.interaction_weight
    weighted = [
        (index[a], index[b], s * scale) for a, b, s in pairs if a in index and b in index and s * scale != 0
    ]
    prob = PortfolioProblem(
        ids=ids,
        names=[m.name for m in case.measures],
        values=np.asarray(values, dtype=float),
        resources=resources,
        limits=lim,
        requires=[(index[m.id], index[r]) for m in case.measures for r in m.requires],
        excludes=[(index[m.id], index[e]) for m in case.measures for e in m.excludes],
        mandatory={index[m.id] for m in case.measures if m.mandatory},
        include={index[i] for i in include},
        exclude={index[e] for e in exclude},
        pairs=[(i, j, w * (abs(values[i]) + abs(values[j])) / 2) for i, j, w in weighted],
        pair_weights=[w for _, _, w in weighted],
        objective=objective,
        units={r: case.resources[r].unit for r in res_ids},
        periods=[(pd.id, dict(pd.limits)) for pd in case.config.periods],
    )
    if settings.balance is not None:
        parent = {d.id: d.parent for d in case.config.districts}
        for d in settings.balance.districts:
            prob.district_members[d] = [
                i for i, m in enumerate(case.measures) if d in district_and_parents(m.district, parent)
            ]
        prob.balance_min_measures = settings.balance.min_measures
        prob.balance_min_share = dict(settings.balance.min_share)
    cov = settings.coverage
    k = coverage if coverage is not None else (cov.min_measures if cov is not None else 0)
    if k > 0:
        goals = cov.goals if cov is not None and cov.goals is not None else [g.id for g in case.goals]
        prob.goal_members = {g: [i for i, m in enumerate(case.measures) if g in m.goals] for g in goals}
        prob.coverage_min = k
    set_equity(prob, case, min_benefit_per_resident, min_budget_share)
    return prob
