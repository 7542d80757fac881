"""Turning what went wrong into located, readable problems: pydantic's validation errors, a file
that is not of the kind expected, a file that cannot be opened, a value a parser cannot build."""

from __future__ import annotations

import copy
import errno
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .limits import CONTROL, KeyPath, LimitExceeded, SafeLoader, control_reason, value_reason, walk_data

__all__ = [
    "Locator",
    "validate",
    "describe",
    "Kind",
    "open_reason",
    "failing_value",
    "json_problems",
    "control_cell",
]

M = TypeVar("M", bound=BaseModel)
Locator = Callable[[tuple, str], Problem]
"""Makes a problem from a key path inside the record and a reason."""


def validate(
    model: type[M], data: Any, locate: Locator, problems: list[Problem], salvage: bool = False
) -> M | None:
    """``model.model_validate(data)``, or ``None`` with one problem per field that is wrong.

    With ``salvage``, a record with bad fields is validated once more without them (then without
    their parents), and returned when that works. The problems are recorded all the same, so the
    load still fails; the salvaged record only lets the other rules run (a measure whose cost is
    mistyped is still a known measure), so that one run reports everything.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    for err in errors:
        problems.append(locate(tuple(err["loc"]), describe(err, model)))
    if not salvage or not isinstance(data, dict):
        return None
    for up in (0, 1):
        locs = [tuple(e["loc"])[: max(1, len(e["loc"]) - up)] for e in errors]
        if any(loc[0] == "id" for loc in locs):
            return None
        trimmed = _without(data, locs)
        try:
            return model.model_validate(trimmed)
        except ValidationError:
            continue
    return None


def _without(data: dict, locs: list[tuple]) -> dict:
    """A deep-enough copy of ``data`` with the values at ``locs`` removed."""
    out = copy.deepcopy(data)
    for loc in sorted(set(locs), key=lambda path: [str(p).zfill(9) for p in path], reverse=True):
        node: Any = out
        for part in loc[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict):
            node.pop(loc[-1], None)
        elif isinstance(node, list) and isinstance(loc[-1], int) and loc[-1] < len(node):
            del node[loc[-1]]
    return out


def describe(err: dict, model: type[BaseModel] | None = None) -> str:
    """One pydantic error as a reason a planner understands, with what was expected."""
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind == "missing":
        return "is missing (required)"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, tuple(err["loc"])[:-1]) if model else None
        hint = f" (expected one of: {', '.join(allowed)})" if allowed else ""
        return f"unknown key{hint}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "invalid_key":  # `{text: Starkregen ×1,5}`: the comma made `5` a key of its own
        return (
            f"a key that is not text ({value!r}): in a {{...}} mapping a comma separates entries, "
            "so put text that holds a comma in quotes ({text: 'a, b'})"
        )
    if kind == "literal_error":
        return f"{value!r} is not allowed (expected {err['ctx']['expected']})"
    text = re.sub(r" or instance of \w+", "", msg.replace("Input should be", "must be"))
    if isinstance(value, (str, int, float, bool)) or value is None:
        text += f" (got {value!r})"
    return text


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str] | None:
    """Field names of the model reached by following ``loc`` through ``model``'s annotations.

    A list position or a dict key in ``loc`` keeps the model reached so far.
    """
    current: Any = model
    in_container = False
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            if in_container:
                in_container = False
                continue
            return None
        current = _inner_model(field.annotation)
        in_container = typing.get_origin(field.annotation) is not None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside ``Optional[list[X]]`` and the like, else the annotation itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, dict, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


# -- files and values that cannot be read ---------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a file is expected to be. A document (or a table header) that holds none of ``keys`` is
    not of this kind: it is reported in one line, and nothing of it is quoted, since a path may
    point at any file on the machine (``criteria: /etc/shadow``) and its content is nobody's
    business. ``empty``: an empty document (only comments) is fine."""

    what: str
    expected: str
    keys: frozenset[str]
    empty: bool = False

    def holds(self, data: Any) -> bool:
        """Whether a document (a mapping with one of the keys) is of this kind."""
        if data is None:
            return self.empty
        return isinstance(data, Mapping) and self.names(data.keys())

    def names(self, names: Iterable[Any]) -> bool:
        """Whether a table header (its column names) is of this kind."""
        return not self.keys.isdisjoint(k for k in names if isinstance(k, str))

    def problem(self, shown: str) -> Problem:
        return Problem(shown, f"is not {self.what} (expected {self.expected})")


def open_reason(exc: BaseException) -> str:
    """Why a file could not be opened or read, in words."""
    if isinstance(exc, LimitExceeded):
        return exc.reason
    if isinstance(exc, ValueError):
        return "cannot be read (the path holds a NUL character)"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder (expected a file)"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "cannot be read (the path is too long)"
    if isinstance(exc, OSError) and exc.errno == errno.ENXIO:
        return "is not a regular file (a socket or other special file; expected a file)"
    return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"


def control_cell(header: list[str], header_line: int, rows: list[tuple[int, list[Any]]]) -> tuple | None:
    """``(line, column, reason)`` of the first cell of a table that holds a control character
    (one that stripping the cell leaves: a trailing form feed is only white space), else ``None``."""
    for line, cells in [(header_line, header), *rows]:
        for j, cell in enumerate(cells):
            if isinstance(cell, str) and (m := CONTROL.search(cell.strip())) is not None:
                column = header[j] if j < len(header) and header[j] else f"#{j + 1}"
                return line, column, control_reason(ord(m[0]))
    return None


class _At(Exception):
    def __init__(self, line: int, exc: BaseException):
        super().__init__(str(exc))
        self.line, self.exc = line, exc


class _Locating(SafeLoader):  # type: ignore[misc, valid-type]
    """A loader that says at which line a value could not be built (only used once one failed)."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (_At, yaml.YAMLError):
            raise
        except Exception as exc:
            raise _At(node.start_mark.line + 1, exc) from None


def failing_value(text: str) -> tuple[int | None, str]:
    """The line and reason of the first value of a YAML text that YAML cannot build (a date
    2024-13-45, an integer of 5,000 digits); read again only once the fast read failed."""
    try:
        loader = _Locating(text)
        try:
            loader.get_single_data()
        finally:
            loader.dispose()
    except _At as exc:
        return exc.line, value_reason(exc.exc)
    except Exception as exc:
        return None, value_reason(exc)
    return None, "unknown cause"


_LONE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
"""An escape of half a surrogate pair in JSON text: where a lone surrogate was written."""


def json_problems(text: str, data: Any) -> list[tuple[KeyPath, int | None, str]]:
    """What is wrong in a JSON text that YAML cannot read (so has no lines by key): the texts
    :func:`.limits.walk_data` refuses (lone surrogates get the lines of their escapes) and keys
    given twice in one object (by name); :class:`LimitExceeded` when nested too deep."""
    bad = walk_data(data)
    lines: list[int | None] = [text.count("\n", 0, m.start()) + 1 for m in _LONE_ESCAPE.finditer(text)]
    if len(lines) != len(bad):
        lines = [None] * len(bad)
    twice: list[tuple[KeyPath, int | None, str]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                twice.append(((key,), None, "key appears twice in the same mapping"))
            seen.add(key)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return [(loc, line, reason) for (loc, reason), line in zip(bad, lines)] + twice
