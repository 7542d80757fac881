"""Hostile and broken input, class 4 of issue 13: where the results go.

- ``report -o DIR`` replaces DIR as a whole: a run killed (SIGKILL, in a child process) at any
  point leaves exactly the old report or exactly the new one, never a mix, and the next run leaves
  no temporary; SIGTERM, Ctrl-C and errors clean up at once;
- no write goes over a file the run read (a case file, a criteria catalogue outside the case, a
  ``--weights`` file; through a symlink or a ``../`` spelling too), and no folder that is not a
  report is replaced;
- no missing folder is created on the way;
- a file is fsynced before its rename, and its folder after;
- the same inputs give the same bytes, the workbook included.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import lev2040_mcda.output as output
from lev2040_mcda.cli import cli
from lev2040_mcda.output import OutputError, write_atomic, write_tree
from lev2040_mcda.report.build import replaceable

from .hostile import MEMORY_LIMIT, TIME_LIMIT, assert_clean_stderr, lev2040, smallest_case

ROOT = Path(__file__).resolve().parent.parent
FAST = ("--samples", "20", "--robust-samples", "2", "--steps", "2")
MARKER = ".lev2040-report"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def tree(root: Path) -> dict[str, bytes | None] | None:
    """Every entry under ``root`` with its bytes (``None`` for a folder); ``None`` when missing."""
    if not root.exists():
        return None
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in root.rglob("*")}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".lev2040-" in p.name)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The smallest case, and its report in German (the old one) and in English (the new one)."""
    base = tmp_path_factory.mktemp("reports")
    case = smallest_case(base / "case")
    for lang in ("de", "en"):
        result = run("report", case, "-o", base / lang, "--lang", lang, *FAST)
        assert result.exit_code == 0, result.output
    old, new = tree(base / "de"), tree(base / "en")
    assert old != new and set(old) == set(new)
    return case, old, new


def plant(folder: Path, files: dict[str, bytes | None]) -> Path:
    """Write the tree ``files`` at ``folder`` (the old report a run is to replace)."""
    folder.mkdir(parents=True)
    for name, data in sorted(files.items()):
        if data is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(data)
    return folder


# -- killed while writing the report folder ----------------------------------------------------

_DRIVER = """
import base64, json, os, signal, sys
import lev2040_mcda.output as out

mode, k, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = [0]

def at_k(sig=signal.SIGKILL):
    calls[0] += 1
    if calls[0] == k:
        os.kill(os.getpid(), sig)

if mode in ("fsync", "term"):  # before the k-th fsync: SIGKILL, or SIGTERM
    real_fsync = os.fsync
    def fsync(fd):
        at_k(signal.SIGTERM if mode == "term" else signal.SIGKILL)
        return real_fsync(fd)
    os.fsync = fsync
elif mode == "exchanged":  # right after the folders were swapped
    real_exchange = out._exchange
    def exchange(a, b):
        done = real_exchange(a, b)
        at_k()
        return done
    out._exchange = exchange
elif mode == "renames":  # no renameat2: before the k-th rename of a folder
    out._exchange = lambda a, b: False
    real_rename = os.rename
    def rename(a, b):
        if ".lev2040-" in os.fspath(a) + os.fspath(b):
            at_k()
        return real_rename(a, b)
    os.rename = rename

if how == "cli":
    from lev2040_mcda.cli.app import main
    sys.argv = ["lev2040", *sys.argv[4:]]
    main()
else:  # write a report's files (base64 JSON) over an old report, as the report does
    with open(sys.argv[4], encoding="utf-8") as fh:
        files = {k: base64.b64decode(v) for k, v in json.load(fh).items()}
    out.write_tree(sys.argv[5], files, replaceable=lambda folder: None)
"""


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def spawn(*args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", _DRIVER, *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=_limits,
    )


def wait_all(children: dict, timeout: float = TIME_LIMIT) -> dict:
    """Each child's exit code and stderr; a child still running after ``timeout`` fails the test
    (a generous limit: these are not hang tests, and the machine may be busy)."""
    out = {}
    try:
        for key, child in children.items():
            _, err = child.communicate(timeout=timeout)
            out[key] = (child.returncode, err)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait()
    return out


def test_lev2040_report_killed_leaves_the_old_report_or_the_new_one(reports, tmp_path):
    case, old, new = reports
    points = {"writing": ("fsync", 5), "swapped": ("exchanged", 1)}
    children = {}
    for name, (mode, k) in points.items():
        folder = plant(tmp_path / name / "report", old)
        children[name] = spawn(mode, k, "cli", "report", case, "-o", folder, "--lang", "en", *FAST)
    done = wait_all(children, timeout=4 * TIME_LIMIT)  # two whole `lev2040 report` runs at once
    assert {name: code for name, (code, _) in done.items()} == dict.fromkeys(points, -signal.SIGKILL)
    assert tree(tmp_path / "writing" / "report") == old  # killed before the swap: untouched
    assert tree(tmp_path / "swapped" / "report") == new  # killed after it: the whole new one
    assert temporaries(tmp_path / "writing") and temporaries(tmp_path / "swapped")
    for name in points:  # the next run removes what the killed one left
        result = run("report", case, "-o", tmp_path / name / "report", "--lang", "en", *FAST)
        assert result.exit_code == 0, result.output
        assert tree(tmp_path / name / "report") == new
        assert temporaries(tmp_path / name) == []


