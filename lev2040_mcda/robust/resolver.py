"""Core-index samples solved on one built model: each sample changes only the objective (and,
under an equity rule on benefit, that rule's rows, whose coefficients are the values).

:func:`_solve_samples` is what one process does with one chunk of samples (a module-level
function, so that spawned processes can run it); :class:`_Resolver` holds the model in HiGHS.
"""

from __future__ import annotations

import numpy as np

from ..case import Case
from ..portfolio import (
    TIE_BREAK,
    PortfolioModel,
    PortfolioProblem,
    ValueScale,
    make_solver,
    quiet_stdout,
    row_scale,
    run_one_thread,
)
from ..portfolio.equity import equity_rows, need_matrix
from ..portfolio.model import constraint
from ..portfolio.values import partial_values
from ..ranking import METHODS, Ranker, decision_matrix, score_batch


def _sample_values(
    case: Case, scenario: str | None, how: dict, W: np.ndarray, estimates=None, seed: tuple[int, ...] = ()
) -> np.ndarray:
    """measures x samples: each measure's value under each weight sample (rows of ``W``), all at
    once: on the fixed scale a matrix product, as a rescaled score one batched scoring. With
    ``estimates`` (an :class:`~lev2040_mcda.ranking.EstimateModel` of the scenario's criteria, of
    size > 0) each sample draws its own estimates too (seeded by ``seed``), as SMAA does
    (:class:`~lev2040_mcda.ranking.Ranker`)."""
    scale: ValueScale | None = how["scale"]
    method = how["method"]
    # need weighting as the case asks for it (the portfolio's values: portfolio.equity.need_matrix)
    need = need_matrix(case, how.get("need_weighting")) if scale is not None else None
    if estimates is not None:
        ranker = Ranker(
            decision_matrix(case, scenario), "value" if scale else method, how["options"], estimates, scale
        )
        if need is not None:
            return _needy_paired(ranker, need, W / W.sum(axis=1, keepdims=True), np.random.default_rng(seed))
        scores = ranker.paired(W / W.sum(axis=1, keepdims=True), np.random.default_rng(seed))
        if scale is not None:
            return scores
    elif scale is not None:
        return partial_values(case, scenario, scale, need) @ (W / W.sum(axis=1, keepdims=True)).T
    else:
        scores = score_batch(decision_matrix(case, scenario), W, method, how["options"])
    scores = scores if METHODS[method].higher_is_better else -scores
    lo, span = scores.min(axis=0), np.ptp(scores, axis=0)
    return np.divide(scores - lo, span, out=np.ones_like(scores), where=span > 0)


def _needy_paired(ranker: Ranker, need: np.ndarray, W: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """:meth:`Ranker.paired` of the value method with every partial value, drawn or not, times
    its need factor (the same draws as without need weighting)."""
    scores = (ranker.base * need) @ W.T
    if ranker.model.size:
        D = ranker._drawn(len(W), rng) * need.astype(np.float32)
        scores += np.matmul(D, W.astype(np.float32)[:, :, None])[:, :, 0].T
    return scores


def _solve_samples(problem: PortfolioProblem, values: np.ndarray) -> tuple[np.ndarray, int]:
    """How often each measure is in the optimum over the columns of ``values`` (measures x
    samples), solved on a fresh model, and how many columns were solved."""
    import highspy

    resolver = _Resolver(PortfolioModel(problem, "highs"))
    # one thread, as in every process: the same search wherever a chunk is solved. HiGHS fixes
    # its thread pool at the first solve of a process, so a pool started earlier is reset first.
    highspy.Highs.resetGlobalScheduler(True)
    resolver.h.setOptionValue("threads", 1)
    resolver.h.setOptionValue("parallel", "off")
    hits = np.zeros(len(problem.ids))
    for j in range(values.shape[1]):
        chosen = resolver.solve(values[:, j])
        if chosen is not None:
            hits[chosen] += 1
    return hits, values.shape[1]


class _Resolver:
    """One built model in HiGHS, re-solved with new measure values (objective costs only)."""

    def __init__(self, model: PortfolioModel):
        self.model = model
        solver = make_solver("highs")
        with quiet_stdout():
            solver.createAndConfigureSolver(model.prob)
            solver.buildSolverModel(model.prob)
        self.h = model.prob.solverModel
        self.x_idx = np.array([xi.index for xi in model.x], dtype=np.int32)
        self.y_idx = np.array([yk.index for yk in model.y], dtype=np.int32)
        self.weights = np.array(model.p.pair_weights, dtype=float)
        self.pairs = np.array([(i, j) for i, j, _ in model.p.pairs], dtype=int).reshape(-1, 2)
        # the equity rows on benefit follow the values (portfolio/equity.py): their HiGHS rows
        self.benefit = [  # the model leaves out a row of zeros (add_constraints)
            (constraint(model.prob, f"equity_{k}").index, k)
            for k, row in enumerate(equity_rows(model.p))
            if row.kind == "benefit" and np.any(row.coef != 0)
        ]

    def solve(self, values: np.ndarray) -> list[int] | None:
        import highspy

        values = np.asarray(values, dtype=float)
        size = np.abs(values)
        b = self.weights * (size[self.pairs[:, 0]] + size[self.pairs[:, 1]]) / 2
        scale = row_scale(np.concatenate([values, b]))
        # HiGHS minimises; the model maximises (with the portfolio model's tie break)
        self.h.changeColsCost(len(self.x_idx), self.x_idx, TIE_BREAK - values / scale)
        if len(self.y_idx):
            self.h.changeColsCost(len(self.y_idx), self.y_idx, -b / scale)
        if self.benefit:
            rows = equity_rows(self.model.p, values)
            for r, k in self.benefit:
                c = rows[k].coef / row_scale(rows[k].coef)
                for i, ci in zip(self.x_idx, c):
                    self.h.changeCoeff(r, int(i), float(ci))
        run_one_thread(self.h)
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        col = np.asarray(self.h.getSolution().col_value)
        return list(np.flatnonzero(col[self.x_idx] > 0.5))
