"""Sampling uncertain estimates (ranking/estimates.py): each distribution against its closed form,
comonotone groups, seeds, what the model leaves out, scenarios and the clipping to a column's scale.

The tolerances are a few standard errors of the seeded sample (the seeds are fixed, so a pass is
reproducible; the bounds say how far chance alone would go).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case import Estimate, Uncertainty
from lev2040_mcda.case.models import Adjustment, Scenario, ScenarioEffects
from lev2040_mcda.ranking.estimates import (
    DIST_CODES,
    EstimateModel,
    estimate_model,
    sample_cells,
    sample_matrices,
)

N = 200_000
KS_1PCT = 1.63  # Kolmogorov's distribution: P(sqrt(N) D_N > 1.63) is about 1 %


@pytest.fixture(scope="module")
def tiny():
    return load_case("cases/tiny")


def with_ranges(case, *estimates):
    return case.model_copy(update={"uncertainty": Uncertainty(tuple(estimates), "uncertainty.csv")})


def one_cell(dist: str, low: float, mode: float, high: float, floor=-np.inf, ceil=np.inf):
    code = DIST_CODES[dist]
    return EstimateModel(("m",), ("c",), [0], [0], [mode], [low], [high], [code], [-1], [floor], [ceil])


def draws(model, seed=7, count=N, dtype=np.float64):
    return sample_cells(model, np.random.default_rng(seed), count, dtype).astype(float)


def triangular_cdf(x, a, c, b):
    x = np.clip(x, a, b)
    left = (x - a) ** 2 / ((b - a) * (c - a))
    right = 1 - (b - x) ** 2 / ((b - a) * (b - c))
    return np.where(x <= c, left, right)


def ks(sample, cdf) -> float:
    """The Kolmogorov-Smirnov distance between a sample and a continuous CDF."""
    x = np.sort(sample)
    F = cdf(x)
    n = len(x)
    return float(max((np.arange(1, n + 1) / n - F).max(), (F - np.arange(n) / n).max()))


# -- each distribution against its closed form ----------------------------------------------------


def test_uniform_mean_and_variance():
    x = draws(one_cell("uniform", 2.0, 3.0, 10.0))[:, 0]
    assert x.min() >= 2 and x.max() <= 10
    se = math.sqrt(64 / 12 / N)
    assert abs(x.mean() - 6.0) < 4 * se
    assert abs(x.var() - 64 / 12) < 0.02 * 64 / 12


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("a", "c", "b"), [(0.0, 0.3, 1.0), (10.0, 10.0, 16.0), (-5.0, 4.0, 4.0), (7, 9, 30)])
def test_triangular_mean_and_cdf(a, c, b, dtype):
    x = draws(one_cell("triangular", a, c, b), dtype=dtype)[:, 0]
    assert x.min() >= a - 1e-5 * abs(b - a) and x.max() <= b + 1e-5 * abs(b - a)
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    assert abs(x.mean() - (a + b + c) / 3) < 4 * sd / math.sqrt(N)
    if a < c < b:
        assert ks(x, lambda v: triangular_cdf(v, a, c, b)) < KS_1PCT / math.sqrt(N)


def test_triangular_with_the_mode_at_an_end_follows_its_cdf():
    """Mode at the low end: F(x) = 1 - ((b - x) / (b - a))^2."""
    x = draws(one_cell("triangular", 0.0, 0.0, 2.0))[:, 0]
    assert ks(x, lambda v: 1 - ((2 - v) / 2) ** 2) < KS_1PCT / math.sqrt(N)


@pytest.mark.parametrize(("a", "c", "b"), [(0.0, 0.2, 1.0), (90.0, 100.0, 160.0), (5.0, 5.0, 6.0)])
def test_pert_mean_and_variance(a, c, b):
    """Beta-PERT (λ = 4): mean (a + 4c + b) / 6, variance (mean - a)(b - mean) / 7."""
    x = draws(one_cell("pert", a, c, b))[:, 0]
    mean = (a + 4 * c + b) / 6
    var = (mean - a) * (b - mean) / 7
    assert x.min() >= a and x.max() <= b
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / N)
    assert abs(x.var() - var) < 0.02 * var


def test_normal_has_low_and_high_as_its_5_and_95_percent_quantiles():
    x = draws(one_cell("normal", 80.0, 100.0, 130.0))[:, 0]
    q05, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95])
    sd = 50 / (2 * 1.6448536)
    assert abs(q05 - 80) < 0.02 * sd and abs(q95 - 130) < 0.02 * sd
    assert abs(q50 - 105) < 0.02 * sd  # the midpoint, not the value in measures.csv
    assert abs(x.std() - sd) < 0.01 * sd


def test_normal_is_clipped_to_the_scale():
    """A resource is never negative: the normal's lower tail piles up at 0."""
    x = draws(one_cell("normal", 0.5, 2.0, 3.5, floor=0.0))[:, 0]
    assert x.min() == 0.0
    z = (0 - 2.0) / (3.0 / (2 * 1.6448536))
    share = 0.5 * math.erfc(-z / math.sqrt(2))  # P(N < 0) before clipping
    assert abs((x == 0).mean() - share) < 4 * math.sqrt(share / N)


