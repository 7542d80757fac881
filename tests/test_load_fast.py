"""measures.csv read a column at a time gives the same measures and the same problems, located
the same, as read cell by cell and row by row with the pydantic model.

Sources: docs/case-format.md "Numbers as written" (English files: a dot is a decimal point;
semicolon files from a German Excel: ``1,5``, ``1.234,5``, ``9.000``), DESIGN.md "Bad input" (one
``FILE:ROW: column 'x': ...`` line per problem, all of them at once), and the rules of
``Measure`` in lev2040_mcda/case/models.py, which the column checks stand in for.
"""

from __future__ import annotations

import csv
import functools
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case import Measure, Table, parse_number, write_synthetic_case
from lev2040_mcda.case import load as load_module
from lev2040_mcda.case.cells import parse_number_column
from lev2040_mcda.case.measures import _FIELDS, read_measures
from lev2040_mcda.errors import InputErrors

RESOURCES = ["cost", "land"]
CRITERIA = ["co2", "homes", "cost"]  # cost is a resource and a criterion, as in cases/tiny
TEXT = ["id", "name", "district", "goals", "requires", "excludes", "mandatory", "note"]

ENGLISH = ["1.5", "-3e2", "0", "0.0", "12", " 7 ", "2.50", "1e15", "1e-15", "0e5", "-0.0", "1_000"]
GERMAN = ["1,5", "-0,5", "12", "0", "0,0", "1.234,5", "9.000", "2,5e-3", " 3,25 ", "1.234.567"]
VALID_ENGLISH = ["1.5", "0", "0.0", "12", " 7 ", "2.50", "1e15", "1e-15", "0e5", "-0.0"]
VALID_GERMAN = ["1,5", "12", "0", "0,0", "1.234,5", "2,5e-3", " 3,25 "]  # not 9.000: unsettled alone
BAD = ["", "x", "nan", "inf", "-inf", "1e16", "1e-16", "1e-400", "1e308", "9.000", "1.500", "1 234,5"]
BAD += ["\u22121,5", "1,2,3", "--1", "1..2", "TRUE", " "]
IDS = ["m1", "m2", "m3", "a_b", "x9", "M1", "m-1", "", " m4 ", "1m", "ä", "m1\n"]
LISTS = ["", "m1", "m1;m2", "m2|m3", "g1, g2", "g1,bad id", " m3 ", "m1;;m2", ";", "Bad", "g_1|G2"]
FLAGS = ["", "true", "false", "ja", "Nein", "x", "1", "0", "maybe", " yes "]


def numbers(german: bool) -> st.SearchStrategy[str]:
    good = GERMAN if german else ENGLISH
    return st.one_of(
        st.sampled_from(good),
        st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: _written(round(v, 3), german)),
        st.sampled_from(["-1", "-0,5" if german else "-2.5", "-1e-9"]),  # below 0: not a resource
        st.sampled_from(BAD),
    )


def _written(value: float, german: bool) -> str:
    return str(value).replace(".", ",") if german else str(value)


GOOD_CELLS = {
    "id": IDS[:5],
    "name": ["A", " B ", "Maßnahme C", ""],
    "district": ["", "d1", "d_2"],
    "goals": LISTS[:4],
    "requires": LISTS[:4],
    "excludes": LISTS[:4],
    "mandatory": FLAGS[:8],
    "note": ["", "text", " Ja, bitte "],
}
BAD_CELLS = {
    "id": IDS[5:],
    "district": ["D1", "d 1", "1"],
    "goals": LISTS[4:],
    "requires": LISTS[4:],
    "excludes": LISTS[4:],
    "mandatory": ["maybe", "2", "-"],
    "note": ["1,5", " 3 "],  # a numeric column that is neither a criterion nor a resource
}


@st.composite
def tables(draw, valid: bool | None = None) -> tuple[Table, bool]:
    """A measures table as the reader gives it (cells as text, unstripped): a valid one, or one
    with a few faults put in (a bad cell of any column, a short row)."""
    german = draw(st.booleans())
    header = draw(st.permutations([*TEXT, *RESOURCES, "co2", "homes"]))
    drop = draw(st.sets(st.sampled_from(["district", "mandatory", "note", "land", "requires"])))
    header = [c for c in header if c not in drop]
    n = draw(st.integers(1, 12))
    good_number = st.sampled_from(VALID_GERMAN if german else VALID_ENGLISH)
    rows = [
        [draw(st.sampled_from(GOOD_CELLS[c]) if c in GOOD_CELLS else good_number) for c in header]
        for _ in range(n)
    ]
    ok = draw(st.booleans()) if valid is None else valid
    for _ in range(0 if ok else draw(st.integers(1, 4))):
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, len(header) - 1))
        column = header[j]
        if column == "name":
            rows[i] = rows[i][: draw(st.integers(0, len(header) - 1))]  # a short row: "" cells
        elif j < len(rows[i]):
            bad = st.sampled_from(BAD_CELLS[column]) if column in BAD_CELLS else numbers(german)
            rows[i][j] = draw(bad)
    lines = [(i + 2, row) for i, row in enumerate(rows)]
    return Table("measures.csv", list(header), lines, decimal_comma=german), ok


def both_ways(table: Table):
    out = {}
    for fast in (True, False):
        problems: list = []
        measures = read_measures(table, problems, RESOURCES, CRITERIA, True, fast=fast)
        out[fast] = (measures, problems)
    return out[True], out[False]


