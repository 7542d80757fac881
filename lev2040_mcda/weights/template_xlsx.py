"""The XLSX submission template: a sheet to fill in, as the engine reads it, and a guide beside it.

The first sheet is exactly what :mod:`lev2040_mcda.case.submissions` reads: a header row of
``respondent``, ``group``, ``method`` and the item ids, one row per respondent. Everything that
helps a person fill it in lies where the engine does not look: comments on the header cells,
drop-downs and number checks on the cells (data validation), a warning colour on a points row that
does not add up, and a second sheet with the instructions, the items with their titles, an
example and, for points, a cell that adds up row 2 and says whether it makes the budget. (A check
cell beside the row would be a column the engine cannot use once Excel has stored its value.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..case import Criterion, Measure
from ..output import escape_cell, xlsx_bytes
from .templates import _clean

__all__ = ["Sheet", "workbook", "rounded", "example_values", "TABLE_METHODS", "ROWS"]

TABLE_METHODS = ("direct", "points", "ranking", "swing")
"""The methods a table can hold (pairwise judgements need YAML)."""
ROWS = 1000
"""How many rows below the header the drop-downs, number checks and the points colour cover."""
_INLINE_LIST = 255
"""Excel refuses a drop-down list written into the rule that is longer than this."""
_META = ("respondent", "group", "method")


@dataclass(frozen=True)
class Sheet:
    """What the workbook shows, in the template's language (``title``, ``help``) and the case's
    own names (``items``: id and title; ``groups``: id and name)."""

    title: str
    help: str
    method: str
    level: str
    items: list[tuple[str, str]]
    groups: list[tuple[str, str]]
    criteria: dict[str, Criterion]
    measures: Sequence[Measure]
    goal_criteria: dict[str, list[str]]
    budget: int = 100


def rounded(x: float, digits: int = 6) -> int | float:
    """``x`` to ``digits`` significant digits, an int when whole: a cell shows 0.055, never
    0.054999999999999986, and 100 rather than 100.0.

    >>> rounded(0.1 + 0.2), rounded(100.0), rounded(2 / 3, 3)
    (0.3, 100, 0.667)
    """
    value = float(f"{x:.{digits}g}")
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def example_values(method: str, n: int, budget: int = 100) -> list[int]:
    """A filled row for the guide: falling values, whole numbers, points adding up to ``budget``
    (largest remainders), swing from 100 down, ranks 1..n."""
    if method == "ranking":
        return list(range(1, n + 1))
    if method == "swing":
        return [round(100 * (n - k) / n) for k in range(n)]
    if method == "direct":
        return list(range(n, 0, -1))
    raw = [budget * (n - k) / (n * (n + 1) / 2) for k in range(n)]
    out = [int(v) for v in raw]
    for k in sorted(range(n), key=lambda k: (out[k] - raw[k], k))[: budget - sum(out)]:
        out[k] += 1
    return out


def workbook(sheet: Sheet, t: dict[str, str]) -> bytes:
    """The template workbook's bytes, the same whenever it is made (:func:`~lev2040_mcda.output.xlsx_bytes`)."""
    from openpyxl import Workbook

    wb = Workbook()
    data = wb.active
    data.title = t["sheet.data"]
    guide = wb.create_sheet(t["sheet.guide"])
    ids = [i for i, _ in sheet.items]
    first, last = _letter(len(_META) + 1), _letter(len(_META) + len(ids))
    cells = f"'{data.title}'!${first}$2:${last}$2"
    group_rows = _guide(guide, sheet, t, cells)
    _data(data, sheet, t, ids, group_rows, guide.title)
    return xlsx_bytes(wb)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _data(
    ws: Any, sheet: Sheet, t: dict[str, str], ids: list[str], group_rows: tuple[int, int], guide: str
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    header = [*_META, *ids]
    ws.append(header)
    one_group = sheet.groups[0][0] if len(sheet.groups) == 1 else None
    ws.append([None, one_group, sheet.method, *[None] * len(ids)])
    titles = dict(sheet.items)
    notes = {
        "respondent": t["head.respondent"],
        "group": t["head.group"],
        "method": t["head.method"].format(method=sheet.method),
    }
    for k, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=k)
        cell.font = Font(bold=True)
        text = notes.get(name) or titles.get(name)
        if text and (name != "group" or sheet.groups):
            cell.comment = Comment(text, "lev2040")
        width = 18 if name == "respondent" else max(len(name), 8) + 2
        if name == "group":
            width = max([len(g) for g, _ in sheet.groups] + [8]) + 4
        ws.column_dimensions[_letter(k)].width = width
    ws.freeze_panes = "A2"
    last_row = ROWS + 1
    if sheet.groups:
        listed = ",".join(g for g, _ in sheet.groups)
        source = (
            f'"{listed}"'
            if len(listed) <= _INLINE_LIST
            else f"'{guide}'!$A${group_rows[0]}:$A${group_rows[1]}"
        )
        _validate(ws, "list", source, f"B2:B{last_row}", t["valid.group.title"], t["valid.group"])
    methods = '"' + ",".join(TABLE_METHODS) + '"'
    _validate(ws, "list", methods, f"C2:C{last_row}", t["valid.method.title"], t["valid.method"])
    first, last = _letter(len(_META) + 1), _letter(len(header))
    items = f"{first}2:{last}{last_row}"
    if sheet.method == "ranking":
        rule = t["valid.rank"].format(n=len(ids))
        _validate(ws, "whole", 1, items, t["valid.number.title"], rule, maximum=len(ids))
    elif sheet.method == "swing":
        _validate(ws, "decimal", 0, items, t["valid.number.title"], t["valid.swing"], maximum=100)
    else:
        _validate(ws, "decimal", 0, items, t["valid.number.title"], t["valid.number"])
    if sheet.method == "points":
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import PatternFill

        row = f"${first}2:${last}2"
        off = f"AND(COUNT({row})>0,ROUND(SUM({row}),6)<>{sheet.budget})"
        fill = PatternFill(start_color="FFE699", end_color="FFE699", fill_type="solid")
        ws.conditional_formatting.add(items, FormulaRule(formula=[off], fill=fill))


