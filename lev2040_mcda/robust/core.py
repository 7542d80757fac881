"""Robust across futures and stakeholders: scenarios, regret, max-min, a fair compromise and
core indices.

Each scenario (and the baseline: the case as it is) gets its own portfolio problem; the joint
models share one binary ``x`` per measure and add every scenario's (or group's) constraints and
value expression (:func:`lev2040_mcda.portfolio.model.objective_terms`). Core indices follow Robust
Portfolio Modelling (Liesiö, Mild & Salo 2007): the share of (scenario, weight sample) pairs in
which a measure is in the optimal portfolio; weights are sampled as the sensitivity stage samples
them, with a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np

from ..case import Case, apply_scenario
from ..parallel import Scheduler, open_executor, run
from ..portfolio import (
    TIE_BREAK,
    InfeasiblePortfolio,
    PortfolioModel,
    PortfolioProblem,
    add_constraints,
    add_periods,
    budget_risk,
    build_problem,
    diagnose,
    make_solver,
    measure_pairs,
    measure_values,
    new_variable,
    objective_terms,
    quiet_stdout,
    value_scale,
)
from ..ranking import METHODS, case_weight_samples, estimate_model
from ..weights import weights_summary
from .resolver import _Resolver, _sample_values, _solve_samples  # noqa: F401 (_Resolver: tests)

__all__ = ["BASELINE", "STAGES", "robust_summary", "PARALLEL_FROM"]

BASELINE = "(baseline)"
"""The case as it is, without a scenario (not a valid id, so it never collides with one)."""

PARALLEL_FROM = 10_000
"""Core-index solves times measures from which a :class:`~lev2040_mcda.parallel.Scheduler` of
``auto`` shares the solves among local processes at once (when two cores are available): about
270 solves of the city case's 37 measures, 34 of 300 measures; below, only once the first chunk
shows that the rest would take long."""
CHUNK = 50
"""Samples solved on one fresh model, in either process: the result does not depend on how many
processes there are (ties between equally good portfolios are met in the same order)."""


STAGES = ("scenario portfolios", "regret", "joint portfolios", "group portfolios", "core indices")
"""The steps of :func:`robust_summary`, in order, as its ``stages`` callback names them."""

Stage = Callable[[str, int, int], None]
"""Called as ``stage(name, done, total)``: at the start of each step of :data:`STAGES` (``done``
0) and as its solves are done."""


def _problem(case: Case, scenario: str | None, how: dict, weights: np.ndarray) -> PortfolioProblem:
    """The portfolio problem of ``scenario``; ``how``: measure_values' ``value``, ``method``,
    ``options`` and ``scale``."""
    case_s = apply_scenario(case, scenario)
    values, described = measure_values(case, scenario, weights, **how)
    return build_problem(case_s, values, described, pairs=measure_pairs(case_s))


def _feasible(model: PortfolioModel, chosen: set[int]) -> bool:
    """Whether exactly the measures ``chosen`` form a feasible portfolio of ``model``'s problem."""
    sol = model.solve(fix={i: int(i in chosen) for i in range(len(model.p.ids))})
    return sol.ok


def _joint(
    problems: list[PortfolioProblem], sense: str, optima: list[float], solver: str
) -> tuple[str, list[int], float | None]:
    """One portfolio feasible in every problem: ``maxmin`` maximises the worst value, ``regret``
    minimises the largest regret (optimum - value), ``ratio`` maximises the worst value/optimum."""
    import pulp

    n = len(problems[0].ids)
    prob = pulp.LpProblem("joint", pulp.LpMinimize if sense == "regret" else pulp.LpMaximize)
    x = [new_variable(prob, f"x_{i}", cat="Binary") for i in range(n)]
    t = new_variable(prob, "t")
    # the portfolio model's tie break: of equally good portfolios, the one with fewer measures
    tie = TIE_BREAK * pulp.lpSum(x)
    prob += (t + tie if sense == "regret" else t - tie), "target"
    for k, (p, best) in enumerate(zip(problems, optima)):
        prefix = f"s{k}_"
        value, _ = objective_terms(prob, x, p, prefix)
        add_constraints(prob, x, p, prefix)
        add_periods(prob, x, p, prefix)
        if sense == "maxmin":
            prob += t <= value, f"{prefix}worst"
        elif sense == "regret":
            prob += t >= best - value, f"{prefix}regret"
        else:
            prob += t * max(best, 1e-12) <= value, f"{prefix}ratio"
    forced = set().union(*(p.mandatory | p.include for p in problems))
    for i in forced:
        x[i].lowBound = 1
    with quiet_stdout():
        prob.solve(make_solver(solver))
    status = pulp.LpStatus[prob.status]
    if status != "Optimal":
        return status.lower(), [], None
    return "optimal", [i for i, xi in enumerate(x) if (xi.value() or 0) > 0.5], float(t.value())


