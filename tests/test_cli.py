"""The `lev2040` command line: exact output and exit codes, as sqlite-utils tests its CLI
(/work/shared/STYLE.md "Tests": `CliRunner().invoke(...)`, `result.exit_code`, exact output;
`test_commands_have_help`).

Contract: /work/shared/DESIGN.md "Conventions" (`--format table|json|csv`; json is one object with
a `provenance` block: tool version, command parameters, sha256 of every input file read, solver,
seed; the same inputs give the same bytes; exit codes), "Bad input" (outputs written atomically;
cells starting with `= + - @` escaped) and "Speed" (`lev2040 --help` does not import pymcdm,
pandas, pulp or matplotlib). The smallest valid case `init` writes is the one DESIGN.md
"Case folder" fixes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lev2040_mcda
from lev2040_mcda import load_case, summarize_case
from lev2040_mcda.cli import cli
from lev2040_mcda.output import to_csv

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "cases" / "tiny"
CASE_FOLDERS = sorted(p.name for p in (ROOT / "cases").iterdir() if (p / "case.yaml").is_file())
HEAVY = ("pandas", "pymcdm", "pulp", "networkx", "matplotlib")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- validate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Tiny reference case (tiny): valid",
        "3 goals, 4 criteria, 6 measures (1 mandatory), 4 interactions, 2 scenarios, 2 groups, 4 submissions",
        "Interactions: goals 2 conflicts, 0 synergies; measures 1 conflicts, 1 synergies",
        "Submissions: 4 accepted from 2 files (direct 1, points 3)",
    ],
)
def test_validate_tiny_table_lines(invoke, line):
    result = invoke("validate", "cases/tiny")
    assert (result.exit_code, result.stderr) == (0, "")
    assert line in result.stdout.splitlines()


@pytest.mark.parametrize(
    "cells",
    [
        ["cost", "EUR m", "195", "15", "100", "1.9x"],  # 20+10+50+40+60+15; hub's 15 is mandatory
        ["land", "ha", "8.5", "0.5", "6", "1.4x"],
        ["stadt", "Stadt", "0", "6"],  # no measure of its own, all six in its parts nord and sued
        ["nord", "Nord", "stadt", "3", "3"],
    ],
)
def test_validate_tiny_table_rows(invoke, cells):
    """Rows of the aligned tables, compared cell by cell (columns are 2+ spaces apart)."""
    result = invoke("validate", "cases/tiny")
    assert cells in [re.split(r"\s{2,}", ln.strip()) for ln in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "edit, reason",
    [
        (("weights/verwaltung.yaml", "co2: 2", "co2x: 2"), "key 'weights': unknown criterion or goal"),
        (
            ("weights/buerger.csv", "b1,buerger,points,50,30,20", "b1,buerger,points,0,0,0"),
            "all weights are zero",
        ),
    ],
    ids=["unknown-criterion", "survey-row-all-zero"],
)
def test_validate_rejects_what_the_weights_stage_rejects(invoke, in_tiny, edit, reason):
    """A submission that reads well but cannot be turned into weights: validate and weights agree
    on it (the same line, the same counts), and --strict makes it fatal."""
    name, old, new = edit
    path = in_tiny / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    weights = invoke("weights", ".", "--format", "json")
    assert weights.exit_code == 0
    stage = json.loads(weights.stdout)
    [line] = stage["rejections"]
    assert line.startswith(name) and reason in line
    valid = invoke("validate", ".", "--format", "json")
    summary = json.loads(valid.stdout)["summary"]
    assert summary["submissions"]["rejected"] == [line]
    assert summary["submissions"]["accepted"] == stage["submissions"]["used"] == 3
    assert valid.stderr == f"rejected: {line}\n"
    table = invoke("validate", ".")
    assert f"  rejected: {line}" in table.stdout.splitlines()
    strict = invoke("validate", ".", "--strict")
    assert (strict.exit_code, strict.stdout, strict.stderr) == (2, "", line + "\n")


@pytest.mark.parametrize(
    "command", [("rank",), ("sensitivity", "--samples", "50"), ("portfolio", "--no-explain", "--tiers", "0")]
)
def test_commands_say_what_the_weights_leave_out(invoke, in_tiny, command):
    """No command uses the stakeholder weights silently without a rejected submission or a group."""
    (in_tiny / "weights" / "verwaltung.yaml").write_text("group: verwaltung\n", encoding="utf-8")
    result = invoke(command[0], ".", *command[1:], "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "note: 1 stakeholder submission(s) rejected and left out of the weights "
        "(`lev2040 weights` lists why)",
        "note: group 'verwaltung' has no accepted submission; it is left out of the weights",
    ]
    info = json.loads(result.stdout)["weights_source"]
    assert info["rejected_submissions"] == 1 and info["missing_groups"] == ["verwaltung"]
    clean = invoke(command[0], ROOT / "cases" / "tiny", *command[1:])
    assert clean.exit_code == 0 and clean.stderr == ""


@pytest.mark.parametrize("folder", CASE_FOLDERS)
def test_every_case_in_the_repository_validates(invoke, folder):
    result = invoke("validate", f"cases/{folder}")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0].endswith(": valid")


@pytest.fixture
def tiny_json(invoke) -> dict:
    result = invoke("validate", "cases/tiny", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)


def test_json_is_one_object_with_summary_and_provenance(tiny_json):
    assert {"summary", "provenance"} <= set(tiny_json)
    expected = json.loads(json.dumps(summarize_case(load_case("cases/tiny")), default=str))
    assert tiny_json["summary"] == expected


def test_json_provenance_names_tool_command_and_parameters(tiny_json):
    prov = tiny_json["provenance"]
    assert (prov["tool"], prov["version"], prov["command"], prov["parameters"]) == (
        "lev2040-mcda",
        lev2040_mcda.__version__,
        "validate",
        {"case": "cases/tiny", "strict": False},
    )
    assert {"solver", "seed"} <= set(prov)


def test_json_provenance_hashes_every_file_read(tiny_json):
    files = {p.relative_to(TINY).as_posix(): {"sha256": sha256(p)} for p in TINY.rglob("*") if p.is_file()}
    assert {"weights/verwaltung.yaml", "weights/buerger.csv", "criteria.yaml"} <= set(files)
    assert tiny_json["provenance"]["inputs"] == files


def test_json_is_byte_identical_across_runs(invoke):
    first = invoke("validate", "cases/tiny", "--format", "json")
    second = invoke("validate", "cases/tiny", "--format", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes


def test_csv_is_long_format_section_id_field_value(invoke):
    result = invoke("validate", "cases/tiny", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["section", "id", "field", "value"]
    assert {len(r) for r in rows} == {4}
    assert ["counts", "", "measures", "6"] in rows
    assert ["counts", "", "submissions", "4"] in rows
    assert ["districts", "stadt", "measures_incl_parts", "6"] in rows


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_output_file_holds_exactly_what_stdout_would(invoke, tmp_path, fmt):
    out = tmp_path / "sub" / f"summary.{fmt}"
    out.parent.mkdir()  # -o never creates folders (issue 13): its folder must exist
    to_stdout = invoke("validate", "cases/tiny", "--format", fmt)
    to_file = invoke("validate", "cases/tiny", "--format", fmt, "-o", out)
    assert (to_file.exit_code, to_file.stdout, to_file.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file left


@pytest.fixture
def broken_tiny(tiny) -> Path:
    path = tiny / "measures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            ",Pocket park,sued,klima,10,", ",Pocket park,sued,klima,ten,"
        ),
        encoding="utf-8",
    )
    return tiny


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_failed_run_writes_no_output_file(invoke, broken_tiny, tmp_path, fmt):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = invoke("validate", broken_tiny, "--format", fmt, "-o", out_dir / "summary.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{broken_tiny / 'measures.csv'}:3: column 'cost': 'ten' is not a "
        "number (expected a number like 1.5)\n"
    )
    assert list(out_dir.iterdir()) == []


def test_failed_json_run_writes_a_whole_json_report(invoke, broken_tiny, tmp_path):
    out = tmp_path / "report.json"
    result = invoke("validate", broken_tiny, "--format", "json", "-o", out)
    assert result.exit_code == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["valid"] is False
    assert [p["message"] for p in data["problems"]] == result.stderr.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "tiny"]


def test_unwritable_output_is_exit_2_without_traceback(invoke, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke("validate", "cases/tiny", "-o", blocker / "out.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{blocker / 'out.txt'}: cannot write")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


# -- init -------------------------------------------------------------------------------------


SMALLEST_MEASURES = "id,name,cost,quality,price\na,Option A,40,7,250\nb,Option B,70,9,300\n"


def test_init_writes_the_smallest_case(invoke, tmp_path):
    target = tmp_path / "new"
    result = invoke("init", target)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"wrote {target / 'case.yaml'}",
        f"wrote {target / 'criteria.yaml'}",
        f"wrote {target / 'measures.csv'}",
        f"wrote {target / 'weights' / 'anyone.yaml'}",
        f"Next: edit the files, then run `lev2040 validate {target}`.",
    ]
    assert (target / "measures.csv").read_text(encoding="utf-8") == SMALLEST_MEASURES


def test_init_case_validates(invoke, tmp_path):
    assert invoke("init", tmp_path / "new").exit_code == 0
    result = invoke("validate", tmp_path / "new")
    assert (result.exit_code, result.stderr) == (0, "")
    case = load_case(tmp_path / "new")
    assert (case.measure_ids, case.criterion_ids, case.submission_count) == (
        ("a", "b"),
        ("quality", "price"),
        1,
    )


def test_init_refuses_a_non_empty_folder(invoke, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = invoke("init", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{tmp_path}: folder is not empty (use --force to write into it)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_writes_into_a_non_empty_folder(invoke, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = invoke("init", tmp_path, "--force")
    assert result.exit_code == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert invoke("validate", tmp_path).exit_code == 0


def _plain_file_mode(tmp_path: Path) -> int:
    """The permissions a file gets from a plain `open(..., "w")` here (0o666 less the umask)."""
    probe = tmp_path / "plain.txt"
    probe.write_text("x", encoding="utf-8")
    return probe.stat().st_mode & 0o777


def test_output_file_gets_ordinary_permissions(invoke, tmp_path):
    """Writing atomically (temp file, rename) must not make the result private: mkstemp
    creates 0600 files, a report written with -o should be readable like any other file."""
    out = tmp_path / "summary.json"
    assert invoke("validate", "cases/tiny", "--format", "json", "-o", out).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == oct(_plain_file_mode(tmp_path))


def test_init_files_get_ordinary_permissions(invoke, tmp_path):
    assert invoke("init", tmp_path / "new").exit_code == 0
    modes = {
        p.relative_to(tmp_path / "new").as_posix(): oct(p.stat().st_mode & 0o777)
        for p in (tmp_path / "new").rglob("*")
        if p.is_file()
    }
    assert modes == {name: oct(_plain_file_mode(tmp_path)) for name in modes}


# -- help, version, start-up ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help(invoke, name):
    command = cli.commands[name]
    assert command.help and command.help.strip()
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {name} ")
    assert " ".join(command.help.split("\n")[0].split()) in " ".join(result.stdout.split())


def test_top_level_help_lists_every_command(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n", 1)[1]
    assert [ln.split()[0] for ln in listed.splitlines() if ln.strip()] == sorted(cli.commands)


def test_version(invoke):
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"lev2040, version {lev2040_mcda.__version__}\n")


_HELP_PROBE = """
import sys
from lev2040_mcda.cli import main
sys.argv = ["lev2040", "--help"]
try:
    main()
