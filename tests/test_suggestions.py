"""Unknown ids come with a did-you-mean hint when a known id is close (and only then).

Contract: /work/shared/DESIGN.md "Bad input" — one located line per problem, exit code 2. The hint is
appended to the existing message, so the message text stays a prefix of the new line. Messages
that already list every known id (at most 8) add no hint: the list already shows it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

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
    assert did_you_mean("co2_t_yr", ["co2e_t_yr", "land_ha", "jobs_n"]) == \
        " (did you mean 'co2e_t_yr'?)"


def test_nothing_close_suggests_nothing():
    assert did_you_mean("budget", ["cost", "land"]) == ""
    assert did_you_mean("anything", []) == ""


def test_case_is_ignored():
    assert did_you_mean("Politik", ["politik", "verwaltung"]) == " (did you mean 'politik'?)"
    assert did_you_mean("CO2E_T_YR", ["co2e_t_yr", "land_ha"]) == " (did you mean 'co2e_t_yr'?)"


def test_spaces_dashes_and_umlauts_are_ignored():
    groups = ["politik", "staedtische_institutionen", "verwaltung"]
    assert did_you_mean("Städtische Institutionen", groups) == \
        " (did you mean 'staedtische_institutionen'?)"
    assert did_you_mean("staedtische-institutionen", groups) == \
        " (did you mean 'staedtische_institutionen'?)"


def test_a_known_id_needs_no_suggestion():
    assert did_you_mean("politik", ["politik", "verwaltung"]) == ""


# -- weights files ----------------------------------------------------------------------------


def test_weights_file_criterion_typo(in_tiny, invoke):
    sub(in_tiny, "weights/verwaltung.yaml", "homes: 4", "homse: 4")
    expected = ["weights/verwaltung.yaml: key 'weights': unknown criterion or goal 'homse' "
                "(did you mean 'homes'?)"]
    assert validate_fails_with(invoke, "--strict") == expected
    result = invoke("weights", ".", "--strict")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (2, "", expected)


def test_weights_file_id_with_nothing_close_has_no_hint(in_tiny, invoke):
    sub(in_tiny, "weights/verwaltung.yaml", "homes: 4", "zzzz: 4")
    assert validate_fails_with(invoke, "--strict") == [
        "weights/verwaltung.yaml: key 'weights': unknown criterion or goal 'zzzz'"]


def test_survey_column_typo(in_tiny, invoke):
    sub(in_tiny, "weights/buerger.csv", ",wohnen,", ",wohnn,")
    assert validate_fails_with(invoke, "--strict") == [
        "weights/buerger.csv:1: column 'wohnn': unknown criterion or goal 'wohnn' "
        "(did you mean 'wohnen'?) (all 3 rows rejected)"]


def test_weights_file_key_typo(in_tiny, invoke):
    sub(in_tiny, "weights/verwaltung.yaml", "weights:", "weigths:")
    assert validate_fails_with(invoke, "--strict") == [
        "weights/verwaltung.yaml: key 'weigths': unknown key for method direct (expected weights) "
        "(did you mean 'weights'?)"]


def test_group_id_in_the_wrong_case(in_tiny, invoke):
    sub(in_tiny, "weights/verwaltung.yaml", "group: verwaltung", "group: Verwaltung")
    assert validate_fails_with(invoke, "--strict") == [
        "weights/verwaltung.yaml:1: key 'group': unknown group 'Verwaltung' (expected one of "
        "buerger, verwaltung) (did you mean 'verwaltung'?)"]


def test_key_of_another_method_says_which(in_tiny, invoke):
    sub(in_tiny, "weights/verwaltung.yaml", "method: direct", "method: ranking")
    assert validate_fails_with(invoke, "--strict") == [
        "weights/verwaltung.yaml: key 'weights': unknown key for method ranking (expected "
        "ranking); 'weights' belongs to method direct or points or swing"]


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


def test_requires_typo(ten_measures, invoke):
    sub(ten_measures, "measures.csv", TRAM, TRAM.replace(",hub,", ",hubb,"))
    assert validate_fails_with(invoke) == [
        "measures.csv:6: column 'requires': unknown measure 'hubb' (expected one of "
        f"measures.csv: {TEN_MEASURES}) (did you mean 'hub'?)"]


def test_requires_with_nothing_close_has_no_hint(ten_measures, invoke):
    sub(ten_measures, "measures.csv", TRAM, TRAM.replace(",hub,", ",zzzz,"))
    assert validate_fails_with(invoke) == [
        f"measures.csv:6: column 'requires': unknown measure 'zzzz' (expected one of "
        f"measures.csv: {TEN_MEASURES})"]


def test_a_full_list_needs_no_hint(in_tiny, invoke):
    sub(in_tiny, "measures.csv", TRAM, TRAM.replace(",hub,", ",hubb,"))
    assert validate_fails_with(invoke) == [
        "measures.csv:6: column 'requires': unknown measure 'hubb' "
        "(expected one of measures.csv: housing, hub, infill, park, solar, tram)"]


def test_interaction_typo(in_tiny, invoke):
    sub(in_tiny, "interactions.csv", "tram,hub,", "tram,hubb,")
    assert validate_fails_with(invoke) == [
        "interactions.csv:4: column 'target': unknown goal or measure 'hubb' "
        "(did you mean 'hub'?)"]


def test_scenario_measure_typo(in_tiny, invoke):
    sub(in_tiny, "scenarios.yaml", "measures: [housing, infill]", "measures: [housing, infil]")
    assert validate_fails_with(invoke) == [
        "scenarios.yaml:10: key 'scenarios.effects.adjust.measures': unknown measure 'infil' "
        "(did you mean 'infill'?)"]
