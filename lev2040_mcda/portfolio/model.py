"""The portfolio model (PuLP) of a :class:`~lev2040_mcda.portfolio.problem.PortfolioProblem`, built
once and re-solved, and the earliest start periods of a chosen portfolio.

Model: one binary ``x_i`` per measure. Maximise ``sum v_i x_i + sum b_ij y_ij`` where ``v`` is each
measure's value (:mod:`~lev2040_mcda.portfolio.values`: additive on fixed scales, 0 = no change, or
a rescaled MCDM score, or any numeric column) and ``b_ij`` the bonus (synergy, > 0) or penalty
(conflict, < 0) of a pair: ``b_ij = strength * interaction_weight * (|v_i| + |v_j|) / 2``. Among
portfolios of equal value the one with fewer measures is taken (:data:`TIE_BREAK`): a measure
that adds nothing is never selected. Pair variables are linearised only in the direction the
sign needs (a bonus: ``y <= x_i``, ``y <= x_j``; a penalty: ``y >= x_i + x_j - 1``).
Constraints: every resource within its limit (a protected limit with its reserve for overruns,
:func:`add_protection`); ``requires`` (``x_i <= x_j``); ``excludes``
(``x_i + x_j <= 1``); mandatory and ``--include`` measures at 1, ``--exclude`` at 0; spatial balance,
equity per resident (:mod:`~lev2040_mcda.portfolio.equity`, the benefit rows' coefficients follow
the values) and goal coverage when case.yaml (or the CLI) asks for them. Expressions are built with ``lpSum`` over
comprehensions. Re-solves for the explanations change variable bounds and constraint constants
of the one built model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError, Problem
from .equity import equity_rows
from .problem import PortfolioProblem, Solution
from .solvers import SOLVERS, _log_file, make_solver, quiet_stdout, solver_bound

__all__ = [
    "objective_terms",
    "add_constraints",
    "add_periods",
    "add_protection",
    "PortfolioModel",
    "earliest_starts",
    "new_variable",
    "constraint",
    "row_scale",
    "TIE_BREAK",
]

TIE_BREAK = 1e-8
"""What each selected measure costs in the objective (scaled to values of about 1): among
portfolios of equal value the one with fewer measures wins, so a measure worth nothing (or
exactly its conflicts) is never selected. Far below any difference of value that matters, far
above the solvers' gap (:data:`~lev2040_mcda.portfolio.solvers.MIP_GAP`)."""


def new_variable(
    prob: Any, name: str, low: float | None = None, up: float | None = None, cat: str = "Continuous"
):
    """A variable of ``prob``, made the way the installed PuLP wants: PuLP 3.3 warns (a
    DeprecationWarning, an error under ``-W error``) on every ``LpVariable(...)`` made directly."""
    import pulp

    add = getattr(prob, "add_variable", None)
    return add(name, low, up, cat) if add is not None else pulp.LpVariable(name, low, up, cat=cat)


def constraint(prob: Any, name: str) -> Any:
    """The constraint ``name`` of ``prob`` (PuLP 3.3 warns on ``prob.constraints[name]``)."""
    get = getattr(prob, "get_constraint_by_name", None)
    return get(name) if get is not None else prob.constraints[name]


def objective_terms(prob: Any, x: list, problem: PortfolioProblem, prefix: str = "") -> tuple[Any, list]:
    """The value expression of ``problem`` over the binaries ``x``, with its pair variables and
    their linking constraints added to ``prob`` (names prefixed, so several problems can share x)."""
    import pulp

    y = [new_variable(prob, f"{prefix}y_{k}", 0, 1) for k in range(len(problem.pairs))]
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


def row_scale(a: np.ndarray) -> float:
    """What a row over ``a`` is divided by: its largest magnitude (1 when every entry is 0).

    The solvers work to absolute tolerances (a row may be exceeded by about 1e-7; HiGHS refuses
    entries of 1e15 and drops those below 1e-9), so a row is handed to them in numbers of about 1,
    whatever the unit: costs of 1e-10 against a limit of 1.5e-10 would otherwise let two measures
    pass where one fits. Dividing a row by a positive number keeps its solutions."""
    big = float(np.max(np.abs(a))) if len(a) else 0.0
    return big if big > 0 else 1.0


