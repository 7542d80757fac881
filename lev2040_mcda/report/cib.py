"""The report's section on the scenarios built by cross-impact balance (CIB), when the case has a
CIB model (``case.cib``: descriptors.yaml and cross_impacts.csv).

:func:`cib_stage` computes it once, as ``lev2040 scenarios`` would: every consistent scenario of
the model, up to :data:`TABLEAU` of them for the scenario tableau (all when there are few, else the
most diverse, :func:`lev2040_mcda.scenarios.select_diverse`), and for the first :data:`PORTFOLIOS`
of those the best portfolio, computed as the report computes its own (the same weights, value
and solver; no explanations or tiers, which the section does not show) on the case with those
scenarios added (:func:`lev2040_mcda.scenarios.with_scenarios`). :func:`cib_view` makes the page's
view of it, :func:`cib_rows` the workbook's sheet. Without a CIB model there is no stage, no
section and an empty sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..case import STEEP, Case
from .context import Context

__all__ = ["TABLEAU", "PORTFOLIOS", "MARKS", "cib_stage", "cib_view", "cib_rows", "judgements"]

TABLEAU = 8
"""At most this many consistent scenarios are columns of the tableau."""
PORTFOLIOS = 5
"""For at most this many of them (the first, most diverse ones) the best portfolio is computed."""
MARKS = {True: "✓", False: "–"}
"""How the page marks a measure a scenario's portfolio keeps (or not)."""
MAX_SPACE = 10**10
"""Scenario combinations beyond which the section says the space is too large for the report (a
count, not a time, so the same inputs give the same page; `lev2040 scenarios --basins` looks at
any space)."""

_STEEP = {
    "gesellschaft": "steep_gesellschaft",
    "technologie": "steep_technologie",
    "wirtschaft": "steep_wirtschaft",
    "klima_umwelt": "steep_klima_umwelt",
    "politik": "steep_politik",
}
"""Each STEEP parameter -> the i18n key of its name."""


