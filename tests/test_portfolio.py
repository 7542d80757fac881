"""The portfolio stage on cases/tiny and cases/leverkusen-2040: explanations, infeasibility
reasons (exit code 3), the JSON output contract of `lev2040 portfolio`, the options, the frontier.

Hand arithmetic uses cases/tiny with `--objective co2`: the measures' values are their CO2 column,

    id       district  cost  land  co2   rules
    solar    nord        20   0    400
    park     sued        10   1     50
    housing  nord        50   5      0   excludes park
    infill   sued        40   0    100
    tram     nord        60   2    300   requires hub
    hub      sued        15   0.5   80   mandatory

limits cost 100 (EUR m) and land 6 (ha); interaction_weight 0.5 (the default), so the pair terms
are b(tram, hub) = 0.8 * 0.5 * (300 + 80) / 2 = 76 (synergy) and
b(housing, park) = -1 * 0.5 * (0 + 50) / 2 = -12.5 (conflict).

The co2 optimum is {hub, solar, tram}: cost 15 + 20 + 60 = 95, land 0.5 + 0 + 2 = 2.5, value
80 + 400 + 300 + 76 = 856. (Every other set within cost 100 is worth less: without tram the best
is hub + solar + infill + park = 80 + 400 + 100 + 50 = 630 at cost 85; tram with infill costs
115, tram with park and solar 105.)
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lev2040_mcda import load_case
from lev2040_mcda.cli import cli
from lev2040_mcda.portfolio import (
    InfeasiblePortfolio,
    PortfolioModel,
    build_problem,
    explain,
    measure_values,
    solve_portfolio,
)

from .conftest import CASES

TINY = CASES / "tiny"
LEV = CASES / "leverkusen-2040"
TOL = 1e-6
HEADER = "no portfolio satisfies the constraints:"
CO2 = ("--objective", "co2")


# -- helpers ------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_json(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr or result.output
    return json.loads(result.stdout)


@functools.cache
def cached_json(*args) -> dict:
    """The JSON of a run that several tests read (absolute case paths: no working directory)."""
    return run_json(*args)


def solved(case: Path = TINY, objective: str = "co2", solver: str = "cbc", **kw):
    """(problem, model, optimum) of a case with values from a column of measures.csv."""
    loaded = load_case(case)
    values, described = measure_values(loaded, None, None, column=objective)
    problem = build_problem(loaded, values, described, **kw)
    model, best = solve_portfolio(problem, solver, None)
    return problem, model, best


def optimum(case: Path = TINY, objective: str = "co2", **kw) -> float:
    return solved(case, objective, **kw)[2].objective


def by_id(entries: list[dict]) -> dict[str, dict]:
    return {e["id"]: e for e in entries}


def copy_case(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def hub_optional(tiny: Path) -> Path:
    """cases/tiny with the hub no longer mandatory."""
    csv = tiny / "measures.csv"
    text = csv.read_text(encoding="utf-8")
    old = "hub,Mobility hub,sued,klima,15,0.5,80,0,4,,,true"
    assert old in text
    csv.write_text(text.replace(old, old[:-4] + "false"), encoding="utf-8")
    return tiny


def add_portfolio_settings(case_dir: Path, yaml_block: str) -> Path:
    with open(case_dir / "case.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n" + yaml_block)
    return case_dir


def infeasible_lines(*args) -> list[str]:
    result = run(*args)
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == HEADER
    return lines[1:]


def pair_terms(case: Path, values: dict[str, float], selected: set[str]) -> float:
    """Sum of b = strength * interaction_weight * (v_i + v_j) / 2 (signed) over selected pairs."""
    loaded = load_case(case)
    w = loaded.config.portfolio.interaction_weight
    total = 0.0
    for it in loaded.interactions:
        if it.level == "measure" and it.source in selected and it.target in selected:
            sign = 1 if it.effect == "synergy" else -1
            total += sign * it.strength * w * (values[it.source] + values[it.target]) / 2
    return total


# -- the problem and the optimum, by hand -------------------------------------------------------


def test_build_problem_reads_tiny():
    problem, _, _ = solved()
    ids = problem.ids
    assert ids == ["solar", "park", "housing", "infill", "tram", "hub"]
    assert list(problem.values) == [400, 50, 0, 100, 300, 80]
    assert problem.limits == {"cost": 100, "land": 6}
    assert list(problem.resources["cost"]) == [20, 10, 50, 40, 60, 15]
    assert list(problem.resources["land"]) == [0, 1, 5, 0, 2, 0.5]
    assert [(ids[i], ids[j]) for i, j in problem.requires] == [("tram", "hub")]
    assert [(ids[i], ids[j]) for i, j in problem.excludes] == [("housing", "park")]
    assert {ids[i] for i in problem.mandatory} == {"hub"}
    # b(tram, hub) = 0.8 * 0.5 * (300 + 80) / 2 = 76; b(housing, park) = -1 * 0.5 * (0 + 50) / 2
    assert sorted((ids[i], ids[j], b) for i, j, b in problem.pairs) == [
        ("housing", "park", -12.5),
        ("tram", "hub", 76.0),
    ]


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_tiny_co2_optimum_by_hand(solver):
    problem, _, best = solved(solver=solver)
    assert best.status == "optimal" and best.proven
    assert sorted(problem.ids[i] for i in best.selected) == ["hub", "solar", "tram"]
    assert best.objective == pytest.approx(856)  # 80 + 400 + 300 + 76


# -- explanations -------------------------------------------------------------------------------


def test_resource_blockers_name_need_and_what_is_left():
    _, model, best = solved()
    out = by_id(explain(model, best)["not_selected"])
    # used: cost 95 of 100 (5 left), land 2.5 of 6 (3.5 left)
    assert out["park"]["blocked_by"] == ["resource cost: needs 10, 5 left"]
    assert out["infill"]["blocked_by"] == ["resource cost: needs 40, 5 left"]
    assert out["housing"]["blocked_by"] == [
        "resource cost: needs 50, 5 left",
        "resource land: needs 5, 3.5 left",
    ]
    # the same reasons, structured, for programs and other languages
    assert out["housing"]["reasons"] == [
        {"code": "resource", "resource": "cost", "need": 50.0, "left": 5.0},
        {"code": "resource", "resource": "land", "need": 5.0, "left": 3.5},
    ]


def test_exclusion_blocker_names_the_selected_measure():
    # --include housing: hub + housing use cost 65, land 5.5; solar (20, 0 ha) still fits: 480.
    # park would fit the budget (85 + 10) but not the land (0.5 ha left) and housing excludes it;
    # forcing park in as well is impossible (housing is forced), so its opportunity cost is None.
    problem, model, best = solved(include=("housing",))
    assert sorted(problem.ids[i] for i in best.selected) == ["housing", "hub", "solar"]
    assert best.objective == pytest.approx(480)  # 0 + 80 + 400
    ex = explain(model, best)
    park = by_id(ex["not_selected"])["park"]
    assert park["blocked_by"] == [
        "resource land: needs 1, 0.5 left",
        "excluded by housing (selected)",
        "cannot be selected together with the constraints in force",
    ]
    assert park["opportunity_cost"] is None
    housing = by_id(ex["selected"])["housing"]
    assert housing == {
        "id": "housing",
        "loss_if_removed": None,
        "note": "cannot be removed: included (--include)",
        "reason": {"code": "included"},
    }
    assert park["reasons"] == [
        {"code": "resource", "resource": "land", "need": 1.0, "left": 0.5},
        {"code": "excluded_by", "measure": "housing"},
        {"code": "constraints"},
    ]


def test_missing_dependency_and_exclude_blockers(tiny):
    # hub not mandatory and --exclude hub: no tram either (it requires the hub); the best is
    # solar + infill + park = 400 + 100 + 50 = 550 at cost 70 (30 left), land 1 (5 left).
    problem, model, best = solved(hub_optional(tiny), exclude=("hub",))
    assert sorted(problem.ids[i] for i in best.selected) == ["infill", "park", "solar"]
    assert best.objective == pytest.approx(550)
    out = by_id(explain(model, best)["not_selected"])
    assert out["tram"]["blocked_by"] == [
        "resource cost: needs 60, 30 left",
        "requires hub (not selected)",
        "cannot be selected together with the constraints in force",
    ]
    assert out["tram"]["opportunity_cost"] is None  # tram needs the excluded hub
    assert out["housing"]["blocked_by"] == ["resource cost: needs 50, 30 left", "excluded by park (selected)"]
    assert out["hub"]["blocked_by"] == ["excluded (--exclude)"]
    assert [r["code"] for r in out["tram"]["reasons"]] == ["resource", "requires", "constraints"]
    assert out["tram"]["reasons"][1] == {"code": "requires", "measure": "hub"}
    # forcing the excluded hub in lifts the exclusion: the optimum is then 856 again, so the
    # "value drop" is 550 - 856 = -306 (a gain: what the --exclude costs)
    assert out["hub"]["opportunity_cost"] == pytest.approx(550 - 856)
    assert out["hub"]["opportunity_cost"] == pytest.approx(best.objective - optimum(tiny, include=("hub",)))


@pytest.mark.parametrize(
    "measure, cost",
    [
        ("park", 856 - 630),  # park forced: hub + park + solar + infill = 80 + 50 + 400 + 100 (cost 85)
        ("infill", 856 - 630),  # infill forced: the same set
        ("housing", 856 - 480),  # housing forced: hub + housing + solar = 80 + 0 + 400 (cost 85)
    ],
)
def test_opportunity_cost_equals_a_forced_re_solve(measure, cost):
    _, model, best = solved()
    entry = by_id(explain(model, best)["not_selected"])[measure]
    assert entry["opportunity_cost"] == pytest.approx(cost)
    assert entry["opportunity_cost"] == pytest.approx(best.objective - optimum(include=(measure,)))


@pytest.mark.parametrize(
    "measure, loss",
    [
        ("solar", 856 - 506),  # without solar: hub + tram + park = 80 + 300 + 50 + 76 (cost 85)
        ("tram", 856 - 630),  # without tram: hub + solar + infill + park = 80 + 400 + 100 + 50
    ],
)
def test_loss_if_removed_equals_a_re_solve_without(measure, loss):
    _, model, best = solved()
    entry = by_id(explain(model, best)["selected"])[measure]
    assert entry["note"] == "" and entry["reason"] is None
    assert entry["loss_if_removed"] == pytest.approx(loss)
    assert entry["loss_if_removed"] == pytest.approx(best.objective - optimum(exclude=(measure,)))


def test_mandatory_measure_cannot_be_removed():
    _, model, best = solved()
    assert by_id(explain(model, best)["selected"])["hub"] == {
        "id": "hub",
        "loss_if_removed": None,
        "note": "cannot be removed: mandatory",
        "reason": {"code": "mandatory"},
    }


def test_measure_required_by_a_forced_one_cannot_be_removed(tiny):
    _problem, model, best = solved(hub_optional(tiny), include=("tram",))
    selected = by_id(explain(model, best)["selected"])
    assert selected["tram"]["note"] == "cannot be removed: included (--include)"
    assert selected["hub"]["note"] == "cannot be removed: required by a forced measure"
    assert selected["hub"]["loss_if_removed"] is None


def test_marginal_value_equals_the_gain_of_one_more_unit():
    # at cost 100 one more unit buys nothing (adding park to the optimum needs 105): 0 for both.
    _, model, best = solved()
    assert explain(model, best)["marginal_value"] == {"cost": 0.0, "land": 0.0}
    # at cost 104 the 105th unit admits park: hub + solar + tram + park = 856 + 50
    _, model, best = solved(limits={"cost": 104})
    assert best.objective == pytest.approx(856)
    margins = explain(model, best)["marginal_value"]
    assert margins["cost"] == pytest.approx(50)
    assert margins["cost"] == pytest.approx(optimum(limits={"cost": 105}) - best.objective)
    assert margins["land"] == pytest.approx(optimum(limits={"cost": 104, "land": 7}) - best.objective)
    assert margins["land"] == pytest.approx(0)


def test_mandatory_measure_of_value_zero_is_selected(tiny):
    # --objective homes: solar's value is its 0 homes. Made mandatory and free (cost 0, land 0),
    # it is in no resource row, rule or pair, yet a mandatory measure belongs to every portfolio.
    # The rest by hand: housing (200 homes) and infill (120) together cost 15 + 50 + 40 = 105 > 100,
    # so the optimum takes housing: 200 (the other measures add 0 homes; park is excluded by
    # housing, tram does not fit).
    csv = tiny / "measures.csv"
    text = csv.read_text(encoding="utf-8")
    old = "solar,Solar roofs,nord,klima,20,0,400,0,4,,,false"
    assert old in text
    csv.write_text(text.replace(old, "solar,Solar roofs,nord,klima,0,0,400,0,4,,,true"), encoding="utf-8")
    out = run_json("portfolio", tiny, "--objective", "homes", "--no-explain", "--tiers", "0")
    assert out["objective"] == pytest.approx(200)
    assert {"solar", "hub", "housing"} <= set(out["selected"])


def test_marginal_value_of_a_resource_without_limit(tiny):
    # `land:` without a limit is a valid resource (case-format: a resource without a limit);
    # one more unit of an unlimited resource is worth nothing, and the portfolio must still come
    # out (with land unlimited the co2 optimum is unchanged: land was not binding).
    case_yaml = tiny / "case.yaml"
    text = case_yaml.read_text(encoding="utf-8")
    case_yaml.write_text(text.replace("unit: ha, limit: 6}", "unit: ha}"), encoding="utf-8")
    assert load_case(tiny).resources["land"].limit is None
    result = run("portfolio", tiny, *CO2, "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["selected"] == ["hub", "solar", "tram"]
    assert out["explanations"]["marginal_value"]["cost"] == pytest.approx(0)
    assert out["explanations"]["marginal_value"]["land"] in (None, 0.0)


def test_cli_explanations_agree_with_forced_runs_on_default_values():
    """On the case's own values (TOPSIS under the consensus weights): every opportunity cost,
    loss and marginal value equals the objective difference of the corresponding CLI run."""
    out = cached_json("portfolio", TINY)
    ex = out["explanations"]
    fast = ("--no-explain", "--tiers", "0")
    for e in ex["not_selected"]:
        forced = run_json("portfolio", TINY, "--include", e["id"], *fast)
        assert e["opportunity_cost"] == pytest.approx(out["objective"] - forced["objective"], abs=TOL)
        assert e["blocked_by"]
    for e in ex["selected"]:
        if e["loss_if_removed"] is None:
            assert e["id"] == "hub" and e["note"] == "cannot be removed: mandatory"
            continue
        without = run_json("portfolio", TINY, "--exclude", e["id"], *fast)
        assert e["loss_if_removed"] == pytest.approx(out["objective"] - without["objective"], abs=TOL)
    for r, gain in ex["marginal_value"].items():
        more = run_json("portfolio", TINY, "--limit", f"{r}={out['resources'][r]['limit'] + 1}", *fast)
        assert gain == pytest.approx(more["objective"] - out["objective"], abs=TOL)


# -- infeasibility: exit code 3 and the reasons in the case's terms ------------------------------


@pytest.mark.parametrize(
    "args, reasons",
    [
        pytest.param(
            ["--limit", "cost=10"],  # the mandatory hub costs 15
            ["mandatory hub needs 15 EUR m of cost; the limit is 10 EUR m"],
            id="mandatory-over-budget",
        ),
        pytest.param(
            ["--include", "tram", "--limit", "land=2"],  # tram 2 + the hub it requires 0.5
            ["included tram; mandatory hub need 2.5 ha of land; the limit is 2 ha"],
            id="included-and-required-over-limit",
        ),
        pytest.param(
            ["--exclude", "hub"],
            ["hub must be selected (mandatory) but is excluded (--exclude)"],
            id="mandatory-excluded",
        ),
        pytest.param(
            ["--include", "solar", "--exclude", "solar"],
            ["solar must be selected (--include) but is excluded (--exclude)"],
            id="include-and-exclude",
        ),
        pytest.param(
            ["--include", "housing", "--include", "park"],  # land 5 + 1 + hub 0.5 = 6.5
            [
                "housing excludes park, but both must be selected (housing: --include; park: --include)",
                "included housing, park; mandatory hub need 6.5 ha of land; the limit is 6 ha",
            ],
            id="forced-pair-excludes",
        ),
        pytest.param(
            ["--cover", "1"],  # no measure of tiny serves the goal finanzen
            ["goal finanzen is served by 0 measure(s) that may be selected; coverage asks for 1"],
            id="coverage-finanzen",
        ),
        pytest.param(
            ["--cover", "3"],  # klima 5 measures; wohnen 2 (housing, infill); finanzen 0
            [
                "goal wohnen is served by 2 measure(s) that may be selected; coverage asks for 3",
                "goal finanzen is served by 0 measure(s) that may be selected; coverage asks for 3",
            ],
            id="coverage-shortfalls",
        ),
    ],
)
def test_infeasible_tiny_reasons(args, reasons):
    assert infeasible_lines("portfolio", "cases/tiny", *CO2, *args) == [f"- {r}" for r in reasons]


def test_infeasible_leverkusen_mandatory_over_budget():
    # mandatory: m20_drei_kitas 15 + m24_ophovener_weiher 12 = 27 EUR m
    assert infeasible_lines(
        "portfolio", "cases/leverkusen-2040", "--limit", "cost_eur_m=20", "--no-explain"
    ) == [
        "- mandatory m20_drei_kitas, m24_ophovener_weiher need 27 EUR m of cost_eur_m; the limit is 20 EUR m"
    ]


def test_infeasible_include_whose_requirement_is_excluded(tiny):
    hub_optional(tiny)
    assert infeasible_lines("portfolio", tiny, *CO2, "--include", "tram", "--exclude", "hub") == [
        "- hub must be selected (required by tram, which must be selected) but is excluded (--exclude)"
    ]


def test_infeasible_exclude_on_the_frontier_command_too():
    assert infeasible_lines("frontier", "cases/tiny", *CO2, "--exclude", "hub") == [
        "- hub must be selected (mandatory) but is excluded (--exclude)"
    ]


def test_infeasible_library_error_has_exit_code_3():
    with pytest.raises(InfeasiblePortfolio) as err:
        solved(include=("housing", "park"))
    assert err.value.exit_code == 3
    assert str(err.value).splitlines() == [  # land: housing 5 + park 1 + hub 0.5 = 6.5 > 6
        HEADER,
        "- housing excludes park, but both must be selected (housing: --include; park: --include)",
        "- included housing, park; mandatory hub need 6.5 ha of land; the limit is 6 ha",
    ]


@pytest.mark.parametrize(
    "balance, reasons",
    [
        pytest.param(
            "{districts: [nord, stadt], min_measures: 4}",  # nord: solar, housing, tram
            ["district nord has 3 measure(s) that may be selected; the balance asks for 4"],
            id="nord",
        ),
        pytest.param(
            "{districts: [stadt], min_measures: 7}",  # stadt holds all six through nord/sued
            ["district stadt has 6 measure(s) that may be selected; the balance asks for 7"],
            id="stadt-with-its-parts",
        ),
        # nord needs solar + housing + tram (+ the mandatory hub): cost 145 (45 over), land 7.5 (1.5
        # over). The elastic model relaxes cost and land (45/100 + 1.5/6 = 0.7) rather than the
        # balance by one measure (1/1).
        pytest.param(
            "{districts: [nord], min_measures: 3}",
            [
                "resource cost must be relaxed by 45 to admit any portfolio",
                "resource land must be relaxed by 1.5 to admit any portfolio",
            ],
            id="elastic-resources",
        ),
    ],
)
def test_infeasible_balance(tiny, balance, reasons):
    add_portfolio_settings(tiny, f"portfolio:\n  balance: {balance}\n")
    assert infeasible_lines("portfolio", tiny, *CO2) == [f"- {r}" for r in reasons]


def test_infeasible_coverage_found_by_the_elastic_model(tiny):
    # wohnen twice: housing + infill + the mandatory hub cost 50 + 40 + 15 = 105 (5 over the
    # limit); relaxing the cost by 5 (5/100) is cheaper than the coverage by one (1/1).
    add_portfolio_settings(tiny, "portfolio:\n  coverage: {min_measures: 2, goals: [wohnen]}\n")
    assert infeasible_lines("portfolio", tiny, *CO2) == [
        "- resource cost must be relaxed by 5 to admit any portfolio: with the rules in force "
        "(mandatory measures, requires, goal coverage) a portfolio needs at least 105 EUR m, "
        "the limit is 100 EUR m"
    ]


def test_infeasible_leverkusen_budget_is_not_blamed_on_the_periods(tmp_path):
    # At 40 EUR m the balance (3 measures and 15 % of the cost in each Stadtbezirk) and the goal
    # coverage cannot be met. The periods allow 90, 110 and 130 EUR m, far more than the 27 EUR m
    # the mandatory measures need, so "the period limits cannot hold the measures that must be
    # selected" is not the reason: the reasons must be those of the same case without periods.
    reasons = infeasible_lines(
        "portfolio", "cases/leverkusen-2040", "--limit", "cost_eur_m=40", "--no-explain", "--tiers", "0"
    )
    loaded = load_case(LEV)
    assert all(p.limits["cost_eur_m"] > 27 for p in loaded.config.periods)
    no_periods = copy_case(LEV, tmp_path / "lev")
    text = (no_periods / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("criteria: ../../criteria", f"criteria: {CASES.parent / 'criteria'}")
    (no_periods / "case.yaml").write_text(text[: text.index("\nperiods:")] + "\n", encoding="utf-8")
    expected = infeasible_lines(
        "portfolio", no_periods, "--limit", "cost_eur_m=40", "--no-explain", "--tiers", "0"
    )
    assert expected and not any("period" in line for line in expected)
    # the same reasons, but for the list of the rules in force (which has the periods)
    unlisted = lambda lines: [re.sub(r"rules in force \([^)]*\)", "rules", x) for x in lines]
    assert unlisted(reasons) == unlisted(expected)


# -- the JSON output contract ---------------------------------------------------------------------


@pytest.mark.parametrize("case", [TINY, LEV], ids=["tiny", "leverkusen-2040"])
def test_json_output_contract(case):
    out = cached_json("portfolio", case)
    loaded = load_case(case)
    assert {"status", "objective", "selected", "resources", "explanations", "provenance"} <= set(out)
    assert out["status"] == "optimal" and out["proven_optimal"] is True
    assert out["selected"] == sorted(out["selected"]) and out["selected"]
    assert [m["id"] for m in out["measures"]] == out["selected"]
    measures = {m.id: m for m in loaded.measures}
    assert set(out["resources"]) == set(loaded.resources)
    for r, res in out["resources"].items():
        assert res["limit"] == loaded.resources[r].limit
        assert res["used"] <= res["limit"] + TOL
        assert res["used"] == pytest.approx(sum(measures[i].resources[r] for i in out["selected"]))
    values = {m["id"]: m["value"] for m in out["measures"]}
    assert all(0 <= v <= 1 for v in values.values())  # MCDM scores rescaled to [0, 1]
    expected = sum(values.values()) + pair_terms(case, values, set(out["selected"]))
    assert out["objective"] == pytest.approx(expected, abs=TOL)
    ex = out["explanations"]
    assert sorted(e["id"] for e in ex["selected"]) == out["selected"]
    assert sorted(e["id"] for e in ex["not_selected"]) == sorted(set(measures) - set(out["selected"]))
    assert set(ex["marginal_value"]) == set(loaded.resources)
    assert out["provenance"]["command"] == "portfolio"
    assert out["provenance"]["solver"]["name"] == "cbc"
    assert out["provenance"]["solver"]["status"] == "optimal"


def test_leverkusen_portfolio_meets_every_rule_of_the_case():
    out = cached_json("portfolio", LEV)
    loaded = load_case(LEV)
    measures = {m.id: m for m in loaded.measures}
    chosen = set(out["selected"])
    assert {m.id for m in loaded.measures if m.mandatory} <= chosen
    for i in chosen:
        assert set(measures[i].requires) <= chosen
        assert not set(measures[i].excludes) & chosen
    settings = loaded.config.portfolio
    parent = {d.id: d.parent for d in loaded.config.districts}

    def within(d, target):
        while d is not None:
            if d == target:
                return True
            d = parent.get(d)
        return False

    total = {r: sum(measures[i].resources[r] for i in chosen) for r in settings.balance.min_share}
    for d in settings.balance.districts:
        members = [i for i in chosen if within(measures[i].district, d)]
        assert len(members) >= settings.balance.min_measures, d
        for r, share in settings.balance.min_share.items():
            assert sum(measures[i].resources[r] for i in members) >= share * total[r] - TOL, (d, r)
    for g in loaded.goals:
        served = [i for i in chosen if g.id in measures[i].goals]
        assert len(served) >= settings.coverage.min_measures, g.id
    periods = [p.id for p in loaded.config.periods]
    start = {m["id"]: periods.index(m["start"]) for m in out["measures"]}
    assert set(start) == chosen
    for t, p in enumerate(loaded.config.periods):
        for r, lim in p.limits.items():
            assert sum(measures[i].resources[r] for i in chosen if start[i] == t) <= lim + TOL
    for i in chosen:
        for j in measures[i].requires:
            assert start[j] <= start[i], f"{i} starts before {j}, which it requires"


def test_limit_option_changes_the_limit_in_the_output():
    out = run_json("portfolio", "cases/tiny", "--limit", "cost=80", "--no-explain")
    assert out["resources"]["cost"]["limit"] == 80
    assert out["resources"]["cost"]["used"] <= 80
    assert out["resources"]["land"]["limit"] == 6
    assert out["provenance"]["parameters"]["limits"] == ["cost=80"]
    # with co2 values: at most 80 - 15 = 65 next to the hub: solar + park + ? (infill 40 is too
    # much) = 530, or tram alone = 456, or solar + infill = 580 (cost 75)
    out = run_json("portfolio", "cases/tiny", *CO2, "--limit", "cost=80", "--no-explain")
    assert out["selected"] == ["hub", "infill", "solar"]
    assert out["objective"] == pytest.approx(580)  # 80 + 100 + 400


def test_include_and_exclude_are_honoured():
    base = cached_json("portfolio", TINY)
    assert "solar" in base["selected"]  # topsis: solar has the best score
    out = run_json("portfolio", "cases/tiny", "--exclude", "solar", "--no-explain")
    assert "solar" not in out["selected"] and out["objective"] < base["objective"]
    out = run_json("portfolio", "cases/tiny", "--include", "tram", "--no-explain")
    assert {"tram", "hub"} <= set(out["selected"])
    assert out["provenance"]["parameters"]["include"] == ["tram"]
    # co2: --include infill gives hub + infill + solar + park = 630 (cost 85; tram no longer fits)
    out = run_json("portfolio", "cases/tiny", *CO2, "--include", "infill", "--no-explain")
    assert out["selected"] == ["hub", "infill", "park", "solar"]
    assert out["objective"] == pytest.approx(630)


def test_compare_lists_the_changes_against_the_default_portfolio():
    # co2 without solar: hub + tram + park = 80 + 300 + 50 + 76 = 506 (cost 85); default 856
    out = run_json("portfolio", "cases/tiny", *CO2, "--exclude", "solar", "--compare", "--no-explain")
    assert out["selected"] == ["hub", "park", "tram"]
    cmp = out["compare"]
    assert cmp["added"] == ["park"] and cmp["removed"] == ["solar"]
    assert cmp["baseline_objective"] == pytest.approx(856)
    assert cmp["objective"] == pytest.approx(506)
    assert cmp["resources"]["cost"] == {"baseline": 95.0, "now": 85.0}
    assert cmp["resources"]["land"] == {"baseline": 2.5, "now": 3.5}


def test_compare_without_changes_is_empty():
    out = run_json("portfolio", "cases/tiny", "--compare", "--no-explain")
    assert out["compare"]["added"] == [] and out["compare"]["removed"] == []
    assert out["compare"]["baseline_objective"] == pytest.approx(out["objective"])


@pytest.mark.parametrize(
    "case, extra",
    [
        ("cases/tiny", ()),
        ("cases/tiny", CO2),
        ("cases/leverkusen-2040", ("--tiers", "0")),
    ],
)
def test_highs_gives_the_same_objective_as_cbc(case, extra):
    cbc = run_json("portfolio", case, *extra, "--no-explain")
    highs = run_json("portfolio", case, *extra, "--no-explain", "--solver", "highs")
    assert highs["solver"] == "highs" and highs["status"] == "optimal"
    assert highs["objective"] == pytest.approx(cbc["objective"], abs=TOL)


def test_objective_benefit_column_is_maximised():
    out = run_json("portfolio", "cases/tiny", *CO2, "--no-explain")
    assert out["objective_is"] == "the column co2"
    assert out["method"] is None
    assert out["selected"] == ["hub", "solar", "tram"]
    assert out["objective"] == pytest.approx(856)
    assert {m["id"]: m["value"] for m in out["measures"]} == {"hub": 80, "solar": 400, "tram": 300}


def test_objective_cost_column_is_minimised():
    # values are minus the cost; every measure but the mandatory hub only lowers the total
    # (the tram-hub synergy is 0.8 * 0.5 * (-60 - 15) / 2 = -15, housing + park cannot be had)
    out = run_json("portfolio", "cases/tiny", "--objective", "cost", "--no-explain")
    assert "minimised" in out["objective_is"]
    assert out["selected"] == ["hub"]
    assert out["objective"] == pytest.approx(-15)


def test_scenario_austerity_halves_the_cost_limit():
    # austerity: limits {cost: 0.5} -> 50; co2 within 50: hub + solar + park = 80 + 400 + 50 (45)
    out = run_json("portfolio", "cases/tiny", *CO2, "--scenario", "austerity", "--no-explain")
    assert out["scenario"] == "austerity"
    assert out["resources"]["cost"]["limit"] == 50
    assert out["resources"]["land"]["limit"] == 6
    assert out["resources"]["cost"]["used"] == 45
    assert out["selected"] == ["hub", "park", "solar"]
    assert out["objective"] == pytest.approx(530)


def test_tiers_give_every_selected_measure_a_tier():
    out = run_json("portfolio", "cases/tiny", "--tiers", "5", "--no-explain")
    tiers = out["priority"]["tiers"]
    assert out["priority"]["steps"] == 5 and out["priority"]["resource"] == "cost"
    assert sorted(tiers) == out["selected"]
    assert all(isinstance(t, int) and 1 <= t <= 5 for t in tiers.values())
    assert [m["tier"] for m in out["measures"]] == [tiers[i] for i in out["selected"]]


def test_tiers_by_hand():
    # cost levels 15, 36.25, 57.5, 78.75, 100 (see the frontier test): hub in from step 1,
    # solar from step 2, tram only at step 5
    out = run_json("portfolio", "cases/tiny", *CO2, "--tiers", "5", "--no-explain")
    assert out["priority"]["tiers"] == {"hub": 1, "solar": 2, "tram": 5}


# -- the frontier ---------------------------------------------------------------------------------


def test_frontier_by_hand():
    # levels from what the forced hub needs (15) to the limit (100) in 5 steps: 15, 36.25, 57.5,
    # 78.75, 100. Optima: {hub} 80; + solar (35) 480; + park (45) 530; hub + solar + infill (75)
    # 580 (hub + tram, 75, gives only 456); hub + solar + tram (95) 856.
    out = run_json("frontier", "cases/tiny", *CO2, "--steps", "5")
    pts = out["points"]
    assert out["resource"] == "cost" and out["unit"] == "EUR m"
    assert [p["level"] for p in pts] == [15, 36.25, 57.5, 78.75, 100]
    assert [p["objective"] for p in pts] == pytest.approx([80, 480, 530, 580, 856])
    assert [sorted(p["selected"]) for p in pts] == [
        ["hub"],
        ["hub", "solar"],
        ["hub", "park", "solar"],
        ["hub", "infill", "solar"],
        ["hub", "solar", "tram"],
    ]
    assert [(p["entering"], p["leaving"]) for p in pts] == [
        (["hub"], []),
        (["solar"], []),
        (["park"], []),
        (["infill"], ["park"]),
        (["tram"], ["infill"]),
    ]
    assert [p["used"] for p in pts] == [15, 35, 45, 75, 95]
    assert out["distinct_portfolios"] == 5


@pytest.mark.parametrize(
    "case, extra",
    [
        ("cases/tiny", ()),
        ("cases/tiny", ("--resource", "land")),
        ("cases/leverkusen-2040", ("--steps", "4")),
    ],
)
def test_frontier_is_non_decreasing_and_ends_at_the_optimum(case, extra):
    out = run_json("frontier", case, *extra)
    pts = out["points"]
    # the lowest levels may be infeasible (leverkusen: balance and coverage need more than the
    # mandatory measures); once a level admits a portfolio, every higher level does too
    statuses = [p["status"] for p in pts]
    feasible_from = statuses.index("optimal")
    assert set(statuses[:feasible_from]) <= {"infeasible"}
    assert set(statuses[feasible_from:]) == {"optimal"}
    pts = pts[feasible_from:]
    objectives = [p["objective"] for p in pts]
    assert all(b >= a - TOL for a, b in itertools.pairwise(objectives)), objectives
    levels = [p["level"] for p in pts]
    assert levels == sorted(levels)
    resource = out["resource"]
    plain = run_json("portfolio", case, "--no-explain", "--tiers", "0")
    assert levels[-1] == plain["resources"][resource]["limit"]
    assert objectives[-1] == pytest.approx(plain["objective"], abs=TOL)
    assert all(p["used"] <= p["level"] + TOL for p in pts)


def test_frontier_json_is_identical_across_runs():
    args = ["frontier", "cases/tiny", "--steps", "5", "--format", "json"]
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["steps"] == 5


# -- HiGHS writes its banner to the OS-level standard output: it must not reach the JSON ---------


@pytest.mark.parametrize("command", ["portfolio", "frontier"])
def test_highs_banner_never_reaches_stdout(command):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from lev2040_mcda.cli import main; main()",
            command,
            "cases/tiny",
            "--solver",
            "highs",
            "--format",
            "json",
            *(["--no-explain"] if command == "portfolio" else []),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("{")
    out = json.loads(proc.stdout)
    assert out["solver"] == "highs"
    assert "HiGHS" not in proc.stdout


def _feasible_subsets(problem):
    """Every subset of the measures that meets every constraint of ``problem`` (small cases)."""
    from itertools import product

    n = len(problem.ids)
    for bits in product((0, 1), repeat=n):
        chosen = {i for i in range(n) if bits[i]}
        if not (problem.mandatory | problem.include) <= chosen or chosen & problem.exclude:
            continue
        if any(i in chosen and j not in chosen for i, j in problem.requires):
            continue
        if any(i in chosen and j in chosen for i, j in problem.excludes):
            continue
        if any(
            lim is not None and problem.resources[r][list(chosen)].sum() > lim + 1e-9
            for r, lim in problem.limits.items()
        ):
            continue
        yield chosen


def test_exact_frontier_is_every_pareto_point_of_exhaustive_search():
    from lev2040_mcda.portfolio import PortfolioModel, exact_frontier_points

    case = load_case(CASES / "tiny")
    values, text = measure_values(case, None, None, column="co2")
    problem = build_problem(case, values, text)

    def value(chosen):
        return values[list(chosen)].sum() + sum(b for i, j, b in problem.pairs if i in chosen and j in chosen)

    cost = problem.resources["cost"]
    points = sorted((float(cost[list(c)].sum()), float(value(c))) for c in _feasible_subsets(problem))
    pareto, best = [], float("-inf")  # the best value at each cost, kept where it improves
    for used, v in points:
        if v > best + 1e-9:
            pareto.append((used, v))
            best = v
    found = exact_frontier_points(PortfolioModel(problem, "cbc"), "cost")
    assert [(p["used"], pytest.approx(p["objective"])) for p in found] == [
        (u, pytest.approx(v)) for u, v in pareto
    ]
    assert all(p["new_portfolio"] and p["status"] == "optimal" for p in found)


def test_frontier_exact_through_the_cli_lists_the_same_points_as_the_library():
    result = CliRunner().invoke(
        cli, ["frontier", str(CASES / "tiny"), "--exact", "--objective", "co2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exact"] is True and data["steps"] == len(data["points"])
    used = [p["used"] for p in data["points"]]
    values = [p["objective"] for p in data["points"]]
    assert used == sorted(used) and values == sorted(values) and len(set(values)) == len(values)


# -- a solve stopped by its time limit reports the bound it proved ------------------------------


def _multi_knapsack(n: int = 1_000, seed: int = 1):
    """A random 3-resource knapsack that neither solver proves optimal within a second here (both
    need 10 s or more, `make bench`)."""
    import numpy as np

    from lev2040_mcda.portfolio import PortfolioProblem

    rng = np.random.default_rng(seed)
    resources = {r: rng.uniform(1, 50, n) for r in ("cost", "land", "staff")}
    ids = [f"m{i:04d}" for i in range(n)]
    return PortfolioProblem(
        ids=ids,
        names=ids,
        values=rng.uniform(0, 1, n),
        resources=resources,
        limits={r: float(a.sum() * 0.3) for r, a in resources.items()},
        requires=[],
        excludes=[],
        mandatory=set(),
        include=set(),
        exclude=set(),
        pairs=[],
    )


def _lp_bound(problem) -> float:
    """The value of the LP relaxation: no proven bound can be above it."""
    import pulp

    n = len(problem.ids)
    prob = pulp.LpProblem("relaxed", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{i}", 0, 1) for i in range(n)]
    prob += pulp.lpSum(float(v) * xi for v, xi in zip(problem.values, x))
    for r, a in problem.resources.items():
        prob += pulp.lpSum(float(a[i]) * x[i] for i in range(n)) <= problem.limits[r]
    prob.solve(pulp.PULP_CBC_CMD(msg=False))
    return pulp.value(prob.objective)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_time_limited_solve_reports_the_proven_bound_and_gap(solver):
    from lev2040_mcda.portfolio import PortfolioModel

    problem = _multi_knapsack()
    sol = PortfolioModel(problem, solver, time_limit=1).solve()
    for r, a in problem.resources.items():
        assert a[sol.selected].sum() <= problem.limits[r] + TOL
    if sol.status == "optimal":  # a much faster machine: then nothing is left to bound
        assert sol.proven and sol.gap == 0.0
        return
    assert sol.status == "feasible" and not sol.proven
    assert sol.bound >= sol.objective - 1e-9  # CBC's printed bound is widened by its rounding
    assert sol.bound <= _lp_bound(problem) + 1e-3  # (+ CBC's rounding, at most 5e-4)
    assert sol.gap == pytest.approx(max(sol.bound - sol.objective, 0) / sol.objective)
    assert sol.gap < 0.01  # a good portfolio within a second: the LP bound is that tight here


def test_solver_bound_reads_cbc_log_and_says_none_without_one(tmp_path):
    import pulp

    from lev2040_mcda.portfolio import solver_bound

    prob = pulp.LpProblem("p", pulp.LpMaximize)
    stopped = tmp_path / "stopped.log"
    stopped.write_text(
        "Result - Stopped on time limit\n\nObjective value:                302.43245862\n"
        "Upper bound:                    302.518\nGap:                            -0.00\n"
    )
    # printed to 3 decimals: the true bound may be up to half a last digit higher
    assert solver_bound(prob, "cbc", str(stopped)) == pytest.approx(302.5185)
    low = pulp.LpProblem("q", pulp.LpMinimize)  # a lower bound is widened downwards
    assert solver_bound(low, "cbc", str(stopped)) == pytest.approx(302.5175)
    optimal = tmp_path / "optimal.log"
    optimal.write_text("Result - Optimal solution found\n\nObjective value:                302.44\n")
    assert solver_bound(prob, "cbc", str(optimal)) is None
    assert solver_bound(prob, "cbc", None) is None
    assert solver_bound(prob, "highs") is None  # never solved: no solver model to ask


def test_table_and_report_state_the_gap_of_an_unproven_portfolio():
    from lev2040_mcda.cli.portfolio import portfolio_table

    out = dict(
        cached_json("portfolio", TINY), status="feasible", proven_optimal=False, gap=0.00028, bound=1.0
    )
    first = portfolio_table(out).splitlines()[0]
    assert first.startswith("Portfolio: feasible (optimality not proven; at most 0.028% below")
    out["gap"] = None
    assert (
        portfolio_table(out)
        .splitlines()[0]
        .startswith("Portfolio: feasible (optimality not proven), solver cbc")
    )


def test_proven_portfolio_has_gap_zero_and_no_bound():
    out = cached_json("portfolio", TINY)
    assert out["gap"] == 0.0 and out["bound"] is None
    assert out["provenance"]["solver"]["gap"] == 0.0


def test_values_left_by_a_stopped_solver_count_only_when_they_are_a_portfolio():
    problem, model, _best = solved()  # tiny, co2: the optimum {hub, solar, tram}
    index = {mid: i for i, mid in enumerate(problem.ids)}

    def put(chosen, fraction=None):
        for i, xi in enumerate(model.x):
            xi.varValue = 1.0 if problem.ids[i] in chosen else 0.0
        if fraction is not None:
            model.x[index[fraction]].varValue = 0.5
        for k, (i, j, _) in enumerate(problem.pairs):  # pair variables as the model needs them
            model.y[k].varValue = min(model.x[i].varValue, model.x[j].varValue)

    put({"hub", "solar", "tram"})
    assert model._holds()
    put({"hub", "solar", "infill"}, fraction="park")  # a relaxation's values: not a portfolio
    assert not model._holds()
    put({"hub", "solar", "tram", "infill"})  # cost 135 of 100
    assert not model._holds()
    put({"solar", "tram"})  # without the mandatory hub, which tram requires
    assert not model._holds()


def test_no_portfolio_within_the_time_limit_exits_3_and_says_so(monkeypatch):
    from lev2040_mcda.portfolio import PortfolioModel, Solution

    monkeypatch.setattr(
        PortfolioModel, "solve", lambda self, **kw: Solution("not solved", None, [], "cbc", False)
    )
    result = run("portfolio", TINY, "--time-limit", "0.5")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.strip() == (
        "the solver found no portfolio within the time limit of 0.5 s, "
        "and did not prove that none exists; try a longer --time-limit"
    )


def test_value_is_split_into_measures_synergies_and_conflicts():
    out = run_json("portfolio", TINY, *CO2, "--no-explain", "--tiers", "0")
    # {hub, solar, tram}: 80 + 400 + 300 = 780 of their own, the tram-hub synergy 76, no conflict
    assert out["value_parts"] == {"measures": 780.0, "synergies": 76.0, "conflicts": 0.0}
    # m18 conflicts with m11 (in the default portfolio): forced in, the pair's penalty shows
    lev = run_json("portfolio", LEV, "--include", "m18_gewerbegebiet_erweiterung", "--no-explain")
    assert {"m11_gewerbebrache_manfort", "m18_gewerbegebiet_erweiterung"} <= set(lev["selected"])
    parts = lev["value_parts"]
    assert parts["synergies"] > 0 > parts["conflicts"]
    assert sum(parts.values()) == pytest.approx(lev["objective"], abs=TOL)
    assert parts["measures"] == pytest.approx(sum(m["value"] for m in lev["measures"]), abs=TOL)


def test_conflict_with_a_selected_measure_is_named_as_a_blocker(tiny):
    # park (value 50, cost 10, land 1) and solar conflict strongly: with solar selected, park
    # would bring 50 but cost the pair term -1 * 0.5 * (400 + 50) / 2 = -112.5
    with open(tiny / "interactions.csv", "a", encoding="utf-8") as fh:
        fh.write("park,solar,conflict,1,\n")
    problem, model, best = solved(tiny, limits={"cost": 200, "land": 10})
    assert "solar" in {problem.ids[i] for i in best.selected}
    park = by_id(explain(model, best)["not_selected"])["park"]
    assert {"code": "conflict_with", "measure": "solar", "penalty": 112.5} in park["reasons"]
    assert "conflicts with solar (selected), which would cost 112 of value" in park["blocked_by"]


@pytest.mark.parametrize("command", ["portfolio", "frontier"])
def test_no_portfolio_still_gives_json_with_the_reasons(command):
    result = run(command, LEV, "--limit", "cost_eur_m=20", "--format", "json")
    assert result.exit_code == 3
    out = json.loads(result.stdout)
    reason = (
        "mandatory m20_drei_kitas, m24_ophovener_weiher need 27 EUR m of cost_eur_m; the limit is 20 EUR m"
    )
    assert out["status"] == "infeasible" and out["reasons"] == [reason]
    assert out["provenance"]["command"] == command
    assert out["provenance"]["parameters"]["limits"] == ["cost_eur_m=20"]
    assert result.stderr.splitlines()[1:] == [f"- {reason}"]


def test_periods_table_adds_up_and_starts_do_not_depend_on_the_solver():
    out = cached_json("portfolio", LEV)
    loaded = load_case(LEV)
    cost = {m.id: m.resources.get("cost_eur_m", 0) for m in loaded.measures}
    assert [pd["id"] for pd in out["periods"]] == [pd.id for pd in loaded.config.periods]
    for pd in out["periods"]:
        res = pd["resources"]["cost_eur_m"]
        assert res["used"] <= res["limit"] + TOL
        assert res["used"] == pytest.approx(
            sum(cost[m["id"]] for m in out["measures"] if m["start"] == pd["id"])
        )
    highs = run_json("portfolio", LEV, "--solver", "highs", "--no-explain", "--tiers", "0")
    assert {m["id"]: m["start"] for m in highs["measures"]} == {m["id"]: m["start"] for m in out["measures"]}


def test_csv_has_a_row_per_measure_with_its_start_and_reasons():
    import csv
    import io

    out = cached_json("portfolio", LEV)
    result = run("portfolio", LEV, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "id",
        "selected",
        "value",
        "tier",
        "start",
        "loss_if_removed",
        "opportunity_cost",
        "blocked_by",
    ]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {m.id for m in load_case(LEV).measures}
    for m in out["measures"]:
        assert by_id[m["id"]]["selected"] == "True" and by_id[m["id"]]["start"] == m["start"]
    for e in out["explanations"]["not_selected"]:
        assert by_id[e["id"]]["selected"] == "False" and by_id[e["id"]]["start"] == ""
        assert by_id[e["id"]]["blocked_by"] == "; ".join(e["blocked_by"])


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_a_tiny_gain_is_not_lost_to_the_solver_tolerances(solver):
    """park worth 1e-5 fits beside {tram, hub}: CBC's default cutoff increment (about 1e-5) once
    left it out of an "optimal" portfolio (found by a property test)."""
    values = np.array([0.0, 1e-05, 0.125, 0.0, 0.0, 1.0])  # solar park housing infill tram hub
    problem = build_problem(load_case(TINY), values, "tiny values")
    sol = PortfolioModel(problem, solver).solve()
    assert sorted(problem.ids[i] for i in sol.selected) == ["hub", "park", "tram"]
    assert sol.objective == pytest.approx(1.2 + 1e-5, abs=1e-9)


def test_highs_frontier_and_tiers_solve_every_step(invoke):
    """With --solver highs the steps run in the in-process model right after HiGHS solves through
    PuLP (the main solve, the least cost): every step is still solved, not refused for a thread
    pool of another size."""
    case = str(CASES / "leverkusen-2040")
    result = invoke("frontier", case, "--steps", "4", "--solver", "highs", "--format", "json")
    assert result.exit_code == 0, result.stderr
    points = json.loads(result.output)["points"]
    assert [p["status"] for p in points] == ["optimal"] * 4
    result = invoke("portfolio", case, "--solver", "highs", "--tiers", "3", "--format", "json")
    tiers = json.loads(result.output)["priority"]["tiers"]
    assert tiers and all(t in (1, 2, 3) for t in tiers.values())
