"""Workbooks with several sheets: the sheet that holds the table is read, and problems name it.

Stakeholders fill in XLSX templates that often start with an instruction sheet ("Anleitung"). The
reader (readers.Reader.table) reads the sheet whose header has the expected columns (group, method,
respondent for submissions; id, name for measures; source, target, effect, strength for
interactions), else the only sheet holding a table. Problems in a workbook of several sheets name
the sheet: `weights/x.xlsx[Swing]:3: column 'homes': ...`; one-sheet workbooks read as before.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from lev2040_mcda import load_case
from lev2040_mcda.weights import elicit_case

HEAD = ["respondent", "group", "method", "cost", "co2", "homes", "acceptance"]  # cases/tiny criteria
ROWS = [["v1", "verwaltung", "direct", 1, 2, 3, 4], ["b9", "buerger", "points", 10, 20, 30, 40]]
INSTRUCTIONS = [
    ["Gewichtung Leverkusen 2040+"],
    ["Bitte tragen Sie Ihre Gewichte im Blatt 'Swing' ein."],
    [None],
    ["Fragen: stadtplanung@example.org"],
]
LEGEND = [["Kriterium", "Bedeutung"], ["cost", "Investitionen"], ["co2", "CO2-Minderung"]]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A workbook with the given sheets, in order (title -> rows)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def table_rows(path: Path) -> list[list[object]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


# -- submissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [INSTRUCTIONS, LEGEND], ids=["instructions", "legend-table"])
def test_instruction_sheet_first_gives_the_same_weights(tiny, extra):
    path = tiny / "weights" / "x.xlsx"
    write_workbook(path, {"Swing": [HEAD, *ROWS]})
    alone = elicit_case(load_case(tiny))
    write_workbook(path, {"Anleitung": extra, "Swing": [HEAD, *ROWS]})
    case = load_case(tiny)
    both = elicit_case(case)
    assert case.rejections == () and both.rejected == []
    assert np.array_equal(both.weights, alone.weights)
    assert list(both.groups) == list(alone.groups)
    mine = [s for s in both.sources if "x.xlsx" in s]
    assert [s.rsplit("x.xlsx", 1)[1] for s in mine] == ["[Swing]:2", "[Swing]:3"]


def test_one_sheet_workbook_is_named_as_before(in_tiny):
    write_workbook(
        in_tiny / "weights" / "x.xlsx",
        {"Swing": [HEAD, ROWS[0], ["bad", "buerger", "direct", 1, 2, "viel", 4]]},
    )
    rejected = [str(p) for p in elicit_case(load_case(in_tiny)).rejected]
    assert rejected == ["weights/x.xlsx:3: column 'homes': 'viel' is not a number"]


def test_error_in_the_data_sheet_names_the_sheet(in_tiny, invoke):
    write_workbook(
        in_tiny / "weights" / "x.xlsx",
        {
            "Anleitung": INSTRUCTIONS,
            "Swing": [
                HEAD,
                ROWS[0],
                ["bad", "buerger", "direct", 1, 2, "viel", 4],
                ["who", "nobody", "direct", 1, 1, 1, 1],
            ],
        },
    )
    result = invoke("weights", ".")
    assert result.exit_code == 0, result.output
    rejected = [line for line in result.stdout.splitlines() if line.startswith("rejected: ")]
    assert rejected == [
        "rejected: weights/x.xlsx[Swing]:3: column 'homes': 'viel' is not a number",
        (
            "rejected: weights/x.xlsx[Swing]:4: column 'group': unknown group 'nobody' "
            "(expected one of buerger, verwaltung)"
        ),
    ]


def test_workbook_without_a_usable_sheet_is_one_line_exit_2(in_tiny, invoke):
    write_workbook(
        in_tiny / "weights" / "x.xlsx", {"Anleitung": INSTRUCTIONS, "Notizen": [["frei"]], "Leer": []}
    )
    line = (
        "weights/x.xlsx: no sheet has the expected header row (with columns like group, method, "
        "respondent; the sheets are: 'Anleitung', 'Notizen', 'Leer')"
    )
    lenient = invoke("weights", ".")
    assert lenient.exit_code == 0, lenient.output
    assert f"rejected: {line}" in lenient.stdout.splitlines()
    strict = invoke("weights", ".", "--strict")
    assert (strict.exit_code, strict.stderr) == (2, line + "\n")
    assert "Traceback" not in strict.output


def test_submission_without_metadata_columns_is_found_among_other_tables(tmp_path):
    """group, method and respondent may all be left out (a case without groups): the first sheet
    holding a table is read even when no sheet has them."""
    from .conftest import write_weights_case

    root = write_weights_case(tmp_path / "case", ["a", "b"], None)
    write_workbook(
        root / "weights" / "x.xlsx",
        {"Gewichte": [["a", "b"], [1, 3]], "Kriterien": [["id", "title"], ["a", "A"], ["b", "B"]]},
    )
    from lev2040_mcda.weights import weights_summary

    case = load_case(root)
    assert case.rejected == ()
    assert weights_summary(case)["weights"] == pytest.approx({"a": 0.25, "b": 0.75})


# -- case tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["measures", "interactions"])
def test_case_table_with_a_notes_sheet_first(tiny, stem):
    before = load_case(tiny)
    rows = table_rows(tiny / f"{stem}.csv")
    write_workbook(tiny / f"{stem}.xlsx", {"Notes": INSTRUCTIONS, "Legende": LEGEND, "Daten": rows})
    (tiny / f"{stem}.csv").unlink()
    after = load_case(tiny)
    assert (after.measures, after.interactions) == (before.measures, before.interactions)
    assert f"{stem}.xlsx" in after.inputs


def test_measures_error_names_the_sheet(in_tiny, invoke):
    rows = table_rows(in_tiny / "measures.csv")
    rows[2][4] = "ten"  # park's cost
    write_workbook(in_tiny / "measures.xlsx", {"Notes": INSTRUCTIONS, "Daten": rows})
    (in_tiny / "measures.csv").unlink()
    result = invoke("validate", ".")
    assert (result.exit_code, result.stderr) == (
        2,
        "measures.xlsx[Daten]:3: column 'cost': 'ten' is not a number (expected a number like 1.5)\n",
    )


def test_measures_without_a_usable_sheet_is_one_line_exit_2(in_tiny, invoke):
    write_workbook(
        in_tiny / "measures.xlsx",
        {"Notes": INSTRUCTIONS, "Legende": LEGEND, "Kontakte": [["Name", "Mail"], ["A", "a@example.org"]]},
    )
    (in_tiny / "measures.csv").unlink()
    result = invoke("validate", ".")
    assert (result.exit_code, result.stderr) == (
        2,
        (
            "measures.xlsx: no sheet has the expected header row (with columns like id, name; "
            "the sheets are: 'Notes', 'Legende', 'Kontakte')\n"
        ),
    )
