"""Every hostile kind of file in every place a case reads one: the classes of issue 13, swept.

Each input slot of cases/tiny (case.yaml, the criteria catalogue, goals, scenarios, measures,
interactions, a stakeholder submission of each format, and a file given to `rank --weights`)
receives each hostile content that fits its format: a FIFO, a symlink to /dev/zero or
/dev/urandom, a folder, bytes that are not UTF-8, a NUL byte, a file over the size limit, YAML
aliases that expand exponentially, nesting thousands deep, a lone surrogate, a duplicate key, digits
beyond Python's int limit, the content of /etc/passwd, a CSV field over the csv module's limit,
corrupt or hostile workbooks.

The outcome is the contract of DESIGN.md "Bad input": a file of the case itself fails ``validate``
with exit 2 and a line that names it; a bad submission is rejected, listed by ``weights`` with its
name, and the other submissions' weights are exactly those without it. Never a traceback, an
internal error, a warning on stderr, a hang (each run has a few seconds) or a memory blow-up (the
whole batch runs under an address-space limit). The exact messages are asserted by the
tests of each class (tests/test_hostile_reads.py, test_hostile_values.py, test_hostile_outputs.py).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from .hostile import assert_clean_stderr
from .hostile_batch import PER_RUN_LIMIT, run_batch

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "cases" / "tiny"

PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
SIZE_LIMIT_MB = 1  # the child runs with this limit, so that an oversize file stays small here

Make = Callable[[Path], None]


def _text(content: str | bytes) -> Make:
    def make(path: Path) -> None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Make:
    return lambda path: path.symlink_to(target)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("x", encoding="utf-8")


def _oversize(path: Path) -> None:
    line = "# padding\n" if path.suffix in (".yaml", ".yml", ".csv") else " "
    path.write_text(line * ((SIZE_LIMIT_MB << 20) // len(line) + 10), encoding="utf-8")


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

GENERIC: dict[str, Make] = {
    "fifo": _fifo,
    "dev-zero": _link("/dev/zero"),
    "dev-urandom": _link("/dev/urandom"),
    "folder": _folder,
    "not-utf8": _text(b"id,name\n\xff\xfe\x00garbage\x81\n"),
    "nul-byte": _text("name: x\x00y\n"),
    "oversize": _oversize,
    "empty": _text(b""),
}

DOCUMENT: dict[str, Make] = {
    "billion-laughs": _text(LAUGHS),
    "deep-flow": _text("[" * 20000 + "]" * 20000 + "\n"),
    "deep-block": _text("".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v\n"),
    "surrogate": _text('name: "\\ud800"\ncriteria: "\\udfff"\n'),
    "surrogate-key": _text('"\\ud800x": 1\n'),
    "duplicate-key": _text("name: a\nname: b\n"),
    "long-int": _text("name: " + "9" * 5000 + "\n"),
    "passwd": _text(PASSWD),
    "python-tag": _text("name: !!python/object/apply:os.system ['true']\n"),
    "binary-tag": _text("name: !!binary '%%%not base64'\n"),
    "long-path": _text("name: x\ncriteria: " + "x" * 5000 + "\n"),
    "nul-path": _text('name: x\ncriteria: "a\\0b"\n'),
}

JSON: dict[str, Make] = {
    "deep": _text("[" * 100000 + "]" * 100000),
    "surrogate": _text('{"method": "direct", "weights": {"\\ud800": 1}}'),
    "nan": _text('{"method": "direct", "weights": {"price": NaN, "quality": Infinity}}'),
    "long-int": _text('{"method": "direct", "weights": {"price": ' + "9" * 5000 + "}}"),
    "duplicate-key": _text('{"method": "direct", "method": "points", "weights": {"price": 1}}'),
    "passwd": _text(PASSWD),
}

TABLE: dict[str, Make] = {
    "huge-field": _text("id,name\n" + "a," + "x" * 200_000 + "\n"),
    "many-columns": _text(",".join(f"c{i}" for i in range(50_000)) + "\n" + "1," * 49_999 + "1\n"),
    "open-quote": _text('id,name\na,"never closed\nb,B\n'),
    "passwd": _text(PASSWD),
    "long-int": _text("id,name,price\na,A," + "9" * 5000 + "\n"),
}


def _workbook(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(raw: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == member else data)
    return out.getvalue()


_SHEET = "xl/worksheets/sheet1.xml"
_ROWS = [["id", "name", "price"], ["a", "A", 1]]


def _xlsx(edit: Callable[[bytes], bytes]) -> Make:
    return _text(_rezip(_workbook(_ROWS), _SHEET, edit))


def _far_corner(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "id"
    wb.active["XFD1048576"] = 1
    wb.save(path)


def _zip_bomb(path: Path) -> None:
    pad = b"<!-- " + b" " * (200 << 20) + b" -->"  # 200 MB of spaces, a few hundred KB zipped
    path.write_bytes(
        _rezip(_workbook(_ROWS), _SHEET, lambda data: data.replace(b"<sheetData>", pad + b"<sheetData>"))
    )


ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
    + b"]>"
)

WORKBOOK: dict[str, Make] = {
    "not-a-zip": _text(b"PK\x03\x04 this is no zip archive"),
    "corrupt-sheet-xml": _xlsx(lambda data: data[: len(data) // 2]),
    "xml-entity": _xlsx(lambda data: ENTITY + data.replace(b"<t>A</t>", b"<t>&i;</t>", 1)),
    "far-corner": _far_corner,
    "zip-bomb": _zip_bomb,
}

# slot -> (file, contents that fit it, how it is read: a file of the case, a submission in
# weights/, or a file given with `rank --weights FILE`)
SLOTS: dict[str, tuple[str, dict[str, Make], str]] = {
    "case": ("case.yaml", {**GENERIC, **DOCUMENT}, "case"),
    "criteria": ("criteria.yaml", {**GENERIC, **DOCUMENT}, "case"),
    "goals": ("goals.yaml", {**GENERIC, **DOCUMENT}, "case"),
    "scenarios": ("scenarios.yaml", {**GENERIC, **DOCUMENT}, "case"),
    "measures": ("measures.csv", {**GENERIC, **TABLE}, "case"),
    "measures-xlsx": ("measures.xlsx", {**GENERIC, **WORKBOOK}, "case"),
    "interactions": ("interactions.csv", {**GENERIC, **TABLE}, "case"),
    "sub-yaml": ("weights/zz_bad.yaml", {**GENERIC, **DOCUMENT}, "submission"),
    "sub-json": ("weights/zz_bad.json", {**GENERIC, **JSON}, "submission"),
    "sub-csv": ("weights/zz_bad.csv", {**GENERIC, **TABLE}, "submission"),
    "sub-xlsx": ("weights/zz_bad.xlsx", {**GENERIC, **WORKBOOK}, "submission"),
    "option-yaml": ("given.yaml", {**GENERIC, **DOCUMENT}, "option"),
    "option-json": ("given.json", {**GENERIC, **JSON}, "option"),
    "option-csv": ("given.csv", {**GENERIC, **TABLE}, "option"),
    "option-xlsx": ("given.xlsx", {**GENERIC, **WORKBOOK}, "option"),
}
ARGS = {
    "case": ["validate", "."],
    "submission": ["weights", ".", "--format", "json"],
    "option": ["rank", ".", "--weights"],
}

CASES = [(slot, kind) for slot, (_, contents, _) in SLOTS.items() for kind in contents]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Every (slot, content) run once, in one limited child process."""
    tmp = tmp_path_factory.mktemp("hostile")
    base = tmp / "base"
    shutil.copytree(TINY, base)
    runs = [{"id": "baseline", "args": ["weights", ".", "--format", "json"], "cwd": str(base)}]
    for slot, kind in CASES:
        name, contents, mode = SLOTS[slot]
        case = tmp / f"{slot}--{kind}"
        shutil.copytree(TINY, case)
        target = case / name
        if name == "measures.xlsx":
            (case / "measures.csv").unlink()
        elif mode == "case":
            target.unlink()
        contents[kind](target)
        args = ARGS[mode] + ([name] if mode == "option" else [])
        runs.append({"id": f"{slot}--{kind}", "args": args, "cwd": str(case)})
    env_limit = os.environ.get("LEV2040_MAX_FILE_MB")
    os.environ["LEV2040_MAX_FILE_MB"] = str(SIZE_LIMIT_MB)
    try:
        return run_batch(runs, tmp)
    finally:
        if env_limit is None:
            os.environ.pop("LEV2040_MAX_FILE_MB", None)
        else:
            os.environ["LEV2040_MAX_FILE_MB"] = env_limit


