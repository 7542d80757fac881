"""The rules across the rows of measures.csv: what a measure requires and excludes, and its values
on the criteria's scales.

A case may hold thousands of measures: each rule looks at a whole column or graph at once and at
single measures only where something is wrong (nothing here recurses, so a chain of thousands of
``requires`` is fine). Each rule returns located problems; the records are ``Located`` ones
(:mod:`.checks`).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from typing import Any

from ..errors import Problem
from .models import Criterion, Measure

__all__ = ["check_bounds", "required_and_excluded", "self_refs"]


def self_refs(measures: list[Any]) -> list[Problem]:
    """No measure requires or excludes itself, nor requires what it excludes."""
    out = []
    for located in measures:
        m: Measure = located.item
        if not (m.requires or m.excludes):
            continue
        for field in ("requires", "excludes"):
            if m.id in getattr(m, field):
                out.append(located.at(field, f"measure {m.id!r} names itself"))
        both = set(m.requires) & set(m.excludes)
        for other in sorted(both):
            out.append(located.at("excludes", f"{other!r} is both required and excluded"))
    return out


def required_and_excluded(measures: list[Any]) -> list[Problem]:
    """No measure may need (directly or through a chain of requires) two measures that exclude
    each other; the same holds for the mandatory measures together.

    Only the measures in an exclusion can clash, so each measure gets the set of those it needs,
    found by walking back from each of them (no recursion: a chain may be thousands long)."""
    by_id = {loc.item.id: loc.item for loc in measures}
    excl: dict[str, set[str]] = {i: set() for i in by_id}
    for m in by_id.values():
        for other in m.excludes:
            if other in by_id:
                excl[m.id].add(other)
                excl[other].add(m.id)
    graph = {i: [r for r in m.requires if r in by_id] for i, m in by_id.items()}
    needed_by: dict[str, list[str]] = {}
    for i, refs in graph.items():
        for r in refs:
            needed_by.setdefault(r, []).append(i)
    reach: dict[str, set[str]] = {}  # the measures in an exclusion that each one needs
    for x in (i for i, e in excl.items() if e):
        stack, seen = [x], {x}
        while stack:  # every measure that needs x, through any chain
            y = stack.pop()
            reach.setdefault(y, set()).add(x)
            more = [z for z in needed_by.get(y, ()) if z not in seen]
            seen.update(more)
            stack += more
    out = []
    for located in measures:
        m: Measure = located.item
        group = reach.get(m.id, ())
        if len(group) < 2:
            continue
        clash = sorted((a, b) for a in group for b in excl[a] if b in group and a < b)
        if clash and not (set(m.requires) & set(m.excludes)):
            a, b = clash[0]
            out.append(
                located.at(
                    "requires", f"needs both {a!r} and {b!r} (through requires), but they exclude each other"
                )
            )
    mandatory = [loc for loc in measures if loc.item.mandatory]
    together: set[str] = set()
    stack = [located.item.id for located in mandatory]
    while stack:  # every measure a mandatory one needs, through any chain
        mid = stack.pop()
        if mid not in together:
            together.add(mid)
            stack += graph[mid]
    for located in mandatory:
        for other in sorted(excl[located.item.id] & together):
            out.append(
                located.at(
                    "mandatory",
                    f"is mandatory but excludes {other!r}, which is "
                    "mandatory or required by a mandatory measure",
                )
            )
    return out


def check_bounds(criteria: Iterable[Criterion], measures: list[Any]) -> list[Problem]:
    """Every measure's value lies within its criterion's ``min``/``max``: a column is checked by
    its extremes, and only a column that leaves its scale is looked at measure by measure."""
    bounded = [c for c in criteria if c.min is not None or c.max is not None]
    perfs = [located.item.performance for located in measures]
    outside = []  # (measure, criterion), reported in this order
    columns = _columns(perfs, [c.id for c in bounded])
    for j, c in enumerate(bounded):
        lo, hi = -math.inf if c.min is None else c.min, math.inf if c.max is None else c.max
        values = [v for v in columns[j] if v is not None]
        if values and not lo <= min(values) <= max(values) <= hi:
            outside += [(i, j) for i, p in enumerate(perfs) if not lo <= p.get(c.id, lo) <= hi]
    out = []
    for i, j in sorted(outside):
        c = bounded[j]
        lo, hi = ("-inf" if c.min is None else f"{c.min:g}"), ("inf" if c.max is None else f"{c.max:g}")
        out.append(
            measures[i].at(
                ("performance", c.id),
                f"{perfs[i][c.id]:g} is outside the criterion's scale [{lo}, {hi}] (criteria catalogue min/max)",
            )
        )
    return out


def _columns(perfs: list[dict[str, float]], ids: list[str]) -> list[tuple[float | None, ...]]:
    """The values of each criterion in ``ids`` over the measures (``None`` where one has none)."""
    if not ids or not perfs:
        return [() for _ in ids]
    try:  # a row at a time in one C call: every measure has every criterion, unless a cell was bad
        row = operator.itemgetter(*ids)
        rows = [row(p) for p in perfs] if len(ids) > 1 else [(row(p),) for p in perfs]
    except KeyError:
        rows = [tuple(p.get(i) for i in ids) for p in perfs]
    return list(zip(*rows))
