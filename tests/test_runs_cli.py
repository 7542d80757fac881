"""Saving runs from the CLI (`--save`) and `lev2040 runs list/show/rerun/delete` on a copy of
cases/tiny: what is printed never changes, `runs show` prints it again byte for byte, a run whose
inputs changed is stale until rerun."""

from __future__ import annotations

import json

import pytest

COMMANDS = [
    ("portfolio", ["--limit", "cost=60"]),
    ("frontier", ["--steps", "3"]),
    ("rank", ["--method", "vikor"]),
    ("sensitivity", ["--samples", "200"]),
    ("robust", ["--samples", "3"]),
]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize(("command", "options"), COMMANDS)
def test_saving_changes_nothing_printed_and_show_prints_it_again(tiny, invoke, command, options, fmt):
    plain = invoke(command, tiny, *options, "--format", fmt)
    saved = invoke(command, tiny, *options, "--format", fmt, "--save", f"{command}-1", "--note", "Probe")
    assert plain.exit_code == saved.exit_code == 0, saved.output
    assert saved.stdout == plain.stdout
    assert f"saved run '{command}-1'" in saved.stderr
    shown = invoke("runs", "show", tiny, f"{command}-1")
    assert shown.exit_code == 0 and shown.stdout == plain.stdout
    for other in ("json", "csv") if fmt == "table" else ():  # every format kept, as the command prints it
        again = invoke("runs", "show", tiny, f"{command}-1", "--format", other)
        assert again.stdout == invoke(command, tiny, *options, "--format", other).stdout


def test_a_vote_run_is_saved_with_its_ballot_files(invoke, tmp_path):
    import shutil
    from pathlib import Path

    leverkusen = Path(__file__).resolve().parents[1] / "cases" / "leverkusen-2040"
    case = tmp_path / "cases" / "lev"
    shutil.copytree(leverkusen, case, ignore=shutil.ignore_patterns(".lev2040"))
    shutil.copytree(leverkusen.parent.parent / "criteria", tmp_path / "criteria")
    saved = invoke("vote", case, "--rule", "greedy", "--no-compare", "--save", "greedy")
    assert saved.exit_code == 0, saved.output
    listed = json.loads(invoke("runs", "list", case, "--format", "json").stdout)["runs"]
    assert [(r["name"], r["command"], r["stale"]) for r in listed] == [("greedy", "vote", False)]
    assert invoke("runs", "show", case, "greedy").stdout == saved.stdout
    mapping = case / "votes" / "mapping.csv"  # what the ballots mean: the run depends on it
    mapping.write_text(mapping.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    listed = json.loads(invoke("runs", "list", case, "--format", "json").stdout)["runs"]
    assert listed[0]["stale"] is True


def test_list_names_what_each_run_changed_and_marks_stale_runs(tiny, invoke):
    assert invoke("portfolio", tiny, "--save", "base").exit_code == 0
    assert (
        invoke("portfolio", tiny, "--limit", "cost=90", "--include", "tram", "--save", "what-if").exit_code
        == 0
    )
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert [r["name"] for r in listed] == ["base", "what-if"]
    assert listed[0]["parameters"] == {} and not listed[0]["stale"]
    assert listed[1]["parameters"] == {"limits": ["cost=90"], "include": ["tram"]}
    table = invoke("runs", "list", tiny).stdout
    rows = table.splitlines()[4:]  # after the title, a blank line, the header and its rule
    assert [r.split()[0] for r in rows[:2]] == ["base", "what-if"]
    assert "include=tram limits=cost=90" in rows[1] and not any("stale" in r for r in rows)

    measures = tiny / "measures.csv"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("Solar roofs", "Solar roofs 2"), encoding="utf-8"
    )
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert [r["stale"] for r in listed] == [True, True]

    rerun = invoke("runs", "rerun", tiny, "what-if")
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout == invoke("portfolio", tiny, "--limit", "cost=90", "--include", "tram").stdout
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert {r["name"]: r["stale"] for r in listed} == {"base": True, "what-if": False}
    import hashlib

    saved = json.loads(invoke("runs", "show", tiny, "what-if", "--format", "json").stdout)
    assert (
        saved["provenance"]["inputs"]["measures.csv"]["sha256"]
        == hashlib.sha256(measures.read_bytes()).hexdigest()
    )


def test_a_new_submission_makes_runs_stale(tiny, invoke):
    assert invoke("rank", tiny, "--save", "r").exit_code == 0
    (tiny / "weights" / "neu.yaml").write_text(
        "group: buerger\nmethod: direct\nweights: {co2: 1, cost: 1, homes: 1, acceptance: 1}\n",
        encoding="utf-8",
    )
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert listed[0]["stale"] is True


def test_delete_removes_only_named_runs_and_refuses_unknown_names_first(tiny, invoke):
    for name in ("a", "b"):
        assert invoke("rank", tiny, "--save", name).exit_code == 0
    refused = invoke("runs", "delete", tiny, "a", "nope")
    assert refused.exit_code == 2 and "no run named 'nope'" in refused.stderr
    assert invoke("runs", "delete", tiny, "a").exit_code == 0
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert [r["name"] for r in listed] == ["b"]


