"""Numbers read as written: thousands dots in German files, a dot that could be read two ways is an
error naming the cell, English files and workbook numbers as before, and ``validate --values``.

Sources: docs/case-format.md "Numbers as written" (a German Excel writes nine thousand as ``9.000``
and one and a half as ``1,5``; the file's convention is decided once from all its numeric cells;
``9.000`` in a file that settles neither is refused with both readings), and DESIGN.md "Bad input"
(one ``FILE:ROW: column 'x': ...`` line per problem, exit 2).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case import number_dots, parse_number, two_readings
from lev2040_mcda.weights import elicit_case

TINY = Path(__file__).resolve().parent.parent / "cases" / "tiny"
NUMERIC = ("cost", "land", "co2", "homes", "acceptance")  # of cases/tiny/measures.csv
LINE = {"solar": 2, "park": 3, "housing": 4, "infill": 5, "tram": 6, "hub": 7}  # their lines


def write_measures(root: Path, cells: dict[tuple[str, str], str], delimiter: str = ",", comma: bool = False):
    """cases/tiny's measures.csv with ``cells`` ((measure, column) -> text) changed; ``comma``:
    its decimals written with a decimal comma (the one decimal, the hub's land 0.5)."""
    with open(TINY / "measures.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows[1:]:
        for column in NUMERIC:
            j = header.index(column)
            row[j] = row[j].replace(".", ",") if comma else row[j]
        for (measure, column), text in cells.items():
            if row[0] == measure:
                row[header.index(column)] = text
    with open(root / "measures.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return header, rows


def homes(root: Path) -> dict[str, float]:
    return {m.id: m.performance["homes"] for m in load_case(root).measures}


def readings(cell: str, whole: str, point: str, written: str) -> str:
    return (
        f"'{cell}' can be read two ways: {whole} (a thousands separator) or {point} (a decimal point), "
        f"and the file's other numbers do not settle which (write {whole} or {written})"
    )


# -- German files -----------------------------------------------------------------------------


def test_a_german_file_reads_dots_as_thousands(tiny):
    write_measures(
        tiny,
        {("housing", "homes"): "9.000", ("infill", "homes"): "1.234.567", ("tram", "homes"): "1.234,5"},
        delimiter=";",
        comma=True,
    )
    assert "0,5" in (tiny / "measures.csv").read_text(encoding="utf-8")  # a decimal comma settles it
    got = homes(tiny)
    assert (got["housing"], got["infill"], got["tram"]) == (9000.0, 1234567.0, 1234.5)
    assert {m.id: m.resources["land"] for m in load_case(tiny).measures}["hub"] == 0.5


def test_several_thousands_dots_settle_a_file_without_a_decimal_comma(tiny):
    write_measures(
        tiny,
        {("hub", "land"): "1", ("housing", "homes"): "1.234.567", ("infill", "homes"): "1.500"},
        delimiter=";",
    )
    got = homes(tiny)
    assert (got["housing"], got["infill"]) == (1234567.0, 1500.0)


def test_a_german_file_still_reads_a_plain_decimal_point(tiny):
    """``2.5`` cannot be a thousands separator: read as written, as before."""
    write_measures(tiny, {("housing", "homes"): "2.5", ("infill", "homes"): "3.000"}, ";", comma=True)
    got = homes(tiny)
    assert (got["housing"], got["infill"]) == (2.5, 3000.0)


# -- not settled: an error with both readings ---------------------------------------------------


def test_an_ambiguous_number_in_a_semicolon_file_is_an_error_naming_the_cell(in_tiny, invoke):
    write_measures(in_tiny, {("hub", "land"): "1", ("housing", "homes"): "1.500"}, delimiter=";")
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"measures.csv:{LINE['housing']}: column 'homes': " + readings("1.500", "1500", "1.5", "1,5")
    ]


def test_every_ambiguous_number_of_a_comma_file_is_listed(in_tiny, invoke):
    write_measures(
        in_tiny, {("hub", "land"): "1", ("housing", "homes"): "9.000", ("tram", "homes"): "12.345"}
    )
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"measures.csv:{LINE['housing']}: column 'homes': " + readings("9.000", "9000", "9", "9"),
        f"measures.csv:{LINE['tram']}: column 'homes': " + readings("12.345", "12345", "12.345", "12.3450"),
    ]
    assert "Traceback" not in result.output


def test_an_ambiguous_strength_names_the_interactions_file(in_tiny, invoke):
    (in_tiny / "interactions.csv").write_text(
        "source,target,effect,strength,note\nklima,wohnen,conflict,1.000,\ntram,hub,synergy,1,\n",
        encoding="utf-8",
    )
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "interactions.csv:2: column 'strength': " + readings("1.000", "1000", "1", "1")
    ]


