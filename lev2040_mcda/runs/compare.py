"""Portfolio runs side by side: which measures each holds, what entered and left from one run to
the next and why, and what each adds up to (value, resources, what it delivers, per district).

Why a comparison re-solves nothing: it reads what the saved runs printed (their JSON) and the
options they were given, so it is instant and still says what a run found when the case has
changed since. The reasons a measure left or entered come from both: what blocked it in the run
where it is out (that run's explanations) and what the analyst changed between the two runs that
touches it (a limit, a forced measure, the scenario, the weights, another option).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from .record import Run

if TYPE_CHECKING:
    from ..case import Case

__all__ = ["compare_runs"]

WHERE = "runs diff"
"""Where a problem with the runs asked for is located (the command that compares them)."""

_WEIGHT_KEYS = ("weights_from", "group", "weights_file", "weights")
_HANDLED = {"limits", "include", "exclude", "scenario", *_WEIGHT_KEYS}
_NO_EFFECT = {"tiers", "no_explain", "compare"}
"""Options that change what a run prints about its portfolio, not which measures it selects."""
_FORCED = ("included", "required", "mandatory")
_TEXTS = {
    "included": "forced in (--include)",
    "required": "required by a forced measure",
    "mandatory": "mandatory in the case",
    "excluded": "forced out (--exclude)",
    "no_longer_included": "no longer forced in (it was with --include in {run})",
    "crowded_out": "{measure} was forced in (--include) and takes a resource it needs",
    "no_longer_excluded": "no longer forced out (it was with --exclude in {run})",
    "scenario_changed": "the scenario changed ({before} -> {now})",
    "weights_changed": "the weights changed ({before} -> {now})",
    "parameter_changed": "option {parameter} changed ({before} -> {now})",
    "no_explanation": "run {run} holds no explanation of it (saved with --no-explain)",
}


def compare_runs(runs: Sequence[Run], case: Case | None = None) -> dict[str, Any]:
    """The portfolio ``runs`` side by side, JSON-ready, every per-run list in the order given.

    ``case`` (the case as it is now) gives the measures' districts and resources, for the
    per-district sums and the case's order of measures; without it measures come in the order the
    runs first name them and there are no districts. Anything but two or more portfolio runs that
    found a portfolio is refused with a located :class:`InputError`.
    """
    _check(runs, case)
    known = {m.id: m for m in case.measures} if case is not None else {}
    found = {m["id"]: m for r in runs for m in r.result.get("measures") or []}
    chosen = {mid for r in runs for mid in r.result["selected"]}
    order = [mid for mid in known if mid in chosen]
    order += [mid for r in runs for mid in r.result["selected"] if mid not in order]
    order = list(dict.fromkeys(order))
    tiers = [{m["id"]: m.get("tier") for m in r.result.get("measures") or []} for r in runs]
    measures = [
        {
            "id": mid,
            "name": known[mid].name if mid in known else found.get(mid, {}).get("name", mid),
            "district": known[mid].district if mid in known else None,
            "selected": [mid in r.result["selected"] for r in runs],
            "tier": [t.get(mid) if mid in r.result["selected"] else None for r, t in zip(runs, tiers)],
        }
        for mid in order
    ]
    names = {m["id"]: m["name"] for m in measures} | {
        mid: (known[mid].name if mid in known else m.get("name", mid)) for mid, m in found.items()
    }
    return {
        "runs": [
            {
                "name": r.name,
                "command": r.command,
                "created": r.created,
                "note": r.note,
                "status": r.status,
                "value": _value(r),
                "parameters": r.key_parameters(),
            }
            for r in runs
        ],
        "measures": measures,
        "changes": [_change(a, b, case, names) for a, b in itertools.pairwise(runs)],
        "parameters": _parameters(runs),
        "value": [_value(r) for r in runs],
        "resources": _resources(runs, case),
        "delivers": _delivers(runs, case),
        "districts": _districts(runs, case) if case is not None else [],
    }


def _check(runs: Sequence[Run], case: Case | None) -> None:
    if len(runs) < 2:
        raise InputError(Problem(WHERE, f"name at least two portfolio runs to compare ({len(runs)} given)"))
    seen: set[str] = set()
    for r in runs:
        if r.command != "portfolio":
            raise InputError(
                Problem(WHERE, f"run {r.name!r} is a `{r.command}` run; only portfolio runs can be compared")
            )
        if not isinstance(r.result.get("selected"), list):
            raise InputError(
                Problem(
                    WHERE,
                    f"run {r.name!r} found no portfolio (status {r.result.get('status') or r.status}); "
                    "only runs with a portfolio can be compared",
                )
            )
        if r.name in seen:
            raise InputError(Problem(WHERE, f"run {r.name!r} is named twice (each run is one column)"))
        if case is not None and r.case != case.config.name:
            raise InputError(
                Problem(WHERE, f"run {r.name!r} is a run of case {r.case!r}, not of {case.config.name!r}")
            )
        seen.add(r.name)


def _value(run: Run) -> float | None:
    value = run.value if run.value is not None else run.result.get("objective")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _given(run: Run, key: str) -> Any:
    """An option as the run was given it, with "not given" one value (None) whatever its form."""
    value = run.params.get(key)
    return None if value in (None, [], (), "") else value


def _listed(run: Run, key: str) -> list[str]:
    value = _given(run, key)
    return [] if value is None else [value] if isinstance(value, str) else [str(v) for v in value]


def _parameters(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """The options that differ between the runs (in the order the runs first name them)."""
    keys = dict.fromkeys(k for r in runs for k in r.key_parameters())
    rows = []
    for key in keys:
        values = [_given(r, key) for r in runs]
        if any(v != values[0] for v in values):
            rows.append({"parameter": key, "values": values})
    return rows


def _limits(run: Run) -> dict[str, float | None]:
    return {r: v.get("limit") for r, v in (run.result.get("resources") or {}).items()}


def _weights(run: Run) -> str:
    """Where a run's weights came from, in a few words."""
    file = _given(run, "weights_file") or _given(run, "weights")
    if file is not None:
        return f"file {file}"
    group = _given(run, "group")
    return f"group {group}" if group is not None else str(_given(run, "weights_from") or "consensus")


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _reason(code: str, **fields: Any) -> dict[str, Any]:
    """A reason with its English sentence (the portfolio's sentences for its own codes)."""
    from ..portfolio import REASONS, reason_text

    reason = {"code": code, **fields}
    if code in _TEXTS:
        text = _TEXTS[code].format(**{k: _shown(v) for k, v in fields.items()})
    elif code in REASONS:
        text = reason_text(reason)
    else:
        text = code.replace("_", " ")
    return {**reason, "text": text}


