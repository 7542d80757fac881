"""Properties of the CIB engine on small random matrices (hypothesis).

The reference is an independent itertools enumeration written here (the definition, nothing
shared with the engine): the pruned search must equal it for K = 0, K = 1 and with a fixed variant;
every result is consistent by direct evaluation; global succession's fixed points are exactly the
consistent scenarios; the chunked search equals the unchunked one.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case import CIBModel, Descriptor, Variant
from lev2040_mcda.scenarios import (
    brute_force,
    consistent_scenarios,
    search_chunk,
    search_chunks,
    succession_step,
)


@st.composite
def models(draw, max_descriptors: int = 5) -> CIBModel:
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=max_descriptors))
    total = sum(sizes)
    cells = draw(st.lists(st.integers(-3, 3), min_size=total * total, max_size=total * total))
    matrix = np.array(cells, dtype=np.int64).reshape(total, total)
    if draw(st.booleans()):  # sparse, as real matrices are
        matrix[np.abs(matrix) < 2] = 0
    start = 0
    for n in sizes:
        matrix[start : start + n, start : start + n] = 0
        start += n
    descriptors = tuple(
        Descriptor(f"d{j}", f"D{j}", None, tuple(Variant(f"v{k}", f"V{k}") for k in range(n)))
        for j, n in enumerate(sizes)
    )
    return CIBModel(descriptors=descriptors, matrix=matrix)


def reference(model: CIBModel, k: int, fixed: dict[int, int] | None = None) -> list[tuple]:
    """(scenario, inconsistency, total impact) of every scenario within k, by the definition."""
    fixed = fixed or {}
    out = []
    for s in itertools.product(*(range(n) for n in model.sizes)):
        if any(s[j] != v for j, v in fixed.items()):
            continue
        b = sum(model.matrix[o + v] for o, v in zip(model.offsets, s, strict=True))
        gaps = [
            max(b[o : o + n]) - b[o + v]
            for j, (o, n, v) in enumerate(zip(model.offsets, model.sizes, s, strict=True))
            if j not in fixed
        ]
        worst = max(gaps, default=0)
        if worst <= k:
            out.append((s, int(worst), int(sum(b[o + v] for o, v in zip(model.offsets, s, strict=True)))))
    return out


def as_tuples(results) -> list[tuple]:
    return [(r.variants, r.inconsistency, r.total_impact) for r in results]


@given(models(), st.integers(0, 1))
def test_pruned_search_equals_enumeration(model, k):
    assert as_tuples(consistent_scenarios(model, k)) == reference(model, k)


@given(models(), st.integers(0, 1), st.data())
def test_pruned_search_with_a_fixed_variant_equals_enumeration(model, k, data):
    j = data.draw(st.integers(0, len(model.sizes) - 1))
    v = data.draw(st.integers(0, model.sizes[j] - 1))
    d = model.descriptors[j]
    found = consistent_scenarios(model, k, fixed={d.id: d.variants[v].id})
    assert as_tuples(found) == reference(model, k, {j: v})
    assert as_tuples(brute_force(model, k, fixed={d.id: d.variants[v].id})) == reference(model, k, {j: v})


@given(models())
def test_every_result_is_consistent_by_direct_evaluation(model):
    for r in consistent_scenarios(model):
        b = model.matrix[np.asarray(model.offsets) + r.variants].sum(axis=0)
        for o, n, v in zip(model.offsets, model.sizes, r.variants, strict=True):
            assert b[o + v] == b[o : o + n].max()


@given(models(max_descriptors=4))
def test_global_succession_fixed_points_are_the_consistent_scenarios(model):
    fixed_points = [
        s
        for s in itertools.product(*(range(n) for n in model.sizes))
        if succession_step(model, s, "global") == s
    ]
    adiabatic = [
        s
        for s in itertools.product(*(range(n) for n in model.sizes))
        if succession_step(model, s, "adiabatic") == s
    ]
    consistent = [r.variants for r in consistent_scenarios(model)]
    assert fixed_points == consistent == adiabatic


@given(models(), st.integers(0, 3), st.integers(0, 1))
def test_chunked_equals_unchunked(model, levels, k):
    whole = consistent_scenarios(model, k)
    parts = [r for c in search_chunks(model, levels=levels) for r in search_chunk(model, c, k)]
    assert parts == whole == consistent_scenarios(model, k, levels=levels)
