"""A vote as arrays: each project's supporters and what they gave it, its cost and its votes.

Every rule counts on this, so the ballots (Python objects, one per voter) are walked exactly once,
column-wise: a flat list of (voter, project, points) entries, sorted by project. A project's
supporters are then one slice of an index array, and a rule's round is a few numpy operations
per project instead of a loop over voters.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter

import numpy as np

from ..case.votes import Vote
from ..errors import McdaError, did_you_mean

__all__ = [
    "RULES",
    "UTILITIES",
    "COMPLETIONS",
    "TIE_BREAKS",
    "Profile",
    "RuleError",
    "profile",
    "stated_voters",
]

RULES = ("greedy", "mes", "phragmen")
UTILITIES = ("cost", "cardinality", "points")
COMPLETIONS = ("add1u", "add1", "add1eu", "add1e", "utilitarian", "none")
TIE_BREAKS = ("votes", "cost", "order")
"""``votes``: more votes first, then the lower cost, then the project's place in the file;
``cost``: the lower cost first, then more votes, then the place (equalshares.net's recommendation
for the Method of Equal Shares); ``order``: the place in the file alone."""

_TIE_KEYS = {"votes": ("votes", "cost", "order"), "cost": ("cost", "votes", "order"), "order": ("order",)}
POINT_KINDS = ("cumulative", "scoring", "ordinal")


class RuleError(McdaError):
    """A rule cannot count this vote as asked (an unknown rule, Phragmén on scores, MES on totals)."""

    exit_code = 2


@dataclass(frozen=True)
class Profile:
    """The vote's numbers. ``supporters[j]`` are the voter indices that gave project ``j`` more than
    0, ``points[j]`` what each of them gave (1 for an approval; ordinal ranks already turned into
    points); ``votes[j]`` the count of supporters (the platform's total for ``totals`` votes);
    ``score[j]`` what greedy sorts by (votes, or the sum of points for point ballots)."""

    ids: tuple[str, ...]
    cost: np.ndarray
    votes: np.ndarray
    score: np.ndarray
    supporters: tuple[np.ndarray, ...]
    points: tuple[np.ndarray, ...]
    voters: int
    kind: str
    ignored: int = 0  # ballot entries naming no project of the vote (a reader rejects those)

    def tie_rank(self, tie_break: str) -> np.ndarray:
        """Each project's place in the tie order (0 wins every tie)."""
        keys = {"votes": -self.votes, "cost": self.cost, "order": np.arange(len(self.ids))}
        order = np.lexsort([keys[k] for k in reversed(_TIE_KEYS[tie_break])])
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[order] = np.arange(len(self.ids))
        return rank

    def tie_reason(self, chosen: int, others: list[int], tie_break: str) -> str:
        """The tie-break key that was needed to put ``chosen`` before every one of ``others``."""
        names = _TIE_KEYS[tie_break]
        values = {"votes": self.votes, "cost": self.cost, "order": np.arange(len(self.ids))}
        deepest = 0
        for o in others:
            for depth, name in enumerate(names):
                if not _close(values[name][chosen], values[name][o]):
                    deepest = max(deepest, depth)
                    break
        return names[deepest]

    def utilities(self, utility: str) -> tuple[np.ndarray, ...]:
        """Each supporter's utility for each project: ``cost`` (an approval is worth the project's
        cost; points times the cost), ``cardinality`` (1 for every supported project) or
        ``points`` (what the voter gave: 1 for an approval)."""
        if utility == "cardinality":
            return tuple(np.ones(len(s)) for s in self.supporters)
        if utility == "points":
            return self.points
        return tuple(p * c for p, c in zip(self.points, self.cost, strict=True))


def _close(a: float, b: float) -> bool:
    return bool(abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300))


def stated_voters(vote: Vote) -> int:
    """The number of voters a ``totals`` export states (Pabulib ``num_votes``), 0 when it states none."""
    text = str(vote.meta.get("num_votes", "") or "").replace(" ", "").replace("\u00a0", "")
    try:
        return max(int(float(text)), 0)
    except ValueError:
        return 0


def check_choice(name: str, value: object, known: tuple[str, ...]) -> str:
    """``value`` when it is one of ``known``, else a :class:`RuleError` naming the choices."""
    if value not in known:
        hint = did_you_mean(value, known)
        raise RuleError(f"{name} {value!r} is not known{hint}; choose one of {', '.join(known)}")
    return str(value)


def profile(vote: Vote) -> Profile:
    """The arrays of ``vote`` (ballots walked once; entries naming no project are counted, not used).

    The last vote's arrays are kept (for as long as that vote lives), so ``count`` and ``support``
    of the same vote walk its ballots once between them.
    """
    cached = _LAST.get("vote")
    if cached is not None and cached[0]() is vote:
        return cached[1]
    prof = _build(vote)
    _LAST["vote"] = (weakref.ref(vote), prof)
    return prof


_LAST: dict[str, tuple[weakref.ref, Profile]] = {}


def _build(vote: Vote) -> Profile:
    ids = vote.project_ids
    m = len(ids)
    cost = np.array([float(p.cost) for p in vote.projects], dtype=float)
    if vote.kind == "totals":
        votes = np.array([float(p.votes or 0) for p in vote.projects], dtype=float)
        empty = tuple(np.zeros(0, dtype=np.int64) for _ in ids)
        return Profile(ids, cost, votes, votes, empty, tuple(np.zeros(0) for _ in ids), 0, "totals")
    ballots = vote.ballots
    n = len(ballots)
    points_of = attrgetter("points")
    lens = np.fromiter(map(len, map(points_of, ballots)), dtype=np.int64, count=n)
    total = int(lens.sum())
    index = {pid: j for j, pid in enumerate(ids)}
    keys = chain.from_iterable(map(points_of, ballots))  # C-level iteration: no Python frame per entry
    cols = np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.int64, count=total)
    values = chain.from_iterable(map(dict.values, map(points_of, ballots)))
    vals = np.fromiter(values, dtype=float, count=total)
    rows = np.repeat(np.arange(n, dtype=np.int64), lens)
    if vote.kind == "ordinal":
        vals = _ranks_to_points(vals, lens, vote.max_approvals)
    ignored = int((cols < 0).sum())
    known = cols >= 0
    sums = np.bincount(cols[known], weights=vals[known], minlength=m)
    keep = known & (vals > 0)
    cols, vals, rows = cols[keep], vals[keep], rows[keep]
    order = np.argsort(cols, kind="stable")
    cols, vals, rows = cols[order], vals[order], rows[order]
    bounds = np.searchsorted(cols, np.arange(1, m))
    supporters = tuple(np.split(rows, bounds))
    points = tuple(np.split(vals, bounds))
    votes = np.array([len(s) for s in supporters], dtype=float)
    score = sums if vote.kind in POINT_KINDS else votes
    return Profile(ids, cost, votes, score, supporters, points, n, vote.kind, ignored)


def _ranks_to_points(ranks: np.ndarray, lens: np.ndarray, max_length: int | None) -> np.ndarray:
    """Rank positions 1, 2, ... as Borda points ``L + 1 - rank`` (``L``: the vote's maximum ballot
    length, else the longest ballot), so the first choice of a ballot weighs most."""
    longest = int(max_length) if max_length else int(lens.max(initial=0))
    return np.clip(longest + 1 - ranks, 0, None)
