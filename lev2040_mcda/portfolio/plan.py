"""Portfolio runs as the CLI shows them: values, the optimum, explanations, frontier, what-if.

Builds on the problem (:mod:`~lev2040_mcda.portfolio.problem`), the model
(:mod:`~lev2040_mcda.portfolio.model`), the explanations (:mod:`~lev2040_mcda.portfolio.explanations`) and
the values of :mod:`lev2040_mcda.ranking.rank`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np

from ..case import Case, apply_scenario
from ..errors import InputError, Problem, did_you_mean
from ..parallel import Scheduler
from ..stadtcheck import equity as district_equity
from .budget_risk import SAMPLES, budget_risk, robust_budget, uncertain_limits
from .delivers import delivers
from .equity import equity_report, split_fair, use_need
from .explanations import compare_reasons, diagnose, explain
from .fast import FastModel
from .model import PortfolioModel, earliest_starts
from .problem import InfeasiblePortfolio, PortfolioProblem, Solution, build_problem
from .settle import solve_steps
from .values import measure_values, value_scale

__all__ = [
    "measure_pairs",
    "solve_portfolio",
    "portfolio_summary",
    "frontier_points",
    "exact_frontier_points",
    "frontier_summary",
    "portfolio_work",
]


def measure_pairs(case: Case) -> list[tuple[str, str, float]] | None:
    """Signed measure pairs from the conflict graph when the case asks for derived pairs
    (``portfolio: {derive_pairs: true}``); ``None``: the explicit interactions only."""
    if not case.config.portfolio.derive_pairs:
        return None
    from ..conflicts import analyse_conflicts

    result = analyse_conflicts(case, derive_pairs=True)
    return [(p["a"], p["b"], p["strength"] * p["sign"]) for p in result["measure_pairs"]]


def solve_portfolio(
    problem: PortfolioProblem, solver: str, time_limit: float | None
) -> tuple[PortfolioModel, Solution]:
    """Build and solve; an infeasible problem raises :class:`InfeasiblePortfolio` with reasons."""
    model = PortfolioModel(problem, solver, time_limit)
    best = model.solve()
    if best.status == "infeasible":
        reasons = diagnose(problem, time_limit)
        raise InfeasiblePortfolio(
            "no portfolio satisfies the constraints:\n" + "\n".join(f"- {line}" for line in reasons), reasons
        )
    if not best.ok:
        within = f" within the time limit of {time_limit:g} s" if time_limit is not None else ""
        raise InfeasiblePortfolio(
            f"the solver found no portfolio{within}, and did not prove that "
            "none exists; try a longer --time-limit",
            status=best.status,
        )
    return model, best


def _resources(problem: PortfolioProblem, selected: list[int]) -> dict[str, dict[str, Any]]:
    return {
        r: {
            "used": float(a[selected].sum()) if selected else 0.0,
            "limit": problem.limits[r],
            "unit": problem.units.get(r),
        }
        for r, a in problem.resources.items()
    }


def _value_of(value: str, objective: str | None) -> str:
    return "column" if objective is not None else value


def portfolio_summary(
    case: Case,
    *,
    method: str,
    options: dict,
    weights: np.ndarray | None,
    weights_info: dict,
    value: str = "fixed",
    objective: str | None = None,
    limits: dict[str, float] | None = None,
    include: tuple = (),
    exclude: tuple = (),
    coverage: int | None = None,
    scenario: str | None = None,
    solver: str = "cbc",
    time_limit: float | None = None,
    explanations: bool = True,
    tiers: int = 10,
    compare: bool = False,
    budget_confidence: float | None = None,
    budget_samples: int = SAMPLES,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
    **fair: Any,
) -> dict[str, Any]:
    """Everything ``lev2040 portfolio`` shows (the output contract of its JSON).

    ``fair``: need and equity (:func:`~lev2040_mcda.portfolio.equity.split_fair`: ``need_weighting``, ``min_benefit_per_resident``,
    ``min_budget_share``; :mod:`~lev2040_mcda.portfolio.equity`), None for the case's own.

    ``budget_risk``: when a limited resource has ranges (uncertainty.csv), the probability that the
    portfolio stays within each such limit (:func:`~lev2040_mcda.portfolio.budget_risk`,
    ``budget_samples`` draws, the case's seed). ``budget_confidence`` P: the portfolio is the one of
    the robust budget that holds each such limit with probability >= P
    (:func:`~lev2040_mcda.portfolio.robust_budget`, ``robust_budget`` in the result); its tiers and
    explanations keep the reserve (the repair's rules know it: see
    :mod:`~lev2040_mcda.portfolio.repair`).

    ``value``: how measures are valued (:data:`~lev2040_mcda.portfolio.values.VALUE_KINDS`);
    ``method`` and ``options`` matter only for ``rescaled-score``. The tiers and explanations
    re-optimise in one HiGHS model held in process, whatever ``solver`` made the portfolio (the
    explanations' re-optimisations on ``executor``, see :mod:`lev2040_mcda.parallel`; the same
    answers wherever they run); ``progress(done, total)`` is called as their steps are done (:func:`portfolio_work` of them)."""
    case_s = apply_scenario(case, scenario)
    scale = value_scale(case) if value == "fixed" and objective is None else None
    kw = {"value": value, "method": method, "options": options, "column": objective, "scale": scale}
    need, rules = split_fair(**fair)
    values, described = measure_values(case, scenario, weights, **kw, **need)
    problem = build_problem(
        case_s, values, described, limits, include, exclude, coverage, measure_pairs(case_s), **rules
    )
    model, best = solve_portfolio(problem, solver, time_limit)
    seed, robust = case.config.defaults.seed, None
    if budget_confidence is not None:
        rb = {"solver": solver, "time_limit": time_limit, "samples": budget_samples, "seed": seed}
        before = model.solves
        model, best, robust = robust_budget(case, problem, best, budget_confidence, **rb, scenario=scenario)
        problem, model.solves = model.p, model.solves + before
    sel = sorted(best.selected, key=lambda i: problem.ids[i])
    # the model's own starts are one schedule among equally good ones: show the earliest
    starts = (earliest_starts(problem, best.selected, solver, time_limit) or best.start) if best.start else {}
    out: dict[str, Any] = {
        "status": best.status,
        "proven_optimal": best.proven,
        "gap": best.gap,
        "bound": best.bound,
        "solver": solver,
        "objective": best.objective,
        "objective_is": described,
        "value": _value_of(value, objective),
        **({"value_scale": scale.as_json()} if scale is not None else {}),
        "value_parts": problem.value_parts(best.selected),
        "scenario": scenario,
        "weights_source": weights_info,
        "method": method if value == "rescaled-score" and objective is None else None,
        "selected": [problem.ids[i] for i in sel],
        "resources": _resources(problem, best.selected),
        "periods": [
            {
                "id": pd.id,
                "title": pd.title or pd.id,
                "resources": {
                    r: {
                        "used": float(sum(problem.resources[r][i] for i in sel if starts.get(i) == t)),
                        "limit": lim,
                    }
                    for r, lim in pd.limits.items()
                },
            }
            for t, pd in enumerate(case.config.periods)
        ]
        if starts
        else [],
        "measures": [
            {
                "id": problem.ids[i],
                "name": problem.names[i],
                "value": float(values[i]),
                **({"start": case.config.periods[starts[i]].id} if starts else {}),
            }
            for i in sel
        ],
        "delivers": delivers(case_s, best.selected),
        **equity_report(problem, best.selected, use_need(case, need.get("need_weighting"))),
    }
    if case.stadtcheck is not None:  # where the package lands: per district, per resident (stadtcheck)
        worth = {problem.ids[i]: float(values[i]) for i in range(len(problem.ids))}
        out["spread"] = district_equity(case_s, out["selected"], values=worth).to_json()
    if uncertain_limits(case, problem.limits):
        risk = {"samples": budget_samples, "seed": seed, "scenario": scenario, "limits": problem.limits}
        out["budget_risk"] = budget_risk(case, best.selected, **risk)
    if robust is not None:
        out["robust_budget"] = robust
    total = portfolio_work(len(problem.ids), len(problem.resources), explanations, tiers)
    tier_steps = tiers if tiers and problem.resources else 0
    # the in-process model serves the explanations, and the tier steps when HiGHS solves
    fast = FastModel(model) if explanations or (tier_steps and solver == "highs") else None
    if tier_steps:
        first = next(iter(problem.limits))
        # the steps are full solves: in process when HiGHS solves, else by the main solver (CBC
        # proves these knapsacks faster than HiGHS, even with HiGHS's warm start in process)
        steps_by = fast if solver == "highs" else None
        points = frontier_points(
            model, first, tiers, fast=steps_by, progress=_part(progress, 0, total), executor=executor
        )
        tier_of = _tiers(points, best.selected)
        out["priority"] = {
            "resource": first,
            "steps": tiers,
            "tiers": {problem.ids[i]: tier_of.get(i) for i in sel},
        }
        for m in out["measures"]:
            m["tier"] = out["priority"]["tiers"][m["id"]]
    if explanations:
        out["explanations"] = explain(
            model, best, fast=fast, progress=_part(progress, tier_steps, total), executor=executor
        )
    if compare:
        # the case's defaults: no scenario, no overrides
        base_values, base_desc = measure_values(case, None, weights, **kw)
        base_problem = build_problem(case, base_values, base_desc, pairs=measure_pairs(case))
        _, base = solve_portfolio(base_problem, solver, time_limit)
        before = {base_problem.ids[i] for i in base.selected}
        after = set(out["selected"])
        out["compare"] = {
            "baseline_objective": base.objective,
            "objective": best.objective,
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "why": compare_reasons(base_problem, set(base.selected), problem, set(best.selected)),
            "resources": {
                r: {"baseline": v["used"], "now": out["resources"][r]["used"]}
                for r, v in _resources(base_problem, base.selected).items()
            },
            "note": "objectives are comparable when both use the same values (same scenario and weights)"
            if scenario and value != "fixed"
            else "",
        }
    out["solves"] = model.solves
    return out


def portfolio_work(measures: int, resources: int, explanations: bool, tiers: int) -> int:
    """How many steps the tiers and explanations of ``portfolio`` take (what its progress counts)."""
    return (tiers if tiers and resources else 0) + ((measures + resources) if explanations else 0)


def _part(progress: Callable[[int, int], None] | None, offset: int, total: int):
    """A part's progress as a share of the whole: ``done`` of the part is ``offset + done``."""
    if progress is None:
        return None
    return lambda done, _of: progress(offset + done, total)


def frontier_points(
    model: PortfolioModel,
    resource: str,
    steps: int,
    *,
    fast: FastModel | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
) -> list[dict[str, Any]]:
    """The epsilon-constraint frontier: the optimum at ``steps`` levels of ``resource`` between the
    least that any portfolio within the rules needs (so the first step is feasible) and the
    resource's limit (or total).

    With ``fast`` every step is a full solve in the HiGHS model held in process (the limit a row
    bound), started from the step before's portfolio, which fits the higher level too. The steps go
    in fixed chunks on ``executor`` (:func:`~lev2040_mcda.portfolio.settle.solve_steps`): the same
    points wherever they are solved."""
    p = model.p
    a = p.resources[resource]
    hi = p.limits[resource] if p.limits[resource] is not None else float(a.sum())
    least = model.least(resource)
    forced = list(p.forced)
    lo = least if least is not None else float(a[forced].sum()) if forced else 0.0
    lo = min(lo, hi)
    levels = np.linspace(lo, hi, steps) if steps > 1 else np.array([hi])
    done = 0

    def step(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done, len(levels))

    sols = solve_steps(model, resource, [float(v) for v in levels], fast, executor, step)
    return _points(a, [(float(v), sol) for v, sol in zip(levels, sols)])


def exact_frontier_points(
    model: PortfolioModel, resource: str, max_points: int = 500, *, fast: FastModel | None = None
) -> list[dict[str, Any]]:
    """Every Pareto-optimal (value, resource) point, by the epsilon-constraint method proper:
    solve at the limit, then again just below what that optimum uses, until nothing is feasible
    (or ``max_points`` are found). Each point is a distinct optimal portfolio."""
    p = model.p
    a = p.resources[resource]
    level = p.limits[resource] if p.limits[resource] is not None else float(a.sum())
    found = []
    while len(found) < max_points:
        sol = fast.solve({resource: level}) if fast is not None else model.solve(limits={resource: level})
        if not sol.ok:
            break
        if found and abs(sol.objective - found[-1][1].objective) <= 1e-9 * max(1.0, abs(sol.objective)):
            found[-1] = (level, sol)  # the same value for less: that is the Pareto point
        else:
            found.append((level, sol))
        used = float(a[sol.selected].sum()) if sol.selected else 0.0
        if used <= 0:
            break
        level = used - 1e-6 * max(1.0, used)
    return _points(a, list(reversed(found)))


def _points(a: np.ndarray, solved: list[tuple[float, Solution]]) -> list[dict[str, Any]]:
    points, previous = [], set()
    for k, (level, sol) in enumerate(solved):
        chosen = set(sol.selected) if sol.ok else set()
        points.append(
            {
                "step": k + 1,
                "level": level,
                "status": sol.status,
                "objective": sol.objective,
                "selected": sorted(chosen),
                "used": float(a[list(chosen)].sum()) if chosen else 0.0,
                "entering": sorted(chosen - previous),
                "leaving": sorted(previous - chosen),
                "new_portfolio": bool(chosen != previous),
            }
        )
        previous = chosen
    return points


def _tiers(points: list[dict[str, Any]], selected: list[int]) -> dict[int, int]:
    """The frontier step from which each measure stays in the portfolio as the resource grows."""
    out = {}
    for i in selected:
        tier = None
        for pt in reversed(points):
            if i in pt["selected"]:
                tier = pt["step"]
            else:
                break
        out[i] = tier if tier is not None else len(points)
    return out


def frontier_summary(
    case: Case,
    *,
    resource: str,
    steps: int | None,
    method: str,
    options: dict,
    weights: np.ndarray | None,
    weights_info: dict,
    value: str = "fixed",
    objective: str | None = None,
    limits: dict[str, float] | None = None,
    include: tuple = (),
    exclude: tuple = (),
    coverage: int | None = None,
    scenario: str | None = None,
    solver: str = "cbc",
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
    **fair: Any,
) -> dict[str, Any]:
    """Everything ``lev2040 frontier`` shows (``value`` and ``fair`` as in :func:`portfolio_summary`); the steps
    are solved in the HiGHS model held in process with ``solver="highs"`` (by CBC through PuLP
    otherwise), in chunks on ``executor`` (:func:`frontier_points`), ``progress(done, steps)``
    called as they are done."""
    case_s = apply_scenario(case, scenario)
    if resource not in case_s.resources:
        raise InputError(
            Problem(
                "--resource",
                f"unknown resource {resource!r} (expected one of {', '.join(case_s.resources) or 'none'})"
                + did_you_mean(resource, case_s.resources),
            )
        )
    kw = {"value": value, "method": method, "options": options, "column": objective}
    need, rules = split_fair(**fair)
    values, described = measure_values(case, scenario, weights, **kw, **need)
    problem = build_problem(
        case_s, values, described, limits, include, exclude, coverage, measure_pairs(case_s), **rules
    )
    model, _ = solve_portfolio(problem, solver, time_limit)
    fast = FastModel(model) if solver == "highs" else None  # as the tiers of portfolio_summary
    points = (
        exact_frontier_points(model, resource, fast=fast)
        if steps is None
        else frontier_points(model, resource, steps, fast=fast, progress=progress, executor=executor)
    )
    ids = problem.ids
    return {
        "resource": resource,
        "unit": problem.units.get(resource),
        "steps": len(points) if steps is None else steps,
        "exact": steps is None,
        "objective_is": described,
        "value": _value_of(value, objective),
        "scenario": scenario,
        "weights_source": weights_info,
        "solver": solver,
        "points": [
            {
                **pt,
                "selected": [ids[i] for i in pt["selected"]],
                "entering": [ids[i] for i in pt["entering"]],
                "leaving": [ids[i] for i in pt["leaving"]],
            }
            for pt in points
        ],
        "distinct_portfolios": sum(pt["new_portfolio"] and pt["status"] == "optimal" for pt in points),
        "solves": model.solves,
    }
