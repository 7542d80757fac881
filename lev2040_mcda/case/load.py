"""Loading a case folder into a checked :class:`~lev2040_mcda.case.models.Case`.

Every file is read, every record validated, every reference resolved; all problems of all files are
collected and raised together as :class:`~lev2040_mcda.errors.InputErrors`. Invalid stakeholder
submissions are not fatal: they are rejected with their reason and listed in ``Case.rejected``
(``strict=True`` makes them fatal).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputErrors, Problem
from .cells import number_dots, parse_number
from .checks import Located, check_bounds, check_case, check_fairness
from .cib_read import check_cib, cib_present, read_cib_folder
from .estimates_read import Known, load_uncertainty
from .measures import MEASURE_TEXT, cell_text, read_measures, row_locator
from .models import Case, CaseConfig, Catalogue, Criterion, Goal, Interaction, Scenario
from .readers import Document, Reader, Table
from .stadtcheck_read import load_stadtcheck, stadtcheck_present
from .submissions import SUBMISSION_SUFFIXES, read_submissions
from .validation import Kind, validate

__all__ = ["load_case", "find_case_file", "SUBMISSION_SUFFIXES"]

CASE_FILE = Kind(
    "a case file",
    "a mapping with name, criteria and the other keys of case.yaml",
    frozenset(CaseConfig.model_fields),
)
CATALOGUE = Kind("a criteria catalogue", "a mapping with a 'criteria' list", frozenset({"criteria"}))
"""Only a file with a ``criteria`` key is read as a catalogue: the path may point anywhere."""
LISTS = {
    "goals": Kind("a goal catalogue", "a mapping with a 'goals' list", frozenset({"goals"}), empty=True),
    "scenarios": Kind(
        "a scenario catalogue", "a mapping with a 'scenarios' list", frozenset({"scenarios"}), True
    ),
}


def find_case_file(path: str | Path) -> Path:
    """``case.yaml`` of a case folder (or the file itself when a file is given)."""
    p = Path(path)
    return p / "case.yaml" if p.is_dir() or not p.suffix else p


def load_case_config(path: str | Path) -> CaseConfig:
    """Only ``case.yaml`` of the case at ``path`` (checked as :func:`load_case` checks it): what a
    command needs that keeps a case's runs by its name without reading the whole case."""
    case_file = find_case_file(path)
    reader = Reader(base=case_file.parent)
    config, _doc = _document_model(reader, case_file, CaseConfig, CASE_FILE)
    if config is None:
        raise InputErrors(reader.problems, reader.inputs)
    return config


