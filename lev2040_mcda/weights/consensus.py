"""Aggregating stakeholder weights (within groups, across groups) and measuring consensus.

Definitions (also in docs/weights.md):

- *Group weights*: the arithmetic mean (default), geometric mean or median of the group's
  submissions' weight vectors, re-normalised to sum 1. With ``pairwise="aij"`` the group's AHP
  submissions are first merged by the element-wise geometric mean of their (completed) judgement
  matrices (aggregation of individual judgements, Forman & Peniwati 1998) and count as that many
  submissions with the merged priorities.
- *Final (consensus) weights*: the mean of the group weights, weighted by each group's influence
  from case.yaml (groups without an accepted submission are left out and named).
- *Distance* between two groups: the total variation distance ``0.5 * sum |w_g - w_h|`` in [0, 1],
  the share of the total weight that would have to move to turn one vector into the other.
- *Consensus index*: ``1 - (influence-weighted mean distance over all pairs of groups)``, in [0, 1];
  1 means every group submitted the same weights.
- *Spread* of a criterion: min, max, mean and coefficient of variation (population standard
  deviation / mean) of its weight across groups; it is *contested* when CV >= the threshold.
- *Agreement within a group*: Kendall's coefficient of concordance W over the respondents'
  rankings of the criteria (ranks from their weights, ties averaged, with the tie correction),
  in [0, 1] (Kendall & Babington Smith 1939; Siegel & Castellan 1988, ch. 9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputErrors, Problem
from .elicit import ahp
from .elicitation import SubmissionWeights

__all__ = ["AggregateOptions", "Consensus", "aggregate", "kendall_w", "WITHIN", "weights_summary"]

WITHIN = ("mean", "geomean", "median")
NO_GROUP = "all"
NO_SUBMISSIONS = "equal (no submissions)"
"""The ``source`` of the final weights of a case without a usable submission: equal weights,
said so (every command that ranks with them passes the source on)."""
_DEFINITION = (
    "1 - influence-weighted mean total variation distance (0.5 * sum |w_g - w_h|) over all pairs "
    "of groups; 1 = identical weights"
)


@dataclass(frozen=True)
class AggregateOptions:
    within: str = "mean"
    pairwise: str = "aip"  # aip: average the priorities; aij: merge the judgements first
    contested_cv: float = 0.5


@dataclass
class Consensus:
    """Group and final weights and how much the groups agree."""

    criteria: tuple[str, ...]
    final: np.ndarray
    groups: list[str]
    group_weights: np.ndarray
    counts: list[int]
    influence: np.ndarray  # the groups' shares in the final weights (sum 1)
    distances: np.ndarray  # groups x groups, total variation distance
    index: float
    cv: np.ndarray  # per criterion, across groups
    contested: list[str]
    kendall: dict[str, tuple[float, int]]  # group -> (W, respondents)
    missing_groups: list[str] = field(default_factory=list)


def kendall_w(weights: np.ndarray) -> float:
    """Kendall's W of the rankings implied by the rows of ``weights`` (respondents x items).

    >>> round(kendall_w(np.array([[3, 2, 1], [3, 2, 1], [3, 2, 1]])), 6)
    1.0
    >>> round(kendall_w(np.array([[3, 2, 1], [1, 2, 3]])), 6)
    0.0
    """
    w = np.asarray(weights, dtype=float)
    m, n = w.shape
    if m < 2 or n < 2:
        return float("nan")
    # ranks, 1 = most important, ties averaged: (items strictly above) + (tie group size + 1) / 2
    above = (w[:, None, :] > w[:, :, None]).sum(axis=2)
    ties = (w[:, None, :] == w[:, :, None]).sum(axis=2)  # size of each item's tie group
    ranks = above + (ties + 1) / 2.0
    totals = ranks.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    t = float((ties.astype(float) ** 2 - 1).sum())  # = sum over tie groups of t^3 - t
    denominator = m * m * (n**3 - n) - m * t
    return 1.0 if denominator <= 0 else 12.0 * s / denominator


def aggregate(
    sw: SubmissionWeights, influence: dict[str, float], options: AggregateOptions = AggregateOptions()
) -> Consensus:
    """Group weights, final weights and the consensus measures of ``sw``.

    ``influence`` maps each of the case's group ids to its influence (empty when the case has no
    groups: then all submissions form one group, ``"all"``).
    """
    if options.within not in WITHIN:
        raise ValueError(f"unknown aggregation {options.within!r} (expected {', '.join(WITHIN)})")
    n = len(sw.criteria)
    labels = np.array([g if g is not None else NO_GROUP for g in sw.groups], dtype=object)
    order = list(influence) if influence else [NO_GROUP]
    present = [g for g in order if (labels == g).any()]
    missing = [g for g in order if g not in present]
    gw = np.zeros((len(present), n))
    counts, kendall = [], {}
    for k, g in enumerate(present):
        rows = np.flatnonzero(labels == g)
        gw[k] = _group_vector(sw, rows, options)
        counts.append(len(rows))
        kendall[g] = (kendall_w(sw.weights[rows]), len(rows))
    raw = np.array([influence.get(g, 1.0) if influence else 1.0 for g in present], dtype=float)
    share = raw / raw.sum() if raw.sum() > 0 else np.full(len(present), 1 / max(len(present), 1))
    final = share @ gw if len(present) else np.full(n, np.nan)
    dist = 0.5 * np.abs(gw[:, None, :] - gw[None, :, :]).sum(axis=2)
    iu = np.triu_indices(len(present), k=1)
    pair_w = (share[:, None] * share[None, :])[iu]
    index = 1.0 - float((pair_w * dist[iu]).sum() / pair_w.sum()) if pair_w.sum() > 0 else 1.0
    mean = gw.mean(axis=0) if len(present) else np.zeros(n)
    cv = np.divide(gw.std(axis=0), mean, out=np.zeros(n), where=mean > 0) if len(present) else mean
    contested = [c for c, v in zip(sw.criteria, cv) if len(present) > 1 and v >= options.contested_cv]
    return Consensus(
        sw.criteria, final, present, gw, counts, share, dist, index, cv, contested, kendall, missing
    )


def _group_vector(sw: SubmissionWeights, rows: np.ndarray, options: AggregateOptions) -> np.ndarray:
    w = sw.weights[rows]
    if options.pairwise == "aij":
        ahp_rows = [r for r in rows if int(r) in sw.pairwise]
        by_items: dict[tuple, list[int]] = {}
        for r in ahp_rows:
            level, ids, _ = sw.pairwise[int(r)]
            by_items.setdefault((level, ids), []).append(int(r))
        w = w.copy()
        for members in by_items.values():
            logs = np.mean([np.log(sw.pairwise[r][2]) for r in members], axis=0)
            merged = ahp(np.exp(logs)).weights
            level = sw.pairwise[members[0]][0]
            crit = merged if level == "criteria" else merged @ sw.goal_matrix
            for r in members:
                w[np.flatnonzero(rows == r)[0]] = crit / crit.sum()
    if options.within == "mean":
        v = w.mean(axis=0)
    elif options.within == "median":
        v = np.median(w, axis=0)
    else:
        with np.errstate(divide="ignore"):
            v = np.exp(np.log(w).mean(axis=0))
    total = v.sum()
    return v / total if total > 0 else np.full_like(v, 1.0 / len(v))


def weights_summary(
    case,
    elicit_options=None,
    options: AggregateOptions = AggregateOptions(),
    by: str = "group",
    strict: bool = False,
) -> dict:
    """Everything ``lev2040 weights`` shows, JSON-ready: final weights (``source``:
    ``"consensus"``), group weights, consensus, rejections and counts (``by="submission"`` adds
    every submission's weights).

    The submissions are elicited once per case (:func:`~lev2040_mcda.weights.elicitation.elicit_case` keeps
    them), so the stages that need the same weights only aggregate again.

    A case without a usable submission (no ``weights/`` folder, an empty one, or every submission
    rejected) is valid: submissions are optional. Its summary has no groups and no consensus
    (``consensus.index`` is None), its final weights are equal weights with ``source``
    :data:`NO_SUBMISSIONS`, and ``skipped`` (``{"consensus": reason}``, present only then) says
    why; the rejections are listed as always. What needs stakeholder weights (group weights, the
    fair compromise between groups, resampled submissions) is skipped by the stages that use it,
    with this reason.

    Raises
    ------
    InputErrors
        (``strict``) when any submission is rejected.
    """
    from .collector import ElicitOptions
    from .elicitation import elicit_case

    sw = elicit_case(case, elicit_options or ElicitOptions())
    problems = sorted([*case.rejections, *sw.rejected], key=Problem.sort_key)
    if strict and problems:
        raise InputErrors(problems)
    influence = {g.id: g.influence for g in case.groups}
    rejected = [str(p) for p in problems]
    read = sw.read + len(case.rejections)
    if len(sw) == 0:
        return _without_submissions(case, sw, read, rejected, options, elicit_options or ElicitOptions(), by)
    c = aggregate(sw, influence, options)
    names = {g.id: g.name or g.id for g in case.groups}
    crit = {k.id: k for k in case.criteria}
    spread = []
    for j, cid in enumerate(c.criteria):
        col = c.group_weights[:, j]
        spread.append(
            {
                "criterion": cid,
                "min": float(col.min()) if len(col) else None,
                "max": float(col.max()) if len(col) else None,
                "mean": float(col.mean()) if len(col) else None,
                "cv": float(c.cv[j]),
                "highest": c.groups[int(col.argmax())] if len(col) else None,
                "lowest": c.groups[int(col.argmin())] if len(col) else None,
                "contested": cid in c.contested,
            }
        )
    out = {
        "source": "consensus",
        "weights": {cid: float(w) for cid, w in zip(c.criteria, c.final)},
        "criteria": [
            {"id": cid, "name": crit[cid].name, "goal": crit[cid].goal, "weight": float(w)}
            for cid, w in zip(c.criteria, c.final)
        ],
        "groups": [
            {
                "id": g,
                "name": names.get(g, g),
                "influence": influence.get(g, 1.0),
                "share": float(c.influence[k]),
                "submissions": c.counts[k],
                "kendall_w": None if np.isnan(c.kendall[g][0]) else float(c.kendall[g][0]),
                "weights": {cid: float(w) for cid, w in zip(c.criteria, c.group_weights[k])},
            }
            for k, g in enumerate(c.groups)
        ],
        "missing_groups": c.missing_groups,
        "consensus": {
            "index": c.index,
            "definition": _DEFINITION,
            "distances": [
                {"a": c.groups[i], "b": c.groups[j], "distance": float(c.distances[i, j])}
                for i in range(len(c.groups))
                for j in range(i + 1, len(c.groups))
            ],
            "spread": spread,
            "contested_threshold": {"cv": options.contested_cv},
            "contested": c.contested,
        },
        "submissions": {"read": read, "used": len(sw), "rejected": read - len(sw)},
        "rejections": rejected,
        "warnings": list(sw.warnings)
        + [
            f"group {g!r} has no accepted submission; it is left out of the final weights"
            for g in c.missing_groups
        ],
        "options": _options(options, elicit_options or ElicitOptions()),
    }
    if by == "submission":
        out["by_submission"] = [
            {
                "source": sw.sources[k],
                "group": sw.groups[k],
                "respondent": sw.respondents[k],
                "method": sw.methods[k],
                "level": sw.levels[k],
                "cr": None if np.isnan(sw.cr[k]) else float(sw.cr[k]),
                "weights": {cid: float(w) for cid, w in zip(sw.criteria, sw.weights[k])},
            }
            for k in range(len(sw))
        ]
    return out


def _options(options: AggregateOptions, elicit_options) -> dict:
    return {
        "within": options.within,
        "pairwise": options.pairwise,
        "ranking": elicit_options.ranking,
        "max_cr": elicit_options.max_cr,
    }


def _no_submission_reason(read: int, used: int = 0) -> str:
    """Why a case has no stakeholder weights: nothing submitted, or every submission rejected.

    >>> _no_submission_reason(0)
    'the case has no stakeholder submissions (nothing in weights/)'
    >>> _no_submission_reason(2)
    'every stakeholder submission was rejected (2 of 2; `lev2040 weights` lists why)'
    """
    if read == 0:
        return "the case has no stakeholder submissions (nothing in weights/)"
    return f"every stakeholder submission was rejected ({read - used} of {read}; `lev2040 weights` lists why)"


def _without_submissions(
    case, sw: SubmissionWeights, read: int, rejected: list[str], options: AggregateOptions, elicit_options, by
) -> dict:
    """The summary of a case without a usable submission: equal final weights, said so, no
    groups and no consensus; the shape of a summary with submissions, so every reader works."""
    crit = list(case.criteria)
    equal = 1.0 / len(crit)
    reason = _no_submission_reason(read)
    groups = [g.id for g in case.groups]
    out = {
        "source": NO_SUBMISSIONS,
        "skipped": {"consensus": reason},
        "weights": {c.id: equal for c in crit},
        "criteria": [{"id": c.id, "name": c.name, "goal": c.goal, "weight": equal} for c in crit],
        "groups": [],
        "missing_groups": groups,
        "consensus": {
            "index": None,
            "definition": _DEFINITION,
            "distances": [],
            "spread": [
                {
                    "criterion": c.id,
                    "min": None,
                    "max": None,
                    "mean": None,
                    "cv": None,
                    "highest": None,
                    "lowest": None,
                    "contested": False,
                }
                for c in crit
            ],
            "contested_threshold": {"cv": options.contested_cv},
            "contested": [],
        },
        "submissions": {"read": read, "used": 0, "rejected": read},
        "rejections": rejected,
        "warnings": list(sw.warnings),
        "options": _options(options, elicit_options),
    }
    if by == "submission":
        out["by_submission"] = []
    return out
