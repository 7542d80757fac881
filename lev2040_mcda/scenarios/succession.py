"""Succession analysis: where a scenario moves when its descriptors follow their impact balances.

Weimer-Jehle (2006, TFSC 73:334-361, sect. 5; ScenarioWizard manual, glossary "succession") reads
the matrix as a dynamic: an inconsistent scenario is replaced by the variants its balances favour,
until nothing changes (a consistent scenario: a fixed point) or the walk repeats (a cycle). Two
rules are offered:

- ``"global"``: every descriptor switches at once to the variant of highest score in its block;
- ``"adiabatic"``: one descriptor per step, the most inconsistent one (ties: the first in file
  order), switches to its best variant.

In both, a descriptor whose variant already has the highest score keeps it (ties count as
consistent), and a variant switched to is the first of its block's highest scores, so every walk
is deterministic and the fixed points are exactly the consistent scenarios. Descriptors an
intervention fixes never switch. ``basins`` starts walks from seeded random scenarios and counts
where they end: the attractors' volume weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from lev2040_mcda.case import CIBModel

from .core import Scenario, fixed_indices

__all__ = ["Attractor", "Basin", "basins", "succession", "succession_step"]

RULES = ("global", "adiabatic")


@dataclass(frozen=True, order=True)
class Attractor:
    """Where a succession ends: one scenario (a fixed point, a consistent scenario) or a cycle
    of scenarios, in walking order, starting at its lexicographically smallest scenario."""

    states: tuple[Scenario, ...]

    @property
    def is_cycle(self) -> bool:
        return len(self.states) > 1


@dataclass(frozen=True)
class Basin:
    """An attractor and how many of the random starts ended in it (``share`` of all starts)."""

    attractor: Attractor
    count: int
    share: float


def _next(model: CIBModel, x: np.ndarray, rule: str, frozen: set[int]) -> np.ndarray:
    """One succession step from ``x`` (file-order variant indices)."""
    rows = np.asarray(model.offsets) + x
    b = model.matrix[rows].sum(axis=0)
    out = x.copy()
    gaps = []
    for j, (o, n) in enumerate(zip(model.offsets, model.sizes, strict=True)):
        block = b[o : o + n]
        gap = int(block.max() - block[x[j]])
        gaps.append(-1 if j in frozen else gap)
        if rule == "global" and gap > 0 and j not in frozen:
            out[j] = int(np.argmax(block))
    if rule == "adiabatic":
        j = int(np.argmax(gaps))
        if gaps[j] > 0:
            o, n = model.offsets[j], model.sizes[j]
            out[j] = int(np.argmax(b[o : o + n]))
    return out


def _rule(rule: str) -> str:
    if rule not in RULES:
        raise ValueError(f"unknown succession rule {rule!r} (expected one of {', '.join(RULES)})")
    return rule


def succession_step(
    model: CIBModel, scenario: Scenario, rule: str = "global", fixed: Mapping[str, str] | None = None
) -> Scenario:
    """The scenario one succession step after ``scenario`` (itself when it is consistent)."""
    frozen = set(fixed_indices(model, fixed))
    x = np.asarray(scenario, dtype=np.int64)
    return tuple(int(v) for v in _next(model, x, _rule(rule), frozen))


def succession(
    model: CIBModel,
    start: Scenario,
    rule: str = "global",
    fixed: Mapping[str, str] | None = None,
    max_steps: int = 10_000,
) -> tuple[list[Scenario], Attractor]:
    """The walk from ``start`` (every scenario visited, in order) and the attractor it ends in.

    A fixed descriptor is set to its fixed variant in ``start`` first. ``max_steps`` only guards
    against a walk that never repeats, which a finite space cannot have.
    """
    fix = fixed_indices(model, fixed)
    x = np.asarray(start, dtype=np.int64).copy()
    for j, v in fix.items():
        x[j] = v
    seen: dict[Scenario, int] = {}
    path: list[Scenario] = []
    rule = _rule(rule)
    for _ in range(max_steps):
        key = tuple(int(v) for v in x)
        if key in seen:
            return path, _canonical(path[seen[key] :])
        seen[key] = len(path)
        path.append(key)
        x = _next(model, x, rule, set(fix))
    raise RuntimeError(f"succession did not settle within {max_steps} steps")


def _canonical(cycle: list[Scenario]) -> Attractor:
    """A cycle rotated to start at its smallest scenario, so equal cycles compare equal."""
    k = cycle.index(min(cycle))
    return Attractor(tuple(cycle[k:] + cycle[:k]))


def basins(
    model: CIBModel,
    starts: int = 1000,
    seed: int = 0,
    rule: str = "global",
    fixed: Mapping[str, str] | None = None,
) -> list[Basin]:
    """Attractors and their volume weights from ``starts`` seeded random starting scenarios.

    The starts are drawn uniformly from the scenario space with ``numpy.random.default_rng(seed)``
    (same seed, same result). This is the way to look at a space too large for the exact search:
    the attractors reached by many starts are the dominant consistent scenarios (and cycles).
    Sorted by count (descending), then attractor.
    """
    rng = np.random.default_rng(seed)
    fix = fixed_indices(model, fixed)
    x0 = np.stack([rng.integers(0, s, size=starts) for s in model.sizes], axis=1)
    for j, v in fix.items():
        x0[:, j] = v
    counts: dict[Attractor, int] = {}
    for start in _settle_global(model, x0, fix) if rule == "global" else x0:
        _, att = succession(model, tuple(int(v) for v in start), _rule(rule), fixed)
        counts[att] = counts.get(att, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Basin(a, c, c / starts) for a, c in ranked]


def _settle_global(model: CIBModel, x: np.ndarray, fix: dict[int, int], steps: int = 50) -> np.ndarray:
    """Global succession for all starts at once, for up to ``steps`` steps (numpy over starts);
    the walks are then finished one by one (only cycles and slow walks are left to do)."""
    offsets = np.asarray(model.offsets, dtype=np.int64)
    m = np.asarray(model.matrix, dtype=np.int64)
    x = x.copy()
    for _ in range(steps):
        b = m[x + offsets].sum(axis=1)
        new = x.copy()
        for j, (o, n) in enumerate(zip(model.offsets, model.sizes, strict=True)):
            if j in fix:
                continue
            block = b[:, o : o + n]
            stay = block[np.arange(len(x)), x[:, j]] == block.max(axis=1)
            new[:, j] = np.where(stay, x[:, j], block.argmax(axis=1))
        if (new == x).all():
            break
        x = new
    return x
