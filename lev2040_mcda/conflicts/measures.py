"""Measure-level analyses of the conflict graph: which goal conflicts a measure pulls in, and the
pairs of measures that interact, for the portfolio stage.

The rules (exposure, bridges, derived measure pairs) are listed in
:mod:`lev2040_mcda.conflicts.graph`. As in :mod:`.goals`, each public function takes the graph and
its private twin the graph's :class:`~lev2040_mcda.conflicts.index._Index`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .graph import DERIVED_FACTOR
from .index import _Index, _index

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__ = ["measure_exposures", "measure_pairs"]


def measure_exposures(G: nx.MultiDiGraph, conflicts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For each measure: the goals it serves and harms, and the goal conflicts it pulls in.

    Sorted by exposure (largest first; ties in case order). The rule is in :mod:`.graph`.

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
    >>> from lev2040_mcda.conflicts import build_graph, goal_conflicts
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
    ``conflicts``, at most ``max_derived``; the rule is in :mod:`.graph`).

    Returns
    -------
    list of dict
        ``a, b, effect, sign, strength, origin, note`` and ``via`` (the goal conflict
        ``{"a", "b", "severity"}`` a derived pair comes from; None for an interaction).

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> from lev2040_mcda.conflicts import build_graph, goal_conflicts
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
