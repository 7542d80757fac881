"""Reading ``districts.geojson``: the districts' polygons, checked, in the file's CRS.

A FeatureCollection (RFC 7946) whose features are Polygons or MultiPolygons, each naming its district
by a property (case.yaml ``stadtcheck.id_property``; by default ``id``, else ``name``), matched to a
district's id or name in any case. The coordinates are WGS84 longitude/latitude, as RFC 7946 says,
unless the file has the legacy ``crs`` member (``{"type": "name", "properties": {"name":
"urn:ogc:def:crs:EPSG::25832"}}``, as QGIS and ogr2ogr write it), which names any CRS pyproj reads.
A geometry must be valid (shapely's ``is_valid``; the reason is shapely's ``explain_validity``); a
feature for a district case.yaml does not know, or a second feature for one district, is a problem.
A district without a feature is not: the map shows it as a tile (the ``stadtcheck`` stage warns).

Problems are located at the line where the feature starts (the file is parsed once more for those
lines only, cheaply); a file written on one line gives the feature's number instead. pyproj and
shapely are imported only when a case has a GeoJSON.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from .readers import Reader
from .stadtcheck import DistrictShape, Polygon

if TYPE_CHECKING:
    from .stadtcheck_read import DistrictNames

__all__ = ["WGS84", "read_geojson"]

WGS84 = "OGC:CRS84"
"""RFC 7946's CRS: WGS84 with longitude first (what a GeoJSON without ``crs`` means)."""
_EXPECTED = 'expected {"type": "FeatureCollection", "features": [...]}'
_LEGACY = '{"type": "name", "properties": {"name": "EPSG:25832"}}'
_SPACE = re.compile(r"[ \t\n\r]*")


class _Unreadable(ValueError):
    """A value that is not what GeoJSON allows; its text is the reason."""


