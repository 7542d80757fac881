"""The council's summary, the page's first section: what the stages say, read together.

The recommended package (the portfolio stage's measures), what it delivers in the criteria's own
units against all candidates together (the portfolio stage's ``delivers``), what it costs (its
resources against their limits), how robust it is (how many of its measures every scenario
chooses, the robust stage's core and core indices), who is least satisfied (the robust stage's
``groups.satisfaction``), the main goal conflicts (the conflicts stage), and where the rankings
disagree: the first measure by the case's method and by the compromise across methods, whether
each is in the package and, if not, why (the portfolio stage's explanations). Nothing is computed
anew here: every number is one a stage already holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .context import Context, reasons_text
from .stages import Stages

__all__ = ["delivers_rows", "summary_view"]

CONFLICTS = 3
"""The goal conflicts the summary names."""


def delivers_rows(
    ctx: Context, delivers: Mapping[str, Mapping[str, Any]], weights: Mapping[str, float]
) -> list[dict[str, Any]]:
    """One row per criterion of the portfolio stage's ``delivers`` (criterion -> name, unit,
    direction, goal, ``selected``: the package's sum in the criterion's unit, ``all``: the sum over
    every candidate), most weighted criterion first (then in the catalogue's order), with the goal's
    title, the criterion's weight and the package's share of the total (``None`` when the total is
    0 or a number is missing). The numbers are as the stage gives them: the page and the workbook
    format them.

    >>> from types import SimpleNamespace
    >>> ctx = SimpleNamespace(goals={"wohnen": "Bezahlbares Wohnen"})
    >>> rows = delivers_rows(ctx, {"homes": {"name": "Homes", "unit": "dwellings",
    ...     "direction": "benefit", "goal": "wohnen", "selected": 350, "all": 1400}}, {"homes": 0.4})
    >>> rows[0]["goal"], rows[0]["share"], rows[0]["weight"]
    ('Bezahlbares Wohnen', 0.25, 0.4)
    """
    rows = []
    for cid, d in delivers.items():
        sel, total = d.get("selected"), d.get("all")
        goal = d.get("goal")
        rows.append(
            {
                "id": cid,
                "name": d.get("name") or cid,
                "unit": d.get("unit"),
                "direction": d.get("direction"),
                "goal": ctx.goals.get(goal, goal) if goal else None,
                "weight": weights.get(cid),
                "selected": sel,
                "all": total,
                "aggregate": d.get("aggregate", "sum"),
                # a share of a sum, where it is one (not of a mean, not past 100 % where some
                # candidates count against the total)
                "share": _share(sel, total) if d.get("aggregate", "sum") == "sum" else None,
            }
        )
    rows.sort(key=lambda r: -(r["weight"] or 0.0))  # stable: then in the catalogue's order
    return rows


def _share(part: float | None, total: float | None) -> float | None:
    if part is None or not total:
        return None
    share = part / total
    return share if 0 <= share <= 1 else None


def _mean_mark(row: dict[str, Any], text: str) -> str:
    return f"Ø {text}" if row["aggregate"] == "mean" else text


def summary_view(ctx: Context, st: Stages) -> dict[str, Any]:
    """The summary section's view: every sentence and row, in the report's language."""
    t, res = ctx.t, st.results
    p = res.get("portfolio")
    scenario = st.parameters.get("scenario")
    view: dict[str, Any] = {
        "scenario": ctx.scenarios.get(scenario, scenario) if scenario else None,
        "package": None,
        "delivers": [],
        "costs": [],
    }
    if p is not None:
        ordered = sorted(p["measures"], key=lambda x: (x.get("tier") or 0, -x["value"], x["id"]))
        view["package"] = [ctx.measures.get(x["id"], x["name"]) for x in ordered]
        weights = res["ranking"].get("weights") or {}
        view["delivers"] = [
            [
                r["name"],
                r["unit"] or "–",
                t[f"dir_{r['direction']}"] if r["direction"] in ("benefit", "cost") else "–",
                ctx.pct(r["weight"]),
                _mean_mark(r, ctx.amount(r["selected"])),
                _mean_mark(r, ctx.amount(r["all"])),
                ctx.pct(r["share"], 0),
            ]
            for r in delivers_rows(ctx, p.get("delivers") or {}, weights)
        ]
        view["costs"] = [
            [
                ctx.resource_label(k),
                ctx.num(u["used"], 1),
                ctx.num(u["limit"], 1) if u.get("limit") is not None else t["no_limit"],
                ctx.pct(u["used"] / u["limit"]) if u.get("limit") else "–",
            ]
            for k, u in p["resources"].items()
        ]
    view["robust"] = _robust(ctx, st, p)
    view["least"] = _least_satisfied(ctx, st)
    view["conflicts"] = [
        t["summary_conflict"].format(a=k["title_a"], b=k["title_b"], share=ctx.pct(k["share"]))
        for k in res["conflicts"]["conflicts"][:CONFLICTS]
    ]
    view["rankings"] = _rankings(ctx, st, p)
    return view


def _robust(ctx: Context, st: Stages, p: Mapping[str, Any] | None) -> list[str]:
    """How many of the package's measures every scenario chooses, and its least robust measure."""
    t = ctx.t
    r = st.results.get("robustness")
    if r is None:
        why = st.notes.get("robustness", "robust_missing")
        return [t["summary_robust_infeasible"] if why == "robust_infeasible" else t[why]]
    if p is None:
        return [t["summary_core_only"].format(n=len(r["core"]), names=ctx.names(r["core"], limit=8))]
    chosen = list(p["selected"])
    core = set(r["core"])
    out = [
        t["summary_robust"].format(
            n=sum(i in core for i in chosen), total=len(chosen), scenarios=len(r["scenarios"])
        )
    ]
    index = {x["id"]: x["core_index"] for x in r.get("core_index") or []}
    known = [i for i in chosen if i in index]
    if known:
        weakest = min(known, key=lambda i: (index[i], i))
        out.append(
            t["summary_weakest"].format(
                measure=ctx.measures.get(weakest, weakest), value=ctx.pct(index[weakest], 0)
            )
        )
    return out


def _least_satisfied(ctx: Context, st: Stages) -> list[str]:
    """The group least satisfied with the consensus portfolio, and what the fair compromise gives
    the worst-off group; or why there are no groups to compare."""
    t = ctx.t
    r = st.results.get("robustness")
    if r is None:  # the robustness item says why
        return []
    groups = r.get("groups") or {}
    sat = groups.get("satisfaction") or {}
    if not sat:
        return [t[st.notes["fair"]]] if "fair" in st.notes else [t["summary_no_groups"]]
    g = min(sat, key=lambda g: (sat[g]["consensus"], g))
    least = sat[g]["consensus"]
    if all(ctx.pct(u["consensus"]) == ctx.pct(least) for u in sat.values()):
        return [t["summary_all_alike"].format(value=ctx.pct(least))]
    out = [t["summary_least"].format(group=ctx.groups.get(g, g), value=ctx.pct(least))]
    worst = (groups.get("compromise") or {}).get("worst_ratio")
    if worst is not None and ctx.pct(worst) != ctx.pct(least):
        out.append(t["summary_fair"].format(value=ctx.pct(worst)))
    return out


def _first(rows: Sequence[Mapping[str, Any]], key: str) -> Mapping[str, Any] | None:
    """The row ranked best by ``key`` (the first listed among ties)."""
    return min(enumerate(rows), key=lambda p: (p[1][key], p[0]))[1] if rows else None


def _rankings(ctx: Context, st: Stages, p: Mapping[str, Any] | None) -> list[str]:
    """Where the rankings disagree: the first by the case's method and by the compromise across
    methods, and for each whether it is in the package, and why not."""
    t, res = ctx.t, st.results
    ranking, methods = res["ranking"], res["methods"]
    first = _first(ranking["ranking"], "rank")
    compromise = _first(methods["ranks"], "compromise")
    if first is None or compromise is None:
        return []
    tied = [x for x in methods["ranks"] if x["compromise"] == compromise["compromise"]]
    if any(x["id"] == first["id"] for x in tied):  # shared first place: the two agree
        compromise = first
    name = lambda x: ctx.measures.get(x["id"], x["name"])
    if first["id"] == compromise["id"]:
        out = [t["summary_rank_same"].format(method=ranking["label"], measure=name(first))]
        shown = [first]
    else:
        out = [
            t["summary_rank_differ"].format(
                method=ranking["label"], first=name(first), compromise=name(compromise)
            )
        ]
        shown = [first, compromise]
    if p is None:
        return out
    left = {x["id"]: x for x in (p.get("explanations") or {}).get("not_selected", [])}
    for x in shown:
        if x["id"] in p["selected"]:
            out.append(t["summary_in_package"].format(measure=name(x)))
        elif why := reasons_text(ctx, left.get(x["id"], {})):
            out.append(t["summary_not_in_package"].format(measure=name(x), why=why))
        else:
            out.append(t["summary_not_in_package_plain"].format(measure=name(x)))
    return out
