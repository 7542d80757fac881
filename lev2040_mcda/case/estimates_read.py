"""Reading ``uncertainty.csv`` (or ``.xlsx``): the ranges of measures.csv's numbers, resolved to one
:class:`~lev2040_mcda.case.estimates.Estimate` per (measure, column).

A row gives one column (a criterion, or a resource such as ``cost_eur_m``) of one measure a range
``low`` .. ``high`` and a distribution (``triangular`` when empty). ``measure`` may be ``*``: every
measure, or those a ``district`` (with its parts) and/or a ``goal`` selector picks (all selectors
given must match; several ids in one cell, ``;``-separated, mean any of them), as scenarios.yaml's
adjustments select. An end may be relative to the value in measures.csv: ``-30%`` is the value ×
0.7, ``+20%`` the value × 1.2; for a negative value the two ends are then put in order (low the
smaller). Numbers are read as in every table of the case (:mod:`.cells`: ``12,5`` in a semicolon
file).

Which row sets a cell: a row naming the measure, over any ``*`` row; among ``*`` rows, the last one
that selects the measure (read top to bottom: a general row first, the exceptions below it). Two
rows naming the same measure and column are an error. The value in measures.csv must lie within
the range it resolves to (for ``normal`` too, whose ends are its 5 % and 95 % quantiles); a range
of width 0 (``low == high``) says the value is exact. Every problem is located at its line and
column, all of them at once; a ``*`` row's problem names the measures it concerns.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputErrors, Problem, did_you_mean
from .cells import NUMBER_RANGE, Cell, Dots, magnitude_problem, number_dots, parse_list, parse_number
from .estimates import DISTRIBUTIONS, UNCERTAINTY_FILE, Estimate, Uncertainty
from .measures import cell_text
from .models import Case, Measure, district_and_parents
from .readers import Reader, Table
from .validation import Kind

__all__ = ["COLUMNS", "REQUIRED", "Known", "load_uncertainty", "read_uncertainty", "uncertainty_file"]

COLUMNS = ("measure", "criterion", "low", "high", "distribution", "district", "goal", "group", "note")
"""The columns of uncertainty.csv, in the order the docs show them."""
REQUIRED = ("measure", "criterion", "low", "high")
"""The columns every uncertainty table needs (``distribution`` empty or missing: triangular)."""
DEFAULT_DISTRIBUTION = "triangular"
STAR = "*"
_KIND = Kind(
    "an uncertainty table",
    "a header row with measure, criterion, low, high and distribution",
    frozenset(COLUMNS),
)
_RELATIVE = re.compile(r"^([+\-\u2212]?)\s*(.*?)\s*%$")
_SHOWN = 5
"""How many measures a ``*`` row's problem names."""
_WHAT = {
    "measure": ("measure", "an id of measures.csv, or *"),
    "criterion": ("criterion or resource", "a criterion of the catalogue or a resource of case.yaml"),
    "district": ("district", "a district of case.yaml"),
    "goal": ("goal", "a goal of goals.yaml"),
}


@dataclass(frozen=True)
class Known:
    """What the rest of the case says, to check the table against. ``None`` where the file that
    says it could not be read: the rules that need it are left out (that file has its own
    problems), as :func:`~lev2040_mcda.case.checks.check_case` does."""

    measures: Sequence[Measure] | None
    criteria: Sequence[str] | None
    resources: Sequence[str] | None
    parents: Mapping[str, str | None] | None  # district -> the district it is part of
    goals: Collection[str] | None

    @classmethod
    def of_case(cls, case: Case) -> Known:
        parents = {d.id: d.parent for d in case.config.districts}
        return cls(case.measures, case.criterion_ids, tuple(case.resources), parents, case.goal_ids)

    @classmethod
    def of_parts(cls, config: Any, criteria: Sequence[str] | None, goals: Any, measures: Any) -> Known:
        """From what :func:`~lev2040_mcda.case.load.load_case` has read so far (located records)."""
        return cls(
            None if measures is None else [m.item for m in measures],
            criteria,
            None if config is None else tuple(config.resources),
            None if config is None else {d.id: d.parent for d in config.districts},
            None if goals is None else {g.item.id for g in goals},
        )

    def names(self) -> dict[str, Any]:
        """The ids each column of the table may name (``None``: not known, so not checked)."""
        ms, criteria, resources = self.measures, self.criteria, self.resources
        districts = None if self.parents is None else {*self.parents, *(m.district for m in ms or ())}
        return {
            "measure": None if ms is None else {m.id for m in ms},
            "criterion": None if criteria is None or resources is None else [*criteria, *resources],
            "district": districts,
            "goal": None if self.goals is None else set(self.goals),
            "resources": set(resources or ()),
        }


