"""Unknown ids come with a did-you-mean hint when a known id is close (and only then).

Contract: /work/shared/DESIGN.md "Bad input" — one located line per problem, exit code 2. The hint is
appended to the existing message, so the message text stays a prefix of the new line. Messages
that already list every known id (at most 8) add no hint: the list already shows it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lev2040_mcda import load_case
from lev2040_mcda.errors import did_you_mean


def sub(case: Path, name: str, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in file ``name`` of ``case``."""
    path = case / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def validate_fails_with(invoke, *args: str) -> list[str]:
    """Run ``lev2040 validate . ARGS``; it must fail with exit 2, nothing on stdout, no traceback."""
    result = invoke("validate", ".", *args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


# -- the helper -------------------------------------------------------------------------------


def test_close_match_is_suggested():
    assert did_you_mean("co2_t_yr", ["co2e_t_yr", "land_ha", "jobs_n"]) == " (did you mean 'co2e_t_yr'?)"


def test_nothing_close_suggests_nothing():
    assert did_you_mean("budget", ["cost", "land"]) == ""
    assert did_you_mean("anything", []) == ""


def test_case_is_ignored():
    assert did_you_mean("Politik", ["politik", "verwaltung"]) == " (did you mean 'politik'?)"
    assert did_you_mean("CO2E_T_YR", ["co2e_t_yr", "land_ha"]) == " (did you mean 'co2e_t_yr'?)"


def test_spaces_dashes_and_umlauts_are_ignored():
    groups = ["politik", "staedtische_institutionen", "verwaltung"]
    assert did_you_mean("Städtische Institutionen", groups) == " (did you mean 'staedtische_institutionen'?)"
    assert did_you_mean("staedtische-institutionen", groups) == " (did you mean 'staedtische_institutionen'?)"


def test_a_known_id_needs_no_suggestion():
    assert did_you_mean("politik", ["politik", "verwaltung"]) == ""


# -- weights files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, old, new, line",
    [
        (
            "weights/verwaltung.yaml",
            "homes: 4",
            "homse: 4",
            "weights/verwaltung.yaml: key 'weights': unknown criterion or goal 'homse' "
            "(did you mean 'homes'?)",
        ),
        (
            "weights/verwaltung.yaml",
            "homes: 4",
            "zzzz: 4",
            "weights/verwaltung.yaml: key 'weights': unknown criterion or goal 'zzzz'",
        ),
        (
            "weights/buerger.csv",
            ",wohnen,",
            ",wohnn,",
            "weights/buerger.csv:1: column 'wohnn': unknown criterion or goal 'wohnn' "
            "(did you mean 'wohnen'?) (all 3 rows rejected)",
        ),
        (
            "weights/verwaltung.yaml",
            "weights:",
            "weigths:",
            "weights/verwaltung.yaml: key 'weigths': unknown key for method direct (expected weights) "
            "(did you mean 'weights'?)",
        ),
        (
            "weights/verwaltung.yaml",
            "group: verwaltung",
            "group: Verwaltung",
            "weights/verwaltung.yaml:1: key 'group': unknown group 'Verwaltung' (expected one of "
            "buerger, verwaltung) (did you mean 'verwaltung'?)",
        ),
        (
            "weights/verwaltung.yaml",
            "method: direct",
            "method: ranking",
            "weights/verwaltung.yaml: key 'weights': unknown key for method ranking (expected "
            "ranking); 'weights' belongs to method direct or points or swing",
        ),
    ],
    ids=[
        "criterion-typo",
        "nothing-close",
        "survey-column-typo",
        "key-typo",
        "group-case",
        "key-of-another-method",
    ],
)
def test_weights_file_typos(in_tiny, invoke, file, old, new, line):
    sub(in_tiny, file, old, new)
    assert validate_fails_with(invoke, "--strict") == [line]


# -- case files -------------------------------------------------------------------------------

TRAM = "tram,Tram line,nord,klima,60,2,300,0,3,hub,,false"
EXTRA = "".join(f"extra{i},Extra {i},nord,klima,1,0,1,0,1,,,false\n" for i in range(8, 12))
TEN_MEASURES = "extra10, extra11, extra8, extra9, housing, hub, infill, park, ..."


