"""The report's section on the online participation, when the case has a vote (its ``votes/``
folder: Pabulib ``.pb`` files, platform exports, plain ballot tables).

:func:`participation_stage` counts it once, as ``lev2040 vote CASE`` does
(:func:`lev2040_mcda.participation.vote_summary`: the Method of Equal Shares with the add-one
completion of equalshares.net, or greedy by votes when a vote carries only totals), and sets the
vote's selection beside the report's own portfolio (the one the portfolio section shows: the
same weights, scenario, value and solver, with its explanations), so that the section and the
portfolio section never disagree on what the analysis selects. :func:`participation_view` makes
the page's view, :func:`participation_rows` the workbook's sheet. Without a vote there is no
stage, no section and a one-line sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..case import VOTES_FOLDER, Case
from .context import Context, reasons_text

__all__ = ["MARKS", "has_votes", "participation_stage", "participation_view", "participation_rows"]

"""The folder of a case that holds its vote (``lev2040_mcda.case.load_votes`` reads it)."""
MARKS = {True: "✓", False: "–"}
"""How the page marks a measure the vote (or the analysis) selects, or not."""
COMPLETION = "add1u"
"""MES completed as equalshares.net does (raise the voters' shares while the outcome fits, then
fill by votes): the rule and completion ``lev2040 vote`` uses by default."""

_RULES = {"mes": "participation_rule_mes", "greedy": "participation_rule_greedy"}
"""The rule the report counts with -> the i18n key of its one-sentence explanation."""
_IN = {
    "both": "participation_in_both",
    "vote": "participation_in_vote",
    "analysis": "participation_in_analysis",
}
"""Where a measure of the side-by-side table is -> the i18n key of its label."""


def has_votes(case: Case) -> bool:
    """Whether ``case`` has a vote to count (a ``votes/`` folder)."""
    return (Path(case.root) / VOTES_FOLDER).is_dir()


def participation_stage(
    case: Case, common: Mapping[str, Any], portfolio: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, str | None, str | None, dict[str, str]]:
    """The participation section's numbers: ``(result, note, detail, inputs)``.

    ``result`` is :func:`lev2040_mcda.participation.vote_summary`'s (without its own portfolio)
    with ``comparison`` against ``portfolio``, the report's portfolio stage (``None`` when it is
    infeasible: then there is no comparison and ``skipped`` says why); ``common`` the report's
    portfolio settings (the weights and scenario the measures' values are taken in). ``note`` is
    the i18n key of why the vote could not be counted, ``detail`` the engine's reason; ``inputs``
    the vote files read (path -> sha256), for the provenance.
    """
    from ..case import load_votes
    from ..errors import InputErrors
    from ..participation import RuleError, compare_with_portfolio, rules_for, vote_hashes, vote_summary

    try:
        votes = load_votes(case.root, case=case)
    except InputErrors as exc:
        return None, "participation_unreadable", str(exc), dict(exc.inputs)
    inputs = vote_hashes(votes)
    rule = "mes" if all("mes" in rules_for(v) for v in votes) else "greedy"
    try:
        result = vote_summary(votes, case, rule=rule, completion=COMPLETION, compare=False)
    except RuleError as exc:
        return None, "participation_uncounted", str(exc), inputs
    if portfolio is None:
        result["skipped"] = {"comparison": "no feasible portfolio"}
        return result, None, None, inputs
    from ..portfolio import measure_values

    values, _ = measure_values(case, common.get("scenario"), common["weights"])
    result["comparison"] = compare_with_portfolio(
        case, result, dict(portfolio), values={m.id: float(v) for m, v in zip(case.measures, values)}
    )
    analysis = set(portfolio["selected"])
    for row in result["measures"]:
        row["in_analysis"] = row["id"] in analysis
    return result, None, None, inputs


def _label(row: Mapping[str, Any], several: bool) -> str:
    """A project's name on the page (with its vote's when the case has several votes)."""
    name = row["name"] or row["id"]
    return f"{name} ({row['vote']})" if several else name


def participation_view(ctx: Context, st) -> dict[str, Any] | None:
    """The page's view of the participation section: ``None`` when the case has no vote (then
    the page has no such section); ``{}`` with the stage's note when it could not be counted."""
    r = st.results.get("participation")
    if r is None:
        return {} if "participation" in st.notes else None
    from .figures import support_chart

    t = ctx.t
    several = len(r["votes"]) > 1
    rows = [{**x, "label": _label(x, several)} for x in r["measures"]]
    chart = support_chart(rows, t, ctx.lang)
    c = r.get("comparison")
    unit = None
    if c and c.get("resource") in ctx.case.resources:
        unit = ctx.case.resources[c["resource"]].unit
    order = {"both": 0, "vote": 1, "analysis": 2}
    side = []
    # both, only the vote, only the analysis; the most supported first within each
    for x in sorted(c["rows"] if c else [], key=lambda x: (order[x["in"]], -(x["support"] or 0.0), x["id"])):
        side.append(
            {
                "name": x["name"],
                "where": t[_IN[x["in"]]],
                "support": ctx.pct(x["support"]),
                "value": ctx.num(x["value"], 3),
                "cost": ctx.num(x["cost"], 1),
                "why": reasons_text(ctx, x) if x["in"] == "vote" else "",
            }
        )
    return {
        "r": r,
        "rule": t[_RULES[r["rule"]]],
        "votes": [
            {
                "name": v["name"],
                "source": v["source"],
                "ballots": v["ballots"],
                "rejected": v["rejected"],
                "budget": ctx.num(v["budget"], 1),
                "cost": ctx.num(v["outcome"]["cost"], 1),
                "selected": len(v["outcome"]["selected"]),
            }
            for v in r["votes"]
        ],
        "chart": chart,  # page.py marks it safe
        "support": [
            {
                "name": x["label"],
                "approvals": ctx.num(int(x["approvals"])),
                "share": ctx.pct(x["share"]),
                "interval": f"{ctx.pct(x['share_low'])} – {ctx.pct(x['share_high'])}"
                if x["share"] is not None
                else "–",
                "vote": MARKS[bool(x["in_vote"])],
                "analysis": MARKS[bool(x["in_analysis"])],
            }
            for x in rows
        ],
        "compared": c is not None,
        "counts": {k: len(c[k]) for k in ("both", "only_vote", "only_analysis")} if c else {},
        "resource": ctx.resource_label(c["resource"]) if c and c.get("resource") else None,
        "unit": unit,
        "side": side,
        "districts": [
            {
                "name": d["name"],
                "voters": ctx.num(d["voters"]),
                "voter_share": ctx.pct(d["voter_share"]),
                "population_share": ctx.pct(d["population_share"]),
                "vote_share": ctx.pct(d.get("vote_share")),
                "analysis_share": ctx.pct(d.get("analysis_share")),
            }
            for d in (c["districts"] if c else [])
        ],
    }


