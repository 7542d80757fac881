"""How much work one input file may cause, and the bounded walks that enforce it.

A file of a few kilobytes must not hang the engine or exhaust memory: YAML aliases can make a
small document expand without end ("billion laughs"), a spreadsheet cell in the far corner makes
naive readers fill billions of empty cells, a zip can unpack to gigabytes, and nesting thousands
deep overflows the stack of any recursive code. The limits are generous for real cases (a survey
export of 100,000 rows is far inside them) and stated in ``docs/case-format.md``. Only
:mod:`.readers` opens files; this module holds the numbers and the walks that check them, over
YAML nodes, JSON data and the XML of a workbook that readers.py has read into memory.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import InputError, Problem

__all__ = ["ENV_MAX_FILE_MB", "Limits", "LimitExceeded", "SafeLoader", "walk_yaml", "walk_data"]
__all__ += ["sheet_rows", "sheet_table", "SheetError", "workbook_problem", "value_reason"]

ENV_MAX_FILE_MB = "LEV2040_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 50.0
MAX_DEPTH = 100  # levels of nesting in a YAML/JSON file (a case needs about 6)
MAX_ALIAS_NODES = 100_000  # values YAML aliases may repeat, in all ...
MAX_ALIAS_CHARS = 10_000_000  # ... and the characters of text they may repeat
MAX_COLUMNS = 1_000  # columns of a worksheet that hold a value (column ALL)
UNPACK_RATIO = 100  # a workbook unpacks to at most this many times its size (or UNPACK_FLOOR) ...
UNPACK_FLOOR = 10 << 20
UNPACK_FACTOR = 5  # ... and never to more than this many times the file size limit
MAX_ROW_NODES = 100_000  # XML elements in one row of a worksheet
MAX_SHEET_NODES = 1_000_000  # XML elements of a worksheet outside its rows
MAX_SHEET_ROWS = 1_048_576  # rows of a worksheet, as in Excel

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same safety, C speed where built
_SURROGATE = re.compile("[\ud800-\udfff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARS = tuple(chr(c) for c in (*range(9), 11, 12, *range(14, 32)))
"""Control characters other than tab and line breaks: no report, workbook or terminal can show
them (openpyxl refuses them in a cell), so a text that holds one is refused where it is read."""
SURROGATE_REASON = (
    "holds a lone surrogate (an escape like \\ud800 that is not a character; "
    "write the character itself, in UTF-8)"
)
UNUSABLE = ("lone surrogate", "control character")
"""Words of the reasons that make a document's data unusable (no stage could write it)."""


def control_reason(char: int) -> str:
    return f"holds the control character U+{char:04X}, which no text of a case may hold (delete it)"


