"""All analyses of a case's conflict graph at once, JSON-ready: what ``lev2040 conflicts`` shows.

:func:`analyse_conflicts` checks and normalises the criterion weights (or takes the consensus
weights of the submissions), builds the graph, reads it once into an index and runs the goal-level
(:mod:`.goals`) and measure-level (:mod:`.measures`) analyses on it. A new analysis is added to its
result here. Nothing here prints; :func:`lev2040_mcda.cli.conflicts.conflicts_table` renders the result
for people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..case import Case
from .goals import _goal_conflicts, _goal_weights, _synergy_clusters, conflict_hotspots
from .graph import RULES, build_graph
from .index import _Index, _index
from .measures import _attach_measures, _exposures, _measure_pairs

__all__ = ["analyse_conflicts"]


def _normalised(case: Case, weights: Mapping[str, float]) -> dict[str, float]:
    known = set(case.criterion_ids)
    for cid, w in weights.items():
        if cid not in known:
            raise ValueError(
                f"unknown criterion {cid!r} in the weights (expected one of {', '.join(case.criterion_ids)})"
            )
        if not isinstance(w, (int, float)) or isinstance(w, bool) or not math.isfinite(w) or w < 0:
            raise ValueError(f"weight of {cid!r} is {w!r} (expected a finite number >= 0)")
    total = float(sum(weights.values()))
    if total <= 0:
        raise ValueError("all weights are zero (expected at least one above 0)")
    return {cid: float(weights.get(cid, 0.0)) / total for cid in case.criterion_ids}


def _consensus(
    case: Case, groups: Sequence[Mapping[str, Any]] | None
) -> tuple[dict[str, float], str, list[Mapping[str, Any]], dict[str, str]]:
    """The default criterion weights, their source, the groups and what was skipped: the
    consensus of the submissions, or (without a usable submission) equal weights, no groups and
    the reason (:func:`lev2040_mcda.weights.consensus.weights_summary`)."""
    from ..weights import weights_summary

    summary = weights_summary(case)
    skipped = dict(summary.get("skipped", {}))
    if skipped and groups is None:
        skipped["groups"] = skipped["consensus"]
    found = summary["groups"] if groups is None else groups
    return summary["weights"], summary["source"], list(found), skipped


def analyse_conflicts(
    case: Case,
    weights: Mapping[str, float] | None = None,
    seed: int = 2040,
    derive_pairs: bool = False,
    *,
    groups: Sequence[Mapping[str, Any]] | None = None,
    max_derived: int = 1000,
) -> dict[str, Any]:
    """Goal conflicts, hotspots, synergy clusters, measure exposures and measure pairs, JSON-ready.

    Parameters
    ----------
    case : a loaded case
    weights : criterion id -> weight (normalised here; missing criteria get 0). Default: the
        consensus weights of the case's submissions
        (:func:`lev2040_mcda.weights.consensus.weights_summary`); equal weights when the case has
        no usable submission (submissions are optional): ``weights.source`` is then
        ``"equal (no submissions)"`` and ``skipped`` (present only then) names the consensus and
        the groups with the reason.
    seed : seed of the Louvain clustering
    derive_pairs : also derive measure pairs from goal conflicts (the rule in :mod:`.graph`)
    groups : ``[{"id", "name", "weights": {criterion: w}}]`` naming who weights each side highest;
        default: the case's groups (``weights_summary(case)["groups"]``), none without submissions
    max_derived : cap on the derived pairs

    Returns
    -------
    dict
        ``case, weights`` (source, criteria, goals), ``groups, conflicts`` (each with
        ``measures_a``/``measures_b``: measures serving only that side, and ``bridges``),
        ``hotspots, clusters, measures`` (exposures), ``measure_pairs, counts, rules, options,
        warnings``, and ``skipped`` (part -> reason) when the case has no usable submission.

    Raises
    ------
    ValueError
        when ``weights`` names an unknown criterion, or has a negative or no positive weight.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> r = analyse_conflicts(load_case("cases/tiny"), {"cost": 1, "co2": 2, "homes": 1})
    >>> [(c["a"], c["b"], round(c["severity"], 3)) for c in r["conflicts"]]
    [('klima', 'wohnen', 0.075), ('klima', 'finanzen', 0.05)]
    >>> r["hotspots"][0]["goal"], [c["goals"] for c in r["clusters"]]
    ('klima', [['klima'], ['wohnen'], ['finanzen']])
    """
    warnings: list[str] = []
    skipped: dict[str, str] = {}
    if weights is None:
        consensus, source, group_list, skipped = _consensus(case, groups)
        crit_w = _normalised(case, consensus)
    else:
        crit_w, source = _normalised(case, weights), "given"
        if groups is not None:
            group_list = list(groups)
        else:
            group_list = _consensus(case, None)[2] if case.submission_count else []
    ix = _index(build_graph(case))
    weight = _goal_weights(ix, crit_w)
    group_goals = [
        {"id": g["id"], "name": g.get("name") or g["id"], "goal_weights": _goal_weights(ix, g["weights"])}
        for g in group_list
    ]
    conflicts = _goal_conflicts(ix, weight, group_goals)
    _attach_measures(ix, conflicts)
    clusters = _synergy_clusters(ix, seed)
    pairs = _measure_pairs(ix, conflicts, derive_pairs, max_derived)
    return {
        "case": {"name": case.name, "title": case.config.title},
        "weights": {"source": source, "criteria": crit_w, "goals": weight},
        "groups": group_goals,
        "conflicts": conflicts,
        "hotspots": conflict_hotspots(conflicts, ix.titles),
        "clusters": clusters,
        "measures": _exposures(ix, conflicts),
        "measure_pairs": pairs,
        "counts": _counts(ix, conflicts, clusters, pairs),
        "rules": dict(RULES),
        "options": {"seed": seed, "derive_pairs": derive_pairs, "max_derived": max_derived},
        "warnings": warnings,
        **({"skipped": skipped} if skipped else {}),
    }


def _counts(ix: _Index, conflicts: list, clusters: list, pairs: list) -> dict[str, int]:
    rel = ix.relations
    derived = sum(1 for p in pairs if p["origin"] == "derived")
    return {
        "goals": len(ix.goals),
        "criteria": len(ix.measured),
        "measures": len(ix.measures),
        "goal_conflicts": len(conflicts),
        "goal_synergies": rel[("goal", "synergy")],
        "measure_conflicts": rel[("measure", "conflict")],
        "measure_synergies": rel[("measure", "synergy")],
        "serves": rel[("measure", "serves")],
        "harms": rel[("measure", "harms")],
        "clusters": len(clusters),
        "measure_pairs": len(pairs),
        "derived_pairs": derived,
        "nodes": ix.nodes,
        "edges": ix.edges,
    }
