"""The value of one table cell: what the text in a CSV or XLSX cell means as a number, a yes/no or a
list of ids.

Stakeholders write these files in Excel, in German and in English, so a cell may hold ``1,5`` (a
German decimal comma, in the semicolon files Excel writes here), ``1.234,5``, ``Ja`` or ``x`` for
true, or ``a; b|c`` for a list. The parsers accept these spellings and raise ``ValueError`` with a
reason fit for a user; the loader adds the file, line and column. A new spelling goes here.

A dot means a decimal point in an English file and a thousands separator in a German one (``9.000``
is nine thousand as a German Excel writes it). Which a file is, :func:`number_dots` decides from all
its numeric cells (decimal commas: German; a dot with other than three digits after it: English);
a cell like ``9.000`` in a file that settles neither is refused with both readings, never guessed.

Every number the engine reads (a cell here, a key of case.yaml or of a submission) is 0 or has a
magnitude from :data:`MIN_MAGNITUDE` to :data:`MAX_MAGNITUDE` (1e-15 .. 1e15): within that range
every sum, square, ratio and product the methods take of a million such numbers stays a finite
float, so no normalisation overflows to inf, divides by a number rounded to 0 or turns a criterion
into NaN. Up to 1e15 a double still holds every whole number exactly; below 1e-15 a value is rounding
noise next to 1 (Excel writes ``-2.77556E-17`` for ``=0.3-0.1-0.2``).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from typing import Literal

__all__ = [
    "Cell",
    "Dots",
    "MAX_MAGNITUDE",
    "MIN_MAGNITUDE",
    "NUMBER_RANGE",
    "magnitude_problem",
    "out_of_range",
    "shown_number",
    "underflows",
    "number_dots",
    "parse_number",
    "parse_number_column",
    "two_readings",
    "ungrouped",
    "parse_bool",
    "parse_list",
]

MAX_MAGNITUDE = 1e15
"""The largest magnitude of a number the engine accepts."""
MIN_MAGNITUDE = 1e-15
"""The smallest magnitude of a number other than 0 the engine accepts."""
NUMBER_RANGE = "0 or a magnitude from 1e-15 to 1e15"
"""The accepted range, as messages state it."""

Cell = str | int | float | bool | None
"""A cell as read: text from a CSV; from an XLSX, numbers and booleans as such, anything else as text,
None when empty."""

_TRUE = {"true", "yes", "ja", "wahr", "x", "1", "y", "j"}
_FALSE = {"false", "no", "nein", "falsch", "0", "n", ""}
_LIST_SPLIT = re.compile(r"[;|]")
_LIST_SPLIT_SEMICOLON_FILE = re.compile(r"[;|,]")
_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")  # 9.000, 1.234.567: no comma, no leading 0
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")  # 9.000, 1.500: a decimal point or thousands
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d*),\d+([eE][+-]?\d+)?$")

Dots = Literal["decimal", "thousands", "unsettled"]
"""What a dot in a file's numbers means: a decimal point (an English file), a thousands separator
(a German one: decimal commas), or not settled by the file (only ``9.000``-like cells, refused)."""
_MANTISSA_NONZERO = re.compile(r"^[^eE]*[1-9]")
_COMMA_AS_POINT = operator.methodcaller("replace", ",", ".")


def magnitude_problem(value: float | int) -> str | None:
    """Why a number is outside the range the engine computes with (see the module), or None.

    >>> magnitude_problem(1e308), magnitude_problem(0.0), magnitude_problem(-3e-9)
    ('is too large (expected 0 or a magnitude from 1e-15 to 1e15)', None, None)
    >>> magnitude_problem(1e-320)
    'is too close to 0 (expected 0 or a magnitude from 1e-15 to 1e15)'
    """
    size = abs(value)
    if size != size or size > MAX_MAGNITUDE:  # NaN, inf or too large (an int of any length too)
        return f"is too large (expected {NUMBER_RANGE})" if size == size else "is not a number"
    if 0 < size < MIN_MAGNITUDE:
        return f"is too close to 0 (expected {NUMBER_RANGE})"
    return None


def underflows(text: str) -> bool:
    """Whether ``text`` writes a number other than 0 that a float rounds to 0 (``1e-400``): it is
    too close to 0, not 0.

    >>> underflows("1e-400"), underflows("0.000"), underflows("0e5")
    (True, False, False)
    """
    return float(text) == 0 and _MANTISSA_NONZERO.match(text.strip()) is not None


def out_of_range(
    data: object, loc: tuple = (), skip: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple, str]]:
    """``(key path, reason)`` for every number in parsed data (mappings, lists, numbers) outside
    the engine's range; keys in ``skip`` are not looked into.

    >>> list(out_of_range({"a": [1, 1e300], "seed": 10**20}, skip=frozenset({"seed"})))
    [(('a', 1), '1e+300 is too large (expected 0 or a magnitude from 1e-15 to 1e15)')]
    """
    if isinstance(data, bool):
        return
    if isinstance(data, (int, float)):
        reason = magnitude_problem(data)
        if reason is not None:
            yield loc, f"{shown_number(data)} {reason}"
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from out_of_range(value, loc + (key,), skip)
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            yield from out_of_range(value, loc + (i,), skip)


def shown_number(value: object) -> str:
    """A number as a message quotes it: its text, but never thousands of digits."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for text
        return "a number of thousands of digits"
    return text if len(text) <= 24 else f"{text[:12]}... ({len(text)} characters)"