def _validate(
    ws: Any,
    kind: str,
    formula: str | int,
    cells: str,
    title: str,
    text: str,
    maximum: int | None = None,
) -> None:
    """A data-validation rule on ``cells``: a list (``formula`` its source), or numbers of ``kind``
    from ``formula`` (to ``maximum``, else at least ``formula``)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    operator = None if kind == "list" else ("between" if maximum is not None else "greaterThanOrEqual")
    dv = DataValidation(
        type=kind,
        operator=operator,
        formula1=str(formula),
        formula2=None if maximum is None else str(maximum),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=title,
        error=text,
        promptTitle=title,
        prompt=text,
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _guide(ws: Any, sheet: Sheet, t: dict[str, str], cells: str) -> tuple[int, int]:
    """Fill the guide sheet; the rows of its group ids (the drop-down's source when the list is
    too long to write into the rule)."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    ws.append([escape_cell(sheet.title)])
    ws["A1"].font = bold
    ws.append([escape_cell(sheet.help)])
    ws.append([t["rows"].format(sheet=t["sheet.data"])])
    ws.append([t["example.note"].format(example=t["col.example"])])
    if sheet.level == "criteria":
        ws.append([t["range.note"]])
    ws.append([])
    if sheet.method == "points":
        ws.append([t["check.total"].format(sheet=t["sheet.data"]), f"=SUM({cells})"])
        total = ws.max_row  # (an empty append adds no cell: count the rows after writing)
        ws.append([t["check.required"], sheet.budget])
        verdict = (
            f'=IF(COUNT({cells})=0,"{t["check.empty"]}",'
            f'IF(ROUND(B{total},6)=B{total + 1},"{t["check.ok"]}",'
            f'"{t["check.off"].format(budget=sheet.budget)}"))'
        )
        ws.append([t["check.result"], verdict])
        for r in range(total, total + 3):
            ws.cell(row=r, column=1).font = bold
        ws.append([])
    examples = example_values(sheet.method, len(sheet.items), sheet.budget)
    if sheet.level == "criteria":
        head = ["col.id", "col.title", "col.unit", "col.better", "col.worst", "col.best", "col.example"]
    else:
        head = ["col.id", "col.title", "level.criteria", "col.example"]
    ws.append([t[k] for k in head])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for (item, title), example in zip(sheet.items, examples):
        if sheet.level == "criteria":
            c = sheet.criteria[item]
            worst, best = _scale(c, sheet.measures)
            title = _clean(c.name)  # the unit has a column of its own here
            extra = [c.unit, t[f"better.{c.direction}"], worst, best]
        else:
            extra = ["; ".join(sheet.goal_criteria.get(item, []))]
        ws.append([escape_cell(v) for v in (item, title, *extra, example)])
    rows = (0, 0)
    if sheet.groups:
        ws.append([])
        ws.append([t["groups.heading"], t["col.name"]])
        ws.cell(row=ws.max_row, column=1).font = bold
        for g, name in sheet.groups:
            ws.append([escape_cell(g), escape_cell(name)])
        rows = (ws.max_row - len(sheet.groups) + 1, ws.max_row)
    ws.column_dimensions["A"].width = max([len(i) for i, _ in sheet.items] + [12]) + 2
    ws.column_dimensions["B"].width = min(max([len(x) for _, x in sheet.items] + [12]) + 2, 60)
    return rows


def _scale(c: Criterion, measures: Sequence[Measure]) -> tuple[int | float | None, int | float | None]:
    """The criterion's worst and best value: its catalogue bounds, else the candidates' values."""
    values = [m.performance[c.id] for m in measures if c.id in m.performance]
    low = c.min if c.min is not None else (min(values) if values else None)
    high = c.max if c.max is not None else (max(values) if values else None)
    low, high = (None if v is None else rounded(v) for v in (low, high))
    return (high, low) if c.direction == "cost" else (low, high)
