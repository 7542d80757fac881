"""Properties of the ranking engine that hold for any data (STYLE.md "Tests": a dominated
alternative never outranks its dominator; scaling the weights keeps the ranking; ...).

Every property is checked for every method in ``METHODS`` that is applicable to the drawn data
(methods that raise ``MethodNotApplicable`` are left out of that example; the data are positive so
that the ratio methods apply). Sizes stay small (<= 12 measures, <= 6 criteria). Scores computed in
a different order (permuted rows, rescaled columns) may differ in the last bits, so rankings are
compared only where no two scores are within 1e-7 of each other without being exactly equal.
Temporary folders are made inside each example (``tempfile``): @given tests may not use
``tmp_path``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from lev2040_mcda.ranking import (
    METHODS,
    DecisionMatrix,
    MethodNotApplicable,
    competition_ranks,
    score,
    score_batch,
    smaa,
)

from .conftest import CASES

FUNCTIONS = ("usual", "ushape", "vshape", "level", "vshape_2")
NEAR = 1e-7


# -- strategies and helpers -------------------------------------------------------------------


@st.composite
def preferences(draw, functions=FUNCTIONS):
    function = draw(st.sampled_from(functions))
    q = draw(st.integers(0, 10))
    p = q + draw(st.integers(1, 20))
    return (function, float(q), float(p))


@st.composite
def problems(draw, min_m=2, max_m=12, max_n=6, functions=FUNCTIONS):
    """(values, types, weights, preferences): positive integer data, positive weights."""
    m = draw(st.integers(min_m, max_m))
    n = draw(st.integers(1, max_n))
    values = np.array(
        draw(st.lists(st.lists(st.integers(1, 60), min_size=n, max_size=n), min_size=m, max_size=m)),
        dtype=float,
    )
    types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.integers(1, 20), min_size=n, max_size=n)), dtype=float)
    prefs = tuple(draw(st.lists(preferences(functions), min_size=n, max_size=n)))
    return values, types, weights, prefs


def make_dm(values, types, prefs) -> DecisionMatrix:
    v = np.asarray(values, dtype=float)
    m, n = v.shape
    ids = tuple(f"m{i}" for i in range(m))
    bounds = np.column_stack([v.min(axis=0) - 1.0, v.max(axis=0) + 1.0])  # SPOTIS: data inside
    return DecisionMatrix(
        ids, ids, tuple(f"c{j}" for j in range(n)), v, np.asarray(types), bounds, tuple(prefs)
    )


def scored_or_none(dm, weights, method, options=None):
    """The method's Scored, or None when it is not applicable to these data."""
    with np.errstate(all="ignore"):
        try:
            return score(dm, weights, method, options)
        except MethodNotApplicable:
            return None


def clear_positions(*score_vectors) -> np.ndarray:
    """Measures whose rank cannot flip by rounding: against every other measure, each score
    vector has them either exactly tied or more than NEAR apart."""
    ok = np.ones(len(score_vectors[0]), dtype=bool)
    for s in score_vectors:
        s = np.asarray(s)
        d = np.abs(s[:, None] - s[None, :])
        ok &= ~((d > 0) & (d <= NEAR)).any(axis=1)
    return ok


def assert_same_ranking(a, b):
    """Scored ``a`` and ``b`` of the same measures: equal scores (1e-9), equal ranks where clear."""
    np.testing.assert_allclose(b.scores, a.scores, rtol=0, atol=1e-9)
    clear = clear_positions(a.scores, b.scores)
    assert (a.ranks[clear] == b.ranks[clear]).all(), (a.ranks, b.ranks, clear)


def better_count_ranks(key) -> np.ndarray:
    """Competition ranks by definition: 1 + number strictly better (smaller key)."""
    key = np.asarray(key)
    return 1 + (key[None, :] < key[:, None]).sum(axis=1)


# -- permutation ------------------------------------------------------------------------------


