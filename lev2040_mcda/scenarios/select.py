"""Choosing a few scenarios, and handing them on: to the case's scenarios.yaml, and as JSON.

Scenario teams pick 3-5 of many consistent scenarios for a Zukunftswerkstatt, the most consistent
first and then ones that differ most from those already picked (Weimer-Jehle 2023, "Cross-Impact
Balances (CIB) for Scenario Analysis", on scenario selection by distance). The chosen ones become
scenarios.yaml entries so that ``robust``, ``portfolio --scenario`` and the report use them as
they use hand-written scenarios.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lev2040_mcda.case import CIBModel

from .core import CIBResult, Scenario
from .succession import Basin

__all__ = ["select_diverse", "to_case_scenarios", "to_json_dict"]


def _rank_key(r: CIBResult) -> tuple[int, int, Scenario]:
    return (r.inconsistency, -r.total_impact, r.variants)


def select_diverse(results: Iterable[CIBResult], k: int) -> list[CIBResult]:
    """``k`` results: the most consistent first (lowest inconsistency, then highest total impact
    score, then lexicographic), then greedily the one whose smallest Hamming distance (descriptors
    with another variant) to those chosen is largest; ties go to the earlier in that ranking."""
    pool = sorted(results, key=_rank_key)
    if k <= 0 or not pool:
        return []
    chosen = [pool.pop(0)]
    nearest = [_hamming(r.variants, chosen[0].variants) for r in pool]
    while pool and len(chosen) < k:
        best = max(range(len(pool)), key=lambda i: (nearest[i], -i))
        pick = pool.pop(best)
        nearest.pop(best)
        chosen.append(pick)
        nearest = [min(d, _hamming(r.variants, pick.variants)) for d, r in zip(nearest, pool, strict=True)]
    return chosen


def _hamming(a: Scenario, b: Scenario) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def to_case_scenarios(model: CIBModel, results: Iterable[CIBResult], prefix: str = "cib_") -> list[dict]:
    """scenarios.yaml entries (plain dicts) for ``results``, numbered ``{prefix}01``, ... in order.

    ``title`` joins the variants' names; ``drivers`` has, per STEEP parameter, the texts of the
    variants of that parameter's descriptors (a variant without ``text``: ``descriptor: variant``)
    joined with "; " and no value; ``effects.limits`` multiplies the factors the variants give the
    same resource, ``effects.adjust`` lists the variants' adjustments in descriptor order.
    """
    out = []
    for number, r in enumerate(results, 1):
        picked = [(d, d.variants[v]) for d, v in zip(model.descriptors, r.variants, strict=True)]
        drivers: dict[str, list[str]] = {}
        limits: dict[str, float] = {}
        adjust: list[Any] = []
        for d, v in picked:
            if d.parameter:
                drivers.setdefault(d.parameter, []).append(v.text or f"{d.name}: {v.name}")
            for resource, factor in (v.effects.get("limits") or {}).items():
                limits[resource] = limits.get(resource, 1.0) * float(factor)
            adjust.extend(v.effects.get("adjust") or [])
        entry: dict[str, Any] = {
            "id": f"{prefix}{number:02d}",
            "title": " / ".join(v.name for _, v in picked),
            "description": (
                f"Built by cross-impact balance analysis (inconsistency {r.inconsistency}, total impact "
                f"score {r.total_impact}): " + "; ".join(f"{d.name}: {v.name}" for d, v in picked)
            ),
            "drivers": {p: {"text": "; ".join(t)} for p, t in drivers.items()},
        }
        effects: dict[str, Any] = {}
        if limits:
            effects["limits"] = limits
        if adjust:
            effects["adjust"] = [dict(a) if isinstance(a, Mapping) else a for a in adjust]
        if effects:
            entry["effects"] = effects
        out.append(entry)
    return out


def to_json_dict(
    model: CIBModel,
    results: Iterable[CIBResult],
    basins: Sequence[Basin] | Mapping[Scenario, float] | None = None,
) -> dict[str, Any]:
    """The JSON-ready result: ``descriptors`` (id, name, parameter, variants in file order) and
    ``scenarios`` (``variants`` {descriptor id: variant id}, ``inconsistency``, ``total_impact``,
    and ``basin``, the share of succession starts ending in it, when ``basins`` is given)."""
    share: dict[Scenario, float] | None = None
    if basins is not None:
        if isinstance(basins, Mapping):
            share = {tuple(k): float(v) for k, v in basins.items()}
        else:
            share = {b.attractor.states[0]: b.share for b in basins if not b.attractor.is_cycle}
    scenarios = []
    for r in results:
        item: dict[str, Any] = {
            "variants": {d.id: d.variants[v].id for d, v in zip(model.descriptors, r.variants, strict=True)},
            "inconsistency": r.inconsistency,
            "total_impact": r.total_impact,
        }
        if share is not None:
            item["basin"] = share.get(r.variants, 0.0)
        scenarios.append(item)
    return {
        "descriptors": [
            {
                "id": d.id,
                "name": d.name,
                "parameter": d.parameter,
                "variants": [{"id": v.id, "name": v.name} for v in d.variants],
            }
            for d in model.descriptors
        ],
        "scenarios": scenarios,
    }