def cib_stage(
    case: Case, common: Mapping[str, Any], progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """The CIB section's numbers: ``(result, note, detail)``.

    ``common`` holds the report's portfolio settings (``method``, ``options``, ``weights``,
    ``weights_info``, ``solver``; its ``scenario`` is replaced by each CIB scenario's).
    ``progress(done, total)`` counts the portfolios. ``note`` is the i18n key of why the
    scenarios could not be built (the search ran out of time), ``detail`` the engine's reason;
    the result is then ``None``.
    """
    import math

    from ..portfolio import InfeasiblePortfolio, portfolio_summary
    from ..scenarios import find_scenarios, select_diverse, to_case_scenarios, to_json_dict, with_scenarios

    model = case.cib
    space = math.prod(model.sizes)
    if space > MAX_SPACE:
        return (
            None,
            "cib_too_large",
            (
                f"{space:,} combinations of the descriptors' variants are more than the report searches "
                f"({MAX_SPACE:,}); `lev2040 scenarios CASE --basins N` finds the dominant ones"
            ),
        )
    found = find_scenarios(model, executor=common.get("executor"))
    chosen = select_diverse(found, min(TABLEAU, len(found)))
    # ids of their own when the case already has written CIB scenarios: never two different cib_01
    taken = {s.id for s in case.scenarios}
    prefix = "cib_"
    while any(i.startswith(prefix) for i in taken):
        prefix = "report_" + prefix
    entries = to_case_scenarios(model, chosen, prefix=prefix)
    data = to_json_dict(model, found)
    shown = to_json_dict(model, chosen)["scenarios"]
    result: dict[str, Any] = {
        "source": model.source,
        "max_inconsistency": 0,
        "descriptors": data["descriptors"],
        "scenarios": data["scenarios"],
        "shown": [{"id": e["id"], "title": e["title"], **s} for e, s in zip(entries, shown, strict=True)],
        "portfolios": {},
    }
    run = entries[:PORTFOLIOS]
    case_cib = with_scenarios(case, run)
    for done, entry in enumerate(run, 1):
        try:
            pf = portfolio_summary(
                case_cib, **{**common, "scenario": entry["id"]}, explanations=False, tiers=0
            )
            result["portfolios"][entry["id"]] = {
                "status": pf["status"],
                "objective": pf["objective"],
                "selected": pf["selected"],
            }
        except InfeasiblePortfolio as exc:
            result["portfolios"][entry["id"]] = {"status": "infeasible", "reason": str(exc)}
        if progress is not None:
            progress(done, len(run))
    result.update(_inclusion(case, result["portfolios"]))
    return result, None, None


def _inclusion(case: Case, portfolios: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Which measure each feasible CIB scenario's portfolio keeps, and the measures kept in all
    of them, in some, and in none (as the robustness stage sorts the case's own scenarios)."""
    solved = [s for s, p in portfolios.items() if "selected" in p]
    chosen = {s: set(portfolios[s]["selected"]) for s in solved}
    rows = []
    for m in case.measures:
        marks = {s: m.id in chosen[s] for s in solved}
        rows.append({"id": m.id, "name": m.name, "scenarios": marks, "count": sum(marks.values())})
    n = len(solved)
    return {
        "inclusion": rows,
        "core": [r["id"] for r in rows if n and r["count"] == n],
        "contested": [r["id"] for r in rows if 0 < r["count"] < n],
        "never": [r["id"] for r in rows if r["count"] == 0],
    }


def judgements(model) -> list[tuple[int, int, int]]:
    """Every judgement outside the descriptors' own blocks: ``(row, column, value)``, 0 too."""
    block = [i for i, n in enumerate(model.sizes) for _ in range(n)]
    size = len(block)
    return [(a, b, int(model.matrix[a, b])) for a in range(size) for b in range(size) if block[a] != block[b]]


def _parameter_order(model) -> list[tuple[str | None, list[int]]]:
    """The descriptors (indices) grouped by STEEP parameter, in STEEP's order; descriptors without
    a parameter last; file order within a group."""
    groups: dict[str | None, list[int]] = {}
    for i, d in enumerate(model.descriptors):
        groups.setdefault(d.parameter if d.parameter in STEEP else None, []).append(i)
    order = [*STEEP, None]
    return [(p, groups[p]) for p in sorted(groups, key=order.index)]


def _parameter_name(ctx: Context, parameter: str | None) -> str:
    return ctx.t[_STEEP[parameter]] if parameter in _STEEP else ctx.t["steep_none"]


def _tableau(ctx: Context, r: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tableau's row groups: each STEEP parameter with its descriptors, and for each
    descriptor the name of the variant each shown scenario chooses."""
    model = ctx.case.cib
    groups = []
    for parameter, members in _parameter_order(model):
        rows = []
        for i in members:
            d = model.descriptors[i]
            names = {v.id: v.name for v in d.variants}
            rows.append(
                {
                    "id": d.id,
                    "name": d.name,
                    "cells": [names.get(s["variants"][d.id], s["variants"][d.id]) for s in r["shown"]],
                }
            )
        groups.append({"parameter": parameter, "name": _parameter_name(ctx, parameter), "rows": rows})
    return groups


def _variant_labels(model) -> list[str]:
    """``Descriptor: variant`` of every matrix row and column, as the case names them."""
    return [f"{d.name}: {v.name}" for d in model.descriptors for v in d.variants]


def _note(model, a: int, b: int) -> str | None:
    """The rationale of the judgement of variant ``a`` on ``b``: its own, else its section's."""
    labels, owner = model.labels, [d.id for d in model.descriptors for _ in d.variants]
    return model.notes.get((labels[a], labels[b])) or model.notes.get((owner[a], owner[b]))


def cib_view(ctx: Context, st) -> dict[str, Any] | None:
    """The page's view of the CIB section, ``None`` when the case has no CIB model (then the
    page has no such section); ``{}`` with the stage's note when it could not run."""
    model = ctx.case.cib
    if model is None:
        return None
    r = st.results.get("scenarios")
    if r is None:  # not computed: why, when the stage says so; else no section
        return {} if "cib" in st.notes else None
    from .figures import cross_impact_heatmap

    labels = _variant_labels(model)
    chart = cross_impact_heatmap(model, labels, ctx.t)
    solved = [s for s in r["shown"] if "selected" in r["portfolios"].get(s["id"], {})]
    rows = sorted((x for x in r["inclusion"] if x["count"]), key=lambda x: (-x["count"], x["name"], x["id"]))
    return {
        "r": r,
        "source": model.source,
        "tableau": _tableau(ctx, r),
        "chart": chart,  # page.py marks it safe
        "judgements": [
            {
                "source": labels[a],
                "target": labels[b],
                "value": f"{v:+d}".replace("-", "−"),
                "note": _note(model, a, b) or "",
            }
            for a, b, v in judgements(model)
            if v
        ],
        "solved": [s["id"] for s in solved],
        "infeasible": [(s, p.get("reason", "")) for s, p in r["portfolios"].items() if "selected" not in p],
        "kept": [{**x, "marks": [MARKS[bool(x["scenarios"][s["id"]])] for s in solved]} for x in rows],
    }


def cib_rows(ctx: Context, st) -> tuple[list[str], list[list[Any]], tuple[int, ...]]:
    """The workbook's CIB sheet: the tableau (a row per descriptor, a column per shown scenario,
    then the inconsistency and total impact score), a blank row, and the portfolio table (a row
    per measure, ``True`` where the scenario's portfolio keeps it). Returns the header, the rows
    and the row numbers (1-based, in the sheet) of the portfolio table's header, to be bold;
    ``()`` when there is none."""
    t, model = ctx.t, ctx.case.cib
    r = st.results.get("scenarios")
    if model is None or r is None:
        note = t["cib_none"] if model is None else t[st.notes.get("cib", "cib_none")]
        return [t["note"]], [[note], *([[st.details["cib"]]] if "cib" in st.details else [])], ()
    ids = [s["id"] for s in r["shown"]]
    header = [t["cib_parameter"], "id", t["cib_descriptor"], *ids]
    rows: list[list[Any]] = []
    for group in _tableau(ctx, r):
        for row in group["rows"]:
            rows.append([group["name"], row["id"], row["name"], *row["cells"]])
    rows.append([t["cib_inconsistency"], None, None, *[s["inconsistency"] for s in r["shown"]]])
    rows.append([t["cib_total_impact"], None, None, *[s["total_impact"] for s in r["shown"]]])
    solved = [s for s in ids if "selected" in r["portfolios"].get(s, {})]
    rows.append([])
    at = len(rows) + 2  # the header is row 1
    rows.append(["id", t["measure"], t["cib_kept_in"], *solved])
    for x in sorted(r["inclusion"], key=lambda x: (-x["count"], x["name"], x["id"])):
        rows.append([x["id"], x["name"], x["count"], *[x["scenarios"][s] for s in solved]])
    return header, rows, (at,)
