"""The report: every stage of a case on one self-contained HTML page, in a workbook and as JSON.

``build_report`` runs the stages (the same library calls the CLI commands make), renders the page
(inline SVG figures from :mod:`lev2040_mcda.report.figures`, labels from :mod:`lev2040_mcda.report.i18n`, no
JavaScript, nothing fetched), the workbook (one sheet per table) and one JSON file per stage with
its provenance. Everything is computed in memory first and then written file by file atomically,
``index.html`` last: a failed run leaves no new file behind and never half a file.

All text that comes from input files is escaped (``html.escape`` on the page,
:func:`lev2040_mcda.output.escape_cell` in the workbook).
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..case import Case
from ..errors import display_path
from ..output import escape_cell, provenance, write_atomic
from .i18n import texts

__all__ = [
    "SECTIONS",
    "SHEETS",
    "Stages",
    "compute_stages",
    "render_page",
    "render_workbook",
    "write_report",
    "build_report",
    "report_language",
    "sheet_names",
]

SECTIONS = ("overview", "weights", "conflicts", "ranking", "portfolio", "robustness", "provenance")
"""The ``id`` of every section of the page, in order."""

SHEETS = (
    "overview",
    "weights",
    "consensus",
    "groups",
    "ranking",
    "methods",
    "acceptability",
    "conflicts",
    "portfolio",
    "frontier",
    "robustness",
    "rejected",
    "provenance",
)
"""The id of every sheet of results.xlsx, in order. The sheet's name is in the report's language
(:func:`sheet_names`); programs that need stable names read the JSON files instead."""

TOP = 15  # rows of a long table shown on the page; the workbook has all

Progress = Callable[[str], None]


@dataclass
class Stages:
    """Every stage's JSON-ready result and provenance, and why a stage is missing.

    ``notes`` maps a missing stage to the i18n key of the reason; ``details`` to the engine's
    own explanation, when there is one (why no portfolio is feasible).
    """

    results: dict[str, dict[str, Any]]
    provenance: dict[str, dict[str, Any]]
    parameters: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)


def report_language(case: Case, lang: str | None = None) -> str:
    """``lang``, else the case's ``language`` (case.yaml), else English."""
    lang = lang or getattr(case.config, "language", None) or "en"
    texts(lang)  # raises ValueError for an unknown language
    return lang


def sheet_names(lang: str) -> dict[str, str]:
    """Each sheet id of :data:`SHEETS` -> its name in the workbook of language ``lang``.

    >>> sheet_names("de")["ranking"], sheet_names("en")["ranking"]
    ('Rangfolge', 'ranking')
    """
    t = texts(lang)
    return {sheet: t[f"sheet_{sheet}"] for sheet in SHEETS}


# -- stages ------------------------------------------------------------------------------------


def compute_stages(
    case: Case,
    *,
    scenario: str | None = None,
    method: str | None = None,
    solver: str | None = None,
    samples: int = 10_000,
    seed: int | None = None,
    steps: int = 10,
    robust_samples: int = 50,
    progress: Progress | None = None,
) -> Stages:
    """Run every stage the report shows, as the CLI commands do, with the consensus weights.

    ``scenario`` applies to the ranking, sensitivity, portfolio and frontier; the robustness
    stage compares all scenarios. An infeasible portfolio does not stop the report: the portfolio
    and frontier (or the robustness stage) are then missing, with the reasons in ``details``.
    """
    from ..conflicts import analyse_conflicts
    from ..portfolio import InfeasiblePortfolio, frontier_summary, portfolio_summary
    from ..ranking import (
        METHODS,
        compare_methods,
        decision_matrix,
        rank_by_group,
        rank_case,
        resolve_weights,
        sensitivity_summary,
    )
    from ..weights import summarize_case, weights_summary

    step = progress or (lambda _name: None)
    defaults = case.config.defaults
    method = method or (defaults.method if defaults.method in METHODS else "topsis")
    solver = solver or defaults.solver
    seed = defaults.seed if seed is None else seed
    resource = next(iter(case.resources), None)
    base = {"case": display_path(case.root), "scenario": scenario, "weights_from": "consensus"}
    params = {
        **base,
        "method": method,
        "solver": solver,
        "samples": samples,
        "seed": seed,
        "steps": steps,
        "robust_samples": robust_samples,
    }
    results: dict[str, dict[str, Any]] = {}
    prov: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    details: dict[str, str] = {}

    def keep(name: str, result: dict, command: str, extra: dict, **kw: Any) -> None:
        results[name] = result
        prov[name] = provenance(command, {**base, **extra}, case.inputs, **kw)

    step("summary")
    keep("summary", summarize_case(case), "validate", {})
    step("weights")
    keep("weights", weights_summary(case), "weights", {})
    step("ranking")
    dm = decision_matrix(case, scenario)
    w, info = resolve_weights(case, dm, "consensus")
    keep("ranking", rank_case(case, method, {}, w, info, scenario), "rank", {"method": method})
    keep(
        "methods",
        compare_methods(case, w, info, (), scenario),
        "rank",
        {"method": "all", "compromise": "copeland"},
    )
    keep(
        "by_group",
        rank_by_group(case, method, {}, 5, scenario),
        "rank",
        {"method": method, "by_group": True, "top_k": 5},
    )
    step("sensitivity")
    keep(
        "sensitivity",
        sensitivity_summary(case, method, {}, w, info, samples, seed, "dirichlet", scenario=scenario),
        "sensitivity",
        {"method": method, "samples": samples, "sampling": "dirichlet"},
        seed=seed,
    )
    step("conflicts")
    derive = case.config.portfolio.derive_pairs
    keep(
        "conflicts",
        analyse_conflicts(case, seed=seed, derive_pairs=derive),
        "conflicts",
        {"derive_pairs": derive},
        seed=seed,
    )
    common = {
        "method": method,
        "options": {},
        "weights": w,
        "weights_info": info,
        "scenario": scenario,
        "solver": solver,
    }
    try:
        step("portfolio")
        pf = portfolio_summary(case, **common)
        keep(
            "portfolio",
            pf,
            "portfolio",
            {"method": method},
            solver={"name": solver, "status": pf["status"], "gap": pf["gap"]},
        )
        if resource is not None:
            step("frontier")
            keep(
                "frontier",
                frontier_summary(case, resource=resource, steps=steps, **common),
                "frontier",
                {"method": method, "resource": resource, "steps": steps},
                solver={"name": solver},
            )
    except InfeasiblePortfolio as exc:
        notes["portfolio"], details["portfolio"] = "portfolio_infeasible", str(exc)
    step("robustness")
    try:
        robust, why = _robustness(case, method, w, info, robust_samples, seed, solver, step)
    except InfeasiblePortfolio as exc:
        robust, why = None, "robust_infeasible"
        details["robustness"] = str(exc)
    if robust is not None:
        keep(
            "robustness",
            robust,
            "robust",
            {"method": method, "samples": robust_samples},
            seed=seed,
            solver={"name": solver},
        )
    else:
        notes["robustness"] = why
    return Stages(results, prov, params, notes, details)