@dataclass(frozen=True)
class _End:
    """One end as written: a number, or a percentage of the value to add (``-30%``: -30); the
    value × (100 + p) / 100 is exact where the percentage and the value are whole numbers."""

    number: float
    relative: bool
    text: str

    def at(self, value: float) -> float:
        if not self.relative:
            return self.number
        return value if self.number == 0 else value * (100.0 + self.number) / 100.0  # +0%: the value


@dataclass(frozen=True)
class _Row:
    line: int
    measure: str  # an id or STAR
    column: str
    low: _End
    high: _End
    distribution: str
    group: str | None
    districts: tuple[str, ...]
    goals: tuple[str, ...]


def uncertainty_file(reader: Reader, root: Path) -> Path | None:
    """The case folder's ``uncertainty.csv`` or ``.xlsx``; ``None`` when it has none, or both (a
    problem: keep one)."""
    found = [root / f"{UNCERTAINTY_FILE}{s}" for s in (".csv", ".xlsx")]
    found = [p for p in found if os.path.lexists(p)]  # a link to nowhere is reported as not found
    if len(found) > 1:
        both = f"both {UNCERTAINTY_FILE}.csv and {UNCERTAINTY_FILE}.xlsx exist (keep one)"
        reader.problems.append(Problem(reader.shown(found[0]), both))
        return None
    return found[0] if found else None


def load_uncertainty(reader: Reader, root: Path, known: Known) -> Uncertainty:
    """The case folder's uncertainty table resolved against ``known`` (empty when the case has
    none); problems are appended to ``reader.problems``, beside those of the other files."""
    path = uncertainty_file(reader, root)
    return Uncertainty() if path is None else _read(reader, path, known, path.name)


def read_uncertainty(path: str | Path, case: Case) -> Uncertainty:
    """An uncertainty table (CSV or XLSX, anywhere) resolved against a loaded ``case``; its
    ``source`` is the path relative to the case folder (or as shown, outside it).

    Raises
    ------
    InputErrors
        with every located problem of the table.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> city = load_case("cases/leverkusen-2040")
    >>> ranges = read_uncertainty("cases/leverkusen-2040/uncertainty.csv", city)
    >>> ranges == city.uncertainty, ranges.source
    (True, 'uncertainty.csv')
    """
    reader, path = Reader(base=case.root), Path(path)
    try:
        source = path.resolve().relative_to(case.root.resolve()).as_posix()
    except (OSError, ValueError):  # outside the case folder
        source = reader.shown(path)
    got = _read(reader, path, Known.of_case(case), source)
    if reader.problems:
        raise InputErrors(reader.problems, inputs=reader.inputs)
    return got


def _read(reader: Reader, path: Path, known: Known, source: str) -> Uncertainty:
    if _blank(reader, path):
        return Uncertainty((), source)
    table = reader.table(path, columns=REQUIRED, kind=_KIND)
    if table is None:
        return Uncertainty((), source)
    return Uncertainty(_resolve(table, known, reader.problems, path.suffix.lower() == ".xlsx"), source)