def parse_number(cell: Cell, decimal_comma: bool = False, dots: Dots = "decimal") -> float:
    """A finite number within the engine's range (see the module) from a cell, reading German
    decimal commas in semicolon files (``decimal_comma``) and dots as ``dots`` says (the file's
    convention, from :func:`number_dots`).

    Raises ``ValueError`` with a reason fit for a user.

    >>> parse_number("1,5", decimal_comma=True), parse_number("1.234,5", decimal_comma=True)
    (1.5, 1234.5)
    >>> parse_number("9.000", True, "thousands"), parse_number("9.000"), parse_number("-3e2")
    (9000.0, 9.0, -300.0)
    """
    if type(cell) is str and (dots == "decimal" or "." not in cell):  # fast path: plain numbers
        try:
            value = float(cell)
        except ValueError:
            pass
        else:
            if MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE or (value == 0 and not underflows(cell)):
                return value  # finite, in range
    like = "1,5" if decimal_comma else "1.5"
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number (expected a number like {like})")
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        text = _spelled(cell or "")
        if text == "":
            raise ValueError(f"is empty (expected a number like {like})")
        if dots != "decimal" and _GROUPED.match(text):
            if dots == "thousands":
                text = text.replace(".", "")
            elif (reason := two_readings(cell, decimal_comma)) is not None:
                raise ValueError(reason)
        if decimal_comma and "," in text:
            text = text.replace(".", "") if _GERMAN_THOUSANDS.match(text) or "." not in text else text
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{cell!r} is not a number (expected a number like {like})") from None
        if underflows(text):
            value = MIN_MAGNITUDE / 2  # reported as too close to 0 below
    if not math.isfinite(value):
        raise ValueError(f"{shown_number(cell)} is not a finite number (expected a number like {like})")
    reason = magnitude_problem(value)
    if reason is not None:
        raise ValueError(f"{shown_number(cell)} {reason}")
    return value


def parse_number_column(
    cells: Sequence[Cell], decimal_comma: bool = False, dots: Dots = "decimal"
) -> list[float] | None:
    """Every cell of a column as :func:`parse_number` reads it, at once: the whole column goes
    through ``float`` and one range check. ``None`` when any cell needs :func:`parse_number` itself
    (a problem to locate, a workbook's cell, or a spelling only it reads, like ``1.234,5``); the
    caller then reads that column cell by cell, so that problems are found and worded as there.

    A value given here is the one :func:`parse_number` gives: in a file whose dots are decimal
    points, or a column without dots, a cell ``float`` reads is the number it reads, and in a
    semicolon file ``float`` of the cell with its comma as a point is what it reads from a decimal
    comma (a cell ``float`` rejects, such as ``1 234,5``, sends the column back).

    >>> parse_number_column(["1,5", " 2", "0"], decimal_comma=True, dots="thousands")
    [1.5, 2.0, 0.0]
    >>> parse_number_column(["1.234,5"], True, "thousands") is None, parse_number_column(["1e300"])
    (True, None)
    """
    if not set(map(type, cells)) <= {str}:
        return None
    texts: Sequence[str] = cells  # type: ignore[assignment]
    if dots != "decimal" and "." in "".join(texts):
        return None
    if decimal_comma:
        texts = list(map(_COMMA_AS_POINT, texts))
    try:
        values = list(map(float, texts))
    except ValueError:
        return None
    sizes = list(map(abs, values))  # the loops are map(), min(), sum(): a column costs little
    total = sum(sizes)  # NaN when a cell is (then max() could miss it)
    if total != total or max(sizes, default=0.0) > MAX_MAGNITUDE:
        return None
    if min(filter(None, sizes), default=MIN_MAGNITUDE) < MIN_MAGNITUDE:
        return None
    zeros = compress(texts, map(operator.not_, sizes))  # a 0 written with a digit 1-9: 1e-400
    if any(map(_MANTISSA_NONZERO.match, zeros)):  # underflows(), for cells that are 0 as floats
        return None
    return values


