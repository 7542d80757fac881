"""Reading a Pabulib ``.pb`` file (https://pabulib.org/format) into a :class:`~.votes.Vote`.

A ``.pb`` file is three semicolon-separated tables one after the other, each under a title line:
``META`` (``key;value``: ``budget``, ``vote_type``, ``max_length``, ``min_length``, the points
rules, ``description``, ``subunit``, ...), ``PROJECTS`` (``project_id;cost`` and optionally
``name``, ``votes``, ``selected``, ``district``/``subunit``/``neighborhood``, and this engine's
``measure``) and ``VOTES`` (``voter_id;vote`` and optionally ``points`` and the voter's
``district`` or ``neighborhood``). A ``vote`` cell lists project ids separated by commas; for
``ordinal`` ballots in order of preference (the first is ranked 1), for ``cumulative`` and
``scoring`` ballots with the points in the ``points`` cell in the same order.

The file's own facts (its budget, vote type and projects' costs) must be readable, or the file is
not used (one located problem each); a ballot that breaks a rule is rejected with its line
(:mod:`.ballots`) and the rest are counted. Numbers are read as Pabulib writes them (``400000.0``),
and a decimal comma (``8000,0``) is read too, since the separator is ``;``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from itertools import chain
from pathlib import Path

from ..errors import Problem
from .ballots import BallotRules, Ballots, district_index, unknown_measure
from .cells import parse_number
from .models import Case
from .readers import Reader
from .votes import BALLOT_KINDS, Project, Vote

__all__ = ["read_pb", "SECTIONS"]

SECTIONS = ("META", "PROJECTS", "VOTES")
_RULE_KEYS = {
    "max_length": "max_length",
    "min_length": "min_length",
    "max_points": "max_points",
    "min_points": "min_points",
    "max_sum_points": "max_sum_points",
    "min_sum_points": "min_sum_points",
}
_PROJECT_DISTRICT = ("district", "subunit", "neighborhood")
_VOTER_DISTRICT = ("district", "neighborhood", "subunit")

Rows = list[tuple[int, list[str]]]


def read_pb(reader: Reader, path: Path, case: Case | None = None) -> tuple[Vote, dict[str, int]] | None:
    """The vote of one ``.pb`` file and the line of each project (for later problems), or None
    with the file's problems in ``reader.problems``."""
    before = set(reader.inputs)
    got = reader.text(path)
    if got is None:
        return None
    shown, text = got
    problems: list[Problem] = []
    sections = _sections(shown, text, problems)
    if sections is None:
        reader.problems += problems
        return None
    meta_rows, project_table, vote_table = (sections.get(name) for name in SECTIONS)
    meta, meta_lines = _meta(shown, meta_rows[1] if meta_rows else [], problems)
    budget, rules, kind = _facts(shown, meta, meta_lines, meta_rows[0] if meta_rows else None, problems)
    projects, lines = _projects(shown, project_table, case, problems)
    if problems or vote_table is None or project_table is None:
        reader.problems += problems
        return None
    districts = district_index(case)
    ballots = Ballots(shown, [p.id for p in projects], rules, "vote", districts)
    notes = _ballots(shown, vote_table, kind, ballots, problems)
    if problems:
        reader.problems += problems
        return None
    notes += ballots.notes()
    notes += _counts(meta, len(projects), len(ballots.accepted) + len(ballots.rejected))
    if "vote_type" not in meta:
        notes.append("META names no vote_type: the ballots are read as approval ballots")
    vote = Vote(
        projects=tuple(projects),
        ballots=tuple(ballots.accepted),
        budget=budget,
        kind=kind,
        name=meta.get("description", "") or path.stem,
        district=_vote_district(meta, districts),
        max_approvals=rules.max_length,
        min_approvals=rules.min_length,
        meta=dict(meta),
        rejected=tuple(ballots.rejected),
        source=shown,
        hashes={k: v for k, v in reader.inputs.items() if k not in before},
        notes=tuple(notes),
    )
    return vote, lines


def _vote_district(meta: dict[str, str], districts: dict[str, str] | None) -> str | None:
    """The vote's district (META ``subunit`` or ``district``), as the case's id when it names one."""
    text = meta.get("subunit") or meta.get("district") or None
    if text is None or districts is None:
        return text
    return districts.get(text.lower(), text)


_TITLE = re.compile(r"^[ \t]*(META|PROJECTS|VOTES)[ \t;]*$", re.IGNORECASE | re.MULTILINE)


