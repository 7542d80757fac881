"""A cross-impact balance (CIB) model as read: descriptors, their variants, the judgement matrix.

The reading of ``descriptors.yaml``, ``cross_impacts.csv``/``.xlsx`` and ScenarioWizard ``.scw``
files lives here (only ``case/`` opens input files); ``scenarios/`` computes on :class:`CIBModel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CIBModel", "Descriptor", "Variant"]


@dataclass(frozen=True)
class Variant:
    """One possible state of a descriptor. ``effects`` has the keys of a scenario's effects
    (``limits``, ``adjust``) as plain data; ``text`` is the driver text it gives a scenario."""

    id: str
    name: str
    effects: dict[str, Any] = field(default_factory=dict)
    text: str | None = None


@dataclass(frozen=True)
class Descriptor:
    """One factor of the scenario space, on one STEEP parameter (``None`` for imported files)."""

    id: str
    name: str
    parameter: str | None
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class CIBModel:
    """Descriptors in file order and the judgements between their variants.

    ``matrix[a, b]`` is the integer judgement of how variant ``a`` (row, the source) promotes (+) or
    restricts (-) variant ``b`` (column, the target); variants are numbered descriptor by descriptor
    in file order (:attr:`offsets`). Cells inside a descriptor's own block are 0. ``notes`` holds the
    rationale of a judgement by (source, target) label ``"descriptor.variant"``.
    """

    descriptors: tuple[Descriptor, ...]
    matrix: np.ndarray
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    source: str = ""
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def sizes(self) -> tuple[int, ...]:
        """The number of variants of each descriptor."""
        return tuple(len(d.variants) for d in self.descriptors)

    @property
    def offsets(self) -> tuple[int, ...]:
        """Where each descriptor's variants start in the matrix's rows and columns."""
        starts, at = [], 0
        for n in self.sizes:
            starts.append(at)
            at += n
        return tuple(starts)

    @property
    def labels(self) -> tuple[str, ...]:
        """``descriptor.variant`` of every row and column, in matrix order."""
        return tuple(f"{d.id}.{v.id}" for d in self.descriptors for v in d.variants)
