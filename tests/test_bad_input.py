"""Bad input: one located line per problem, all problems at once, exit code 2, never a traceback.

Contract: /work/shared/DESIGN.md "Bad input" (one line `FILE:ROW: column 'x': what is wrong (what
was expected)` per problem, all of a file at once, exit 2; an invalid stakeholder submission is
rejected and the rest used, `--strict` makes it fatal; spreadsheets never evaluate formulas) and
docs/case-format.md (what each file may hold). Every case below is cases/tiny with one defect,
run from inside the case folder so that messages name `measures.csv` as a user sees it there.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from lev2040_mcda import InputErrors, load_case

Edit = Callable[[Path], None]


# -- edits of the tiny case -------------------------------------------------------------------


def sub(name: str, old: str, new: str) -> Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in file ``name``."""

    def edit(case: Path) -> None:
        path = case / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def append(name: str, text: str) -> Edit:
    def edit(case: Path) -> None:
        with open(case / name, "a", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return edit


def put(name: str, content: str | bytes) -> Edit:
    def edit(case: Path) -> None:
        path = case / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return edit


def drop(name: str) -> Edit:
    return lambda case: (case / name).unlink()


def columns(name: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Edit:
    """Rewrite the table ``name`` through ``change`` (a function of its rows, header first)."""

    def edit(case: Path) -> None:
        with open(case / name, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        with open(case / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(change(rows))

    return edit


def without_column(column: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(rows: list[list[str]]) -> list[list[str]]:
        at = rows[0].index(column)
        return [r[:at] + r[at + 1 :] for r in rows]

    return change


def with_column(column: str, values: list[str]) -> Callable[[list[list[str]]], list[list[str]]]:
    return lambda rows: [rows[0] + [column]] + [r + [v] for r, v in zip(rows[1:], values)]


# Lines of cases/tiny/measures.csv: 2 solar, 3 park, 4 housing, 5 infill, 6 tram, 7 hub.
PARK = "park,Pocket park,sued,klima,10,1,50,0,5,,,false"
TRAM = "tram,Tram line,nord,klima,60,2,300,0,3,hub,,false"
HUB = "hub,Mobility hub,sued,klima,15,0.5,80,0,4,,,true"
NOT_NEITHER = (
    "numeric column is neither a criterion nor a resource (add it to the criteria "
    "catalogue or to case.yaml's resources, or remove it)"
)

BAD_INPUTS = [
    # numbers
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",10,", ",ten,"))],
        ["measures.csv:3: column 'cost': 'ten' is not a number (expected a number like 1.5)"],
        id="text-in-numeric-cell",
    ),
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",10,1,", ",10,-1,"))],
        ["measures.csv:3: column 'land': must be greater than or equal to 0 (got -1.0)"],
        id="negative-resource",
    ),
    *[
        pytest.param(
            [sub("measures.csv", PARK, PARK.replace(",50,", f",{bad},"))],
            [f"measures.csv:3: column 'co2': '{bad}' is not a finite number (expected a number like 1.5)"],
            id=f"non-finite-{bad}",
        )
        for bad in ("inf", "-inf", "nan", "Infinity")
    ],
    pytest.param(
        [sub("interactions.csv", "tram,hub,synergy,0.8", "tram,hub,synergy,nan")],
        ["interactions.csv:4: column 'strength': 'nan' is not a finite number (expected a number like 1.5)"],
        id="non-finite-strength",
    ),
    pytest.param(
        [sub("criteria.yaml", "min: 0, max: 1000", "min: 0, max: .inf")],
        ["criteria.yaml:5: key 'criteria.max': must be a finite number (got inf)"],
        id="non-finite-yaml",
    ),
    # duplicate ids
    pytest.param(
        [append("measures.csv", "solar,Solar again,nord,klima,1,0,1,0,1,,,false\n")],
        ["measures.csv:8: column 'id': measure id 'solar' appears twice (first at line 2)"],
        id="duplicate-measure",
    ),
    pytest.param(
        [append("criteria.yaml", "  - {id: co2, name: CO2 again, direction: benefit}\n")],
        ["criteria.yaml:11: key 'criteria.id': criterion id 'co2' appears twice (first at line 5)"],
        id="duplicate-criterion",
    ),
    pytest.param(
        [append("goals.yaml", "  - {id: klima, title: Klima again}\n")],
        ["goals.yaml:5: key 'goals.id': goal id 'klima' appears twice (first at line 2)"],
        id="duplicate-goal",
    ),
    # unknown references
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",klima,", ",klimax,"))],
        [
            "measures.csv:3: column 'goals': unknown goal 'klimax' "
            "(expected one of goals.yaml: finanzen, klima, wohnen)"
        ],
        id="unknown-goal",
    ),
    pytest.param(
        [sub("criteria.yaml", "goal: klima,", "goal: klimax,")],
        [
            "criteria.yaml:5: key 'criteria.goal': unknown goal 'klimax' "
            "(expected one of goals.yaml: finanzen, klima, wohnen)"
        ],
        id="unknown-criterion-goal",
    ),
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",sued,", ",west,"))],
        [
            "measures.csv:3: column 'district': unknown district 'west' "
            "(expected one of case.yaml districts: nord, stadt, sued)"
        ],
        id="unknown-district",
    ),
    pytest.param(
        [sub("measures.csv", TRAM, TRAM.replace(",hub,", ",hubx,"))],
        [
            "measures.csv:6: column 'requires': unknown measure 'hubx' "
            "(expected one of measures.csv: housing, hub, infill, park, solar, tram)"
        ],
        id="unknown-requires",
    ),
    pytest.param(
        [sub("measures.csv", ",park,false", ",parkx,false")],
        [
            "measures.csv:4: column 'excludes': unknown measure 'parkx' "
            "(expected one of measures.csv: housing, hub, infill, park, solar, tram)"
        ],
        id="unknown-excludes",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,", "tram,hubx,")],
        ["interactions.csv:4: column 'target': unknown goal or measure 'hubx' (did you mean 'hub'?)"],
        id="unknown-interaction-end",
    ),
    pytest.param(
        [sub("scenarios.yaml", "criterion: homes", "criterion: homex")],
        [
            "scenarios.yaml:10: key 'scenarios.effects.adjust.criterion': unknown criterion "
            "'homex' (expected one of the criteria catalogue: acceptance, co2, cost, homes)"
        ],
        id="unknown-scenario-criterion",
    ),
    pytest.param(
        [sub("scenarios.yaml", "resource: cost", "resource: costx")],
        [
            "scenarios.yaml:9: key 'scenarios.effects.adjust.resource': unknown resource "
            "'costx' (expected one of case.yaml resources: cost, land)"
        ],
        id="unknown-scenario-resource",
    ),
    pytest.param(
        [sub("scenarios.yaml", "measures: [housing, infill]", "measures: [housing, infilx]")],
        [
            "scenarios.yaml:10: key 'scenarios.effects.adjust.measures': unknown measure "
            "'infilx' (did you mean 'infill'?)"
        ],
        id="unknown-scenario-measure",
    ),
    pytest.param(
        [sub("scenarios.yaml", "limits: {cost: 0.5}", "limits: {budget: 0.5}")],
        [
            "scenarios.yaml:16: key 'scenarios.effects.limits.budget': unknown resource "
            "'budget' (expected one of case.yaml resources: cost, land)"
        ],
        id="unknown-scenario-limit",
    ),
    # requires / excludes / mandatory
    pytest.param(
        [sub("measures.csv", HUB, HUB.replace(",,,true", ",tram,,true"))],
        ["measures.csv:6: column 'requires': measures form a cycle: tram -> hub -> tram"],
        id="requires-cycle",
    ),
    pytest.param(
        [sub("measures.csv", TRAM, TRAM.replace(",hub,,", ",hub,hub,"))],
        ["measures.csv:6: column 'excludes': 'hub' is both required and excluded"],
        id="required-and-excluded-direct",
    ),
    pytest.param(
        [
            sub("measures.csv", HUB, HUB.replace(",,,true", ",solar,,true")),
            sub("measures.csv", TRAM, TRAM.replace(",hub,,", ",hub,solar,")),
        ],
        [
            "measures.csv:6: column 'requires': needs both 'solar' and 'tram' (through "
            "requires), but they exclude each other"
        ],
        id="required-and-excluded-chain",
    ),
    pytest.param(
        [sub("measures.csv", "120,2,,,false", "120,2,,hub,true")],
        [
            "measures.csv:5: column 'mandatory': is mandatory but excludes 'hub', which is "
            "mandatory or required by a mandatory measure",
            "measures.csv:7: column 'mandatory': is mandatory but excludes 'infill', which is "
            "mandatory or required by a mandatory measure",
        ],
        id="mandatory-exclude-each-other",
    ),
    pytest.param(
        [sub("measures.csv", HUB, HUB.replace(",true", ",maybe"))],
        [
            "measures.csv:7: column 'mandatory': 'maybe' is not true or false "
            "(expected true/false, yes/no or 1/0)"
        ],
        id="mandatory-not-a-boolean",
    ),
    # columns
    pytest.param(
        [columns("measures.csv", without_column("acceptance"))],
        ["measures.csv:1: column 'acceptance': column is missing (every criterion needs a column)"],
        id="missing-criterion-column",
    ),
    pytest.param(
        [columns("measures.csv", without_column("land"))],
        ["measures.csv:1: column 'land': column is missing (every resource in case.yaml needs a column)"],
        id="missing-resource-column",
    ),
    pytest.param(
        [columns("measures.csv", with_column("score", ["1", "2", "3.5", "", "7", "0"]))],
        [f"measures.csv:1: column 'score': {NOT_NEITHER}"],
        id="numeric-column-not-declared",
    ),
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",5,,,", ",6,,,"))],
        [
            "measures.csv:3: column 'acceptance': 6 is outside the criterion's scale [1, 5] "
            "(criteria catalogue min/max)"
        ],
        id="above-criterion-max",
    ),
    pytest.param(
        [sub("measures.csv", PARK, PARK.replace(",50,", ",-5,"))],
        [
            "measures.csv:3: column 'co2': -5 is outside the criterion's scale [0, 1000] "
            "(criteria catalogue min/max)"
        ],
        id="below-criterion-min",
    ),
    # enums and ranges
    pytest.param(
        [sub("criteria.yaml", "direction: benefit, goal: klima", "direction: good, goal: klima")],
        ["criteria.yaml:5: key 'criteria.direction': 'good' is not allowed (expected 'benefit' or 'cost')"],
        id="bad-direction",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,synergy", "tram,hub,synergie")],
        ["interactions.csv:4: column 'effect': 'synergie' is not allowed (expected 'synergy' or 'conflict')"],
        id="bad-effect",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,synergy,0.8", "tram,hub,synergy,0")],
        ["interactions.csv:4: column 'strength': must be greater than 0 (got 0.0)"],
        id="strength-zero",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,synergy,0.8", "tram,hub,synergy,1.5")],
        ["interactions.csv:4: column 'strength': must be less than or equal to 1 (got 1.5)"],
        id="strength-above-one",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,synergy,0.8", "tram,hub,synergy,-0.2")],
        ["interactions.csv:4: column 'strength': must be greater than 0 (got -0.2)"],
        id="strength-negative",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,", "tram,klima,")],
        [
            "interactions.csv:4: column 'target': links a measure to a goal "
            "(expected two goals or two measures)"
        ],
        id="interaction-goal-to-measure",
    ),
    pytest.param(
        [sub("interactions.csv", "tram,hub,", "tram,tram,")],
        ["interactions.csv:4: column 'target': 'tram' interacts with itself"],
        id="interaction-with-itself",
    ),
    pytest.param(
        [sub("measures.csv", "solar,Solar roofs", "klima,Solar roofs")],
        [
            "measures.csv:2: column 'id': 'klima' is also a goal id (goals and measures need "
            "different ids: interactions.csv names both)"
        ],
        id="measure-id-is-a-goal-id",
    ),
    # YAML
    pytest.param(
        [sub("case.yaml", "title: Tiny", "titel: Tiny")],
        [
            "case.yaml:3: key 'titel': unknown key (expected one of: name, title, description, "
            "language, criteria, topics, groups, resources, districts, defaults, "
            "portfolio, periods, stadtcheck)"
        ],
        id="unknown-yaml-key",
    ),
    pytest.param(
        [sub("criteria.yaml", "unit: t/yr,", "units: t/yr,")],
        [
            "criteria.yaml:5: key 'criteria.units': unknown key (expected one of: id, name, "
            "unit, direction, goal, weight, min, max, preference, neutral, status_quo, aggregate, description)"
        ],
        id="unknown-yaml-key-nested",
    ),
    pytest.param(
        [sub("case.yaml", "title: Tiny reference case", "title: Tiny: reference case")],
        ["case.yaml:3: YAML syntax error: mapping values are not allowed in this context"],
        id="yaml-syntax-error",
    ),
    pytest.param(
        [sub("goals.yaml", "  - {id: wohnen", "\t- {id: wohnen")],
        ["goals.yaml:3: YAML syntax error: found character that cannot start any token"],
        id="yaml-tab",
    ),
    pytest.param(
        [sub("case.yaml", "title: Tiny reference case\n", "title: Tiny reference case\ntitle: Tiny\n")],
        ["case.yaml:4: key 'title': key appears twice in the same mapping"],
        id="duplicate-yaml-key",
    ),
    pytest.param(
        [sub("criteria.yaml", "{id: co2, name: CO2-Minderung,", "{id: co2, name: CO2-Minderung, name: CO2,")],
        ["criteria.yaml:5: key 'criteria.name': key appears twice in the same mapping"],
        id="duplicate-yaml-key-flow",
    ),
    pytest.param(
        [
            put("criteria.json", '{"criteria": [\n  {"id": "a", "name": "A", "direction": "benefit"},\n]}\n'),
            sub("case.yaml", "criteria: criteria.yaml", "criteria: criteria.json"),
        ],
        ["criteria.json:3: JSON syntax error: Expecting value"],
        id="json-syntax-error",
    ),
    # files
    pytest.param(
        [
            put(
                "goals.yaml",
                "goals:\n  - {id: klima, title: Klima}\n  - {id: wohnen, title: Wohnen}\n"
                "  - {id: finanzen, title: Handlungsf\u00e4hige Finanzen}\n".encode("latin-1"),
            )
        ],
        ["goals.yaml:4: byte 0xe4 is not UTF-8 (save the file as UTF-8)"],
        id="not-utf8-yaml",
    ),
    pytest.param(
        [
            sub("measures.csv", "Pocket park", "Pocket p\u00e4rk"),
            lambda case: (case / "measures.csv").write_bytes(
                (case / "measures.csv").read_text(encoding="utf-8").encode("latin-1")
            ),
        ],
        ["measures.csv:3: byte 0xe4 is not UTF-8 (save the file as UTF-8)"],
        id="not-utf8-csv",
    ),
    pytest.param([drop("measures.csv")], ["measures.csv: file not found"], id="missing-measures"),
    pytest.param(
        [put("measures.csv", "")], ["measures.csv: is empty (expected a header row)"], id="empty-measures"
    ),
    pytest.param(
        [put("interactions.csv", "")],
        ["interactions.csv: is empty (expected a header row)"],
        id="empty-interactions",
    ),
    pytest.param([put("case.yaml", "")], ["case.yaml: the file is empty"], id="empty-case-yaml"),
    pytest.param(
        [sub("measures.csv", PARK, PARK + ",extra")],
        ["measures.csv:3: row has 13 cells (expected 12, as in the header)"],
        id="too-many-cells",
    ),
    pytest.param(
        [sub("measures.csv", PARK, "park,Pocket park,sued,klima,10,1")],
        [
            "measures.csv:3: column 'acceptance': is empty (expected a number like 1.5)",
            "measures.csv:3: column 'co2': is empty (expected a number like 1.5)",
            "measures.csv:3: column 'homes': is empty (expected a number like 1.5)",
        ],
        id="too-few-cells",
    ),
    pytest.param(
        [sub("measures.csv", ",homes,acceptance,", ",homes,co2,")],
        [
            "measures.csv:1: column 'acceptance': column is missing (every criterion needs a column)",
            "measures.csv:1: column 'co2': column appears twice",
        ],
        id="duplicate-column",
    ),
    pytest.param(
        [
            put("measures.csv", "id,name,district,goals,cost,land,co2,homes,acceptance\n"),
            put("interactions.csv", "source,target,effect,strength\n"),
            sub("scenarios.yaml", "measures: [housing, infill]", "goals: [wohnen]"),
        ],
        ["measures.csv:1: has a header but no rows (expected one row per measure)"],
        id="no-measures",
    ),
    pytest.param([put("goals.yaml", "")], ["goals.yaml: the file is empty"], id="empty-yaml"),
    pytest.param(  # docs/case-format.md once showed this: the comma makes `5` a key of its own
        [sub("scenarios.yaml", "{text: booming construction}", "{text: Starkregen ×1,5}")],
        [
            "scenarios.yaml:6: key 'scenarios.drivers.wirtschaft': a key that is not text (5): in a "
            "{...} mapping a comma separates entries, so put text that holds a comma in quotes "
            "({text: 'a, b'})"
        ],
        id="yaml-flow-mapping-split-by-a-comma",
    ),
]


