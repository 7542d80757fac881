"""A small valid Stadtcheck for a copy of cases/tiny (districts ``stadt`` (the root), ``nord``,
``sued``; goals ``klima``, ``wohnen``, ``finanzen``): four indicators, one value missing, two
adjacent square districts as GeoJSON (EPSG:25832 with the legacy ``crs`` member, or WGS84 lon/lat)
and a tile layout. The numbers are small and round so that standings can be computed by hand.

``write_stadtcheck(tiny)`` writes stadtcheck.csv and .yaml, districts.geojson and the layout;
``write_stadtcheck(tiny, geojson="wgs84", layout=False)`` the lon/lat variant and no layout.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "CATALOGUE",
    "TABLE",
    "VALUES",
    "SQUARES_25832",
    "SQUARES_WGS84",
    "LAYOUT",
    "geojson_text",
    "write_stadtcheck",
]

CATALOGUE = """\
indicators:
  - id: population
    name: Einwohnerinnen und Einwohner
    unit: persons
    year: 2023
    source: "illustrative"
    illustrative: true
  - id: sgb2_rate
    name: SGB-II-Quote
    unit: "%"
    year: 2023
    source: "illustrative"
    illustrative: true
    need: higher
    goals: {wohnen: 1}
  - id: green_m2_per_resident
    name: Grünfläche je Einwohner
    unit: m²
    year: 2022
    source: "illustrative"
    illustrative: true
    need: lower
    goals: {klima: 1, wohnen: 0.5}
  - id: heat_days
    name: Hitzetage
    unit: days/year
    source: "illustrative"
    illustrative: true
    need: higher
    goals: {klima: 0.5}
    note: "no figure for the city as a whole"
"""

TABLE = """\
district,population,sgb2_rate,green_m2_per_resident,heat_days
stadt,20000,9.6,30,
nord,12000,12,20,14
sued,8000,6,45,9
"""

VALUES = {
    "stadt": {"population": 20000.0, "sgb2_rate": 9.6, "green_m2_per_resident": 30.0, "heat_days": None},
    "nord": {"population": 12000.0, "sgb2_rate": 12.0, "green_m2_per_resident": 20.0, "heat_days": 14.0},
    "sued": {"population": 8000.0, "sgb2_rate": 6.0, "green_m2_per_resident": 45.0, "heat_days": 9.0},
}
"""What :data:`TABLE` holds, ``None`` where missing."""

SQUARES_25832 = {
    "nord": [[360000, 5652000], [362000, 5652000], [362000, 5654000], [360000, 5654000], [360000, 5652000]],
    "sued": [[360000, 5650000], [362000, 5650000], [362000, 5652000], [360000, 5652000], [360000, 5650000]],
}
"""Two 2 km squares in UTM 32N (metres), ``nord`` above ``sued``, sharing the edge y = 5652000."""
SQUARES_WGS84 = {
    "nord": [[7.0, 51.03], [7.03, 51.03], [7.03, 51.06], [7.0, 51.06], [7.0, 51.03]],
    "sued": [[7.0, 51.0], [7.03, 51.0], [7.03, 51.03], [7.0, 51.03], [7.0, 51.0]],
}
"""The same arrangement in longitude/latitude (RFC 7946, no ``crs`` member)."""

LAYOUT = "district,row,col\nnord,0,0\nsued,1,0\n"

NAMES = {"nord": "Nord", "sued": "Süd"}


def geojson_text(variant: str = "25832", squares: dict | None = None) -> str:
    """The GeoJSON of the two squares: ``"25832"`` with the legacy crs member, ``"wgs84"`` without."""
    rings = squares or (SQUARES_25832 if variant == "25832" else SQUARES_WGS84)
    data: dict = {"type": "FeatureCollection"}
    if variant == "25832":
        data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
    data["features"] = [
        {
            "type": "Feature",
            "properties": {"id": d, "name": NAMES.get(d, d)},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for d, ring in rings.items()
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_stadtcheck(root: Path, *, geojson: bool | str = True, layout: bool = True) -> None:
    """Write the Stadtcheck into the case folder ``root`` (a copy of cases/tiny).

    ``geojson``: True or ``"25832"`` for the squares in EPSG:25832, ``"wgs84"`` for them in
    longitude/latitude, False for no districts.geojson; ``layout``: whether to write
    districts_layout.csv.
    """
    root = Path(root)
    (root / "stadtcheck.yaml").write_text(CATALOGUE, encoding="utf-8")
    (root / "stadtcheck.csv").write_text(TABLE, encoding="utf-8")
    if geojson:
        variant = "25832" if geojson is True else str(geojson)
        (root / "districts.geojson").write_text(geojson_text(variant), encoding="utf-8")
    if layout:
        (root / "districts_layout.csv").write_text(LAYOUT, encoding="utf-8")
