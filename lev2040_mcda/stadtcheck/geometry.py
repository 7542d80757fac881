"""The districts on a map: the Stadtcheck's polygons projected to metres and simplified, or its tile
layout as unit squares.

**Projection.** ``districts.geojson`` may be in any CRS pyproj reads. A projected CRS in metres (an
ETRS89 / UTM zone such as EPSG:25832) is kept as it is: the city's own maps use it. Anything else
(WGS84 lon/lat, a CRS in feet, a Mercator whose metres are stretched by 1/cos(latitude)) is projected
to the WGS84 UTM zone of the data's centre (EPSG:326zz north, 327zz south): conformal and, within a
city, true to scale to a few parts in ten thousand, so distances and areas on the map are metres.

**Simplification.** Each district is simplified with shapely's ``simplify(tolerance,
preserve_topology=True)`` (Douglas-Peucker that keeps rings valid), the tolerance 0.2 % of the diagonal
of all districts' extent: a 15 km city loses the detail below 30 m, about a pixel at report size, and
the SVG stays small. A simplification that comes out invalid or empty keeps the unsimplified shape.
:meth:`MapShapes.dissolve` unions the *unsimplified* shapes (so neighbours simplified apart leave no
slivers) and simplifies the union with the same tolerance.

**Label points**: the centroid where it lies well inside the shape, else the pole of inaccessibility
(shapely ``polylabel``) of the district's largest part; for tiles the square's centre.

**Which districts.** Only Stadtteile normally have polygons: a Stadtbezirk is the union of its parts
(:meth:`MapShapes.dissolve`). The map is of the case's leaf districts (those without parts; the root
alone when it has none). A leaf without a polygon is named in :attr:`MapShapes.warning`; when
``districts_layout.csv`` has a tile for every leaf the map falls back to the tiles, else the polygons
are kept and the missing districts listed (:attr:`MapShapes.missing`). A polygon of a district whose
parts have polygons of their own is left out (it would lie under them).

pyproj and shapely are imported only when a map is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from ..case.stadtcheck import GEOJSON_FILE, LAYOUT_FILE
from ..errors import InputErrors, Problem

__all__ = ["MapShapes", "SIMPLIFY_FRACTION", "map_shapes"]

SIMPLIFY_FRACTION = 0.002
"""The simplification tolerance as a fraction of the diagonal of the districts' extent."""

Rings = list[np.ndarray]


@dataclass(frozen=True, eq=False)
class MapShapes:
    """The districts as drawn: ``polygons[d]`` is district ``d``'s rings, each an ``(n, 2)`` array of
    closed (first point = last) coordinates, exteriors counter-clockwise and holes clockwise (so a path
    of all of them fills right by the non-zero rule); ``label_points[d]`` where its name goes;
    ``bounds`` ``(xmin, ymin, xmax, ymax)`` of them all. ``kind`` is ``"geometry"`` (metres in ``crs``)
    or ``"tiles"`` (unit squares, row 0 at the top: tile (row, col) spans x in [col, col + 1], y in
    [-row - 1, -row]). ``warning`` says what could not be drawn as asked; ``missing`` the districts
    that are not on the map at all. ``geometries`` holds the projected, unsimplified shapely shapes
    that :meth:`dissolve` unions (empty for tiles)."""

    kind: Literal["geometry", "tiles"]
    polygons: dict[str, Rings]
    label_points: dict[str, tuple[float, float]]
    bounds: tuple[float, float, float, float]
    warning: str | None = None
    missing: tuple[str, ...] = ()
    crs: str | None = None
    tolerance: float = 0.0
    geometries: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def districts(self) -> tuple[str, ...]:
        return tuple(self.polygons)

    def vertices(self) -> int:
        """How many points the map's rings hold together (what the SVG's size grows with)."""
        return sum(len(r) for rings in self.polygons.values() for r in rings)

    def _shape(self, district: str):
        shape = self.geometries.get(district)
        return shape if shape is not None else _from_rings(self.polygons[district])

    def dissolve(self, parent_of: Mapping[str, str | None]) -> MapShapes:
        """The map one level up: every district drawn as part of ``parent_of[d]`` (a Stadtteil as its
        Stadtbezirk), the parts' shapes unioned (shapely ``unary_union``); a district that
        ``parent_of`` does not name (or names as None) keeps its own shape. Districts in the order
        their first part comes."""
        import shapely

        groups: dict[str, list[str]] = {}
        for d in self.polygons:
            groups.setdefault(parent_of.get(d) or d, []).append(d)
        merged: dict[str, Any] = {}
        for group, parts in groups.items():
            shapes = [self._shape(d) for d in parts]
            merged[group] = shapely.union_all(shapes) if len(shapes) > 1 else shapes[0]
        if self.kind == "tiles":  # unions of squares are exact: no simplification
            drawn = dict(merged)
        else:
            drawn = {g: _simplified(s, self.tolerance) for g, s in merged.items()}
        scale = _diagonal(self.bounds)
        polygons = {g: _rings(s) for g, s in drawn.items()}
        missing = tuple(dict.fromkeys(parent_of.get(d) or d for d in self.missing))
        return replace(
            self,
            polygons=polygons,
            label_points={g: _label_point(s, scale) for g, s in drawn.items()},
            bounds=_bounds(polygons),
            missing=missing,
            geometries=merged if self.kind == "geometry" else {},
        )


