"""The tables of ``lev2040 runs diff``: saved portfolio runs side by side, for people
(:func:`diff_table`) and for programs and spreadsheets (:func:`diff_csv`).

Pure formatting of the comparison :func:`lev2040_mcda.runs.compare_runs` makes (plain data), so
that the text shows exactly what ``--format json`` holds; the CSV is the workbook's comparison
sheet (:func:`lev2040_mcda.runs.export.comparison_rows`), one layout for both.
"""

from __future__ import annotations

from typing import Any

from .format import _fmt, _num, format_table

__all__ = ["diff_csv", "diff_table"]


def diff_table(comparison: dict[str, Any]) -> str:
    """The comparison for people: the runs and what each changed, the measures x runs matrix
    (``x`` = selected), the totals (value, resources used of their limits, what the portfolios
    deliver, per district), then for each run after the first what entered and left and why."""
    runs = comparison["runs"]
    names = [r["name"] for r in runs]
    parts = [
        f"Portfolio runs side by side: {', '.join(names)}\n",
        format_table(
            ["run", "created", "status", "value", "what it changed", "note"],
            [
                [
                    r["name"],
                    (r.get("created") or "")[:16].replace("T", " "),
                    r.get("status"),
                    _num(r.get("value")),
                    _parameters(r.get("parameters") or {}),
                    r.get("note"),
                ]
                for r in runs
            ],
        ),
        f"\nMeasures (x = selected; {len(comparison['measures'])} selected in at least one run)\n",
        format_table(
            ["measure", "name", "district", *names],
            [
                [m["id"], m["name"], m.get("district") or "", *["x" if s else "" for s in m["selected"]]]
                for m in comparison["measures"]
            ],
        ),
        "\nTotals (resources: used / limit; delivers: the selected measures' sum, or their mean where marked)\n",
        format_table(["", *names], _totals(comparison)),
    ]
    for change in comparison["changes"]:
        parts.append("\n" + _change(change, names, comparison["value"]))
    return "".join(parts)


def diff_csv(comparison: dict[str, Any]) -> str:
    """The comparison as CSV: ``section, id, name, detail`` and one column per run (the layout
    of the workbook's comparison sheet)."""
    from ..output import to_csv
    from ..runs import comparison_rows

    header, rows = comparison_rows(comparison)
    return to_csv(header, rows)


def _parameters(parameters: dict[str, Any]) -> str:
    """What a run changed from the command's defaults, as ``limits=cost=60 include=tram``."""
    return " ".join(
        f"{k}={','.join(str(x) for x in v) if isinstance(v, list) else v}" for k, v in parameters.items()
    )


def _amount(value: Any) -> str:
    return "-" if value is None else _fmt(float(value)) if isinstance(value, int | float) else str(value)


def _limit(value: Any) -> str:
    return "no limit" if value is None else _amount(value)


def _unit(unit: Any) -> str:
    return f" ({unit})" if unit else ""


def _totals(comparison: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["value", *[_num(v) for v in comparison["value"]]]]
    units = {}
    for r in comparison["resources"]:
        units[r["id"]] = r.get("unit")
        rows.append(
            [
                f"{r['id']}{_unit(r.get('unit'))}",
                *[
                    "-" if u is None else f"{_amount(u)} / {_limit(lim)}"
                    for u, lim in zip(r["used"], r["limit"])
                ],
            ]
        )
    for d in comparison["delivers"]:
        mean = "mean " if d.get("aggregate") == "mean" else ""
        rows.append(
            [
                f"{d['id']} {d['name']}{_unit(d.get('unit'))}",
                *["-" if v is None else f"{mean}{_amount(v)}" for v in d["selected"]],
            ]
        )
    for d in comparison["districts"]:
        where = d["district"] or "(no district)"
        rows.append([f"{where}: measures", *d["measures"]])
        for rid, sums in d["resources"].items():
            rows.append([f"{where}: {rid}{_unit(units.get(rid))}", *[_amount(v) for v in sums]])
        rows.append([f"{where}: value", *[_num(v) for v in d["value"]]])
    return rows


def _change(change: dict[str, Any], names: list[str], values: list[Any]) -> str:
    a, b = change["from"], change["to"]
    head = f"{a} -> {b}: value {_num(values[names.index(a)])} -> {_num(values[names.index(b)])}"
    entered = [m["id"] for m in change["entered"]]
    left = [m["id"] for m in change["left"]]
    if not entered and not left:
        return f"{head}; the same measures\n"
    head += "".join(
        f"; {word}: {', '.join(ids)}" for word, ids in (("entered", entered), ("left", left)) if ids
    )
    rows = [
        [m["id"], m["name"], word, "; ".join(r["text"] for r in m["reasons"])]
        for word, key in (("entered", "entered"), ("left", "left"))
        for m in change[key]
    ]
    return f"{head}\n" + format_table(["measure", "name", "change", "why"], rows)
