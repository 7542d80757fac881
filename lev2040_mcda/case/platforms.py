"""Votes from tables: the exports of participation platforms (Decidim, CONSUL), which carry each
project's total of votes but not the ballots (kind ``totals``), and the plain ballot CSV a planner
makes from any survey tool.

Which of them a table is, its header says (:func:`table_format`):

- **plain approval ballots** ``voter;district;measures``: one row per voter, the measures approved
  in one cell, separated by ``,`` or ``|`` in a semicolon file (``;`` or ``|`` in a comma file, as
  ``goals`` in measures.csv); ``district`` is optional;
- **plain ratings** ``voter;district;measure;score``: one row per voter and measure, scores 1 to 5
  (an empty score is no rating); a voter's rows need not be together;
- **Decidim** budgets or proposals (columns ``id``, ``title/<locale>``, ``budget_amount``,
  ``confirmed_votes``, or ``votes``/``supports``): the title in the case's language, else the
  first; the scope (``scope/name/<locale>``) is the project's district;
- **CONSUL** budget investments (``ID``, ``Title``, ``Votes`` or ``Supports``, optionally
  ``Price`` and ``Geozone``/``Heading``; the header in English, Spanish or German).

A plain ballot CSV names the case's measures, so it needs the case: its projects are the case's
measures, each costing its value of the case's first resource, and the budget is that
resource's limit. A platform export's projects cost their ``budget_amount``/``Price``; one without
costs (Decidim proposals) takes them from the measures it is mapped to, and the budget with them.
Otherwise the budget is given to :func:`~.votes_read.load_votes` or written in a comment line
above the header: ``# budget: 250000``.
"""

from __future__ import annotations

import math
import re
from itertools import chain
from operator import itemgetter

from ..errors import Problem
from .ballots import BallotRules, Ballots, district_index, unknown_measure
from .cells import Cell, number_dots, parse_list, parse_number
from .measures import cell_text
from .models import Case
from .readers import Table
from .votes import Project, Vote

__all__ = ["table_format", "read_totals", "read_plain", "PLAIN_SCORES", "NOT_A_VOTE"]

PLAIN_SCORES = (1.0, 5.0)
"""The range of a plain ratings CSV's scores."""

NOT_A_VOTE = (
    "is not a vote file (expected a Pabulib .pb file, a Decidim or CONSUL export, or a ballot table "
    "with the columns voter;district;measures or voter;district;measure;score)"
)

_CONSUL = {
    "id": ("id",),
    "title": ("title", "título", "titulo", "titel"),
    "votes": ("votes", "total votes", "final votes", "votos", "stimmen"),
    "supports": ("supports", "apoyos", "unterstützungen", "unterstuetzungen"),
    "cost": ("price", "precio", "preis", "cost", "kosten"),
    "district": ("geozone", "heading", "ámbito de actuación", "partida", "gebiet", "bezirk"),
}
_MONEY = re.compile(r"[€$£]|\bEUR\b|\s|\u00a0", re.IGNORECASE)
BUDGET_COMMENT = re.compile(r"^\s*#\s*budget\s*[:=]\s*(?P<amount>[^;,\s][^;]*?)\s*[;,]*\s*$", re.IGNORECASE)


def table_format(header: list[str]) -> str | None:
    """``plain``, ``ratings``, ``decidim``, ``consul`` or None, from a table's header."""
    names = {h.strip().lower() for h in header}
    if "voter" in names and "measures" in names:
        return "plain"
    if {"voter", "measure", "score"} <= names:
        return "ratings"
    if any(n.startswith("title/") for n in names) or "budget_amount" in names or "confirmed_votes" in names:
        return "decidim"
    if "id" in names and _has(names, "title") and (_has(names, "votes") or _has(names, "supports")):
        return "consul"
    return None


def _has(names: set[str], what: str) -> bool:
    return any(a in names for a in _CONSUL[what])


_text = cell_text  # a cell as text, as measures.csv reads it


# -- platform exports -----------------------------------------------------------------------------


