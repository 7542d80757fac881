"""The plain-text table every ``--format table`` output is made of, and the small cell formats
the command families share (numbers, notes, where the weights come from).

Rendering for programs (JSON with provenance, CSV) and writing files live in ``lev2040_mcda.output``;
it is imported where a table is built, so that ``lev2040 --help`` does not load it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["format_table"]


def format_table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str | None = None) -> str:
    """A plain-text table with aligned columns (numbers right-aligned).

    Examples
    --------
    >>> print(format_table(["measure", "score", "note"], [["a", 0.5, True], ["bb", 12, None]]), end="")
    measure  score  note
    -------  -----  ----
    a          0.5  yes
    bb          12
    """
    from ..output import plain

    cells = [[plain(v) for v in row] for row in rows]
    text = [[str(h) for h in header]] + [["" if v is None else _fmt(v) for v in row] for row in cells]
    widths = [max(len(r[i]) for r in text) for i in range(len(header))]
    numeric = [bool(cells) and all(_numberlike(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for j, row in enumerate(text):
        parts = [
            row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i]) for i in range(len(header))
        ]
        lines.append("  ".join(parts).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


_NUMBERLIKE = re.compile(r"^[-+]?[\d,.]+(%|x)?$")


def _numberlike(v: Any) -> bool:
    """Numbers, empty cells and number-like text (``12.5%``, ``2.6x``) are right-aligned."""
    if v is None or v == "" or v == "-":
        return True
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    return isinstance(v, str) and bool(_NUMBERLIKE.match(v))


def _notes(rejected: Any, warnings: Any, indent: str = "") -> str:
    """The closing lines of a table: rejected inputs (indented where they belong to a section),
    then warnings, one per line."""
    return "".join(f"{indent}rejected: {line}\n" for line in rejected) + "".join(
        f"warning: {w}\n" for w in warnings
    )


def _fmt(v: Any) -> str:
    """One cell as text: yes/no for flags, four significant digits below 1,000, whole numbers with
    thousands separators from there on (30,730, never 3.073e+04)."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _num(v: Any, digits: int = 3) -> str:
    """A value with fixed decimals, or ``-`` where there is none (an infeasible scenario); a value
    that rounds to zero is ``0.000``, never ``-0.000``."""
    if v is None:
        return "-"
    text = f"{v:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _weights_line(r: dict[str, Any]) -> str:
    """Where a result's weights came from, for the first line of its table."""
    info = r.get("weights_source", {})
    where = info.get("group") or info.get("file") or info.get("source", "")
    return f"weights: {info.get('source', '')}" + (f" ({where})" if where != info.get("source") else "")
