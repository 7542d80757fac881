"""Reading a CIB model from a folder (``descriptors.yaml`` and ``cross_impacts.csv``/``.xlsx``, with an
optional ``cross_impacts_notes.csv``) or from a ScenarioWizard ``.scw`` file (:mod:`.scw`).

Every file goes through :class:`~.readers.Reader` (bounded reads, hashes, lines), every problem is
one located line, and all of them are raised together as :class:`~lev2040_mcda.errors.InputErrors`.
The matrix is checked against the descriptors: a label that names no descriptor or variant, a
missing or doubled row or column, a judgement that is not a whole number, a judgement inside a
descriptor's own block. The notes are a file of their own (``source,target,note``), so that the
matrix stays a plain square of numbers that a spreadsheet can colour and a workshop can fill in.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from ..errors import InputErrors, Problem
from .cells import out_of_range
from .checks import Located, _scenarios
from .cib import CIBModel, Descriptor, Variant
from .cib_matrix import read_matrix, read_notes
from .limits import Limits
from .models import STEEP, Case, Id, Model, Scenario, ScenarioEffects
from .readers import Document, Reader, Table
from .scw import read_scw
from .validation import Kind, validate

__all__ = ["load_cib", "has_cib", "check_cib", "DESCRIPTORS_FILE", "MATRIX_STEM", "NOTES_STEM"]

DESCRIPTORS_FILE = "descriptors.yaml"
MATRIX_STEM = "cross_impacts"
NOTES_STEM = "cross_impacts_notes"


class VariantEntry(Model):
    """One variant in descriptors.yaml: its effects have the keys of a scenario's effects."""

    id: Id
    name: str
    text: str | None = None
    effects: ScenarioEffects = ScenarioEffects()


class DescriptorEntry(Model):
    """One descriptor in descriptors.yaml: at least two variants (one is no uncertainty)."""

    id: Id
    name: str
    parameter: Literal[STEEP] | None = None  # type: ignore[valid-type]
    description: str | None = None
    variants: Annotated[list[VariantEntry], Field(min_length=2)]


_DESCRIPTORS = Kind("a descriptor file", "a mapping with a 'descriptors' list", frozenset({"descriptors"}))
_MATRIX = Kind(
    "a cross-impact matrix",
    "a header row: source, then one column per descriptor.variant",
    frozenset({"source"}),
)
_NOTE_COLUMNS = ("source", "target", "note")
_NOTES = Kind(
    "a table of judgement notes", "a header row with source, target, note", frozenset(_NOTE_COLUMNS)
)
_WHOLE = "a whole number, usually -3 to +3; empty means 0"


def has_cib(case_root: str | Path) -> bool:
    """Whether a folder holds a CIB model: ``descriptors.yaml`` and ``cross_impacts.csv`` or ``.xlsx``."""
    root = Path(case_root)
    try:
        return (root / DESCRIPTORS_FILE).is_file() and any(
            (root / f"{MATRIX_STEM}{s}").is_file() for s in (".csv", ".xlsx")
        )
    except (OSError, ValueError):  # a path too long, or with a NUL character
        return False


def load_cib(source: str | Path, *, case: Case | None = None, limits: Limits | None = None) -> CIBModel:
    """The CIB model at ``source``: a case folder, a folder with just ``descriptors.yaml`` and
    ``cross_impacts.csv``/``.xlsx`` (or that ``descriptors.yaml`` itself), or a ScenarioWizard
    ``.scw`` file.

    With ``case``, the variants' effects are checked against it (:func:`check_cib`): a limit of a
    resource the case does not have, an adjustment of an unknown criterion or measure.

    Raises
    ------
    InputErrors
        with one located problem per thing wrong, in every file at once.

    Examples
    --------
    >>> model = load_cib("cases/leverkusen-2040")
    >>> len(model.descriptors), model.matrix.shape[0] == sum(model.sizes)
    (10, True)
    """
    path = Path(source)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except (OSError, ValueError):
        is_dir = is_file = False
    if is_file and path.suffix.lower() == ".scw":
        reader = Reader(base=path.parent, limits=limits)
        model = read_scw(reader, path)
    elif is_dir or (is_file and path.name == DESCRIPTORS_FILE):
        root = path if is_dir else path.parent
        reader = Reader(base=root, limits=limits)
        model = read_cib_folder(reader, root)
    else:
        what = "not found" if not (is_dir or is_file) else "is not a CIB model"
        raise InputErrors(
            [
                Problem(
                    str(source),
                    f"{what} (expected a case folder, a folder with {DESCRIPTORS_FILE} and "
                    f"{MATRIX_STEM}.csv, or a ScenarioWizard .scw file)",
                )
            ]
        )
    if reader.problems or model is None:
        raise InputErrors(reader.problems, inputs=reader.inputs)
    if case is not None and (problems := check_cib(model, case)):
        raise InputErrors(problems, inputs=reader.inputs)
    return model


def check_cib(model: CIBModel, case: Case) -> list[Problem]:
    """What the variants' effects name that ``case`` does not have (resources, criteria, measures,
    districts, goals), by the rules of a scenario's effects, each at its variant's line."""
    out: list[Problem] = []
    shown = model.descriptors_file or model.source
    measures, goals = set(case.measure_ids), set(case.goal_ids)
    for d in model.descriptors:
        for v in d.variants:
            if not v.effects:
                continue
            label = f"{d.id}.{v.id}"
            line = model.effect_lines.get(label)

            def locate(loc: tuple, reason: str, line: int | None = line, label: str = label) -> Problem:
                column = ".".join(str(p) for p in loc if not isinstance(p, int))
                return Problem(shown, f"variant {label}: {reason}", row=line, column=column, kind="key")

            scenario = Scenario(id=v.id, title=v.name, effects=ScenarioEffects.model_validate(v.effects))
            out += _scenarios([Located(scenario, locate)], case.config, case.catalogue, measures, goals)
    return out


