"""Every YAML, JSON and CSV example in the documentation loads as the engine reads it.

A page that shows a file a planner copies must show one that works. The rules for a fenced block
in docs/*.md and README.md:

- ```` ```yaml ```` (or ``yml``, ``json``) is read with the project's reader
  (:class:`lev2040_mcda.case.Reader`: duplicate keys, control characters, ...). A block is a whole
  file, and the kind of file is told by its keys — ``scenarios`` a scenario catalogue, ``goals`` a
  goal catalogue, ``indicators`` a Stadtcheck catalogue, ``method`` a submission, a ``criteria``
  list a criteria catalogue, a ``criteria`` path a case.yaml — and it must validate against that
  kind's model (a submission also against the JSON Schema of ``lev2040 schema``).
- ```` ```csv ```` is read with the project's table reader; every row has the header's cells.
- An HTML comment on the line before a block marks what it is not:
  ``<!-- fragment -->``: a snippet, which only has to parse;
  ``<!-- part of case.yaml -->``: some keys of that file, validated together with the keys the
  file needs (``name``, ``criteria``).
- An untagged block whose first line looks like a CSV header must be tagged ``csv``: an example
  that this test cannot see is an example nobody checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from lev2040_mcda.case import (
    CaseConfig,
    Catalogue,
    GoalCatalogue,
    Reader,
    ScenarioCatalogue,
    StadtcheckCatalogue,
    read_submission_file,
    validate,
)
from lev2040_mcda.weights import submission_schema

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(\s*)(`{3,})(\S*)\s*$")
MARK = re.compile(r"^\s*<!--\s*(fragment|part of ([\w.]+))\s*-->\s*$")
CSV_HEADER = re.compile(r"^[a-z_][a-z0-9_]*([,;][a-z_][a-z0-9_]*){2,}$")
MODELS = {
    "case.yaml": CaseConfig,
    "criteria catalogue": Catalogue,
    "goals.yaml": GoalCatalogue,
    "scenarios.yaml": ScenarioCatalogue,
    "stadtcheck.yaml": StadtcheckCatalogue,
}
PART_NEEDS = {"case.yaml": {"name": "example", "criteria": "criteria.yaml"}}
"""What a ``<!-- part of KIND -->`` block is completed with before it is validated."""


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence
    lang: str
    text: str
    mark: str | None  # "fragment", "part of case.yaml", or None

    @property
    def name(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page.as_posix()}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with the marker comment before each."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        indent, fence, lang = m.groups()
        end = next(
            (
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip() == fence and lines[j].startswith(indent)
            ),
            len(lines),
        )
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        marked = MARK.match(before)
        body = "\n".join(ln[len(indent) :] for ln in lines[i + 1 : end]) + "\n"
        out.append(Block(page, i + 1, lang.lower(), body, marked[1] if marked else None))
        i = end + 1
    return out


ALL = [b for page in PAGES for b in blocks(page)]
DATA = [b for b in ALL if b.lang in ("yaml", "yml", "json")]
TABLES = [b for b in ALL if b.lang == "csv"]


def kind_of(data: object) -> str | None:
    """Which file a whole document is, by its keys (see the module)."""
    if not isinstance(data, dict):
        return None
    if "scenarios" in data:
        return "scenarios.yaml"
    if "goals" in data:
        return "goals.yaml"
    if "indicators" in data:
        return "stadtcheck.yaml"
    if "method" in data:
        return "submission"
    if isinstance(data.get("criteria"), list):
        return "criteria catalogue"
    if isinstance(data.get("criteria"), str):
        return "case.yaml"
    return None


def read(block: Block, tmp_path: Path, suffix: str):
    path = tmp_path / f"example{suffix}"
    path.write_text(block.text, encoding="utf-8")
    reader = Reader(base=tmp_path)
    return path, reader


def test_the_pages_have_examples_to_check():
    """The scan finds the examples of the case format (a broken fence pattern would pass all)."""
    pages = {b.page.name for b in DATA + TABLES}
    assert "case-format.md" in pages
    assert len([b for b in DATA if b.page.name == "case-format.md"]) >= 6
    assert len([b for b in TABLES if b.page.name == "case-format.md"]) >= 2


@pytest.mark.parametrize("block", DATA, ids=lambda b: b.name)
def test_every_yaml_example_loads(block, tmp_path):
    path, reader = read(block, tmp_path, ".json" if block.lang == "json" else ".yaml")
    doc = reader.document(path)
    assert [str(p) for p in reader.problems] == [], f"{block.name} does not parse"
    assert doc is not None
    if block.mark == "fragment":
        return
    data = doc.data
    if block.mark is not None:  # part of KIND
        kind = block.mark.removeprefix("part of ")
        assert kind in PART_NEEDS, f"{block.name}: no rule to complete a part of {kind}"
        assert isinstance(data, dict)
        data = {**PART_NEEDS[kind], **data}
    else:
        kind = kind_of(data)
        assert kind is not None, (
            f"{block.name}: not a whole file of a known kind (mark it <!-- fragment --> "
            "or <!-- part of case.yaml --> if it is meant to be a snippet)"
        )
    problems: list = []
    if kind == "submission":
        got, _, problems = read_submission_file(path, reader, groups=None)
        assert got is not None or problems
        jsonschema.validate(data, submission_schema())
    else:
        validate(MODELS[kind], data, doc.problem, problems)
    assert [str(p) for p in problems] == [], f"{block.name} is not a valid {kind}"


@pytest.mark.parametrize("block", TABLES, ids=lambda b: b.name)
def test_every_csv_example_loads(block, tmp_path):
    path, reader = read(block, tmp_path, ".csv")
    table = reader.table(path)
    assert [str(p) for p in reader.problems] == [], f"{block.name} does not parse"
    assert table is not None and table.rows, f"{block.name} has no rows"
    if block.mark != "fragment":
        assert [len(cells) for _, cells in table.rows] == [len(table.header)] * len(table.rows)


@pytest.mark.parametrize("block", [b for b in ALL if b.lang == ""], ids=lambda b: b.name)
def test_an_untagged_block_is_not_a_hidden_csv_example(block):
    first = next((ln.strip() for ln in block.text.splitlines() if ln.strip()), "")
    assert not CSV_HEADER.match(first), f"{block.name} looks like CSV: tag it ```csv so that it is checked"


def test_the_marker_and_kind_rules_work(tmp_path):
    """The rules themselves: a broken example is caught, a marked fragment is let through."""
    page = tmp_path / "page.md"
    page.write_text(
        "```yaml\nscenarios:\n  - {id: a, title: A, drivers: {klima_umwelt: {text: x ×1,5}}}\n```\n\n"
        "<!-- fragment -->\n```yaml\nadjust: [{criterion: co2, multiply: 2}]\n```\n\n"
        "<!-- part of case.yaml -->\n```yaml\nresources: {cost: {limit: 10}}\n```\n\n"
        "```\nid,name,cost\n```\n",
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.lang, b.mark) for b in found] == [
        ("yaml", None),
        ("yaml", "fragment"),
        ("yaml", "part of case.yaml"),
        ("", None),
    ]
    with pytest.raises(AssertionError, match=r"not a valid scenarios\.yaml"):
        test_every_yaml_example_loads(found[0], tmp_path)
    test_every_yaml_example_loads(found[1], tmp_path)
    test_every_yaml_example_loads(found[2], tmp_path)
    with pytest.raises(AssertionError, match="tag it ```csv"):
        test_an_untagged_block_is_not_a_hidden_csv_example(found[3])
