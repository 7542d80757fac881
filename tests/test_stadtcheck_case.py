"""Reading the Stadtcheck of a case (stadtcheck.csv/.xlsx, stadtcheck.yaml, districts.geojson,
districts_layout.csv): the valid fixture of tests/stadtcheck_fixtures.py as read (values, NaN,
shapes, CRS, layout, hashes), the workbook and the German semicolon file, and every bad input as one
located line, through ``load_case`` and through ``lev2040 validate`` (exit 2).

Contract: the shared brief of issue 21 ("Case files") and docs/case-format.md ("stadtcheck.csv,
stadtcheck.yaml, districts.geojson, districts_layout.csv"). The cases are copies of cases/tiny
(districts stadt > nord, sued; goals klima, wohnen, finanzen), run from inside the copy so that
messages name ``stadtcheck.csv``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from lev2040_mcda import load_case
from lev2040_mcda.case import (
    GEOJSON_FILE,
    LAYOUT_FILE,
    STADTCHECK_CATALOGUE,
    DistrictShape,
    Stadtcheck,
    current_hashes,
)
from lev2040_mcda.errors import InputErrors

from .stadtcheck_fixtures import LAYOUT, SQUARES_25832, VALUES, geojson_text, write_stadtcheck

IDS = ("population", "sgb2_rate", "green_m2_per_resident", "heat_days")


def problems(case: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_case(case)
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_geojson(case: Path, change: Callable[[dict], None]) -> None:
    data = json.loads((case / GEOJSON_FILE).read_text(encoding="utf-8"))
    change(data)
    (case / GEOJSON_FILE).write_text(json.dumps(data, indent=2), encoding="utf-8")


# -- a valid Stadtcheck -----------------------------------------------------------------------


def test_no_files_no_stadtcheck(in_tiny):
    case = load_case(".")
    assert case.stadtcheck is None
    assert not {"stadtcheck.csv", "stadtcheck.yaml", GEOJSON_FILE, LAYOUT_FILE} & set(case.inputs)


def test_the_fixture_is_read_as_written(in_tiny):
    write_stadtcheck(in_tiny)
    case = load_case(".")
    sc = case.stadtcheck
    assert isinstance(sc, Stadtcheck)
    assert sc.indicator_ids == IDS  # the catalogue's order
    assert sc.districts == ("stadt", "nord", "sued") and sc.rows == (2, 3, 4)
    assert sc.values.shape == (3, 4) and sc.values.dtype == float
    for d, row in VALUES.items():
        for ind, want in row.items():
            assert sc.value(d, ind) == want
    assert math.isnan(sc.values[0, 3])  # missing: NaN, never 0
    assert sc.column("heat_days") == {"stadt": None, "nord": 14.0, "sued": 9.0}
    green = sc.indicator("green_m2_per_resident")
    assert (green.need, green.goals, green.unit, green.year) == (
        "lower",
        {"klima": 1.0, "wohnen": 0.5},
        "m²",
        2022,
    )
    assert sc.indicator("population").need == "higher" and sc.indicator("population").goals == {}
    assert sc.indicator("heat_days").note == "no figure for the city as a whole"
    assert sc.crs == "EPSG:25832"
    assert [s.district for s in sc.shapes] == ["nord", "sued"]
    nord = sc.shapes[0]
    assert isinstance(nord, DistrictShape) and len(nord.polygons) == 1 and len(nord.polygons[0]) == 1
    assert nord.polygons[0][0] == tuple((float(x), float(y)) for x, y in SQUARES_25832["nord"])
    assert sc.layout == {"nord": (0, 0), "sued": (1, 0)}
    files = ("districts.geojson", "districts_layout.csv", "stadtcheck.csv", "stadtcheck.yaml")
    assert sc.files == files
    for name in files:  # in the provenance, as every input is
        assert case.inputs[name] == hashlib.sha256((in_tiny / name).read_bytes()).hexdigest()
    assert current_hashes(in_tiny, files) == {name: case.inputs[name] for name in files}


def test_the_shapes_are_valid_and_adjacent(in_tiny):
    """The fixture's squares are what the map helpers expect: valid, sharing one edge."""
    import shapely

    write_stadtcheck(in_tiny)
    shapes = {s.district: shapely.Polygon(s.polygons[0][0]) for s in load_case(".").stadtcheck.shapes}
    assert all(p.is_valid for p in shapes.values())
    assert (
        shapes["nord"].touches(shapes["sued"]) and shapes["nord"].intersection(shapes["sued"]).length == 2000
    )