def _blank(reader: Reader, path: Path) -> bool:
    """Whether the file holds nothing (no bytes; in a CSV only blank lines and ``#`` comments):
    no estimates. An unreadable file counts as blank, with its problem recorded."""
    got = reader.raw(path)
    if got is None:
        return True
    if path.suffix.lower() == ".xlsx":
        return not got[1]
    text = got[1].decode("utf-8-sig", errors="replace")
    return all(not ln.strip(" \t,;\r") or ln.startswith("#") for ln in text.split("\n"))


# -- the rows ---------------------------------------------------------------------------------


def _resolve(table: Table, known: Known, problems: list[Problem], workbook: bool) -> tuple[Estimate, ...]:
    at = table.header_line
    problems += [
        table.problem(at, n, "column is missing (required)") for n in REQUIRED if n not in table.header
    ]
    for name in table.header:
        if name and name not in COLUMNS:
            expected = f"expected {', '.join(COLUMNS)}"
            problems.append(
                table.problem(at, name, f"unknown column ({expected}){did_you_mean(name, COLUMNS)}")
            )
    if any(name not in table.header for name in REQUIRED):
        return ()
    records = table.records()
    dots = number_dots(
        (_unpercent(rec.get(k)) for _, rec in records for k in ("low", "high")), table.decimal_comma
    )
    names = known.names()
    rows = [r for line, rec in records if (r := _row(table, line, rec, names, dots, problems)) is not None]
    return () if known.measures is None else _cells(table, rows, known, problems, workbook)


def _row(
    table: Table, line: int, rec: dict[str, Cell], names: dict[str, Any], dots: Dots, problems: list[Problem]
) -> _Row | None:
    """Row ``line`` as read, every cell checked; ``None`` when a cell is wrong (all reported)."""
    before = len(problems)

    def bad(column: str, reason: str) -> None:
        problems.append(table.problem(line, column, reason))

    comma, text = table.decimal_comma, {k: cell_text(rec.get(k)) for k in ("measure", "criterion")}
    measure, column = text["measure"], text["criterion"]
    given = {k: [v] if v not in ("", STAR) else [] for k, v in text.items()}
    given |= {k: parse_list(rec.get(k), comma) for k in ("district", "goal")}
    if not measure:
        bad("measure", "is empty (expected a measure id of measures.csv, or * for a selection)")
    if column in ("", STAR):
        what = f"{column!r} is not a column" if column else "is empty"
        bad("criterion", f"{what} (expected one criterion or resource id per row)")
    for name, ids in given.items():
        if name in ("district", "goal") and ids and measure not in ("", STAR):
            bad(
                name,
                f"a selector belongs to a row with measure '*' (this row names {measure!r}: leave it empty)",
            )
        for ref in ids if names[name] is not None else ():
            if ref not in names[name]:
                kind, where = _WHAT[name]
                bad(name, f"unknown {kind} {ref!r} (expected {where}){did_you_mean(ref, names[name])}")
    ends: dict[str, _End] = {}
    for name in ("low", "high"):
        try:
            end = ends[name] = _end(rec.get(name), comma, dots)
        except ValueError as exc:
            bad(name, str(exc))
            continue
        if not end.relative and end.number < 0 and column in names["resources"]:
            bad(name, f"{end.text} is below 0 (expected 0 or more: {column} is a resource, never negative)")
    low, high = ends.get("low"), ends.get("high")
    if low and high and not low.relative and not high.relative and low.number > high.number:
        bad("low", f"low {low.text} is above high {high.text} (expected low <= high)")
    written = cell_text(rec.get("distribution"))
    distribution = written.lower() or DEFAULT_DISTRIBUTION
    if distribution not in DISTRIBUTIONS:
        expected = f"expected {', '.join(DISTRIBUTIONS)}; empty: {DEFAULT_DISTRIBUTION}"
        bad(
            "distribution",
            f"unknown distribution {written!r} ({expected}){did_you_mean(written, DISTRIBUTIONS)}",
        )
    if len(problems) > before or low is None or high is None:
        return None
    group = cell_text(rec.get("group")) or None
    return _Row(
        line, measure, column, low, high, distribution, group, tuple(given["district"]), tuple(given["goal"])
    )


