"""Weights from a polytope (ranking/polytope.py): the constraints, hit-and-run's samples against exact
ones (rejection from the uniform simplex, the sorted uniform simplex, the ordered simplex's centroid),
and the refusals of information that leaves no weights or no interior.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.ranking.polytope import (
    hit_and_run,
    interval_constraints,
    ordinal_constraints,
    polytope_samples,
    statement_constraints,
)

QUANTILES = [0.1, 0.5, 0.9]


def satisfied(W, A, b, tol=1e-9) -> bool:
    return bool((W >= -tol).all() and np.allclose(W.sum(axis=1), 1, atol=tol) and (W @ A.T <= b + tol).all())


def rejection(constraint, n=3, count=400_000, seed=99):
    """Exact uniform samples: Dirichlet(1, ..., 1) kept where ``constraint`` holds."""
    W = np.random.default_rng(seed).dirichlet(np.ones(n), count)
    return W[constraint(W)]


# -- the constraints -------------------------------------------------------------------------------


def test_ordinal_constraints_order_adjacent_tiers_and_leave_ties_free():
    A, b = ordinal_constraints(np.array([0.4, 0.3, 0.3]))
    # 0 above 1 and 2; 1 and 2 tie: no row between them
    assert sorted(map(tuple, A.tolist())) == [(-1.0, 0.0, 1.0), (-1.0, 1.0, 0.0)]
    assert b.tolist() == [0.0, 0.0]
    A, _ = ordinal_constraints(np.full(4, 0.25))
    assert A.shape == (0, 4)


def test_interval_constraints_keep_only_bounds_the_simplex_does_not_set():
    A, b = interval_constraints(np.array([0.0, 0.2, -1.0]), np.array([1.0, 0.5, 0.7]))
    assert A.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]]
    assert b.tolist() == [0.5, 0.7, -0.2]
    with pytest.raises(ValueError, match=r"criterion 1: the lower bound 0\.6 is above the upper bound 0\.5"):
        interval_constraints(np.array([0.0, 0.6]), np.array([1.0, 0.5]))


def test_statement_constraints_leave_out_implied_and_repeated_statements():
    A, b = statement_constraints(4, [(0, 1), (1, 2), (0, 2), (0, 1), (3, 2)])
    assert A.tolist() == [[-1.0, 1.0, 0.0, 0.0], [0.0, -1.0, 1.0, 0.0], [0.0, 0.0, 1.0, -1.0]]
    assert b.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([(0, 1), (1, 2), (2, 0)], "cycle among criteria 0, 1, 2"),
        ([(0, 3)], r"numbered 0 \.\. 2"),
        ([(1, 1)], "with itself"),
    ],
)
def test_statements_that_leave_no_interior_or_name_no_criterion_are_refused(pairs, message):
    with pytest.raises(ValueError, match=message):
        statement_constraints(3, pairs)


# -- samples against exact ones ---------------------------------------------------------------------


def test_a_strict_order_of_three_has_the_rank_order_centroid_as_its_mean():
    """The ordered simplex w1 >= w2 >= w3 is the simplex with vertices (1,0,0), (1/2,1/2,0),
    (1/3,1/3,1/3); its centroid is (11, 5, 2) / 18, the rank-order-centroid weights."""
    W = polytope_samples(np.random.default_rng(1), "ordinal", np.array([0.5, 0.3, 0.2]), 40_000)
    assert np.abs(W.mean(axis=0) - np.array([11, 5, 2]) / 18).max() < 0.005
    assert (np.diff(W, axis=1) <= 1e-12).all()


@pytest.mark.parametrize(
    ("kind", "options", "constraint"),
    [
        (
            "intervals",
            {"lo": np.array([0.1, 0.2, 0.0]), "hi": np.array([0.6, 0.5, 0.4])},
            lambda W: ((W >= [0.1, 0.2, 0.0]) & (W <= [0.6, 0.5, 0.4])).all(axis=1),
        ),
        ("ordinal", {}, lambda W: (W[:, 1] >= W[:, 0]) & (W[:, 0] >= W[:, 2])),
        ("statements", {"at_least": [(2, 0)]}, lambda W: W[:, 2] >= W[:, 0]),
    ],
)
def test_marginals_match_rejection_sampling_from_the_uniform_simplex(kind, options, constraint):
    """n = 3: means and the 10/50/90 % quantiles of every weight within 0.01 of the exact uniform
    distribution on the polytope (the Monte Carlo error of 20,000 points is about 0.003)."""
    center = np.array([0.3, 0.5, 0.2])
    W = polytope_samples(np.random.default_rng(7), kind, center, 20_000, **options)
    exact = rejection(constraint)
    assert len(exact) > 20_000
    assert np.abs(W.mean(axis=0) - exact.mean(axis=0)).max() < 0.01
    assert np.abs(np.quantile(W, QUANTILES, axis=0) - np.quantile(exact, QUANTILES, axis=0)).max() < 0.01


def test_fifteen_ordered_weights_match_the_sorted_uniform_simplex():
    """n = 15, a strict order: the exact distribution is a uniform point of the simplex sorted. The
    marginal quantiles come within 0.25 standard deviations (the burn-in's error at the defaults;
    the Monte Carlo error alone is about 0.05)."""
    n = 15
    center = np.arange(n, 0, -1.0) / (n * (n + 1) / 2)
    W = polytope_samples(np.random.default_rng(3), "ordinal", center, 10_000)
    exact = -np.sort(-np.random.default_rng(4).dirichlet(np.ones(n), 200_000), axis=1)
    sd = exact.std(axis=0)
    gap = np.abs(np.quantile(W, QUANTILES, axis=0) - np.quantile(exact, QUANTILES, axis=0)) / sd
    assert gap.max() < 0.25
    assert (np.abs(W.mean(axis=0) - exact.mean(axis=0)) / sd).max() < 0.15


def test_tied_criteria_are_exchangeable():
    W = polytope_samples(np.random.default_rng(5), "ordinal", np.array([0.4, 0.3, 0.3]), 20_000)
    assert (W[:, 0] >= W[:, 1] - 1e-12).all() and (W[:, 0] >= W[:, 2] - 1e-12).all()
    assert abs((W[:, 1] > W[:, 2]).mean() - 0.5) < 0.02
    assert abs(W[:, 1].mean() - W[:, 2].mean()) < 0.01


def test_two_criteria_with_intervals_give_a_uniform_weight_on_the_segment():
    """n = 2: w1 = 1 - w2, so w1 is uniform on [max(lo1, 1 - hi2), min(hi1, 1 - lo2)] = [0.3, 0.6]."""
    W = polytope_samples(
        np.random.default_rng(2), "intervals", np.array([0.5, 0.5]), 20_000, lo=[0.1, 0.4], hi=[0.6, 0.7]
    )
    assert W[:, 0].min() >= 0.3 - 1e-12 and W[:, 0].max() <= 0.6 + 1e-12
    assert abs(W[:, 0].mean() - 0.45) < 0.005
    assert abs(W[:, 0].var() - 0.3**2 / 12) < 0.0005


def test_a_centre_on_a_facet_or_outside_still_gives_interior_samples():
    on_facet = polytope_samples(np.random.default_rng(1), "ordinal", np.array([0.7, 0.3, 0.0]), 2_000)
    assert (np.diff(on_facet, axis=1) <= 1e-12).all() and on_facet[:, 2].max() > 0
    outside = polytope_samples(
        np.random.default_rng(1),
        "intervals",
        np.array([0.8, 0.1, 0.1]),
        2_000,
        lo=[0, 0.3, 0.3],
        hi=[0.4, 1, 1],
    )
    assert (outside[:, 0] <= 0.4 + 1e-12).all() and (outside[:, 1:] >= 0.3 - 1e-12).all()


def test_the_same_seed_gives_the_same_weights():
    args = ("statements", np.full(4, 0.25), 3_000)
    a = polytope_samples(np.random.default_rng(8), *args, at_least=[(0, 1), (2, 3)])
    b = polytope_samples(np.random.default_rng(8), *args, at_least=[(0, 1), (2, 3)])
    c = polytope_samples(np.random.default_rng(9), *args, at_least=[(0, 1), (2, 3)])
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_one_criterion_has_the_weight_one():
    assert (
        hit_and_run(np.random.default_rng(1), np.zeros((0, 1)), np.zeros(0), 4, np.ones(1)).tolist()
        == [[1.0]] * 4
    )


# -- every sample satisfies every constraint ---------------------------------------------------------


@st.composite
def polytopes(draw):
    """A random polytope of the simplex with a strictly feasible point: random rows A, b = A c + s."""
    n = draw(st.integers(2, 7))
    rows = draw(st.integers(0, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    center = rng.dirichlet(np.ones(n))
    A = rng.normal(size=(rows, n))
    slack = rng.uniform(1e-3, 0.2, rows)
    return A, A @ center + slack, center, seed


@given(polytopes())
def test_hit_and_run_samples_satisfy_every_constraint(poly):
    A, b, center, seed = poly
    W = hit_and_run(np.random.default_rng(seed), A, b, 300, center, burn=30, thin=3, chains=50)
    assert W.shape == (300, len(center))
    assert satisfied(W, A, b)


@given(
    st.integers(2, 8),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["ordinal", "intervals", "statements"]),
)
def test_polytope_samples_satisfy_their_information(n, seed, kind):
    rng = np.random.default_rng(seed)
    center = rng.dirichlet(np.ones(n))
    if kind == "ordinal":
        center = np.round(center, 1) + 1e-3  # ties, and weights near 0
        center /= center.sum()
        A, b = ordinal_constraints(center)
        options = {}
    elif kind == "intervals":
        width = rng.uniform(0.05, 0.5, n)
        lo, hi = (
            np.clip(center - width * rng.uniform(0, 1, n), 0, 1),
            center + width * rng.uniform(0.01, 1, n),
        )
        A, b = interval_constraints(lo, hi)
        options = {"lo": lo, "hi": hi}
    else:
        order = rng.permutation(n)
        pairs = [
            (int(order[i]), int(order[j])) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.4
        ]
        A, b = statement_constraints(n, pairs)
        options = {"at_least": pairs}
    W = polytope_samples(rng, kind, center, 200, **options)
    assert satisfied(W, A, b)


# -- what leaves no weights ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lo": [0.5, 0.4, 0.3], "hi": [1, 1, 1]}, "lower bounds sum to 1.2"),
        ({"lo": [0, 0, 0], "hi": [0.2, 0.3, 0.4]}, "upper bounds to 0.9"),
        ({"lo": [0.2, 0, 0], "hi": [0.2, 1, 1]}, "criterion 0's interval is a single value"),
        ({"lo": [0.2, 0.3, 0.5], "hi": [1, 1, 1]}, "the bounds fix every weight"),
        ({"lo": [0, 0], "hi": [1, 1]}, "lo and hi must have 3 bounds"),
        ({"lo": [0, 1.2, 0], "hi": [1, 1.5, 1]}, "leaves no weight in 0 .. 1"),
    ],
)
def test_intervals_without_room_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        polytope_samples(np.random.default_rng(1), "intervals", np.full(3, 1 / 3), 10, **options)


def test_hit_and_run_refuses_an_infeasible_start_and_a_flat_polytope():
    A, b = statement_constraints(3, [(0, 1)])
    with pytest.raises(ValueError, match="start is not in the polytope: it violates row 0"):
        hit_and_run(np.random.default_rng(1), A, b, 10, np.array([0.2, 0.5, 0.3]))
    with pytest.raises(ValueError, match=r"sum to 0\.9"):
        hit_and_run(np.random.default_rng(1), A, b, 10, np.array([0.5, 0.3, 0.1]))
    flat = np.array([[-1.0, 1.0, 0.0], [1.0, -1.0, 0.0]])  # w0 >= w1 and w1 >= w0
    with pytest.raises(ValueError, match="no interior"):
        hit_and_run(np.random.default_rng(1), flat, np.zeros(2), 10, np.array([0.4, 0.4, 0.2]))


def test_unknown_kinds_and_missing_information_are_refused():
    center = np.full(3, 1 / 3)
    with pytest.raises(ValueError, match="unknown kind 'ranks'"):
        polytope_samples(np.random.default_rng(1), "ranks", center, 10)
    with pytest.raises(ValueError, match="intervals need lo and hi"):
        polytope_samples(np.random.default_rng(1), "intervals", center, 10)
    with pytest.raises(ValueError, match="statements need at_least"):
        polytope_samples(np.random.default_rng(1), "statements", center, 10)
    with pytest.raises(ValueError, match="weights >= 0"):
        polytope_samples(np.random.default_rng(1), "ordinal", np.array([0.5, -0.5, 1.0]), 10)


def test_hit_and_run_checks_its_arguments_and_may_return_nothing():
    A, b = statement_constraints(3, [(0, 1)])
    start = np.array([0.5, 0.3, 0.2])
    assert hit_and_run(np.random.default_rng(1), A, b, 0, start).shape == (0, 3)
    for bad in ({"thin": 0}, {"burn": -1}):
        with pytest.raises(ValueError, match="thin >= 1"):
            hit_and_run(np.random.default_rng(1), A, b, 5, start, **bad)
    with pytest.raises(ValueError, match="A with 3 columns"):
        hit_and_run(np.random.default_rng(1), np.zeros((2, 6)), np.zeros(4), 5, start)
