"""Measures ranked by MCDM methods (pymcdm): the decision matrix, the method registry, ranking and
method comparison, weight sensitivity and SMAA.
"""
from __future__ import annotations

from .matrix import DecisionMatrix, decision_matrix
from .methods import METHODS, NORMALIZATIONS, MethodSpec, Scored, score, score_batch, competition_ranks, parse_options, MethodNotApplicable
from .rank import WEIGHT_SOURCES, resolve_weights, rank_case, compare_methods, rank_by_group, method_options
from .sensitivity import SAMPLERS, weight_intervals, sample_weights, case_weight_samples, smaa, sensitivity_summary

__all__ = ["DecisionMatrix", "decision_matrix", "METHODS", "NORMALIZATIONS", "MethodSpec", "Scored", "score", "score_batch", "competition_ranks", "parse_options", "MethodNotApplicable", "WEIGHT_SOURCES", "resolve_weights", "rank_case", "compare_methods", "rank_by_group", "method_options", "SAMPLERS", "weight_intervals", "sample_weights", "case_weight_samples", "smaa", "sensitivity_summary"]
