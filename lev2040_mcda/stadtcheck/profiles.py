"""Need profiles: each district's standing per indicator among its peers, its need per goal, and
its overall need (``docs/stadtcheck.md`` gives the method).

Standing: z = o * (x - c) / s, with o = +1 for an indicator where higher means more need and -1
where lower does; c the city row's value (the Stadtcheck's row of the root district), else the
peers' population-weighted mean (unweighted when a peer with a value lacks a population); s the
peers' standard deviation (ddof=0). Peers are the districts of one level. So z > 0 is more need
than the city, and rank 1 the most need among the peers (ties share a rank). A missing value gets
no z and no rank; it never counts as zero.

Need per goal: the mean of the z-scores of the goal's indicators with the catalogue's weights,
the missing ones left out and the rest renormalised; missing when none is there. Overall need: the
same over the goals, with the goal weights (given, else the consensus of the submissions, else
equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..case import Case
from ..errors import InputError, Problem, did_you_mean
from .need import POPULATION, populations
from .tree import district_tree

__all__ = ["Profiles", "consensus_goal_weights", "profiles", "weighted_mean"]


@dataclass(frozen=True, eq=False)
class Profiles:
    """Every district's standing (rows: the case's districts in case.yaml's order).

    ``values``, ``z`` and ``ranks`` are districts x indicators (NaN where missing; ``ranks`` holds
    whole numbers), ``goal_need`` districts x goals, ``need`` the overall need per district.
    ``centre`` and ``scale`` are per level (depth) the reference of each indicator's z-scores and
    ``centre_kind`` says what the centre is (``"city"``, ``"weighted_mean"``, ``"mean"``).
    ``goal_weights`` are the weights the overall need used (over the goals with indicators, sum 1),
    from ``weights_source``: ``"given"``, ``"consensus"`` or ``"equal"``."""

    districts: tuple[str, ...]
    names: dict[str, str]
    depth: dict[str, int]
    root: str | None
    indicators: tuple[str, ...]
    need_sign: np.ndarray
    values: np.ndarray
    z: np.ndarray
    ranks: np.ndarray
    centre: dict[int, np.ndarray]
    centre_kind: dict[int, tuple[str, ...]]
    scale: dict[int, np.ndarray]
    goals: tuple[str, ...]
    goal_need: np.ndarray
    need: np.ndarray
    goal_weights: dict[str, float]
    weights_source: str
    population: dict[str, float] = field(default_factory=dict)
    catalogue: tuple[Any, ...] = ()
    parent: dict[str, str | None] = field(default_factory=dict)

    def row(self, district: str) -> int:
        return self.districts.index(district)

    def need_of(self, district: str) -> float | None:
        """The overall need of ``district``, None where missing (or unknown)."""
        if district not in self.districts:
            return None
        return _num(self.need[self.row(district)])

    def to_json(self) -> dict[str, Any]:
        """Plain data: the indicators, the levels' references and each district's profile."""
        ind = {i.id: i for i in self.catalogue}
        indicators = []
        for j, iid in enumerate(self.indicators):
            i = ind.get(iid)
            indicators.append(
                {
                    "id": iid,
                    "name": getattr(i, "name", iid),
                    "unit": getattr(i, "unit", None),
                    "year": getattr(i, "year", None),
                    "source": getattr(i, "source", None),
                    "illustrative": bool(getattr(i, "illustrative", False)),
                    "need": "higher" if self.need_sign[j] > 0 else "lower",
                    "goals": dict(getattr(i, "goals", {}) or {}),
                    "note": getattr(i, "note", None),
                }
            )
        levels = [
            {
                "depth": lv,
                "districts": [d for d in self.districts if self.depth[d] == lv and d != self.root],
                "reference": {
                    iid: {
                        "centre": _num(self.centre[lv][j]),
                        "kind": self.centre_kind[lv][j],
                        "scale": _num(self.scale[lv][j]),
                    }
                    for j, iid in enumerate(self.indicators)
                },
            }
            for lv in sorted(self.centre)
        ]
        rows = []
        for k, d in enumerate(self.districts):
            rows.append(
                {
                    "district": d,
                    "name": self.names.get(d, d),
                    "depth": self.depth[d],
                    "parent": self.parent.get(d),
                    "root": d == self.root,
                    "population": self.population.get(d),
                    "need": _num(self.need[k]),
                    "goal_need": {g: _num(self.goal_need[k, q]) for q, g in enumerate(self.goals)},
                    "indicators": {
                        iid: {
                            "value": _num(self.values[k, j]),
                            "z": _num(self.z[k, j]),
                            "rank": None if np.isnan(self.ranks[k, j]) else int(self.ranks[k, j]),
                        }
                        for j, iid in enumerate(self.indicators)
                    },
                }
            )
        return {
            "indicators": indicators,
            "goals": list(self.goals),
            "goal_weights": dict(self.goal_weights),
            "weights_source": self.weights_source,
            "levels": levels,
            "districts": rows,
        }


def profiles(case: Case, goal_weights: Mapping[str, float] | None = None) -> Profiles:
    """The need profiles of ``case``'s districts (see the module's docstring for the method).

    ``goal_weights`` (goal id -> weight >= 0, normalised over the goals that have indicators) set the
    overall need; by default they are the consensus weights of the case's submissions summed per
    goal (:func:`consensus_goal_weights`), or equal weights when the case has no usable submission.
    A case without a Stadtcheck gets profiles without indicators: every need missing.

    Raises
    ------
    InputError
        when ``goal_weights`` names an unknown goal or holds a negative or non-finite weight.
    """
    tree = district_tree(case)
    sc = case.stadtcheck
    pops = populations(case)
    ids = tree.ids
    catalogue = tuple(i for i in sc.indicators if _profiled(i)) if sc is not None else ()
    inds = tuple(i.id for i in catalogue)
    values = np.full((len(ids), len(inds)), np.nan)
    if sc is not None and inds:
        src_row = {d: k for k, d in enumerate(sc.districts)}
        cols = [sc.indicator_ids.index(i) for i in inds]
        for k, d in enumerate(ids):
            if d in src_row:
                values[k] = np.asarray(sc.values, dtype=float)[src_row[d], cols]
    sign = np.array([1.0 if i.need == "higher" else -1.0 for i in catalogue])
    z = np.full_like(values, np.nan)
    ranks = np.full_like(values, np.nan)
    city = values[ids.index(tree.root)] if tree.root is not None else np.full(len(inds), np.nan)
    centre: dict[int, np.ndarray] = {}
    kinds: dict[int, tuple[str, ...]] = {}
    scale: dict[int, np.ndarray] = {}
    for lv in tree.levels:
        rows = np.array([ids.index(d) for d in tree.level(lv)], dtype=int)
        pop = np.array([pops.get(ids[r], np.nan) for r in rows])
        c, kind, s = _reference(values[rows], pop, city)
        centre[lv], kinds[lv], scale[lv] = c, kind, s
        with np.errstate(invalid="ignore", divide="ignore"):
            zz = sign * (values[rows] - c) / s
        z[rows] = np.where(s > 0, zz, np.nan)
        ranks[rows] = _ranks(sign * values[rows])
    goals = tuple(g.id for g in case.goals if any(g.id in (i.goals or {}) for i in catalogue))
    goal_need = np.full((len(ids), len(goals)), np.nan)
    for q, g in enumerate(goals):
        w = np.array([float((i.goals or {}).get(g, 0.0)) for i in catalogue])
        goal_need[:, q] = weighted_mean(z, w)
    gw, source = _goal_weights(case, goals, goal_weights)
    need = weighted_mean(goal_need, np.array([gw[g] for g in goals]))
    return Profiles(
        districts=ids,
        names=dict(tree.names),
        depth=dict(tree.depth),
        root=tree.root,
        indicators=inds,
        need_sign=sign,
        values=values,
        z=z,
        ranks=ranks,
        centre=centre,
        centre_kind=kinds,
        scale=scale,
        goals=goals,
        goal_need=goal_need,
        need=need,
        goal_weights=gw,
        weights_source=source,
        population=pops,
        catalogue=catalogue,
        parent=dict(tree.parent),
    )


def _profiled(indicator) -> bool:
    """Residents are a district's size, not a need: ``population`` gets a standing only when the
    catalogue ties it to a goal."""
    return indicator.id != POPULATION or bool(indicator.goals)


def _reference(
    x: np.ndarray, pop: np.ndarray, city: np.ndarray
) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Per column of ``x`` (peers x indicators): the centre, what it is, and the scale."""
    centre, kinds, scale = [], [], []
    for j in range(x.shape[1]):
        col = x[:, j]
        has = ~np.isnan(col)
        v = col[has]
        scale.append(float(v.std()) if v.size else np.nan)
        if not np.isnan(city[j]):
            centre.append(float(city[j]))
            kinds.append("city")
        elif v.size and not np.isnan(pop[has]).any() and pop[has].sum() > 0:
            centre.append(float(np.average(v, weights=pop[has])))
            kinds.append("weighted_mean")
        else:
            centre.append(float(v.mean()) if v.size else np.nan)
            kinds.append("mean")
    return np.array(centre), tuple(kinds), np.array(scale)


