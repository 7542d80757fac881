"""The best portfolio of measures within the case's limits (PuLP), explained.

Model: one binary ``x_i`` per measure. Maximise ``sum v_i x_i + sum b_ij y_ij`` where ``v`` is each
measure's value (its MCDM score rescaled to [0, 1], higher better, or any numeric column) and
``b_ij`` the bonus (synergy, > 0) or penalty (conflict, < 0) of a pair: ``b_ij = strength *
interaction_weight * (v_i + v_j) / 2``. Pair variables are linearised only in the direction the
sign needs (a bonus: ``y <= x_i``, ``y <= x_j``; a penalty: ``y >= x_i + x_j - 1``).
Constraints: every resource within its limit; ``requires`` (``x_i <= x_j``); ``excludes``
(``x_i + x_j <= 1``); mandatory and ``--include`` measures at 1, ``--exclude`` at 0; spatial balance
and goal coverage when case.yaml asks for them. Expressions are built with ``lpSum`` over
comprehensions. Re-solves for the explanations change variable bounds and constraint constants
of the one built model.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..case import Case, district_and_parents
from ..errors import InputError, McdaError, Problem

__all__ = [
    "PortfolioProblem",
    "PortfolioModel",
    "Solution",
    "InfeasiblePortfolio",
    "build_problem",
    "explain",
    "REASONS",
    "reason_text",
    "diagnose",
    "objective_terms",
    "add_constraints",
    "add_periods",
    "earliest_starts",
    "make_solver",
    "solver_bound",
    "quiet_stdout",
    "SOLVERS",
    "MIP_GAP",
]

SOLVERS = ("cbc", "highs")
MIP_GAP = 1e-9
"""Relative gap at which both solvers must stop: "optimal" means proven to this tolerance (HiGHS
would otherwise stop at its default 1e-4 and still say optimal)."""
_EPS = 1e-6


class InfeasiblePortfolio(McdaError):
    """No portfolio satisfies the constraints; the message says why in terms of the case.

    ``reasons`` are the message's points one by one, ``status`` is ``infeasible`` (proven) or
    ``not solved`` (a time limit stopped the solver first)."""

    exit_code = 3

    def __init__(self, message: str, reasons: list[str] | None = None, status: str = "infeasible"):
        super().__init__(message)
        self.reasons = list(reasons) if reasons is not None else [message]
        self.status = status


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

    def set_values(self, values: np.ndarray) -> None:
        """New measure values, with the pair terms that follow from them."""
        self.values = np.asarray(values, dtype=float)
        self.pairs = [
            (i, j, w * (self.values[i] + self.values[j]) / 2)
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
) -> PortfolioProblem:
    """The portfolio problem of ``case`` (already in its scenario) with measure values ``values``.

    ``pairs`` are signed measure interactions ``(a, b, strength * sign)``; by default the case's
    measure-measure interactions.
    """
    ids = [m.id for m in case.measures]
    index = {mid: i for i, mid in enumerate(ids)}
    for flag, wanted in (("--include", include), ("--exclude", exclude)):
        for mid in wanted:
            if mid not in index:
                raise InputError(Problem(flag, f"unknown measure {mid!r}"))
    res_ids = list(case.resources)
    resources = {
        r: np.array([m.resources.get(r, m.performance.get(r, 0.0)) for m in case.measures]) for r in res_ids
    }
    lim = {r: case.resources[r].limit for r in res_ids}
    for r, v in (limits or {}).items():
        if r not in lim:
            raise InputError(
                Problem("--limit", f"unknown resource {r!r} (expected one of {', '.join(res_ids) or 'none'})")
            )
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
        pairs=[(i, j, w * (values[i] + values[j]) / 2) for i, j, w in weighted],
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
    return prob


# -- the model --------------------------------------------------------------------------------


def make_solver(name: str, time_limit: float | None = None, log_path: str | None = None) -> Any:
    """The PuLP solver object every model of the engine uses: quiet, to the same proven gap.

    ``log_path`` (CBC only) keeps CBC's log, the one place it states its bound."""
    import pulp

    kw: dict[str, Any] = {"msg": False, "gapRel": MIP_GAP}
    if time_limit is not None:
        kw["timeLimit"] = time_limit
    if name == "highs":
        return pulp.HiGHS(**kw)
    # CBC skips any portfolio less than its cutoff increment (about 1e-5) better than the best one
    # so far, whatever the gap: a measure worth 1e-5 would be left out of a proven optimum
    return pulp.PULP_CBC_CMD(**kw, options=["increment 1e-9"], **({"logPath": log_path} if log_path else {}))