@given(problem=problems(), data=st.data())
def test_permuting_measures_permutes_the_ranking(problem, data):
    values, types, weights, prefs = problem
    perm = np.array(data.draw(st.permutations(range(len(values)))))
    dm = make_dm(values, types, prefs)
    dm_p = make_dm(values[perm], types, prefs)
    applied = 0
    for method in METHODS:
        a = scored_or_none(dm, weights, method)
        b = scored_or_none(dm_p, weights, method)
        assert (a is None) == (b is None), method  # applicability does not depend on the order
        if a is None:
            continue
        applied += 1
        np.testing.assert_allclose(b.scores, a.scores[perm], rtol=0, atol=1e-9, err_msg=method)
        clear = clear_positions(a.scores[perm], b.scores)
        assert (b.ranks[clear] == a.ranks[perm][clear]).all(), method
    assert applied >= 1  # PROMETHEE II applies to any data


# -- dominance --------------------------------------------------------------------------------


@st.composite
def dominance_problems(draw, functions=FUNCTIONS):
    """A problem in which measure ``a`` dominates measure ``b``: at least as good on every
    criterion (>= on benefit, <= on cost) and strictly better on at least one."""
    values, types, weights, prefs = draw(problems(min_m=2, functions=functions))
    m, n = values.shape
    a, b = draw(st.lists(st.integers(0, m - 1), min_size=2, max_size=2, unique=True))
    base = values[b].copy()
    delta = np.array(draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), dtype=float)
    delta[draw(st.integers(0, n - 1))] += 1  # strictly better somewhere
    values = values.copy()
    values[a] = np.where(types == 1, base + delta, base)
    values[b] = np.where(types == 1, base, base + delta)
    return values, types, weights, prefs, a, b


@given(problem=dominance_problems())
def test_a_dominated_measure_is_never_ranked_above_its_dominator(problem):
    values, types, weights, prefs, a, b = problem
    dm = make_dm(values, types, prefs)
    for method in METHODS:
        s = scored_or_none(dm, weights, method)
        if s is None:
            continue
        sa, sb = s.scores[a], s.scores[b]
        if METHODS[method].higher_is_better:
            assert sa >= sb - 1e-12, (method, sa, sb)
        else:
            assert sa <= sb + 1e-12, (method, sa, sb)
        if abs(sa - sb) > 1e-12:
            assert s.ranks[a] < s.ranks[b], (method, s.ranks)


# -- invariance to rescaling a criterion ------------------------------------------------------

AFFINE_INVARIANT = [
    ("topsis", None),
    ("topsis", {"normalization": "minmax"}),
    ("vikor", None),
    ("vikor", {"normalization": "minmax"}),
    ("wsm", {"normalization": "minmax"}),
    ("mabac", None),
]


@given(
    problem=problems(),
    data=st.data(),
    a=st.floats(0.1, 100, allow_nan=False),
    b=st.floats(-100, 100, allow_nan=False),
)
def test_affine_rescaling_of_a_criterion_keeps_min_max_rankings(problem, data, a, b):
    """x -> a x + b (a > 0) on one criterion leaves the min-max normalised matrix unchanged, so
    TOPSIS, VIKOR (its own linear normalisation, or min-max), WSM and MABAC with min-max give the
    same scores and ranking. b may make the column negative: min-max does not mind."""
    values, types, weights, prefs = problem
    j = data.draw(st.integers(0, values.shape[1] - 1))
    scaled = values.copy()
    scaled[:, j] = a * scaled[:, j] + b
    dm, dm_s = make_dm(values, types, prefs), make_dm(scaled, types, prefs)
    for method, options in AFFINE_INVARIANT:
        x = scored_or_none(dm, weights, method, options)
        y = scored_or_none(dm_s, weights, method, options)
        assert (x is None) == (y is None), method
        if x is not None:
            assert (x.options, x.warnings) == (y.options, y.warnings)
            assert_same_ranking(x, y)


# -- weights ----------------------------------------------------------------------------------


@given(problem=problems(), c=st.floats(1e-3, 1e3, allow_nan=False))
def test_scaling_the_weights_keeps_the_ranking(problem, c):
    values, types, weights, prefs = problem
    dm = make_dm(values, types, prefs)
    for method in METHODS:
        x = scored_or_none(dm, weights, method)
        if x is None:
            continue
        assert_same_ranking(x, score(dm, c * weights, method))


