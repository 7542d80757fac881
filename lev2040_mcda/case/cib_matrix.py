"""The cross-impact matrix and its notes, read from a table and checked against the descriptors:
every label names a variant, every variant has one row and one column, every judgement is a whole
number, and a descriptor's own block stays empty (its variants exclude each other)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import Problem, did_you_mean
from .cells import Cell, number_dots, parse_number
from .cib import Descriptor
from .readers import Reader, Table

__all__ = ["read_matrix", "read_notes", "MAX_JUDGEMENT", "NOTE_COLUMNS"]

DESCRIPTORS_FILE = "descriptors.yaml"
MAX_JUDGEMENT = 99
"""The largest judgement accepted (CIB uses -3..+3; ScenarioWizard files carry up to about ±12):
a bound keeps every impact balance far inside a small integer type for the search."""
NOTE_COLUMNS = ("source", "target", "note")
_WHOLE = "a whole number, usually -3 to +3; empty means 0"


def _first(line: int | None) -> str:
    return f" (first at line {line})" if line else ""


# -- the matrix ---------------------------------------------------------------------------------


def read_matrix(reader: Reader, table: Table, descriptors: tuple[Descriptor, ...]) -> np.ndarray | None:
    """The judgement matrix in the descriptors' order, or ``None`` with every problem recorded."""
    problems, before = reader.problems, len(reader.problems)
    owner = {f"{d.id}.{v.id}": d.id for d in descriptors for v in d.variants}
    index = {label: k for k, label in enumerate(owner)}
    header, hl = table.header, table.header_line
    if header[0] != "source":
        problems.append(
            table.problem(hl, header[0] or "#1", "the first column must be 'source' (the variant that acts)")
        )
        return None
    columns: dict[str, int] = {}
    for j, name in enumerate(header[1:], start=1):
        if name == "" or name in columns or name == "source":  # the reader reports these
            continue
        reason = _unknown_label(name, descriptors)
        if reason is not None:
            problems.append(table.problem(hl, name, reason))
        else:
            columns[name] = j
    for label in owner:
        if label not in columns:
            problems.append(table.problem(hl, label, "column is missing (every variant needs a column)"))
    cells = [c for _, row in table.rows for c in row[1:]]
    dots = number_dots(cells, table.decimal_comma)
    matrix = np.zeros((len(owner), len(owner)), dtype=np.int64)
    rows: dict[str, int] = {}
    for line, row in table.rows:
        source = _text(row[0] if row else None)
        reason = _unknown_label(source, descriptors) if source else "is empty (expected descriptor.variant)"
        if reason is not None:
            problems.append(table.problem(line, "source", reason))
            continue
        if source in rows:
            problems.append(
                table.problem(line, "source", f"row {source!r} appears twice{_first(rows[source])}")
            )
            continue
        rows[source] = line
        for target, j in columns.items():
            cell = row[j] if j < len(row) else None
            try:
                value = parse_judgement(cell, table.decimal_comma, dots)
            except ValueError as exc:
                problems.append(table.problem(line, target, str(exc)))
                continue
            if value and owner[target] == owner[source]:
                problems.append(
                    table.problem(
                        line,
                        target,
                        f"{value:+d} inside descriptor {owner[source]!r}'s own block (expected empty or 0: "
                        "a descriptor's variants exclude each other, they do not act on each other)",
                    )
                )
            matrix[index[source], index[target]] = value
    for label in owner:
        if label not in rows:
            problems.append(
                Problem(table.shown, f"no row for {label!r} (every variant needs a row)", column="source")
            )
    return None if len(problems) > before else matrix


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _unknown_label(label: str, descriptors: tuple[Descriptor, ...]) -> str | None:
    """Why ``label`` names no variant (``descriptor.variant``), or ``None`` when it does."""
    by_id = {d.id: d for d in descriptors}
    first = f"{descriptors[0].id}.{descriptors[0].variants[0].id}"
    if "." not in label:
        hint = f" ({label!r} is a descriptor: name one of its variants)" if label in by_id else ""
        return f"{label!r} is not descriptor.variant (expected e.g. {first!r}){hint}"
    did, vid = label.split(".", 1)
    if did not in by_id:
        hint = did_you_mean(did, by_id)
        return f"unknown descriptor {did!r} in {label!r} (expected one of {DESCRIPTORS_FILE}){hint}"
    known = [v.id for v in by_id[did].variants]
    if vid not in known:
        return (
            f"unknown variant {vid!r} of descriptor {did!r} (expected one of: {', '.join(known)})"
            f"{did_you_mean(vid, known)}"
        )
    return None


def parse_judgement(cell: Cell, decimal_comma: bool, dots: Any) -> int:
    """A judgement from a cell: a whole number within ±:data:`MAX_JUDGEMENT`; empty is 0."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return 0
    shown = _text(cell)
    if isinstance(cell, bool):
        raise ValueError(f"{shown!r} is not a judgement (expected {_WHOLE})")
    try:
        value = parse_number(cell, decimal_comma, dots)
    except ValueError:
        raise ValueError(f"{shown!r} is not a judgement (expected {_WHOLE})") from None
    if not value.is_integer():
        raise ValueError(f"{shown!r} is not a whole number (expected {_WHOLE})")
    if abs(value) > MAX_JUDGEMENT:
        raise ValueError(
            f"{shown!r} is outside -{MAX_JUDGEMENT}..{MAX_JUDGEMENT} (judgements are usually -3 to +3)"
        )
    return int(value)


# -- the notes ----------------------------------------------------------------------------------


def read_notes(
    reader: Reader, table: Table, descriptors: tuple[Descriptor, ...]
) -> dict[tuple[str, str], str]:
    """Rationales by (source, target): two variants (a judgement) or two descriptors (a section)."""
    problems = reader.problems
    for name in NOTE_COLUMNS:
        if name not in table.header:
            problems.append(table.problem(table.header_line, name, "column is missing (required)"))
    for name in table.header:
        if name not in NOTE_COLUMNS:
            problems.append(
                table.problem(table.header_line, name, "unknown column (expected source, target, note)")
            )
    ids = {d.id for d in descriptors}
    owner = {f"{d.id}.{v.id}": d.id for d in descriptors for v in d.variants}
    notes: dict[tuple[str, str], str] = {}
    lines: dict[tuple[str, str], int] = {}
    for line, rec in table.records():
        pair = (_text(rec.get("source")), _text(rec.get("target")))
        ok = True
        for column, name in zip(("source", "target"), pair):
            if name not in ids and name not in owner:
                reason = (
                    _unknown_label(name, descriptors) if name else "is empty (expected descriptor.variant)"
                )
                problems.append(table.problem(line, column, reason or f"unknown {name!r}"))
                ok = False
        if not ok:
            continue
        kinds = [name in ids for name in pair]
        if kinds[0] != kinds[1]:
            problems.append(
                table.problem(
                    line,
                    "target",
                    "names a descriptor and a variant (expected two variants or two descriptors)",
                )
            )
        elif owner.get(pair[0], pair[0]) == owner.get(pair[1], pair[1]):
            problems.append(
                table.problem(
                    line, "target", f"{pair[0]} -> {pair[1]} lies inside one descriptor's own block"
                )
            )
        elif pair in lines:
            problems.append(
                table.problem(
                    line, "source", f"the note for {pair[0]} -> {pair[1]} appears twice{_first(lines[pair])}"
                )
            )
        elif not (note := _text(rec.get("note"))):
            problems.append(table.problem(line, "note", "is empty (expected the rationale of the judgement)"))
        else:
            notes[pair], lines[pair] = note, line
    return notes