# -- groups, seeds, the model's cells --------------------------------------------------------------


def spearman(x, y) -> float:
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    return float(np.corrcoef(rx, ry)[0, 1])


def test_a_group_is_comonotone_and_keeps_each_marginal(tiny):
    case = with_ranges(
        tiny,
        Estimate("solar", "cost", 20.0, 18.0, 30.0, "pert", group="contractor"),
        Estimate("park", "cost", 10.0, 8.0, 12.0, "normal", group="contractor"),
        Estimate("housing", "cost", 50.0, 45.0, 70.0, "triangular", group="contractor"),
        Estimate("infill", "cost", 40.0, 30.0, 50.0, "triangular"),
        Estimate("tram", "cost", 60.0, 50.0, 90.0, "uniform", group="alone"),
    )
    model = estimate_model(case, ["cost"])
    assert model.groups == ("contractor", "alone")
    x = sample_cells(model, np.random.default_rng(3), 20_000)
    col = {case.measure_ids[r]: k for k, r in enumerate(model.rows)}
    grouped = [x[:, col[m]] for m in ("solar", "park", "housing")]
    for a in grouped:
        for b in grouped:
            assert spearman(a, b) == pytest.approx(1.0)
    assert abs(spearman(x[:, col["solar"]], x[:, col["infill"]])) < 0.05
    assert abs(spearman(x[:, col["solar"]], x[:, col["tram"]])) < 0.05
    mean = (18 + 4 * 20 + 30) / 6
    sd = math.sqrt((mean - 18) * (30 - mean) / 7)
    assert abs(x[:, col["solar"]].mean() - mean) < 4 * sd / math.sqrt(20_000)
    assert abs(x[:, col["housing"]].mean() - (45 + 50 + 70) / 3) < 0.15


def test_the_same_seed_gives_the_same_draws(tiny):
    case = with_ranges(
        tiny,
        Estimate("solar", "cost", 20.0, 18.0, 30.0, "pert", group="g"),
        Estimate("park", "co2", 50.0, 40.0, 60.0, "triangular", group="g"),
        Estimate("hub", "co2", 80.0, 60.0, 100.0, "normal"),
    )
    model = estimate_model(case, ["cost", "co2"])
    for dtype in (np.float32, np.float64):
        a = sample_cells(model, np.random.default_rng(11), 500, dtype)
        b = sample_cells(model, np.random.default_rng(11), 500, dtype)
        c = sample_cells(model, np.random.default_rng(12), 500, dtype)
        assert a.dtype == dtype and np.array_equal(a, b) and not np.array_equal(a, c)


def test_the_model_holds_only_the_asked_columns_and_the_cells_with_a_range(tiny):
    case = with_ranges(
        tiny,
        Estimate("solar", "cost", 20.0, 20.0, 20.0, "triangular"),  # exact
        Estimate("solar", "co2", 400.0, 300.0, 450.0, "triangular"),
        Estimate("tram", "co2", 300.0, 250.0, 400.0, "pert"),
        Estimate("tram", "land", 2.0, 1.5, 3.0, "uniform"),
    )
    model = estimate_model(case, ["co2", "cost"])
    assert model.size == 2 and model.columns == ("co2", "cost")
    assert model.measures == case.measure_ids
    cells = {(model.measures[r], model.columns[c]) for r, c in zip(model.rows, model.cols)}
    assert cells == {("solar", "co2"), ("tram", "co2")}
    assert model.dist.tolist() == [DIST_CODES["triangular"], DIST_CODES["pert"]]
    assert model.value.tolist() == [400.0, 300.0]  # as in measures.csv
    assert estimate_model(case, ["land"]).size == 1
    assert estimate_model(tiny, ["cost", "co2"]).size == 0
    assert sample_cells(estimate_model(tiny, ["cost"]), np.random.default_rng(1), 5).shape == (5, 0)


