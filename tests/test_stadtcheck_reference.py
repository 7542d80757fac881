"""The Gini and Theil indices against published examples and an independent implementation.

Sources (the expected numbers are copied from them, not computed here):

- Inequality.jl (JosepER/Inequality.jl), the docstring examples of ``gini`` in ``src/Gini.jl`` and
  ``theil`` in ``src/Theil.jl``: the vector (8, 5, 1, 3, 5, 6, 7, 6, 3), unweighted and with the
  weights 0.1, 0.2, ..., 0.9 (``collect(0.1:0.1:0.9)``).
- R package ``ineq`` (Zeileis), as Statistics Slam Dunk (Manning, liveBook page "ineq library",
  section 12.5) prints it: ``ineq(rep(50, each = 10))`` is 0 and
  ``ineq(rep(c(10, 100), times = c(9, 1)))`` is 0.4263158 (``ineq``'s default is the Gini).
- R package ``phylotools``, ``gini`` (its algorithm "directly adopted from package ineq"), the
  example on rdocumentation.org (phylotools 0.1.2, topic ``gini``): ``gini(c(1,3,2,1,1,1,4))``
  is 0.3076923.

The cross-check: Theil's T is the relative entropy (Kullback-Leibler divergence) of the income
shares from the population shares (Theil 1967; Cowell, Measuring Inequality, 3rd ed. 2011,
ch. 3), which ``scipy.stats.entropy(shares, weights)`` computes independently of our formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.stadtcheck import gini, theil

JL = [8, 5, 1, 3, 5, 6, 7, 6, 3]
JL_WEIGHTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def test_inequality_jl_docstring_examples():
    # src/Gini.jl: gini(v) and gini(v, w)
    assert gini(JL) == pytest.approx(0.2373737373737374, abs=1e-12)
    assert gini(JL, JL_WEIGHTS) == pytest.approx(0.20652395514780775, abs=1e-12)
    # src/Theil.jl: theil(v) and theil(v, w)
    assert theil(JL) == pytest.approx(0.10494562214323544, abs=1e-12)
    assert theil(JL, JL_WEIGHTS) == pytest.approx(0.08120013911680612, abs=1e-12)


def test_r_ineq_examples():
    assert gini([50] * 10) == 0.0
    assert gini([10] * 9 + [100]) == pytest.approx(0.4263158, abs=1e-7)
    # the same distribution as two groups, weighted by their sizes
    assert gini([10, 100], [9, 1]) == pytest.approx(0.4263158, abs=1e-7)
    assert gini([1, 3, 2, 1, 1, 1, 4]) == pytest.approx(0.3076923, abs=1e-7)


@given(
    st.lists(
        st.tuples(st.floats(0.01, 1e4, allow_subnormal=False), st.floats(0.01, 1e4, allow_subnormal=False)),
        min_size=1,
        max_size=25,
    )
)
def test_theil_is_the_relative_entropy_of_shares(pairs):
    from scipy.stats import entropy

    x = np.array([p[0] for p in pairs])
    w = np.array([p[1] for p in pairs])
    shares = w * x / (w * x).sum()  # each group's share of the total
    assert theil(x, w) == pytest.approx(entropy(shares, w / w.sum()), abs=1e-9)
