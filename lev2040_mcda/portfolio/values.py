"""What a measure is worth to the portfolio: an additive value on fixed scales.

Portfolio decision analysis values a portfolio as the sum of its measures' values, each the
weighted sum of partial values on scales that are the same for every measure, scenario and weight
set (Kleinmuntz 2007, "Resource allocation decisions", in Edwards, Miles & von Winterfeldt (eds.),
*Advances in Decision Analysis*, ch. 20; Liesiö, Mild & Salo 2007, "Preference programming for
robust portfolio modeling and project selection", *EJOR* 181, 1488–1505)::

    v_i = Σ_j w_j · s_j · (x_ij − q_j) / R_j

with ``w`` the criterion weights (summing to 1), ``s_j`` +1 for a benefit and −1 for a cost
criterion, ``q_j`` the criterion's ``status_quo`` (the value of doing nothing, 0 unless the
catalogue says otherwise: an acceptance score 1–5 states its neutral 3) and ``R_j`` the width of the
criterion's fixed range: the catalogue's ``min``/``max`` where given, otherwise the least and
greatest value over the baseline **and every scenario together**, in both cases widened to include
``q_j``. So doing nothing is worth 0, a measure whose effects are net harmful is worth less than 0,
and a value means the same in every scenario: a scenario that multiplies a criterion for every
measure changes every value by as much.

The ranking methods keep their own normalisations (they rank); the old portfolio value, each
method's score rescaled to [0, 1] within the case (0 = the worst candidate, not "doing nothing"),
is still there as ``value="rescaled-score"``.
"""

from __future__ import annotations

import numpy as np

from ..case import Case
from ..errors import InputError, Problem
from ..ranking import METHODS, MethodNotApplicable, ValueScale, decision_matrix, score, value_scale
from .equity import need_matrix

__all__ = ["VALUE_KINDS", "ValueScale", "value_scale", "measure_values", "partial_values"]

VALUE_KINDS = ("fixed", "rescaled-score")
"""How measures are valued: ``fixed`` (additive on fixed scales, the default) or
``rescaled-score`` (an MCDM method's score rescaled to [0, 1] within the case)."""

NEED_TEXT = ", each criterion's part scaled by the need of the measure's district (Stadtcheck)"

FIXED_TEXT = (
    "additive value on fixed scales: sum of weight x (value - status quo) / range per criterion "
    "(0 = no change, < 0 = net harmful; the same scale in every scenario)"
)


def measure_values(
    case: Case,
    scenario: str | None,
    weights: np.ndarray | None,
    *,
    value: str = "fixed",
    method: str | None = None,
    options: dict | None = None,
    column: str | None = None,
    scale: ValueScale | None = None,
    need_weighting: bool | None = None,
) -> tuple[np.ndarray, str]:
    """Each measure's value for the objective in ``scenario`` of ``case``, and a description.

    ``value="fixed"`` (default): the additive value on the fixed scales of :func:`value_scale`
    (pass ``scale`` to reuse one). ``value="rescaled-score"``: ``method``'s score rescaled to
    [0, 1] within the case (1 = the best measure, 0 = the worst). With ``column``: that numeric
    column of measures.csv (a cost criterion is minimised: its values enter negated).

    ``need_weighting`` (default: case.yaml ``portfolio.need_weighting``): each measure's partial
    value on each criterion (or, with ``column``, its value of that criterion) times its need
    factor (:func:`~lev2040_mcda.portfolio.equity.need_matrix`); a rescaled score (a rank, not a
    value) and a resource column have no partial values to weight, and refuse it.
    """
    from ..case import apply_scenario

    need = need_matrix(case, need_weighting)
    if need is not None and (value != "fixed" or (column is not None and column not in case.criterion_ids)):
        raise InputError(
            Problem(
                "--need-weighting",
                "need weighting scales values on the criteria's fixed scales: use --value fixed "
                "(and a criterion, not a resource, as --objective)",
            )
        )
    if column is not None:
        v, text = _column_values(apply_scenario(case, scenario), column)
        if need is not None:
            v = v * need[:, case.criterion_ids.index(column)]
        return v, text + NEED_TEXT if need is not None else text
    if value == "fixed":
        scale = scale or value_scale(case)
        w = _normalised(weights, len(scale.criteria))
        return partial_values(case, scenario, scale, need) @ w, FIXED_TEXT + (
            NEED_TEXT if need is not None else ""
        )
    if value != "rescaled-score":
        raise InputError(Problem("--value", f"unknown value {value!r} (expected {' or '.join(VALUE_KINDS)})"))
    dm = decision_matrix(case, scenario)
    try:
        scored = score(dm, weights, method, options or {})
    except MethodNotApplicable as exc:
        raise InputError(Problem("--method", f"{method}: {exc}")) from None
    s = scored.scores if scored.higher_is_better else -scored.scores
    span = s.max() - s.min()
    v = (s - s.min()) / span if span > 0 else np.ones_like(s)
    return v, f"{METHODS[method].label} score rescaled to [0, 1] (1 = best measure, 0 = worst candidate)"


def partial_values(
    case: Case, scenario: str | None, scale: ValueScale, need: np.ndarray | None = None
) -> np.ndarray:
    """measures x criteria: the partial values on ``scale`` in ``scenario``, times the need factors
    ``need`` when given (:func:`~lev2040_mcda.portfolio.equity.need_matrix`): what the weights add
    up to a measure's value, here and wherever weights are sampled."""
    partial = scale.partial(case, scenario)
    return partial * need if need is not None else partial


def _normalised(weights: np.ndarray | None, n: int) -> np.ndarray:
    if weights is None:
        return np.full(n, 1.0 / n) if n else np.zeros(0)
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    return w / total if total > 0 else np.full(n, 1.0 / n)


def _column_values(case_s: Case, column: str) -> tuple[np.ndarray, str]:
    crit = {c.id: c for c in case_s.criteria}
    if column in crit:
        v = np.array([m.performance[column] for m in case_s.measures])
        if crit[column].direction == "cost":
            return -v, f"minus the column {column} (a cost criterion: minimised)"
        return v, f"the column {column}"
    if column in case_s.resources:
        return np.array([m.resources[column] for m in case_s.measures]), f"the column {column}"
    raise InputError(
        Problem(
            "--objective",
            f"{column!r} is not a numeric column of measures.csv (expected a criterion or resource id)",
        )
    )
