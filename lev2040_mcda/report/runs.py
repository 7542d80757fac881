"""Saved runs side by side in the report (``lev2040 runs report``): the comparison of
:func:`lev2040_mcda.runs.compare_runs` as the portfolio section shows it, as the workbook's
``runs`` sheet and as ``json/runs.json``.

The comparison is plain JSON-ready data (its schema is :func:`~lev2040_mcda.runs.compare_runs`'s):
the report takes it as it is, so that it never needs the run store. It joins the stages as one
more result (``runs``), with a provenance of its own naming the runs; the page writes its codes in
the report's language (the portfolio's reasons with :func:`~.context.reason_text`, the changes the
analyst made with texts of their own, anything else as the comparison's English ``text``). Run
names, notes and parameters come from users: the templates escape them as every other value, and
the workbook escapes them against formula injection.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from ..case import Case
from ..errors import InputError, Problem, display_path
from ..output import provenance
from .context import Context, reason_text
from .stages import Stages

__all__ = ["RUNS", "attach_runs", "check_comparison", "runs_rows", "runs_view"]

RUNS = "runs"
"""The name of the comparison among the stages' results (``json/runs.json``) and the id of its
sheet, which the workbook has only when the report shows runs."""

_PER_RUN = {
    "measures": ("selected", "tier"),
    "resources": ("limit", "used"),
    "delivers": ("selected",),
    "districts": ("measures", "value"),
    "parameters": ("values",),
}
"""The lists of each part of a comparison that hold one entry per run, in the runs' order."""

_LABELS = {
    "scenario": "param_scenario",
    "weights_from": "param_weights",
    "group": "param_group",
    "weights": "param_weights_file",
    "options": "param_options",
    "method": "param_method",
    "solver": "param_solver",
    "limits": "param_limits",
    "include": "param_include",
    "exclude": "param_exclude",
    "cover": "param_cover",
}
"""A run's parameter -> the i18n key of its label (any other is shown by its name)."""
_WAYS = {"entered": "runs_entered", "left": "runs_left"}
"""Which way a measure changed between two runs -> the i18n key of its word."""


def attach_runs(case: Case, stages: Stages, comparison: Mapping[str, Any]) -> None:
    """Add ``comparison`` to ``stages`` as the result ``runs`` with its provenance: the command
    that made the report of runs, the runs' names and the case's input files as they are now
    (each run's own inputs and provenance are the run store's: ``lev2040 runs show``). A
    provenance the comparison carries is kept as it is."""
    check_comparison(comparison)
    result = {k: v for k, v in comparison.items() if k != "provenance"}
    prov = comparison.get("provenance") or provenance(
        "runs report",
        {"case": display_path(case.root), "runs": [r["name"] for r in comparison["runs"]]},
        case.inputs,
    )
    stages.results[RUNS], stages.provenance[RUNS] = result, prov


def check_comparison(comparison: Mapping[str, Any]) -> None:
    """Refuse a comparison that is not one (not two runs or more; a per-run list of the wrong
    length), so that no column of the page belongs to the wrong run."""
    runs = comparison.get("runs") if isinstance(comparison, Mapping) else None
    if (
        not isinstance(runs, list)
        or len(runs) < 2
        or not all(isinstance(r, Mapping) and "name" in r for r in runs)
    ):
        raise InputError(Problem("runs", "a comparison of runs needs at least two runs, each with its name"))
    for part, fields in _PER_RUN.items():
        for entry in comparison.get(part) or []:
            for f in fields:
                if f in entry and (not isinstance(entry[f], list) or len(entry[f]) != len(runs)):
                    n = len(entry[f]) if isinstance(entry[f], list) else "no list of"
                    raise InputError(Problem("runs", f"{part}: {f!r} has {n} entries for {len(runs)} runs"))
    if len(comparison.get("value") or [None] * len(runs)) != len(runs):
        raise InputError(
            Problem("runs", f"value has {len(comparison['value'])} entries for {len(runs)} runs")
        )


# -- in words ----------------------------------------------------------------------------------


def param_label(ctx: Context, key: str) -> str:
    """A run's parameter's label in the report's language (its name when the report has none)."""
    return ctx.t[_LABELS[key]] if key in _LABELS else key


