"""The re-optimisations behind the explanations and the frontier's steps, in fixed chunks on any
executor.

Each chunk starts from a cleared solver (:meth:`FastModel.reset`): in this process on the model
held for the run, elsewhere on a model built afresh from the problem. Either way a chunk meets the
same states in the same order, so every answer is the same whichever executor settles it
(:mod:`lev2040_mcda.parallel`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor

from ..parallel import Scheduler, open_executor, run
from .fast import NODES, Alternative, FastModel
from .model import PortfolioModel
from .problem import PortfolioProblem, Solution

__all__ = ["PARALLEL_FROM", "settle", "solve_steps"]

Task = tuple[dict[int, int] | None, dict[str, float] | None]
"""One re-optimisation: measures fixed (index -> 0 or 1) and limits changed (resource -> limit)."""

PARALLEL_FROM = 2_000
"""Re-optimisations (or, for the frontier, measures) from which a
:class:`~lev2040_mcda.parallel.Scheduler` of ``auto`` starts local processes at once; below, it
settles the first chunk here and starts them only when that shows the rest would take long (how
long a re-optimisation takes depends on the problem far more than on its size)."""
CHUNKS = 16
CHUNK_MIN = 32
"""Tasks go in at most :data:`CHUNKS` chunks of at least :data:`CHUNK_MIN`: enough to share, few
enough that building a model per chunk elsewhere stays small beside solving it."""


def chunked(tasks: list[Task]) -> list[list[Task]]:
    """The chunks of ``tasks``: they depend on the number of tasks only."""
    size = max(CHUNK_MIN, -(-len(tasks) // CHUNKS))
    return [tasks[k : k + size] for k in range(0, len(tasks), size)]


def settle(
    model: PortfolioModel,
    best: Solution,
    tasks: list[Task],
    fast: FastModel | None = None,
    executor: Executor | Scheduler | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Alternative]:
    """Every task's :class:`Alternative`, in order; ``progress(k)`` as ``k`` more are done."""
    parts = chunked(tasks)
    held = [fast]

    def here(_problem: PortfolioProblem, _best: Solution, part: list[Task], _nodes: int) -> list[Alternative]:
        """A chunk in this process: on the model held for the run, from a cleared solver."""
        if held[0] is None:
            held[0] = FastModel(model)
        held[0].reset()
        out = []
        for fix, limits in part:
            out.append(held[0].alternative(best, fix, limits))
            if progress is not None:
                progress(1)
        return out

    nodes = fast.nodes if fast is not None else NODES
    chunks = [(model.p, best, part, nodes) for part in parts]
    with open_executor(executor, len(tasks), PARALLEL_FROM) as ex:
        done = None if progress is None else lambda r: progress(len(r))
        results = run(_settle_chunk, chunks, ex, done, local=here)
    return [alt for part in results for alt in part]


def _settle_chunk(
    problem: PortfolioProblem, best: Solution, tasks: list[Task], nodes: int
) -> list[Alternative]:
    """One chunk on a model of its own (a module-level function: another process runs it)."""
    fast = FastModel(PortfolioModel(problem, "highs"), nodes)
    return [fast.alternative(best, fix, limits) for fix, limits in tasks]


STEP_CHUNKS = 8
"""The frontier's steps go in at most this many chunks; within one, each step starts from the
portfolio of the step before."""
STEPS_PARALLEL_FROM = 200
"""Measures from which ``auto`` solves the frontier's steps in local processes at once: its first
chunk (the lowest levels, the easiest) says little about the rest, so it is not waited for."""


def solve_steps(
    model: PortfolioModel,
    resource: str,
    levels: list[float],
    fast: FastModel | None = None,
    executor: Executor | Scheduler | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Solution]:
    """The optimum at each level of ``resource`` (full solves), in order: in ``fast`` (HiGHS held
    in process) when given, else by the model's own solver."""
    size = -(-len(levels) // STEP_CHUNKS) if levels else 1
    parts = [levels[k : k + size] for k in range(0, len(levels), size)]
    solver = None if fast is not None else model.solver_name
    chunks = [(model.p, solver, model.time_limit, resource, part) for part in parts]

    def here(_problem, _solver, _limit, _resource, part: list[float]) -> list[Solution]:
        return _steps(model, fast, resource, part, progress)

    with open_executor(executor, len(model.p.ids), STEPS_PARALLEL_FROM) as ex:
        done = None if progress is None else lambda r: progress(len(r))
        results = run(_steps_chunk, chunks, ex, done, local=here)
    return [sol for part in results for sol in part]


def _steps(
    model: PortfolioModel,
    fast: FastModel | None,
    resource: str,
    levels: list[float],
    progress: Callable[[int], None] | None = None,
) -> list[Solution]:
    if fast is not None:
        fast.reset()
    out: list[Solution] = []
    start = None
    for level in levels:
        lim = {resource: float(level)}
        sol = fast.solve(lim, start) if fast is not None else model.solve(limits=lim)
        start = sol.selected if sol.ok else start
        out.append(sol)
        if progress is not None:
            progress(1)
    return out


def _steps_chunk(
    problem: PortfolioProblem,
    solver: str | None,
    time_limit: float | None,
    resource: str,
    levels: list[float],
) -> list[Solution]:
    """One chunk of steps on a model of its own: HiGHS in process (``solver`` None) or the solver."""
    model = PortfolioModel(problem, solver or "highs", time_limit)
    return _steps(model, FastModel(model) if solver is None else None, resource, levels)
