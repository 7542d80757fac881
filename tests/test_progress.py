"""Progress on a terminal (lev2040_mcda/cli/progress.py; DESIGN.md "Speed": long steps show progress
on a terminal): the stage, done/total, the time so far and the time left on stderr when it is a
terminal; nothing at all when it is piped; and the same result bytes either way.

A terminal is simulated in-process: a stream whose ``isatty()`` is true (``Terminal``), or a
``CliRunner`` whose stderr says it is one (``TerminalRunner``); stdout stays a pipe in both.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import itertools
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lev2040_mcda import load_case
from lev2040_mcda.cli import cli
from lev2040_mcda.cli.options import _with_progress
from lev2040_mcda.cli.progress import Display, with_stages
from lev2040_mcda.portfolio import frontier_summary, portfolio_summary
from lev2040_mcda.report.build import STEPS, report_steps
from lev2040_mcda.robust import robust_summary
from lev2040_mcda.robust.core import STAGES

from .conftest import CASES

TINY = CASES / "tiny"
ROBUST = ("--samples", "4")
REPORT = ("--samples", "300", "--robust-samples", "3", "--steps", "3")


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TerminalRunner(CliRunner):
    """A ``CliRunner`` whose stderr is a terminal (stdout stays captured as a pipe)."""

    @contextlib.contextmanager
    def isolation(self, *args, **kwargs):
        with super().isolation(*args, **kwargs) as streams:
            sys.stderr.isatty = lambda: True
            yield streams


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    """A terminal of 200 columns, so that no line is shortened."""
    monkeypatch.setenv("COLUMNS", "200")


def run(*args, terminal: bool):
    runner = TerminalRunner() if terminal else CliRunner()
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr
    return result


def screen(stderr: str) -> list[str]:
    """The lines a terminal shows at the end (each redraw, ``\\r``, overwrites its line), with
    every time written ``m:ss`` (how long a stage takes is not for a test to say)."""
    lines = [line.split("\r")[-1].replace("\x1b[K", "") for line in stderr.split("\n") if line.strip()]
    return [re.sub(r"\b\d+:\d\d(:\d\d)?\b", "m:ss", line) for line in lines]


# -- the line ------------------------------------------------------------------------------------


def test_a_line_shows_the_stage_done_of_total_the_time_and_the_time_left():
    display = Display("report", STEPS, file=Terminal())
    try:
        display.stage("sensitivity")
        display.update(250, 1000, "SMAA samples")
        display.started, display.part_started = 100.0, 102.0  # 10 s in the stage, 8 s in the part
        assert display.line(now=110.0) == (
            "report: stage 5/14 sensitivity, SMAA samples [#####---------------] 250/1000 0:10, about 0:24 left"
        )
        display.update(1000, 1000, "SMAA samples")
        assert display.line(now=110.0) == (
            "report: stage 5/14 sensitivity, SMAA samples [####################] 1000/1000 0:10"
        )
    finally:
        display.close()


def test_a_narrow_terminal_loses_the_bar_first_and_keeps_the_counts_and_times():
    display = Display("robust", STAGES, file=Terminal())
    try:
        display.stage("core indices")
        display.update(30, 90)
        display.started = display.part_started = 0.0
        wide, narrow, tiny = (display.line(now=60.0, width=w) for w in (200, 50, 30))
        assert wide == "robust: stage 5/5 core indices [#######-------------] 30/90 1:00, about 2:00 left"
        assert narrow == "robust: stage 5/5 core 30/90 1:00, about 2:00 left" and len(narrow) == 50
        assert tiny.endswith("30/90 1:00, about 2:00 left") and len(tiny) <= 30
    finally:
        display.close()


def test_a_stage_without_counts_shows_its_time_and_each_finished_stage_keeps_its_line():
    out = Terminal()
    display = Display("report", STEPS, file=out)
    display.stage("summary")
    display.stage("weights")
    display.close()
    assert screen(out.getvalue()) == ["report: stage 1/14 summary m:ss", "report: stage 3/14 weights m:ss"]
    assert out.getvalue().endswith("\n")


# -- piped or a terminal -------------------------------------------------------------------------


def test_piped_the_progress_callback_is_none_and_nothing_is_written(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    assert _with_progress("solves", 3, lambda progress: progress) is None
    assert with_stages("robust", STAGES, lambda tell: tell) is None
    assert piped.getvalue() == ""


def test_on_a_terminal_the_bar_counts_up_to_the_total(monkeypatch):
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)

    def work(progress):
        for done in range(1, 6):
            progress(done, 5)
        return "result"

    assert _with_progress("solves", 5, work) == "result"
    assert screen(term.getvalue()) == ["solves [####################] 5/5 m:ss"]
    assert "solves [--------------------] 0/5" in term.getvalue()  # drawn before the first solve


def test_the_line_ends_when_the_work_fails(monkeypatch):
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)

    def work(progress):
        progress(1, 4)
        raise ValueError("no portfolio")

    with pytest.raises(ValueError):
        _with_progress("solves", 4, work)
    assert term.getvalue().endswith("\n")  # the error message starts on a line of its own


# -- the commands --------------------------------------------------------------------------------


def test_robust_shows_every_stage_with_done_of_total_and_the_same_json():
    shown = run("robust", TINY, *ROBUST, "--format", "json", terminal=True)
    piped = run("robust", TINY, *ROBUST, "--format", "json", terminal=False)
    assert shown.stdout_bytes == piped.stdout_bytes
    assert piped.stderr == ""
    # tiny: baseline + 2 scenarios, 2 groups; 6 cross-valuations; 2 joint models + 2 x 3 values
    assert screen(shown.stderr) == [
        "robust: stage 1/5 scenario portfolios [####################] 3/3 m:ss",
        "robust: stage 2/5 regret [####################] 6/6 m:ss",
        "robust: stage 3/5 joint portfolios [####################] 8/8 m:ss",
        "robust: stage 4/5 group portfolios [####################] 3/3 m:ss",
        "robust: stage 5/5 core indices [####################] 12/12 m:ss",
    ]


def test_sensitivity_shows_its_samples_and_the_same_csv():
    shown = run("sensitivity", TINY, "--samples", "500", "--format", "csv", terminal=True)
    piped = run("sensitivity", TINY, "--samples", "500", "--format", "csv", terminal=False)
    assert shown.stdout_bytes == piped.stdout_bytes and piped.stderr == ""
    assert screen(shown.stderr)[-1].startswith("sensitivity: SMAA samples [####################] 500/500 ")


def test_the_stages_callback_reports_every_solve_and_changes_nothing():
    case = load_case(TINY)
    w = [1.0] * len(case.criteria)
    args = dict(method="topsis", options={}, weights=w, weights_info={}, samples=4, seed=1)
    seen: list[tuple[str, int, int]] = []
    core: list[tuple[int, int]] = []
    told = robust_summary(case, stages=lambda *a: seen.append(a), progress=lambda *a: core.append(a), **args)
    assert told == robust_summary(case, **args)
    assert [name for name in STAGES if any(s[0] == name for s in seen)] == list(STAGES)
    for name in STAGES:
        counts = [(done, total) for s, done, total in seen if s == name]
        assert counts[0][0] == 0 and counts[-1][0] == counts[-1][1]  # from 0 to the total
        assert all(a[0] <= b[0] and a[1] == b[1] for a, b in itertools.pairwise(counts))
    assert core[-1] == (12, 12) == next((d, t) for s, d, t in reversed(seen) if s == "core indices")
    order = [s for s, *_ in seen]
    assert order == sorted(order, key=STAGES.index)  # each stage once, in order


def test_report_names_every_stage_and_how_far_the_long_ones_are(tmp_path):
    shown = run("report", TINY, "-o", tmp_path / "shown", *REPORT, terminal=True)
    piped = run("report", TINY, "-o", tmp_path / "piped", *REPORT, terminal=False)
    lines = screen(shown.stderr)
    steps = report_steps(load_case(TINY))  # no CIB model: no scenarios step
    assert "scenarios" in STEPS and "scenarios" not in steps and len(steps) == 11
    assert [re.match(r"report: stage (\d+)/11 (\w+)", line).groups() for line in lines] == [
        (str(k), name) for k, name in enumerate(steps, 1)
    ]
    assert "report: stage 4/11 sensitivity, SMAA samples [####################] 300/300 " in shown.stderr
    for part, total in (("scenario portfolios", 3), ("regret", 6), ("core indices", 9)):
        assert (
            f"report: stage 8/11 robustness, {part} [####################] {total}/{total} " in shown.stderr
        )
    for command, step, part in (
        (portfolio_summary, 6, "tiers and explanations"),
        (frontier_summary, 7, "levels"),
    ):
        if "progress" in inspect.signature(command).parameters:  # the stage counts its solves
            assert re.search(rf"report: stage {step}/11 \w+, {part} \[#+\] (\d+)/\1 ", shown.stderr)
    assert piped.stderr == ""
    assert shown.stdout.replace("shown", "piped") == piped.stdout
    _same_files(tmp_path / "shown", tmp_path / "piped")


def _same_files(a: Path, b: Path) -> None:
    """Both report folders hold the same files with the same bytes (the paths written in them
    aside: none of the compared files names the output folder)."""
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
