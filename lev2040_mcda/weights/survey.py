"""Survey tables (CSV/XLSX, one respondent per row) to weights, column-wise: a survey export with
100,000 respondents is a handful of array operations. A bad cell rejects its row, with the file, row
and column; a column nobody can use rejects the whole table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..case import MAX_MAGNITUDE, MIN_MAGNITUDE, SubmissionTable, magnitude_problem, shown_number, underflows
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
                Problem(t.path, _why_bad(t.values[c][r], values[r, c]), row=int(lines[r]), column=ids[c])
            )
            ok[r] = False
    values[empty | bad] = np.nan

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
    if level == "goals":  # weight on goals without criteria has nowhere to go
        lost = col.goals_without_criteria(full)
        keep = np.isfinite(w_crit).all(axis=1)  # NaN: all of it, nothing is left
        for k in np.flatnonzero(~keep):
            col.rejected.append(
                Problem(t.path, col.nowhere(lost[k]), row=int(lines[kept[k]]), column=lost[k][0])
            )
        partly = [names for names, kept_row in zip(lost, keep) if names and kept_row]
        if partly:
            rows = f"{len(partly)} rows weigh" if len(partly) > 1 else "a row weighs"
            col.warnings.append(f"{t.path}: {rows} {col.lost_note(partly)}")
        w_crit, kept = w_crit[keep], kept[keep]
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
    """Raw cells (column-major) -> (values rows x columns, empty mask, bad mask).

    A cell is bad when it is not a number, not finite, or outside the engine's range
    (:mod:`lev2040_mcda.case.cells`: a respondent's 1e308 would make the row's sum inf, and
    1e-320 is rounding noise to divide by). Whole columns are converted at C speed; only a column
    that fails is looked at cell by cell.
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
        except (ValueError, TypeError, OverflowError):  # some cell is not a plain number: cell by cell
            texts = [v.strip() if isinstance(v, str) else v for v in arr]
            is_empty = np.array([v is None or v == "" for v in texts])
            got = np.array([np.nan if e else _cell_float(v) for v, e in zip(texts, is_empty)])
        zero = np.flatnonzero((got == 0) & ~is_empty)
        if len(zero):  # text like 1e-400 reads as 0: it is too close to 0, not 0
            texts = arr[zero].tolist()
            under = {v for v in set(texts) if isinstance(v, str) and underflows(v)}
            if under:
                got[zero[[v in under for v in texts]]] = MIN_MAGNITUDE / 2
        size = np.abs(got)
        in_range = (size <= MAX_MAGNITUDE) & ((size >= MIN_MAGNITUDE) | (got == 0))  # False for NaN
        values[:, j] = got
        empty[:, j] = is_empty
        bad[:, j] = ~is_empty & ~in_range
    return values, empty, bad


def _why_bad(cell: Any, value: float) -> str:
    """Why a bad cell of :func:`_numbers` cannot be used."""
    if np.isnan(value) and not (isinstance(cell, str) and cell.strip().lower() in ("nan", "+nan", "-nan")):
        return f"{shown_number(cell)} is not a number"
    if not np.isfinite(value):
        return f"{shown_number(cell)} is not a finite number"
    return f"{shown_number(cell)} {magnitude_problem(value)}"


def _cell_float(v: Any) -> float:
    if isinstance(v, bool):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")
    except OverflowError:  # an int too large for a float
        return float("inf")


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
    for r in np.flatnonzero(~none & ~np.isfinite(w).all(axis=1)):  # never silently 0 (nan_to_num)
        reasons.setdefault(int(r), (None, "the weights cannot be normalised (their sum is not finite)"))
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
