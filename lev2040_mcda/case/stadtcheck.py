"""The Stadtcheck as read: indicators per district, their catalogue, and the districts' map.

``stadtcheck.csv`` (or ``.xlsx``) holds one row per district and one column per indicator;
``stadtcheck.yaml`` is the indicator catalogue; ``districts.geojson`` (Stadtteil polygons in any CRS
that pyproj reads) or ``districts_layout.csv`` (a tile layout: ``district,row,col``) place the
districts on a map. :func:`~lev2040_mcda.case.stadtcheck_read.load_stadtcheck` reads them; what the
numbers mean (standings, need, equity) is the ``stadtcheck`` stage's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

__all__ = [
    "GEOJSON_FILE",
    "LAYOUT_FILE",
    "STADTCHECK_CATALOGUE",
    "STADTCHECK_FILE",
    "DistrictShape",
    "Indicator",
    "Stadtcheck",
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
