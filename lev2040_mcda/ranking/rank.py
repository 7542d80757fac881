"""Ranking the measures: weights from any source, one method or all of them, per group.

The JSON-ready results here are what ``lev2040 rank`` prints; the numbers come from
:mod:`lev2040_mcda.ranking.methods` (pymcdm) on the :mod:`lev2040_mcda.ranking.matrix` of the case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..case import Case
from ..errors import InputError, InputErrors, Problem, did_you_mean, display_path
from .library import pymcdm
from .matrix import DecisionMatrix, decision_matrix
from .methods import METHODS, MethodNotApplicable, competition_ranks, parse_options, score

__all__ = [
    "WEIGHT_SOURCES",
    "resolve_weights",
    "rank_case",
    "compare_methods",
    "rank_by_group",
    "method_options",
]

WEIGHT_SOURCES = ("consensus", "equal", "entropy", "critic")


def resolve_weights(
    case: Case,
    dm: DecisionMatrix,
    source: str = "consensus",
    group: str | None = None,
    file: str | Path | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The weight vector to rank with, and a description of where it comes from.

    ``group`` (one group's weights) and ``file`` (any submission file the weights stage reads)
    take precedence over ``source``.

    Submissions are optional. ``"consensus"`` (the default) on a case without a usable submission
    (none in ``weights/``, or every one rejected) ranks with equal weights, and says so: the
    description's ``source`` is ``"equal (no submissions)"`` and its ``skipped`` says why the
    consensus was skipped (``{"consensus": reason}``), so that no command uses them silently.
    ``equal``, ``entropy``, ``critic`` and ``file`` need no submission; ``group`` needs that
    group's accepted submissions (else :class:`InputError` naming the sources that work).
    """
    from ..weights import weights_summary

    chosen = [
        flag
        for flag, on in (
            ("--weights", file is not None),
            ("--group", group is not None),
            (f"--weights-from {source}", source != "consensus"),
        )
        if on
    ]
    if len(chosen) > 1:
        raise InputError(
            Problem(
                chosen[0],
                f"cannot be combined with {' and '.join(chosen[1:])} (the weights come from one source)",
            )
        )
    if file is not None:
        return _file_weights(case, Path(file))
    if group is not None:
        summary = weights_summary(case)
        groups = {g["id"]: g for g in summary["groups"]}
        if group not in groups:
            raise InputError(Problem("--group", _no_group(case, group, list(groups), summary)))
        return (
            _vector(dm, groups[group]["weights"]),
            {"source": "group", "group": group, **_caveats(summary)},
        )
    if source == "consensus":
        summary = weights_summary(case)
        return _vector(dm, summary["weights"]), _consensus_info(summary)
    if source == "equal":
        return np.full(dm.shape[1], 1.0 / dm.shape[1]), {"source": "equal"}
    if source not in WEIGHT_SOURCES:
        raise InputError(
            Problem(
                "--weights-from",
                f"unknown weight source {source!r} (expected one of {', '.join(WEIGHT_SOURCES)})",
            )
        )
    return _objective_weights(dm, source)


def _objective_weights(dm: DecisionMatrix, source: str) -> tuple[np.ndarray, dict[str, Any]]:
    """Entropy or CRITIC weights (pymcdm) of the decision matrix.

    They measure how much each criterion tells the measures apart; where no criterion does more
    than another (CRITIC on two measures: every pair of criteria is perfectly correlated, so each
    gets 0; entropy on constant columns) the method's weights are 0/0. Those data give no reason
    to prefer a criterion: equal weights are used, and ``note`` says so (never NaN weights, and
    no numpy warning).
    """
    pw = pymcdm().weights

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if source == "entropy":
            w = pw.entropy_weights(_shifted(dm.values))
        else:
            w = pw.critic_weights(dm.values, dm.types)
    w = np.nan_to_num(np.asarray(w, dtype=float), nan=0.0, posinf=0.0, neginf=0.0).clip(min=0.0)
    info: dict[str, Any] = {"source": source, "method": f"pymcdm {source}_weights"}
    if not w.sum() > 0:
        w = np.ones(dm.shape[1])
        info["note"] = (
            f"{source} weights are undefined on these data (no criterion tells the measures apart more "
            "than another); equal weights used"
        )
    return w / w.sum(), info


