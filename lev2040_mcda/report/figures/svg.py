"""What every figure shares: the style, the colours, text as matplotlib shows it, and the SVG
written the same way every time (ids hashed with a per-figure salt and prefixed, no date)."""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CONFLICT_COLOR = "#c0392b"
SYNERGY_COLOR = "#1e8449"
DARK = "#2c3e50"
PALETTE = [
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
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def drawable(text: Any) -> str:
    """Text that a font can draw and UTF-8 can hold: a lone surrogate (a JSON ``"\\ud800"``) is
    shown as U+FFFD instead of failing the figure; a proper pair becomes its character."""
    return str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def label(text: Any, width: int | None = None) -> str:
    """Input text as matplotlib shows it literally: ``$`` would start mathtext."""
    s = drawable(text)
    if width and len(s) > width:
        s = s[: width - 1].rstrip() + "…"
    return s.replace("$", r"\$")


def wrap(text: Any, width: int) -> str:
    return "\n".join(textwrap.wrap(label(text), width, break_long_words=False)) or label(text)


def text_width(lines: Iterable[str], size: float) -> float:
    """The width in inches of the widest of ``lines`` (as :func:`label` gives them) in DejaVu Sans
    at ``size`` points: a figure is made wide enough for its longest label, so none is cut."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(family="DejaVu Sans", size=size)
    widest = 0.0
    for s in lines:
        for line in s.replace(r"\$", "$").splitlines():
            if line.strip():
                widest = max(widest, TextPath((0, 0), line, prop=prop).get_extents().width)
    return widest / 72.0


def figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def svg(fig: Figure, name: str, title: str, tight: bool = False, desc: str | None = None) -> str:
    """``fig`` as one inline ``<svg>`` element with ``title`` as its accessible name and ``desc``,
    when given, as its description (``<desc>``, ``aria-describedby``); ``tight`` crops the figure
    to what is drawn (labels outside the axes included, none cut)."""
    import matplotlib

    buf = io.StringIO()
    extra = {"bbox_inches": "tight", "pad_inches": 0.08} if tight else {}
    with matplotlib.rc_context({**RC, "svg.hashsalt": f"lev2040-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, **extra)
    text = buf.getvalue()
    text = _prefix_ids(text[text.index("<svg") :], f"fig-{name}-")
    end = text.index(">") + 1
    aria = f'role="img" aria-labelledby="fig-{name}-title"'
    if desc is not None:
        aria += f' aria-describedby="fig-{name}-desc"'
    head = text[: end - 1].replace("<svg", f"<svg {aria}", 1)
    title = f'<title id="fig-{name}-title">{html.escape(drawable(title))}</title>'
    if desc is not None:
        title += f'<desc id="fig-{name}-desc">{html.escape(drawable(desc))}</desc>'
    return f"{head}>{title}" + text[end:].strip() + "\n"


def percent(lang: str):
    from matplotlib.ticker import PercentFormatter

    fmt = PercentFormatter(1.0, decimals=None, symbol=" %" if lang == "de" else "%")
    if lang == "de":
        fmt.format_pct = lambda x, display_range, _f=fmt.format_pct: _f(x, display_range).replace(".", ",")
    return fmt


def decimal(lang: str):
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: Any) -> str:
        s = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"
        return s.translate(str.maketrans(",.", ".,")) if lang == "de" else s

    return FuncFormatter(fmt)


def heatmap(ax, values, cmap: str, vmin: float = 0.0, vmax: float = 1.0):
    return ax.imshow(values, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")


_REFS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id of ``svg`` (matplotlib names groups ``figure_1``, ``axes_1``, ...) and every
    reference to one, prefixed: several figures on one page then never share an id."""
    return _REFS.sub(lambda m: m[1] + prefix + m[2], svg)
