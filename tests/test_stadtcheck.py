"""The Stadtcheck stage: populations, standings, need per goal and overall, need factors, equity.

Hand computations are written out beside each expected number; the properties (hypothesis) pin
what holds for any data: factors within their bounds, z-scores centred, orientation by ``need``,
missing values never counted as zero.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case.stadtcheck import Indicator, Stadtcheck
from lev2040_mcda.errors import InputError
from lev2040_mcda.stadtcheck import equity, gini, need_factors, populations, profiles, theil
from tests.stadtcheck_fixtures import write_stadtcheck

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
nan = float("nan")


def _with(case, indicators, rows: dict[str, list[float]]):
    """``case`` with a Stadtcheck of ``indicators`` and one row per district of ``rows``."""
    sc = Stadtcheck(
        indicators=tuple(indicators), districts=tuple(rows), values=np.array(list(rows.values()), float)
    )
    return case.model_copy(update={"stadtcheck": sc})


@pytest.fixture
def checked(tiny):
    """cases/tiny with the fixture's Stadtcheck (tests/stadtcheck_fixtures.py), as load_case reads it."""
    write_stadtcheck(tiny)
    return load_case(tiny)


TWO = (
    Indicator("sgb2", "SGB-II-Quote", need="higher", goals={"wohnen": 1.0}),
    Indicator("green", "Grün", need="lower", goals={"klima": 1.0, "wohnen": 1.0}),
)


@pytest.fixture(scope="module")
def plain():
    return load_case(CASES / "tiny")


@pytest.fixture(scope="module")
def two_levels(tmp_path_factory):
    """tiny with Stadtteile below nord: nord_a (5000), nord_b (7000); nord has no population of its
    own (the sum of its parts), sued 8000. Measures: solar in nord_a, housing in nord itself, park and
    infill in sued, tram at the root and hub without a district (both citywide)."""
    root = tmp_path_factory.mktemp("two") / "tiny"
    shutil.copytree(CASES / "tiny", root)
    text = (root / "case.yaml").read_text(encoding="utf-8")
    start = text.index("districts:")
    end = text.index("defaults:")
    text = (
        text[:start]
        + "districts:\n"
        + "  - {id: stadt, name: Stadt}\n"
        + "  - {id: nord, name: Nord, parent: stadt}\n"
        + "  - {id: sued, name: Süd, parent: stadt, population: 8000}\n"
        + "  - {id: nord_a, name: Nord A, parent: nord, population: 5000}\n"
        + "  - {id: nord_b, name: Nord B, parent: nord, population: 7000}\n"
        + text[end:]
    )
    (root / "case.yaml").write_text(text, encoding="utf-8")
    m = (root / "measures.csv").read_text(encoding="utf-8")
    m = m.replace("solar,Solar roofs,nord", "solar,Solar roofs,nord_a").replace(
        "tram,Tram line,nord", "tram,Tram line,stadt"
    )
    m = m.replace("hub,Mobility hub,sued", "hub,Mobility hub,")
    (root / "measures.csv").write_text(m, encoding="utf-8")
    return load_case(root)