@pytest.mark.parametrize("edits, expected", BAD_INPUTS)
def test_bad_input_is_one_located_line_each_and_exit_2(in_tiny, invoke, edits, expected):
    for edit in edits:
        edit(in_tiny)
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == expected
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "edits, expected",
    [
        pytest.param(
            [sub("weights/verwaltung.yaml", "group: verwaltung", "group: verwaltungx")],
            "weights/verwaltung.yaml:1: key 'group': unknown group 'verwaltungx' "
            "(expected one of buerger, verwaltung) (did you mean 'verwaltung'?)",
            id="yaml-unknown-group",
        ),
        pytest.param(
            [sub("weights/buerger.csv", "b2,buerger,", "b2,buergerx,")],
            "weights/buerger.csv:3: column 'group': unknown group 'buergerx' "
            "(expected one of buerger, verwaltung) (did you mean 'buerger'?)",
            id="survey-row-unknown-group",
        ),
        pytest.param(
            [
                drop("weights/verwaltung.yaml"),
                put(
                    "weights/verwaltung.json",
                    '{\n  "group": "verwaltung",\n  "method": "direct"\n  "weights": {"cost": 1}\n}\n',
                ),
            ],
            "weights/verwaltung.json:4: JSON syntax error: Expecting ',' delimiter",
            id="json-syntax-error",
        ),
        pytest.param(
            [put("weights/verwaltung.yaml", "\n")],
            "weights/verwaltung.yaml: the file is empty",
            id="empty-file",
        ),
        pytest.param(
            [sub("weights/verwaltung.yaml", "method: direct", "method: vote")],
            "weights/verwaltung.yaml:3: key 'method': 'vote' is not allowed (expected 'direct', "
            "'points', 'ranking', 'pairwise' or 'swing')",
            id="unknown-method",
        ),
    ],
)
class TestRejectedSubmission:
    """A bad stakeholder submission is rejected with its reason; the case still loads."""

    def test_listed_as_rejected_and_not_fatal(self, in_tiny, invoke, edits, expected):
        for edit in edits:
            edit(in_tiny)
        result = invoke("validate", ".")
        assert (result.exit_code, result.stderr) == (0, "")
        assert f"  rejected: {expected}" in result.stdout.splitlines()

    def test_fatal_with_strict(self, in_tiny, invoke, edits, expected):
        for edit in edits:
            edit(in_tiny)
        result = invoke("validate", ".", "--strict")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")

    def test_rest_of_submissions_still_used(self, in_tiny, edits, expected):
        for edit in edits:
            edit(in_tiny)
        case = load_case(".")
        assert case.rejected == (expected,)
        assert case.submission_count == 3


