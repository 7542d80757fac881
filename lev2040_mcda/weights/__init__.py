"""Stakeholder submissions to weights: elicitation (direct, points, ranking, AHP, swing), aggregation
within and across groups, consensus and dissent, submission templates and their JSON Schema, and
the case summary (which counts submissions as this stage does).
"""
from __future__ import annotations

from .elicit import SAATY_RI, random_index, normalise_rows, positional_weights, ranking_weights, AhpResult, ahp, ahp_batch, llsm_weights, is_connected, RANKING_SCHEMES
from .elicitation import ElicitOptions, SubmissionWeights, elicit_case, goal_matrix
from .consensus import AggregateOptions, Consensus, aggregate, kendall_w, WITHIN, weights_summary
from .templates import submission_schema, render_template, TEMPLATE_FORMATS
from .summary import summarize_case

__all__ = ["SAATY_RI", "random_index", "normalise_rows", "positional_weights", "ranking_weights", "AhpResult", "ahp", "ahp_batch", "llsm_weights", "is_connected", "RANKING_SCHEMES", "ElicitOptions", "SubmissionWeights", "elicit_case", "goal_matrix", "AggregateOptions", "Consensus", "aggregate", "kendall_w", "WITHIN", "weights_summary", "submission_schema", "render_template", "TEMPLATE_FORMATS", "summarize_case"]