@contextlib.contextmanager
def _log_file(wanted: bool):
    """A temporary path for a solver log (None when not wanted), removed afterwards."""
    if not wanted:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="lev2040-") as tmp:
        yield os.path.join(tmp, "solver.log")


_CBC_BOUND = re.compile(r"^(?:Upper|Lower) bound:\s*(\S+)", re.MULTILINE)


def solver_bound(prob: Any, solver: str, log_path: str | None = None) -> float | None:
    """The best bound on the objective of ``prob`` that its last solve proved, in the problem's own
    sense (an upper bound when maximising); None when the solver did not state one.

    HiGHS keeps it in its info (PuLP hands HiGHS a maximisation negated); CBC only prints it, in the
    log it writes when stopped early ("Upper bound: ..." when maximising)."""
    import pulp

    sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
    if solver == "highs":
        model = getattr(prob, "solverModel", None)
        if model is None:
            return None
        bound = float(model.getInfo().mip_dual_bound)
        return sign * bound if np.isfinite(bound) else None
    if not log_path or not os.path.exists(log_path):
        return None
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        found = _CBC_BOUND.findall(fh.read())
    try:
        bound = float(found[-1]) if found else None
    except ValueError:
        return None
    if bound is None or not np.isfinite(bound):
        return None
    # CBC prints the bound rounded: widen it by half its last digit, so that it stays a bound
    digits = len(found[-1].split(".")[1]) if "." in found[-1] and "e" not in found[-1].lower() else 0
    half = 0.5 * 10.0**-digits if digits else 0.0
    return bound + half if prob.sense == pulp.LpMaximize else bound - half


@contextlib.contextmanager
def quiet_stdout():
    """HiGHS prints a banner on standard output even with msg=False; keep stdout for results."""
    try:
        fd = os.dup(1)
    except OSError:  # no real stdout (e.g. captured in tests): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)


def objective_terms(prob: Any, x: list, problem: PortfolioProblem, prefix: str = "") -> tuple[Any, list]:
    """The value expression of ``problem`` over the binaries ``x``, with its pair variables and
    their linking constraints added to ``prob`` (names prefixed, so several problems can share x)."""
    import pulp

    y = [pulp.LpVariable(f"{prefix}y_{k}", lowBound=0, upBound=1) for k in range(len(problem.pairs))]
    for k, (i, j, b) in enumerate(problem.pairs):
        # the form follows the pair's kind, not today's b: b may be 0 now and positive after
        # the values change (re-solves with new values keep these rows)
        kind = problem.pair_weights[k] if problem.pair_weights else b
        if kind > 0:
            prob += y[k] <= x[i], f"{prefix}bonus_{k}_a"
            prob += y[k] <= x[j], f"{prefix}bonus_{k}_b"
        else:
            prob += y[k] >= x[i] + x[j] - 1, f"{prefix}penalty_{k}"
    value = pulp.lpSum(float(v) * xi for v, xi in zip(problem.values, x)) + pulp.lpSum(
        float(b) * yk for (_, _, b), yk in zip(problem.pairs, y)
    )
    return value, y


