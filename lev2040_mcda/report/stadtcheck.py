"""The report's Stadtcheck: the district indicators and their need maps (a section of its own after
the summary), and where the package lands (the portfolio section's map and equity table).

:func:`stadtcheck_stage` is what ``lev2040 stadtcheck CASE --format json`` shows (the need profiles
of :func:`lev2040_mcda.stadtcheck.profiles`); :func:`equity_stage` the equity of the report's
portfolio (:func:`lev2040_mcda.stadtcheck.equity`, the benefit being the measures' values as the
portfolio counts them). :func:`stadtcheck_view` and :func:`equity_view` make the page's views,
:func:`stadtcheck_rows` the workbook's sheet, :func:`stadtcheck_maps` the maps as files
(``lev2040 stadtcheck --maps DIR``). Without a Stadtcheck there is no stage, no section, no map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..case import Case
from .context import Context

__all__ = [
    "budget_unit",
    "equity_stage",
    "equity_view",
    "has_stadtcheck",
    "stadtcheck_maps",
    "stadtcheck_rows",
    "stadtcheck_stage",
    "stadtcheck_view",
]

_EUR_MILLIONS = {"eur m", "mio. €", "mio €", "€ m", "€m", "mio. eur", "mio eur", "eur million", "million eur"}
"""Units of a budget in millions of euros: per resident it is written in euros."""


def has_stadtcheck(case: Case) -> bool:
    return getattr(case, "stadtcheck", None) is not None


def budget_unit(case: Case, resource: str | None) -> tuple[float, str]:
    """How a budget per resident is written: ``(factor, unit)`` — a budget in EUR m per resident in
    euros (x 1,000,000), any other unit per 1,000 residents."""
    if resource is None or resource not in case.resources:
        return 1000.0, ""
    unit = (case.resources[resource].unit or "").strip()
    if unit.lower() in _EUR_MILLIONS:
        return 1e6, "€"
    return 1000.0, f"{unit} / 1,000" if unit else "/ 1,000"


def stadtcheck_stage(case: Case) -> dict[str, Any] | None:
    """The need profiles of ``case``'s districts (``lev2040 stadtcheck``'s result), None without a
    Stadtcheck."""
    if not has_stadtcheck(case):
        return None
    from ..stadtcheck import profiles

    return profiles(case).to_json()


def equity_stage(
    case: Case, common: Mapping[str, Any], portfolio: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The equity of the report's portfolio (its selected measures, their values as the portfolio
    counts them), None without a Stadtcheck or a portfolio."""
    if not has_stadtcheck(case) or portfolio is None:
        return None
    from ..portfolio import measure_values
    from ..stadtcheck import equity

    values, _ = measure_values(case, common.get("scenario"), common["weights"])
    worth = {m.id: float(v) for m, v in zip(case.measures, values)}
    return equity(case, portfolio["selected"], values=worth).to_json()


# -- the maps ------------------------------------------------------------------------------------


def _leaf_depth(result: Mapping[str, Any]) -> int:
    return max((r["depth"] for r in result["districts"] if not r["root"]), default=0)


def _parents(case: Case) -> dict[str, str | None]:
    return {d.id: d.parent for d in case.config.districts}


def _need_map(ctx: Context, shapes, outline, values: Mapping[str, float | None], title: str, fid: str) -> str:
    from .figures import district_map_svg

    return district_map_svg(
        shapes,
        values,
        title=title,
        label=ctx.t["stadtcheck_need_scale"],
        names=ctx.districts,
        fmt=lambda x: ctx.num(x, 1),
        cmap="RdBu_r",
        center=0.0,
        no_data=ctx.t["stadtcheck_no_data"],
        outline=outline,
        figure_id=fid,
    )


def _maps(ctx: Context, result: Mapping[str, Any], indicators: bool) -> tuple[dict[str, str], str | None]:
    """The need maps (overall, then per goal) and, with ``indicators``, one map per indicator."""
    from ..stadtcheck import map_shapes
    from .figures import district_map_svg

    shapes = map_shapes(ctx.case)
    if shapes is None:
        return {}, None
    outline = shapes.dissolve(_parents(ctx.case))
    rows = [r for r in result["districts"] if r["depth"] == _leaf_depth(result)]
    maps = {
        "need": _need_map(
            ctx,
            shapes,
            outline,
            {r["district"]: r["need"] for r in rows},
            ctx.t["stadtcheck_need_map"],
            "need",
        )
    }
    for g in result["goals"]:
        title = ctx.t["stadtcheck_goal_map"].format(goal=ctx.goals.get(g, g))
        maps[f"need_{g}"] = _need_map(
            ctx, shapes, outline, {r["district"]: r["goal_need"].get(g) for r in rows}, title, f"need-{g}"
        )
    if indicators:
        for i in result["indicators"]:
            unit = f" ({i['unit']})" if i["unit"] else ""
            maps[i["id"]] = district_map_svg(
                shapes,
                {r["district"]: r["indicators"][i["id"]]["value"] for r in rows},
                title=i["name"],
                label=i["name"] + unit,
                names=ctx.districts,
                fmt=lambda x: ctx.amount(x),
                cmap="YlOrRd" if i["need"] == "higher" else "YlOrRd_r",
                no_data=ctx.t["stadtcheck_no_data"],
                outline=outline,
                figure_id=f"ind-{i['id']}",
            )
    return maps, shapes.warning