def _explained(run: Run, mid: str) -> list[dict[str, Any]] | None:
    """Why ``run`` left ``mid`` out, each reason with its text as the run printed it; None when
    the run explains nothing of it (saved with --no-explain)."""
    for entry in (run.result.get("explanations") or {}).get("not_selected") or []:
        if entry.get("id") != mid:
            continue
        reasons, texts = entry.get("reasons") or [], entry.get("blocked_by") or []
        if not reasons:
            return [{"code": "blocked", "text": t} for t in texts]
        if len(texts) != len(reasons):
            return [_reason(**r) for r in reasons]
        return [{**r, "text": t} for r, t in zip(reasons, texts)]
    return None


def _forced(run: Run, mid: str) -> list[dict[str, Any]]:
    """How ``run`` forced ``mid`` in, if it did (its explanation, or its --include)."""
    for entry in (run.result.get("explanations") or {}).get("selected") or []:
        reason = entry.get("reason") or {}
        if entry.get("id") == mid and reason.get("code") in _FORCED:
            return [_reason(**reason)]
    return [_reason("included")] if mid in _listed(run, "include") else []


def _uses(mid: str, resource: str, case: Case | None, *explained: list[dict[str, Any]] | None) -> bool:
    """Whether ``mid`` takes some of ``resource``: by the case, else by what the runs said it
    needs, else (nothing known) assumed, so that no change that may touch it goes unsaid."""
    if case is not None:
        for m in case.measures:
            if m.id == mid:
                return (m.resources.get(resource) or 0.0) > 0
    needs = [
        r.get("need") or 0.0
        for reasons in explained
        for r in reasons or []
        if r.get("code") == "resource" and r.get("resource") == resource
    ]
    return not needs or max(needs) > 0