class LimitExceeded(Exception):
    """A bound was hit; ``reason`` says which, ``line`` where (when known)."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


@dataclass(frozen=True)
class Limits:
    """The size limit of one input file, from ``LEV2040_MAX_FILE_MB`` (default 50 MB), and the
    limits that follow from it: what a workbook may unpack to, how many cells a table may have."""

    max_mb: float = DEFAULT_MAX_FILE_MB

    @classmethod
    def from_env(cls) -> Limits:
        text = os.environ.get(ENV_MAX_FILE_MB, "").strip()
        if not text:
            return cls()
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not (0 < value < 1e6):
            raise InputError(
                Problem(ENV_MAX_FILE_MB, f"must be a number of megabytes above 0 (got {text[:40]!r})")
            )
        return cls(value)

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * (1 << 20))

    @property
    def max_cells(self) -> int:
        """Cells of one table (rows × header columns): half the file size limit in bytes, the
        most cells a CSV file of that size can hold; 26,214,400 by default."""
        return self.max_bytes // 2

    def unpacked_bytes(self, size: int) -> int:
        """What a workbook of ``size`` bytes may unpack to."""
        return min(UNPACK_FACTOR * self.max_bytes, max(UNPACK_FLOOR, UNPACK_RATIO * size))

    def too_large(self) -> str:
        return (
            f"is larger than {self.max_mb:g} MB, the limit for one input file "
            f"(set {ENV_MAX_FILE_MB} to a larger number of megabytes to read it)"
        )


def has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def text_problem(text: str, escapes: bool) -> str | None:
    """Why a text read from YAML/JSON cannot be used: a lone surrogate, or (only possible where
    the file has ``\\`` escapes) a control character; ``None`` when it is fine."""
    if has_surrogate(text):
        return SURROGATE_REASON
    if escapes and (m := CONTROL.search(text)) is not None:
        return control_reason(ord(m[0]))
    return None


# -- YAML and JSON ----------------------------------------------------------------------------

KeyPath = tuple[str | int, ...]


def walk_yaml(
    root: yaml.Node, lines: dict[KeyPath, int], escapes: bool = True
) -> list[tuple[KeyPath, int, str]]:
    """Record the line of every key path below ``root``; return what is wrong at a key path
    (a key twice in one mapping, a text :func:`text_problem` refuses) as ``(path, line, reason)``.

    The walk follows aliases, so it sees the document as the stages after it will; it stops with
    :class:`LimitExceeded` when aliases repeat more than the limits allow or nesting is deeper than
    ``MAX_DEPTH`` (which also ends a recursive alias). Iterative: no recursion to overflow.
    """
    found: list[tuple[KeyPath, int, str]] = []
    seen: set[int] = set()
    nodes = chars = 0
    stack: list[tuple[yaml.Node, KeyPath, int]] = [(root, (), 0)]
    while stack:
        node, loc, depth = stack.pop()
        line = node.start_mark.line + 1
        lines.setdefault(loc, line)
        if depth > MAX_DEPTH:
            raise LimitExceeded(f"is nested more than {MAX_DEPTH} levels deep", line)
        if id(node) in seen:  # reached again through an alias
            nodes += 1
            chars += len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            if nodes > MAX_ALIAS_NODES or chars > MAX_ALIAS_CHARS:
                raise LimitExceeded(
                    f"YAML aliases repeat the value at this line too often (more than "
                    f"{MAX_ALIAS_NODES:,} values or {MAX_ALIAS_CHARS // 1_000_000} million characters "
                    "repeated in all; write the values out)",
                    line,
                )
        else:
            seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if (reason := text_problem(node.value, escapes)) is not None:
                found.append((loc, line, reason))
        elif isinstance(node, yaml.MappingNode):
            names: set[str] = set()
            children = []
            for key, value in node.value:
                key_line = key.start_mark.line + 1
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
                sub = loc + (name,)
                if (reason := text_problem(name, escapes)) is not None:
                    found.append((loc, key_line, "a key " + reason))
                    sub = loc + (name.encode("unicode_escape", "backslashreplace").decode("ascii"),)
                elif name in names:
                    found.append((sub, key_line, "key appears twice in the same mapping"))
                names.add(name)
                lines[sub] = key_line
                children.append((value, sub, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, loc + (i,), depth + 1) for i, item in reversed(list(enumerate(node.value))))
    return found


def walk_data(data: Any) -> list[tuple[KeyPath, str]]:
    """What is wrong in parsed JSON: keys or texts :func:`text_problem` refuses, as ``(path,
    reason)``; :class:`LimitExceeded` when it is nested deeper than ``MAX_DEPTH``. Iterative."""
    found: list[tuple[KeyPath, str]] = []
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if len(loc) > MAX_DEPTH:
            raise LimitExceeded(f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            if (reason := text_problem(value, True)) is not None:
                found.append((loc, reason))
        elif isinstance(value, dict):  # children pushed last first: found in the order written
            for key, item in reversed(value.items()):
                if (reason := text_problem(key, True)) is not None:
                    found.append((loc, "a key " + reason))
                    continue
                stack.append((item, loc + (key,)))
        elif isinstance(value, list):
            stack.extend((item, loc + (i,)) for i, item in reversed(list(enumerate(value))))
    return found


# -- XLSX -------------------------------------------------------------------------------------

_MISC = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def xml_starts_with_element(head: bytes, complete: bool) -> bool:
    """Whether the first bytes of an XML part reach its first element without a document type
    declaration (``<!DOCTYPE``, where XML entities are declared). Workbooks never have one; with
    none, an XML bomb cannot be built. ``complete``: ``head`` is the whole part."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while (m := _MISC.match(head, pos)) is not None:
        pos = m.end()
    rest = head[pos:]
    if not rest:
        return complete
    return rest[:1] == b"<" and rest[1:2] not in (b"!", b"?", b"")


