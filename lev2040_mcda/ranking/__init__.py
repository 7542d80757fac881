"""Measures ranked by MCDM methods (pymcdm): the decision matrix, the method registry, ranking and
method comparison, weight sensitivity and SMAA, with uncertain estimates drawn too.
"""

from __future__ import annotations

from .estimates import DIST_CODES, EstimateModel, estimate_model, sample_cells, sample_matrices
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
from .polytope import (
    POLYTOPE_KINDS,
    hit_and_run,
    interval_constraints,
    ordinal_constraints,
    polytope_samples,
    statement_constraints,
)
from .rank import WEIGHT_SOURCES, compare_methods, method_options, rank_by_group, rank_case, resolve_weights
from .scale import ValueScale, value_scale
from .sensitivity import (
    ESTIMATES,
    SAMPLERS,
    case_weight_samples,
    sample_weights,
    sensitivity_summary,
    smaa,
    weight_intervals,
)
from .uncertain import VALUE_METHOD, Ranker, rank_drivers, smaa_uncertain

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
    "ESTIMATES",
    "EstimateModel",
    "estimate_model",
    "sample_cells",
    "sample_matrices",
    "VALUE_METHOD",
    "Ranker",
    "smaa_uncertain",
    "rank_drivers",
    "DIST_CODES",
    "POLYTOPE_KINDS",
    "ordinal_constraints",
    "interval_constraints",
    "statement_constraints",
    "hit_and_run",
    "polytope_samples",
]
