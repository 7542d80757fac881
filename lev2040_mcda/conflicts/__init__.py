"""The goal-conflict graph (networkx): goals, criteria and measures with their conflicts and synergies,
Zielkonflikte weighted by the groups, hotspots, synergy clusters, measure pairs, GraphML/DOT export.
"""

from __future__ import annotations

from .analysis import analyse_conflicts
from .export import to_dot, write_dot, write_graphml
from .goals import conflict_hotspots, goal_conflicts, goal_weights, severity, synergy_clusters
from .graph import DERIVED_FACTOR, RELATIONS, build_graph, worse_than_neutral
from .measures import measure_exposures, measure_pairs

__all__ = [
    "RELATIONS",
    "DERIVED_FACTOR",
    "build_graph",
    "worse_than_neutral",
    "goal_weights",
    "severity",
    "goal_conflicts",
    "conflict_hotspots",
    "synergy_clusters",
    "measure_exposures",
    "measure_pairs",
    "analyse_conflicts",
    "write_graphml",
    "write_dot",
    "to_dot",
]
