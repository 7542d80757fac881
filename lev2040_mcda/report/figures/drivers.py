"""What drives the first places: a tornado-style chart of where each leading measure's rank
variance comes from.

The sensitivity stage splits the variance of a measure's rank over the samples into the share of
the weights and the share of each criterion's uncertain estimates (one-at-a-time variances,
normalised to sum 1; :func:`lev2040_mcda.ranking.sensitivity.sensitivity_summary`'s ``drivers``).
This figure draws those shares for the first few measures as horizontal bars, largest on top,
one panel per measure — the layout of a tornado diagram (Eschenbach, T. G. (1992). Spiderplots
versus tornado diagrams for sensitivity analysis. *Interfaces* 22(6), 40–46), with shares of
variance rather than swings of the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .svg import DARK, PALETTE, RC, figure, label, percent, svg, text_width

__all__ = ["WEIGHTS", "driver_bars", "drivers_chart"]

WEIGHTS = "weights"
"""The key of ``shares`` that stands for the weights (every other key is a criterion id)."""
OTHER = "#bab0ac"
_FONT = 8
_LABEL = 64  # the longest source name a bar shows in full


def driver_bars(shares: Mapping[str, float], bars: int = 6) -> list[tuple[str | None, float]]:
    """``shares`` as the bars of one panel: (source, share), largest first (ties by source),
    the ``bars`` largest alone and the rest summed as one last bar with source ``None`` ("other");
    a source with no share (0) has no bar.

    >>> driver_bars({"a": 0.1, "weights": 0.5, "b": 0.3, "c": 0.1, "d": 0.0}, bars=2)
    [('weights', 0.5), ('b', 0.3), (None, 0.2)]
    """
    shown = ((k, float(v)) for k, v in shares.items() if v > 0)
    ranked = sorted(shown, key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) <= bars + 1:  # an "other" bar would stand for a single source: show it
        return list(ranked)
    rest = sum(v for _, v in ranked[bars:])
    return [*ranked[:bars], (None, rest)]


def drivers_chart(
    drivers: Sequence[Mapping[str, Any]],
    t: Mapping[str, str],
    lang: str,
    names: Mapping[str, str],
    pct: Callable[[float], str],
    top: int = 3,
    bars: int = 6,
) -> str:
    """The shares of rank variance of the first ``top`` measures of ``drivers`` (the sensitivity
    stage's list, in acceptability order): one panel per measure, a bar for the weights and for
    each criterion whose estimates vary its rank (at most ``bars``, then "other"), largest first,
    each labelled with its share. A measure whose rank never varies (no share above 0) gets a
    panel saying so.

    ``names`` maps a criterion id to its name; ``pct`` writes a share as the report does (it is
    used for the bars' labels and the figure's description, read by screen readers).
    """
    import matplotlib

    rows = list(drivers[:top])

    def source(key: str | None) -> str:
        if key is None:
            return t["drivers_other"]
        return t["drivers_weights"] if key == WEIGHTS else names.get(key, key)

    panels = [driver_bars(r.get("shares") or {}, bars) for r in rows]
    labels = [label(source(k), _LABEL) for p in panels for k, _ in p]
    desc = " ".join(
        t["fig_drivers_desc_one"].format(
            measure=r["name"],
            sources=", ".join(f"{source(k)} {pct(v)}" for k, v in p) or t["drivers_no_variance"].rstrip("."),
        )
        for r, p in zip(rows, panels)
    )
    with matplotlib.rc_context(RC):
        # the axes' heights in proportion to their bars, so every bar is equally thick
        heights = [max(len(p), 1) for p in panels] or [1]
        width = max(7.5, text_width(labels, _FONT) + 5.0)
        fig = figure(width, 0.28 * sum(heights) + 0.75 * len(heights) + 0.4)
        axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
        for ax, r, p in zip(axes, rows, panels):
            ax.set_title(label(r["name"], 70), loc="left", fontsize=9, fontweight="bold")
            if not p:
                ax.set_axis_off()
                ax.text(
                    0.0, 0.5, t["drivers_no_variance"], transform=ax.transAxes, va="center", fontsize=_FONT
                )
                continue
            y = list(range(len(p)))
            colors = [OTHER if k is None else DARK if k == WEIGHTS else PALETTE[0] for k, _ in p]
            ax.barh(y, [v for _, v in p], color=colors, height=0.65)
            ax.set_yticks(y, [label(source(k), _LABEL) for k, _ in p], fontsize=_FONT)
            ax.invert_yaxis()
            for i, (_, v) in enumerate(p):
                ax.annotate(
                    pct(v),
                    (v, i),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    annotation_clip=False,
                )
            ax.set_xlim(0, 1.08)
            ax.xaxis.set_major_formatter(percent(lang))
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
        drawn = [ax for ax, p in zip(axes, panels) if p]
        (drawn or list(axes))[-1].set_xlabel(t["axis_variance_share"])
        return svg(fig, "drivers", t["fig_drivers_alt"], desc=desc)