@pytest.fixture
def eleven_rows(in_tiny) -> Path:
    """The tiny case with rows 8-11 added (extra8 .. extra11), so that rows 9 and 11 exist."""
    extra = "".join(f"extra{i},Extra {i},nord,klima,1,0,1,0,1,,,false\n" for i in range(8, 12))
    append("measures.csv", extra)(in_tiny)
    return in_tiny


def test_all_problems_of_all_files_at_once_sorted_by_file_and_row(eleven_rows, invoke):
    """Rows 3, 9 and 11 of measures.csv: sorted as numbers (a text sort would put 11 first)."""
    sub("measures.csv", "extra9,Extra 9,nord,klima,1,0,", "extra9,Extra 9,nord,klima,1,-3,")(eleven_rows)
    sub("measures.csv", "extra11,Extra 11,nord,klima,1,0,1,0,1,", "extra11,Extra 11,nord,klima,1,0,1,0,9,")(
        eleven_rows
    )
    sub("measures.csv", PARK, PARK.replace(",10,", ",ten,"))(eleven_rows)
    sub("interactions.csv", "tram,hub,synergy", "tram,hub,synergie")(eleven_rows)
    sub("goals.yaml", "topic: umwelt}", "topic: umwelt, parent: nowhere}")(eleven_rows)
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "goals.yaml:2: key 'goals.parent': unknown goal 'nowhere' "
        "(expected one of goals.yaml: finanzen, klima, wohnen)",
        "interactions.csv:4: column 'effect': 'synergie' is not allowed (expected 'synergy' or 'conflict')",
        "measures.csv:3: column 'cost': 'ten' is not a number (expected a number like 1.5)",
        "measures.csv:9: column 'land': must be greater than or equal to 0 (got -3.0)",
        "measures.csv:11: column 'acceptance': 9 is outside the criterion's scale [1, 5] "
        "(criteria catalogue min/max)",
    ]


