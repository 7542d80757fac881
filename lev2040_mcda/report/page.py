"""The report page: every stage of a case on one self-contained HTML page (inline CSS and SVG, no
JavaScript, nothing fetched).

The page is made from Jinja2 templates beside this module: ``templates/page.html`` (the document),
one template per section (``templates/<section>.html``), the pieces they share
(``templates/macros.html``) and the style sheet (``templates/page.css``). Escaping is the
templates' default: every value is put on the page as it is and escaped there; the only markup
made in Python are the SVG figures of :mod:`lev2040_mcda.report.figures`, marked safe in
:func:`_svg`. The functions here make each section's *view*: the stage's result and what a
template cannot do itself — look names up in tables made from the case, sort, draw the figures.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..case import Case
from .cib import cib_view
from .context import Context, reasons_text, report_language
from .equity import equity_view, runs_spread, vote_spread
from .runs import RUNS, runs_view
from .stadtcheck import has_stadtcheck, stadtcheck_view
from .stages import Progress, Stages
from .summary import summary_view
from .templating import html_environment
from .votes import has_votes, participation_view
from .whatif import provenance_what_if, what_if_sentence

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

__all__ = [
    "SECTIONS",
    "CIB_SECTION",
    "PARTICIPATION_SECTION",
    "STADTCHECK_SECTION",
    "render_page",
    "page_sections",
]

SECTIONS = ("summary", "overview", "weights", "conflicts", "ranking", "portfolio", "robustness", "provenance")
"""The ``id`` of every section of every page, in order."""
CIB_SECTION = "cib"
"""The ``id`` of the section on the scenarios built by cross-impact balance: after
``robustness``, and only on the page of a case with a CIB model (descriptors.yaml)."""
PARTICIPATION_SECTION = "participation"
"""The ``id`` of the section on the online participation's vote: after the CIB section (or
``robustness``), and only on the page of a case with a vote (a ``votes/`` folder)."""

STADTCHECK_SECTION = "stadtcheck"
"""The ``id`` of the Stadtcheck's section (the districts' indicators and need): right after the
summary, and only on the page of a case with a Stadtcheck (stadtcheck.csv)."""

TOP = 15  # rows of a long table shown on the page; the workbook has all


def _proven(ctx: Context, value: float | None, interval: list | None) -> str:
    """An explanation's number, or the proven interval where the proof was not finished
    (``0,031–0,045 (nicht bewiesen)``; ``mindestens 0,031`` without an upper end)."""
    if value is not None or not interval:
        return ctx.num(value, 3)
    lo, hi = interval
    if hi is None:
        return f"{ctx.t['at_least']} {ctx.num(lo, 3)} ({ctx.t['not_proven']})"
    return f"{ctx.num(lo, 3)}–{ctx.num(hi, 3)} ({ctx.t['not_proven']})"


def render_page(case: Case, stages: Stages, lang: str | None = None, progress: Progress | None = None) -> str:
    """The report page as one HTML document (inline CSS and SVG, no script, nothing fetched)."""
    lang = report_language(case, lang)
    ctx = Context.of(case, lang)
    step = progress or (lambda _name: None)
    step("figures")
    views = {  # in the order of the page: the figures are drawn in it
        "summary": summary_view(ctx, stages),
        "overview": _overview_view(ctx, stages.results["summary"]),
        "weights": _weights_view(ctx, stages.results["weights"]),
        "conflicts": _conflicts_view(ctx, stages.results["conflicts"]),
        "ranking": _ranking_view(ctx, stages),
        "portfolio": _portfolio_view(ctx, stages),
        "robustness": _robustness_view(ctx, stages),
        "provenance": _provenance_view(ctx, stages),
    }
    cib = cib_view(ctx, stages)
    if cib is not None:
        views[CIB_SECTION] = {**cib, "chart": _svg(cib["chart"])} if cib else cib
    stadtcheck = stadtcheck_view(ctx, stages)
    if stadtcheck is not None:
        maps = [{**m, "svg": _svg(m["svg"])} for m in stadtcheck["goal_maps"]]
        views[STADTCHECK_SECTION] = {**_figures(stadtcheck, "need_map"), "goal_maps": maps}
    equity = equity_view(ctx, stages)
    if equity is not None:
        views["portfolio"] = {**views["portfolio"], "equity": _figures(equity, "chart")}
    votes = participation_view(ctx, stages)
    if votes is not None:
        views[PARTICIPATION_SECTION] = (
            {**votes, "chart": _svg(votes["chart"]), "spread": vote_spread(ctx, stages)} if votes else votes
        )
    if RUNS in stages.results:  # saved runs side by side (lev2040 runs report)
        compared = runs_view(ctx, stages.results[RUNS])
        compared["districts"] = [*compared["districts"], *runs_spread(ctx, stages.results[RUNS])]
        views["portfolio"] = {**views["portfolio"], "runs": compared}
    return (
        _environment()
        .get_template("page.html")
        .render(
            t=ctx.t,
            lang=lang,
            ctx=ctx,
            num=ctx.num,
            pct=ctx.pct,
            names=ctx.names,
            yes=ctx.yes,
            label=ctx.resource_label,
            notes=stages.notes,
            details=stages.details,
            TOP=TOP,
            title=case.config.title or case.name,
            whatif=what_if_sentence(ctx, stages.parameters),
            views=views,
        )
    )


def page_sections(case: Case) -> list[str]:
    """The ``id`` of every section of ``case``'s page, in order (:data:`SECTIONS`;
    :data:`CIB_SECTION` after ``robustness`` when the case has a CIB model, then
    :data:`PARTICIPATION_SECTION` when it has a vote; :data:`STADTCHECK_SECTION` after the summary
    when it has a Stadtcheck)."""
    extra = [CIB_SECTION] if getattr(case, "cib", None) is not None else []
    if has_votes(case):
        extra.append(PARTICIPATION_SECTION)
    at = SECTIONS.index("robustness") + 1
    first = [SECTIONS[0], STADTCHECK_SECTION] if has_stadtcheck(case) else [SECTIONS[0]]
    return [*first, *SECTIONS[1:at], *extra, *SECTIONS[at:]]


@functools.cache
def _environment() -> jinja2.Environment:
    """The report's templates, loaded from the package (they ship as package data), compiled once."""
    return html_environment(__package__)