_PLAIN = (int, float, bool)


def sheet_rows(source: Any, parser: Any) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` of the rows of a worksheet that hold a value, read from the XML
    ``source`` with openpyxl's cell parser (``parser.parse_row``: shared strings, dates, numbers).

    Empty space costs nothing: rows that are missing are not filled in, and a row's values end at
    its last cell with a value. Each row's XML is dropped once read, so memory stays flat; a value
    beyond column ``MAX_COLUMNS``, or rows or elements beyond the limits stop the read with
    :class:`LimitExceeded`.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse  # defusedxml's where it is installed

    row_tag = f"{{{SHEET_MAIN_NS}}}row"
    parents: list[Any] = []
    row: Any = None
    inside = outside = rows = 0
    for event, el in iterparse(source, events=("start", "end")):
        if row is not None:  # inside a row: its cells stay until the row ends
            if event == "start":
                inside += 1
                if inside > MAX_ROW_NODES:
                    raise LimitExceeded(f"has a row of more than {MAX_ROW_NODES:,} XML elements")
                continue
            if el is not row:
                continue
            row = None
            if parents:
                parents[-1].remove(el)
            number, parsed = parser.parse_row(el)
            width = 0
            for c in parsed:  # the last column with a value (text of only spaces is no value)
                v = c["value"]
                if v is not None and c["column"] > width and (type(v) is not str or v.strip()):
                    width = c["column"]
            if not width:
                continue
            if width > MAX_COLUMNS:
                raise LimitExceeded(
                    f"has a value in cell {get_column_letter(width)}{number}, beyond column "
                    f"{get_column_letter(MAX_COLUMNS)} (a table has at most {MAX_COLUMNS:,} columns)",
                    number,
                )
            out: list[Any] = [None] * width
            for c in parsed:
                v, column = c["value"], c["column"]
                if v is not None and 0 < column <= width:  # text stripped, dates as text
                    out[column - 1] = v if type(v) in _PLAIN else str(v).strip()
            yield number, out
        elif event == "start":
            if el.tag == row_tag:
                row, inside, rows = el, 0, rows + 1
                if rows > MAX_SHEET_ROWS:
                    raise LimitExceeded(f"has more than {MAX_SHEET_ROWS:,} rows")
                continue
            outside += 1
            if outside > MAX_SHEET_NODES or len(parents) > MAX_DEPTH:
                raise LimitExceeded("has more XML elements outside its rows than a worksheet has")
            parents.append(el)
        else:  # the end of an element outside the rows: dropped, it holds no values
            parents.pop()
            if parents:
                parents[-1].remove(el)


def value_reason(exc: BaseException) -> str:
    """A parser's complaint about a value, in one short line."""
    text = str(exc)
    if "integer string conversion" in text:
        return "a number has more than 4,300 digits"
    return text.splitlines()[0][:200] if text.strip() else type(exc).__name__


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {value_reason(exc)}"


def workbook_problem(raw: bytes, limits: Limits) -> str | None:
    """Why a workbook must not be opened: it unpacks to more than its limit (a zip bomb; the sizes
    its directory declares bound what unpacking yields), or an XML part declares a document type
    (the only place XML entities can be declared, so no entity bomb gets to the XML parser)."""
    import zipfile

    head = 1 << 16
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            allowed = limits.unpacked_bytes(len(raw))
            if total > allowed:
                return (
                    f"not a readable .xlsx workbook (it unpacks to {total / 2**20:,.1f} MB, more than the "
                    f"{allowed / 2**20:,.1f} MB a workbook of {len(raw) / 2**20:,.2f} MB may unpack to)"
                )
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as fh:
                        start = fh.read(head)
                    if not xml_starts_with_element(start, len(start) < head):
                        return (
                            f"not a readable .xlsx workbook ({info.filename} declares an XML document "
                            "type or entities, which workbooks never do)"
                        )
    except Exception as exc:
        return f"not a readable .xlsx workbook ({error_text(exc)})"
    return None


class SheetError(Exception):
    """A worksheet that cannot be read, with the reason (naming the sheet) and the row when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


def sheet_table(
    sheets: list[Any], columns: Collection[str], optional: bool, max_cells: int
) -> tuple[str | None, list[str] | None, int, list[tuple[int, list[Any]]]]:
    """The table of a workbook: ``(title, header, header line, rows)`` of the sheet that holds it
    (``title`` ``None`` when the workbook has one sheet); :class:`SheetError` when none does."""
    if not sheets:
        raise SheetError("not a readable .xlsx workbook (it has no worksheet)")
    ws = sheets[0] if len(sheets) == 1 else _pick_sheet(sheets, columns, optional)
    if ws is None:
        raise SheetError(
            "no sheet has the expected header row (with "
            f"columns like {', '.join(columns)}; the sheets are: "
            f"{', '.join(repr(s.title) for s in sheets)})"
        )
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[Any]]] = []
    n = total = 0
    for line, cells in _worksheet_rows(ws):
        if header is None:
            header, header_line = ["" if c is None else str(c) for c in cells], line
            n = len(header)
            continue
        total += max(n, len(cells))
        if total > max_cells:  # rows of one cell under a wide header: the padding counts
            raise SheetError(
                f"sheet {ws.title!r} has more than {max_cells:,} cells, the limit for one table "
                f"(it grows with {ENV_MAX_FILE_MB})"
            )
        # padded to the header's width, as openpyxl's rows were: empty cells are None
        rows.append((line, cells if len(cells) >= n else cells + [None] * (n - len(cells))))
    return (ws.title if len(sheets) > 1 else None), header, header_line, rows


def _worksheet_rows(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a worksheet that are not blank, with their line numbers, read by the bounded
    :func:`sheet_rows` (not openpyxl's ``iter_rows``, which pads every row to the sheet's declared
    dimension and fills in every missing row: billions of cells for one far corner)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    parser = WorkSheetParser(
        None,
        ws._shared_strings,
        data_only=wb.data_only,
        epoch=wb.epoch,
        date_formats=wb._date_formats,
        timedelta_formats=wb._timedelta_formats,
    )
    try:
        src = ws._get_source()
    except Exception as exc:
        raise SheetError(f"sheet {ws.title!r} cannot be read ({error_text(exc)})") from None
    try:
        yield from sheet_rows(src, parser)
    except LimitExceeded as exc:
        raise SheetError(f"sheet {ws.title!r} {exc.reason}", exc.line) from None
    except SyntaxError as exc:  # xml.etree's ParseError: broken XML, an undefined entity
        raise SheetError(f"sheet {ws.title!r} is not valid XML ({exc})") from None
    except Exception as exc:
        raise SheetError(f"sheet {ws.title!r} cannot be read ({error_text(exc)})") from None
    finally:
        src.close()


def _pick_sheet(sheets: list[Any], columns: Collection[str], optional: bool) -> Any | None:
    """The sheet that holds the table: the first whose header has the most of ``columns``; else the
    only one with a table (two named columns, a row below), or the first such when the ``columns``
    are ``optional``; else the first sheet when no ``columns`` are expected, ``None`` (no usable
    sheet) when they are."""
    best, most, tables = None, 0, []
    for ws in sheets:
        with contextlib.closing(_worksheet_rows(ws)) as rows:  # the XML closed at once
            first, second = itertools.islice(itertools.chain(rows, [None, None]), 2)
        if first is None:
            continue
        names = {str(c).strip() for c in first[1] if c is not None and str(c).strip()}
        found = len(names.intersection(columns))
        if found > most:
            best, most = ws, found
        if len(names) >= 2 and second is not None:
            tables.append(ws)
    if best is not None:
        return best
    if len(tables) == 1 or (tables and optional):
        return tables[0]
    return None if columns else sheets[0]
