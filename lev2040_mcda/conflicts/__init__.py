"""The goal-conflict graph (networkx): goals, criteria and measures with their conflicts and synergies,
Zielkonflikte weighted by the groups, hotspots, synergy clusters, measure pairs, GraphML/DOT export.
"""

from __future__ import annotations

from .graph import (
    DERIVED_FACTOR,
    RELATIONS,
    analyse_conflicts,
    build_graph,
    conflict_hotspots,
    goal_conflicts,
    goal_weights,
    measure_exposures,
    measure_pairs,
    severity,
    synergy_clusters,
    to_dot,
    worse_than_neutral,
    write_dot,
    write_graphml,
)

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