def _caveats(summary: dict[str, Any]) -> dict[str, Any]:
    """What the weights leave out: rejected submissions and groups without any (shown by every
    command that uses them, not only by ``lev2040 weights``). Without a usable submission no
    group is in the weights to be left out: ``skipped`` says so once instead."""
    return {
        "rejected_submissions": summary["submissions"]["rejected"],
        "missing_groups": [] if "skipped" in summary else list(summary["missing_groups"]),
    }


def _consensus_info(summary: dict[str, Any]) -> dict[str, Any]:
    """Where the default weights come from: the consensus, or equal weights and why."""
    if "skipped" in summary:
        return {"source": summary["source"], "skipped": dict(summary["skipped"]), **_caveats(summary)}
    return {"source": "consensus", **_caveats(summary)}


def _no_group(case: Case, group: str, known: list[str], summary: dict[str, Any]) -> str:
    """Why ``--group`` cannot give weights: an unknown group, or one without an accepted
    submission (then the sources that work without it are named)."""
    if group in {g.id for g in case.groups}:
        why = summary.get("skipped", {}).get("consensus") or "no submission of this group was accepted"
        return (
            f"group {group!r} has no weights: {why} (use another --group, --weights FILE or "
            "--weights-from equal|entropy|critic)"
        )
    expected = ", ".join(known) or "none with accepted submissions"
    return f"unknown group {group!r} (expected one of {expected}){did_you_mean(group, [g.id for g in case.groups])}"


def _shifted(values: np.ndarray) -> np.ndarray:
    """Entropy needs positive columns: shift a column with values <= 0 to start just above 0."""
    out = values.astype(float).copy()
    for j in range(out.shape[1]):
        lo = out[:, j].min()
        if lo <= 0:
            span = np.ptp(out[:, j]) or 1.0
            out[:, j] = out[:, j] - lo + span * 1e-3
    return out


def _vector(dm: DecisionMatrix, weights: dict[str, float]) -> np.ndarray:
    return np.array([weights[c] for c in dm.criterion_ids], dtype=float)


def _file_weights(case: Case, path: Path) -> tuple[np.ndarray, dict[str, Any]]:
    """The weights of one submission file, as the weights stage gives them for a case whose
    ``weights/`` holds only that file. Naming a group is optional for a YAML/JSON submission here
    (the file may be anyone's weighting): one that names none is one weighting on its own, even in
    a case with groups; a group it names must be one of the case's. A table's rows are
    respondents, and name their groups as in ``weights/``."""
    from ..case import Reader, read_submission_file
    from ..weights import weights_summary

    reader = Reader(base=case.root)
    groups = {g.id for g in case.groups}
    items = [*case.criterion_ids, *case.goal_ids]  # a file that names none of them is not quoted
    doc, table, problems = read_submission_file(path, reader, groups, items)
    config = case.config
    if problems and groups:
        alone = Reader(base=case.root)
        doc_a, table_a, problems_a = read_submission_file(path, alone, None, items)
        if not problems_a and doc_a is not None and table_a is None and doc_a.group is None:
            doc, table, problems, reader = doc_a, None, [], alone
            config = case.config.model_copy(update={"groups": []})
    if problems:
        raise InputErrors(problems)
    one = case.model_copy(
        update={
            "config": config,
            "submissions": (doc,) if doc else (),
            "submission_tables": (table,) if table else (),
            "rejections": (),
        }
    )
    summary = weights_summary(one, strict=True)
    if "skipped" in summary:  # read well, but holds no weighting (a survey without respondents)
        raise InputError(Problem(display_path(path), "holds no weighting (expected one submission)"))
    dm_ids = case.criterion_ids
    return (
        np.array([summary["weights"][c] for c in dm_ids]),
        {"source": "file", "file": str(path), "sha256": next(iter(reader.inputs.values()), None)},
    )


