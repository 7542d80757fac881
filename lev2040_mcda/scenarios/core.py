"""The CIB core: impact balances, consistency and inconsistency of one scenario, and a brute force.

A scenario is a tuple of variant indices, one per descriptor in file order. The impact balance of
a variant is the column sum of the matrix rows of the scenario's chosen variants (Weimer-Jehle
2006, TFSC 73:334-361, sect. 3); a descriptor is consistent when its chosen variant's score is the
highest of its block (ties count as consistent), and its inconsistency is how far it falls short.
Everything here is plain numpy on :class:`~lev2040_mcda.case.CIBModel`; the pruned search lives in
``search.py`` and uses the same definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from lev2040_mcda.case import CIBModel
from lev2040_mcda.errors import McdaError

__all__ = [
    "CIBResult",
    "SearchTooLarge",
    "balances",
    "brute_force",
    "descriptor_inconsistency",
    "evaluate",
    "fixed_indices",
    "inconsistency",
    "is_consistent",
    "total_impact",
]

Scenario = tuple[int, ...]


class SearchTooLarge(McdaError):
    """The scenario space is too large for an exact search in the time allowed; the message
    suggests the succession Monte-Carlo (:func:`basins`) instead."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class CIBResult:
    """One scenario found by the search, with the two numbers CIB reports for it.

    ``variants`` are variant indices in file order; ``inconsistency`` is the scenario's
    inconsistency (0 = fully consistent); ``total_impact`` the total impact score (the sum of the
    chosen variants' impact scores), CIB's usual secondary ranking of consistent scenarios.
    """

    variants: Scenario
    inconsistency: int
    total_impact: int


def _check_scenario(model: CIBModel, scenario: Iterable[int]) -> np.ndarray:
    x = np.asarray(tuple(scenario), dtype=np.int64)
    sizes = np.asarray(model.sizes)
    if x.shape != sizes.shape or (x < 0).any() or (x >= sizes).any():
        raise ValueError(
            f"a scenario is one variant index per descriptor within {model.sizes}, got {tuple(x)}"
        )
    return x


def balances(model: CIBModel, scenario: Iterable[int]) -> np.ndarray:
    """The impact balance of every variant (matrix column order) under ``scenario``.

    Integer vector of length ``sum(model.sizes)``: the column sums of the chosen rows. A
    descriptor's own row adds 0 to its own block, so no row needs excluding.
    """
    x = _check_scenario(model, scenario)
    rows = np.asarray(model.offsets, dtype=np.int64) + x
    return model.matrix[rows].sum(axis=0, dtype=np.int64)


def descriptor_inconsistency(model: CIBModel, scenario: Iterable[int]) -> np.ndarray:
    """Per descriptor: the best score in its block minus its chosen variant's score (>= 0)."""
    x = _check_scenario(model, scenario)
    b = balances(model, x)
    return np.array(
        [b[o : o + n].max() - b[o + v] for o, n, v in zip(model.offsets, model.sizes, x, strict=True)],
        dtype=np.int64,
    )


def fixed_indices(model: CIBModel, fixed: Mapping[str, str] | None) -> dict[int, int]:
    """``{descriptor id: variant id}`` as ``{descriptor index: variant index}``.

    Raises ``ValueError`` naming the unknown id, so a caller can locate it in its own input.
    """
    out: dict[int, int] = {}
    ids = [d.id for d in model.descriptors]
    for d_id, v_id in (fixed or {}).items():
        if d_id not in ids:
            raise ValueError(f"unknown descriptor {d_id!r} in fixed (known: {', '.join(ids)})")
        i = ids.index(d_id)
        variants = [v.id for v in model.descriptors[i].variants]
        if v_id not in variants:
            raise ValueError(f"unknown variant {v_id!r} of {d_id!r} in fixed (known: {', '.join(variants)})")
        out[i] = variants.index(v_id)
    return out