def add_constraints(prob: Any, x: list, problem: PortfolioProblem, prefix: str = "") -> dict[str, str]:
    """Every constraint of ``problem`` on ``x``; returns the resource rows' names."""
    import pulp

    n = len(x)
    rows: dict[str, str] = {}
    # one row with every measure, so that a measure of value 0 in no other row still reaches the
    # solver (PuLP leaves out variables that appear nowhere, and then ignores their bounds)
    prob += pulp.lpSum(x) <= n, f"{prefix}count"
    for r, a in problem.resources.items():  # a row for every resource, so any can be limited
        limit = problem.limits[r] if problem.limits[r] is not None else float(a.sum()) + 1.0
        name = f"{prefix}limit_{r}"
        prob += pulp.lpSum(float(a[i]) * x[i] for i in range(n) if a[i] != 0) <= limit, name
        rows[r] = name
    for k, (i, j) in enumerate(problem.requires):
        prob += x[i] <= x[j], f"{prefix}requires_{k}"
    for k, (i, j) in enumerate(problem.excludes):
        prob += x[i] + x[j] <= 1, f"{prefix}excludes_{k}"
    for d, members in problem.district_members.items():
        if problem.balance_min_measures:
            prob += pulp.lpSum(x[i] for i in members) >= problem.balance_min_measures, f"{prefix}balance_{d}"
        for r, share in problem.balance_min_share.items():
            a = problem.resources[r]
            prob += (
                (
                    pulp.lpSum(float(a[i]) * x[i] for i in members)
                    >= share * pulp.lpSum(float(a[i]) * x[i] for i in range(n))
                ),
                f"{prefix}balance_{d}_{r}",
            )
    for g, members in problem.goal_members.items():
        prob += pulp.lpSum(x[i] for i in members) >= problem.coverage_min, f"{prefix}cover_{g}"
    return rows


def add_periods(prob: Any, x: list, problem: PortfolioProblem, prefix: str = "") -> list[list[Any]]:
    """Start-period variables: each selected measure starts in one period, within its limits, and
    what is required starts no later."""
    import pulp

    if not problem.periods:
        return []
    n, T = len(x), len(problem.periods)
    z = [[pulp.LpVariable(f"{prefix}z_{i}_{t}", cat="Binary") for t in range(T)] for i in range(n)]
    for i in range(n):
        prob += pulp.lpSum(z[i]) == x[i], f"{prefix}start_{i}"
    for t, (pid, lims) in enumerate(problem.periods):
        for r, v in lims.items():
            a = problem.resources[r]
            prob += (
                pulp.lpSum(float(a[i]) * z[i][t] for i in range(n) if a[i] != 0) <= v,
                f"{prefix}period_{pid}_{r}",
            )
    for k, (i, j) in enumerate(problem.requires):
        for t in range(T):
            prob += pulp.lpSum(z[i][: t + 1]) <= pulp.lpSum(z[j][: t + 1]), f"{prefix}order_{k}_{t}"
    return z


