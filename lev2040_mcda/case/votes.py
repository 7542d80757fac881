"""A vote of the online participation as read: projects (with costs and the measures they are),
ballots or per-project totals, and the budget.

The reading of Pabulib ``.pb`` files (:mod:`.pabulib`), Decidim/CONSUL exports and plain ballot
CSVs (:mod:`.platforms`), the ballot rules (:mod:`.ballots`) and the project -> measure mapping
(:mod:`.votes_read`, ``load_votes``) live beside this module (only ``case/`` opens input files);
``participation/`` counts on :class:`Vote`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["BALLOT_KINDS", "Ballot", "Project", "Vote"]

BALLOT_KINDS = ("approval", "cumulative", "scoring", "ordinal", "totals")
"""How a vote was cast: Pabulib's four ballot types, or ``totals`` (a platform export that carries
only each project's count of votes, not the ballots)."""


@dataclass(frozen=True)
class Project:
    """One project of the vote. ``measure`` is the case's measure id it stands for (None: not
    mapped, reported); ``votes`` the platform's own total when the file has one."""

    id: str
    name: str
    cost: float
    measure: str | None = None
    district: str | None = None
    votes: float | None = None
    selected: int | None = None  # Pabulib's ``selected`` flag (1: funded in the official count)


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot: ``points`` maps project id -> what the voter gave it (1 for an approval,
    points for cumulative, a score for scoring, the rank position 1, 2, ... for ordinal)."""

    voter: str
    points: dict[str, float]
    district: str | None = None


@dataclass(frozen=True)
class Vote:
    """One vote (one Pabulib instance: one budget, e.g. one district's), as read.

    ``ballots`` is empty for ``kind == "totals"``; ``max_approvals``/``min_approvals`` are the
    ballot rules when the file states them; ``rejected`` holds the located problems of the ballots
    that were not counted (the rest are); ``meta`` the file's other metadata (Pabulib ``META``).
    ``notes`` are what a reader of the count should know that is not an error: projects not mapped
    to a measure, voters' districts the case does not have, counts that differ from the file's
    own ``num_votes``.
    """

    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    budget: float
    kind: str = "approval"
    name: str = ""
    district: str | None = None
    max_approvals: int | None = None
    min_approvals: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    rejected: tuple[Any, ...] = ()
    source: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def project_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.projects)

    @property
    def unmapped(self) -> tuple[str, ...]:
        """Ids of the projects that stand for no measure of the case (kept, and counted)."""
        return tuple(p.id for p in self.projects if p.measure is None)

    @property
    def measures(self) -> dict[str, str]:
        """Project id -> measure id, for the mapped projects."""
        return {p.id: p.measure for p in self.projects if p.measure is not None}
