"""The ballot rules every vote file is read by: a ballot that breaks one is rejected with its line
and the rest are counted, as a returning officer does (a spoilt ballot does not void the vote).

A ballot is rejected when it names a project the vote does not have, names a project twice, comes
from a voter who has voted already (the first ballot counts), approves more (or fewer) projects
than the vote allows, or gives points outside the vote's range or over its sum. Voters' districts
are written as the case names them (its ids; a district's name is read as its id); a district
the case does not have is a note, not a rejection: the ballot still counts, its district kept as
written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

from ..errors import Problem
from .models import Case
from .votes import Ballot

__all__ = ["BallotRules", "Ballots", "district_index", "unknown_measure"]

_VERB = {
    "approval": "approves",
    "ordinal": "ranks",
    "cumulative": "gives points to",
    "scoring": "scores",
}


@dataclass(frozen=True)
class BallotRules:
    """What a ballot of one vote may hold (``None``: the vote states no such rule)."""

    kind: str = "approval"
    max_length: int | None = None
    min_length: int | None = None
    max_points: float | None = None
    min_points: float | None = None
    max_sum_points: float | None = None
    min_sum_points: float | None = None


def district_index(case: Case | None) -> dict[str, str] | None:
    """The case's districts by id and by name, in lower case (``None`` without a case or districts)."""
    if case is None or not case.config.districts:
        return None
    index: dict[str, str] = {}
    for d in case.config.districts:
        index.setdefault(d.id.lower(), d.id)
        if d.name:
            index.setdefault(d.name.strip().lower(), d.id)
    return index