def read_totals(
    table: Table, platform: str, case: Case | None, budget: float | None, problems: list[Problem]
) -> tuple[Vote, dict[str, int]] | None:
    """A Decidim or CONSUL export as a ``totals`` vote (costs or budget NaN where the file has none:
    they come from the case's measures, or are a problem, when the mapping is known)."""
    shown = table.shown
    col = {h.strip().lower(): i for i, h in reversed(list(enumerate(table.header)))}
    language = case.config.language if case is not None else "en"
    if platform == "decidim":
        titles = [h for h in col if h.startswith("title/")]
        title = f"title/{language}" if f"title/{language}" in col else (titles[0] if titles else "title")
        votes = next((c for c in ("confirmed_votes", "votes", "supports") if c in col), None)
        cost = "budget_amount" if "budget_amount" in col else None
        scopes = [h for h in col if h.startswith("scope/name")]
        district = f"scope/name/{language}" if f"scope/name/{language}" in col else next(iter(scopes), None)
    else:
        title = next(a for a in _CONSUL["title"] if a in col)
        votes = next((a for a in _CONSUL["votes"] + _CONSUL["supports"] if a in col), None)
        cost = next((a for a in _CONSUL["cost"] if a in col), None)
        district = next((a for a in _CONSUL["district"] if a in col), None)
    if "id" not in col or votes is None:
        missing = "id" if "id" not in col else "confirmed_votes, votes or supports"
        problems.append(
            Problem(shown, f"the {platform.title()} export has no {missing} column", row=table.header_line)
        )
        return None
    records = [(line, [_text(c) for c in cells]) for line, cells in table.rows]
    width = len(table.header)
    dots = (
        number_dots((cells[col[cost]] for _, cells in records if col[cost] < len(cells)), table.decimal_comma)
        if cost
        else "decimal"
    )
    measures = set(case.measure_ids) if case is not None else None
    out: list[Project] = []
    lines: dict[str, int] = {}
    for line, cells in records:
        cells = cells + [""] * (width - len(cells))
        pid = cells[col["id"]]
        if not pid:
            problems.append(Problem(shown, "the id is empty", row=line, column="id"))
            continue
        if pid in lines:
            problems.append(
                Problem(
                    shown,
                    f"project {pid!r} appears twice (first at line {lines[pid]})",
                    row=line,
                    column="id",
                )
            )
            continue
        lines[pid] = line
        count = _count(
            shown, line, table.header[col[votes]], cells[col[votes]], table.decimal_comma, problems
        )
        price = math.nan
        if cost is not None and cells[col[cost]]:
            try:
                price = parse_number(_MONEY.sub("", cells[col[cost]]), table.decimal_comma, dots)
                if price < 0:
                    raise ValueError(f"{cells[col[cost]]!r} is below 0 (a cost is at least 0)")
            except ValueError as exc:
                problems.append(
                    Problem(shown, f"project {pid!r}: {exc}", row=line, column=table.header[col[cost]])
                )
        measure = cells[col["measure"]] if "measure" in col else ""
        if measure and measures is not None and measure not in measures:
            problems.append(unknown_measure(shown, pid, measure, line))
        out.append(
            Project(
                id=pid,
                name=(cells[col[title]] if title in col else "") or pid,
                cost=price,
                measure=measure or None,
                district=(cells[col[district]] or None) if district is not None else None,
                votes=count,
            )
        )
    label = "Decidim" if platform == "decidim" else "CONSUL"
    if not out and not problems:
        problems.append(Problem(shown, "lists no project (expected a row per project)", row=1))
        return None
    vote = Vote(
        projects=tuple(out),
        ballots=(),
        budget=budget if budget is not None else math.nan,
        kind="totals",
        name=shown,
        source=shown,
        notes=(
            f"a {label} export: each project's total of votes ({table.header[col[votes]]}), not the ballots",
        ),
    )
    return vote, lines


def _count(
    shown: str, line: int, column: str, text: str, decimal_comma: bool, problems: list[Problem]
) -> float:
    if not text:
        return 0.0
    try:
        value = parse_number(text, decimal_comma)
    except ValueError as exc:
        problems.append(Problem(shown, str(exc), row=line, column=column))
        return 0.0
    if value < 0 or value != int(value):
        problems.append(
            Problem(
                shown,
                f"{text!r} is not a count of votes (a whole number, at least 0)",
                row=line,
                column=column,
            )
        )
    return value


# -- plain ballot CSVs ----------------------------------------------------------------------------


def case_projects(case: Case, shown: str, problems: list[Problem]) -> tuple[list[Project], float]:
    """The case's measures as the projects of a vote, costing their value of the case's first
    resource, and that resource's limit as the budget."""
    resources = case.config.resources
    if not resources:
        problems.append(
            Problem(shown, "the case has no resources: a vote on its measures needs their costs and a budget")
        )
        return [], math.nan
    name, resource = next(iter(resources.items()))
    if resource.limit is None:
        problems.append(Problem(shown, f"the case's resource {name!r} has no limit: it is the vote's budget"))
    projects = []
    for m in case.measures:
        cost = m.resources.get(name)
        if cost is None:
            problems.append(
                Problem(
                    shown,
                    f"measure {m.id!r} has no {name} in measures.csv (every project of a vote needs a cost)",
                )
            )
            continue
        projects.append(Project(id=m.id, name=m.name, cost=float(cost), measure=m.id, district=m.district))
    return projects, float(resource.limit) if resource.limit is not None else math.nan


