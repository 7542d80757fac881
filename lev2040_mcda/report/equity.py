"""Where the package lands: the portfolio section's map and table of the budget and benefit per
resident per district (:func:`equity_view`), the equity rules district by district, the workbook's
sheet (:func:`equity_rows`), and how the vote's and saved runs' selections spread over the districts
(:func:`vote_spread`, :func:`runs_spread`). The numbers are the stadtcheck stage's
(:func:`lev2040_mcda.stadtcheck.equity`); the portfolio computes its own (``spread``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..case import Case
from .context import Context
from .stadtcheck import _int, _parents, has_stadtcheck

__all__ = ["budget_unit", "equity_rows", "equity_stage", "equity_view", "runs_spread", "vote_spread"]

_EUR_MILLIONS = {"eur m", "mio. €", "mio €", "€ m", "€m", "mio. eur", "mio eur", "eur million", "million eur"}
"""Units of a budget in millions of euros: per resident it is written in euros."""


def budget_unit(case: Case, resource: str | None) -> tuple[float, str]:
    """How a budget per resident is written: ``(factor, unit)`` — a budget in EUR m per resident in
    euros (x 1,000,000), any other unit per 1,000 residents."""
    if resource is None or resource not in case.resources:
        return 1000.0, ""
    unit = (case.resources[resource].unit or "").strip()
    if unit.lower() in _EUR_MILLIONS:
        return 1e6, "€"
    return 1000.0, f"{unit} / 1,000" if unit else "/ 1,000"


def equity_stage(portfolio: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Where the report's portfolio lands: its spread over the districts as the portfolio stage
    computed it (``spread`` of :func:`~lev2040_mcda.portfolio.portfolio_summary`: the budget in the
    scenario's costs, the benefit in the values the portfolio was chosen by), None without a
    Stadtcheck or a portfolio."""
    return None if portfolio is None else portfolio.get("spread")


def equity_view(ctx: Context, stages: Any) -> dict[str, Any] | None:
    """The portfolio section's map of where the package lands and its equity table; None without
    a Stadtcheck or a portfolio."""
    e = stages.results.get("equity")
    if e is None:
        return None
    factor, unit = budget_unit(ctx.case, e["resource"])
    levels = sorted(e["levels"], key=lambda lv: -lv["depth"])
    leaf = levels[0] if levels else None
    chart = None
    from ..stadtcheck import map_shapes
    from .figures import district_map_svg

    shapes = map_shapes(ctx.case)
    if shapes is not None and leaf is not None:
        per = {
            d["district"]: None if d["budget_per_resident"] is None else d["budget_per_resident"] * factor
            for d in leaf["districts"]
        }
        chart = district_map_svg(
            shapes,
            per,
            title=ctx.t["equity_map"],
            label=ctx.t["equity_per_resident"].format(unit=unit),
            names=ctx.districts,
            symbols={d["district"]: d["budget"] for d in leaf["districts"]},
            symbol_label=ctx.resource_label(e["resource"]) if e["resource"] else None,
            symbol_fmt=lambda x: ctx.num(x, 0),
            fmt=lambda x: ctx.num(x, 0),
            cmap="Blues",
            no_data=ctx.t["stadtcheck_no_data"],
            outline=shapes.dissolve(_parents(ctx.case)),
            figure_id="equity",
        )
    rows = []
    for lv in reversed(levels):  # Stadtbezirke first, then Stadtteile
        average = _average_benefit(lv, e["total"]["benefit"])
        for d in lv["districts"]:
            rows.append(
                {
                    "name": d["name"],
                    "top": lv["depth"] != (leaf["depth"] if leaf else None),
                    "population": ctx.num(_int(d["population"])),
                    "measures": len(d["measures"]),
                    "budget": ctx.num(d["budget"], 1),
                    "per_resident": ctx.num(
                        None if d["budget_per_resident"] is None else d["budget_per_resident"] * factor, 0
                    ),
                    "benefit": ctx.num(_ratio(d["benefit_per_resident"], average)),
                    "need": ctx.num(d["need"]),
                }
            )
    indices = [
        {
            "level": ctx.t["equity_level"].format(depth=lv["depth"], n=len(lv["districts"])),
            "gini_budget": ctx.num(lv["gini"]["budget_per_resident"]),
            "theil_budget": ctx.num(lv["theil"]["budget_per_resident"]),
            "gini_benefit": ctx.num(lv["gini"]["benefit_per_resident"]),
            "theil_benefit": ctx.num(lv["theil"]["benefit_per_resident"]),
            "nothing": ", ".join(ctx.districts.get(d, d) for d in lv["nothing"]) or "–",
        }
        for lv in reversed(levels)
    ]
    return {
        "chart": chart,
        "rules": _rules(ctx, stages.results.get("portfolio") or {}),
        "rule_resources": [
            ctx.resource_label(r)
            for r in ((stages.results.get("portfolio") or {}).get("equity") or {}).get("min_budget_share")
            or {}
        ],
        "unit": unit,
        "rows": rows,
        "indices": indices,
        "citywide": len(e["citywide"]["measures"]),
        "citywide_budget": ctx.num(e["citywide"]["budget"], 1),
        "resource": ctx.resource_label(e["resource"]) if e["resource"] else "",
    }


