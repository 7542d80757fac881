"""The citizens' support per measure: one horizontal bar per project of the vote, the share of
the voters who approve it, with its Wilson interval as a whisker; sorted by support (as
``lev2040 vote`` lists them), the bars of what the vote selects dark, the others light, and a
diamond in the right-hand column where the analysis (the MCDA portfolio) selects the measure.

Each bar is a path of its own in ``<g id="fig-support-bar-N">`` (N from 1, top to bottom), so a
reader of the SVG (or a test) finds one per project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .svg import DARK, PALETTE, RC, figure, label, percent, svg, text_width

_FONT = 7.5
_ROW = 0.2  # inches per bar
_LIGHT = "#c9d6e3"


def support_chart(rows: Sequence[Mapping[str, Any]], t: Mapping[str, str], lang: str) -> str:
    """The support chart of ``rows`` (``vote_summary``'s ``measures``, in its order, each with a
    ``label``): ``share``, ``share_low``, ``share_high``, ``in_vote``, ``in_analysis``."""
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with matplotlib.rc_context(RC):
        n = len(rows)
        names = [label(r["label"], 60) for r in rows]
        share = [r["share"] or 0.0 for r in rows]
        low = [
            max(s - (r["share_low"] if r["share_low"] is not None else s), 0.0) for s, r in zip(share, rows)
        ]
        high = [
            max((r["share_high"] if r["share_high"] is not None else s) - s, 0.0) for s, r in zip(share, rows)
        ]
        widest = sorted(names, key=len)[-4:]
        fig = figure(max(7.5, text_width(widest, _FONT) + 5.0), max(n * _ROW, 1.0) + 1.3)
        ax = fig.add_subplot()
        y = list(range(n))
        bars = ax.barh(
            y,
            share,
            height=0.7,
            color=[PALETTE[0] if r["in_vote"] else _LIGHT for r in rows],
            edgecolor="none",
        )
        for i, bar in enumerate(bars.patches, 1):
            bar.set_gid(f"bar-{i}")
        ax.errorbar(share, y, xerr=[low, high], fmt="none", ecolor=DARK, elinewidth=0.8, capsize=2)
        top = max([s + h for s, h in zip(share, high)] + [0.05])
        column = top * 1.08
        marked = [i for i, r in enumerate(rows) if r["in_analysis"]]
        ax.plot([column] * len(marked), marked, "D", color=DARK, markersize=4.5, clip_on=False)
        ax.set_xlim(0, column * 1.04)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_yticks(y, names, fontsize=_FONT)
        ax.xaxis.set_major_formatter(percent(lang))
        ax.set_xlabel(t["axis_support"], fontsize=8)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        handles = [
            Patch(color=PALETTE[0], label=t["legend_vote_selects"]),
            Patch(color=_LIGHT, label=t["legend_vote_not"]),
            Line2D(
                [], [], color=DARK, marker="D", linestyle="none", markersize=4.5, label=t["legend_analysis"]
            ),
            Line2D([], [], color=DARK, linewidth=0.8, label=t["legend_interval"]),
        ]
        fig.legend(handles=handles, loc="outside upper center", ncols=2, fontsize=7.5, frameon=False)
        desc = t["fig_support_desc"].format(
            n=n, vote=sum(bool(r["in_vote"]) for r in rows), analysis=len(marked)
        )
        return svg(fig, "support", t["fig_support_alt"], desc=desc)
