"""The submission format for stakeholders: its JSON Schema and fill-in templates for a case.

Stakeholders should never have to guess an id: a template lists the case's goals or criteria with
their titles, ready to fill in, in the format they prefer (YAML, CSV for a spreadsheet, XLSX).
"""

from __future__ import annotations

import io
from typing import Any

from ..case import METHODS, Case
from ..errors import InputError, Problem
from ..output import escape_cell, xlsx_bytes

__all__ = ["submission_schema", "render_template", "TEMPLATE_FORMATS"]

TEMPLATE_FORMATS = ("yaml", "csv", "xlsx")
_ID = "^[a-z][a-z0-9_]*$"
_SAATY = {
    "oneOf": [
        {"type": "number", "minimum": 1 / 9, "maximum": 9},
        {"type": "string", "pattern": "^(1/)?[1-9]$"},
    ]
}
_HELP = {
    "direct": "Give each item a number: the larger, the more important (they are normalised).",
    "points": "Share your points (e.g. 100) over the items: more points, more important.",
    "swing": "Give the item whose swing from worst to best matters most 100, the others 0-100 "
    "relative to it.",
    "ranking": "Order the items, most important first; put items in [brackets] for a tie.",
    "pairwise": "For each pair [a, b, v]: a is v times as important as b (Saaty 1-9; 1/3 if b is "
    "3 times as important). Delete pairs you cannot judge, but keep every item linked.",
}


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


def _items(case: Case, level: str) -> list[tuple[str, str]]:
    if level == "goals":
        return [(g.id, g.title) for g in case.goals]
    return [(c.id, c.name + (f" [{c.unit}]" if c.unit else "")) for c in case.criteria]


def render_template(case: Case, method: str, fmt: str, level: str | None = None) -> bytes:
    """A fill-in submission for ``case`` as file content (UTF-8 text, or an XLSX workbook).

    Raises
    ------
    InputError
        for a combination the formats cannot hold (pairwise judgements in a table).
    """
    level = level or ("goals" if case.goals else "criteria")
    if level == "goals" and not case.goals:
        raise InputError(Problem("--level", "the case has no goals (use --level criteria)"))
    if method == "pairwise" and fmt != "yaml":
        raise InputError(
            Problem("--format", "pairwise judgements need a YAML template (a table cannot hold them)")
        )
    items = _items(case, level)
    groups = [g.id for g in case.groups]
    if fmt == "yaml":
        return _yaml(case, method, level, items, groups).encode("utf-8")
    header = ["respondent", "group", "method", *[i for i, _ in items]]
    row = ["", groups[0] if len(groups) == 1 else "", method, *[""] * len(items)]
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        lines = [f"# {case.config.title or case.name}: {method} submission on {level}", f"# {_HELP[method]}"]
        if groups:
            lines.append(f"# group: one of {', '.join(groups)}")
        lines += [f"# {i}: {title}" for i, title in items]
        buf.write("\n".join(lines) + "\n")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerow([escape_cell(v) for v in row])
        return buf.getvalue().encode("utf-8")
    return _xlsx(case, method, level, items, groups, header, row)


def _yaml(case: Case, method: str, level: str, items: list[tuple[str, str]], groups: list[str]) -> str:
    width = max(len(i) for i, _ in items) + 2
    out = [f"# {case.config.title or case.name}: {method} submission on {level}", f"# {_HELP[method]}"]
    if groups:
        out.append(f"group: {groups[0] if len(groups) == 1 else ''}   # one of: {', '.join(groups)}")
    out += [
        "respondent:      # your name or an anonymous id: each respondent counts once",
        f"method: {method}",
    ]
    if method in ("direct", "points", "swing"):
        if method == "points":
            out.append("budget: 100")
        out.append("weights:")
        out += [f"  {(i + ':').ljust(width)}0   # {title}" for i, title in items]
    elif method == "ranking":
        out.append("ranking:        # most important first")
        out += [f"  - {i.ljust(width)}# {title}" for i, title in items]
    else:
        out.append("judgements:     # [a, b, v]: a is v times as important as b")
        for k, (a, ta) in enumerate(items):
            for b, tb in items[k + 1 :]:
                out.append(f"  - [{a}, {b}, 1]   # {ta} vs {tb}")
    return "\n".join(out) + "\n"


def _xlsx(
    case: Case,
    method: str,
    level: str,
    items: list[tuple[str, str]],
    groups: list[str],
    header: list[str],
    row: list[str],
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    ws = wb.active
    ws.title = "submission"
    ws.append(header)
    ws.append([escape_cell(v) for v in row])
    titles = dict(items)
    for k, name in enumerate(header, start=1):
        if name in titles:
            ws.cell(row=1, column=k).comment = Comment(titles[name], "lev2040")
    info = wb.create_sheet("items")
    info.append(["id", "title"])
    for i, title in items:
        info.append([escape_cell(i), escape_cell(title)])
    info.append([])
    info.append(["how", escape_cell(_HELP[method])])
    if groups:
        info.append(["groups", ", ".join(groups)])
    return xlsx_bytes(wb)  # the same bytes whenever it is made