def test_a_plain_wgs84_geojson(in_tiny):
    write_stadtcheck(in_tiny, geojson="wgs84", layout=False)
    sc = load_case(".").stadtcheck
    assert sc.crs == "OGC:CRS84" and sc.layout == {} and LAYOUT_FILE not in sc.files
    assert sc.shapes[1].polygons[0][0][0] == (7.0, 51.0)


def test_a_map_alone_is_a_stadtcheck_without_indicators(in_tiny):
    (in_tiny / LAYOUT_FILE).write_text(LAYOUT, encoding="utf-8")
    sc = load_case(".").stadtcheck
    assert sc.indicators == () and sc.districts == () and sc.values.shape == (0, 0)
    assert sc.layout == {"nord": (0, 0), "sued": (1, 0)} and sc.shapes == () and sc.crs is None


def test_a_geojson_missing_a_district_is_fine(in_tiny):
    """The map falls back to tiles for the rest (the stage warns): not an error here."""
    write_stadtcheck(in_tiny)
    edit_geojson(in_tiny, lambda d: d["features"].pop())
    assert [s.district for s in load_case(".").stadtcheck.shapes] == ["nord"]


def test_a_multipolygon_and_the_id_property_of_case_yaml(in_tiny):
    write_stadtcheck(in_tiny)
    edit(in_tiny / "case.yaml", "defaults:", "stadtcheck: {id_property: bezirk}\ndefaults:")

    def change(data: dict) -> None:
        for f in data["features"]:
            f["properties"] = {"bezirk": f["properties"]["name"].upper()}  # NORD, SÜD: by name
        ring = f["geometry"]["coordinates"]
        f["geometry"] = {"type": "MultiPolygon", "coordinates": [ring, [[[0, 0], [1, 0], [1, 1], [0, 0]]]]}

    edit_geojson(in_tiny, change)
    shapes = load_case(".").stadtcheck.shapes
    assert [s.district for s in shapes] == ["nord", "sued"] and len(shapes[1].polygons) == 2