class PortfolioModel:
    """The PuLP model of a :class:`PortfolioProblem`, built once and re-solved with changes."""

    def __init__(self, problem: PortfolioProblem, solver: str = "cbc", time_limit: float | None = None):
        import pulp

        if solver not in SOLVERS:
            raise InputError(Problem("--solver", f"unknown solver {solver!r} (expected cbc or highs)"))
        self.p = problem
        self.solver_name = solver
        self.time_limit = time_limit
        prob = pulp.LpProblem("portfolio", pulp.LpMaximize)
        x = [pulp.LpVariable(f"x_{i}", cat="Binary") for i in range(len(problem.ids))]
        value, y = objective_terms(prob, x, problem)
        prob += value, "value"
        self.resource_rows = add_constraints(prob, x, problem)
        self.z = add_periods(prob, x, problem)
        self.prob, self.x, self.y = prob, x, y
        self.solves = 0
        self._reset_bounds()

    def _reset_bounds(self) -> None:
        for i, xi in enumerate(self.x):
            lo = 1 if (i in self.p.mandatory or i in self.p.include) else 0
            hi = 0 if i in self.p.exclude else 1
            xi.lowBound, xi.upBound = lo, hi

    def least(self, resource: str) -> float | None:
        """The least of ``resource`` that any portfolio satisfying every rule needs (forced
        measures, balance, coverage, ...); ``None`` when no portfolio exists."""
        import pulp

        a = self.p.resources[resource]
        if not np.any(a != 0):  # nothing to minimise (CBC refuses an empty objective)
            return 0.0 if self.solve().ok else None
        value = self.prob.objective
        self.prob.sense = pulp.LpMinimize
        self.prob.setObjective(pulp.lpSum(float(a[i]) * xi for i, xi in enumerate(self.x) if a[i] != 0))
        try:
            sol = self.solve()
        finally:
            self.prob.sense = pulp.LpMaximize
            self.prob.setObjective(value)
        return float(a[sol.selected].sum()) if sol.ok else None

    def solve(self, fix: dict[int, int] | None = None, limits: dict[str, float] | None = None) -> Solution:
        """Solve, with some measures fixed (``{i: 0 or 1}``) and some limits changed, then undo."""
        import pulp

        fix = fix or {}
        saved = {}
        for r, v in (limits or {}).items():
            row = self.prob.constraints[self.resource_rows[r]]
            saved[r] = row.constant
            row.constant = -v
        for i, v in fix.items():
            self.x[i].lowBound = self.x[i].upBound = v
        try:
            if any(xi.lowBound > xi.upBound for xi in self.x):  # forced in and out at once
                return Solution("infeasible", None, [], self.solver_name, True)
            # a solve that can stop early keeps CBC's log: it states the proven bound
            keep_log = self.time_limit is not None and self.solver_name == "cbc"
            with quiet_stdout(), _log_file(keep_log) as log:
                self.prob.solve(make_solver(self.solver_name, self.time_limit, log))
                bound = solver_bound(self.prob, self.solver_name, log)
            self.solves += 1
            status = pulp.LpStatus[self.prob.status]
            sol = self.prob.sol_status
            if status == "Optimal" and sol == pulp.LpSolutionOptimal:
                kind, proven = "optimal", True
            elif (sol == pulp.LpSolutionIntegerFeasible or status == "Not Solved") and self._holds():
                kind, proven = "feasible", False
            elif status == "Infeasible" or sol == pulp.LpSolutionInfeasible:
                kind, proven = "infeasible", True
            else:
                kind, proven = "not solved", False
            if kind in ("optimal", "feasible"):
                selected = [i for i, xi in enumerate(self.x) if (xi.value() or 0) > 0.5]
                start = (
                    {
                        i: next(t for t, zt in enumerate(self.z[i]) if (zt.value() or 0) > 0.5)
                        for i in selected
                    }
                    if self.z
                    else {}
                )
                return Solution(
                    kind,
                    self.p.value(selected),
                    selected,
                    self.solver_name,
                    proven,
                    start,
                    bound if kind == "feasible" else None,
                )
            return Solution(kind, None, [], self.solver_name, proven)
        finally:
            for r, c in saved.items():
                self.prob.constraints[self.resource_rows[r]].constant = c
            self._reset_bounds()

    def _holds(self) -> bool:
        """Whether the values a stopped solver left are a portfolio: whole numbers that satisfy
        every constraint (CBC stopped early may leave a relaxation's values, or none)."""
        whole = [v.value() for v in self.x + [zt for zi in self.z for zt in zi]]
        if any(v is None or min(abs(v), abs(v - 1)) > 1e-6 for v in whole):
            return False
        return bool(self.prob.valid(eps=1e-6))


def earliest_starts(
    problem: PortfolioProblem, selected: list[int], solver: str = "cbc", time_limit: float | None = None
) -> dict[int, int]:
    """A start period for each selected measure, as early as the period limits and the
    requires order allow (minimising the sum of start periods; where the limits force a choice,
    the measure of higher value starts first). The portfolio's own solve leaves the starts to
    chance among equally good schedules; this makes them the planner's natural reading and the
    same for every solver. Within ``time_limit`` the best schedule found is taken; ``{}`` when
    none is (the caller keeps the portfolio's own starts)."""
    import pulp

    if not problem.periods or not selected:
        return {}
    T = len(problem.periods)
    chosen = sorted(selected)
    prob = pulp.LpProblem("starts", pulp.LpMinimize)
    # the portfolio model's own period rules, with the selection fixed
    fixed = set(chosen)
    z = add_periods(prob, [int(i in fixed) for i in range(len(problem.ids))], problem)
    v = problem.values
    span = float(np.ptp(v[chosen])) or 1.0
    # t, and a shade more for a higher value: all shades together stay under half a period, so
    # they only choose among the schedules with the least sum of start periods
    shade = 0.5 / ((len(chosen) + 1) * max(T - 1, 1))
    rank = {i: k for k, i in enumerate(chosen)}  # equal values: the list order decides
    weight = {
        i: 1.0
        + shade
        * ((float(v[i]) - float(v[chosen].min())) / span + 0.01 * (len(chosen) - rank[i]) / len(chosen))
        for i in chosen
    }
    prob += pulp.lpSum(t * weight[i] * z[i][t] for i in chosen for t in range(T))
    with quiet_stdout():
        prob.solve(make_solver(solver, time_limit))
    starts = {i: [t for t in range(T) if (z[i][t].value() or 0) > 0.5] for i in chosen}
    if (
        prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        or any(len(ts) != 1 for ts in starts.values())
        or not prob.valid(eps=1e-6)
    ):
        return {}
    return {i: ts[0] for i, ts in starts.items()}


