"""Need weighting and the equity rules of the portfolio (portfolio/equity.py).

The equity rules are checked on their definition, not on the model's rows: for each listed
district d with residents P_d, ``B_d / P_d >= X * V / sum P`` (benefit: the values of the selected
measures in d or below, against all selected) and ``C_d >= Y * P_d / sum P * C`` (budget), within
1e-9. Random problems use dyadic numbers (values, amounts, populations and thresholds), so that the
rules are exact in floating point and a solver's tolerance cannot hide a breach.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.portfolio import (
    InfeasiblePortfolio,
    PortfolioModel,
    PortfolioProblem,
    build_problem,
    explain,
    frontier_summary,
    measure_values,
    portfolio_summary,
    solve_portfolio,
    value_scale,
)
from lev2040_mcda.report.whatif import what_if_parameters

from .stadtcheck_fixtures import write_stadtcheck

TOL = 1e-9
TINY = Path(__file__).resolve().parent.parent / "cases" / "tiny"


def rules_hold(p: PortfolioProblem, selected) -> bool:
    """Both equity rules of ``p`` on their definition (ratios, not rows)."""
    chosen = sorted(set(selected))
    total_pop = sum(p.populations[d] for d in p.equity_members)
    v = np.asarray(p.values, dtype=float)
    V = float(v[chosen].sum()) if chosen else 0.0
    for d, members in p.equity_members.items():
        inside = [i for i in chosen if i in set(members)]
        if p.equity_min_benefit > 0:
            per = float(v[inside].sum()) / p.populations[d]
            if per < p.equity_min_benefit * V / total_pop - TOL * max(1.0, abs(V) / total_pop):
                return False
        for r, y in p.equity_min_budget.items():
            a = p.resources[r]
            C, C_d = float(a[chosen].sum()), float(a[inside].sum())
            if C_d < y * p.populations[d] / total_pop * C - TOL * max(1.0, C):
                return False
    return True


def feasible(p: PortfolioProblem, chosen: frozenset[int]) -> bool:
    if not (p.mandatory | p.include) <= chosen or p.exclude & chosen:
        return False
    if any(i in chosen and j not in chosen for i, j in p.requires):
        return False
    if any(i in chosen and j in chosen for i, j in p.excludes):
        return False
    for r, a in p.resources.items():
        if p.limits[r] is not None and sum(a[i] for i in chosen) > p.limits[r] + 1e-9:
            return False
    return rules_hold(p, chosen)


def exhaustive(p: PortfolioProblem) -> float | None:
    n = len(p.ids)
    best = None
    for mask in range(2**n):
        chosen = frozenset(i for i in range(n) if mask >> i & 1)
        if feasible(p, chosen):
            value = p.value(chosen)
            best = value if best is None else max(best, value)
    return best


@st.composite
def problems(draw) -> PortfolioProblem:
    """A small problem with 2-3 listed districts (some measures citywide), dyadic numbers."""
    n = draw(st.integers(2, 8))
    k = draw(st.integers(2, 3))
    values = np.array([draw(st.integers(-2, 16)) / 8 for _ in range(n)], dtype=float)
    cost = np.array([draw(st.integers(0, 8)) for _ in range(n)], dtype=float)
    home = [draw(st.integers(-1, k - 1)) for _ in range(n)]  # -1: citywide
    limit = float(draw(st.integers(0, int(cost.sum()) + 1)))
    p = PortfolioProblem(
        ids=[f"m{i}" for i in range(n)],
        names=[f"Measure {i}" for i in range(n)],
        values=values,
        resources={"cost": cost},
        limits={"cost": limit},
        requires=[],
        excludes=[],
        mandatory=set(draw(st.sets(st.integers(0, n - 1), max_size=1))),
        include=set(),
        exclude=set(),
        pairs=[],
        objective="random",
        units={"cost": "u"},
    )
    p.equity_members = {f"d{j}": [i for i in range(n) if home[i] == j] for j in range(k)}
    p.populations = {f"d{j}": float(draw(st.sampled_from([1, 2, 4, 8]))) for j in range(k)}
    p.equity_min_benefit = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    p.equity_min_budget = {"cost": draw(st.sampled_from([0.0, 0.25, 0.5]))}
    return p


@given(problems())
def test_every_portfolio_found_holds_the_equity_rules(p):
    best = exhaustive(p)
    try:
        model, sol = solve_portfolio(p, "highs", None)
    except InfeasiblePortfolio as exc:
        assert best is None
        free = dataclasses.replace(p, equity_min_benefit=0.0, equity_min_budget={})
        if exhaustive(free) is not None:  # only the equity rules stand in the way: they are named
            assert any(r.startswith("equity of district") for r in exc.reasons), exc.reasons
        return
    assert best is not None
    assert rules_hold(p, sol.selected)
    assert sol.objective == pytest.approx(best, abs=1e-7)
    # the explanations' re-optimisations (repair and fast model) keep the rules too
    out = explain(model, sol)
    for entry in out["selected"]:
        loss = entry["loss_if_removed"]
        if loss is not None and entry.get("exact", True):
            rest = [i for i in range(len(p.ids)) if p.ids[i] == entry["id"]]
            alt = PortfolioModel(p, "highs").solve(fix={rest[0]: 0})
            assert alt.ok and rules_hold(p, alt.selected)
            assert sol.objective - loss == pytest.approx(alt.objective, abs=1e-7)


def synthetic(tmp: Path, seed: int) -> Path:
    from lev2040_mcda.case.synthetic import write_synthetic_case

    root = write_synthetic_case(tmp / f"s{seed}", measures=12, criteria=3, districts=3, groups=1, seed=seed)
    cfg = yaml.safe_load((root / "case.yaml").read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    cfg["districts"] = [{"id": "city"}] + [
        {"id": d["id"], "name": d["name"], "parent": "city", "population": int(rng.integers(1000, 9000))}
        for d in cfg["districts"]
    ]
    (root / "case.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return root


@settings(max_examples=8)
@given(seed=st.integers(0, 10_000), x=st.sampled_from([0.2, 0.5, 0.8]), y=st.sampled_from([0.0, 0.3, 0.6]))
def test_synthetic_cases_portfolio_and_frontier_hold_the_rules(tmp_path_factory, seed, x, y):
    case = load_case(synthetic(tmp_path_factory.mktemp("eq"), seed))
    rules = {"min_benefit_per_resident": x, "min_budget_share": {"cost": y}}
    common = {"method": "topsis", "options": {}, "weights": None, "weights_info": {}, "solver": "highs"}
    values, text = measure_values(case, None, None)
    p = build_problem(case, values, text, **rules)
    assert set(p.equity_members) == {"d1", "d2", "d3"}  # the root's parts
    r = portfolio_summary(case, **common, **rules, tiers=4)  # no mandatory measure: never infeasible
    index = {mid: i for i, mid in enumerate(p.ids)}
    assert r["equity"]["holds"] and rules_hold(p, [index[m] for m in r["selected"]])
    f = frontier_summary(case, resource="cost", steps=4, **common, **rules)
    for point in f["points"]:
        if point["status"] in ("optimal", "feasible"):
            assert rules_hold(p, [index[m] for m in point["selected"]])


# -- the CLI ------------------------------------------------------------------------------------


def test_equity_rule_that_cannot_hold_exits_3_naming_it(invoke):
    # hub (sued) is mandatory; with nord's measures excluded nord gets nothing, so no benefit
    # per resident rule above 0 can hold
    args = ["--exclude", "solar", "--exclude", "housing", "--exclude", "tram", "--no-explain"]
    r = invoke("portfolio", TINY, "--min-benefit-per-resident", "0.1", *args)
    assert r.exit_code == 3, r.output
    assert "equity of district nord: benefit per resident at least 0.1" in r.stderr
    j = invoke("portfolio", TINY, "--min-benefit-per-resident", "0.1", *args, "--format", "json")
    assert j.exit_code == 3
    assert any("equity of district nord" in line for line in json.loads(j.stdout)["reasons"])


def test_need_weighting_without_stadtcheck_is_bad_input(invoke):
    r = invoke("portfolio", TINY, "--need-weighting")
    assert r.exit_code == 2
    assert "--need-weighting: need weighting needs the case's Stadtcheck" in r.stderr


def test_listed_district_without_population_is_bad_input(invoke, tiny):
    cfg = yaml.safe_load((tiny / "case.yaml").read_text(encoding="utf-8"))
    del cfg["districts"][2]["population"]
    (tiny / "case.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    r = invoke("portfolio", tiny, "--min-budget-share", "0.5")
    assert r.exit_code == 2
    assert "district(s) sued have no population" in r.stderr


def test_bad_budget_share_options(invoke):
    assert "unknown resource 'foo'" in invoke("portfolio", TINY, "--min-budget-share", "foo=0.5").stderr
    assert "between 0 and 1" in invoke("portfolio", TINY, "--min-budget-share", "cost=2").stderr


@pytest.fixture
def with_stadtcheck(tmp_path) -> Path:
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    write_stadtcheck(root)
    return root


def test_need_weighting_scales_values_by_exactly_the_factors(with_stadtcheck):
    case = load_case(with_stadtcheck)
    w = np.array([0.1, 0.4, 0.3, 0.2])
    scale = value_scale(case)
    partial = scale.partial(case, None)
    # the fixture's need: nord (the measures solar, housing, tram) above the city on klima and
    # wohnen, sued below; the cost criterion's goal finanzen has no indicator (factor 1)
    nord = {"solar", "housing", "tram"}
    from lev2040_mcda.stadtcheck import need_factors

    F = need_factors(case)
    for i, m in enumerate(case.measures):
        assert F[i, 0] == 1.0
        assert (F[i, 1:] > 1).all() if m.id in nord else (F[i, 1:] < 1).all()
    plain, _ = measure_values(case, None, w)
    needy, text = measure_values(case, None, w, need_weighting=True)
    assert np.array_equal(plain, partial @ (w / w.sum()))
    assert np.allclose(needy, (partial * F) @ (w / w.sum()), rtol=0, atol=1e-15)
    assert "need of the measure's district" in text
    # one value by hand: solar's partial values times its factors, weighted
    i = [m.id for m in case.measures].index("solar")
    by_hand = sum(w[j] / w.sum() * partial[i, j] * F[i, j] for j in range(4))
    assert needy[i] == pytest.approx(by_hand, abs=1e-15)
    # a criterion column is scaled too; a rescaled score refuses
    col, _ = measure_values(case, None, None, column="co2", need_weighting=True)
    assert np.allclose(col, np.array([m.performance["co2"] for m in case.measures]) * F[:, 1])
    from lev2040_mcda.errors import InputError

    with pytest.raises(InputError, match="fixed scales"):
        measure_values(case, None, w, value="rescaled-score", method="topsis", need_weighting=True)


def test_off_by_default_gives_the_same_result(invoke, with_stadtcheck):
    """A Stadtcheck without need weighting or equity changes nothing: the same table bytes as the
    case without one (but for the table of how the package spreads over the districts, which only a
    Stadtcheck can tell), and the same JSON but for the input files' hashes and that spread."""
    a = invoke("portfolio", TINY)
    b = invoke("portfolio", with_stadtcheck)
    off = invoke("portfolio", with_stadtcheck, "--no-need-weighting")
    assert a.exit_code == b.exit_code == off.exit_code == 0
    assert b.stdout == off.stdout and "Spread over the districts" in b.stdout
    head, _, tail = b.stdout.partition("\nSpread over the districts")
    assert a.stdout == head + tail[tail.index("\n\n") + 1 :]
    ja = json.loads(invoke("portfolio", TINY, "--format", "json").stdout)
    jb = json.loads(invoke("portfolio", with_stadtcheck, "--format", "json").stdout)
    for j in (ja, jb):
        j["provenance"].pop("inputs")
        j["provenance"]["parameters"].pop("case")
        j["provenance"].pop("created", None)
    assert "equity" not in ja and "need_weighting" not in ja
    assert sorted(jb.pop("spread")["selected"]) == sorted(ja["selected"])
    assert {k: v for k, v in ja.items() if k != "provenance"} == {
        k: v for k, v in jb.items() if k != "provenance"
    }
    assert "need_weighting" not in ja["provenance"]["parameters"]