def test_a_workbook_reads_as_the_csv(in_tiny):
    write_stadtcheck(in_tiny)
    want = load_case(".").stadtcheck
    (in_tiny / "stadtcheck.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["district", *IDS])
    for d, row in VALUES.items():
        ws.append([d, *(row[i] for i in IDS)])
    wb.save(in_tiny / "stadtcheck.xlsx")
    got = load_case(".").stadtcheck
    assert got.districts == want.districts and got.rows == want.rows
    np.testing.assert_array_equal(got.values, want.values)
    assert "stadtcheck.xlsx" in got.files


def test_a_german_semicolon_file_with_names_and_missing_marks(in_tiny):
    write_stadtcheck(in_tiny, geojson=False, layout=False)
    (in_tiny / "stadtcheck.csv").write_text(
        "district;name;population;sgb2_rate;green_m2_per_resident;heat_days\n"
        "Stadt;Leverkusen;20.000;9,6;30;n/a\n"
        "NORD;Nord;12.000;12;20;–\n"
        "Süd;;8.000;6,25;-;9\n",
        encoding="utf-8",
    )
    sc = load_case(".").stadtcheck
    assert sc.districts == ("stadt", "nord", "sued")
    assert sc.column("population") == {"stadt": 20000.0, "nord": 12000.0, "sued": 8000.0}
    assert sc.column("sgb2_rate") == {"stadt": 9.6, "nord": 12.0, "sued": 6.25}
    assert sc.column("heat_days") == {"stadt": None, "nord": None, "sued": 9.0}
    assert sc.value("sued", "green_m2_per_resident") is None


# -- bad input: one located line each, through load_case and the CLI --------------------------


def _two_files(case: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["district", "population"])
    wb.save(case / "stadtcheck.xlsx")


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    "unknown district": (
        lambda c: edit(c / "stadtcheck.csv", "nord,12000", "nordd,12000"),
        "stadtcheck.csv:3: column 'district': unknown district 'nordd' (expected a district of "
        "case.yaml, by id or name) (did you mean 'nord'?)",
    ),
    "a district twice": (
        lambda c: edit(c / "stadtcheck.csv", "sued,8000", "Nord,8000"),
        "stadtcheck.csv:4: column 'district': district 'nord' (as 'Nord') appears twice (first at line 3; "
        "one row per district)",
    ),
    "a column without catalogue entry": (
        lambda c: edit(c / "stadtcheck.csv", "heat_days\n", "heat_days,heat_dayz\n"),
        "stadtcheck.csv:1: column 'heat_dayz': indicator 'heat_dayz' has no entry in stadtcheck.yaml "
        "(expected an indicator of the catalogue, or describe it there) (did you mean 'heat_days'?)",
    ),
    "a catalogue entry without column": (
        lambda c: edit(
            c / STADTCHECK_CATALOGUE,
            "  - id: heat_days",
            "  - id: kita_rate\n    name: Kita\n  - id: heat_days",
        ),
        "stadtcheck.yaml:24: key 'indicators.id': indicator 'kita_rate' has no column in stadtcheck.csv "
        "(add the column, or remove the entry)",
    ),
    "a value that is no number": (
        lambda c: edit(c / "stadtcheck.csv", "nord,12000,12,", "nord,12000,zwölf,"),
        "stadtcheck.csv:3: column 'sgb2_rate': 'zwölf' is not a number (expected a number like 1.5; "
        "empty, - or n/a: missing)",
    ),
    "a negative population": (
        lambda c: edit(c / "stadtcheck.csv", "sued,8000", "sued,-8000"),
        "stadtcheck.csv:4: column 'population': -8000 is below 0 (expected residents: 0 or more)",
    ),
    "a goal the case lacks": (
        lambda c: edit(c / STADTCHECK_CATALOGUE, "goals: {klima: 0.5}", "goals: {klimaschutz: 0.5}"),
        "stadtcheck.yaml:30: key 'indicators.goals.klimaschutz': unknown goal 'klimaschutz' (expected a "
        "goal of goals.yaml) (did you mean 'klima'?)",
    ),
    "a catalogue entry twice": (
        lambda c: edit(
            c / STADTCHECK_CATALOGUE, "  - id: heat_days", "  - id: sgb2_rate\n    name: x\n  - id: heat_days"
        ),
        "stadtcheck.yaml:24: key 'indicators.id': indicator 'sgb2_rate' is listed twice (expected unique ids)",
    ),
    "a need that is neither way": (
        lambda c: edit(c / STADTCHECK_CATALOGUE, "need: lower", "need: less"),
        "stadtcheck.yaml:22: key 'indicators.need': 'less' is not allowed (expected 'higher' or 'lower')",
    ),
    "the table without catalogue": (
        lambda c: (c / STADTCHECK_CATALOGUE).unlink(),
        "stadtcheck.yaml: file not found (the indicators of stadtcheck.csv need their catalogue: id, "
        "name, unit, year, source and need of each)",
    ),
    "the catalogue without table": (
        lambda c: (c / "stadtcheck.csv").unlink(),
        "stadtcheck.csv: file not found (stadtcheck.yaml describes indicators: their values per "
        "district go in stadtcheck.csv or stadtcheck.xlsx)",
    ),
    "both csv and xlsx": (
        _two_files,
        "stadtcheck.csv: both stadtcheck.csv and stadtcheck.xlsx exist (keep one)",
    ),
    "no FeatureCollection": (
        lambda c: edit_geojson(c, lambda d: d.update(type="GeometryCollection")),
        "districts.geojson: is not a GeoJSON FeatureCollection (got type 'GeometryCollection') "
        '(expected {"type": "FeatureCollection", "features": [...]})',
    ),
    "a geojson without features": (
        lambda c: edit_geojson(c, lambda d: d.update(features=[])),
        "districts.geojson: key 'features': has no features (expected one Polygon or MultiPolygon "
        "feature per district)",
    ),
    "a population that case.yaml contradicts": (
        lambda c: edit(c / "stadtcheck.csv", "sued,8000", "sued,8200"),
        "stadtcheck.csv:4: column 'population': 8200 residents, but case.yaml gives 'sued' population "
        "8000 (expected the same figure, or one of the two left out)",
    ),
    "a feature for an unknown district": (
        lambda c: edit_geojson(c, lambda d: d["features"][1]["properties"].update(id="suedd")),
        "districts.geojson:44: key 'features.properties.id': unknown district 'suedd' (expected a "
        "district of case.yaml, by id or name) (did you mean 'sued'?)",
    ),
    "a feature without id": (
        lambda c: edit_geojson(c, lambda d: d["features"][0].update(properties={"label": "x"})),
        "districts.geojson:10: key 'features.properties.id': has no property 'id' or 'name' (expected "
        "the district it draws)",
    ),
    "two features for one district": (
        lambda c: edit_geojson(c, lambda d: d["features"][1]["properties"].update(id="nord")),
        "districts.geojson:44: key 'features.properties.id': district 'nord' has a feature already "
        "(at line 10; one feature per district: a MultiPolygon for several parts)",
    ),
    "an invalid geometry": (
        lambda c: edit_geojson(
            c,
            lambda d: d["features"][0]["geometry"].update(
                coordinates=[[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]
            ),
        ),
        "districts.geojson:10: key 'features.geometry': is not a valid geometry: Self-intersection[1 1] "
        "(expected simple, non-overlapping polygons)",
    ),
    "a point for a polygon": (
        lambda c: edit_geojson(
            c, lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [1, 2]})
        ),
        "districts.geojson:10: key 'features.geometry': is a 'Point' (expected a Polygon or MultiPolygon)",
    ),
    "a crs pyproj cannot read": (
        lambda c: edit_geojson(c, lambda d: d["crs"]["properties"].update(name="EPSG:999999")),
        "districts.geojson: key 'crs': 'EPSG:999999' is not a CRS pyproj can read",
    ),
    "projected coordinates without crs": (
        lambda c: edit_geojson(c, lambda d: d.pop("crs")),
        "districts.geojson:",  # the whole line is asserted in its own test below
    ),
    "a layout row that is no whole number": (
        lambda c: edit(c / LAYOUT_FILE, "sued,1,0", "sued,1.5,0"),
        "districts_layout.csv:3: column 'row': '1.5' is not a tile position (expected a whole number 0 "
        "or more: row 0 at the top, col 0 at the left)",
    ),
    "a negative layout col": (
        lambda c: edit(c / LAYOUT_FILE, "sued,1,0", "sued,1,-1"),
        "districts_layout.csv:3: column 'col': -1 is below 0 (expected a whole number 0 or more: row 0 at "
        "the top, col 0 at the left)",
    ),
    "two districts on one tile": (
        lambda c: edit(c / LAYOUT_FILE, "sued,1,0", "sued,0,0"),
        "districts_layout.csv:3: column 'row': tile (row 0, col 0) holds 'nord' already (line 2; one "
        "district per tile)",
    ),
    "a layout district unknown": (
        lambda c: edit(c / LAYOUT_FILE, "sued,1,0", "west,1,0"),
        "districts_layout.csv:3: column 'district': unknown district 'west' (expected a district of "
        "case.yaml, by id or name)",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_one_located_line(in_tiny, name):
    make, line = BAD[name]
    write_stadtcheck(in_tiny)
    make(in_tiny)
    got = problems(in_tiny)
    assert len(got) == 1, got
    assert got[0].startswith(line), got


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_exits_2_through_the_cli(in_tiny, invoke, name):
    make, line = BAD[name]
    write_stadtcheck(in_tiny)
    make(in_tiny)
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(line)
    assert "Traceback" not in result.output


def test_projected_coordinates_without_crs_name_the_fix(in_tiny):
    write_stadtcheck(in_tiny)
    edit_geojson(in_tiny, lambda d: d.pop("crs"))
    assert problems(in_tiny) == [
        "districts.geojson:4: key 'features.geometry.coordinates': coordinates lie outside longitude "
        "-180..180 / latitude -90..90, but the file names no crs, so RFC 7946's WGS84 longitude/latitude "
        'is meant (projected coordinates? name their CRS: "crs": {"type": "name", "properties": '
        '{"name": "EPSG:25832"}})'
    ]


def test_every_problem_of_every_file_at_once(in_tiny, invoke):
    """The load goes on past the first problem: every file's problems, in file and line order."""
    write_stadtcheck(in_tiny)
    edit(in_tiny / "stadtcheck.csv", "nord,12000,12,", "nordd,12000,x,")
    edit(in_tiny / LAYOUT_FILE, "sued,1,0", "sued,0,0")
    edit_geojson(in_tiny, lambda d: d["features"][1]["properties"].update(id="ost"))
    edit(in_tiny / "measures.csv", "solar,Solar roofs,nord,klima,20", "solar,Solar roofs,nord,klima,zwanzig")
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert [ln.split(":")[0] + ":" + ln.split(":")[1] for ln in result.stderr.splitlines()] == [
        "districts.geojson:44",
        "districts_layout.csv:3",
        "measures.csv:2",
        "stadtcheck.csv:3",
        "stadtcheck.csv:3",
    ]


def test_a_broken_case_yaml_still_checks_the_stadtcheck_on_its_own(in_tiny):
    """Without case.yaml's districts, the district checks are left out; the numbers still count."""
    write_stadtcheck(in_tiny)
    edit(in_tiny / "case.yaml", "name: tiny", "name: Tiny Case")
    edit(in_tiny / "stadtcheck.csv", "nord,12000,12,", "nordd,12000,x,")
    got = problems(in_tiny)
    assert any(p.startswith("case.yaml:") for p in got)
    assert [p for p in got if p.startswith("stadtcheck")] == [
        "stadtcheck.csv:3: column 'sgb2_rate': 'x' is not a number (expected a number like 1.5; empty, - "
        "or n/a: missing)"
    ]


def test_a_one_line_geojson_names_the_feature(in_tiny):
    write_stadtcheck(in_tiny)
    data = json.loads(geojson_text())
    data["features"][1]["properties"]["id"] = "ost"
    (in_tiny / GEOJSON_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert problems(in_tiny) == [
        "districts.geojson: key 'features.properties.id': feature 2: unknown district 'ost' (expected a "
        "district of case.yaml, by id or name)"
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("{", "districts.geojson:1: JSON syntax error"),
        (
            '{"type": "FeatureCollection", "features": [], "features": []}',
            "districts.geojson: the key 'features' appears twice",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, NaN], [1, 0], [1, 1], [0, 0]]]}}]}',
            "districts.geojson: cannot be read (NaN is not a number GeoJSON allows",
        ),
        (
            '{"type": "FeatureCollection", "features": {}}',
            "districts.geojson: key 'features': has no list `features`",
        ),
    ],
)
def test_a_geojson_that_cannot_be_read(in_tiny, text, reason):
    write_stadtcheck(in_tiny)
    (in_tiny / GEOJSON_FILE).write_text(text, encoding="utf-8")
    got = problems(in_tiny)
    assert len(got) == 1 and got[0].startswith(reason), got


