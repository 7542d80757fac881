"""Measures ranked by MCDM methods (pymcdm): the decision matrix, the method registry, ranking and
method comparison, weight sensitivity and SMAA.
"""

from __future__ import annotations

from .matrix import DecisionMatrix, decision_matrix
from .methods import (
    METHODS,
    NORMALIZATIONS,
    MethodNotApplicable,
    MethodSpec,
    Scored,
    competition_ranks,
    parse_options,
    score,
    score_batch,
)
from .rank import WEIGHT_SOURCES, compare_methods, method_options, rank_by_group, rank_case, resolve_weights
from .scale import ValueScale, value_scale
from .sensitivity import (
    SAMPLERS,
    case_weight_samples,
    sample_weights,
    sensitivity_summary,
    smaa,
    weight_intervals,
)

__all__ = [
    "DecisionMatrix",
    "decision_matrix",
    "METHODS",
    "NORMALIZATIONS",
    "MethodSpec",
    "Scored",
    "score",
    "score_batch",
    "competition_ranks",
    "parse_options",
    "MethodNotApplicable",
    "WEIGHT_SOURCES",
    "resolve_weights",
    "rank_case",
    "compare_methods",
    "rank_by_group",
    "method_options",
    "SAMPLERS",
    "weight_intervals",
    "sample_weights",
    "case_weight_samples",
    "smaa",
    "sensitivity_summary",
    "ValueScale",
    "value_scale",
]
