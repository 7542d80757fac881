"""The run store on SQLite: saving, reading back, what it refuses, migrations, concurrent
savers and killed saves (the PostgreSQL store: test_runs_postgres.py)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lev2040_mcda.errors import InputError
from lev2040_mcda.runs import Run, StoreError, check_name, open_store
from lev2040_mcda.runs.store import SCHEMA_VERSION


def make_run(name: str, case: str = "tiny", value: float | None = 1.5, **kw) -> Run:
    fields = dict(
        name=name,
        command="portfolio",
        case=case,
        params={"limits": ["cost=60"], "fmt": "table", "case": "cases/tiny"},
        inputs={"case.yaml": "ab" * 32},
        version="0.1.0",
        solver="cbc",
        status="optimal",
        value=value,
        result={"status": "optimal", "selected": ["a"], "objective": value},
        outputs={"table": f"table of {name}\n", "json": '{"x": 1}\n', "csv": "a,b\n1,2\n"},
        created=f"2026-12-02T10:00:0{len(name) % 10}+00:00",
        note="ein Hinweis: ä",
        defaults={"limits": [], "fmt": "table"},
    )
    fields.update(kw)
    return Run(**fields)


def test_a_run_comes_back_as_it_was_saved(tmp_path):
    run = make_run("budget-180")
    with open_store(tmp_path) as store:
        assert store.save(run) is None
        assert store.get("tiny", "budget-180") == run
        assert store.version() == SCHEMA_VERSION
    assert (tmp_path / ".lev2040" / "runs.sqlite").is_file()
    assert run.key_parameters() == {"limits": ["cost=60"]}


def test_saving_a_name_again_replaces_the_run_and_says_which(tmp_path):
    with open_store(tmp_path) as store:
        store.save(make_run("a", value=1.0))
        old = store.save(make_run("a", value=2.0))
        assert old is not None and old.value == 1.0
        assert [r.value for r in store.list("tiny")] == [2.0]


def test_runs_belong_to_their_case_and_are_listed_oldest_first(tmp_path):
    with open_store(tmp_path) as store:
        store.save(make_run("late", created="2026-12-02T12:00:00+00:00"))
        store.save(make_run("early", created="2026-12-01T12:00:00+00:00"))
        store.save(make_run("other", case="another"))
        assert [r.name for r in store.list("tiny")] == ["early", "late"]
        assert [r.name for r in store.list("another")] == ["other"]
        store.delete("tiny", "early")
        assert [r.name for r in store.list("tiny")] == ["late"]
        with pytest.raises(StoreError, match=r"no run named 'early' .*the runs are: late"):
            store.get("tiny", "early")


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "a" * 65, "a..b", "x y", "-rf"])
def test_a_name_that_could_be_a_path_is_refused(name):
    with pytest.raises(InputError, match="not a run name"):
        check_name(name)


def test_a_file_that_is_no_database_is_reported_and_left_as_it_is(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"budget;value\n1;2\n")
    with pytest.raises(StoreError, match="not an SQLite database"):
        open_store(tmp_path, str(path))
    assert path.read_bytes() == b"budget;value\n1;2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.sqlite"]


def test_another_programs_database_is_reported_and_left_as_it_is(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"a database of something else \(tables: invoices\)"):
        open_store(tmp_path, str(path))
    assert path.read_bytes() == before


def test_a_damaged_store_is_reported_and_left_as_it_is(tmp_path):
    with open_store(tmp_path) as store:
        store.save(make_run("a"))
    path = tmp_path / ".lev2040" / "runs.sqlite"
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header survives, the schema page does not
    path.write_bytes(bytes(data))
    for extra in path.parent.glob("runs.sqlite-*"):
        extra.unlink()
    with pytest.raises(StoreError, match="damaged"):
        with open_store(tmp_path) as store:
            store.list("tiny")
    assert path.read_bytes() == bytes(data)


def test_a_store_of_a_newer_version_is_refused(tmp_path):
    with open_store(tmp_path) as store:
        store.save(make_run("a"))
    with sqlite3.connect(tmp_path / ".lev2040" / "runs.sqlite") as conn:
        conn.execute("UPDATE lev2040_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match=f"newer lev2040 \\(schema version {SCHEMA_VERSION + 1}"):
        open_store(tmp_path)


def test_an_older_store_is_migrated_in_place_after_a_backup(tmp_path):
    path = tmp_path / ".lev2040" / "runs.sqlite"
    open_store(tmp_path, migrate_to=1).close()
    with sqlite3.connect(path) as conn:  # a run saved by version 1, which had no defaults column
        conn.execute(
            "INSERT INTO lev2040_runs (case_name, name, command, params, inputs, version, result, "
            "output_table, output_json, output_csv, created, note) VALUES "
            "('tiny', 'old', 'rank', '{}', '{}', '0.0.9', '{}', 't', '{}', 'c', '2026-01-01', '')"
        )
    with open_store(tmp_path) as store:
        assert store.migrated_from == 1
        assert store.version() == SCHEMA_VERSION
        old = store.get("tiny", "old")
        assert old.defaults == {} and old.outputs["table"] == "t"
    backup = path.with_name("runs.sqlite.v1.bak")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version FROM lev2040_schema").fetchone() == (1,)
        assert conn.execute("SELECT name FROM lev2040_runs").fetchall() == [("old",)]
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.startswith("runs.sqlite-")) == [
        "runs.sqlite",
        "runs.sqlite.v1.bak",
    ]


def test_a_store_path_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path, str(tmp_path / "nowhere" / "runs.sqlite"))


def _save_at(args: tuple[str, int, float]) -> str:
    folder, i, start = args
    while time.time() < start:  # every saver starts at the same moment
        time.sleep(0.001)
    with open_store(folder) as store:
        store.save(make_run(f"saver-{i}", value=float(i)))
    return f"saver-{i}"


def test_ten_savers_at_the_same_moment_all_land(tmp_path):
    open_store(tmp_path).close()
    start = time.time() + 2.0
    with multiprocessing.get_context("spawn").Pool(10) as pool:
        saved = pool.map(_save_at, [(str(tmp_path), i, start) for i in range(10)])
    with open_store(tmp_path) as store:
        runs = {r.name: r.value for r in store.list("tiny")}
    assert sorted(saved) == sorted(runs) and len(runs) == 10
    assert runs == {f"saver-{i}": float(i) for i in range(10)}


def test_a_save_killed_inside_its_transaction_leaves_no_half_run(tmp_path):
    with open_store(tmp_path) as store:
        store.save(make_run("kept"))
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_runs_store import make_run
        from lev2040_mcda.runs import open_store
        from lev2040_mcda.runs.store import _row
        store = open_store({str(tmp_path)!r})
        with store._writing() as conn:
            conn.execute(store._runs.insert().values(**_row(make_run("half"))))
            print("inside", flush=True)
            time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "inside"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    with open_store(tmp_path) as store:
        assert [r.name for r in store.list("tiny")] == ["kept"]
        store.save(make_run("after"))  # the lock died with the process
        assert {r.name for r in store.list("tiny")} == {"after", "kept"}
