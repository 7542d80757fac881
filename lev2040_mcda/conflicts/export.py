"""The conflict graph as files: GraphML (for Gephi, yEd, networkx) and Graphviz DOT.

GraphML holds only scalar attributes, so lists become ``;``-joined text and None becomes ``""``; DOT
colours conflicts red and synergies green. A new export format goes here. Both files are written
atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

__all__ = ["write_graphml", "write_dot", "to_dot"]


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
    >>> from lev2040_mcda.conflicts import build_graph
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
    >>> from lev2040_mcda.conflicts import build_graph
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
