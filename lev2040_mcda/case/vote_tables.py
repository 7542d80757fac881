"""A vote's CSV read with ``str.split`` when nothing in it needs the csv module, so that a ballot
table of 500,000 rows is read in well under a second: no quote, no control character, every row
as wide as the header. Any other file is read by :meth:`~.readers.Reader.table`, which words every
problem (a row too wide, a column twice, a broken quote) with its line; the result is the same
:class:`~.readers.Table` either way (cells unstripped, blank rows and comments above the header
left out, German decimal commas in semicolon files).
"""

from __future__ import annotations

import re
from itertools import repeat
from pathlib import Path

from .limits import CONTROL_CHARS
from .readers import Reader, Table

__all__ = ["vote_table"]


def vote_table(reader: Reader, path: Path) -> Table | None:
    """The table of a vote file (CSV or XLSX), or None with its problems in ``reader.problems``."""
    if path.suffix.lower() == ".csv":
        got = reader.text(path)
        if got is None:
            return None
        table = _split(*got, reader.limits.max_cells)
        if table is not None:
            return table
    return reader.table(path, columns=("voter", "measures", "measure", "id"), optional=True)


def _split(shown: str, text: str, max_cells: int) -> Table | None:
    if '"' in text or any(c in text for c in CONTROL_CHARS):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    k = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")), None)
    if k is None:
        return None
    counts = {d: lines[k].count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    header = [c.strip() for c in lines[k].split(delimiter)]
    if "" in header or len(set(header)) != len(header):
        return None
    body = lines[k + 1 :]
    while body and not body[-1]:
        body.pop()
    if "" in body or re.search(rf"^[ \t{re.escape(delimiter)}]*$", "\n".join(body), re.MULTILINE):
        return None  # a blank row: Reader.table leaves it out and keeps the lines
    rows = list(map(str.split, body, repeat(delimiter, len(body))))
    if (rows and set(map(len, rows)) != {len(header)}) or len(rows) * len(header) > max_cells:
        return None
    return Table(
        shown, header, list(zip(range(k + 2, k + 2 + len(rows)), rows)), delimiter == ";", header_line=k + 1
    )
