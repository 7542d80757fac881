"""``lev2040 scenarios``: the consistent scenarios of a CIB model from a case, a folder or a
ScenarioWizard file, written into a case where `robust`, `portfolio --scenario` and the report use
them, the same wherever the search runs, and one located line for every bad input."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from lev2040_mcda.case import load_case, load_cib
from lev2040_mcda.scenarios import (
    BEGIN,
    END,
    SearchTooLarge,
    consistent_scenarios,
    is_consistent,
    random_model,
    scenarios_summary,
    scenarios_text,
)

ROOT = Path(__file__).resolve().parents[1]
LEVERKUSEN = ROOT / "cases" / "leverkusen-2040"


@pytest.fixture
def city(tmp_path) -> Path:
    dest = tmp_path / "cases" / "city"
    shutil.copytree(LEVERKUSEN, dest)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")  # case.yaml names ../../criteria/
    return dest


def _json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    out["provenance"].pop("created", None)
    return out


def test_the_case_model_gives_exactly_its_consistent_scenarios(invoke):
    out = _json(invoke("scenarios", LEVERKUSEN, "--format", "json"))
    model = load_cib(LEVERKUSEN)
    expected = consistent_scenarios(model)
    assert len(out["scenarios"]) == len(expected) > 0
    ids = [d["id"] for d in out["descriptors"]]
    assert ids == [d.id for d in model.descriptors]
    for row, r in zip(out["scenarios"], expected):
        index = tuple([v.id for v in d.variants].index(row["variants"][d.id]) for d in model.descriptors)
        assert index == r.variants and is_consistent(model, index)
        assert (row["inconsistency"], row["total_impact"]) == (0, r.total_impact)
    assert {"descriptors.yaml", "cross_impacts.csv"} <= set(out["provenance"]["inputs"])
    assert out["space"] == 17_496
    table = invoke("scenarios", LEVERKUSEN)
    assert table.exit_code == 0
    assert f"{len(expected)} consistent" in table.output
    assert "Bevölkerung" in table.output and "total impact score" in table.output


def test_the_same_bytes_in_this_process_and_in_local_processes(invoke):
    args = ["scenarios", LEVERKUSEN, "--format", "json", "--max-inconsistency", "1", "--basins", "200"]
    here = _json(invoke(*args, "--scheduler", "local"))
    assert here == _json(invoke(*args, "--scheduler", "processes", "--workers", "2"))
    assert here == _json(invoke(*args))
    assert any(s["inconsistency"] == 1 for s in here["scenarios"])
    shares = [a["share"] for a in here["attractors"]]
    assert sum(shares) == pytest.approx(1.0) and shares == sorted(shares, reverse=True)


def test_written_scenarios_are_used_by_robust_and_portfolio(city, invoke):
    before = (city / "scenarios.yaml").read_text(encoding="utf-8")
    result = invoke("scenarios", city, "--select", "2", "--write")
    assert result.exit_code == 0, result.stderr
    assert "wrote 2 scenarios into" in result.stderr
    after = (city / "scenarios.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")) and BEGIN in after and END in after
    case = load_case(city)
    assert [s.id for s in case.scenarios][-2:] == ["cib_01", "cib_02"]
    assert len(case.scenarios) == len(load_case(LEVERKUSEN).scenarios) + 2
    again = invoke("scenarios", city, "--select", "2", "--write")
    assert again.exit_code == 0 and (city / "scenarios.yaml").read_text(encoding="utf-8") == after
    portfolio = _json(invoke("portfolio", city, "--scenario", "cib_02", "--no-explain", "--format", "json"))
    assert portfolio["scenario"] == "cib_02" and portfolio["selected"]
    robust = _json(invoke("robust", city, "--samples", "2", "--format", "json"))
    assert {"cib_01", "cib_02"} <= set(robust["scenarios"])


def test_the_selection_is_diverse_and_consistent_first(invoke):
    out = _json(invoke("scenarios", LEVERKUSEN, "--select", "3", "--format", "json"))
    rows = [out["scenarios"][k] for k in out["selected"]]
    assert rows[0]["total_impact"] == max(s["total_impact"] for s in out["scenarios"])
    assert [e["id"] for e in out["case_scenarios"]] == ["cib_01", "cib_02", "cib_03"]
    differ = [
        sum(a["variants"][d] != b["variants"][d] for d in a["variants"]) for a, b in itertools.pairwise(rows)
    ]
    assert min(differ) >= 1


def test_a_scenario_wizard_file_is_read_as_it_is(invoke):
    out = _json(invoke("scenarios", ROOT / "tests" / "data" / "cib" / "CIB_global.scw", "--format", "json"))
    assert sorted(s["total_impact"] for s in out["scenarios"]) == [8, 9, 12, 15]  # CIB_global.sl


def test_an_intervention_keeps_its_variant(invoke):
    model = load_cib(LEVERKUSEN)
    d = model.descriptors[5]
    v = d.variants[0].id
    out = _json(invoke("scenarios", LEVERKUSEN, "--fix", f"{d.id}={v}", "--format", "json"))
    assert out["fixed"] == {d.id: v}
    assert all(s["variants"][d.id] == v for s in out["scenarios"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fix", "nope=x"], "--fix: unknown descriptor 'nope'"),
        (["--fix", "flaechenpolitik"], "is not DESCRIPTOR=VARIANT"),
        (["--write"], "--write needs --select K"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(invoke, args, message):
    result = invoke("scenarios", LEVERKUSEN, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_source_that_is_no_model_is_one_line(invoke, tmp_path):
    result = invoke("scenarios", tmp_path / "missing")
    assert result.exit_code == 2
    assert "not found" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    tiny = invoke("scenarios", ROOT / "cases" / "tiny")
    assert tiny.exit_code == 2 and "has no CIB model" in tiny.stderr


def test_a_space_too_large_for_the_time_allowed_offers_the_succession():
    model = random_model((4,) * 16, seed=5)
    with pytest.raises(SearchTooLarge, match="succession Monte-Carlo"):
        scenarios_summary(model, max_inconsistency=3, time_budget=1e-4)


def test_the_block_goes_into_files_it_can_extend_and_nowhere_else():
    entry = {"id": "cib_01", "title": "A", "effects": {"limits": {"cost": 0.9}}}
    fresh = scenarios_text(None, [entry])
    assert fresh.startswith("scenarios:\n" + BEGIN)
    assert scenarios_text(fresh, [entry]) == fresh  # writing again: the block replaced
    hand = "# mine\nscenarios:\n  - id: boom\n    title: Boom\n"
    both = scenarios_text(hand, [entry])
    assert both.startswith(hand) and "  - id: cib_01" in both
    from lev2040_mcda.errors import InputError

    with pytest.raises(InputError, match="cannot add the CIB scenarios"):
        scenarios_text("scenarios: []\n", [entry])
    with pytest.raises(InputError, match="cannot add the CIB scenarios"):
        scenarios_text("scenarios:\n  - id: boom\n    title: Boom\nother: 1\n", [entry])


def test_half_a_cib_model_in_a_case_is_a_located_problem(tiny, invoke):
    shutil.copy(LEVERKUSEN / "descriptors.yaml", tiny / "descriptors.yaml")
    result = invoke("validate", tiny)
    assert result.exit_code == 2
    assert "cross_impacts.csv: file not found" in result.stderr


def test_markers_edited_by_hand_are_refused_and_nothing_is_lost():
    from lev2040_mcda.errors import InputError

    entry = {"id": "cib_01", "title": "A"}
    broken = f"scenarios:\n  - id: boom\n    title: Boom\n{BEGIN}\n  - id: cib_01\n    title: A\n  - id: mine\n    title: Mine\n"
    with pytest.raises(InputError, match="marker lines") as info:
        scenarios_text(broken, [entry])
    assert info.value.problem.row == 4


def test_a_prefix_that_makes_no_valid_id_is_one_line(city, invoke):
    before = (city / "scenarios.yaml").read_bytes()
    result = invoke("scenarios", city, "--select", "1", "--write", "--prefix", "Cib-")
    assert result.exit_code == 2
    assert "--prefix: scenario 'Cib-01'" in result.stderr and "not a valid id" in result.stderr
    assert (city / "scenarios.yaml").read_bytes() == before


def test_scenario_wizard_judgements_are_checked_as_the_csv_ones(tmp_path, invoke):
    text = (ROOT / "tests" / "data" / "cib" / "CIB_global.scw").read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    k = next(i for i, line in enumerate(lines) if line.strip().startswith("0") and len(line.split()) > 5)
    cells = lines[k].split()
    cells[-1] = "150"
    lines[k] = " ".join(cells)
    bad = tmp_path / "bad.scw"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("scenarios", bad)
    assert result.exit_code == 2 and "is outside -" in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "empty.scw"
    empty.write_text(lines[0] + "\nempty.scw\n#\n", encoding="utf-8")
    result = invoke("scenarios", empty)
    assert result.exit_code == 2 and "has no descriptors" in result.stderr


def test_the_reports_cib_scenarios_never_take_the_ids_of_written_ones(city, invoke):
    from lev2040_mcda.ranking import decision_matrix, resolve_weights
    from lev2040_mcda.report.cib import cib_stage

    assert invoke("scenarios", city, "--select", "1", "--write").exit_code == 0
    case = load_case(city)
    w, info = resolve_weights(case, decision_matrix(case), "consensus")
    common = {"method": "topsis", "options": {}, "weights": w, "weights_info": info, "solver": "cbc"}
    result, _, _ = cib_stage(case, common)
    assert result["shown"] and all(s["id"].startswith("report_cib_") for s in result["shown"])
