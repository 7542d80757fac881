"""``lev2040 stadtcheck``: the district profiles as a table, JSON, CSV and a workbook, and the maps
as files; the Leverkusen case end to end, a small hand-made case, and a case without a Stadtcheck."""

from __future__ import annotations

import json

import pytest

from .conftest import CASES
from .stadtcheck_fixtures import write_stadtcheck

LEVERKUSEN = CASES / "leverkusen-2040"


@pytest.fixture(scope="module")
def leverkusen_json():
    from click.testing import CliRunner

    from lev2040_mcda.cli import cli

    result = CliRunner().invoke(cli, ["stadtcheck", str(LEVERKUSEN), "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_table_shows_every_district_of_leverkusen_by_level(invoke):
    from lev2040_mcda.case import load_case

    case = load_case(LEVERKUSEN)
    result = invoke("stadtcheck", LEVERKUSEN)
    assert result.exit_code == 0, result.output
    for d in case.config.districts:
        assert d.name in result.output
    assert "level 2 (in Stadtbezirk I, Stadtbezirk II, Stadtbezirk III): 13 districts" in result.output
    assert "marked illustrative" in result.output


def test_the_json_holds_profiles_and_provenance_and_keeps_missing_values_missing(leverkusen_json):
    out = json.loads(leverkusen_json)
    assert len(out["districts"]) == 17
    assert out["provenance"]["command"] == "stadtcheck"
    assert "stadtcheck.csv" in out["provenance"]["inputs"]
    assert "stadtcheck.yaml" in out["provenance"]["inputs"]
    hitdorf = next(r for r in out["districts"] if r["district"] == "hitdorf")
    noise = hitdorf["indicators"]["noise_exposure"]  # an empty cell of stadtcheck.csv
    assert noise == {"value": None, "z": None, "rank": None}
    # the overall need ranks Manfort first among the Stadtteile (the facts: SGB II 17.0 % vs 10.1 %)
    parts = [r for r in out["districts"] if r["depth"] == 2]
    assert max(parts, key=lambda r: r["need"])["district"] == "manfort"


def test_the_same_inputs_give_the_same_bytes(invoke, leverkusen_json):
    again = invoke("stadtcheck", LEVERKUSEN, "--format", "json")
    assert again.output == leverkusen_json


def test_csv_and_workbook_have_one_row_per_district(invoke, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    result = invoke("stadtcheck", LEVERKUSEN, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 17
    assert rows[0]["district"] == "gesamtstadt" and rows[0]["sgb2_rate"] == "10.1"
    manfort = next(r for r in rows if r["district"] == "manfort")
    assert manfort["sgb2_rate"] == "17.0" and manfort["sgb2_rate_rank"] == "1"
    out = tmp_path / "stadtcheck.xlsx"
    assert invoke("stadtcheck", LEVERKUSEN, "-o", out).exit_code == 0
    ws = load_workbook(out).active
    assert ws.max_row == 18 and ws.cell(1, 1).value == "district"


@pytest.mark.parametrize("view", ["values", "z"])
def test_the_other_views_show_each_indicator(invoke, view):
    result = invoke("stadtcheck", LEVERKUSEN, "--view", view)
    assert result.exit_code == 0, result.output
    assert "sgb2_rate" in result.output and "kita_coverage" in result.output
    assert "–" in result.output  # the missing cells


def test_maps_are_written_for_need_each_goal_and_each_indicator(invoke, tmp_path):
    from lev2040_mcda.case import load_case

    case = load_case(LEVERKUSEN)
    out = tmp_path / "maps"
    result = invoke("stadtcheck", LEVERKUSEN, "--maps", out, "--format", "json")
    assert result.exit_code == 0, result.output
    files = {p.name for p in out.iterdir()}
    indicators = {i.id for i in case.stadtcheck.indicators} - {"population"}
    assert {"need.svg", "need_wohnen.svg"} | {f"{i}.svg" for i in indicators} <= files
    need = (out / "need.svg").read_text(encoding="utf-8")
    for d in case.config.districts:
        if d.parent in ("bezirk_1", "bezirk_2", "bezirk_3"):
            assert f"district-{d.id}" in need
    assert sorted(json.loads(result.stdout)["maps"]) == sorted(files)


def test_a_geojson_case_gets_its_maps_and_the_hand_checked_profile(invoke, tiny, tmp_path):
    write_stadtcheck(tiny)
    result = invoke("stadtcheck", tiny, "--format", "json", "--maps", tmp_path / "m")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    nord = next(r for r in out["districts"] if r["district"] == "nord")
    sued = next(r for r in out["districts"] if r["district"] == "sued")
    # two peers: the standard deviation (ddof=0) is half their distance, so their z-scores (against
    # the city's value) lie exactly 2 apart, the higher SGB II rate (more need) above
    z_n, z_s = nord["indicators"]["sgb2_rate"]["z"], sued["indicators"]["sgb2_rate"]["z"]
    assert abs(z_n - z_s) == pytest.approx(2.0)
    assert {nord["indicators"]["sgb2_rate"]["rank"], sued["indicators"]["sgb2_rate"]["rank"]} == {1, 2}
    svg = (tmp_path / "m" / "need.svg").read_text(encoding="utf-8")
    assert "district-nord" in svg and "district-sued" in svg


def test_a_case_without_stadtcheck_is_told_what_to_add(invoke, tiny):
    result = invoke("stadtcheck", tiny)
    assert result.exit_code == 2
    assert "has no Stadtcheck" in result.output and "stadtcheck.csv" in result.output


def test_a_bad_stadtcheck_is_one_located_line_and_exit_2(invoke, tiny):
    write_stadtcheck(tiny)
    path = tiny / "stadtcheck.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("nord", "nordd", 1), encoding="utf-8")
    result = invoke("stadtcheck", tiny)
    assert result.exit_code == 2
    lines = [x for x in result.output.splitlines() if "stadtcheck.csv" in x]
    assert len(lines) == 1 and "nordd" in lines[0]


def test_explicit_goal_weights_make_the_overall_need_their_weighted_mean(invoke):
    result = invoke(
        "stadtcheck",
        LEVERKUSEN,
        "--format",
        "json",
        "--goal-weight",
        "wohnen=3",
        "--goal-weight",
        "zentren=1",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["weights_source"] == "given"
    for r in out["districts"]:
        w, z = r["goal_need"]["wohnen"], r["goal_need"]["zentren"]
        if w is not None and z is not None:
            assert r["need"] == pytest.approx((3 * w + z) / 4)
    bad = invoke("stadtcheck", LEVERKUSEN, "--goal-weight", "wohnn=1")
    assert bad.exit_code == 2 and "did you mean 'wohnen'" in bad.output
