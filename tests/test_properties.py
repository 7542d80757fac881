"""Properties of loading: valid cases always load with the values written; corrupted cases always
end in exit code 2 with located lines, never a traceback.

Contract: /work/shared/DESIGN.md "Conventions" (UTF-8 with BOM, comma or semicolon CSV, German
decimal commas) and "Bad input" (one `FILE:ROW: ...` line per problem, exit 2, no traceback);
docs/case-format.md "Files in general" (`1,5` is 1.5, `1.234,5` is 1234.5).
Temporary folders are made inside each example (`tempfile`), as @given tests may not use the
function-scoped `tmp_path`.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lev2040_mcda import load_case
from lev2040_mcda.case import write_synthetic_case
from lev2040_mcda.case.limits import CONTROL_CHARS
from lev2040_mcda.cli import cli

LINE = re.compile(r"^[^:]+(:\d+)?: ")
LIST_SPLIT = re.compile(r"[;|,]")
BREAK = re.compile(r"\r\n|\r|\n")  # what ends a line in a terminal or a line-reading program


# -- helpers ----------------------------------------------------------------------------------


def read_table(path: Path, delimiter: str) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def write_table(path: Path, rows: list[list[str]], delimiter: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def number(cell: str, delimiter: str) -> float:
    """A number as the synthetic generator writes it (decimal comma in semicolon files)."""
    return float(cell.replace(",", ".") if delimiter == ";" else cell)


def validate_fails_cleanly(case: Path) -> list[str]:
    """Run `lev2040 validate CASE`; check exit 2, no traceback, every line located; return them."""
    result = CliRunner().invoke(cli, ["validate", str(case)])
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = BREAK.split(result.stderr.removesuffix("\n"))
    assert lines != [""], "exit 2 without a message"
    assert [ln for ln in lines if not LINE.match(ln)] == []
    return lines


def looks_numeric(text: str) -> bool:
    """Could a cell reader take ``text`` for a number in any spelling (decimal comma, thousands
    dots, spaces, Unicode minus or digits)? Such texts are not "not a number" and are left out."""
    t = text.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    for candidate in (t, t.replace(",", "."), t.replace(".", "").replace(",", ".")):
        try:
            float(candidate)
        except ValueError:
            continue
        return True
    return False


# -- (a) valid cases load ---------------------------------------------------------------------


synthetic_sizes = st.fixed_dictionaries(
    {
        "measures": st.integers(1, 40),
        "criteria": st.integers(1, 6),
        "goals": st.integers(1, 4),
        "groups": st.integers(0, 3),
        "districts": st.integers(1, 4),
        "scenarios": st.integers(0, 3),
        "interactions": st.integers(0, 30),
        "seed": st.integers(0, 2**32 - 1),
        "delimiter": st.sampled_from([",", ";"]),
    }
)


@given(synthetic_sizes)
def test_synthetic_cases_always_load_with_their_values(sizes):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        case = load_case(root)
        rows = read_table(root / "measures.csv", sizes["delimiter"])
    header, body = rows[0], rows[1:]
    crit = [h for h in header if re.fullmatch(r"c\d\d", h)]
    assert len(case.criteria) == sizes["criteria"] and len(case.goals) == sizes["goals"]
    assert len(case.groups) == sizes["groups"] and len(case.scenarios) == sizes["scenarios"]
    assert case.measure_ids == tuple(r[0] for r in body)
    for m, row in zip(case.measures, body):
        cells = dict(zip(header, row))
        assert m.resources == {k: number(cells[k], sizes["delimiter"]) for k in ("cost", "land")}
        assert m.performance == {k: number(cells[k], sizes["delimiter"]) for k in crit}
        assert m.goals == tuple(LIST_SPLIT.split(cells["goals"]))
    assert case.rejected == () and case.submission_count == sizes["groups"]


# numbers within the range the engine accepts (0 or a magnitude from 1e-15 to 1e15, case/cells.py);
# names without the control characters it refuses (case/limits.py)
finite = st.floats(-1e15, 1e15).filter(lambda x: x == 0 or abs(x) >= 1e-15)
non_negative = st.floats(0, 1e15).filter(lambda x: x == 0 or x >= 1e-15)
names = st.text(min_size=1, max_size=15).filter(
    lambda s: s.strip() != "" and not any(c in s for c in CONTROL_CHARS)
)


@dataclass
class SmallCase:
    directions: list[str]
    budget: list[float]
    performance: list[list[float]]
    names: list[str]
    form: str  # "csv" or "xlsx"
    delimiter: str
    thousands: bool
    bom: bool
    line_end: str

    def cell(self, x: float) -> str:
        """``x`` as a person's spreadsheet writes it into this file."""
        text = repr(x)
        if self.delimiter == ",":
            return text
        if self.thousands and "e" not in text and abs(x) >= 1000:
            whole, frac = text.split(".")
            sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
            groups = []
            while digits:
                groups.insert(0, digits[-3:])
                digits = digits[:-3]
            return f"{sign}{'.'.join(groups)},{frac}"
        return text.replace(".", ",")