def _robustness(
    case: Case, method: str, w, info, samples: int, seed: int, solver: str, step: Progress
) -> tuple[dict[str, Any] | None, str]:
    """The robustness stage when this version has it (``lev2040_mcda.robust``) and the case has
    scenarios; else ``None`` and the i18n key of the reason."""
    import inspect

    if not case.scenarios:
        return None, "robust_no_scenarios"
    try:
        from ..robust import robust_summary
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__.rpartition('.')[0]}.robust":
            raise
        return None, "robust_missing"
    kw: dict[str, Any] = {}
    if "progress" in inspect.signature(robust_summary).parameters:
        shown = [-1]

        def tick(done: int, total: int) -> None:  # the long step: report every tenth
            tenth = 10 * done // max(total, 1)
            if tenth > shown[0]:
                shown[0] = tenth
                step(f"robustness {done}/{total}")

        kw["progress"] = tick
    return robust_summary(
        case,
        method=method,
        options={},
        weights=w,
        weights_info=info,
        samples=samples,
        seed=seed,
        solver=solver,
        **kw,
    ), ""


# -- formatting --------------------------------------------------------------------------------


class _Html(str):
    """Markup made here (safe); any other ``str`` put on the page is escaped."""


def _e(value: Any) -> str:
    return value if isinstance(value, _Html) else html.escape(str(value))


@dataclass
class _Ctx:
    """What every part of the page needs: labels, language and the case's names for ids."""

    case: Case
    t: Mapping[str, str]
    lang: str
    measures: dict[str, str]
    goals: dict[str, str]
    groups: dict[str, str]
    districts: dict[str, str]
    resources: dict[str, str]
    scenarios: dict[str, str]

    @classmethod
    def of(cls, case: Case, lang: str) -> _Ctx:
        return cls(
            case,
            texts(lang),
            lang,
            {m.id: m.name for m in case.measures},
            {g.id: g.title for g in case.goals},
            {g.id: g.name or g.id for g in case.groups},
            {d.id: d.name or d.id for d in case.config.districts},
            {k: r.name or k for k, r in case.resources.items()},
            {s.id: s.title for s in case.scenarios},
        )

    def num(self, x: Any, decimals: int = 2) -> str:
        if x is None:
            return "–"
        if isinstance(x, int) and not isinstance(x, bool):
            s = f"{x:,d}"
        else:
            s = f"{x:,.{decimals}f}"
        return s.translate(str.maketrans(",.", ".,")) if self.lang == "de" else s

    def pct(self, x: Any, decimals: int = 1) -> str:
        if x is None:
            return "–"
        return self.num(100 * x, decimals) + (" %" if self.lang == "de" else "%")

    def yes(self, flag: bool) -> str:
        return self.t["yes"] if flag else self.t["no"]

    def names(self, ids: Iterable[str], table: Mapping[str, str] | None = None, limit: int = 5) -> str:
        table = self.measures if table is None else table
        ids = list(ids)
        shown = [table.get(i, i) for i in ids[:limit]]
        if len(ids) > limit:
            shown.append(self.t["more_items"].format(n=len(ids) - limit))
        return ", ".join(shown) if shown else "–"

    def resource_label(self, rid: str) -> str:
        unit = self.case.resources[rid].unit if rid in self.case.resources else None
        return self.resources.get(rid, rid) + (f" ({unit})" if unit else "")


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    numeric: Sequence[int] = (),
    total: int | None = None,
    ctx: _Ctx | None = None,
) -> str:
    """An HTML table; cells are escaped unless made here; ``numeric`` columns right-aligned."""
    head = "".join(
        f'<th scope="col"{" class=num" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{_e(c)}</td>" for i, c in enumerate(row))
        + "</tr>\n"
        for row in rows
    )
    more = ""
    if total is not None and ctx is not None and total > len(rows):
        more = f'<p class="more">{_e(ctx.t["more_rows"].format(n=total - len(rows)))}</p>'
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>\n<tbody>\n{body}'
        f"</tbody></table></div>{more}\n"
    )


def _what(ctx: _Ctx, text: str) -> str:
    return f'<p class="what"><strong>{_e(ctx.t["what"])}</strong> {_e(text)}</p>\n'


def _figure(name: str, svg: str, caption: str) -> str:
    return f'<figure id="fig-{name}">\n{svg}<figcaption>{_e(caption)}</figcaption>\n</figure>\n'


def _section(sid: str, title: str, body: str, tag: str = "section") -> str:
    return f'<{tag} id="{sid}">\n<h2>{_e(title)}</h2>\n{body}</{tag}>\n'


def _sub(sid: str, title: str) -> str:
    return f'<h3 id="{sid}">{_e(title)}</h3>\n'


def _p(text: str, cls: str | None = None) -> str:
    return f"<p{f' class={cls}' if cls else ''}>{_e(text)}</p>\n"


# -- page sections -----------------------------------------------------------------------------