@pytest.mark.parametrize("name", ["../escape", "a/b", ".x"])
def test_a_bad_run_name_is_refused_before_any_work(tiny, invoke, name):
    result = invoke("portfolio", tiny, "--save", name)
    assert result.exit_code == 2 and result.stdout == ""
    assert "not a run name" in result.stderr and "Traceback" not in result.stderr
    assert not (tiny / ".lev2040").exists() and not (tiny.parent / "escape").exists()


def test_a_foreign_file_as_store_is_refused_before_any_work(tiny, invoke, tmp_path):
    other = tmp_path / "notes.sqlite"
    other.write_text("meine Notizen\n", encoding="utf-8")
    result = invoke("portfolio", tiny, "--save", "x", "--store", other)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().endswith("not an SQLite database, so not a run store; it is left as it is")
    assert other.read_text(encoding="utf-8") == "meine Notizen\n"


def test_note_needs_save_and_show_names_the_runs_there_are(tiny, invoke):
    assert invoke("rank", tiny, "--note", "x").exit_code == 2
    assert invoke("rank", tiny, "--save", "only").exit_code == 0
    missing = invoke("runs", "show", tiny, "other")
    assert missing.exit_code == 2 and "the runs are: only" in missing.stderr


def test_the_store_is_never_read_as_input(tiny, invoke):
    before = invoke("portfolio", tiny, "--format", "json").stdout
    assert invoke("portfolio", tiny, "--save", "x").exit_code == 0
    assert invoke("portfolio", tiny, "--format", "json").stdout == before
    assert invoke("validate", tiny).exit_code == 0


