"""Exceptions of the engine: one base class, subclasses by cause.

Only the CLI turns them into output and exit codes; the library raises them and never prints.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["McdaError", "InputError", "InputErrors", "Problem", "did_you_mean"]


class McdaError(Exception):
    """Base class of every error the engine raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as the file allows.

    ``row`` is the line of the file (a CSV header is line 1; a YAML key's line), ``column`` the CSV
    column or the YAML/JSON key path. Rendered as
    ``FILE:ROW: column 'x': what is wrong (what was expected)``.
    """

    path: str
    reason: str
    row: int | None = None
    column: str | None = None
    kind: str = "column"  # "column" in tables, "key" in YAML/JSON

    def __post_init__(self) -> None:
        # a lone surrogate (a name read from "\ud800" in JSON) cannot be written as UTF-8: escape it
        for name in ("path", "reason", "column"):
            text = getattr(self, name)
            if isinstance(text, str) and not text.isascii() and _SURROGATE.search(text):
                object.__setattr__(self, name, _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))

    def __str__(self) -> str:
        where = self.path if self.row is None else f"{self.path}:{self.row}"
        if self.column is not None:
            return _one_line(f"{where}: {self.kind} '{self.column}': {self.reason}")
        return _one_line(f"{where}: {self.reason}")

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.row or 0, self.column or "")

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.path,
            "row": self.row,
            self.kind: self.column,
            "reason": self.reason,
            "message": str(self),
        }


_SURROGATE = re.compile("[\ud800-\udfff]")


def _one_line(text: str) -> str:
    """A problem is one line, even when a name in it holds a line break (an Excel Alt+Enter)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(McdaError):
    """A single bad input; see :class:`Problem` for the fields."""

    exit_code = 2

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class InputErrors(McdaError):
    """Every problem found in the inputs, reported together (one line each)."""

    exit_code = 2

    def __init__(self, problems: list[Problem], inputs: dict[str, str] | None = None):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.inputs = dict(inputs or {})  # sha256 of the files read before giving up
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path | str, base: Path | None = None) -> str:
    """Path as the user should see it: relative to the working directory when it is inside it."""
    p = Path(path)
    for anchor in (base, Path.cwd()):
        if anchor is None:
            continue
        try:
            return str(p.resolve().relative_to(anchor.resolve()))
        except (ValueError, OSError, RuntimeError):  # outside; a NUL character; a link that loops
            continue
    return str(p)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _id_key(text: str) -> str:
    """An id as it was probably meant: lower case, umlauts spelled out, spaces and dashes as _."""
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower().translate(_UMLAUTS))


def did_you_mean(name: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``name`` is close to the known id ``x``, else ``""``.

    Case, umlauts (ä/ae) and spaces or dashes (for _) are ignored, so ``Politik`` suggests
    ``politik``; then the one id holding the words of a numbered id (``m03_strassenbahn``:
    ``strassenbahn``); otherwise the closest id by :func:`difflib.get_close_matches`.

    >>> did_you_mean("co2_t_yr", ["co2e_t_yr", "land_ha"])
    " (did you mean 'co2e_t_yr'?)"
    >>> did_you_mean("m03_strassenbahn", ["m10_strassenbahn_flittard", "m35_strassenbaeume"])
    " (did you mean 'm10_strassenbahn_flittard'?)"
    >>> did_you_mean("xyz", ["co2e_t_yr", "land_ha"])
    ''
    """
    by_key: dict[str, str] = {}
    for k in sorted(str(k) for k in known):
        by_key.setdefault(_id_key(k), k)
    key = _id_key(name)
    # the words of a numbered id (m03_strassenbahn: strassenbahn) found in exactly one known id
    words = re.sub(r"^[a-z]{0,2}\d+_", "", key)
    within = [k for k in by_key if len(words) >= 4 and words in k]
    if key in by_key:
        match = by_key[key]
    elif len(within) == 1:
        match = by_key[within[0]]
    else:
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
        if not close:
            return ""
        match = by_key[close[0]]
    return "" if match == str(name) else f" (did you mean {match!r}?)"
