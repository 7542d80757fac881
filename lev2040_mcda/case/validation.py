"""Turning pydantic's validation errors into located, readable problems."""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem

__all__ = ["Locator", "validate", "describe"]

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
