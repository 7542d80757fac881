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
- A ratio normalisation (sum, max, vector, linear, logarithmic, nonlinear) of a criterion with
  values <= 0 is meaningless; such a method then uses min-max and says so in its warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .matrix import DecisionMatrix

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

NORMALIZATIONS = (
    "minmax",
    "max",
    "sum",
    "vector",
    "logarithmic",
    "linear",
    "nonlinear",
    "enhanced_accuracy",
    "zavadskas_turskis",
    "none",
)
_RATIO = {"max", "sum", "vector", "logarithmic", "linear", "nonlinear"}
_CHUNK_CELLS = 4_000_000  # samples x measures x criteria per chunk where a method needs 3-d arrays


class MethodNotApplicable(ValueError):
    """The data do not meet the method's assumptions (the reason says which)."""


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
    name = str(options.get("normalization", spec.normalization))
    if name in _RATIO:
        bad = [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col <= 0).any()]
        if bad:
            warnings.append(
                f"{spec.label}: {name} normalisation needs values > 0; criteria with "
                f"values <= 0: {_few(bad)}; min-max used instead"
            )
            return "minmax"
    return name


def _not_ratio_scale(dm: DecisionMatrix) -> list[str]:
    """Criteria a ratio method cannot take: any negative value, or a zero where it divides (cost)."""
    return [
        c
        for c, col, t in zip(dm.criterion_ids, dm.values.T, dm.types)
        if (col < 0).any() or (t == -1 and (col == 0).any())
    ]


def _few(ids: list[str]) -> str:
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _normalized(dm: DecisionMatrix, name: str) -> np.ndarray:
    from pymcdm import helpers

    if name == "none":
        return _identity(dm.values, dm.types)
    return helpers.normalize_matrix(dm.values, name, dm.types)


