"""Goal-level analyses of the conflict graph: goal weights, severity, goal conflicts, hotspots, synergy
clusters.

The rules (goal weight, severity, hotspot, synergy clusters) are listed in
:mod:`lev2040_mcda.conflicts.graph`. Each public function takes the graph of
:func:`~lev2040_mcda.conflicts.graph.build_graph`; its private twin takes the graph's
:class:`~lev2040_mcda.conflicts.index._Index`, so that
:func:`~lev2040_mcda.conflicts.analysis.analyse_conflicts` reads the graph only once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .index import _Index, _index

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__ = ["goal_weights", "severity", "goal_conflicts", "conflict_hotspots", "synergy_clusters"]


# -- weights and severity -----------------------------------------------------------------------


def goal_weights(G: nx.MultiDiGraph, criterion_weights: Mapping[str, float]) -> dict[str, float]:
    """Each goal's weight: the sum of the weights of the criteria measuring it or its sub-goals.

    The weights are used as given (:func:`.analysis.analyse_conflicts` normalises them first).

    Raises
    ------
    ValueError
        when a key is not a criterion of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("goal:a", {"kind": "goal", "id": "a", "parent": ""}),
    ...                   ("goal:b", {"kind": "goal", "id": "b", "parent": "a"})])
    >>> G.add_edge("criterion:x", "goal:b", key="measures", relation="measures")
    'measures'
    >>> goal_weights(G, {"x": 0.25})
    {'a': 0.25, 'b': 0.25}
    """
    return _goal_weights(_index(G), criterion_weights)


def _goal_weights(ix: _Index, criterion_weights: Mapping[str, float]) -> dict[str, float]:
    out = dict.fromkeys(ix.goals, 0.0)
    for cid, w in criterion_weights.items():
        if cid not in ix.measured:
            raise ValueError(f"unknown criterion {cid!r} in the weights")
        for goal in ix.measured[cid]:
            seen: set[str] = set()
            while goal in out and goal not in seen:  # the goal, its parent, its parent's parent ...
                seen.add(goal)
                out[goal] += float(w)
                goal = ix.parent.get(goal, "")
    return out


def severity(strength: Any, weight_a: Any, weight_b: Any) -> Any:
    """Severity of a goal conflict: ``strength × weight(a) × weight(b)`` (element-wise on arrays).

    Examples
    --------
    >>> round(severity(0.6, 0.5, 0.2), 6)
    0.06
    """
    return strength * weight_a * weight_b


# -- goal conflicts, hotspots, clusters ---------------------------------------------------------


def goal_conflicts(
    G: nx.MultiDiGraph, weights: Mapping[str, float], groups: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Goal conflicts, most severe first (ties: the order of interactions.csv).

    Parameters
    ----------
    G : the graph of :func:`.graph.build_graph`
    weights : goal id -> goal weight (:func:`goal_weights`)
    groups : stakeholder groups, each ``{"id", "name", "goal_weights": {goal: w}}``; for each side
        of a conflict the group giving that goal the most weight is named (first group on ties)

    Returns
    -------
    list of dict
        ``rank, a, b, title_a, title_b, strength, weight_a, weight_b, severity, share`` (of the
        total severity), ``note``, ``highest_a``, ``highest_b`` (``{"group", "name", "weight"}``
        or None).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for g in "abc":
    ...     G.add_node(f"goal:{g}", kind="goal", id=g, label=g.upper())
    >>> _ = G.add_edge("goal:a", "goal:b", key="conflict", relation="conflict", strength=0.5)
    >>> _ = G.add_edge("goal:a", "goal:c", key="conflict", relation="conflict", strength=1.0)
    >>> ranked = goal_conflicts(G, {"a": 0.5, "b": 0.4, "c": 0.1})
    >>> [(c["a"], c["b"], round(c["severity"], 3)) for c in ranked]
    [('a', 'b', 0.1), ('a', 'c', 0.05)]
    """
    return _goal_conflicts(_index(G), weights, groups)