def _overview(ctx: _Ctx, s: dict[str, Any]) -> str:
    t, n = ctx.t, s["counts"]
    topics = {tp.id: tp.name for tp in ctx.case.config.topics}
    out = [_what(ctx, t["overview_what"])]
    if ctx.case.config.description:
        out.append(_p(ctx.case.config.description, "lead"))
    out.append(_sub("overview-counts", t["counts"]))
    out.append(
        _table(
            [t["counts"], ""],
            [
                [t[f"count_{k}"], ctx.num(n[key])]
                for k, key in (
                    ("goals", "goals"),
                    ("criteria", "criteria"),
                    ("measures", "measures"),
                    ("mandatory", "mandatory_measures"),
                    ("interactions", "interactions"),
                    ("scenarios", "scenarios"),
                    ("groups", "groups"),
                    ("submissions", "submissions"),
                    ("rejected", "rejected_submissions"),
                )
            ],
            numeric=[1],
        )
    )
    if s["goals"]:
        out.append(_sub("overview-goals", t["goals"]))
        crit = {c["id"]: c["name"] for c in s["criteria"]}
        out.append(
            _table(
                [t["goal"], t["topic"], t["criteria_n"], t["measures_n"]],
                [
                    [
                        g["title"],
                        topics.get(g["topic"], g["topic"] or "–"),
                        ctx.names(g["criteria"], crit, limit=4),
                        ctx.num(g["measures"]),
                    ]
                    for g in s["goals"]
                ],
                numeric=[3],
            )
        )
    out.append(_sub("overview-criteria", t["criteria"]))
    out.append(
        _table(
            [t["criterion"], t["unit"], t["direction"], t["goal"]],
            [
                [c["name"], c["unit"] or "–", t["dir_" + c["direction"]], c["goal_title"] or "–"]
                for c in s["criteria"]
            ],
        )
    )
    out.append(_sub("overview-districts", t["districts"]))
    out.append(
        _table(
            [t["district"], t["part_of"], t["population"], t["measures_here"], t["measures_incl_parts"]],
            [
                [
                    d["name"] if d["id"] is not None else t["none"],
                    ctx.districts.get(d["parent"], d["parent"] or "–"),
                    ctx.num(d["population"]),
                    ctx.num(d["measures"]),
                    ctx.num(d["measures_incl_parts"]),
                ]
                for d in s["districts"]
            ],
            numeric=[2, 3, 4],
        )
    )
    if s["resources"]:
        out.append(_sub("overview-resources", t["resources"]))
        out.append(_p(t["resources_what"]))
        out.append(
            _table(
                [t["resource"], t["needed_all"], t["needed_mandatory"], t["limit"], t["times_limit"]],
                [
                    [
                        ctx.resource_label(r["id"]),
                        ctx.num(r["total"], 1),
                        ctx.num(r["mandatory"], 1),
                        ctx.num(r["limit"], 1) if r["limit"] is not None else t["no_limit"],
                        ctx.num(r["total_over_limit"], 2),
                    ]
                    for r in s["resources"]
                ],
                numeric=[1, 2, 3, 4],
            )
        )
    return "".join(out)


def _weights(ctx: _Ctx, w: dict[str, Any]) -> str:
    from .figures import weights_chart

    t = ctx.t
    out = [
        _what(ctx, t["weights_what"]),
        _figure("weights", weights_chart(w, t, ctx.lang), t["fig_weights_caption"]),
        _p(t["consensus_index"].format(value=ctx.num(w["consensus"]["index"])), "key"),
    ]
    contested = w["consensus"]["contested"]
    crit = {c["id"]: c["name"] for c in w["criteria"]}
    if contested:
        cv = ctx.num(w["consensus"]["contested_threshold"]["cv"])
        out.append(_p(t["contested_criteria"].format(cv=cv)))
        out.append("<ul>" + "".join(f"<li>{_e(crit[c])}</li>" for c in contested) + "</ul>\n")
    else:
        out.append(_p(t["no_contested"]))
    for g in w.get("missing_groups", []):
        out.append(_p(t["group_missing"].format(group=ctx.groups.get(g, g)), "key"))
    out.append(_sub("weights-groups", t["groups_table"]))
    out.append(
        _table(
            [t["group"], t["influence_share"], t["submissions"], t["kendall_w"]],
            [
                [g["name"], ctx.pct(g["share"]), ctx.num(g["submissions"]), ctx.num(g["kendall_w"])]
                for g in w["groups"]
            ],
            numeric=[1, 2, 3],
        )
    )
    out.append(_sub("weights-table", t["weights_table"]))
    spread = {x["criterion"]: x for x in w["consensus"]["spread"]}
    rows = sorted(w["criteria"], key=lambda c: -c["weight"])
    out.append(
        _table(
            [
                t["criterion"],
                t["consensus_weight"],
                t["lowest_group"],
                t["highest_group"],
                t["weighted_most_by"],
                t["contested"],
            ],
            [
                [
                    c["name"],
                    ctx.pct(c["weight"]),
                    ctx.pct(spread[c["id"]]["min"]),
                    ctx.pct(spread[c["id"]]["max"]),
                    ctx.groups.get(spread[c["id"]]["highest"], spread[c["id"]]["highest"] or "–"),
                    ctx.yes(spread[c["id"]]["contested"]),
                ]
                for c in rows
            ],
            numeric=[1, 2, 3],
        )
    )
    out.append(_sub("rejected", t["rejected"]))
    if w["rejections"]:
        out.append(_p(t["rejected_what"]))
        out.append(
            "<ul class=problems>"
            + "".join(f"<li><code>{_e(r)}</code></li>" for r in w["rejections"])
            + "</ul>\n"
        )
    else:
        out.append(_p(t["no_rejected"]))
    return "".join(out)


