"""Loading case folders: cases/tiny fact by fact, the structure of cases/leverkusen-2040, and the
file variants the contract promises.

Sources: /work/shared/DESIGN.md "Case folder" and "Conventions" (UTF-8 with BOM, comma or semicolon
CSV, German decimal commas; provenance hashes every input file) and docs/case-format.md "Files in
general" (`1,5` is 1.5, `1.234,5` is 1234.5; `.xlsx` may stand in for any `.csv`, formulas are
never evaluated, their last computed value is used). The tiny facts are counted by hand from
cases/tiny/*.
"""

from __future__ import annotations

import csv
import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lev2040_mcda import load_case, summarize_case
from lev2040_mcda.case import STEEP, write_synthetic_case
from lev2040_mcda.errors import InputErrors

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "cases" / "tiny"
LEVERKUSEN = ROOT / "cases" / "leverkusen-2040"
NUMERIC_COLUMNS = ("cost", "land", "co2", "homes", "acceptance")  # of cases/tiny/measures.csv


# -- helpers ----------------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def typed(header: list[str], row: list[str]) -> list[object]:
    """A measures.csv row as a spreadsheet holds it: numbers as numbers, booleans as booleans."""
    out: list[object] = []
    for name, cell in zip(header, row):
        if name in NUMERIC_COLUMNS:
            out.append(float(cell))
        elif name == "mandatory":
            out.append(cell == "true")
        else:
            out.append(cell)
    return out


@pytest.fixture(scope="module")
def tiny_case():
    return load_case(TINY)


@pytest.fixture(scope="module")
def leverkusen():
    return load_case(LEVERKUSEN)


@pytest.fixture(scope="module")
def leverkusen_summary(leverkusen):
    return summarize_case(leverkusen)


# -- cases/tiny, counted by hand --------------------------------------------------------------


def test_tiny_measures_are_the_six_rows_in_file_order(tiny_case):
    assert tiny_case.measure_ids == ("solar", "park", "housing", "infill", "tram", "hub")


def test_tiny_cost_column_totals_195(tiny_case):
    # 20 + 10 + 50 + 40 + 60 + 15 (cases/tiny/measures.csv, column cost)
    assert sum(m.resources["cost"] for m in tiny_case.measures) == 195
    cost = next(r for r in summarize_case(tiny_case)["resources"] if r["id"] == "cost")
    assert (cost["total"], cost["mandatory"], cost["limit"]) == (195, 15, 100)


def test_tiny_cost_is_both_resource_and_criterion(tiny_case):
    assert (
        [m.resources["cost"] for m in tiny_case.measures]
        == [m.performance["cost"] for m in tiny_case.measures]
        == [20, 10, 50, 40, 60, 15]
    )


def test_tiny_only_hub_is_mandatory(tiny_case):
    assert [m.id for m in tiny_case.measures if m.mandatory] == ["hub"]


@pytest.mark.parametrize(
    "measure, field, expected",
    [
        ("tram", "requires", ("hub",)),
        ("tram", "excludes", ()),
        ("housing", "excludes", ("park",)),
        ("infill", "goals", ("wohnen", "klima")),
        ("hub", "district", "sued"),
    ],
)
def test_tiny_measure_fields(tiny_case, measure, field, expected):
    m = next(m for m in tiny_case.measures if m.id == measure)
    assert getattr(m, field) == expected


def test_tiny_land_reads_decimal_point(tiny_case):
    assert [m.resources["land"] for m in tiny_case.measures] == [0, 1, 5, 0, 2, 0.5]


def test_a_semicolon_file_with_a_comment_above_its_header_is_read_as_semicolons(tiny):
    """The separator is decided from the header, not from a `#` comment above it (which holds
    none): German Excel's semicolons with decimal commas, the list column quoted."""
    path = tiny / "measures.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    text = "# edited by hand, in Excel\n" + "".join(
        ";".join(f'"{c}"' if ";" in c else c.replace(".", ",") for c in row) + "\n" for row in rows
    )
    path.write_text(text.replace("wohnen;klima", "wohnen,klima"), encoding="utf-8")
    assert [m.resources["land"] for m in load_case(tiny).measures] == [0, 1, 5, 0, 2, 0.5]


