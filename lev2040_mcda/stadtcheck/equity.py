"""Equity of a set of selected measures: per district the budget and benefit it gets, per resident,
beside its need; their inequality across the districts of each level; who gets nothing.

A measure counts for its district and every district above it (a measure in Opladen counts for
Stadtbezirk II too), never for the root: measures at the root or without a district are
*citywide* and reported apart, since they serve every district and belong to none. The budget is
a resource's column (default: the case's first resource), the benefit the sum of the measures'
``values`` (default: 1 each, so the benefit counts measures). Inequality is over the districts of
one level that have residents, weighted by residents (:mod:`.inequality`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..case import Case
from ..errors import InputError, Problem, did_you_mean
from .inequality import gini, theil
from .need import populations
from .tree import district_tree

__all__ = ["DistrictShare", "Equity", "LevelEquity", "equity"]


@dataclass(frozen=True)
class DistrictShare:
    """What one district gets. ``population`` None: no figure, so nothing per resident."""

    district: str
    name: str
    depth: int
    parent: str | None
    population: float | None
    measures: tuple[str, ...]
    budget: float | None
    benefit: float
    need: float | None

    @property
    def budget_per_resident(self) -> float | None:
        return _per(self.budget, self.population)

    @property
    def benefit_per_resident(self) -> float | None:
        return _per(self.benefit, self.population)

    def to_json(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "name": self.name,
            "depth": self.depth,
            "parent": self.parent,
            "population": self.population,
            "measures": list(self.measures),
            "budget": self.budget,
            "budget_per_resident": self.budget_per_resident,
            "benefit": self.benefit,
            "benefit_per_resident": self.benefit_per_resident,
            "need": self.need,
            "nothing": not self.measures,
        }


@dataclass(frozen=True)
class LevelEquity:
    """The districts of one level (depth below the root) and the inequality between them.

    The indices are over the districts with residents (``without_population`` lists the others:
    those without a population figure and those with 0 residents);
    None where undefined: fewer than two districts with residents to compare, nothing to share
    (every per-resident value 0), or a negative benefit."""

    depth: int
    districts: tuple[DistrictShare, ...]
    gini_budget: float | None
    theil_budget: float | None
    gini_benefit: float | None
    theil_benefit: float | None

    @property
    def nothing(self) -> tuple[str, ...]:
        """The districts that get no selected measure (citywide ones aside)."""
        return tuple(d.district for d in self.districts if not d.measures)

    @property
    def without_population(self) -> tuple[str, ...]:
        """The districts left out of the indices: no population figure, or 0 residents (nothing
        per resident to compare)."""
        return tuple(d.district for d in self.districts if d.population is None or d.population <= 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "districts": [d.to_json() for d in self.districts],
            "gini": {"budget_per_resident": self.gini_budget, "benefit_per_resident": self.gini_benefit},
            "theil": {"budget_per_resident": self.theil_budget, "benefit_per_resident": self.theil_benefit},
            "nothing": list(self.nothing),
            "without_population": list(self.without_population),
        }


@dataclass(frozen=True)
class Equity:
    """The equity of ``selected`` (in the case's order): per level, and the citywide measures apart.
    ``benefit`` says what the benefit is: ``"values"`` (the given values) or ``"measures"`` (1 each)."""

    selected: tuple[str, ...]
    resource: str | None
    benefit: str
    levels: tuple[LevelEquity, ...]
    citywide: tuple[str, ...]
    citywide_budget: float | None
    citywide_benefit: float
    total_budget: float | None
    total_benefit: float

    def level(self, depth: int) -> LevelEquity:
        return next(lv for lv in self.levels if lv.depth == depth)

    def district(self, district: str) -> DistrictShare:
        return next(d for lv in self.levels for d in lv.districts if d.district == district)

    def to_json(self) -> dict[str, Any]:
        return {
            "selected": list(self.selected),
            "resource": self.resource,
            "benefit": self.benefit,
            "total": {"budget": self.total_budget, "benefit": self.total_benefit},
            "citywide": {
                "measures": list(self.citywide),
                "budget": self.citywide_budget,
                "benefit": self.citywide_benefit,
            },
            "levels": [lv.to_json() for lv in self.levels],
        }


def equity(
    case: Case,
    selected: Iterable[str],
    values: Mapping[str, float] | None = None,
    resource: str | None = None,
    *,
    need: Mapping[str, float | None] | None = None,
) -> Equity:
    """The equity of the measures ``selected`` across ``case``'s districts.

    ``values`` (measure id -> benefit, e.g. the portfolio's values) default to 1 per measure;
    ``resource`` is the budget's column (default: the case's first resource; None when the case
    has none). ``need`` (district -> overall need) defaults to the Stadtcheck's profiles.

    Raises
    ------
    InputError
        for an unknown measure or resource, or a selected measure without a value in ``values``.
    """
    ids = case.measure_ids
    chosen = set()
    for mid in selected:
        if mid not in ids:
            raise InputError(Problem("selected measures", f"unknown measure {mid!r}{did_you_mean(mid, ids)}"))
        chosen.add(mid)
    picked = [m for m in case.measures if m.id in chosen]
    if resource is None:
        resource = next(iter(case.resources), None)
    elif resource not in case.resources:
        known = ", ".join(case.resources) or "none"
        raise InputError(Problem("resource", f"unknown resource {resource!r} (expected one of {known})"))
    if values is not None:
        lacking = [m.id for m in picked if m.id not in values or not np.isfinite(values[m.id])]
        if lacking:
            raise InputError(Problem("values", f"no value for the selected measure(s) {', '.join(lacking)}"))
    value = {m.id: float(values[m.id]) if values is not None else 1.0 for m in picked}
    cost = (
        {m.id: float(m.resources.get(resource, m.performance.get(resource, 0.0))) for m in picked}
        if resource
        else {}
    )
    if need is None:
        need = _needs(case)
    tree = district_tree(case)
    pops = populations(case)
    members: dict[str, list[str]] = {d: [] for d in tree.ids}
    citywide: list[str] = []
    for m in picked:
        where = tree.counts_for(m.district)
        if not where:
            citywide.append(m.id)
        for d in where:
            members[d].append(m.id)

    def share(d: str) -> DistrictShare:
        ms = tuple(members[d])
        return DistrictShare(
            district=d,
            name=tree.names.get(d, d),
            depth=tree.depth[d],
            parent=tree.parent.get(d),
            population=pops.get(d),
            measures=ms,
            budget=_total(cost, ms) if resource else None,
            benefit=_total(value, ms),
            need=need.get(d),
        )

    levels = tuple(_level(lv, tuple(share(d) for d in tree.level(lv))) for lv in tree.levels)
    return Equity(
        selected=tuple(m.id for m in picked),
        resource=resource,
        benefit="measures" if values is None else "values",
        levels=levels,
        citywide=tuple(citywide),
        citywide_budget=_total(cost, citywide) if resource else None,
        citywide_benefit=_total(value, citywide),
        total_budget=_total(cost, [m.id for m in picked]) if resource else None,
        total_benefit=_total(value, [m.id for m in picked]),
    )


def _level(depth: int, shares: tuple[DistrictShare, ...]) -> LevelEquity:
    counted = [s for s in shares if s.population is not None and s.population > 0]
    pop = [s.population for s in counted]

    def index(f, per: list[float | None]) -> float | None:
        x = np.array([np.nan if v is None else v for v in per], dtype=float)
        if len(counted) < 2 or np.isnan(x).any() or (x < 0).any():
            return None
        r = f(x, pop)
        return None if np.isnan(r) else float(r)

    budget = [s.budget_per_resident for s in counted]
    benefit = [s.benefit_per_resident for s in counted]
    return LevelEquity(
        depth=depth,
        districts=shares,
        gini_budget=index(gini, budget),
        theil_budget=index(theil, budget),
        gini_benefit=index(gini, benefit),
        theil_benefit=index(theil, benefit),
    )


def _needs(case: Case) -> dict[str, float | None]:
    if case.stadtcheck is None:
        return {}
    from .profiles import profiles

    p = profiles(case)
    return {d: p.need_of(d) for d in p.districts}


def _total(amounts: Mapping[str, float], ms: Iterable[str]) -> float:
    return float(sum(amounts[m] for m in ms))


def _per(amount: float | None, population: float | None) -> float | None:
    if amount is None or population is None or population <= 0:
        return None
    return amount / population