def _conflicts(ctx: _Ctx, c: dict[str, Any]) -> str:
    from ..conflicts import build_graph
    from .figures import conflict_network

    t = ctx.t
    out = [_what(ctx, t["conflicts_what"])]
    graph = build_graph(ctx.case)
    out.append(
        _figure(
            "network",
            conflict_network(graph, c["weights"]["goals"], t, c["options"]["seed"]),
            t["fig_network_caption"],
        )
    )
    out.append(_sub("conflicts-top", t["top_conflicts"]))
    if c["conflicts"]:
        items = []
        for k in c["conflicts"][:8]:
            backed = [(k.get(f"highest_{x}") or {}).get("name") for x in "ab"]
            lines = [t["conflict_share"].format(share=ctx.pct(k["share"]))]
            if any(backed):
                lines.append(t["conflict_backed"].format(a=backed[0] or "–", b=backed[1] or "–"))
            lines += [
                t["conflict_only"].format(goal=k[f"title_{x}"], names=ctx.names(k[f"measures_{x}"], limit=3))
                for x in "ab"
                if k[f"measures_{x}"]
            ]
            note = f'<br><span class="note">{_e(k["note"])}</span>' if k.get("note") else ""
            items.append(
                f"<li><strong>{_e(k['title_a'])} ↔ {_e(k['title_b'])}</strong><br>"
                + "<br>".join(_e(x) for x in lines)
                + note
                + "</li>\n"
            )
        out.append('<ol class="conflicts">\n' + "".join(items) + "</ol>\n")
        if len(c["conflicts"]) > 8:
            out.append(_p(t["more_rows"].format(n=len(c["conflicts"]) - 8), "more"))
    else:
        out.append(_p(t["no_conflicts"]))
    exposed = [m for m in c["measures"] if m["exposure"] > 0][:10]
    if exposed:
        total = sum(k["severity"] for k in c["conflicts"]) or 1.0
        out.append(_sub("conflicts-exposed", t["exposed"]))
        out.append(_p(t["exposed_what"]))
        out.append(
            _table(
                [t["measure"], t["exposure"], t["serves"]],
                [
                    [m["name"], ctx.pct(m["exposure"] / total), ctx.names(m["serves"], ctx.goals, 4)]
                    for m in exposed
                ],
                numeric=[1],
            )
        )
    return "".join(out)


def _ranking(ctx: _Ctx, st: Stages) -> str:
    from .figures import acceptability_heatmap

    t, r = ctx.t, st.results["ranking"]
    m, g, s = st.results["methods"], st.results["by_group"], st.results["sensitivity"]
    out = [_what(ctx, t["ranking_what"].format(method=r["label"]))]
    if r.get("scenario"):
        out.append(_p(t["scenario_used"].format(scenario=ctx.scenarios.get(r["scenario"], r["scenario"]))))
    better = t["score_higher" if r["higher_is_better"] else "score_lower"]
    out.append(_p(better[:1].upper() + better[1:] + "."))
    out.append(
        _table(
            [t["rank"], t["measure"], t["score"]],
            [[x["rank"], x["name"], ctx.num(x["score"], 3)] for x in r["ranking"][:TOP]],
            numeric=[0, 2],
            total=len(r["ranking"]),
            ctx=ctx,
        )
    )
    if g["groups"]:
        names = [ctx.measures.get(i, i) for i in g["consensus_measures"]]
        out.append(
            _p(
                t["in_every_top"].format(k=g["top_k"], names=", ".join(names))
                if names
                else t["in_no_common_top"].format(k=g["top_k"])
            )
        )
    out.append(_sub("ranking-methods", t["methods"]))
    methods = m["correlation"]["methods"]
    rule = m["compromise"]["rule"].title()
    out.append(_p(t["methods_what"].format(rule=rule)))
    out.append(
        _table(
            [t["measure"], t["compromise_rank"], *[m["methods"][n]["label"] for n in methods]],
            [[x["name"], x["compromise"], *[x["ranks"][n] for n in methods]] for x in m["ranks"][:TOP]],
            numeric=list(range(1, len(methods) + 2)),
            total=len(m["ranks"]),
            ctx=ctx,
        )
    )
    if m["not_applicable"]:
        from ..ranking import METHODS

        out.append(
            _p(t["not_applicable"].format(names=", ".join(METHODS[n].label for n in m["not_applicable"])))
        )
    out.append(_sub("ranking-smaa", t["smaa"]))
    out.append(_p(t["smaa_what"].format(samples=ctx.num(s["sampling"]["samples"]))))
    out.append(_figure("smaa", acceptability_heatmap(s, t, ctx.lang), t["fig_smaa_caption"]))
    out.append(
        _table(
            [t["measure"], t["first_place"], t["in_top_k"].format(k=s["top_k"])],
            [[x["name"], ctx.pct(x["first"]), ctx.pct(x["top_k"])] for x in s["acceptability"][:10]],
            numeric=[1, 2],
            total=len(s["acceptability"]),
            ctx=ctx,
        )
    )
    return "".join(out)


def _reason(ctx: _Ctx, reason: dict[str, Any]) -> str:
    """A portfolio explanation (a structured reason of the portfolio stage) in the page's
    language: the ``why_<code>`` text, with the case's names for the resource or measure."""
    t = ctx.t
    fields = {}
    if "resource" in reason:
        rid = reason["resource"]
        unit = ctx.case.resources[rid].unit if rid in ctx.case.resources else None
        amount = lambda v: ctx.num(float(v), 1) + (f" {unit}" if unit else "")
        fields = {
            "resource": ctx.resources.get(rid, rid),
            "need": amount(reason["need"]),
            "left": amount(reason["left"]),
        }
    if "measure" in reason:
        fields["measure"] = ctx.measures.get(reason["measure"], reason["measure"])
    if "penalty" in reason:
        fields["penalty"] = ctx.num(reason["penalty"])
    return t[f"why_{reason['code']}"].format(**fields)


def _reasons(ctx: _Ctx, entry: dict[str, Any]) -> str:
    """Every reason of one explained measure (selected: ``reason``; left out: ``reasons``)."""
    found = entry.get("reasons") or ([entry["reason"]] if entry.get("reason") else [])
    return "; ".join(_reason(ctx, r) for r in found)


