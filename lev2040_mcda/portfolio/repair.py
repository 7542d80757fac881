"""A portfolio problem's rules as arrays: checking a selection against every rule, and repairing
one (measures dropped and added, exchanged one for one, the LP relaxation's portfolio rounded
down and filled) so that it holds them: the feasible side of every bound of
:mod:`~lev2040_mcda.portfolio.fast`.

A protected limit (a robust budget, :class:`~lev2040_mcda.portfolio.problem.Protection`) is one of
the rules: a selection's use of it is its nominal use plus its reserve (the ``gamma`` largest
overruns among its measures), checked exactly by :meth:`Rules.holds`; filling adds a measure only
when its nominal amount and the growth of the reserve fit, and an exchange is taken only when the
exchanged selection still holds. So every repaired portfolio the explanations rest on keeps the
protected limit, and the explanations and tiers stay exact under a robust budget (the tests
compare them with full re-solves).
"""

from __future__ import annotations

import numpy as np

from .equity import equity_rows
from .model import TIE_BREAK, PortfolioModel, row_scale
from .problem import protection

__all__ = ["Rules"]

_FEAS = 1e-9  # a repaired portfolio must hold this strictly (tighter than the solvers' 1e-7)
_TRIES = 32  # exchanges tried, best first, until one keeps the protected limits


class Rules:
    """The rules of ``model``'s problem as arrays (on the model's row scales)."""

    def __init__(self, model: PortfolioModel):
        self.model, self.p = model, model.p
        self.scale = model.value_scale
        self._arrays()

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
        # protected limits (those the model holds a reserve for): overruns on the row's scale
        self.dev = {r: p.protect[r].deviation / self.model.row_scale[r] for r in self.model.guards}
        self.gamma = {r: float(p.protect[r].gamma) for r in self.model.guards}
        # the equity rows (:mod:`~lev2040_mcda.portfolio.equity`) as the model holds them: c @ x >= 0
        self.equity = [c / row_scale(c) for c in (row.coef for row in equity_rows(p)) if np.any(c != 0)]
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

    def used(self, mask: np.ndarray, r: str) -> float:
        """What a selection uses of ``r`` (on the row's scale), with its reserve when protected."""
        use = float(self.res[r][mask].sum())
        return use + protection(self.dev[r][mask], self.gamma[r]) if r in self.dev else use

    def adds(self, mask: np.ndarray, r: str) -> np.ndarray:
        """What adding each measure not in ``mask`` adds to :meth:`used`: its nominal amount and,
        on a protected limit, how much the reserve grows. With ``s_1 >= s_2 >= ...`` the overruns
        of the selection (0 beyond it), ``gamma = k + f``, the reserve ``s_1 + ... + s_k + f s_(k+1)``
        grows by ``d - (1 - f) s_k - f s_(k+1)`` when ``d >= s_k``, by ``f (d - s_(k+1))`` when
        ``s_(k+1) <= d < s_k``, else not at all."""
        c = self.res[r]
        if r not in self.dev:
            return c
        d, g = self.dev[r], self.gamma[r]
        k = int(np.floor(g))
        f = g - k
        s = np.concatenate([np.sort(d[mask])[::-1], np.zeros(k + 2)])
        sk = s[k - 1] if k >= 1 else np.inf
        sk1 = s[k]
        with np.errstate(invalid="ignore"):
            grow = np.where(d >= sk, d - (1 - f) * sk - f * sk1, np.where(d >= sk1, f * (d - sk1), 0.0))
        return c + grow

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
        if any(self.used(mask, r) > caps[r] + _FEAS for r in self.res if caps[r] is not None):
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
        # the equity rows hold with equality too (a portfolio spending nothing of r meets its
        # budget rule exactly); the rows are homogeneous, so rounding is far below _FEAS
        if any(float(c[mask].sum()) < -_FEAS for c in self.equity):
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
            over = [r for r in self.res if caps[r] is not None and self.used(mask, r) > caps[r] + _FEAS]
            if not over:
                break
            size = sum(self.res[r] + self.dev.get(r, 0.0) for r in over)
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
            for _ in range(_TRIES if self.dev else 1):  # a protected limit: the best exchange that holds
                k = int(np.argmax(delta))
                if not delta.flat[k] > 1e-9 * self.scale:
                    return
                j, i = sel[k // len(out)], out[k % len(out)]
                if self._keeps(mask, j, i, caps):
                    break
                delta.flat[k] = -np.inf
            else:
                return
            mask[j], mask[i] = False, True
            self._fill(mask, allowed, caps, np.zeros(self.n))

    def _keeps(self, mask: np.ndarray, j: int, i: int, caps: dict[str, float]) -> bool:
        """Whether exchanging ``j`` for ``i`` keeps every protected limit (the others are checked
        before, for all exchanges at once)."""
        if not self.dev:
            return True
        trial = mask.copy()
        trial[j], trial[i] = False, True
        return all(caps[r] is None or self.used(trial, r) <= caps[r] + _FEAS for r in self.dev)

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
            for r in self.res:
                if caps[r] is not None:
                    ok &= self.adds(mask, r) <= caps[r] - self.used(mask, r) + _FEAS
            gain = self._gain(mask) / self.scale - TIE_BREAK
            ok &= gain > 1e-12
            cand = np.flatnonzero(ok)
            if not len(cand):
                return
            ratio = gain[cand] / (load[cand] + 1e-9)
            key = np.round(lp_x[cand], 6) * 1e6 + ratio / (np.abs(ratio).max() + 1e-300)
            mask[int(cand[np.argmax(key)])] = True

    def caps(self, limits: dict[str, float] | None = None) -> dict[str, float | None]:
        lim = {**self.p.limits, **(limits or {})}
        return {r: None if lim[r] is None else lim[r] / self.model.row_scale[r] for r in self.res}
