"""The best set of measures within the resource limits (PuLP: CBC or HiGHS): the problem, the model,
explanations and diagnosis, start periods, runs and the frontier.
"""

from __future__ import annotations

from .model import (
    MIP_GAP,
    REASONS,
    SOLVERS,
    InfeasiblePortfolio,
    PortfolioModel,
    PortfolioProblem,
    Solution,
    add_constraints,
    add_periods,
    build_problem,
    diagnose,
    earliest_starts,
    explain,
    make_solver,
    objective_terms,
    quiet_stdout,
    reason_text,
    solver_bound,
)
from .plan import (
    exact_frontier_points,
    frontier_points,
    frontier_summary,
    measure_pairs,
    measure_values,
    portfolio_summary,
    solve_portfolio,
)

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
    "objective_terms",
    "add_constraints",
    "add_periods",
    "earliest_starts",
    "make_solver",
    "solver_bound",
    "quiet_stdout",
    "SOLVERS",
    "MIP_GAP",
    "measure_values",
    "measure_pairs",
    "solve_portfolio",
    "portfolio_summary",
    "frontier_points",
    "exact_frontier_points",
    "frontier_summary",
]
