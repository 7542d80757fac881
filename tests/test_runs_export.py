"""The workbook of saved runs (`runs.runs_workbook`): a sheet listing the runs, the comparison,
one sheet per run with what its command printed; titles Excel accepts; the same bytes for the
same runs; names that look like formulas stay text.

The runs are real (`lev2040 ... --save NAME` on a copy of cases/tiny whose first measure is named
like a formula), read back from the run store.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from lev2040_mcda.runs import compare_runs, runs_workbook
from lev2040_mcda.runs.export import comparison_rows, sheet_titles
from lev2040_mcda.sheets import table_workbook

from .conftest import save_runs

CASES = Path(__file__).resolve().parent.parent / "cases"
FORMULA = "=1+2"
WHAT_IFS = {
    "base": ["portfolio", "--note", "@SUM(A1)"],
    "cost60": ["portfolio", "--limit", "cost=60"],
    "ranked": ["rank"],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The case (tiny, its solar roofs renamed to a formula) and its saved runs by name."""
    from lev2040_mcda.case import load_case

    root = tmp_path_factory.mktemp("export") / "tiny"
    shutil.copytree(CASES / "tiny", root)
    measures = root / "measures.csv"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("Solar roofs", FORMULA), encoding="utf-8"
    )
    runs = save_runs(root, WHAT_IFS)  # the case's name is tiny, as its folder's
    return load_case(root), runs


def _values(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_one_sheet_per_run_a_list_of_them_and_their_comparison(saved):
    case, runs = saved
    found = list(runs.values())
    comparison = compare_runs([runs["base"], runs["cost60"]], case)
    wb = _open(runs_workbook(found, comparison))
    assert wb.sheetnames == ["runs", "comparison", "base", "cost60", "ranked"]

    listed = _values(wb["runs"])
    assert listed[0] == ["name", "command", "created", "note", "status", "value", "parameters", "sheet"]
    assert [row[:5] for row in listed[1:]] == [
        [r.name, r.command, r.created, r.note or None, r.status] for r in found
    ]
    assert listed[1][5] == pytest.approx(runs["base"].value) and listed[3][5] is None  # rank: no value
    assert [row[6] for row in listed[1:]] == [None, "limits=cost=60", None]
    assert [row[7] for row in listed[1:]] == ["base", "cost60", "ranked"]

    # each run's sheet is its printed CSV as `lev2040 ... -o FILE.xlsx` writes it
    for run in found:
        alone = _open(table_workbook(run.outputs["csv"], run.name))
        assert _values(wb[run.name]) == _values(alone[run.name])
        assert _values(wb[run.name])[0] == run.outputs["csv"].splitlines()[0].split(",")

    # the comparison sheet is the comparison's rows (the CSV of `runs diff`), numbers as numbers
    header, rows = comparison_rows(comparison)
    sheet = _values(wb["comparison"])
    assert sheet[0] == header
    expected = [[None if v in ("", None) else v for v in row] for row in rows]
    assert len(sheet) == len(expected) + 1
    for got, want in zip(sheet[1:], expected):
        assert got == [pytest.approx(v) if isinstance(v, float) else v for v in want]
    measure = {row[1]: row[4:] for row in sheet if row[0] == "measure"}
    assert measure["housing"] == [True, False]  # selected in base, left for cost60


def test_without_a_comparison_there_is_no_comparison_sheet(saved):
    _, runs = saved
    wb = _open(runs_workbook([runs["ranked"]], None))
    assert wb.sheetnames == ["runs", "ranked"]


def test_sheet_titles_are_unique_and_short_for_long_similar_names(saved):
    _, runs = saved
    long = "portfolio-what-if-with-a-very-long-name"
    names = [f"{long}-{k}" for k in range(12)] + [
        "runs",
        "Comparison",
        "History",
        "x" * 64,
        "What-If",
        "what-if",
    ]
    titles = sheet_titles(names)
    assert all(len(t) <= 31 for t in titles)
    assert len({t.lower() for t in titles}) == len(titles)
    assert not {t.lower() for t in titles} & {"runs", "comparison", "history"}
    assert titles[-2:] == ["What-If", "what-if~2"]  # Excel tells titles apart without case
    assert titles[0] == long[:31] and titles[1] == long[:29] + "~2" and titles[11] == long[:28] + "~12"

    many = [dataclasses.replace(runs["base"], name=n) for n in names]
    wb = _open(runs_workbook(many, None))
    assert wb.sheetnames == ["runs", *titles]
    assert [row[7] for row in _values(wb["runs"])[1:]] == titles  # which sheet holds which run


def test_the_same_runs_give_the_same_bytes(saved):
    case, runs = saved
    found = list(runs.values())
    comparison = compare_runs([runs["base"], runs["cost60"]], case)
    first = runs_workbook(found, comparison)
    assert runs_workbook(found, compare_runs([runs["base"], runs["cost60"]], case)) == first
    noted = [dataclasses.replace(found[0], note="another note"), *found[1:]]
    assert runs_workbook(noted, comparison) != first


def test_names_and_notes_that_look_like_formulas_stay_text(saved):
    case, runs = saved
    comparison = compare_runs([runs["base"], runs["cost60"]], case)
    wb = _open(runs_workbook(list(runs.values()), comparison))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    [note] = [c for c in wb["runs"]["D"] if c.value == "@SUM(A1)"]
    assert note.data_type == "s"
    named = [c for c in wb["comparison"]["C"] if c.value == FORMULA]
    assert len(named) == 1 and named[0].data_type == "s"  # the measure row of solar
    ranked = [c for c in wb["ranked"]["C"] if c.value == FORMULA]
    assert len(ranked) == 1 and ranked[0].data_type == "s"