def _changed(a: Run, b: Run) -> list[dict[str, Any]]:
    """What the analyst changed from ``a`` to ``b`` that may touch every measure."""
    out = []
    if _given(a, "scenario") != _given(b, "scenario"):
        out.append(_reason("scenario_changed", before=_given(a, "scenario"), now=_given(b, "scenario")))
    if _weights(a) != _weights(b):
        out.append(_reason("weights_changed", before=_weights(a), now=_weights(b)))
    keys = dict.fromkeys(k for r in (a, b) for k in r.key_parameters())
    for key in keys:
        if key not in _HANDLED | _NO_EFFECT and _given(a, key) != _given(b, key):
            out.append(_reason("parameter_changed", parameter=key, before=_given(a, key), now=_given(b, key)))
    return out


def _limit_changes(a: Run, b: Run, mid: str, entered: bool, uses: Any) -> list[dict[str, Any]]:
    """The limits that changed from ``a`` to ``b`` in the direction of the move (raised for a
    measure that entered, lowered for one that left), of resources the measure takes."""
    before, now = _limits(a), _limits(b)
    out = []
    for r in dict.fromkeys([*before, *now]):
        was, lim = before.get(r), now.get(r)
        if was == lim or not uses(r):
            continue
        raised = lim is None or (was is not None and lim > was)
        if raised == entered:
            word = "lifted" if lim is None else "set" if was is None else "raised" if raised else "lowered"
            shown = [("no limit" if v is None else f"{v:g}") for v in (was, lim)]
            text = f"the limit of {r} was {word} ({shown[0]} -> {shown[1]})"
            out.append({"code": "limit_changed", "resource": r, "before": was, "now": lim, "text": text})
    return out


def _crowded_out(a: Run, b: Run, mid: str, case: Case | None, after: set[str]) -> list[dict[str, Any]]:
    """The measures ``b`` newly forced in that take a resource ``mid`` needs (every one when the
    case is not at hand): a measure pushed out by another's --include is told so."""
    newly = [m for m in _listed(b, "include") if m not in _listed(a, "include") and m in after and m != mid]
    resources = list(case.resources) if case is not None else []
    return [
        _reason("crowded_out", measure=other)
        for other in newly
        if case is None or any(_uses(mid, r, case) and _uses(other, r, case) for r in resources)
    ]


def _change(a: Run, b: Run, case: Case | None, names: dict[str, str]) -> dict[str, Any]:
    before, after = set(a.result["selected"]), set(b.result["selected"])
    common = _changed(a, b)
    ordered = [mid for mid in names if mid in before ^ after] + sorted((before ^ after) - set(names))
    entered, left = [], []
    for mid in ordered:
        in_a, in_b = _explained(a, mid), _explained(b, mid)

        def uses(r: str, mid: str = mid, in_a: Any = in_a, in_b: Any = in_b) -> bool:
            return _uses(mid, r, case, in_a, in_b)

        if mid in after:
            reasons = _forced(b, mid)
            if mid in _listed(a, "exclude") and mid not in _listed(b, "exclude"):
                reasons.append(_reason("no_longer_excluded", run=a.name))
            reasons += _limit_changes(a, b, mid, True, uses)
            for blocker in in_a or []:
                if blocker.get("code") == "excluded_by" and blocker.get("measure") not in after:
                    reasons.append(_reason("released_by", measure=blocker["measure"]))
            reasons += common
            if in_a is None:
                reasons.append(_reason("no_explanation", run=a.name))
            else:
                shown = "; ".join(r["text"] for r in in_a)
                reasons.append({"code": "was_blocked", "by": in_a, "text": f"in {a.name}: {shown}"})
            entered.append({"id": mid, "name": names.get(mid, mid), "reasons": reasons})
        else:
            reasons = list(in_b or [])
            if mid in _listed(b, "exclude") and not any(r.get("code") == "excluded" for r in reasons):
                reasons.insert(0, _reason("excluded"))
            if mid in _listed(a, "include") and mid not in _listed(b, "include"):
                reasons.append(_reason("no_longer_included", run=a.name))
            reasons += _crowded_out(a, b, mid, case, after)
            reasons += _limit_changes(a, b, mid, False, uses)
            reasons += common
            if in_b is None:
                reasons.append(_reason("no_explanation", run=b.name))
            left.append({"id": mid, "name": names.get(mid, mid), "reasons": reasons})
    return {"from": a.name, "to": b.name, "entered": entered, "left": left}


