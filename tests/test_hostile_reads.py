"""Hostile and broken input files, as they are read (issue 13: classes 1, 2 and 5, and keys given
twice): every read is bounded, every exception a file can cause is one located line, a bad
submission is rejected and left out alone, and nothing of a file outside the case is quoted.

Each test writes its hostile file, runs the CLI and asserts the exact outcome: exit 2 and the
located line, or exit 0 with that submission rejected (its line as ``lev2040 weights`` prints it)
and the other submissions' weights exactly those of the case without the bad file; and never a
traceback, internal error or warning on stderr. Whatever could hang or exhaust memory runs in a
child process under a time and an address-space limit (tests/hostile.py), all of them at once in
the module's fixture ``child``; the rest runs in-process.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from .hostile import Run, assert_clean_stderr, lev2040, smallest_case

OTHER = "method: direct\nweights: {quality: 1, price: 3}\n"  # a second, valid submission
GROUPS = "groups:\n  - {id: buerger}\n  - {id: rat}\n"
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
SHADOW = "root: $6$Qx8y$secrethash\nalice: hunter2\n"  # a YAML mapping, none of whose keys we know
LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
ALIASES = (
    "YAML aliases repeat the value at this line too often (more than 100,000 values or 10 million "
    "characters repeated in all; write the values out)"
)
NOT_REGULAR = "is not a regular file (a device; expected a file)"


def _case(root: Path, groups: bool = False) -> Path:
    """The smallest valid case with a second submission (with groups: one per group)."""
    smallest_case(root)
    if groups:
        text = (root / "case.yaml").read_text(encoding="utf-8")
        (root / "case.yaml").write_text(text + GROUPS, encoding="utf-8")
        (root / "weights" / "anyone.yaml").write_text(
            "group: buerger\nmethod: direct\nweights: {quality: 2, price: 1}\n", encoding="utf-8"
        )
        (root / "weights" / "other.yaml").write_text("group: rat\n" + OTHER, encoding="utf-8")
    else:
        (root / "weights" / "other.yaml").write_text(OTHER, encoding="utf-8")
    return root


def _workbook(path: Path, rows: list[list], corner: bool = False) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    if corner:
        wb.active["XFD1048576"] = "x"
    wb.save(path)
    return path


def _rezip(path: Path, edit) -> Path:
    """Rewrite the first sheet's XML of the workbook at ``path`` with ``edit``."""
    src, out = zipfile.ZipFile(io.BytesIO(path.read_bytes())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    path.write_bytes(out.getvalue())
    return path


def _unpack_line(path: Path) -> str:
    """The line for a zip bomb: its declared size against what docs/case-format.md allows."""
    raw = path.read_bytes()
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    allowed = min(5 * (50 << 20), max(10 << 20, 100 * len(raw)))
    return (
        f"case/weights/bomb.xlsx: not a readable .xlsx workbook (it unpacks to {total / 2**20:,.1f} MB, "
        f"more than the {allowed / 2**20:,.1f} MB a workbook of {len(raw) / 2**20:,.2f} MB may unpack to)"
    )


# -- the runs in a child process --------------------------------------------------------------


def _fifo(case: Path) -> str:
    os.mkfifo(case / "weights" / "pipe.yaml")
    return "case/weights/pipe.yaml: is not a regular file (a named pipe; expected a file)"


def _dev_zero(case: Path) -> str:
    (case / "weights" / "x.csv").symlink_to("/dev/zero")
    return f"case/weights/x.csv: {NOT_REGULAR}"


def _laughs(case: Path) -> str:
    (case / "weights" / "laughs.yaml").write_text(OTHER + LAUGHS, encoding="utf-8")
    return f"case/weights/laughs.yaml:3: {ALIASES}"


def _corner(case: Path) -> str:
    _workbook(case / "weights" / "corner.xlsx", [["quality", "price"], [5, 5]], corner=True)
    return (
        "case/weights/corner.xlsx:1048576: sheet 'Sheet' has a value in cell XFD1048576, beyond column "
        "ALL (a table has at most 1,000 columns)"
    )


def _bomb(case: Path) -> str:
    path = _workbook(case / "weights" / "bomb.xlsx", [["quality", "price"], [5, 5]])
    _rezip(path, lambda data: data.replace(b"<sheetData>", b" " * (40 << 20) + b"<sheetData>"))
    return _unpack_line(path)


def _entity_bomb(case: Path) -> str:
    path = _workbook(case / "weights" / "lol.xlsx", [["quality", "price"], [5, 5]])
    dtd = b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "lollollollol">' + b"".join(
        b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9)
    )
    _rezip(path, lambda data: dtd + b"]>" + data.replace(b"<v>5</v>", b"<v>&j;</v>", 1))
    return (
        "case/weights/lol.xlsx: not a readable .xlsx workbook (xl/worksheets/sheet1.xml declares an "
        "XML document type or entities, which workbooks never do)"
    )


