"""The report's charts as inline SVG strings (matplotlib, no pyplot, no display, no network).

Each function takes a stage's JSON-ready result and the report's labels and returns one
``<svg>`` element with a ``<title>`` (its alt text) that can be pasted into HTML. Output is
deterministic: the SVG ids are hashed with a per-figure salt (``svg.hashsalt``) and prefixed with
the figure's name, so two figures on one page never share an id, and no date is written. Text stays
text (``svg.fonttype: none``): smaller files, searchable and readable by screen readers; the font
is matplotlib's bundled DejaVu Sans, so nothing is fetched. A figure is made as large as its
labels need (measured in that font), so no label is cut off.

``svg.py`` holds what every figure shares; ``charts.py`` the bar and line charts (the case at a
glance, the weights, the frontier); ``heatmaps.py`` measures against ranks, methods or scenarios;
``network.py`` the goal network; ``cross_impacts.py`` a CIB model's judgement matrix;
``support.py`` the citizens' support per measure in the online vote; ``drivers.py`` what drives
the first places' ranks (the weights or a criterion's uncertain estimates).
"""

from __future__ import annotations

from .charts import frontier_chart, glance_chart, weights_chart
from .cross_impacts import cross_impact_heatmap
from .drivers import drivers_chart
from .heatmaps import acceptability_heatmap, inclusion_heatmap, method_ranks_heatmap
from .maps import district_map_svg
from .network import circle_order, conflict_network
from .support import support_chart
from .svg import CONFLICT_COLOR, SYNERGY_COLOR

__all__ = [
    "glance_chart",
    "weights_chart",
    "conflict_network",
    "circle_order",
    "acceptability_heatmap",
    "method_ranks_heatmap",
    "frontier_chart",
    "inclusion_heatmap",
    "cross_impact_heatmap",
    "support_chart",
    "drivers_chart",
    "district_map_svg",
    "CONFLICT_COLOR",
    "SYNERGY_COLOR",
]
