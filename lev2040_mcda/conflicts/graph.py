"""The goal-conflict graph: goals, criteria and measures in one typed network, and what it shows.

The graph (:func:`build_graph`) is a :class:`networkx.MultiDiGraph`. Node keys are
``"<kind>:<id>"`` (``goal:klima``, ``criterion:co2``, ``measure:tram``) because ids are unique
only within their kind; every node has ``kind``, ``id`` and ``label`` (the goal's title, the
criterion's or measure's name). Every edge has ``relation``, ``sign`` (+1 / -1) and
``strength``; its key is the relation, so a measure may both serve and harm the same goal.

============  ====================  ====  ==================================================
relation      edge                  sign  strength
============  ====================  ====  ==================================================
measures      criterion -> goal      +1   the criterion's share of the goal's weight split
                                          (:func:`lev2040_mcda.weights.elicitation.goal_matrix`)
serves        measure -> goal        +1   1 (the ``goals`` column of measures.csv)
harms         measure -> goal        -1   the summed shares of the harmed criteria of that goal
synergy       goal -> goal,          +1   interactions.csv ``strength``, one edge in the
              measure -> measure          file's direction (interactions are symmetric)
conflict      (same)                 -1   (same)
============  ====================  ====  ==================================================

Rules (also returned under ``"rules"`` by :func:`analyse_conflicts`):

- **Harm.** A measure harms goal G when its value on some criterion measuring G (the criterion's
  own ``goal``, not G's parents) is worse than neutral, with neutral = 0: a *benefit* criterion
  value < 0 (fewer dwellings, more emissions), or a *cost* criterion value > 0 **only when the
  criterion's** ``min`` **is below 0** — a signed change such as ``noise_65db_residents_n``
  (negative = relief). A cost criterion without a negative ``min`` (investment, land take, years) is
  an amount every measure spends, not a change against the status quo, so it never counts as harm.
  A criterion's ``neutral:`` in the catalogue overrides this: then a benefit value below it, or a
  cost value above it, harms.
- **Goal weight** = the sum of the criterion weights (normalised to sum 1) of the criteria measuring
  the goal or any of its sub-goals.
- **Severity** of a goal conflict a-b = ``strength × weight(a) × weight(b)``. For each side the
  stakeholder group whose own weights give that goal the most weight is named.
- **Hotspot**: a goal's weighted conflict degree = the sum of the severities of its conflicts.
- **Synergy clusters**: Louvain communities (``networkx.community.louvain_communities``, seeded,
  ``weight=strength``) of the goals joined by synergies. Every goal is in exactly one cluster; goals
  without a synergy are singleton clusters.
- **Exposure** of a measure: it serves goal A, and A conflicts with B while the measure does not
  also serve B: the sum of the severities of those conflicts. A conflict whose both sides the
  measure serves is listed as a *bridge* (the measure reconciles it) and not counted. Sub-goals
  do not inherit their parent's conflicts.
- **Measure pairs** for the portfolio stage: every measure-measure interaction; with
  ``derive_pairs=True`` also, for each goal conflict A-B (most severe first), a conflict pair (i, j)
  for every measure i that serves A but not B and every j that serves B but not A, with strength
  ``0.5 × strength(A-B)``; a pair listed in interactions.csv or already derived keeps its first
  entry; at most ``max_derived`` derived pairs.

Nothing here prints; :func:`lev2040_mcda.cli.tables.conflicts_table` renders the result for people.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..case import Case, Criterion

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__ = [
    "RELATIONS",
    "DERIVED_FACTOR",
    "build_graph",
    "worse_than_neutral",
    "goal_weights",
    "severity",
    "goal_conflicts",
    "conflict_hotspots",
    "synergy_clusters",
    "measure_exposures",
    "measure_pairs",
    "analyse_conflicts",
    "write_graphml",
    "write_dot",
    "to_dot",
]

RELATIONS = ("measures", "serves", "harms", "synergy", "conflict")
"""The values of the edge attribute ``relation``."""

DERIVED_FACTOR = 0.5
"""A pair derived from a goal conflict gets this share of the conflict's strength."""