def _sections(shown: str, text: str, problems: list[Problem]) -> dict[str, tuple[int, Rows]] | None:
    """Each section's title line and its rows (header first), by title. A section without a quote
    is split with ``str.split`` (a VOTES section of 500,000 lines in a fraction of a second); one
    with quotes goes through the csv module, which reads ``"a;b"`` and doubled quotes."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    titles = list(_TITLE.finditer(text))
    lead = text[: titles[0].start()] if titles else text
    if lead.strip():
        line = lead[: len(lead) - len(lead.lstrip())].count("\n") + 1
        problems.append(
            Problem(shown, "is not a Pabulib file (expected META, PROJECTS and VOTES sections)", row=line)
        )
        return None
    out: dict[str, tuple[int, Rows]] = {}
    for k, match in enumerate(titles):
        title, line = match[1].upper(), text.count("\n", 0, match.start()) + 1
        if title in out:
            problems.append(Problem(shown, f"section {title} appears twice", row=line))
            return None
        body = text[match.end() + 1 : titles[k + 1].start() if k + 1 < len(titles) else len(text)]
        rows = _rows(shown, body, line + 1, problems)
        if rows is None:
            return None
        out[title] = (line, rows)
    for title in SECTIONS:
        if title not in out:
            problems.append(Problem(shown, f"has no {title} section (expected META, PROJECTS and VOTES)"))
        elif not out[title][1]:
            problems.append(Problem(shown, f"section {title} has no header line", row=out[title][0]))
    return None if problems else out


def _rows(shown: str, body: str, first: int, problems: list[Problem]) -> Rows | None:
    """The non-blank rows of one section, their cells stripped, with their lines."""
    if '"' in body:
        out: Rows = []
        rows = csv.reader(io.StringIO(body, newline=""), delimiter=";", skipinitialspace=True)
        try:
            while True:
                line = first + rows.line_num
                try:
                    cells = next(rows)
                except StopIteration:
                    return out
                if "".join(cells).strip():
                    out.append((line, [c.strip() for c in cells]))
        except csv.Error as exc:
            problems.append(Problem(shown, f"cannot be parsed: {exc}", row=first + rows.line_num - 1))
            return None
    lines = body.split("\n")
    numbered = [(n, ln) for n, ln in enumerate(lines, first) if ln.strip(" \t;")]
    if " " in body or "\t" in body:
        return [(n, [c.strip() for c in ln.split(";")]) for n, ln in numbered]
    return [(n, ln.split(";")) for n, ln in numbered]


def _meta(shown: str, rows: Rows, problems: list[Problem]) -> tuple[dict[str, str], dict[str, int]]:
    """META's values by key, and each key's line."""
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, cells in rows[1:]:  # rows[0] is the header key;value
        key = cells[0]
        if key in lines:
            problems.append(
                Problem(shown, f"META key {key!r} appears twice (first at line {lines[key]})", row=line)
            )
            continue
        lines[key] = line
        meta[key] = ";".join(cells[1:]).strip()
    return meta, lines


def _facts(
    shown: str, meta: dict[str, str], lines: dict[str, int], header_line: int | None, problems: list[Problem]
) -> tuple[float, BallotRules, str]:
    """The budget, the ballot rules and the vote type that META states."""
    kind = meta.get("vote_type", "approval").strip().lower() or "approval"
    if kind not in BALLOT_KINDS or kind == "totals":
        problems.append(
            Problem(
                shown,
                f"vote_type {kind!r} is not a Pabulib vote type (expected approval, ordinal, cumulative or scoring)",
                row=lines.get("vote_type"),
            )
        )
        kind = "approval"
    budget = math.nan
    if "budget" not in meta:
        problems.append(
            Problem(shown, "META has no budget (expected a line budget;<amount>)", row=header_line)
        )
    else:
        budget = _number(shown, meta["budget"], lines.get("budget"), "budget", problems, positive=True)
    found: dict[str, float | int | None] = {}
    for key, name in _RULE_KEYS.items():
        if meta.get(key, "") == "":
            continue
        value = _number(shown, meta[key], lines.get(key), key, problems)
        if key.endswith("_length") and not math.isnan(value):
            if value != int(value) or value < 0:
                problems.append(
                    Problem(shown, f"META {key}: {meta[key]!r} is not a whole number", row=lines.get(key))
                )
                continue
            found[name] = int(value)
        elif not math.isnan(value):
            found[name] = value
    return budget, BallotRules(kind=kind, **found), kind  # type: ignore[arg-type]


def _number(
    shown: str, text: str, line: int | None, key: str, problems: list[Problem], positive: bool = False
) -> float:
    try:
        value = parse_number(text, decimal_comma=True)
    except ValueError as exc:
        problems.append(Problem(shown, f"META {key}: {exc}", row=line))
        return math.nan
    if value < 0 or (positive and value == 0):
        problems.append(
            Problem(shown, f"META {key}: {text!r} must be {'above' if positive else 'at least'} 0", row=line)
        )
        return math.nan
    return value


def _projects(
    shown: str, table: tuple[int, Rows] | None, case: Case | None, problems: list[Problem]
) -> tuple[list[Project], dict[str, int]]:
    if table is None:
        return [], {}
    rows = table[1]
    header_line, header = rows[0]
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    for needed in ("project_id", "cost"):
        if needed not in col:
            problems.append(
                Problem(shown, f"PROJECTS has no {needed} column", row=header_line, column=needed)
            )
    if len(rows) < 2:
        problems.append(
            Problem(shown, "PROJECTS lists no project (expected a row per project)", row=header_line)
        )
    if problems:
        return [], {}
    district_col = next((col[c] for c in _PROJECT_DISTRICT if c in col), None)
    measures = set(case.measure_ids) if case is not None else None
    out: list[Project] = []
    lines: dict[str, int] = {}
    for line, cells in rows[1:]:
        cells = cells + [""] * (len(header) - len(cells))

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[col[name]] if name in col else ""

        pid = cell("project_id")
        if not pid:
            problems.append(Problem(shown, "project_id is empty", row=line, column="project_id"))
            continue
        if pid in lines:
            problems.append(
                Problem(
                    shown,
                    f"project {pid!r} appears twice (first at line {lines[pid]})",
                    row=line,
                    column="project_id",
                )
            )
            continue
        lines[pid] = line
        try:
            cost = parse_number(cell("cost"), decimal_comma=True)
            if cost < 0:
                raise ValueError(f"{cell('cost')!r} is below 0 (a cost is at least 0)")
        except ValueError as exc:
            what = "is missing (every project needs its cost)" if not cell("cost") else str(exc)
            problems.append(Problem(shown, f"project {pid!r}: cost {what}", row=line, column="cost"))
            continue
        votes = _optional_number(cell("votes"))
        selected = _optional_number(cell("selected"))
        measure = cell("measure") or None
        if measure is not None and measures is not None and measure not in measures:
            problems.append(unknown_measure(shown, pid, measure, line))
        out.append(
            Project(
                id=pid,
                name=cell("name") or pid,
                cost=cost,
                measure=measure,
                district=(cells[district_col] or None) if district_col is not None else None,
                votes=votes,
                selected=int(selected) if selected is not None and selected == int(selected) else None,
            )
        )
    return out, lines


def _optional_number(text: str) -> float | None:
    if not text:
        return None
    try:
        return parse_number(text, decimal_comma=True)
    except ValueError:
        return None


def _ballots(
    shown: str, table: tuple[int, Rows], kind: str, ballots: Ballots, problems: list[Problem]
) -> list[str]:
    rows = table[1]
    header_line, header = rows[0]
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    if "vote" not in col:
        problems.append(Problem(shown, "VOTES has no vote column", row=header_line, column="vote"))
        return []
    points_col = col.get("points")
    if kind in ("cumulative", "scoring") and points_col is None:
        problems.append(
            Problem(
                shown,
                f"VOTES has no points column (a {kind} vote gives points)",
                row=header_line,
                column="points",
            )
        )
        return []
    if kind in ("approval", "ordinal"):
        points_col = None  # an approval is 1, a rank is its position: points cells are not read
    vote_col, voter_col = col["vote"], col.get("voter_id")
    district_col = next((col[c] for c in _VOTER_DISTRICT if c in col), None)
    width = len(header)
    body = [
        (line, cells if len(cells) >= width else cells + [""] * (width - len(cells)))
        for line, cells in rows[1:]
    ]
    lines = [line for line, _ in body]
    voters = [c[voter_col] for _, c in body] if voter_col is not None else [f"line {n}" for n in lines]
    districts = [c[district_col] for _, c in body] if district_col is not None else None
    texts = [c[vote_col] for _, c in body]
    note = [] if voter_col is not None else ["VOTES has no voter_id column: voters are named by their line"]
    if points_col is None:  # approvals and rankings: the whole file at once
        ids = [t.split(",") if t else [] for t in texts]
        if not ballots.projects.issuperset(chain.from_iterable(ids)):  # spaces, empty items: cell by cell
            ids = [i if ballots.projects.issuperset(i) else _ids(t) for i, t in zip(ids, texts)]
        ballots.add_many(lines, voters, ids, districts)
        return note
    for k, (line, cells) in enumerate(body):
        try:
            points = [parse_number(p, decimal_comma=False) for p in cells[points_col].split(",") if p.strip()]
        except ValueError as exc:
            ballots.reject(line, f"points: {exc}", "points")
            continue
        ballots.add(line, voters[k], _ids(texts[k]), points, districts[k] if districts is not None else None)
    return note


def _ids(text: str) -> list[str]:
    """The project ids of a ``vote`` cell: ``1,2, 4`` -> ``['1', '2', '4']``."""
    return [p.strip() for p in text.split(",") if p.strip()]


def _counts(meta: dict[str, str], projects: int, ballots: int) -> list[str]:
    """Notes where the file's META counts differ from what it holds."""
    out = []
    for key, found in (("num_projects", projects), ("num_votes", ballots)):
        stated = _optional_number(meta.get(key, ""))
        if stated is not None and stated != found:
            out.append(f"META {key} is {stated:g}, but the file holds {found}")
    return out
