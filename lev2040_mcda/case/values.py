"""Every number of every measure as the engine read it, with its unit: what ``lev2040 validate
--values`` shows, so that a planner can check the input (``9.000`` read as nine thousand, a
decimal comma, a column in the wrong unit) before anything is computed from it.
"""

from __future__ import annotations

from typing import Any

from .models import Case

__all__ = ["VALUE_COLUMNS", "measure_numbers"]

VALUE_COLUMNS = ("measure", "column", "kind", "name", "value", "unit")
"""The fields of one row of :func:`measure_numbers`, in order."""


def measure_numbers(case: Case) -> list[dict[str, Any]]:
    """One row per measure and number, in the order of measures.csv: first the resources (in the
    order of case.yaml, name and unit from there), then the criteria (in the catalogue's order, name
    and unit from there). A column that is both a resource and a criterion is one row, of kind
    ``resource, criterion``, with the resource's unit (the criterion's where it has none).

    Examples
    --------
    >>> from lev2040_mcda.case import load_case
    >>> rows = measure_numbers(load_case("cases/tiny"))
    >>> rows[0]
    {'measure': 'solar', 'column': 'cost', 'kind': 'resource, criterion', 'name': 'Investitionen', \
'value': 20.0, 'unit': 'EUR m'}
    >>> rows[2]["column"], rows[2]["kind"], rows[2]["value"], rows[2]["unit"]
    ('co2', 'criterion', 400.0, 't/yr')
    """
    criteria = {c.id: c for c in case.criteria}
    columns: dict[str, tuple[str, str, str | None]] = {}
    for rid, r in case.config.resources.items():
        c = criteria.get(rid)
        kind = "resource, criterion" if c is not None else "resource"
        name = r.name or (c.name if c is not None else None) or rid
        columns[rid] = (kind, name, r.unit if r.unit or c is None else c.unit)
    for cid, c in criteria.items():
        columns.setdefault(cid, ("criterion", c.name or cid, c.unit))
    rows = []
    for m in case.measures:
        for column, (kind, name, unit) in columns.items():
            value = m.resources.get(column, m.performance.get(column))
            if value is not None:
                rows.append(
                    {
                        "measure": m.id,
                        "column": column,
                        "kind": kind,
                        "name": name,
                        "value": value,
                        "unit": unit,
                    }
                )
    return rows