def _identity(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """VIKOR's 'no normalisation' in pymcdm: cost columns become max - x."""
    out = values.astype(float).copy()
    for j, t in enumerate(types):
        if t == -1:
            out[:, j] = values[:, j].max() - values[:, j]
    return out


def _pymcdm_norm(name: str):
    from pymcdm import normalizations

    return _no_normalization if name == "none" else getattr(normalizations, f"{name}_normalization")


def _no_normalization(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """``none``, as pymcdm's VIKOR means it: raw values, a cost column turned into max - x."""
    return np.max(x) - x if cost else np.asarray(x, dtype=float)


def _promethee_flows(dm: DecisionMatrix, options: dict) -> np.ndarray:
    """Single-criterion PROMETHEE II net flows (measures x criteria), each from pymcdm."""
    from pymcdm.methods import PROMETHEE_II

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
    return flows


def _check_positive(dm: DecisionMatrix, label: str, why: str, strict: bool = False) -> None:
    bad = (
        [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col <= 0).any()]
        if strict
        else _not_ratio_scale(dm)
    )
    if bad:
        what = "values <= 0" if strict else "negative values (or zeros in a cost criterion)"
        raise MethodNotApplicable(f"{label} needs a ratio scale ({why}); criteria with {what}: {_few(bad)}")


def _check_varies(dm: DecisionMatrix, label: str) -> None:
    flat = [c for c, col in zip(dm.criterion_ids, dm.values.T) if col.min() == col.max()]
    if flat:
        raise MethodNotApplicable(
            f"{label} cannot use a criterion with the same value for every measure: {', '.join(flat[:3])}"
        )


# -- one weight vector: pymcdm ----------------------------------------------------------------


def score(dm: DecisionMatrix, weights: np.ndarray, method: str, options: dict | None = None) -> Scored:
    """Scores and ranks of every measure under one weight vector (normalised to sum 1 here).

    Raises
    ------
    MethodNotApplicable
        when the data do not meet the method's assumptions.
    """
    from pymcdm import methods as pm

    spec = METHODS[method]
    options = dict(options or {})
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    warnings: list[str] = []
    used: dict[str, object] = {}
    values, types = dm.values, dm.types
    if spec.normalization is not None:
        used["normalization"] = _normalization(dm, spec, options, warnings)
    if method == "topsis":
        s = pm.TOPSIS(_pymcdm_norm(used["normalization"]))(values, w, types, validation=False)
    elif method == "vikor":
        _check_varies(dm, spec.label)
        used["v"] = float(options.get("v", 0.5))
        with np.errstate(invalid="ignore", divide="ignore"):
            s = pm.VIKOR(_pymcdm_norm(used["normalization"]), v=used["v"])(values, w, types, validation=False)
        if not np.isfinite(s).all():  # S or R equal for all measures: 0/0 in pymcdm
            s = _vikor_batch(_normalized(dm, used["normalization"]), w[None, :], used["v"])[:, 0]
            warnings.append("VIKOR: S or R is the same for every measure; that term counts 0")
    elif method == "promethee_ii":
        if "preference" in options:
            used["preference"] = options["preference"]
        else:
            used["preference"] = {c: pf[0] for c, pf in zip(dm.criterion_ids, dm.preferences)}
        s = _promethee_flows(dm, options) @ w
    elif method == "spotis":
        used["bounds"] = "criteria catalogue min/max, else the data"
        s = pm.SPOTIS(dm.bounds)(values, w, types, validation=False)
    elif method == "wsm":
        s = pm.WSM(_pymcdm_norm(used["normalization"]))(values, w, types, validation=False)
    elif method == "wpm":
        _check_positive(dm, spec.label, "it multiplies powers of the values", strict=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = pm.WPM(_pymcdm_norm(used["normalization"]))(values, w, types, validation=False)
    elif method == "copras":
        s = _copras(dm, w[None, :])[:, 0]
    elif method == "edas":
        _edas_check(dm)
        s = pm.EDAS()(values, w, types, validation=False)
    elif method == "mabac":
        _mabac_check(_normalized(dm, used["normalization"]), used["normalization"])
        s = pm.MABAC(_pymcdm_norm(used["normalization"]))(values, w, types, validation=False)
    else:  # pragma: no cover - the registry and this list are kept together
        raise KeyError(method)
    s = np.asarray(s, dtype=float)
    if not np.isfinite(s).all():
        raise MethodNotApplicable(f"{spec.label} gives undefined scores on these data")
    return Scored(
        method, s, competition_ranks(s, spec.higher_is_better), spec.higher_is_better, used, warnings
    )


# -- many weight vectors: the same scores, vectorised -----------------------------------------


def score_batch(
    dm: DecisionMatrix, weights: np.ndarray, method: str, options: dict | None = None
) -> np.ndarray:
    """Scores (measures x samples) for every row of ``weights`` (samples x criteria).

    Rows are normalised to sum 1. Equal to :func:`score` column by column. The linear methods
    are computed sample-major (``W @ X.T``) and returned as a transposed view, so that ranking
    the samples (:func:`competition_ranks`) needs no copy.
    """
    spec = METHODS[method]
    options = dict(options or {})
    W = np.atleast_2d(np.asarray(weights, dtype=float))
    W = W / W.sum(axis=1, keepdims=True)
    warnings: list[str] = []
    norm = _normalization(dm, spec, options, warnings) if spec.normalization is not None else None
    if method in ("topsis", "wsm", "wpm", "mabac", "vikor"):
        N = _normalized(dm, norm)
    if method == "topsis":
        w2 = W * W
        dp = np.sqrt(w2 @ ((N - N.max(axis=0)) ** 2).T)
        dm_ = np.sqrt(w2 @ ((N - N.min(axis=0)) ** 2).T)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (dm_ / (dm_ + dp)).T
    if method == "wsm":
        return (W @ N.T).T
    if method == "wpm":
        _check_positive(dm, spec.label, "it multiplies powers of the values", strict=True)
        with np.errstate(divide="ignore"):
            return np.exp(W @ np.log(N).T).T
    if method == "mabac":
        _mabac_check(N, norm)
        geo = np.exp(np.log(N + 1).mean(axis=0))
        return (W @ (N + 1 - geo).T).T
    if method == "spotis":
        esp = dm.bounds[np.arange(len(dm.types)), ((dm.types + 1) // 2).astype(int)]
        D = np.abs((dm.values - esp) / (dm.bounds[:, 0] - dm.bounds[:, 1]))
        return (W @ D.T).T
    if method == "promethee_ii":
        return (W @ _promethee_flows(dm, options).T).T
    if method == "copras":
        return _copras(dm, W)
    if method == "edas":
        return _edas_batch(dm, W)
    if method == "vikor":
        _check_varies(dm, spec.label)
        return _vikor_batch(N, W, float(options.get("v", 0.5)))
    raise KeyError(method)  # pragma: no cover


def _mabac_check(N: np.ndarray, norm: str) -> None:
    """MABAC's border area is a geometric mean of (normalised value + 1): it must stay > 0."""
    if (N + 1 <= 0).any():
        raise MethodNotApplicable(
            f"MABAC needs normalised values above -1, but the {norm} "
            "normalisation gives lower ones on these data (use minmax)"
        )


def _vikor_batch(N: np.ndarray, W: np.ndarray, v: float) -> np.ndarray:
    fstar, fminus = N.max(axis=0), N.min(axis=0)
    d = (fstar - N) / (fstar - fminus)  # measures x criteria
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
    """COPRAS (Zavadskas & Kaklauskas 1996): Q_i = S+_i + min(S-) * sum(S-) / (S-_i * sum(min(S-)/S-))."""
    _check_positive(dm, "COPRAS", "it divides by column sums and by the cost sums")
    N = dm.values / dm.values.sum(axis=0)
    benefit, cost = dm.types == 1, dm.types == -1
    sp = N[:, benefit] @ W[:, benefit].T
    if not cost.any():
        return sp
    sm = N[:, cost] @ W[:, cost].T
    smin = sm.min(axis=0)
    return sp + (smin * sm.sum(axis=0)) / (sm * (smin / sm).sum(axis=0))


def _edas_check(dm: DecisionMatrix) -> np.ndarray:
    mean = dm.values.mean(axis=0)
    bad = [c for c, a in zip(dm.criterion_ids, mean) if a <= 0]
    if bad:
        raise MethodNotApplicable(
            f"EDAS divides by each criterion's average; criteria whose average is <= 0: {_few(bad)}"
        )
    return mean


def _edas_batch(dm: DecisionMatrix, W: np.ndarray) -> np.ndarray:
    mean = _edas_check(dm)
    diff = (dm.values - mean) / mean * dm.types  # > 0 where better than average
    pda, nda = np.maximum(diff, 0), np.maximum(-diff, 0)
    sp, sn = pda @ W.T, nda @ W.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sp / sp.max(axis=0) + 1 - sn / sn.max(axis=0)) / 2