class Ballots:
    """Collects the ballots of one file, rejecting the ones that break a rule.

    ``column`` is the column a rejection names (``vote`` in a Pabulib file, ``measures`` in a plain
    ballot CSV); ``districts`` maps a district's text (lower case) to the case's id.
    """

    def __init__(
        self,
        shown: str,
        projects: Sequence[str],
        rules: BallotRules,
        column: str = "vote",
        districts: dict[str, str] | None = None,
    ):
        self.shown = shown
        self.projects = frozenset(projects)
        self.rules = rules
        self.column = column
        self.districts = districts
        self.accepted: list[Ballot] = []
        self.rejected: list[Problem] = []
        self.first_line: dict[str, int] = {}
        self.unknown_districts: dict[str, list[int]] = {}  # text -> [count, first line]
        self._district_cache: dict[str, str] = {}  # text -> id, "" for a district the case lacks

    def reject(self, line: int, reason: str, column: str | None = None) -> None:
        self.rejected.append(Problem(self.shown, f"ballot rejected: {reason}", row=line, column=column))

    def add(
        self,
        line: int,
        voter: str,
        ids: list[str],
        points: list[float] | None = None,
        district: str | None = None,
        check_voter: bool = True,
    ) -> None:
        """One ballot: ``ids`` the projects in the order written, ``points`` what each gets (None:
        an approval, 1 each; for ``ordinal`` the position is the point: 1 for the first)."""
        rules = self.rules
        if check_voter:
            if not voter:
                return self.reject(line, "the voter id is empty", "voter_id")
            first = self.first_line.setdefault(voter, line)
            if first != line:
                return self.reject(
                    line,
                    f"voter {voter!r} has voted already (at line {first}; only that first ballot can count)",
                    "voter_id",
                )
        if not self.projects.issuperset(ids):
            unknown = next(i for i in ids if i not in self.projects)
            return self.reject(line, f"names project {unknown!r}, which the vote does not have", self.column)
        n = len(ids)
        if len(set(ids)) != n:
            twice = next(i for k, i in enumerate(ids) if i in ids[:k])
            return self.reject(line, f"names project {twice!r} twice", self.column)
        verb = _VERB.get(rules.kind, "names")
        if rules.max_length is not None and n > rules.max_length:
            return self.reject(
                line,
                f"{verb} {n} projects, more than the {rules.max_length} allowed (max_length)",
                self.column,
            )
        if rules.min_length is not None and n < rules.min_length:
            return self.reject(
                line,
                f"{verb} {n} projects, fewer than the {rules.min_length} required (min_length)",
                self.column,
            )
        if rules.kind == "ordinal":
            values = [float(k) for k in range(1, n + 1)]
        elif points is None:
            values = [1.0] * n
        else:
            if len(points) != n:
                return self.reject(
                    line, f"has {len(points)} points for {n} projects (expected one per project)", "points"
                )
            if (reason := self._points_problem(points)) is not None:
                return self.reject(line, reason, "points")
            values = points
        if district:
            district = self._district(district, line)
        else:
            district = None
        self.accepted.append(Ballot(voter, dict(zip(ids, values)), district))
        return None

    def add_many(
        self,
        lines: list[int],
        voters: list[str],
        id_lists: list[list[str]],
        districts: list[str] | None = None,
    ) -> None:
        """Many approval (or ordinal) ballots at once, in file order: each rule is checked on whole
        columns (a set, a length per ballot), and only a row that may break one goes through
        :meth:`add` to be worded and located; a file of 500,000 ballots costs a few map() calls."""
        n, rules = len(voters), self.rules
        first = dict(zip(reversed(voters), reversed(lines)))  # each voter's first line
        suspect: set[int] = set()
        if len(first) != n or "" in first:
            suspect.update(i for i, (v, line) in enumerate(zip(voters, lines)) if not v or first[v] != line)
        if not self.projects.issuperset(chain.from_iterable(id_lists)):
            suspect.update(i for i, ids in enumerate(id_lists) if not self.projects.issuperset(ids))
        lengths = list(map(len, id_lists))
        if lengths != list(map(len, map(set, id_lists))):
            suspect.update(i for i, ids in enumerate(id_lists) if len(set(ids)) != len(ids))
        if rules.max_length is not None and max(lengths, default=0) > rules.max_length:
            suspect.update(i for i, k in enumerate(lengths) if k > rules.max_length)
        if rules.min_length is not None and min(lengths, default=rules.min_length) < rules.min_length:
            suspect.update(i for i, k in enumerate(lengths) if k < rules.min_length)
        raw = districts if districts is not None else [""] * n
        g_lines, g_voters, g_ids, g_raw = lines, voters, id_lists, raw
        if suspect:  # the rows that pass, column by column
            good = [i for i in range(n) if i not in suspect]
            g_lines, g_voters = [lines[i] for i in good], [voters[i] for i in good]
            g_ids, g_raw = [id_lists[i] for i in good], [raw[i] for i in good]
        if rules.kind == "ordinal":
            points = (
                [dict(zip(ids, _RANKS)) for ids in g_ids] if max(lengths, default=0) <= len(_RANKS) else None
            )
            if points is None:
                points = [{p: float(k) for k, p in enumerate(ids, 1)} for ids in g_ids]
        else:
            points = list(map(dict.fromkeys, g_ids, repeat(1.0, len(g_ids))))
        made = iter(map(Ballot, g_voters, points, self._districts(g_raw, g_lines)))
        if not suspect:
            self.accepted.extend(made)
            return
        for i in range(n):
            if i not in suspect:
                self.accepted.append(next(made))
            elif not voters[i]:
                self.reject(lines[i], "the voter id is empty", "voter_id")
            elif first[voters[i]] != lines[i]:
                self.reject(
                    lines[i],
                    f"voter {voters[i]!r} has voted already (at line {first[voters[i]]}; only that first ballot can count)",
                    "voter_id",
                )
            else:
                self.add(lines[i], voters[i], id_lists[i], None, raw[i], check_voter=False)

    def _districts(self, raw: list[str], lines: list[int]) -> list[str | None]:
        """The districts of many ballots, as the case's ids; unknown ones counted for the notes."""
        if self.districts is None:
            return [t or None for t in raw]
        table: dict[str, str | None] = {
            t: (self.districts.get(t.lower(), "") if t else None) for t in set(raw)
        }
        unknown = {t for t, found in table.items() if found == ""}
        if unknown:
            counts = Counter(t for t in raw if t in unknown)
            for t, line in zip(raw, lines):
                if t in unknown and t not in self.unknown_districts:
                    self.unknown_districts[t] = [0, line]
            for t in unknown:
                self.unknown_districts[t][0] += counts[t]
                table[t] = t
        return [table[t] for t in raw]

    def _points_problem(self, points: list[float]) -> str | None:
        rules = self.rules
        if rules.max_points is not None and max(points, default=rules.max_points) > rules.max_points:
            return f"gives {_num(max(points))} points, more than the {_num(rules.max_points)} allowed (max_points)"
        if rules.min_points is not None and min(points, default=rules.min_points) < rules.min_points:
            return f"gives {_num(min(points))} points, fewer than the {_num(rules.min_points)} allowed (min_points)"
        total = sum(points)
        if rules.max_sum_points is not None and total > rules.max_sum_points:
            return f"gives {_num(total)} points in all, more than the {_num(rules.max_sum_points)} allowed (max_sum_points)"
        if rules.min_sum_points is not None and total < rules.min_sum_points:
            return f"gives {_num(total)} points in all, fewer than the {_num(rules.min_sum_points)} required (min_sum_points)"
        return None

    def _district(self, text: str, line: int) -> str:
        if self.districts is None:
            return text
        found = self._district_cache.get(text)
        if found is None:
            found = self._district_cache[text] = self.districts.get(text.lower(), "")
        if found:
            return found
        seen = self.unknown_districts.setdefault(text, [0, line])
        seen[0] += 1
        return text

    def notes(self) -> list[str]:
        """The districts the case does not have, with how many ballots name each."""
        return [
            f"district {text!r} of {n} ballot{'s' if n != 1 else ''} (first at line {line}) is not a "
            "district of the case: the ballots count, with the district as written"
            for text, (n, line) in sorted(self.unknown_districts.items())
        ]


_RANKS = tuple(float(k) for k in range(1, 101))


def _num(value: float) -> str:
    return f"{value:g}"


def unknown_measure(shown: str, project: str, measure: str, line: int | None) -> Problem:
    """A vote file's project mapped to a measure the case does not have, at its line."""
    return Problem(
        shown, f"project {project!r}: {measure!r} is not a measure of the case", row=line, column="measure"
    )
