"""Each guard against the formula it protects (lev2040_mcda/ranking/normalization.py and the method
checks in ranking/matrix.py and methods.py).

For every guard two inputs: one just inside, which computes and equals the formula written out
here by hand (and pymcdm's function wherever pymcdm takes the input), and one just outside, which
is refused or falls back with the documented message. The normalisations are read through WSM
with a single criterion of weight 1, whose score is the normalised column itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import normalizations as pn

from lev2040_mcda.ranking import DecisionMatrix, MethodNotApplicable, score, score_batch
from lev2040_mcda.ranking.normalization import GUARDS, NORMALIZATIONS, RATIO


def make_dm(columns, types) -> DecisionMatrix:
    """Measures A1.. x criteria c1.. from columns (one list per criterion)."""
    v = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    m, n = v.shape
    return DecisionMatrix(
        tuple(f"A{i + 1}" for i in range(m)),
        tuple(f"A{i + 1}" for i in range(m)),
        tuple(f"c{j + 1}" for j in range(n)),
        v,
        np.asarray(types),
        np.column_stack([v.min(axis=0), v.max(axis=0)]),
        (("usual", None, None),) * n,
    )


def normalise(name, x, cost):
    """The column as WSM sees it under normalisation ``name`` (one criterion, weight 1)."""
    dm = make_dm([x], [-1 if cost else 1])
    scored = score(dm, np.array([1.0]), "wsm", {"normalization": name})
    np.testing.assert_allclose(
        score_batch(dm, np.array([[1.0]]), "wsm", {"normalization": name})[:, 0], scored.scores
    )
    return scored


def test_every_normalisation_has_a_guard():
    assert set(GUARDS) == set(NORMALIZATIONS) and set(RATIO) <= set(NORMALIZATIONS)


# -- just inside: the formula, by hand and by pymcdm ------------------------------------------

LN = np.log
INSIDE = [
    # name, cost, x, by hand, pymcdm takes x
    ("max", False, [0, 2, 5], [0, 0.4, 1], True),  # a zero: x / max = 0
    ("max", False, [0, 0, 1e-15], [0, 0, 1], True),  # the max just above 0
    ("max", True, [0, 2, 5], [1, 0.6, 0], True),  # 1 - x / max: a zero cost is the best
    ("sum", False, [0, 1, 3], [0, 0.25, 0.75], False),  # pymcdm refuses any zero
    ("sum", True, [0.5, 1, 2], np.array([2, 1, 0.5]) / 3.5, True),  # (1 / x) / sum(1 / x)
    ("vector", False, [0, 3, 4], [0, 0.6, 0.8], True),
    ("vector", True, [0, 3, 4], [1, 0.4, 0.2], True),
    ("linear", False, [0, 2, 4], [0, 0.5, 1], False),  # pymcdm refuses any zero
    ("linear", True, [1, 2, 4], [1, 0.5, 0.25], True),  # min / x
    ("nonlinear", False, [0, 2, 4], [0, 0.25, 1], True),  # (x / max)^2
    ("nonlinear", True, [1, 2, 4], [1, 1 / 8, 1 / 64], True),  # (min / x)^3
    ("logarithmic", False, [0.5, 4], [LN(0.5) / LN(2), LN(4) / LN(2)], True),  # prod = 2 > 1
    ("logarithmic", True, [2, 4], [1 - LN(2) / LN(8), 1 - LN(4) / LN(8)], True),  # / (m - 1) = 1
    ("enhanced_accuracy", False, [1, 1, 2], [0.5, 0.5, 1], True),  # 1 - (max - x) / sum(max - x)
    ("enhanced_accuracy", True, [-1, 1, 1], [1, 0.5, 0.5], True),  # 1 - (x - min) / sum(x - min)
    ("zavadskas_turskis", False, [-1, 2], [-0.5, 1], True),  # 1 - |(max - x) / max|
    ("zavadskas_turskis", True, [1, 3], [1, -1], True),  # 1 - |(min - x) / min|
    ("minmax", False, [-2, 0, 2], [0, 0.5, 1], True),
    ("minmax", True, [3, 3], [1, 1], True),  # no spread: 1 for every measure (pymcdm's convention)
    ("none", True, [-2, 0, 2], [4, 2, 0], False),  # max - x
]


@pytest.mark.parametrize("name, cost, x, by_hand, pymcdm_takes", INSIDE)
def test_just_inside_the_guard_the_formula_is_computed(name, cost, x, by_hand, pymcdm_takes):
    scored = normalise(name, x, cost)
    assert scored.options == {"normalization": name} and scored.warnings == []
    np.testing.assert_allclose(scored.scores, by_hand, rtol=1e-12, atol=1e-15)
    if pymcdm_takes:
        np.testing.assert_allclose(
            getattr(pn, f"{name}_normalization")(np.asarray(x, dtype=float), cost), by_hand, rtol=1e-12
        )


# -- just outside: min-max instead (ratio normalisations) or refused (the others) -------------

NEGATIVE = "criteria with negative values"
ALL_ZERO = "criteria that are 0 for every measure"
ZERO_COST = "cost criteria with a zero (the cost form divides by each value)"
OUTSIDE_RATIO = [
    ("max", False, [-0.5, 2, 5], NEGATIVE),  # x / max with a negative: no share of the best
    ("max", False, [0, 0, 0], ALL_ZERO),  # 0 / 0
    ("max", True, [0, 0, 0], ALL_ZERO),
    ("sum", False, [0, 0, 0], ALL_ZERO),
    ("sum", False, [-1, 1, 3], NEGATIVE),  # the sum can be 0 or negative
    ("sum", True, [0, 1, 2], ZERO_COST),  # 1 / 0
    ("vector", False, [0, 0], ALL_ZERO),
    ("vector", True, [-3, 4], NEGATIVE),
    ("linear", False, [0, 0], ALL_ZERO),
    ("linear", True, [0, 2, 4], ZERO_COST),  # min / 0
    ("nonlinear", False, [-2, 4], NEGATIVE),  # a square turns the order around
    ("nonlinear", True, [0, 2, 4], ZERO_COST),
    ("logarithmic", False, [0, 4], "criteria with values <= 0"),  # ln 0
    ("logarithmic", False, [0.5, 2], "criteria whose values multiply to at most 1 (ln prod(x) <= 0)"),
    ("logarithmic", False, [0.5, 1.5], "criteria whose values multiply to at most 1 (ln prod(x) <= 0)"),
    ("logarithmic", True, [5], "cost criteria of a single measure (the cost form divides by m - 1)"),
]


@pytest.mark.parametrize("name, cost, x, why", OUTSIDE_RATIO)
def test_just_outside_a_ratio_guard_min_max_is_used_and_said(name, cost, x, why):
    scored = normalise(name, x, cost)
    assert scored.options == {"normalization": "minmax"}
    assert scored.warnings == [f"WSM: the {name} normalisation cannot take {why}: c1; min-max used instead"]
    np.testing.assert_allclose(scored.scores, pn.minmax_normalization(np.asarray(x, dtype=float), cost))


def test_logarithmic_below_a_product_of_1_would_reverse_the_order():
    """Why the guard is ln prod(x) > 0, not only x > 0: for 0.5 and 0.25 pymcdm's formula gives
    the smaller value the larger share (a benefit criterion turned into a cost one)."""
    x = np.array([0.5, 0.25])
    assert pn.logarithmic_normalization(x)[1] > pn.logarithmic_normalization(x)[0]
    assert normalise("logarithmic", x, False).options == {"normalization": "minmax"}


ZERO_BEST = "criteria whose best value is 0 (the max of a benefit, the min of a cost)"
OUTSIDE_REFUSED = [
    ("enhanced_accuracy", False, [2, 2, 2], "criteria with the same value for every measure"),
    ("enhanced_accuracy", True, [-1, -1], "criteria with the same value for every measure"),
    ("zavadskas_turskis", False, [-1, 0], ZERO_BEST),
    ("zavadskas_turskis", True, [0, 3], ZERO_BEST),
]


@pytest.mark.parametrize("name, cost, x, why", OUTSIDE_REFUSED)
def test_just_outside_an_interval_guard_the_method_is_refused(name, cost, x, why):
    dm = make_dm([x], [-1 if cost else 1])
    with pytest.raises(MethodNotApplicable) as info:
        score(dm, np.array([1.0]), "wsm", {"normalization": name})
    assert str(info.value) == f"WSM: the {name} normalisation is undefined for {why}: c1 (use minmax)"
    with pytest.raises(MethodNotApplicable):
        score_batch(dm, np.array([[1.0]]), "wsm", {"normalization": name})


def test_max_of_a_benefit_zero_no_longer_falls_back():
    """The case of the issue: a zero in a benefit column under max is 0 (not min-max)."""
    dm = make_dm([[0, 5, 10], [30, 10, 20]], [1, 1])
    scored = score(dm, np.array([0.5, 0.5]), "wsm", {"normalization": "max"})
    assert scored.warnings == []
    np.testing.assert_allclose(scored.scores, 0.5 * np.array([0, 0.5, 1]) + 0.5 * np.array([1, 1 / 3, 2 / 3]))


# -- the methods' own guards ------------------------------------------------------------------


def test_wpm_takes_values_just_above_0_and_refuses_a_zero():
    """WPM compares products of ratios of the values: every value > 0 (a zero makes a ratio 0/0
    or infinite). Just inside: 1e-15 computes prod (x / sum x)^w."""
    w = np.array([0.6, 0.4])
    inside = make_dm([[1e-15, 2, 3], [4, 1, 2]], [1, -1])
    shares = np.column_stack(
        [
            inside.values[:, 0] / inside.values[:, 0].sum(),
            (1 / inside.values[:, 1]) / (1 / inside.values[:, 1]).sum(),
        ]
    )
    np.testing.assert_allclose(score(inside, w, "wpm").scores, np.prod(shares**w, axis=1), rtol=1e-12)
    outside = make_dm([[0, 2, 3], [4, 1, 2]], [1, -1])
    with pytest.raises(
        MethodNotApplicable,
        match=r"^WPM needs a ratio scale \(it multiplies powers of the values\); criteria with values <= 0: c1$",
    ):
        score(outside, w, "wpm")


def test_wpm_takes_a_normalised_zero_and_refuses_a_negative():
    """The normalised values are raised to powers: >= 0. zavadskas_turskis of a cost criterion is
    1 - (x - min) / min: 0 at x = 2 min (a factor 0, said), negative above."""
    inside = make_dm([[1, 2]], [-1])
    scored = score(inside, np.array([1.0]), "wpm", {"normalization": "zavadskas_turskis"})
    np.testing.assert_allclose(scored.scores, [1, 0])
    assert scored.warnings == [
        "WPM: a normalised value of 0 on a weighted criterion makes the product 0, whatever the other values: measures A2"
    ]
    outside = make_dm([[1, 2.5]], [-1])
    with pytest.raises(
        MethodNotApplicable, match=r"^WPM needs normalised values >= 0, but the zavadskas_turskis"
    ):
        score(outside, np.array([1.0]), "wpm", {"normalization": "zavadskas_turskis"})


def test_mabac_takes_a_normalised_value_of_minus_1_and_refuses_lower():
    """MABAC's border is the geometric mean of (n + 1): a factor 0 makes it 0 (defined), a
    negative one has no real root. With ``none`` a benefit value is its own normalised value."""
    inside = make_dm([[-1, 2]], [1])
    scored = score(inside, np.array([1.0]), "mabac", {"normalization": "none"})
    np.testing.assert_allclose(scored.scores, [0 - 0, 3 - 0])  # n + 1 - g, g = (0 * 3)^(1/2) = 0
    outside = make_dm([[-1.5, 2]], [1])
    with pytest.raises(
        MethodNotApplicable, match=r"^MABAC needs normalised values of at least -1, but the none"
    ):
        score(outside, np.array([1.0]), "mabac", {"normalization": "none"})


def test_edas_takes_an_average_just_above_0_and_refuses_0():
    from pymcdm.methods import EDAS

    w, types = np.array([0.7, 0.3]), np.array([1, 1])
    inside = make_dm([[-1, 1.000001], [1, 2]], types)
    expected = EDAS()(inside.values, w, types, validation=False)
    np.testing.assert_allclose(score(inside, w, "edas").scores, expected, rtol=1e-12)
    outside = make_dm([[-1, 1], [1, 2]], types)
    with pytest.raises(MethodNotApplicable, match=r"criteria whose average is <= 0: c1$"):
        score(outside, w, "edas")


def copras_by_hand(x, types, w):
    """Zavadskas & Kaklauskas (1996), written out: shares x / sum(x), S+ and S-, then
    Q_i = S+_i + sum(S-) / (S-_i * sum_k (1 / S-_k))."""
    n = x / x.sum(axis=0)
    sp = n[:, types == 1] @ w[types == 1]
    sm = n[:, types == -1] @ w[types == -1]
    return sp + sm.sum() / (sm * (1 / sm).sum())


def test_copras_takes_a_zero_cost_where_another_cost_is_weighted_and_refuses_a_zero_share():
    """COPRAS divides by each measure's weighted cost share S-: a zero in one cost criterion is
    fine while the measure has another cost of weight > 0; S- = 0 for a measure is refused."""
    types, w = np.array([1, -1, -1]), np.array([0.5, 0.25, 0.25])
    inside = make_dm([[1, 2], [0, 2], [1, 1]], types)
    np.testing.assert_allclose(score(inside, w, "copras").scores, copras_by_hand(inside.values, types, w))
    outside = make_dm([[1, 2], [0, 2], [0, 1]], types)
    with pytest.raises(MethodNotApplicable, match=r"weighted cost share S-, which is 0 for measures A1 "):
        score(outside, w, "copras")
    with pytest.raises(MethodNotApplicable):
        score_batch(outside, w[None, :], "copras")
    # A1's only positive cost has weight 0: S- is 0 for A1 under these weights
    with pytest.raises(MethodNotApplicable, match=r"measures A1 "):
        score(inside, np.array([0.5, 0.5, 0.0]), "copras")


def test_copras_adds_0_for_a_cost_part_that_is_0_for_every_measure():
    types = np.array([1, -1])
    dm = make_dm([[1, 3], [0, 0]], types)
    np.testing.assert_allclose(score(dm, np.array([0.5, 0.5]), "copras").scores, [0.125, 0.375])


def test_vikor_takes_a_tiny_spread_and_refuses_none():
    from pymcdm.methods import VIKOR

    w, types = np.array([0.5, 0.5]), np.array([1, 1])
    inside = make_dm([[1, 2, 3], [5, 5, 5 + 1e-9]], types)
    expected = VIKOR()(inside.values, w, types, validation=False)
    np.testing.assert_allclose(
        score(inside, w, "vikor", {"normalization": "minmax"}).scores, expected, atol=1e-9
    )
    outside = make_dm([[1, 2, 3], [5, 5, 5]], types)
    with pytest.raises(
        MethodNotApplicable, match=r"^VIKOR cannot use a criterion with the same value for every measure: c2$"
    ):
        score(outside, w, "vikor")


def test_spotis_counts_0_where_the_bounds_coincide():
    from pymcdm.methods import SPOTIS

    w, types = np.array([0.5, 0.5]), np.array([1, -1])
    inside = make_dm([[1, 2, 3], [5, 4, 6]], types)
    expected = SPOTIS(inside.bounds)(inside.values, w, types, validation=False)
    np.testing.assert_allclose(score(inside, w, "spotis").scores, expected, rtol=1e-12)
    outside = make_dm([[1, 2, 3], [5, 5, 5]], types)
    scored = score(outside, w, "spotis")
    np.testing.assert_allclose(scored.scores, 0.5 * np.abs((outside.values[:, 0] - 3) / (1 - 3)))
    assert scored.warnings == [
        "SPOTIS: criteria whose bounds coincide (the same value for every measure) count 0: c2"
    ]