RULES = {
    "harm": "a measure harms a goal when, on a criterion measuring that goal, a benefit value is "
    "< 0, or a cost value is > 0 and the criterion's min is < 0 (a signed change)",
    "goal_weight": "sum of the criterion weights (normalised to sum 1) of the criteria measuring "
    "the goal or its sub-goals",
    "severity": "strength x weight(a) x weight(b)",
    "hotspot": "sum of the severities of the goal's conflicts",
    "clusters": "Louvain communities of the goal synergy graph (weight = strength, seeded); "
    "singletons included",
    "exposure": "sum of the severities of the conflicts A-B where the measure serves A but not B; "
    "conflicts whose both sides it serves are bridges, not counted",
    "derived_pairs": f"measure serving A only x measure serving B only for a conflict A-B, "
    f"strength {DERIVED_FACTOR:g} x strength(A-B), most severe conflicts first, "
    "capped",
}


def _key(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# -- the graph ----------------------------------------------------------------------------------


def worse_than_neutral(criterion: Criterion, value: float) -> bool:
    """Whether ``value`` on ``criterion`` harms the criterion's goal (the harm rule above).

    Examples
    --------
    >>> from lev2040_mcda.case import Criterion
    >>> co2 = Criterion(id="co2", name="CO2", direction="benefit")
    >>> noise = Criterion(id="noise", name="Noise", direction="cost", min=-5000, max=2000)
    >>> land = Criterion(id="land", name="Land", direction="cost", min=0)
    >>> worse_than_neutral(co2, -800), worse_than_neutral(noise, 150), worse_than_neutral(land, 12)
    (True, True, False)
    """
    if criterion.neutral is not None:
        return value < criterion.neutral if criterion.direction == "benefit" else value > criterion.neutral
    if criterion.direction == "benefit":
        return value < 0
    return value > 0 and criterion.min is not None and criterion.min < 0


def _harm_mask(case: Case) -> np.ndarray:
    """measures x criteria: True where the value is worse than neutral (vectorised rule)."""
    crit = case.criteria
    ids = [c.id for c in crit]
    values = np.zeros((len(case.measures), len(ids)))
    if ids and case.measures:
        pick = itemgetter(*ids)
        try:
            rows = [pick(m.performance) for m in case.measures]
        except KeyError:  # a hand-built measure without some criterion: that value is neutral
            rows = [tuple(m.performance.get(i, 0.0) for i in ids) for m in case.measures]
        values = np.array(rows, dtype=float).reshape(len(case.measures), len(ids))
    benefit = np.array([c.direction == "benefit" for c in crit], dtype=bool)
    signed_cost = np.array(
        [c.direction == "cost" and c.min is not None and c.min < 0 for c in crit], dtype=bool
    )
    default = (benefit & (values < 0)) | (signed_cost & (values > 0))
    neutral = np.array([np.nan if c.neutral is None else c.neutral for c in crit], dtype=float)
    given = ~np.isnan(neutral)
    if not given.any():
        return default
    explicit = np.where(benefit, values < neutral, values > neutral)
    return np.where(given, explicit, default)


def build_graph(case: Case) -> nx.MultiDiGraph:
    """The typed goal/criterion/measure graph of ``case`` (see the module docstring).

    Parameters
    ----------
    case : a loaded case

    Returns
    -------
    networkx.MultiDiGraph
        ``G.graph`` holds the case ``name`` and ``title``.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> G = build_graph(load_case("cases/tiny"))
    >>> G.nodes["goal:klima"]["label"], G.nodes["measure:tram"]["kind"]
    ('Klimaneutrale Stadt', 'measure')
    >>> sorted(G["goal:klima"]["goal:wohnen"]), G["goal:klima"]["goal:wohnen"]["conflict"]["sign"]
    (['conflict'], -1)
    >>> sorted(k for _, v, k in G.out_edges("measure:housing", keys=True))
    ['conflict', 'serves']
    """
    import networkx as nx

    from ..weights import goal_matrix

    G = nx.MultiDiGraph(name=case.name, title=_text(case.config.title))
    G.add_nodes_from(
        (
            _key("goal", g.id),
            {
                "kind": "goal",
                "id": g.id,
                "label": g.title,
                "topic": _text(g.topic),
                "parent": _text(g.parent),
            },
        )
        for g in case.goals
    )
    G.add_nodes_from(
        (
            _key("criterion", c.id),
            {
                "kind": "criterion",
                "id": c.id,
                "label": c.name,
                "unit": _text(c.unit),
                "direction": c.direction,
                "goal": _text(c.goal),
            },
        )
        for c in case.criteria
    )
    G.add_nodes_from(
        (
            _key("measure", m.id),
            {
                "kind": "measure",
                "id": m.id,
                "label": m.name,
                "district": _text(m.district),
                "mandatory": m.mandatory,
            },
        )
        for m in case.measures
    )

    goal_ids, split = goal_matrix(case)
    row = {g: i for i, g in enumerate(goal_ids)}
    crit = case.criteria
    # the criterion's share of its own goal (0 when the goal is unknown: no edge then)
    own = [float(split[row[c.goal], j]) if c.goal in row else 0.0 for j, c in enumerate(crit)]
    G.add_edges_from(
        (
            _key("criterion", c.id),
            _key("goal", c.goal),
            "measures",
            {"relation": "measures", "sign": 1, "strength": own[j]},
        )
        for j, c in enumerate(crit)
        if c.goal in row
    )
    G.add_edges_from(
        (_key("measure", m.id), _key("goal", g), "serves", {"relation": "serves", "sign": 1, "strength": 1.0})
        for m in case.measures
        for g in dict.fromkeys(m.goals)
    )
    G.add_edges_from(_harm_edges(case, own, row))
    measure_ids = set(case.measure_ids)  # the level, when a hand-built case leaves it unset
    level = [it.level or ("measure" if it.source in measure_ids else "goal") for it in case.interactions]
    G.add_edges_from(
        (
            _key(level[k], it.source),
            _key(level[k], it.target),
            it.effect,
            {
                "relation": it.effect,
                "sign": 1 if it.effect == "synergy" else -1,
                "strength": float(it.strength),
                "note": _text(it.note),
                "index": k,
            },
        )
        for k, it in enumerate(case.interactions)
    )
    return G


def _harm_edges(case: Case, own: Sequence[float], row: Mapping[str, int]) -> list[tuple]:
    """``harms`` edges: one per (measure, goal), with the harmed criteria of that goal."""
    crit = case.criteria
    mask = _harm_mask(case)
    mask[:, [j for j, c in enumerate(crit) if c.goal not in row]] = False
    found: dict[tuple[int, str], list[int]] = {}
    goal_of = [c.goal for c in crit]
    ii, jj = np.nonzero(mask)  # row-major: measures in order, criteria in order
    for i, j in zip(ii.tolist(), jj.tolist()):
        cols = found.get((i, goal_of[j]))  # type: ignore[arg-type]
        if cols is None:
            found[(i, goal_of[j])] = [j]  # type: ignore[index]
        else:
            cols.append(j)
    return [
        (
            _key("measure", case.measures[i].id),
            _key("goal", goal),
            "harms",
            {
                "relation": "harms",
                "sign": -1,
                "strength": sum(own[j] for j in cols),
                "criteria": ";".join(crit[j].id for j in cols),
            },
        )
        for (i, goal), cols in found.items()
    ]


@dataclass
class _Index:
    """The graph read once (one pass over nodes, one over edges) into plain lists and dicts."""

    goals: list[str] = field(default_factory=list)  # goal ids, graph order
    titles: dict[str, str] = field(default_factory=dict)  # goal id -> title
    parent: dict[str, str] = field(default_factory=dict)  # goal id -> parent id or ""
    measures: list[str] = field(default_factory=list)  # measure ids, graph order
    names: dict[str, str] = field(default_factory=dict)  # measure id -> name
    serves: dict[str, list[str]] = field(default_factory=dict)  # measure -> goals it serves
    harms: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # -> goal -> criteria
    measured: dict[str, list[str]] = field(default_factory=dict)  # criterion -> its goal(s)
    goal_links: list[tuple[str, str, dict]] = field(default_factory=list)  # file order
    measure_links: list[tuple[str, str, dict]] = field(default_factory=list)  # file order
    relations: dict[tuple[Any, Any], int] = field(default_factory=lambda: defaultdict(int))
    nodes: int = 0
    edges: int = 0


def _index(G: nx.MultiDiGraph) -> _Index:
    ix = _Index(nodes=G.number_of_nodes())
    kind: dict[Any, Any] = {}
    ident: dict[Any, str] = {}
    for n, d in G.nodes(data=True):
        k = kind[n] = d.get("kind")
        i = ident[n] = d.get("id") or str(n).partition(":")[2] or str(n)
        if k == "goal":
            ix.goals.append(i)
            ix.titles[i] = d.get("label", i)
            ix.parent[i] = d.get("parent") or ""
        elif k == "measure":
            ix.measures.append(i)
            ix.names[i] = d.get("label", i)
            ix.serves[i], ix.harms[i] = [], {}
        else:
            ix.measured[i] = []
    relations = ix.relations
    for u, neighbours in G.adjacency():  # the raw adjacency: the fastest public edge walk
        ku, iu = kind[u], ident[u]
        links = ix.goal_links if ku == "goal" else ix.measure_links
        for v, keyed in neighbours.items():
            for d in keyed.values():
                rel = d.get("relation")
                relations[(ku, rel)] += 1
                if rel == "serves":
                    ix.serves[iu].append(ident[v])
                elif rel == "harms":
                    ix.harms[iu][ident[v]] = [c for c in str(d.get("criteria", "")).split(";") if c]
                elif rel == "measures":
                    ix.measured[iu].append(ident[v])
                elif rel in ("synergy", "conflict"):
                    links.append((iu, ident[v], d))
    ix.edges = sum(relations.values())
    ix.goal_links.sort(key=lambda e: e[2].get("index", 0))
    ix.measure_links.sort(key=lambda e: e[2].get("index", 0))
    return ix


# -- weights and severity -----------------------------------------------------------------------


def goal_weights(G: nx.MultiDiGraph, criterion_weights: Mapping[str, float]) -> dict[str, float]:
    """Each goal's weight: the sum of the weights of the criteria measuring it or its sub-goals.

    The weights are used as given (:func:`analyse_conflicts` normalises them first).

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


# -- analyses -----------------------------------------------------------------------------------


def goal_conflicts(
    G: nx.MultiDiGraph, weights: Mapping[str, float], groups: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Goal conflicts, most severe first (ties: the order of interactions.csv).

    Parameters
    ----------
    G : the graph of :func:`build_graph`
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


def measure_exposures(G: nx.MultiDiGraph, conflicts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For each measure: the goals it serves and harms, and the goal conflicts it pulls in.

    Sorted by exposure (largest first; ties in case order). See the module docstring for the rule.

    Returns
    -------
    list of dict
        ``id, name, serves, harms`` (``[{"goal", "criteria"}]``), ``conflicts``
        (``[{"rank", "goal", "other", "severity", "harms_other"}]``: ``goal`` is the side the
        measure serves, ``rank`` the conflict's; most severe first), ``bridges``
        (``[{"rank", "a", "b", "severity"}]``) and ``exposure``.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> G = build_graph(load_case("cases/tiny"))
    >>> cs = goal_conflicts(G, {"klima": 0.5, "wohnen": 0.3, "finanzen": 0.2})
    >>> infill = next(m for m in measure_exposures(G, cs) if m["id"] == "infill")
    >>> [(p["goal"], p["other"]) for p in infill["conflicts"]], round(infill["exposure"], 3)
    ([('klima', 'finanzen')], 0.04)
    >>> [(b["a"], b["b"]) for b in infill["bridges"]]
    [('klima', 'wohnen')]
    """
    return _exposures(_index(G), conflicts)


def _exposures(ix: _Index, conflicts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_goal: dict[str, list[tuple[int, str]]] = defaultdict(list)  # goal -> (k, other), by k
    for k, c in enumerate(conflicts):
        by_goal[c["a"]].append((k, c["b"]))
        by_goal[c["b"]].append((k, c["a"]))
    rank = [c.get("rank", k + 1) for k, c in enumerate(conflicts)]
    sev = [float(c["severity"]) for c in conflicts]
    out = []
    for mid in ix.measures:
        served, harmed = ix.serves[mid], ix.harms[mid]
        bridges: list[dict[str, Any]] = []
        if len(served) == 1:  # the common case: every conflict of its goal is one-sided
            g = served[0]
            pulled = [
                {"rank": rank[k], "goal": g, "other": o, "severity": sev[k], "harms_other": o in harmed}
                for k, o in by_goal.get(g, ())
            ]
        else:
            both, one = set(), []
            for g in served:
                for k, o in by_goal.get(g, ()):
                    if o in served:
                        both.add(k)
                    else:
                        one.append((k, g, o))
            one.sort()
            pulled = [
                {"rank": rank[k], "goal": g, "other": o, "severity": sev[k], "harms_other": o in harmed}
                for k, g, o in one
            ]
            bridges = [
                {"rank": rank[k], "a": conflicts[k]["a"], "b": conflicts[k]["b"], "severity": sev[k]}
                for k in sorted(both)
            ]
        out.append(
            {
                "id": mid,
                "name": ix.names[mid],
                "serves": served,
                "harms": [{"goal": g, "criteria": cs} for g, cs in harmed.items()],
                "conflicts": pulled,
                "bridges": bridges,
                "exposure": math.fsum(p["severity"] for p in pulled),
            }
        )
    out.sort(key=lambda m: -m["exposure"])  # stable: case order on ties
    return out


def _members(ix: _Index) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """Goal -> the measures serving it (case order); the goal sets of multi-goal measures."""
    members: dict[str, list[str]] = defaultdict(list)
    for mid in ix.measures:
        for g in ix.serves[mid]:
            members[g].append(mid)
    multi = {mid: set(gs) for mid, gs in ix.serves.items() if len(gs) > 1}
    return members, multi


def measure_pairs(
    G: nx.MultiDiGraph,
    conflicts: Sequence[Mapping[str, Any]] = (),
    derive: bool = False,
    max_derived: int = 1000,
) -> list[dict[str, Any]]:
    """Pairs of measures that interact, for the portfolio stage.

    Every measure-measure interaction (``origin="interaction"``, file order); with ``derive`` also
    conflict pairs derived from the goal ``conflicts`` (``origin="derived"``, in the order of
    ``conflicts``, at most ``max_derived``; see the module docstring).

    Returns
    -------
    list of dict
        ``a, b, effect, sign, strength, origin, note`` and ``via`` (the goal conflict
        ``{"a", "b", "severity"}`` a derived pair comes from; None for an interaction).

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> G = build_graph(load_case("cases/tiny"))
    >>> cs = goal_conflicts(G, {"klima": 0.5, "wohnen": 0.3, "finanzen": 0.2})
    >>> pairs = measure_pairs(G, cs, derive=True)
    >>> [(p["a"], p["b"], p["strength"], p["origin"]) for p in pairs[1:3]]
    [('housing', 'park', 1.0, 'interaction'), ('solar', 'housing', 0.3, 'derived')]
    """
    return _measure_pairs(_index(G), conflicts, derive, max_derived)


def _measure_pairs(
    ix: _Index, conflicts: Sequence[Mapping[str, Any]], derive: bool, max_derived: int
) -> list[dict[str, Any]]:
    out = [
        {
            "a": a,
            "b": b,
            "effect": d["relation"],
            "sign": int(d.get("sign", 0)),
            "strength": float(d["strength"]),
            "origin": "interaction",
            "note": d.get("note", ""),
            "via": None,
        }
        for a, b, d in ix.measure_links
    ]
    if not derive or max_derived <= 0:
        return out
    seen = {frozenset((p["a"], p["b"])) for p in out}
    members, multi = _members(ix)
    derived = 0
    for c in conflicts:
        a, b = c["a"], c["b"]
        side_a = [m for m in members.get(a, ()) if b not in multi.get(m, ())]
        side_b = [m for m in members.get(b, ()) if a not in multi.get(m, ())]
        via = {"a": a, "b": b, "severity": c["severity"]}
        for i in side_a:
            for j in side_b:
                pair = frozenset((i, j))
                if pair in seen:
                    continue
                seen.add(pair)
                out.append(
                    {
                        "a": i,
                        "b": j,
                        "effect": "conflict",
                        "sign": -1,
                        "strength": DERIVED_FACTOR * float(c["strength"]),
                        "origin": "derived",
                        "note": f"derived from the goal conflict {a}–{b}",
                        "via": via,
                    }
                )
                derived += 1
                if derived >= max_derived:
                    return out
    return out


def _attach_measures(ix: _Index, conflicts: list[dict[str, Any]]) -> None:
    """Add to each conflict the measures serving one side only (exposed) and both (bridges),
    each list in case order."""
    members, multi = _members(ix)
    for c in conflicts:
        a, b = c["a"], c["b"]
        in_a = members.get(a, [])
        c["measures_a"] = [m for m in in_a if b not in multi.get(m, ())]
        c["measures_b"] = [m for m in members.get(b, []) if a not in multi.get(m, ())]
        c["bridges"] = [m for m in in_a if b in multi.get(m, ())]


def _consensus(
    case: Case, groups: Sequence[Mapping[str, Any]] | None
) -> tuple[dict[str, float] | None, list[Mapping[str, Any]], list[str]]:
    """Consensus criterion weights (None if none can be computed), groups, warnings."""
    from ..errors import InputErrors
    from ..weights import weights_summary

    try:
        summary = weights_summary(case)
    except InputErrors as exc:
        return None, list(groups or []), [f"no consensus weights: {p}" for p in exc.problems]
    return summary["weights"], list(summary["groups"] if groups is None else groups), []


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
        (:func:`lev2040_mcda.weights.consensus.weights_summary`); equal weights, with a warning, when the
        case has no usable submission.
    seed : seed of the Louvain clustering
    derive_pairs : also derive measure pairs from goal conflicts (module docstring)
    groups : ``[{"id", "name", "weights": {criterion: w}}]`` naming who weights each side highest;
        default: the case's groups (``weights_summary(case)["groups"]``), none without submissions
    max_derived : cap on the derived pairs

    Returns
    -------
    dict
        ``case, weights`` (source, criteria, goals), ``groups, conflicts`` (each with
        ``measures_a``/``measures_b``: measures serving only that side, and ``bridges``),
        ``hotspots, clusters, measures`` (exposures), ``measure_pairs, counts, rules, options,
        warnings``.

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
    if weights is None:
        consensus, group_list, warnings = _consensus(case, groups)
        source = "consensus"
        if consensus is None:
            consensus, source = dict.fromkeys(case.criterion_ids, 1.0), "equal"
            warnings.append("equal criterion weights used (no usable stakeholder submission)")
        crit_w = _normalised(case, consensus)
    else:
        crit_w, source = _normalised(case, weights), "given"
        if groups is not None:
            group_list = list(groups)
        else:
            group_list = _consensus(case, None)[1] if case.submission_count else []
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


# -- files --------------------------------------------------------------------------------------


def _graphml_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple, set, frozenset)):
        return ";".join(str(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def _graphml_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML can hold: None -> "", lists -> ";"-joined text."""
    import networkx as nx

    H = nx.MultiDiGraph(**{k: _graphml_value(v) for k, v in G.graph.items()})
    H.add_nodes_from((n, {k: _graphml_value(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from(
        (u, v, k, {a: _graphml_value(x) for a, x in d.items()})
        for u, v, k, d in G.edges(keys=True, data=True)
    )
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``G`` as GraphML (atomically); :func:`networkx.read_graphml` reads it back.

    Edge keys become GraphML edge ids; read with ``force_multigraph=True`` to keep them.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from lev2040_mcda import load_case
    >>> G = build_graph(load_case("cases/tiny"))
    >>> path = tempfile.mkdtemp() + "/tiny.graphml"
    >>> write_graphml(G, path)
    >>> H = nx.read_graphml(path, force_multigraph=True)
    >>> H["goal:klima"]["goal:wohnen"]["conflict"]["sign"], H.number_of_edges()
    (-1, 15)
    """
    import networkx as nx

    from ..output import write_atomic

    write_atomic(path, "\n".join(nx.generate_graphml(_graphml_ready(G))) + "\n")


_DOT_NODE = {
    "goal": 'shape=box, style="rounded,filled", fillcolor="#dbe8f6"',
    "criterion": 'shape=ellipse, style=filled, fillcolor="#f2f2f2"',
    "measure": 'shape=box, style=filled, fillcolor="#fff3cd"',
}
_DOT_EDGE = {
    "conflict": 'color="red", fontcolor="red", dir=none',
    "synergy": 'color="darkgreen", fontcolor="darkgreen", dir=none',
    "serves": 'color="gray40"',
    "harms": 'color="orange", style=dashed',
    "measures": 'color="gray70", style=dotted, arrowhead=none',
}


def _quote(value: Any) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def to_dot(G: nx.MultiDiGraph) -> str:
    """``G`` in Graphviz DOT: conflicts red, synergies green, ids quoted.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> dot = to_dot(build_graph(load_case("cases/tiny")))
    >>> '"goal:klima" -> "goal:wohnen" [label="-0.6", color="red"' in dot
    True
    """
    lines = [
        f"digraph {_quote(G.graph.get('name', 'G'))} {{",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for n, d in G.nodes(data=True):
        style = _DOT_NODE.get(d.get("kind", ""), "")
        lines.append(
            f"  {_quote(n)} [label={_quote(d.get('label', n))}" + (f", {style}" if style else "") + "];"
        )
    for u, v, d in G.edges(data=True):
        rel = d.get("relation", "")
        attrs = []
        if rel in ("synergy", "conflict"):
            s = float(d.get("strength", 1.0))
            signed = int(d.get("sign", 1)) * s
            attrs += [f"label={_quote(f'{signed:g}')}", _DOT_EDGE[rel], f"penwidth={1 + 3 * s:.2f}"]
        elif rel in _DOT_EDGE:
            attrs.append(_DOT_EDGE[rel])
        lines.append(f"  {_quote(u)} -> {_quote(v)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write :func:`to_dot` of ``G`` to ``path`` (atomically); render with ``dot -Tsvg``."""
    from ..output import write_atomic

    write_atomic(path, to_dot(G))


# -- people-facing table (to move into report.py) ----------------------------------------------
