"""Building scenarios by cross-impact balance (CIB): consistent scenarios, succession, robustness of
the judgements, interventions, a diverse selection, and scenarios for the case."""

from __future__ import annotations

from .core import (
    CIBResult,
    SearchTooLarge,
    balances,
    brute_force,
    descriptor_inconsistency,
    evaluate,
    inconsistency,
    is_consistent,
    total_impact,
)
from .into_case import BEGIN, END, scenarios_text, with_scenarios, write_scenarios
from .robustness import (
    EnsembleResult,
    ensemble_consistency,
    robust_margins,
    robust_scenarios,
    robustness_radius,
)
from .search import Chunk, consistent_scenarios, search_chunk, search_chunks
from .select import select_diverse, to_case_scenarios, to_json_dict
from .succession import Attractor, Basin, basins, succession, succession_step
from .summary import find_scenarios, scenarios_summary
from .synthetic import random_model

__all__ = [
    "BEGIN",
    "END",
    "Attractor",
    "Basin",
    "CIBResult",
    "Chunk",
    "EnsembleResult",
    "SearchTooLarge",
    "balances",
    "basins",
    "brute_force",
    "scenarios_text",
    "with_scenarios",
    "write_scenarios",
    "consistent_scenarios",
    "descriptor_inconsistency",
    "ensemble_consistency",
    "evaluate",
    "inconsistency",
    "is_consistent",
    "random_model",
    "robust_margins",
    "robust_scenarios",
    "robustness_radius",
    "find_scenarios",
    "scenarios_summary",
    "search_chunk",
    "search_chunks",
    "select_diverse",
    "succession",
    "succession_step",
    "to_case_scenarios",
    "to_json_dict",
    "total_impact",
]
