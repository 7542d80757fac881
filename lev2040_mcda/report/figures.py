"""The report's charts as inline SVG strings (matplotlib, no pyplot, no display, no network).

Each function takes a stage's JSON-ready result and the report's labels and returns one
``<svg>`` element with a ``<title>`` (its alt text) that can be pasted into HTML. Output is
deterministic: the SVG ids are hashed with a per-figure salt (``svg.hashsalt``), so two figures on
one page never share an id, and no date is written. Text stays text (``svg.fonttype: none``):
smaller files, searchable and readable by screen readers; the font is matplotlib's bundled
DejaVu Sans, so nothing is fetched.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "weights_chart",
    "conflict_network",
    "acceptability_heatmap",
    "frontier_chart",
    "inclusion_heatmap",
    "CONFLICT_COLOR",
    "SYNERGY_COLOR",
]

CONFLICT_COLOR = "#c0392b"
SYNERGY_COLOR = "#1e8449"
_DARK = "#2c3e50"
_PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#e15759",
]
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _drawable(text: Any) -> str:
    """Text that a font can draw and UTF-8 can hold: a lone surrogate (a JSON ``"\\ud800"``) is
    shown as U+FFFD instead of failing the figure; a proper pair becomes its character."""
    return str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _label(text: Any, width: int | None = None) -> str:
    """Input text as matplotlib shows it literally: ``$`` would start mathtext."""
    s = _drawable(text)
    if width and len(s) > width:
        s = s[: width - 1].rstrip() + "…"
    return s.replace("$", r"\$")


def _wrap(text: Any, width: int) -> str:
    return "\n".join(textwrap.wrap(_label(text), width, break_long_words=False)) or _label(text)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Figure, name: str, title: str) -> str:
    """``fig`` as one inline ``<svg>`` element with ``title`` as its accessible name."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"lev2040-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = _prefix_ids(text[text.index("<svg") :], f"fig-{name}-")
    end = text.index(">") + 1
    head = text[: end - 1].replace("<svg", f'<svg role="img" aria-labelledby="fig-{name}-title"', 1)
    title = html.escape(_drawable(title))
    return f'{head}><title id="fig-{name}-title">{title}</title>' + text[end:].strip() + "\n"


def _percent(lang: str):
    from matplotlib.ticker import PercentFormatter

    fmt = PercentFormatter(1.0, decimals=None, symbol=" %" if lang == "de" else "%")
    if lang == "de":
        fmt.format_pct = lambda x, display_range, _f=fmt.format_pct: _f(x, display_range).replace(".", ",")
    return fmt


def _decimal(lang: str):
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: Any) -> str:
        s = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"
        return s.translate(str.maketrans(",.", ".,")) if lang == "de" else s

    return FuncFormatter(fmt)