def read_plain(
    table: Table, layout: str, case: Case | None, aliases: dict[str, str], problems: list[Problem]
) -> tuple[Vote, dict[str, int]] | None:
    """A plain ballot CSV (``layout`` ``plain`` or ``ratings``) over the case's measures; ``aliases``
    maps what the file writes (a survey's option text) to measure ids."""
    shown = table.shown
    if case is None:
        problems.append(
            Problem(
                shown,
                "a ballot table names the case's measures, so it is read with its case (give the case folder), "
                "or write the vote as a Pabulib .pb file with the projects' costs and the budget",
            )
        )
        return None
    projects, budget = case_projects(case, shown, problems)
    if problems:
        return None
    col = {h.strip().lower(): i for i, h in reversed(list(enumerate(table.header)))}
    kind = "approval" if layout == "plain" else "scoring"
    low, high = PLAIN_SCORES
    rules = (
        BallotRules(kind=kind)
        if kind == "approval"
        else BallotRules(kind=kind, min_points=low, max_points=high)
    )
    column = "measures" if kind == "approval" else "measure"
    ballots = Ballots(shown, [p.id for p in projects], rules, column, district_index(case))
    if kind == "approval":
        _approvals(table, col, aliases, ballots)
    else:
        _ratings(table, col, aliases, ballots)
    vote = Vote(
        projects=tuple(projects),
        ballots=tuple(ballots.accepted),
        budget=budget,
        kind=kind,
        name=shown,
        rejected=tuple(sorted(ballots.rejected, key=Problem.sort_key)),
        source=shown,
        notes=tuple(ballots.notes()),
    )
    return vote, {}


def _approvals(table: Table, col: dict[str, int], aliases: dict[str, str], ballots: Ballots) -> None:
    """One ballot per row, the whole table at once: cells split with ``str.split``, and only a
    cell that then names something unknown (spaces, ``|``, an empty item, a survey's label) read
    by :func:`~.cells.parse_list` and the mapping's aliases."""
    iv, im, idist = col["voter"], col["measures"], col.get("district")
    width = len(table.header)
    grid = list(map(itemgetter(1), table.rows))
    if set(map(len, grid)) - {width}:  # a workbook's short rows
        grid = [c if len(c) == width else [*c[:width], *[""] * (width - len(c))] for c in grid]
    columns = list(zip(*grid)) if grid else [()] * width  # transposed in C: a column is a tuple
    lines = list(map(itemgetter(0), table.rows))
    voters = _column(columns[iv])
    cells = list(columns[im])
    districts = _column(columns[idist]) if idist is not None else None
    comma = table.decimal_comma
    if set(map(type, cells)) <= {str}:
        ids = [c.split("," if comma else ";") if c else [] for c in cells]
    else:
        ids = [parse_list(_text(c), comma) for c in cells]
    if not ballots.projects.issuperset(chain.from_iterable(ids)):
        ids = [
            i if ballots.projects.issuperset(i) else [aliases.get(m, m) for m in parse_list(_text(c), comma)]
            for i, c in zip(ids, cells)
        ]
    ballots.add_many(lines, voters, ids, districts)


def _column(cells: tuple[Cell, ...]) -> list[str]:
    return list(map(str.strip, cells)) if set(map(type, cells)) <= {str} else list(map(_text, cells))


def _ratings(table: Table, col: dict[str, int], aliases: dict[str, str], ballots: Ballots) -> None:
    """One ballot per voter from rows of (voter, measure, score); a bad row rejects its voter's
    whole ballot, at that row."""
    iv, im, isc, idist = col["voter"], col["measure"], col["score"], col.get("district")
    comma = table.decimal_comma
    groups: dict[str, list] = {}  # voter -> [first line, district, ids, points, lines, problem]
    for line, cells in table.rows:
        cells = [_text(c) for c in cells]
        cells += [""] * (len(table.header) - len(cells))
        voter = cells[iv]
        if not voter:
            ballots.reject(line, "the voter id is empty", "voter")
            continue
        group = groups.setdefault(
            voter, [line, cells[idist] if idist is not None else None, [], [], {}, None]
        )
        if group[5] is not None or not cells[isc]:
            continue
        measure = aliases.get(cells[im], cells[im])
        try:
            score = parse_number(cells[isc], comma)
        except ValueError as exc:
            group[5] = (line, f"score: {exc}", "score")
            continue
        low, high = PLAIN_SCORES
        if not low <= score <= high:
            group[5] = (line, f"score {cells[isc]!r} is outside {low:g} to {high:g}", "score")
        elif measure not in ballots.projects:
            group[5] = (line, f"names measure {measure!r}, which the case does not have", "measure")
        elif measure in group[4]:
            group[5] = (
                line,
                f"rates measure {measure!r} twice (first at line {group[4][measure]})",
                "measure",
            )
        else:
            group[2].append(measure)
            group[3].append(score)
            group[4][measure] = line
    for voter, (first, district, ids, points, _, problem) in groups.items():
        if problem is not None:
            ballots.reject(*problem)
        else:
            ballots.add(first, voter, ids, points, district or None, check_voter=False)
