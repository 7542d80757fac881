"""measures.csv into validated :class:`~lev2040_mcda.case.models.Measure` records, column by column.

A case may hold thousands of measures with dozens of numbers each, and loading it must stay close
to an unchecked read. So the table is checked a column at a time: each numeric column is read in
one go (:func:`.cells.parse_number_column`), the ids of a column are checked once per distinct
text, and a row that every column check passed becomes a ``Measure`` without validating it again
(a copy of a validated one with its fields replaced: the column checks are the model's rules, see
:func:`_clean`). Only where a check fails is the table read the careful way, cell by cell and row
by row (``validate`` with the pydantic model): that path finds, locates and words every problem,
and ``fast=False`` reads the whole table so (the tests compare both ways).
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from ..errors import Problem
from .cells import Cell, Dots, number_dots, parse_bool, parse_list, parse_number, parse_number_column
from .checks import Located
from .fields import _ID
from .models import Measure
from .readers import Table
from .validation import validate

__all__ = ["MEASURE_TEXT", "read_measures", "row_locator", "cell_text"]

MEASURE_TEXT = ("id", "name", "district", "goals", "requires", "excludes", "mandatory")
"""The columns of measures.csv that are not numbers."""
_LISTS = ("goals", "requires", "excludes")
_FIELDS = frozenset(
    ("id", "name", "district", *_LISTS, "resources", "performance", "mandatory", "attributes")
)
"""The fields of ``Measure`` whose rules :func:`_clean` checks (a new field must be added there)."""
_TEMPLATE = Measure.model_validate({"id": "m", "name": "m"})


def read_measures(
    table: Table,
    problems: list[Problem],
    resources: list[str],
    criteria: list[str],
    catalogue_read: bool,
    fast: bool = True,
) -> list[Located]:
    """The measures of ``table`` (header already checked), each with how to point at its cells;
    problems are appended to ``problems``. A row with bad cells still gives its measure when the id
    is good (so that references to it resolve); the problems make the load fail all the same.

    ``catalogue_read``: the criteria (and case.yaml) are known, so a numeric column that is
    neither a criterion nor a resource is reported.
    """
    header_line = table.header_line
    numeric = list(dict.fromkeys(resources + criteria))
    columns = _columns(table)
    present = [c for c in numeric if c in columns]
    other = [c for c in table.header if c not in MEASURE_TEXT and c not in numeric]
    text = {c: _stripped(columns[c]) for c in (*MEASURE_TEXT, *other) if c in columns}
    cells = {**columns, **text}
    dots = number_dots((cell for col in present for cell in columns[col]), table.decimal_comma)
    lenient: Dots = "thousands" if dots == "thousands" else "decimal"  # is a column numeric at all?
    for col in other if catalogue_read else ():
        values = [v for v in cells[col] if v not in (None, "")]
        if values and all(_is_number(v, table.decimal_comma, lenient) for v in values):
            problems.append(
                table.problem(
                    header_line,
                    col,
                    "numeric column is neither a criterion nor a resource "
                    "(add it to the criteria catalogue or to case.yaml's resources, or remove it)",
                )
            )
    lines = [line for line, _ in table.rows]
    numbers: dict[str, list[float | None]] = {}
    failed: set[int] = set()  # rows with a number that cannot be read
    for col in present:
        got = parse_number_column(columns[col], table.decimal_comma, dots) if fast else None
        if got is None:
            got = []
            for i, cell in enumerate(_stripped(columns[col])):
                try:
                    got.append(parse_number(cell, table.decimal_comma, dots))
                except ValueError as exc:
                    got.append(None)
                    failed.add(i)
                    problems.append(table.problem(lines[i], col, str(exc)))
        numbers[col] = got
    rows = _Rows(table, cells, numbers, resources, criteria, other)
    clean = _clean(rows, failed) if fast else set()
    made = rows.measures(clean)
    out = []
    for i, line in enumerate(lines):
        locate = row_locator(table, line)
        measure = made[i] if i in clean else rows.validated(i, locate, problems)
        if measure is not None:  # also when a cell was bad: its id still resolves
            out.append(Located(measure, locate))
    if "id" in table.header:  # a row with too many cells is reported, but its id still resolves
        at = table.header.index("id")
        for line, row in table.broken:
            mid = str(row[at]).strip() if row[at] is not None else ""
            if mid:
                out.append(Located(Measure.model_construct(id=mid, name=mid), row_locator(table, line)))
    return out


class _Rows:
    """The table's columns read as a measure's fields: each a list with one entry per row."""

    def __init__(self, table: Table, cells: dict, numbers: dict, resources: list, criteria: list, other):
        n, comma = len(table.rows), table.decimal_comma
        blank = [None] * n  # a column that is not there: an empty cell in every row
        self.ids = _texts(cells.get("id", blank))
        self.names = _texts(cells.get("name", blank))
        self.districts = [t or None for t in _texts(cells.get("district", blank))]
        self.lists = {k: _lists(cells.get(k, blank), comma) for k in _LISTS}
        self.mandatory = cells.get("mandatory", blank)
        resource_set, criterion_set = set(resources), set(criteria)
        self.resources = [(k, v) for k, v in numbers.items() if k in resource_set]
        self.performance = [(k, v) for k, v in numbers.items() if k in criterion_set]
        self.attributes = [(c, cells[c]) for c in other]

    def data(self, i: int) -> dict[str, Any]:
        """Row ``i`` as the fields of a ``Measure`` (numbers that cannot be read left out)."""
        return {
            "id": self.ids[i],
            "name": self.names[i],
            "district": self.districts[i],
            **{k: list(v[i]) for k, v in self.lists.items()},
            "resources": {k: v[i] for k, v in self.resources if v[i] is not None},
            "performance": {k: v[i] for k, v in self.performance if v[i] is not None},
            "attributes": {c: cell_text(v[i]) for c, v in self.attributes if v[i] not in (None, "")},
        }

    def measures(self, rows: set[int]) -> dict[int, Measure]:
        """The ``rows`` that :func:`_clean` found valid, as measures: a validated ``Measure`` copied
        with each row's fields (the numbers of a clean row are all there)."""
        rk, pk = [k for k, _ in self.resources], [k for k, _ in self.performance]
        by_row = (
            zip(*[v for _, v in self.resources]) if rk else repeat(()),
            zip(*[v for _, v in self.performance]) if pk else repeat(()),
        )
        out = {}
        for i, res, perf in zip(range(len(self.ids)), *by_row):
            if i not in rows:
                continue
            out[i] = _TEMPLATE.model_copy(
                update={
                    "id": self.ids[i],
                    "name": self.names[i],
                    "district": self.districts[i],
                    "goals": self.lists["goals"][i],
                    "requires": self.lists["requires"][i],
                    "excludes": self.lists["excludes"][i],
                    "resources": dict(zip(rk, res)),
                    "performance": dict(zip(pk, perf)),
                    "mandatory": parse_bool(self.mandatory[i]),
                    "attributes": {c: cell_text(v[i]) for c, v in self.attributes if v[i] not in (None, "")},
                }
            )
        return out

    def validated(self, i: int, locate, problems: list[Problem]) -> Measure | None:
        """Row ``i`` validated by the model, every problem located (the careful path)."""
        data = self.data(i)
        try:
            data["mandatory"] = parse_bool(self.mandatory[i])
        except ValueError as exc:
            problems.append(locate(("mandatory",), str(exc)))
        return validate(Measure, data, locate, problems, salvage=True)


