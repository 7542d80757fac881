"""A map of the districts: a choropleth of one value per district (a need index, budget per
resident), optionally with circles for what lands where (their area proportional to a second value,
such as a measure package's budget) and the Stadtbezirke's boundaries drawn thicker on top.

The shapes come from :func:`lev2040_mcda.stadtcheck.geometry.map_shapes` (polygons in metres or the
tile layout); the map keeps their aspect and draws no axes. A district without a value is hatched
light grey and named in the legend with the caller's "no data" text; every text of the figure comes
from the caller (the report passes its locale's), none is written here. Each district is one path in
``<g id="fig-NAME-district-ID">`` holding a ``<title>`` (its name and value, shown on hover), so a
reader of the SVG (or a test) finds each district; ids are hashed as every figure's (``svg.py``), so
the same inputs give the same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .svg import DARK, RC, drawable, figure, svg, wrap

if TYPE_CHECKING:
    from ...stadtcheck.geometry import MapShapes

__all__ = ["district_map_svg"]

_NO_DATA = "#f0f0f0"
_NO_DATA_HATCH = "#b3b3b3"
_WIDTH = 5.5  # inches of map
_MAX_HEIGHT = 7.0
_SYMBOL = 24.0  # points: the diameter of the largest circle
_SYMBOL_FACE = (1.0, 1.0, 1.0, 0.55)  # light: seen on the darkest fill, its dark edge on the lightest


def district_map_svg(
    shapes: MapShapes,
    values: Mapping[str, float | None],
    *,
    title: str,
    label: str,
    names: Mapping[str, str],
    symbols: Mapping[str, float | None] | None = None,
    fmt: Callable[[float], str] | Any | None = None,
    cmap: str = "YlOrRd",
    no_data: str = "no data",
    symbol_label: str | None = None,
    symbol_fmt: Callable[[float], str] | None = None,
    outline: MapShapes | None = None,
    center: float | None = None,
    desc: str | None = None,
    figure_id: str = "map",
    heading: bool = False,
) -> str:
    """The map of ``shapes`` coloured by ``values`` (district id -> value; None, NaN or absent: no
    data) as one inline ``<svg>``.

    ``title`` is its accessible name (drawn above it too when ``heading``), ``desc`` its description;
    ``label`` names the colour bar, ``no_data`` the hatched districts' legend entry; ``names`` gives
    the district names drawn on the map (the id where absent). ``fmt`` writes the values (a function
    of a float, or a matplotlib ``Formatter`` such as ``svg.percent(lang)``). ``center`` (e.g. 0 for
    a need index) centres the colour scale on it, for a diverging ``cmap`` such as ``RdBu_r``.
    ``symbols`` (district id -> value) draws a circle at each district with a positive value, its
    area proportional to the value, with a size legend titled ``symbol_label`` whose values
    ``symbol_fmt`` writes. ``outline`` (the same map dissolved, e.g. ``shapes.dissolve(parents)``)
    draws the boundaries of the larger districts thicker. ``figure_id`` sets the SVG ids' prefix
    (``fig-<figure_id>-``): give each map of a page its own."""
    import math

    import matplotlib
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize, to_rgb
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.ticker import Formatter, FuncFormatter

    name = _safe_id(figure_id)
    with matplotlib.rc_context({**RC, "hatch.linewidth": 0.5}):
        numbers = {d: _number(values.get(d)) for d in shapes.polygons}
        known = [v for v in numbers.values() if v is not None]
        x0, y0, x1, y1 = shapes.bounds
        wide, high = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        width = _WIDTH if high / wide * _WIDTH <= _MAX_HEIGHT else _MAX_HEIGHT * wide / high
        height = min(max(width * high / wide, 2.0), _MAX_HEIGHT)
        fig = figure(width + 1.4, height + 0.7)
        ax = fig.add_subplot()
        colours = matplotlib.colormaps[cmap]
        norm = _norm(known, center, Normalize)
        if fmt is None:
            formatter = FuncFormatter(lambda x, _pos: _plain(x))
        elif isinstance(fmt, Formatter):
            formatter = fmt
        else:
            formatter = FuncFormatter(lambda x, _pos, _f=fmt: _f(x))
        if known:
            bar = fig.colorbar(ScalarMappable(norm, colours), ax=ax, shrink=0.6, format=formatter)
            bar.set_label(wrap(label, 40), fontsize=8)
            bar.ax.tick_params(labelsize=7)
        read = {d: _number(v) for d, v in (symbols or {}).items() if d in shapes.label_points}
        sizes = {d: v for d, v in read.items() if v is not None and v > 0}
        top = max(sizes.values(), default=0.0)
        tips: dict[str, str] = {}
        for d, rings in shapes.polygons.items():
            value = numbers[d]
            gid = f"district-{_safe_id(d)}"
            path = _path(rings)
            shown = drawable(names.get(d, d))
            if value is None:
                patch = PathPatch(path, facecolor=_NO_DATA, edgecolor=_NO_DATA_HATCH, hatch="////", lw=0.5)
                fill = to_rgb(_NO_DATA)
                tips[gid] = f"{shown}: {no_data}"
            else:
                fill = colours(norm(value))
                patch = PathPatch(path, facecolor=fill, edgecolor="white", linewidth=0.6)
                tips[gid] = f"{shown}: {formatter(value)}"
            patch.set_gid(gid)
            ax.add_patch(patch)
            x, y = shapes.label_points[d]
            r, g, b = to_rgb(fill)
            dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45
            lift = math.sqrt(sizes[d] / top) * _SYMBOL / 2 + 1.5 if d in sizes else 0.0  # above its circle
            ax.annotate(
                wrap(shown, 14),
                (x, y),
                xytext=(0, lift),
                textcoords="offset points",
                ha="center",
                va="bottom" if lift else "center",
                fontsize=6,
                linespacing=1.0,
                color="white" if dark else DARK,
                zorder=4,
                in_layout=False,
            )
        if outline is not None:
            for d, rings in outline.polygons.items():
                edge = PathPatch(_path(rings), facecolor="none", edgecolor=DARK, linewidth=1.3, zorder=3)
                edge.set_gid(f"outline-{_safe_id(d)}")
                ax.add_patch(edge)
        handles: list[Any] = []
        if any(v is None for v in numbers.values()):
            handles.append(Patch(facecolor=_NO_DATA, edgecolor=_NO_DATA_HATCH, hatch="////", label=no_data))
        size_handles: list[Any] = []
        if sizes:
            ds = list(sizes)
            points = np.array([shapes.label_points[d] for d in ds])
            dots = ax.scatter(
                points[:, 0],
                points[:, 1],
                s=[sizes[d] / top * _SYMBOL**2 for d in ds],
                facecolor=_SYMBOL_FACE,
                edgecolor=DARK,
                linewidth=0.8,
                zorder=3.5,
            )
            dots.set_gid("symbols")
            write = symbol_fmt or _plain
            for v in _reference_sizes(top):
                size = math.sqrt(v / top) * _SYMBOL
                size_handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        linestyle="none",
                        markersize=size,
                        label=write(v),
                        markerfacecolor=_SYMBOL_FACE,
                        markeredgecolor=DARK,
                        markeredgewidth=0.8,
                    )
                )
        pad_x, pad_y = 0.03 * wide, 0.03 * high
        ax.set_xlim(x0 - pad_x, x1 + pad_x)
        ax.set_ylim(y0 - pad_y, y1 + pad_y)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if handles:
            fig.legend(handles=handles, loc="outside lower left", fontsize=7.5, frameon=False)
        if size_handles:
            fig.legend(
                handles=size_handles,
                loc="outside lower right",
                ncols=len(size_handles),
                fontsize=7.5,
                title=wrap(symbol_label, 40) if symbol_label else None,
                title_fontsize=7.5,
                frameon=False,
                labelspacing=1.2,
                borderpad=0.8,
            )
        if heading:
            fig.suptitle(wrap(title, 70), fontsize=10)
        text = svg(fig, name, title, tight=True, desc=desc)
    return _with_tips(text, name, tips)


def _number(value: Any) -> float | None:
    """A value as a float; None for None, NaN, an infinity or what is not a number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def _norm(known: list[float], center: float | None, normalize):
    if not known:
        return normalize(0.0, 1.0)
    lo, hi = min(known), max(known)
    if center is not None:
        reach = max(abs(lo - center), abs(hi - center)) or 1.0
        return normalize(center - reach, center + reach)
    if lo == hi:
        half = abs(lo) * 0.1 or 0.5
        return normalize(lo - half, hi + half)
    return normalize(lo, hi)


def _plain(x: float) -> str:
    """A number in no language's manner: no thousands separator, three significant digits below 1000."""
    return (f"{x:.0f}" if abs(x) >= 1000 else f"{x:.3g}").replace("-", "\u2212")


def _reference_sizes(top: float) -> list[float]:
    """Two or three round values up to ``top`` for the size legend: ``top`` rounded down to two
    significant digits, then its half and quarter."""
    import math

    step = 10 ** (math.floor(math.log10(top)) - 1)
    first = math.floor(top / step) * step or top
    return sorted({first, round(first / 2, 12), round(first / 4, 12)}, reverse=True)


def _path(rings):
    from matplotlib.path import Path

    return Path.make_compound_path(*(Path(r, closed=True) for r in rings))


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(text)) or "_"


def _with_tips(text: str, name: str, tips: Mapping[str, str]) -> str:
    """Each district's group with a ``<title>`` (its name and value) as its first child."""
    for gid, tip in tips.items():
        tag = f'<g id="fig-{name}-{gid}">'
        text = text.replace(tag, f"{tag}<title>{html.escape(drawable(tip))}</title>", 1)
    return text
