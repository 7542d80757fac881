"""Two of the workbook's sheets, kept apart from :mod:`.workbook` to keep each module small:
what the package delivers per criterion, and every measure per scenario (robustness)."""

from __future__ import annotations

from typing import Any

from .context import Context
from .stages import Stages
from .summary import delivers_rows as summary_rows

__all__ = ["delivers_rows", "robustness_rows"]


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
