"""MCDM methods: a registry over pymcdm, and the same methods vectorised over weight samples.

``score`` ranks with one weight vector by calling pymcdm (so the numbers are pymcdm's).
``score_batch`` computes the same scores for thousands of weight vectors at once, for sensitivity
and SMAA: every method here is linear in the weights up to a per-sample transformation, so the
work is a few matrix products per sample chunk instead of one pymcdm call per sample. The tests
check that both give the same scores.

Departures from pymcdm, on purpose:

- PROMETHEE II takes each criterion's own preference function (pymcdm takes one for all). Its net
  flow is linear in the weights, so we ask pymcdm for every criterion's single-criterion net flow
  and combine them with the weights; for one shared function this equals pymcdm's result.
- COPRAS is computed here by Zavadskas & Kaklauskas (1996): pymcdm 1.4's relative-significance
  formula ``Sp + (min(Sm) * Sm) / (Sm * (min(Sm) / Sm))`` reduces to ``Sp + Sm``, which rewards
  cost criteria.
- Each normalisation refuses exactly what its formula cannot take (:mod:`.normalization`): a ratio
  normalisation (sum, max, vector, linear, logarithmic, nonlinear) that cannot take a criterion is
  replaced by min-max, and the method says so in its warnings; zeros are taken wherever the
  formula does not divide by them (x / max of a benefit criterion with a zero is 0).
- MABAC's border area (a geometric mean over the measures) is taken in logarithms: pymcdm's product
  of every measure's value underflows to 0 from a few hundred measures, silently.

Where a formula divides by 0 on valid data, the result is defined here and said in the warnings,
the same in ``score`` and ``score_batch``: measures that no weighted criterion tells apart all tie
(TOPSIS and EDAS give each 0.5, their 0/0); a SPOTIS criterion whose bounds coincide counts 0 (every
measure is at its ideal); a COPRAS criterion that is 0 for every measure, or a cost part that is 0
for every measure (weight 0, or zeros), adds 0; WPM takes 0 to the power 0 as 1. Anything else undefined (a normalisation dividing by 0,
a value beyond float range) raises :class:`MethodNotApplicable` naming the criteria: no score is
ever NaN, and no criterion is dropped because it became NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .library import pymcdm
from .matrix import (
    DecisionMatrix,
    MethodNotApplicable,
    _check_columns,
    _check_varies,
    _edas_check,
    _finite,
    _indistinct,
    _mabac_check,
    _wpm_check,
    few,
)
from .normalization import NORMALIZATIONS, choose_normalization, normalized

__all__ = [
    "METHODS",
    "NORMALIZATIONS",
    "MethodSpec",
    "Scored",
    "score",
    "score_batch",
    "competition_ranks",
    "parse_options",
    "MethodNotApplicable",
]

_CHUNK_CELLS = 4_000_000  # samples x measures x criteria per chunk where a method needs 3-d arrays


@dataclass(frozen=True)
class MethodSpec:
    name: str
    label: str
    higher_is_better: bool
    normalization: str | None  # pymcdm's default; None: the method does not normalise
    options: tuple[str, ...]
    reference: str


METHODS: dict[str, MethodSpec] = {
    s.name: s
    for s in (
        MethodSpec("topsis", "TOPSIS", True, "minmax", ("normalization",), "Hwang & Yoon 1981"),
        MethodSpec("vikor", "VIKOR", False, "none", ("normalization", "v"), "Opricovic & Tzeng 2004"),
        MethodSpec("promethee_ii", "PROMETHEE II", True, None, ("preference",), "Brans & Vincke 1985"),
        MethodSpec("spotis", "SPOTIS", False, None, (), "Dezert et al. 2020"),
        MethodSpec("wsm", "WSM", True, "sum", ("normalization",), "Fishburn 1967"),
        MethodSpec("wpm", "WPM", True, "sum", ("normalization",), "Bridgman 1922; Miller & Starr 1969"),
        MethodSpec("copras", "COPRAS", True, None, (), "Zavadskas & Kaklauskas 1996"),
        MethodSpec("edas", "EDAS", True, None, (), "Keshavarz Ghorabaee et al. 2015"),
        MethodSpec("mabac", "MABAC", True, "minmax", ("normalization",), "Pamučar & Ćirović 2015"),
    )
}


@dataclass
class Scored:
    """Scores of one method, with the options it actually used and what to know about them."""

    method: str
    scores: np.ndarray
    ranks: np.ndarray
    higher_is_better: bool
    options: dict[str, object]
    warnings: list[str] = field(default_factory=list)


def parse_options(method: str, pairs: list[str] | tuple[str, ...]) -> dict[str, object]:
    """``["normalization=vector", "v=0.3"]`` -> options for ``method``; bad ones raise ValueError."""
    spec = METHODS[method]
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise ValueError(f"option {pair!r} is not KEY=VALUE")
        if key not in spec.options:
            allowed = ", ".join(spec.options) or "none"
            raise ValueError(f"{spec.label} has no option {key!r} (its options: {allowed})")
        if key == "normalization":
            if value not in NORMALIZATIONS:
                raise ValueError(
                    f"unknown normalization {value!r} (expected one of {', '.join(NORMALIZATIONS)})"
                )
            out[key] = value
        elif key == "v":
            try:
                v = float(value)
            except ValueError:
                raise ValueError(f"v={value!r} is not a number") from None
            if not 0 <= v <= 1:
                raise ValueError(f"v={value} must lie in [0, 1]")
            out[key] = v
        elif key == "preference":
            if value not in ("usual", "ushape", "vshape", "level", "vshape_2"):
                raise ValueError(f"unknown preference function {value!r}")
            out[key] = value
    return out


def competition_ranks(scores: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Rank 1 = best; ties share a rank and the next rank is skipped (1, 2, 2, 4), per column.

    >>> competition_ranks(np.array([0.3, 0.9, 0.3, 0.1]), True).tolist()
    [2, 1, 2, 4]
    """
    s = np.asarray(scores, dtype=float)
    key = -s if higher_is_better else s
    if key.ndim == 1:
        return 1 + np.searchsorted(np.sort(key), key, side="left")
    # columns at once (as contiguous rows): sort, give each value the position of its first
    # occurrence among equals, scatter back
    rows = np.ascontiguousarray(key.T)
    order = np.argsort(rows, axis=1)
    ordered = np.take_along_axis(rows, order, axis=1)
    same = ordered[:, 1:] == ordered[:, :-1]
    positions = np.broadcast_to(np.arange(1, rows.shape[1] + 1), rows.shape)
    if same.any():  # ties share the rank of their first place
        new = np.ones(rows.shape, dtype=bool)
        new[:, 1:] = ~same
        positions = np.maximum.accumulate(np.where(new, positions, 0), axis=1)
    ranks = np.empty(rows.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, positions, axis=1)
    return ranks.T