def stadtcheck_maps(case: Case, lang: str | None = None) -> tuple[dict[str, str], str | None]:
    """The Stadtcheck's maps as files (name.svg -> SVG text): overall need, need per goal, each
    indicator; and the warning of the map's geometry (districts not drawn), if any."""
    from .context import report_language

    result = stadtcheck_stage(case)
    if result is None:
        return {}, None
    ctx = Context.of(case, report_language(case, lang))
    maps, warning = _maps(ctx, result, indicators=True)
    return {f"{name}.svg": svg for name, svg in maps.items()}, warning


# -- the page ------------------------------------------------------------------------------------


def stadtcheck_view(ctx: Context, stages: Any) -> dict[str, Any] | None:
    """The Stadtcheck section's view; None without a Stadtcheck (no section)."""
    result = stages.results.get("stadtcheck")
    if result is None:
        return None
    indicators = result["indicators"]
    maps, warning = _maps(ctx, result, indicators=False)
    leaf = _leaf_depth(result)
    order = sorted(result["districts"], key=lambda r: (r["root"], -r["depth"]))
    table = [
        {
            "name": r["name"],
            "level": r["depth"] != leaf,
            "cells": [_value(ctx, r["indicators"][i["id"]]["value"]) for i in indicators],
        }
        for r in order
    ]
    need_rows = [
        {
            "name": r["name"],
            "population": ctx.num(_int(r["population"])),
            "need": ctx.num(r["need"]),
            "goals": [ctx.num(r["goal_need"].get(g)) for g in result["goals"]],
        }
        for r in order
        if not r["root"]
    ]
    return {
        "indicators": [
            {
                "name": i["name"],
                "unit": i["unit"] or "",
                "year": i["year"] or "",
                "need": ctx.t["stadtcheck_need_higher" if i["need"] == "higher" else "stadtcheck_need_lower"],
                "source": i["source"] or "",
                "illustrative": ctx.yes(i["illustrative"]),
                "note": i["note"] or "",
            }
            for i in indicators
        ],
        "table": table,
        "goals": [ctx.goals.get(g, g) for g in result["goals"]],
        "need_rows": need_rows,
        "weights": ", ".join(
            f"{ctx.goals.get(g, g)} {ctx.pct(w, 0)}" for g, w in result["goal_weights"].items()
        ),
        "weights_source": ctx.t[f"stadtcheck_weights_{result['weights_source']}"],
        "need_map": maps.pop("need", None),
        "goal_maps": list(maps.values()),
        "warning": warning,
        "illustrative": sum(1 for i in indicators if i["illustrative"]),
    }


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
                    "benefit": ctx.num(
                        None if d["benefit_per_resident"] is None else d["benefit_per_resident"] * 1000, 3
                    ),
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
        "unit": unit,
        "rows": rows,
        "indices": indices,
        "citywide": len(e["citywide"]["measures"]),
        "citywide_budget": ctx.num(e["citywide"]["budget"], 1),
        "resource": ctx.resource_label(e["resource"]) if e["resource"] else "",
    }


def stadtcheck_rows(ctx: Context, stages: Any) -> tuple[list[str], list[list[Any]]]:
    """The workbook's sheet: one row per district and indicator (value, z-score, rank), then its
    need per goal and overall; one line saying so without a Stadtcheck."""
    t = ctx.t
    result = stages.results.get("stadtcheck")
    if result is None:
        return [t["note"]], [[t["stadtcheck_none"]]]
    header = [t["district"], t["stadtcheck_indicator"], t["unit"], t["value"], t["stadtcheck_z"], t["rank"]]
    names = {i["id"]: (i["name"], i["unit"] or "") for i in result["indicators"]}
    rows: list[list[Any]] = []
    for r in result["districts"]:
        for iid, cell in r["indicators"].items():
            rows.append([r["name"], names[iid][0], names[iid][1], cell["value"], cell["z"], cell["rank"]])
        for g, need in r["goal_need"].items():
            rows.append(
                [r["name"], t["stadtcheck_goal_need"].format(goal=ctx.goals.get(g, g)), "", None, need, None]
            )
        rows.append([r["name"], t["stadtcheck_need"], "", None, r["need"], None])
    return header, rows


def _value(ctx: Context, v: float | None) -> str:
    return ctx.amount(v) if v is not None else "–"


def _int(v: float | None) -> int | None:
    return None if v is None else round(v)


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
        t["equity_benefit_per_1000"],
        t["stadtcheck_need"],
    ]
    rows: list[list[Any]] = []
    for lv in e["levels"]:
        for d in lv["districts"]:
            per = d["budget_per_resident"]
            benefit = d["benefit_per_resident"]
            rows.append(
                [
                    d["name"],
                    lv["depth"],
                    d["population"],
                    len(d["measures"]),
                    d["budget"],
                    None if per is None else per * factor,
                    None if benefit is None else benefit * 1000,
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