@pytest.mark.parametrize(
    "source, target, effect, strength, level",
    [
        ("klima", "wohnen", "conflict", 0.6, "goal"),
        ("klima", "finanzen", "conflict", 0.4, "goal"),
        ("tram", "hub", "synergy", 0.8, "measure"),
        ("housing", "park", "conflict", 1.0, "measure"),
    ],
)
def test_tiny_interactions_know_their_level(tiny_case, source, target, effect, strength, level):
    found = [
        (i.effect, i.strength, i.level)
        for i in tiny_case.interactions
        if (i.source, i.target) == (source, target)
    ]
    assert found == [(effect, strength, level)]


def submission_rows(case) -> list[tuple]:
    """(file, line, group, method, respondent) of every accepted submission, files and tables."""
    rows = [(s.path, s.row, s.group, s.method, s.respondent) for s in case.submissions]
    for t in case.submission_tables:
        rows += zip([t.path] * len(t), t.lines, t.groups, t.methods, t.respondents)
    return sorted(rows, key=str)


def test_tiny_submissions_are_one_yaml_and_three_survey_rows(tiny_case):
    assert submission_rows(tiny_case) == [
        ("cases/tiny/weights/buerger.csv", 2, "buerger", "points", "b1"),
        ("cases/tiny/weights/buerger.csv", 3, "buerger", "points", "b2"),
        ("cases/tiny/weights/buerger.csv", 4, "buerger", "points", "b3"),
        ("cases/tiny/weights/verwaltung.yaml", None, "verwaltung", "direct", "planning_office"),
    ]
    assert tiny_case.submission_count == 4
    assert tiny_case.rejected == ()


def test_tiny_groups_districts_and_scenarios(tiny_case):
    assert [(g.id, g.influence) for g in tiny_case.groups] == [("verwaltung", 1), ("buerger", 2)]
    assert [(d.id, d.parent) for d in tiny_case.config.districts] == [
        ("stadt", None),
        ("nord", "stadt"),
        ("sued", "stadt"),
    ]
    assert [s.id for s in tiny_case.scenarios] == ["boom", "austerity"]
    assert tiny_case.scenarios[1].effects.limits == {"cost": 0.5}


def test_tiny_summary_counts_measures_per_district(tiny_case):
    rows = {
        d["id"]: (d["measures"], d["measures_incl_parts"]) for d in summarize_case(tiny_case)["districts"]
    }
    assert rows == {"stadt": (0, 6), "nord": (3, 3), "sued": (3, 3)}


def test_tiny_inputs_are_sha256_of_every_file_keyed_relative_to_the_case(tiny_case):
    expected = {
        p.relative_to(TINY).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(TINY.rglob("*"))
        if p.is_file()
    }
    assert "weights/buerger.csv" in expected and "criteria.yaml" in expected
    assert tiny_case.inputs == expected


def test_inputs_do_not_depend_on_where_the_case_is_loaded_from(tiny, monkeypatch, tiny_case):
    from_absolute = load_case(tiny.resolve()).inputs
    monkeypatch.chdir(tiny.parent)
    from_relative = load_case("tiny").inputs
    assert from_absolute == from_relative == tiny_case.inputs


# -- cases/leverkusen-2040: the structure the issue asks for -----------------------------------


def test_leverkusen_has_at_least_8_goals(leverkusen):
    assert len(leverkusen.goals) >= 8


def test_leverkusen_has_at_least_14_criteria_with_unit_and_direction(leverkusen):
    assert len(leverkusen.criteria) >= 14
    assert [c.id for c in leverkusen.criteria if not c.unit] == []
    assert {c.direction for c in leverkusen.criteria} == {"benefit", "cost"}


def test_leverkusen_has_at_least_36_measures(leverkusen):
    assert len(leverkusen.measures) >= 36


@pytest.mark.parametrize("bezirk", ["bezirk_1", "bezirk_2", "bezirk_3"])
def test_leverkusen_measures_in_every_stadtbezirk(leverkusen, leverkusen_summary, bezirk):
    parts = [d.id for d in leverkusen.config.districts if d.parent == bezirk]
    assert parts, f"no district has parent {bezirk}"
    row = next(d for d in leverkusen_summary["districts"] if d["id"] == bezirk)
    assert row["measures_incl_parts"] >= 1