def map_shapes(case) -> MapShapes | None:
    """The map of ``case``'s districts (see the module's text for what is drawn and how); None when
    its Stadtcheck has neither polygons nor a tile layout (or there is no Stadtcheck)."""
    sc = getattr(case, "stadtcheck", None)
    if sc is None or not (sc.shapes or sc.layout):
        return None
    order = [d.id for d in case.config.districts]
    order += [d for d in sc.districts if d not in order]
    parent = {d.id: d.parent for d in case.config.districts}
    leaves = _leaves(order, parent)
    if sc.shapes:
        shapes = {s.district: s.polygons for s in sc.shapes}
        lacking = [d for d in leaves if d not in shapes]
        if not lacking:
            return _geometry(shapes, sc.crs, order, parent)
        names = ", ".join(lacking)
        if sc.layout and all(d in sc.layout for d in leaves):
            return _tiles(sc.layout, order, f"{GEOJSON_FILE} lacks geometry for {names}: shown as tiles")
        warning = f"{GEOJSON_FILE} lacks geometry for {names}: not on the map"
        return replace(_geometry(shapes, sc.crs, order, parent), warning=warning, missing=tuple(lacking))
    lacking = [d for d in leaves if d not in sc.layout]
    tiles = _tiles(sc.layout, order, None)
    if lacking:
        warning = f"{LAYOUT_FILE} has no tile for {', '.join(lacking)}: not on the map"
        tiles = replace(tiles, warning=warning, missing=tuple(lacking))
    return tiles


def _leaves(order: list[str], parent: Mapping[str, str | None]) -> list[str]:
    """The districts with no parts, in ``order``; the root alone when it is all there is."""
    has_parts = {p for p in parent.values() if p is not None}
    return [d for d in order if d not in has_parts]


def _tiles(layout: Mapping[str, tuple[int, int]], order: list[str], warning: str | None) -> MapShapes:
    ranked = {d: i for i, d in enumerate(order)}
    districts = sorted(layout, key=lambda d: (ranked.get(d, len(ranked)), d))
    polygons: dict[str, Rings] = {}
    points: dict[str, tuple[float, float]] = {}
    for d in districts:
        row, col = layout[d]
        x, y = float(col), -float(row) - 1.0
        polygons[d] = [np.array([[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]])]
        points[d] = (x + 0.5, y + 0.5)
    return MapShapes("tiles", polygons, points, _bounds(polygons), warning=warning)


def _geometry(shapes: Mapping[str, tuple], crs: str | None, order: list[str], parent) -> MapShapes:
    """The polygons in ``crs`` (None: RFC 7946's WGS84 lon/lat) projected, simplified and labelled."""
    import shapely
    from pyproj import CRS, Transformer

    source = CRS.from_user_input(crs or "OGC:CRS84")
    ranked = {d: i for i, d in enumerate(order)}
    covered = _with_shaped_parts(shapes, parent)
    districts = sorted((d for d in shapes if d not in covered), key=lambda d: (ranked.get(d, len(ranked)), d))
    raw = np.concatenate([np.asarray(r, dtype=float) for d in districts for p in shapes[d] for r in p])
    centre = (raw.min(axis=0) + raw.max(axis=0)) / 2
    lon, lat = Transformer.from_crs(source, "EPSG:4326", always_xy=True).transform(*centre)
    if not (np.isfinite(lon) and np.isfinite(lat)):
        reason = f"the districts' coordinates lie outside what {source.name} covers"
        raise InputErrors([Problem(GEOJSON_FILE, reason)])
    target = _metric_crs(source, float(lon), float(lat))
    project = Transformer.from_crs(source, target, always_xy=True)
    geometries: dict[str, Any] = {}
    problems: list[Problem] = []
    for d in districts:
        parts = []
        for polygon in shapes[d]:
            rings = []
            for ring in polygon:
                a = np.asarray(ring, dtype=float)
                x, y = project.transform(a[:, 0], a[:, 1])
                rings.append(np.column_stack([x, y]))
            parts.append(shapely.Polygon(rings[0], rings[1:]))
        if not all(np.isfinite(shapely.get_coordinates(p)).all() for p in parts):
            problems.append(Problem(GEOJSON_FILE, f"district '{d}': cannot be projected to {target.name}"))
            continue
        geometry = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        geometries[d] = geometry if geometry.is_valid else _polygonal(shapely.make_valid(geometry))
    if problems:
        raise InputErrors(problems)
    extent = shapely.GeometryCollection(list(geometries.values())).bounds
    scale = _diagonal(extent)
    tolerance = SIMPLIFY_FRACTION * scale
    drawn = {d: _simplified(g, tolerance) for d, g in geometries.items()}
    polygons = {d: _rings(g) for d, g in drawn.items()}
    return MapShapes(
        "geometry",
        polygons,
        {d: _label_point(g, scale) for d, g in drawn.items()},
        _bounds(polygons),
        crs=target.to_string(),
        tolerance=tolerance,
        geometries=geometries,
    )