def _fsyncs_of_one_write(new: dict, tmp_path: Path, monkeypatch) -> int:
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    write_tree(tmp_path / "count", {k: v for k, v in new.items() if v is not None}, replaceable=replaceable)
    monkeypatch.undo()
    return len(calls)


def test_a_report_folder_killed_at_every_step_is_old_or_new_never_a_mix(reports, tmp_path, monkeypatch):
    _case, old, new = reports
    files = {k: v for k, v in new.items() if v is not None}
    payload = tmp_path / "files.json"
    payload.write_text(json.dumps({k: base64.b64encode(v).decode() for k, v in files.items()}))
    n = _fsyncs_of_one_write(new, tmp_path, monkeypatch)
    assert n == len(files) + 3  # every file, the two folders of the report, then the parent
    # (mode, k) -> the folder after the kill: at the first file, midway, at the folders' fsync before
    # the swap, and at the parent's after it; right after the exchange; around two renames
    expected = {("fsync", k): old for k in (1, n // 2, n - 1)} | {("fsync", n): new, ("exchanged", 1): new}
    expected |= {("renames", 1): old, ("renames", 2): None, ("renames", 3): new}
    children = {}
    for mode, k in expected:
        folder = plant(tmp_path / f"{mode}-{k}" / "report", old)
        children[mode, k] = spawn(mode, k, "tree", payload, folder)
    children["term", 5] = spawn("term", 5, "tree", payload, plant(tmp_path / "term-5" / "report", old))
    done = wait_all(children)
    for (mode, k), (code, err) in done.items():
        folder = tmp_path / f"{mode}-{k}" / "report"
        if mode == "term":  # SIGTERM: cleaned up at once, then ended by the signal
            assert code == -signal.SIGTERM, err
            assert tree(folder) == old and temporaries(folder.parent) == []
            continue
        assert code == -signal.SIGKILL, (mode, k, err)
        assert tree(folder) == expected[mode, k], (mode, k)
        if expected[mode, k] is None:  # between two renames (no renameat2): the next write repairs
            output.remove_stale_temporaries(folder.parent)
            assert tree(folder) == old
        write_tree(folder, files, replaceable=replaceable)  # the next run
        assert tree(folder) == new, (mode, k)
        assert temporaries(folder.parent) == [], (mode, k)


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError])
def test_interrupted_or_failed_write_leaves_the_old_report_and_no_temporary(
    reports, tmp_path, monkeypatch, exc
):
    _case, old, new = reports
    folder = plant(tmp_path / "report", old)
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 4:
            raise exc(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError if exc is OSError else KeyboardInterrupt):
        write_tree(folder, {k: v for k, v in new.items() if v is not None}, replaceable=replaceable)
    assert tree(folder) == old and temporaries(tmp_path) == []


def test_without_renameat2_the_folder_is_replaced_by_two_renames(reports, tmp_path, monkeypatch):
    _case, old, new = reports
    folder = plant(tmp_path / "report", old)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    write_tree(folder, {k: v for k, v in new.items() if v is not None}, replaceable=replaceable)
    assert tree(folder) == new and temporaries(tmp_path) == []