def test_a_bad_criterion_does_not_hide_the_bounds_of_the_others(eleven_rows, invoke):
    """co2's direction is wrong; acceptance is a valid criterion, so row 11's value outside its
    [1, 5] scale is still a problem of measures.csv to report in the same run."""
    sub("measures.csv", "extra11,Extra 11,nord,klima,1,0,1,0,1,", "extra11,Extra 11,nord,klima,1,0,1,0,9,")(
        eleven_rows
    )
    sub("criteria.yaml", "direction: benefit, goal: klima", "direction: good, goal: klima")(eleven_rows)
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "criteria.yaml:5: key 'criteria.direction': 'good' is not allowed (expected 'benefit' or 'cost')",
        "measures.csv:11: column 'acceptance': 9 is outside the criterion's scale [1, 5] "
        "(criteria catalogue min/max)",
    ]


def test_problems_carry_file_row_and_column(in_tiny):
    sub("measures.csv", PARK, PARK.replace(",10,", ",ten,"))(in_tiny)
    with pytest.raises(InputErrors) as info:
        load_case(".")
    [problem] = info.value.problems
    assert (problem.path, problem.row, problem.column) == ("measures.csv", 3, "cost")


def test_case_folder_not_found(invoke, tmp_path):
    result = invoke("validate", tmp_path / "nowhere")
    assert (result.exit_code, result.stderr) == (2, f"{tmp_path / 'nowhere'}: case folder not found\n")