def add_constraints(
    prob: Any, x: list, problem: PortfolioProblem, prefix: str = "", guards: dict | None = None
) -> dict[str, str]:
    """Every constraint of ``problem`` on ``x``; returns the resource rows' names. A resource's
    rows are divided by :func:`row_scale` of its column. A protected limit
    (:attr:`PortfolioProblem.protect`) gets its reserve in the same row (:func:`add_protection`);
    its variables go into ``guards`` when given (resource -> (z, [p_i or None per measure]), or
    None when ``gamma`` leaves room for every overrun: the row is then ``sum (c_i + d_i) x_i``)."""
    import pulp

    n = len(x)
    rows: dict[str, str] = {}
    # one row with every measure, so that a measure of value 0 in no other row still reaches the
    # solver (PuLP leaves out variables that appear nowhere, and then ignores their bounds)
    prob += pulp.lpSum(x) <= n, f"{prefix}count"
    scaled = {r: a / row_scale(a) for r, a in problem.resources.items()}
    for r, a in problem.resources.items():  # a row for every resource, so any can be limited
        limit = problem.limits[r] if problem.limits[r] is not None else float(a.sum()) + 1.0
        name = f"{prefix}limit_{r}"
        c = scaled[r]
        use = pulp.lpSum(float(c[i]) * x[i] for i in range(n) if c[i] != 0)
        guard = problem.protect.get(r)
        if guard is not None and guard.gamma > 0 and problem.limits[r] is not None:
            d = guard.deviation / row_scale(a)
            if guard.gamma >= np.count_nonzero(d > 0):  # room for every overrun: c + d, no duality
                use, made = pulp.lpSum(float(c[i] + d[i]) * x[i] for i in range(n) if c[i] + d[i] != 0), None
            else:
                reserve, made = add_protection(prob, x, d, guard.gamma, f"{prefix}{r}")
                use = use + reserve
            if guards is not None:
                guards[r] = made
        prob += use <= limit / row_scale(a), name
        rows[r] = name
    for k, (i, j) in enumerate(problem.requires):
        prob += x[i] <= x[j], f"{prefix}requires_{k}"
    for k, (i, j) in enumerate(problem.excludes):
        prob += x[i] + x[j] <= 1, f"{prefix}excludes_{k}"
    for d, members in problem.district_members.items():
        if problem.balance_min_measures:
            prob += pulp.lpSum(x[i] for i in members) >= problem.balance_min_measures, f"{prefix}balance_{d}"
        for r, share in problem.balance_min_share.items():
            c = scaled[r]
            prob += (
                (
                    pulp.lpSum(float(c[i]) * x[i] for i in members)
                    >= share * pulp.lpSum(float(c[i]) * x[i] for i in range(n))
                ),
                f"{prefix}balance_{d}_{r}",
            )
    for k, row in enumerate(equity_rows(problem)):  # multiplied out: sum a_i (m_di - t s_d) x_i >= 0
        c = row.coef / row_scale(row.coef)
        if np.any(c != 0):  # a row of zeros holds (0 >= 0) and would be an empty row
            prob += pulp.lpSum(float(c[i]) * x[i] for i in range(n) if c[i] != 0) >= 0, f"{prefix}equity_{k}"
    for g, members in problem.goal_members.items():
        prob += pulp.lpSum(x[i] for i in members) >= problem.coverage_min, f"{prefix}cover_{g}"
    return rows


def add_protection(prob: Any, x: list, d: np.ndarray, gamma: float, tag: str) -> tuple[Any, tuple]:
    """The reserve of a protected limit as linear terms (Bertsimas & Sim 2004, eq. (4)): the
    largest overrun of any ``gamma`` measures, ``max sum_{S, |S| <= gamma} d_i x_i``, is by LP
    duality ``min gamma z + sum p_i`` over ``z + p_i >= d_i x_i``, ``z, p_i >= 0``, so the
    resource row holds it with ``gamma z + sum p_i`` added (one ``p_i`` per measure with
    ``d_i > 0``). Returns the expression and the variables ``(z, [p_i or None])``."""
    import pulp

    z = new_variable(prob, f"rz_{tag}", 0)
    p: list[Any] = [None] * len(x)
    for i in np.flatnonzero(d > 0):
        p[i] = new_variable(prob, f"rp_{tag}_{i}", 0)
        prob += z + p[i] - float(d[i]) * x[i] >= 0, f"protect_{tag}_{i}"
    return float(gamma) * z + pulp.lpSum(v for v in p if v is not None), (z, p)


def add_periods(prob: Any, x: list, problem: PortfolioProblem, prefix: str = "") -> list[list[Any]]:
    """Start-period variables: each selected measure starts in one period, within its limits (rows
    divided by :func:`row_scale`), and what is required starts no later."""
    import pulp

    if not problem.periods:
        return []
    n, T = len(x), len(problem.periods)
    z = [[new_variable(prob, f"{prefix}z_{i}_{t}", cat="Binary") for t in range(T)] for i in range(n)]
    for i in range(n):
        prob += pulp.lpSum(z[i]) == x[i], f"{prefix}start_{i}"
    for t, (pid, lims) in enumerate(problem.periods):
        for r, v in lims.items():
            a = problem.resources[r]
            c, scale = a / row_scale(a), row_scale(a)
            prob += (
                pulp.lpSum(float(c[i]) * z[i][t] for i in range(n) if c[i] != 0) <= v / scale,
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
        x = [new_variable(prob, f"x_{i}", cat="Binary") for i in range(len(problem.ids))]
        value, y = objective_terms(prob, x, problem)
        # the objective in numbers of about 1 too (CBC skips improvements below 1e-9): a
        # portfolio's value is always computed from the data, only the solver's bound is scaled back
        self.value_scale = row_scale(np.array([*problem.values, *(b for _, _, b in problem.pairs)]))
        prob += value * (1.0 / self.value_scale) - TIE_BREAK * pulp.lpSum(x), "value"
        self.guards: dict[str, tuple[Any, list] | None] = {}  # a protected limit's (z, [p_i]) variables
        self.resource_rows = add_constraints(prob, x, problem, guards=self.guards)
        self.row_scale = {r: row_scale(a) for r, a in problem.resources.items()}
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
        c = a / row_scale(a)
        self.prob.setObjective(pulp.lpSum(float(c[i]) * xi for i, xi in enumerate(self.x) if c[i] != 0))
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
            row = constraint(self.prob, self.resource_rows[r])
            saved[r] = row.constant
            row.constant = -v / self.row_scale[r]
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
                bound = None if bound is None else bound * self.value_scale
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
                constraint(self.prob, self.resource_rows[r]).constant = c
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