def test_ten_analysts_saving_through_the_cli_at_once_all_land(tiny, invoke):
    import subprocess
    import sys

    savers = [
        subprocess.Popen(
            [sys.executable, "-m", "lev2040_mcda.cli", "rank", str(tiny), "--save", f"analyst-{i}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(10)
    ]
    errors = [p.communicate(timeout=300)[1] for p in savers]
    assert [p.returncode for p in savers] == [0] * 10, errors
    listed = json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]
    assert sorted(r["name"] for r in listed) == sorted(f"analyst-{i}" for i in range(10))


def test_diff_and_export_through_the_cli(tiny, invoke, tmp_path):
    import io

    import openpyxl

    assert invoke("portfolio", tiny, "--save", "base").exit_code == 0
    assert invoke("portfolio", tiny, "--limit", "cost=60", "--save", "cost60").exit_code == 0
    assert invoke("rank", tiny, "--save", "ranked").exit_code == 0
    table = invoke("runs", "diff", tiny, "base", "cost60")
    assert table.exit_code == 0, table.output
    assert "base -> cost60" in table.stdout and "the limit of cost was lowered (100 -> 60)" in table.stdout
    data = json.loads(invoke("runs", "diff", tiny, "base", "cost60", "--format", "json").stdout)
    assert data["provenance"]["command"] == "runs diff"
    change = data["changes"][0]
    assert [m["id"] for m in change["entered"]] == ["park"] and [m["id"] for m in change["left"]] == [
        "housing"
    ]
    book = tmp_path / "diff.xlsx"
    assert invoke("runs", "diff", tiny, "base", "cost60", "-o", book).exit_code == 0
    assert openpyxl.load_workbook(book).active.max_row > 5

    refused = invoke("runs", "diff", tiny, "base", "ranked")
    assert refused.exit_code == 2 and "only portfolio runs can be compared" in refused.stderr
    assert invoke("runs", "diff", tiny, "base").exit_code == 2

    out = tmp_path / "runs.xlsx"
    exported = invoke("runs", "export", tiny, "-o", out)
    assert exported.exit_code == 0, exported.output
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["runs", "comparison", "base", "cost60", "ranked"]


def test_runs_report_shows_the_runs_side_by_side_in_the_portfolio_section(tiny, invoke, tmp_path):
    assert invoke("portfolio", tiny, "--save", "base").exit_code == 0
    assert (
        invoke(
            "portfolio", tiny, "--limit", "cost=60", "--save", "cost60", "--note", "<b>Sparkurs</b>"
        ).exit_code
        == 0
    )
    out = tmp_path / "report"
    built = invoke(
        "runs", "report", tiny, "base", "cost60", "-o", out, "--samples", "200", "--robust-samples", "3"
    )
    assert built.exit_code == 0, built.output
    page = (out / "index.html").read_text(encoding="utf-8")
    runs = page[page.index('id="portfolio-runs"') :]
    assert runs.index("base") < runs.index("cost60") and "&lt;b&gt;Sparkurs&lt;/b&gt;" in runs
    saved = json.loads((out / "json" / "runs.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in saved["runs"]] == ["base", "cost60"]
    assert saved["provenance"]["command"] == "runs report"
    assert invoke("runs", "report", tiny, "base", "-o", tmp_path / "one").exit_code == 2


def test_a_weights_file_outside_the_case_is_hashed_and_found_again_on_rerun(
    tiny, invoke, tmp_path, monkeypatch
):
    outside = tmp_path / "w_out.yaml"
    outside.write_text(
        "method: direct\nweights: {co2: 3, cost: 1, homes: 1, acceptance: 1}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert invoke("portfolio", "tiny", "--weights", "w_out.yaml", "--save", "wout").exit_code == 0
    listed = json.loads(invoke("runs", "list", "tiny", "--format", "json").stdout)["runs"]
    assert listed[0]["parameters"] == {"weights_file": "../w_out.yaml"} and listed[0]["stale"] is False
    outside.write_text(
        "method: direct\nweights: {co2: 1, cost: 1, homes: 5, acceptance: 1}\n", encoding="utf-8"
    )
    listed = json.loads(invoke("runs", "list", "tiny", "--format", "json").stdout)["runs"]
    assert listed[0]["stale"] is True
    monkeypatch.chdir(tiny)  # rerun from elsewhere: the file is found from the case folder
    rerun = invoke("runs", "rerun", ".", "wout")
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout == invoke("portfolio", ".", "--weights", "../w_out.yaml").stdout
    assert json.loads(invoke("runs", "list", ".", "--format", "json").stdout)["runs"][0]["stale"] is False


def test_rerun_refuses_a_run_with_options_this_version_lacks_and_keeps_it(tiny, invoke):
    import sqlite3

    assert invoke("portfolio", tiny, "--limit", "cost=60", "--save", "lim").exit_code == 0
    with sqlite3.connect(tiny / ".lev2040" / "runs.sqlite") as conn:  # as if --limit were renamed since
        conn.execute("UPDATE lev2040_runs SET params = replace(params, '\"limits\"', '\"resource_limits\"')")
    before = invoke("runs", "show", tiny, "lim").stdout
    refused = invoke("runs", "rerun", tiny, "lim")
    assert refused.exit_code == 2 and "resource_limits" in refused.stderr and refused.stdout == ""
    assert invoke("runs", "show", tiny, "lim").stdout == before


def test_reading_runs_makes_no_store_and_checks_the_case_first(tiny, invoke, tmp_path):
    assert "No saved runs" in invoke("runs", "list", tiny).stdout
    assert invoke("runs", "show", tiny, "x").exit_code == 2
    assert not (tiny / ".lev2040").exists()
    folder = tmp_path / "notacase"
    folder.mkdir()
    for args in (["list"], ["show", "x"], ["delete", "x"]):
        result = invoke("runs", *args[:1], folder, *args[1:])
        assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_a_case_file_of_another_name_keeps_its_own_runs(tiny, invoke):
    variant = tiny / "variant.yaml"
    text = (tiny / "case.yaml").read_text(encoding="utf-8")
    variant.write_text(text.replace("name: tiny", "name: variant"), encoding="utf-8")
    assert invoke("portfolio", tiny, "--save", "base").exit_code == 0
    assert invoke("portfolio", variant, "--save", "var").exit_code == 0
    assert invoke("runs", "show", variant, "var").exit_code == 0
    assert invoke("runs", "show", variant, "base").exit_code == 2
    names = [r["name"] for r in json.loads(invoke("runs", "list", tiny, "--format", "json").stdout)["runs"]]
    assert names == ["base"]


def test_a_symlinked_store_folder_is_refused(tiny, invoke, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tiny / ".lev2040").symlink_to(elsewhere)
    result = invoke("rank", tiny, "--save", "r")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u@h:notaport/db",
        "postgresql://u@[::1/db",
        "mysql://u@h/db",
        "postgresql:///db?sslmode=bogus",
    ],
)
def test_a_bad_store_url_is_one_line(tiny, invoke, url):
    result = invoke("rank", tiny, "--save", "r", "--store", url)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr


def test_a_run_without_result_is_not_saved_and_says_so(tiny, invoke):
    result = invoke(
        "portfolio", tiny, "--limit", "cost=80", "--include", "tram", "--include", "park", "--save", "m"
    )
    assert result.exit_code == 3
    assert "note: run 'm' not saved" in result.stderr
    assert invoke("runs", "show", tiny, "m").exit_code == 2


def test_a_measure_pushed_out_by_another_forced_in_is_told_so(tiny, invoke):
    assert invoke("portfolio", tiny, "--exclude", "housing", "--save", "ex").exit_code == 0
    assert (
        invoke("portfolio", tiny, "--include", "tram", "--limit", "cost=120", "--save", "inc").exit_code == 0
    )
    data = json.loads(invoke("runs", "diff", tiny, "ex", "inc", "--format", "json").stdout)
    left = {m["id"]: m["reasons"] for m in data["changes"][0]["left"]}
    assert left, "something must leave when tram is forced in"
    for reasons in left.values():
        assert {
            "code": "crowded_out",
            "measure": "tram",
            "text": "tram was forced in (--include) and takes a resource it needs",
        } in reasons
