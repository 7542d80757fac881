"""The case's districts as a tree: the root (the whole city), each district's depth below it (its
level: Stadtbezirke at 1, Stadtteile at 2 in a city with both), its parts, and what a measure's
district counts for.

Peers are the districts of one level: a Stadtteil is compared with Stadtteile, a Stadtbezirk with
Stadtbezirke. The root is the one district without a parent, when there is exactly one; a case
whose top districts have no common parent has no root (then its top districts are peers of each
other, and only measures without a district are citywide).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..case import Case, district_and_parents

__all__ = ["DistrictTree", "district_tree"]


@dataclass(frozen=True)
class DistrictTree:
    """The districts of case.yaml, in its order, with their parents."""

    ids: tuple[str, ...]
    parent: dict[str, str | None]
    names: dict[str, str]

    @cached_property
    def root(self) -> str | None:
        tops = [d for d in self.ids if self.parent.get(d) is None]
        return tops[0] if len(tops) == 1 else None

    @cached_property
    def depth(self) -> dict[str, int]:
        return {d: len(district_and_parents(d, self.parent)) - 1 for d in self.ids}

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {d: [] for d in self.ids}
        for d in self.ids:
            p = self.parent.get(d)
            if p in kids:
                kids[p].append(d)
        return {d: tuple(k) for d, k in kids.items()}

    @cached_property
    def levels(self) -> tuple[int, ...]:
        """The depths that hold districts other than the root, top first."""
        return tuple(sorted({v for d, v in self.depth.items() if d != self.root}))

    def level(self, depth: int) -> tuple[str, ...]:
        """The districts at ``depth``, in case.yaml's order (never the root)."""
        return tuple(d for d in self.ids if self.depth[d] == depth and d != self.root)

    def counts_for(self, district: str | None) -> list[str]:
        """The districts a measure in ``district`` counts for: it and every district above it, the
        root left out; empty for a measure at the root, without a district, or in a district the
        case does not list (then it is citywide)."""
        if district is None or district not in self.parent:
            return []
        return [d for d in district_and_parents(district, self.parent) if d != self.root]


def district_tree(case: Case) -> DistrictTree:
    """The tree of ``case``'s districts (case.yaml ``districts:``)."""
    ds = case.config.districts
    return DistrictTree(
        ids=tuple(d.id for d in ds),
        parent={d.id: d.parent for d in ds},
        names={d.id: d.name or d.id for d in ds},
    )
