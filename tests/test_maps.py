"""The districts' map: shapes projected to metres and simplified (``stadtcheck/geometry.py``), the
tile layout where there is no geometry, and the choropleth SVG (``report/figures/maps.py``)."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case import load_case
from lev2040_mcda.case.stadtcheck import DistrictShape, Indicator, Stadtcheck
from lev2040_mcda.report.figures import district_map_svg
from lev2040_mcda.stadtcheck.geometry import SIMPLIFY_FRACTION, MapShapes, map_shapes

from .conftest import CASES
from .stadtcheck_fixtures import SQUARES_25832, geojson_text, write_stadtcheck

NAMES = {"stadt": "Stadt", "nord": "Nord", "sued": "Süd"}
TEXTS = {"title": "Need by district", "label": "Need index", "names": NAMES, "no_data": "keine Daten"}


@pytest.fixture(scope="module")
def tiny_case():
    return load_case(CASES / "tiny")


def _with(case, **fields) -> object:
    """``case`` with a Stadtcheck of one indicator for nord and sued and the given map fields."""
    sc = Stadtcheck(
        indicators=(Indicator("x", "X"),),
        districts=("nord", "sued"),
        values=np.array([[1.0], [2.0]]),
        **fields,
    )
    return case.model_copy(update={"stadtcheck": sc})


def _square(x: float, y: float, side: float, n: int = 1) -> tuple:
    """A square's ring (``n`` points per side), closed."""
    t = np.linspace(0, side, n, endpoint=False)
    pts = [(x + s, y) for s in t] + [(x + side, y + s) for s in t]
    pts += [(x + side - s, y + side) for s in t] + [(x, y + side - s) for s in t]
    return (*pts, pts[0])


def _group(svg: str, figure: str, district: str) -> str:
    """The content of district ``district``'s group in ``svg``."""
    found = re.search(rf'<g id="fig-{figure}-district-{district}">(.*?)</g>', svg, re.S)
    assert found, f"no group for {district}"
    return found[1]


def _render(shapes: MapShapes, values=None, **kw) -> str:
    return district_map_svg(
        shapes, values if values is not None else {"nord": 1.5, "sued": -0.5}, **TEXTS, **kw
    )


def _every_district_drawn(svg: str, districts, figure: str = "map") -> None:
    for d in districts:
        group = _group(svg, figure, d)
        assert group.count("<path") == 1, f"{d} should be one path"
        assert f"<title>{NAMES[d]}: " in group
        assert f">{NAMES[d]}</text>" in svg  # its name drawn on the map, as text


@pytest.mark.parametrize("variant, crs", [("25832", "EPSG:25832"), ("wgs84", "EPSG:32632")])
def test_the_map_of_a_geojson_has_every_district(tiny, variant, crs):
    write_stadtcheck(tiny, geojson=variant, layout=False)
    shapes = map_shapes(load_case(tiny))
    assert shapes.kind == "geometry" and shapes.crs == crs and shapes.warning is None
    assert shapes.districts == ("nord", "sued")
    assert shapes.label_points["nord"][1] > shapes.label_points["sued"][1]  # north is up
    svg = _render(shapes)
    assert svg.startswith('<svg role="img"') and '<title id="fig-map-title">Need by district</title>' in svg
    _every_district_drawn(svg, ("nord", "sued"))


def test_a_geojson_in_lon_lat_is_drawn_in_metres(tiny):
    write_stadtcheck(tiny, geojson="wgs84", layout=False)
    shapes = map_shapes(load_case(tiny))
    ring = shapes.polygons["sued"][0]  # 0.03 degrees each way from (7.0 E, 51.0 N)
    sides = sorted(np.hypot(*np.diff(ring, axis=0).T))
    assert sides[0] == pytest.approx(0.03 * 111_320 * math.cos(math.radians(51.0)), rel=0.01)
    assert sides[-1] == pytest.approx(0.03 * 111_200, rel=0.01)


