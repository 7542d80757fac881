"""The conflict graph read once into plain lists and dicts, for the analyses.

Every analysis (:mod:`.goals`, :mod:`.measures`, :mod:`.analysis`) works on an :class:`_Index`
rather than on the graph: walking a :class:`networkx.MultiDiGraph` is slow, and
:func:`~lev2040_mcda.conflicts.analysis.analyse_conflicts` runs several analyses on one graph, so the
graph is walked once (one pass over nodes, one over edges) and each analysis reads the index. A new
analysis reads what it needs from here; a new kind of edge adds its field here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__: list[str] = []  # private to the conflicts stage: _Index and _index


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
