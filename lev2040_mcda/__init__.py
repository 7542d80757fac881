"""lev2040-mcda: multi-criteria decision support for the Leverkusen 2040+ strategy.

The public API is imported lazily, so that ``import lev2040_mcda`` (and ``lev2040 --help``) stays
fast and does not load pandas, pymcdm, PuLP or networkx.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_case": "lev2040_mcda.case.load",
    "summarize_case": "lev2040_mcda.weights.summary",
    "write_minimal_case": "lev2040_mcda.case.scaffold",
    "weights_summary": "lev2040_mcda.weights.consensus",
    "decision_matrix": "lev2040_mcda.ranking.matrix",
    "apply_scenario": "lev2040_mcda.case.scenarios",
    "resolve_weights": "lev2040_mcda.ranking.rank",
    "rank_case": "lev2040_mcda.ranking.rank",
    "compare_methods": "lev2040_mcda.ranking.rank",
    "rank_by_group": "lev2040_mcda.ranking.rank",
    "sensitivity_summary": "lev2040_mcda.ranking.sensitivity",
    "analyse_conflicts": "lev2040_mcda.conflicts.analysis",
    "build_graph": "lev2040_mcda.conflicts.graph",
    "portfolio_summary": "lev2040_mcda.portfolio.plan",
    "frontier_summary": "lev2040_mcda.portfolio.plan",
    "robust_summary": "lev2040_mcda.robust.core",
    "build_report": "lev2040_mcda.report.page",
    "McdaError": "lev2040_mcda.errors",
    "InputError": "lev2040_mcda.errors",
    "InputErrors": "lev2040_mcda.errors",
    "Problem": "lev2040_mcda.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'lev2040_mcda' has no attribute {name!r}")
