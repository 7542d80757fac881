"""Some of the workbook's sheets, kept apart from :mod:`.workbook` to keep each module small:
what the package delivers per criterion, every measure per scenario (robustness), what drives
each measure's rank, and the budget risk under uncertain estimates."""

from __future__ import annotations

from typing import Any

from .context import Context
from .stages import Stages
from .summary import delivers_rows as summary_rows

__all__ = ["budget_rows", "delivers_rows", "drivers_rows", "robustness_rows"]


def delivers_rows(ctx: Context, st: Stages) -> tuple[list[str], list[list[Any]]]:
    """What the package delivers in each criterion's own unit, against all candidates (the
    portfolio stage's ``delivers``, as the summary shows it)."""
    t = ctx.t
    header = [
        "id",
        t["criterion"],
        t["unit"],
        t["direction"],
        t["goal"],
        t["weight"],
        t["delivers_package"],
        t["delivers_all"],
        t["delivers_share"],
    ]
    p = st.results.get("portfolio") or {}
    weights = st.results["ranking"].get("weights") or {}
    rows = [
        [
            r["id"],
            r["name"],
            r["unit"],
            t[f"dir_{r['direction']}"] if r["direction"] in ("benefit", "cost") else None,
            r["goal"],
            r["weight"],
            r["selected"],
            r["all"],
            r["share"],
        ]
        for r in summary_rows(ctx, p.get("delivers") or {}, weights)
    ]
    return header, rows


def robustness_rows(ctx: Context, st: Stages) -> tuple[list[str], list[list[Any]]]:
    t = ctx.t
    r = st.results.get("robustness")
    if r is None:
        return [t["note"]], [
            [t[st.notes.get("robustness", "robust_missing")]],
            *([[st.details["robustness"]]] if "robustness" in st.details else []),
        ]
    sc = list(r["scenarios"])
    # every id that is not one of the case's scenarios is the robust stage's baseline column
    title = {s: ctx.scenarios.get(s) or t["baseline"] for s in sc}
    core = {x["id"]: x for x in r.get("core_index", [])}
    sets = {
        **dict.fromkeys(r["core"], t["set_core"]),
        **dict.fromkeys(r["contested"], t["set_contested"]),
        **dict.fromkeys(r["never"], t["set_never"]),
    }

    def klass(code: str | None) -> str | None:
        return None if code is None else t.get(f"class_{code}", code)

    return (
        [
            "id",
            t["measure"],
            *[title[s] for s in sc],
            t["chosen_in"],
            t["robust_set"],
            t["core_index"],
            t["class"],
        ],
        [
            [
                x["id"],
                x["name"],
                *[bool(x["scenarios"].get(s)) for s in sc],
                x["count"],
                sets.get(x["id"]),
                core.get(x["id"], {}).get("core_index"),
                klass(core.get(x["id"], {}).get("class")),
            ]
            for x in r["inclusion"]
        ],
    )


def drivers_rows(ctx: Context, st: Stages) -> tuple[list[str], list[list[Any]]]:
    """What drives each measure's rank (the sensitivity stage's ``drivers``): its rank variance
    and the share of it from the weights and from each criterion's estimates (criteria in the
    case's order; empty where a criterion's estimates do not move that measure). A note when the
    estimates were not sampled."""
    t, s = ctx.t, st.results["sensitivity"]
    drivers = s.get("drivers") or []
    if (s.get("estimates") or {}).get("mode") != "uncertain" or not drivers:
        return [t["note"]], [[t["drivers_none"]]]
    seen = {k for d in drivers for k in d.get("shares") or {}} - {"weights"}
    criteria = [c for c in ctx.case.criteria if c.id in seen]
    others = sorted(seen - {c.id for c in criteria})  # a source the case does not name
    keys = ["weights", *[c.id for c in criteria], *others]
    header = [
        "id",
        t["measure"],
        t["rank_variance"],
        t["drivers_weights"],
        *[c.name for c in criteria],
        *others,
    ]
    rows = [
        [d["id"], d["name"], d["rank_variance"], *[(d.get("shares") or {}).get(k) for k in keys]]
        for d in drivers
    ]
    return header, rows


def budget_rows(ctx: Context, st: Stages) -> tuple[list[str], list[list[Any]], tuple[int, ...]]:
    """The budget risk of the proposed package (the portfolio stage's ``budget_risk``) and of the
    robustness stage's baseline package (its ``budget``), a row per limited resource; then, when
    the portfolio has a robust budget, its table (a blank row, then the header, to be bold).
    Returns the header, the rows and the bold rows (1-based); a note when there is no risk."""
    t, res = ctx.t, st.results
    header = [
        t["budget_package"],
        "id",
        t["resource"],
        t["limit"],
        t["budget_nominal"],
        t["budget_within"],
        t["budget_mean"],
        t["budget_p50"],
        t["budget_p90"],
        t["budget_p95"],
        t["budget_samples"],
        t["param_seed"],
    ]
    pf = res.get("portfolio") or {}
    risks = (
        (t["budget_of_portfolio"], pf.get("budget_risk")),
        (t["budget_of_baseline"], (res.get("robustness") or {}).get("budget")),
    )
    rows: list[list[Any]] = [
        [package, rid, ctx.resource_label(rid)]
        + [
            x.get(k)
            for k in (
                "limit",
                "nominal",
                "probability_within",
                "mean",
                "p50",
                "p90",
                "p95",
                "samples",
                "seed",
            )
        ]
        for package, risk in risks
        for rid, x in (risk or {}).items()
    ]
    rb = pf.get("robust_budget") or []
    entries = [rb] if isinstance(rb, dict) else list(rb)
    if not rows and not entries:
        return [t["note"]], [[t["budget_none"]]], ()
    bold: tuple[int, ...] = ()
    if entries:
        rows.append([])
        bold = (len(rows) + 2,)  # the header is row 1
        rows.append(
            [
                "id",
                t["resource"],
                t["budget_confidence"],
                t["budget_gamma"],
                t["budget_achieved"],
                t["limit"],
                t["budget_value_cost"],
                t["budget_samples"],
                t["param_seed"],
            ]
        )
        rows += [
            [x["resource"], ctx.resource_label(x["resource"])]
            + [
                x.get(k)
                for k in ("confidence", "gamma", "achieved", "nominal_limit", "value_cost", "samples", "seed")
            ]
            for x in entries
        ]
    return header, rows, bold
