"""The budget's risk under uncertain estimates (:func:`lev2040_mcda.portfolio.budget_risk`) against
closed forms, and the robust budget (Bertsimas-Sim reserve, :func:`robust_budget`): its model
against exhaustive search, its explanations and tiers against full re-solves, its least gamma, and
``lev2040 portfolio --budget-confidence`` end to end."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case.estimates import Estimate, Uncertainty
from lev2040_mcda.cli.portfolio import portfolio_table
from lev2040_mcda.portfolio import (
    BudgetUnreachable,
    FastModel,
    PortfolioModel,
    PortfolioProblem,
    Protection,
    budget_risk,
    explain,
    frontier_points,
    portfolio_summary,
    protection,
    robust_budget,
)
from lev2040_mcda.portfolio.repair import Rules

TOL = 1e-6
TINY = Path(__file__).resolve().parent.parent / "cases" / "tiny"


# -- cases made by hand ---------------------------------------------------------------------------


def write_case(
    root: Path, costs: dict[str, float], limit: float, gains: dict[str, float] | None = None
) -> Path:
    """A case of measures with one criterion (gain) and one limited resource (cost)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "case.yaml").write_text(
        "name: budget\ncriteria: criteria.yaml\nresources:\n"
        f"  cost: {{name: Cost, unit: EUR m, limit: {limit}}}\n",
        encoding="utf-8",
    )
    (root / "criteria.yaml").write_text(
        "criteria:\n  - {id: gain, name: Gain, unit: pts, direction: benefit, min: 0, max: 100}\n",
        encoding="utf-8",
    )
    gains = gains or dict.fromkeys(costs, 1.0)
    rows = "".join(f"{m},{m.upper()},{gains[m]},{c}\n" for m, c in costs.items())
    (root / "measures.csv").write_text("id,name,gain,cost\n" + rows, encoding="utf-8")
    return root


def with_ranges(case, *estimates: Estimate):
    return case.model_copy(update={"uncertainty": Uncertainty(tuple(estimates), "uncertainty.csv")})


def est(measure, value, low, high, dist="uniform", group=None, column="cost"):
    return Estimate(measure, column, float(value), float(low), float(high), dist, group)


@pytest.fixture
def two_uniform(tmp_path):
    """Two costs, each uniform on [0, 1] (nominal 0.5); the limit set per test."""

    def make(limit: float, group: str | None = None):
        case = load_case(write_case(tmp_path / f"u{limit}{group}", {"a": 0.5, "b": 0.5}, limit))
        return with_ranges(case, est("a", 0.5, 0, 1, group=group), est("b", 0.5, 0, 1, group=group))

    return make


# -- budget_risk against closed forms ---------------------------------------------------------


@pytest.mark.parametrize("limit", [0.5, 1.0, 1.5])
def test_two_uniform_costs_hold_the_limit_with_the_closed_form_probability(two_uniform, limit):
    """U(0,1) + U(0,1) <= L has probability L^2 / 2 for L <= 1 and 1 - (2 - L)^2 / 2 above."""
    risk = budget_risk(two_uniform(limit), [0, 1], samples=40_000, seed=7)["cost"]
    truth = limit**2 / 2 if limit <= 1 else 1 - (2 - limit) ** 2 / 2
    assert risk["probability_within"] == pytest.approx(truth, abs=0.01)  # about 4 standard errors
    assert risk["mean"] == pytest.approx(1.0, abs=0.01)
    assert risk["nominal"] == 1.0 and risk["limit"] == limit and risk["uncertain"] == 2
    assert (risk["samples"], risk["seed"], risk["unit"]) == (40_000, 7, "EUR m")


def test_comonotone_group_sums_the_quantiles(two_uniform):
    """Two costs of one group move together: the sum is 2U, so its p90 is 2 * 0.9 = 1.8 (the sum
    of the two p90s); independent, the p90 of U + U is 2 - sqrt(0.2)."""
    grouped = budget_risk(two_uniform(1.0, "contractor"), [0, 1], samples=40_000)["cost"]
    single = budget_risk(two_uniform(1.0, "contractor"), [0], samples=40_000)["cost"]
    alone = budget_risk(two_uniform(1.0), [0, 1], samples=40_000)["cost"]
    assert grouped["p90"] == pytest.approx(1.8, abs=0.01)
    assert grouped["p90"] == pytest.approx(2 * single["p90"], abs=0.01)
    assert grouped["p50"] == pytest.approx(1.0, abs=0.01)
    assert grouped["probability_within"] == pytest.approx(0.5, abs=0.01)
    assert alone["p90"] == pytest.approx(2 - math.sqrt(0.2), abs=0.01)


