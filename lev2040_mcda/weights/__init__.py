"""Stakeholder submissions to weights: elicitation (direct, points, ranking, AHP, swing), aggregation
within and across groups, consensus and dissent, submission templates and their JSON Schema, and
the case summary (which counts submissions as this stage does).
"""

from __future__ import annotations

from .collector import ElicitOptions, goal_matrix
from .consensus import WITHIN, AggregateOptions, Consensus, aggregate, kendall_w, weights_summary
from .elicit import (
    RANKING_SCHEMES,
    SAATY_RI,
    AhpResult,
    ahp,
    ahp_batch,
    is_connected,
    llsm_weights,
    normalise_rows,
    positional_weights,
    random_index,
    ranking_weights,
)
from .elicitation import SubmissionWeights, elicit_case
from .summary import summarize_case
from .template_texts import TEXTS, template_language
from .templates import BUDGET, TEMPLATE_FORMATS, render_template, submission_schema

__all__ = [
    "SAATY_RI",
    "random_index",
    "BUDGET",
    "TEXTS",
    "template_language",
    "normalise_rows",
    "positional_weights",
    "ranking_weights",
    "AhpResult",
    "ahp",
    "ahp_batch",
    "llsm_weights",
    "is_connected",
    "RANKING_SCHEMES",
    "ElicitOptions",
    "SubmissionWeights",
    "elicit_case",
    "goal_matrix",
    "AggregateOptions",
    "Consensus",
    "aggregate",
    "kendall_w",
    "WITHIN",
    "weights_summary",
    "submission_schema",
    "render_template",
    "TEMPLATE_FORMATS",
    "summarize_case",
]
