"""The robustness stage (`lev2040 robust`, lev2040_mcda.robust.core) on cases/tiny and on small cases
written by hand: the output contract, the regret table, the joint portfolios (max-min,
min-max-regret, fair compromise), core indices, scenario selectors and bad input.

Reference used below: an independent evaluation of a portfolio problem, written from the model
documented in lev2040_mcda/portfolio/model.py (value = sum of the selected measures' values + the pair
term of every pair with both measures selected; feasible = every resource within its limit,
requires/excludes hold, mandatory and included measures in, excluded ones out). The cases used
here have no balance, coverage or periods (asserted), so the reference is complete for them.

Hand arithmetic on cases/tiny (measures.csv, case.yaml, scenarios.yaml):

    id       district  goals          cost  land  rules
    solar    nord      klima            20   0
    park     sued      klima            10   1
    housing  nord      wohnen           50   5    excludes park
    infill   sued      wohnen;klima     40   0
    tram     nord      klima            60   2    requires hub
    hub      sued      klima            15   0.5  mandatory

limits cost 100, land 6; scenario boom multiplies every cost by 1.2, austerity halves the cost
limit (100 * 0.5 = 50). In austerity every portfolio holds hub (15), leaving 50 - 15 = 35 for the
rest: neither tram (60) nor housing (50) fits, so no portfolio feasible in austerity holds them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lev2040_mcda import load_case
from lev2040_mcda.case import apply_scenario
from lev2040_mcda.portfolio import PortfolioProblem, build_problem, measure_values
from lev2040_mcda.ranking import decision_matrix, resolve_weights
from lev2040_mcda.robust import BASELINE, robust_summary

from .conftest import CASES, ROOT

TINY = CASES / "tiny"
TOL = 1e-6
KEYS = (
    "scenarios",
    "portfolios",
    "inclusion",
    "core",
    "contested",
    "never",
    "regret",
    "maxmin",
    "minmax_regret",
    "groups",
    "core_index",
    "provenance",
)


# -- the independent reference ------------------------------------------------------------------


def ref_feasible(p: PortfolioProblem, chosen: set[int]) -> bool:
    assert not p.district_members and not p.goal_members and not p.periods  # reference complete
    idx = sorted(chosen)
    for r, a in p.resources.items():
        lim = p.limits[r]
        if lim is not None and float(a[idx].sum()) > lim + 1e-9:
            return False
    if any(i in chosen and j not in chosen for i, j in p.requires):
        return False
    if any(i in chosen and j in chosen for i, j in p.excludes):
        return False
    return (p.mandatory | p.include) <= chosen and not (p.exclude & chosen)


def ref_value(p: PortfolioProblem, chosen: set[int]) -> float:
    return float(sum(p.values[i] for i in chosen)) + sum(
        float(b) for i, j, b in p.pairs if i in chosen and j in chosen
    )


def subsets(n: int):
    for k in range(n + 1):
        for c in itertools.combinations(range(n), k):
            yield set(c)


def scenario_problem(
    case, scenario: str | None, weights: np.ndarray, method: str | None = None
) -> PortfolioProblem:
    """The portfolio problem of one scenario, as `lev2040 portfolio --scenario` builds it (values
    on the fixed scale by default, or ``method``'s rescaled score)."""
    case_s = apply_scenario(case, scenario)
    how = {"value": "fixed"} if method is None else {"value": "rescaled-score", "method": method}
    values, described = measure_values(case, scenario, weights, **how)
    return build_problem(case_s, values, described)


def consensus(case) -> np.ndarray:
    return resolve_weights(case, decision_matrix(case))[0]


def summary(case, **kw) -> dict:
    w, info = resolve_weights(case, decision_matrix(case))
    args = dict(method="topsis", options={}, weights=w, weights_info=info, samples=5, seed=1, solver="highs")
    return robust_summary(case, **{**args, **kw})


def run(invoke, *args):
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr or result.output
    return result


def run_json(invoke, *args) -> dict:
    return json.loads(run(invoke, *args, "--format", "json").stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the JSON output on cases/tiny --------------------------------------------------------------


ROBUST_ARGS = ("robust", "cases/tiny", "--samples", "20", "--seed", "1", "--format", "json")


@pytest.fixture(scope="module")
def tiny_json_runs() -> list[bytes]:
    """`lev2040 robust cases/tiny --samples 20 --seed 1 --format json`, twice, in two fresh
    Python processes with different hash seeds (set and dict order must not leak into output)."""
    out = []
    for hashseed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        proc = subprocess.run(
            [sys.executable, "-m", "lev2040_mcda.cli", *ROBUST_ARGS],
            cwd=ROOT,
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        out.append(proc.stdout)
    return out


@pytest.fixture(scope="module")
def tiny_json(tiny_json_runs) -> dict:
    return json.loads(tiny_json_runs[0])


def test_json_is_byte_identical_across_runs(tiny_json_runs):
    assert tiny_json_runs[0] == tiny_json_runs[1]
    assert len(tiny_json_runs[0]) > 1000


def test_json_has_every_key(tiny_json):
    for key in KEYS:
        assert key in tiny_json, key
    assert tiny_json["scenarios"] == [BASELINE, "boom", "austerity"]
    assert set(tiny_json["portfolios"]) == set(tiny_json["scenarios"])
    for k in ("status", "selected", "worst", "values"):
        assert k in tiny_json["maxmin"]
    for k in ("status", "selected", "max_regret", "regrets"):
        assert k in tiny_json["minmax_regret"]
    for k in ("portfolios", "compromise", "satisfaction"):
        assert k in tiny_json["groups"]
    assert set(tiny_json["groups"]["portfolios"]) == {"verwaltung", "buerger"}
    assert {"value", "regret", "scenarios"} <= set(tiny_json["regret"])


def test_json_provenance_has_seed_and_the_inputs_sha256(tiny_json):
    prov = tiny_json["provenance"]
    assert prov["command"] == "robust"
    assert prov["seed"] == 1
    assert prov["parameters"]["samples"] == 20
    assert tiny_json["sampling"] == {"sampler": "dirichlet", "samples": 20, "seed": 1}
    files = sorted(str(p.relative_to(TINY)) for p in TINY.rglob("*") if p.is_file())
    assert sorted(prov["inputs"]) == files
    for name, entry in prov["inputs"].items():
        assert entry == {"sha256": sha256(TINY / name)}


def test_inclusion_core_contested_never_partition_the_measures(tiny_json):
    ids = [m.id for m in load_case(TINY).measures]
    names = tiny_json["scenarios"]
    assert [r["id"] for r in tiny_json["inclusion"]] == ids
    for r in tiny_json["inclusion"]:
        expected = {s: r["id"] in tiny_json["portfolios"][s]["selected"] for s in names}
        assert r["scenarios"] == expected
        assert r["count"] == sum(expected.values())
    groups = tiny_json["core"] + tiny_json["contested"] + tiny_json["never"]
    assert sorted(groups) == sorted(ids)
    for mid in tiny_json["core"]:
        assert all(mid in tiny_json["portfolios"][s]["selected"] for s in names)
    for mid in tiny_json["never"]:
        assert not any(mid in tiny_json["portfolios"][s]["selected"] for s in names)
    # hub is mandatory (measures.csv), so in every scenario's optimum: in the core
    assert "hub" in tiny_json["core"]


def test_core_indices_in_unit_interval_and_mandatory_is_no_regret(tiny_json):
    rows = {r["id"]: r for r in tiny_json["core_index"]}
    assert list(rows) == [m.id for m in load_case(TINY).measures]
    pairs = 20 * len(tiny_json["scenarios"])  # (scenario, sample) pairs: 20 samples x 3
    for r in rows.values():
        assert 0.0 <= r["core_index"] <= 1.0
        # a share of the 60 pairs: a whole number of them
        assert abs(r["core_index"] * pairs - round(r["core_index"] * pairs)) < 1e-9
        cls = "no-regret" if r["core_index"] == 1 else "exterior" if r["core_index"] == 0 else "borderline"
        assert r["class"] == cls
    # hub is mandatory: in every optimal portfolio, whatever the weights
    assert rows["hub"]["core_index"] == 1.0 and rows["hub"]["class"] == "no-regret"


def test_regret_table_diagonal_zero_and_non_negative(tiny_json):
    reg = tiny_json["regret"]
    S = len(tiny_json["scenarios"])
    assert len(reg["regret"]) == S and all(len(row) == S for row in reg["regret"])
    for a in range(S):
        assert reg["regret"][a][a] == 0.0
        for b in range(S):
            r = reg["regret"][a][b]
            assert (r is None) == (reg["value"][a][b] is None)
            if r is not None:
                assert r >= -TOL
                opt_b = tiny_json["portfolios"][tiny_json["scenarios"][b]]["objective"]
                assert r == pytest.approx(opt_b - reg["value"][a][b], abs=TOL)


def test_regret_table_null_exactly_where_the_portfolio_does_not_fit(tiny_json):
    case = load_case(TINY)
    w = consensus(case)
    names = tiny_json["scenarios"]
    problems = [scenario_problem(case, None if s == BASELINE else s, w) for s in names]
    ids = problems[0].ids
    for a, sa in enumerate(names):
        chosen = {ids.index(m) for m in tiny_json["portfolios"][sa]["selected"]}
        for b in range(len(names)):
            v = tiny_json["regret"]["value"][a][b]
            assert (v is not None) == ref_feasible(problems[b], chosen), (sa, names[b])
            if v is not None:
                assert v == pytest.approx(ref_value(problems[b], chosen), abs=TOL)


def test_maxmin_on_tiny_is_feasible_everywhere_and_beats_every_scenario_optimum(tiny_json):
    names = tiny_json["scenarios"]
    mm = tiny_json["maxmin"]
    assert mm["status"] == "optimal"
    assert all(mm["values"][s] is not None for s in names)
    assert mm["worst"] == pytest.approx(min(mm["values"].values()), abs=TOL)
    # austerity arithmetic (module docstring): nothing feasible there holds tram or housing
    assert not {"tram", "housing"} & set(mm["selected"])
    assert not {"tram", "housing"} & set(tiny_json["portfolios"]["austerity"]["selected"])
    rows = [row for row in tiny_json["regret"]["value"] if all(v is not None for v in row)]
    assert rows  # the austerity optimum fits everywhere (cost 45 <= 50; x1.2: 54 <= 100)
    for row in rows:
        assert mm["worst"] >= min(row) - TOL


def test_minmax_regret_on_tiny_is_no_worse_than_any_scenario_optimum(tiny_json):
    names = tiny_json["scenarios"]
    mr = tiny_json["minmax_regret"]
    assert mr["status"] == "optimal"
    assert all(mr["regrets"][s] is not None and mr["regrets"][s] >= -TOL for s in names)
    assert mr["max_regret"] == pytest.approx(max(mr["regrets"].values()), abs=TOL)
    for row in tiny_json["regret"]["regret"]:
        if all(v is not None for v in row):
            assert mr["max_regret"] <= max(row) + TOL


def test_compromise_worst_group_at_least_the_consensus_worst_group(tiny_json):
    g = tiny_json["groups"]
    sat = g["satisfaction"]
    assert set(sat) == {"verwaltung", "buerger"}
    worst_compromise = min(s["compromise"] for s in sat.values())
    worst_consensus = min(s["consensus"] for s in sat.values())
    assert worst_compromise >= worst_consensus - TOL
    assert g["compromise"]["worst_ratio"] == pytest.approx(worst_compromise, abs=TOL)
    for s in sat.values():
        assert s["own"] == 1.0
        assert s["consensus"] <= 1 + TOL and s["compromise"] <= 1 + TOL


def test_csv_has_one_row_per_measure(invoke):
    result = run(
        invoke,
        "robust",
        "cases/tiny",
        "--samples",
        "5",
        "--seed",
        "1",
        "--format",
        "csv",
        "--solver",
        "highs",
    )
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", BASELINE, "boom", "austerity", "count", "core_index", "class"]
    assert [r[0] for r in rows[1:]] == [m.id for m in load_case(TINY).measures]
    for r in rows[1:]:
        assert len(r) == 7
        assert all(c in ("True", "False") for c in r[1:4])
        assert int(r[4]) == sum(c == "True" for c in r[1:4])
        assert 0 <= float(r[5]) <= 1
    hub = next(r for r in rows if r[0] == "hub")
    assert hub[1:] == ["True", "True", "True", "3", "1.0", "no-regret"]


def test_robust_has_no_scenario_option(invoke):
    """robust uses every scenario: --scenario is neither offered nor accepted."""
    assert "--scenario" not in invoke("robust", "--help").stdout
    result = invoke("robust", "cases/tiny", "--scenario", "x")
    assert result.exit_code == 2
    assert "No such option '--scenario'" in result.stderr
    assert result.stdout == ""


# -- seeds ------------------------------------------------------------------------------------


def test_same_seed_same_result_other_seeds_sample_other_weights():
    case = load_case(TINY)
    first = summary(case, seed=7, samples=8)
    again = summary(case, seed=7, samples=8)
    assert first == again
    cores = {
        seed: [r["core_index"] for r in summary(case, seed=seed, samples=8)["core_index"]]
        for seed in (1, 2, 3, 4)
    }
    assert len({tuple(v) for v in cores.values()}) > 1  # the seed is used
    # everything but the core indices does not depend on the seed
    other = summary(case, seed=8, samples=8)
    for key in ("portfolios", "regret", "maxmin", "minmax_regret", "groups"):
        assert other[key] == first[key]


def test_core_indices_can_resample_the_submissions(invoke):
    from lev2040_mcda.ranking.sensitivity import _submission_pool, case_weight_samples

    case = load_case(TINY)
    pool, _ = _submission_pool(case)
    drawn = case_weight_samples(
        case,
        np.random.default_rng(1),
        20,
        "submissions",
        center=np.full(len(case.criteria), 1 / len(case.criteria)),
    )
    assert all(any(np.array_equal(row, sub) for sub in pool) for row in drawn)
    result = summary(case, sampler="submissions", samples=6)
    assert result["sampling"]["sampler"] == "submissions"
    assert all(0 <= r["core_index"] <= 1 for r in result["core_index"])
    out = run_json(invoke, "robust", TINY, "--sampling", "submissions", "--samples", "4")
    assert out["sampling"]["sampler"] == "submissions"


def test_both_solvers_give_the_same_portfolios_on_tiny():
    case = load_case(TINY)
    cbc, highs = summary(case, solver="cbc", samples=2), summary(case, solver="highs", samples=2)
    for s in cbc["scenarios"]:
        assert cbc["portfolios"][s]["objective"] == pytest.approx(
            highs["portfolios"][s]["objective"], abs=TOL
        )
    for key, field in (("maxmin", "worst"), ("minmax_regret", "max_regret")):
        assert cbc[key][field] == pytest.approx(highs[key][field], abs=TOL)
    assert cbc["groups"]["compromise"]["worst_ratio"] == pytest.approx(
        highs["groups"]["compromise"]["worst_ratio"], abs=TOL
    )
    assert cbc["core_index"] == highs["core_index"]  # the core indices always use HiGHS


# -- one scenario and one group: everything is the plain optimum --------------------------------


def _one_group(case: Path) -> None:
    text = (case / "case.yaml").read_text(encoding="utf-8")
    line = "  - {id: buerger, name: Bürgerinnen und Bürger, influence: 2}\n"
    assert text.count(line) == 1
    (case / "case.yaml").write_text(text.replace(line, ""), encoding="utf-8")
    (case / "weights" / "buerger.csv").unlink()


NEUTRAL = """scenarios:
  - id: same
    title: As it is
    effects:
      limits: {cost: 1.0, land: 1.0}
"""


@pytest.mark.parametrize("scenarios", [None, NEUTRAL], ids=["baseline-only", "neutral-scenario"])
def test_one_scenario_one_group_every_portfolio_is_the_plain_optimum(tiny, invoke, scenarios):
    _one_group(tiny)
    if scenarios is None:
        (tiny / "scenarios.yaml").unlink()
    else:
        (tiny / "scenarios.yaml").write_text(scenarios, encoding="utf-8")
    plain = run_json(invoke, "portfolio", tiny, "--no-explain", "--tiers", "0")
    r = run_json(invoke, "robust", tiny, "--samples", "3", "--seed", "1")
    opt, sel = plain["objective"], plain["selected"]
    assert sorted(sel) == sel  # portfolio lists ids sorted, as robust does
    assert r["scenarios"] == ([BASELINE] if scenarios is None else [BASELINE, "same"])
    for s in r["scenarios"]:
        assert r["portfolios"][s]["selected"] == sel
        assert r["portfolios"][s]["objective"] == pytest.approx(opt, abs=TOL)
    assert r["maxmin"]["selected"] == sel
    assert r["maxmin"]["worst"] == pytest.approx(opt, abs=TOL)
    assert r["minmax_regret"]["selected"] == sel
    assert r["minmax_regret"]["max_regret"] == pytest.approx(0.0, abs=TOL)
    groups = r["groups"]
    assert list(groups["portfolios"]) == ["verwaltung"]
    assert groups["portfolios"]["verwaltung"]["selected"] == sel
    assert groups["portfolios"]["verwaltung"]["objective"] == pytest.approx(opt, abs=TOL)
    assert groups["compromise"]["selected"] == sel
    assert groups["compromise"]["worst_ratio"] == pytest.approx(1.0, abs=TOL)
    assert groups["satisfaction"]["verwaltung"]["consensus"] == pytest.approx(1.0, abs=TOL)
    assert sorted(r["core"]) == sel and r["contested"] == []


# -- scenario selectors -------------------------------------------------------------------------


SELECTORS = """scenarios:
  - id: sel
    title: Selectors
    effects:
      adjust:
        - {criterion: co2, districts: [nord], multiply: 2}
        - {resource: land, goals: [wohnen], add: 1}
        - {criterion: acceptance, districts: [sued], goals: [klima], add: -1}
        - {criterion: homes, measures: [infill, housing], goals: [klima], add: 10}
        - {resource: cost, districts: [stadt], multiply: 0.5}
        - {criterion: co2, districts: [nord], add: 1}
"""


def test_adjustments_select_by_district_and_goal(tiny):
    """Hand arithmetic from measures.csv (columns co2, land, acceptance, homes, cost):

    1. co2 x2 in nord (solar, housing, tram): 400 -> 800, 0 -> 0, 300 -> 600; sued unchanged
    2. land +1 for goal wohnen (housing, infill): 5 -> 6, 0 -> 1
    3. acceptance -1 in sued AND goal klima: park 5 -> 4, infill (wohnen;klima) 2 -> 1,
       hub 4 -> 3; nord measures unchanged
    4. homes +10 for measures infill/housing AND goal klima: only infill (housing serves wohnen
       only): 120 -> 130; housing stays 200
    5. cost x0.5 in stadt, i.e. in both its parts nord and sued: every measure; cost is also a
       criterion, so both columns move: 20 10 50 40 60 15 -> 10 5 25 20 30 7.5
    6. rules apply in order: co2 +1 in nord after step 1: 801, 1, 601
    """
    (tiny / "scenarios.yaml").write_text(SELECTORS, encoding="utf-8")
    case = load_case(tiny)
    s = {m.id: m for m in apply_scenario(case, "sel").measures}
    base = {m.id: m for m in case.measures}
    co2 = {"solar": 801, "park": 50, "housing": 1, "infill": 100, "tram": 601, "hub": 80}
    land = {"solar": 0, "park": 1, "housing": 6, "infill": 1, "tram": 2, "hub": 0.5}
    acceptance = {"solar": 4, "park": 4, "housing": 3, "infill": 1, "tram": 3, "hub": 3}
    homes = {"solar": 0, "park": 0, "housing": 200, "infill": 130, "tram": 0, "hub": 0}
    cost = {"solar": 10, "park": 5, "housing": 25, "infill": 20, "tram": 30, "hub": 7.5}
    for mid, m in s.items():
        assert m.performance["co2"] == co2[mid], mid
        assert m.resources["land"] == land[mid], mid
        assert m.performance["acceptance"] == acceptance[mid], mid
        assert m.performance["homes"] == homes[mid], mid
        assert m.resources["cost"] == cost[mid] and m.performance["cost"] == cost[mid], mid
    # the case itself is unchanged
    assert [base[k].performance["co2"] for k in co2] == [400, 50, 0, 100, 300, 80]
    assert [base[k].resources["cost"] for k in cost] == [20, 10, 50, 40, 60, 15]
    # and the scenario's portfolio problem sees the adjusted columns
    p = scenario_problem(case, "sel", consensus(case))
    assert p.resources["cost"].tolist() == [cost[k] for k in p.ids]
    assert p.resources["land"].tolist() == [land[k] for k in p.ids]
    dm = decision_matrix(case, "sel")
    assert dm.values[:, dm.criterion_ids.index("co2")].tolist() == [co2[k] for k in p.ids]


def test_a_district_selects_its_parts_and_not_its_siblings(tiny):
    text = """scenarios:
  - id: s
    title: S
    effects:
      adjust:
        - {resource: land, districts: [sued], add: 3}
"""
    (tiny / "scenarios.yaml").write_text(text, encoding="utf-8")
    case = load_case(tiny)
    land = {m.id: m.resources["land"] for m in apply_scenario(case, "s").measures}
    # sued: park 1 + 3, infill 0 + 3, hub 0.5 + 3; nord unchanged
    assert land == {"solar": 0, "park": 4, "housing": 5, "infill": 3, "tram": 2, "hub": 3.5}


@pytest.mark.parametrize(
    "selector, line",
    [
        (
            "districts: [west]",
            "scenarios.yaml:6: key 'scenarios.effects.adjust.districts': unknown district 'west'",
        ),
        (
            "goals: [verkehr]",
            "scenarios.yaml:6: key 'scenarios.effects.adjust.goals': unknown goal 'verkehr'",
        ),
    ],
    ids=["district", "goal"],
)
def test_unknown_district_or_goal_in_an_adjustment_is_an_input_error(in_tiny, invoke, selector, line):
    text = f"""scenarios:
  - id: s
    title: S
    effects:
      adjust:
        - {{criterion: co2, {selector}, multiply: 2}}
"""
    (in_tiny / "scenarios.yaml").write_text(text, encoding="utf-8")
    for command in ("validate", "robust"):
        result = invoke(command, ".")
        assert result.exit_code == 2, (command, result.output)
        assert line in result.stderr.splitlines(), result.stderr
        assert "Traceback" not in result.output


# -- a dominated measure, by hand -------------------------------------------------------------


def write_case(
    folder: Path, measures: list[tuple], limit: float, scenarios: str, weights: dict[str, dict[str, int]]
) -> None:
    """A case with criteria q, r (benefit) and p (cost), the resource budget (not a criterion)
    and one stakeholder group per entry of ``weights``."""
    (folder / "weights").mkdir(parents=True)
    groups = "".join(f"  - {{id: {g}, name: {g.upper()}}}\n" for g in weights)
    (folder / "case.yaml").write_text(
        f"name: dom\ncriteria: criteria.yaml\ngroups:\n{groups}resources:\n  budget: {{limit: {limit}}}\n",
        encoding="utf-8",
    )
    (folder / "criteria.yaml").write_text(
        "criteria:\n  - {id: q, name: Q, direction: benefit}\n"
        "  - {id: r, name: R, direction: benefit}\n  - {id: p, name: P, direction: cost}\n",
        encoding="utf-8",
    )
    rows = ["id,name,budget,q,r,p,mandatory"] + [
        f"{mid},{mid.upper()},{b},{q},{r},{p},{'true' if mand else 'false'}"
        for mid, b, q, r, p, mand in measures
    ]
    (folder / "measures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "scenarios.yaml").write_text(scenarios, encoding="utf-8")
    for g, w in weights.items():
        body = ", ".join(f"{k}: {v}" for k, v in w.items())
        (folder / "weights" / f"{g}.yaml").write_text(
            f"group: {g}\nmethod: direct\nweights: {{{body}}}\n", encoding="utf-8"
        )


def check_dominance(result: dict, better: str, worse: str) -> None:
    """``worse`` is dominated by ``better`` (same budget, no rules, no pairs)."""
    for s in result["scenarios"]:
        sel = result["portfolios"][s]["selected"]
        assert worse not in sel or better in sel, (s, sel)
    assert not (worse in result["core"] and better not in result["core"]), result["core"]
    ci = {r["id"]: r["core_index"] for r in result["core_index"]}
    assert ci[worse] <= ci[better], ci
    sel = result["maxmin"]["selected"]
    assert worse not in sel or better in sel, sel


def test_dominated_measure_never_in_the_core_without_the_dominating_one(tmp_path, invoke):
    """b is a with q 6 instead of 8 (same budget 30, same r and p, no rules). Budget 100 minus
    the mandatory m (10) leaves 90 for a, b, c, d (30, 30, 40, 20): a + b + c = 100 does not fit,
    {b, c, d} = 90 fits as well as {a, c, d}, which is worth more. In s1 the budget is
    100 * 0.7 = 70 (60 after m): {a, b}, {a, d}, {b, d}, {c, d} fit, {a, c} = 70 does not."""
    measures = [
        ("a", 30, 8, 5, 3, False),
        ("b", 30, 6, 5, 3, False),
        ("c", 40, 7, 6, 2, False),
        ("d", 20, 3, 9, 4, False),
        ("m", 10, 0, 0, 10, True),
    ]
    scenarios = (
        "scenarios:\n  - id: s1\n    title: S1\n    effects:\n"
        "      limits: {budget: 0.7}\n      adjust:\n"
        "        - {criterion: r, multiply: 1.5}\n"
    )
    write_case(
        tmp_path / "dom",
        measures,
        100,
        scenarios,
        {"g1": {"q": 2, "r": 1, "p": 1}, "g2": {"q": 1, "r": 3, "p": 1}},
    )
    result = run_json(invoke, "robust", tmp_path / "dom", "--samples", "30", "--seed", "3")
    check_dominance(result, "a", "b")
    ci = {r["id"]: r for r in result["core_index"]}
    assert ci["m"]["core_index"] == 1.0 and ci["m"]["class"] == "no-regret"
    assert "m" in result["core"]
    # every scenario optimum spends its budget: b only ever enters next to a
    for s in result["scenarios"]:
        assert "m" in result["portfolios"][s]["selected"]


def test_a_scenario_without_any_portfolio_exits_3_with_json_reasons(invoke, tiny):
    path = tiny / "scenarios.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("limits: {cost: 0.5}", "limits: {cost: 0.1}"),
        encoding="utf-8",
    )
    result = invoke("robust", tiny, "--samples", "2", "--format", "json")
    assert result.exit_code == 3
    out = json.loads(result.stdout)
    reason = "mandatory hub needs 15 EUR m of cost; the limit is 10 EUR m"
    assert out["status"] == "infeasible" and out["reasons"] == [f"scenario austerity: {reason}"]
    assert out["provenance"]["command"] == "robust"
    assert result.stderr.splitlines() == ["no portfolio in scenario austerity:", f"- {reason}"]


def test_core_indices_do_not_depend_on_where_they_are_solved(monkeypatch):
    """Two worker processes give the same core indices as this process: the same chunks of samples
    on the same fresh models, whichever process solves them (chunks of 3 here, so that there are
    some)."""
    import lev2040_mcda.robust.core as robust
    from lev2040_mcda.parallel import Scheduler

    monkeypatch.setattr(robust, "CHUNK", 3)
    case = load_case(CASES / "leverkusen-2040")
    one = summary(case, samples=7)
    two = summary(case, samples=7, executor=Scheduler("processes", 2))
    assert one == two
    assert 0 < sum(r["core_index"] for r in one["core_index"]) < len(one["core_index"])