# -- explanations -----------------------------------------------------------------------------


def explain(model: PortfolioModel, best: Solution, marginal: bool = True) -> dict[str, Any]:
    """Why each measure is in or out, and what one more unit of each resource is worth."""
    p = model.p
    chosen = set(best.selected)
    used = {r: float(a[best.selected].sum()) for r, a in p.resources.items()}
    forced = p.forced
    required_by: dict[int, list[int]] = {}
    for i, j in p.requires:
        required_by.setdefault(j, []).append(i)
    out_in, out_out = [], []
    for i in range(len(p.ids)):
        if i in chosen:
            if i in forced:
                why = {
                    "code": "mandatory" if i in p.mandatory else "included" if i in p.include else "required"
                }
                out_in.append(
                    {"id": p.ids[i], "loss_if_removed": None, "note": reason_text(why), "reason": why}
                )
                continue
            alt = model.solve(fix={i: 0})
            loss = None if not alt.ok else best.objective - alt.objective
            why = None if alt.ok else {"code": "no_alternative"}
            out_in.append(
                {
                    "id": p.ids[i],
                    "loss_if_removed": loss,
                    "note": reason_text(why) if why else "",
                    "reason": why,
                }
            )
        else:
            blockers = _blockers(p, i, chosen, used)
            alt = model.solve(fix={i: 1})
            cost = None if not alt.ok else best.objective - alt.objective
            if not alt.ok:
                blockers.append({"code": "constraints"})
            out_out.append(
                {
                    "id": p.ids[i],
                    "opportunity_cost": cost,
                    "blocked_by": [reason_text(b) for b in blockers],
                    "reasons": blockers,
                }
            )
    margins = {}
    if marginal:
        for r in model.resource_rows:
            if p.limits[r] is None:  # no limit: one more unit changes nothing
                margins[r] = 0.0
                continue
            alt = model.solve(limits={r: p.limits[r] + 1.0})
            margins[r] = None if not alt.ok else alt.objective - best.objective
    return {"selected": out_in, "not_selected": out_out, "marginal_value": margins}


def _blockers(p: PortfolioProblem, i: int, chosen: set[int], used: dict[str, float]) -> list[dict[str, Any]]:
    """What stands in the way of adding measure i to the chosen set, read off the constraints."""
    out: list[dict[str, Any]] = []
    if i in p.exclude:
        out.append({"code": "excluded"})
    for r, a in p.resources.items():
        lim = p.limits[r]
        if lim is not None and a[i] > 0 and used[r] + a[i] > lim + _EPS:
            out.append(
                {"code": "resource", "resource": r, "need": float(a[i]), "left": max(lim - used[r], 0.0)}
            )
    for a, b in p.excludes:
        other = b if a == i else a if b == i else None
        if other is not None and other in chosen:
            out.append({"code": "excluded_by", "measure": p.ids[other]})
    for a, b in p.requires:
        if a == i and b not in chosen:
            out.append({"code": "requires", "measure": p.ids[b]})
    excluded = {b if a == i else a for a, b in p.excludes if i in (a, b)}
    for a, b, bonus in p.pairs:  # a conflict with a selected measure (unless they exclude anyway)
        other = b if a == i else a if b == i else None
        if other is not None and other in chosen and other not in excluded and bonus < 0:
            out.append({"code": "conflict_with", "measure": p.ids[other], "penalty": -float(bonus)})
    if not out:
        out.append({"code": "not_worth"})
    return out