def participation_rows(ctx: Context, st) -> tuple[list[str], list[list[Any]], tuple[int, ...]]:
    """The workbook's participation sheet: the side-by-side table (a row per measure the vote or
    the analysis selects: where it is, its support, value and cost, and for what only the vote
    chose the analysis's reasons), a blank row, and the district shares (voters, population, the
    vote's and the analysis's share of the budget). Returns the header, the rows and the row
    number (1-based, in the sheet) of the district table's header, to be bold; a one-line note
    without a vote or a comparison."""
    t = ctx.t
    r = st.results.get("participation")
    c = (r or {}).get("comparison")
    if c is None:
        if r is not None:
            why = t["participation_no_portfolio"]
        else:
            why = t[st.notes.get("participation", "participation_none")]
        detail = [[st.details["participation"]]] if r is None and "participation" in st.details else []
        return [t["note"]], [[why], *detail], ()
    header = [
        "id",
        t["measure"],
        t["participation_where"],
        t["participation_support"],
        t["value"],
        ctx.resource_label(c["resource"]) if c.get("resource") else t["resource"],
        t["participation_why_not"],
    ]
    rows: list[list[Any]] = []
    for x in c["rows"]:
        why = reasons_text(ctx, x) if x["in"] == "vote" else ""
        rows.append([x["id"], x["name"], t[_IN[x["in"]]], x["support"], x["value"], x["cost"], why or None])
    rows.append([])
    at = len(rows) + 2  # the header is row 1
    rows.append(
        [
            "id",
            t["district"],
            t["participation_voters"],
            t["participation_voter_share"],
            t["participation_population_share"],
            t["participation_vote_share"],
            t["participation_analysis_share"],
        ]
    )
    for d in c["districts"]:
        rows.append(
            [
                d["district"],
                d["name"],
                d["voters"],
                d["voter_share"],
                d["population_share"],
                d.get("vote_share"),
                d.get("analysis_share"),
            ]
        )
    return header, rows, (at,)
