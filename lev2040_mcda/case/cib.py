"""A cross-impact balance (CIB) model as read: descriptors, their variants, the judgement matrix.

The reading of ``descriptors.yaml``, ``cross_impacts.csv``/``.xlsx`` (:mod:`.cib_read`) and
ScenarioWizard ``.scw`` files (:mod:`.scw`) lives in ``case/`` (only ``case/`` opens input files);
``scenarios/`` computes on :class:`CIBModel`. A model holds plain data only (tuples, dicts, one numpy
array), so that it pickles: the scenario search sends it to the workers of an executor.
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
    description: str | None = None


@dataclass(frozen=True)
class CIBModel:
    """Descriptors in file order and the judgements between their variants.

    ``matrix[a, b]`` is the integer judgement of how variant ``a`` (row, the source) promotes (+) or
    restricts (-) variant ``b`` (column, the target); variants are numbered descriptor by descriptor
    in file order (:attr:`offsets`). Cells inside a descriptor's own block are 0. ``notes`` holds the
    rationale of a judgement by (source, target) label ``"descriptor.variant"``, or of a whole
    judgement section by (source, target) descriptor id (as ScenarioWizard keeps its comments).

    ``source`` is the folder or ``.scw`` file read (as messages show it), ``hashes`` the sha256 of
    every file read; ``descriptors_file`` is where the variants' effects were written and
    ``effect_lines`` the line of each variant (by label) in it, so that :func:`.cib_read.check_cib`
    can point at the effect that names an unknown resource, criterion or measure.
    """

    descriptors: tuple[Descriptor, ...]
    matrix: np.ndarray
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    source: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    descriptors_file: str = ""
    effect_lines: dict[str, int] = field(default_factory=dict)

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
