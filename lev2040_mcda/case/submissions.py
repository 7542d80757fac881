"""Reading the stakeholder submissions in ``weights/``: who submitted, with which method.

YAML/JSON files are one submission each (:class:`~lev2040_mcda.case.models.Submission`). CSV/XLSX files
hold one submission per row — a single one or a survey export with thousands of respondents — and
are kept column-wise (:class:`~lev2040_mcda.case.models.SubmissionTable`), so that the weights stage can
work on them as arrays. A submission that is not usable is *rejected* with a located reason and
left out; the others are still used. Whatever goes wrong in one file rejects that file only.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import compress
from pathlib import Path

from ..errors import McdaError, Problem, did_you_mean
from .cells import number_dots, two_readings, ungrouped
from .limits import error_text, has_surrogate
from .models import METHODS, Submission, SubmissionTable
from .readers import Reader, Table
from .validation import Kind, validate

__all__ = ["SUBMISSION_SUFFIXES", "read_submissions", "read_submission_file"]

SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")
META = ("group", "method", "respondent")
_IGNORED = (".md", ".txt")
_DOCUMENT = Kind(
    "a weights submission",
    "a mapping with method and weights, ranking or judgements",
    frozenset((*META, "weights", "ranking", "judgements", "budget")),
)


def read_submissions(
    folder: Path, reader: Reader, groups: set[str] | None, items: Collection[str] | None = None
) -> tuple[list[Submission], list[SubmissionTable], list[Problem]]:
    """Every submission in ``folder``; ``groups`` are the case's group ids (``None``: not known,
    because case.yaml is broken — then groups are not checked); ``items`` the criterion and goal
    ids (``None``: not known), which a weights table must have a column of."""
    docs: list[Submission] = []
    tables: list[SubmissionTable] = []
    rejected: list[Problem] = []
    try:
        paths = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        return docs, tables, [Problem(reader.shown(folder), f"cannot be read ({exc.strerror or exc})")]
    for path in paths:
        if path.name.startswith((".", "~$")) or path.is_dir() or path.suffix.lower() in _IGNORED:
            continue
        if has_surrogate(path.name):  # bytes that are not UTF-8: no output could name the file
            rejected.append(Problem(reader.shown(path), "the file name is not UTF-8 (rename the file)"))
            continue
        doc, table, problems = read_submission_file(path, reader, groups, items)
        docs += [doc] if doc is not None else []
        tables += [table] if table is not None else []
        rejected += problems
    return docs, tables, rejected


def read_submission_file(
    path: Path, reader: Reader, groups: set[str] | None, items: Collection[str] | None = None
) -> tuple[Submission | None, SubmissionTable | None, list[Problem]]:
    """One weights file: a YAML/JSON submission or a table of them, and its rejections.

    A problem of a YAML/JSON file, or of a table's header, rejects the whole file, and nothing of
    it is used; a problem of a table row rejects that row. Anything unexpected while reading the
    file rejects it too, with the reason: one file never stops the run.
    """
    own = Reader(base=reader.base, limits=reader.limits)  # a bad submission is a rejection
    try:
        doc, table = _read(path, own, groups, items)
    except McdaError:
        raise
    except Exception as exc:  # a safety net: the readers turn what they know into problems
        own.problems.append(Problem(reader.shown(path), f"cannot be read ({error_text(exc)})"))
        doc = table = None
    reader.inputs.update(own.inputs)
    if doc is not None and own.problems:
        doc = None
    return doc, table, own.problems


def _read(
    path: Path, own: Reader, groups: set[str] | None, items: Collection[str] | None
) -> tuple[Submission | None, SubmissionTable | None]:
    suffix = path.suffix.lower()
    if suffix not in SUBMISSION_SUFFIXES:
        expected = ", ".join(SUBMISSION_SUFFIXES)
        own.problems.append(Problem(own.shown(path), f"unsupported file type (expected one of {expected})"))
        return None, None
    if suffix in (".csv", ".xlsx"):
        return None, _table(own, path, groups, items)
    return _document(own, path, groups), None


def _group_problem(group: str | None, groups: set[str] | None) -> str | None:
    if groups is None:
        return None
    if groups and group is None:
        return f"is missing (the case has groups: {', '.join(sorted(groups))})"
    if group is not None and group not in groups:
        expected = f"one of {', '.join(sorted(groups))}" if groups else "none: the case has no groups"
        return f"unknown group {group!r} (expected {expected}){did_you_mean(group, groups)}"
    return None


def _document(reader: Reader, path: Path, groups: set[str] | None) -> Submission | None:
    doc = reader.document(path, _DOCUMENT)
    if doc is None:
        return None
    content = dict(doc.data)
    meta = {k: content.pop(k) for k in META if k in content}
    if meta.get("respondent") is not None:
        meta["respondent"] = str(meta["respondent"])
    if isinstance(meta.get("group"), str) and (reason := _group_problem(meta["group"], groups)):
        reader.problems.append(doc.problem(("group",), reason))  # before the id check: a hint
        return None
    item = validate(Submission, {"path": doc.shown, **meta, "content": content}, doc.problem, reader.problems)
    if item is None:
        return None
    reason = _group_problem(item.group, groups)
    if reason:
        reader.problems.append(doc.problem(("group",), reason))
        return None
    return item


def _table(
    reader: Reader, path: Path, groups: set[str] | None, items: Collection[str] | None
) -> SubmissionTable | None:
    # finds the sheet in a workbook of several (group, method, respondent may all be left out)
    kind = None
    if items is not None:
        kind = Kind(
            "a weights table",
            "a header row with a column per criterion or goal, and group, method, respondent",
            frozenset((*META, *items)),
        )
    table = reader.table(path, columns=META, optional=True, kind=kind)
    if table is None:
        return None
    if any(p.row in (None, table.header_line) for p in reader.problems):
        return None  # the header is wrong (a column twice, one without a name): no row is used
    if not table.rows:
        reader.problems.append(
            Problem(table.shown, "has a header but no rows (expected one row per submission)")
        )
        return None
    header = table.header
    pos = {k: header.index(k) for k in META if k in header}
    items = [i for i, name in enumerate(header) if name not in META and name]
    if not items:
        reader.problems.append(
            table.problem(
                table.header_line,
                None,
                "no criterion or goal columns (expected one column per criterion or goal)",
            )
        )
        return None
    n_rows = len(table.rows)
    n = len(header)
    columns = list(
        zip(*(cells if len(cells) == n else list(cells) + [""] * (n - len(cells)) for _, cells in table.rows))
    )
    lines = [line for line, _ in table.rows]
    groups_col = _meta_column(columns, pos.get("group"), n_rows)
    methods_col = [m or "direct" for m in _meta_column(columns, pos.get("method"), n_rows)]
    respondents = _meta_column(columns, pos.get("respondent"), n_rows)
    keep = [True] * n_rows
    bad_groups = {g for g in set(groups_col) if _group_problem(g, groups)}
    bad_methods = set(methods_col) - set(METHODS)
    if bad_groups or bad_methods:
        for k, (g, m) in enumerate(zip(groups_col, methods_col)):
            if g in bad_groups:
                reader.problems.append(table.problem(lines[k], "group", _group_problem(g, groups)))
                keep[k] = False
            elif m in bad_methods:
                reader.problems.append(
                    table.problem(
                        lines[k], "method", f"{m!r} is not a method (expected one of {', '.join(METHODS)})"
                    )
                )
                keep[k] = False
    columns = _read_dots(table, columns, items, lines, keep, reader.problems)
    pick = (lambda col: tuple(col)) if all(keep) else (lambda col: tuple(compress(col, keep)))
    return SubmissionTable(
        path=table.shown,
        columns=tuple(header[i] for i in items),
        values=tuple(pick(columns[i]) for i in items),
        lines=pick(lines),
        groups=pick(groups_col),
        methods=pick(methods_col),
        respondents=pick(respondents),
        decimal_comma=table.decimal_comma,
        header_line=table.header_line,
    )


def _read_dots(
    table: Table, columns: list[tuple], items: list[int], lines: list[int], keep: list[bool], problems: list
) -> list[tuple]:
    """The columns with German thousands dots taken out of the numbers (``1.234,5`` -> ``1234,5``),
    or, where the file does not settle what its dots mean, every row with a cell like ``9.000``
    rejected (``keep``); see :func:`.cells.number_dots`. Only columns with a dot are looked at."""
    dotted = [i for i in items if _holds(columns[i], ".")]
    if not dotted:
        return columns
    marks = [i for i in items if _holds(columns[i], ",")] if table.decimal_comma else []
    dots = number_dots((v for i in dict.fromkeys(marks + dotted) for v in columns[i]), table.decimal_comma)
    if dots == "thousands":
        return [tuple(map(ungrouped, col)) if i in dotted else col for i, col in enumerate(columns)]
    if dots == "unsettled":
        for k in range(len(lines)):
            for i in dotted:
                reason = two_readings(columns[i][k], table.decimal_comma) if keep[k] else None
                if reason is not None:
                    problems.append(table.problem(lines[k], table.header[i], reason))
                    keep[k] = False
    return columns


def _holds(column: tuple, char: str) -> bool:
    """Whether a text cell of ``column`` holds ``char`` (all text: one scan at C speed)."""
    try:
        return char in "".join(column)
    except TypeError:  # numbers or empty cells of a workbook
        return any(type(v) is str and char in v for v in column)


def _meta_column(columns: list[tuple], at: int | None, n: int) -> list[str | None]:
    """A metadata column (group, method, respondent) as stripped text, ``None`` for empty cells."""
    if at is None:
        return [None] * n
    column = columns[at]
    if all(type(v) is str for v in column):  # the usual case: text cells, stripped in one pass
        return [t or None for t in map(str.strip, column)]
    return [_cell_text(v) for v in column]


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    return text or None