@given(problem=problems(max_m=8, max_n=5), seed=st.integers(0, 2**32 - 1))
def test_score_batch_equals_score(problem, seed):
    values, types, _, prefs = problem
    dm = make_dm(values, types, prefs)
    W = np.random.default_rng(seed).dirichlet(np.ones(values.shape[1]), size=4)
    for method in METHODS:
        if scored_or_none(dm, W[0], method) is None:
            continue
        single = np.column_stack([score(dm, w, method).scores for w in W])
        with np.errstate(all="ignore"):
            batch = score_batch(dm, W, method)
        np.testing.assert_allclose(batch, single, rtol=0, atol=1e-9, err_msg=method)


# -- SMAA -------------------------------------------------------------------------------------


@given(problem=dominance_problems(functions=("usual", "vshape")), seed=st.integers(0, 2**32 - 1))
def test_smaa_acceptabilities(problem, seed):
    """Each measure's rank acceptabilities sum to 1 (every sample gives it exactly one rank), are
    multiples of 1/samples, and the dominated measure b is never more often first than a.
    (Preference functions without an indifference threshold: dominance is then strict for every
    method, so rounding cannot tie a and b.)"""
    values, types, weights, prefs, a, b = problem
    dm = make_dm(values, types, prefs)
    samples = 200
    W = np.random.default_rng(seed).dirichlet(np.ones(values.shape[1]), size=samples)
    for method in METHODS:
        if scored_or_none(dm, weights, method) is None:
            continue
        with np.errstate(all="ignore"):
            acc = smaa(dm, method, None, W)["acceptability"]
        assert acc.shape == (len(values), len(values))
        np.testing.assert_allclose(acc.sum(axis=1), 1.0, rtol=0, atol=1e-12, err_msg=method)
        np.testing.assert_allclose(acc * samples, np.round(acc * samples), atol=1e-9)
        assert acc[b, 0] <= acc[a, 0], (method, acc[a, 0], acc[b, 0])


# -- competition ranks ------------------------------------------------------------------------


@given(
    scores=st.lists(st.integers(-3, 3), min_size=1, max_size=12),
    higher=st.booleans(),
    columns=st.integers(1, 4),
    data=st.data(),
)
def test_competition_ranks_is_a_competition_ranking(scores, higher, columns, data):
    s = np.array(scores, dtype=float)
    ranks = competition_ranks(s, higher)
    key = -s if higher else s
    assert ranks.tolist() == better_count_ranks(key).tolist()
    assert ranks.min() == 1
    # ties share a rank, and the ranks after a tie of k skip k - 1 places
    for r in np.unique(ranks):
        tied = (ranks == r).sum()
        assert not ((ranks > r) & (ranks < r + tied)).any()
    # a matrix is ranked column by column
    cols = [s] + [
        np.array(data.draw(st.lists(st.integers(-3, 3), min_size=len(s), max_size=len(s))), dtype=float)
        for _ in range(columns - 1)
    ]
    M = np.column_stack(cols)
    R = competition_ranks(M, higher)
    for k in range(columns):
        assert R[:, k].tolist() == competition_ranks(M[:, k], higher).tolist()


# -- a submission file as the weights ---------------------------------------------------------

_TINY = {}


def tiny():
    if not _TINY:
        from lev2040_mcda.case import load_case
        from lev2040_mcda.ranking import decision_matrix

        _TINY["case"] = load_case(CASES / "tiny")
        _TINY["dm"] = decision_matrix(_TINY["case"])
    return _TINY["case"], _TINY["dm"]


@given(raw=st.lists(st.integers(0, 100), min_size=4, max_size=4))
def test_direct_weights_file_gives_its_weights_over_their_sum(raw):
    """A `direct` submission file (written into a temporary folder) passed as the ranking weights
    gives the written numbers divided by their sum, in the case's criterion order."""
    from lev2040_mcda.ranking import resolve_weights

    assume(sum(raw) > 0)
    case, dm = tiny()
    body = ", ".join(f"{c}: {v}" for c, v in zip(dm.criterion_ids, raw))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.yaml"
        path.write_text(
            f"group: verwaltung\nrespondent: r\nmethod: direct\nweights: {{{body}}}\n", encoding="utf-8"
        )
        w, info = resolve_weights(case, dm, file=path)
    np.testing.assert_allclose(w, np.array(raw) / sum(raw), rtol=0, atol=1e-12)
    assert info["source"] == "file"