def inconsistency(model: CIBModel, scenario: Iterable[int], exempt: Iterable[int] = ()) -> int:
    """The scenario's inconsistency: the largest descriptor inconsistency, leaving out the
    ``exempt`` descriptors (those an intervention fixes: their state is set from outside)."""
    per = descriptor_inconsistency(model, scenario)
    keep = np.ones(len(per), dtype=bool)
    keep[list(exempt)] = False
    return int(per[keep].max()) if keep.any() else 0


def is_consistent(
    model: CIBModel, scenario: Iterable[int], max_inconsistency: int = 0, exempt: Iterable[int] = ()
) -> bool:
    """Whether every (non-exempt) descriptor is within ``max_inconsistency`` of its block's best."""
    return inconsistency(model, scenario, exempt) <= max_inconsistency


def total_impact(model: CIBModel, scenario: Iterable[int]) -> int:
    """The total impact score: the sum of the chosen variants' impact scores."""
    x = _check_scenario(model, scenario)
    return int(balances(model, x)[np.asarray(model.offsets) + x].sum())


def evaluate(model: CIBModel, scenario: Iterable[int], exempt: Iterable[int] = ()) -> CIBResult:
    """A scenario as a :class:`CIBResult` (by direct evaluation, no search)."""
    x = tuple(int(v) for v in _check_scenario(model, scenario))
    return CIBResult(x, inconsistency(model, x, exempt), total_impact(model, x))


def all_scenarios(sizes: tuple[int, ...], start: int = 0, stop: int | None = None) -> np.ndarray:
    """Scenarios ``start..stop`` of the full space in lexicographic order, as an (N, n) array."""
    total = int(np.prod(sizes, dtype=np.int64))
    stop = total if stop is None else min(stop, total)
    flat = np.arange(start, stop, dtype=np.int64)
    out = np.empty((len(flat), len(sizes)), dtype=np.int64)
    for j in range(len(sizes) - 1, -1, -1):
        flat, out[:, j] = np.divmod(flat, sizes[j])
    return out


def brute_force(
    model: CIBModel,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    tail_size: int = 1 << 14,
) -> list[CIBResult]:
    """Every scenario within ``max_inconsistency``, by evaluating the whole space in numpy.

    The obvious alternative to :func:`consistent_scenarios`, written as fast as plain enumeration
    gets: the balances of all combinations of the last descriptors (up to ``tail_size`` of them)
    are computed once, and each combination of the first descriptors adds its partial balance to
    that whole block at once. Same results, same order (lexicographic in file order).
    """
    fix = fixed_indices(model, fixed)
    sizes = [1 if j in fix else n for j, n in enumerate(model.sizes)]
    offsets = np.asarray(model.offsets, dtype=np.int64)
    m = np.asarray(model.matrix, dtype=np.int16)
    split, count = len(sizes), 1
    while split > 0 and count * sizes[split - 1] <= tail_size:
        split -= 1
        count *= sizes[split]

    def states(part: list[int], at: int) -> np.ndarray:
        x = all_scenarios(tuple(part))
        for j, v in fix.items():
            if j - at in range(len(part)):
                x[:, j - at] = v
        return x

    tail, head = states(sizes[split:], split), states(sizes[:split], 0)
    tail_rows = tail + offsets[split:]
    tail_bal = np.zeros((len(tail), m.shape[1]), dtype=np.int16)
    for j in range(tail.shape[1]):
        tail_bal += m[tail_rows[:, j]]
    checked = [j for j in range(len(sizes)) if j not in fix]
    r = np.arange(len(tail))[:, None]
    found: list[CIBResult] = []
    for h in head:
        rows = offsets[:split] + h
        b = tail_bal + m[rows].sum(axis=0, dtype=np.int16)
        chosen = np.concatenate([np.broadcast_to(b[:, rows], (len(tail), split)), b[r, tail_rows]], axis=1)
        best = np.maximum.reduceat(b, offsets, axis=1)
        gap = (best - chosen)[:, checked] if checked else np.zeros((len(tail), 1), dtype=np.int16)
        for k in np.nonzero(gap.max(axis=1) <= max_inconsistency)[0]:
            found.append(evaluate(model, np.concatenate([h, tail[k]]), fix))
    return found
