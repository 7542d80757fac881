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
import json
import os
import re
import stat
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, display_path
from .cells import Cell
from .limits import (
    CONTROL_CHARS,
    ENV_MAX_FILE_MB,
    MAX_DEPTH,
    UNUSABLE,
    KeyPath,
    LimitExceeded,
    Limits,
    SafeLoader,
    SheetError,
    control_reason,
    error_text,
    sheet_table,
    value_reason,
    walk_yaml,
    workbook_problem,
)
from .validation import Kind, control_cell, failing_value, json_problems, open_reason

__all__ = ["Reader", "Document", "Table", "Kind"]


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
    problem found so far. Methods return ``None`` when a file cannot be read at all. Every read is
    bounded (:mod:`.limits`): regular files only, at most ``limits.max_bytes`` each.
    """

    def __init__(self, base: Path | None = None, limits: Limits | None = None):
        self.base = base
        self.limits = limits if limits is not None else Limits.from_env()
        self.inputs: dict[str, str] = {}
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        """The path as error messages show it (relative to the working directory)."""
        return display_path(path, None)

    def unreadable(self, path: Path) -> str | None:
        """Why ``path`` cannot be read as an input file (without reading it), or ``None``."""
        try:
            _regular(path, self.limits)
        except (OSError, ValueError, LimitExceeded) as exc:
            return open_reason(exc)
        return None

    def _record(self, path: Path, raw: bytes) -> None:
        key = os.path.relpath(path, self.base) if self.base is not None else self.shown(path)
        self.inputs[Path(key).as_posix()] = hashlib.sha256(raw).hexdigest()

    def raw(self, path: Path) -> tuple[str, bytes] | None:
        """The bytes of ``path`` as shown and read (bounded and hashed), or None with a problem."""
        shown = self.shown(path)
        try:
            raw = _read_bounded(path, self.limits)
        except (OSError, ValueError, LimitExceeded) as exc:
            self.problems.append(Problem(shown, open_reason(exc)))
            return None
        self._record(path, raw)
        return shown, raw

    def text(self, path: Path) -> tuple[str, str] | None:
        """The UTF-8 text of ``path`` as shown and read, or None with a located problem."""
        got = self.raw(path)
        if got is None:
            return None
        shown, raw = got
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(
                Problem(shown, f"byte {raw[exc.start]:#04x} is not UTF-8 (save the file as UTF-8)", row=line)
            )
            return None
        return shown, text

    # -- YAML / JSON --------------------------------------------------------------------------

    def document(self, path: Path, kind: Kind | None = None) -> Document | None:
        """Read a YAML (or JSON) file; JSON keys get their lines where the text allows.

        A key twice in one mapping and a lone surrogate are problems; a document that is not of
        the ``kind`` expected is one problem, and none of its keys or values is quoted.
        """
        got = self.text(path)
        if got is None:
            return None
        shown, text = got
        if not text.strip():
            self.problems.append(Problem(shown, "the file is empty"))
            return None
        parsed = self._json(shown, text) if path.suffix.lower() == ".json" else self._yaml(shown, text)
        if parsed is None:
            return None
        doc, found = parsed
        if kind is not None and not kind.holds(doc.data):
            self.problems.append(kind.problem(shown))
            return None
        self.problems += found
        if any(word in p.reason for p in found for word in UNUSABLE):
            return None  # a lone surrogate or a control character cannot be written: data not used
        return doc

    def _yaml(self, shown: str, text: str) -> tuple[Document, list[Problem]] | None:
        doc = Document(shown, None)
        try:
            loader = SafeLoader(text)
            try:
                node = loader.get_single_node()
                found = walk_yaml(node, doc.lines, "\\" in text) if node is not None else []
                doc.data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "cannot be parsed"
            self.problems.append(Problem(shown, f"YAML syntax error: {what}", row=line))
            return None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow: a control character
            line = text.count("\n", 0, exc.position) + 1
            reason = control_reason(exc.character) if isinstance(exc.character, int) else str(exc.reason)
            self.problems.append(Problem(shown, reason, row=line))
            return None
        except yaml.YAMLError as exc:
            self.problems.append(Problem(shown, f"YAML syntax error: {exc}"))
            return None
        except LimitExceeded as exc:
            self.problems.append(Problem(shown, exc.reason, row=exc.line))
            return None
        except RecursionError:  # the pure-Python composer, where libyaml is not built
            self.problems.append(Problem(shown, f"is nested more than {MAX_DEPTH} levels deep"))
            return None
        except Exception:  # a value YAML cannot build: 2024-13-45, an integer of 5,000 digits
            line, reason = failing_value(text)
            self.problems.append(Problem(shown, f"a value cannot be read ({reason})", row=line))
            return None
        return doc, [_located(shown, loc, line, reason) for loc, line, reason in found]

    def _json(self, shown: str, text: str) -> tuple[Document, list[Problem]] | None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self.problems.append(Problem(shown, f"JSON syntax error: {exc.msg}", row=exc.lineno))
            return None
        except RecursionError:
            self.problems.append(Problem(shown, f"is nested more than {MAX_DEPTH} levels deep"))
            return None
        except ValueError as exc:  # an integer of 5,000 digits
            self.problems.append(Problem(shown, f"a value cannot be read ({value_reason(exc)})"))
            return None
        doc = Document(shown, data)
        try:  # JSON is (nearly) YAML: borrow the YAML parser for the lines of the keys
            node = yaml.compose(text, Loader=SafeLoader)
            found = walk_yaml(node, doc.lines, "\\" in text) if node is not None else []
            return doc, [_located(shown, loc, line, reason) for loc, line, reason in found]
        except LimitExceeded as exc:
            self.problems.append(Problem(shown, exc.reason, row=exc.line))
            return None
        except (yaml.YAMLError, RecursionError):  # not YAML after all: check the data itself
            doc.lines.clear()
        try:
            found = json_problems(text, data)
        except LimitExceeded as exc:
            self.problems.append(Problem(shown, exc.reason))
            return None
        return doc, [_located(shown, loc, line, reason) for loc, line, reason in found]

    # -- CSV / XLSX ---------------------------------------------------------------------------

    def table(
        self,
        path: Path,
        columns: Collection[str] | None = None,
        optional: bool = False,
        kind: Kind | None = None,
    ) -> Table | None:
        """Read a CSV (comma or semicolon) or the sheet of an XLSX workbook that holds the table.

        ``columns`` are names the header is expected to have (``optional``: it may have none of
        them); of several sheets, the one whose header has them is read (see :func:`_pick_sheet`)
        and problems name it: ``weights/x.xlsx[Swing]:3: column 'co2': ...``. A header with none
        of the ``kind``'s names is one problem, and nothing of the file is quoted.
        """
        if path.suffix.lower() == ".xlsx":
            return self._xlsx(path, columns or (), optional, kind)
        got = self.text(path)
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
                if not "".join(cells).strip():  # a blank line (or only empty cells)
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
        if header is not None and any(c in text for c in CONTROL_CHARS):  # fast: a scan per char
            if (bad := control_cell(header, header_line, rows)) is not None:
                self.problems.append(Problem(shown, bad[2], row=bad[0], column=bad[1]))
                return None
        return self._finish(shown, header, header_line, rows, delimiter == ";", kind)

    def _xlsx(self, path: Path, columns: Collection[str], optional: bool, kind: Kind | None) -> Table | None:
        got = self.raw(path)
        if got is None:
            return None
        shown, raw = got
        reason = workbook_problem(raw, self.limits)
        if reason is not None:
            self.problems.append(Problem(shown, reason))
            return None
        import openpyxl  # only when a workbook is read

        with warnings.catch_warnings():  # openpyxl's notes on features it leaves out: not ours
            warnings.simplefilter("ignore")
            try:
                wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException, ...
                self.problems.append(Problem(shown, f"not a readable .xlsx workbook ({error_text(exc)})"))
                return None
            try:
                title, header, header_line, rows = sheet_table(
                    wb.worksheets, columns, optional, self.limits.max_cells
                )
            except Exception as exc:  # a SheetError names the sheet; else the list of sheets is broken
                what = (
                    exc.reason
                    if isinstance(exc, SheetError)
                    else f"not a readable .xlsx workbook ({error_text(exc)})"
                )
                self.problems.append(Problem(shown, what, row=getattr(exc, "line", None)))
                return None
            finally:
                wb.close()
        return self._finish(f"{shown}[{title}]" if title else shown, header, header_line, rows, False, kind)

    def _finish(
        self,
        shown: str,
        header: list[str] | None,
        header_line: int,
        rows: list[tuple[int, list[Cell]]],
        decimal_comma: bool,
        kind: Kind | None = None,
    ) -> Table | None:
        if header is None:
            self.problems.append(Problem(shown, "is empty (expected a header row)"))
            return None
        if kind is not None and not kind.names(header):
            self.problems.append(kind.problem(shown))
            return None
        while header and header[-1] == "":
            header.pop()
        n = len(header)
        if len(rows) * max(n, 1) > self.limits.max_cells:  # what padding the rows would make
            reason = f"has {len(rows):,} rows of {n:,} columns, more than the {self.limits.max_cells:,} cells"
            self.problems.append(
                Problem(shown, f"{reason} one table may have (it grows with {ENV_MAX_FILE_MB})")
            )
            return None
        table = Table(shown, header, [], decimal_comma, header_line=header_line)
        seen: set[str] = set()
        for i, name in enumerate(header):
            if name == "":
                self.problems.append(table.problem(header_line, f"#{i + 1}", "column has no name"))
            elif name in seen:
                self.problems.append(table.problem(header_line, name, "column appears twice"))
            seen.add(name)
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


# -- opening files ----------------------------------------------------------------------------

_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _regular(path: Path, limits: Limits, st: os.stat_result | None = None) -> os.stat_result:
    """``path``'s status, when it is a regular file within the size limit; else an exception."""
    st = os.stat(path) if st is None else st
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(st.st_mode):
        what = next((name for test, name in _KINDS if test(st.st_mode)), "a socket or other special file")
        raise LimitExceeded(f"is not a regular file ({what}; expected a file)")
    if st.st_size > limits.max_bytes:
        raise LimitExceeded(limits.too_large())
    return st