def test_cells_follow_the_measures_then_the_columns_and_keep_their_distributions(tiny):
    """Mixed distributions: each cell is drawn from its own, wherever it stands."""
    case = with_ranges(
        tiny,
        Estimate("solar", "co2", 400.0, 390.0, 410.0, "normal"),
        Estimate("solar", "homes", 0.0, 0.0, 1.0, "uniform"),
        Estimate("park", "co2", 50.0, 40.0, 60.0, "pert"),
        Estimate("tram", "cost", 60.0, 50.0, 90.0, "triangular"),
        Estimate("tram", "homes", 0.0, 0.0, 30.0, "uniform"),
    )
    model = estimate_model(case, ["homes", "co2", "cost"])
    cells = [(model.measures[r], model.columns[c]) for r, c in zip(model.rows, model.cols)]
    assert cells == [
        ("solar", "homes"),
        ("solar", "co2"),
        ("park", "co2"),
        ("tram", "homes"),
        ("tram", "cost"),
    ]
    x = sample_cells(model, np.random.default_rng(6), 100_000)
    means = [0.5, 400.0, (40 + 4 * 50 + 60) / 6, 15.0, (50 + 60 + 90) / 3]
    assert np.allclose(x.mean(axis=0), means, rtol=0, atol=[0.01, 0.05, 0.05, 0.2, 0.1])
    assert x[:, 0].max() <= 1 and x[:, 3].max() <= 30 and x[:, 1].std() > 5


def test_an_unknown_column_is_refused(tiny):
    with pytest.raises(ValueError, match="unknown column 'price'"):
        estimate_model(tiny, ["cost", "price"])


def test_only_float32_and_float64_are_drawn():
    with pytest.raises(ValueError, match="float32 or float64"):
        sample_cells(one_cell("uniform", 0, 0.5, 1), np.random.default_rng(1), 3, np.int32)


def test_a_model_refuses_cells_without_a_range():
    with pytest.raises(ValueError, match="high > low"):
        one_cell("uniform", 1.0, 1.0, 1.0)


# -- scenarios and the scale ------------------------------------------------------------------------


def test_a_scenario_scales_the_range_with_the_value(tiny):
    """boom: cost x 1.2 for every measure, homes x 1.5 for housing and infill (scenarios.yaml)."""
    case = with_ranges(
        tiny,
        Estimate("solar", "cost", 20.0, 15.0, 30.0, "pert"),
        Estimate("housing", "homes", 200.0, 150.0, 260.0, "triangular"),
        Estimate("solar", "homes", 0.0, 0.0, 10.0, "uniform"),  # boom leaves solar's homes alone
    )
    model = estimate_model(case, ["cost", "homes"], scenario="boom")
    got = {
        (model.measures[r], model.columns[c]): (v, lo, hi)
        for r, c, v, lo, hi in zip(model.rows, model.cols, model.value, model.low, model.high)
    }
    assert got[("solar", "cost")] == pytest.approx((24.0, 18.0, 36.0))
    assert got[("housing", "homes")] == pytest.approx((300.0, 225.0, 390.0))
    assert got[("solar", "homes")] == (0.0, 0.0, 10.0)


def with_scenario(case, *adjust):
    scenario = Scenario(id="what_if", title="What if", effects=ScenarioEffects(adjust=list(adjust)))
    return case.model_copy(update={"scenarios": (*case.scenarios, scenario)})


def test_a_scenario_shifts_a_range_around_zero_and_reorders_a_flipped_one(tiny):
    case = with_ranges(
        with_scenario(
            tiny,
            Adjustment(criterion="homes", measures=("solar",), add=40.0),
            Adjustment(criterion="homes", measures=("infill",), add=-180.0),
        ),
        Estimate("solar", "homes", 0.0, -5.0, 10.0, "triangular"),
        Estimate("infill", "homes", 120.0, 100.0, 150.0, "triangular"),
    )
    model = estimate_model(case, ["homes"], scenario="what_if")  # homes has no min or max
    got = {
        model.measures[r]: (v, lo, hi) for r, v, lo, hi in zip(model.rows, model.value, model.low, model.high)
    }
    assert got["solar"] == pytest.approx((40.0, 35.0, 50.0))  # 0 -> 40: shifted by 40
    assert got["infill"] == pytest.approx((-60.0, -75.0, -50.0))  # 120 -> -60: times -0.5, reordered
    x = sample_cells(model, np.random.default_rng(2), 50_000)
    k = list(model.rows).index(case.measure_ids.index("infill"))
    assert x[:, k].min() >= -75 and x[:, k].max() <= -50
    assert abs(x[:, k].mean() - (-75 - 60 - 50) / 3) < 0.1