def test_ranges_wholly_within_or_beyond_the_limit_give_one_or_zero(tmp_path):
    case = load_case(write_case(tmp_path / "c", {"a": 3.0, "b": 4.0, "c": 2.0}, 10))
    ranges = with_ranges(case, est("a", 3, 2, 4, "triangular"), est("b", 4, 3, 5, "pert"), est("c", 2, 1, 3))
    assert budget_risk(ranges, [0, 1])["cost"]["probability_within"] == 1.0  # at most 9
    assert budget_risk(ranges, [0, 1], limits={"cost": 4.9})["cost"]["probability_within"] == 0.0  # >= 5
    # the exact amount of c (no range) is added as it is: a + c at most 4 + 3 ...
    assert budget_risk(ranges, [0, 2], limits={"cost": 7.0})["cost"]["probability_within"] == 1.0
    # ... and exactly at the limit counts as within
    exact = with_ranges(case, est("a", 3, 2, 4))
    assert budget_risk(exact, [0, 1], limits={"cost": 7.0})["cost"]["probability_within"] == pytest.approx(
        0.5, abs=0.02
    )
    assert budget_risk(exact, [1, 2], limits={"cost": 6.0}) == {}  # no range on the selection


def test_triangular_and_pert_means(tmp_path):
    """Triangular mean (low + mode + high) / 3, PERT mean (low + 4 mode + high) / 6, plus the
    exact amounts."""
    case = load_case(write_case(tmp_path / "c", {"a": 2.0, "b": 2.0, "c": 5.0}, 100))
    ranges = with_ranges(case, est("a", 2, 1, 6, "triangular"), est("b", 2, 1, 9, "pert"))
    risk = budget_risk(ranges, [0, 1, 2], samples=40_000)["cost"]
    assert risk["mean"] == pytest.approx(3 + (1 + 8 + 9) / 6 + 5, abs=0.03)
    assert risk["nominal"] == 9.0
    assert risk["p50"] <= risk["p90"] <= risk["p95"]


def test_seed_gives_the_same_draws(two_uniform):
    case = two_uniform(1.0)
    assert budget_risk(case, [0, 1], seed=3) == budget_risk(case, [0, 1], seed=3)
    assert (
        budget_risk(case, [0, 1], seed=3)["cost"]["p90"] != budget_risk(case, [0, 1], seed=4)["cost"]["p90"]
    )


def test_no_ranges_no_risk():
    tiny = load_case(TINY)
    assert budget_risk(tiny, [0, 1, 5]) == {}
    # a range on a resource without a limit says nothing about a budget
    land = with_ranges(tiny, est("solar", 0.5, 0.1, 1.0, column="land"))
    assert budget_risk(land, [0], limits={"land": None}) == {}


def test_scenario_scales_the_range_and_the_limit():
    """In tiny's ``boom`` every cost is 1.2 times higher, the range with it; ``austerity`` halves
    the limit."""
    tiny = with_ranges(load_case(TINY), est("solar", 20, 10, 30), est("hub", 15, 15, 15))
    boom = budget_risk(tiny, [0, 5], scenario="boom", samples=20_000)["cost"]
    assert boom["nominal"] == pytest.approx(1.2 * 35)
    assert boom["mean"] == pytest.approx(1.2 * 35, abs=0.2)
    assert boom["uncertain"] == 1
    cut = budget_risk(tiny, [0, 1, 5], scenario="austerity", samples=20_000)["cost"]
    assert cut["limit"] == 50.0
    assert cut["probability_within"] == pytest.approx(15 / 20, abs=0.015)  # 10 + 15 + U(10, 30) <= 50


# -- the reserve in the model -----------------------------------------------------------------