def weights_chart(weights: Mapping[str, Any], t: Mapping[str, str], lang: str) -> str:
    """Grouped horizontal bars: each criterion's weight per group, and the consensus.

    ``weights`` is :func:`lev2040_mcda.weights.consensus.weights_summary`'s result.
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        crit = weights["criteria"]
        groups = weights["groups"]
        series = [(g["name"], [g["weights"][c["id"]] for c in crit]) for g in groups]
        series.append((t["consensus"], [c["weight"] for c in crit]))
        n, k = len(crit), len(series)
        fig = _figure(7.5, max(2.5, 0.075 * n * (k + 1) + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        height = 0.8 / k
        for s, (name, values) in enumerate(series):
            last = s == k - 1
            ax.barh(
                y - 0.4 + height * (s + 0.5),
                values,
                height=height,
                color=_DARK if last else _PALETTE[s % len(_PALETTE)],
                label=_label(name, 40),
            )
        ax.set_yticks(y, [_label(c["name"], 40) for c in crit])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_percent(lang))
        ax.set_xlabel(t["axis_weight"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.legend(loc="outside upper center", ncols=3, fontsize=8, frameon=False)
        return _svg(fig, "weights", t["fig_weights_alt"])


def conflict_network(graph, goal_weights: Mapping[str, float], t: Mapping[str, str], seed: int) -> str:
    """The goals with their conflicts (red) and synergies (green), widths by severity.

    ``graph`` is :func:`lev2040_mcda.conflicts.graph.build_graph`'s graph; ``goal_weights`` the goals'
    weights from :func:`lev2040_mcda.conflicts.graph.analyse_conflicts` (severity = strength × both
    weights). Layout: ``networkx.spring_layout`` with ``seed``.
    """
    import matplotlib
    import networkx as nx
    from matplotlib.lines import Line2D

    with matplotlib.rc_context(_RC):
        G = nx.Graph()
        for _node, data in graph.nodes(data=True):
            if data.get("kind") == "goal":
                G.add_node(data["id"], label=data.get("label") or data["id"])
        for u, v, rel, data in graph.edges(keys=True, data=True):
            a, b = graph.nodes[u], graph.nodes[v]
            if rel in ("conflict", "synergy") and a.get("kind") == b.get("kind") == "goal":
                sev = data["strength"] * goal_weights.get(a["id"], 0) * goal_weights.get(b["id"], 0)
                G.add_edge(a["id"], b["id"], relation=rel, severity=sev)
        fig = _figure(7.5, 6.5 if len(G) > 6 else 4.5)
        ax = fig.add_subplot()
        ax.set_axis_off()
        if len(G):
            pos = nx.spring_layout(G, seed=seed, k=3.0 / max(len(G), 1) ** 0.5, iterations=200)
            top = max([d["severity"] for *_, d in G.edges(data=True)] + [1e-12])
            for rel, color in (("synergy", SYNERGY_COLOR), ("conflict", CONFLICT_COLOR)):
                edges = [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == rel]
                widths = [1.0 + 7.0 * G.edges[e]["severity"] / top for e in edges]
                nx.draw_networkx_edges(
                    G, pos, edgelist=edges, width=widths, edge_color=color, alpha=0.8, ax=ax
                )
            wmax = max([goal_weights.get(g, 0) for g in G] + [1e-12])
            sizes = [120 + 900 * goal_weights.get(g, 0) / wmax for g in G]
            nx.draw_networkx_nodes(
                G, pos, node_size=sizes, node_color="#5d6d7e", edgecolors="white", linewidths=1.0, ax=ax
            )
            for g, (x, y) in pos.items():
                ax.annotate(
                    _wrap(G.nodes[g]["label"], 20),
                    (x, y),
                    xytext=(0, 11),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color="#17202a",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
                )
            ax.margins(0.15)
        ax.legend(
            handles=[
                Line2D([0], [0], color=CONFLICT_COLOR, lw=3, label=t["legend_conflict"]),
                Line2D([0], [0], color=SYNERGY_COLOR, lw=3, label=t["legend_synergy"]),
            ],
            loc="lower left",
            frameon=False,
            fontsize=8,
        )
        return _svg(fig, "network", t["fig_network_alt"])


def _heatmap(ax, values, cmap: str, vmax: float = 1.0):
    return ax.imshow(values, aspect="auto", cmap=cmap, vmin=0.0, vmax=vmax, interpolation="nearest")


def acceptability_heatmap(
    sensitivity: Mapping[str, Any], t: Mapping[str, str], lang: str, limit: int = 40
) -> str:
    """SMAA rank acceptability: measures (best first) × ranks, shaded by the share of samples.

    ``sensitivity`` is :func:`lev2040_mcda.ranking.sensitivity.sensitivity_summary`'s result; at most
    ``limit`` measures and ranks are drawn.
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        rows = sensitivity["acceptability"][:limit]
        ranks = min(limit, len(sensitivity["acceptability"]))
        values = np.array([r["by_rank"][:ranks] for r in rows], dtype=float)
        values = values.reshape(len(rows), ranks)
        fig = _figure(7.5, max(2.2, 0.2 * len(rows) + 1.3))
        ax = fig.add_subplot()
        image = _heatmap(ax, values, "Blues", vmax=max(float(values.max(initial=0.0)), 0.05))
        ax.set_yticks(range(len(rows)), [_label(r["name"], 45) for r in rows], fontsize=7)
        step = 1 if ranks <= 15 else 5
        ticks = [0, *range(step - 1, ranks, step)] if step > 1 else list(range(ranks))
        ax.set_xticks(sorted(set(ticks)), [str(i + 1) for i in sorted(set(ticks))])
        ax.set_xlabel(t["axis_rank"])
        bar = fig.colorbar(image, ax=ax, shrink=0.6)
        bar.ax.yaxis.set_major_formatter(_percent(lang))
        bar.set_label(t["axis_share_samples"])
        return _svg(fig, "smaa", t["fig_smaa_alt"])