def test_leverkusen_has_goal_conflicts_goal_synergies_and_measure_pairs(leverkusen):
    kinds = {(i.level, i.effect) for i in leverkusen.interactions}
    assert len(leverkusen.interactions) >= 20
    assert {("goal", "conflict"), ("goal", "synergy")} <= kinds
    assert any(level == "measure" for level, _ in kinds)


def test_leverkusen_has_4_scenarios_with_all_five_steep_drivers(leverkusen):
    assert len(leverkusen.scenarios) >= 4
    assert {s.id: sorted(s.drivers) for s in leverkusen.scenarios} == {
        s.id: sorted(STEEP) for s in leverkusen.scenarios
    }


def test_leverkusen_every_group_has_an_accepted_submission(leverkusen, leverkusen_summary):
    assert len(leverkusen.groups) == 5
    assert {g["id"]: g["submissions"] > 0 for g in leverkusen_summary["groups"]} == {
        g.id: True for g in leverkusen.groups
    }
    assert leverkusen.rejected == ()


def test_leverkusen_inputs_include_catalogue_and_weights(leverkusen):
    weights = {
        p.relative_to(LEVERKUSEN).as_posix()
        for p in (LEVERKUSEN / "weights").iterdir()
        if p.suffix in (".yaml", ".json", ".csv", ".xlsx")
    }
    assert weights <= set(leverkusen.inputs)
    assert "../../criteria/leverkusen-2040.yaml" in leverkusen.inputs
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in leverkusen.inputs.values())


# -- file variants that must read the same --------------------------------------------------


def _decimal_comma(cell: str) -> str:
    return cell.replace(".", ",")


def test_semicolon_csv_with_decimal_commas_reads_as_numbers(tiny, tiny_case):
    rows = read_rows(tiny / "measures.csv")
    header = rows[0]
    german = [header] + [
        [_decimal_comma(c) if h in NUMERIC_COLUMNS else c for h, c in zip(header, row)] for row in rows[1:]
    ]
    german[5][header.index("homes")] = "1.234,5"  # tram: German thousands separator
    german[4][header.index("goals")] = "wohnen,klima"  # infill: lists may use ',' here
    write_rows(tiny / "measures.csv", german, delimiter=";")
    text = (tiny / "measures.csv").read_text(encoding="utf-8")
    assert "0,5" in text and "1.234,5" in text  # the file really is German-formatted

    got = {m.id: m for m in load_case(tiny).measures}
    assert got["hub"].resources["land"] == 0.5
    assert got["tram"].performance["homes"] == 1234.5
    assert got["infill"].goals == ("wohnen", "klima")
    for m in tiny_case.measures:
        if m.id != "tram":
            assert got[m.id] == m


@pytest.mark.parametrize(
    "name",
    [
        "case.yaml",
        "criteria.yaml",
        "goals.yaml",
        "measures.csv",
        "interactions.csv",
        "scenarios.yaml",
        "weights/buerger.csv",
        "weights/verwaltung.yaml",
    ],
)
def test_utf8_bom_is_fine(tiny, tiny_case, name):
    path = tiny / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    case = load_case(tiny)
    assert (
        case.config,
        case.catalogue,
        case.goals,
        case.measures,
        case.interactions,
        case.scenarios,
        [r[1:] for r in submission_rows(case)],
        case.rejected,
    ) == (
        tiny_case.config,
        tiny_case.catalogue,
        tiny_case.goals,
        tiny_case.measures,
        tiny_case.interactions,
        tiny_case.scenarios,
        [r[1:] for r in submission_rows(tiny_case)],
        (),
    )


@pytest.mark.parametrize("cells", ["typed", "text"])
def test_xlsx_measures_read_like_the_csv(tiny, tiny_case, cells):
    rows = read_rows(tiny / "measures.csv")
    body = [typed(rows[0], r) for r in rows[1:]] if cells == "typed" else rows[1:]
    write_xlsx(tiny / "measures.xlsx", [rows[0], *body])
    (tiny / "measures.csv").unlink()
    case = load_case(tiny)
    assert case.measures == tiny_case.measures
    assert "measures.xlsx" in case.inputs and "measures.csv" not in case.inputs