# -- English files and workbooks as before -----------------------------------------------------


def test_an_english_file_reads_a_dot_as_a_decimal_point(tiny):
    """cases/tiny has 0.5 (a dot with one digit after it): ``1.500`` is one and a half."""
    write_measures(tiny, {("housing", "homes"): "1.500", ("infill", "homes"): "12.345"})
    got = homes(tiny)
    assert (got["housing"], got["infill"]) == (1.5, 12.345)


def test_an_english_semicolon_file_reads_a_dot_as_a_decimal_point(tiny):
    write_measures(tiny, {("housing", "homes"): "9.000"}, delimiter=";")  # land 0.5 settles it
    assert homes(tiny)["housing"] == 9.0


def test_a_strength_of_one_written_1_000_is_one_in_an_english_file(tiny):
    text = (tiny / "interactions.csv").read_text(encoding="utf-8").replace(",1,", ",1.000,")
    (tiny / "interactions.csv").write_text(text, encoding="utf-8")
    assert "1.000" in text and 1.0 in [i.strength for i in load_case(tiny).interactions]


def _xlsx(root: Path, change: dict[tuple[str, str], object]) -> None:
    header, rows = write_measures(root, {})
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows[1:]:
        typed = [float(c) if h in NUMERIC else c for h, c in zip(header, row)]
        for (measure, column), value in change.items():
            if row[0] == measure:
                typed[header.index(column)] = value
        wb.active.append(typed)
    wb.save(root / "measures.xlsx")
    (root / "measures.csv").unlink()


def test_workbook_numbers_are_numbers_whatever_they_look_like(tiny):
    _xlsx(tiny, {("housing", "homes"): 9.0, ("infill", "homes"): 1500.0})
    got = homes(tiny)
    assert (got["housing"], got["infill"]) == (9.0, 1500.0)


def test_a_workbook_text_cell_follows_the_rules_of_its_text_cells(in_tiny, invoke):
    _xlsx(in_tiny, {("housing", "homes"): "9.000"})  # the only text number: not settled
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"measures.xlsx:{LINE['housing']}: column 'homes': " + readings("9.000", "9000", "9", "9")
    ]
    _xlsx(in_tiny, {("housing", "homes"): "9.000", ("infill", "homes"): "2.5"})  # text 2.5 settles it
    assert homes(in_tiny)["housing"] == 9.0


# -- weights tables ---------------------------------------------------------------------------


