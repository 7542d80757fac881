"""The portfolio value on fixed scales (lev2040_mcda.portfolio.values; docs/portfolio.md).

Properties on random variants of cases/tiny (measures' values, weights and scenario factors drawn
by hypothesis; the case is changed in memory, as a hand-built Case):

- adding a "do nothing" measure (every criterion at its status quo, no resources) never changes
  the selected set or the value;
- a measure with no positive effect and no cost is never selected;
- a scenario that multiplies one criterion by f changes every measure's value by exactly
  w_j * s_j * (f - 1) * x_ij / R_j, and a scenario that changes nothing values every portfolio as
  the baseline does;
- the scale: the catalogue's min/max where given, else the range over the baseline and every
  scenario, widened to include the status quo.

And the worked example of docs/portfolio.md, computed by hand there.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case.models import Adjustment, Criterion, Measure, Scenario, ScenarioEffects
from lev2040_mcda.portfolio import (
    PortfolioModel,
    build_problem,
    measure_values,
    portfolio_summary,
    value_scale,
)

from .conftest import CASES

TINY = load_case(CASES / "tiny")
LEV = CASES / "leverkusen-2040"
CRIT = [c.id for c in TINY.criteria]

weights = st.lists(st.floats(0.01, 1.0), min_size=len(CRIT), max_size=len(CRIT)).map(np.array)
cells = st.integers(-50, 300).map(float)
rows = st.lists(
    st.lists(cells, min_size=len(CRIT), max_size=len(CRIT)),
    min_size=len(TINY.measures),
    max_size=len(TINY.measures),
)


def with_values(case, values: list[list[float]], unbounded: bool = True):
    """``case`` with new criterion values (one row per measure); without the catalogue's bounds
    when ``unbounded`` (so the scale comes from the data)."""
    measures = tuple(
        m.model_copy(update={"performance": dict(zip(CRIT, row))}) for m, row in zip(case.measures, values)
    )
    criteria = tuple(
        c.model_copy(update={"min": None, "max": None}) if unbounded else c for c in case.criteria
    )
    return _replace(case, measures=measures, criteria=criteria)


def _replace(case, measures=None, criteria=None, scenarios=None):
    update = {}
    if measures is not None:
        update["measures"] = tuple(measures)
    if scenarios is not None:
        update["scenarios"] = tuple(scenarios)
    if criteria is not None:
        update["catalogue"] = case.catalogue.model_copy(update={"criteria": list(criteria)})
    return case.model_copy(update=update)


def solve(case, w, scenario=None):
    values, text = measure_values(case, scenario, w)
    from lev2040_mcda.case import apply_scenario

    problem = build_problem(apply_scenario(case, scenario), values, text)
    sol = PortfolioModel(problem, "cbc").solve()
    return problem, sol


def do_nothing(case) -> Measure:
    return Measure(
        id="do_nothing",
        name="Do nothing",
        resources=dict.fromkeys(case.resources, 0.0),
        performance={c.id: c.status_quo for c in case.criteria},
    )


def test_tiny_criteria_are_as_expected():
    # the properties below change tiny in memory; they rely on its shape
    assert CRIT == ["cost", "co2", "homes", "acceptance"] and TINY.scenarios


@given(rows, weights)
def test_a_do_nothing_measure_changes_nothing(values, w):
    case = with_values(TINY, values)
    problem, sol = solve(case, w)
    plus = _replace(case, measures=[*case.measures, do_nothing(case)])
    problem2, sol2 = solve(plus, w)
    assert sol.ok and sol2.ok
    assert [problem2.ids[i] for i in sol2.selected] == [problem.ids[i] for i in sol.selected]
    assert sol2.objective == pytest.approx(sol.objective, abs=1e-12)
    assert measure_values(plus, None, w)[0][-1] == 0.0


@given(rows, weights, st.lists(st.integers(0, 40).map(float), min_size=len(CRIT), max_size=len(CRIT)))
def test_a_measure_without_positive_effect_or_cost_is_never_selected(values, w, harm):
    case = with_values(TINY, values)
    sign = {c.id: 1 if c.direction == "benefit" else -1 for c in case.criteria}
    # no better than the status quo on any criterion (benefit: below it, cost: above it)
    perf = {c.id: c.status_quo - sign[c.id] * h for c, h in zip(case.criteria, harm)}
    perf["cost"] = 0.0  # tiny's cost is a criterion and the resource: no cost
    useless = Measure(
        id="useless", name="Useless", resources=dict.fromkeys(case.resources, 0.0), performance=perf
    )
    plus = _replace(case, measures=[*case.measures, useless])
    problem, sol = solve(plus, w)
    assert sol.ok and problem.ids.index("useless") not in sol.selected
    assert measure_values(plus, None, w)[0][-1] <= 0


def scaled(case, criterion: str, factor: float) -> Scenario:
    adj = Adjustment(criterion=criterion, multiply=factor)
    return Scenario(id="scaled", title="Scaled", effects=ScenarioEffects(adjust=[adj]))


@given(rows, weights, st.sampled_from(CRIT), st.floats(0.0, 3.0), st.booleans())
def test_scaling_a_criterion_changes_each_value_by_as_much(values, w, criterion, factor, unbounded):
    case = with_values(TINY, values, unbounded)
    if not unbounded:  # the catalogue's bounds must hold the scaled values too
        case = with_values(TINY, np.clip(values, 0, 100).tolist(), False)
        factor = min(factor, 1.0)
    case = _replace(case, scenarios=[scaled(case, criterion, factor)])
    scale = value_scale(case)
    j = CRIT.index(criterion)
    base, _ = measure_values(case, None, w)
    now, _ = measure_values(case, "scaled", w)
    x = np.array([m.performance[criterion] for m in case.measures])
    expected = (w[j] / w.sum()) * scale.sign[j] * (factor - 1) * x / scale.width[j]
    np.testing.assert_allclose(now - base, expected, atol=1e-12)


@given(rows, weights)
def test_a_scenario_that_changes_nothing_values_every_portfolio_as_the_baseline(values, w):
    case = with_values(TINY, values)
    same = Scenario(
        id="same",
        title="Same",
        effects=ScenarioEffects(adjust=[Adjustment(criterion="co2", multiply=1.0)], limits={"cost": 1.0}),
    )
    case = _replace(case, scenarios=[*case.scenarios, same])
    p0, s0 = solve(case, w)
    p1, s1 = solve(case, w, "same")
    assert s1.selected == s0.selected and s1.objective == pytest.approx(s0.objective, abs=1e-12)
    for sel in ([0, 1], [2, 3, 5], list(range(len(p0.ids)))):
        assert p1.value(sel) == pytest.approx(p0.value(sel), abs=1e-12)


def test_the_scale_is_the_catalogue_or_the_data_over_every_scenario_with_the_status_quo():
    scale = value_scale(TINY).as_json()
    # cost: catalogue 0..100; homes: no bounds, data 0..200 and boom's x1.5 of housing (300)
    assert scale["cost"] == {"low": 0.0, "high": 100.0, "status_quo": 0.0, "from": "catalogue"}
    assert scale["homes"] == {"low": 0.0, "high": 300.0, "status_quo": 0.0, "from": "data"}
    crit = [
        c.model_copy(update={"status_quo": 3.0, "min": None, "max": None}) if c.id == "acceptance" else c
        for c in TINY.criteria
    ]
    shifted = _replace(TINY, criteria=crit)
    assert value_scale(shifted).as_json()["acceptance"] == {
        "low": 2.0,
        "high": 5.0,
        "status_quo": 3.0,
        "from": "data",
    }
    lifted = [c.model_copy(update={"status_quo": 120.0}) if c.id == "cost" else c for c in TINY.criteria]
    assert value_scale(_replace(TINY, criteria=lifted)).as_json()["cost"]["high"] == 120.0


def test_a_scenario_scaling_flood_damage_for_every_measure_changes_the_values():
    """The trap of the rescaled score: min-max normalisation cancelled a factor applied to every
    measure. On the fixed scale it shows, in every measure that avoids flood damage."""
    case = load_case(LEV)
    crit = [c.id for c in case.criteria]
    j = crit.index("flood_damage_avoided_eur_m_yr")
    factor = Adjustment(criterion="flood_damage_avoided_eur_m_yr", multiply=1.5)
    case = _replace(
        case, scenarios=[Scenario(id="wet", title="Wet", effects=ScenarioEffects(adjust=[factor]))]
    )
    w = np.full(len(crit), 1.0 / len(crit))
    base, _ = measure_values(case, None, w)
    wet, _ = measure_values(case, "wet", w)
    x = np.array([m.performance[crit[j]] for m in case.measures])
    assert np.count_nonzero(x) >= 5
    np.testing.assert_allclose(wet - base, w[j] * 0.5 * x / value_scale(case).width[j], atol=1e-12)


def test_worked_example_of_docs_portfolio_md():
    """docs/portfolio.md, "Worked example": three measures, two criteria, computed by hand there."""
    crit = (
        Criterion(id="homes", name="Homes", direction="benefit", min=0, max=400),
        Criterion(id="co2", name="CO2", direction="benefit"),
    )
    measures = (
        Measure(id="a", name="A", resources={"cost": 30}, performance={"homes": 200, "co2": 0}),
        Measure(id="b", name="B", resources={"cost": 20}, performance={"homes": 0, "co2": 500}),
        Measure(id="c", name="C", resources={"cost": 10}, performance={"homes": 40, "co2": -250}),
    )
    case = _replace(TINY, measures=measures, criteria=crit, scenarios=[])
    case = case.model_copy(update={"interactions": ()})
    scale = value_scale(case).as_json()
    assert scale["co2"] == {"low": -250.0, "high": 500.0, "status_quo": 0.0, "from": "data"}
    values, _ = measure_values(case, None, np.array([0.6, 0.4]))
    # a: 0.6 * 200/400 = 0.3;  b: 0.4 * 500/750 = 0.2667;  c: 0.6 * 40/400 + 0.4 * (-250/750) = -0.0733
    np.testing.assert_allclose(values, [0.3, 0.4 * 500 / 750, 0.06 - 0.4 / 3], atol=1e-12)


def test_portfolio_json_says_the_value_kind_and_the_scale_and_what_it_delivers():
    case = load_case(CASES / "tiny")
    out = portfolio_summary(case, method="topsis", options={}, weights=None, weights_info={})
    assert out["value"] == "fixed" and set(out["value_scale"]) == set(CRIT)
    sel = set(out["selected"])
    for c in CRIT:
        col = {m.id: m.performance[c] for m in case.measures}
        chosen = [v for k, v in col.items() if k in sel]
        if c == "acceptance":  # a level with a status quo of 3: averaged
            assert out["delivers"][c]["aggregate"] == "mean"
            assert out["delivers"][c]["selected"] == pytest.approx(np.mean(chosen))
            assert out["delivers"][c]["all"] == pytest.approx(np.mean(list(col.values())))
        else:
            assert out["delivers"][c]["selected"] == pytest.approx(sum(chosen))
            assert out["delivers"][c]["all"] == pytest.approx(sum(col.values()))
    old = portfolio_summary(
        case, method="topsis", options={}, weights=None, weights_info={}, value="rescaled-score"
    )
    assert old["value"] == "rescaled-score" and "value_scale" not in old
    assert min(m["value"] for m in old["measures"]) >= 0


def test_the_cli_says_when_method_does_not_matter_and_uses_it_for_the_rescaled_score(invoke):
    fixed = invoke("portfolio", CASES / "tiny", "--method", "vikor", "--no-explain", "--format", "json")
    assert fixed.exit_code == 0
    assert fixed.stderr.splitlines()[-1] == (
        "note: --method only matters with --value rescaled-score; the value on fixed scales uses no ranking method"
    )
    out = json.loads(fixed.stdout)
    assert out["value"] == "fixed" and out["method"] is None
    old = invoke(
        "portfolio",
        CASES / "tiny",
        "--value",
        "rescaled-score",
        "--method",
        "vikor",
        "--no-explain",
        "--format",
        "json",
    )
    assert old.exit_code == 0 and "only matters" not in old.stderr
    out = json.loads(old.stdout)
    assert out["value"] == "rescaled-score" and out["method"] == "vikor"
    assert out["provenance"]["parameters"]["value"] == "rescaled-score"