def test_stale_temporaries_of_gone_processes_are_removed_by_the_next_write(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead, alive = int(gone.stdout), os.getppid()
    (tmp_path / f".x.json.lev2040-{dead}-abc12345.tmp").write_text("half")
    (tmp_path / f".report.lev2040-{dead}-def67890.tmp").mkdir()
    (tmp_path / f".old.lev2040-{dead}-aaaa1111.old").mkdir()  # a folder moved aside, its place empty
    (tmp_path / f".y.json.lev2040-{alive}-bbbb2222.tmp").write_text("in progress")
    (tmp_path / ".mine.tmp").write_text("not ours")
    write_atomic(tmp_path / "x.json", "{}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".y.json.lev2040-{alive}-bbbb2222.tmp", ".mine.tmp", "old", "x.json"]
    )


# -- never over an input ------------------------------------------------------------------------


@pytest.fixture
def shared_case(tmp_path) -> Path:
    """The smallest case with its criteria catalogue outside the case folder, and a weights file."""
    case = smallest_case(tmp_path / "case")
    (tmp_path / "shared").mkdir()
    (case / "criteria.yaml").rename(tmp_path / "shared" / "criteria.yaml")
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(
        text.replace("criteria.yaml", "../shared/criteria.yaml"), encoding="utf-8"
    )
    (tmp_path / "w.yaml").write_text("method: direct\nweights: {quality: 1, price: 3}\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(case / "measures.csv")
    assert run("validate", case).exit_code == 0
    return case


INPUTS = {
    "case file": ("case/measures.csv", "case/measures.csv"),
    "submission": ("case/weights/anyone.yaml", "case/weights/anyone.yaml"),
    "case.yaml": ("case/case.yaml", "case/case.yaml"),
    "catalogue outside the case": ("shared/criteria.yaml", "shared/criteria.yaml"),
    "via a symlink": ("link.csv", "case/measures.csv"),
    "via ../": ("case/weights/../measures.csv", "case/measures.csv"),
    "--weights file": ("w.yaml", "w.yaml"),
}


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("command", ["validate", "rank"])
def test_writing_over_a_file_the_run_read_is_refused(shared_case, command, kind):
    base = shared_case.parent
    target, real = (base / p for p in INPUTS[kind])
    before = real.read_bytes()
    args = ["--weights", base / "w.yaml"] if command == "rank" else []
    if kind == "--weights file" and command == "validate":
        args = []  # validate reads no weights file: writing there is fine
        result = run(command, shared_case, *args, "-o", target)
        assert result.exit_code == 0 and target.read_bytes() != before
        return
    result = run(command, shared_case, *args, "--format", "json", "-o", target)
    same = "" if kind != "via a symlink" else f" (it is {real})"
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{target}: is an input of this run{same}; refusing to write over it (choose another file)\n"
    )
    assert real.read_bytes() == before and temporaries(real.parent) == []


def test_the_report_folder_may_hold_no_input(shared_case):
    base = shared_case.parent
    for folder, first in [(shared_case, "case/case.yaml"), (base / "shared", "shared/criteria.yaml")]:
        before = tree(folder)
        result = run("report", shared_case, "-o", folder, *FAST)
        assert result.exit_code == 2
        assert result.stderr == (
            f"{folder}: holds {base / first}, an input of this run; refusing to replace it\n"
        )
        assert tree(folder) == before


def test_init_refuses_to_write_its_listing_over_a_file_of_the_new_case(tmp_path):
    result = run("init", tmp_path / "new", "-o", tmp_path / "new" / "case.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        f"{tmp_path / 'new' / 'case.yaml'}: is a file of the new case; refusing to write the listing over it\n",
    )
    assert not (tmp_path / "new").exists()


# -- folders: none created on the way, none of a user's replaced ---------------------------------


def test_a_missing_output_folder_is_refused_not_created(tmp_path):
    missing = tmp_path / "nonexistent" / "dir"
    cases = [
        (["validate", "cases/tiny", "-o", missing / "x.json"], missing / "x.json", missing),
        (["template", "cases/tiny", "-o", missing / "t.yaml"], missing / "t.yaml", missing),
        (["report", "cases/tiny", "-o", missing / "report", *FAST], missing / "report", missing),
        (["init", missing / "case"], missing / "case", missing),
    ]
    for args, shown, folder in cases:
        result = run(*args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"{shown}: cannot write (folder {folder} does not exist)\n"
    assert list(tmp_path.iterdir()) == []


def test_the_report_folder_itself_is_created_with_ordinary_permissions(reports, tmp_path):
    result = run("report", reports[0], "-o", tmp_path / "new", *FAST)
    assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [tmp_path / "new", tmp_path / "new" / "json"]}
    assert modes == {0o777 & ~umask}
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").rglob("*.json")} == {0o666 & ~umask}


def test_a_users_folder_is_never_replaced(reports, tmp_path):
    case, old, _new = reports
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    added = plant(tmp_path / "report", old)
    (added / "my-notes.txt").write_text("mine", encoding="utf-8")
    expected = {
        mine: "is not a report folder (it holds notes.txt); refusing to replace it (choose an empty or new folder)",
        added: "holds files the report did not write (my-notes.txt); refusing to replace it "
        "(move them, or choose another folder)",
    }
    for folder, reason in expected.items():
        before = tree(folder)
        result = run("report", case, "-o", folder, *FAST)
        assert (result.exit_code, result.stderr) == (2, f"{folder}: {reason}\n")
        assert tree(folder) == before
    with pytest.MonkeyPatch.context() as mp:  # the working folder: the shell would be left in a removed one
        mp.chdir(added / "json")
        assert replaceable(added.resolve()) == (
            "is (or holds) the working folder; refusing to replace it (choose another folder)"
        )
    a_file = tmp_path / "a_file"  # the CLI refuses it itself (-o takes a folder); the library too
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="a_file: cannot write \\(it is a file, not a folder\\)"):
        write_tree(a_file, {"index.html": "new"}, replaceable=replaceable)
    assert a_file.read_text(encoding="utf-8") == "x" and temporaries(tmp_path) == []