def test_json_format_also_reports_problems_as_data(in_tiny, invoke):
    import json

    sub("measures.csv", PARK, PARK.replace(",10,", ",ten,"))(in_tiny)
    result = invoke("validate", ".", "--format", "json")
    assert result.exit_code == 2
    assert (
        result.stderr == "measures.csv:3: column 'cost': 'ten' is not a number (expected a number like 1.5)\n"
    )
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert [p["message"] for p in data["problems"]] == result.stderr.splitlines()


# -- spreadsheets -----------------------------------------------------------------------------


def _measures_to_xlsx(case: Path, change: Callable[[list[list[object]]], None] = lambda rows: None) -> None:
    with open(case / "measures.csv", newline="", encoding="utf-8") as fh:
        rows: list[list[object]] = list(csv.reader(fh))
    change(rows)
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(case / "measures.xlsx")
    (case / "measures.csv").unlink()


def test_xlsx_bad_cell_names_file_row_and_column(in_tiny, invoke):
    def bad(rows):
        rows[2][4] = "ten"  # park's cost, sheet row 3, column E

    _measures_to_xlsx(in_tiny, bad)
    result = invoke("validate", ".")
    assert (result.exit_code, result.stderr) == (
        2,
        "measures.xlsx:3: column 'cost': 'ten' is not a number (expected a number like 1.5)\n",
    )


