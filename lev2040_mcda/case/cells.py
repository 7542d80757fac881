"""The value of one table cell: what the text in a CSV or XLSX cell means as a number, a yes/no or a
list of ids.

Stakeholders write these files in Excel, in German and in English, so a cell may hold ``1,5`` (a
German decimal comma, in the semicolon files Excel writes here), ``1.234,5``, ``Ja`` or ``x`` for
true, or ``a; b|c`` for a list. The parsers accept these spellings and raise ``ValueError`` with a
reason fit for a user; the loader adds the file, line and column. A new spelling goes here.
"""

from __future__ import annotations

import math
import re

__all__ = ["Cell", "parse_number", "parse_bool", "parse_list"]

Cell = str | int | float | bool | None
"""A cell as read: text from a CSV; from an XLSX, numbers and booleans as such, anything else as text,
None when empty."""

_TRUE = {"true", "yes", "ja", "wahr", "x", "1", "y", "j"}
_FALSE = {"false", "no", "nein", "falsch", "0", "n", ""}
_LIST_SPLIT = re.compile(r"[;|]")
_LIST_SPLIT_SEMICOLON_FILE = re.compile(r"[;|,]")
_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(cell: Cell, decimal_comma: bool = False) -> float:
    """A finite number from a cell, reading German decimal commas in semicolon files.

    Raises ``ValueError`` with a reason fit for a user.

    >>> parse_number("1,5", decimal_comma=True), parse_number("1.234,5", decimal_comma=True)
    (1.5, 1234.5)
    >>> parse_number("-3e2")
    -300.0
    """
    if type(cell) is str:  # fast path: most cells are plain numbers
        try:
            value = float(cell)
        except ValueError:
            pass
        else:
            if value - value == 0:  # finite
                return value
    like = "1,5" if decimal_comma else "1.5"
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number (expected a number like {like})")
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        text = (cell or "").strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
        if text == "":
            raise ValueError(f"is empty (expected a number like {like})")
        if decimal_comma and "," in text:
            text = text.replace(".", "") if _GERMAN_THOUSANDS.match(text) or "." not in text else text
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{cell!r} is not a number (expected a number like {like})") from None
    if not math.isfinite(value):
        raise ValueError(f"{cell!r} is not a finite number (expected a number like {like})")
    return value


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
    splitter = _LIST_SPLIT_SEMICOLON_FILE if decimal_comma else _LIST_SPLIT
    return [p.strip() for p in splitter.split(cell) if p.strip()]
