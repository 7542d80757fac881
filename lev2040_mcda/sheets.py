"""Workbooks: the same bytes for the same content (:func:`xlsx_bytes`, :func:`source_date`), and
any command's table as a workbook that a German Excel opens as it is (:func:`table_workbook`).

Below :mod:`lev2040_mcda.output` (which re-exports the first two): no clock in any output.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["source_date", "xlsx_bytes", "table_workbook", "csv_cell", "fill_sheet"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet would run as a formula at the start of a cell (output.escape_cell escapes it)."""


def source_date() -> datetime.datetime:
    """The time written where a format needs one (document properties, zip entries), as naive UTC.

    ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else a fixed date (2000-01-01), within
    what a zip file can hold -- never the clock: two runs on the same inputs give the same bytes.
    """
    epoch = datetime.datetime(1970, 1, 1)
    try:
        when = epoch + datetime.timedelta(seconds=int(os.environ["SOURCE_DATE_EPOCH"]))
    except (KeyError, ValueError, OverflowError):
        when = datetime.datetime(2000, 1, 1)
    return min(max(when, datetime.datetime(1980, 1, 1)), datetime.datetime(2107, 12, 31, 23, 59, 58))


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def xlsx_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file, the same for the same content: the times
    openpyxl stamps (document created and modified, each zip entry) are :func:`source_date`."""
    import zipfile

    when = source_date()
    buf = io.BytesIO()
    workbook.save(buf)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            dst.writestr(fixed, data)
    return out.getvalue()


def csv_cell(text: str) -> Any:
    """A cell of machine CSV as a workbook value: numbers as numbers (12 significant digits, so
    0.054999999999999986 is 0.055), integers as integers, True/False as booleans, else text (a
    formula's escape taken off again: the cell is written as text)."""
    if text in ("True", "False"):
        return text == "True"
    try:
        number = float(text)
    except ValueError:
        if text.startswith("'") and text[1:].startswith(FORMULA_START):
            return text[1:]
        return text
    if not math.isfinite(number):
        return text
    if number.is_integer() and abs(number) < 2**53 and "e" not in text.lower():
        return int(number)
    return float(f"{number:.12g}")


def table_workbook(csv_text: str, title: str) -> bytes:
    """The machine CSV of a command (header and rows) as one worksheet named ``title``: numbers as
    numeric cells, the header bold and frozen, text never run as a formula.

    >>> import openpyxl
    >>> wb = openpyxl.load_workbook(io.BytesIO(table_workbook("id,v\\na,0.054999999999999986\\n", "rank")))
    >>> [[c.value for c in row] for row in wb["rank"].iter_rows()]
    [['id', 'v'], ['a', 0.055]]
    """
    import openpyxl

    wb = openpyxl.Workbook()
    rows = list(csv.reader(io.StringIO(csv_text)))
    title = re.sub(r"[\\/?*\[\]:]", "_", title)[:31] or "result"
    fill_sheet(wb.active, title, rows[:1], [[csv_cell(t) for t in row] for row in rows[1:]])
    return xlsx_bytes(wb)


def fill_sheet(ws: Any, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """One worksheet: the header (a list of one row, or empty) bold and frozen, numbers and
    booleans as they are (floats to 12 significant digits), every text cell a string -- never a
    formula, whatever it starts with, and without the control characters a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.title = title
    widths: dict[int, int] = {}
    for r, row in enumerate([*header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, list | tuple | dict):
                value = str(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            elif isinstance(value, float) and math.isfinite(value):
                value = float(f"{value:.12g}")
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if r == 1 and header:
                cell.font = Font(bold=True)
            widths[c] = max(widths.get(c, 0), min(len(str(value)), 60))
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w + 2
    ws.freeze_panes = "A2"