def test_two_points_a_kilometre_apart_stay_a_kilometre_apart(tiny_case):
    from pyproj import Transformer

    square = _square(360000.0, 5650000.0, 1000.0)
    kept = map_shapes(_with(tiny_case, shapes=(DistrictShape("nord", ((square,),)),), crs="EPSG:25832"))
    assert kept.crs == "EPSG:25832"
    assert np.hypot(*np.diff(kept.polygons["nord"][0], axis=0).T) == pytest.approx(1000.0, abs=1e-6)
    for crs in ("EPSG:4326", "EPSG:3857"):  # lon/lat, and a Mercator whose metres are not metres
        to = Transformer.from_crs("EPSG:25832", crs, always_xy=True)
        moved = tuple(to.transform(x, y) for x, y in square)
        shapes = map_shapes(_with(tiny_case, shapes=(DistrictShape("nord", ((moved,),)),), crs=crs))
        assert shapes.crs == "EPSG:32632"
        assert np.hypot(*np.diff(shapes.polygons["nord"][0], axis=0).T) == pytest.approx(1000.0, abs=1.0)


def test_the_tile_layout_is_drawn_when_there_is_no_geometry(tiny):
    write_stadtcheck(tiny, geojson=False, layout=True)
    shapes = map_shapes(load_case(tiny))
    assert shapes.kind == "tiles" and shapes.warning is None and shapes.crs is None
    assert shapes.label_points == {"nord": (0.5, -0.5), "sued": (0.5, -1.5)}  # row 0 at the top
    assert shapes.bounds == (0.0, -2.0, 1.0, 0.0)
    _every_district_drawn(_render(shapes), ("nord", "sued"))


def test_without_geometry_or_layout_there_is_no_map(tiny_case):
    assert map_shapes(tiny_case) is None
    assert map_shapes(_with(tiny_case)) is None


def test_a_missing_value_is_drawn_as_no_data(tiny):
    write_stadtcheck(tiny, layout=False)
    shapes = map_shapes(load_case(tiny))
    for missing in (None, float("nan")):
        svg = _render(shapes, {"nord": 3.0, "sued": missing})
        assert "<title>Süd: keine Daten</title>" in _group(svg, "map", "sued")
        assert "fill: url(#fig-map-h" in _group(svg, "map", "sued")  # hatched
        assert "url(#" not in _group(svg, "map", "nord").split("clip-path")[0]
        assert ">keine Daten</text>" in svg  # the legend's entry
    nothing = _render(shapes, {})
    assert all("fill: url(#fig-map-h" in _group(nothing, "map", d) for d in ("nord", "sued"))
    assert "Need index" not in nothing  # no colour bar without values


def test_the_map_is_the_same_bytes_every_time(tiny):
    write_stadtcheck(tiny, layout=False)
    shapes = map_shapes(load_case(tiny))
    outline = shapes.dissolve({"nord": "stadt", "sued": "stadt"})
    kw = {"symbols": {"nord": 12.0, "sued": 3.0}, "symbol_label": "Budget", "outline": outline}
    first = _render(shapes, **kw)
    assert first == _render(map_shapes(load_case(tiny)), **kw)
    assert "Date" not in first and re.search(r'id="(?!fig-map-)', first) is None


def test_symbols_outline_and_ids_of_another_figure(tiny):
    write_stadtcheck(tiny, layout=False)
    shapes = map_shapes(load_case(tiny))
    outline = shapes.dissolve({"nord": "stadt", "sued": "stadt"})
    svg = _render(
        shapes,
        symbols={"nord": 10.0, "sued": 0.0},
        symbol_label="Budget (EUR m)",
        outline=outline,
        figure_id="pf",
    )
    assert '<g id="fig-pf-symbols">' in svg and ">Budget (EUR m)</text>" in svg
    circles = re.search(r'<g id="fig-pf-symbols">(.*?)</g>', svg, re.S)[1]
    assert circles.count("<use ") == 1  # nord's; sued's 0 draws none
    assert all(f">{v}</text>" in svg for v in ("10", "5", "2.5"))  # the size legend
    assert '<g id="fig-pf-outline-stadt">' in svg
    _every_district_drawn(svg, ("nord", "sued"), figure="pf")


def test_districts_without_geometry_fall_back_to_the_tiles_with_a_warning(tiny):
    write_stadtcheck(tiny, layout=True)
    (tiny / "districts.geojson").write_text(geojson_text(squares={"nord": SQUARES_25832["nord"]}), "utf-8")
    shapes = map_shapes(load_case(tiny))
    assert shapes.kind == "tiles" and shapes.districts == ("nord", "sued")
    assert shapes.warning == "districts.geojson lacks geometry for sued: shown as tiles"
    (tiny / "districts_layout.csv").unlink()
    kept = map_shapes(load_case(tiny))
    assert kept.kind == "geometry" and kept.districts == ("nord",) and kept.missing == ("sued",)
    assert "sued" in kept.warning and "not on the map" in kept.warning
    _every_district_drawn(_render(kept), ("nord",))


