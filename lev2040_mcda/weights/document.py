"""One submission document (YAML/JSON) to weights: its keys checked against its method, then direct
weights, points within a budget, a ranking (ties allowed) or AHP judgements on Saaty's scale. The
first problem found rejects the document, naming its key.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..case import METHODS, MIN_MAGNITUDE, Submission, magnitude_problem, shown_number, underflows
from ..errors import Problem, did_you_mean
from .collector import _Collector, _unknown_reason
from .elicit import AhpResult, ahp, is_connected, ranking_weights

__all__: list[str] = []  # read through elicit_case (elicitation.py)

_SAATY_MIN, _SAATY_MAX = 1 / 9, 9.0


def _document(col: _Collector, s: Submission) -> None:
    """Submission ``s`` into ``col``: its weights (with warnings for what it leaves out or a high
    consistency ratio), or its rejection."""
    col.read += 1
    try:
        level, ids, row, result = _document_weights(col, s)
    except _Reject as exc:
        col.rejected.append(Problem(s.path, exc.reason, column=exc.key, kind="key"))
        return
    all_ids = col.criteria if level == "criteria" else col.goals
    index = col.crit_index if level == "criteria" else col.goal_index
    full = np.zeros((1, len(all_ids)))
    full[0, [index[i] for i in ids]] = row
    w = col.to_criteria(level, full)
    lost = col.goals_without_criteria(full)[0] if level == "goals" else []
    if lost and not np.isfinite(w).all():
        key = {"ranking": "ranking", "pairwise": "judgements"}.get(s.method, "weights")
        col.rejected.append(Problem(s.path, col.nowhere(lost), column=key, kind="key"))
        return
    if lost:
        col.warnings.append(f"{s.path}: weighs {col.lost_note([lost])}")
    named = set(ids)
    if level == "criteria":
        left_out = [c for c in all_ids if c not in named]
    else:  # a goal is left out when none of its criteria gets weight (not through a parent either)
        left_out = [
            g
            for k, g in enumerate(all_ids)
            if g not in named and (col.g[k] > 0).any() and not (w[0][col.g[k] > 0] > 0).any()
        ]
    if left_out and s.method != "pairwise":  # allowed (weight 0), but rarely meant
        shown = ", ".join(left_out[:5]) + (", ..." if len(left_out) > 5 else "")
        col.warnings.append(
            f"{s.path}: {len(left_out)} of {len(all_ids)} {level} not weighted (weight 0): {shown}"
        )
    cr = np.array([result.cr if result is not None else np.nan])
    if result is not None:
        if col.options.max_cr is not None and result.cr > col.options.max_cr:
            col.rejected.append(
                Problem(
                    s.path,
                    f"consistency ratio {result.cr:.3f} is above --max-cr {col.options.max_cr:g}",
                    column="judgements",
                    kind="key",
                )
            )
            return
        if result.cr > col.options.warn_cr:
            col.warnings.append(
                f"{s.path}: consistency ratio {result.cr:.3f} is above "
                f"{col.options.warn_cr:g} (kept; --max-cr rejects it)"
            )
        col.pairwise[col.count] = (level, tuple(ids), result.matrix)
    col.add(w, [s.group], [s.method], [level], [s.path], [s.respondent or s.path], cr)


class _Reject(Exception):
    def __init__(self, key: str | None, reason: str):
        super().__init__(reason)
        self.key, self.reason = key, reason


_CONTENT_KEYS = {
    "direct": {"weights"},
    "swing": {"weights"},
    "points": {"weights", "budget"},
    "ranking": {"ranking"},
    "pairwise": {"judgements"},
}


def _document_weights(col: _Collector, s: Submission) -> tuple[str, list[str], np.ndarray, AhpResult | None]:
    allowed = _CONTENT_KEYS[s.method] | {"note", "level"}
    for key in s.content:
        if key not in allowed:
            other = [m for m in METHODS if key in _CONTENT_KEYS.get(m, ())]
            hint = (
                f"; {key!r} belongs to method {' or '.join(other)}" if other else did_you_mean(key, allowed)
            )
            raise _Reject(
                key,
                f"unknown key for method {s.method} (expected "
                f"{', '.join(sorted(_CONTENT_KEYS[s.method]))}){hint}",
            )
    main = next(iter(_CONTENT_KEYS[s.method] - {"budget"}))
    if main not in s.content:
        raise _Reject(main, "is missing (required)")
    if s.method == "ranking":
        ids, ranks = _ranking_items(s.content["ranking"])
        level = _level(col, ids, "ranking")
        return level, ids, ranking_weights(np.array([ranks]), col.options.ranking)[0], None
    if s.method == "pairwise":
        return _pairwise(col, s.content["judgements"])
    data = s.content["weights"]
    if not isinstance(data, dict) or not data:
        raise _Reject("weights", "expected a mapping of criterion or goal ids to numbers")
    ids = [str(k) for k in data]
    level = _level(col, ids, "weights")
    values = []
    for k, v in data.items():
        expected = "a swing from 0 to 100" if s.method == "swing" else "a number >= 0"
        number = _number(v, f"weights.{k}", expected)
        if number < 0 or (s.method == "swing" and number > 100):
            raise _Reject(f"weights.{k}", f"{shown_number(v)} is not allowed (expected {expected})")
        values.append(number)
    total = math.fsum(values)  # each value is at most 1e15: the sum is finite
    if total <= 0:
        raise _Reject("weights", "all weights are zero (expected at least one above 0)")
    budget = s.content.get("budget")
    if s.method == "points" and budget is not None:
        b = _number(budget, "budget", "a positive number")
        if b <= 0:
            raise _Reject("budget", f"{shown_number(budget)} is not a positive number")
        if abs(total - b) > 1e-6 * max(1.0, b):
            raise _Reject("weights", f"the points add up to {total:g}, not to the budget {b:g}")
    return level, ids, np.array(values) / total, None


def _level(col: _Collector, ids: list[str], key: str) -> str:
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise _Reject(key, f"{dup!r} appears twice")
    level, unknown = col.level_of(ids)
    if unknown:
        raise _Reject(key, _unknown_reason(unknown[0], col))
    return level


def _ranking_items(ranking: Any) -> tuple[list[str], list[float]]:
    if not isinstance(ranking, list) or not ranking:
        raise _Reject("ranking", "expected a list, best first (a list inside the list is a tie)")
    ids, ranks = [], []
    for place, entry in enumerate(ranking, start=1):
        members = entry if isinstance(entry, list) else [entry]
        for m in members:
            if not isinstance(m, str):
                raise _Reject("ranking", f"{m!r} is not a criterion or goal id")
            ids.append(m)
            ranks.append(float(place))
    return ids, ranks


def _pairwise(col: _Collector, judgements: Any) -> tuple[str, list[str], np.ndarray, AhpResult]:
    if not isinstance(judgements, list) or not judgements:
        raise _Reject("judgements", "expected a list of [a, b, value] (a is value times as important as b)")
    triples = []
    for k, j in enumerate(judgements, start=1):
        if isinstance(j, dict) and {"a", "b", "value"} <= set(j):
            j = [j["a"], j["b"], j["value"]]
        if not (isinstance(j, list) and len(j) == 3):
            raise _Reject("judgements", f"judgement {k} is not [a, b, value]")
        a, b, v = str(j[0]), str(j[1]), _parse(j[2])
        if v is None or not (_SAATY_MIN - 1e-9 <= v <= _SAATY_MAX + 1e-9):  # also NaN, inf
            raise _Reject(
                "judgements",
                f"judgement {k} ({a} vs {b}): {shown_number(j[2])} is outside Saaty's scale "
                "(expected 1/9 .. 9)",
            )
        if a == b:
            raise _Reject("judgements", f"judgement {k} compares {a!r} with itself")
        triples.append((a, b, v))
    ids = list(dict.fromkeys(x for a, b, _ in triples for x in (a, b)))
    level = _level(col, ids, "judgements")
    everything = col.criteria if level == "criteria" else col.goals
    missing = [i for i in everything if i not in ids]
    if missing:
        raise _Reject(
            "judgements",
            f"{', '.join(missing)} not compared (the comparisons must "
            f"cover every {'criterion' if level == 'criteria' else 'goal'})",
        )
    ids = list(everything)
    pos = {i: k for k, i in enumerate(ids)}
    n = len(ids)
    m = np.full((n, n), np.nan)
    np.fill_diagonal(m, 1.0)
    for a, b, v in triples:
        i, j = pos[a], pos[b]
        if not np.isnan(m[i, j]) and not math.isclose(m[i, j], v, rel_tol=1e-6):
            raise _Reject(
                "judgements",
                f"{a} vs {b} is judged twice, as {_fmt(m[i, j])} and "
                f"{_fmt(v)} (a matrix must be reciprocal: b vs a = 1 / (a vs b))",
            )
        m[i, j], m[j, i] = v, 1.0 / v
    known = ~np.isnan(m) & ~np.eye(n, dtype=bool)
    if not is_connected(known):
        raise _Reject(
            "judgements",
            "the comparisons do not connect all items (every item must "
            "be linked to every other through some chain of judgements)",
        )
    result = ahp(m)
    return level, ids, result.weights, result


def _number(v: Any, key: str, expected: str) -> float:
    """A number of a submission within the engine's range (:mod:`lev2040_mcda.case.cells`);
    anything else rejects the submission, naming ``key``."""
    x = _parse(v)
    if x is None or not math.isfinite(x):
        what = "is not allowed" if x is None else "is not a finite number"
        raise _Reject(key, f"{shown_number(v)} {what} (expected {expected})")
    reason = magnitude_problem(x)
    if reason is not None:
        raise _Reject(key, f"{shown_number(v)} {reason}")
    return x


def _parse(v: Any) -> float | None:
    """A number, also from text (``1,5``, ``1/3``); None when it is none. Text is read with
    ``float``, never as an exact fraction: ``1e999999999`` is inf at once, not a number of a
    billion digits; text of a number that rounds to 0 (``1e-400``) gives one too close to 0."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None
    try:
        if not isinstance(v, str):
            return float(v)
        parts = v.strip().replace(",", ".").split("/")
        if len(parts) > 2:
            return None
        if any(underflows(p) for p in parts):
            return MIN_MAGNITUDE / 2
        return float(parts[0]) / float(parts[1]) if len(parts) == 2 else float(parts[0])
    except (ValueError, ZeroDivisionError):
        return None
    except OverflowError:  # an int too large for a float
        return math.inf


def _fmt(v: float) -> str:
    return f"1/{1 / v:g}" if v < 1 else f"{v:g}"