# -- preparation shared by score and score_batch ----------------------------------------------


def _normalization(dm: DecisionMatrix, spec: MethodSpec, options: dict, warnings: list[str]) -> str:
    """The normalisation asked for (or the method's default), or min-max where its guard refuses."""
    return choose_normalization(
        dm, spec.label, str(options.get("normalization", spec.normalization)), warnings
    )


def _promethee_flows(dm: DecisionMatrix, options: dict) -> np.ndarray:
    """Single-criterion PROMETHEE II net flows (measures x criteria), each from pymcdm."""
    PROMETHEE_II = pymcdm().methods.PROMETHEE_II

    m, n = dm.shape
    flows = np.zeros((m, n))
    if m < 2:
        return flows
    for j in range(n):
        function, q, p = dm.preferences[j]
        function = str(options.get("preference", function))
        col = dm.values[:, [j]]
        span = float(col.max() - col.min()) or 1.0
        q = 0.0 if q is None else q
        p = span if p is None else p
        if function in ("vshape", "vshape_2", "level") and p <= q:
            p = q + span
        flows[:, j] = PROMETHEE_II(function, p=[p], q=[q])(
            col, np.array([1.0]), dm.types[[j]], validation=False
        )
    _check_columns(flows, dm, "PROMETHEE II: the preference flow")
    return flows