def _deep_json(case: Path) -> str:
    (case / "weights" / "deep.json").write_text(
        '{"method": "direct", "weights": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8"
    )
    return "case/weights/deep.json: is nested more than 100 levels deep"


def _oversize(case: Path) -> str:
    rows = "quality,price\n" + "1,2\n" * 300_000  # 1.2 MB of a plausible survey export
    (case / "weights" / "big.csv").write_text(rows, encoding="utf-8")
    return (
        "case/weights/big.csv: is larger than 1 MB, the limit for one input file "
        "(set LEV2040_MAX_FILE_MB to a larger number of megabytes to read it)"
    )


REJECTED = {  # a submission that must be rejected alone: name -> (write it, its line)
    "fifo": _fifo,
    "dev-zero": _dev_zero,
    "billion-laughs": _laughs,
    "far-corner": _corner,
    "zip-bomb": _bomb,
    "entity-bomb": _entity_bomb,
    "deep-json": _deep_json,
    "oversize": _oversize,
}


def _urandom(case: Path) -> str:
    (case / "measures.csv").unlink()
    (case / "measures.csv").symlink_to("/dev/urandom")
    return f"case/measures.csv: {NOT_REGULAR}"


def _case_laughs(case: Path) -> str:
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text + LAUGHS.replace("a: &a", "title: &a", 1), encoding="utf-8")
    return f"case/case.yaml:5: {ALIASES}"


def _measures_corner(case: Path) -> str:
    (case / "measures.csv").unlink()
    rows = [["id", "name", "cost", "quality", "price"], ["a", "A", 40, 7, 250]]
    _workbook(case / "measures.xlsx", rows, corner=True)
    return (
        "case/measures.xlsx:1048576: sheet 'Sheet' has a value in cell XFD1048576, beyond column ALL "
        "(a table has at most 1,000 columns)"
    )


FATAL = {
    "dev-urandom": _urandom,
    "case-billion-laughs": _case_laughs,
    "measures-far-corner": _measures_corner,
}


@pytest.fixture(scope="module")
def child(tmp_path_factory) -> dict[str, tuple[str, Run]]:
    """Every hang-or-memory case run once in a limited child process, four at a time; by name
    the expected line and the run (and ``"baseline"``: the case without a bad file)."""
    tmp = tmp_path_factory.mktemp("hostile-reads")
    jobs: dict[str, tuple[str, Path, list[str], dict]] = {}
    _case(tmp / "baseline" / "case")
    jobs["baseline"] = ("", tmp / "baseline", ["weights", "case", "--format", "json"], {})
    for name, make in {**REJECTED, **FATAL}.items():
        case = _case(tmp / name / "case")
        command = ["weights", "case", "--format", "json"] if name in REJECTED else ["validate", "case"]
        env = {"LEV2040_MAX_FILE_MB": "1"} if name == "oversize" else {}
        jobs[name] = (make(case), tmp / name, command, env)
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = {n: pool.submit(lev2040, *args, cwd=cwd, env=env) for n, (_, cwd, args, env) in jobs.items()}
        return {n: (jobs[n][0], f.result()) for n, f in runs.items()}