REASONS = {
    "mandatory": "cannot be removed: mandatory",
    "included": "cannot be removed: included (--include)",
    "required": "cannot be removed: required by a forced measure",
    "no_alternative": "removing it leaves no feasible portfolio",
    "excluded": "excluded (--exclude)",
    "resource": "resource {resource}: needs {need:g}, {left:g} left",
    "excluded_by": "excluded by {measure} (selected)",
    "requires": "requires {measure} (not selected)",
    "conflict_with": "conflicts with {measure} (selected), which would cost {penalty:.3g} of value",
    "constraints": "cannot be selected together with the constraints in force",
    "not_worth": "its value does not pay for what it takes",
}
"""Every reason an explanation can give, by code, as the English sentence of the CLI; the JSON
carries the code and its fields too (``reason``, ``reasons``), so other languages translate the code
rather than the sentence (the report's ``why_<code>`` texts)."""


def reason_text(reason: dict[str, Any]) -> str:
    """The English sentence of a structured reason.

    >>> reason_text({"code": "resource", "resource": "cost", "need": 10.0, "left": 2.5})
    'resource cost: needs 10, 2.5 left'
    """
    return REASONS[reason["code"]].format(**reason)


# -- infeasibility ----------------------------------------------------------------------------


def diagnose(p: PortfolioProblem) -> list[str]:
    """Why no portfolio exists, in the case's terms: first what can be read off the data, then,
    if nothing is, what an elastic model (every limit may be exceeded, at a price) has to relax."""
    out = []
    forced = p.forced
    why = {i: "mandatory" if i in p.mandatory else "--include" for i in p.mandatory | p.include}
    stack = list(why)
    while stack:  # name who requires each forced measure
        i = stack.pop()
        for a, b in p.requires:
            if a == i and b not in why:
                why[b] = f"required by {p.ids[a]}, which must be selected"
                stack.append(b)
    for i in sorted(forced & p.exclude):
        out.append(f"{p.ids[i]} must be selected ({why[i]}) but is excluded (--exclude)")
    for i, j in p.excludes:
        if i in forced and j in forced:
            out.append(
                f"{p.ids[i]} excludes {p.ids[j]}, but both must be selected "
                f"({p.ids[i]}: {why[i]}; {p.ids[j]}: {why[j]})"
            )
    for r, a in p.resources.items():
        lim = p.limits[r]
        need = float(a[list(forced)].sum()) if forced else 0.0
        if lim is not None and need > lim + _EPS:
            unit = f" {p.units.get(r)}" if p.units.get(r) else ""
            out.append(
                f"the measures that must be selected need {need:g}{unit} of {r}; the limit is {lim:g}{unit}"
            )
    for g, members in p.goal_members.items():
        open_ = [i for i in members if i not in p.exclude]
        if len(open_) < p.coverage_min:
            out.append(
                f"goal {g} is served by {len(open_)} measure(s) that may be selected; "
                f"coverage asks for {p.coverage_min}"
            )
    for d, members in p.district_members.items():
        open_ = [i for i in members if i not in p.exclude]
        if len(open_) < p.balance_min_measures:
            out.append(
                f"district {d} has {len(open_)} measure(s) that may be selected; "
                f"the balance asks for {p.balance_min_measures}"
            )
    return out or _elastic(p)