def method_options(method: str, pairs: tuple[str, ...], strict: bool = True) -> dict[str, object]:
    """Options for one method from ``KEY=VALUE`` pairs; with ``strict=False`` (``--method all``)
    keys the method does not have are left out instead of refused."""
    if strict:
        try:
            return parse_options(method, pairs)
        except ValueError as exc:
            raise InputError(Problem("--option", str(exc))) from None
    known = {o for spec in METHODS.values() for o in spec.options}
    for pair in pairs:
        if pair.partition("=")[0].strip() not in known:
            raise InputError(
                Problem(
                    "--option", f"no method has the option {pair!r} (options: {', '.join(sorted(known))})"
                )
            )
    keep = [p for p in pairs if p.partition("=")[0].strip() in METHODS[method].options]
    try:
        return parse_options(method, keep)
    except ValueError as exc:
        raise InputError(Problem("--option", str(exc))) from None


def _ranking(dm: DecisionMatrix, scored) -> list[dict[str, Any]]:
    order = np.lexsort((np.arange(dm.shape[0]), scored.ranks))
    return [
        {
            "id": dm.measure_ids[i],
            "name": dm.measure_names[i],
            "score": float(scored.scores[i]),
            "rank": int(scored.ranks[i]),
        }
        for i in order
    ]


def rank_case(
    case: Case,
    method: str,
    options: dict,
    weights: np.ndarray,
    weights_info: dict,
    scenario: str | None = None,
    dm: DecisionMatrix | None = None,
) -> dict[str, Any]:
    """One method's ranking in the output contract of ``lev2040 rank --format json``; ``dm`` is
    the case's decision matrix in ``scenario`` when the caller has it already."""
    dm = decision_matrix(case, scenario) if dm is None else dm
    try:
        scored = score(dm, weights, method, options)
    except MethodNotApplicable as exc:
        raise InputError(Problem("--method", f"{method}: {exc}")) from None
    return {
        "method": method,
        "label": METHODS[method].label,
        "higher_is_better": scored.higher_is_better,
        "options": scored.options,
        "weights": {c: float(w) for c, w in zip(dm.criterion_ids, weights / weights.sum())},
        "weights_source": weights_info,
        "scenario": scenario,
        "ranking": _ranking(dm, scored),
        "warnings": scored.warnings,
    }


def compare_methods(
    case: Case,
    weights: np.ndarray,
    weights_info: dict,
    option_pairs: tuple,
    scenario: str | None = None,
    compromise: str = "copeland",
) -> dict[str, Any]:
    """Every method's ranks side by side, their rank correlations and a compromise ranking."""
    correlations = pymcdm().correlations
    rank_similarity_coef, weighted_spearman = (
        correlations.rank_similarity_coef,
        correlations.weighted_spearman,
    )

    dm = decision_matrix(case, scenario)
    ranks: dict[str, np.ndarray] = {}
    info: dict[str, Any] = {}
    not_applicable: dict[str, str] = {}
    warnings: list[str] = []
    for name in METHODS:
        try:
            scored = score(dm, weights, name, method_options(name, option_pairs, strict=False))
        except MethodNotApplicable as exc:
            not_applicable[name] = str(exc)
            continue
        ranks[name] = scored.ranks
        info[name] = {
            "label": METHODS[name].label,
            "higher_is_better": scored.higher_is_better,
            "options": scored.options,
        }
        warnings += scored.warnings
    names = list(ranks)
    if dm.shape[0] >= 2:
        rw = [[float(weighted_spearman(ranks[a] * 1.0, ranks[b] * 1.0)) for b in names] for a in names]
        ws = [[float(rank_similarity_coef(ranks[a] * 1.0, ranks[b] * 1.0)) for b in names] for a in names]
    else:  # the coefficients of one ranked measure are 0/0: undefined, and said so
        rw = ws = [[None for _ in names] for _ in names]
        warnings.append("rank correlations need at least two measures; they are left empty")
    comp = _compromise(np.column_stack([ranks[n] for n in names]), compromise) if names else None
    order = np.lexsort((np.arange(dm.shape[0]), comp)) if comp is not None else range(0)
    return {
        "methods": info,
        "not_applicable": not_applicable,
        "weights": {c: float(w) for c, w in zip(dm.criterion_ids, weights / weights.sum())},
        "weights_source": weights_info,
        "scenario": scenario,
        "ranks": [
            {
                "id": dm.measure_ids[i],
                "name": dm.measure_names[i],
                "ranks": {n: int(ranks[n][i]) for n in names},
                "compromise": int(comp[i]),
            }
            for i in order
        ],
        "correlation": {
            "methods": names,
            "weighted_spearman": rw,
            "ws_similarity": ws,
            "note": "WS is asymmetric: row = reference ranking; null with fewer than two measures",
        },
        "compromise": {"rule": compromise, "description": _COMPROMISE[compromise]},
        "warnings": warnings,
    }


