"""The cross-impact matrix of a CIB model as a heat map: every judgement of how a variant (row)
promotes (+, blue) or restricts (−, red) another descriptor's variant (column).

Each judgement is a vector cell of its own (a path in ``<g id="fig-cib-cells">``, in row order),
with its number written in when it is not 0; a descriptor's own block, where CIB makes no
judgement, is one grey square (``<g id="fig-cib-own">``); thin dark lines outline the descriptors' blocks. Rows are numbered and named
``Descriptor: variant``; the columns carry the same numbers, so the figure stays as narrow as
its row labels allow however many variants there are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .svg import DARK, RC, figure, label, svg, text_width

_FONT = 7
_CELL = 0.22  # inches per cell
_OWN = "#d5d8dc"


def cross_impact_heatmap(model, labels: Sequence[str], t: Mapping[str, str]) -> str:
    """The heat map of ``model``'s matrix (a :class:`lev2040_mcda.case.CIBModel`); ``labels`` are
    the rows' names (``Descriptor: variant``, matrix order)."""
    import matplotlib
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PatchCollection, PolyCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    with matplotlib.rc_context(RC):
        m = np.asarray(model.matrix)
        n = len(labels)
        block = np.repeat(np.arange(len(model.sizes)), model.sizes)
        top = max(3, int(np.abs(m).max(initial=0)))
        norm, cmap = Normalize(-top, top), matplotlib.colormaps["RdBu"]
        names = [f"{i + 1}  {label(s, 60)}" for i, s in enumerate(labels)]
        side = max(n * _CELL, 1.0)
        widest = sorted(names, key=len)[-4:]  # measuring every label in the font is slow
        fig = figure(max(7.5, text_width(widest, _FONT) + side + 1.9), side + 1.0)  # cells about square
        ax = fig.add_subplot()
        rows, cols = np.nonzero(block[:, None] != block[None, :])
        cells = PolyCollection(
            [
                [(b - 0.5, a - 0.5), (b + 0.5, a - 0.5), (b + 0.5, a + 0.5), (b - 0.5, a + 0.5)]
                for a, b in zip(rows, cols)
            ],
            facecolors=cmap(norm(m[rows, cols])),
            edgecolors="white",
            linewidths=0.4,
            clip_on=False,
        )
        cells.set_gid("cells")  # one path per judgement: <g id="fig-cib-cells">
        ax.add_collection(cells)
        for a, b in zip(rows, cols):
            v = int(m[a, b])
            if v:
                ax.text(
                    b,
                    a,
                    f"{v:+d}".replace("-", "−"),
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="white" if abs(v) / top > 0.6 else "#17202a",
                    in_layout=False,  # inside its cell: the layout need not measure it
                )
        own = [Rectangle((o - 0.5, o - 0.5), k, k) for o, k in zip(model.offsets, model.sizes, strict=True)]
        ax.add_collection(PatchCollection(own, facecolor=_OWN, edgecolor="none", gid="own"))
        for start in (*model.offsets[1:],):
            ax.axhline(start - 0.5, color=DARK, linewidth=0.8)
            ax.axvline(start - 0.5, color=DARK, linewidth=0.8)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_yticks(range(n), names, fontsize=_FONT)
        ax.set_xticks(range(n), [str(i + 1) for i in range(n)], fontsize=6)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel(t["cib_axis_target"], fontsize=8)
        ax.set_ylabel(t["cib_axis_source"], fontsize=8)
        ax.tick_params(length=0)
        ax.spines[:].set_visible(True)
        ax.spines[:].set_color(DARK)
        bar = fig.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.5, ticks=range(-top, top + 1))
        bar.ax.set_yticklabels([f"{k:+d}".replace("-", "−") if k else "0" for k in range(-top, top + 1)])
        bar.set_label(t["cib_colorbar"], fontsize=8)
        desc = t["fig_cib_desc"].format(n=n, d=len(model.sizes))
        return svg(fig, "cib", t["fig_cib_alt"], tight=True, desc=desc)
