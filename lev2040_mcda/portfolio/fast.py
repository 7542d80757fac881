"""Re-optimisations at a fraction of a solve: the portfolio model held once in HiGHS (highspy), in
process, changed by bounds and re-solved for each explanation and frontier step.

Each re-optimisation ("the optimum with measure i fixed out / forced in / one more unit of a
resource") is settled by two bounds before any branching: a **feasible value**, the incumbent with
the one change, repaired (measures dropped and added greedily while every rule holds, checked
against the problem's own rules), and an **upper bound**, the LP relaxation with the change (warm
started from the previous basis). When they agree (to :data:`AGREE`, far below what is shown) the
answer is exact. Otherwise the measures whose reduced cost exceeds the gap are fixed (no portfolio
better than the feasible one can move them) and the rest is a MIP with a budget of branch-and-bound
nodes (:data:`NODES`, a count, never a time: the same inputs give the same answer); if it finishes,
exact; else the result is the **proven interval** between the best feasible value and the bound.

A protected limit (a robust budget) is in both models as the portfolio model holds it, and in the
repair's rules (:mod:`~lev2040_mcda.portfolio.repair`), so the feasible values and bounds stay
exact; a warm start carries its reserve variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import TIE_BREAK, PortfolioModel, constraint
from .problem import Solution
from .repair import Rules
from .solvers import MIP_GAP, make_solver, quiet_stdout, run_one_thread

__all__ = ["FastModel", "Alternative", "AGREE", "NODES"]

AGREE = 1e-9
"""Relative difference (of the model's objective) at which a bound and a feasible value are one."""
NODES = 200
"""Branch-and-bound nodes a re-optimisation may use before it is shown as a proven interval."""
FREE_MAX = 40
"""More measures than this left free after reduced-cost fixing: the interval, without a MIP."""


@dataclass
class Alternative:
    """The optimum with one change: ``value`` when ``exact`` (None: no portfolio exists, proven);
    else the proven interval ``[low, high]`` of the optimum's value (``low`` None: no portfolio was
    found, perhaps none exists)."""

    exact: bool
    value: float | None
    low: float | None = None
    high: float | None = None
    selected: list[int] | None = None


class FastModel(Rules):
    """The model of a :class:`PortfolioModel` in HiGHS twice (MIP and LP relaxation), with the
    problem's rules as arrays for repairing and checking portfolios (:class:`Rules`)."""

    def __init__(self, model: PortfolioModel, nodes: int = NODES):
        import highspy

        Rules.__init__(self, model)
        self.nodes = nodes
        prob = model.prob
        kept = getattr(prob, "solverModel", None)
        solver = make_solver("highs")
        with quiet_stdout():
            # one thread: the same search in every process (the pool is fixed at a first solve)
            highspy.Highs.resetGlobalScheduler(True)
            solver.createAndConfigureSolver(prob)
            solver.buildSolverModel(prob)
            self.mip = prob.solverModel
            self.lp = highspy.Highs()
        prob.solverModel = kept
        for h in (self.mip, self.lp):
            for k, v in (("output_flag", False), ("threads", 1), ("parallel", "off")):
                h.setOptionValue(k, v)
        self.mip.setOptionValue("mip_rel_gap", MIP_GAP)
        self.mip.setOptionValue("mip_abs_gap", MIP_GAP)
        lp = self.mip.getLp()
        lp.integrality_ = []
        self.lp.passModel(lp)
        self.ncol = self.mip.getNumCol()
        self.xi = np.array([v.index for v in model.x], dtype=np.int32)
        self.yi = np.array([v.index for v in model.y], dtype=np.int32)
        self.rows = {r: constraint(prob, name).index for r, name in model.resource_rows.items()}
        # a protected limit's reserve variables (z, then the measures' p_i), for warm starts
        self.guard_cols = {
            r: (
                z.index,
                np.array([v.index for v in p if v is not None], dtype=np.int32),
                np.array([i for i, v in enumerate(p) if v is not None], dtype=int),
            )
            for r, (z, p) in ((r, g) for r, g in model.guards.items() if g is not None)
        }

    def reset(self) -> None:
        """Forget every basis and search of earlier re-optimisations: from here on, the answers
        are those of a model just built (see :mod:`~lev2040_mcda.portfolio.settle`)."""
        self.lp.clearSolver()
        self.mip.clearSolver()

    # -- re-optimising --------------------------------------------------------------------------

    def _set(self, fix: dict[int, int], limits: dict[str, float], on: list) -> None:
        for h in on:
            for i, v in fix.items():
                h.changeColBounds(int(self.xi[i]), float(v), float(v))
            for r, v in limits.items():
                h.changeRowBounds(self.rows[r], -np.inf, v / self.model.row_scale[r])

    def _unset(self, fix: dict[int, int], limits: dict[str, float], on: list) -> None:
        for h in on:
            for i in fix:
                lo = 1.0 if (i in self.p.mandatory or i in self.p.include) else 0.0
                h.changeColBounds(int(self.xi[i]), lo, 0.0 if i in self.p.exclude else 1.0)
            for r in limits:
                lim = self.p.limits[r]
                up = lim if lim is not None else float(self.p.resources[r].sum()) + 1.0
                h.changeRowBounds(self.rows[r], -np.inf, up / self.model.row_scale[r])

    def alternative(
        self, best: Solution, fix: dict[int, int] | None = None, limits: dict[str, float] | None = None
    ) -> Alternative:
        """The optimum with measures fixed and limits changed, exact or as a proven interval."""
        import highspy

        fix, limits = fix or {}, limits or {}
        caps = self.caps(limits)
        self._set(fix, limits, [self.lp])
        try:
            run_one_thread(self.lp)
            status = self.lp.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                return Alternative(True, None)
            if status != highspy.HighsModelStatus.kOptimal:
                return self._mip(best, fix, limits, None, np.inf, None)
            sol = self.lp.getSolution()
            col = np.asarray(sol.col_value)
            dual = np.asarray(sol.col_dual)
            upper = relaxed = -float(self.lp.getInfo().objective_function_value)
            if not limits and best.proven and best.objective is not None:
                # a measure fixed can only lose: no better than the proven optimum itself
                top = best.objective / self.scale - TIE_BREAK * len(best.selected)
                upper = min(upper, top + MIP_GAP * max(1.0, abs(top)))
        finally:
            self._unset(fix, limits, [self.lp])
        lp_x = col[self.xi]
        found = [
            m
            for m in (self.repair(best.selected, fix, caps, lp_x), self.rounded(fix, caps, lp_x))
            if m is not None
        ]
        mask = max(found, key=self.objective) if found else None
        low = None if mask is None else self.objective(mask)
        if low is not None and upper - low <= AGREE * max(1.0, abs(upper)):
            return self._exact(mask)
        return self._mip(best, fix, limits, mask, upper, dual, relaxed)

    def _exact(self, mask: np.ndarray) -> Alternative:
        sel = [int(i) for i in np.flatnonzero(mask)]
        return Alternative(True, self.p.value(sel), selected=sel)

    def _mip(self, best, fix, limits, mask, upper: float, dual, relaxed: float = np.inf) -> Alternative:
        """The rest by branch and bound within :attr:`nodes`: with the repaired portfolio as a start
        and the measures its gap to the bound settles fixed."""
        import highspy

        h = self.mip
        fixed = dict(fix)
        if mask is not None and dual is not None:
            # reduced costs price moves from the LP's own optimum, not from a clamped bound
            gap = relaxed - self.objective(mask) + 1e-7
            d = dual[self.xi]
            for i in range(self.n):
                if i not in fixed and not self.forced[i] and self.allowed[i]:
                    if d[i] > gap:  # the LP pays more than the gap to take it: no better portfolio does
                        fixed[i] = 0
                    elif -d[i] > gap:
                        fixed[i] = 1
        free = self.n - len(fixed)
        if mask is not None and free > FREE_MAX:
            return self._interval(mask, upper)
        self._set(fixed, limits, [h])
        try:
            h.setOptionValue("mip_max_nodes", self.nodes)
            self._run_from(h, mask)
            status = h.getModelStatus()
            info = h.getInfo()
            found = None
            if info.primal_solution_status == 2:  # feasible
                found = np.asarray(h.getSolution().col_value)[self.xi] > 0.5
            bound = -float(info.mip_dual_bound)
        finally:
            self._unset(fixed, limits, [h])
            h.clearSolver()
        if status == highspy.HighsModelStatus.kInfeasible:
            # nothing better than the repaired portfolio within the fixings: it is the optimum
            return self._exact(mask) if mask is not None else Alternative(True, None)
        cands = [m for m in (mask, found) if m is not None]
        top = max(cands, key=self.objective) if cands else None
        if status == highspy.HighsModelStatus.kOptimal and found is not None:
            return self._exact(top)
        high = min(upper, bound if np.isfinite(bound) else np.inf)
        if top is not None:
            high = max(high, self.objective(mask)) if mask is not None else high
        return self._interval(top, high)

    def _run_from(self, h, mask: np.ndarray | None) -> None:
        """Run ``h``, started from the portfolio ``mask`` when given. HiGHS can misjudge a starting
        solution's worth (seen with pair variables: a start worth 1.25 taken as 1.54, then called
        optimal above the true optimum), so a result whose solution is not worth what HiGHS says
        is run again without the start."""
        if mask is not None:
            self._warm_start(h, mask)
        run_one_thread(h)
        info = h.getInfo()
        if mask is None or info.primal_solution_status != 2:
            return
        got = np.asarray(h.getSolution().col_value)[self.xi] > 0.5
        claimed = -float(info.objective_function_value)
        if abs(self.objective(got) - claimed) > 1e-7 * max(1.0, abs(claimed)):
            h.clearSolver()
            run_one_thread(h)

    def _warm_start(self, h, mask: np.ndarray) -> None:
        """Hand HiGHS the portfolio ``mask`` (with its pair variables) as a starting solution."""
        col = np.zeros(self.ncol)
        col[self.xi] = mask
        if len(self.yi):
            col[self.yi] = mask[self.pi] & mask[self.pj]
        for r, (zc, pc, who) in self.guard_cols.items():
            # the reserve's optimal z and p_i for this portfolio: z the ceil(gamma)-th largest
            # overrun among its measures (0 when fewer), p_i what each overruns beyond z
            d = self.dev[r] * mask
            top = np.sort(d[mask])[::-1]
            k = int(np.ceil(self.gamma[r]))
            z = float(top[k - 1]) if k <= len(top) else 0.0
            col[zc] = z
            col[pc] = np.maximum(d[who] - z, 0.0)
        h.setSolution(_solution(col))

    def _interval(self, mask: np.ndarray | None, upper: float) -> Alternative:
        low = None if mask is None else self.p.value(list(np.flatnonzero(mask)))
        # any portfolio of objective <= upper is worth at most this much (the tie break added back)
        high = self.scale * (upper + TIE_BREAK * self.n) if np.isfinite(upper) else None
        if low is not None and high is not None and high <= low:
            return self._exact(mask)
        return Alternative(False, None, low, high)

    # -- frontier steps -------------------------------------------------------------------------

    def solve(self, limits: dict[str, float] | None = None, start: list[int] | None = None) -> Solution:
        """A full solve (to proven optimality) with changed limits, from a starting portfolio."""
        import highspy

        limits = limits or {}
        h = self.mip
        self._set({}, limits, [h])
        try:
            mask = None
            if start is not None:
                mask = np.zeros(self.n, dtype=bool)
                mask[start] = True
            h.setOptionValue("mip_max_nodes", 2**31 - 1)
            # --time-limit bounds each step as it bounds the main solve (the step then says so)
            h.setOptionValue("time_limit", float(self.model.time_limit or np.inf))
            self._run_from(h, mask)
            h.setOptionValue("time_limit", float(np.inf))
            status = h.getModelStatus()
            info = h.getInfo()
            col = np.asarray(h.getSolution().col_value)
        finally:
            self._unset({}, limits, [h])
            h.clearSolver()
        self.model.solves += 1
        if status == highspy.HighsModelStatus.kInfeasible:
            return Solution("infeasible", None, [], "highs", True)
        sel = [int(i) for i in np.flatnonzero(col[self.xi] > 0.5)]
        if status == highspy.HighsModelStatus.kOptimal:
            return Solution("optimal", self.p.value(sel), sel, "highs", True)
        if info.primal_solution_status == 2:
            bound = -float(info.mip_dual_bound) * self.scale
            return Solution("feasible", self.p.value(sel), sel, "highs", False, bound=bound)
        return Solution("not solved", None, [], "highs", False)


def _solution(col: np.ndarray) -> Any:
    import highspy

    s = highspy.HighsSolution()
    s.col_value = list(map(float, col))
    s.value_valid = True
    return s
