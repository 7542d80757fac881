"""Stakeholder submissions -> one weight vector over the criteria per submission.

Every accepted submission (a YAML/JSON file, or a row of a CSV/XLSX table) becomes one row of an
array ``weights`` (submissions x criteria, rows sum to 1). Table rows are handled column-wise, so a
survey export with 100,000 respondents is a handful of array operations. A submission that cannot be
used is rejected with a reason naming its file, row and column; the others are still used.

Survey tables are read in :mod:`~lev2040_mcda.weights.survey`, single documents in
:mod:`~lev2040_mcda.weights.document`, both into the collector of :mod:`~lev2040_mcda.weights.collector`;
this module reads a case's files in order, counts each respondent once and keeps the result.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field

import numpy as np

from ..case import Case
from ..errors import Problem
from .collector import ElicitOptions, _Collector
from .document import _document
from .survey import _table

__all__ = ["SubmissionWeights", "elicit_case"]


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
