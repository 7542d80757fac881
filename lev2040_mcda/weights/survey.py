"""Survey tables (CSV/XLSX, one respondent per row) to weights, column-wise: a survey export with
100,000 respondents is a handful of array operations. A bad cell rejects its row, with the file, row
and column; a column nobody can use rejects the whole table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..case import SubmissionTable
from ..errors import Problem
from .collector import ElicitOptions, _Collector, _unknown_reason
from .elicit import normalise_rows, ranking_weights

__all__: list[str] = []  # read through elicit_case (elicitation.py)


def _table(col: _Collector, t: SubmissionTable) -> None:
    """Every row of survey table ``t`` into ``col``: accepted as weights, or rejected with its row."""
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