def _goal_conflicts(
    ix: _Index, weights: Mapping[str, float], groups: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    links = [(a, b, d) for a, b, d in ix.goal_links if d["relation"] == "conflict"]
    strength = np.array([d["strength"] for _, _, d in links], dtype=float)
    wa = np.array([weights.get(a, 0.0) for a, _, _ in links], dtype=float)
    wb = np.array([weights.get(b, 0.0) for _, b, _ in links], dtype=float)
    sev = severity(strength, wa, wb)
    total = float(sev.sum())
    out = []
    for rank, k in enumerate(np.argsort(-sev, kind="stable").tolist(), start=1):
        a, b, d = links[k]
        out.append(
            {
                "rank": rank,
                "a": a,
                "b": b,
                "title_a": ix.titles.get(a, a),
                "title_b": ix.titles.get(b, b),
                "strength": float(strength[k]),
                "weight_a": float(wa[k]),
                "weight_b": float(wb[k]),
                "severity": float(sev[k]),
                "share": float(sev[k]) / total if total > 0 else 0.0,
                "note": d.get("note", ""),
                "highest_a": _highest(groups, a),
                "highest_b": _highest(groups, b),
            }
        )
    return out


def _highest(groups: Sequence[Mapping[str, Any]], goal: str) -> dict[str, Any] | None:
    best = None
    for g in groups:
        w = float(g["goal_weights"].get(goal, 0.0))
        if best is None or w > best["weight"]:
            best = {"group": g["id"], "name": g.get("name") or g["id"], "weight": w}
    return best if best is not None and best["weight"] > 0 else None  # no group weights it


def conflict_hotspots(
    conflicts: Sequence[Mapping[str, Any]], titles: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Goals by weighted conflict degree (the sum of the severities of their conflicts).

    Only goals with at least one conflict are listed; ties keep first appearance.

    Examples
    --------
    >>> cs = [{"a": "k", "b": "w", "severity": 0.3}, {"a": "k", "b": "f", "severity": 0.1}]
    >>> [(h["goal"], h["conflicts"], round(h["degree"], 2)) for h in conflict_hotspots(cs)]
    [('k', 2, 0.4), ('w', 1, 0.3), ('f', 1, 0.1)]
    """
    degree: dict[str, float] = {}
    partners: dict[str, list[str]] = defaultdict(list)
    for c in conflicts:
        for g, other in ((c["a"], c["b"]), (c["b"], c["a"])):
            degree[g] = degree.get(g, 0.0) + float(c["severity"])
            partners[g].append(other)
    total = sum(float(c["severity"]) for c in conflicts)
    ranked = sorted(degree, key=lambda g: -degree[g])  # stable: first appearance on ties
    return [
        {
            "goal": g,
            "title": (titles or {}).get(g, g),
            "degree": degree[g],
            "conflicts": len(partners[g]),
            "with": partners[g],
            "share": degree[g] / total if total > 0 else 0.0,
        }
        for g in ranked
    ]


def synergy_clusters(G: nx.MultiDiGraph, seed: int = 2040) -> list[dict[str, Any]]:
    """Communities of goals joined by synergies (Louvain, ``weight=strength``, seeded).

    Every goal is in exactly one cluster (a goal without synergy is a cluster of its own). Clusters
    are ordered by size, then internal synergy, then their first goal; goals inside by case order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for g in "abc":
    ...     G.add_node(f"goal:{g}", kind="goal", id=g, label=g)
    >>> _ = G.add_edge("goal:a", "goal:b", key="synergy", relation="synergy", strength=0.8)
    >>> [c["goals"] for c in synergy_clusters(G)]
    [['a', 'b'], ['c']]
    """
    return _synergy_clusters(_index(G), seed)


def _synergy_clusters(ix: _Index, seed: int) -> list[dict[str, Any]]:
    import networkx as nx

    position = {g: i for i, g in enumerate(ix.goals)}
    S = nx.Graph()
    S.add_nodes_from(ix.goals)
    S.add_edges_from(
        (a, b, {"strength": float(d["strength"])}) for a, b, d in ix.goal_links if d["relation"] == "synergy"
    )
    conflicts = [(a, b) for a, b, d in ix.goal_links if d["relation"] == "conflict"]
    out = []
    for members in nx.community.louvain_communities(S, weight="strength", seed=seed):
        goals = sorted(members, key=position.__getitem__)
        out.append(
            {
                "goals": goals,
                "titles": [ix.titles[g] for g in goals],
                "size": len(goals),
                "synergy": float(S.subgraph(goals).size(weight="strength")),
                "conflicts_within": [[a, b] for a, b in conflicts if a in members and b in members],
            }
        )
    out.sort(key=lambda c: (-c["size"], -c["synergy"], position[c["goals"][0]]))
    for k, c in enumerate(out, start=1):
        c["cluster"] = k
    return out
