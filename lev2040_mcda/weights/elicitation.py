"""Stakeholder submissions -> one weight vector over the criteria per submission.

Every accepted submission (a YAML/JSON file, or a row of a CSV/XLSX table) becomes one row of an
array ``weights`` (submissions x criteria, rows sum to 1). Table rows are handled column-wise, so a
survey export with 100,000 respondents is a handful of array operations. A submission that cannot be
used is rejected with a reason naming its file, row and column; the others are still used.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..case import METHODS, Case, Submission, SubmissionTable
from ..errors import Problem, did_you_mean
from .elicit import AhpResult, ahp, is_connected, normalise_rows, ranking_weights

__all__ = ["ElicitOptions", "SubmissionWeights", "elicit_case", "goal_matrix"]

_SAATY_MIN, _SAATY_MAX = 1 / 9, 9.0


@dataclass(frozen=True)
class ElicitOptions:
    """How submissions are turned into weights."""

    ranking: str = "roc"  # roc | rs | rr
    max_cr: float | None = None  # reject AHP submissions above this consistency ratio
    warn_cr: float = 0.1  # keep, with a warning, those above this one


@dataclass
class SubmissionWeights:
    """Per-submission weights over the case's criteria, with who and how.

    ``weights[k]`` is submission ``k``'s weight vector (sums to 1); ``sources[k]`` is
    ``file`` or ``file:row``. ``cr[k]`` is the AHP consistency ratio (NaN for other methods).
    ``pairwise`` keeps, for AIJ aggregation, each AHP submission's completed matrix.
    """

    criteria: tuple[str, ...]
    weights: np.ndarray
    groups: np.ndarray
    methods: np.ndarray
    levels: np.ndarray
    sources: list[str]
    respondents: list[str]
    cr: np.ndarray
    read: int
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pairwise: dict[int, tuple[str, tuple[str, ...], np.ndarray]] = field(default_factory=dict)
    goal_matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def __len__(self) -> int:
        return len(self.sources)


def goal_matrix(case: Case) -> tuple[tuple[str, ...], np.ndarray]:
    """Goal ids and the matrix G (goals x criteria) that splits a goal's weight over its criteria.

    A goal's weight goes to the criteria of the goal and of its sub-goals, in proportion to the
    catalogue's local weights (equal where none is given).
    """
    goals = tuple(g.id for g in case.goals)
    crit = case.criterion_ids
    parent = {g.id: g.parent for g in case.goals}
    g = np.zeros((len(goals), len(crit)))
    index = {gid: i for i, gid in enumerate(goals)}
    for j, c in enumerate(case.criteria):
        goal, seen = c.goal, set()
        while goal is not None and goal in index and goal not in seen:
            g[index[goal], j] = c.weight if c.weight is not None else 1.0
            seen.add(goal)
            goal = parent.get(goal)
    totals = g.sum(axis=1, keepdims=True)
    return goals, np.divide(g, totals, out=np.zeros_like(g), where=totals > 0)


class _Collector:
    """Accumulates accepted rows and rejections while the files are read."""

    def __init__(self, case: Case, options: ElicitOptions):
        self.case = case
        self.options = options
        self.criteria = case.criterion_ids
        self.goals, self.g = goal_matrix(case)
        self.crit_index = {c: i for i, c in enumerate(self.criteria)}
        self.goal_index = {g: i for i, g in enumerate(self.goals)}
        self.blocks: list[tuple[np.ndarray, list, list, list, list, list, np.ndarray]] = []
        self.rejected: list[Problem] = []
        self.warnings: list[str] = []
        self.pairwise: dict[int, tuple[str, tuple[str, ...], np.ndarray]] = {}
        self.read = 0
        self.count = 0

    def level_of(self, ids: list[str]) -> tuple[str | None, list[str]]:
        """'criteria' or 'goals' for a set of ids, and the ids that are neither."""
        in_crit = [i for i in ids if i in self.crit_index]
        in_goal = [i for i in ids if i in self.goal_index and i not in self.crit_index]
        unknown = [i for i in ids if i not in self.crit_index and i not in self.goal_index]
        if in_goal and not in_crit:
            return "goals", unknown
        return "criteria", unknown + (in_goal if in_crit else [])

    def to_criteria(self, level: str, w: np.ndarray) -> np.ndarray:
        return w if level == "criteria" else normalise_rows(w @ self.g)

    def add(
        self,
        w: np.ndarray,
        groups: list,
        methods: list,
        levels: list,
        sources: list,
        respondents: list,
        cr: np.ndarray,
    ) -> None:
        self.blocks.append((w, groups, methods, levels, sources, respondents, cr))
        self.count += len(sources)


_KEPT: list[tuple[ElicitOptions, tuple, SubmissionWeights]] = []  # newest last
_KEEP = 4


def elicit_case(case: Case, options: ElicitOptions = ElicitOptions()) -> SubmissionWeights:
    """Weights of every submission of ``case``; invalid ones are rejected with their reason.

    Several stages need the weights of the same case (validate, weights, ranking, groups,
    conflicts, robustness, the report); the result is kept for the last few cases and options, so a
    large survey is elicited once per process. The key is the very objects the weights are
    computed from (a scenario's copy of a case shares them; a case with other submissions does
    not). What is handed out shares the kept arrays, read-only; its lists and dicts are its own.
    """
    inputs = (
        case.root,
        case.catalogue,
        case.goals,
        case.config.groups,
        case.submissions,
        case.submission_tables,
    )
    for kept_options, kept, sw in _KEPT:
        if kept_options == options and all(a is b for a, b in zip(kept, inputs)):
            return _handout(sw)
    sw = _elicit(case, options)
    for a in (sw.weights, sw.groups, sw.methods, sw.levels, sw.cr, sw.goal_matrix):
        a.setflags(write=False)
    _KEPT.append((options, inputs, sw))
    del _KEPT[:-_KEEP]
    return _handout(sw)


def _handout(sw: SubmissionWeights) -> SubmissionWeights:
    return dataclasses.replace(
        sw,
        sources=list(sw.sources),
        respondents=list(sw.respondents),
        rejected=list(sw.rejected),
        warnings=list(sw.warnings),
        pairwise=dict(sw.pairwise),
    )


def _elicit(case: Case, options: ElicitOptions) -> SubmissionWeights:
    col = _Collector(case, options)
    files = [(t.path, _table, t) for t in case.submission_tables]
    files += [(s.path, _document, s) for s in case.submissions]
    for _, handle, item in sorted(files, key=lambda f: f[0]):  # file order: first one counts
        handle(col, item)
    return _finish(col)


def _finish(col: _Collector) -> SubmissionWeights:
    n = len(col.criteria)
    if col.blocks:
        w = np.vstack([b[0] for b in col.blocks])
        cat = [list(itertools.chain.from_iterable(b[i] for b in col.blocks)) for i in range(1, 6)]
        cr = np.concatenate([b[6] for b in col.blocks])
    else:
        w, cat, cr = np.zeros((0, n)), [[], [], [], [], []], np.zeros(0)
    groups, methods, levels, sources, respondents = cat
    # a respondent counts once, whatever the file format: the first (by file, then row) is kept
    first: dict[str, int] = {}
    keep = []
    for k, who in enumerate(respondents):
        if first.setdefault(who, k) == k:
            keep.append(k)
            continue
        path, _, row = (
            sources[k].rpartition(":") if sources[k].rsplit(":", 1)[-1].isdigit() else (sources[k], "", "")
        )
        col.rejected.append(
            Problem(
                path,
                f"respondent {who!r} was already counted "
                f"(in {sources[first[who]]}); a respondent counts once",
                row=int(row) if row else None,
                column="respondent",
                kind="column" if row else "key",
            )
        )
    keep_arr = np.array(keep, dtype=int)
    pick = lambda xs: [xs[k] for k in keep]
    pairwise = {new: col.pairwise[old] for new, old in enumerate(keep) if old in col.pairwise}
    return SubmissionWeights(
        criteria=col.criteria,
        weights=w[keep_arr] if len(keep) else np.zeros((0, n)),
        groups=np.array(pick(groups), dtype=object),
        methods=np.array(pick(methods), dtype=object),
        levels=np.array(pick(levels), dtype=object),
        sources=pick(sources),
        respondents=pick(respondents),
        cr=cr[keep_arr] if len(keep) else np.zeros(0),
        read=col.read,
        rejected=sorted(col.rejected, key=Problem.sort_key),
        warnings=col.warnings,
        pairwise=pairwise,
        goal_matrix=col.g,
    )


# -- tables (surveys) -------------------------------------------------------------------------


def _table(col: _Collector, t: SubmissionTable) -> None:
    col.read += len(t)
    if not len(t):
        return
    level, unknown = col.level_of(list(t.columns))
    if unknown:  # a column nobody can use: the whole file is rejected, every row counted
        rows = f" (all {len(t)} rows rejected)" if len(t) > 1 else ""
        for name in unknown:
            col.rejected.append(
                Problem(t.path, _unknown_reason(name, col) + rows, row=t.header_line, column=name)
            )
        return
    ids = list(t.columns)
    values, empty, bad = _numbers(t.values, t.decimal_comma)
    lines = np.array(t.lines)
    methods = np.array(t.methods, dtype=object)
    ok = np.ones(len(t), dtype=bool)
    for r, c in zip(*np.nonzero(bad)):
        if ok[r]:
            col.rejected.append(
                Problem(t.path, f"{t.values[c][r]!r} is not a number", row=int(lines[r]), column=ids[c])
            )
            ok[r] = False
    values[empty] = np.nan

    w_level = np.zeros(values.shape)
    for method in np.unique(methods):
        rows = (methods == method) & ok
        if not rows.any():
            continue
        if method == "pairwise":
            for line in lines[rows]:
                col.rejected.append(
                    Problem(
                        t.path,
                        "pairwise judgements need a YAML or JSON file "
                        "with `judgements:` (a table cannot hold them)",
                        row=int(line),
                        column="method",
                    )
                )
            ok &= ~rows
            continue
        idx = np.flatnonzero(rows)
        w, reasons = _numeric_method(method, values[idx], col.options)
        for k, reason in reasons.items():
            column = ids[reason[0]] if reason[0] is not None else None
            col.rejected.append(Problem(t.path, reason[1], row=int(lines[idx[k]]), column=column))
            ok[idx[k]] = False
        w_level[idx] = np.nan_to_num(w)
    # the level's columns in the level's full id order, then mapped to criteria
    index = col.crit_index if level == "criteria" else col.goal_index
    full = np.zeros((int(ok.sum()), len(index)))
    full[:, [index[i] for i in ids]] = w_level[ok]
    w_crit = col.to_criteria(level, full)
    kept = np.flatnonzero(ok)
    sources = [f"{t.path}:{line}" for line in lines[kept]]
    respondents = [t.respondents[k] or sources[i] for i, k in enumerate(kept)]
    col.add(
        w_crit,
        [t.groups[k] for k in kept],
        list(methods[kept]),
        [level] * len(kept),
        sources,
        respondents,
        np.full(len(kept), np.nan),
    )


def _numbers(columns: tuple[tuple, ...], decimal_comma: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw cells (column-major) -> (values rows x columns, empty mask, not-a-number mask).

    Whole columns are converted at C speed; only a column that fails is looked at cell by cell.
    """
    n_rows = len(columns[0]) if columns else 0
    values = np.full((n_rows, len(columns)), np.nan)
    empty = np.zeros(values.shape, dtype=bool)
    bad = np.zeros(values.shape, dtype=bool)
    for j, column in enumerate(columns):
        arr = np.array(column, dtype=object)
        if decimal_comma:  # CSV cells are all text here
            arr = np.char.replace(arr.astype(str), ",", ".").astype(object)
        is_empty = (arr == "") | (arr == None)  # noqa: E711  (element-wise)
        try:
            got = np.where(is_empty, "nan", arr).astype(float)
        except (ValueError, TypeError):  # some cell is not a plain number: look cell by cell
            texts = [v.strip() if isinstance(v, str) else v for v in arr]
            is_empty = np.array([v is None or v == "" for v in texts])
            got = np.array([np.nan if e else _cell_float(v) for v, e in zip(texts, is_empty)])
        values[:, j] = got
        empty[:, j] = is_empty
        bad[:, j] = ~is_empty & ~np.isfinite(got)
    return values, empty, bad