def test_cli_end_to_end_and_saved_run_rerun(invoke, with_stadtcheck):
    args = ["--need-weighting", "--min-benefit-per-resident", "0.5"]
    r = invoke("portfolio", with_stadtcheck, *args, "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["need_weighting"] is True and out["equity"]["holds"]
    assert out["provenance"]["parameters"]["need_weighting"] is True
    assert out["provenance"]["parameters"]["min_benefit_per_resident"] == 0.5
    table = invoke("portfolio", with_stadtcheck, *args, "--min-budget-share", "cost=0.25")
    assert table.exit_code == 0 and "Equity per resident" in table.stdout
    assert "Values weighted by the need" in table.stdout
    fr = invoke("frontier", with_stadtcheck, *args, "--steps", "3", "--format", "json")
    assert fr.exit_code == 0, fr.output
    saved = invoke("portfolio", with_stadtcheck, *args, "--min-budget-share", "0.25", "--save", "fair")
    assert saved.exit_code == 0, saved.output
    rerun = invoke("runs", "rerun", with_stadtcheck, "fair")
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout == saved.stdout
    shown = invoke("runs", "show", with_stadtcheck, "fair", "--format", "json")
    params = json.loads(shown.stdout)["provenance"]["parameters"]
    assert params["min_budget_share"] == ["0.25"] and params["need_weighting"] is True


def test_case_yaml_equity_and_need_weighting(invoke, with_stadtcheck):
    cfg = yaml.safe_load((with_stadtcheck / "case.yaml").read_text(encoding="utf-8"))
    cfg["portfolio"] = {
        "need_weighting": True,
        "equity": {"districts": ["nord", "sued"], "min_benefit_per_resident": 0.5},
    }
    (with_stadtcheck / "case.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    on = json.loads(invoke("portfolio", with_stadtcheck, "--format", "json").stdout)
    assert on["need_weighting"] is True and on["equity"]["min_benefit_per_resident"] == 0.5
    off = json.loads(
        invoke(
            "portfolio",
            with_stadtcheck,
            "--no-need-weighting",
            "--min-benefit-per-resident",
            "0",
            "--format",
            "json",
        ).stdout
    )
    assert "need_weighting" not in off and "equity" not in off


def test_resolver_refreshes_the_benefit_rows():
    """The robust stage re-solves one model with sampled values: the benefit rows follow them."""
    from lev2040_mcda.robust.resolver import _Resolver

    case = load_case(TINY)
    values, text = measure_values(case, None, None)
    p = build_problem(case, values, text, min_benefit_per_resident=0.6)
    resolver = _Resolver(PortfolioModel(p, "highs"))
    rng = np.random.default_rng(1)
    for _ in range(5):
        v = values * rng.uniform(0.2, 2.0, len(values))
        q = build_problem(case, v, text, min_benefit_per_resident=0.6)
        fresh = PortfolioModel(q, "highs").solve()
        got = resolver.solve(v)
        if not fresh.ok:
            assert got is None
            continue
        assert got is not None and rules_hold(q, got)
        assert q.value(got) == pytest.approx(fresh.objective, abs=1e-7)


def test_what_if_parameters_carry_need_and_equity():
    assert what_if_parameters() == ({}, {})
    _, constraints = what_if_parameters(
        need_weighting=True, min_benefit_per_resident=0.5, min_budget_share={"cost": 0.25}
    )
    assert constraints == {
        "need_weighting": True,
        "min_benefit_per_resident": 0.5,
        "min_budget_share": {"cost": 0.25},
    }


# -- the review's fixes: defaulted districts, a bare '=', the diagnosis's time limit ---------------


def _with_portfolio(tiny: Path, portfolio: dict) -> Path:
    cfg = yaml.safe_load((tiny / "case.yaml").read_text(encoding="utf-8"))
    cfg["portfolio"] = portfolio
    (tiny / "case.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return tiny


@pytest.mark.parametrize(
    "portfolio, members",
    [
        ({"equity": {"min_benefit_per_resident": 0.5}}, {"nord", "sued"}),  # the root's parts
        ({"equity": {"min_benefit_per_resident": 0.5}, "balance": {"districts": ["nord"]}}, {"nord"}),
        ({"equity": {"min_benefit_per_resident": 0.5, "districts": ["sued"]}}, {"sued"}),
    ],
)
def test_equity_districts_default_to_balance_then_the_roots_parts(tiny, portfolio, members):
    case = load_case(_with_portfolio(tiny, portfolio))
    assert case.config.portfolio.equity.districts == portfolio["equity"].get("districts")
    values, text = measure_values(case, None, None)
    p = build_problem(case, values, text)
    assert set(p.equity_members) == members
    assert p.populations == {d: {"nord": 12000.0, "sued": 8000.0}[d] for d in members}


def test_empty_equity_districts_are_still_refused(invoke, tiny):
    _with_portfolio(tiny, {"equity": {"districts": []}})
    r = invoke("validate", tiny)
    assert r.exit_code == 2 and "portfolio.equity.districts" in r.stderr


def test_a_budget_share_naming_no_resource(invoke):
    r = invoke("portfolio", TINY, "--min-budget-share", "=0.5")
    assert r.exit_code == 2
    assert "'=0.5' names no resource before '='" in r.stderr
    assert "has no resources" not in r.stderr
    # a bare share is the case's first resource
    ok = invoke("portfolio", TINY, "--min-budget-share", "0.25", "--format", "json", "--no-explain")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["equity"]["min_budget_share"] == {"cost": 0.25}


def test_the_diagnosis_solves_within_the_runs_time_limit(monkeypatch):
    """The solve that asks whether the equity rules alone stand in the way gets the run's limit."""
    from lev2040_mcda.portfolio import diagnose, explanations

    case = load_case(TINY)
    values, text = measure_values(case, None, None)
    p = build_problem(case, values, text, exclude=("solar", "housing", "tram"), min_benefit_per_resident=0.1)
    seen = []

    class Recording(PortfolioModel):
        def __init__(self, problem, solver="cbc", time_limit=None):
            seen.append(time_limit)
            super().__init__(problem, solver, time_limit)

    monkeypatch.setattr(explanations, "PortfolioModel", Recording)
    reasons = diagnose(p, time_limit=7.5)
    assert seen == [7.5]
    assert any("equity of district nord" in line for line in reasons)
    assert diagnose(p) == reasons and seen == [7.5, None]  # no limit given: none set
