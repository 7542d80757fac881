"""The best set of measures within the resource limits (PuLP: CBC or HiGHS): the problem, the solvers,
the model, the measures' values on fixed scales, explanations and diagnosis, start periods, runs and
the frontier; the budget's risk under uncertain estimates and a robust budget; need weighting and
the equity rules per resident (:mod:`.equity`).
"""

from __future__ import annotations

from .budget_risk import SAMPLES, BudgetUnreachable, budget_risk, robust_budget, uncertain_limits
from .equity import EquityRow, equity_report, equity_rows, need_matrix
from .explanations import REASONS, diagnose, explain, reason_text
from .fast import Alternative, FastModel
from .model import (
    TIE_BREAK,
    PortfolioModel,
    add_constraints,
    add_periods,
    add_protection,
    earliest_starts,
    new_variable,
    objective_terms,
    row_scale,
)
from .plan import (
    exact_frontier_points,
    frontier_points,
    frontier_summary,
    measure_pairs,
    portfolio_summary,
    portfolio_work,
    solve_portfolio,
)
from .problem import InfeasiblePortfolio, PortfolioProblem, Protection, Solution, build_problem, protection
from .solvers import MIP_GAP, SOLVERS, make_solver, quiet_stdout, run_one_thread, solver_bound
from .values import VALUE_KINDS, ValueScale, measure_values, partial_values, value_scale

__all__ = [
    "PortfolioProblem",
    "PortfolioModel",
    "Solution",
    "InfeasiblePortfolio",
    "build_problem",
    "explain",
    "REASONS",
    "reason_text",
    "diagnose",
    "new_variable",
    "objective_terms",
    "add_constraints",
    "add_periods",
    "earliest_starts",
    "make_solver",
    "solver_bound",
    "quiet_stdout",
    "run_one_thread",
    "SOLVERS",
    "MIP_GAP",
    "measure_values",
    "partial_values",
    "EquityRow",
    "equity_rows",
    "equity_report",
    "need_matrix",
    "VALUE_KINDS",
    "ValueScale",
    "value_scale",
    "TIE_BREAK",
    "row_scale",
    "measure_pairs",
    "solve_portfolio",
    "portfolio_summary",
    "frontier_points",
    "exact_frontier_points",
    "frontier_summary",
    "portfolio_work",
    "FastModel",
    "Alternative",
    "budget_risk",
    "robust_budget",
    "uncertain_limits",
    "BudgetUnreachable",
    "SAMPLES",
    "Protection",
    "protection",
    "add_protection",
]