def _metric_crs(source, lon: float, lat: float):
    """``source`` when it is projected in metres and true to scale (not a Mercator), else the WGS84
    UTM zone of (lon, lat)."""
    from pyproj import CRS

    if source.is_projected and all(a.unit_name in ("metre", "meter") for a in source.axis_info[:2]):
        operation = source.coordinate_operation
        method = (operation.method_name if operation is not None else "").lower()
        if not ("mercator" in method and "transverse" not in method):
            return source
    zone = int(np.floor((lon + 180.0) / 6.0)) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def _with_shaped_parts(shapes: Mapping[str, Any], parent: Mapping[str, str | None]) -> set[str]:
    """The districts above (a parent, its parent, ...) some district that has a polygon."""
    above: set[str] = set()
    for d in shapes:
        seen = {d}
        p = parent.get(d)
        while p is not None and p not in seen:  # `not in seen`: a cycle cannot hang
            above.add(p)
            seen.add(p)
            p = parent.get(p)
    return above


def _polygonal(geometry):
    """The polygons of ``geometry`` (``make_valid`` may add lines or points where rings touched)."""
    import shapely

    parts = [g for g in _parts(geometry) if isinstance(g, shapely.Polygon) and not g.is_empty]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _parts(geometry) -> list:
    return list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]


def _simplified(geometry, tolerance: float):
    """``geometry`` simplified (topology kept); unsimplified when that came out invalid or empty."""
    if tolerance <= 0:
        return geometry
    simple = geometry.simplify(tolerance, preserve_topology=True)
    return simple if not simple.is_empty and simple.is_valid else geometry


def _rings(geometry) -> Rings:
    """Every ring of ``geometry``'s polygons, exteriors counter-clockwise and holes clockwise."""
    import shapely
    from shapely.geometry.polygon import orient

    rings: Rings = []
    for part in _parts(geometry):
        if not isinstance(part, shapely.Polygon) or part.is_empty:
            continue
        part = orient(part, sign=1.0)
        rings.append(np.asarray(part.exterior.coords, dtype=float)[:, :2])
        rings += [np.asarray(r.coords, dtype=float)[:, :2] for r in part.interiors]
    return rings


def _from_rings(rings: Rings):
    """The shapely shape of rings as :class:`MapShapes` holds them: each clockwise ring (a hole) goes
    to the smallest counter-clockwise ring (an exterior) around it."""
    import shapely

    outer = [r for r in rings if _signed_area(r) > 0]
    holes = [r for r in rings if _signed_area(r) <= 0]
    shells = [shapely.Polygon(r) for r in outer]
    inside: list[list[np.ndarray]] = [[] for _ in outer]
    for h in holes:
        point = shapely.Polygon(h).representative_point()
        around = [i for i, s in enumerate(shells) if s.contains(point)]
        if around:
            inside[min(around, key=lambda i: shells[i].area)].append(h)
    parts = [shapely.Polygon(r, hs) for r, hs in zip(outer, inside)]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def _label_point(geometry, scale: float) -> tuple[float, float]:
    """The centroid of ``geometry``'s largest part where it lies well inside (at least half as deep
    as the deepest point), else that deepest point (``polylabel``)."""
    from shapely.ops import polylabel

    parts = [p for p in _parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        c = geometry.representative_point()
        return (float(c.x), float(c.y))
    largest = max(parts, key=lambda p: p.area)
    pole = polylabel(largest, tolerance=max(scale, 1e-12) * 1e-3)
    depth = largest.boundary.distance(pole)
    centre = largest.centroid
    if largest.contains(centre) and largest.boundary.distance(centre) >= 0.5 * depth:
        return (float(centre.x), float(centre.y))
    return (float(pole.x), float(pole.y))


def _bounds(polygons: Mapping[str, Rings]) -> tuple[float, float, float, float]:
    points = [r for rings in polygons.values() for r in rings]
    if not points:
        return (0.0, 0.0, 1.0, 1.0)
    a = np.concatenate(points)
    lo, hi = a.min(axis=0), a.max(axis=0)
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def _diagonal(bounds) -> float:
    return float(np.hypot(bounds[2] - bounds[0], bounds[3] - bounds[1]))