def knapsack(seed: int, n: int, gamma: float) -> PortfolioProblem:
    """A random knapsack over two resources with a dependency, an exclusion and signed pairs, the
    first resource protected by ``gamma``."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 20, n).astype(float)
    resources = {r: rng.integers(1, 10, n).astype(float) for r in ("cost", "land")}
    limits = {r: float(a.sum() * 0.5) for r, a in resources.items()}
    dev = np.where(rng.random(n) < 0.7, rng.integers(0, 6, n), 0).astype(float)
    idx = rng.permutation(n)
    pairs, weights = [], []
    for _ in range(n // 3):
        i, j = (int(v) for v in rng.choice(n, 2, replace=False))
        w = float(rng.choice([-0.5, 0.5]))
        pairs.append((i, j, w * (values[i] + values[j]) / 2))
        weights.append(w)
    return PortfolioProblem(
        ids=[f"m{i}" for i in range(n)],
        names=[f"m{i}" for i in range(n)],
        values=values,
        resources=resources,
        limits=limits,
        requires=[(int(idx[0]), int(idx[1]))],
        excludes=[(int(idx[2]), int(idx[3]))],
        mandatory=set(),
        include=set(),
        exclude=set(),
        pairs=pairs,
        pair_weights=weights,
        objective="random",
        units=dict.fromkeys(resources),
        protect={"cost": Protection(dev, gamma)} if gamma else {},
    )


def brute_force(p: PortfolioProblem) -> float | None:
    """The best value over every subset that keeps every rule, the reserve included."""
    best = None
    g = p.protect.get("cost")
    for bits in itertools.product([0, 1], repeat=len(p.ids)):
        sel = [i for i, b in enumerate(bits) if b]
        if any(i in sel and j not in sel for i, j in p.requires) or any(
            i in sel and j in sel for i, j in p.excludes
        ):
            continue
        reserve = protection(g.deviation[sel], g.gamma) if g is not None else 0.0
        if p.resources["cost"][sel].sum() + reserve > p.limits["cost"] + 1e-9:
            continue
        if p.resources["land"][sel].sum() > p.limits["land"] + 1e-9:
            continue
        v = p.value(sel)
        best = v if best is None or v > best else best
    return best


def test_protection_is_the_largest_overruns():
    d = np.array([4.0, 1.0, 3.0, 2.0])
    assert [protection(d, g) for g in (0, 1, 2, 2.5, 4, 9)] == [0.0, 4.0, 7.0, 8.0, 10.0, 10.0]


@settings(deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 8), st.sampled_from([1, 2, 1.5, 3]))
def test_robust_model_finds_the_optimum_of_exhaustive_search(seed, n, gamma):
    p = knapsack(seed, n, gamma)
    sol = PortfolioModel(p, "cbc").solve()
    truth = brute_force(p)
    assert sol.objective == pytest.approx(truth, abs=TOL)
    assert (
        p.resources["cost"][sol.selected].sum() + p.reserve(sol.selected, "cost") <= p.limits["cost"] + 1e-6
    )


def test_gamma_zero_is_the_nominal_model():
    p = knapsack(5, 8, 0)
    q = knapsack(5, 8, 0)
    q.protect = {"cost": Protection(np.full(8, 3.0), 0.0)}
    assert PortfolioModel(q, "cbc").solve().selected == PortfolioModel(p, "cbc").solve().selected


@settings(deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 9), st.floats(0, 4), st.data())
def test_rules_adds_is_the_growth_of_the_use(seed, n, gamma, data):
    """What the repair's rules say adding a measure takes equals the use with it less without."""
    p = knapsack(seed, n, gamma or 1.0)
    rules = Rules(PortfolioModel(p, "cbc"))
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    adds = rules.adds(mask, "cost")
    for i in np.flatnonzero(~mask):
        bigger = mask.copy()
        bigger[i] = True
        assert adds[i] == pytest.approx(rules.used(bigger, "cost") - rules.used(mask, "cost"), abs=1e-12)


def check(fast: dict, exact: dict, key: str, span: str) -> None:
    truth = exact[key]
    if fast.get("exact", True):
        assert fast[key] == (None if truth is None else pytest.approx(truth, abs=TOL))
        return
    lo, hi = fast[span]
    if truth is None:
        assert hi is None
    else:
        assert lo is not None and lo <= truth + TOL and (hi is None or truth <= hi + TOL)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 9), st.sampled_from([1, 2, 1.5]), st.sampled_from([0, 200]))
