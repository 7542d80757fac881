"""lev2040-mcda: multi-criteria decision support for the Leverkusen 2040+ strategy.

The public API is imported lazily, so that ``import lev2040_mcda`` (and ``lev2040 --help``) stays
fast and does not load pandas, pymcdm, PuLP or networkx.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_case": "lev2040_mcda.case",
    "summarize_case": "lev2040_mcda.weights",
    "write_minimal_case": "lev2040_mcda.case",
    "weights_summary": "lev2040_mcda.weights",
    "decision_matrix": "lev2040_mcda.ranking",
    "apply_scenario": "lev2040_mcda.case",
    "resolve_weights": "lev2040_mcda.ranking",
    "rank_case": "lev2040_mcda.ranking",
    "compare_methods": "lev2040_mcda.ranking",
    "rank_by_group": "lev2040_mcda.ranking",
    "sensitivity_summary": "lev2040_mcda.ranking",
    "analyse_conflicts": "lev2040_mcda.conflicts",
    "build_graph": "lev2040_mcda.conflicts",
    "portfolio_summary": "lev2040_mcda.portfolio",
    "frontier_summary": "lev2040_mcda.portfolio",
    "robust_summary": "lev2040_mcda.robust",
    "build_report": "lev2040_mcda.report",
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
