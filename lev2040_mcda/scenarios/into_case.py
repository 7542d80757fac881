"""CIB scenarios into the case: beside its own scenarios in memory (for the report and the
command line), or written into its ``scenarios.yaml`` (``lev2040 scenarios CASE --select K
--write``), where ``robust``, ``portfolio --scenario`` and the report find them unchanged.

The written scenarios go in one block at the end of the file, between two marker lines; the rest of
the file (the hand-written scenarios, their comments) stays byte for byte, and writing again
replaces the block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..case import Case, Reader, Scenario
from ..errors import InputError, Problem
from ..output import write_atomic

__all__ = ["BEGIN", "END", "with_scenarios", "scenarios_text", "write_scenarios"]

BEGIN = "# --- CIB scenarios: written by `lev2040 scenarios --write`; writing again replaces this block ---"
END = "# --- end of the CIB scenarios ---"


def checked(entries: list[dict[str, Any]]) -> list[Scenario]:
    """``entries`` as case scenarios; an id the case could not read back (from ``--prefix``) is
    one line."""
    from pydantic import ValidationError

    out = []
    for e in entries:
        try:
            out.append(Scenario.model_validate(e))
        except ValidationError as exc:
            reason = exc.errors()[0].get("msg", str(exc)).removeprefix("Value error, ")
            raise InputError(Problem("--prefix", f"scenario {e.get('id')!r}: {reason}")) from None
    return out


def with_scenarios(case: Case, entries: list[dict[str, Any]]) -> Case:
    """``case`` with ``entries`` (scenarios.yaml entries, as :func:`to_case_scenarios` makes them)
    as scenarios too, replacing any of the same id."""
    new = checked(entries)
    ids = {s.id for s in new}
    return case.model_copy(update={"scenarios": (*(s for s in case.scenarios if s.id not in ids), *new)})


def scenarios_text(old: str | None, entries: list[dict[str, Any]], shown: str = "scenarios.yaml") -> str:
    """The text of scenarios.yaml with ``entries`` in the generated block (``old``: the file as it
    is, None when there is none). Refuses, naming the file, when the old text's scenarios are not
    a top-level list the block can extend (the result is checked by reading it back)."""
    kept = _without_block(old or "", shown)
    data = _load(kept, shown)
    hand = list(data.get("scenarios") or [])
    if "scenarios" not in data:
        kept = kept.rstrip("\n") + ("\n" if kept.strip() else "") + "scenarios:\n"
    indent = _item_indent(kept)
    body = yaml.dump(entries, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=100)
    block = "\n".join(indent + line if line else line for line in body.rstrip("\n").split("\n"))
    text = f"{kept.rstrip(chr(10))}\n{BEGIN}\n{block}\n{END}\n"
    try:
        back = yaml.safe_load(text)
    except yaml.YAMLError:
        back = None
    if not isinstance(back, dict) or back.get("scenarios") != [*hand, *entries]:
        raise InputError(
            Problem(
                shown,
                "cannot add the CIB scenarios to this file's 'scenarios' list (it must be the last "
                "top-level key, written as a block list); add them by hand from "
                "`lev2040 scenarios --select K --format json`",
            )
        )
    return text


def write_scenarios(case: Case, entries: list[dict[str, Any]]) -> Path:
    """Write ``entries`` into the case's scenarios.yaml (atomically) and return its path."""
    path = Path(case.root) / "scenarios.yaml"
    old = None
    if path.exists():
        reader = Reader(base=Path(case.root))
        got = reader.text(path)
        if got is None:
            raise InputError(reader.problems[0])
        old = got[1]
    checked(entries)
    clash = sorted({e["id"] for e in entries} & _hand_ids(old, str(path)))
    if clash:
        raise InputError(
            Problem(
                str(path), f"scenario ids {', '.join(clash)} are hand-written here; choose another --prefix"
            )
        )
    write_atomic(path, scenarios_text(old, entries, str(path)), update=True)
    return path


class _Plain(yaml.SafeDumper):
    """Writes a list shared by two entries twice, never as an anchor and alias (the case's reader
    bounds aliases, and a person reads the file)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _without_block(text: str, shown: str) -> str:
    """``text`` without the generated block; a block whose markers are not one BEGIN line and one
    END line after it (edited by hand) is refused, so nothing after it is ever lost."""
    lines = text.splitlines(keepends=True)
    begins = [k for k, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN]
    ends = [k for k, line in enumerate(lines) if line.rstrip("\r\n") == END]
    if not begins and not ends:
        return text
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise InputError(
            Problem(
                shown,
                "the marker lines of the CIB scenarios block are not one begin line and one end line "
                "after it; mend them (or remove the block) before writing again",
                row=(begins or ends)[0] + 1,
            )
        )
    head, tail = lines[: begins[0]], lines[ends[0] + 1 :]
    return "".join(head) + ("".join(tail) if "".join(tail).strip() else "")


def _load(text: str, shown: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        raise InputError(
            Problem(shown, "is not valid YAML; fix it before writing scenarios into it")
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("scenarios") or [], list):
        raise InputError(Problem(shown, "has no 'scenarios' list to add to"))
    return data


def _hand_ids(text: str | None, shown: str) -> set[str]:
    data = _load(_without_block(text or "", shown), shown)
    return {s.get("id") for s in data.get("scenarios") or [] if isinstance(s, dict)}


def _item_indent(text: str) -> str:
    """The indentation of the list's items in ``text`` (two spaces when it has none yet)."""
    after = text.split("scenarios:", 1)[-1]
    for line in after.splitlines():
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return line[: len(line) - len(stripped)]
    return "  "
