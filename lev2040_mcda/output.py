"""Writing results safely, for every stage that writes: JSON with provenance, CSV, atomic files.

Every JSON output is one object with the result and a ``provenance`` block; every CSV cell that a
spreadsheet would run as a formula is escaped; files are written atomically (a temporary file, then
a rename), so a failed run never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import McdaError

__all__ = ["provenance", "to_json", "to_csv", "escape_cell", "write_atomic", "plain", "OutputError"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(McdaError):
    """The result could not be written where it was asked to go."""

    exit_code = 2


def provenance(
    command: str,
    parameters: dict[str, Any],
    inputs: dict[str, str],
    solver: dict[str, Any] | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """The provenance block of every JSON output: what produced it, from which exact inputs."""
    return {
        "tool": "lev2040-mcda",
        "version": __version__,
        "python": platform.python_version(),
        "command": command,
        "parameters": parameters,
        "inputs": {path: {"sha256": digest} for path, digest in sorted(inputs.items())},
        "solver": solver,
        "seed": seed,
    }


def to_json(result: dict[str, Any], prov: dict[str, Any]) -> str:
    return json.dumps({**result, "provenance": prov}, ensure_ascii=False, indent=2, default=str) + "\n"


def escape_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would execute (``=cmd()``, ``+1``, ``@SUM``); numbers stay.

    >>> escape_cell("=HYPERLINK(1)"), escape_cell(-3.5), escape_cell("-3.5"), escape_cell("ok")
    ("'=HYPERLINK(1)", -3.5, '-3.5', 'ok')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else escape_cell(plain(v)) for v in row])
    return buf.getvalue()


def plain(v: Any) -> Any:
    """A list or tuple as one cell: its items joined by ``; ``."""
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return v


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` via a temporary file and a rename: never half a file."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; results are ordinary files
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