def test_draws_stay_on_the_criterion_scale_and_resources_stay_nonnegative(tiny):
    """acceptance is on 1 .. 5 (criteria.yaml): a range reaching past 5 piles up at 5."""
    case = with_ranges(
        tiny,
        Estimate("park", "acceptance", 5.0, 4.0, 6.0, "uniform"),
        Estimate("hub", "land", 0.5, 0.0, 1.5, "normal"),
    )
    model = estimate_model(case, ["acceptance", "land"])
    assert model.floor.tolist() == [1.0, 0.0] and model.ceil.tolist() == [5.0, np.inf]
    x = sample_cells(model, np.random.default_rng(5), 40_000)
    assert x[:, 0].max() == 5.0 and abs((x[:, 0] == 5).mean() - 0.5) < 0.02
    assert x[:, 1].min() == 0.0


def test_sample_matrices_replace_only_the_uncertain_cells(tiny):
    from lev2040_mcda.ranking import decision_matrix

    case = with_ranges(
        tiny,
        Estimate("solar", "co2", 400.0, 300.0, 450.0, "triangular"),
        Estimate("tram", "homes", 0.0, 0.0, 20.0, "uniform"),
    )
    dm = decision_matrix(case)
    model = estimate_model(case, dm.criterion_ids)
    X = sample_matrices(model, dm.values, np.random.default_rng(4), 300)
    assert X.shape == (300, *dm.values.shape)
    mask = np.zeros(dm.values.shape, dtype=bool)
    mask[model.rows, model.cols] = True
    assert (X[:, ~mask] == dm.values[~mask]).all()
    cells = sample_cells(model, np.random.default_rng(4), 300)
    assert np.array_equal(X[:, model.rows, model.cols], cells)
    with pytest.raises(ValueError, match="measures x columns"):
        sample_matrices(model, dm.values[:, :2], np.random.default_rng(4), 3)


# -- every draw lies in its range and on its scale ---------------------------------------------------


@st.composite
def cells(draw):
    k = draw(st.integers(1, 6))
    out = []
    for _ in range(k):
        low = draw(st.floats(-1e3, 1e3))
        width = draw(st.floats(1e-3, 1e3))
        mode = low + width * draw(st.floats(0, 1))
        dist = draw(st.sampled_from(sorted(DIST_CODES)))
        group = draw(st.sampled_from([-1, -1, 0, 1]))
        floor = draw(st.sampled_from([-np.inf, low + width / 4, 0.0]))
        out.append((dist, low, min(max(mode, low), low + width), low + width, group, floor))
    return out


@given(cells(), st.integers(0, 2**32 - 1), st.sampled_from([np.float32, np.float64]))
def test_every_draw_lies_in_its_range_and_on_its_scale(spec, seed, dtype):
    k = len(spec)
    floor = np.array([min(c[5], c[2]) for c in spec])  # a floor never above the mode
    model = EstimateModel(
        tuple(f"m{i}" for i in range(k)),
        ("c",),
        list(range(k)),
        [0] * k,
        [c[2] for c in spec],
        [c[1] for c in spec],
        [c[3] for c in spec],
        [DIST_CODES[c[0]] for c in spec],
        [c[4] for c in spec],
        floor,
        [np.inf] * k,
    )
    x = sample_cells(model, np.random.default_rng(seed), 257, dtype).astype(float)
    assert x.shape == (257, k) and np.isfinite(x).all()
    slack = 1e-4 * (1 + np.abs(model.high))  # float32 rounding
    assert (x >= model.floor - slack).all()
    bounded = model.dist != DIST_CODES["normal"]
    assert (x[:, bounded] >= model.low[bounded] - slack[bounded]).all()
    assert (x[:, bounded] <= model.high[bounded] + slack[bounded]).all()
