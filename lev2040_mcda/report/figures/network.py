"""The goal network: goals on a circle, conflicts (red) and synergies (green) as chords."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .svg import CONFLICT_COLOR, RC, SYNERGY_COLOR, figure, svg, wrap

_SWAP_LIMIT = 40
"""Up to this many goals the circle's order is improved by swapping pairs (quadratic per pass)."""


def conflict_network(graph, goal_weights: Mapping[str, float], t: Mapping[str, str], seed: int) -> str:
    """The goals with their conflicts (red) and synergies (green), widths by severity.

    ``graph`` is :func:`lev2040_mcda.conflicts.graph.build_graph`'s graph; ``goal_weights`` the goals'
    weights from :func:`lev2040_mcda.conflicts.graph.analyse_conflicts` (severity = strength × both
    weights). The goals sit on a circle, each label outside it, beside its goal and pointing away
    from the centre: no label covers another, a goal or a line, and the figure is cropped to what
    is drawn. The circle's order starts by topic and is improved by swapping goals while that
    shortens the lines (:func:`circle_order`), so related goals sit close together. ``seed`` is
    kept for the callers: the layout is deterministic without it.
    """
    import matplotlib
    import networkx as nx
    from matplotlib.lines import Line2D

    del seed  # the circle needs no randomness
    with matplotlib.rc_context(RC):
        G = nx.Graph()
        topic = {}
        for _node, data in graph.nodes(data=True):
            if data.get("kind") == "goal":
                G.add_node(data["id"], label=data.get("label") or data["id"])
                topic[data["id"]] = data.get("topic") or ""
        for u, v, rel, data in graph.edges(keys=True, data=True):
            a, b = graph.nodes[u], graph.nodes[v]
            if rel in ("conflict", "synergy") and a.get("kind") == b.get("kind") == "goal":
                sev = data["strength"] * goal_weights.get(a["id"], 0) * goal_weights.get(b["id"], 0)
                G.add_edge(a["id"], b["id"], relation=rel, severity=sev)
        n = len(G)
        side = 6.0 if n > 6 else 4.2
        fig = figure(7.5, side)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        if n:
            first = sorted(G, key=lambda g: (topic[g], list(G).index(g)))
            order = circle_order(first, list(G.edges())) if n <= _SWAP_LIMIT else first
            angle = {g: math.pi / 2 - 2 * math.pi * k / n for k, g in enumerate(order)}
            pos = {g: (math.cos(a), math.sin(a)) for g, a in angle.items()}
            top = max([d["severity"] for *_, d in G.edges(data=True)] + [1e-12])
            for rel, color in (("synergy", SYNERGY_COLOR), ("conflict", CONFLICT_COLOR)):
                edges = [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == rel]
                widths = [1.0 + 7.0 * G.edges[e]["severity"] / top for e in edges]
                nx.draw_networkx_edges(
                    G, pos, edgelist=edges, width=widths, edge_color=color, alpha=0.8, ax=ax
                )
            wmax = max([goal_weights.get(g, 0) for g in G] + [1e-12])
            sizes = {g: 120 + 900 * goal_weights.get(g, 0) / wmax for g in G}
            nx.draw_networkx_nodes(
                G,
                pos,
                nodelist=order,
                node_size=[sizes[g] for g in order],
                node_color="#5d6d7e",
                edgecolors="white",
                linewidths=1.0,
                ax=ax,
            )
            for g in order:
                c, s = math.cos(angle[g]), math.sin(angle[g])
                gap = math.sqrt(sizes[g] / math.pi) + 4  # the node's radius in points, and a little
                ax.annotate(
                    wrap(G.nodes[g]["label"], 22),
                    pos[g],
                    xytext=(gap * c, gap * s),
                    textcoords="offset points",
                    ha="left" if c > 0.25 else "right" if c < -0.25 else "center",
                    va="bottom" if s > 0.25 else "top" if s < -0.25 else "center",
                    fontsize=8,
                    color="#17202a",
                    annotation_clip=False,
                )
            ax.set_xlim(-1.08, 1.08)
            ax.set_ylim(-1.08, 1.08)
        fig.legend(
            handles=[
                Line2D([0], [0], color=CONFLICT_COLOR, lw=3, label=t["legend_conflict"]),
                Line2D([0], [0], color=SYNERGY_COLOR, lw=3, label=t["legend_synergy"]),
            ],
            loc="outside lower center",
            ncols=2,
            frameon=False,
            fontsize=8,
        )
        return svg(fig, "network", t["fig_network_alt"], tight=True)


def circle_order(start: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[str]:
    """``start`` reordered on a circle so that the edges are short: the sum over the edges of the
    steps between their ends (around the circle, the shorter way) is made smaller by swapping two
    goals while any swap helps. Deterministic (integer costs, a fixed order of trying).

    >>> circle_order(["a", "b", "c", "d"], [("a", "c"), ("b", "d"), ("a", "b")])
    ['b', 'a', 'c', 'd']
    """
    order = list(start)
    n = len(order)
    if n < 4:
        return order

    def cost(seq: Sequence[str]) -> int:
        at = {g: k for k, g in enumerate(seq)}
        return sum(min(abs(at[u] - at[v]), n - abs(at[u] - at[v])) for u, v in edges)

    best = cost(order)
    for _ in range(50):  # passes; each swap strictly lowers an integer cost, so this ends anyway
        better = False
        for i in range(n):
            for j in range(i + 1, n):
                order[i], order[j] = order[j], order[i]
                c = cost(order)
                if c < best:
                    best, better = c, True
                else:
                    order[i], order[j] = order[j], order[i]
        if not better:
            break
    return order