def _as_is(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """The normalisation pymcdm is handed for a matrix normalised already."""
    return x


def _tied(s: np.ndarray, values: np.ndarray, w: np.ndarray, label: str, warnings: list[str]) -> np.ndarray:
    """TOPSIS and EDAS divide 0 by 0 when no weighted criterion tells the measures apart: then
    they all tie, at 0.5 (as in :func:`score_batch`)."""
    if np.isfinite(s).all() or not _indistinct(values, w):
        return s
    warnings.append(f"{label}: no weighted criterion tells the measures apart; they all tie (score 0.5)")
    return np.full(len(s), 0.5)


# -- one weight vector: pymcdm ----------------------------------------------------------------


def score(dm: DecisionMatrix, weights: np.ndarray, method: str, options: dict | None = None) -> Scored:
    """Scores and ranks of every measure under one weight vector (normalised to sum 1 here).

    Raises
    ------
    MethodNotApplicable
        when the data do not meet the method's assumptions.
    """
    pm = pymcdm().methods

    spec = METHODS[method]
    options = dict(options or {})
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    warnings: list[str] = []
    used: dict[str, object] = {}
    values, types = dm.values, dm.types
    if spec.normalization is not None:
        norm = used["normalization"] = _normalization(dm, spec, options, warnings)
        N = normalized(dm, norm, spec.label)  # names a criterion the normalisation cannot take
    # pymcdm's methods get the matrix normalised (and checked) here, as it is: its cost columns
    # are turned already, so each counts as a benefit column; the normalisation is done once
    f, benefit = _as_is, np.ones(len(types))
    with np.errstate(all="ignore"):  # each 0/0 is defined here (module docstring) or refused
        if method == "topsis":
            s = _tied(pm.TOPSIS(f)(N, w, benefit, validation=False), N, w, spec.label, warnings)
        elif method == "vikor":
            _check_varies(dm, spec.label, N)
            used["v"] = float(options.get("v", 0.5))
            s = pm.VIKOR(f, v=used["v"])(N, w, benefit, validation=False)
            if not np.isfinite(s).all():  # S or R equal for all measures: 0/0 in pymcdm
                s = _vikor_batch(N, w[None, :], used["v"], dm)[:, 0]
                warnings.append("VIKOR: S or R is the same for every measure; that term counts 0")
        elif method == "promethee_ii":
            if "preference" in options:
                used["preference"] = options["preference"]
            else:
                used["preference"] = {c: pf[0] for c, pf in zip(dm.criterion_ids, dm.preferences)}
            s = _promethee_flows(dm, options) @ w
        elif method == "spotis":
            used["bounds"] = "criteria catalogue min/max, else the data"
            s = _spotis(dm, w, warnings)
        elif method == "wsm":
            s = pm.WSM(f)(N, w, benefit, validation=False)
        elif method == "wpm":
            _wpm_check(dm, N, norm)
            s = pm.WPM(f)(N, w, benefit, validation=False)
            zero = [dm.measure_ids[i] for i in np.flatnonzero((N[:, w > 0] == 0).any(axis=1))]
            if zero:
                warnings.append(
                    f"WPM: a normalised value of 0 on a weighted criterion makes the product 0, "
                    f"whatever the other values: measures {few(zero)}"
                )
        elif method == "copras":
            s = _copras(dm, w[None, :])[:, 0]
        elif method == "edas":
            _edas_check(dm)
            s = _tied(pm.EDAS()(values, w, types, validation=False), values, w, spec.label, warnings)
        elif method == "mabac":
            _mabac_check(N, norm)
            s = _mabac(N, w[None, :])[:, 0]
        else:  # pragma: no cover - the registry and this list are kept together
            raise KeyError(method)
    s = _finite(np.asarray(s, dtype=float), dm, spec.label)
    return Scored(
        method, s, competition_ranks(s, spec.higher_is_better), spec.higher_is_better, used, warnings
    )


# -- many weight vectors: the same scores, vectorised -----------------------------------------


def score_batch(
    dm: DecisionMatrix, weights: np.ndarray, method: str, options: dict | None = None
) -> np.ndarray:
    """Scores (measures x samples) for every row of ``weights`` (samples x criteria).

    Rows are normalised to sum 1. Equal to :func:`score` column by column, its fallbacks
    included. The linear methods are computed sample-major (``W @ X.T``) and returned as a
    transposed view, so that ranking the samples (:func:`competition_ranks`) needs no copy.
    """
    spec = METHODS[method]
    W = np.atleast_2d(np.asarray(weights, dtype=float))
    W = W / W.sum(axis=1, keepdims=True)
    with np.errstate(all="ignore"):  # as in score: each 0/0 is defined or refused
        return _finite(_batch(dm, W, method, dict(options or {})), dm, spec.label)


def _batch(dm: DecisionMatrix, W: np.ndarray, method: str, options: dict) -> np.ndarray:
    spec = METHODS[method]
    norm = _normalization(dm, spec, options, []) if spec.normalization is not None else None
    if method in ("topsis", "wsm", "wpm", "mabac", "vikor"):
        N = normalized(dm, norm, spec.label)
    if method == "topsis":
        w2 = W * W
        dp = np.sqrt(w2 @ ((N - N.max(axis=0)) ** 2).T)
        dm_ = np.sqrt(w2 @ ((N - N.min(axis=0)) ** 2).T)
        return np.divide(dm_, dm_ + dp, out=np.full(dp.shape, 0.5), where=dm_ + dp > 0).T
    if method == "wsm":
        return (W @ N.T).T
    if method == "wpm":
        _wpm_check(dm, N, norm)
        out = np.exp(W @ np.log(np.where(N > 0, N, 1.0)).T)
        zero = ((W > 0).astype(float) @ (N == 0).astype(float).T) > 0  # 0 ** w = 0 for w > 0 only
        return np.where(zero, 0.0, out).T
    if method == "mabac":
        _mabac_check(N, norm)
        return _mabac(N, W)
    if method == "spotis":
        return (W @ _spotis_distances(dm).T).T
    if method == "promethee_ii":
        return (W @ _promethee_flows(dm, options).T).T
    if method == "copras":
        return _copras(dm, W)
    if method == "edas":
        return _edas_batch(dm, W)
    if method == "vikor":
        _check_varies(dm, spec.label, N)
        return _vikor_batch(N, W, float(options.get("v", 0.5)), dm)
    raise KeyError(method)  # pragma: no cover


def _mabac(N: np.ndarray, W: np.ndarray) -> np.ndarray:
    """MABAC (measures x samples): sum_j w_j (n_ij + 1 - g_j), g_j the geometric mean of n_.j + 1,
    taken in logarithms (pymcdm's product of m numbers under- or overflows)."""
    geo = np.exp(np.log(N + 1).mean(axis=0))
    return (W @ (N + 1 - geo).T).T


def _spotis_distances(dm: DecisionMatrix) -> np.ndarray:
    """SPOTIS's distances to the ideal (measures x criteria), 0 where the bounds coincide."""
    esp = dm.bounds[np.arange(len(dm.types)), ((dm.types + 1) // 2).astype(int)]
    span = dm.bounds[:, 0] - dm.bounds[:, 1]
    d = np.abs(np.divide(dm.values - esp, span, out=np.zeros(dm.shape), where=span != 0))
    _check_columns(d, dm, "SPOTIS: the distance to the ideal")
    return d


def _spotis(dm: DecisionMatrix, w: np.ndarray, warnings: list[str]) -> np.ndarray:
    """pymcdm's SPOTIS on the criteria whose bounds differ; the others count 0."""
    SPOTIS = pymcdm().methods.SPOTIS

    ok = dm.bounds[:, 0] != dm.bounds[:, 1]
    if not ok.all():
        flat = [c for c, k in zip(dm.criterion_ids, ok) if not k]
        warnings.append(
            f"SPOTIS: criteria whose bounds coincide (the same value for every measure) count 0: {few(flat)}"
        )
    _spotis_distances(dm)  # names a criterion whose distance is undefined
    if not ok.any():
        return np.zeros(dm.shape[0])
    return SPOTIS(dm.bounds[ok])(dm.values[:, ok], w[ok], dm.types[ok], validation=False)


def _vikor_batch(N: np.ndarray, W: np.ndarray, v: float, dm: DecisionMatrix) -> np.ndarray:
    fstar, fminus = N.max(axis=0), N.min(axis=0)
    d = (fstar - N) / (fstar - fminus)  # measures x criteria
    _check_columns(d, dm, "VIKOR: the distance to the ideal")
    S = d @ W.T  # measures x samples
    R = np.empty_like(S)
    m, n = d.shape
    step = max(1, _CHUNK_CELLS // max(1, m * n))
    for a in range(0, W.shape[0], step):  # bounded memory: chunks of samples
        R[:, a : a + step] = (d[None, :, :] * W[a : a + step, None, :]).max(axis=2).T
    return v * _unit(S) + (1 - v) * _unit(R)


def _unit(x: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min) per column; 0 where a column does not vary (VIKOR's 0/0)."""
    lo, span = x.min(axis=0), np.ptp(x, axis=0)
    return np.divide(x - lo, span, out=np.zeros_like(x), where=span > 0)


def _copras(dm: DecisionMatrix, W: np.ndarray) -> np.ndarray:
    """COPRAS (Zavadskas & Kaklauskas 1996): Q_i = S+_i + min(S-) * sum(S-) / (S-_i * sum(min(S-)/S-)).

    The shares x / sum(x) take zeros; a criterion that is 0 for every measure adds 0 (its shares
    are 0/0), and so does a cost part S- that is 0 for every measure (weight 0, or zeros). The
    cost part divides by each measure's S-: where it is 0 for some measures only, the method is
    refused, naming them (as the sum normalisation refuses a zero cost)."""
    bad = [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col < 0).any()]
    if bad:
        raise MethodNotApplicable(
            f"COPRAS needs a ratio scale (it divides by column sums); criteria with negative values: {few(bad)}"
        )
    total = dm.values.sum(axis=0)
    N = np.divide(dm.values, total, out=np.zeros(dm.shape), where=total > 0)
    benefit, cost = dm.types == 1, dm.types == -1
    sp = N[:, benefit] @ W[:, benefit].T
    if not cost.any():
        return sp
    sm = N[:, cost] @ W[:, cost].T
    zero = (sm == 0) & (sm > 0).any(axis=0)
    if zero.any():
        which = few([dm.measure_ids[i] for i in np.flatnonzero(zero.any(axis=1))])
        raise MethodNotApplicable(
            "COPRAS divides by each measure's weighted cost share S-, which is 0 for measures "
            f"{which} (every cost criterion of weight > 0 is 0 for them)"
        )
    smin = sm.min(axis=0)
    inverse = np.divide(smin, sm, out=np.zeros_like(sm), where=sm > 0).sum(axis=0)
    return sp + np.divide(smin * sm.sum(axis=0), sm * inverse, out=np.zeros_like(sm), where=sm > 0)


def _edas_batch(dm: DecisionMatrix, W: np.ndarray) -> np.ndarray:
    _, diff = _edas_check(dm)
    pda, nda = np.maximum(diff, 0), np.maximum(-diff, 0)
    sp, sn = pda @ W.T, nda @ W.T
    top_p, top_n = sp.max(axis=0), sn.max(axis=0)  # both 0 when nothing tells the measures apart
    nsp = np.divide(sp, top_p, out=np.zeros_like(sp), where=top_p > 0)
    nsn = np.divide(sn, top_n, out=np.zeros_like(sn), where=top_n > 0)
    return (nsp + 1 - nsn) / 2
