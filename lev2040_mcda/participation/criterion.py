"""The vote as a criterion: each measure's support (its share of the voters) put on the scale of one
of the case's criteria (the acceptance criterion, usually), so that rankings and portfolios weigh
what the citizens said as they weigh any other criterion."""

from __future__ import annotations

from typing import Any

from ..case import Case
from ..errors import InputError, Problem, did_you_mean

__all__ = ["support_as_criterion", "default_criterion"]


def default_criterion(case: Case) -> str | None:
    """The criterion a vote stands for when none is named: the one whose id says acceptance."""
    return next((c.id for c in case.criteria if "acceptance" in c.id or "akzeptanz" in c.id), None)


def support_as_criterion(
    case: Case, support: dict[str, float], criterion: str | None = None
) -> tuple[Case, dict[str, Any]]:
    """``case`` with ``criterion``'s values replaced by the vote's ``support`` (measure -> share of
    voters), and what was done (``criterion``, ``low``/``high`` of the scale, ``values``).

    The most supported measure gets the scale's best end and the least supported its worst
    (the catalogue's ``min``/``max``, else the range of the criterion's values in the case),
    linearly between; a measure no vote names keeps its value. A ``cost`` criterion is turned
    round (more support, lower value)."""
    criterion = criterion or default_criterion(case)
    ids = [c.id for c in case.criteria]
    if criterion not in ids:
        hint = did_you_mean(criterion or "", ids) if criterion else ""
        raise InputError(
            Problem(
                "--as-criterion",
                f"{'unknown criterion ' + repr(criterion) if criterion else 'no acceptance criterion in the case'}"
                f" (expected one of {', '.join(ids)}){hint}",
            )
        )
    c = next(c for c in case.criteria if c.id == criterion)
    now = [m.performance[criterion] for m in case.measures if criterion in m.performance]
    low = c.min if c.min is not None else min(now, default=0.0)
    high = c.max if c.max is not None else max(now, default=1.0)
    named = [s for m, s in support.items() if m in case.measure_ids]
    lo, hi = min(named, default=0.0), max(named, default=0.0)
    values: dict[str, float] = {}
    measures = []
    for m in case.measures:
        if m.id not in support:
            measures.append(m)
            continue
        t = (support[m.id] - lo) / (hi - lo) if hi > lo else 1.0
        if c.direction == "cost":
            t = 1.0 - t
        values[m.id] = float(low + t * (high - low))
        measures.append(m.model_copy(update={"performance": {**m.performance, criterion: values[m.id]}}))
    changed = case.model_copy(update={"measures": tuple(measures)})
    return changed, {"criterion": criterion, "low": low, "high": high, "values": values}
