"""Every label, heading and explanation of the report, in German and English: the loader of the
catalogues ``locales/de.yaml`` and ``locales/en.yaml``.

The texts are data, so that a translator edits a YAML file and never reads Python. Both catalogues
have the same keys; values may hold ``str.format`` fields (``{method}``), the same fields in both
languages. The loader checks that once, on first use, and reports every broken entry together.
Input text (goal titles, measure names) is never translated: it is shown as the case wrote it.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import InputErrors, Problem

if TYPE_CHECKING:
    from ..case import Document

__all__ = ["LANGUAGES", "TEXTS", "texts"]

LANGUAGES = ("de", "en")

_LOCALES = Path(__file__).with_name("locales")
"""The folder of the catalogues, one ``<lang>.yaml`` per language of :data:`LANGUAGES`."""


def texts(lang: str) -> Mapping[str, str]:
    """The labels of ``lang`` (``de`` or ``en``).

    Raises
    ------
    ValueError
        For a language that is not one of :data:`LANGUAGES`.
    InputErrors
        When a catalogue is broken (see :func:`_read_catalogues`).

    Examples
    --------
    >>> texts("de")["contents"], texts("en")["contents"]
    ('Inhalt', 'Contents')
    """
    try:
        return TEXTS[lang]
    except KeyError:
        raise ValueError(
            f"unknown report language {lang!r} (expected one of {', '.join(LANGUAGES)})"
        ) from None


class _Catalogues(Mapping[str, dict[str, str]]):
    """:data:`TEXTS`: each language -> its texts (key -> text), read on the first look-up.

    Reading on first use, not on import, keeps importing the report free of file reads; the
    catalogues are read once per process (:func:`_catalogues` is cached), so the texts are
    shared: read them, do not change them.

    >>> TEXTS["en"]["rank"], list(TEXTS)
    ('Rank', ['de', 'en'])
    """

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return _catalogues()[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __repr__(self) -> str:
        return f"<the report's texts in {', '.join(LANGUAGES)}>"


TEXTS: Mapping[str, dict[str, str]] = _Catalogues()


@cache
def _catalogues() -> dict[str, dict[str, str]]:
    return _read_catalogues(_LOCALES)


def _read_catalogues(folder: Path, languages: tuple[str, ...] = LANGUAGES) -> dict[str, dict[str, str]]:
    """Read and check ``<lang>.yaml`` in ``folder`` for each of ``languages``.

    Each file maps keys to texts; every file has the same keys, and each text the same
    ``{fields}`` in every language, because the report fills them in by name. ``folder`` is a
    parameter so that tests can point it at broken copies; the report reads the package's own
    catalogues through :func:`texts`. The files are read as the case's YAML files are (a safe
    loader; UTF-8; the line of every key; a key given twice is a problem, not silently the last).

    Raises
    ------
    InputErrors
        Every problem of every file, one line each (``FILE:LINE: key 'x': what is wrong``): a file
        that is missing or not YAML, a key or value that YAML reads as something other than text
        (``yes``, ``no``, numbers), a key given twice or missing in one language, a lone brace,
        different fields.
    """
    from ..case import Reader

    reader = Reader()
    found: dict[str, dict[str, object]] = {}
    docs = {}
    for lang in languages:
        doc = reader.document(folder / f"{lang}.yaml")
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            reader.problems.append(
                Problem(doc.shown, f'must hold key: "text" entries, not {_kind(doc.data)}')
            )
            continue
        docs[lang], found[lang] = doc, {}
        for key, value in doc.data.items():
            name = key if isinstance(key, str) else _written(doc, key)
            if name is not key:  # reported here, and not again as missing
                reason = f"is read as {_kind(key)}, not as text (put the key in double quotes)"
                reader.problems.append(doc.problem((name,), reason))
            found[lang][name] = value
            if not isinstance(value, str):
                reason = f"expected a text, got {_kind(value)} (put the text in double quotes)"
                reader.problems.append(doc.problem((name,), reason))
    problems = reader.problems + _compare(found, docs)
    if problems:
        raise InputErrors(problems)
    return cast("dict[str, dict[str, str]]", found)  # every value is a text: checked above


def _written(doc: Document, key: object) -> str:
    """How a key that YAML did not read as text (``yes`` -> ``True``) is written in the file."""
    import yaml

    texts_ = {k for k in doc.data if isinstance(k, str)}
    written = [p[0] for p in doc.lines if len(p) == 1 and p[0] not in texts_]
    return next((w for w in written if yaml.safe_load(f"[{w}]") == [key]), str(key))


def _compare(found: dict[str, dict[str, object]], docs: dict[str, Document]) -> list[Problem]:
    """The keys a language lacks that another has, and the texts whose fields differ."""
    problems = []
    shown = {lang: doc.shown for lang, doc in docs.items()}
    every = {key: None for texts_ in found.values() for key in texts_}
    for lang, texts_ in found.items():
        for key in every.keys() - texts_.keys():
            where = ", ".join(shown[other] for other in found if key in found[other])
            problems.append(Problem(shown[lang], f"is missing (it is in {where})", None, key, "key"))
    for key in every:
        fields = {}
        for lang, texts_ in found.items():
            if isinstance(texts_.get(key), str):
                fields[lang] = _fields(texts_[key])
                if fields[lang] is None:
                    problems.append(
                        docs[lang].problem((key,), "has a lone { or } (a field is written {name})")
                    )
        for lang, mine in fields.items():
            differ = [f"{_show(f)} in {shown[o]}" for o, f in fields.items() if f not in (None, mine)]
            if mine is not None and differ:
                reason = f"uses the fields {_show(mine)}, but {'; '.join(differ)} (they must be the same)"
                problems.append(docs[lang].problem((key,), reason))
    return problems


def _fields(text: str) -> frozenset[str] | None:
    """The names of the ``str.format`` fields in ``text``; ``None`` when a brace is unmatched.

    >>> sorted(_fields("{n} of {total}")), _fields("no fields"), _fields("a { lone brace")
    (['n', 'total'], frozenset(), None)
    """
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError:
        return None


def _show(fields: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(fields)) or "no field"


def _kind(value: object) -> str:
    """What YAML made of a bare value, in a translator's words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a nested mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"