def test_xlsx_formula_without_stored_value_is_not_evaluated(in_tiny, invoke):
    def formula(rows):
        rows[2][4] = "=5+5"  # openpyxl stores the formula without a computed value

    _measures_to_xlsx(in_tiny, formula)
    result = invoke("validate", ".")
    assert (result.exit_code, result.stderr) == (
        2,
        "measures.xlsx:3: column 'cost': is empty (expected a number like 1.5)\n",
    )


def test_both_csv_and_xlsx_measures_is_an_error(in_tiny, invoke):
    shutil.copy(in_tiny / "measures.csv", in_tiny / "keep.csv")
    _measures_to_xlsx(in_tiny)
    shutil.copy(in_tiny / "keep.csv", in_tiny / "measures.csv")
    result = invoke("validate", ".")
    assert (result.exit_code, result.stderr) == (
        2,
        "measures.csv: both measures.csv and measures.xlsx exist (keep one)\n",
    )


# -- a header below blank lines ---------------------------------------------------------------
# The reader skips blank lines before the header (readers.Reader.table records `header_line`);
# problems of the header must then name the header's own line, not line 1.


@pytest.mark.parametrize(
    "edits, expected",
    [
        pytest.param(
            [
                sub("measures.csv", ",acceptance,", ",acceptanc,"),
                lambda case: (case / "measures.csv").write_text(
                    "\n" + (case / "measures.csv").read_text(encoding="utf-8"), encoding="utf-8"
                ),
            ],
            [
                f"measures.csv:2: column 'acceptanc': {NOT_NEITHER}",
                "measures.csv:2: column 'acceptance': column is missing (every criterion needs a column)",
            ],
            id="measures",
        ),
        pytest.param(
            [
                sub("interactions.csv", ",strength,note", ",strength,notes"),
                lambda case: (case / "interactions.csv").write_text(
                    "\n" + (case / "interactions.csv").read_text(encoding="utf-8"), encoding="utf-8"
                ),
            ],
            [
                "interactions.csv:2: column 'notes': unknown column "
                "(expected source, target, effect, strength, note)"
            ],
            id="interactions",
        ),
    ],
)
def test_header_problems_name_the_header_line(in_tiny, invoke, edits, expected):
    for edit in edits:
        edit(in_tiny)
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == expected


