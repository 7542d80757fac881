"""Support per project, overall and per district: how many voted for it, what share of the voters
that is (with a Wilson score interval), the mean rating of point ballots (with a seeded bootstrap
interval), and turnout per district against its population.

Shares are of the counted ballots (rejected ones are not in them); a district's share is of the
ballots cast in that district. A project's mean rating is over the voters who rated it (a plain
rating CSV has one row per rated measure; an unrated measure is not a 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import repeat
from operator import attrgetter
from statistics import NormalDist

import numpy as np

from ..case.votes import Vote
from .profile import POINT_KINDS, profile, stated_voters

__all__ = ["DistrictSupport", "ProjectSupport", "Support", "Turnout", "support", "wilson"]


@dataclass(frozen=True)
class DistrictSupport:
    district: str
    voters: int
    approvals: int
    share: float | None


@dataclass(frozen=True)
class ProjectSupport:
    """``approvals``: the voters who gave the project anything (the platform's total for ``totals``);
    ``share`` of all counted voters, ``share_low``/``share_high`` its Wilson interval; ``points`` the
    sum of points; ``mean_rating`` over the ``raters`` (cumulative and scoring ballots) with its
    bootstrap interval."""

    project: str
    name: str
    measure: str | None
    cost: float
    approvals: float
    share: float | None
    share_low: float | None
    share_high: float | None
    points: float | None
    raters: int
    mean_rating: float | None
    rating_low: float | None
    rating_high: float | None
    by_district: tuple[DistrictSupport, ...]


@dataclass(frozen=True)
class Turnout:
    district: str
    voters: int
    population: float | None
    turnout: float | None


@dataclass(frozen=True)
class Support:
    kind: str
    voters: int
    level: float
    seed: int
    projects: tuple[ProjectSupport, ...]
    turnout: tuple[Turnout, ...]
    notes: tuple[str, ...] = ()

    def get(self, project: str) -> ProjectSupport:
        return next(p for p in self.projects if p.project == project)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def wilson(k: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of the share ``k / n`` (Wilson 1927): it stays inside [0, 1] and is
    sound for shares near 0 or 1 and for small ``n``, where the normal approximation is not."""
    if n <= 0:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if k <= 0 else max(0.0, centre - half)
    high = 1.0 if k >= n else min(1.0, centre + half)
    return (low, high)


def support(
    vote: Vote,
    districts: Mapping[str, float] | Sequence[str] | None = None,
    *,
    level: float = 0.95,
    seed: int = 0,
    resamples: int = 2000,
) -> Support:
    """Support of every project of ``vote``.

    ``districts``: None (the districts the ballots name), a list of district ids (reported in
    that order, with 0 where no ballot came from one), or ``{district: population}`` (the same,
    and turnout = ballots / population per district).
    """
    prof = profile(vote)
    n = prof.voters
    names, population = _districts(vote, districts)
    code, notes = _codes(vote, names)
    per_district = np.bincount(code[code >= 0], minlength=len(names)) if n else np.zeros(len(names), int)
    points_kind = vote.kind in POINT_KINDS and vote.kind != "ordinal"
    out = []
    for j, p in enumerate(vote.projects):
        k = float(prof.votes[j])
        share = low = high = None
        voters = n if vote.kind != "totals" else stated_voters(vote)
        if voters:
            share = k / voters
            low, high = wilson(k, voters, level)
        mean = rlow = rhigh = None
        if points_kind and len(prof.points[j]):
            mean, rlow, rhigh = _bootstrap(prof.points[j], level, resamples, seed, j)
        by = ()
        if vote.kind != "totals" and names:
            c = code[prof.supporters[j]]
            counts = np.bincount(c[c >= 0], minlength=len(names))
            by = tuple(
                DistrictSupport(d, int(per_district[i]), int(counts[i]), _div(counts[i], per_district[i]))
                for i, d in enumerate(names)
            )
        out.append(
            ProjectSupport(
                p.id,
                p.name,
                p.measure,
                float(p.cost),
                k,
                share,
                low,
                high,
                float(prof.score[j]) if vote.kind in POINT_KINDS else None,
                len(prof.points[j]),
                mean,
                rlow,
                rhigh,
                by,
            )
        )
    turnout = tuple(
        Turnout(d, int(per_district[i]), population.get(d), _div(per_district[i], population.get(d)))
        for i, d in enumerate(names)
    )
    return Support(vote.kind, n, level, seed, tuple(out), turnout, tuple(notes))


def _div(a: float, b: float | None) -> float | None:
    return float(a) / float(b) if b else None


def _districts(vote: Vote, districts: object) -> tuple[list[str], dict[str, float]]:
    if isinstance(districts, Mapping):
        return [str(d) for d in districts], {str(d): float(v) for d, v in districts.items()}
    if districts is not None:
        return [str(d) for d in districts], {}
    seen = dict.fromkeys(map(attrgetter("district"), vote.ballots))
    if None in seen and vote.district:
        seen[vote.district] = None
    return sorted(d for d in seen if d), {}


def _codes(vote: Vote, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each ballot's district as an index into ``names`` (-1: none, or one not listed); a ballot
    without a district is in the vote's own district when the vote has one."""
    index: dict[str | None, int] = {d: i for i, d in enumerate(names)}
    index[None] = index.get(vote.district, -1) if vote.district else -1
    districts = map(attrgetter("district"), vote.ballots)
    code = np.fromiter(map(index.get, districts, repeat(-1)), dtype=np.int64, count=len(vote.ballots))
    notes = []
    missing = int((code < 0).sum())
    if names and missing:
        notes.append(f"{missing:,} ballots name no district of the list and are in no district's count")
    return code, notes


def _bootstrap(
    values: np.ndarray, level: float, resamples: int, seed: int, j: int
) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval. Ratings take few distinct values, so a resample is
    drawn as counts per value (a multinomial: the same distribution as drawing the raters with
    replacement) at a cost independent of the number of raters. Seeded per project."""
    vals, counts = np.unique(values, return_counts=True)
    k = int(counts.sum())
    mean = float(values.mean())
    if len(vals) == 1:
        return mean, mean, mean
    rng = np.random.default_rng([seed, j])
    draws = rng.multinomial(k, counts / k, size=resamples) @ vals / k
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return mean, float(lo), float(hi)