def _weights(run: Run) -> tuple[dict, list]:
    out = json.loads(run.stdout)
    return out["weights"], [(g["id"], g["weights"]) for g in out["groups"]]


@pytest.mark.parametrize("name", list(REJECTED))
def test_hostile_submission_is_rejected_alone(child, name):
    line, run = child[name]
    assert run.code == 0, run.stderr
    assert_clean_stderr(run)
    assert json.loads(run.stdout)["rejections"] == [line]
    assert _weights(run) == _weights(child["baseline"][1])


@pytest.mark.parametrize("name", list(FATAL))
def test_hostile_case_file_is_one_located_line(child, name):
    line, run = child[name]
    assert (run.code, run.lines) == (2, [line])
    assert_clean_stderr(run)


# -- in-process runs --------------------------------------------------------------------------


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """A working folder; messages name the case as ``case/...``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(invoke, *args) -> Run:
    result = invoke(*args)
    return Run(result.exit_code, result.stdout, result.stderr)


def _fails(invoke, case: Path, *lines: str) -> Run:
    run = _run(invoke, "validate", case.name)
    assert (run.code, run.lines) == (2, list(lines)), run.stderr
    assert_clean_stderr(run)
    return run


def _rejected_alone(invoke, here: Path, name: str, content: str | bytes, line: str, groups: bool = False):
    """Write weights/NAME into a fresh case; it is rejected with ``line``, printed by `lev2040
    weights`, and the weights are those of the same case without it."""
    base = _case(here / "base" / "case", groups)
    expected = _weights(_run(invoke, "weights", base, "--format", "json"))
    case = _case(here / "case", groups)
    target = case / "weights" / name
    target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content, "utf-8")
    run = _run(invoke, "weights", "case")
    assert run.code == 0, run.stderr
    assert_clean_stderr(run)
    assert [ln for ln in run.stdout.splitlines() if ln.startswith("rejected: ")] == [f"rejected: {line}"]
    assert _weights(_run(invoke, "weights", "case", "--format", "json")) == expected
    return run


def test_duplicate_group_key_is_rejected_and_moves_no_group(invoke, here):
    # before: listed as rejected, yet counted for the second group it named
    text = "group: buerger\ngroup: rat\nmethod: direct\nweights: {quality: 9, price: 1}\n"
    line = "case/weights/twice.yaml:2: key 'group': key appears twice in the same mapping"
    _rejected_alone(invoke, here, "twice.yaml", text, line, groups=True)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "twice.json",
            '{"method": "direct",\n "weights": {"quality": 9, "quality": 1, "price": 1}}',
            "case/weights/twice.json:2: key 'weights.quality': key appears twice in the same mapping",
        ),
        (  # a key of 2,000 characters is JSON but not YAML: the duplicate is found without YAML
            "long.json",
            '{"method": "direct", "method": "points", "%s": 1, "weights": {"quality": 1}}' % ("k" * 2000),
            "case/weights/long.json: key 'method': key appears twice in the same mapping",
        ),
        (
            "twice.csv",
            "quality,price,quality\n1,2,3\n",
            "case/weights/twice.csv:1: column 'quality': column appears twice",
        ),
    ],
)
def test_duplicate_key_or_column_rejects_the_whole_file(invoke, here, name, text, line):
    _rejected_alone(invoke, here, name, text, line)


def test_duplicate_key_in_case_yaml_is_an_error(invoke, here):
    case = _case(here / "case")
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text + "name: other\n", encoding="utf-8")
    _fails(invoke, case, "case/case.yaml:5: key 'name': key appears twice in the same mapping")


LONE = "holds a lone surrogate (an escape like \\ud800 that is not a character; write the character itself, in UTF-8)"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            '{"method": "direct",\n "respondent": "x\\ud800",\n "weights": {"quality": 1, "price": 1}}',
            f"case/weights/s.json:2: key 'respondent': {LONE}",
        ),
        (
            '{"method": "direct", "weights": {"qu\\udc00ality": 1, "price": 1}}',
            f"case/weights/s.json:1: key 'weights': a key {LONE}",
        ),
    ],
)
def test_lone_surrogate_in_json_is_rejected_at_its_line(invoke, here, text, line):
    _rejected_alone(invoke, here, "s.json", text, line)


def test_lone_surrogate_in_yaml_is_a_syntax_error_at_its_line(invoke, here):
    case = _case(here / "case")
    (case / "case.yaml").write_text('name: example\ntitle: "x\\ud800"\ncriteria: criteria.yaml\n', "utf-8")
    _fails(invoke, case, "case/case.yaml:2: YAML syntax error: found invalid Unicode character escape code")


@pytest.mark.parametrize(
    ("criteria", "reason"),
    [
        ('"a\\0b"', "holds the control character U+0000, which no text of a case may hold (delete it)"),
        ("x" * 5000, "is too long for a path (5,000 characters; at most 1,024, 255 per name)"),
        ("/dev/zero", f"criteria catalogue /dev/zero {NOT_REGULAR}"),
    ],
)
def test_unusable_catalogue_path_names_the_criteria_key(invoke, here, criteria, reason):
    case = _case(here / "case")
    (case / "case.yaml").write_text(f"name: example\ncriteria: {criteria}\n", encoding="utf-8")
    _fails(invoke, case, f"case/case.yaml:2: key 'criteria': {reason}")


CONTROL = "holds the control character U+000B, which no text of a case may hold (delete it)"


def test_control_character_in_a_table_is_located_at_its_cell(invoke, here):
    # a vertical tab (some exports' line break in a cell) in a measure's name: no workbook can hold it
    case = _case(here / "case")
    text = (case / "measures.csv").read_text(encoding="utf-8")
    (case / "measures.csv").write_text(text.replace("Option B", "Option\x0bB"), encoding="utf-8")
    _fails(invoke, case, f"case/measures.csv:3: column 'name': {CONTROL}")


def test_control_character_in_yaml_is_located_at_its_line(invoke, here):
    case = _case(here / "case")
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text + "title: a\x0bb\n", encoding="utf-8")
    _fails(invoke, case, f"case/case.yaml:5: {CONTROL}")


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2024-13-45", "month must be in 1..12"), ("9" * 5000, "a number has more than 4,300 digits")],
)
def test_value_yaml_cannot_build_is_located(invoke, here, value, reason):
    case = _case(here / "case")
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text + f"description: {value}\n", encoding="utf-8")
    _fails(invoke, case, f"case/case.yaml:5: a value cannot be read ({reason})")


def test_json_integer_beyond_pythons_limit_rejects_the_submission(invoke, here):
    text = '{"method": "direct", "weights": {"quality": ' + "9" * 5000 + ', "price": 1}}'
    line = "case/weights/long.json: a value cannot be read (a number has more than 4,300 digits)"
    _rejected_alone(invoke, here, "long.json", text, line)


def test_deep_yaml_is_refused_at_its_line(invoke, here):
    deep = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v\n"
    line = "case/weights/deep.yaml:104: is nested more than 100 levels deep"  # the 101st level
    _rejected_alone(invoke, here, "deep.yaml", OTHER + deep, line)


def test_yaml_aliases_within_the_limits_still_work(invoke, here):
    case = _case(here / "case")
    (case / "weights" / "other.yaml").write_text(
        "method: direct\nweights: &w {quality: 1, price: 3}\nnote: *w\n", encoding="utf-8"
    )
    run = _run(invoke, "weights", "case", "--format", "json")
    assert run.code == 0 and json.loads(run.stdout)["rejections"] == [], run.stdout


@pytest.mark.parametrize(
    "edit",
    [lambda d: d[: len(d) // 2], lambda d: d.replace(b"<v>5</v>", b"<v>&x;</v>", 1)],
    ids=["truncated", "undefined-entity"],
)
def test_broken_sheet_xml_rejects_the_workbook(invoke, here, edit):
    # the parse error comes while the rows are read, not when the workbook is opened
    import xml.etree.ElementTree as ET

    probe = _rezip(_workbook(here / "probe.xlsx", [["quality", "price"], [5, 5]]), edit)
    with pytest.raises(ET.ParseError) as error:  # what expat says, read as the reader reads it
        for _ in ET.iterparse(io.BytesIO(zipfile.ZipFile(probe).read("xl/worksheets/sheet1.xml"))):
            pass
    line = f"case/weights/bad.xlsx: sheet 'Sheet' is not valid XML ({error.value})"
    _rejected_alone(invoke, here, "bad.xlsx", probe.read_bytes(), line)


def test_a_workbook_with_gaps_or_a_wrong_dimension_reads_its_values(tmp_path):
    # rows far apart cost nothing, and a declared dimension smaller than the data hides nothing
    # (openpyxl's read-only rows stop at the declared dimension)
    from lev2040_mcda.case import Reader

    path = _workbook(tmp_path / "w.xlsx", [["id", "name", "price"], ["a", "A", 1]])
    _rezip(path, lambda d: d.replace(b'<dimension ref="A1:C2" />', b'<dimension ref="A1" />'))
    _rezip(
        path,
        lambda d: d.replace(
            b"</sheetData>",
            b'<row r="900000"><c r="B900000" t="inlineStr"><is><t>far</t></is></c></row></sheetData>',
        ),
    )
    assert b'<dimension ref="A1" />' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    table = Reader().table(path)
    assert table.header == ["id", "name", "price"]
    assert table.rows == [(2, ["a", "A", 1]), (900000, [None, "far", None])]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rows_under_a_wide_header_count_as_padded(invoke, here, monkeypatch, suffix):
    # 600 rows of one value under 1,000 columns would be 600,000 cells once padded: over the
    # 524,288 of a 1 MB limit, refused before any padding is done
    monkeypatch.setenv("LEV2040_MAX_FILE_MB", "1")
    header = ["quality"] + [f"c{i}" for i in range(999)]
    name = f"wide{suffix}"
    if suffix == ".csv":
        content: str | bytes = ",".join(header) + "\n" + "1\n" * 600
        reason = "has 600 rows of 1,000 columns, more than the 524,288 cells one table may have"
    else:
        content = _workbook(here / "w.xlsx", [header] + [[1]] * 600).read_bytes()
        reason = "sheet 'Sheet' has more than 524,288 cells, the limit for one table"
    line = f"case/weights/{name}: {reason} (it grows with LEV2040_MAX_FILE_MB)"
    _rejected_alone(invoke, here, name, content, line)


def test_a_row_of_too_many_xml_elements_is_refused(invoke, here):
    path = _workbook(here / "w.xlsx", [["quality", "price"], [5, 5]])
    _rezip(path, lambda d: d.replace(b"</row></sheetData>", b"<c/>" * 100_001 + b"</row></sheetData>"))
    line = "case/weights/many.xlsx: sheet 'Sheet' has a row of more than 100,000 XML elements"
    _rejected_alone(invoke, here, "many.xlsx", path.read_bytes(), line)


# -- files that are not of the kind expected ----------------------------------------------------


@pytest.mark.parametrize(("content", "name"), [(PASSWD, "passwd"), (SHADOW, "shadow")])
def test_a_foreign_file_as_catalogue_is_named_not_quoted(invoke, here, content, name):
    (here / name).write_text(content, encoding="utf-8")
    case = _case(here / "case")
    (case / "case.yaml").write_text(f"name: example\ncriteria: {here / name}\n", encoding="utf-8")
    run = _fails(
        invoke, case, f"{name}: is not a criteria catalogue (expected a mapping with a 'criteria' list)"
    )
    assert "root" not in run.stderr and "hunter2" not in run.stderr


def test_a_foreign_table_as_measures_is_named_not_quoted(invoke, here):
    case = _case(here / "case")
    (case / "measures.csv").write_text(PASSWD.replace(":", ","), encoding="utf-8")
    run = _fails(
        invoke,
        case,
        "case/measures.csv: is not a measures table (expected a header row with id, name and a column "
        "per criterion and resource)",
    )
    assert "root" not in run.stderr


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        (
            "passwd.csv",
            PASSWD.replace(":", ","),
            "case/weights/passwd.csv: is not a weights table (expected a header row with a column per "
            "criterion or goal, and group, method, respondent)",
        ),
        (
            "shadow.yaml",
            SHADOW,
            "case/weights/shadow.yaml: is not a weights submission (expected a mapping with method and "
            "weights, ranking or judgements)",
        ),
    ],
)
def test_a_foreign_file_as_submission_is_rejected_not_quoted(invoke, here, name, content, line):
    run = _rejected_alone(invoke, here, name, content, line)
    assert "root" not in run.stdout and "hunter2" not in run.stdout


def test_a_shared_catalogue_by_relative_path_still_works(invoke, here):
    case = _case(here / "cases" / "one" / "case")
    (here / "criteria").mkdir()
    (case / "criteria.yaml").rename(here / "criteria" / "shared.yaml")
    (case / "case.yaml").write_text(
        "name: example\ncriteria: ../../../criteria/shared.yaml\nresources:\n  cost: {limit: 100}\n", "utf-8"
    )
    run = _run(invoke, "validate", case)
    assert run.code == 0, run.stderr


# -- the safety net and the limit's setting -----------------------------------------------------


def test_anything_unexpected_in_one_submission_rejects_it_alone(invoke, here, monkeypatch):
    from lev2040_mcda.case import Reader

    document = Reader.document

    def broken(self, path, kind=None):
        if path.name == "odd.yaml":
            raise RuntimeError("a reader bug")
        return document(self, path, kind)

    monkeypatch.setattr(Reader, "document", broken)
    line = "case/weights/odd.yaml: cannot be read (RuntimeError: a reader bug)"
    _rejected_alone(invoke, here, "odd.yaml", OTHER, line)


def test_a_file_name_that_is_not_utf8_is_rejected(invoke, here):
    base = _case(here / "base" / "case")
    expected = _weights(_run(invoke, "weights", base, "--format", "json"))
    case = _case(here / "case")
    with open(os.fsencode(case / "weights") + b"/\xff.yaml", "w", encoding="utf-8") as fh:
        fh.write(OTHER)
    run = _run(invoke, "weights", "case")
    rejected = [ln for ln in run.stdout.splitlines() if ln.startswith("rejected: ")]
    assert rejected == ["rejected: case/weights/\\udcff.yaml: the file name is not UTF-8 (rename the file)"]
    assert _weights(_run(invoke, "weights", "case", "--format", "json")) == expected


def test_the_size_limit_is_configurable_and_checked(invoke, here, monkeypatch):
    case = _case(here / "case")
    monkeypatch.setenv("LEV2040_MAX_FILE_MB", "lots")
    _fails(invoke, case, "LEV2040_MAX_FILE_MB: must be a number of megabytes above 0 (got 'lots')")
    monkeypatch.setenv("LEV2040_MAX_FILE_MB", "0.0001")  # 104 bytes: the catalogue is larger
    _fails(
        invoke,
        case,
        "case/case.yaml:2: key 'criteria': criteria catalogue criteria.yaml is larger than 0.0001 MB, "
        "the limit for one input file (set LEV2040_MAX_FILE_MB to a larger number of megabytes to read it)",
    )