def _unpercent(cell: Cell) -> Cell:
    """A cell as :func:`~.cells.number_dots` should see it: a relative end without its sign and ``%``."""
    if isinstance(cell, str) and cell.strip().endswith("%"):
        return cell.strip()[:-1].lstrip("+-\u2212 ")
    return cell


def _end(cell: Cell, comma: bool, dots: Dots) -> _End:
    """An end of a range from its cell; ``ValueError`` with a reason fit for a user."""
    like = f"a number like {'12,5' if comma else '12.5'}, or a relative end like -30% or +20%"
    text = cell_text(cell)
    if not text:
        raise ValueError(f"is empty (expected {like})")
    match = _RELATIVE.match(text) if isinstance(cell, str) else None
    if match is None:
        try:
            return _End(parse_number(cell, comma, dots), False, text)
        except ValueError as exc:
            if "is not a number" not in str(exc):  # too large, or two readings of 9.000
                raise
            raise ValueError(f"{text!r} is not a number (expected {like})") from None
    sign, size_text = match.groups()
    try:
        size = parse_number(size_text, comma, dots)
    except ValueError:
        size = -1.0
    if size < 0:
        raise ValueError(f"{text!r} is not a relative end (expected a signed percentage like -30% or +20%)")
    if size and not sign:
        raise ValueError(
            f"{text!r} has no sign (expected -{size_text}% or +{size_text}%: below or above the value)"
        )
    percent = -size if sign in ("-", "\u2212") else size
    if percent < -100:
        raise ValueError(f"{text!r} is below -100% (expected -100% or more: below it the sign would flip)")
    return _End(percent, True, text)


# -- the cells --------------------------------------------------------------------------------


def _cells(
    table: Table, rows: list[_Row], known: Known, problems: list[Problem], workbook: bool
) -> tuple[Estimate, ...]:
    """Each (measure, column) with the row that sets it, resolved at the value in measures.csv."""
    measures, parents = known.measures or (), known.parents or {}
    explicit: dict[tuple[str, str], _Row] = {}
    starred: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.measure == STAR:
            chosen = [m.id for m in measures if _selects(row, m, parents)]
            if not chosen:
                problems.append(table.problem(row.line, "goal" if row.goals else "district", _nothing(row)))
            starred.update(((mid, row.column), row) for mid in chosen)  # a later row replaces an earlier
        elif (first := explicit.get((row.measure, row.column))) is not None:
            twice = (
                f"the range of {row.measure!r} in {row.column!r} is given twice (first at line {first.line})"
            )
            problems.append(table.problem(row.line, "measure", twice))
        else:
            explicit[(row.measure, row.column)] = row
    by_id = {m.id: m for m in measures}
    failed: dict[tuple[_Row, str, str], list[tuple[str, float]]] = {}
    out: list[Estimate] = []
    for (mid, column), row in (starred | explicit).items():
        m = by_id[mid]
        value = m.performance.get(column, m.resources.get(column))
        if value is None:  # a broken row of measures.csv: reported there
            continue
        got = _estimate(row, mid, value)
        if isinstance(got, Estimate):
            out.append(got)
        else:
            failed.setdefault((row, *got), []).append((mid, value))
    for (row, column, kind), where in failed.items():
        problems.append(table.problem(row.line, column, _failure(row, column, kind, where, workbook)))
    position = {m.id: i for i, m in enumerate(measures)}
    order = {c: k for k, c in enumerate(dict.fromkeys([*(known.criteria or ()), *(known.resources or ())]))}
    out.sort(key=lambda e: (position[e.measure], order.get(e.column, len(order)), e.column))
    return tuple(out)


def _selects(row: _Row, m: Measure, parents: Mapping[str, str | None]) -> bool:
    """Whether a ``*`` row applies to measure ``m`` (every selector it gives must match)."""
    if row.goals and not set(row.goals) & set(m.goals):
        return False
    return not row.districts or bool(set(row.districts) & set(district_and_parents(m.district, parents)))


