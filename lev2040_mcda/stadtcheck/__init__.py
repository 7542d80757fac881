"""The Stadtcheck stage: what the district indicators mean. Residents per district, each district's
standing per indicator among its peers, its need per goal and overall (:func:`profiles`), the
bounded need factor that lets need scale a measure's value (:func:`need_factors`), a portfolio's
budget and benefit per resident and their inequality across districts (:func:`equity`,
:func:`gini`, :func:`theil`), and the districts' shapes for a map (:func:`map_shapes`).

The files are read by ``case/`` (:mod:`lev2040_mcda.case.stadtcheck`); ``docs/stadtcheck.md``
gives the method. The map's geometry (pyproj, shapely) loads only when :func:`map_shapes` is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .equity import Equity, equity
from .inequality import gini, theil
from .need import need_factors, populations
from .profiles import Profiles, profiles

__all__ = [
    "populations",
    "profiles",
    "Profiles",
    "need_factors",
    "equity",
    "Equity",
    "gini",
    "theil",
    "MapShapes",
    "map_shapes",
]

_LAZY = {"MapShapes": ".geometry", "map_shapes": ".geometry"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