def load_case(path: str | Path, *, strict: bool = False) -> Case:
    """Read and check the case folder at ``path``.

    Parameters
    ----------
    path : folder of the case, or its ``case.yaml``
    strict : reject the whole case when any stakeholder submission is invalid

    Raises
    ------
    InputErrors
        with one located problem per thing wrong, in every file at once.

    Examples
    --------
    >>> case = load_case("cases/tiny")
    >>> case.name, len(case.measures) > 0
    ('tiny', True)
    """
    try:
        case_file = find_case_file(path)
        root = case_file.parent
        found = root.is_dir()
    except (OSError, ValueError):  # a path too long, or with a NUL character
        found = False
    if not found:
        raise InputErrors([Problem(str(path), "case folder not found")])
    with _collector_paused():
        return _load(root, case_file, strict)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a case loads: a large case makes hundreds of
    thousands of small objects and no cycles, and each of the collector's passes would walk all of
    them (and every object of the libraries loaded so far) for nothing: a fifth of the load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, case_file: Path, strict: bool) -> Case:
    reader = Reader(base=root)
    problems = reader.problems

    config, config_doc = _document_model(reader, case_file, CaseConfig, CASE_FILE)
    catalogue = catalogue_doc = None
    if config is not None:
        catalogue, catalogue_doc = _catalogue(reader, root, config, config_doc)
    goals = _optional_list(reader, root / "goals.yaml", Goal, "goals")
    criterion_ids = _criterion_ids(catalogue, catalogue_doc)
    measures = _measures(reader, root, config, criterion_ids)
    interactions = _interactions(reader, root)
    scenarios = _optional_list(reader, root / "scenarios.yaml", Scenario, "scenarios")
    groups = None if config is None else {g.id for g in config.groups}
    items = None if criterion_ids is None or goals is None else [*criterion_ids, *(g.item.id for g in goals)]
    submissions, tables, rejected = read_submissions(root / "weights", reader, groups, items)
    cib = read_cib_folder(reader, root) if cib_present(root) else None
    uncertainty = load_uncertainty(reader, root, Known.of_parts(config, criterion_ids, goals, measures))
    goal_ids = None if goals is None else {g.item.id for g in goals}
    stadtcheck = load_stadtcheck(reader, root, config, goal_ids)

    problems += check_case(
        config, config_doc, catalogue, catalogue_doc, goals, measures, interactions, scenarios
    )
    problems += check_fairness(config, config_doc, stadtcheck, stadtcheck_present(root))
    if catalogue is None and measures:  # the valid criteria of a broken catalogue still count
        problems += check_bounds(_valid_criteria(catalogue_doc), measures)
    if problems or (strict and rejected):
        raise InputErrors(problems + rejected, inputs=reader.inputs)

    goals, measures, scenarios = goals or [], measures or [], scenarios or []
    levels = {g.item.id: "goal" for g in goals} | {m.item.id: "measure" for m in measures}
    case = Case(
        root=root,
        config=config,
        catalogue=catalogue,
        goals=tuple(g.item for g in goals),
        measures=tuple(m.item for m in measures),
        interactions=tuple(i.item.model_copy(update={"level": levels[i.item.source]}) for i in interactions),
        scenarios=tuple(s.item for s in scenarios),
        submissions=tuple(submissions),
        submission_tables=tuple(tables),
        rejections=tuple(sorted(rejected, key=Problem.sort_key)),
        inputs=dict(reader.inputs),
        cib=cib,
        uncertainty=uncertainty,
        stadtcheck=stadtcheck,
    )
    if cib is not None and (wrong := check_cib(cib, case)):
        raise InputErrors(wrong, inputs=reader.inputs)
    return case


# -- YAML files -------------------------------------------------------------------------------


def _document_model(reader: Reader, path: Path, model: Any, kind: Kind) -> tuple[Any, Document | None]:
    """The file's model and its document, or ``None`` for the model when it is not valid; a file
    that is not of the ``kind`` (none of its keys) is one problem, with nothing of it quoted."""
    doc = reader.document(path, kind)
    if doc is None:
        return None, None
    return validate(model, doc.data, doc.problem, reader.problems), doc


def _catalogue(
    reader: Reader, root: Path, config: CaseConfig, config_doc: Any
) -> tuple[Any, Document | None]:
    """The criteria catalogue that case.yaml names: anywhere, by a path relative to the case folder
    or an absolute one; when it cannot be opened, the problem names case.yaml's ``criteria`` key."""
    path = root / config.criteria
    reason = reader.unreadable(path)
    if reason is None:
        return _document_model(reader, path, Catalogue, CATALOGUE)
    if reason == "file not found":
        reason = f"not found (looked for {_resolved(path)}; the path is relative to the case folder)"
    reader.problems.append(
        config_doc.problem(("criteria",), f"criteria catalogue {config.criteria} {reason}")
    )
    return None, None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link that loops
        return path


def _optional_list(reader: Reader, path: Path, model: Any, key: str) -> list[Located] | None:
    """Items of an optional YAML list file, each with where it stands; broken items are left out.

    ``[]`` when the file does not exist, ``None`` when it exists but cannot be read as a list
    (then references to its items cannot be checked, and are not reported as unknown).
    """
    if not os.path.lexists(path):  # a link to nowhere is reported as not found
        return []
    doc = reader.document(path, LISTS[key])
    if doc is None:
        return None
    data = {} if doc.data is None else doc.data
    if not isinstance(data.get(key, []), list):
        reader.problems.append(doc.problem((key,), f"expected a list `{key}:`"))
        return None
    out = []
    for i, raw in enumerate(data.get(key) or []):
        located = _yaml_locator(doc, (key, i))
        item = validate(model, raw, located, reader.problems, salvage=True)
        if item is not None:
            out.append(Located(item, located))
    extra = set(data) - {key}
    for name in sorted(extra):
        reader.problems.append(doc.problem((name,), f"unknown key (expected only `{key}`)"))
    return out


def _yaml_locator(doc: Document, prefix: tuple):
    return lambda loc, reason: doc.problem(prefix + tuple(loc), reason)


# -- tables -----------------------------------------------------------------------------------


