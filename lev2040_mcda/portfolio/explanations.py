"""Explanations of a portfolio in the case's terms: why each measure is in or out and what one more
unit of each resource is worth (:func:`explain`, by re-solving the one built model), the reasons as
codes with their English sentences (:data:`REASONS`), and why no portfolio exists at all
(:func:`diagnose`, from the data first, then from an elastic model).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np

from ..parallel import Scheduler
from .equity import equity_rows
from .fast import Alternative, FastModel
from .model import PortfolioModel, new_variable, row_scale
from .problem import PortfolioProblem, Solution
from .settle import settle
from .solvers import make_solver, quiet_stdout

__all__ = ["explain", "REASONS", "reason_text", "diagnose", "compare_reasons"]

_EPS = 1e-6


# -- why in, why out --------------------------------------------------------------------------


def explain(
    model: PortfolioModel,
    best: Solution,
    marginal: bool = True,
    *,
    fast: FastModel | None = None,
    exact: bool = False,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
) -> dict[str, Any]:
    """Why each measure is in or out, and what one more unit of each resource is worth.

    Each "loss if removed", "opportunity cost" and marginal value is a re-optimisation, settled in
    the in-process HiGHS model (:class:`~lev2040_mcda.portfolio.fast.FastModel`, ``fast``): exact,
    or where its proof would take more than a budget of nodes, a proven interval (the value None,
    ``exact: false`` and ``loss_interval`` / ``cost_interval`` / ``marginal_interval``). They run on
    ``executor`` (:mod:`lev2040_mcda.parallel`; None: this process), with the same answers wherever.
    ``exact=True`` re-solves the PuLP model fully instead (one solve each, always exact, in this
    process). ``progress(done, total)`` is called as measures and resources are done."""
    p = model.p
    chosen = set(best.selected)
    used = _used(p, chosen)
    forced = p.forced
    rows = [r for r in (model.resource_rows if marginal else []) if p.limits[r] is not None]
    tasks: list[tuple[dict[int, int] | None, dict[str, float] | None]] = [
        ({i: 0 if i in chosen else 1}, None) for i in range(len(p.ids)) if i not in forced or i not in chosen
    ]
    tasks += [(None, {r: p.limits[r] + 1.0}) for r in rows]
    total = len(p.ids) + (len(model.resource_rows) if marginal else 0)
    done = 0

    def step(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done, total)

    if exact:
        alts = []
        for fix, limits in tasks:
            alt = model.solve(fix=fix, limits=limits)
            alts.append(Alternative(True, alt.objective if alt.ok else None))
            step(1)
    else:
        alts = settle(model, best, tasks, fast, executor, step)
    settled = iter(alts)
    out_in, out_out = [], []
    for i in range(len(p.ids)):
        if i in chosen:
            if i in forced:
                why = {"code": _forced_code(p, i)}
                out_in.append(
                    {"id": p.ids[i], "loss_if_removed": None, "note": reason_text(why), "reason": why}
                )
                step(1)
            else:
                alt = next(settled)
                why = {"code": "no_alternative"} if alt.exact and alt.value is None else None
                entry = {
                    "id": p.ids[i],
                    "loss_if_removed": _less(best.objective, alt.value),
                    "note": reason_text(why) if why else "",
                    "reason": why,
                }
                out_in.append(entry | _interval("loss_interval", alt, best.objective, -1))
        else:
            blockers = _blockers(p, i, chosen, used)
            alt = next(settled)
            if alt.exact and alt.value is None:
                blockers.append({"code": "constraints"})
            entry = {
                "id": p.ids[i],
                "opportunity_cost": _less(best.objective, alt.value),
                "blocked_by": [reason_text(b) for b in blockers],
                "reasons": blockers,
            }
            out_out.append(entry | _interval("cost_interval", alt, best.objective, -1))
    margins: dict[str, float | None] = {}
    spans: dict[str, list[float | None]] = {}
    for r in model.resource_rows if marginal else []:
        if p.limits[r] is None:  # no limit: one more unit changes nothing
            margins[r] = 0.0
            step(1)
            continue
        alt = next(settled)
        margins[r] = None if alt.value is None else alt.value - best.objective
        if not alt.exact:
            spans[r] = _interval("span", alt, best.objective, 1)["span"]
    return {
        "selected": out_in,
        "not_selected": out_out,
        "marginal_value": margins,
        **({"marginal_interval": spans} if spans else {}),
    }


def _less(objective: float, value: float | None) -> float | None:
    return None if value is None else objective - value


def _interval(key: str, alt: Alternative, objective: float, sign: int) -> dict[str, Any]:
    """For a result that is not proven: ``exact: false`` and its proven interval (``sign`` -1: the
    objective less the alternative, a loss; 1: the alternative less the objective, a gain). An end
    that is not known is None (no portfolio found: perhaps none exists)."""
    if alt.exact:
        return {}
    ends = [None if v is None else sign * (v - objective) for v in (alt.low, alt.high)]
    return {"exact": False, key: ends if sign > 0 else ends[::-1]}


def _forced_code(p: PortfolioProblem, i: int) -> str:
    return "mandatory" if i in p.mandatory else "included" if i in p.include else "required"


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


def compare_reasons(
    base: PortfolioProblem, before: set[int], now: PortfolioProblem, after: set[int]
) -> dict[str, list[dict[str, Any]]]:
    """Why each measure entered (in ``after``, not in ``before``) or left the portfolio, comparing
    the baseline problem with the problem now (same measures, same order): a rule (an exclusion,
    a requirement, a forced measure), a limit that changed, a value that changed, a measure that
    left or came in its way, or else the resources freed or taken by the other changes."""
    out: dict[str, list[dict[str, Any]]] = {}
    forced, used_after = now.forced, _used(now, after)
    for i in sorted((after - before) | (before - after), key=lambda i: now.ids[i]):
        entered = i in after
        reasons: list[dict[str, Any]] = []
        if entered and i in forced:
            reasons.append({"code": _forced_code(now, i)})
        if not entered:
            reasons += [b for b in _blockers(now, i, after, used_after) if b["code"] != "not_worth"]
        for r in now.resources:
            was, lim = base.limits.get(r), now.limits[r]
            if (
                was != lim
                and base.resources[r][i] > 0
                and (lim is None or was is None or (lim > was) == entered)
            ):
                reasons.append(
                    {
                        "code": "limit_raised" if entered else "limit_lowered",
                        "resource": r,
                        "before": was,
                        "now": lim,
                    }
                )
        v0, v1 = float(base.values[i]), float(now.values[i])
        if abs(v1 - v0) > 1e-9 * max(1.0, abs(v0)) and (v1 > v0) == entered:
            reasons.append({"code": "value_rose" if entered else "value_fell", "before": v0, "now": v1})
        if entered:
            for j in sorted(before - after):
                if (i, j) in now.excludes or (j, i) in now.excludes:
                    reasons.append({"code": "released_by", "measure": now.ids[j]})
        if not reasons:
            reasons.append({"code": "room_freed" if entered else "displaced"})
        out[now.ids[i]] = [{**r, "text": reason_text(r)} for r in reasons]
    return out


def _used(p: PortfolioProblem, chosen: set[int]) -> dict[str, float]:
    sel = sorted(chosen)
    return {r: float(a[sel].sum()) if sel else 0.0 for r, a in p.resources.items()}


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
    "limit_raised": "the limit of {resource} was raised ({before} -> {now})",
    "limit_lowered": "the limit of {resource} was lowered ({before} -> {now})",
    "value_rose": "its value rose ({before} -> {now})",
    "value_fell": "its value fell ({before} -> {now})",
    "released_by": "{measure}, which excludes it, left",
    "room_freed": "resources freed by the other changes",
    "displaced": "what it used goes to measures of more value now",
}
"""Every reason an explanation can give, by code, as the English sentence of the CLI; the JSON
carries the code and its fields too (``reason``, ``reasons``), so other languages translate the code
rather than the sentence (the report's ``why_<code>`` texts)."""


def reason_text(reason: dict[str, Any]) -> str:
    """The English sentence of a structured reason.

    >>> reason_text({"code": "resource", "resource": "cost", "need": 10.0, "left": 2.5})
    'resource cost: needs 10, 2.5 left'
    """
    code = reason["code"]
    shown = {
        k: "no limit" if v is None else f"{v:.3g}" if code.startswith("value_") else f"{v:g}"
        for k, v in reason.items()
        if k in ("before", "now")
    }
    return REASONS[code].format(**{**reason, **shown})


# -- infeasibility ----------------------------------------------------------------------------


def diagnose(p: PortfolioProblem, time_limit: float | None = None) -> list[str]:
    """Why no portfolio exists, in the case's terms: first what can be read off the data, then,
    if nothing is, what an elastic model (every limit may be exceeded, at a price) has to relax.

    ``time_limit`` (seconds, the run's ``--time-limit``) bounds the solve that tells whether the
    equity rules alone stand in the way; when it runs out, the diagnosis takes every rule."""
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
            out.append(f"{_forced_names(p, forced, a)} {need:g}{unit} of {r}; the limit is {lim:g}{unit}")
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
    if not out and p.equity_members and _feasible_without_equity(p, time_limit):
        return _elastic(p, equity_only=True)  # the equity rules alone stand in the way: name them
    return out or _elastic(p)


def _feasible_without_equity(p: PortfolioProblem, time_limit: float | None = None) -> bool:
    """Whether a portfolio exists once the equity rules are dropped (then they are the reason);
    False when ``time_limit`` runs out before the solver finds one."""
    free = dataclasses.replace(p, equity_members={}, populations={})
    return PortfolioModel(free, "highs", time_limit).solve().ok


def _forced_names(p: PortfolioProblem, forced: set[int], a) -> str:
    """The measures that must be selected and take some of a resource, with why each must be:
    ``mandatory m07, m12; included m03 need`` (the largest first; more than 8 are counted)."""
    takers = sorted((i for i in forced if a[i] > 0), key=lambda i: (-a[i], p.ids[i]))
    kinds: dict[str, list[str]] = {}
    for i in takers:
        kinds.setdefault(_forced_code(p, i), []).append(p.ids[i])
    parts = []
    for kind, ids in kinds.items():
        shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        parts.append(f"{kind} {shown}")
    verb = "needs" if len(takers) == 1 else "need"
    return f"{'; '.join(parts)} {verb}" if parts else "the measures that must be selected need"


def _elastic(p: PortfolioProblem, equity_only: bool = False) -> list[str]:
    import pulp

    n = len(p.ids)
    prob = pulp.LpProblem("elastic", pulp.LpMinimize)
    x = [new_variable(prob, f"x_{i}", cat="Binary") for i in range(n)]
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
            s = slack[f"resource {r}"] = new_variable(prob, f"s_r_{r}", 0)
            scale[f"resource {r}"] = max(p.limits[r], 1.0)
            prob += pulp.lpSum(float(a[i]) * x[i] for i in range(n)) <= p.limits[r] + s
    for i, j in p.requires:
        prob += x[i] <= x[j]
    for i, j in p.excludes:
        prob += x[i] + x[j] <= 1
    for g, members in p.goal_members.items():
        s = slack[f"coverage of goal {g}"] = new_variable(prob, f"s_g_{g}", 0)
        scale[f"coverage of goal {g}"] = 1.0
        prob += pulp.lpSum(x[i] for i in members) + s >= p.coverage_min
    for d, members in p.district_members.items():
        if p.balance_min_measures:
            s = slack[f"balance of district {d}"] = new_variable(prob, f"s_d_{d}", 0)
            scale[f"balance of district {d}"] = 1.0
            prob += pulp.lpSum(x[i] for i in members) + s >= p.balance_min_measures
        for r, share in p.balance_min_share.items():
            key = f"balance of district {d} in {r}"
            s = slack[key] = new_variable(prob, f"s_d_{d}_{r}", 0)
            scale[key] = max(float(p.resources[r].sum()), 1.0)
            a = p.resources[r]
            prob += pulp.lpSum(float(a[i]) * x[i] for i in members) + s >= share * pulp.lpSum(
                float(a[i]) * x[i] for i in range(n)
            )
    for k, row in enumerate(equity_rows(p)):  # on the model's row scale: slack in units of ~1
        c = row.coef / row_scale(row.coef)
        s = slack[row.text()] = new_variable(prob, f"s_e_{k}", 0)
        scale[row.text()] = max(float(np.abs(c).sum()), 1.0)
        prob += pulp.lpSum(float(c[i]) * x[i] for i in range(n) if c[i] != 0) + s >= 0
    if p.periods:
        T = len(p.periods)
        z = [[new_variable(prob, f"z_{i}_{t}", cat="Binary") for t in range(T)] for i in range(n)]
        for i in range(n):
            prob += pulp.lpSum(z[i]) == x[i]
        for t, (pid, lims) in enumerate(p.periods):
            for r, v in lims.items():
                key = f"limit of {r} in period {pid}"
                s = slack[key] = new_variable(prob, f"s_p_{pid}_{r}", 0)
                scale[key] = max(v, 1.0)
                a = p.resources[r]
                prob += pulp.lpSum(float(a[i]) * z[i][t] for i in range(n)) <= v + s
        for i, j in p.requires:
            for t in range(T):
                prob += pulp.lpSum(z[i][: t + 1]) <= pulp.lpSum(z[j][: t + 1])
    prob += pulp.lpSum(s / scale[k] for k, s in slack.items())
    for key, s in slack.items() if equity_only else ():  # every other rule as it is
        if not key.startswith("equity "):
            s.upBound = 0
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
            ("equity per resident", bool(p.equity_members)),
            ("goal coverage", bool(p.goal_members)),
            ("periods", bool(p.periods)),
        )
        if present
    ]
    out = []
    relaxed = {key: s.value() for key, s in slack.items() if (s.value() or 0) > _EPS}
    for key, v in relaxed.items():
        if key.startswith("equity "):  # a ratio rule: its slack has no unit to tell
            out.append(f"{key}: cannot hold together with the other rules; relaxing it admits a portfolio")
            continue
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