@pytest.mark.parametrize(
    "member, crs",
    [
        ({"type": "name", "properties": {"name": "EPSG:25832"}}, "EPSG:25832"),
        ({"type": "EPSG", "properties": {"code": 25832}}, "EPSG:25832"),
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "OGC:CRS84"),
    ],
)
def test_the_legacy_crs_member_in_its_spellings(in_tiny, member, crs):
    write_stadtcheck(in_tiny, geojson="wgs84" if "CRS84" in crs else "25832")
    edit_geojson(in_tiny, lambda d: d.update(crs=member))
    assert load_case(".").stadtcheck.crs == crs


def test_a_population_within_half_a_resident_of_case_yaml_agrees(in_tiny):
    write_stadtcheck(in_tiny)
    edit(in_tiny / "stadtcheck.csv", "nord,12000", "nord,12000.4")
    edit(in_tiny / "stadtcheck.csv", "sued,8000", "sued,7999.5")
    assert load_case(".").stadtcheck.value("nord", "population") == 12000.4


# -- what case.yaml's need weighting and equity need of the case ---------------------------------

PORTFOLIO_AT = (
    len((Path(__file__).resolve().parent.parent / "cases/tiny/case.yaml").read_text().splitlines()) + 1
)
"""The line of ``portfolio:`` when it is appended to tiny's case.yaml."""


