"""Heat maps of measures (rows) against ranks, methods or scenarios (columns).

A row's label is the measure's full name (up to :data:`NAME_WIDTH` characters): the figure is made
as wide as its longest label needs (:func:`.svg.text_width`), so no name is cut off and the cells
keep their width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .svg import RC, figure, heatmap, label, percent, svg, text_width, wrap

NAME_WIDTH = 70
"""The longest measure name a row shows in full; a longer one ends in ``…``."""
_ROW_FONT = 7


def _width(names: Sequence[str], cells: float) -> float:
    """A figure wide enough for the row labels ``names`` and ``cells`` inches of cells (and the
    colour bar): never less than the page's usual 7.5 inches."""
    return max(7.5, text_width(names, _ROW_FONT) + cells + 0.4)


def acceptability_heatmap(
    sensitivity: Mapping[str, Any], t: Mapping[str, str], lang: str, limit: int = 40
) -> str:
    """SMAA rank acceptability: measures (best first) × ranks, shaded by the share of samples.

    ``sensitivity`` is :func:`lev2040_mcda.ranking.sensitivity.sensitivity_summary`'s result; at most
    ``limit`` measures and ranks are drawn.
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(RC):
        rows = sensitivity["acceptability"][:limit]
        ranks = min(limit, len(sensitivity["acceptability"]))
        values = np.array([r["by_rank"][:ranks] for r in rows], dtype=float)
        values = values.reshape(len(rows), ranks)
        names = [label(r["name"], NAME_WIDTH) for r in rows]
        fig = figure(_width(names, 5.2), max(2.2, 0.2 * len(rows) + 1.3))
        ax = fig.add_subplot()
        image = heatmap(ax, values, "Blues", vmax=max(float(values.max(initial=0.0)), 0.05))
        ax.set_yticks(range(len(rows)), names, fontsize=_ROW_FONT)
        step = 1 if ranks <= 15 else 5
        ticks = [0, *range(step - 1, ranks, step)] if step > 1 else list(range(ranks))
        ax.set_xticks(sorted(set(ticks)), [str(i + 1) for i in sorted(set(ticks))])
        ax.set_xlabel(t["axis_rank"])
        bar = fig.colorbar(image, ax=ax, shrink=0.6)
        bar.ax.yaxis.set_major_formatter(percent(lang))
        bar.set_label(t["axis_share_samples"])
        return svg(fig, "smaa", t["fig_smaa_alt"])


def method_ranks_heatmap(methods: Mapping[str, Any], t: Mapping[str, str], limit: int = 40) -> str:
    """Each measure's rank under each applicable method, and the compromise rank (last column, set
    apart): the darker the cell, the better the rank; the rank is written in every cell. Rows are
    ordered by the compromise rank, so a light cell in a dark row is a method that disagrees.

    ``methods`` is :func:`lev2040_mcda.ranking.compare_methods`'s result.
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(RC):
        order = methods["correlation"]["methods"]
        listed = list(enumerate(methods["ranks"]))
        rows = [x for _, x in sorted(listed, key=lambda p: (p[1]["compromise"], p[0]))][:limit]
        columns = [label(methods["methods"][m]["label"], 24) for m in order] + [
            label(t["compromise_rank"], 24)
        ]
        values = np.array(
            [[x["ranks"][m] for m in order] + [x["compromise"]] for x in rows], dtype=float
        ).reshape(len(rows), len(columns))
        worst = max(float(values.max(initial=1.0)), 2.0)
        names = [label(x["name"], NAME_WIDTH) for x in rows]
        fig = figure(_width(names, 0.62 * len(columns) + 0.3), max(2.4, 0.2 * len(rows) + 1.5))
        ax = fig.add_subplot()
        if not rows:  # no measure: nothing to compare
            ax.set_axis_off()
            return svg(fig, "methods", t["fig_methods_alt"])
        heatmap(ax, values, "Blues_r", vmin=1.0, vmax=worst * 1.25)
        for (i, j), v in np.ndenumerate(values):
            dark = (v - 1.0) / (worst * 1.25 - 1.0) < 0.45
            ax.text(
                j, i, f"{v:.0f}", ha="center", va="center", fontsize=6.5, color="white" if dark else "#17202a"
            )
        ax.set_yticks(range(len(rows)), names, fontsize=_ROW_FONT)
        ax.set_xticks(range(len(columns)), columns, fontsize=7.5)
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", labelrotation=35)
        for tick in ax.get_xticklabels():  # slanted, each starting at its column: none overlaps
            tick.set(ha="left", rotation_mode="anchor")
        ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.0)
        ax.axvline(len(columns) - 1.5, color="white", linewidth=4)
        ax.tick_params(which="both", length=0)
        ax.spines[:].set_visible(False)
        return svg(fig, "methods", t["fig_methods_alt"])


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

    with matplotlib.rc_context(RC):
        rows = sorted(measures, key=lambda m: -m["count"])[:limit]
        values = np.array([[1.0 if m["scenarios"].get(s) else 0.0 for s in scenarios] for m in rows]).reshape(
            len(rows), len(scenarios)
        )
        names = [label(m["name"], NAME_WIDTH) for m in rows]
        fig = figure(_width(names, 0.9 * len(scenarios)), max(2.2, 0.2 * len(rows) + 1.8))
        ax = fig.add_subplot()
        heatmap(ax, values, "Greens", vmax=1.4)
        ax.set_yticks(range(len(rows)), names, fontsize=_ROW_FONT)
        ax.set_xticks(range(len(scenarios)), [wrap(titles.get(s, s), 16) for s in scenarios], fontsize=7.5)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(-0.5, len(scenarios)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        ax.spines[:].set_visible(False)
        return svg(fig, "inclusion", t["fig_inclusion_alt"])