def _clean(rows: _Rows, failed: set[int]) -> set[int]:
    """The rows that pass every rule of ``Measure``, checked a column at a time (the rows are
    looked at only when a column fails): ids in lower_snake_case (id, district, goals, requires,
    excludes), resources >= 0, a yes/no in ``mandatory``. Numbers are finite (the parser's range)
    and names and attributes are text, as the table gives them; so ``Measure`` would accept such a
    row as it is. ``failed``: rows with a number that cannot be read."""
    bad = set(failed)

    def flag(column: list, ok) -> None:  # ok(distinct value) -> bool
        wrong = {v for v in set(column) if not ok(v)}
        if wrong:
            bad.update(i for i, v in enumerate(column) if v in wrong)

    flag(rows.ids, _is_id)
    flag(rows.districts, lambda d: d is None or _is_id(d))
    for column in rows.lists.values():
        flag(column, lambda ids: all(map(_is_id, ids)))
    for _, values in rows.resources:
        if min((v for v in values if v is not None), default=0) < 0:
            bad.update(i for i, v in enumerate(values) if v is not None and v < 0)
    flag(rows.mandatory, _is_bool)
    return set(range(len(rows.ids))) - bad


def _is_id(text: str) -> bool:
    return _ID.match(text) is not None


def _is_bool(cell: Cell) -> bool:
    try:
        parse_bool(cell)
    except ValueError:
        return False
    return True


def _texts(cells: list[Cell]) -> list[str]:
    """:func:`cell_text` of each cell (a column of stripped text is that already)."""
    if set(map(type, cells)) <= {str}:
        return list(cells)  # type: ignore[arg-type]
    return [cell_text(c) for c in cells]


def _lists(cells: list[Cell], decimal_comma: bool) -> list[tuple[str, ...]]:
    """:func:`parse_list` of each cell, once per distinct cell (a goals column repeats itself)."""
    seen = {c: tuple(parse_list(c, decimal_comma)) for c in set(cells)}
    return [seen[c] for c in cells]


def _columns(table: Table) -> dict[str, list[Cell]]:
    """Column name -> its cells, one per row, as read; missing trailing cells are ``""``, and of a
    name given twice the last column counts (as in :meth:`Table.records`)."""
    n = len(table.header)
    rows = [cells if len(cells) == n else [*cells[:n], *[""] * (n - len(cells))] for _, cells in table.rows]
    cols = list(zip(*rows)) if rows else [() for _ in table.header]
    return {name: list(col) for name, col in zip(table.header, cols)}


def _stripped(cells: list[Cell]) -> list[Cell]:
    if set(map(type, cells)) <= {str}:
        return list(map(str.strip, cells))  # type: ignore[arg-type]
    return [c.strip() if isinstance(c, str) else c for c in cells]


def row_locator(table: Table, line: int):
    """Locates a problem of a record read from row ``line`` at the column its field came from."""

    def locate(loc: tuple, reason: str) -> Problem:
        if loc and loc[0] in ("resources", "performance", "attributes") and len(loc) > 1:
            column = str(loc[1])
        else:
            column = str(loc[0]) if loc else None
        return table.problem(line, column, reason)

    return locate


def cell_text(cell: Any) -> str:
    """A cell as text: stripped; a workbook's whole number without ``.0``; empty for none."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _is_number(cell: Any, decimal_comma: bool, dots: Dots) -> bool:
    try:
        parse_number(cell, decimal_comma, dots)
    except ValueError:
        return False
    return True