_COMPROMISE = {
    "copeland": "Copeland: for every pair of measures, the one ranked better by more methods wins; "
    "a measure's score is its wins minus its losses",
    "borda": "Borda: a measure scores (number of measures - rank) under every method; the sums are ranked",
}


def _compromise(ranks: np.ndarray, rule: str) -> np.ndarray:
    """Compromise ranks (1 = best, ties shared) from ranks (measures x methods)."""
    if rule == "borda":
        return competition_ranks((ranks.shape[0] - ranks).sum(axis=1).astype(float), True)
    better = (ranks[:, None, :] < ranks[None, :, :]).sum(axis=2)  # methods preferring i over j
    worse = better.T
    copeland = (better > worse).sum(axis=1) - (better < worse).sum(axis=1)
    return competition_ranks(copeland.astype(float), True)


def rank_by_group(
    case: Case, method: str, options: dict, top_k: int = 5, scenario: str | None = None
) -> dict[str, Any]:
    """Ranks under every group's weights side by side: consensus and contested measures.

    Without a usable submission, or without stakeholder groups in the case (then every
    submission is of one group, ``all``), there are no groups to compare: ``groups`` is empty
    and ``skipped`` (``{"groups": reason}``, present only then) says why; the consensus column
    is ranked with the default weights (:func:`resolve_weights`, ``weights_source``).
    """
    from ..weights import weights_summary

    dm = decision_matrix(case, scenario)
    summary = weights_summary(case)
    skipped = {}
    if "skipped" in summary:
        skipped["groups"] = summary["skipped"]["consensus"]
    elif not case.groups:
        skipped["groups"] = "the case has no stakeholder groups (case.yaml `groups`)"
    columns: dict[str, np.ndarray] = {}
    for g in [] if skipped else summary["groups"]:
        try:
            columns[g["id"]] = score(dm, _vector(dm, g["weights"]), method, options).ranks
        except MethodNotApplicable as exc:
            raise InputError(Problem("--method", f"{method}: {exc}")) from None
    consensus_ranks = score(dm, _vector(dm, summary["weights"]), method, options).ranks
    table = np.column_stack(list(columns.values())) if columns else np.zeros((dm.shape[0], 0))
    spread = table.max(axis=1) - table.min(axis=1) if columns else np.zeros(dm.shape[0])
    in_all_top = (table <= top_k).all(axis=1) if columns else np.zeros(dm.shape[0], bool)
    order = np.lexsort((np.arange(dm.shape[0]), consensus_ranks))
    contested = sorted(range(dm.shape[0]), key=lambda i: (-spread[i], consensus_ranks[i]))
    width = max(3, min(5, dm.shape[0] // 5))
    return {
        "method": method,
        "label": METHODS[method].label,
        "top_k": top_k,
        "scenario": scenario,
        "weights_source": _consensus_info(summary),
        **({"skipped": skipped} if skipped else {}),
        "groups": list(columns),
        "ranks": [
            {
                "id": dm.measure_ids[i],
                "name": dm.measure_names[i],
                "consensus": int(consensus_ranks[i]),
                "groups": {g: int(columns[g][i]) for g in columns},
                "spread": int(spread[i]),
                "in_every_top_k": bool(in_all_top[i]),
            }
            for i in order
        ],
        "consensus_measures": [dm.measure_ids[i] for i in order if in_all_top[i]],
        "contested_measures": [
            {"id": dm.measure_ids[i], "spread": int(spread[i])} for i in contested[:width] if spread[i] > 0
        ],
    }