def _portfolio(ctx: _Ctx, st: Stages) -> str:
    from .figures import frontier_chart

    t = ctx.t
    out = [_what(ctx, t["portfolio_what"])]
    if "portfolio" in st.notes:
        return "".join(out) + _missing(ctx, st, "portfolio")
    p = st.results["portfolio"]
    if p.get("scenario"):
        out.append(_p(t["scenario_used"].format(scenario=ctx.scenarios.get(p["scenario"], p["scenario"]))))
    key = "status_optimal" if p["proven_optimal"] else "status_feasible"
    out.append(_p(t[key].format(value=ctx.num(p["objective"])), "key"))
    parts = p.get("value_parts")
    if parts and (parts["synergies"] or parts["conflicts"]):
        out.append(
            _p(
                t["value_parts"].format(
                    measures=ctx.num(parts["measures"]),
                    synergies=ctx.num(parts["synergies"]),
                    conflicts=ctx.num(-parts["conflicts"]),
                )
            )
        )
    if not p["proven_optimal"] and p.get("gap") is not None:
        out.append(_p(t["status_gap"].format(gap=ctx.pct(p["gap"], 2))))
    out.append(_p(t["value_is"].format(method=st.results["ranking"]["label"])))
    out.append(
        _table(
            [t["resource"], t["used"], t["limit"], t["share"]],
            [
                [
                    ctx.resource_label(k),
                    ctx.num(v["used"], 1),
                    ctx.num(v["limit"], 1) if v["limit"] is not None else t["no_limit"],
                    ctx.pct(v["used"] / v["limit"]) if v["limit"] else "–",
                ]
                for k, v in p["resources"].items()
            ],
            numeric=[1, 2, 3],
        )
    )
    if p.get("periods"):
        out.append(_p(t["periods_what"]))
        out.append(
            _table(
                [t["period"], t["resource"], t["used"], t["limit"], t["share"]],
                [
                    [
                        pd["title"],
                        ctx.resource_label(k),
                        ctx.num(v["used"], 1),
                        ctx.num(v["limit"], 1),
                        ctx.pct(v["used"] / v["limit"]) if v["limit"] else "–",
                    ]
                    for pd in p["periods"]
                    for k, v in pd["resources"].items()
                ],
                numeric=[2, 3, 4],
            )
        )
    explain = p.get("explanations", {})
    loss = {x["id"]: x for x in explain.get("selected", [])}
    district = {m.id: m.district for m in ctx.case.measures}
    periods = {q.id: q.title or q.id for q in ctx.case.config.periods}
    has_start = any("start" in x for x in p["measures"])
    out.append(_sub("portfolio-selected", t["selected"]))
    rows = []
    for x in sorted(p["measures"], key=lambda x: (x.get("tier") or 0, -x["value"], x["id"])):
        e = loss.get(x["id"], {})
        where = district.get(x["id"])
        rows.append(
            [
                x["name"],
                ctx.districts.get(where, where or "–"),
                ctx.num(x["value"]),
                x.get("tier", "–"),
                *([periods.get(x.get("start"), x.get("start") or "–")] if has_start else []),
                ctx.num(e.get("loss_if_removed")),
                _reasons(ctx, e),
            ]
        )
    out.append(
        _table(
            [
                t["measure"],
                t["district"],
                t["value"],
                t["tier"],
                *([t["start"]] if has_start else []),
                t["loss_if_removed"],
                t["note"],
            ],
            rows,
            numeric=[2, 3, 5 if has_start else 4],
        )
    )
    if "priority" in p:
        out.append(_p(t["tier_note"], "note"))
    left = sorted(
        explain.get("not_selected", []),
        key=lambda x: (x["opportunity_cost"] is None, x["opportunity_cost"] or 0, x["id"]),
    )
    if left:
        out.append(_sub("portfolio-left-out", t["left_out"]))
        out.append(
            _table(
                [t["measure"], t["opportunity_cost"], t["kept_out_by"]],
                [
                    [ctx.measures.get(x["id"], x["id"]), ctx.num(x["opportunity_cost"]), _reasons(ctx, x)]
                    for x in left[:TOP]
                ],
                numeric=[1],
                total=len(left),
                ctx=ctx,
            )
        )
    if "frontier" in st.results:
        f = st.results["frontier"]
        label = ctx.resource_label(f["resource"])
        used = p["resources"].get(f["resource"], {})
        level = used.get("limit") if used.get("limit") is not None else used.get("used")
        out.append(
            _sub("frontier", t["frontier"].format(resource=ctx.resources.get(f["resource"], f["resource"])))
        )
        out.append(_what(ctx, t["frontier_what"].format(resource=label)))
        out.append(
            _figure(
                "frontier",
                frontier_chart(f, (level, p["objective"]) if level is not None else None, t, ctx.lang, label),
                t["fig_frontier_caption"].format(resource=label),
            )
        )
        out.append(
            _table(
                [t["level"].format(resource=label), t["value"], t["used"], t["entering"], t["leaving"]],
                [
                    [
                        ctx.num(q["level"], 1),
                        ctx.num(q["objective"]),
                        ctx.num(q["used"], 1) if q["objective"] is not None else "–",
                        ctx.names(q["entering"], limit=4) if q["objective"] is not None else t["infeasible"],
                        ctx.names(q["leaving"], limit=4) if q["objective"] is not None else "",
                    ]
                    for q in f["points"]
                ],
                numeric=[0, 1, 2],
            )
        )
    return "".join(out)


