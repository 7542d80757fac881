"""What the readers of submissions share: the options of elicitation (:class:`ElicitOptions`), the
goal matrix that splits a goal's weight over its criteria (:func:`goal_matrix`), and the collector
where accepted rows and rejections gather while the files are read.

A survey table (:mod:`~lev2040_mcda.weights.survey`) and a single document
(:mod:`~lev2040_mcda.weights.document`) are read differently but weigh the same ids (criteria or goals)
into the same collector; :func:`~lev2040_mcda.weights.elicitation.elicit_case` turns it into the weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case import Case
from ..errors import Problem, did_you_mean
from .elicit import normalise_rows

__all__ = ["ElicitOptions", "goal_matrix"]


@dataclass(frozen=True)
class ElicitOptions:
    """How submissions are turned into weights."""

    ranking: str = "roc"  # roc | rs | rr
    max_cr: float | None = None  # reject AHP submissions above this consistency ratio
    warn_cr: float = 0.1  # keep, with a warning, those above this one


def goal_matrix(case: Case) -> tuple[tuple[str, ...], np.ndarray]:
    """Goal ids and the matrix G (goals x criteria) that splits a goal's weight over its criteria.

    A goal's weight goes to the criteria of the goal and of its sub-goals, in proportion to the
    catalogue's local weights (equal where none is given).
    """
    goals = tuple(g.id for g in case.goals)
    crit = case.criterion_ids
    parent = {g.id: g.parent for g in case.goals}
    g = np.zeros((len(goals), len(crit)))
    index = {gid: i for i, gid in enumerate(goals)}
    for j, c in enumerate(case.criteria):
        goal, seen = c.goal, set()
        while goal is not None and goal in index and goal not in seen:
            g[index[goal], j] = c.weight if c.weight is not None else 1.0
            seen.add(goal)
            goal = parent.get(goal)
    totals = g.sum(axis=1, keepdims=True)
    return goals, np.divide(g, totals, out=np.zeros_like(g), where=totals > 0)


class _Collector:
    """Accumulates accepted rows and rejections while the files are read."""

    def __init__(self, case: Case, options: ElicitOptions):
        self.case = case
        self.options = options
        self.criteria = case.criterion_ids
        self.goals, self.g = goal_matrix(case)
        self.crit_index = {c: i for i, c in enumerate(self.criteria)}
        self.goal_index = {g: i for i, g in enumerate(self.goals)}
        self.blocks: list[tuple[np.ndarray, list, list, list, list, list, np.ndarray]] = []
        self.rejected: list[Problem] = []
        self.warnings: list[str] = []
        self.pairwise: dict[int, tuple[str, tuple[str, ...], np.ndarray]] = {}
        self.read = 0
        self.count = 0

    def level_of(self, ids: list[str]) -> tuple[str | None, list[str]]:
        """'criteria' or 'goals' for a set of ids, and the ids that are neither."""
        in_crit = [i for i in ids if i in self.crit_index]
        in_goal = [i for i in ids if i in self.goal_index and i not in self.crit_index]
        unknown = [i for i in ids if i not in self.crit_index and i not in self.goal_index]
        if in_goal and not in_crit:
            return "goals", unknown
        return "criteria", unknown + (in_goal if in_crit else [])

    def to_criteria(self, level: str, w: np.ndarray) -> np.ndarray:
        """Weights over the criteria; a row of goal weights whose every goal has no criteria is
        NaN (its weight has nowhere to go: :meth:`goals_without_criteria` says which)."""
        return w if level == "criteria" else normalise_rows(w @ self.g)

    def goals_without_criteria(self, w: np.ndarray) -> list[list[str]]:
        """Per row of goal weights, the goals it weighs that have no criteria (none of the
        catalogue's criteria names them or one of their sub-goals)."""
        empty = np.flatnonzero(~(self.g > 0).any(axis=1))
        return [[self.goals[k] for k in empty if row[k] > 0] for row in w]

    @staticmethod
    def nowhere(names: list[str]) -> str:
        """The reason to reject a submission that weighs only goals without criteria."""
        return (
            f"weighs only goals without criteria ({', '.join(names[:5])}): no criterion of the "
            "catalogue belongs to them, so their weight has nowhere to go"
        )

    @staticmethod
    def lost_note(lost: list[list[str]]) -> str:
        """What a warning says of weight on goals without criteria (left out)."""
        names = sorted({g for row in lost for g in row})
        return f"goals without criteria ({', '.join(names[:5])}); that weight is left out"

    def add(
        self,
        w: np.ndarray,
        groups: list,
        methods: list,
        levels: list,
        sources: list,
        respondents: list,
        cr: np.ndarray,
    ) -> None:
        self.blocks.append((w, groups, methods, levels, sources, respondents, cr))
        self.count += len(sources)


def _unknown_reason(name: str, col: _Collector) -> str:
    """Why an id can be weighed by neither reader: a goal among criteria, or unknown (with a
    did-you-mean)."""
    if name in col.goal_index and name not in col.crit_index:
        return f"{name!r} is a goal, but other ids here are criteria (weight either goals or criteria)"
    hint = did_you_mean(name, [*col.criteria, *col.goals])
    return f"unknown criterion or goal {name!r}{hint}"