def test_explanations_under_a_reserve_equal_full_re_solves(seed, n, gamma, nodes):
    """The in-process explanations (repair + LP bound + small MIP) keep the reserve: wherever they
    say exact they equal a full re-solve of the model with the reserve rows."""
    p = knapsack(seed, n, gamma)
    model = PortfolioModel(p, "cbc")
    best = model.solve()
    fast = explain(model, best, fast=FastModel(model, nodes=nodes))
    slow = explain(model, best, exact=True)
    for f, e in zip(fast["selected"], slow["selected"]):
        check(f, e, "loss_if_removed", "loss_interval")
    for f, e in zip(fast["not_selected"], slow["not_selected"]):
        check(f, e, "opportunity_cost", "cost_interval")
    for r, truth in slow["marginal_value"].items():
        if r not in fast.get("marginal_interval", {}):
            assert fast["marginal_value"][r] == pytest.approx(truth, abs=TOL)


def test_small_problems_under_a_reserve_are_settled_exactly():
    for seed in range(4):
        model = PortfolioModel(knapsack(seed, 8, 2), "cbc")
        ex = explain(model, model.solve())
        assert not any(e.get("exact") is False for e in ex["selected"] + ex["not_selected"])


def test_frontier_steps_under_a_reserve_equal_pulp_solves():
    model = PortfolioModel(knapsack(11, 9, 2), "cbc")
    fast = frontier_points(model, "cost", 6, fast=FastModel(model))
    slow = frontier_points(model, "cost", 6)
    assert [pt["objective"] for pt in fast] == pytest.approx([pt["objective"] for pt in slow], abs=TOL)


# -- the robust budget ------------------------------------------------------------------------


SKEWED = {"a": 30.0, "b": 25.0, "c": 20.0, "d": 15.0, "e": 10.0}
GAINS = {"a": 60.0, "b": 45.0, "c": 40.0, "d": 30.0, "e": 12.0}


@pytest.fixture
def skewed(tmp_path):
    """Five measures whose costs may overrun by up to 60 % (triangular, nominal the mode), limit
    75: the nominal optimum a + b + c uses all of it."""
    case = load_case(write_case(tmp_path / "skewed", SKEWED, 75, GAINS))
    return with_ranges(case, *(est(m, c, 0.9 * c, 1.6 * c, "triangular") for m, c in SKEWED.items()))


def summary(case, **kw):
    args = {"method": "topsis", "options": {}, "weights": None, "weights_info": {}}
    return portfolio_summary(case, **args, value="column", objective="gain", **kw)


def test_robust_budget_reaches_the_confidence_with_the_least_gamma(skewed):
    nominal = summary(skewed, tiers=0, explanations=False)
    assert nominal["selected"] == ["a", "b", "c"]
    assert nominal["budget_risk"]["cost"]["probability_within"] < 0.5
    robust = summary(skewed, tiers=3, budget_confidence=0.9)
    [rb] = robust["robust_budget"]
    risk = robust["budget_risk"]["cost"]
    assert rb["resource"] == "cost" and rb["confidence"] == 0.9 and rb["uncertain"] == 5
    assert rb["achieved"] == risk["probability_within"] >= 0.9  # the same draws as budget_risk
    assert rb["value_cost"] == pytest.approx(nominal["objective"] - robust["objective"])
    assert rb["value_cost"] > 0
    used = robust["resources"]["cost"]["used"]
    assert used == rb["used"] and used + rb["reserve"] <= 75 + 1e-6
    # an eighth less gamma (the bisection's last step): its optimal portfolio falls short
    assert rb["gamma"] == 1.125  # the least in eighths: a + b (0.95); gamma 1 keeps b + c + d (0.81)
    problem = _problem(skewed)
    dev = np.array([0.6 * c for c in SKEWED.values()])
    problem.protect = {"cost": Protection(dev, rb["gamma"] - 0.125)}
    below = PortfolioModel(problem, "cbc").solve()
    assert budget_risk(skewed, below.selected)["cost"]["probability_within"] < 0.9


def _problem(case):
    from lev2040_mcda.portfolio import build_problem, measure_values

    values, described = measure_values(case, None, None, column="gain")
    return build_problem(case, values, described)


