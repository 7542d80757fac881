"""Reading the Stadtcheck of a case folder: ``stadtcheck.csv`` (or ``.xlsx``) with its catalogue
``stadtcheck.yaml``, and the map: ``districts.geojson`` (:mod:`.stadtcheck_geo`) and/or
``districts_layout.csv``.

Every file goes through the load's :class:`~.readers.Reader` (bounded, hashed), and every problem is
one located line appended to ``reader.problems``, beside those of the other files of the case. A
district is named by its id or by its name in case.yaml, in any case (``Süd``, ``SUED``); a district
that is not in case.yaml is named with the closest one. A cell that is empty, ``-``, ``–`` or
``n/a`` is missing (NaN, never 0); any other cell must be a number as the case's tables write them
(:mod:`.cells`: ``12,5`` in a semicolon file). Every indicator column has a catalogue entry and every
catalogue entry a column (both ways a problem: an indicator nobody described is not used, and an
entry without figures is a promise the table does not keep).
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field

from ..errors import Problem, did_you_mean
from .cells import number_dots, parse_number
from .measures import cell_text
from .models import CaseConfig, Id, Model
from .readers import Document, Reader, Table
from .stadtcheck import (
    GEOJSON_FILE,
    LAYOUT_FILE,
    STADTCHECK_CATALOGUE,
    STADTCHECK_FILE,
    DistrictShape,
    Indicator,
    Stadtcheck,
)
from .stadtcheck_geo import read_geojson
from .validation import Kind, validate

__all__ = [
    "MISSING",
    "POPULATION",
    "IndicatorEntry",
    "StadtcheckCatalogue",
    "DistrictNames",
    "stadtcheck_present",
    "load_stadtcheck",
]

MISSING = frozenset({"", "-", "\u2013", "\u2014", "n/a", "na", "n.a.", "k.a.", "k. a."})
"""Cells (lower case, stripped) that say a value is missing."""
POPULATION = "population"
"""The indicator that holds residents: it fills the populations case.yaml lacks."""
TEXT_COLUMNS = ("name",)
"""Columns beside ``district`` that are read by people only (the district's name, for a reader)."""
FILES = (f"{STADTCHECK_FILE}.csv", f"{STADTCHECK_FILE}.xlsx", STADTCHECK_CATALOGUE, GEOJSON_FILE, LAYOUT_FILE)


class IndicatorEntry(Model):
    """One indicator in stadtcheck.yaml (becomes a :class:`~.stadtcheck.Indicator`)."""

    id: Id
    name: str
    unit: str | None = None
    year: Annotated[int, Field(ge=1800, le=2200)] | None = None
    source: str | None = None
    illustrative: bool = False
    need: Literal["higher", "lower"] = "higher"
    goals: dict[Id, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(default_factory=dict)
    note: str | None = None

    def indicator(self) -> Indicator:
        return Indicator(
            self.id,
            self.name,
            self.need,
            self.unit,
            self.year,
            self.source,
            self.illustrative,
            dict(self.goals),
            self.note,
        )


class StadtcheckCatalogue(Model):
    """stadtcheck.yaml: the catalogue of the indicators of stadtcheck.csv."""

    indicators: list[IndicatorEntry]


_CATALOGUE = Kind("a Stadtcheck catalogue", "a mapping with an 'indicators' list", frozenset({"indicators"}))
_LAYOUT = Kind("a tile layout", "a header row with district, row, col", frozenset({"district", "row", "col"}))


@dataclass(frozen=True)
class DistrictNames:
    """The districts of case.yaml and how a file may name them: by id, or by id or name in any
    case (an id wins over another district's name)."""

    ids: tuple[str, ...]
    by_key: dict[str, str]
    populations: dict[str, int] = field(default_factory=dict)  # case.yaml's, which the table must match

    @classmethod
    def of(cls, config: CaseConfig) -> DistrictNames:
        by_key: dict[str, str] = {}
        for d in config.districts:
            if d.name:
                by_key.setdefault(d.name.strip().casefold(), d.id)
        by_key |= {d.id.casefold(): d.id for d in config.districts}
        pops = {d.id: d.population for d in config.districts if d.population is not None}
        return cls(tuple(d.id for d in config.districts), by_key, pops)

    def resolve(self, text: str) -> str | None:
        if text in self.ids:
            return text
        return self.by_key.get(text.strip().casefold())

    def unknown(self, text: str) -> str:
        names = [*self.ids, *(k for k in self.by_key if k not in self.ids)]
        if not self.ids:
            return f"unknown district {text!r} (case.yaml lists no districts: add them under `districts:`)"
        return f"unknown district {text!r} (expected a district of case.yaml, by id or name){did_you_mean(text, names)}"


def stadtcheck_present(root: Path) -> bool:
    """Whether a case folder has any file of a Stadtcheck."""
    try:
        return any(os.path.lexists(root / name) for name in FILES)
    except (OSError, ValueError):
        return False


def load_stadtcheck(
    reader: Reader, root: Path, config: CaseConfig | None, goals: Collection[str] | None
) -> Stadtcheck | None:
    """The case folder's Stadtcheck, ``None`` when it has none of its files.

    ``config`` is case.yaml (its districts, ``stadtcheck.id_property``) and ``goals`` the goal ids of
    goals.yaml; ``None`` where that file could not be read: the rules that need it are left out (it
    has its own problems), and no Stadtcheck is returned. Problems go to ``reader.problems``.
    """
    if not stadtcheck_present(root):
        return None
    names = None if config is None else DistrictNames.of(config)
    before = len(reader.problems)
    found = [p for p in (root / f"{STADTCHECK_FILE}{s}" for s in (".csv", ".xlsx")) if os.path.lexists(p)]
    catalogue = _catalogue(reader, root, goals, required=bool(found))
    indicators, districts, rows, values = (), (), (), np.empty((0, 0))
    if len(found) > 1:
        both = f"both {STADTCHECK_FILE}.csv and {STADTCHECK_FILE}.xlsx exist (keep one)"
        reader.problems.append(Problem(reader.shown(found[0]), both))
    elif found:
        table = reader.table(found[0], columns=("district",), kind=_table_kind(catalogue))
        if table is not None:
            indicators, districts, rows, values = _indicators(table, catalogue, names, reader.problems)
    elif catalogue is not None:
        reason = (
            f"file not found ({STADTCHECK_CATALOGUE} describes indicators: their values per district go in "
            f"{STADTCHECK_FILE}.csv or {STADTCHECK_FILE}.xlsx)"
        )
        reader.problems.append(Problem(reader.shown(root / f"{STADTCHECK_FILE}.csv"), reason))
    shapes: tuple[DistrictShape, ...] = ()
    crs = None
    if os.path.lexists(root / GEOJSON_FILE):
        id_property = None if config is None else config.stadtcheck.id_property
        shapes, crs = read_geojson(reader, root / GEOJSON_FILE, names, id_property)
    layout = _layout(reader, root / LAYOUT_FILE, names) if os.path.lexists(root / LAYOUT_FILE) else {}
    if names is None or len(reader.problems) > before:
        return None
    files = tuple(sorted(name for name in FILES if os.path.lexists(root / name)))
    return Stadtcheck(indicators, districts, values, rows, shapes, crs, layout, files)


# -- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Catalogue:
    entries: list[IndicatorEntry]  # the valid ones, in the file's order
    doc: Document
    positions: dict[str, int]  # id -> position in the file's list

    def problem(self, indicator_id: str, reason: str) -> Problem:
        return self.doc.problem(("indicators", self.positions[indicator_id], "id"), reason)


def _catalogue(
    reader: Reader, root: Path, goals: Collection[str] | None, required: bool
) -> _Catalogue | None:
    """The valid entries of stadtcheck.yaml with its document; ``None`` when it cannot be read
    (then the table's columns are not checked against it)."""
    path = root / STADTCHECK_CATALOGUE
    if not os.path.lexists(path):
        if required:
            reader.problems.append(
                Problem(
                    reader.shown(path),
                    f"file not found (the indicators of {STADTCHECK_FILE}.csv need their catalogue: "
                    "id, name, unit, year, source and need of each)",
                )
            )
        return None
    doc = reader.document(path, _CATALOGUE)
    if doc is None:
        return None
    problems = reader.problems
    for key in sorted(set(doc.data) - {"indicators"}, key=str):
        problems.append(doc.problem((key,), "unknown key (expected only `indicators`)"))
    raw = doc.data.get("indicators")
    if not isinstance(raw, list):
        problems.append(
            doc.problem(("indicators",), "expected a list `indicators:` (one entry per indicator)")
        )
        return None
    entries: list[IndicatorEntry] = []
    positions: dict[str, int] = {}
    for i, item in enumerate(raw):

        def locate(loc: tuple, reason: str, i: int = i) -> Problem:
            return doc.problem(("indicators", i, *loc), reason)

        entry = validate(IndicatorEntry, item, locate, problems, salvage=True)
        if entry is None:
            continue
        if entry.id in positions:
            problems.append(locate(("id",), f"indicator {entry.id!r} is listed twice (expected unique ids)"))
            continue
        positions[entry.id] = i
        for gid in entry.goals if goals is not None else ():
            if gid not in goals:
                reason = f"unknown goal {gid!r} (expected a goal of goals.yaml){did_you_mean(gid, goals)}"
                problems.append(locate(("goals", gid), reason))
        entries.append(entry)
    return _Catalogue(entries, doc, positions)


def _table_kind(catalogue: _Catalogue | None) -> Kind:
    ids = [e.id for e in catalogue.entries] if catalogue else []
    return Kind(
        "a Stadtcheck table",
        "a header row with district and one column per indicator",
        frozenset(("district", *ids)),
    )


# -- the indicators ---------------------------------------------------------------------------


def _indicators(
    table: Table,
    catalogue: _Catalogue | None,
    names: DistrictNames | None,
    problems: list[Problem],
) -> tuple[tuple[Indicator, ...], tuple[str, ...], tuple[int, ...], np.ndarray]:
    """The indicators (catalogue order), districts (table order), their lines and values."""
    at = table.header_line
    columns = [c for c in table.header if c and c != "district" and c not in TEXT_COLUMNS]
    if "district" not in table.header:
        problems.append(
            table.problem(at, "district", "column is missing (required: the district of each row)")
        )
    if catalogue is None:
        indicators = tuple(Indicator(c, c) for c in columns)  # not checked: the catalogue has problems
    else:
        entries = catalogue.entries
        known = {e.id: e for e in entries}
        for c in columns:
            if c not in known:
                reason = (
                    f"indicator {c!r} has no entry in {STADTCHECK_CATALOGUE} (expected an indicator of "
                    f"the catalogue, or describe it there){did_you_mean(c, known)}"
                )
                problems.append(table.problem(at, c, reason))
        for e in entries:
            if e.id not in table.header:
                reason = (
                    f"indicator {e.id!r} has no column in {table.shown} (add the column, or remove the entry)"
                )
                problems.append(catalogue.problem(e.id, reason))
        indicators = tuple(e.indicator() for e in entries if e.id in table.header)
    ids = [i.id for i in indicators]
    records = table.records() if "district" in table.header else []
    comma = table.decimal_comma
    dots = number_dots((_unmissing(rec.get(c)) for _, rec in records for c in ids), comma)
    districts: list[str] = []
    lines: list[int] = []
    rows: list[list[float]] = []
    first: dict[str, int] = {}
    for line, rec in records:
        district = _district(table, line, cell_text(rec.get("district")), names, first, problems)
        values = [_value(table, line, c, rec.get(c), comma, dots, problems) for c in ids]
        if district is not None and POPULATION in ids and names is not None:
            _same_population(table, line, district, values[ids.index(POPULATION)], names, problems)
        if district is not None:
            first[district] = line
            districts.append(district)
            lines.append(line)
            rows.append(values)
    values = np.array(rows, dtype=float).reshape(len(rows), len(ids))
    return indicators, tuple(districts), tuple(lines), values


def _district(
    table: Table,
    line: int,
    text: str,
    names: DistrictNames | None,
    first: dict[str, int],
    problems: list[Problem],
) -> str | None:
    """The district id a row names, or ``None`` with a problem (or when case.yaml is unreadable)."""
    if not text:
        problems.append(
            table.problem(line, "district", "is empty (expected a district of case.yaml, by id or name)")
        )
        return None
    if names is None:
        return None
    district = names.resolve(text)
    if district is None:
        problems.append(table.problem(line, "district", names.unknown(text)))
        return None
    if district in first:
        also = "" if district == text else f" (as {text!r})"
        reason = f"district {district!r}{also} appears twice (first at line {first[district]}; one row per district)"
        problems.append(table.problem(line, "district", reason))
        return None
    return district


def _same_population(
    table: Table, line: int, district: str, value: float, names: DistrictNames, problems: list[Problem]
) -> None:
    """A row's ``population`` agrees with case.yaml's for the district (within half a resident):
    case.yaml's figure wins where both exist, so a different one here would be silently unused."""
    given = names.populations.get(district)
    if given is not None and math.isfinite(value) and abs(value - given) > 0.5:
        reason = (
            f"{value:.15g} residents, but case.yaml gives {district!r} population {given} (expected the "
            "same figure, or one of the two left out)"
        )
        problems.append(table.problem(line, POPULATION, reason))


def _unmissing(cell: Any) -> Any:
    return None if _is_missing(cell) else cell


def _is_missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().casefold() in MISSING)


def _value(
    table: Table, line: int, column: str, cell: Any, comma: bool, dots: Any, problems: list[Problem]
) -> float:
    """One indicator value; NaN when missing, or wrong (then with a problem)."""
    if _is_missing(cell):
        return math.nan
    try:
        value = parse_number(cell, comma, dots)
    except ValueError as exc:
        reason = str(exc)
        reason = f"{reason[:-1]}; empty, - or n/a: missing)" if reason.endswith(")") else reason
        problems.append(table.problem(line, column, reason))
        return math.nan
    if column == POPULATION and value < 0:
        problems.append(
            table.problem(line, column, f"{cell_text(cell)} is below 0 (expected residents: 0 or more)")
        )
        return math.nan
    return value


# -- the tile layout --------------------------------------------------------------------------


def _layout(reader: Reader, path: Path, names: DistrictNames | None) -> dict[str, tuple[int, int]]:
    """``districts_layout.csv``: district -> (row, col), one district per tile."""
    table = reader.table(path, columns=("district", "row", "col"), kind=_LAYOUT)
    if table is None:
        return {}
    problems, at = reader.problems, table.header_line
    missing = [c for c in ("district", "row", "col") if c not in table.header]
    problems += [table.problem(at, c, "column is missing (required)") for c in missing]
    for c in table.header:
        if c and c not in ("district", "row", "col", *TEXT_COLUMNS):
            problems.append(
                table.problem(
                    at,
                    c,
                    f"unknown column (expected district, row, col){did_you_mean(c, ('district', 'row', 'col'))}",
                )
            )
    if missing:
        return {}
    out: dict[str, tuple[int, int]] = {}
    first: dict[str, int] = {}
    tiles: dict[tuple[int, int], tuple[str, int]] = {}
    for line, rec in table.records():
        district = _district(table, line, cell_text(rec.get("district")), names, first, problems)
        row, col = (_tile_index(table, line, c, rec.get(c), problems) for c in ("row", "col"))
        if district is None:
            continue
        first[district] = line
        if row is None or col is None:
            continue
        if (row, col) in tiles:
            other, other_line = tiles[row, col]
            reason = f"tile (row {row}, col {col}) holds {other!r} already (line {other_line}; one district per tile)"
            problems.append(table.problem(line, "row", reason))
            continue
        tiles[row, col] = (district, line)
        out[district] = (row, col)
    return out


def _tile_index(table: Table, line: int, column: str, cell: Any, problems: list[Problem]) -> int | None:
    text = cell_text(cell)
    like = "a whole number 0 or more: row 0 at the top, col 0 at the left"
    try:
        value = parse_number(cell, table.decimal_comma)
    except ValueError:
        value = math.nan
    if not text or not math.isfinite(value) or not value.is_integer() or value < 0:
        what = "is empty" if not text else f"{text!r} is not a tile position"
        what = f"{text} is below 0" if value < 0 else what
        problems.append(table.problem(line, column, f"{what} (expected {like})"))
        return None
    return int(value)