def test_a_layout_without_a_tile_for_a_district_says_so(tiny_case):
    shapes = map_shapes(_with(tiny_case, layout={"nord": (0, 0)}))
    assert shapes.districts == ("nord",) and shapes.missing == ("sued",)
    assert shapes.warning == "districts_layout.csv has no tile for sued: not on the map"


def test_simplification_drops_vertices_and_keeps_the_shape_valid(tiny_case):
    import shapely

    angles = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    radius = 3000 + 4 * np.sin(angles * 400)  # a wiggle far below the tolerance (about 17 m)
    ring = np.column_stack([361000 + radius * np.cos(angles), 5651000 + radius * np.sin(angles)])
    ring = tuple(map(tuple, np.vstack([ring, ring[:1]])))
    hole = _square(360500.0, 5650500.0, 1000.0, n=200)[::-1]
    dense = DistrictShape("nord", ((ring, hole),))
    shapes = map_shapes(_with(tiny_case, shapes=(dense,), crs="EPSG:25832"))
    assert shapes.tolerance == pytest.approx(SIMPLIFY_FRACTION * math.hypot(6008, 6008), rel=0.01)
    assert shapes.vertices() < 200 < 4001 + 801
    exterior, inner = shapes.polygons["nord"]
    polygon = shapely.Polygon(exterior, [inner])
    assert (
        polygon.is_valid
        and shapely.Polygon(exterior).exterior.is_ccw
        and not shapely.LinearRing(inner).is_ccw
    )
    assert polygon.area == pytest.approx(math.pi * 3000**2 - 1000**2, rel=0.01)
    x, y = shapes.label_points["nord"]
    assert polygon.contains(shapely.Point(x, y))  # not in the hole at the centre


def test_dissolving_unions_the_parts(tiny):
    import shapely

    write_stadtcheck(tiny, layout=True)
    (tiny / "districts_layout.csv").write_text("district,row,col\nnord,0,0\nsued,0,1\n", "utf-8")
    for kind in ("geometry", "tiles"):
        if kind == "tiles":
            (tiny / "districts.geojson").unlink()
        shapes = map_shapes(load_case(tiny))
        assert shapes.kind == kind
        for source in (shapes, replace(shapes, geometries={})):  # from shapely's shapes, or from the rings
            whole = source.dissolve({"nord": "stadt", "sued": "stadt"})
            assert whole.districts == ("stadt",) and len(whole.polygons["stadt"]) == 1
            area = sum(shapely.Polygon(r[0]).area for r in shapes.polygons.values())
            assert shapely.Polygon(whole.polygons["stadt"][0]).area == pytest.approx(area)
            assert whole.bounds == pytest.approx(shapes.bounds)
        assert shapes.dissolve({}).polygons.keys() == shapes.polygons.keys()  # no parents: as it was


@given(st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=12))
def test_every_tile_is_a_unit_square_with_its_label_inside(cells):
    from lev2040_mcda.stadtcheck.geometry import _tiles

    layout = {f"d{i}": cell for i, cell in enumerate(sorted(cells))}
    shapes = _tiles(layout, list(layout), None)
    for d, (row, col) in layout.items():
        (ring,) = shapes.polygons[d]
        assert ring.min(axis=0).tolist() == [col, -row - 1] and ring.max(axis=0).tolist() == [col + 1, -row]
        assert shapes.label_points[d] == (col + 0.5, -row - 0.5)
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    assert shapes.bounds == (min(cols), -max(rows) - 1, max(cols) + 1, -min(rows))


def test_names_are_drawn_literally(tiny_case):
    shapes = map_shapes(_with(tiny_case, layout={"nord": (0, 0), "sued": (0, 1)}))
    names = {"nord": "A $x$ <b>", "sued": "Süd & Co"}
    svg = district_map_svg(shapes, {"nord": 1.0}, title="T <1>", label="L", names=names, no_data="–")
    assert "<title>A $x$ &lt;b&gt;: 1</title>" in svg and "<title>Süd &amp; Co: –</title>" in svg
    assert ">A $x$ &lt;b&gt;</text>" in svg and ">Süd &amp; Co</text>" in svg  # no mathtext, escaped
    assert '<title id="fig-map-title">T &lt;1&gt;</title>' in svg