def _portfolio(case: Path, text: str) -> None:
    with (case / "case.yaml").open("a", encoding="utf-8") as f:
        f.write("portfolio:\n" + text)


def _validate(invoke) -> list[str]:
    result = invoke("validate", ".")
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert result.exit_code == (2 if lines else 0), result.output
    assert (result.stdout == "") == bool(lines)  # a valid case is described, a broken one not
    return lines


def test_unknown_equity_districts_and_resources_are_located(in_tiny, invoke):
    _portfolio(
        in_tiny,
        "  equity:\n"
        "    districts:\n"
        "      - nord\n"
        "      - nordd\n"
        "    min_budget_share: {cost: 0.5, costs: 0.25}\n",
    )
    n = PORTFOLIO_AT
    assert _validate(invoke) == [
        f"case.yaml:{n + 4}: key 'portfolio.equity.districts': unknown district 'nordd' (expected one of "
        "case.yaml districts: nord, stadt, sued)",
        f"case.yaml:{n + 5}: key 'portfolio.equity.min_budget_share.costs': unknown resource 'costs' "
        "(expected one of case.yaml resources: cost, land)",
    ]


def test_an_unknown_equity_district_among_many_is_named_with_the_closest(in_tiny, invoke):
    more = "".join(f"  - {{id: teil_{i}, parent: nord, population: 100}}\n" for i in range(9))
    edit(in_tiny / "case.yaml", "defaults:", more + "defaults:")
    _portfolio(in_tiny, "  equity: {districts: [teil_3, tiel_4]}\n")
    (got,) = _validate(invoke)
    assert got.startswith(
        f"case.yaml:{PORTFOLIO_AT + 10}: key 'portfolio.equity.districts': unknown district 'tiel_4'"
    )
    assert got.endswith("(did you mean 'teil_4'?)")