@pytest.fixture(scope="module")
def flat(tmp_path_factory):
    """Six Stadtteile d1..d6 below the root, no populations, the six measures one in each."""
    root = tmp_path_factory.mktemp("flat") / "tiny"
    shutil.copytree(CASES / "tiny", root)
    text = (root / "case.yaml").read_text(encoding="utf-8")
    start, end = text.index("districts:"), text.index("defaults:")
    ds = "".join(f"  - {{id: d{k}, parent: stadt}}\n" for k in range(1, 7))
    text = text[:start] + "districts:\n  - {id: stadt, name: Stadt}\n" + ds + text[end:]
    (root / "case.yaml").write_text(text, encoding="utf-8")
    lines = (root / "measures.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for k, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        cells[2] = f"d{k}"
        out.append(",".join(cells))
    (root / "measures.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return load_case(root)


# --- populations ---------------------------------------------------------------------------------


def test_populations_from_case_yaml_and_the_sum_of_parts(plain, two_levels):
    # tiny: the root has none of its own, its parts 12000 + 8000
    assert populations(plain) == {"stadt": 20000.0, "nord": 12000.0, "sued": 8000.0}
    # nord = nord_a + nord_b = 5000 + 7000; stadt = nord + sued
    assert populations(two_levels) == {
        "stadt": 20000.0,
        "nord": 12000.0,
        "sued": 8000.0,
        "nord_a": 5000.0,
        "nord_b": 7000.0,
    }


def test_populations_from_the_stadtcheck_and_missing_stays_absent(two_levels):
    pop = Indicator("population", "Einwohner")
    # nord_b loses its case.yaml figure? No: case.yaml wins; the indicator fills only gaps (nord)
    case = _with(two_levels, [pop], {"nord": [11000.0], "nord_a": [1.0], "sued": [nan]})
    p = populations(case)
    assert p["nord"] == 11000.0  # the Stadtcheck's row, not the parts' sum
    assert p["nord_a"] == 5000.0 and p["sued"] == 8000.0  # case.yaml before the Stadtcheck
    cfg = two_levels.config.model_copy(
        update={
            "districts": [
                d.model_copy(update={"population": None}) if d.id == "nord_b" else d
                for d in two_levels.config.districts
            ]
        }
    )
    gap = two_levels.model_copy(update={"config": cfg})
    p = populations(gap)
    assert "nord_b" not in p and "nord" not in p and "stadt" not in p  # never a zero


# --- standings and need, by hand -----------------------------------------------------------------


def test_profiles_of_the_fixture_by_hand(checked):
    p = profiles(checked)
    assert p.indicators == ("sgb2_rate", "green_m2_per_resident", "heat_days")  # population: no goal
    nord, sued = p.row("nord"), p.row("sued")
    # sgb2_rate, higher = need: centre the city's 9.6, scale std(12, 6) = 3
    #   nord (12 - 9.6) / 3 = 0.8, sued (6 - 9.6) / 3 = -1.2
    # green, lower = need: centre 30, scale std(20, 45) = 12.5: nord -(20 - 30) / 12.5 = 0.8, sued -1.2
    # heat_days: no city figure, so the population-weighted mean (12000*14 + 8000*9) / 20000 = 12,
    #   scale std(14, 9) = 2.5: nord (14 - 12) / 2.5 = 0.8, sued (9 - 12) / 2.5 = -1.2
    assert np.allclose(p.z[nord], [0.8, 0.8, 0.8]) and np.allclose(p.z[sued], [-1.2, -1.2, -1.2])
    assert p.centre_kind[1] == ("city", "city", "weighted_mean")
    assert np.allclose(p.centre[1], [9.6, 30.0, 12.0]) and np.allclose(p.scale[1], [3.0, 12.5, 2.5])
    assert p.ranks[nord].tolist() == [1, 1, 1] and p.ranks[sued].tolist() == [2, 2, 2]
    assert np.isnan(p.z[p.row("stadt")]).all() and np.isnan(p.ranks[p.row("stadt")]).all()  # the reference
    assert p.need_of("nord") == pytest.approx(0.8) and p.need_of("sued") == pytest.approx(-1.2)
    assert p.need_of("stadt") is None


def test_need_per_goal_and_overall_by_hand(plain):
    case = _with(plain, TWO, {"stadt": [10.0, nan], "nord": [12.0, 20.0], "sued": [6.0, 40.0]})
    p = profiles(case, goal_weights={"klima": 1, "wohnen": 3, "finanzen": 5})
    n, s = p.row("nord"), p.row("sued")
    # sgb2: centre 10 (city), scale std(12, 6) = 3: nord 2/3, sued -4/3
    # green: no city value, weighted mean (12000*20 + 8000*40) / 20000 = 28, scale 10, lower = need:
    #   nord -(20 - 28) / 10 = 0.8, sued -(40 - 28) / 10 = -1.2
    assert np.allclose(p.z[n], [2 / 3, 0.8]) and np.allclose(p.z[s], [-4 / 3, -1.2])
    # klima: green alone; wohnen: (sgb2 + green) / 2; finanzen has no indicator, so no need index
    assert p.goals == ("klima", "wohnen")
    assert np.allclose(p.goal_need[n], [0.8, (2 / 3 + 0.8) / 2]) and np.allclose(
        p.goal_need[s], [-1.2, (-4 / 3 - 1.2) / 2]
    )
    # overall: (1 * 0.8 + 3 * 0.7333) / 4 = 0.75; (1 * -1.2 + 3 * -1.2667) / 4 = -1.25
    assert p.goal_weights == {"klima": 0.25, "wohnen": 0.75} and p.weights_source == "given"
    assert p.need_of("nord") == pytest.approx(0.75) and p.need_of("sued") == pytest.approx(-1.25)


def test_default_goal_weights_are_the_consensus_per_goal(checked):
    from lev2040_mcda.weights import weights_summary

    w = weights_summary(checked)["weights"]  # the consensus of tiny's two groups, per criterion
    klima, wohnen = w["co2"], w["homes"] + w["acceptance"]  # tiny's criteria of each goal
    p = profiles(checked)
    assert p.weights_source == "consensus"
    assert p.goal_weights["klima"] == pytest.approx(klima / (klima + wohnen))
    assert p.goal_weights["wohnen"] == pytest.approx(wohnen / (klima + wohnen))


def test_equal_goal_weights_without_submissions(plain):
    case = _with(
        plain.model_copy(update={"submissions": (), "submission_tables": ()}),
        TWO,
        {"nord": [1.0, 1.0], "sued": [2.0, 3.0]},
    )
    p = profiles(case)
    assert p.weights_source == "equal" and p.goal_weights == {"klima": 0.5, "wohnen": 0.5}


def test_missing_value_has_no_z_and_no_rank(plain):
    case = _with(plain, TWO, {"nord": [12.0, nan], "sued": [6.0, 40.0]})
    p = profiles(case)
    n = p.row("nord")
    assert math.isnan(p.z[n, 1]) and math.isnan(p.ranks[n, 1])
    # one peer left: no spread, so no z-score either, but a rank among those with a value
    assert math.isnan(p.z[p.row("sued"), 1]) and p.ranks[p.row("sued"), 1] == 1
    # nord's wohnen need is its sgb2 alone (the missing green left out, not counted as 0)
    assert p.goal_need[n, p.goals.index("wohnen")] == pytest.approx(p.z[n, 0])
    assert math.isnan(p.goal_need[n, p.goals.index("klima")])


def test_unknown_goal_weight_is_a_located_error(plain):
    case = _with(plain, TWO, {"nord": [1.0, 1.0], "sued": [2.0, 3.0]})
    with pytest.raises(InputError, match=r"unknown goal 'klma'.*klima"):
        profiles(case, goal_weights={"klma": 1})
    with pytest.raises(InputError, match="expected a number >= 0"):
        profiles(case, goal_weights={"klima": -1})


def test_to_json_is_plain_and_deterministic(checked):
    a = json.dumps(profiles(checked).to_json(), allow_nan=False, sort_keys=True)
    assert a == json.dumps(profiles(checked).to_json(), allow_nan=False, sort_keys=True)
    data = json.loads(a)
    heat = next(r for r in data["districts"] if r["district"] == "stadt")["indicators"]["heat_days"]
    assert heat == {"value": None, "z": None, "rank": None}
    assert data["levels"][0]["reference"]["heat_days"]["kind"] == "weighted_mean"


def test_without_a_stadtcheck_nothing_is_needed(plain):
    p = profiles(plain)
    assert p.indicators == () and np.isnan(p.need).all()
    assert (need_factors(plain) == 1.0).all()


# --- need factors --------------------------------------------------------------------------------


def test_need_factors_by_hand(plain):
    case = _with(plain, TWO, {"stadt": [10.0, nan], "nord": [12.0, 20.0], "sued": [6.0, 40.0]})
    f = need_factors(case, strength=0.5)
    assert f.shape == (6, 4)  # tiny's measures x criteria (cost, co2, homes, acceptance)
    i = {m: k for k, m in enumerate(case.measure_ids)}
    # cost's goal finanzen has no indicator: 1. co2 (klima): nord 1 + 0.5 * 0.8 / 2 = 1.2,
    # sued 1 + 0.5 * -1.2 / 2 = 0.7; homes and acceptance (wohnen): nord need 0.7333 -> 1.18333,
    # sued -1.26667 -> 0.68333
    assert np.allclose(f[i["solar"]], [1.0, 1.2, 1 + 0.5 * 0.73333333 / 2, 1 + 0.5 * 0.73333333 / 2])
    assert np.allclose(f[i["park"]], [1.0, 0.7, 1 - 0.5 * 1.26666667 / 2, 1 - 0.5 * 1.26666667 / 2])
    assert (need_factors(case, strength=0.0) == 1.0).all()
    # the default strength is case.yaml stadtcheck.need_strength (0.5)
    assert np.array_equal(need_factors(case), f)


def test_need_factor_is_clipped_at_two_standard_deviations(flat):
    ind = [Indicator("x", "x", goals={"klima": 1.0})]
    # values 0, 0, 0, 0, 0, 10: d6 is (10 - 10/6) / std = 2.236 above the mean: clipped to 1 + s
    case = _with(flat, ind, {f"d{k}": [10.0 if k == 6 else 0.0] for k in range(1, 7)})
    f = need_factors(case, strength=0.4)
    co2 = case.criterion_ids.index("co2")
    assert f[5, co2] == pytest.approx(1.4) and f[0, co2] == pytest.approx(1 - 0.4 * 0.4472135955 / 2)


def test_root_and_no_district_get_factor_one(two_levels):
    ind = [Indicator("x", "x", goals={"klima": 1.0, "wohnen": 1.0, "finanzen": 1.0})]
    case = _with(
        two_levels, ind, {"stadt": [5.0], "nord": [9.0], "sued": [1.0], "nord_a": [3.0], "nord_b": [7.0]}
    )
    f = need_factors(case, strength=1.0)
    i = {m: k for k, m in enumerate(case.measure_ids)}
    assert (f[i["tram"]] == 1.0).all() and (f[i["hub"]] == 1.0).all()
    # solar in the Stadtteil nord_a uses nord_a's own row: (3 - 5) / std(3, 7) = -1 -> 1 - 0.5
    assert np.allclose(f[i["solar"]], 0.5)


finite = st.floats(-1e6, 1e6, allow_nan=False)
cell = st.one_of(finite, st.just(nan))


@given(st.lists(cell, min_size=12, max_size=12), st.floats(0, 1), st.booleans())
def test_need_factors_lie_within_their_bounds(flat, cells, strength, lower):
    ind = [
        Indicator("a", "a", need="lower" if lower else "higher", goals={"klima": 1.0}),
        Indicator("b", "b", goals={"wohnen": 2.0, "klima": 0.5}),
    ]
    rows = {f"d{k}": cells[2 * k - 2 : 2 * k] for k in range(1, 7)}
    case = _with(flat, ind, rows)
    f = need_factors(case, strength=strength)
    assert ((f >= 1 - strength - 1e-12) & (f <= 1 + strength + 1e-12)).all()
    p = profiles(case)
    for i, m in enumerate(case.measures):
        need = p.goal_need[p.row(m.district)]
        for j, c in enumerate(case.criteria):
            if c.goal not in p.goals or math.isnan(need[p.goals.index(c.goal)]):
                assert f[i, j] == 1.0  # no data: exactly 1


@given(st.lists(finite, min_size=6, max_size=6))
def test_z_scores_of_a_complete_indicator_have_mean_zero_and_flip_with_need(flat, xs):
    hi = _with(flat, [Indicator("x", "x", need="higher")], {f"d{k}": [x] for k, x in enumerate(xs, 1)})
    lo = _with(flat, [Indicator("x", "x", need="lower")], {f"d{k}": [x] for k, x in enumerate(xs, 1)})
    zh, zl = profiles(hi).z[1:, 0], profiles(lo).z[1:, 0]  # row 0 is the root
    if np.std(xs) > 1e-9 * max(1.0, np.abs(xs).max()):
        assert profiles(hi).centre_kind[1] == ("mean",)  # no populations, no city row
        assert abs(zh.mean()) < 1e-9 and np.allclose(zl, -zh)
        rh, rl = profiles(hi).ranks[1:, 0], profiles(lo).ranks[1:, 0]
        assert rh[np.argmax(xs)] == 1 and rl[np.argmin(xs)] == 1


@given(st.lists(finite, min_size=6, max_size=6), st.integers(1, 6))
def test_a_missing_value_never_counts_as_zero(flat, xs, gone):
    ind = [Indicator("x", "x")]
    with_nan = {f"d{k}": [nan if k == gone else x] for k, x in enumerate(xs, 1)}
    without = {d: v for d, v in with_nan.items() if d != f"d{gone}"}
    a, b = profiles(_with(flat, ind, with_nan)), profiles(_with(flat, ind, without))
    r = a.row(f"d{gone}")
    assert math.isnan(a.z[r, 0]) and math.isnan(a.ranks[r, 0])
    # the others stand exactly as if the district had no row at all
    assert np.array_equal(a.z, b.z, equal_nan=True) and np.array_equal(a.ranks, b.ranks, equal_nan=True)


# --- equity --------------------------------------------------------------------------------------


def test_equity_on_tiny_by_hand(checked):
    e = equity(checked, ["solar", "park", "housing"])
    lv = e.level(1)
    nord, sued = e.district("nord"), e.district("sued")
    # cost: nord solar 20 + housing 50 = 70 for 12000, sued park 10 for 8000
    assert (nord.budget, sued.budget) == (70.0, 10.0) and nord.measures == ("solar", "housing")
    assert nord.budget_per_resident == pytest.approx(
        70 / 12000
    ) and sued.benefit_per_resident == pytest.approx(1 / 8000)
    # Gini: shares 0.6, 0.4; mean per resident 80 / 20000 = 0.004;
    #   2 * 0.6 * 0.4 * (70/12000 - 10/8000) / (2 * 0.004) = 0.275
    assert lv.gini_budget == pytest.approx(0.275)
    # Theil: ratios 1.458333 and 0.3125: 0.6 * 1.458333 * ln 1.458333 + 0.4 * 0.3125 * ln 0.3125
    assert lv.theil_budget == pytest.approx(
        0.6 * 1.4583333 * math.log(1.4583333) + 0.4 * 0.3125 * math.log(0.3125)
    )
    # benefit = 1 per measure: 2 / 12000 and 1 / 8000, mean 3 / 20000: 0.24 * (1/6000 - 1/8000) / 0.00015
    assert lv.gini_benefit == pytest.approx(0.24 * (2 / 12000 - 1 / 8000) / (3 / 20000))
    assert nord.need == pytest.approx(0.8) and lv.nothing == () and e.citywide == ()
    assert e.total_budget == 80.0 and e.benefit == "measures"


def test_equity_at_both_levels_with_citywide_apart(two_levels):
    e = equity(
        two_levels,
        ["solar", "housing", "tram", "hub"],
        values={"solar": 2, "housing": 3, "tram": 5, "hub": 1},
    )
    assert e.citywide == ("tram", "hub") and e.citywide_budget == 75.0 and e.citywide_benefit == 6.0
    assert e.total_budget == 145.0 and e.total_benefit == 11.0
    # Stadtbezirke: nord gets solar (in nord_a) and housing: 70 / 12000; sued nothing
    b = e.level(1)
    assert e.district("nord").measures == ("solar", "housing") and e.district("nord").benefit == 5.0
    assert b.nothing == ("sued",) and e.district("sued").budget == 0.0
    # all to a part with population share p: Gini = 1 - p = 0.4, Theil = ln(1 / p) = ln(20000 / 12000)
    assert b.gini_budget == pytest.approx(0.4) and b.theil_budget == pytest.approx(math.log(20000 / 12000))
    # Stadtteile: nord_a 20 / 5000, nord_b nothing: Gini 7000 / 12000, Theil ln(12000 / 5000)
    t = e.level(2)
    assert [d.district for d in t.districts] == ["nord_a", "nord_b"] and t.nothing == ("nord_b",)
    assert t.gini_budget == pytest.approx(7 / 12) and t.theil_benefit == pytest.approx(math.log(12 / 5))
    assert e.district("nord_a").need is None  # no Stadtcheck: need unknown, not 0
    json.dumps(e.to_json(), allow_nan=False)


def test_equity_without_population_leaves_the_district_out_of_the_indices(two_levels):
    cfg = two_levels.config.model_copy(
        update={
            "districts": [
                d.model_copy(update={"population": None}) if d.id == "nord_b" else d
                for d in two_levels.config.districts
            ]
        }
    )
    e = equity(two_levels.model_copy(update={"config": cfg}), ["solar", "park"])
    assert e.level(2).without_population == ("nord_b",) and e.district("nord_b").budget_per_resident is None
    # nord_a is left alone among the Stadtteile and nord (a part lacks a figure, so no sum) among
    # the Stadtbezirke: one district is no comparison, so no index (not a reassuring 0)
    assert e.district("nord").population is None
    assert e.level(2).gini_budget is None and e.level(1).theil_budget is None


def test_equity_lists_a_district_of_no_residents_as_left_out(two_levels):
    """0 residents: nothing per resident to compare, so out of the indices, and said so."""
    cfg = two_levels.config.model_copy(
        update={
            "districts": [
                d.model_copy(update={"population": 0}) if d.id == "nord_b" else d
                for d in two_levels.config.districts
            ]
        }
    )
    e = equity(two_levels.model_copy(update={"config": cfg}), ["solar", "park"])
    t = e.level(2)
    assert e.district("nord_b").population == 0.0 and e.district("nord_b").budget_per_resident is None
    assert t.without_population == ("nord_b",) and t.to_json()["without_population"] == ["nord_b"]
    assert t.gini_budget is None  # nord_a alone is no comparison
    # the Stadtbezirke: nord (5000 + 0) and sued both count
    assert e.level(1).without_population == () and e.district("nord").population == 5000.0
    assert e.level(1).gini_budget is not None


def test_equity_of_nothing_is_undefined_not_equal(plain):
    e = equity(plain, [])
    assert e.level(1).gini_budget is None and e.level(1).theil_benefit is None
    assert e.level(1).nothing == ("nord", "sued")


def test_equity_rejects_unknown_measures_and_resources(plain):
    with pytest.raises(InputError, match="unknown measure 'solr'"):
        equity(plain, ["solr"])
    with pytest.raises(InputError, match="unknown resource 'money'"):
        equity(plain, ["solar"], resource="money")
    with pytest.raises(InputError, match="no value for the selected measure"):
        equity(plain, ["solar", "park"], values={"solar": 1.0})
    assert equity(plain, ["solar"], resource="land").district("nord").budget == 0.0


# --- the inequality indices ----------------------------------------------------------------------

positive = st.lists(st.floats(0, 1e6, allow_nan=False, allow_subnormal=False), min_size=1, max_size=30)


@given(positive, st.floats(1e-3, 1e3))
def test_gini_and_theil_bounds_and_scale_invariance(xs, c):
    g, t = gini(xs), theil(xs)
    if sum(xs) == 0:
        assert math.isnan(g) and math.isnan(t)
        return
    assert 0 <= g < 1 and g <= (len(xs) - 1) / len(xs) + 1e-12
    assert 0 <= t <= math.log(len(xs)) + 1e-9
    assert gini([x * c for x in xs]) == pytest.approx(g, abs=1e-9)
    assert theil([x * c for x in xs]) == pytest.approx(t, abs=1e-9)


@given(st.floats(1e-3, 1e6), st.integers(1, 20), st.lists(st.floats(0.1, 1e4), min_size=1, max_size=20))
def test_equal_values_give_zero(v, n, w):
    assert gini([v] * n) == 0.0 and theil([v] * n) == pytest.approx(0.0, abs=1e-12)
    assert gini([v] * len(w), w) == 0.0


@given(st.lists(st.tuples(st.floats(0, 1e4), st.integers(1, 5)), min_size=1, max_size=10))
def test_integer_weights_are_repetitions(pairs):
    xs, ws = [p[0] for p in pairs], [p[1] for p in pairs]
    rep = [x for x, w in pairs for _ in range(w)]
    if sum(rep) > 0:
        assert gini(xs, ws) == pytest.approx(gini(rep), abs=1e-9)
        assert theil(xs, ws) == pytest.approx(theil(rep), abs=1e-9)


def test_missing_values_are_left_out_never_zero():
    assert gini([1, 2, nan]) == gini([1, 2]) != gini([1, 2, 0])
    assert theil([1, 2, nan], [1, 1, 5]) == theil([1, 2]) != theil([1, 2, 0])
    with pytest.raises(ValueError):
        gini([1, -1])
    with pytest.raises(ValueError):
        theil([1, 2], [1, -1])


def test_package_import_is_light():
    code = (
        "import sys, lev2040_mcda.stadtcheck as s; "
        "print(sorted(m for m in ('pandas', 'pyproj', 'shapely', 'matplotlib') if m in sys.modules)); "
        "print(callable(s.map_shapes), s.MapShapes.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines() == ["[]", "True MapShapes"]