def _robustness_html(ctx: _Ctx, st: Stages) -> str:
    from .figures import inclusion_heatmap

    t = ctx.t
    out = [_what(ctx, t["robustness_what"])]
    if "robustness" in st.notes:
        return "".join(out) + _missing(ctx, st, "robustness")
    r = st.results["robustness"]
    sc = list(r["scenarios"])
    # every id that is not one of the case's scenarios is the robust stage's baseline column
    title = {s: ctx.scenarios.get(s) or t["baseline"] for s in sc}
    out.append(
        _figure("inclusion", inclusion_heatmap(r["inclusion"], sc, title, t), t["fig_inclusion_caption"])
    )
    out.append("<dl class=sets>")
    for key, ids in (("core", r["core"]), ("contested_measures", r["contested"]), ("never", r["never"])):
        out.append(f"<dt>{_e(t[key])} ({len(ids)})</dt><dd>{_e(ctx.names(ids, limit=40))}</dd>")
    out.append("</dl>\n")
    out.append(_sub("robustness-scenarios", t["scenario_portfolios"]))
    out.append(
        _table(
            [t["scenario"], t["n_measures"], t["value"]],
            [
                [title[s], len(r["portfolios"][s]["selected"]), ctx.num(r["portfolios"][s]["objective"])]
                for s in sc
                if s in r["portfolios"]
            ],
            numeric=[1, 2],
        )
    )
    reg = r["regret"]
    out.append(_sub("robustness-regret", t["regret"]))
    out.append(_p(t["regret_what"] + " " + t["regret_na"]))
    out.append(
        _table(
            [t["portfolio_of"], *[title.get(s, s) for s in reg["scenarios"]]],
            [
                [title.get(s, s), *[ctx.num(v) for v in row]]
                for s, row in zip(reg["scenarios"], reg["regret"])
            ],
            numeric=list(range(1, len(reg["scenarios"]) + 1)),
        )
    )
    proposed = (st.results.get("portfolio") or {}).get("selected")
    out.append("<ul>")
    for key, field_ in (("maxmin", "worst"), ("minmax_regret", "max_regret")):
        if r[key].get(field_) is not None:
            out.append(
                f"<li>{_e(t[key].format(value=ctx.num(r[key][field_])))} "
                f"{_e(_versus(ctx, r[key]['selected'], proposed))}</li>"
            )
    out.append("</ul>\n")
    groups = r.get("groups") or {}
    if groups.get("satisfaction") and groups.get("compromise"):
        comp = groups["compromise"]
        out.append(_sub("robustness-fair", t["fair"]))
        out.append(_p(t["fair_what"].format(value=ctx.pct(comp["worst_ratio"]))))
        out.append(_p(_versus(ctx, comp["selected"], proposed)))
        out.append(
            _table(
                [t["group"], t["with_consensus"], t["with_compromise"]],
                [
                    [ctx.groups.get(g, g), ctx.pct(v["consensus"]), ctx.pct(v["compromise"])]
                    for g, v in groups["satisfaction"].items()
                ],
                numeric=[1, 2],
            )
        )
    if r.get("core_index"):
        out.append(_sub("robustness-core-index", t["core_index"]))
        out.append(_p(t["core_index_what"]))
        rows = sorted(r["core_index"], key=lambda x: (-x["core_index"], x["id"]))
        out.append(
            _table(
                [t["measure"], t["core_index"], t["class"]],
                [
                    [x["name"], ctx.pct(x["core_index"]), t.get(f"class_{x['class']}", x["class"])]
                    for x in rows[:TOP]
                ],
                numeric=[1],
                total=len(rows),
                ctx=ctx,
            )
        )
    return "".join(out)


def _versus(ctx: _Ctx, selected: Sequence[str], proposed: Sequence[str] | None) -> str:
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


def _missing(ctx: _Ctx, st: Stages, stage: str) -> str:
    """Why a stage is not in the report: the reason, and the engine's details if any."""
    out = _p(ctx.t[st.notes[stage]], "note")
    if stage in st.details:
        out += f'<pre class="problem">{_e(st.details[stage])}</pre>\n'
    return out


def _provenance_html(ctx: _Ctx, st: Stages) -> str:
    t, p = ctx.t, st.parameters
    rows = [
        [t["version"], f"lev2040-mcda {__version__}"],
        [t["param_method"], st.results["ranking"]["label"]],
        [t["param_weights"], t["param_weights_consensus"]],
        [
            t["param_scenario"],
            ctx.scenarios.get(p["scenario"], p["scenario"]) if p["scenario"] else t["scenario_base"],
        ],
        [t["param_samples"], ctx.num(p["samples"])],
        [t["param_seed"], str(p["seed"])],
        [t["param_solver"], p["solver"]],
        [t["param_steps"], ctx.num(p["steps"])],
        [t["param_robust_samples"], ctx.num(p["robust_samples"])],
        [t["param_language"], ctx.lang],
    ]
    files = [
        [_Html(f"<code>{_e(k)}</code>"), _Html(f"<code>{_e(v)}</code>")]
        for k, v in sorted(ctx.case.inputs.items())
    ]
    return (
        _what(ctx, t["provenance_what"])
        + _table([t["parameters"], ""], rows)
        + _sub("provenance-inputs", t["inputs"])
        + _table([t["file"], t["fingerprint"]], files)
        + _p(t["files_note"])
    )


_CSS = """
:root{--ink:#1c2833;--muted:#566573;--line:#d5d8dc;--accent:#1f618d;--bg:#fbfcfc}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:var(--ink);background:var(--bg)}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem;border-bottom:3px solid var(--accent)}
h1{font-size:1.9rem;margin:.2rem 0 .6rem}h2{font-size:1.45rem;margin-top:2.5rem;
border-bottom:1px solid var(--line);padding-bottom:.3rem}h3{font-size:1.12rem;margin-top:1.8rem}
.kicker{color:var(--muted);margin:0;text-transform:uppercase;letter-spacing:.06em;font-size:.8rem}
nav ol{columns:2;padding-left:1.2rem}nav a{color:var(--accent)}
.what{background:#eaf2f8;border-left:4px solid var(--accent);padding:.6rem .9rem;margin:1rem 0}
.lead{font-size:1.05rem;color:var(--muted)}.key{font-weight:600}
.note,.more{color:var(--muted);font-size:.9rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem;min-width:50%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f4}th.num{white-space:normal}
ol.conflicts li{margin-bottom:.8rem}tbody tr:nth-child(even){background:#f8f9f9}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1.2rem 0;background:#fff;border:1px solid var(--line);padding:.6rem}
figure svg{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{color:var(--muted);font-size:.9rem;margin-top:.4rem}
dl.sets dt{font-weight:600;margin-top:.6rem}dl.sets dd{margin-left:1rem}
code{font-size:.85em;word-break:break-all}pre.problem{white-space:pre-wrap;background:#fdedec;
padding:.8rem}
footer{margin-top:3rem;padding-bottom:2rem;border-top:1px solid var(--line)}
@media print{nav{display:none}figure{break-inside:avoid}}
"""