def frontier_chart(
    frontier: Mapping[str, Any],
    proposed: tuple[float, float] | None,
    t: Mapping[str, str],
    lang: str,
    resource_label: str,
) -> str:
    """The best value at each level of a resource, as a step plot (feasible points only).

    ``frontier`` is :func:`lev2040_mcda.portfolio.plan.frontier_summary`'s result; ``proposed`` the
    (level, value) of the proposed portfolio, marked with a dot.
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        pts = [p for p in frontier["points"] if p["objective"] is not None]
        fig = _figure(7.5, 3.6)
        ax = fig.add_subplot()
        if pts:
            ax.step(
                [p["level"] for p in pts],
                [p["objective"] for p in pts],
                where="post",
                color="#2471a3",
                linewidth=2,
            )
            ax.plot(
                [p["level"] for p in pts], [p["objective"] for p in pts], "o", color="#2471a3", markersize=3
            )
        if proposed is not None:
            ax.plot(
                [proposed[0]], [proposed[1]], "o", color=CONFLICT_COLOR, markersize=8, label=t["proposed"]
            )
            ax.legend(loc="lower right", frameon=False)
        ax.set_xlabel(_label(resource_label))
        ax.set_ylabel(t["value"])
        ax.xaxis.set_major_formatter(_decimal(lang))
        ax.yaxis.set_major_formatter(_decimal(lang))
        ax.grid(color="#dddddd", linewidth=0.6)
        return _svg(fig, "frontier", t["fig_frontier_alt"].format(resource=resource_label))


def inclusion_heatmap(
    measures: Sequence[Mapping[str, Any]],
    scenarios: Sequence[str],
    titles: Mapping[str, str],
    t: Mapping[str, str],
    limit: int = 60,
) -> str:
    """Measures × scenarios, filled where the measure is in that scenario's best portfolio.

    ``measures`` is the robustness stage's ``inclusion`` list (``id, name, scenarios, count``).
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        rows = sorted(measures, key=lambda m: -m["count"])[:limit]
        values = np.array([[1.0 if m["scenarios"].get(s) else 0.0 for s in scenarios] for m in rows]).reshape(
            len(rows), len(scenarios)
        )
        fig = _figure(7.5, max(2.2, 0.2 * len(rows) + 1.8))
        ax = fig.add_subplot()
        _heatmap(ax, values, "Greens", vmax=1.4)
        ax.set_yticks(range(len(rows)), [_label(m["name"], 45) for m in rows], fontsize=7)
        ax.set_xticks(range(len(scenarios)), [_wrap(titles.get(s, s), 16) for s in scenarios], fontsize=7.5)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(-0.5, len(scenarios)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        ax.spines[:].set_visible(False)
        return _svg(fig, "inclusion", t["fig_inclusion_alt"])


_REFS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id of ``svg`` (matplotlib names groups ``figure_1``, ``axes_1``, ...) and every
    reference to one, prefixed: several figures on one page then never share an id."""
    return _REFS.sub(lambda m: m[1] + prefix + m[2], svg)