def _figures(view: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``view`` with its figures (an SVG or None under each of ``keys``) marked safe."""
    return {**view, **{k: None if view.get(k) is None else _svg(view[k]) for k in keys}}


def _svg(svg: str) -> Markup:
    """A figure of :mod:`.figures`: made here, safe; the one kind of value the page does not escape
    (its text is escaped where the figure is drawn)."""
    from markupsafe import Markup

    return Markup(svg)


# -- the sections' views -----------------------------------------------------------------------


def _overview_view(ctx: Context, s: dict[str, Any]) -> dict[str, Any]:
    from .figures import glance_chart

    labels = {r["id"]: ctx.resource_label(r["id"]) for r in s.get("resources") or []}
    districts = {d["id"]: d["name"] if d["id"] is not None else ctx.t["none"] for d in s["districts"]}
    return {
        "s": s,
        "chart": _svg(glance_chart(s, ctx.t, ctx.lang, labels, districts)),
        "description": ctx.case.config.description,
        "topics": {tp.id: tp.name for tp in ctx.case.config.topics},
        "criteria": {c["id"]: c["name"] for c in s["criteria"]},
    }


def _weights_view(ctx: Context, w: dict[str, Any]) -> dict[str, Any]:
    from .figures import weights_chart

    return {
        "w": w,
        "chart": _svg(weights_chart(w, ctx.t, ctx.lang)),
        "criteria": {c["id"]: c["name"] for c in w["criteria"]},
        "spread": {x["criterion"]: x for x in w["consensus"]["spread"]},
        "by_weight": sorted(w["criteria"], key=lambda c: -c["weight"]),
    }


def _conflicts_view(ctx: Context, c: dict[str, Any]) -> dict[str, Any]:
    from ..conflicts import build_graph
    from .figures import conflict_network

    graph = build_graph(ctx.case)
    return {
        "c": c,
        "chart": _svg(conflict_network(graph, c["weights"]["goals"], ctx.t, c["options"]["seed"])),
        "top": [(k, [(k.get(f"highest_{x}") or {}).get("name") for x in "ab"]) for k in c["conflicts"][:8]],
        "exposed": [m for m in c["measures"] if m["exposure"] > 0][:10],
        "severity": sum(k["severity"] for k in c["conflicts"]) or 1.0,
    }


def _ranking_view(ctx: Context, st: Stages) -> dict[str, Any]:
    from .figures import acceptability_heatmap, method_ranks_heatmap

    m, g, s = st.results["methods"], st.results["by_group"], st.results["sensitivity"]
    methods = m["correlation"]["methods"]
    return {
        "r": st.results["ranking"],
        "m": m,
        "g": g,
        "s": s,
        "common": [ctx.measures.get(i, i) for i in g["consensus_measures"]] if g["groups"] else [],
        "methods": [m["methods"][n]["label"] for n in methods],
        "ranks": [(x, [x["ranks"][n] for n in methods]) for x in m["ranks"][:TOP]],
        "not_applicable": _method_labels(m["not_applicable"]),
        "chart": _svg(acceptability_heatmap(s, ctx.t, ctx.lang)),
        "methods_chart": _svg(method_ranks_heatmap(m, ctx.t)),
        "estimates": _estimates(ctx, s),
        "drivers_chart": _drivers_chart(ctx, s),
    }


def _estimates(ctx: Context, result: dict[str, Any]) -> dict[str, str] | None:
    """How many uncertain estimates a sampling stage (sensitivity, robust) drew and from which
    file, as a sentence's fields; ``None`` when its estimates were exact (the page then reads as
    for a case without uncertainty.csv)."""
    est = result.get("estimates") or {}
    if est.get("mode") != "uncertain":
        return None
    return {"cells": ctx.num(int(est.get("cells") or 0)), "source": est.get("source") or "uncertainty.csv"}


def _drivers_chart(ctx: Context, s: dict[str, Any], top: int = 3) -> Markup | None:
    """The tornado chart of what drives the first ``top`` measures' ranks, when the estimates
    were sampled and one of them has a rank that varies at all."""
    from .figures import drivers_chart

    drivers = s.get("drivers") or []
    if _estimates(ctx, s) is None or not any(
        v > 0 for d in drivers[:top] for v in (d.get("shares") or {}).values()
    ):
        return None
    names = {c.id: c.name for c in ctx.case.criteria}
    share = lambda x: ctx.pct(x, 0 if x >= 0.095 else 1)  # a small share is not said as 0 %
    return _svg(drivers_chart(drivers, ctx.t, ctx.lang, names, share, top=top))


def _budget_risk(ctx: Context, risk: dict[str, dict] | None) -> list[dict[str, str]]:
    """Each resource of a budget-risk result (:func:`lev2040_mcda.portfolio.budget_risk`) as the
    page shows it: its numbers written the report's way and a sentence for the council ("Mit 83 %
    Wahrscheinlichkeit bleibt das Paket innerhalb der Obergrenze von 300 EUR m (Investitionen).").
    A share of 0 or 1 is said as "in none / all of the n samples", one that would round to 0 % or
    100 % as "under 1 %" / "over 99 %": samples never prove certainty."""
    t, rows = ctx.t, []
    for rid, x in (risk or {}).items():
        p, fields = float(x["probability_within"]), {"limit": _amount(ctx, rid, x["limit"])}
        fields["resource"] = ctx.resources.get(rid, rid)
        if p in (0.0, 1.0):
            said = t["budget_risk_all" if p else "budget_risk_none"].format(
                samples=ctx.num(x["samples"]), **fields
            )
        else:
            whole = round(100 * p)  # as the page writes it: never 0 % or 100 % for a share in between
            chance = t["chance_over"] if whole >= 100 else t["chance_under"] if whole <= 0 else ctx.pct(p, 0)
            said = t["budget_risk_sentence"].format(probability=chance, **fields)
        q = {k: _amount(ctx, rid, x[k]) for k in ("nominal", "p90", "p95")}
        rows.append(
            {"label": ctx.resource_label(rid), "said": said + " " + t["budget_risk_spread"].format(**q)}
            | {k: ctx.num(x[k], 1) for k in ("limit", "nominal", "mean", "p90", "p95")}
            | {"within": ctx.pct(p)}
        )
    return rows


def _robust_budget(ctx: Context, pf: dict[str, Any]) -> list[str]:
    """The portfolio's robust budget (``--budget-confidence``: Bertsimas and Sim's reserve for up
    to ``gamma`` overruns at once) as sentences, one per resource it protects."""
    rb = pf.get("robust_budget") or []
    said = []
    for x in [rb] if isinstance(rb, dict) else rb:
        fields = {
            "resource": ctx.resources.get(x["resource"], x["resource"]),
            "limit": _amount(ctx, x["resource"], x["nominal_limit"]),
            "confidence": ctx.pct(x["confidence"], 0),
            "achieved": ctx.pct(x["achieved"]),
            "gamma": ctx.amount(x["gamma"]),
        }
        text = ctx.t["robust_budget_sentence" if x["gamma"] else "robust_budget_no_reserve"].format(**fields)
        if x["gamma"] and x.get("value_cost") is not None:
            text += " " + ctx.t["robust_budget_cost"].format(value_cost=ctx.num(x["value_cost"]))
        said.append(text)
    return said


def _amount(ctx: Context, rid: str, x: Any) -> str:
    """An amount of resource ``rid`` with its unit (``702 EUR m``)."""
    unit = ctx.case.resources[rid].unit if rid in ctx.case.resources else None
    return ctx.amount(x) + (f" {unit}" if unit and x is not None else "")


def _method_labels(names: Sequence[str]) -> list[str]:
    if not names:
        return []
    from ..ranking import METHODS

    return [METHODS[n].label for n in names]


def _portfolio_view(ctx: Context, st: Stages) -> dict[str, Any]:
    if "portfolio" in st.notes:
        return {}
    from .figures import frontier_chart

    p = st.results["portfolio"]
    explain = p.get("explanations", {})
    loss = {x["id"]: x for x in explain.get("selected", [])}
    district = {m.id: m.district for m in ctx.case.measures}
    periods = {q.id: q.title or q.id for q in ctx.case.config.periods}
    selected = []
    for x in sorted(p["measures"], key=lambda x: (x.get("tier") or 0, -x["value"], x["id"])):
        e, where = loss.get(x["id"], {}), district.get(x["id"])
        selected.append(
            {
                "name": x["name"],
                "district": ctx.districts.get(where, where or "–"),
                "value": x["value"],
                "tier": x.get("tier", "–"),
                "start": periods.get(x.get("start"), x.get("start") or "–"),
                "loss": _proven(ctx, e.get("loss_if_removed"), e.get("loss_interval")),
                "note": reasons_text(ctx, e),
            }
        )
    left = sorted(
        explain.get("not_selected", []),
        key=lambda x: (x["opportunity_cost"] is None, x["opportunity_cost"] or 0, x["id"]),
    )
    view = {
        "pf": p,
        "method": st.results["ranking"]["label"],
        "selected": selected,
        "has_start": any("start" in x for x in p["measures"]),
        "left": [
            {
                "name": ctx.measures.get(x["id"], x["id"]),
                "cost": _proven(ctx, x["opportunity_cost"], x.get("cost_interval")),
                "note": reasons_text(ctx, x),
            }
            for x in left
        ],
        "f": None,
        "budget_risk": _budget_risk(ctx, p.get("budget_risk")),
        "robust_budget": _robust_budget(ctx, p),
    }
    if "frontier" in st.results:
        f = st.results["frontier"]
        label = ctx.resource_label(f["resource"])
        used = p["resources"].get(f["resource"], {})
        level = used.get("limit") if used.get("limit") is not None else used.get("used")
        point = (level, p["objective"]) if level is not None else None
        view.update(
            f=f,
            resource=ctx.resources.get(f["resource"], f["resource"]),
            label=label,
            chart=_svg(frontier_chart(f, point, ctx.t, ctx.lang, label)),
        )
    return view


def _robustness_view(ctx: Context, st: Stages) -> dict[str, Any]:
    if "robustness" in st.notes:
        return {}
    from .figures import inclusion_heatmap

    t, r = ctx.t, st.results["robustness"]
    sc = list(r["scenarios"])
    # every id that is not one of the case's scenarios is the robust stage's baseline column
    title = {s: ctx.scenarios.get(s) or t["baseline"] for s in sc}
    reg = r["regret"]
    proposed = (st.results.get("portfolio") or {}).get("selected")
    versus = {
        key: _versus(ctx, r[key]["selected"], proposed)
        for key, field in (("maxmin", "worst"), ("minmax_regret", "max_regret"))
        if r[key].get(field) is not None
    }
    groups = r.get("groups") or {}
    fair = groups if groups.get("satisfaction") and groups.get("compromise") else None
    if fair:
        versus["fair"] = _versus(ctx, fair["compromise"]["selected"], proposed)
    return {
        "r": r,
        "chart": _svg(inclusion_heatmap(r["inclusion"], sc, title, t)),
        "scenarios": sc,
        "title": title,
        "regret_columns": [title.get(s, s) for s in reg["scenarios"]],
        "regret": [
            (title.get(s, s), [ctx.num(v) for v in row]) for s, row in zip(reg["scenarios"], reg["regret"])
        ],
        "versus": versus,
        "fair": fair,
        "core": sorted(r.get("core_index") or [], key=lambda x: (-x["core_index"], x["id"])),
        "estimates": _estimates(ctx, r),
        "budget_risk": _budget_risk(ctx, r.get("budget")),
    }


def _versus(ctx: Context, selected: Sequence[str], proposed: Sequence[str] | None) -> str:
    """A portfolio described by how it differs from the proposed one (or listed in full)."""
    if proposed is None:
        return ctx.names(selected, limit=40)
    added = [i for i in selected if i not in set(proposed)]
    dropped = [i for i in proposed if i not in set(selected)]
    if not added and not dropped:
        return ctx.t["same_as_proposed"]
    return ctx.t["versus_proposed"].format(
        added=ctx.names(added, limit=8), dropped=ctx.names(dropped, limit=8)
    )


def _provenance_view(ctx: Context, st: Stages) -> dict[str, Any]:
    p = st.parameters
    weights, what_if = provenance_what_if(ctx, p)
    return {
        "p": p,
        "version": __version__,
        "method": st.results["ranking"]["label"],
        "scenario": ctx.scenarios.get(p["scenario"], p["scenario"]) if p["scenario"] else None,
        "weights": weights,
        "what_if": what_if,
        # the case's files, the vote's when it was counted, a weights file of the what-if's
        "inputs": sorted({**ctx.case.inputs, **_stage_inputs(st)}.items()),
    }


def _stage_inputs(st: Stages) -> dict[str, str]:
    """The files the stages read beyond the case's (path -> sha256): the vote's, a weights file
    (not the saved runs': each names its own)."""
    stages = (prov for name, prov in st.provenance.items() if name != RUNS)
    return {path: x["sha256"] for prov in stages for path, x in prov.get("inputs", {}).items()}
