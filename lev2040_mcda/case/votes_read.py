"""``load_votes``: the votes of a case's ``votes/`` folder (or of any folder, or of one file), each
project mapped to the case's measure it stands for.

Every ``.pb``, ``.csv`` and ``.xlsx`` file of the folder is one vote (one Pabulib instance: one
budget), except ``mapping.csv``, which says which measure each platform project is:
``project;measure`` (or ``project,measure``), with an optional ``file`` column when two vote files
use the same project ids. A project that ``mapping.csv`` does not name keeps the measure of its
file's own ``measure`` column, or the measure whose id it has; one that stands for no measure is
kept and counted, and listed in the vote's ``notes``. A measure id the case does not have, a
mapping row no vote uses, a project without a cost, and a vote without a budget are located
problems, raised together as :class:`~lev2040_mcda.errors.InputErrors`; a bad ballot is rejected
(``Vote.rejected``) and the rest are counted.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import replace
from pathlib import Path

from ..errors import InputErrors, Problem, did_you_mean, display_path
from .cells import number_dots, parse_number
from .limits import Limits
from .load import _collector_paused, load_case
from .models import Case
from .pabulib import read_pb
from .platforms import BUDGET_COMMENT, NOT_A_VOTE, read_plain, read_totals, table_format
from .readers import Reader
from .validation import Kind
from .vote_tables import vote_table
from .votes import Vote

__all__ = ["load_votes", "VOTE_SUFFIXES", "MAPPING_FILE", "VOTES_FOLDER"]

VOTE_SUFFIXES = (".pb", ".csv", ".xlsx")
MAPPING_FILE = "mapping.csv"
VOTES_FOLDER = "votes"

_MAPPING = Kind(
    "a mapping of projects to measures",
    "a header row with project and measure",
    frozenset({"project", "measure"}),
)
Key = tuple[str | None, str]  # (vote file name or None for every file, project id)


def load_votes(
    source: str | Path, *, case: Case | None = None, budget: float | None = None, limits: Limits | None = None
) -> list[Vote]:
    """The votes at ``source``: a case folder (its ``votes/`` folder; the case is loaded when
    ``case`` is not given), a folder of vote files, or one file. One :class:`Vote` per file, in
    the order of the file names.

    ``case`` maps projects to its measures and checks the mapping; a plain ballot CSV needs it.
    ``budget`` is the budget of a platform export that states none.

    Raises
    ------
    InputErrors
        with one located problem per thing wrong, in every file at once.

    Examples
    --------
    >>> votes = load_votes("cases/leverkusen-2040")
    >>> [(len(v.ballots), v.kind, v.budget, v.unmapped) for v in votes]
    [(808, 'approval', 300.0, ())]
    """
    path = Path(source)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except (OSError, ValueError):  # a path too long, or with a NUL character
        is_dir = is_file = False
    if is_dir and (path / "case.yaml").is_file():
        if case is None:
            case = load_case(path)
        folder = path / VOTES_FOLDER
        if not folder.is_dir():
            raise InputErrors(
                [Problem(display_path(folder), "not found (a case's votes go in its votes/ folder)")]
            )
        files = _vote_files(folder)
    elif is_dir:
        folder, files = path, _vote_files(path)
    elif is_file:
        if path.name.lower() == MAPPING_FILE:
            raise InputErrors([Problem(display_path(path), "is the project -> measure mapping, not a vote")])
        folder, files = path.parent, [path]
    else:
        raise InputErrors(
            [
                Problem(
                    display_path(source),
                    "not found (expected a case folder, a folder of vote files, or a vote file)",
                )
            ]
        )
    if not files:
        raise InputErrors(
            [Problem(display_path(folder), "holds no vote file (expected .pb, .csv or .xlsx files)")]
        )
    base = case.root if case is not None and _inside(folder, case.root) else folder
    reader = Reader(base=base, limits=limits)
    problems = reader.problems
    mapping, mapping_lines, mapping_shown = _mapping(reader, folder / MAPPING_FILE, case)
    mapping_hashes = dict(reader.inputs)  # what a vote means depends on the mapping: in its provenance too
    read: list[tuple[Path, Vote, dict[str, int]]] = []
    with _collector_paused():  # a vote's ballots are a million small dicts and no cycle: half the time
        for file in files:
            got = _read_file(reader, file, case, _aliases(mapping, file.name), budget)
            if got is not None:
                read.append((file, *got))
    if len(read) == len(files) and not is_file:  # every vote's projects known: check the mapping's rows
        plain = {
            file.name for file, vote, _ in read if file.suffix.lower() != ".pb" and vote.kind != "totals"
        }
        problems += _unused(mapping_lines, mapping_shown, read, plain)
    if problems:
        raise InputErrors(problems, inputs=reader.inputs)
    votes = [
        replace(
            _finish(vote, lines, file.name, case, mapping, budget, problems),
            hashes={**mapping_hashes, **vote.hashes},
        )
        for file, vote, lines in read
    ]
    if problems:
        raise InputErrors(problems, inputs=reader.inputs)
    return votes


def _inside(folder: Path, root: Path) -> bool:
    try:
        folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _vote_files(folder: Path) -> list[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputErrors(
            [Problem(display_path(folder), f"cannot be read ({exc.strerror or exc})")]
        ) from None
    return [
        folder / n
        for n in names
        if Path(n).suffix.lower() in VOTE_SUFFIXES
        and n.lower() != MAPPING_FILE
        and not n.startswith((".", "~$"))
    ]


def _read_file(
    reader: Reader, path: Path, case: Case | None, aliases: dict[str, str], budget: float | None
) -> tuple[Vote, dict[str, int]] | None:
    if path.suffix.lower() == ".pb":
        return read_pb(reader, path, case)
    before = set(reader.inputs)
    table = vote_table(reader, path)
    if table is None:
        return None
    layout = table_format(table.header)
    if layout is None:
        reader.problems.append(Problem(table.shown, NOT_A_VOTE))
        return None
    if layout in ("plain", "ratings"):
        got = read_plain(table, layout, case, aliases, reader.problems)
    else:
        stated = budget if budget is not None else _comment_budget(reader, path)
        got = read_totals(table, layout, case, stated, reader.problems)
    if got is None:
        return None
    vote, lines = got
    hashes = {k: v for k, v in reader.inputs.items() if k not in before}
    return replace(vote, name=path.stem, hashes=hashes), lines


def _comment_budget(reader: Reader, path: Path) -> float | None:
    """The budget of a comment line ``# budget: 250000`` above a CSV's header."""
    if path.suffix.lower() != ".csv":
        return None
    got = reader.text(path)
    if got is None:
        return None
    shown, text = got
    for number, line in enumerate(text.splitlines()[:20], start=1):
        if not line.lstrip().startswith("#"):
            if line.strip():
                break
            continue
        match = BUDGET_COMMENT.match(line)
        if match is None:
            continue
        amount = match["amount"]
        try:
            amount = amount.replace(" ", "")
            if re.fullmatch(r"\d{1,3}(,\d{3})+", amount):  # 250,000: thousands, or a decimal comma?
                raise ValueError(f"{amount!r} can be read two ways; write it without separators")
            value = parse_number(amount, True, number_dots([amount], True))  # a comment: 1.234,5 too
        except ValueError as exc:
            reader.problems.append(Problem(shown, f"the budget line: {exc}", row=number))
            return None
        if value <= 0:
            reader.problems.append(Problem(shown, f"the budget line: {amount!r} must be above 0", row=number))
            return None
        return value
    return None