except SystemExit as exc:
    code = exc.code
print("EXIT", code)
print("LOADED", " ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


@pytest.fixture(scope="module")
def help_in_fresh_python() -> str:
    proc = subprocess.run(
        [sys.executable, "-c", _HELP_PROBE.format(heavy=HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_help_in_fresh_python_exits_0(help_in_fresh_python):
    assert "Usage: lev2040 [OPTIONS] COMMAND [ARGS]..." in help_in_fresh_python
    assert "EXIT 0" in help_in_fresh_python.splitlines()


@pytest.mark.parametrize("module", HEAVY)
def test_help_does_not_import(help_in_fresh_python, module):
    loaded = help_in_fresh_python.splitlines()[-1].split()[1:]
    assert module not in loaded


def test_top_level_script_runs_the_cli():
    proc = subprocess.run(
        [sys.executable, "cli.py", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout) == (0, f"lev2040, version {lev2040_mcda.__version__}\n")


# -- formula injection ------------------------------------------------------------------------


def _rename_park(case: Path, name: str) -> None:
    path = case / "measures.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[2][1] = name  # park
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.mark.parametrize(
    "name, written",
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-3.5", "-3.5"),  # a plain number stays a number
        ("Pocket park", "Pocket park"),
    ],
)
def test_measure_names_written_to_csv_are_escaped(tiny, name, written):
    _rename_park(tiny, name)
    case = load_case(tiny)
    assert case.measures[1].name == name
    text = to_csv(["id", "name"], [[m.id, m.name] for m in case.measures])
    assert list(csv.reader(io.StringIO(text)))[2] == ["park", written]


def test_validate_csv_escapes_a_goal_title(invoke, tiny):
    path = tiny / "goals.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Klimaneutrale Stadt", "title: '=cmd|/c calc'"),
        encoding="utf-8",
    )
    result = invoke("validate", tiny, "--format", "csv")
    assert result.exit_code == 0
    assert ["goals", "klima", "title", "'=cmd|/c calc"] in list(csv.reader(io.StringIO(result.stdout)))


def test_one_weight_source_at_a_time(invoke):
    result = invoke("rank", "cases/tiny", "--group", "buerger", "--weights-from", "entropy")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "--group: cannot be combined with --weights-from entropy (the weights come from one source)\n"
    )


@pytest.mark.parametrize("command", ["sensitivity", "portfolio", "frontier", "robust", "report"])
def test_commands_that_need_one_method_do_not_offer_all(invoke, command):
    help_text = invoke(command, "--help").stdout
    # sensitivity also ranks on the portfolio's value on fixed scales
    assert ("mabac|value]" if command == "sensitivity" else "mabac]") in help_text
    assert "|all]" not in help_text
    assert "|all]" in invoke("rank", "--help").stdout
