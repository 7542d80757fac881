"""One saved run: what a command was asked, what it read, and everything it printed.

A :class:`Run` is what the run store (:mod:`.store`) keeps and gives back; it is plain data, so
that comparing runs (:mod:`.compare`) and the report never need the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, Problem

__all__ = ["NAME_PATTERN", "Run", "check_name"]

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""A run's name: letters, digits, ``.``, ``_`` and ``-``, at most 64 characters, starting with a
letter or digit, so that a name is never a path (no ``/``, no ``..`` of its own) and reads the same
in a shell, a file name and a spreadsheet tab."""


def check_name(name: str, where: str = "--save") -> str:
    """``name`` when it is a valid run name (:data:`NAME_PATTERN`), else a located problem."""
    if not NAME_PATTERN.fullmatch(name or "") or ".." in name:
        raise InputError(
            Problem(
                where,
                f"{name!r} is not a run name (1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit)",
            )
        )
    return name


@dataclass(frozen=True)
class Run:
    """A saved run.

    ``params`` are the command's options as click parsed them (``{"limits": ["cost=60"], ...}``),
    JSON-ready: ``runs rerun`` replays them; ``inputs`` the sha256 of every file the run read, as
    its provenance names them (relative to the case folder); ``result`` the JSON the command prints
    with ``--format json`` (its provenance included); ``outputs`` the text it prints in each
    format (``table``, ``json``, ``csv``), byte for byte; ``created`` ISO 8601 in UTC.
    """

    name: str
    command: str
    case: str
    params: dict[str, Any]
    inputs: dict[str, str]
    version: str
    solver: str | None
    status: str | None
    value: float | None
    result: dict[str, Any]
    outputs: dict[str, str]
    created: str
    note: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
    """The command's defaults for ``params`` when it was saved, so that what a run changed can be
    said without the command at hand (:func:`key_parameters`)."""

    def key_parameters(self) -> dict[str, Any]:
        """The parameters that differ from the command's defaults (``case``, the output's format
        and file, and the saving options left out): what makes this run a what-if."""
        skip = {"case", "fmt", "output", "save", "note", "store", "where", "workers"}
        return {
            k: v
            for k, v in self.params.items()
            if k not in skip and v != self.defaults.get(k) and v not in (None, [], ())
        }
