"""Everything ``lev2040 scenarios`` shows, JSON-ready: the consistent scenarios of a CIB model (the
search in chunks on any executor), and on request their robustness to the judgements, an
ensemble of matrices, the succession's attractors with their basins, and a diverse selection as
scenarios for the case."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import Any

from ..case import CIBModel
from ..errors import InputError, Problem
from ..parallel import Scheduler, open_executor, run
from .core import CIBResult, fixed_indices
from .robustness import check_ensemble, ensemble_consistency, robust_margins
from .search import search_chunk, search_chunks
from .select import select_diverse, to_case_scenarios, to_json_dict
from .succession import basins

__all__ = ["PARALLEL_FROM", "find_scenarios", "scenarios_summary"]

PARALLEL_FROM = 5_000_000
"""Scenarios in the space from which a :class:`~lev2040_mcda.parallel.Scheduler` of ``auto``
searches the chunks in local processes: below, the search takes less than starting them."""


def find_scenarios(
    model: CIBModel,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    time_budget: float | None = None,
    executor: Executor | Scheduler | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CIBResult]:
    """Every scenario within ``max_inconsistency``, exactly, in lexicographic order: the chunks of
    :func:`search_chunks` on ``executor`` (``time_budget`` seconds for each), joined in order."""
    _check_fixed(model, fixed)
    chunks = search_chunks(model, fixed)
    done = 0

    def tick(_: list) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(chunks))

    space = math.prod(model.sizes) if model.sizes else 0
    work = [(model, c, max_inconsistency, fixed, time_budget) for c in chunks]
    with open_executor(executor, space, PARALLEL_FROM) as ex:
        parts = run(search_chunk, work, ex, tick)
    return [r for part in parts for r in part]


def scenarios_summary(
    model: CIBModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    robustness: float | None = None,
    ensemble: tuple[CIBModel, ...] = (),
    starts: int = 0,
    seed: int = 2040,
    rule: str = "global",
    select: int | None = None,
    prefix: str = "cib_",
    time_budget: float | None = None,
    executor: Executor | Scheduler | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The JSON of ``lev2040 scenarios``: :func:`~.select.to_json_dict` with the search's terms
    (``space``, ``max_inconsistency``, ``fixed``) and, per scenario, ``robust`` (consistent whatever
    every judgement does within ``±robustness``) and ``consistent_in`` (of the ``ensemble``'s
    matrices, this one first) when asked; ``attractors`` of the succession from ``starts`` seeded
    random starts; ``selected`` (indices into ``scenarios``) and ``case_scenarios`` (their
    scenarios.yaml entries) for ``select``."""
    results = find_scenarios(model, max_inconsistency, fixed, time_budget, executor, progress)
    found = basins(model, starts, seed, rule, fixed) if starts else None
    out = to_json_dict(model, results, found)
    out = {
        "source": model.source,
        "space": math.prod(model.sizes) if model.sizes else 0,
        "max_inconsistency": max_inconsistency,
        "fixed": dict(fixed or {}),
        **out,
    }
    rows = out["scenarios"]
    if robustness is not None:
        for r, row in zip(results, rows):
            margin = robust_margins(model, r.variants, robustness, fixed=fixed).min()
            row["robust"] = bool(margin >= -max_inconsistency)
        out["robustness"] = robustness
    if ensemble:
        check_ensemble([model, *ensemble])
        searched = [results] + [
            find_scenarios(m, max_inconsistency, fixed, time_budget, executor) for m in ensemble
        ]
        members = ensemble_consistency([model, *ensemble], max_inconsistency, fixed, searched=searched)
        inside = {e.variants: e.count for e in members}
        for r, row in zip(results, rows):
            row["consistent_in"] = inside.get(r.variants, 1)
        out["ensemble"] = {"members": [m.source for m in (model, *ensemble)], "scenarios": len(members)}
    if found is not None:
        labels = [d.id for d in model.descriptors]
        out["attractors"] = [
            {
                "states": [
                    {d: model.descriptors[j].variants[v].id for j, (d, v) in enumerate(zip(labels, s))}
                    for s in b.attractor.states
                ],
                "cycle": b.attractor.is_cycle,
                "starts": b.count,
                "share": b.share,
            }
            for b in found
        ]
        out["succession"] = {"rule": rule, "starts": starts, "seed": seed}
    if select is not None:
        chosen = select_diverse(results, select)
        index = {r.variants: k for k, r in enumerate(results)}
        out["selected"] = [index[r.variants] for r in chosen]
        out["case_scenarios"] = to_case_scenarios(model, chosen, prefix)
    return out


def _check_fixed(model: CIBModel, fixed: Mapping[str, str] | None) -> None:
    try:
        fixed_indices(model, fixed)
    except ValueError as exc:
        raise InputError(Problem("--fix", str(exc))) from None
