"""The Stadtcheck as read: indicators per district, their catalogue, and the districts' map.

``stadtcheck.csv`` (or ``.xlsx``) holds one row per district and one column per indicator;
``stadtcheck.yaml`` is the indicator catalogue; ``districts.geojson`` (Stadtteil polygons in any CRS
that pyproj reads) or ``districts_layout.csv`` (a tile layout: ``district,row,col``) place the
districts on a map. :func:`~lev2040_mcda.case.stadtcheck_read.load_stadtcheck` reads them; what the
numbers mean (standings, need, equity) is the ``stadtcheck`` stage's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

__all__ = [
    "GEOJSON_FILE",
    "LAYOUT_FILE",
    "STADTCHECK_CATALOGUE",
    "STADTCHECK_FILE",
    "DistrictShape",
    "Indicator",
    "Stadtcheck",
    "residents",
]

STADTCHECK_FILE = "stadtcheck"
"""The indicators' file stem in the case folder: ``stadtcheck.csv`` or ``stadtcheck.xlsx``."""
STADTCHECK_CATALOGUE = "stadtcheck.yaml"
GEOJSON_FILE = "districts.geojson"
LAYOUT_FILE = "districts_layout.csv"

Polygon = tuple[tuple[tuple[float, float], ...], ...]
"""One polygon: its rings, the exterior first, each a closed sequence of (x, y) points."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue. ``need`` says which way means more need: ``higher`` (an
    SGB II rate) or ``lower`` (green space per resident). ``goals`` maps the goals it speaks to onto
    its weight in that goal's need index (positive; normalised per goal by the stage).
    ``illustrative`` marks figures that are not from a public source."""

    id: str
    name: str
    need: Literal["higher", "lower"] = "higher"
    unit: str | None = None
    year: int | None = None
    source: str | None = None
    illustrative: bool = False
    goals: dict[str, float] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class DistrictShape:
    """A district's geometry: one or more polygons in the file's CRS (:attr:`Stadtcheck.crs`)."""

    district: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True, eq=False)
class Stadtcheck:
    """The indicators of a case's districts.

    ``values[i, j]`` is district ``districts[i]``'s value of indicator ``indicators[j]``, NaN where it
    is missing (never zero). ``rows`` are the lines of the file the districts came from. ``shapes``
    (with their ``crs``, as pyproj reads it) or ``layout`` (district -> (row, col)) place the districts
    on a map; either may be empty."""

    indicators: tuple[Indicator, ...]
    districts: tuple[str, ...]
    values: np.ndarray
    rows: tuple[int, ...] = ()
    shapes: tuple[DistrictShape, ...] = ()
    crs: str | None = None
    layout: dict[str, tuple[int, int]] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[self.indicator_ids.index(indicator_id)]

    def column(self, indicator_id: str) -> dict[str, float | None]:
        """One indicator's values by district, ``None`` where missing."""
        j = self.indicator_ids.index(indicator_id)
        return {d: (None if np.isnan(v) else float(v)) for d, v in zip(self.districts, self.values[:, j])}

    def value(self, district: str, indicator_id: str) -> float | None:
        if district not in self.districts or indicator_id not in self.indicator_ids:
            return None
        v = self.values[self.districts.index(district), self.indicator_ids.index(indicator_id)]
        return None if np.isnan(v) else float(v)


def residents(districts: Iterable[Any], stadtcheck: Stadtcheck | None) -> dict[str, float]:
    """Residents per district id (``districts``: case.yaml's, in its order): its ``population``,
    else the Stadtcheck's ``population`` indicator, else, when it has parts and every part has a
    figure, the sum of its parts' figures. Districts with no figure are absent: a missing
    population is never zero."""
    districts = list(districts)
    known: dict[str, float] = {}
    if stadtcheck is not None and "population" in stadtcheck.indicator_ids:
        known = {d: v for d, v in stadtcheck.column("population").items() if v is not None and v >= 0}
    known |= {d.id: float(d.population) for d in districts if d.population is not None}
    children: dict[str | None, list[str]] = {}
    for d in districts:
        children.setdefault(d.parent, []).append(d.id)

    def figure(d: str, seen: frozenset[str]) -> float | None:
        if d not in known and children.get(d) and d not in seen:  # `seen`: a cycle cannot hang
            parts = [figure(k, seen | {d}) for k in children[d]]
            if all(p is not None for p in parts):
                known[d] = float(sum(parts))  # type: ignore[arg-type]
        return known.get(d)

    return {d.id: p for d in districts if (p := figure(d.id, frozenset())) is not None}