@pytest.fixture
def ten_measures(in_tiny) -> Path:
    """The tiny case with four more measures: too many for a message to list them all."""
    with open(in_tiny / "measures.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(EXTRA)
    return in_tiny


@pytest.mark.parametrize(
    "target, line",
    [
        (
            "hubb",
            "measures.csv:6: column 'requires': unknown measure 'hubb' (expected one of "
            f"measures.csv: {TEN_MEASURES}) (did you mean 'hub'?)",
        ),
        (
            "zzzz",
            "measures.csv:6: column 'requires': unknown measure 'zzzz' (expected one of "
            f"measures.csv: {TEN_MEASURES})",
        ),
    ],
    ids=["requires-typo", "requires-nothing-close"],
)
def test_requires_typos_among_many_measures(ten_measures, invoke, target, line):
    sub(ten_measures, "measures.csv", TRAM, TRAM.replace(",hub,", f",{target},"))
    assert validate_fails_with(invoke) == [line]


@pytest.mark.parametrize(
    "file, old, new, line",
    [
        (
            "measures.csv",
            TRAM,
            TRAM.replace(",hub,", ",hubb,"),  # the list is whole: no hint
            "measures.csv:6: column 'requires': unknown measure 'hubb' "
            "(expected one of measures.csv: housing, hub, infill, park, solar, tram)",
        ),
        (
            "interactions.csv",
            "tram,hub,",
            "tram,hubb,",
            "interactions.csv:4: column 'target': unknown goal or measure 'hubb' (did you mean 'hub'?)",
        ),
        (
            "scenarios.yaml",
            "measures: [housing, infill]",
            "measures: [housing, infil]",
            "scenarios.yaml:10: key 'scenarios.effects.adjust.measures': unknown measure 'infil' "
            "(did you mean 'infill'?)",
        ),
    ],
    ids=["full-list-no-hint", "interaction-typo", "scenario-measure-typo"],
)
def test_case_file_typos(in_tiny, invoke, file, old, new, line):
    sub(in_tiny, file, old, new)
    assert validate_fails_with(invoke) == [line]


# -- ids on the command line ------------------------------------------------------------------

LEV = Path(__file__).resolve().parent.parent / "cases" / "leverkusen-2040"
SCENARIOS = ", ".join(s.id for s in load_case(LEV).scenarios)


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["--include", "m03_strassenbahn"],
            "--include: unknown measure 'm03_strassenbahn' (did you mean 'm10_strassenbahn_flittard_wiesdorf'?)",
        ),
        (
            ["--exclude", "M07 Hitdorf Neubau"],
            "--exclude: unknown measure 'M07 Hitdorf Neubau' (did you mean 'm07_hitdorf_neubau'?)",
        ),
        (
            ["--limit", "kosten_eur_m=12,5"],
            "--limit: unknown resource 'kosten_eur_m' (expected one of cost_eur_m, land_ha) "
            "(did you mean 'cost_eur_m'?)",
        ),
        (
            ["--scenario", "Haushaltsnotlage"],
            f"--scenario: unknown scenario 'Haushaltsnotlage' (expected {SCENARIOS}) "
            "(did you mean 'haushaltsnotlage'?)",
        ),
    ],
)
def test_ids_on_the_command_line_get_a_hint(invoke, args, line):
    result = invoke("portfolio", LEV, "--no-explain", "--tiers", "0", *args)
    assert (result.exit_code, result.stderr.splitlines()) == (2, [line])


@pytest.mark.parametrize("written, limit", [("250,5", 250.5), ("1.250,5", 1250.5), ("250.5", 250.5)])
def test_a_limit_takes_a_decimal_comma(invoke, written, limit):
    result = invoke(
        "portfolio",
        LEV,
        "--no-explain",
        "--tiers",
        "0",
        "--format",
        "json",
        "--limit",
        f"cost_eur_m={written}",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["resources"]["cost_eur_m"]["limit"] == limit


def test_a_limit_that_is_no_number_is_one_line(invoke):
    result = invoke("portfolio", LEV, "--limit", "cost_eur_m=12,5,0")
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        ["--limit: 'cost_eur_m=12,5,0' is not RESOURCE=NUMBER (a number >= 0)"],
    )