def _weights(root: Path, *rows: str) -> None:
    head = "respondent;group;method;klima;wohnen;finanzen\n"
    (root / "weights" / "buerger.csv").write_text(head + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_a_german_weights_table_reads_thousands_dots(tiny, tmp_path):
    _weights(tiny, "b1;buerger;direct;1.000;2.000;0,5", "b2;buerger;direct;1.500;1;1")
    german = elicit_case(load_case(tiny))
    _weights(tiny, "b1;buerger;direct;1000;2000;0,5", "b2;buerger;direct;1500;1;1")
    plain = elicit_case(load_case(tiny))
    assert german.rejected == [] and len(german.weights) == len(plain.weights)
    assert np.array_equal(german.weights, plain.weights)


def test_an_ambiguous_weight_rejects_its_row_only(in_tiny):
    _weights(in_tiny, "b1;buerger;direct;1.000;2;3", "b2;buerger;direct;1;2;3")
    case = load_case(in_tiny)
    assert case.rejected == ("weights/buerger.csv:2: column 'klima': " + readings("1.000", "1000", "1", "1"),)
    assert [t.lines for t in case.submission_tables] == [(3,)]


# -- validate --values -------------------------------------------------------------------------


def test_validate_values_shows_the_numbers_as_read_with_units(in_tiny, invoke):
    write_measures(in_tiny, {("housing", "homes"): "9.000"}, delimiter=";", comma=True)
    table = invoke("validate", ".", "--values")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    cells = [re.split(r"\s{2,}", line) for line in lines]
    assert cells[0] == ["measure", "column", "kind", "name", "value", "unit"]
    assert ["housing", "homes", "criterion", "Neue Wohnungen", "9000", "dwellings"] in cells
    assert ["hub", "land", "resource", "Flächeninanspruchnahme", "0.5", "ha"] in cells
    assert ["solar", "cost", "resource, criterion", "Investitionen", "20", "EUR m"] in cells
    as_csv = list(csv.DictReader(io.StringIO(invoke("validate", ".", "--values", "--format", "csv").stdout)))
    as_json = json.loads(invoke("validate", ".", "--values", "--format", "json").stdout)
    assert as_json["valid"] is True and "provenance" in as_json
    assert [{**r, "value": float(r["value"])} for r in as_csv] == as_json["values"]
    assert len(as_json["values"]) == len(lines) - 2 == 6 * 5  # six measures, five numbers each
    assert {"measure": "housing", "column": "homes", "kind": "criterion", "name": "Neue Wohnungen",
            "value": 9000.0, "unit": "dwellings"} in as_json["values"]  # fmt: skip


def test_validate_values_of_a_broken_case_is_the_problems(in_tiny, invoke):
    write_measures(in_tiny, {("hub", "land"): "1", ("housing", "homes"): "1.500"}, delimiter=";")
    result = invoke("validate", ".", "--values")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "can be read two ways" in result.stderr


# -- properties -------------------------------------------------------------------------------

_SWAP = str.maketrans(",.", ".,")
magnitudes = st.floats(-1e12, 1e12, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6)


def german_excel(x: float, decimals: int) -> str:
    """``x`` as a German Excel shows it with the format ``#.##0,00`` (``decimals`` places)."""
    return f"{x:,.{decimals}f}".translate(_SWAP)


@given(magnitudes, st.integers(0, 4))
def test_a_number_written_the_german_excel_way_reads_back_as_itself(x, decimals):
    text = german_excel(x, decimals)
    assert parse_number(text, decimal_comma=True, dots="thousands") == float(f"{x:.{decimals}f}")


@given(st.lists(st.tuples(magnitudes, st.integers(0, 4)), min_size=1, max_size=20))
def test_a_german_column_settles_its_file_and_reads_back(numbers):
    texts = [german_excel(x, d) for x, d in numbers]
    settled = any(d > 0 for _, d in numbers) or any(t.count(".") > 1 for t in texts)  # 1,5 or 1.234.567
    dots = number_dots(texts, decimal_comma=True)
    assert dots == ("thousands" if settled else "unsettled")  # Excel never writes an English dot
    if dots == "thousands":
        assert [parse_number(t, True, dots) for t in texts] == [float(f"{x:.{d}f}") for x, d in numbers]
    else:  # only whole numbers of at most one thousands dot: refused where they read two ways
        for t, (x, _) in zip(texts, numbers):
            if two_readings(t, True) is None:
                assert parse_number(t, True, dots) == float(f"{x:.0f}")
            else:
                with pytest.raises(ValueError, match="can be read two ways"):
                    parse_number(t, True, dots)


@given(st.integers(1, 999), st.integers(0, 999), st.booleans(), st.booleans())
def test_what_an_ambiguous_number_says_to_write_reads_each_way(head, tail, semicolon, negative):
    """Both spellings the message suggests are read, in a file of their own, as the reading it names."""
    cell = f"{'-' if negative else ''}{head}.{tail:03d}"
    reason = two_readings(cell, semicolon)
    assert reason is not None
    whole, written = reason.removesuffix(")").rsplit("(write ", 1)[1].split(" or ")
    assert parse_number(whole, semicolon, number_dots([whole], semicolon)) == float(cell.replace(".", ""))
    dots = number_dots([written], semicolon)
    assert dots != "unsettled" or two_readings(written, semicolon) is None
    assert parse_number(written, semicolon, dots) == float(cell)


def test_validate_values_says_which_submissions_were_rejected(in_tiny, invoke):
    _weights(in_tiny, "b1;buerger;direct;1.000;2;3", "b2;buerger;direct;1;2;3")
    result = invoke("validate", ".", "--values", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "rejected: weights/buerger.csv:2: column 'klima': " + readings("1.000", "1000", "1", "1")
    ]