def test_a_confidence_the_nominal_portfolio_reaches_keeps_it(skewed):
    nominal = summary(skewed, tiers=0, explanations=False)
    low = summary(skewed, tiers=0, explanations=False, budget_confidence=0.01)
    assert low["selected"] == nominal["selected"]
    [rb] = low["robust_budget"]
    assert rb["gamma"] == 0 and rb["reserve"] == 0.0 and rb["value_cost"] == 0.0
    assert "robust budget cost: held with probability" in portfolio_table(low)
    assert ">= 0.01 without a reserve (gamma = 0)" in portfolio_table(low)


def test_two_protected_limits_each_reach_the_confidence():
    """tiny with uncertain costs and land: each limit holds with probability >= P on its own."""
    tiny = with_ranges(
        load_case(TINY),
        est("solar", 20, 18, 34, "triangular"),
        est("tram", 60, 55, 90, "pert", group="works"),
        est("infill", 40, 36, 64, "triangular", group="works"),
        est("park", 1, 0.8, 2.5, "triangular", column="land"),
        est("tram", 2, 1.5, 4, "uniform", column="land"),
    )
    args = {"method": "topsis", "options": {}, "weights": None, "weights_info": {}}
    lim = {"cost": 120, "land": 3.5}  # the nominal portfolio holds them with 0.84 and 0.08
    out = portfolio_summary(
        tiny, **args, value="column", objective="co2", tiers=2, limits=lim, budget_confidence=0.9
    )
    entries = {b["resource"]: b for b in out["robust_budget"]}
    assert set(entries) == {"cost", "land"}
    assert entries["cost"]["gamma"] > 0 and entries["land"]["gamma"] > 0
    for r, b in entries.items():
        # a limit on which no selected measure has a range is not in budget_risk: it holds surely
        risk = out["budget_risk"].get(r, {"probability_within": 1.0})
        assert b["achieved"] == risk["probability_within"] >= 0.9
        assert b["used"] + b["reserve"] <= b["nominal_limit"] + 1e-6
        assert b["value_cost"] == entries["cost"]["value_cost"]  # one portfolio, one value given up


def test_robust_explanations_and_tiers_keep_the_reserve(skewed):
    robust = summary(skewed, tiers=4, budget_confidence=0.95)
    [rb] = robust["robust_budget"]
    assert all(isinstance(m["tier"], int) for m in robust["measures"])
    # a left-out measure forced in: the value the explanation gives is that of a re-solve with the
    # same reserve
    problem = _problem(skewed)
    problem.protect = {"cost": Protection(np.array([0.6 * c for c in SKEWED.values()]), rb["gamma"])}
    model = PortfolioModel(problem, "cbc")
    best = model.solve()
    assert sorted(problem.ids[i] for i in best.selected) == robust["selected"]
    for entry in robust["explanations"]["not_selected"]:
        i = problem.ids.index(entry["id"])
        forced = model.solve(fix={i: 1})
        truth = None if not forced.ok else best.objective - forced.objective
        assert entry["opportunity_cost"] == (None if truth is None else pytest.approx(truth, abs=TOL))


def test_unreachable_confidence_names_the_best_probability(tmp_path):
    """A mandatory measure whose cost is normal with its 95 % quantile at the limit: no reserve
    holds the limit with probability 0.99."""
    root = write_case(tmp_path / "n", {"a": 10.0, "b": 5.0}, 20)
    text = (root / "measures.csv").read_text(encoding="utf-8")
    (root / "measures.csv").write_text(
        text.replace("gain,cost", "gain,cost,mandatory")
        .replace("1.0,10.0", "1.0,10.0,true")
        .replace("1.0,5.0", "1.0,5.0,false"),
        encoding="utf-8",
    )
    case = with_ranges(load_case(root), est("a", 10, 5, 20, "normal"))
    with pytest.raises(BudgetUnreachable) as err:
        summary(case, tiers=0, explanations=False, budget_confidence=0.99)
    assert err.value.exit_code == 2
    message = str(err.value)
    assert float(message.rsplit(" ", 1)[1]) == pytest.approx(0.95, abs=0.01)  # P(X <= its 95 % quantile)
    assert "reserve for every measure with a range on cost overrunning at once (gamma = 1)" in message
    assert err.value.reasons == [message]


def test_budget_confidence_needs_a_range_on_a_limited_resource():
    from lev2040_mcda.errors import InputError

    args = {"method": "topsis", "options": {}, "weights": None, "weights_info": {}}
    with pytest.raises(InputError, match="no limited resource has a range"):
        portfolio_summary(load_case(TINY), **args, value="column", objective="co2", budget_confidence=0.9)