def test_xlsx_header_problems_name_the_header_row(in_tiny, invoke):
    def header_on_row_2(rows):
        rows[0][rows[0].index("acceptance")] = "acceptanc"
        rows.insert(0, [None])  # an empty first row, as exports with a spacer row have

    _measures_to_xlsx(in_tiny, header_on_row_2)
    result = invoke("validate", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"measures.xlsx:2: column 'acceptanc': {NOT_NEITHER}",
        "measures.xlsx:2: column 'acceptance': column is missing (every criterion needs a column)",
    ]


def test_a_header_with_a_line_break_is_still_one_line_per_problem(in_tiny, invoke):
    """Excel headers often hold a line break (Alt+Enter): "Kosten<break>(EUR m)"."""
    columns("measures.csv", with_column("Kosten\n(EUR m)", ["1", "2", "3", "4", "5", "6"]))(in_tiny)
    result = invoke("validate", ".")
    assert result.exit_code == 2
    lines = result.stderr.removesuffix("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("measures.csv:1: column "), lines


def test_missing_catalogue_names_the_key_that_points_to_it(in_tiny, invoke):
    (in_tiny / "criteria.yaml").rename(in_tiny / "kriterien.yaml")
    result = invoke("validate", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    line = result.stderr.splitlines()[0]
    assert line == (
        f"case.yaml:5: key 'criteria': criteria catalogue criteria.yaml not found (looked "
        f"for {(in_tiny / 'criteria.yaml').resolve()}; the path is relative to the "
        "case folder)"
    )
