"""results.xlsx: every table of the report as a sheet, for whoever wants the tables in a spreadsheet.

One sheet per table (:data:`SHEETS`), with every row the page shortens; sheet names, headers and
the engine's codes are in the report's language, ids and the case's own names are kept as they
are. Every text cell is escaped against formula injection (:func:`lev2040_mcda.output.escape_cell`).
The file holds no clock: its dates are :func:`lev2040_mcda.output.source_date`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from ..case import Case
from ..output import escape_cell, xlsx_bytes
from .cib import cib_rows
from .context import Context, reasons_text, report_language
from .equity import equity_rows
from .i18n import texts
from .runs import RUNS, runs_rows
from .stadtcheck import stadtcheck_rows
from .stages import Stages
from .votes import participation_rows
from .whatif import weights_from_text
from .workbook_tables import budget_rows, delivers_rows, drivers_rows, robustness_rows

__all__ = ["SHEETS", "render_workbook", "sheet_names"]

SHEETS = (
    "overview",
    "stadtcheck",
    "weights",
    "consensus",
    "groups",
    "ranking",
    "methods",
    "acceptability",
    "drivers",
    "conflicts",
    "portfolio",
    "delivers",
    "equity",
    "budget_risk",
    "frontier",
    "robustness",
    "cib_scenarios",
    "participation",
    "rejected",
    "provenance",
)
"""The id of every sheet of results.xlsx, in order. The sheet's name is in the report's language
(:func:`sheet_names`); programs that need stable names read the JSON files instead. A sheet whose
data the case does not have (no CIB model, no vote, no uncertain estimates) holds a note saying so.
A report of saved runs (``lev2040 runs report``) has one sheet more, ``runs``, after ``frontier``."""


def sheet_names(lang: str, runs: bool = False) -> dict[str, str]:
    """Each sheet id of :data:`SHEETS` (and ``runs`` with ``runs``: a report of saved runs) -> its
    name in the workbook of language ``lang``.

    >>> sheet_names("de")["ranking"], sheet_names("en")["ranking"], sheet_names("de", runs=True)["runs"]
    ('Rangfolge', 'ranking', 'Läufe')
    """
    t = texts(lang)
    return {sheet: t[f"sheet_{sheet}"] for sheet in (*SHEETS, *([RUNS] if runs else []))}


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return escape_cell(value)


def _sheet(wb, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], bold: Sequence[int] = ()):
    """``header`` and ``rows``; the header and the rows numbered in ``bold`` (a second table's) bold."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(name)
    ws.append([_cell(h) for h in header])
    for row in rows:
        ws.append([_cell(v) for v in row])
    for at in (1, *bold):
        for c in ws[at]:
            c.font = Font(bold=True)
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

    ctx = Context.of(case, report_language(case, lang))
    t, res = ctx.t, stages.results
    sheet = sheet_names(ctx.lang, runs=RUNS in res)
    wb = Workbook()
    wb.remove(wb.active)
    w = res["weights"]
    _sheet(wb, sheet["overview"], [t["parameters"], t["param_value"]], _overview_rows(ctx, stages))
    _sheet(wb, sheet["stadtcheck"], *stadtcheck_rows(ctx, stages))
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
    # the SMAA-2 confidence factor says something only when the estimates were sampled
    uncertain = (s.get("estimates") or {}).get("mode") == "uncertain"
    _sheet(
        wb,
        sheet["acceptability"],
        [
            "id",
            t["measure"],
            t["first_place"],
            t["in_top_k"].format(k=s["top_k"]),
            *([t["confidence_factor"]] if uncertain else []),
            *[f"{t['rank']} {i + 1}" for i in range(len(s["acceptability"]))],
        ],
        [
            [
                x["id"],
                x["name"],
                x["first"],
                x["top_k"],
                *([x.get("confidence")] if uncertain else []),
                *x["by_rank"],
            ]
            for x in s["acceptability"]
        ],
    )
    _sheet(wb, sheet["drivers"], *drivers_rows(ctx, stages))
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
    _sheet(wb, sheet["delivers"], *delivers_rows(ctx, stages))
    _sheet(wb, sheet["equity"], *equity_rows(ctx, stages))
    _sheet(wb, sheet["budget_risk"], *budget_rows(ctx, stages))
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
    if RUNS in res:  # saved runs side by side, beside the report's own portfolio
        header, rows, bold = runs_rows(ctx, res[RUNS])
        _sheet(wb, sheet[RUNS], header, rows, bold)
    _sheet(wb, sheet["robustness"], *robustness_rows(ctx, stages))
    _sheet(wb, sheet["cib_scenarios"], *cib_rows(ctx, stages))
    _sheet(wb, sheet["participation"], *participation_rows(ctx, stages))
    _sheet(wb, sheet["rejected"], [t["problem"]], [[r] for r in w["rejections"]])
    _sheet(wb, sheet["provenance"], [t["file"], t["fingerprint"]], sorted(case.inputs.items()))
    return xlsx_bytes(wb)  # the same bytes for the same content: no clock in the file


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
    "group": "param_group",
    "weights": "param_weights_file",
    "options": "param_options",
    "limits": "param_limits",
    "include": "param_include",
    "exclude": "param_exclude",
    "cover": "param_cover",
}
"""Each parameter of :class:`Stages` -> the i18n key of its label."""


def _overview_rows(ctx: Context, st: Stages) -> list[list[Any]]:
    """The overview sheet: the case, every parameter (labelled, its value in the report's
    language where it is a code), the consensus index and why a stage is left out."""
    t, p = ctx.t, st.parameters
    shown = dict(p)
    if p.get("method") == st.results["ranking"].get("method", p.get("method")):
        shown["method"] = st.results["ranking"].get("label", p.get("method"))
    if p.get("weights_from") == "consensus":
        shown["weights_from"] = t["param_weights_consensus"]
    elif weights_from_text(t, p.get("weights_from")):  # equal, entropy, critic
        shown["weights_from"] = weights_from_text(t, p.get("weights_from"))
    if "limits" in p:  # resource=limit, as --limit reads
        shown["limits"] = [f"{k}={v:g}" for k, v in p["limits"].items()]
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


def _solver_status(ctx: Context, status: str | None) -> str | None:
    """A solver status code (``optimal``, ``feasible``, ``infeasible``, ``not solved``) in the
    report's language."""
    if status is None:
        return None
    return ctx.t.get("solver_" + status.replace(" ", "_"), status)


def _portfolio_rows(ctx: Context, st: Stages) -> tuple[list[str], list[list[Any]]]:
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
        note = reasons_text(ctx, e) or reasons_text(ctx, o)
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