def test_a_listed_district_without_population(in_tiny, invoke):
    """Residents from case.yaml, else the Stadtcheck, else the sum of the parts: sued has none
    without the Stadtcheck, and then stadt (a part lacks one) neither."""
    edit(in_tiny / "case.yaml", "parent: stadt, population: 8000}", "parent: stadt}")
    _portfolio(in_tiny, "  equity:\n    districts: [nord, sued]\n    min_benefit_per_resident: 0.5\n")
    why = (
        "has no population (the equity rules count per resident: give it `population:` under case.yaml "
        "districts, a `population` indicator in the Stadtcheck, or a population to each of its parts)"
    )
    assert _validate(invoke) == [
        f"case.yaml:{PORTFOLIO_AT + 2}: key 'portfolio.equity.districts': district 'sued' {why}"
    ]
    write_stadtcheck(in_tiny)  # its population indicator gives sued 8000
    assert _validate(invoke) == []
    assert load_case(".").config.portfolio.equity.districts == ["nord", "sued"]


def test_defaulted_equity_districts_need_residents_too(in_tiny, invoke):
    """No ``districts:``: the root's parts; their sum gives the root's (not listed then)."""
    _portfolio(in_tiny, "  equity: {min_benefit_per_resident: 0.5}\n")
    assert _validate(invoke) == []
    edit(in_tiny / "case.yaml", "parent: stadt, population: 12000}", "parent: stadt}")
    assert _validate(invoke) == [
        f"case.yaml:{PORTFOLIO_AT + 1}: key 'portfolio.equity': district 'nord' has no population (the "
        "equity rules count per resident: give it `population:` under case.yaml districts, a "
        "`population` indicator in the Stadtcheck, or a population to each of its parts)"
    ]


def test_a_listed_root_gets_the_sum_of_its_parts(in_tiny, invoke):
    _portfolio(in_tiny, "  equity: {districts: [stadt]}\n")
    assert _validate(invoke) == []


def test_a_listed_district_with_no_residents(in_tiny, invoke):
    edit(in_tiny / "case.yaml", "population: 8000}", "population: 0}")
    _portfolio(in_tiny, "  equity: {districts: [nord, sued]}\n")
    assert _validate(invoke) == [
        f"case.yaml:{PORTFOLIO_AT + 1}: key 'portfolio.equity.districts': district 'sued' has 0 residents "
        "(the equity rules count per resident: expected a population above 0)"
    ]


def test_need_weighting_needs_a_stadtcheck(in_tiny, invoke):
    _portfolio(in_tiny, "  need_weighting: true\n")
    assert _validate(invoke) == [
        f"case.yaml:{PORTFOLIO_AT + 1}: key 'portfolio.need_weighting': need weighting needs the case's "
        "Stadtcheck (stadtcheck.csv or .xlsx with stadtcheck.yaml), which this case lacks"
    ]
    write_stadtcheck(in_tiny)
    assert _validate(invoke) == []
    # a Stadtcheck with problems of its own: those are reported, not its absence
    edit(in_tiny / "stadtcheck.csv", "nord,12000,12,", "nord,12000,zwölf,")
    assert [line.split(":")[0] for line in _validate(invoke)] == ["stadtcheck.csv"]