def _ranks(need: np.ndarray) -> np.ndarray:
    """Per column: rank 1 = the most need, ties share a rank (1, 2, 2, 4); NaN stays unranked."""
    out = np.full(need.shape, np.nan)
    for j in range(need.shape[1]):
        col = need[:, j]
        has = ~np.isnan(col)
        ordered = np.sort(-col[has])
        out[has, j] = 1 + np.searchsorted(ordered, -col[has], side="left")
    return out


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row-wise mean of ``x`` (rows x items) with weights ``w`` (items), missing items left out and
    the others' weights renormalised; NaN for a row with no weighted item.

    >>> weighted_mean(np.array([[1.0, 3.0], [np.nan, 3.0], [np.nan, np.nan]]), np.array([1.0, 1.0])).tolist()
    [2.0, 3.0, nan]
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.shape[1] == 0:
        return np.full(x.shape[0], np.nan)
    use = ~np.isnan(x) & (w > 0)
    total = np.where(use, w, 0.0).sum(axis=1)
    s = np.where(use, np.nan_to_num(x) * w, 0.0).sum(axis=1)
    return np.divide(s, total, out=np.full(x.shape[0], np.nan), where=total > 0)


def _goal_weights(
    case: Case, goals: tuple[str, ...], given: Mapping[str, float] | None
) -> tuple[dict[str, float], str]:
    if given is not None:
        known = case.goal_ids
        for g, v in given.items():
            if g not in known:
                raise InputError(Problem("goal weights", f"unknown goal {g!r}{did_you_mean(g, known)}"))
            if not np.isfinite(v) or v < 0:
                raise InputError(
                    Problem("goal weights", f"goal {g!r}: weight {v!r} (expected a number >= 0)")
                )
        raw, source = {g: float(given.get(g, 0.0)) for g in goals}, "given"
    else:
        consensus = consensus_goal_weights(case)
        if consensus is None:
            raw, source = dict.fromkeys(goals, 1.0), "equal"
        else:
            raw, source = {g: consensus.get(g, 0.0) for g in goals}, "consensus"
    total = sum(raw.values())
    if total <= 0:  # no weight on any goal with indicators: they count alike
        return {g: 1.0 / len(goals) for g in goals} if goals else {}, source
    return {g: v / total for g, v in raw.items()}, source


def consensus_goal_weights(case: Case) -> dict[str, float] | None:
    """The consensus weights of the case's submissions summed per goal (each criterion's weight to
    its own goal), None when the case has no usable submission."""
    from ..weights import ElicitOptions, aggregate, elicit_case

    sw = elicit_case(case, ElicitOptions())
    if len(sw) == 0:
        return None
    c = aggregate(sw, {g.id: g.influence for g in case.groups})
    goal_of = {k.id: k.goal for k in case.criteria}
    out = dict.fromkeys(case.goal_ids, 0.0)
    for cid, w in zip(c.criteria, c.final):
        g = goal_of.get(cid)
        if g in out and np.isfinite(w):
            out[g] += float(w)
    return out


def _num(v: float) -> float | None:
    return None if v is None or np.isnan(v) else float(v)