@st.composite
def small_cases(draw) -> SmallCase:
    n_crit, n_meas = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    form = draw(st.sampled_from(["csv", "xlsx"]))
    name_list = draw(st.lists(names, min_size=n_meas, max_size=n_meas))
    if form == "xlsx":
        assume(not any(ILLEGAL_CHARACTERS_RE.search(n) for n in name_list))
    return SmallCase(
        directions=draw(st.lists(st.sampled_from(["benefit", "cost"]), min_size=n_crit, max_size=n_crit)),
        budget=draw(st.lists(non_negative, min_size=n_meas, max_size=n_meas)),
        performance=draw(
            st.lists(st.lists(finite, min_size=n_crit, max_size=n_crit), min_size=n_meas, max_size=n_meas)
        ),
        names=name_list,
        form=form,
        delimiter=draw(st.sampled_from([",", ";"])),
        thousands=draw(st.booleans()),
        bom=draw(st.booleans()),
        line_end=draw(st.sampled_from(["\n", "\r\n"])),
    )


def write_small_case(root: Path, case: SmallCase) -> None:
    bom = "\ufeff" if case.bom else ""
    criteria = [{"id": f"c{j}", "name": f"C {j}", "direction": d} for j, d in enumerate(case.directions)]
    texts = {
        "case.yaml": "name: drawn\ncriteria: criteria.yaml\nresources:\n  budget: {limit: 10}\n",
        "criteria.yaml": yaml.safe_dump({"criteria": criteria}),
    }
    for name, text in texts.items():
        (root / name).write_text(bom + text, encoding="utf-8")
    header = ["id", "name", "budget", *(c["id"] for c in criteria)]
    if case.form == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(header)
        for i, name in enumerate(case.names):
            wb.active.append([f"m{i}", name, case.budget[i], *case.performance[i]])
            wb.active.cell(i + 2, 2).data_type = "s"  # text, even when it starts with "="
        wb.save(root / "measures.xlsx")
        return
    rows = [
        [f"m{i}", name, *map(case.cell, [case.budget[i], *case.performance[i]])]
        for i, name in enumerate(case.names)
    ]
    with open(root / "measures.csv", "w", newline="", encoding="utf-8") as fh:
        fh.write(bom)
        # csv quotes a cell holding a line break only when the break is in its line end: with
        # "\n" ends, quote every cell (so "\r" inside a name stays inside it), as some tools do
        quoting = csv.QUOTE_MINIMAL if case.line_end == "\r\n" else csv.QUOTE_ALL
        csv.writer(fh, delimiter=case.delimiter, lineterminator=case.line_end, quoting=quoting).writerows(
            [header, *rows]
        )