def same(fast, slow) -> None:
    (fm, fp), (sm, sp) = fast, slow
    assert [str(p) for p in fp] == [str(p) for p in sp]
    assert [m.item for m in fm] == [m.item for m in sm]
    assert [m.item.model_dump() for m in fm] == [m.item.model_dump() for m in sm]
    assert [m.item.model_fields_set for m in fm] == [m.item.model_fields_set for m in sm]
    assert [m.at(("performance", "co2"), "r") for m in fm] == [m.at(("performance", "co2"), "r") for m in sm]


@given(tables())
def test_column_path_reads_any_table_as_the_cell_path(drawn):
    same(*both_ways(drawn[0]))


@given(tables(valid=True))
def test_valid_tables_give_measures_and_no_problems(drawn):
    table, _ = drawn
    (measures, problems), slow = both_ways(table)
    assert problems == []
    assert len(measures) == len(table.rows)
    assert all(isinstance(m.item, Measure) for m in measures)
    same((measures, problems), slow)


@given(st.lists(st.one_of(numbers(False), numbers(True)), max_size=8), st.booleans(), st.booleans())
def test_a_column_at_once_is_each_cell_or_nothing(cells, decimal_comma, thousands):
    """Where the column path gives numbers, they are what parse_number gives for each cell."""
    dots = "thousands" if thousands and decimal_comma else "decimal"
    got = parse_number_column(cells, decimal_comma, dots)
    if got is not None:
        assert got == [parse_number(c.strip(), decimal_comma, dots) for c in cells]


@pytest.mark.parametrize(
    ("cells", "decimal_comma", "dots"),
    [
        (["1.5", " -3e2", "0", "1e15", "7"], False, "decimal"),
        (["1,5", "-0,5", "12", "0,0", "2,5e-3"], True, "thousands"),
        (["12", "0"], False, "unsettled"),
    ],
)
def test_well_formed_columns_take_the_column_path(cells, decimal_comma, dots):
    assert parse_number_column(cells, decimal_comma, dots) == [
        parse_number(c.strip(), decimal_comma, dots) for c in cells
    ]


@pytest.mark.parametrize("cell", ["1.234,5", "", "x", "1e-400", "1e16", "nan", "9.000"])
def test_a_column_with_a_problem_or_a_dot_to_decide_is_read_cell_by_cell(cell):
    assert parse_number_column(["1,5", cell], True, "thousands") is None


def test_the_column_checks_cover_every_field_and_rule_of_measure():
    """The column path builds a Measure without validating it: it must know all its fields, and
    the model must have no validator beyond its field types (ids, >= 0, finite)."""
    assert set(Measure.model_fields) == _FIELDS
    decorators = Measure.__pydantic_decorators__
    assert not decorators.model_validators and not decorators.field_validators


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_synthetic_case_loads_the_same_both_ways(tmp_path, monkeypatch, delimiter):
    root = write_synthetic_case(tmp_path / "case", measures=120, criteria=6, seed=7, delimiter=delimiter)
    fast = load_case(root)
    monkeypatch.setattr(load_module, "read_measures", functools.partial(read_measures, fast=False))
    slow = load_case(root)
    assert fast.measures == slow.measures
    assert fast.model_dump() == slow.model_dump()


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_broken_case_fails_with_the_same_lines_both_ways(tmp_path, monkeypatch, delimiter):
    root = write_synthetic_case(tmp_path / "case", measures=30, criteria=4, seed=3, delimiter=delimiter)
    path = root / "measures.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    rows[3][0], rows[3][5], rows[3][7] = "M-3", "-1", "lots"  # id, land, c02
    rows[9][3], rows[9][8] = "g01;Goal 2", "1e400"  # goals, c03
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    with pytest.raises(InputErrors) as fast:
        load_case(root)
    monkeypatch.setattr(load_module, "read_measures", functools.partial(read_measures, fast=False))
    with pytest.raises(InputErrors) as slow:
        load_case(root)
    assert str(fast.value) == str(slow.value)
    assert "measures.csv:4: column 'id': 'M-3' is not a valid id" in str(fast.value)
    assert "measures.csv:10: column 'c03': '1e400' is not a finite number" in str(fast.value)


# -- ranking without pymcdm's plots: its deferred parts load when used --------------------------

_FRESH = """
import sys
from lev2040_mcda.ranking.library import pymcdm
p = pymcdm()
print(sorted(m for m in ("matplotlib", "scipy") if m in sys.modules))
print(len(p.weights.entropy_weights(__import__("numpy").array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]]))))
from pymcdm.visuals import ranking_bar
import pymcdm.weights.subjective
print(callable(ranking_bar), p.visuals is sys.modules["pymcdm.visuals"], hasattr(p.visuals, "__file__"))
print(sorted(m for m in ("matplotlib", "scipy") if m in sys.modules))
"""


def test_pymcdm_plots_and_weights_are_imported_when_first_used():
    out = subprocess.run([sys.executable, "-c", _FRESH], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "2", "True True True", "['matplotlib', 'scipy']"]


def test_rank_imports_neither_matplotlib_nor_scipy(tmp_path):
    code = (
        "import sys; from lev2040_mcda.cli import main; sys.argv = ['lev2040', 'rank', 'cases/tiny']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('matplotlib', 'scipy') if m in sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[]"
    assert out.stdout.startswith("TOPSIS")