def _xlsx_with_formula(
    path: Path, rows: list[list[object]], cell: str, formula: str, cached: str | None
) -> None:
    """A workbook whose ``cell`` holds ``formula`` with last computed value ``cached``.

    openpyxl writes formulas without a computed value; a spreadsheet program stores one. The
    sheet XML is edited to hold it, as a file saved by Excel would.
    """
    write_xlsx(path, rows)
    wb = openpyxl.load_workbook(path)
    wb.active[cell] = formula
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    empty = f"<f>{formula.lstrip('=')}</f><v />"
    assert empty in sheet
    if cached is not None:
        sheet = sheet.replace(empty, f"<f>{formula.lstrip('=')}</f><v>{cached}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_xlsx_formula_is_not_evaluated_its_stored_value_is_used(tiny):
    rows = read_rows(tiny / "measures.csv")
    body = [typed(rows[0], r) for r in rows[1:]]
    # E3 is park's cost; the formula would give 10, the stored (stale) value is 7
    _xlsx_with_formula(tiny / "measures.xlsx", [rows[0], *body], "E3", "=5+5", cached="7")
    (tiny / "measures.csv").unlink()
    park = next(m for m in load_case(tiny).measures if m.id == "park")
    assert park.resources["cost"] == 7


def test_text_columns_are_kept_as_attributes(tiny):
    rows = read_rows(tiny / "measures.csv")
    sources = ["Klimaplan 2023", "", "WGL", "12", "Nahverkehrsplan", "X4; X5"]
    write_rows(tiny / "measures.csv", [rows[0] + ["source"]] + [r + [s] for r, s in zip(rows[1:], sources)])
    got = {m.id: m.attributes for m in load_case(tiny).measures}
    assert got == {
        "solar": {"source": "Klimaplan 2023"},
        "park": {},
        "housing": {"source": "WGL"},
        "infill": {"source": "12"},
        "tram": {"source": "Nahverkehrsplan"},
        "hub": {"source": "X4; X5"},
    }


def test_loaded_case_is_the_same_from_case_yaml_path(tiny_case):
    assert load_case(TINY / "case.yaml").measures == tiny_case.measures


@pytest.mark.parametrize("blank", ["\n", "   \n", "\t\n", " , , \n", ",,,,,,,,,,,\n"])
def test_blank_lines_are_not_measures(tiny, tiny_case, blank):
    """A line that looks empty (nothing, spaces, a tab, empty cells) is skipped wherever it is."""
    text = (tiny / "measures.csv").read_text(encoding="utf-8")
    (tiny / "measures.csv").write_text(text.replace("\npark,", f"\n{blank}park,") + blank, encoding="utf-8")
    assert load_case(tiny).measures == tiny_case.measures


def test_every_survey_row_is_accepted_or_rejected(tiny):
    """A respondent id may start with '#' (survey tools number answers `#2`); the row is a
    submission, so it must be used or listed as rejected, never dropped without a word."""
    path = tiny / "weights" / "buerger.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("b2,buerger", "#2,buerger"), encoding="utf-8")
    case = load_case(tiny)
    assert case.submission_count + len(case.rejected) == 4


def test_a_chain_of_thousands_of_requires_is_checked(tmp_path):
    """Each measure requires the next, 1,500 deep, and the last excludes the one before it: every
    other measure needs both, and each says so (the rules walk the chain, never recurse)."""
    root = write_synthetic_case(tmp_path / "case", measures=1500, criteria=2, seed=1)
    rows = read_rows(root / "measures.csv")
    at, ex = rows[0].index("requires"), rows[0].index("excludes")
    for k, row in enumerate(rows[1:], start=1):
        row[at] = rows[k + 1][0] if k < len(rows) - 1 else ""
        row[ex] = rows[k - 1][0] if k == len(rows) - 1 else ""
    write_rows(root / "measures.csv", rows)
    with pytest.raises(InputErrors) as err:
        load_case(root)
    lines = str(err.value).splitlines()
    assert len(lines) == 1499 and all("needs both 'm01498' and 'm01499'" in line for line in lines)
    assert lines[0].endswith(
        "measures.csv:2: column 'requires': needs both 'm01498' and 'm01499' (through requires), "
        "but they exclude each other"
    )