def robust_summary(
    case: Case,
    *,
    method: str,
    options: dict,
    weights: np.ndarray,
    weights_info: dict,
    value: str = "fixed",
    samples: int = 200,
    seed: int = 2040,
    sampler: str = "dirichlet",
    solver: str = "cbc",
    scenarios: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | Scheduler | None = None,
    stages: Stage | None = None,
    estimates: str = "uncertain",
) -> dict[str, Any]:
    """Everything ``lev2040 robust`` shows, JSON-ready.

    ``estimates="uncertain"`` (default): each core-index sample draws the case's uncertain
    estimates of the criteria (uncertainty.csv) with its weights, so a core index is the share of
    (scenario, weight sample, value sample) triples in which a measure is optimal; ``budget`` is the
    probability that the baseline portfolio holds each limit whose costs are uncertain
    (:func:`~lev2040_mcda.portfolio.budget_risk`). ``"exact"`` takes measures.csv's numbers as
    they are.

    ``value``: how measures are valued (as in :func:`~lev2040_mcda.portfolio.portfolio_summary`;
    the fixed scale, the default, is the same in every scenario, so values and regrets across
    scenarios compare like with like). ``executor``: where the core-index solves run (see
    :mod:`lev2040_mcda.parallel`; None: this process; a :class:`~lev2040_mcda.parallel.Scheduler`
    of ``auto`` shares them among local processes from :data:`PARALLEL_FROM` on). The result
    does not depend on it. A local pool spawns processes: a script that asks for them needs the
    ``if __name__ == "__main__":`` guard of :mod:`multiprocessing`.

    ``progress(done, total)`` is called as the core-index solves are done; ``stages(name, done,
    total)`` as the solves of every step of :data:`STAGES` are (the scenario portfolios, the
    regret table's cross-valuations, the joint portfolios and their values in each scenario, the
    groups' own portfolios and the fair compromise, the core indices). Neither changes the result.

    Scenarios, groups and submissions are optional: without scenarios only the baseline is
    compared. What needs stakeholder submissions is skipped, the rest runs: the fair compromise
    between the groups without a usable submission, without groups in the case or when no group's
    own optimum has a value; the core indices with ``sampler="submissions"`` and nothing to
    resample. ``skipped`` (part -> reason: ``groups``, ``core_index``; present only when one is)
    says why, and the part is empty (``groups.compromise`` None, ``core_index`` [])."""
    names = [BASELINE] + [s.id for s in case.scenarios] if scenarios is None else scenarios
    ids = [m.id for m in case.measures]
    label = {m.id: m.name for m in case.measures}
    scale = value_scale(case) if value == "fixed" else None
    how = {"value": value, "method": method, "options": options, "scale": scale}
    tell = stages or (lambda _name, _done, _total: None)
    problems, models, best = [], [], []
    tell(STAGES[0], 0, len(names))
    for s in names:
        p = _problem(case, None if s == BASELINE else s, how, weights)
        model = PortfolioModel(p, solver)
        sol = model.solve()
        if not sol.ok:
            why = diagnose(p)
            raise InfeasiblePortfolio(
                f"no portfolio in scenario {s}:\n" + "\n".join(f"- {line}" for line in why),
                [f"scenario {s}: {line}" for line in why],
            )
        problems.append(p)
        models.append(model)
        best.append(sol)
        tell(STAGES[0], len(best), len(names))
    S = len(names)
    chosen = [set(b.selected) for b in best]
    optima = [float(b.objective) for b in best]
    inclusion = [
        {
            "id": mid,
            "name": label[mid],
            "scenarios": {s: i in chosen[k] for k, s in enumerate(names)},
            "count": sum(i in c for c in chosen),
        }
        for i, mid in enumerate(ids)
    ]
    cross = np.full((S, S), np.nan)  # the portfolio of scenario a valued in scenario b
    tell(STAGES[1], 0, S * (S - 1))
    for a in range(S):
        for b in range(S):
            if a == b or _feasible(models[b], chosen[a]):
                cross[a, b] = problems[b].value(chosen[a])
            if a != b:
                tell(STAGES[1], a * (S - 1) + b - (b > a) + 1, S * (S - 1))
    regret = np.array(optima)[None, :] - cross
    np.fill_diagonal(regret, 0.0)

    # the two joint models, then each joint portfolio checked and valued in every scenario
    joint_total, joint_done = 2 + 2 * S, [0]

    def joint_step(count: int = 1) -> None:
        joint_done[0] += count
        tell(STAGES[2], joint_done[0], joint_total)

    tell(STAGES[2], 0, joint_total)
    maxmin_status, maxmin_sel, worst = _joint(problems, "maxmin", optima, solver)
    joint_step()
    mmr_status, mmr_sel, max_regret = _joint(problems, "regret", optima, solver)
    joint_step()

    def values_of(sel: list[int]) -> dict[str, float | None]:
        if not sel:
            joint_step(S)
            return {}
        values = {}
        for k, s in enumerate(names):
            values[s] = problems[k].value(set(sel)) if _feasible(models[k], set(sel)) else None
            joint_step()
        return values

    maxmin_values = values_of(maxmin_sel)
    mmr_values = values_of(mmr_sel)
    summary = weights_summary(case)
    skipped: dict[str, str] = {}
    groups = _groups(case, summary, how, solver, best[0].selected, problems[0], tell)
    if "skipped" in groups:
        skipped["groups"] = groups["skipped"]
    if sampler == "submissions" and "skipped" in summary:
        skipped["core_index"] = "no submissions to resample: " + summary["skipped"]["consensus"]
        core = []
    else:

        def solved(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            tell(STAGES[4], done, total)

        tell(STAGES[4], 0, samples * S)
        core = _core_indices(
            case,
            names,
            problems,
            how,
            weights,
            samples,
            seed,
            sampler,
            solved,
            executor,
            estimates == "uncertain",
        )
    mmr_regrets = {s: (None if v is None else optima[k] - v) for k, (s, v) in enumerate(mmr_values.items())}
    return {
        "value": value,
        **({"value_scale": scale.as_json()} if scale is not None else {}),
        "method": method,
        "label": METHODS[method].label,
        "weights_source": weights_info,
        "scenarios": names,
        "portfolios": {
            s: {"selected": sorted(ids[i] for i in chosen[k]), "objective": optima[k]}
            for k, s in enumerate(names)
        },
        "inclusion": inclusion,
        "core": [r["id"] for r in inclusion if r["count"] == S],
        "contested": [r["id"] for r in inclusion if 0 < r["count"] < S],
        "never": [r["id"] for r in inclusion if r["count"] == 0],
        "regret": {
            "scenarios": names,
            "note": "row = the portfolio of scenario i, column = valued "
            "in scenario j; null where it is not feasible there",
            "value": _nan_none(cross),
            "regret": _nan_none(regret),
        },
        "maxmin": {
            "status": maxmin_status,
            "selected": sorted(ids[i] for i in maxmin_sel),
            "worst": _extreme(min, maxmin_values.values(), worst),
            "values": maxmin_values,
        },
        "minmax_regret": {
            "status": mmr_status,
            "selected": sorted(ids[i] for i in mmr_sel),
            "max_regret": _extreme(max, mmr_regrets.values(), max_regret),
            "regrets": mmr_regrets,
        },
        "groups": groups,
        "core_index": core,
        "sampling": {"sampler": sampler, "samples": samples, "seed": seed},
        "estimates": _estimates_used(case, estimates),
        "budget": budget_risk(case, best[0].selected, seed=seed) if estimates == "uncertain" else {},
        "solves": sum(m.solves for m in models) + len(names) * samples * bool(core) + 3,
        **({"skipped": skipped} if skipped else {}),
    }


def _estimates_used(case: Case, estimates: str) -> dict[str, Any]:
    """Whether the core indices drew uncertain estimates, from which file, and how many."""
    cells = len(case.uncertainty.on(case.criterion_ids)) if estimates == "uncertain" else 0
    return {
        "mode": "uncertain" if cells else "exact",
        "source": case.uncertainty.source if cells else None,
        "cells": cells,
    }


def _extreme(pick, values, fallback: float | None) -> float | None:
    """min/max of values recomputed from the data (not the solver's rounded target)."""
    known = [v for v in values if v is not None]
    return float(pick(known)) if known else fallback


def _nan_none(a: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in a]


def _groups(
    case: Case,
    summary: dict[str, Any],
    how: dict,
    solver: str,
    consensus: list[int],
    base: PortfolioProblem,
    tell: Stage,
) -> dict[str, Any]:
    """Each group's own optimum, the fair compromise (max-min of value / own optimum), and each
    group's satisfaction with the consensus portfolio and with the compromise.

    ``summary`` is the case's :func:`~lev2040_mcda.weights.weights_summary`. Without a usable
    submission or without groups in the case there is nothing to compromise between: the
    result is empty, with ``skipped`` saying why (as when no group's optimum has a value).
    ``tell`` is told of each solve (:data:`STAGES`' "group portfolios")."""
    empty = {"portfolios": {}, "compromise": None, "satisfaction": {}}
    if "skipped" in summary:
        return {**empty, "skipped": summary["skipped"]["consensus"]}
    if not case.groups:
        return {**empty, "skipped": "the case has no stakeholder groups (case.yaml `groups`)"}
    crit = case.criterion_ids
    problems, optima, own = {}, {}, {}
    total = len(summary["groups"]) + 1  # each group's own optimum, then the compromise
    tell(STAGES[3], 0, total)
    for k, g in enumerate(summary["groups"]):
        w = np.array([g["weights"][c] for c in crit])
        p = _problem(case, None, how, w)
        sol = PortfolioModel(p, solver).solve()
        if sol.ok and sol.objective > 0:
            problems[g["id"]], optima[g["id"]], own[g["id"]] = p, float(sol.objective), sol.selected
        tell(STAGES[3], k + 1, total)
    if not problems:
        return {**empty, "skipped": "no group's own best portfolio has a value above 0"}
    order = list(problems)
    status, sel, worst = _joint([problems[g] for g in order], "ratio", [optima[g] for g in order], solver)
    tell(STAGES[3], total, total)
    ids = base.ids

    def ratio(g: str, chosen: list[int]) -> float:
        return problems[g].value(set(chosen)) / optima[g]

    return {
        "portfolios": {
            g: {"selected": sorted(ids[i] for i in own[g]), "objective": optima[g]} for g in order
        },
        "compromise": {
            "status": status,
            "selected": sorted(ids[i] for i in sel),
            "worst_ratio": min(ratio(g, sel) for g in order) if sel else worst,
            "ratios": {g: ratio(g, sel) for g in order},
        },
        "satisfaction": {
            g: {"consensus": ratio(g, consensus), "compromise": ratio(g, sel), "own": 1.0} for g in order
        },
        "note": "satisfaction = the portfolio's value under the group's own weights / the value "
        "of the group's own optimal portfolio",
    }


def _core_indices(
    case: Case,
    names: list[str],
    problems: list[PortfolioProblem],
    how: dict,
    weights: np.ndarray,
    samples: int,
    seed: int,
    sampler: str,
    progress,
    executor: Executor | Scheduler | None = None,
    uncertain: bool = False,
) -> list[dict[str, Any]]:
    """Share of (scenario, weight sample) pairs in which each measure is optimal to select (with
    ``uncertain``: each sample draws the criteria's uncertain estimates too, seeded per scenario).

    The samples of a scenario go in chunks of :data:`CHUNK`; each chunk's model is handed to HiGHS
    once (via highspy, one thread, whatever the solver of the other steps: CBC would be started
    anew for every sample), and each sample only changes the objective coefficients (values and
    pair terms) before the next solve. The chunks run on ``executor``
    (:func:`lev2040_mcda.parallel.run`): the same chunks on fresh models wherever they are solved,
    so the same result.
    """
    rng = np.random.default_rng(seed)
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    W = case_weight_samples(case, rng, samples, sampler, center=w)
    n = len(problems[0].ids)
    chunks = []  # (scenario's problem, the values of every sample: measures x samples)
    for k, (s, p) in enumerate(zip(names, problems)):
        scenario = None if s == BASELINE else s
        model = estimate_model(case, case.criterion_ids, scenario) if uncertain else None
        drawn = model if model is not None and model.size else None
        chunks.append((p, _sample_values(case, scenario, how, W, drawn, (seed, 21, k))))
    total = samples * len(names)
    work = [(p, values[:, k : k + CHUNK]) for p, values in chunks for k in range(0, values.shape[1], CHUNK)]
    hits = np.zeros(n)
    done = 0

    def counted(result: tuple[np.ndarray, int]) -> None:
        nonlocal done
        done += result[1]
        if progress is not None:
            progress(done, total)

    with open_executor(executor, total * n, PARALLEL_FROM) as ex:
        for got, _ in run(_solve_samples, work, ex, counted):
            hits += got
    share = hits / max(total, 1)
    return [
        {
            "id": p_id,
            "name": name,
            "core_index": float(c),
            "class": "no-regret" if c >= 1 - 1e-12 else "exterior" if c <= 1e-12 else "borderline",
        }
        for p_id, name, c in zip(problems[0].ids, problems[0].names, share)
    ]
