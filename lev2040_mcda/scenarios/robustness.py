"""Robustness of the judgements: scenarios that stay consistent when the judgements move.

Two views. (1) Every judgement may be off by up to ``d`` (``±1`` is one step of the scale). A
scenario's descriptor ``j`` with chosen variant ``a`` stays ahead of a rival ``c`` of its block in
the worst case when ``B[a] - B[c] - d * (w[a] + w[c]) >= -K``, where ``w[col]`` counts the
judgements that enter ``B[col]`` (one per other descriptor's chosen row): the adversary lowers
each judgement on ``a`` by ``d`` and raises each on ``c`` by ``d``, which is the worst any
perturbation within ``±d`` can do, because the balance is a sum of independent cells. So the test
is exact and analytic, no sampling. ``keep_zeros`` leaves the empty cells ("no influence") alone.
(2) Several matrices of the same structure (one per expert group): in how many of them each
scenario is consistent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lev2040_mcda.case import CIBModel
from lev2040_mcda.errors import InputErrors, Problem

from .core import CIBResult, Scenario, evaluate, fixed_indices
from .search import consistent_scenarios

__all__ = [
    "EnsembleResult",
    "ensemble_consistency",
    "robust_margins",
    "robust_scenarios",
    "robustness_radius",
]


def _gaps_and_weights(
    model: CIBModel, scenario: Scenario, keep_zeros: bool
) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Per descriptor: B[a] - B[c] and w[a] + w[c] for every rival c of its block, and j."""
    x = np.asarray(scenario, dtype=np.int64)
    rows = model.matrix[np.asarray(model.offsets) + x]  # (n, V): the chosen rows
    b = rows.sum(axis=0)
    movable = (rows != 0) if keep_zeros else np.ones(rows.shape, dtype=bool)
    out = []
    for j, (o, n) in enumerate(zip(model.offsets, model.sizes, strict=True)):
        others = np.ones(len(x), dtype=bool)
        others[j] = False  # a descriptor's own row has no judgements on its own block
        w = movable[others, o : o + n].sum(axis=0)
        a = x[j]
        rivals = np.array([c for c in range(n) if c != a], dtype=np.int64)
        out.append((b[o + a] - b[o + rivals], w[a] + w[rivals], j))
    return out


def robust_margins(
    model: CIBModel,
    scenario: Scenario,
    d: float = 1,
    keep_zeros: bool = False,
    fixed: Mapping[str, str] | None = None,
) -> np.ndarray:
    """Per descriptor, the worst-case margin of its chosen variant over its best rival when every
    judgement may move by ``±d`` (negative: it can lose consistency). Fixed descriptors (an
    intervention) are exempt: ``inf``; a descriptor with one variant has no rival: ``inf``."""
    frozen = fixed_indices(model, fixed)
    margins = np.full(len(model.sizes), np.inf)
    for gap, w, j in _gaps_and_weights(model, scenario, keep_zeros):
        if j not in frozen and len(gap):
            margins[j] = float((gap - d * w).min())
    return margins


def robust_scenarios(
    model: CIBModel,
    results: Iterable[CIBResult],
    d: float = 1,
    max_inconsistency: int = 0,
    keep_zeros: bool = False,
    fixed: Mapping[str, str] | None = None,
) -> list[CIBResult]:
    """The results that stay within ``max_inconsistency`` whatever judgements move by ``±d``."""
    return [
        r
        for r in results
        if robust_margins(model, r.variants, d, keep_zeros, fixed).min() >= -max_inconsistency
    ]


def robustness_radius(
    model: CIBModel, scenario: Scenario, keep_zeros: bool = False, fixed: Mapping[str, str] | None = None
) -> float:
    """The largest ``d`` for which the scenario stays consistent in the worst case (0 when a tie
    already decides it; ``inf`` when no judgement can break it)."""
    frozen = fixed_indices(model, fixed)
    radius = np.inf
    for gap, w, j in _gaps_and_weights(model, scenario, keep_zeros):
        if j in frozen:
            continue
        if (gap < 0).any():
            return 0.0
        acting = w > 0
        if acting.any():
            radius = min(radius, float((gap[acting] / w[acting]).min()))
    return radius


def check_ensemble(models: Sequence[CIBModel]) -> None:
    """Raise :class:`InputErrors` for each member whose descriptors or variants differ from the
    first member's (one located problem per member)."""
    first = models[0].labels if models else ()
    problems = [
        Problem(path=m.source or f"ensemble member {k + 1}", reason=_mismatch(first, m.labels))
        for k, m in enumerate(models[1:], 1)
        if m.labels != first
    ]
    if problems:
        raise InputErrors(problems)


@dataclass(frozen=True)
class EnsembleResult:
    """A scenario and the ensemble members (indices into ``models``) in which it is consistent."""

    variants: Scenario
    consistent_in: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.consistent_in)


def ensemble_consistency(
    models: Sequence[CIBModel],
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    searched: Sequence[Sequence[CIBResult]] | None = None,
) -> list[EnsembleResult]:
    """Every scenario consistent in at least one of ``models``, with the members it is consistent in.

    The models must share descriptors and variants (the same labels in the same order); each
    member is searched exactly and every scenario found is evaluated in every member. Sorted by
    count (descending), then scenario.

    Raises
    ------
    InputErrors : a member whose descriptors or variants differ from the first member's.
    """
    if not models:
        return []
    check_ensemble(models)
    frozen = fixed_indices(models[0], fixed)
    if searched is None:  # else each member's scenarios, searched by the caller (on its executor)
        searched = [consistent_scenarios(m, max_inconsistency, fixed) for m in models]
    union = sorted({r.variants for found in searched for r in found})
    out = []
    for s in union:
        inside = tuple(
            k for k, m in enumerate(models) if evaluate(m, s, frozen).inconsistency <= max_inconsistency
        )
        out.append(EnsembleResult(s, inside))
    return sorted(out, key=lambda e: (-e.count, e.variants))


def _mismatch(first: tuple[str, ...], other: tuple[str, ...]) -> str:
    missing = [x for x in first if x not in other]
    extra = [x for x in other if x not in first]
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"not in the first member: {', '.join(extra)}"] if extra else []
        )
        return "descriptors and variants differ from the first ensemble member (" + "; ".join(parts) + ")"
    return "descriptors and variants are in another order than in the first ensemble member"
