"""What a case holds, at a glance: counts, measures per district, resources against their limits.

This is what ``lev2040 validate`` shows; the warnings point at things that are valid but will
probably surprise later stages (a goal no criterion measures, mandatory measures over budget, ...).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..case import STEEP, Case, district_and_parents

__all__ = ["summarize_case"]


def summarize_case(case: Case) -> dict[str, Any]:
    """A JSON-ready summary of a loaded case.

    The submission counts are those of the weights stage: a submission that reads well but cannot
    be turned into weights (an unknown criterion, all zeros) counts as rejected.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> s = summarize_case(load_case("cases/tiny"))
    >>> s["counts"]["measures"], s["resources"][0]["id"], s["resources"][0]["total"]
    (6, 'cost', 195.0)
    """
    measures = case.measures
    goals_by_id = {g.id: g for g in case.goals}
    criteria_by_goal: dict[str | None, list[str]] = {}
    for c in case.criteria:
        criteria_by_goal.setdefault(c.goal, []).append(c.id)
    measures_by_goal = Counter(g for m in measures for g in m.goals)
    from .elicitation import elicit_case

    elicited = elicit_case(case)
    rejected = [*case.rejected, *(str(p) for p in elicited.rejected)]
    subs_by_group = Counter(elicited.groups.tolist())
    by_method = Counter(elicited.methods.tolist())
    accepted = len(elicited)
    influence_total = sum(g.influence for g in case.groups) or 1.0
    resources = _resources(case)

    return {
        "case": {"name": case.name, "title": case.config.title, "folder": str(case.root)},
        "counts": {
            "goals": len(case.goals),
            "criteria": len(case.criteria),
            "measures": len(measures),
            "mandatory_measures": sum(m.mandatory for m in measures),
            "interactions": len(case.interactions),
            "scenarios": len(case.scenarios),
            "groups": len(case.groups),
            "submissions": accepted,
            "rejected_submissions": len(rejected),
        },
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "topic": g.topic,
                "parent": g.parent,
                "criteria": criteria_by_goal.get(g.id, []),
                "measures": measures_by_goal[g.id],
            }
            for g in case.goals
        ],
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "unit": c.unit,
                "direction": c.direction,
                "goal": c.goal,
                "goal_title": goals_by_id[c.goal].title if c.goal in goals_by_id else None,
            }
            for c in case.criteria
        ],
        "districts": _districts(case),
        "resources": resources,
        "interactions": _interactions(case),
        "scenarios": [
            {
                "id": s.id,
                "title": s.title,
                "drivers": {k: _driver_text(s.drivers[k]) for k in STEEP if k in s.drivers},
                "limit_factors": dict(s.effects.limits),
                "adjustments": len(s.effects.adjust),
            }
            for s in case.scenarios
        ],
        "groups": [
            {
                "id": g.id,
                "name": g.name or g.id,
                "influence": g.influence,
                "share": g.influence / influence_total,
                "submissions": subs_by_group[g.id],
            }
            for g in case.groups
        ],
        "submissions": {
            "accepted": accepted,
            "files": len({s.path for s in case.submissions} | {t.path for t in case.submission_tables}),
            "by_method": dict(sorted(by_method.items())),
            "rejected": rejected,
        },
        "warnings": _warnings(case, criteria_by_goal, subs_by_group, resources) + list(elicited.warnings),
    }


def _districts(case: Case) -> list[dict[str, Any]]:
    """Measures per district; a parent district (Stadtbezirk) also counts its children's."""
    direct = Counter(m.district for m in case.measures)
    parent = {d.id: d.parent for d in case.config.districts}
    total: Counter[str | None] = Counter()
    for district, n in direct.items():
        for d in district_and_parents(district, parent):
            total[d] += n
    rows = [
        {
            "id": d.id,
            "name": d.name or d.id,
            "parent": d.parent,
            "population": d.population,
            "measures": direct[d.id],
            "measures_incl_parts": total[d.id],
        }
        for d in case.config.districts
    ]
    if direct[None] or not case.config.districts:
        others = sorted((k for k in direct if k not in parent), key=lambda k: (k is None, k or ""))
        rows += [
            {
                "id": k,
                "name": k or "(none)",
                "parent": None,
                "population": None,
                "measures": direct[k],
                "measures_incl_parts": direct[k],
            }
            for k in others
        ]
    return rows


def _resources(case: Case) -> list[dict[str, Any]]:
    out = []
    for rid, res in case.resources.items():
        total = sum(m.resources.get(rid, m.performance.get(rid, 0.0)) for m in case.measures)
        mandatory = sum(
            m.resources.get(rid, m.performance.get(rid, 0.0)) for m in case.measures if m.mandatory
        )
        out.append(
            {
                "id": rid,
                "name": res.name or rid,
                "unit": res.unit,
                "total": total,
                "mandatory": mandatory,
                "limit": res.limit,
                "total_over_limit": None if not res.limit else total / res.limit,
            }
        )
    return out


def _interactions(case: Case) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {
        "goal": {"conflict": 0, "synergy": 0},
        "measure": {"conflict": 0, "synergy": 0},
    }
    for it in case.interactions:
        counts[it.level or "goal"][it.effect] += 1
    return counts


def _driver_text(driver: Any) -> str:
    parts = []
    if driver.value is not None:
        parts.append(f"{driver.value:g}" + (f" {driver.unit}" if driver.unit else ""))
    if driver.text:
        parts.append(driver.text)
    return "; ".join(parts)


def _warnings(
    case: Case, criteria_by_goal: dict, subs_by_group: Counter, resources: list[dict[str, Any]]
) -> list[str]:
    out = []
    for g in case.goals:
        if not criteria_by_goal.get(g.id) and not any(x.parent == g.id for x in case.goals):
            out.append(f"goal {g.id!r} is measured by no criterion (it cannot affect rankings)")
    for r in resources:
        if r["limit"] is not None and r["mandatory"] > r["limit"] + 1e-9:
            out.append(
                f"mandatory measures need {r['mandatory']:g} of resource {r['id']!r}, "
                f"over its limit {r['limit']:g} (no portfolio can be feasible)"
            )
    for g in case.groups:
        if subs_by_group[g.id] == 0:
            out.append(f"group {g.id!r} has no accepted submission")
    unused = [m.id for m in case.measures if not m.goals]
    if unused and case.goals:
        out.append(
            f"{len(unused)} measure(s) serve no goal: {', '.join(unused[:5])}"
            + (", ..." if len(unused) > 5 else "")
        )
    return out