def render_page(case: Case, stages: Stages, lang: str | None = None, progress: Progress | None = None) -> str:
    """The report page as one HTML document (inline CSS and SVG, no script, nothing fetched)."""
    lang = report_language(case, lang)
    ctx = _Ctx.of(case, lang)
    t, res = ctx.t, stages.results
    step = progress or (lambda _name: None)
    step("figures")
    parts = [
        ("overview", t["overview"], _overview(ctx, res["summary"])),
        ("weights", t["weights"], _weights(ctx, res["weights"])),
        ("conflicts", t["conflicts"], _conflicts(ctx, res["conflicts"])),
        ("ranking", t["ranking"], _ranking(ctx, stages)),
        ("portfolio", t["portfolio"], _portfolio(ctx, stages)),
        ("robustness", t["robustness"], _robustness_html(ctx, stages)),
    ]
    title = case.config.title or case.name
    toc = "".join(f'<li><a href="#{sid}">{_e(head)}</a></li>' for sid, head, _ in parts)
    toc += f'<li><a href="#provenance">{_e(t["provenance"])}</a></li>'
    body = "".join(_section(sid, head, content) for sid, head, content in parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} – {_e(t['report'])}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body>\n<header>\n<p class="kicker">{_e(t["report"])}</p>\n<h1>{_e(title)}</h1>\n'
        f"{_p(t['intro'])}<nav aria-labelledby=toc-title><h2 id=toc-title>{_e(t['contents'])}"
        f"</h2><ol>{toc}</ol></nav>\n</header>\n<main>\n{body}</main>\n"
        + _section("provenance", t["provenance"], _provenance_html(ctx, stages), "footer")
        + "</body>\n</html>\n"
    )


# -- workbook ----------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return escape_cell(value)


def _sheet(wb, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(name)
    ws.append([_cell(h) for h in header])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)


def render_workbook(case: Case, stages: Stages, lang: str | None = None) -> bytes:
    """results.xlsx: one sheet per table (:data:`SHEETS`), sheet names, headers and the engine's
    codes (solver status, robustness sets and classes) in the report's language, every text cell
    escaped against formula injection. Ids and the case's own names are data: kept as they are.
    """
    from openpyxl import Workbook

    ctx = _Ctx.of(case, report_language(case, lang))
    t, res = ctx.t, stages.results
    sheet = sheet_names(ctx.lang)
    wb = Workbook()
    wb.remove(wb.active)
    w = res["weights"]
    _sheet(wb, sheet["overview"], [t["parameters"], t["param_value"]], _overview_rows(ctx, stages))
    groups = [g["id"] for g in w["groups"]]
    _sheet(
        wb,
        sheet["weights"],
        ["id", t["criterion"], t["goal"], t["consensus_weight"], *[ctx.groups.get(g, g) for g in groups]],
        [
            [
                c["id"],
                c["name"],
                c["goal"],
                c["weight"],
                *[next(g["weights"][c["id"]] for g in w["groups"] if g["id"] == gid) for gid in groups],
            ]
            for c in w["criteria"]
        ],
    )
    _sheet(
        wb,
        sheet["consensus"],
        [
            "id",
            t["mean_weight"],
            t["lowest_group"],
            t["highest_group"],
            t["cv"],
            t["weighted_most_by"],
            t["weighted_least_by"],
            t["contested"],
        ],
        [
            [
                x["criterion"],
                x["mean"],
                x["min"],
                x["max"],
                x["cv"],
                x["highest"],
                x["lowest"],
                x["contested"],
            ]
            for x in w["consensus"]["spread"]
        ],
    )
    _sheet(
        wb,
        sheet["groups"],
        ["id", t["group"], t["influence"], t["influence_share"], t["submissions"], t["kendall_w"]],
        [
            [g["id"], g["name"], g["influence"], g["share"], g["submissions"], g["kendall_w"]]
            for g in w["groups"]
        ],
    )
    _sheet(
        wb,
        sheet["ranking"],
        [t["rank"], "id", t["measure"], t["score"]],
        [[x["rank"], x["id"], x["name"], x["score"]] for x in res["ranking"]["ranking"]],
    )
    m = res["methods"]
    names = m["correlation"]["methods"]
    _sheet(
        wb,
        sheet["methods"],
        ["id", t["measure"], t["compromise_rank"], *[m["methods"][n]["label"] for n in names]],
        [[x["id"], x["name"], x["compromise"], *[x["ranks"][n] for n in names]] for x in m["ranks"]],
    )
    s = res["sensitivity"]
    _sheet(
        wb,
        sheet["acceptability"],
        [
            "id",
            t["measure"],
            t["first_place"],
            t["in_top_k"].format(k=s["top_k"]),
            *[f"{t['rank']} {i + 1}" for i in range(len(s["acceptability"]))],
        ],
        [[x["id"], x["name"], x["first"], x["top_k"], *x["by_rank"]] for x in s["acceptability"]],
    )
    _sheet(
        wb,
        sheet["conflicts"],
        [
            t["rank"],
            t["goal_a_id"],
            t["goal_b_id"],
            t["goal_a"],
            t["goal_b"],
            t["strength"],
            t["severity"],
            t["severity_share"],
            t["backed_a"],
            t["backed_b"],
            t["only_a"],
            t["only_b"],
            t["note"],
        ],
        [
            [
                k["rank"],
                k["a"],
                k["b"],
                k["title_a"],
                k["title_b"],
                k["strength"],
                k["severity"],
                k["share"],
                (k.get("highest_a") or {}).get("group"),
                (k.get("highest_b") or {}).get("group"),
                k["measures_a"],
                k["measures_b"],
                k.get("note"),
            ]
            for k in res["conflicts"]["conflicts"]
        ],
    )
    _sheet(wb, sheet["portfolio"], *_portfolio_rows(ctx, stages))
    f = res.get("frontier")
    level = t["level"].format(resource=ctx.resource_label(f["resource"])) if f else t["resource"]
    _sheet(
        wb,
        sheet["frontier"],
        [t["step"], level, t["value"], t["used"], t["solver_status"], t["entering"], t["leaving"]],
        [
            [
                q["step"],
                q["level"],
                q["objective"],
                q["used"],
                _solver_status(ctx, q["status"]),
                q["entering"],
                q["leaving"],
            ]
            for q in (f["points"] if f else [])
        ],
    )
    _sheet(wb, sheet["robustness"], *_robustness_rows(ctx, stages))
    _sheet(wb, sheet["rejected"], [t["problem"]], [[r] for r in w["rejections"]])
    _sheet(wb, sheet["provenance"], [t["file"], t["fingerprint"]], sorted(case.inputs.items()))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_PARAMETERS = {
    "case": "param_folder",
    "scenario": "param_scenario",
    "weights_from": "param_weights",
    "method": "param_method",
    "solver": "param_solver",
    "samples": "param_samples",
    "seed": "param_seed",
    "steps": "param_steps",
    "robust_samples": "param_robust_samples",
}
"""Each parameter of :class:`Stages` -> the i18n key of its label."""