# -- the folder ---------------------------------------------------------------------------------


def cib_present(root: Path) -> bool:
    """Whether a case folder has any file of a CIB model (then both are read, and a missing one is a
    problem: half a model is never silently ignored)."""
    try:
        return os.path.lexists(root / DESCRIPTORS_FILE) or any(
            os.path.lexists(root / f"{MATRIX_STEM}{s}") for s in (".csv", ".xlsx")
        )
    except (OSError, ValueError):
        return False


def read_cib_folder(reader: Reader, root: Path) -> CIBModel | None:
    """The CIB model of a folder, its problems added to ``reader.problems`` (None when broken)."""
    descriptors, doc = _descriptors(reader, root / DESCRIPTORS_FILE)
    matrix_table = _table(reader, root, MATRIX_STEM, required=True, kind=_MATRIX)
    notes_table = _table(reader, root, NOTES_STEM, required=False, kind=_NOTES)
    if descriptors is None or doc is None:
        return None
    model_descriptors = tuple(d for d, _ in descriptors)
    matrix = None if matrix_table is None else read_matrix(reader, matrix_table, model_descriptors)
    notes = {} if notes_table is None else read_notes(reader, notes_table, model_descriptors)
    if matrix is None:
        return None
    lines = {f"{d.id}.{v.id}": line for d, vlines in descriptors for v, line in zip(d.variants, vlines)}
    return CIBModel(
        descriptors=model_descriptors,
        matrix=matrix,
        notes=notes,
        source=reader.shown(root),
        hashes=dict(reader.inputs),
        descriptors_file=doc.shown,
        effect_lines={k: v for k, v in lines.items() if v is not None},
    )


def _table(reader: Reader, root: Path, stem: str, required: bool, kind: Kind) -> Table | None:
    found = [root / f"{stem}{s}" for s in (".csv", ".xlsx") if os.path.lexists(root / f"{stem}{s}")]
    if len(found) > 1:
        reader.problems.append(
            Problem(reader.shown(found[0]), f"both {stem}.csv and {stem}.xlsx exist (keep one)")
        )
        return None
    if not found:
        if required:
            reader.problems.append(Problem(reader.shown(root / f"{stem}.csv"), "file not found"))
        return None
    return reader.table(found[0], columns=("source",), kind=kind)


def _descriptors(
    reader: Reader, path: Path
) -> tuple[list[tuple[Descriptor, list[int | None]]] | None, Document | None]:
    """The descriptors in file order, each with the line of each of its variants; ``None`` when the
    file is missing or any descriptor is broken (the matrix is then not checked against it)."""
    if not os.path.lexists(path):
        reader.problems.append(Problem(reader.shown(path), "file not found"))
        return None, None
    doc = reader.document(path, _DESCRIPTORS)
    if doc is None:
        return None, None
    problems, before = reader.problems, len(reader.problems)
    raw = doc.data.get("descriptors")
    for name in sorted(set(doc.data) - {"descriptors"}, key=str):
        problems.append(doc.problem((name,), "unknown key (expected only `descriptors`)"))
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem(("descriptors",), "expected a list of descriptors `descriptors:`"))
        return None, None
    out: list[tuple[Descriptor, list[int | None]]] = []
    seen: dict[str, int | None] = {}
    for i, item in enumerate(raw):
        base = ("descriptors", i)
        entry = validate(DescriptorEntry, item, _at(doc, base), problems, salvage=True)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                doc.problem(base + ("id",), f"descriptor {entry.id!r} appears twice{_first(seen[entry.id])}")
            )
        seen.setdefault(entry.id, doc.line_of(base + ("id",)))
        variants, lines = _variants(doc, entry, base, problems)
        out.append((Descriptor(entry.id, entry.name, entry.parameter, variants, entry.description), lines))
    return (None, None) if len(problems) > before else (out, doc)


def _variants(
    doc: Document, entry: DescriptorEntry, base: tuple, problems: list[Problem]
) -> tuple[tuple[Variant, ...], list[int | None]]:
    variants, lines, seen = [], [], {}
    for j, v in enumerate(entry.variants):
        at = base + ("variants", j)
        if v.id in seen:
            problems.append(
                doc.problem(
                    at + ("id",),
                    f"variant {v.id!r} of descriptor {entry.id!r} appears twice{_first(seen[v.id])}",
                )
            )
        seen.setdefault(v.id, doc.line_of(at + ("id",)))
        effects = v.effects.model_dump(mode="json", exclude_defaults=True)
        for loc, why in out_of_range(effects):
            problems.append(doc.problem(at + ("effects",) + loc, why))
        variants.append(Variant(v.id, v.name, effects, v.text))
        lines.append(doc.line_of(at + ("effects",)))
    return tuple(variants), lines


def _at(doc: Document, prefix: tuple):
    return lambda loc, reason: doc.problem(prefix + tuple(loc), reason)


def _first(line: int | None) -> str:
    return f" (first at line {line})" if line else ""
