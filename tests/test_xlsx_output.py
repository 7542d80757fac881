"""Any command's ``-o FILE.xlsx`` writes its table as a workbook that a German Excel opens as it is.

The workbook holds the command's machine CSV (``--format csv``) cell by cell: numbers as numeric
cells (12 significant digits: 0.055, not 0.054999999999999986), integers as integers, True/False
as booleans, text as text (never run as a formula); the same inputs give the same bytes;
``--format json`` with ``.xlsx`` is refused in one line.
"""

from __future__ import annotations

import csv
import io
import math

import openpyxl
import pytest

from lev2040_mcda.sheets import table_workbook

from .conftest import CASES

TINY = CASES / "tiny"
COMMANDS = [
    ["validate", TINY],
    ["validate", TINY, "--values"],
    ["weights", TINY],
    ["rank", TINY],
    ["rank", TINY, "--method", "all"],
    ["sensitivity", TINY, "--samples", "200"],
    ["conflicts", TINY],
    ["portfolio", TINY],
    ["frontier", TINY],
    ["robust", TINY, "--samples", "4"],
]


def cells(path) -> list[list]:
    ws = openpyxl.load_workbook(path).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def same(cell, text: str) -> bool:
    """A workbook cell holds what the CSV cell says."""
    if text == "":
        return cell is None
    if isinstance(cell, bool):
        return text == str(cell)
    if isinstance(cell, (int, float)):
        return math.isclose(cell, float(text), rel_tol=1e-11, abs_tol=1e-300)
    return cell == text or "'" + cell == text


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(str(x) for x in a[:1] + a[2:]))
def test_every_command_writes_its_table_as_a_workbook(invoke, tmp_path, args):
    out = tmp_path / "result.xlsx"
    result = invoke(*args, "-o", out)
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    got = cells(out)
    assert openpyxl.load_workbook(out).active.title == args[0]
    assert len(got) == len(table)
    for row, texts in zip(got, table):
        row = row + [None] * (len(texts) - len(row))
        assert all(same(c, t) for c, t in zip(row, texts)), (row, texts)
    numbers = [c for row in got[1:] for c in row if isinstance(c, (int, float)) and not isinstance(c, bool)]
    assert numbers, "a table of results holds numbers, stored as numbers"
    again = tmp_path / "again.xlsx"
    invoke(*args, "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_json_to_a_workbook_is_refused_in_one_line(invoke, tmp_path):
    result = invoke("rank", TINY, "--format", "json", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: -o FILE.xlsx writes the table as a workbook: use --format table or csv"
    )
    assert not (tmp_path / "r.xlsx").exists()


def test_cells_are_numbers_booleans_or_text_never_formulas():
    data = "id,v,n,ok,note\na,0.054999999999999986,12,True,'=HYPERLINK(1)\nb,-3.5,1e20,False,-x\n"
    wb = openpyxl.load_workbook(io.BytesIO(table_workbook(data, "t")))
    ws = wb["t"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows == [
        ["id", "v", "n", "ok", "note"],
        ["a", 0.055, 12, True, "=HYPERLINK(1)"],
        ["b", -3.5, 1e20, False, "-x"],
    ]
    assert ws["E2"].data_type == "s"  # text that looks like a formula stays text
    assert ws.freeze_panes == "A2"
