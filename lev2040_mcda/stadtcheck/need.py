"""Residents per district, and the need factor that lets a district's need scale a measure's value.

The need factor of measure *i* on criterion *j* is

    f_ij = 1 + s * clip(N_g(d_i) / 2, -1, 1)

with *g* criterion *j*'s goal, *d_i* the measure's district, N_g its need index on that goal
(:func:`~lev2040_mcda.stadtcheck.profiles.profiles`: a mean of z-scores, positive = more need than
the city) and *s* the strength (case.yaml ``stadtcheck.need_strength``, default 0.5). A district two
standard deviations above the city (or more) gets 1 + s, one two below (or less) 1 - s; the city
itself gets 1. Bounded on purpose: need informs the value of a measure, it does not outweigh it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..case import Case
from ..case.stadtcheck import residents
from .tree import district_tree

if TYPE_CHECKING:
    from .profiles import Profiles

__all__ = ["POPULATION", "need_factors", "populations"]

POPULATION = "population"
"""The indicator id that holds residents; it fills the populations case.yaml lacks."""


def populations(case: Case) -> dict[str, float]:
    """Residents per district id, in case.yaml's order.

    A district's figure is its case.yaml ``population``, else the Stadtcheck's ``population``
    indicator, else (when it has parts and every part has a figure) the sum of its parts' figures,
    found from the bottom up. Districts with no figure are absent: a missing population is never
    zero.

    >>> from lev2040_mcda import load_case
    >>> populations(load_case("cases/tiny"))
    {'stadt': 20000.0, 'nord': 12000.0, 'sued': 8000.0}
    """
    return residents(case.config.districts, case.stadtcheck)


def need_factors(case: Case, strength: float | None = None, profiles: Profiles | None = None) -> np.ndarray:
    """The factors (measures x criteria, in the case's order) that scale each measure's value on
    each criterion by the need of the district where it acts.

    ``f[i, j] = 1 + strength * clip(N_g(d) / 2, -1, 1)``, with g criterion j's goal and d measure
    i's district (a Stadtteil or a Stadtbezirk: its own row's need). When d's need on g is
    missing, the need of g's parent goal (then its parent, ...) is used, so a criterion of a
    sub-goal follows its Leitziel's indicators. The factor is exactly 1 for a measure at the root
    or without a district, for a criterion without a goal, and wherever there is no need data
    (no Stadtcheck, no indicator for the goal, the district's indicators all missing). So every
    factor lies in ``[1 - strength, 1 + strength]``.

    ``strength`` defaults to case.yaml ``stadtcheck.need_strength``; ``profiles`` to
    :func:`~lev2040_mcda.stadtcheck.profiles.profiles` of the case (pass it to reuse one).

    Raises
    ------
    ValueError
        when ``strength`` is not a number in [0, 1].
    """
    s = case.config.stadtcheck.need_strength if strength is None else float(strength)
    if not (0.0 <= s <= 1.0):
        raise ValueError(f"need strength must lie in [0, 1], not {strength!r}")
    out = np.ones((len(case.measures), len(case.criteria)))
    if case.stadtcheck is None or s == 0.0 or not case.measures:
        return out
    if profiles is None:
        from .profiles import profiles as compute

        profiles = compute(case)
    root = district_tree(case).root
    goal_parent = {g.id: g.parent for g in case.goals}
    row = {d: k for k, d in enumerate(profiles.districts)}
    col = {g: k for k, g in enumerate(profiles.goals)}
    for i, m in enumerate(case.measures):
        if m.district is None or m.district == root or m.district not in row:
            continue
        need = profiles.goal_need[row[m.district]]
        for j, c in enumerate(case.criteria):
            n = _goal_need(c.goal, need, col, goal_parent)
            if n is not None:
                out[i, j] = 1.0 + s * min(max(n / 2.0, -1.0), 1.0)
    return out


def _goal_need(
    goal: str | None, need: np.ndarray, col: dict[str, int], parent: dict[str, str | None]
) -> float | None:
    """The need on ``goal``, else on its nearest parent goal that has one; None when none has."""
    seen: set[str] = set()
    while goal is not None and goal not in seen:
        seen.add(goal)
        k = col.get(goal)
        if k is not None and not np.isnan(need[k]):
            return float(need[k])
        goal = parent.get(goal)
    return None
