"""Reading uncertainty.csv / .xlsx: every bad-input rule with its located line, the precedence of
named rows over ``*`` rows and of later ``*`` rows over earlier ones, relative ends (also on
negative values), groups, German numbers, workbooks, the CLI's exit code, and the Leverkusen case's
ranges.

Contract: the shared brief of issue 18 ("Resolution rules") and docs/case-format.md
("uncertainty.csv"). Most cases are cases/tiny (run from inside a copy, so messages name
``uncertainty.csv``) with one uncertainty table; its measures: solar (cost 20, co2 400), park (10,
land 1, co2 50, acceptance 5), housing (50, land 5, co2 0, homes 200), infill (40, co2 100, homes
120), tram (60, land 2, co2 300), hub (15, land 0.5, co2 80, homes 0), districts nord/sued under
stadt, goals klima/wohnen/finanzen; ``cost`` is both a criterion and a resource, ``land`` a resource.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case import DISTRIBUTIONS, Estimate, Uncertainty, read_uncertainty
from lev2040_mcda.errors import InputErrors

from .conftest import CASES

HEADER = "measure,criterion,low,high,distribution,district,goal,group,note\n"
LEVERKUSEN = CASES / "leverkusen-2040"


def write(case: Path, body: str, header: str = HEADER, name: str = "uncertainty.csv") -> Path:
    path = case / name
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(case: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_case(case)
    return [str(p) for p in info.value.problems]


def ranges(case: Path) -> dict[tuple[str, str], Estimate]:
    return {(e.measure, e.column): e for e in load_case(case).uncertainty.estimates}


# -- what a valid table gives -------------------------------------------------------------------


def test_no_file_no_estimates(in_tiny):
    case = load_case(".")
    assert case.uncertainty == Uncertainty() and not case.uncertainty
    assert "uncertainty.csv" not in case.inputs


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", HEADER])
def test_empty_file_or_header_only_gives_no_estimates(in_tiny, text):
    (in_tiny / "uncertainty.csv").write_text(text, encoding="utf-8")
    case = load_case(".")
    assert case.uncertainty.estimates == () and not case.uncertainty
    assert case.uncertainty.source == "uncertainty.csv"
    assert "uncertainty.csv" in case.inputs  # read, so in the provenance


def test_absolute_and_relative_ends_resolve_at_the_value(in_tiny):
    write(in_tiny, "solar,co2,300,500,uniform,,,,\npark,cost,-10%,+40%,pert,,,,\ntram,land,+0%,+50%,,,,,\n")
    got = ranges(in_tiny)
    assert got["solar", "co2"] == Estimate("solar", "co2", 400.0, 300.0, 500.0, "uniform", None, 2)
    assert got["park", "cost"] == Estimate("park", "cost", 10.0, 9.0, 14.0, "pert", None, 3)
    assert got["tram", "land"] == Estimate("tram", "land", 2.0, 2.0, 3.0, "triangular", None, 4)


def test_whole_percentages_of_whole_values_are_exact(in_tiny):
    """value × (100 + p) / 100: 200 × 1.1 would be 220.00000000000003."""
    write(in_tiny, "housing,homes,-10%,+10%,,,,,\n")
    e = ranges(in_tiny)["housing", "homes"]
    assert (e.low, e.value, e.high) == (180.0, 200.0, 220.0)


def test_resource_column_is_accepted_and_ordered_after_the_criteria(in_tiny):
    """``land`` is only a resource; ``cost`` a criterion and a resource (catalogue order first)."""
    write(
        in_tiny,
        "park,land,0.5,2,,,,,\npark,cost,8,12,,,,,\npark,acceptance,4,5,,,,,\nsolar,co2,-5%,+5%,,,,,\n",
    )
    order = [(e.measure, e.column) for e in load_case(".").uncertainty.estimates]
    assert order == [("solar", "co2"), ("park", "cost"), ("park", "acceptance"), ("park", "land")]


def test_zero_width_is_exact_kept_but_not_uncertain(in_tiny):
    write(in_tiny, "hub,homes,0,0,,,,,\n")
    case = load_case(".")
    assert [(e.low, e.high, e.width) for e in case.uncertainty.estimates] == [(0.0, 0.0, 0.0)]
    assert not case.uncertainty and case.uncertainty.on(["homes"]) == ()


def test_a_star_row_leaves_a_zero_value_exact(in_tiny):
    """ "every measure ±10 %" on homes: the measures without dwellings keep their 0, exactly."""
    write(in_tiny, "*,homes,-10%,+10%,,,,,\n")
    got = ranges(in_tiny)
    assert (got["housing", "homes"].low, got["housing", "homes"].high) == (180.0, 220.0)
    assert (got["solar", "homes"].low, got["solar", "homes"].high, got["solar", "homes"].width) == (
        0.0,
        0.0,
        0.0,
    )
    assert {e.measure for e in load_case(".").uncertainty.on(["homes"])} == {"housing", "infill"}


def test_distribution_empty_is_triangular_and_case_is_ignored(in_tiny):
    write(in_tiny, "solar,co2,-5%,+5%,,,,,\npark,co2,-5%,+5%,Normal,,,,\n")
    got = ranges(in_tiny)
    assert (got["solar", "co2"].distribution, got["park", "co2"].distribution) == ("triangular", "normal")


def test_distribution_column_may_be_left_out(in_tiny):
    write(in_tiny, "solar,co2,-5%,+5%\n", header="measure,criterion,low,high\n")
    assert ranges(in_tiny)["solar", "co2"].distribution == "triangular"


def test_groups_are_kept_per_cell(in_tiny):
    write(in_tiny, "*,cost,-10%,+30%,,,,bau,\ntram,cost,-10%,+100%,,,,schiene,\nhub,co2,-5%,+5%,,,,,\n")
    got = ranges(in_tiny)
    assert {k: e.group for k, e in got.items() if k[1] == "cost"} == {
        ("solar", "cost"): "bau",
        ("park", "cost"): "bau",
        ("housing", "cost"): "bau",
        ("infill", "cost"): "bau",
        ("tram", "cost"): "schiene",
        ("hub", "cost"): "bau",
    }
    assert got["hub", "co2"].group is None


# -- precedence ---------------------------------------------------------------------------------


def test_named_row_overrides_star_rows_before_and_after_it(in_tiny):
    write(in_tiny, "tram,cost,50,100,uniform,,,,\n*,cost,-10%,+10%,,,,,\nhub,cost,10,20,,,,,\n")
    got = ranges(in_tiny)
    assert (got["tram", "cost"].low, got["tram", "cost"].high, got["tram", "cost"].row) == (50, 100, 2)
    assert (got["hub", "cost"].low, got["hub", "cost"].row) == (10, 4)
    assert (got["solar", "cost"].low, got["solar", "cost"].high, got["solar", "cost"].row) == (18, 22, 3)


def test_later_star_row_wins_over_an_earlier_one(in_tiny):
    rows = "*,co2,-10%,+10%,,,,,\n*,co2,-50%,+50%,uniform,nord,,,\n*,co2,-20%,+20%,,,wohnen,,\n"
    write(in_tiny, rows + "housing,co2,0,0,,,,,\n")  # its co2 is 0: no relative end
    got = ranges(in_tiny)
    assert (got["housing", "co2"].row, got["housing", "co2"].width) == (5, 0)
    assert got["park", "co2"].row == 2  # sued, klima: only the first selects it
    assert (got["solar", "co2"].row, got["solar", "co2"].low) == (3, 200.0)  # nord, klima
    assert (got["infill", "co2"].row, got["infill", "co2"].low) == (4, 80.0)  # sued, wohnen;klima
    assert got["tram", "co2"].row == 3


def test_selectors_district_with_its_parts_and_goal_both_must_match(in_tiny):
    write(in_tiny, "*,cost,-10%,+10%,,stadt,wohnen,,\n*,co2,-10%,+10%,,nord;sued,klima,,\n")
    got = ranges(in_tiny)
    assert {m for m, c in got if c == "cost"} == {"housing", "infill"}
    assert {m for m, c in got if c == "co2"} == {"solar", "park", "infill", "tram", "hub"}


# -- relative ends and negative values ----------------------------------------------------------


def _negative_case(root: Path) -> Path:
    """Two measures with a negative criterion value (noise: residents relieved, negative)."""
    root.mkdir()
    (root / "case.yaml").write_text("name: neg\ncriteria: criteria.yaml\nresources: {cost: {limit: 10}}\n")
    (root / "criteria.yaml").write_text("criteria:\n  - {id: noise, name: Noise, direction: cost}\n")
    (root / "measures.csv").write_text("id,name,cost,noise\na,A,4,-500\nb,B,5,200\n")
    return root


def test_relative_ends_of_a_negative_value_are_put_in_order(tmp_path):
    case = _negative_case(tmp_path / "neg")
    write(case, "*,noise,-30%,+20%,,,,,\n")
    got = ranges(case)
    assert (got["a", "noise"].low, got["a", "noise"].high) == (-600.0, -350.0)
    assert (got["b", "noise"].low, got["b", "noise"].high) == (140.0, 240.0)


def test_mixed_ends_of_a_negative_value_are_put_in_order(tmp_path):
    case = _negative_case(tmp_path / "neg")
    write(case, "a,noise,-700,-30%,,,,,\n")
    e = ranges(case)["a", "noise"]
    assert (e.low, e.value, e.high) == (-700.0, -500.0, -350.0)


def test_german_semicolon_file_with_decimal_commas(in_tiny):
    header = "measure;criterion;low;high;distribution;district;goal;group;note\n"
    write(in_tiny, "park;land;0,5;1,25;;;;;\ntram;cost;-12,5%;+37,5%;pert;;;;Kosten\n", header=header)
    got = ranges(in_tiny)
    assert (got["park", "land"].low, got["park", "land"].high) == (0.5, 1.25)
    assert (got["tram", "cost"].low, got["tram", "cost"].high) == (52.5, 82.5)


def test_xlsx_reads_as_the_csv_does(in_tiny):
    body = [
        ["tram", "cost", 50, 100, "uniform", None, None, "bahn", "note"],
        ["*", "co2", "-10%", "+10%", None, None, "klima"],
    ]
    write(in_tiny, "".join(",".join("" if c is None else str(c) for c in row) + "\n" for row in body))
    from_csv = load_case(".").uncertainty
    (in_tiny / "uncertainty.csv").unlink()
    wb = openpyxl.Workbook()
    wb.active.append(HEADER.strip().split(","))
    for row in body:
        wb.active.append(row)
    wb.save(in_tiny / "uncertainty.xlsx")
    from_xlsx = load_case(".").uncertainty
    assert from_xlsx.estimates == from_csv.estimates and len(from_csv.estimates) == 6
    assert from_xlsx.source == "uncertainty.xlsx"


def test_xlsx_percent_formatted_cell_gets_a_hint(in_tiny):
    wb = openpyxl.Workbook()
    wb.active.append(["measure", "criterion", "low", "high"])
    wb.active.append(["tram", "co2", -0.1, 0.4])  # -10% and 40% typed into percent-formatted cells
    wb.save(in_tiny / "uncertainty.xlsx")
    (line,) = problems(in_tiny)
    assert line.startswith(
        "uncertainty.xlsx:2: column 'high': the value in measures.csv, 300, lies above high 0.4"
    )
    assert "a workbook cell formatted as a percentage holds a fraction: 0.4 is 40% of 1" in line


def test_read_uncertainty_of_another_file_against_a_loaded_case(in_tiny, tmp_path):
    case = load_case(".")
    other = tmp_path / "variant.csv"
    other.write_text(HEADER + "tram,cost,-10%,+100%,,,,,\n", encoding="utf-8")
    got = read_uncertainty(other, case)
    assert [(e.measure, e.high) for e in got.estimates] == [("tram", 120.0)]
    other.write_text(HEADER + "tram,cost,-10%,+100%,gamma,,,,\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="unknown distribution 'gamma'"):
        read_uncertainty(other, case)


# -- bad input: one located line each ----------------------------------------------------------

BAD = [
    (
        "solar,co2,500,300,,,,,\n",
        "uncertainty.csv:2: column 'low': low 500 is above high 300 (expected low <= high)",
    ),
    (
        "solar,co2,+20%,-10%,,,,,\n",
        "uncertainty.csv:2: column 'low': low +20% (480) is above high -10% (360) for 'solar' (expected low <= high)",
    ),
    (
        "solar,cost,30,40,,,,,\n",
        "uncertainty.csv:2: column 'low': the value in measures.csv, 20, lies below low 30 "
        "(expected low <= value <= high: the range is around the value)",
    ),
    (
        "solar,co2,+5%,+10%,normal,,,,\n",
        "uncertainty.csv:2: column 'low': the value in measures.csv, 400, lies below low +5% (420) "
        "(expected low <= value <= high: the range is around the value)",
    ),
    (
        "*,acceptance,1,4,,,,,\n",
        "uncertainty.csv:2: column 'high': the value in measures.csv lies above high 4 for 1 selected "
        "measure: park (5) (expected low <= value <= high; give them rows of their own: a row naming a "
        "measure overrides '*')",
    ),
    (
        "x_solar,co2,1,2,,,,,\n",
        "uncertainty.csv:2: column 'measure': unknown measure 'x_solar' (expected an id of measures.csv, "
        "or *) (did you mean 'solar'?)",
    ),
    (
        "solar,co3,1,2,,,,,\n",
        "uncertainty.csv:2: column 'criterion': unknown criterion or resource 'co3' (expected a criterion "
        "of the catalogue or a resource of case.yaml) (did you mean 'co2'?)",
    ),
    (
        "*,co2,-5%,+5%,,nordd,,,\n",
        "uncertainty.csv:2: column 'district': unknown district 'nordd' (expected a district of case.yaml) "
        "(did you mean 'nord'?)",
    ),
    (
        "*,co2,-5%,+5%,,,klimaa,,\n",
        "uncertainty.csv:2: column 'goal': unknown goal 'klimaa' (expected a goal of goals.yaml) "
        "(did you mean 'klima'?)",
    ),
    (
        "solar,co2,-5%,+5%,lognormal,,,,\n",
        "uncertainty.csv:2: column 'distribution': unknown distribution 'lognormal' (expected uniform, "
        "triangular, pert, normal; empty: triangular) (did you mean 'normal'?)",
    ),
    (
        "housing,co2,-10%,+10%,,,,,\n",
        "uncertainty.csv:2: column 'low': a relative end (-10%) needs a value other than 0, and co2 is 0 in "
        "measures.csv for 'housing' (expected absolute ends, e.g. 0 and 0 for an exact value)",
    ),
    (
        "*,homes,5,+10%,,,,,\n",
        "uncertainty.csv:2: column 'high': a relative end (+10%) needs a value other than 0, and homes is 0 in "
        "measures.csv for 4 selected measures: solar (0), park (0), tram (0), hub (0) (expected absolute "
        "ends, e.g. 0 and 0 for an exact value)",
    ),
    (
        "tram,cost,50,100,,,,,\ntram,cost,55,90,,,,,\n",
        "uncertainty.csv:3: column 'measure': the range of 'tram' in 'cost' is given twice (first at line 2)",
    ),
    (
        "tram,cost,50,100,,nord,,,\n",
        "uncertainty.csv:2: column 'district': a selector belongs to a row with measure '*' (this row names "
        "'tram': leave it empty)",
    ),
    (
        "*,cost,-5%,+5%,,sued,finanzen,,\n",
        "uncertainty.csv:2: column 'goal': selects no measure (none in district 'sued' and serving goal "
        "'finanzen'; expected at least one)",
    ),
    (
        "tram,cost,-10%,40%,,,,,\n",
        "uncertainty.csv:2: column 'high': '40%' has no sign (expected -40% or +40%: below or above the value)",
    ),
    (
        "tram,cost,-110%,+40%,,,,,\n",
        "uncertainty.csv:2: column 'low': '-110%' is below -100% (expected -100% or more: below it the sign "
        "would flip)",
    ),
    (
        "tram,cost,viel,+40%,,,,,\n",
        "uncertainty.csv:2: column 'low': 'viel' is not a number (expected a number like 12.5, or a relative "
        "end like -30% or +20%)",
    ),
    (
        "tram,cost,,+40%,,,,,\n",
        "uncertainty.csv:2: column 'low': is empty (expected a number like 12.5, or a relative end like -30% or +20%)",
    ),
    (
        "tram,land,-1,3,,,,,\n",
        "uncertainty.csv:2: column 'low': -1 is below 0 (expected 0 or more: land is a resource, never negative)",
    ),
    (
        "tram,*,1,2,,,,,\n",
        "uncertainty.csv:2: column 'criterion': '*' is not a column (expected one criterion or resource id per row)",
    ),
    (
        ",cost,1,2,,,,,\n",
        "uncertainty.csv:2: column 'measure': is empty (expected a measure id of measures.csv, or * for a selection)",
    ),
]


@pytest.mark.parametrize(("body", "expected"), BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_each_bad_row_is_one_located_line(in_tiny, body, expected):
    write(in_tiny, body)
    assert problems(in_tiny) == [expected]


def test_header_missing_and_unknown_columns(in_tiny):
    write(in_tiny, "tram,cost,50\n", header="measure,criterion,lo,distribution\n")
    assert problems(in_tiny) == [
        "uncertainty.csv:1: column 'high': column is missing (required)",
        "uncertainty.csv:1: column 'lo': unknown column (expected measure, criterion, low, high, "
        "distribution, district, goal, group, note) (did you mean 'low'?)",
        "uncertainty.csv:1: column 'low': column is missing (required)",
    ]


def test_a_table_of_another_kind_is_one_line(in_tiny):
    write(in_tiny, "1,2\n", header="id,name\n")
    assert problems(in_tiny) == [
        "uncertainty.csv: is not an uncertainty table (expected a header row with measure, criterion, "
        "low, high and distribution)"
    ]


def test_both_csv_and_xlsx_is_a_problem(in_tiny):
    write(in_tiny, "")
    openpyxl.Workbook().save(in_tiny / "uncertainty.xlsx")
    assert problems(in_tiny) == [
        "uncertainty.csv: both uncertainty.csv and uncertainty.xlsx exist (keep one)"
    ]


def test_every_row_is_checked_and_problems_join_the_other_files(in_tiny):
    """All rows at once, each with all its cells; a problem of measures.csv in the same run."""
    text = (in_tiny / "interactions.csv").read_text(encoding="utf-8")
    (in_tiny / "interactions.csv").write_text(text.replace("synergy", "synergie", 1), encoding="utf-8")
    write(in_tiny, "x,co3,1,2,beta,,,,\nsolar,co2,-5%,+5%,,,,,\ntram,cost,70,80,,,,,\n")
    got = problems(in_tiny)
    assert [line.split(": column")[0] for line in got if line.startswith("uncertainty")] == [
        "uncertainty.csv:2",
        "uncertainty.csv:2",
        "uncertainty.csv:2",
        "uncertainty.csv:4",
    ]
    assert any(line.startswith("interactions.csv:") for line in got)


def test_a_broken_measures_file_does_not_make_every_measure_unknown(in_tiny):
    (in_tiny / "measures.csv").unlink()
    write(in_tiny, "solar,co2,1,2,gamma,,,,\n")
    got = problems(in_tiny)
    assert (
        "uncertainty.csv:2: column 'distribution': unknown distribution 'gamma' (expected uniform, "
        in "".join(got)
    )
    assert not any("unknown measure" in line for line in got)


def test_cli_validate_exits_2_with_located_lines_and_no_traceback(in_tiny, invoke):
    write(in_tiny, "tram,cost,50,40,,,,,\n*,co2,-5%,+5%,,,nowhere,,\n")
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "uncertainty.csv:2: column 'low': low 50 is above high 40 (expected low <= high)",
        "uncertainty.csv:3: column 'goal': unknown goal 'nowhere' (expected a goal of goals.yaml)",
    ]
    assert "Traceback" not in result.output


def test_cli_validate_json_lists_the_problems(in_tiny, invoke):
    write(in_tiny, "tram,cost,50,40,,,,,\n")
    result = invoke("validate", ".", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 2 and data["valid"] is False
    assert data["problems"][0] | {"message": None} == {
        "file": "uncertainty.csv",
        "row": 2,
        "column": "low",
        "reason": "low 50 is above high 40 (expected low <= high)",
        "message": None,
    }


# -- a property: whatever valid table, the value lies in its range ------------------------------

CO2 = {"solar": 400.0, "park": 50.0, "infill": 100.0, "tram": 300.0, "hub": 80.0}
"""The measures serving goal klima, with their co2 (housing, co2 0, serves wohnen only)."""
ends = st.tuples(st.integers(-100, 0), st.integers(0, 300))
extras = st.tuples(st.sampled_from(["", *DISTRIBUTIONS]), st.sampled_from(["", "g1", "g2"]))


@given(
    stars=st.lists(st.tuples(ends, extras), max_size=3),
    named=st.dictionaries(st.sampled_from(sorted(CO2)), st.tuples(ends, extras, st.booleans()), max_size=5),
)
def test_any_valid_table_resolves_to_ranges_around_the_values(tmp_path_factory, stars, named):
    """``*`` rows (goal klima) with relative ends, then one row per named measure with relative or
    absolute ends around its value: every measure gets the range of the row that should set it."""
    case = tmp_path_factory.mktemp("prop") / "tiny"
    shutil.copytree(CASES / "tiny", case)
    with (case / "uncertainty.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER.strip().split(","))
        for (lo, hi), (dist, group) in stars:
            out.writerow(["*", "co2", f"{lo:+d}%", f"{hi:+d}%", dist, "", "klima", group, ""])
        for mid, ((lo, hi), (dist, group), relative) in named.items():
            v = CO2[mid]
            low, high = (
                (f"{lo:+d}%", f"{hi:+d}%") if relative else (v * (100 + lo) / 100, v * (100 + hi) / 100)
            )
            out.writerow([mid, "co2", low, high, dist, "", "", group, ""])
    got = {e.measure: e for e in load_case(case).uncertainty.estimates}
    assert set(got) == (set(CO2) if stars else set(named))
    for mid, e in got.items():
        assert e.column == "co2" and e.value == CO2[mid] and e.low <= e.value <= e.high
        (lo, hi), (dist, group) = named[mid][:2] if mid in named else stars[-1]
        assert (e.low, e.high) == (
            CO2[mid] * (100 + lo) / 100 if lo else CO2[mid],
            CO2[mid] * (100 + hi) / 100 if hi else CO2[mid],
        )
        assert (e.distribution, e.group) == (dist or "triangular", group or None)


# -- the Leverkusen case ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def city():
    return load_case(LEVERKUSEN)


def test_leverkusen_ranges(city):
    u = city.uncertainty
    assert u.source == "uncertainty.csv" and "uncertainty.csv" in city.inputs
    assert (len(u.estimates), sum(e.width > 0 for e in u.estimates)) == (225, 223)
    costs = {e.measure: e for e in u.on(["cost_eur_m"])}
    assert len(costs) == 36  # every measure but the tax rate, which is exact
    upward = {m for m, e in costs.items() if e.high - e.value > e.value - e.low}  # overruns likelier
    assert set(costs) - upward == {"m15_radschnellweg_opladen_wiesdorf"}  # 3 .. 12 around 9 [C1]
    rail = costs["m10_strassenbahn_flittard_wiesdorf"]
    assert (rail.low + rail.value + rail.high) / 3 == pytest.approx(1.447 * rail.value)  # 44.7 %
    groups = {
        g: sorted(e.measure[:3] for e in u.estimates if e.group == g) for g in {e.group for e in u.estimates}
    }
    assert groups == {
        None: groups[None],
        "stadtbahn": ["m10", "m23"],
        "wupperverband": ["m13", "m24", "m25"],
        "schulbau": ["m09", "m19", "m30"],
        "fernwaerme": ["m21", "m33"],
    }
    noise = next(e for e in u.estimates if e.column == "noise_65db_residents_n" and e.value < 0)
    assert noise.low < noise.value < noise.high


def test_leverkusen_ranges_lie_within_the_criteria_scales(city):
    scale = {c.id: (c.min, c.max) for c in city.criteria}
    for e in city.uncertainty.estimates:
        lo, hi = scale.get(e.column, (0, None))
        assert (lo is None or e.low >= lo) and (hi is None or e.high <= hi), e


def test_leverkusen_every_row_has_a_note_and_reads_as_the_loader_does(city):
    path = LEVERKUSEN / "uncertainty.csv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert len(rows) == 50 and all(r["note"].strip() for r in rows)
    assert read_uncertainty(path, city) == city.uncertainty