_COLUMNS = {"measures": ("id", "name"), "interactions": ("source", "target", "effect", "strength")}
"""Columns each table's header has: they find the table in a workbook of several sheets."""
_INTERACTIONS = Kind(
    "an interactions table",
    "a header row with source, target, effect, strength and note",
    frozenset(("source", "target", "effect", "strength", "note")),
)


def _table(reader: Reader, root: Path, stem: str, required: bool, kind: Kind) -> Table | None:
    found = [root / f"{stem}{s}" for s in (".csv", ".xlsx") if (root / f"{stem}{s}").exists()]
    if len(found) > 1:
        reader.problems.append(
            Problem(reader.shown(found[0]), f"both {stem}.csv and {stem}.xlsx exist (keep one)")
        )
        return None
    if not found:
        if required:
            reader.problems.append(Problem(reader.shown(root / f"{stem}.csv"), "file not found"))
        return None
    return reader.table(found[0], columns=_COLUMNS[stem], kind=kind)


def _valid_criteria(doc: Document | None) -> list[Criterion]:
    """The entries of a catalogue with errors that are valid criteria on their own."""
    raw = doc.data.get("criteria") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(raw, list):
        return []
    return [
        c
        for c in (validate(Criterion, item, lambda loc, r: Problem("", r), []) for item in raw)
        if c is not None
    ]


def _criterion_ids(catalogue: Catalogue | None, doc: Document | None) -> list[str] | None:
    """Criterion ids, salvaged from the raw file when the catalogue has errors (so that
    measures.csv is still checked against them); ``None`` when the file could not be read."""
    if catalogue is not None:
        return [c.id for c in catalogue.criteria]
    raw = doc.data.get("criteria") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(raw, list):
        return None
    return [str(c["id"]) for c in raw if isinstance(c, dict) and c.get("id") is not None]


def _measures(
    reader: Reader, root: Path, config: CaseConfig | None, criterion_ids: list[str] | None
) -> list[Located] | None:
    criteria = criterion_ids or []
    resources = list(config.resources) if config else []
    kind = Kind(
        "a measures table",
        "a header row with id, name and a column per criterion and resource",
        frozenset([*MEASURE_TEXT, *criteria, *resources]),
    )
    table = _table(reader, root, "measures", True, kind)
    if table is None:
        return None
    problems = reader.problems
    if not table.rows:
        problems.append(
            Problem(
                table.shown, "has a header but no rows (expected one row per measure)", row=table.header_line
            )
        )
    header_line = table.header_line
    columns = set(table.header)
    for name in ("id", "name"):
        if name not in columns:
            problems.append(table.problem(header_line, name, "column is missing (required)"))
    for cid in criteria:
        if cid not in columns:
            problems.append(
                table.problem(header_line, cid, "column is missing (every criterion needs a column)")
            )
    for rid in resources:
        if rid not in columns and rid not in criteria:
            problems.append(
                table.problem(
                    header_line, rid, "column is missing (every resource in case.yaml needs a column)"
                )
            )
    catalogue_read = criterion_ids is not None and config is not None
    return read_measures(table, problems, resources, criteria, catalogue_read)


def _interactions(reader: Reader, root: Path) -> list[Located]:
    table = _table(reader, root, "interactions", False, _INTERACTIONS)
    if table is None:
        return []
    for name in ("source", "target", "effect", "strength"):
        if name not in table.header:
            reader.problems.append(table.problem(table.header_line, name, "column is missing (required)"))
    for name in table.header:
        if name not in ("source", "target", "effect", "strength", "note"):
            reader.problems.append(
                table.problem(
                    table.header_line,
                    name,
                    "unknown column (expected source, target, effect, strength, note)",
                )
            )
    out = []
    records = table.records()
    dots = number_dots((rec.get("strength") for _, rec in records), table.decimal_comma)
    for line, rec in records:
        locate = row_locator(table, line)
        data: dict[str, Any] = {k: cell_text(rec.get(k)) for k in ("source", "target", "effect")}
        data["note"] = cell_text(rec.get("note")) or None
        try:
            data["strength"] = parse_number(rec.get("strength"), table.decimal_comma, dots)
        except ValueError as exc:
            reader.problems.append(locate(("strength",), str(exc)))
            continue
        item = validate(Interaction, data, locate, reader.problems, salvage=True)
        if item is not None:
            out.append(Located(item, locate))
    return out
