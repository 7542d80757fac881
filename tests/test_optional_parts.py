"""Optional parts of a case are optional for every command (issue 13, class 6).

DESIGN.md's smallest valid case has no goals, interactions, scenarios or groups, and a case may
come without stakeholder submissions (no ``weights/`` folder), with every submission rejected, or
without resources. Every command runs on each of them: what needs the missing part says it was
skipped and why (a ``note:`` on stderr, ``skipped`` in the JSON, a note in the report), the rest
runs, and no traceback or warning reaches the user.

The default weight source (the stakeholders' consensus) falls back to equal weights on a case
without a usable submission, the same on every command: ``weights_source.source`` is
``"equal (no submissions)"`` and the note says so. ``--weights-from equal|entropy|critic`` and
``--weights FILE`` need no submission; ``--group`` and ``--sampling submissions`` on sensitivity
need them and say so (exit 2, naming what works).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .hostile import assert_clean_stderr, lev2040, smallest_case

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # a numpy warning fails the test

NO_SUBMISSIONS = "the case has no stakeholder submissions (nothing in weights/)"
EQUAL_NOTE = f"note: no consensus weights: {NO_SUBMISSIONS}; equal weights used"
FAST = {"sensitivity": ("--samples", "200"), "robust": ("--samples", "5")}
RANKING = ("rank", "sensitivity", "portfolio", "frontier", "robust")  # the commands with weight options


# -- the cases ----------------------------------------------------------------------------------


def full_case(root: Path, submissions: str = "some") -> Path:
    """The smallest case with every optional part: two groups, goals, an interaction, a scenario;
    ``submissions``: ``some`` (one per group), ``none`` (no weights/) or ``rejected`` (all bad)."""
    smallest_case(root, weights=False)
    (root / "case.yaml").write_text(
        "name: example\ncriteria: criteria.yaml\ngroups:\n  - {id: city, influence: 2}\n"
        "  - {id: citizens, influence: 1}\nresources:\n  cost: {limit: 100}\n",
        encoding="utf-8",
    )
    (root / "criteria.yaml").write_text(
        "criteria:\n  - {id: quality, name: Quality, direction: benefit, goal: good}\n"
        "  - {id: price, name: Price, direction: cost, goal: cheap}\n",
        encoding="utf-8",
    )
    (root / "goals.yaml").write_text(
        "goals:\n  - {id: good, title: Good}\n  - {id: cheap, title: Cheap}\n", encoding="utf-8"
    )
    (root / "interactions.csv").write_text(
        "source,target,effect,strength,note\ngood,cheap,conflict,0.5,both cannot win\n", encoding="utf-8"
    )
    (root / "scenarios.yaml").write_text(
        "scenarios:\n  - id: tight\n    title: Tight\n    effects:\n      limits: {cost: 0.8}\n",
        encoding="utf-8",
    )
    if submissions != "none":
        (root / "weights").mkdir()
        bad = submissions == "rejected"
        (root / "weights" / "city.yaml").write_text(
            f"group: city\nmethod: direct\nweights: {{quality: 2, {'nope' if bad else 'price'}: 1}}\n",
            encoding="utf-8",
        )
        (root / "weights" / "citizens.yaml").write_text(
            f"group: {'nobody' if bad else 'citizens'}\nmethod: direct\nweights: {{quality: 1, price: 3}}\n",
            encoding="utf-8",
        )
    return root


def without_resources(root: Path) -> Path:
    """The smallest case without resources (and so without the cost column)."""
    smallest_case(root)
    (root / "case.yaml").write_text("name: example\ncriteria: criteria.yaml\n", encoding="utf-8")
    (root / "measures.csv").write_text(
        "id,name,quality,price\na,Option A,7,250\nb,Option B,9,300\n", encoding="utf-8"
    )
    return root


def weights_file(tmp_path: Path) -> Path:
    """A submission outside the case, naming no group (anyone's weighting)."""
    path = tmp_path / "mine.yaml"
    path.write_text("method: direct\nweights: {quality: 1, price: 3}\n", encoding="utf-8")
    return path


# -- running ------------------------------------------------------------------------------------


def run(invoke, command: str, case: Path, *args: str, code: int = 0):
    """``lev2040 COMMAND CASE ARGS`` in-process: the exit code, and a clean stderr."""
    extra = ("-o", str(case.parent / "report")) if command == "report" else FAST.get(command, ())
    if command == "report":
        extra += ("--samples", "200", "--robust-samples", "3")
    result = invoke(command, case, *extra, *args)
    assert result.exit_code == code, f"exit {result.exit_code}:\n{result.stderr}{result.stdout}"
    assert_clean_stderr(result)
    return result


def run_json(invoke, command: str, case: Path, *args: str) -> dict:
    return json.loads(run(invoke, command, case, *args, "--format", "json").stdout)


def notes(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("note: ")]


SOURCES = {
    "default": (),
    "equal": ("--weights-from", "equal"),
    "entropy": ("--weights-from", "entropy"),
    "critic": ("--weights-from", "critic"),
    "file": ("--weights", "FILE"),
}


def source_args(name: str, tmp_path: Path) -> tuple[str, ...]:
    return tuple(str(weights_file(tmp_path)) if a == "FILE" else a for a in SOURCES[name])


# -- every command on the smallest case, with every weight source -------------------------------


@pytest.mark.parametrize("command", RANKING)
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("submissions", [True, False], ids=["weights", "no-weights"])
def test_every_ranking_command_runs_on_the_smallest_case(invoke, tmp_path, command, source, submissions):
    case = smallest_case(tmp_path / "case", weights=submissions)
    result = run(invoke, command, case, *source_args(source, tmp_path))
    found = notes(result)
    fallback = source == "default" and not submissions
    assert (EQUAL_NOTE in "\n".join(found)) == fallback, found
    if command == "robust":  # the smallest case has no groups: no compromise between them
        why = NO_SUBMISSIONS if not submissions else "the case has no stakeholder groups (case.yaml `groups`)"
        assert f"note: skipped the fair compromise between the groups: {why}" in found
    if source == "critic":  # two measures: every pair of criteria is perfectly correlated
        assert "note: critic weights are undefined on these data" in "\n".join(found)
    said = (EQUAL_NOTE, "note: skipped the fair compromise", "note: critic weights")
    assert [n for n in found if not n.startswith(said)] == []


@pytest.mark.parametrize("command", RANKING)
def test_the_fallback_is_exactly_equal_weights_said_in_the_json(invoke, tmp_path, command):
    case = smallest_case(tmp_path / "case", weights=False)
    default = run_json(invoke, command, case)
    equal = run_json(invoke, command, case, "--weights-from", "equal")
    info = default.pop("weights_source")
    assert info == {
        "source": "equal (no submissions)",
        "skipped": {"consensus": NO_SUBMISSIONS},
        "rejected_submissions": 0,
        "missing_groups": [],
    }
    assert equal.pop("weights_source") == {"source": "equal"}
    for out in (default, equal):
        out.pop("provenance")
    assert default == equal


@pytest.mark.parametrize("submissions", [True, False], ids=["weights", "no-weights"])
def test_validate_weights_conflicts_and_report_run_on_the_smallest_case(invoke, tmp_path, submissions):
    case = smallest_case(tmp_path / "case", weights=submissions)
    assert notes(run(invoke, "validate", case)) == []
    weights = run(invoke, "weights", case)
    conflicts = run(invoke, "conflicts", case)
    run(invoke, "report", case)
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    stage = json.loads((tmp_path / "report" / "json" / "weights.json").read_text(encoding="utf-8"))
    if submissions:
        assert notes(weights) == notes(conflicts) == []
        assert "skipped" not in stage and stage["source"] == "consensus"
        return
    assert notes(weights) == [f"note: no group or consensus weights: {NO_SUBMISSIONS}"]
    assert "No submissions: the case has no stakeholder submissions" in weights.stdout
    assert notes(conflicts) == [
        f"note: no consensus weights: {NO_SUBMISSIONS}; equal weights used",
        f"note: skipped who weights each side of a conflict most: {NO_SUBMISSIONS}",
    ]
    assert "weights: equal (no submissions)" in conflicts.stdout
    assert stage["skipped"] == {"consensus": NO_SUBMISSIONS} and stage["groups"] == []
    assert "The case has no stakeholder weightings yet" in page
    assert "fig-weights" not in page  # no weights table, no figure: said why instead


def test_robust_runs_without_weights_with_a_weights_file_in_a_child_process(tmp_path):
    """The example of the issue, as a user runs it (PuLP's notices of its 4.0 API, which
    pyproject.toml also ignores, aside: every other warning shows)."""
    case = smallest_case(tmp_path / "case", weights=False)
    env = {"PYTHONWARNINGS": "default,ignore::DeprecationWarning"}
    done = lev2040("robust", case, "--samples", "5", "--weights", weights_file(tmp_path), env=env)
    assert done.code == 0, done.stderr
    assert_clean_stderr(done)
    assert done.lines == [f"note: skipped the fair compromise between the groups: {NO_SUBMISSIONS}"]
    assert "Core index" in done.stdout


# -- a case with every optional part, with and without submissions ------------------------------

ALL = ("validate", "weights", "rank", "sensitivity", "conflicts", "portfolio", "frontier", "robust", "report")


@pytest.mark.parametrize("command", ALL)
@pytest.mark.parametrize("submissions", ["some", "none", "rejected"])
def test_every_command_runs_on_a_case_with_groups_and_scenarios(invoke, tmp_path, command, submissions):
    case = full_case(tmp_path / "case", submissions)
    result = run(invoke, command, case)
    found = "\n".join(notes(result))
    if submissions == "some" or command == "validate":
        assert "no consensus" not in found and "skipped" not in found
        return
    why = (
        NO_SUBMISSIONS
        if submissions == "none"
        else "every stakeholder submission was rejected (2 of 2; `lev2040 weights` lists why)"
    )
    if command == "weights":
        assert f"note: no group or consensus weights: {why}" in found
        assert result.stdout.count("rejected: ") == (2 if submissions == "rejected" else 0)
    elif command in RANKING or command == "conflicts":
        assert f"note: no consensus weights: {why}; equal weights used" in found
        if submissions == "rejected" and command != "conflicts":
            assert "note: 2 stakeholder submission(s) rejected" in found
    if command == "robust":
        assert f"note: skipped the fair compromise between the groups: {why}" in found
    assert "group 'city' has no accepted submission" not in found  # said once, not per group


@pytest.mark.parametrize("command", RANKING)
def test_one_groups_weights_where_groups_exist(invoke, tmp_path, command):
    case = full_case(tmp_path / "case")
    out = run_json(invoke, command, case, "--group", "citizens")
    assert out["weights_source"]["source"] == "group"
    empty = full_case(tmp_path / "empty", "none")
    refused = run(invoke, command, empty, "--group", "citizens", code=2)
    assert refused.stderr.strip() == (
        f"--group: group 'citizens' has no weights: {NO_SUBMISSIONS} (use another --group, "
        "--weights FILE or --weights-from equal|entropy|critic)"
    )


def test_a_weights_file_without_a_group_works_in_a_case_with_groups(invoke, tmp_path):
    case = full_case(tmp_path / "case", "none")
    out = run_json(invoke, "rank", case, "--weights", str(weights_file(tmp_path)))
    assert out["weights"] == pytest.approx({"quality": 0.25, "price": 0.75})
    stray = tmp_path / "stray.yaml"
    stray.write_text("group: nobody\nmethod: direct\nweights: {quality: 1, price: 3}\n", encoding="utf-8")
    refused = run(invoke, "rank", case, "--weights", str(stray), code=2)
    assert "unknown group 'nobody'" in refused.stderr


def test_the_fair_compromise_and_the_groups_are_skipped_in_json_and_report(invoke, tmp_path):
    case = full_case(tmp_path / "case", "none")
    robust = run_json(invoke, "robust", case)
    assert robust["skipped"] == {"groups": NO_SUBMISSIONS}
    assert robust["groups"]["compromise"] is None and robust["core_index"]
    by_group = run_json(invoke, "rank", case, "--by-group")
    assert by_group["skipped"] == {"groups": NO_SUBMISSIONS} and by_group["groups"] == []
    assert [r["consensus"] for r in by_group["ranks"]] == [1, 1]  # equal weights: a tie
    conflicts = run_json(invoke, "conflicts", case)
    assert conflicts["weights"]["source"] == "equal (no submissions)"
    assert conflicts["skipped"] == {"consensus": NO_SUBMISSIONS, "groups": NO_SUBMISSIONS}
    run(invoke, "report", case)
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "There are no stakeholder weightings, so there is no compromise between groups" in page
    assert "The case has no stakeholder weightings yet" in page


def test_resampled_submissions_need_submissions(invoke, tmp_path):
    case = full_case(tmp_path / "case", "none")
    robust = run(invoke, "robust", case, "--sampling", "submissions", "--format", "json")
    out = json.loads(robust.stdout)
    why = f"no submissions to resample: {NO_SUBMISSIONS}"
    assert out["skipped"]["core_index"] == why and out["core_index"] == []
    assert f"note: skipped the core indices: {why}" in notes(robust)
    assert "Core index: skipped: " in run(invoke, "robust", case, "--sampling", "submissions").stdout
    refused = run(invoke, "sensitivity", case, "--sampling", "submissions", code=2)
    assert refused.stderr.splitlines()[-1] == (
        f"--sampling: submissions: nothing to resample: {NO_SUBMISSIONS} (use --sampling dirichlet or uniform)"
    )


def test_resampled_submissions_without_submissions_are_one_line_in_python_too(tmp_path):
    import numpy as np

    from lev2040_mcda import InputError, load_case
    from lev2040_mcda.ranking import sensitivity_summary

    case = load_case(full_case(tmp_path / "case", "none"))
    w = np.full(len(case.criteria), 1 / len(case.criteria))
    with pytest.raises(
        InputError, match=r"^--sampling: submissions: nothing to resample: .*dirichlet or uniform\)$"
    ):
        sensitivity_summary(case, "topsis", {}, w, {}, 50, 1, "submissions")


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 2)])
def test_weights_on_a_case_whose_every_submission_is_rejected(invoke, tmp_path, strict, code):
    case = full_case(tmp_path / "case", "rejected")
    result = run(invoke, "weights", case, *(["--strict"] if strict else []), code=code)
    if strict:  # any rejection is fatal
        assert "citizens.yaml:1: key 'group': unknown group 'nobody'" in result.stderr
        return
    rejected = [line for line in result.stdout.splitlines() if line.startswith("rejected: ")]
    assert [line.split(":")[1].rsplit("/", 1)[-1] for line in rejected] == ["citizens.yaml", "city.yaml"]
    assert "No submissions: every stakeholder submission was rejected (2 of 2" in result.stdout


# -- a case without resources -------------------------------------------------------------------


@pytest.mark.parametrize("command", ALL)
def test_every_command_runs_without_resources(invoke, tmp_path, command):
    case = without_resources(tmp_path / "case")
    result = run(invoke, command, case)
    skipped = "the case has no resources (case.yaml `resources`): nothing to trade value against"
    assert (f"note: skipped the frontier: {skipped}" in notes(result)) == (command == "frontier")
    if command == "frontier":
        assert result.stdout == f"Frontier: skipped: {skipped}\n"
        out = run_json(invoke, "frontier", case)
        assert out["skipped"] == {"frontier": skipped} and out["points"] == []
    if command == "portfolio":
        assert "Marginal value of one more unit: none (the case has no resources)" in result.stdout
    if command == "report":
        page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
        assert "The case has no resources (such as a budget)" in page