def _elastic(p: PortfolioProblem) -> list[str]:
    import pulp

    n = len(p.ids)
    prob = pulp.LpProblem("elastic", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x_{i}", cat="Binary") for i in range(n)]
    prob += pulp.lpSum(x) <= n, "count"  # every measure in a row, so the solver sees it
    for i, xi in enumerate(x):  # set after creation: PuLP resets the bounds of a new binary
        xi.lowBound = 1 if i in p.mandatory or i in p.include else 0
        xi.upBound = 0 if i in p.exclude else 1
    if any(xi.lowBound > xi.upBound for xi in x):
        return ["a measure must be selected and is excluded at the same time"]
    slack: dict[str, Any] = {}
    scale: dict[str, float] = {}
    for r, a in p.resources.items():
        if p.limits[r] is not None:
            s = slack[f"resource {r}"] = pulp.LpVariable(f"s_r_{r}", lowBound=0)
            scale[f"resource {r}"] = max(p.limits[r], 1.0)
            prob += pulp.lpSum(float(a[i]) * x[i] for i in range(n)) <= p.limits[r] + s
    for i, j in p.requires:
        prob += x[i] <= x[j]
    for i, j in p.excludes:
        prob += x[i] + x[j] <= 1
    for g, members in p.goal_members.items():
        s = slack[f"coverage of goal {g}"] = pulp.LpVariable(f"s_g_{g}", lowBound=0)
        scale[f"coverage of goal {g}"] = 1.0
        prob += pulp.lpSum(x[i] for i in members) + s >= p.coverage_min
    for d, members in p.district_members.items():
        if p.balance_min_measures:
            s = slack[f"balance of district {d}"] = pulp.LpVariable(f"s_d_{d}", lowBound=0)
            scale[f"balance of district {d}"] = 1.0
            prob += pulp.lpSum(x[i] for i in members) + s >= p.balance_min_measures
        for r, share in p.balance_min_share.items():
            key = f"balance of district {d} in {r}"
            s = slack[key] = pulp.LpVariable(f"s_d_{d}_{r}", lowBound=0)
            scale[key] = max(float(p.resources[r].sum()), 1.0)
            a = p.resources[r]
            prob += pulp.lpSum(float(a[i]) * x[i] for i in members) + s >= share * pulp.lpSum(
                float(a[i]) * x[i] for i in range(n)
            )
    if p.periods:
        T = len(p.periods)
        z = [[pulp.LpVariable(f"z_{i}_{t}", cat="Binary") for t in range(T)] for i in range(n)]
        for i in range(n):
            prob += pulp.lpSum(z[i]) == x[i]
        for t, (pid, lims) in enumerate(p.periods):
            for r, v in lims.items():
                key = f"limit of {r} in period {pid}"
                s = slack[key] = pulp.LpVariable(f"s_p_{pid}_{r}", lowBound=0)
                scale[key] = max(v, 1.0)
                a = p.resources[r]
                prob += pulp.lpSum(float(a[i]) * z[i][t] for i in range(n)) <= v + s
        for i, j in p.requires:
            for t in range(T):
                prob += pulp.lpSum(z[i][: t + 1]) <= pulp.lpSum(z[j][: t + 1])
    prob += pulp.lpSum(s / scale[k] for k, s in slack.items())
    with quiet_stdout():
        prob.solve(make_solver("cbc"))
    if pulp.LpStatus[prob.status] != "Optimal":
        return ["the requires/excludes rules leave no selection for the measures that must be selected"]
    rules = [
        name
        for name, present in (
            ("mandatory measures", bool(p.mandatory)),
            ("--include", bool(p.include)),
            ("requires", bool(p.requires)),
            ("district balance", bool(p.district_members)),
            ("goal coverage", bool(p.goal_members)),
            ("periods", bool(p.periods)),
        )
        if present
    ]
    out = []
    relaxed = {key: s.value() for key, s in slack.items() if (s.value() or 0) > _EPS}
    for key, v in relaxed.items():
        line = f"{key} must be relaxed by {v:g} to admit any portfolio"
        r = key.removeprefix("resource ")
        if key.startswith("resource ") and r in p.resources and len(relaxed) == 1:
            # the only relaxation: the least that the other rules, unrelaxed, need of r
            unit = f" {p.units[r]}" if p.units.get(r) else ""
            line += (
                f": with the rules in force ({', '.join(rules) or 'none'}) a portfolio needs "
                f"at least {p.limits[r] + v:g}{unit}, the limit is {p.limits[r]:g}{unit}"
            )
        out.append(line)
    return out or ["no portfolio satisfies all constraints"]
