"""Seeded random CIB models with the structure of real matrices, for benchmarks and tests.

Real cross-impact matrices are sparse-ish (most descriptor pairs do not act on each other), use
the scale -3..+3, are mostly balanced within a row block (a source promotes some target variants
and restricts others), and have a few strong pairs (one variant strongly drives a matching one).
Such matrices have a modest number of consistent scenarios, which is what the search is timed on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lev2040_mcda.case import CIBModel, Descriptor, Variant

__all__ = ["random_model"]


def random_model(
    sizes: Sequence[int], seed: int = 0, density: float = 0.45, strong: float = 0.15
) -> CIBModel:
    """A model with ``len(sizes)`` descriptors ``d00, d01, ...`` of the given variant counts.

    Each ordered descriptor pair acts with probability ``density``; an acting pair gets, per source
    variant, integer judgements in -3..+3 that sum to about zero over the target block; with
    probability ``strong`` the pair is a strong one instead (source variant k promotes target variant
    k by +2/+3 and restricts the others). Same ``seed``, same matrix.
    """
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in sizes]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    m = np.zeros((sum(sizes), sum(sizes)), dtype=np.int64)
    for i, (oi, si) in enumerate(zip(offsets, sizes, strict=True)):
        for j, (oj, sj) in enumerate(zip(offsets, sizes, strict=True)):
            if i == j:
                continue
            roll = rng.random()
            if roll < strong:
                shift = int(rng.integers(sj))
                for a in range(si):
                    row = -rng.integers(1, 3, size=sj)
                    row[(a + shift) % sj] = rng.integers(2, 4)
                    m[oi + a, oj : oj + sj] = row
            elif roll < strong + density:
                raw = rng.normal(0, 1.6, size=(si, sj))
                raw -= raw.mean(axis=1, keepdims=True)
                m[oi : oi + si, oj : oj + sj] = np.clip(np.rint(raw), -3, 3).astype(np.int64)
    descriptors = tuple(
        Descriptor(
            id=f"d{j:02d}",
            name=f"Descriptor {j}",
            parameter=None,
            variants=tuple(Variant(id=f"v{k}", name=f"Variant {j}.{k}") for k in range(s)),
        )
        for j, s in enumerate(sizes)
    )
    return CIBModel(descriptors=descriptors, matrix=m, source=f"random_model(seed={seed})")