def read_geojson(
    reader: Reader, path: Path, names: DistrictNames | None, id_property: str | None
) -> tuple[tuple[DistrictShape, ...], str | None]:
    """The shapes of ``path`` (in the order of the file's features) and its CRS as pyproj reads
    it; ``((), None)`` when the file cannot be used (its problems in ``reader.problems``)."""
    got = reader.text(path)
    if got is None:
        return (), None
    shown, text = got
    twice: list[str] = []
    try:
        data = json.loads(text, object_pairs_hook=_pairs(twice), parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        reader.problems.append(Problem(shown, f"JSON syntax error: {exc.msg}", row=exc.lineno))
        return (), None
    except (ValueError, RecursionError) as exc:  # NaN, an integer of 5,000 digits, deep nesting
        reason = (
            str(exc)
            if isinstance(exc, _Unreadable)
            else "is nested too deeply or holds a number JSON cannot hold"
        )
        reader.problems.append(Problem(shown, f"cannot be read ({reason})"))
        return (), None
    problems = reader.problems
    if twice:
        problems.append(Problem(shown, f"the key {twice[0]!r} appears twice in one object (keep one)"))
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got_type = data.get("type") if isinstance(data, dict) else None
        what = f" (got type {got_type!r})" if isinstance(got_type, str) else ""
        problems.append(Problem(shown, f"is not a GeoJSON FeatureCollection{what} ({_EXPECTED})"))
        return (), None
    crs = _crs(shown, data.get("crs"), problems)
    features = data.get("features")
    if not isinstance(features, list):
        problems.append(
            Problem(shown, f"has no list `features` ({_EXPECTED})", column="features", kind="key")
        )
        return (), None
    if not features and not twice:  # a second `features` key is the problem to fix first
        reason = "has no features (expected one Polygon or MultiPolygon feature per district)"
        problems.append(Problem(shown, reason, column="features", kind="key"))
        return (), crs
    lines = _feature_lines(text, len(features))
    at = {}  # district -> line or number of its feature
    shapes: list[DistrictShape] = []
    geographic_checked = False
    for i, feature in enumerate(features):
        where = _Where(shown, i, lines)
        got_shape = _feature(where, feature, names, id_property, at, problems)
        if got_shape is None:
            continue
        if crs is not None and not geographic_checked and _outside_lon_lat(got_shape, crs):
            problems.append(where.problem("geometry.coordinates", _not_lon_lat(crs, data)))
            geographic_checked = True
        shapes.append(got_shape)
    return tuple(shapes), crs


class _Where:
    """Where feature ``i`` is: its line, or its number when the file has no lines to tell."""

    def __init__(self, shown: str, i: int, lines: list[int] | None):
        self.shown, self.i = shown, i
        self.line = lines[i] if lines is not None and len(set(lines)) == len(lines) else None

    @property
    def name(self) -> str:
        return f"line {self.line}" if self.line is not None else f"feature {self.i + 1}"

    def problem(self, key: str, reason: str) -> Problem:
        prefix = "" if self.line is not None else f"feature {self.i + 1}: "
        return Problem(self.shown, prefix + reason, row=self.line, column=f"features.{key}", kind="key")


def _pairs(twice: list[str]):
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) < len(pairs) and not twice:
            seen: set[str] = set()
            twice.extend(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return out

    return hook


def _no_constant(name: str) -> Any:
    raise _Unreadable(f"{name} is not a number GeoJSON allows (expected finite coordinates)")


# -- the CRS ----------------------------------------------------------------------------------


def _crs(shown: str, member: Any, problems: list[Problem]) -> str | None:
    """The file's CRS as a name pyproj reads (``EPSG:25832``), :data:`WGS84` without ``crs``."""
    if member is None:
        return WGS84
    props = member.get("properties") if isinstance(member, dict) else None
    name = None
    if isinstance(props, dict) and member.get("type") == "name" and isinstance(props.get("name"), str):
        name = props["name"]
    elif (
        isinstance(props, dict) and member.get("type") == "EPSG" and isinstance(props.get("code"), (int, str))
    ):
        name = f"EPSG:{props['code']}"
    if name is None:
        problems.append(
            Problem(shown, f"is not a CRS this file can name (expected {_LEGACY})", column="crs", kind="key")
        )
        return None
    import pyproj

    try:
        crs = pyproj.CRS.from_user_input(name)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:
        reason = f"{name!r} is not a CRS pyproj can read ({str(exc).splitlines()[0][:120]}; expected e.g. EPSG:25832)"
        problems.append(Problem(shown, reason, column="crs", kind="key"))
        return None
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else name


def _outside_lon_lat(shape: DistrictShape, crs: str) -> bool:
    if not _geographic(crs):
        return False
    return any(abs(x) > 180 or abs(y) > 90 for poly in shape.polygons for ring in poly for x, y in ring)


def _geographic(crs: str) -> bool:
    if crs == WGS84:
        return True
    import pyproj

    return bool(pyproj.CRS.from_user_input(crs).is_geographic)


def _not_lon_lat(crs: str, data: dict) -> str:
    said = (
        "names no crs, so RFC 7946's WGS84 longitude/latitude is meant"
        if "crs" not in data
        else f"names {crs}"
    )
    return (
        f"coordinates lie outside longitude -180..180 / latitude -90..90, but the file {said} "
        f'(projected coordinates? name their CRS: "crs": {_LEGACY})'
    )


# -- the features -----------------------------------------------------------------------------


def _feature(
    where: _Where,
    feature: Any,
    names: DistrictNames | None,
    id_property: str | None,
    at: dict[str, str],
    problems: list[Problem],
) -> DistrictShape | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(
            where.problem(
                "type", 'is not a Feature (expected {"type": "Feature", "properties": ..., "geometry": ...})'
            )
        )
        return None
    district = _district(where, feature, names, id_property, at, problems)
    try:
        polygons = _polygons(feature.get("geometry"))
    except _Unreadable as exc:
        problems.append(where.problem("geometry", str(exc)))
        return None
    if (reason := _invalid(polygons)) is not None:
        problems.append(where.problem("geometry", reason))
        return None
    if district is None:
        return None
    return DistrictShape(district, polygons)


def _district(
    where: _Where,
    feature: dict,
    names: DistrictNames | None,
    id_property: str | None,
    at: dict[str, str],
    problems: list[Problem],
) -> str | None:
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    keys = (id_property,) if id_property else ("id", "name")
    key = next((k for k in keys if props.get(k) not in (None, "")), None)
    if key is None:
        said = f"'{id_property}' (case.yaml stadtcheck.id_property)" if id_property else "'id' or 'name'"
        problems.append(
            where.problem(f"properties.{keys[0]}", f"has no property {said} (expected the district it draws)")
        )
        return None
    value = props[key]
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if names is None:
        return None
    district = names.resolve(text)
    if district is None:
        problems.append(where.problem(f"properties.{key}", names.unknown(text)))
        return None
    if district in at:
        reason = f"district {district!r} has a feature already (at {at[district]}; one feature per district: a MultiPolygon for several parts)"
        problems.append(where.problem(f"properties.{key}", reason))
        return None
    at[district] = where.name
    return district


def _polygons(geometry: Any) -> tuple[Polygon, ...]:
    """The polygons of a Polygon or MultiPolygon geometry, each ring closed; ``_Unreadable`` else."""
    if not isinstance(geometry, dict):
        raise _Unreadable("is missing (expected a Polygon or MultiPolygon)")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise _Unreadable(
            f"is a {kind!r} (expected a Polygon or MultiPolygon)"
            if isinstance(kind, str)
            else "has no type (expected a Polygon or MultiPolygon)"
        )
    if not isinstance(coords, list) or not coords:
        raise _Unreadable(
            f"has no coordinates (expected a list of {'rings' if kind == 'Polygon' else 'polygons'})"
        )
    parts = [coords] if kind == "Polygon" else coords
    out = []
    for part in parts:
        if not isinstance(part, list) or not part:
            raise _Unreadable("holds a polygon that is not a list of rings (expected [[[x, y], ...], ...])")
        out.append(tuple(_ring(ring) for ring in part))
    return tuple(out)


def _ring(ring: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(ring, list):
        raise _Unreadable("holds a ring that is not a list of positions (expected [[x, y], ...])")
    points = []
    for pos in ring:
        if (
            not isinstance(pos, list)
            or len(pos) < 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos[:2])
        ):
            raise _Unreadable(f"holds a position that is not [x, y] numbers ({json.dumps(pos)[:40]})")
        x, y = float(pos[0]), float(pos[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise _Unreadable("holds a coordinate that is not a finite number")
        points.append((x, y))
    if points and points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4:
        raise _Unreadable(f"holds a ring of {len(set(points))} points (expected at least 3 corners, closed)")
    return tuple(points)


def _invalid(polygons: tuple[Polygon, ...]) -> str | None:
    """Why the geometry is not valid (shapely's words), or ``None``."""
    import shapely
    from shapely.validation import explain_validity

    geometry = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in polygons])
    if geometry.is_valid:
        return None
    return (
        f"is not a valid geometry: {explain_validity(geometry)} (expected simple, non-overlapping polygons)"
    )


# -- where each feature starts ----------------------------------------------------------------


def _feature_lines(text: str, count: int) -> list[int] | None:
    """The line where each element of the top-level ``features`` list starts; ``None`` when the
    text does not give them (a best effort: ``json.loads`` has read the file already)."""
    decoder = json.JSONDecoder()
    try:
        pos = _skip(text, 0)
        if text[pos] != "{":
            return None
        pos = _skip(text, pos + 1)
        while text[pos] != "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text[pos] != ":":
                return None
            pos = _skip(text, pos + 1)
            if key == "features" and text[pos] == "[":
                starts = _elements(text, pos, decoder)
                return _lines(text, starts) if len(starts) == count else None
            _, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
    except (ValueError, IndexError, RecursionError):
        return None
    return None


def _elements(text: str, pos: int, decoder: json.JSONDecoder) -> list[int]:
    starts = []
    pos = _skip(text, pos + 1)
    while text[pos] != "]":
        starts.append(pos)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return starts


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _lines(text: str, starts: list[int]) -> list[int]:
    out, line, last = [], 1, 0
    for start in starts:
        line += text.count("\n", last, start)
        last = start
        out.append(line)
    return out