def test_robust_budget_checks_the_confidence(skewed):
    problem = _problem(skewed)
    best = PortfolioModel(problem, "cbc").solve()
    from lev2040_mcda.errors import InputError

    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(InputError, match="not a probability"):
            robust_budget(skewed, problem, best, bad)


def test_table_lines_of_budget_risk_and_robust_budget(skewed):
    text = portfolio_table(summary(skewed, tiers=0, budget_confidence=0.9))
    assert "Budget risk (10000 draws of the uncertain estimates, seed 2040)" in text
    assert "  cost: within 75 EUR m with probability 0.9" in text
    assert "robust budget cost: held with probability" in text and ">= 0.9" in text


# -- the command ------------------------------------------------------------------------------


UNCERTAINTY = "measure,criterion,low,high,distribution\n" + "".join(
    f"{m},cost,{0.9 * c:g},{1.6 * c:g},triangular\n" for m, c in SKEWED.items()
)


@pytest.fixture
def skewed_dir(tmp_path):
    """The skewed case as a folder with its uncertainty.csv."""
    root = write_case(tmp_path / "skewed_dir", SKEWED, 75, GAINS)
    (root / "uncertainty.csv").write_text(UNCERTAINTY, encoding="utf-8")
    assert len(load_case(root).uncertainty.estimates) == len(SKEWED)
    return root


def test_cli_budget_confidence_json(skewed_dir, invoke):
    result = invoke(
        "portfolio", skewed_dir, "--objective", "gain", "--budget-confidence", "0.9", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    [rb] = out["robust_budget"]
    assert set(rb) >= {
        "confidence",
        "resource",
        "gamma",
        "achieved",
        "samples",
        "seed",
        "nominal_limit",
        "value_cost",
    }
    assert rb["achieved"] >= 0.9 and rb["nominal_limit"] == 75.0 and rb["seed"] == 2040
    assert set(out["budget_risk"]["cost"]) >= {
        "limit",
        "nominal",
        "probability_within",
        "mean",
        "p50",
        "p90",
        "p95",
    }
    assert out["provenance"]["parameters"]["budget_confidence"] == 0.9


def test_cli_budget_risk_without_the_option(skewed_dir, invoke):
    result = invoke("portfolio", skewed_dir, "--objective", "gain")
    assert result.exit_code == 0, result.stderr
    assert "cost: within 75 EUR m with probability" in result.stdout
    assert "robust budget" not in result.stdout


@pytest.mark.parametrize("bad", ["0", "1", "1.5", "-0.2", "much"])
def test_cli_bad_confidence_is_a_usage_error(skewed_dir, invoke, bad):
    result = invoke("portfolio", skewed_dir, "--objective", "gain", "--budget-confidence", bad)
    assert result.exit_code == 2
    assert "--budget-confidence" in result.stderr and "Traceback" not in result.stderr


def test_cli_unreachable_and_rangeless_exit_2_with_one_line(tmp_path, invoke):
    result = invoke("portfolio", TINY, "--objective", "co2", "--budget-confidence", "0.9")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "no limited resource has a range in uncertainty.csv: there is no overrun to protect against"
    )
    assert "Traceback" not in result.stderr


def test_cli_unreachable_confidence_exits_2_with_the_reason(tmp_path, invoke):
    """A mandatory measure with a normal cost (its 95 % quantile at its high end): 0.99 cannot be
    reached; --format json still prints the status and the reason, stderr the one line."""
    root = write_case(tmp_path / "n", {"a": 10.0, "b": 5.0}, 20)
    (root / "measures.csv").write_text(
        "id,name,gain,cost,mandatory\na,A,1,10,true\nb,B,1,5,false\n", encoding="utf-8"
    )
    (root / "uncertainty.csv").write_text(
        "measure,criterion,low,high,distribution\na,cost,5,20,normal\n", encoding="utf-8"
    )
    result = invoke(
        "portfolio", root, "--objective", "gain", "--budget-confidence", "0.99", "--format", "json"
    )
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("--budget-confidence 0.99: cost cannot be held within 20 EUR m")
    out = json.loads(result.stdout)
    assert out["status"] == "infeasible" and out["reasons"] == [line]