def _nothing(row: _Row) -> str:
    picked = [f"in district {' or '.join(map(repr, row.districts))}"] if row.districts else []
    picked += [f"serving goal {' or '.join(map(repr, row.goals))}"] if row.goals else []
    return f"selects no measure (none {' and '.join(picked) or 'at all'}; expected at least one)"


def _estimate(row: _Row, measure: str, value: float) -> Estimate | tuple[str, str]:
    """The estimate ``row`` makes of ``measure``'s ``value``, or (column, kind) of what is wrong:
    ``zero`` (a relative end on 0 in a row naming the measure; a ``*`` row leaves a 0 exact), ``size`` (an end outside the engine's range of numbers),
    ``order`` (low > high), ``below``/``above`` (the value outside the range)."""
    relative = row.low.relative or row.high.relative
    if relative and value == 0:
        if row.measure == STAR and row.low.relative and row.high.relative:
            # "every flood measure ±30 %" leaves a selected measure without the effect exact
            return Estimate(measure, row.column, value, value, value, row.distribution, row.group, row.line)
        return ("low" if row.low.relative else "high", "zero")
    low, high = row.low.at(value), row.high.at(value)
    if relative and value < 0:
        low, high = min(low, high), max(low, high)
    for name, end in (("low", low), ("high", high)):
        if magnitude_problem(end) is not None:
            return (name, "size")
    if low > high:
        return ("low", "order")
    if value < low or value > high:
        return ("low", "below") if value < low else ("high", "above")
    return Estimate(measure, row.column, value, low, high, row.distribution, row.group, row.line)


def _failure(row: _Row, column: str, kind: str, where: list[tuple[str, float]], workbook: bool) -> str:
    """What is wrong at ``column`` (``low`` or ``high``), in words: for the measure a row names, or
    for the measures a ``*`` row selects (``where``: each with its value)."""
    end = row.low if column == "low" else row.high
    if row.measure == STAR:
        who = f" for {len(where)} selected measure{'s' if len(where) > 1 else ''}: {_listed(where)}"
        low, high, value = row.low.text, row.high.text, ""
        own = "; give them rows of their own: a row naming a measure overrides '*'"
    else:
        mid, number = where[0]
        who = f" for {mid!r}"
        low, high, value = _shown(row.low, number), _shown(row.high, number), f", {_num(number)},"
        own = ": the range is around the value"
    if kind == "zero":
        exact = "absolute ends, e.g. 0 and 0 for an exact value"
        return f"a relative end ({end.text}) needs a value other than 0, and {row.column} is 0 in measures.csv{who} (expected {exact})"
    if kind == "size":
        return f"{end.text} gives a number outside {NUMBER_RANGE}{who}"
    if kind == "order":
        return f"low {low} is above high {high}{who} (expected low <= high)"
    side = f"below low {low}" if kind == "below" else f"above high {high}"
    who = who if row.measure == STAR else ""
    return f"the value in measures.csv{value} lies {side}{who} (expected low <= value <= high{own}){_percent_hint(end, workbook)}"


def _shown(end: _End, value: float) -> str:
    return f"{end.text} ({_num(end.at(value))})" if end.relative else end.text


def _num(value: float) -> str:
    return format(value, ".15g")


def _listed(where: list[tuple[str, float]]) -> str:
    shown = ", ".join(f"{mid} ({_num(v)})" for mid, v in where[:_SHOWN])
    return shown + (f", ... ({len(where)} in all)" if len(where) > _SHOWN else "")


def _percent_hint(end: _End, workbook: bool) -> str:
    """A workbook's cell formatted as a percentage holds a fraction: ``-30%`` is read as -0.3."""
    if not workbook or end.relative or abs(end.number) > 1:
        return ""
    return (
        f" (a workbook cell formatted as a percentage holds a fraction: {end.text} is {_num(end.number * 100)}% "
        "of 1, not of the value; write a relative end as text, '-30% in Excel)"
    )
