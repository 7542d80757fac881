"""Reading a ScenarioWizard ``.scw`` file (the text format ScenarioWizard 4 writes) into a CIB model.

The format, as ScenarioWizard 4.0 writes it (seen in the sample files of sei-international/cibsa,
MIT licence; one of them is ``tests/data/cib/CIB_global.scw``), is line by line:

``$ ScenarioWizard 4.0`` and the file's name; the analysis structure: ``&NAME`` for a descriptor,
`` -NAME`` for each of its variants, closed by a line ``#``; a second block with one ``&`` line per
descriptor and one line per variant (taken as long names where they are not blank); the variants'
colours; the matrix, one comma-separated row of integers per source variant, after the fifth ``#``
line and up to the sixth; then the texts, each a ``# ...`` line followed by a quoted text: one for
the project (``# 0-0``), one per descriptor, one per descriptor pair (source, target) in row order,
the pair's judgement section's comment. The texts are optional reading: when their count does not
fit the structure, they are left out, never guessed.

Ids are made from the short names (lower case, umlauts spelled out, anything else ``_``), and kept
unique within their list; the names as written stay the names.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import Problem
from .cib import CIBModel, Descriptor, Variant
from .cib_matrix import parse_judgement
from .readers import Reader

__all__ = ["read_scw", "scw_id"]

_MAGIC = "$ ScenarioWizard"
_MATRIX_AFTER = 5
"""The matrix follows the fifth ``#`` line (counting the one that closes the structure)."""
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def scw_id(name: str, prefix: str, taken: set[str]) -> str:
    """A lower_snake_case id from a ScenarioWizard short name, not in ``taken`` (which it joins).

    >>> scw_id("WTRD", "d", set()), scw_id("1_2", "v", set()), scw_id("Größe", "d", {"groesse"})
    ('wtrd', 'v1_2', 'groesse_2')
    """
    base = re.sub(r"[^a-z0-9]+", "_", name.translate(_UMLAUTS).lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"{prefix}{base}"
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def read_scw(reader: Reader, path: Path) -> CIBModel | None:
    """The model in a ``.scw`` file, or ``None`` with its problems added to ``reader.problems``."""
    got = reader.raw(path)  # bytes: ScenarioWizard is a Windows program, its files may be cp1252
    if got is None:
        return None
    shown, raw = got
    text = _decode(raw)
    lines = text.splitlines()
    problems = reader.problems
    before = len(problems)
    first = next((k for k, ln in enumerate(lines) if ln.strip()), None)
    if first is None or not lines[first].strip().startswith(_MAGIC):
        row = None if first is None else first + 1
        problems.append(
            Problem(shown, f"is not a ScenarioWizard file (expected a first line '{_MAGIC} 4.0')", row=row)
        )
        return None
    structure, at = _structure(shown, lines, first + 2, problems)
    if len(problems) == before and not structure:
        problems.append(Problem(shown, "has no descriptors (expected '&NAME' lines after the header)"))
    if len(problems) > before or not structure:
        return None
    long_names, at = _long_names(lines, at, structure)
    descriptors = _descriptors(structure, long_names)
    labels = [f"{d.id}.{v.id}" for d in descriptors for v in d.variants]
    matrix, at = _matrix(shown, lines, at, descriptors, labels, problems)
    if matrix is None or len(problems) > before:
        return None
    descriptions, notes = _texts(lines, at, descriptors)
    if descriptions:
        descriptors = tuple(
            Descriptor(d.id, d.name, d.parameter, d.variants, descriptions[k] or None)
            for k, d in enumerate(descriptors)
        )
    return CIBModel(
        descriptors=descriptors, matrix=matrix, notes=notes, source=shown, hashes=dict(reader.inputs)
    )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _structure(
    shown: str, lines: list[str], at: int, problems: list[Problem]
) -> tuple[list[tuple[str, list[str]]], int]:
    """``[(descriptor, [variants])]`` up to the ``#`` that closes the structure; the line after it."""
    out: list[tuple[str, list[str]]] = []
    for k in range(at, len(lines)):
        line, row = lines[k].strip(), k + 1
        if line == "#":
            for name, variants in out:
                if len(variants) < 2:
                    problems.append(
                        Problem(
                            shown, f"descriptor {name!r} has {len(variants)} variant(s) (expected at least 2)"
                        )
                    )
            return out, k + 1
        if not line:
            continue
        if line.startswith("&"):
            name = line[1:].strip()
            if not name:
                problems.append(Problem(shown, "a descriptor without a name (expected '&NAME')", row=row))
            out.append((name, []))
        elif line.startswith("-"):
            if not out:
                problems.append(
                    Problem(shown, "a variant before the first descriptor (expected '&NAME' first)", row=row)
                )
                continue
            name = line[1:].strip()
            if not name:
                problems.append(Problem(shown, "a variant without a name (expected ' -NAME')", row=row))
            out[-1][1].append(name)
        else:
            problems.append(
                Problem(
                    shown,
                    f"{line[:40]!r} is neither a descriptor ('&NAME') nor a variant (' -NAME')",
                    row=row,
                )
            )
    problems.append(Problem(shown, "the descriptor list does not end (expected a line '#' after it)"))
    return out, len(lines)


def _long_names(
    lines: list[str], at: int, structure: list[tuple[str, list[str]]]
) -> tuple[list[tuple[str, list[str]]] | None, int]:
    """The second block (one ``&`` line per descriptor, one line per variant), when it has exactly
    the structure's shape; and the line after its closing ``#``."""
    end = next((k for k in range(at, len(lines)) if lines[k].strip() == "#"), len(lines))
    block = lines[at:end]
    out: list[tuple[str, list[str]]] = []
    k = 0
    for _, variants in structure:
        if k >= len(block) or not block[k].lstrip().startswith("&"):
            return None, end + 1
        head = block[k].lstrip()[1:].strip()
        names = [ln.strip() for ln in block[k + 1 : k + 1 + len(variants)]]
        if len(names) < len(variants) or any(n.startswith("&") for n in names):
            return None, end + 1
        out.append((head, names))
        k += 1 + len(variants)
    return (out if k == len(block) else None), end + 1


def _descriptors(
    structure: list[tuple[str, list[str]]], long_names: list[tuple[str, list[str]]] | None
) -> tuple[Descriptor, ...]:
    taken: set[str] = set()
    out = []
    for k, (name, variants) in enumerate(structure):
        heads = long_names[k] if long_names else ("", [""] * len(variants))
        vids: set[str] = set()
        out.append(
            Descriptor(
                scw_id(name, "d", taken),
                heads[0] or name,
                None,
                tuple(Variant(scw_id(v, "v", vids), long or v) for v, long in zip(variants, heads[1])),
            )
        )
    return tuple(out)


def _matrix(
    shown: str,
    lines: list[str],
    at: int,
    descriptors: tuple[Descriptor, ...],
    labels: list[str],
    problems: list[Problem],
) -> tuple[np.ndarray | None, int]:
    """The matrix block (after the fifth ``#``, the one closing the long names being the second)."""
    hashes, k = 2, at
    while k < len(lines) and hashes < _MATRIX_AFTER:
        hashes += lines[k].strip() == "#"
        k += 1
    n = len(labels)
    owner = [d.id for d in descriptors for _ in d.variants]
    rows: list[tuple[int, list[str]]] = []
    while k < len(lines) and lines[k].strip() != "#":
        if lines[k].strip():
            rows.append((k + 1, lines[k].split(",")))
        k += 1
    if hashes < _MATRIX_AFTER or k >= len(lines):
        problems.append(
            Problem(
                shown,
                "the cross-impact matrix is not where ScenarioWizard writes it "
                f"(expected {n} rows of {n} numbers after the fifth '#' line)",
            )
        )
        return None, k
    if len(rows) != n:
        where = rows[0][0] if rows else k + 1
        problems.append(
            Problem(shown, f"the matrix has {len(rows)} rows (expected {n}, one per variant)", row=where)
        )
    matrix = np.zeros((n, n), dtype=np.int64)
    for r, (row, cells) in enumerate(rows[:n]):
        if len(cells) != n:
            problems.append(
                Problem(shown, f"row {labels[r]} has {len(cells)} numbers (expected {n})", row=row)
            )
            continue
        for c, cell in enumerate(cells):
            try:
                value = parse_judgement(cell.strip(), False, "decimal")
            except ValueError as exc:
                problems.append(
                    Problem(shown, f"{labels[r]} -> {labels[c]}: {exc}", row=row, column=labels[c])
                )
                continue
            if value and owner[r] == owner[c]:
                problems.append(
                    Problem(
                        shown,
                        f"{labels[r]} -> {labels[c]}: {value:+d} inside descriptor {owner[r]!r}'s "
                        "own block (expected 0)",
                        row=row,
                        column=labels[c],
                    )
                )
            matrix[r, c] = value
    return matrix, k + 1


def _texts(
    lines: list[str], at: int, descriptors: tuple[Descriptor, ...]
) -> tuple[list[str], dict[tuple[str, str], str]]:
    """Descriptor texts and the comments of the judgement sections, when the block has the count
    the structure asks for (1 + n + n*n texts); else nothing."""
    texts: list[str] = []
    k = at
    while k < len(lines):
        if not lines[k].startswith("#") or lines[k] == "#":  # "# " heads a text, "#" alone ends
            k += 1
            continue
        body, k = [], k + 1
        while k < len(lines) and not (
            lines[k].startswith("#") and (not body or body[-1].rstrip().endswith('"'))
        ):
            body.append(lines[k])
            k += 1
        texts.append("\n".join(body).strip().removeprefix('"').removesuffix('"').strip())
    n = len(descriptors)
    if len(texts) != 1 + n + n * n:
        return [], {}
    descriptions = texts[1 : 1 + n]
    notes = {}
    for i, src in enumerate(descriptors):
        for j, tgt in enumerate(descriptors):
            note = texts[1 + n + i * n + j]
            if note and i != j:
                notes[(src.id, tgt.id)] = note
    return descriptions, notes
