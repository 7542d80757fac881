"""What a portfolio delivers on each criterion, in the criterion's own unit."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..case import Case

__all__ = ["delivers"]


def delivers(case: Case, selected: list[int]) -> dict[str, dict[str, Any]]:
    """What the selected measures deliver on each criterion in its own unit (their values summed:
    dwellings, t CO2e/yr, ...), against the sum over all candidates. A criterion whose sum means
    nothing (a share in %, years, a score) is averaged instead: the catalogue's ``aggregate:
    mean``, and by default a level with a status quo other than 0 (an acceptance score 1-5)."""
    sel = sorted(set(selected))
    out = {}
    for c in case.criteria:
        v = np.array([m.performance.get(c.id, 0.0) for m in case.measures], dtype=float)
        mean = c.aggregate == "mean" if c.aggregate is not None else c.status_quo != 0
        out[c.id] = {
            "name": c.name,
            "unit": c.unit,
            "direction": c.direction,
            "goal": c.goal,
            "aggregate": "mean" if mean else "sum",
            "selected": float(v[sel].mean() if mean else v[sel].sum()) if sel else 0.0,
            "all": float(v.mean() if mean else v.sum()) if len(v) else 0.0,
        }
    return out