def _cell_float(v: Any) -> float:
    if isinstance(v, bool):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _numeric_method(
    method: str, v: np.ndarray, options: ElicitOptions
) -> tuple[np.ndarray, dict[int, tuple[int | None, str]]]:
    """Weights of rows ``v`` (NaN = no answer) under a numeric method, and the bad rows' reasons
    (row -> (column index or None, reason))."""
    filled = np.nan_to_num(v)
    answered = ~np.isnan(v)
    if method == "ranking":
        wrong = answered & ((filled < 1) | (filled != np.round(filled)))
        w = ranking_weights(v, options.ranking)
        none = ~answered.any(axis=1)
        expected = "a rank 1, 2, 3, ... (1 = most important)"
    else:
        upper = 100.0 if method == "swing" else np.inf
        wrong = (filled < 0) | (filled > upper)
        w = normalise_rows(filled)
        none = filled.sum(axis=1) <= 0
        expected = "a swing from 0 to 100" if method == "swing" else "a number >= 0"
    reasons: dict[int, tuple[int | None, str]] = {}
    for r in np.flatnonzero(wrong.any(axis=1)):
        c = int(np.flatnonzero(wrong[r])[0])
        reasons[int(r)] = (c, f"{v[r, c]:g} is not allowed for {method} (expected {expected})")
    for r in np.flatnonzero(none):
        reasons.setdefault(
            int(r),
            (
                None,
                "nothing is ranked"
                if method == "ranking"
                else "all weights are zero or empty (expected at least one above 0)",
            ),
        )
    return w, reasons