def _rules(ctx: Context, pf: Mapping[str, Any]) -> list[dict[str, str]]:
    """The equity rules the portfolio was built with, district by district: its benefit per
    resident against the package's, its share of each resource against its share of residents."""
    rules = pf.get("equity")
    if not rules:
        return []
    shares = list(rules.get("min_budget_share") or {})
    return [
        {
            "name": ctx.districts.get(d, d),
            "benefit": ctx.num(x.get("of_average")),
            "shares": [ctx.pct(x.get(f"share_of_{r}")) for r in shares],
            "population": ctx.pct(x.get("population_share")),
        }
        for d, x in (rules.get("districts") or {}).items()
    ]


def _average_benefit(level: Mapping[str, Any], total: float) -> float | None:
    """The whole package's benefit (citywide measures included) per resident of a level's districts:
    what the equity rule ``--min-benefit-per-resident`` measures a district against."""
    residents = sum(d["population"] for d in level["districts"] if d["population"])
    return total / residents if residents else None


def _ratio(x: float | None, average: float | None) -> float | None:
    """A district's benefit per resident against its level's (1: the same)."""
    return None if x is None or not average else x / average


def equity_rows(ctx: Context, stages: Any) -> tuple[list[str], list[list[Any]]]:
    """The workbook's equity sheet: per district (each level) what the report's portfolio gives it,
    then per level the inequality indices; one line saying why not without a Stadtcheck."""
    t = ctx.t
    e = stages.results.get("equity")
    if e is None:
        return [t["note"]], [[t["stadtcheck_none"] if not has_stadtcheck(ctx.case) else t["equity_none"]]]
    factor, unit = budget_unit(ctx.case, e["resource"])
    header = [
        t["district"],
        t["equity_level_col"],
        t["stadtcheck_residents"],
        t["equity_measures"],
        ctx.resource_label(e["resource"]) if e["resource"] else t["resource"],
        t["equity_per_resident"].format(unit=unit),
        t["equity_benefit_index"],
        t["stadtcheck_need"],
    ]
    rows: list[list[Any]] = []
    for lv in e["levels"]:
        average = _average_benefit(lv, e["total"]["benefit"])
        for d in lv["districts"]:
            per = d["budget_per_resident"]
            benefit = _ratio(d["benefit_per_resident"], average)
            rows.append(
                [
                    d["name"],
                    lv["depth"],
                    d["population"],
                    len(d["measures"]),
                    d["budget"],
                    None if per is None else per * factor,
                    benefit,
                    d["need"],
                ]
            )
    for lv in e["levels"]:
        level = t["equity_level"].format(depth=lv["depth"], n=len(lv["districts"]))
        for key, index, part in (
            ("equity_gini_budget", "gini", "budget_per_resident"),
            ("equity_theil_budget", "theil", "budget_per_resident"),
            ("equity_gini_benefit", "gini", "benefit_per_resident"),
            ("equity_theil_benefit", "theil", "benefit_per_resident"),
        ):
            rows.append([t[key], level, None, None, None, lv[index][part], None, None])
    return header, rows


# -- the vote and saved runs: how each spreads over the districts ---------------------------------


def _spread(
    ctx: Context, selections: list[list[str]], scenarios: Sequence[str | None] | None = None
) -> list[tuple[str, str, list[str]]]:
    """Rows (level, what, [cell per selection]): the Gini index of the budget per resident and the
    districts that get nothing, per level, for each selection (a vote's, the analysis's, a run's),
    its budget in its scenario's costs (``scenarios``, one per selection; None: the case's)."""
    from ..case import apply_scenario
    from ..stadtcheck import equity, profiles

    known = set(ctx.case.measure_ids)
    scenarios = scenarios or [None] * len(selections)
    p = profiles(ctx.case)  # once: the need does not depend on the selection
    need = {d: p.need_of(d) for d in p.districts}
    spreads = [
        equity(
            apply_scenario(ctx.case, sc) if sc in {x.id for x in ctx.case.scenarios} else ctx.case,
            [m for m in sel if m in known],
            need=need,
        )
        for sel, sc in zip(selections, scenarios)
    ]
    rows = []
    for k, lv in enumerate(spreads[0].levels if spreads else ()):  # the levels top first, in each
        level = ctx.t["equity_level"].format(depth=lv.depth, n=len(lv.districts))
        per = [s.levels[k] for s in spreads]
        rows.append((level, ctx.t["equity_gini_budget"], [ctx.num(x.gini_budget) for x in per]))
        rows.append((level, ctx.t["equity_nothing"], [str(len(x.nothing)) for x in per]))
    return rows


def vote_spread(ctx: Context, stages: Any) -> list[tuple[str, str, list[str]]]:
    """The vote's selection and the analysis's side by side: how each spreads over the districts
    (:func:`_spread`); empty without a Stadtcheck or a comparison."""
    r = stages.results.get("participation")
    if not has_stadtcheck(ctx.case) or not r or "comparison" not in r:
        return []
    measures = r.get("measures") or []
    vote = [m["id"] for m in measures if m.get("in_vote") and m.get("id")]
    analysis = [m["id"] for m in measures if m.get("in_analysis") and m.get("id")]
    return _spread(ctx, [vote, analysis])


def runs_spread(ctx: Context, comparison: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """Saved runs side by side: how each run's portfolio spreads over the districts; empty without a
    Stadtcheck."""
    if not has_stadtcheck(ctx.case):
        return []
    runs = comparison.get("runs") or []
    measures = comparison.get("measures") or []
    scenarios = [(r.get("parameters") or {}).get("scenario") for r in runs]
    return _spread(
        ctx, [[m["id"] for m in measures if m["selected"][k]] for k in range(len(runs))], scenarios
    )
