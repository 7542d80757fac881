"""``lev2040 stadtcheck``: the district profiles of a case's Stadtcheck (need per goal and overall,
each indicator's value, z-score and rank among the district's peers), and its maps as SVG files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .format import _num, format_table
from .options import emit, output_options

__all__ = ["stadtcheck", "stadtcheck_csv", "stadtcheck_table"]

VIEWS = ("need", "values", "z")


@click.command()
@click.argument("case_dir", metavar="CASE", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="need",
    show_default=True,
    help="The table: need per goal and overall; values: the indicators as read (– where missing); "
    "z: each indicator's z-score among the district's peers (positive: more need).",
)
@click.option(
    "--maps",
    "maps_dir",
    type=click.Path(file_okay=False, writable=True),
    default=None,
    help="Also write the maps (overall need, need per goal, each indicator) as SVG files into this "
    "folder (created if missing).",
)
@click.option(
    "--goal-weight",
    "goal_weights",
    multiple=True,
    metavar="GOAL=W",
    help="Weigh the goals of the overall need explicitly, repeatable (goals left out weigh 0) "
    "[default: the stakeholders' consensus, else equal].",
)
@click.option(
    "--lang", type=click.Choice(["de", "en"]), default=None, help="The maps' language [default: the case's]."
)
@output_options
def stadtcheck(
    case_dir: str,
    view: str,
    maps_dir: str | None,
    goal_weights: tuple[str, ...],
    lang: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """The Stadtcheck of CASE: where each district stands and what it needs.

    Each indicator's z-score is taken among the district's peers (Stadtteile with Stadtteile,
    Stadtbezirke with Stadtbezirke) against the city's value, oriented so that a positive score
    means more need; a goal's need is the weighted mean of its indicators' scores, the overall need
    the mean over the goals with the stakeholders' consensus weights, or those of --goal-weight
    (docs/stadtcheck.md).
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..stadtcheck import profiles

    case = load_case(Path(case_dir))
    if case.stadtcheck is None:
        raise click.UsageError(
            f"{case_dir} has no Stadtcheck: add stadtcheck.csv (or .xlsx) and its catalogue "
            "stadtcheck.yaml (docs/case-format.md)"
        )
    result = profiles(case, _goal_weights(goal_weights) if goal_weights else None).to_json()
    if maps_dir is not None:
        from ..output import write_atomic
        from ..report import stadtcheck_maps

        maps, warning = stadtcheck_maps(case, lang)
        if warning:
            click.echo(f"warning: {warning}", err=True)
        if not maps:
            click.echo(
                "warning: the case has neither districts.geojson nor districts_layout.csv: no maps", err=True
            )
        for name, svg in maps.items():
            write_atomic(Path(maps_dir) / name, svg, parents=True)
        result["maps"] = sorted(maps)
        if maps:
            click.echo(f"wrote {len(maps)} maps to {maps_dir}", err=True)
    params = {"case": case_dir, "view": view, "maps": maps_dir, "goal_weights": list(goal_weights) or None}
    render = {
        "json": lambda: to_json(result, provenance("stadtcheck", params, case.inputs)),
        "csv": lambda: stadtcheck_csv(result),
        "table": lambda: stadtcheck_table(result, view),
    }
    emit(render[fmt](), output)


def _goal_weights(pairs: tuple[str, ...]) -> dict[str, float]:
    """``--goal-weight GOAL=W`` as goal -> weight (the stage checks the goals and the signs)."""
    out = {}
    for pair in pairs:
        goal, sep, value = pair.partition("=")
        try:
            out[goal.strip()] = float(value.replace(",", "."))
        except ValueError:
            raise click.BadParameter(
                f"{pair!r} is not GOAL=WEIGHT (a number)", param_hint="--goal-weight"
            ) from None
        if not sep or not goal.strip():
            raise click.BadParameter(f"{pair!r} is not GOAL=WEIGHT", param_hint="--goal-weight")
    return out