def test_a_report_from_before_the_marker_and_an_empty_folder_are_replaced(reports, tmp_path):
    case, old, new = reports
    legacy = plant(tmp_path / "legacy", {k: v for k, v in old.items() if k != MARKER})
    result = run("report", case, "-o", legacy, "--lang", "en", *FAST)
    assert result.exit_code == 0, result.output
    assert tree(legacy) == new
    empty = tmp_path / "empty"
    empty.mkdir()
    write_tree(empty, {k: v for k, v in new.items() if v is not None}, replaceable=replaceable)
    assert tree(empty) == new
    assert replaceable(plant(tmp_path / "half", {"json": None, "json/a.json": b"{}"})) is not None


def test_a_failed_run_leaves_the_old_output_untouched(reports, tmp_path, tiny):
    case, old, _new = reports
    folder = plant(tmp_path / "report", old)
    result = run("report", case, "-o", folder, "--scenario", "nope", *FAST)
    assert result.exit_code == 2 and tree(folder) == old and temporaries(tmp_path) == []
    out = tmp_path / "summary.txt"
    out.write_text("previous", encoding="utf-8")
    (tiny / "measures.csv").write_text("id,name\n", encoding="utf-8")
    assert run("validate", tiny, "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous" and temporaries(tmp_path) == []


# -- durable, and the same bytes --------------------------------------------------------------


def test_write_atomic_fsyncs_the_file_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", lambda a, b: events.append("rename") or real_replace(a, b))
    write_atomic(tmp_path / "x.json", "{}\n")
    assert events == ["fsync file", "rename", "fsync folder"]
    assert (tmp_path / "x.json").read_text() == "{}\n"


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError])
def test_an_interrupted_file_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, exc):
    (tmp_path / "x.json").write_text("old", encoding="utf-8")

    def fsync(fd):
        raise exc(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError if exc is OSError else KeyboardInterrupt):
        write_atomic(tmp_path / "x.json", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == "old"


def test_write_tree_fsyncs_every_file_before_the_swap_and_the_parent_after(tmp_path, monkeypatch):
    events = []
    real_fsync = os.fsync
    monkeypatch.setattr(
        os, "fsync", lambda fd: events.append(stat.S_ISDIR(os.fstat(fd).st_mode)) or real_fsync(fd)
    )
    write_tree(tmp_path / "out", {"a.txt": "a", "sub/b.txt": b"b"}, replaceable=replaceable)
    assert events == [False, False, True, True, True]  # two files, two folders, then the parent
    assert tree(tmp_path / "out") == {"a.txt": b"a", "sub": None, "sub/b.txt": b"b"}


def shift_clock(monkeypatch, days: float = 1.0) -> None:
    """Move the clock that openpyxl and zipfile stamp a workbook with, so that two runs cannot
    agree merely by falling within the same second."""
    import datetime as dt
    import time
    import types

    import openpyxl.writer.excel as excel

    real, offset = time.time, days * 86400

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.fromtimestamp(real() + offset, tz)

    monkeypatch.setattr(time, "time", lambda: real() + offset)
    monkeypatch.setattr(excel, "datetime", types.SimpleNamespace(datetime=Clock, timezone=dt.timezone))


def test_two_report_runs_give_the_same_bytes_for_every_file(reports, tmp_path, monkeypatch):
    case, _old, new = reports
    shift_clock(monkeypatch, days=400)
    result = run("report", case, "-o", tmp_path / "again", "--lang", "en", *FAST)
    assert result.exit_code == 0
    assert tree(tmp_path / "again") == new
    with zipfile.ZipFile(tmp_path / "again" / "results.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified


def test_source_date_epoch_sets_the_workbooks_dates(reports, tmp_path, monkeypatch):
    case, _old, new = reports
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert run("report", case, "-o", tmp_path / "a", "--lang", "en", *FAST).exit_code == 0
    a = tree(tmp_path / "a")
    assert a["results.xlsx"] != new["results.xlsx"]
    assert {k: v for k, v in a.items() if k != "results.xlsx"} == {
        k: v for k, v in new.items() if k != "results.xlsx"
    }
    with zipfile.ZipFile(tmp_path / "a" / "results.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert z.read("docProps/core.xml").decode().count("2023-11-14T22:13:20Z") == 2


def test_a_real_child_run_over_an_input_is_refused_cleanly(shared_case):
    target = shared_case / "measures.csv"
    result = lev2040("validate", shared_case, "-o", target)
    assert result.code == 2 and result.lines == [
        f"{target}: is an input of this run; refusing to write over it (choose another file)"
    ]
    assert_clean_stderr(result)
