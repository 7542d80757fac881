"""The submission format for stakeholders: its JSON Schema and fill-in templates for a case.

Stakeholders should never have to guess an id: a template lists the case's goals or criteria with
their titles, ready to fill in, in the format they prefer (YAML, CSV for a spreadsheet, XLSX), and
in the case's language (:mod:`.template_texts`); the workbook is made in :mod:`.template_xlsx`.
"""

from __future__ import annotations

import io
from typing import Any

from ..case import METHODS, Case
from ..errors import InputError, Problem
from ..output import escape_cell
from .template_texts import TEXTS, template_language

__all__ = ["submission_schema", "render_template", "TEMPLATE_FORMATS"]

TEMPLATE_FORMATS = ("yaml", "csv", "xlsx")
_ID = "^[a-z][a-z0-9_]*$"
_SAATY = {
    "oneOf": [
        {"type": "number", "minimum": 1 / 9, "maximum": 9},
        {"type": "string", "pattern": "^(1/)?[1-9]$"},
    ]
}
BUDGET = 100
"""The points a points template shares out (its ``budget:``, and the sum its workbook checks)."""


def submission_schema(case: Case | None = None) -> dict[str, Any]:
    """JSON Schema (2020-12) of a YAML/JSON submission; with a case, its ids are enumerated."""
    ids: dict[str, Any] = {"type": "string", "pattern": _ID}
    if case is not None:
        ids = {"enum": sorted(set(case.criterion_ids) | set(case.goal_ids))}
    weights = {
        "type": "object",
        "minProperties": 1,
        "propertyNames": ids,
        "additionalProperties": {"type": "number", "minimum": 0},
    }
    swing = {**weights, "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100}}
    judgement = {
        "oneOf": [
            {"type": "array", "prefixItems": [ids, ids, _SAATY], "minItems": 3, "maxItems": 3},
            {
                "type": "object",
                "required": ["a", "b", "value"],
                "additionalProperties": False,
                "properties": {"a": ids, "b": ids, "value": _SAATY},
            },
        ]
    }
    group: dict[str, Any] = {"type": "string", "pattern": _ID}
    if case is not None and case.groups:
        group = {"enum": [g.id for g in case.groups]}

    def variant(method: str, body: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return {
            "if": {"properties": {"method": {"const": method}}},
            "then": {"properties": body, "required": required},
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lev2040-mcda stakeholder submission",
        "description": "One stakeholder's weighting of the criteria or goals of a case. "
        "CSV/XLSX files hold one submission per row instead (see docs/weights.md).",
        "type": "object",
        "required": ["method"] + (["group"] if case is not None and case.groups else []),
        "properties": {
            "group": group,
            "respondent": {"type": ["string", "integer"]},
            "method": {"enum": list(METHODS)},
            "note": {"type": "string"},
            "weights": weights,
            "budget": {"type": "number", "exclusiveMinimum": 0},
            "ranking": {
                "type": "array",
                "minItems": 1,
                "items": {"oneOf": [ids, {"type": "array", "items": ids, "minItems": 1}]},
            },
            "judgements": {"type": "array", "minItems": 1, "items": judgement},
        },
        "additionalProperties": False,
        "allOf": [
            variant("direct", {"weights": weights}, ["weights"]),
            variant("points", {"weights": weights}, ["weights"]),
            variant("swing", {"weights": swing}, ["weights"]),
            variant("ranking", {"ranking": {}}, ["ranking"]),
            variant("pairwise", {"judgements": {}}, ["judgements"]),
        ],
    }


def _clean(text: object) -> str:
    """Text on one line: a title with a line break must not break a comment or a cell."""
    return " ".join(str(text).split())


def _items(case: Case, level: str) -> list[tuple[str, str]]:
    if level == "goals":
        return [(g.id, _clean(g.title)) for g in case.goals]
    return [(c.id, _clean(c.name + (f" [{c.unit}]" if c.unit else ""))) for c in case.criteria]


def _groups(case: Case) -> list[tuple[str, str]]:
    return [(g.id, _clean(g.name or g.id)) for g in case.groups]


def _help(t: dict[str, str], method: str, table: bool = False) -> str:
    key = "help.ranking.table" if table and method == "ranking" else f"help.{method}"
    return t[key].format(budget=BUDGET)


def _title(case: Case, t: dict[str, str], method: str, level: str) -> str:
    return t["title"].format(
        case=_clean(case.config.title or case.name), method=t[f"method.{method}"], level=t[f"level.{level}"]
    )


def render_template(
    case: Case, method: str, fmt: str, level: str | None = None, lang: str | None = None
) -> bytes:
    """A fill-in submission for ``case`` as file content (UTF-8 text, or an XLSX workbook).

    ``lang`` (``de`` or ``en``; default: the case's ``language``) is the language of everything a
    person reads: the instructions, the comments and the workbook's labels. The keys the engine
    reads (``group``, ``method``, ``respondent``, the ids) are the same in every language, so a
    filled template is read back alike. A German CSV template is separated by semicolons, as a
    German Excel writes and opens it.

    Raises
    ------
    InputError
        for a combination the formats cannot hold (pairwise judgements in a table), a level the
        case does not have, or a language the templates do not speak.
    """
    lang = template_language(case.config.language, lang)
    t = TEXTS[lang]
    level = level or ("goals" if case.goals else "criteria")
    if level == "goals" and not case.goals:
        raise InputError(Problem("--level", "the case has no goals (use --level criteria)"))
    if method == "pairwise" and fmt != "yaml":
        raise InputError(
            Problem("--format", "pairwise judgements need a YAML template (a table cannot hold them)")
        )
    items = _items(case, level)
    groups = _groups(case)
    if fmt == "yaml":
        return _yaml(case, t, method, level, items, groups).encode("utf-8")
    if fmt == "csv":
        return _csv(case, t, method, level, items, groups, ";" if lang == "de" else ",").encode("utf-8")
    from .template_xlsx import Sheet, workbook

    sheet = Sheet(
        title=_title(case, t, method, level),
        help=_help(t, method, table=True),
        method=method,
        level=level,
        items=items,
        groups=groups,
        criteria={c.id: c for c in case.criteria},
        measures=case.measures,
        goal_criteria={g.id: [c.name for c in case.criteria if c.goal == g.id] for g in case.goals},
        budget=BUDGET,
    )
    return workbook(sheet, t)


def _yaml(
    case: Case,
    t: dict[str, str],
    method: str,
    level: str,
    items: list[tuple[str, str]],
    groups: list[tuple[str, str]],
) -> str:
    width = max(len(i) for i, _ in items) + 2
    out = [f"# {_title(case, t, method, level)}", f"# {_help(t, method)}"]
    if groups:
        value = groups[0][0] if len(groups) == 1 else ""
        out.append(f"group: {value}   # {t['group.comment']}")
        out += [f"#   {g}: {name}" if name != g else f"#   {g}" for g, name in groups]
    out += [f"respondent:      # {t['respondent.comment']}", f"method: {method}"]
    if method in ("direct", "points", "swing"):
        if method == "points":
            out.append(f"budget: {BUDGET}     # {t['budget.comment']}")
        out.append("weights:")
        out += [f"  {(i + ':').ljust(width)}0   # {title}" for i, title in items]
    elif method == "ranking":
        out.append(f"ranking:        # {t['ranking.comment']}")
        out += [f"  - {i.ljust(width)}# {title}" for i, title in items]
    else:
        out.append(f"judgements:     # {t['judgements.comment']}")
        for k, (a, ta) in enumerate(items):
            for b, tb in items[k + 1 :]:
                out.append(f"  - [{a}, {b}, 1]   # {t['versus'].format(a=ta, b=tb)}")
    return "\n".join(out) + "\n"


def _csv(
    case: Case,
    t: dict[str, str],
    method: str,
    level: str,
    items: list[tuple[str, str]],
    groups: list[tuple[str, str]],
    delimiter: str,
) -> str:
    """The header and one row to fill, below comment rows: each comment is one cell, padded to the
    header's width as a spreadsheet saves it, so that the first line already shows which separator
    the file uses (the reader tells it from that line; the first comment is quoted when it holds a
    separator of another kind)."""
    import csv

    header = ["respondent", "group", "method", *[i for i, _ in items]]
    row = ["", groups[0][0] if len(groups) == 1 else "", method, *[""] * len(items)]
    notes = [_title(case, t, method, level), _help(t, method, table=True)]
    if groups:
        notes.append(t["groups"].format(groups=", ".join(g for g, _ in groups)))
    notes += [f"{i}: {title}" for i, title in items]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    pad = [""] * (len(header) - 1)
    first = f"# {notes[0]}"
    if any(ch in first for ch in ',;\t"'):  # the separator is told by the first line: no other bare
        first = '"' + first.replace('"', '""') + '"'
    buf.write(first + delimiter * len(pad) + "\n")
    for note in notes[1:]:
        writer.writerow([f"# {note}", *pad])
    writer.writerow(header)
    writer.writerow([escape_cell(v) for v in row])
    return buf.getvalue()