def param_text(ctx: Context, key: str, value: Any) -> str:
    """A run's parameter as the page says it: measures and groups by their names, a scenario by
    its title, lists joined, nothing as ``–``."""
    if value is None or value in ([], (), {}):
        return "–"
    if key in ("include", "exclude") and isinstance(value, list):
        return ctx.names([str(v) for v in value], limit=8)
    if key == "limits" and isinstance(value, list | Mapping):  # ["cost=60"] as --limit takes it
        pairs = value.items() if isinstance(value, Mapping) else (str(v).partition("=")[::2] for v in value)
        return ", ".join(_limit(ctx, str(rid).strip(), limit) for rid, limit in pairs)
    if key == "scenario":
        return ctx.scenarios.get(value, str(value))
    if key == "group":
        return ctx.groups.get(value, str(value))
    if isinstance(value, bool):
        return ctx.yes(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return _plain(value)


def _limit(ctx: Context, rid: str, limit: Any) -> str:
    """One limit of a run (``Investitionen 60 EUR m``): the resource's name, the amount in its unit."""
    from ..case import parse_number

    res, text = ctx.case.resources.get(rid), str(limit).strip()
    try:  # a decimal comma as --limit reads it (12,5; 1.234,5)
        amount = ctx.amount(parse_number(text, decimal_comma=True) if "," in text else float(text))
    except ValueError:
        amount = text
    unit = f" {res.unit}" if res is not None and res.unit else ""
    return ctx.t["runs_limit"].format(resource=ctx.resources.get(rid, rid), limit=amount + unit)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def change_reason(ctx: Context, reason: Mapping[str, Any], before: str) -> str:
    """One reason why a measure entered or left between two runs, in the report's language.

    The portfolio's own codes (``resource``, ``excluded_by``, ``excluded``, ...) read as the
    portfolio section reads them; the analyst's changes (a limit, the scenario, the weights, a
    measure forced in) and what kept an entering measure out in the run ``before`` have texts of
    their own; a code the report does not know is said by the comparison's English ``text``."""
    t, code = ctx.t, reason.get("code")
    try:
        if code == "limit_changed":
            was, now = reason.get("before"), reason.get("now")
            raised = now is None or (was is not None and float(now) > float(was))
            return reason_text(ctx, {**reason, "code": "limit_raised" if raised else "limit_lowered"})
        if code == "included":
            return t["runs_why_included"]
        if code == "crowded_out":
            return t["runs_why_crowded_out"].format(
                measure=ctx.measures.get(reason["measure"], reason["measure"])
            )
        if code == "no_longer_included":
            return t["runs_why_no_longer_included"].format(run=reason["run"])
        if code == "no_longer_excluded":
            return t["runs_why_no_longer_excluded"].format(run=reason["run"])
        if code == "scenario_changed":
            name = lambda s: ctx.scenarios.get(s, str(s)) if s else t["scenario_base"]
            return t["runs_why_scenario"].format(
                before=name(reason.get("before")), now=name(reason.get("now"))
            )
        if code == "weights_changed":
            return t["runs_why_weights"].format(
                before=param_text(ctx, "weights", reason.get("before")),
                now=param_text(ctx, "weights", reason.get("now")),
            )
        if code == "was_blocked":
            said = "; ".join(change_reason(ctx, r, before) for r in reason.get("by") or [])
            return t["runs_why_was_blocked"].format(run=before, reasons=said or "–")
        if f"why_{code}" in t:
            return reason_text(ctx, dict(reason))
    except (KeyError, TypeError, ValueError, IndexError):
        pass  # a reason without the fields its text needs: said by its own text
    return str(reason.get("text") or code or "–")


def _when(created: str | None) -> str:
    """When a run was saved, to the minute (``2040-01-31 09:30 UTC``); a time that is not ISO
    8601 as it is."""
    from datetime import datetime

    try:
        at = datetime.fromisoformat(str(created))
    except ValueError:
        return str(created or "–")
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%d %H:%M") + " UTC"


def _status(ctx: Context, status: str | None) -> str:
    return "–" if status is None else ctx.t.get("solver_" + str(status).replace(" ", "_"), str(status))


def _resource_label(ctx: Context, r: Mapping[str, Any]) -> str:
    if r["id"] in ctx.case.resources:
        return ctx.resource_label(r["id"])
    return r["id"] + (f" ({r['unit']})" if r.get("unit") else "")


def _delivers_label(d: Mapping[str, Any]) -> str:
    text = (d.get("name") or d["id"]) + (f" ({d['unit']})" if d.get("unit") else "")
    return f"Ø {text}" if d.get("aggregate") == "mean" else text


def _district(ctx: Context, district: str | None) -> str:
    return ctx.districts.get(district, district) if district is not None else ctx.t["none"]


def _changes(ctx: Context, c: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every change between consecutive runs: its title and, per measure that entered or left,
    its name, which way and why."""
    t, out = ctx.t, []
    for ch in c.get("changes") or []:
        rows = [
            {
                "id": x["id"],
                "name": ctx.measures.get(x["id"], x.get("name") or x["id"]),
                "way": t[_WAYS[way]],
                "why": "; ".join(change_reason(ctx, r, ch["from"]) for r in x.get("reasons") or []) or "–",
            }
            for way in ("entered", "left")
            for x in ch.get(way) or []
        ]
        out.append({"title": t["runs_change"].format(before=ch["from"], after=ch["to"]), "rows": rows})
    return out


# -- the page ----------------------------------------------------------------------------------


def runs_view(ctx: Context, c: Mapping[str, Any]) -> dict[str, Any]:
    """What the portfolio section shows of a comparison: the runs (when, note, status, value),
    the parameters that differ, the measures x runs matrix, the value, resources, what each
    package delivers, the districts, and what entered and left at each change, with why."""
    t, runs = ctx.t, c["runs"]
    mark = lambda on, tier: ("✓" + (f" ({tier})" if tier is not None else "")) if on else "–"
    districts = []
    for d in c.get("districts") or []:
        name = _district(ctx, d.get("district"))
        districts.append((name, t["runs_measures"], [ctx.num(int(n)) for n in d["measures"]]))
        districts.append((name, t["value"], [ctx.num(v, 3) for v in d["value"]]))
        for rid, sums in (d.get("resources") or {}).items():
            label = ctx.resource_label(rid) if rid in ctx.case.resources else rid
            districts.append((name, label, [ctx.amount(v) for v in sums]))
    return {
        "names": [r["name"] for r in runs],
        "runs": [
            {
                "name": r["name"],
                "created": _when(r.get("created")),
                "note": r.get("note") or "–",
                "status": _status(ctx, r.get("status")),
                "value": ctx.num(r.get("value"), 3),
                "parameters": "; ".join(
                    f"{param_label(ctx, k)}: {param_text(ctx, k, v)}"
                    for k, v in (r.get("parameters") or {}).items()
                )
                or t["runs_defaults"],
            }
            for r in runs
        ],
        "parameters": [
            (param_label(ctx, p["parameter"]), [param_text(ctx, p["parameter"], v) for v in p["values"]])
            for p in c.get("parameters") or []
        ],
        "measures": [
            (
                ctx.measures.get(m["id"], m.get("name") or m["id"]),
                _district(ctx, m.get("district")),
                [mark(on, tier) for on, tier in zip(m["selected"], m.get("tier") or [None] * len(runs))],
            )
            for m in c.get("measures") or []
        ],
        "value": [ctx.num(v, 3) for v in c.get("value") or [r.get("value") for r in runs]],
        "resources": [
            (
                _resource_label(ctx, r),
                [
                    f"{ctx.amount(u)} / {t['no_limit'] if lim is None else ctx.amount(lim)}"
                    for u, lim in zip(r["used"], r["limit"])
                ],
            )
            for r in c.get("resources") or []
        ],
        "delivers": [
            (_delivers_label(d), [ctx.amount(v) for v in d["selected"]]) for d in c.get("delivers") or []
        ],
        "districts": districts,
        "changes": _changes(ctx, c),
    }


# -- the workbook ------------------------------------------------------------------------------


def runs_rows(ctx: Context, c: Mapping[str, Any]) -> tuple[list[str], list[list[Any]], list[int]]:
    """The ``runs`` sheet: one column per run (what it is, its parameters, each measure selected
    or not with its tier, the value, each resource's use and limit, what it delivers, the
    districts), then a second table of the changes (from, to, measure, entered or left, why).
    Returns the header, the rows and the row numbers of the second table's header (bold)."""
    t, runs = ctx.t, c["runs"]
    n = len(runs)
    rows: list[list[Any]] = [
        [t["runs_created"], "", *[r.get("created") for r in runs]],
        [t["note"], "", *[r.get("note") or None for r in runs]],
        [t["solver_status"], "", *[_status(ctx, r.get("status")) for r in runs]],
        [t["value"], "", *(c.get("value") or [r.get("value") for r in runs])],
    ]
    for p in c.get("parameters") or []:
        rows.append(
            [
                param_label(ctx, p["parameter"]),
                p["parameter"],
                *[param_text(ctx, p["parameter"], v) for v in p["values"]],
            ]
        )
    for m in c.get("measures") or []:
        rows.append([ctx.measures.get(m["id"], m.get("name") or m["id"]), m["id"], *m["selected"]])
        if any(x is not None for x in m.get("tier") or []):
            rows.append([f"{t['tier']}: {ctx.measures.get(m['id'], m['id'])}", m["id"], *m["tier"]])
    for r in c.get("resources") or []:
        rows.append([f"{t['used']}: {_resource_label(ctx, r)}", r["id"], *r["used"]])
        rows.append([f"{t['limit']}: {_resource_label(ctx, r)}", r["id"], *r["limit"]])
    for d in c.get("delivers") or []:
        rows.append([_delivers_label(d), d["id"], *d["selected"]])
    for d in c.get("districts") or []:
        name = _district(ctx, d.get("district"))
        rows.append([f"{name}: {t['runs_measures']}", d.get("district"), *d["measures"]])
        rows.append([f"{name}: {t['value']}", d.get("district"), *d["value"]])
        for rid, sums in (d.get("resources") or {}).items():
            rows.append([f"{name}: {ctx.resource_label(rid)}", d.get("district"), *sums])
    header = [t["runs_row"], "id", *[r["name"] for r in runs]]
    rows.append([None] * (n + 2))
    second = len(rows) + 2  # the sheet's row number: the header is row 1
    rows.append([t["runs_from"], t["runs_to"], "id", t["measure"], t["runs_way"], t["runs_why"]])
    for ch, said in zip(c.get("changes") or [], _changes(ctx, c)):
        for x in said["rows"]:
            rows.append([ch["from"], ch["to"], x["id"], x["name"], x["way"], x["why"]])
    return header, rows, [second]