@pytest.mark.parametrize(("slot", "kind"), CASES, ids=[f"{s}--{k}" for s, k in CASES])
def test_hostile_file_gives_a_located_line_or_a_rejection(outcomes, slot, kind):
    run = outcomes[f"{slot}--{kind}"]
    name, _, mode = SLOTS[slot]
    assert not run["timed_out"], f"no answer within {PER_RUN_LIMIT} s"
    assert_clean_stderr(type("R", (), {"stderr": run["stderr"]})())
    assert "root:x:0:0" not in run["stderr"] + run["stdout"], "the content of a foreign file is echoed"
    if mode == "submission":
        assert run["code"] == 0, run["stderr"]
        got, baseline = json.loads(run["stdout"]), json.loads(outcomes["baseline"]["stdout"])
        if kind != "folder":  # a folder in weights/ is not a submission: left alone
            assert any(r.startswith(name) for r in got["rejections"]), got["rejections"]
        assert got["weights"] == baseline["weights"], "a rejected submission moved the weights"
    else:  # a file given on the command line, or the catalogue case.yaml points to, may be named
        # by the line of the option or the key that gives it
        assert run["code"] == 2, run["stderr"] + run["stdout"]
        lines = run["stderr"].splitlines()
        by_reference = mode == "option" or slot == "criteria"
        assert any(ln.startswith(name) or (by_reference and name in ln) for ln in lines), run["stderr"]
