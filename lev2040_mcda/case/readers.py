"""Reading input files into plain Python data, with every position kept for error messages.

Only this module opens input files. It records the sha256 of every file it reads (for provenance)
and turns every way a file can be unreadable into a :class:`~lev2040_mcda.errors.Problem` with the
file, line and column, never an exception from a parser. What a cell's text means (numbers, yes/no,
lists) is :mod:`.cells`'s business; a new input format is read here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, display_path
from .cells import Cell

__all__ = ["Reader", "Document", "Table"]

KeyPath = tuple[str | int, ...]

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same safety, C speed where built


@dataclass
class Document:
    """A parsed YAML or JSON file: its data and the line of every key path in it."""

    shown: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, loc: KeyPath) -> int | None:
        """Line of the deepest key path that exists in the file and starts ``loc``."""
        for n in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:n]))
            if line is not None:
                return line
        return None

    def problem(self, loc: KeyPath, reason: str) -> Problem:
        return Problem(self.shown, reason, row=self.line_of(loc), column=key_name(loc), kind="key")


@dataclass
class Table:
    """A parsed CSV or XLSX sheet: header names and the data rows with their line numbers."""

    shown: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    decimal_comma: bool = False
    broken: list[tuple[int, list[Cell]]] = field(default_factory=list)  # reported, left out
    header_line: int = 1

    def problem(self, row: int | None, column: str | None, reason: str) -> Problem:
        return Problem(self.shown, reason, row=row, column=column)

    def records(self) -> list[tuple[int, dict[str, Cell]]]:
        """Rows as ``(line, {column: cell})`` with text stripped; missing trailing cells are ``""``."""
        n = len(self.header)
        out = []
        for line, cells in self.rows:
            padded = [c.strip() if isinstance(c, str) else c for c in cells[:n]]
            padded += [""] * (n - len(padded))
            out.append((line, dict(zip(self.header, padded))))
        return out


class Reader:
    """Reads input files for one load, collecting problems and input hashes.

    ``inputs`` maps each file read (relative to ``base``, the case folder, so that the same case
    gives the same provenance wherever it is run from) to its sha256; ``problems`` holds every
    problem found so far. Methods return ``None`` when a file cannot be read at all.
    """

    def __init__(self, base: Path | None = None):
        self.base = base
        self.inputs: dict[str, str] = {}
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        """The path as error messages show it (relative to the working directory)."""
        return display_path(path, None)

    def _record(self, path: Path, raw: bytes) -> None:
        key = os.path.relpath(path, self.base) if self.base is not None else self.shown(path)
        self.inputs[Path(key).as_posix()] = hashlib.sha256(raw).hexdigest()

    def _bytes(self, path: Path) -> tuple[str, str] | None:
        shown = self.shown(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.problems.append(Problem(shown, "file not found"))
            return None
        except IsADirectoryError:
            self.problems.append(Problem(shown, "is a folder (expected a file)"))
            return None
        except OSError as exc:
            self.problems.append(Problem(shown, f"cannot be read ({exc.strerror or exc})"))
            return None
        self._record(path, raw)
        try:
            return shown, raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(
                Problem(shown, f"byte {raw[exc.start]:#04x} is not UTF-8 (save the file as UTF-8)", row=line)
            )
            return None

    # -- YAML / JSON --------------------------------------------------------------------------

    def document(self, path: Path) -> Document | None:
        """Read a YAML (or JSON) file; JSON keys get their lines where the text allows."""
        got = self._bytes(path)
        if got is None:
            return None
        shown, text = got
        if not text.strip():
            self.problems.append(Problem(shown, "the file is empty"))
            return None
        if path.suffix.lower() == ".json":
            return self._json(shown, text)
        return self._yaml(shown, text)

    def _yaml(self, shown: str, text: str) -> Document | None:
        try:
            loader = _SafeLoader(text)
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "cannot be parsed"
            self.problems.append(Problem(shown, f"YAML syntax error: {what}", row=line))
            return None
        except yaml.YAMLError as exc:
            self.problems.append(Problem(shown, f"YAML syntax error: {exc}"))
            return None
        doc = Document(shown, data)
        if node is not None:
            for loc, line in _collect_lines(node, (), doc.lines):
                self.problems.append(
                    Problem(
                        shown,
                        "key appears twice in the same mapping",
                        row=line,
                        column=key_name(loc),
                        kind="key",
                    )
                )
        return doc

    def _json(self, shown: str, text: str) -> Document | None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self.problems.append(Problem(shown, f"JSON syntax error: {exc.msg}", row=exc.lineno))
            return None
        doc = Document(shown, data)
        try:  # JSON is (nearly) YAML: borrow the YAML parser for the lines of the keys
            node = yaml.compose(text, Loader=_SafeLoader)
            if node is not None:
                _collect_lines(node, (), doc.lines)
        except yaml.YAMLError:
            pass
        return doc

    # -- CSV / XLSX ---------------------------------------------------------------------------

    def table(
        self, path: Path, columns: Collection[str] | None = None, optional: bool = False
    ) -> Table | None:
        """Read a CSV (comma or semicolon) or the sheet of an XLSX workbook that holds the table.

        ``columns`` are names the header is expected to have (``optional``: it may have none of
        them); of several sheets, the one whose header has them is read (see :func:`_pick_sheet`)
        and problems name it: ``weights/x.xlsx[Swing]:3: column 'co2': ...``.
        """
        if path.suffix.lower() == ".xlsx":
            return self._xlsx(path, columns or (), optional)
        got = self._bytes(path)
        if got is None:
            return None
        shown, text = got
        delimiter = _sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[tuple[int, list[Cell]]] = []
        header: list[str] | None = None
        header_line = 1
        try:
            while True:  # cells are left unstripped here (number parsing ignores spaces): speed
                start = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                if not any(cells) or not any(c.strip() for c in cells):  # a blank line
                    continue
                if header is None and cells[0].startswith("#"):  # comments above the header
                    continue
                if header is None:
                    header, header_line = [c.strip() for c in cells], start
                else:
                    rows.append((start, cells))
        except csv.Error as exc:
            self.problems.append(Problem(shown, f"CSV cannot be parsed: {exc}", row=reader.line_num))
            return None
        return self._finish(shown, header, header_line, rows, decimal_comma=delimiter == ";")

    def _xlsx(self, path: Path, columns: Collection[str], optional: bool = False) -> Table | None:
        shown = self.shown(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reason = "file not found" if isinstance(exc, FileNotFoundError) else f"cannot be read ({exc})"
            self.problems.append(Problem(shown, reason))
            return None
        self._record(path, raw)
        import openpyxl  # only when a workbook is read

        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException, ...
            self.problems.append(
                Problem(shown, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})")
            )
            return None
        try:
            sheets = wb.worksheets
            ws = sheets[0] if len(sheets) == 1 else _pick_sheet(sheets, columns, optional)
            if ws is None:
                self.problems.append(
                    Problem(
                        shown,
                        "no sheet has the expected header row (with "
                        f"columns like {', '.join(columns)}; the sheets are: "
                        f"{', '.join(repr(s.title) for s in sheets)})",
                    )
                )
                return None
            if len(sheets) > 1:
                shown = f"{shown}[{ws.title}]"
            header: list[str] | None = None
            header_line = 1
            rows: list[tuple[int, list[Cell]]] = []
            for line, cells in _sheet_rows(ws):
                if header is None:
                    header, header_line = ["" if c is None else str(c).strip() for c in cells], line
                else:
                    rows.append((line, cells))
        finally:
            wb.close()
        return self._finish(shown, header, header_line, rows, decimal_comma=False)

    def _finish(
        self,
        shown: str,
        header: list[str] | None,
        header_line: int,
        rows: list[tuple[int, list[Cell]]],
        decimal_comma: bool,
    ) -> Table | None:
        if header is None:
            self.problems.append(Problem(shown, "is empty (expected a header row)"))
            return None
        while header and header[-1] == "":
            header.pop()
        table = Table(shown, header, [], decimal_comma, header_line=header_line)
        seen: set[str] = set()
        for i, name in enumerate(header):
            if name == "":
                self.problems.append(table.problem(header_line, f"#{i + 1}", "column has no name"))
            elif name in seen:
                self.problems.append(table.problem(header_line, name, "column appears twice"))
            seen.add(name)
        n = len(header)
        if all(len(cells) <= n for _, cells in rows):
            table.rows = rows
            return table
        for line, cells in rows:
            if any(c not in (None, "") and str(c).strip() for c in cells[n:]):
                self.problems.append(
                    table.problem(line, None, f"row has {len(cells)} cells (expected {n}, as in the header)")
                )
                table.broken.append((line, cells))
                continue
            table.rows.append((line, cells[:n]))
        return table


def key_name(loc: KeyPath) -> str | None:
    """``('goals', 3, 'parent')`` -> ``'goals.parent'``: list positions are left out, the line says which."""
    names = [str(p) for p in loc if not isinstance(p, int) and p != "[key]"]
    return ".".join(names) if names else None


def _collect_lines(node: yaml.Node, loc: KeyPath, lines: dict[KeyPath, int]) -> list[tuple[KeyPath, int]]:
    """Record the line of every key path below ``node``; return duplicate keys with their lines."""
    lines.setdefault(loc, node.start_mark.line + 1)
    dupes: list[tuple[KeyPath, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            sub = loc + (name,)
            if name in seen:
                dupes.append((sub, key.start_mark.line + 1))
            seen.add(name)
            lines[sub] = key.start_mark.line + 1
            dupes += _collect_lines(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            dupes += _collect_lines(item, loc + (i,), lines)
    return dupes


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, by which occurs most often (outside quotes) in the header line."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _sheet_rows(ws: Any) -> Iterator[tuple[int, list[Cell]]]:
    """The rows of a worksheet that are not blank, with their line numbers."""
    for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells: list[Cell] = [_xlsx_cell(v) for v in values]
        if not all(c is None or c == "" for c in cells):
            yield line, cells


def _pick_sheet(sheets: list[Any], columns: Collection[str], optional: bool = False) -> Any | None:
    """The sheet that holds the table: the first whose header has the most of ``columns``; else the
    only one with a table (two named columns, a row below), or the first such when the ``columns``
    are ``optional``; else the first sheet when no ``columns`` are expected, ``None`` (no usable
    sheet) when they are."""
    best, most, tables = None, 0, []
    for ws in sheets:
        rows = itertools.islice(_sheet_rows(ws), 2)
        first = next(rows, None)
        if first is None:
            continue
        names = {str(c).strip() for c in first[1] if c is not None and str(c).strip()}
        found = len(names.intersection(columns))
        if found > most:
            best, most = ws, found
        if len(names) >= 2 and next(rows, None) is not None:
            tables.append(ws)
    if best is not None:
        return best
    if len(tables) == 1 or (tables and optional):
        return tables[0]
    return None if columns else sheets[0]


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value).strip()


def as_mapping(data: Any) -> Mapping[str, Any] | None:
    return data if isinstance(data, Mapping) else None