# -- the mapping ----------------------------------------------------------------------------------


def _mapping(
    reader: Reader, path: Path, case: Case | None
) -> tuple[dict[Key, str | None], dict[Key, int], str]:
    """``mapping.csv``: (file, project) -> measure (None: a project that is no measure), each
    entry's line, and the file as shown."""
    shown = reader.shown(path)
    if not os.path.lexists(path):
        return {}, {}, shown
    table = reader.table(path, kind=_MAPPING)
    if table is None:
        return {}, {}, shown
    for needed in ("project", "measure"):
        if needed not in table.header:
            reader.problems.append(table.problem(table.header_line, needed, "column is missing"))
    if reader.problems:
        return {}, {}, shown
    measures = set(case.measure_ids) if case is not None else None
    out: dict[Key, str | None] = {}
    lines: dict[Key, int] = {}
    for line, row in table.records():
        project, measure = str(row["project"] or ""), str(row["measure"] or "")
        file = str(row.get("file") or "") or None
        if not project:
            reader.problems.append(
                table.problem(line, "project", "is empty (expected a project id of a vote file)")
            )
            continue
        key = (file, project)
        if key in lines:
            reader.problems.append(
                table.problem(line, "project", f"{project!r} appears twice (first at line {lines[key]})")
            )
            continue
        lines[key] = line
        if measure and measures is not None and measure not in measures:
            hint = did_you_mean(measure, measures)
            reader.problems.append(
                table.problem(line, "measure", f"{measure!r} is not a measure of the case{hint}")
            )
            continue
        out[key] = measure or None
    return out, lines, table.shown