# -- YAML / JSON documents --------------------------------------------------------------------


def _document(col: _Collector, s: Submission) -> None:
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
        number = _number(v)
        if number is None or number < 0 or (s.method == "swing" and number > 100):
            expected = "a swing from 0 to 100" if s.method == "swing" else "a number >= 0"
            raise _Reject(f"weights.{k}", f"{v!r} is not allowed (expected {expected})")
        values.append(number)
    total = sum(values)
    if total <= 0:
        raise _Reject("weights", "all weights are zero (expected at least one above 0)")
    budget = s.content.get("budget")
    if s.method == "points" and budget is not None:
        b = _number(budget)
        if b is None or b <= 0:
            raise _Reject("budget", f"{budget!r} is not a positive number")
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


def _unknown_reason(name: str, col: _Collector) -> str:
    if name in col.goal_index and name not in col.crit_index:
        return f"{name!r} is a goal, but other ids here are criteria (weight either goals or criteria)"
    hint = did_you_mean(name, [*col.criteria, *col.goals])
    return f"unknown criterion or goal {name!r}{hint}"


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
        a, b, v = str(j[0]), str(j[1]), _number(j[2])
        if v is None or not (_SAATY_MIN - 1e-9 <= v <= _SAATY_MAX + 1e-9):
            raise _Reject(
                "judgements",
                f"judgement {k} ({a} vs {b}): {j[2]!r} is outside Saaty's scale (expected 1/9 .. 9)",
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


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        x = float(v)
    elif isinstance(v, str):
        try:
            x = float(Fraction(v.strip().replace(",", ".")))
        except (ValueError, ZeroDivisionError):
            return None
    else:
        return None
    return x if math.isfinite(x) else None


def _fmt(v: float) -> str:
    return f"1/{1 / v:g}" if v < 1 else f"{v:g}"
