"""The report's Stadtcheck: the district indicators and their need maps (a section of its own after
the summary; where the package lands is :mod:`.equity`'s).

:func:`stadtcheck_stage` is what ``lev2040 stadtcheck CASE --format json`` shows (the need profiles
of :func:`lev2040_mcda.stadtcheck.profiles`); :func:`stadtcheck_view` makes the page's view,
:func:`stadtcheck_rows` the workbook's sheet, :func:`stadtcheck_maps` the maps as files
(``lev2040 stadtcheck --maps DIR``). Without a Stadtcheck there is no stage, no section, no map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..case import Case
from .context import Context

__all__ = ["has_stadtcheck", "stadtcheck_maps", "stadtcheck_rows", "stadtcheck_stage", "stadtcheck_view"]


def has_stadtcheck(case: Case) -> bool:
    return getattr(case, "stadtcheck", None) is not None


def stadtcheck_stage(case: Case) -> dict[str, Any] | None:
    """The need profiles of ``case``'s districts (``lev2040 stadtcheck``'s result), None without a
    Stadtcheck."""
    if not has_stadtcheck(case):
        return None
    from ..stadtcheck import profiles

    return profiles(case).to_json()


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
            "stadtcheck-need",
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
        "goal_maps": [
            {"id": f"need-{g}", "svg": maps[f"need_{g}"], "goal": ctx.goals.get(g, g)}
            for g in result["goals"]
            if f"need_{g}" in maps
        ],
        "warning": warning,
        "illustrative": sum(1 for i in indicators if i["illustrative"]),
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