def _read_bounded(path: Path, limits: Limits) -> bytes:
    """The bytes of a regular file, at most ``limits.max_bytes``: checked before opening (a pipe
    is never opened, a device never read), and again on the open file, which is opened without
    blocking and read to at most one byte past the limit (a file may grow, /proc lies about size)."""
    _regular(path, limits)
    cap = limits.max_bytes
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = _regular(path, limits, os.fstat(fd))
        chunks, total, want = [], 0, min(st.st_size, cap) + 1
        while total <= cap:
            chunk = os.read(fd, max(want - total, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > cap:
        raise LimitExceeded(limits.too_large())
    return b"".join(chunks)


# -- what went wrong, in words ----------------------------------------------------------------


def _located(shown: str, loc: KeyPath, line: int | None, reason: str) -> Problem:
    return Problem(shown, reason, row=line, column=key_name(loc), kind="key")


def key_name(loc: KeyPath) -> str | None:
    """``('goals', 3, 'parent')`` -> ``'goals.parent'``: list positions are left out, the line says which."""
    names = [str(p) for p in loc if not isinstance(p, int) and p != "[key]"]
    return ".".join(names) if names else None


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, by which occurs most often (outside quotes) in the header line (the
    first line that is neither blank nor a ``#`` comment above it)."""
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","
