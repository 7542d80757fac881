"""What the form's script knows of the case, as one JSON document for a
``<script type="application/json">`` block: the items of each level, the groups, the texts, the
random index table and the points budget.

Everything the case's files hold (titles, names, units, descriptions) is data here, never markup:
the script puts it on the page with ``textContent`` only, and :func:`script_json` escapes the
characters that could end the block or start markup (``<``, ``>``, ``&``), so a name like
``</script><img onerror=...>`` stays a name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..case import METHODS, Case, Criterion, Measure
from ..weights import BUDGET, random_index
from .texts import form_texts

__all__ = ["CR_LIMIT", "form_data", "script_json"]

CR_LIMIT = 0.1
"""The consistency ratio above which the engine warns (``lev2040 weights``), and the form too."""

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``
    or ``&`` appears in it (they are ``\\u003c`` ...), so nothing in it can close the block, and
    ``JSON.parse`` of the block's text gives ``data`` back.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_ESCAPES)


def _clean(text: object) -> str:
    return " ".join(str(text).split())


def _rounded(x: float) -> int | float:
    value = float(f"{x:.6g}")
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _scale(c: Criterion, measures: Sequence[Measure]) -> tuple[int | float | None, int | float | None]:
    """The criterion's worst and best value: its catalogue bounds, else the candidates' values
    (as the templates' guide sheet shows them)."""
    values = [m.performance[c.id] for m in measures if c.id in m.performance]
    low = c.min if c.min is not None else (min(values) if values else None)
    high = c.max if c.max is not None else (max(values) if values else None)
    low, high = (None if v is None else _rounded(v) for v in (low, high))
    return (high, low) if c.direction == "cost" else (low, high)


def _criteria(case: Case) -> list[dict[str, Any]]:
    goals = {g.id: _clean(g.title) for g in case.goals}
    out = []
    for c in case.criteria:
        worst, best = _scale(c, case.measures)
        out.append(
            {
                "id": c.id,
                "name": _clean(c.name),
                "unit": _clean(c.unit) if c.unit else None,
                "direction": c.direction,
                "description": _clean(c.description) if c.description else None,
                "goal": goals.get(c.goal) if c.goal else None,
                "worst": worst,
                "best": best,
            }
        )
    return out


def _goals(case: Case) -> list[dict[str, Any]]:
    out = []
    for g in case.goals:
        names = [_clean(c.name) for c in case.criteria if c.goal == g.id]
        out.append(
            {
                "id": g.id,
                "name": _clean(g.title),
                "description": _clean(g.description) if g.description else None,
                "criteria": names,
            }
        )
    return out


def form_data(case: Case, lang: str, group: str | None = None) -> dict[str, Any]:
    """The document the form's script reads (see the module's docstring)."""
    levels = {"criteria": _criteria(case)}
    if case.goals:
        levels["goals"] = _goals(case)
    largest = max(len(items) for items in levels.values())
    ri = {str(n): random_index(n)[0] for n in range(1, largest + 1)}
    return {
        "lang": lang,
        "case": {"name": case.name, "title": _clean(case.config.title or case.name)},
        "budget": BUDGET,
        "cr_limit": CR_LIMIT,
        "ri": ri,
        "methods": list(METHODS),
        "levels": levels,
        "level": "goals" if case.goals else "criteria",
        "groups": [{"id": g.id, "name": _clean(g.name or g.id)} for g in case.groups],
        "group": group,
        "t": form_texts(lang),
    }