def _aliases(mapping: dict[Key, str | None], file: str) -> dict[str, str]:
    """What a plain ballot CSV may write for a measure (a survey's option text): the mapping's
    projects of every file and of this one."""
    return {p: m for (f, p), m in mapping.items() if m is not None and f in (None, file)}


def _unused(
    lines: dict[Key, int], shown: str, read: list[tuple[Path, Vote, dict[str, int]]], plain: set[str]
) -> list[Problem]:
    """Mapping rows that name a project (or a file) no vote has: a typo, not to be dropped silently.
    For a ballot table (``plain``: its projects are the measures) the rows are what it may write."""
    ids = {p.name: {pr.id for pr in vote.projects} for p, vote, _ in read}
    every = set().union(*ids.values()) if ids else set()
    out = []
    for (file, project), line in lines.items():
        if file is not None and file not in ids:
            out.append(Problem(shown, f"{file!r} is not a vote file of this folder", row=line, column="file"))
        elif (file in plain) or (file is None and plain):
            continue
        elif project not in (ids[file] if file is not None else every):
            where = f"the vote {file!r}" if file is not None else "any vote"
            out.append(
                Problem(shown, f"project {project!r} is not a project of {where}", row=line, column="project")
            )
    return out


# -- mapping, costs and budget ------------------------------------------------------------------


def _finish(
    vote: Vote,
    lines: dict[str, int],
    file: str,
    case: Case | None,
    mapping: dict[Key, str | None],
    budget: float | None,
    problems: list[Problem],
) -> Vote:
    """The vote with its projects mapped, costs and budget taken from the case where the file has
    none, and notes on what stands for no measure."""
    measure_ids = set(case.measure_ids) if case is not None else set()
    resource = next(iter(case.config.resources), None) if case is not None else None
    costs = {m.id: m.resources.get(resource) for m in case.measures} if case is not None and resource else {}
    projects, from_case, before = [], 0, len(problems)
    for p in vote.projects:
        if (file, p.id) in mapping:
            measure = mapping[(file, p.id)]
        elif (None, p.id) in mapping:
            measure = mapping[(None, p.id)]
        else:
            measure = p.measure or (p.id if p.id in measure_ids else None)
        cost = p.cost
        if math.isnan(cost):
            if measure is not None and costs.get(measure) is not None:
                cost, from_case = float(costs[measure]), from_case + 1  # type: ignore[arg-type]
            else:
                problems.append(
                    Problem(
                        vote.source,
                        f"project {p.id!r} has no cost (the file gives none, and it stands for no measure "
                        "of the case to take it from)",
                        row=lines.get(p.id),
                        column="cost",
                    )
                )
        projects.append(replace(p, measure=measure, cost=cost))
    total = vote.budget
    if math.isnan(total):
        if budget is not None:
            total = float(budget)
        elif from_case and from_case == len(projects) and case is not None and resource is not None:
            total = case.config.resources[resource].limit or math.nan
        if math.isnan(total) and len(problems) == before:
            problems.append(
                Problem(
                    vote.source,
                    "states no budget (write a line '# budget: <amount>' above the header, or give --budget)",
                )
            )
    notes = list(vote.notes)
    if case is not None:
        notes += _mapping_notes(projects)
    return replace(vote, projects=tuple(projects), budget=total, notes=tuple(notes))


def _mapping_notes(projects: list) -> list[str]:
    out = []
    unmapped = [p for p in projects if p.measure is None]
    if unmapped:
        named = ", ".join(f"{p.id!r} ({p.name})" if p.name != p.id else repr(p.id) for p in unmapped[:10])
        more = f" and {len(unmapped) - 10} more" if len(unmapped) > 10 else ""
        out.append(
            f"{len(unmapped)} project{'s' if len(unmapped) != 1 else ''} stand{'s' if len(unmapped) == 1 else ''} "
            f"for no measure of the case: {named}{more} (counted; name them in votes/{MAPPING_FILE})"
        )
    by_measure: dict[str, list[str]] = {}
    for p in projects:
        if p.measure is not None:
            by_measure.setdefault(p.measure, []).append(p.id)
    for measure, ids in by_measure.items():
        if len(ids) > 1:
            out.append(f"projects {', '.join(map(repr, ids))} all stand for measure {measure!r}")
    return out
