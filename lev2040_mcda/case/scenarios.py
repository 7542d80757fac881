"""Applying a scenario (scenarios.yaml) to a case: limit factors and value adjustments.

A scenario is a what-if on the case, not a new case: the returned :class:`Case` has the same ids,
with resource limits multiplied by the scenario's factors and measure values adjusted by its
``adjust`` rules, applied in the order they are written.
"""

from __future__ import annotations

from ..errors import InputError, Problem, did_you_mean
from .models import Case, district_and_parents

__all__ = ["apply_scenario"]


def _selected(m, adj, parent: dict) -> bool:
    """Whether an adjustment applies to measure ``m`` (every selector it names must match)."""
    if adj.measures is not None and m.id not in adj.measures:
        return False
    if adj.goals is not None and not set(adj.goals) & set(m.goals):
        return False
    if adj.districts is not None:
        return bool(set(adj.districts) & set(district_and_parents(m.district, parent)))
    return True


def apply_scenario(case: Case, scenario_id: str | None) -> Case:
    """``case`` as it looks in scenario ``scenario_id`` (``None``: unchanged).

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> tiny = load_case("cases/tiny")
    >>> boom = apply_scenario(tiny, "boom")
    >>> tiny.measures[0].resources["cost"], boom.measures[0].resources["cost"]
    (20.0, 24.0)
    """
    if scenario_id is None:
        return case
    scenario = next((s for s in case.scenarios if s.id == scenario_id), None)
    if scenario is None:
        known = ", ".join(s.id for s in case.scenarios) or "none: the case has no scenarios.yaml"
        hint = did_you_mean(scenario_id, [s.id for s in case.scenarios])
        raise InputError(Problem("--scenario", f"unknown scenario {scenario_id!r} (expected {known}){hint}"))
    measures = list(case.measures)
    parent = {d.id: d.parent for d in case.config.districts}
    for adj in scenario.effects.adjust:
        field = "performance" if adj.criterion is not None else "resources"
        column = adj.column
        for k, m in enumerate(measures):
            if not _selected(m, adj, parent):
                continue
            values = dict(getattr(m, field))
            also = "resources" if field == "performance" else "performance"
            shared = dict(getattr(m, also))
            if column not in values:
                continue
            v = values[column] * (adj.multiply if adj.multiply is not None else 1.0)
            v += adj.add if adj.add is not None else 0.0
            if field == "resources":
                v = max(v, 0.0)
            values[column] = v
            update: dict = {field: values}
            if column in shared:  # a column that is both a resource and a criterion moves as one
                shared[column] = v
                update[also] = shared
            measures[k] = m.model_copy(update=update)
    resources = {
        rid: res.model_copy(update={"limit": res.limit * scenario.effects.limits.get(rid, 1.0)})
        if res.limit is not None
        else res
        for rid, res in case.config.resources.items()
    }
    config = case.config.model_copy(update={"resources": resources})
    return case.model_copy(update={"measures": tuple(measures), "config": config})