def _levels(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The districts by level, the deepest (Stadtteile) first, the city last."""
    rows = result["districts"]
    names = {r["district"]: r["name"] for r in rows}
    depths = sorted({r["depth"] for r in rows if not r["root"]}, reverse=True)
    out = []
    for d in depths:
        level = [r for r in rows if r["depth"] == d and not r["root"]]
        above = list(dict.fromkeys(names.get(r["parent"], r["parent"]) for r in level if r.get("parent")))
        out.append((f"level {d}" + (f" (in {', '.join(above)})" if above else ""), level))
    city = [r for r in rows if r["root"]]
    return out + ([("the city", city)] if city else [])


def _rank_of(r: dict[str, Any], rows: list[dict[str, Any]]) -> int | None:
    """The district's place by overall need among its peers (1: most need)."""
    if r["need"] is None:
        return None
    return 1 + sum(1 for o in rows if o["need"] is not None and o["need"] > r["need"])


def stadtcheck_table(result: dict[str, Any], view: str = "need") -> str:
    indicators = result["indicators"]
    illustrative = sum(1 for i in indicators if i["illustrative"])
    weights = ", ".join(f"{g} {w:.2f}" for g, w in result["goal_weights"].items())
    out = [
        f"Stadtcheck: {len(result['districts'])} districts, {len(indicators)} indicators "
        f"({illustrative} marked illustrative); overall need weighs the goals "
        f"({result['weights_source']}): {weights}\n"
    ]
    goals = result["goals"]
    for title, rows in _levels(result):
        if not rows:
            continue
        out.append(f"\n{title}: {len(rows)} district{'s' if len(rows) != 1 else ''}\n")
        if view == "need":
            header = ["district", "residents", "need", "rank", *goals]
            body = [
                [
                    r["name"],
                    r["population"],
                    _num(r["need"], 2),
                    "" if r["root"] else _rank_of(r, rows),
                    *(_num(r["goal_need"].get(g), 2) for g in goals),
                ]
                for r in rows
            ]
        else:
            header = ["district", *(i["id"] for i in indicators)]
            key = "value" if view == "values" else "z"
            body = [
                [r["name"], *(_cell(r["indicators"][i["id"]][key], view) for i in indicators)] for r in rows
            ]
        out.append(format_table(header, body))
    if view != "need":
        out.append(
            "\n"
            + format_table(["indicator", "name", "unit", "year", "need if", "status"], _catalogue(indicators))
        )
    out.append(
        "\nneed: the mean z-score of a goal's indicators (positive: more need than the city); "
        "- where a district has no data\n"
    )
    return "".join(out)


def _cell(v: float | None, view: str) -> str:
    if v is None:
        return "–"
    return _num(v, 2) if view == "z" else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"


def _catalogue(indicators: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            i["id"],
            i["name"],
            i["unit"] or "",
            i["year"] or "",
            i["need"],
            "illustrative" if i["illustrative"] else "sourced",
        ]
        for i in indicators
    ]


def stadtcheck_csv(result: dict[str, Any]) -> str:
    """One row per district: its need per goal and overall, and each indicator's value, z and rank."""
    from ..output import to_csv

    goals = result["goals"]
    ids = [i["id"] for i in result["indicators"]]
    header = [
        "district",
        "name",
        "depth",
        "population",
        "need",
        *(f"need_{g}" for g in goals),
        *(f"{i}{part}" for i in ids for part in ("", "_z", "_rank")),
    ]
    rows = []
    for r in result["districts"]:
        cells = [r["indicators"][i] for i in ids]
        rows.append(
            [
                r["district"],
                r["name"],
                r["depth"],
                r["population"],
                r["need"],
                *(r["goal_need"].get(g) for g in goals),
                *(x for c in cells for x in (c["value"], c["z"], c["rank"])),
            ]
        )
    return to_csv(header, rows)