def stored_in_xlsx(path: Path) -> list[list[float]]:
    """The numbers a workbook holds (openpyxl writes 16 significant digits, as Excel keeps 15)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    return [list(row[2:]) for row in wb.active.iter_rows(min_row=2, values_only=True)]


@given(small_cases())
def test_drawn_values_round_trip(drawn):
    with tempfile.TemporaryDirectory() as tmp:
        write_small_case(Path(tmp), drawn)
        if drawn.form == "xlsx":  # the values the file holds are the ones to read back
            stored = stored_in_xlsx(Path(tmp) / "measures.xlsx")
            assume(all(math.isfinite(v) for row in stored for v in row))
            drawn.budget = [row[0] for row in stored]
            drawn.performance = [row[1:] for row in stored]
        case = load_case(tmp)
    assert case.measure_ids == tuple(f"m{i}" for i in range(len(drawn.names)))
    if drawn.form == "xlsx":  # XML turns a line end into "\n" (XML 1.0, 2.11 End-of-Line Handling)
        drawn.names = [re.sub("\r\n?", "\n", n) for n in drawn.names]
    assert [m.name for m in case.measures] == [n.strip() for n in drawn.names]
    assert [m.resources for m in case.measures] == [{"budget": b} for b in drawn.budget]
    assert [m.performance for m in case.measures] == [
        {f"c{j}": v for j, v in enumerate(row)} for row in drawn.performance
    ]
    assert [c.direction for c in case.criteria] == drawn.directions


# -- (b) corrupted cases fail cleanly ----------------------------------------------------------


small_synthetic = st.fixed_dictionaries(
    {
        "measures": st.integers(2, 25),
        "criteria": st.integers(2, 4),
        "goals": st.integers(2, 4),
        "seed": st.integers(0, 2**32 - 1),
        "delimiter": st.sampled_from([",", ";"]),
    }
)


@given(small_synthetic, st.data())
def test_text_in_a_numeric_cell_is_reported_at_its_cell(sizes, data):
    text = data.draw(st.text(max_size=12).filter(lambda t: not looks_numeric(t)), label="text")
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        rows = read_table(root / "measures.csv", sizes["delimiter"])
        numeric = [j for j, h in enumerate(rows[0]) if h in ("cost", "land") or re.fullmatch(r"c\d\d", h)]
        i = data.draw(st.integers(1, len(rows) - 1), label="row")
        j = data.draw(st.sampled_from(numeric), label="column")
        rows[i][j] = text
        write_table(root / "measures.csv", rows, sizes["delimiter"])
        lines = validate_fails_cleanly(root)
    prefix = f"{root / 'measures.csv'}:{i + 1}: column '{rows[0][j]}': "
    assert [ln for ln in lines if ln.startswith(prefix)] != [], lines


def referenced_measures(root: Path, delimiter: str) -> list[str]:
    rows = read_table(root / "measures.csv", delimiter)
    ids = {r[0] for r in rows[1:]}
    at = [rows[0].index("requires"), rows[0].index("excludes")]
    refs = {ref for r in rows[1:] for j in at for ref in LIST_SPLIT.split(r[j]) if ref}
    refs |= {end for r in read_table(root / "interactions.csv", delimiter)[1:] for end in r[:2] if end in ids}
    return sorted(refs)


@given(small_synthetic, st.data())
def test_dropping_a_referenced_measure_is_reported(sizes, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        gone = data.draw(st.sampled_from(referenced_measures(root, sizes["delimiter"])), label="drop")
        rows = read_table(root / "measures.csv", sizes["delimiter"])
        write_table(root / "measures.csv", [r for r in rows if r[0] != gone], sizes["delimiter"])
        lines = validate_fails_cleanly(root)
    assert [ln for ln in lines if "unknown" in ln and f"'{gone}'" in ln] != [], lines


@given(small_synthetic, st.sampled_from(["measure", "criterion", "goal"]), st.data())
def test_a_duplicated_id_is_reported(sizes, kind, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        if kind == "measure":
            rows = read_table(root / "measures.csv", sizes["delimiter"])
            first, second = sorted(
                data.draw(
                    st.lists(st.integers(1, len(rows) - 1), min_size=2, max_size=2, unique=True), label="rows"
                )
            )
            rows[second][0] = dup = rows[first][0]
            write_table(root / "measures.csv", rows, sizes["delimiter"])
            expected = re.compile(
                re.escape(
                    f"{root / 'measures.csv'}:{second + 1}: column 'id': "
                    f"measure id '{dup}' appears twice (first at line {first + 1})"
                )
            )
        else:
            file, key = ("criteria.yaml", "criteria") if kind == "criterion" else ("goals.yaml", "goals")
            doc = yaml.safe_load((root / file).read_text(encoding="utf-8"))
            first, second = sorted(
                data.draw(
                    st.lists(st.integers(0, len(doc[key]) - 1), min_size=2, max_size=2, unique=True),
                    label="items",
                )
            )
            doc[key][second]["id"] = dup = doc[key][first]["id"]
            (root / file).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
            expected = re.compile(
                re.escape(f"{root / file}:")
                + r"\d+"
                + re.escape(f": key '{key}.id': {kind} id '{dup}' appears twice (first at line ")
                + r"\d+\)"
            )
        lines = validate_fails_cleanly(root)
    assert [ln for ln in lines if expected.fullmatch(ln)] != [], lines


@given(small_synthetic, st.data())
def test_measures_cut_inside_a_data_row_is_reported(sizes, data):
    delimiter = sizes["delimiter"]
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        text = (root / "measures.csv").read_bytes().decode("utf-8")
        lines = text.split("\r\n")  # csv.writer's line ends; synthetic cells hold no line breaks
        r = data.draw(st.integers(1, len(lines) - 2), label="row")  # a data row (last is "")
        start = len("\r\n".join(lines[:r])) + 2
        # up to the start of the row's last numeric cell (before `requires` and `excludes`)
        last_numeric = lines[r].rsplit(delimiter, 2)[0].rfind(delimiter) + 1
        cut = data.draw(st.integers(start + 1, start + last_numeric), label="cut")
        (root / "measures.csv").write_text(text[:cut], encoding="utf-8")
        found = validate_fails_cleanly(root)
    assert [ln for ln in found if ln.startswith(f"{root / 'measures.csv'}:")] != [], found


@given(small_synthetic, st.data())
def test_criteria_cut_before_the_last_brace_is_reported(sizes, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, **sizes)
        criteria = yaml.safe_load((root / "criteria.yaml").read_text(encoding="utf-8"))["criteria"]
        text = "criteria:\n" + "".join(f"  - {json.dumps(c, ensure_ascii=False)}\n" for c in criteria)
        last_open = text.rindex("\n  - {") + len("\n  - {")
        cut = data.draw(st.integers(last_open, text.rindex("}")), label="cut")
        (root / "criteria.yaml").write_text(text[:cut], encoding="utf-8")
        found = validate_fails_cleanly(root)
    assert [ln for ln in found if ln.startswith(f"{root / 'criteria.yaml'}:")] != [], found


@given(st.text(min_size=1, max_size=20))
def test_an_undeclared_column_of_any_name_is_one_located_line(name):
    """Spreadsheet headers may hold line breaks (Alt+Enter in Excel) or quotes; the problem is
    still one line, so that each printed line is one problem."""
    assume(
        name.strip()
        not in ("", "id", "name", "cost", "land", "c01", "c02", "requires", "excludes", "district", "goals")
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(tmp, measures=3, criteria=2, seed=3)
        rows = read_table(root / "measures.csv", ",")
        write_table(root / "measures.csv", [rows[0] + [name]] + [r + ["1"] for r in rows[1:]], ",")
        lines = validate_fails_cleanly(root)
    assert len(lines) == 1 and lines[0].startswith(f"{root / 'measures.csv'}:1: column "), lines


def test_flow_mapping_criteria_are_valid_before_the_cut(tmp_path):
    """The uncut flow-mapping catalogue of the test above loads: only the cut breaks it."""
    root = write_synthetic_case(tmp_path, measures=5, criteria=3, seed=7)
    criteria = yaml.safe_load((root / "criteria.yaml").read_text(encoding="utf-8"))["criteria"]
    (root / "criteria.yaml").write_text(
        "criteria:\n" + "".join(f"  - {json.dumps(c)}\n" for c in criteria), encoding="utf-8"
    )
    assert [c.id for c in load_case(root).criteria] == ["c01", "c02", "c03"]


@pytest.mark.parametrize("optional", [{"districts": 0}, {"goals": 0}])
def test_synthetic_case_without_the_optional_parts(tmp_path, optional):
    """Districts and goals are optional in a case (DESIGN.md "Case folder": everything but
    case.yaml, the catalogue, measures.csv and a submission is optional), so the generator of
    "cases of any size" writes a valid case without them."""
    case = load_case(write_synthetic_case(tmp_path, measures=10, criteria=3, seed=1, **optional))
    assert len(case.measures) == 10
    assert (len(case.config.districts), len(case.goals)) == (
        optional.get("districts", 5),
        optional.get("goals", 1),
    )