def _overview_rows(ctx: _Ctx, st: Stages) -> list[list[Any]]:
    """The overview sheet: the case, every parameter (labelled, its value in the report's
    language where it is a code), the consensus index and why a stage is left out."""
    t, p = ctx.t, st.parameters
    shown = dict(p)
    if p.get("method") == st.results["ranking"].get("method", p.get("method")):
        shown["method"] = st.results["ranking"].get("label", p.get("method"))
    if p.get("weights_from") == "consensus":
        shown["weights_from"] = t["param_weights_consensus"]
    if "scenario" in p:
        shown["scenario"] = (
            ctx.scenarios.get(p["scenario"], p["scenario"]) if p["scenario"] else t["scenario_base"]
        )
    return [
        [t["param_case"], ctx.case.name],
        [t["param_title"], ctx.case.config.title],
        [t["version"], __version__],
        *[[t[_PARAMETERS[k]] if k in _PARAMETERS else k, v] for k, v in shown.items()],
        [t["param_language"], ctx.lang],
        [t["consensus_index_label"], st.results["weights"]["consensus"]["index"]],
        *[[t["note_on"].format(section=t.get(k, k)), t[v]] for k, v in st.notes.items()],
    ]


def _solver_status(ctx: _Ctx, status: str | None) -> str | None:
    """A solver status code (``optimal``, ``feasible``, ``infeasible``, ``not solved``) in the
    report's language."""
    if status is None:
        return None
    return ctx.t.get("solver_" + status.replace(" ", "_"), status)


def _portfolio_rows(ctx: _Ctx, st: Stages) -> tuple[list[str], list[list[Any]]]:
    t = ctx.t
    header = [
        "id",
        t["measure"],
        t["is_selected"],
        t["value"],
        t["tier"],
        t["start"],
        t["loss_if_removed"],
        t["opportunity_cost"],
        t["note"],
    ]
    p = st.results.get("portfolio")
    if p is None:
        return header, []
    ex = p.get("explanations", {})
    sel = {x["id"]: x for x in ex.get("selected", [])}
    out = {x["id"]: x for x in ex.get("not_selected", [])}
    chosen = {x["id"]: x for x in p["measures"]}
    rows = []
    for mid, name in ctx.measures.items():
        x, e, o = chosen.get(mid, {}), sel.get(mid, {}), out.get(mid, {})
        note = _reasons(ctx, e) or _reasons(ctx, o)
        rows.append(
            [
                mid,
                name,
                mid in chosen,
                x.get("value"),
                x.get("tier"),
                x.get("start"),
                e.get("loss_if_removed"),
                o.get("opportunity_cost"),
                note or None,
            ]
        )
    return header, rows


def _robustness_rows(ctx: _Ctx, st: Stages) -> tuple[list[str], list[list[Any]]]:
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


# -- writing -----------------------------------------------------------------------------------


def _json(result: dict[str, Any], prov: dict[str, Any]) -> str:
    return (
        json.dumps({**result, "provenance": prov}, ensure_ascii=False, indent=2, default=str, allow_nan=False)
        + "\n"
    )


def write_report(
    case: Case,
    stages: Stages,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Render and write ``out_dir/index.html``, ``results.xlsx`` and ``json/<stage>.json``.

    Everything is rendered before the first file is written; each file is written atomically,
    ``index.html`` last.
    """
    lang = report_language(case, lang)
    step = progress or (lambda _name: None)
    page = render_page(case, stages, lang, progress)
    step("workbook")
    workbook = render_workbook(case, stages, lang)
    docs = {name: _json(result, stages.provenance[name]) for name, result in stages.results.items()}
    step("writing")
    out = Path(out_dir)
    paths = {name: out / "json" / f"{name}.json" for name in docs}
    for name, text in docs.items():
        write_atomic(paths[name], text)
    write_atomic(out / "results.xlsx", workbook)
    write_atomic(out / "index.html", page)
    return {
        "index": out / "index.html",
        "workbook": out / "results.xlsx",
        "json": paths,
        "lang": lang,
        "sections": list(SECTIONS),
        "notes": dict(stages.notes),
        "details": dict(stages.details),
    }


def build_report(
    case: Case,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    scenario: str | None = None,
    method: str | None = None,
    solver: str | None = None,
    samples: int = 10_000,
    seed: int | None = None,
    steps: int = 10,
    robust_samples: int = 50,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole report of ``case`` in ``out_dir`` (see :func:`compute_stages` for the options).

    ``lang`` defaults to the case's ``language``; ``progress`` is called with the name of each
    step as it starts (``summary``, ``weights``, ..., ``figures``, ``workbook``, ``writing``).
    Returns the paths written (``index``, ``workbook``, ``json``), the language, the section ids,
    ``notes`` on stages left out (stage -> i18n key of the reason) and ``details`` (stage -> the
    engine's explanation, e.g. why no portfolio is feasible).

    Raises
    ------
    InputErrors, InputError
        bad input, as the stages raise it (no usable weighting, unknown scenario, ...)
    OutputError
        when ``out_dir`` cannot be written
    """
    lang = report_language(case, lang)
    stages = compute_stages(
        case,
        scenario=scenario,
        method=method,
        solver=solver,
        samples=samples,
        seed=seed,
        steps=steps,
        robust_samples=robust_samples,
        progress=progress,
    )
    return write_report(case, stages, out_dir, lang=lang, progress=progress)
