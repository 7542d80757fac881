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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import TIE_BREAK, PortfolioModel, constraint
from .problem import Solution
from .solvers import MIP_GAP, make_solver, quiet_stdout

__all__ = ["FastModel", "Alternative", "AGREE", "NODES"]

AGREE = 1e-9
"""Relative difference (of the model's objective) at which a bound and a feasible value are one."""
NODES = 200
"""Branch-and-bound nodes a re-optimisation may use before it is shown as a proven interval."""
FREE_MAX = 40
"""More measures than this left free after reduced-cost fixing: the interval, without a MIP."""
_FEAS = 1e-9  # a repaired portfolio must hold this strictly (tighter than the solvers' 1e-7)


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


class FastModel:
    """The model of a :class:`PortfolioModel` in HiGHS twice (MIP and LP relaxation), with the
    problem's rules as arrays for repairing and checking portfolios."""

    def __init__(self, model: PortfolioModel, nodes: int = NODES):
        import highspy

        self.model, p = model, model.p
        self.p, self.nodes = p, nodes
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
        self.scale = model.value_scale
        self._arrays()

    # -- the rules as arrays ------------------------------------------------------------------

    def _arrays(self) -> None:
        p, n = self.p, len(self.p.ids)
        self.n = n
        self.v = np.asarray(p.values, dtype=float)
        self.pi = np.array([i for i, _, _ in p.pairs], dtype=int)
        self.pj = np.array([j for _, j, _ in p.pairs], dtype=int)
        self.pb = np.array([b for _, _, b in p.pairs], dtype=float)
        self.ri = np.array([i for i, _ in p.requires], dtype=int)
        self.rj = np.array([j for _, j in p.requires], dtype=int)
        self.ei = np.array([i for i, _ in p.excludes], dtype=int)
        self.ej = np.array([j for _, j in p.excludes], dtype=int)
        self.res = {r: np.asarray(a, dtype=float) / self.model.row_scale[r] for r, a in p.resources.items()}
        self.allowed = np.ones(n, dtype=bool)
        self.allowed[list(p.exclude)] = False
        self.forced = np.zeros(n, dtype=bool)
        self.forced[list(p.forced)] = True
        self.B = np.zeros((n, n))  # the pair terms, both ways
        np.add.at(self.B, (self.pi, self.pj), self.pb)
        np.add.at(self.B, (self.pj, self.pi), self.pb)
        self.E = np.zeros((n, n), dtype=bool)  # excludes, both ways
        self.E[self.ei, self.ej] = self.E[self.ej, self.ei] = True
        self.R = np.zeros((n, n), dtype=bool)  # R[k, j]: k requires j
        self.R[self.ri, self.rj] = True
        self.needs: dict[int, list[int]] = {}
        self.needed_by: dict[int, list[int]] = {}
        for i, j in p.requires:
            self.needs.setdefault(i, []).append(j)
            self.needed_by.setdefault(j, []).append(i)

    def objective(self, mask: np.ndarray) -> float:
        """The model's objective (scaled, with the tie break) of a selection."""
        return self.value(mask) / self.scale - TIE_BREAK * int(mask.sum())

    def value(self, mask: np.ndarray) -> float:
        return self.p.value(np.flatnonzero(mask))

    def _gain(self, mask: np.ndarray) -> np.ndarray:
        """What adding each measure to ``mask`` adds to the value (its own and its pairs')."""
        g = self.v.copy()
        if len(self.pb):
            np.add.at(g, self.pi, self.pb * mask[self.pj])
            np.add.at(g, self.pj, self.pb * mask[self.pi])
        return g

    def holds(self, mask: np.ndarray, fix: dict[int, int], caps: dict[str, float]) -> bool:
        """Whether a selection satisfies every rule (strictly); with periods it cannot be told
        without a schedule, so never."""
        p = self.p
        allowed = self.allowed.copy()
        for i, v in fix.items():
            allowed[i] = bool(v)  # forcing a measure in lifts its --exclude, as the model's bounds do
            if bool(mask[i]) != bool(v):
                return False
        if p.periods or np.any(mask & ~allowed) or np.any(self.forced & ~mask):
            return False
        if any(float(a[mask].sum()) > caps[r] + _FEAS for r, a in self.res.items() if caps[r] is not None):
            return False
        if len(self.ri) and np.any(mask[self.ri] & ~mask[self.rj]):
            return False
        if len(self.ei) and np.any(mask[self.ei] & mask[self.ej]):
            return False
        for members in p.district_members.values():
            if p.balance_min_measures and int(mask[members].sum()) < p.balance_min_measures:
                return False
            for r, share in p.balance_min_share.items():
                c = self.res[r]
                if float(c[members][mask[members]].sum()) < share * float(c[mask].sum()) + _FEAS:
                    return False
        return all(int(mask[m].sum()) >= p.coverage_min for m in p.goal_members.values())

    def _closure(self, start: list[int], links: dict[int, list[int]]) -> set[int]:
        out: set[int] = set()
        stack = list(start)
        while stack:
            i = stack.pop()
            if i not in out:
                out.add(i)
                stack += links.get(i, [])
        return out

    def repair(
        self, best: list[int], fix: dict[int, int], caps: dict[str, float], lp_x: np.ndarray
    ) -> np.ndarray | None:
        """The portfolio ``best`` made to obey the change: what the fix rules out dropped (with what
        requires it), what it forces in added (with what that requires), measures dropped while a
        limit is exceeded (least value per unit first), then measures added while they fit and add
        value (the LP's choice first). None when the result breaks a rule."""
        mask = np.zeros(self.n, dtype=bool)
        mask[best] = True
        allowed = self.allowed.copy()
        locked = self.forced.copy()
        for i, v in fix.items():
            if v == 0:
                allowed[i] = False
                mask[list(self._closure([i], self.needed_by))] = False
            else:
                allowed[i] = True
                need = list(self._closure([i], self.needs))
                mask[need] = True
                locked[need] = True
        if np.any(locked & ~allowed):
            return None
        for a, b in zip(self.ei, self.ej):  # what excludes a locked measure goes
            for keep, other in ((a, b), (b, a)):
                if locked[keep] and mask[other]:
                    if locked[other]:
                        return None
                    mask[list(self._closure([int(other)], self.needed_by))] = False
        while True:  # drop while a limit is exceeded
            over = [r for r, a in self.res.items() if caps[r] is not None and a[mask].sum() > caps[r] + _FEAS]
            if not over:
                break
            size = sum(self.res[r] for r in over)
            cand = np.flatnonzero(mask & ~locked & (size > 0))
            if not len(cand):
                return None
            gain = self._gain(mask)
            j = int(cand[np.argmin(gain[cand] / size[cand])])
            mask[list(self._closure([j], self.needed_by))] = False
        self._fill(mask, allowed, caps, lp_x)
        self._swap(mask, allowed, locked, caps)
        return mask if self.holds(mask, fix, caps) else None

    def rounded(self, fix: dict[int, int], caps: dict[str, float], lp_x: np.ndarray) -> np.ndarray | None:
        """The LP relaxation's portfolio rounded down (what it takes whole), then filled greedily:
        rounding down keeps every limit, exclusion and dependency; None when it breaks a rule."""
        mask = lp_x > 1 - 1e-6
        allowed, locked = self.allowed.copy(), self.forced.copy()
        for i, v in fix.items():
            allowed[i] = locked[i] = bool(v)
        self._fill(mask, allowed, caps, lp_x)
        self._swap(mask, allowed, locked, caps)
        return mask if self.holds(mask, fix, caps) else None

    def _swap(
        self, mask: np.ndarray, allowed: np.ndarray, locked: np.ndarray, caps: dict[str, float]
    ) -> None:
        """Exchange one selected measure for one left out while that adds value and every limit,
        exclusion and dependency holds (best exchange first), filling after each."""
        for _ in range(50):
            g = self._gain(mask)
            sel = np.flatnonzero(mask & ~locked & ~(self.R[mask].any(axis=0)))
            unmet = (self.R & ~mask[None, :]).sum(axis=1)
            out = np.flatnonzero(~mask & allowed)
            if not len(sel) or not len(out):
                return
            # k may come in for j: what k requires is selected (and is not j), nothing selected but
            # j excludes k, and every limit holds without j
            ok = (unmet[out][None, :] == 0) & ~self.R[np.ix_(out, sel)].T
            hits = self.E[np.ix_(out, np.flatnonzero(mask))].sum(axis=1)
            ok &= (hits[None, :] - self.E[np.ix_(sel, out)]) == 0
            for r, a in self.res.items():
                if caps[r] is not None:
                    ok &= float(a[mask].sum()) - a[sel][:, None] + a[out][None, :] <= caps[r] + _FEAS
            delta = g[out][None, :] - self.B[np.ix_(sel, out)] - g[sel][:, None]
            delta = np.where(ok, delta, -np.inf)
            k = int(np.argmax(delta))
            if not delta.flat[k] > 1e-9 * self.scale:
                return
            mask[sel[k // len(out)]], mask[out[k % len(out)]] = False, True
            self._fill(mask, allowed, caps, np.zeros(self.n))

    def _fill(self, mask: np.ndarray, allowed: np.ndarray, caps: dict[str, float], lp_x: np.ndarray) -> None:
        load = sum((a for r, a in self.res.items() if caps[r] is not None), np.zeros(self.n))
        while True:
            ok = allowed & ~mask
            if len(self.ri):
                unmet = np.zeros(self.n, dtype=int)
                np.add.at(unmet, self.ri, ~mask[self.rj])
                ok &= unmet == 0
            if len(self.ei):
                hit = np.zeros(self.n, dtype=bool)
                hit[self.ei[mask[self.ej]]] = True
                hit[self.ej[mask[self.ei]]] = True
                ok &= ~hit
            for r, a in self.res.items():
                if caps[r] is not None:
                    ok &= a <= caps[r] - float(a[mask].sum()) + _FEAS
            gain = self._gain(mask) / self.scale - TIE_BREAK
            ok &= gain > 1e-12
            cand = np.flatnonzero(ok)
            if not len(cand):
                return
            ratio = gain[cand] / (load[cand] + 1e-9)
            key = np.round(lp_x[cand], 6) * 1e6 + ratio / (np.abs(ratio).max() + 1e-300)
            mask[int(cand[np.argmax(key)])] = True

    # -- re-optimising --------------------------------------------------------------------------

    def caps(self, limits: dict[str, float] | None = None) -> dict[str, float | None]:
        lim = {**self.p.limits, **(limits or {})}
        return {r: None if lim[r] is None else lim[r] / self.model.row_scale[r] for r in self.res}

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
            self.lp.run()
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
            if mask is not None:
                self._warm_start(h, mask)
            h.setOptionValue("mip_max_nodes", self.nodes)
            h.run()
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

    def _warm_start(self, h, mask: np.ndarray) -> None:
        """Hand HiGHS the portfolio ``mask`` (with its pair variables) as a starting solution."""
        col = np.zeros(self.ncol)
        col[self.xi] = mask
        if len(self.yi):
            col[self.yi] = mask[self.pi] & mask[self.pj]
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
            if start is not None:
                mask = np.zeros(self.n, dtype=bool)
                mask[start] = True
                self._warm_start(h, mask)
            h.setOptionValue("mip_max_nodes", 2**31 - 1)
            # --time-limit bounds each step as it bounds the main solve (the step then says so)
            h.setOptionValue("time_limit", float(self.model.time_limit or np.inf))
            h.run()
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
