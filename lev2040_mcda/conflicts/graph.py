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
                                          (:func:`lev2040_mcda.weights.collector.goal_matrix`)
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

This module builds the graph and states the rules; the analyses live beside it (goals in
:mod:`.goals`, measures in :mod:`.measures`, all at once in :mod:`.analysis`, reading the graph
through :mod:`.index`) and the GraphML/DOT files in :mod:`.export`. A new kind of node or edge is
added here (and read in :mod:`.index`). Nothing in this stage prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from ..case import Case, Criterion

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__ = ["RELATIONS", "DERIVED_FACTOR", "build_graph", "worse_than_neutral"]

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
