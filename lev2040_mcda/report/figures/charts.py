"""Bar and line charts: the case at a glance, the weights, and the frontier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .svg import CONFLICT_COLOR, DARK, PALETTE, RC, decimal, figure, label, percent, svg, text_width, wrap


def glance_chart(
    summary: Mapping[str, Any],
    t: Mapping[str, str],
    lang: str,
    resource_labels: Mapping[str, str],
    district_names: Mapping[str | None, str],
) -> str:
    """The case at a glance: what all candidate measures (and the mandatory ones) need of each
    resource against its limit, one panel per resource; and how many measures each district has,
    coloured by the district it is part of (a Stadtbezirk and its parts share a colour).

    ``summary`` is :func:`lev2040_mcda.weights.summarize_case`'s result; ``resource_labels`` a
    resource's name with its unit; ``district_names`` a district's name (``None``: no district).
    """
    import matplotlib

    with matplotlib.rc_context(RC):
        resources = list(summary.get("resources") or [])
        districts = [d for d in summary.get("districts") or [] if d["measures"] > 0]
        roots = [d["id"] for d in summary.get("districts") or [] if not d.get("parent")]
        names = [wrap(district_names.get(d["id"], d["id"] or "–"), 28) for d in districts]
        rows = max(len(districts), 1)
        heights = [1.0] * len(resources) + [max(1.4, 0.24 * rows + 0.5)]
        width = max(7.5, 5.0 + text_width(names + [t["needed_mandatory"]], 8))
        fig = figure(width, sum(heights) + 0.9)
        axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
        bars = [t["needed_all"], t["needed_mandatory"]]
        for ax, r in zip(axes, resources):
            ax.barh([1, 0], [r["total"], r["mandatory"]], color=[PALETTE[0], DARK], height=0.6)
            ax.set_yticks([1, 0], bars, fontsize=8)
            if r.get("limit") is not None:
                ax.axvline(r["limit"], color=CONFLICT_COLOR, linewidth=2, linestyle="--")
                ax.annotate(
                    t["limit"],
                    (r["limit"], 1.45),
                    xytext=(3, 0),
                    textcoords="offset points",
                    color=CONFLICT_COLOR,
                    fontsize=8,
                    va="center",
                    annotation_clip=False,
                )
            ax.set_ylim(-0.5, 1.6)
            ax.set_xlim(0, max(r["total"], r.get("limit") or 0, 1e-9) * 1.08)
            ax.set_xlabel(label(resource_labels.get(r["id"], r["id"])), fontsize=8)
            ax.xaxis.set_major_formatter(decimal(lang))
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
        ax = axes[-1]
        color = {i: PALETTE[k % len(PALETTE)] for k, i in enumerate(roots)}
        parent = {d["id"]: d.get("parent") for d in summary.get("districts") or []}
        y = list(range(len(districts)))
        ax.barh(
            y,
            [d["measures"] for d in districts],
            color=[color.get(_root(d["id"], parent), DARK) for d in districts],
        )
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(t["axis_measures"], fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        parents = [d for d in summary.get("districts") or [] if d["id"] in roots and d["measures_incl_parts"]]
        if any(d.get("parent") for d in districts):
            from matplotlib.patches import Patch

            handles = [
                Patch(
                    color=color[d["id"]],
                    label=f"{label(district_names.get(d['id'], d['id']), 30)} ({d['measures_incl_parts']})",
                )
                for d in parents
            ]
            ax.legend(
                handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7.5
            )
        if not districts:
            ax.set_axis_off()
        return svg(fig, "glance", t["fig_glance_alt"])


def _root(district: str | None, parent: Mapping[str | None, str | None]) -> str | None:
    """The district ``district`` is (a part of a part ...) of: the Stadtbezirk it lies in."""
    seen = {district}
    while parent.get(district) and parent[district] not in seen:
        district = parent[district]
        seen.add(district)
    return district


def weights_chart(weights: Mapping[str, Any], t: Mapping[str, str], lang: str) -> str:
    """Grouped horizontal bars: each criterion's weight per group, and the consensus.

    ``weights`` is :func:`lev2040_mcda.weights.consensus.weights_summary`'s result.
    """
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(RC):
        crit = weights["criteria"]
        groups = weights["groups"]
        series = [(g["name"], [g["weights"][c["id"]] for c in crit]) for g in groups]
        series.append((t["consensus"], [c["weight"] for c in crit]))
        n, k = len(crit), len(series)
        fig = figure(7.5, max(2.5, 0.075 * n * (k + 1) + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        height = 0.8 / k
        for s, (name, values) in enumerate(series):
            last = s == k - 1
            ax.barh(
                y - 0.4 + height * (s + 0.5),
                values,
                height=height,
                color=DARK if last else PALETTE[s % len(PALETTE)],
                label=label(name, 40),
            )
        ax.set_yticks(y, [label(c["name"], 40) for c in crit])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(percent(lang))
        ax.set_xlabel(t["axis_weight"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.legend(loc="outside upper center", ncols=3, fontsize=8, frameon=False)
        return svg(fig, "weights", t["fig_weights_alt"])


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

    with matplotlib.rc_context(RC):
        pts: Sequence[Mapping[str, Any]] = [p for p in frontier["points"] if p["objective"] is not None]
        fig = figure(7.5, 3.6)
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
        ax.set_xlabel(label(resource_label))
        ax.set_ylabel(t["value"])
        ax.xaxis.set_major_formatter(decimal(lang))
        ax.yaxis.set_major_formatter(decimal(lang))
        ax.grid(color="#dddddd", linewidth=0.6)
        return svg(fig, "frontier", t["fig_frontier_alt"].format(resource=resource_label))
