"""The workbook of saved runs: one sheet per run (the table its command printed as CSV), a sheet
listing the runs, and the comparison of the portfolio runs as one table (:func:`comparison_rows`,
which is also what ``lev2040 runs diff --format csv`` prints).

Why one flat table for the comparison: it opens as it is in Excel and in any CSV reader, one row
per thing compared (an option, a measure, a resource, a criterion, a district, a change) and one
column per run, so the runs stand side by side the way the diff's text table shows them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from .record import Run

__all__ = ["comparison_rows", "runs_workbook", "sheet_titles"]

_RESERVED = ("runs", "comparison", "history")
"""Titles a run's sheet never takes: the workbook's own two sheets, and the one Excel keeps for itself."""
_MAX_TITLE = 31
"""Excel's limit on a sheet title."""


def comparison_rows(comparison: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The comparison (:func:`~.compare.compare_runs`) as a header and rows: ``section``, ``id``,
    ``name``, ``detail``, then one column per run. A change (``entered``/``left``) puts its
    reasons' texts in the column of the run it leads to, ``detail`` naming the two runs."""
    names = [r["name"] for r in comparison["runs"]]
    header = ["section", "id", "name", "detail", *names]
    rows: list[list[Any]] = []
    for key in ("status", "created", "note"):
        rows.append(["run", key, "", "", *[r[key] for r in comparison["runs"]]])
    for p in comparison["parameters"]:
        rows.append(["parameter", p["parameter"], "", "", *[_param(v) for v in p["values"]]])
    rows.append(["value", "objective", "", "", *comparison["value"]])
    for m in comparison["measures"]:
        rows.append(["measure", m["id"], m["name"], m["district"], *m["selected"]])
    for r in comparison["resources"]:
        rows.append(["resource_used", r["id"], "", r["unit"], *r["used"]])
        rows.append(["resource_limit", r["id"], "", r["unit"], *r["limit"]])
    for d in comparison["delivers"]:
        detail = f"{d['aggregate']}" + (f" in {d['unit']}" if d.get("unit") else "")
        rows.append(["delivers", d["id"], d["name"], detail, *d["selected"]])
    units = {r["id"]: r["unit"] for r in comparison["resources"]}
    for d in comparison["districts"]:
        rows.append(["district_measures", d["district"], "", "count", *d["measures"]])
        for rid, sums in d["resources"].items():
            rows.append(["district_resource", d["district"], rid, units.get(rid), *sums])
        rows.append(["district_value", d["district"], "", "", *d["value"]])
    for change in comparison["changes"]:
        column = names.index(change["to"])
        for kind in ("entered", "left"):
            for m in change[kind]:
                cells: list[Any] = [""] * len(names)
                cells[column] = "; ".join(r["text"] for r in m["reasons"])
                rows.append([kind, m["id"], m["name"], f"{change['from']} -> {change['to']}", *cells])
    return header, rows


def _param(value: Any) -> Any:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else value


def sheet_titles(names: Sequence[str]) -> list[str]:
    """A sheet title for each run name: at most 31 characters, none of Excel's forbidden ones,
    unique whatever the case (as Excel compares them), never the workbook's own sheets' titles;
    a title already taken gets ``~2``, ``~3``, ... in place of its last characters.

    >>> sheet_titles(["runs", "Base", "base", "b" * 40])
    ['runs~2', 'Base', 'base~2', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']
    """
    used = set(_RESERVED)
    titles = []
    for name in names:
        base = re.sub(r"[\\/?*\[\]:]", "_", name).strip("'") or "run"
        title, k = base[:_MAX_TITLE], 1
        while title.lower() in used:
            k += 1
            suffix = f"~{k}"
            title = base[: _MAX_TITLE - len(suffix)] + suffix
        used.add(title.lower())
        titles.append(title)
    return titles


def _parameters(run: Run) -> str:
    return " ".join(
        f"{k}={','.join(str(x) for x in v) if isinstance(v, list) else v}"
        for k, v in run.key_parameters().items()
    )


def runs_workbook(runs: Sequence[Run], comparison: dict[str, Any] | None = None) -> bytes:
    """The runs as an .xlsx workbook: a ``runs`` sheet (name, command, created, note, status,
    value, parameters, and the run's sheet), a ``comparison`` sheet when ``comparison`` is given
    (:func:`comparison_rows`), then one sheet per run with the CSV its command printed. Numbers
    are numbers, text is never run as a formula, and the same runs give the same bytes."""
    import openpyxl

    from ..output import xlsx_bytes
    from ..sheets import csv_cell, fill_sheet

    wb = openpyxl.Workbook()
    titles = sheet_titles([r.name for r in runs])
    header = ["name", "command", "created", "note", "status", "value", "parameters", "sheet"]
    listed = [
        [r.name, r.command, r.created, r.note, r.status, r.value, _parameters(r), t]
        for r, t in zip(runs, titles)
    ]
    fill_sheet(wb.active, "runs", [header], listed)
    if comparison is not None:
        head, rows = comparison_rows(comparison)
        fill_sheet(wb.create_sheet(), "comparison", [head], rows)
    for run, title in zip(runs, titles):
        table = list(csv.reader(io.StringIO(run.outputs.get("csv") or "")))
        head = [_text(h) for h in table[0]] if table else []
        rows = [[csv_cell(t) for t in row] for row in table[1:]]
        fill_sheet(wb.create_sheet(), title, [head] if table else [], rows)
    return xlsx_bytes(wb)


def _text(text: str) -> str:
    """A CSV cell's text with the escape against formulas taken off (the cell is written as text)."""
    from ..sheets import FORMULA_START

    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