def _resources(runs: Sequence[Run], case: Case | None) -> list[dict[str, Any]]:
    ids = list(case.config.resources) if case is not None else []
    ids += [r for run in runs for r in run.result.get("resources") or {} if r not in ids]
    rows = []
    for rid in dict.fromkeys(ids):
        found = [(run.result.get("resources") or {}).get(rid) for run in runs]
        if not any(found):
            continue
        unit = next((f.get("unit") for f in found if f and f.get("unit")), None)
        if unit is None and case is not None and rid in case.config.resources:
            unit = case.config.resources[rid].unit
        rows.append(
            {
                "id": rid,
                "unit": unit,
                "limit": [f.get("limit") if f else None for f in found],
                "used": [f.get("used") if f else None for f in found],
            }
        )
    return rows


def _delivers(runs: Sequence[Run], case: Case | None) -> list[dict[str, Any]]:
    named = {c for run in runs for c in run.result.get("delivers") or {}}
    ids = [c for c in (case.criterion_ids if case is not None else ()) if c in named]
    ids = dict.fromkeys([*ids, *(c for run in runs for c in run.result.get("delivers") or {})])
    rows = []
    for cid in ids:
        found = [(run.result.get("delivers") or {}).get(cid) for run in runs]
        first = next(f for f in found if f)
        rows.append(
            {
                "id": cid,
                "name": first.get("name", cid),
                "unit": first.get("unit"),
                "aggregate": first.get("aggregate", "sum"),
                "selected": [f.get("selected") if f else None for f in found],
            }
        )
    return rows


def _districts(runs: Sequence[Run], case: Case) -> list[dict[str, Any]]:
    """Per district of the case's measures (in the case's order of districts; measures without
    one last, as null): how many measures each run selects there, what they take of each
    resource (in the run's scenario) and their values."""
    from ..case import apply_scenario

    with_measures = {m.district for m in case.measures}
    order = [d.id for d in case.config.districts if d.id in with_measures]
    order += [m.district for m in case.measures if m.district is not None and m.district not in order]
    if None in with_measures:
        order.append(None)
    order = list(dict.fromkeys(order))
    resources = [r["id"] for r in _resources(runs, case)]
    rows = {
        d: {"district": d, "measures": [], "resources": {r: [] for r in resources}, "value": []}
        for d in order
    }
    for run in runs:
        try:
            seen = apply_scenario(case, _given(run, "scenario"))
        except InputError:  # the scenario is gone from the case: its measures as they are
            seen = case
        chosen = set(run.result["selected"])
        values = {m["id"]: m.get("value") or 0.0 for m in run.result.get("measures") or []}
        for d, row in rows.items():
            here = [m for m in seen.measures if m.district == d and m.id in chosen]
            row["measures"].append(len(here))
            for r in resources:
                row["resources"][r].append(math.fsum(m.resources.get(r) or 0.0 for m in here))
            row["value"].append(math.fsum(values.get(m.id, 0.0) for m in here))
    return list(rows.values())