def _spelled(text: str) -> str:
    """A cell's text as a number is read: without spaces, with a Unicode minus as ``-``."""
    return text.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")


def number_dots(cells: Iterable[Cell], decimal_comma: bool) -> Dots:
    """What a dot means in a file whose numeric cells are ``cells`` (text cells count; numbers of
    a workbook are numbers already): a thousands separator where a decimal comma is allowed
    (``decimal_comma``, a semicolon file) and one is written (``1,5``, ``1.234,5``) or a number
    has several groups (``1.234.567``); else a decimal point where one number has a dot with
    other than three digits after it (``2.5``, ``0.500``, ``1.5e3``); else unsettled.

    >>> number_dots(["1,5", "9.000"], True), number_dots(["2.5", "9.000"], True)
    ('thousands', 'decimal')
    >>> number_dots(["12", "9.000"], True), number_dots(["1,5", "9.000"], False)
    ('unsettled', 'unsettled')
    """
    english = False
    for cell in cells:  # cheap tests first: a survey export has a million cells
        if type(cell) is not str:
            continue
        if decimal_comma and ("," in cell or cell.count(".") > 1):
            text = _spelled(cell)
            if _DECIMAL_COMMA.match(text) or (_GROUPED.match(text) and text.count(".") > 1):
                return "thousands"
        elif not english and "." in cell:
            english = _english(_spelled(cell))
            if english and not decimal_comma:
                break  # a German reading is not possible here: nothing can change the answer
    return "decimal" if english else "unsettled"


def _english(text: str) -> bool:
    """Whether a number's dot can only be a decimal point: other than three digits after it."""
    if _GROUPED.match(text):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def two_readings(cell: Cell, decimal_comma: bool) -> str | None:
    """Why a cell like ``9.000`` cannot be read in a file that does not settle what its dots mean:
    both readings and what to write instead; ``None`` for any other cell.

    >>> two_readings("1.500", True)
    "'1.500' can be read two ways: 1500 (a thousands separator) or 1.5 (a decimal point), and the \
file's other numbers do not settle which (write 1500 or 1,5)"
    """
    if type(cell) is not str or not _AMBIGUOUS.match(text := _spelled(cell)):
        return None
    whole, point = text.replace(".", ""), f"{float(text):.15g}"
    written = point.replace(".", ",") if decimal_comma else point
    if _AMBIGUOUS.match(written):  # 12.345 is ambiguous too: 12.3450 is not
        written += "0"
    return (
        f"{cell!r} can be read two ways: {whole} (a thousands separator) or {point} (a decimal point), "
        f"and the file's other numbers do not settle which (write {whole} or {written})"
    )


def ungrouped(cell: Cell) -> Cell:
    """A cell of a German file (see :func:`number_dots`) with the thousands dots of its number
    taken out (``1.234,5`` -> ``1234,5``, ``9.000`` -> ``9000``); any other cell as it is.

    >>> ungrouped("1.234,5"), ungrouped("9.000"), ungrouped("2.5"), ungrouped(7.0)
    ('1234,5', '9000', '2.5', 7.0)
    """
    if type(cell) is not str or "." not in cell:
        return cell
    text = _spelled(cell)
    if _GROUPED.match(text) or ("," in text and _GERMAN_THOUSANDS.match(text)):
        return text.replace(".", "")
    return cell


def parse_bool(cell: Cell) -> bool:
    """``true``/``false`` and the usual spellings (yes/no, ja/nein, 1/0, x); empty is false.

    >>> parse_bool("Ja"), parse_bool(""), parse_bool(1)
    (True, False, True)
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and cell in (0, 1):
        return bool(cell)
    text = "" if cell is None else str(cell).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{cell!r} is not true or false (expected true/false, yes/no or 1/0)")


def parse_list(cell: Cell, decimal_comma: bool = False) -> list[str]:
    """Ids in one cell, separated by ``;`` or ``|`` (or ``,`` in semicolon files).

    >>> parse_list("a; b|c")
    ['a', 'b', 'c']
    """
    if cell is None or isinstance(cell, (int, float)):
        return [] if cell is None else [str(cell)]
    if ";" not in cell and "|" not in cell and not (decimal_comma and "," in cell):  # one id, or none
        return [cell.strip()] if cell.strip() else []
    splitter = _LIST_SPLIT_SEMICOLON_FILE if decimal_comma else _LIST_SPLIT
    return [p.strip() for p in splitter.split(cell) if p.strip()]
