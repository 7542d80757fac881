"""Saved portfolio runs side by side (`runs.compare_runs`) and their tables (`cli/runs_format.py`):
every number of the comparison is checked against what the runs themselves printed as JSON, and
each reason a measure entered or left against the runs' explanations and the options changed.

The runs are real: `lev2040 portfolio cases/tiny ... --save NAME` on a copy of the case, read back
from the run store as the `runs` commands get them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.cli.runs_format import diff_csv, diff_table
from lev2040_mcda.errors import InputError
from lev2040_mcda.runs import compare_runs

from .conftest import save_runs

CASES = Path(__file__).resolve().parent.parent / "cases"
WHAT_IFS = {
    "base": ["portfolio"],
    "cost60": ["portfolio", "--limit", "cost=60"],
    "tram": ["portfolio", "--include", "tram"],
    "buerger": ["portfolio", "--group", "buerger"],
    "boom": ["portfolio", "--scenario", "boom"],
    "nosolar": ["portfolio", "--exclude", "solar", "--no-explain"],
    "ranked": ["rank"],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The case (a copy of tiny) and its saved runs by name, each with the JSON it printed."""
    root = tmp_path_factory.mktemp("compare") / "tiny"
    shutil.copytree(CASES / "tiny", root)
    runs = save_runs(root, WHAT_IFS)  # the case's name is tiny, as its folder's
    for run in runs.values():  # a saved run's result is the JSON its command printed
        assert run.result == json.loads(run.outputs["json"])
    return load_case(root), runs


def _pick(saved, *names):
    case, runs = saved
    return case, [runs[n] for n in names]


def _measures_csv(case) -> list[dict[str, str]]:
    with open(case.root / "measures.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_matrix_holds_every_measure_any_run_selects_in_the_cases_order(saved):
    case, runs = _pick(saved, "base", "cost60", "tram", "buerger")
    out = compare_runs(runs, case)
    chosen = {m for r in runs for m in r.result["selected"]}
    rows = _measures_csv(case)
    assert [m["id"] for m in out["measures"]] == [row["id"] for row in rows if row["id"] in chosen]
    by_id = {row["id"]: row for row in rows}
    for m in out["measures"]:
        assert m["selected"] == [m["id"] in r.result["selected"] for r in runs]
        tiers = [{x["id"]: x["tier"] for x in r.result["measures"]}.get(m["id"]) for r in runs]
        assert m["tier"] == tiers
        assert (m["name"], m["district"]) == (by_id[m["id"]]["name"], by_id[m["id"]]["district"])
    assert [r["name"] for r in out["runs"]] == ["base", "cost60", "tram", "buerger"]
    assert [r["parameters"] for r in out["runs"]] == [r.key_parameters() for r in runs]
    assert out["runs"][1]["parameters"] == {"limits": ["cost=60"]}


def test_value_resources_and_delivers_are_what_each_run_printed(saved):
    case, runs = _pick(saved, "base", "cost60", "boom")
    out = compare_runs(runs, case)
    assert out["value"] == [r.result["objective"] for r in runs]
    assert [r["value"] for r in out["runs"]] == out["value"]
    assert [r["id"] for r in out["resources"]] == list(case.config.resources)
    for row in out["resources"]:
        assert row["used"] == [r.result["resources"][row["id"]]["used"] for r in runs]
        assert row["limit"] == [r.result["resources"][row["id"]]["limit"] for r in runs]
        assert row["unit"] == runs[0].result["resources"][row["id"]]["unit"]
    assert [d["id"] for d in out["delivers"]] == list(case.criterion_ids)
    for d in out["delivers"]:
        printed = runs[0].result["delivers"][d["id"]]
        assert (d["name"], d["unit"], d["aggregate"]) == (
            printed["name"],
            printed["unit"],
            printed["aggregate"],
        )
        assert d["selected"] == [r.result["delivers"][d["id"]]["selected"] for r in runs]
    assert out["resources"][0]["limit"][1] == 60.0  # the --limit of run cost60


def test_districts_add_up_to_what_each_run_used_also_in_a_scenario(saved):
    case, runs = _pick(saved, "base", "cost60", "boom")
    out = compare_runs(runs, case)
    rows = _measures_csv(case)
    districts = list(dict.fromkeys(row["district"] for row in rows))
    assert [d["district"] for d in out["districts"]] == districts
    for k, run in enumerate(runs):
        chosen = set(run.result["selected"])
        values = {m["id"]: m["value"] for m in run.result["measures"]}
        for d in out["districts"]:
            here = [row for row in rows if row["district"] == d["district"] and row["id"] in chosen]
            assert d["measures"][k] == len(here)
            assert d["value"][k] == pytest.approx(sum(values[row["id"]] for row in here))
            if run.name != "boom":  # measures.csv's numbers as they are
                for r in case.config.resources:
                    assert d["resources"][r][k] == pytest.approx(sum(float(row[r]) for row in here))
        for r in case.config.resources:  # the districts' shares add up to the run's use
            total = sum(d["resources"][r][k] for d in out["districts"])
            assert total == pytest.approx(run.result["resources"][r]["used"])
    # boom raises every cost by 1.2 (scenarios.yaml): its district costs are measures.csv's x 1.2
    boom = runs[2]
    nord = next(d for d in out["districts"] if d["district"] == "nord")
    raw = sum(
        float(row["cost"])
        for row in rows
        if row["district"] == "nord" and row["id"] in boom.result["selected"]
    )
    assert nord["resources"]["cost"][2] == pytest.approx(1.2 * raw) and raw > 0


def _reasons(change, kind, mid):
    [entry] = [m for m in change[kind] if m["id"] == mid]
    assert all(r["code"] and r["text"] for r in entry["reasons"]), entry
    return entry["reasons"]


def _blocked(run, mid):
    [entry] = [e for e in run.result["explanations"]["not_selected"] if e["id"] == mid]
    return entry


def test_a_lowered_limit_says_what_left_and_what_came_in_its_place(saved):
    case, runs = _pick(saved, "base", "cost60")
    base, cost60 = runs
    [change] = compare_runs(runs, case)["changes"]
    assert (change["from"], change["to"]) == ("base", "cost60")
    left = set(base.result["selected"]) - set(cost60.result["selected"])
    entered = set(cost60.result["selected"]) - set(base.result["selected"])
    assert {m["id"] for m in change["left"]} == left == {"housing"}
    assert {m["id"] for m in change["entered"]} == entered == {"park"}

    housing = _reasons(change, "left", "housing")
    now = _blocked(cost60, "housing")  # what blocks it in cost60, as cost60 printed it
    assert housing[: len(now["reasons"])] == [
        {**r, "text": t} for r, t in zip(now["reasons"], now["blocked_by"])
    ]
    [limit] = [r for r in housing if r["code"] == "limit_changed"]
    was, lim = (r.result["resources"]["cost"]["limit"] for r in runs)
    assert (limit["resource"], limit["before"], limit["now"]) == ("cost", was, lim)
    assert limit["text"] == f"the limit of cost was lowered ({was:g} -> {lim:g})"
    assert not any(r["code"] == "limit_changed" and r["resource"] == "land" for r in housing)

    park = _reasons(change, "entered", "park")
    before = _blocked(base, "park")
    assert [r["code"] for r in park] == ["released_by", "was_blocked"]  # housing excluded it in base
    assert park[0]["measure"] == "housing"
    assert [r["code"] for r in park[1]["by"]] == [r["code"] for r in before["reasons"]]
    assert park[1]["text"] == "in base: " + "; ".join(before["blocked_by"])


def test_a_forced_measure_entering_and_leaving_again_with_other_weights(saved):
    case, runs = _pick(saved, "cost60", "tram", "buerger")
    first, second = compare_runs(runs, case)["changes"]
    tram = _reasons(first, "entered", "tram")
    assert tram[0] == {"code": "included", "text": "forced in (--include)"}
    raised = [r for r in tram if r["code"] == "limit_changed"]
    assert [(r["before"], r["now"]) for r in raised] == [(60.0, 100.0)]
    assert tram[-1]["code"] == "was_blocked"

    gone = _reasons(second, "left", "tram")
    codes = [r["code"] for r in gone]
    assert codes[: len(_blocked(runs[2], "tram")["reasons"])] == [
        r["code"] for r in _blocked(runs[2], "tram")["reasons"]
    ]
    assert "no_longer_included" in codes
    [weights] = [r for r in gone if r["code"] == "weights_changed"]
    assert (weights["before"], weights["now"]) == ("consensus", "group buerger")
    # every measure that moved between tram and buerger is told the weights changed
    for kind in ("entered", "left"):
        for m in second[kind]:
            assert "weights_changed" in [r["code"] for r in m["reasons"]]


def test_a_scenario_and_an_exclusion_are_named_among_the_reasons(saved):
    case, runs = _pick(saved, "base", "boom", "nosolar")
    base, boom, nosolar = runs
    [change] = compare_runs([base, boom], case)["changes"]
    moved = set(base.result["selected"]) ^ set(boom.result["selected"])
    assert {m["id"] for m in change["entered"] + change["left"]} == moved and moved
    for m in change["entered"] + change["left"]:
        [scenario] = [r for r in m["reasons"] if r["code"] == "scenario_changed"]
        assert (scenario["before"], scenario["now"]) == (None, "boom")
        assert scenario["text"] == "the scenario changed (none -> boom)"

    # nosolar was saved with --no-explain: its --exclude is still said, and that it explains nothing
    assert "solar" in base.result["selected"] and "explanations" not in nosolar.result
    [change] = compare_runs([base, nosolar], case)["changes"]
    solar = _reasons(change, "left", "solar")
    assert solar[0] == {"code": "excluded", "text": "forced out (--exclude)"}
    assert solar[-1]["code"] == "no_explanation" and "nosolar" in solar[-1]["text"]
    # a run without explanations leaves what blocked a measure unsaid, never made up
    assert not any(r["code"] in ("resource", "was_blocked") for r in solar)


def test_the_parameters_that_differ_between_the_runs(saved):
    case, runs = _pick(saved, "base", "cost60", "tram")
    assert compare_runs(runs, case)["parameters"] == [
        {"parameter": "limits", "values": [None, ["cost=60"], None]},
        {"parameter": "include", "values": [None, None, ["tram"]]},
    ]
    _, same = _pick(saved, "base", "base")
    with pytest.raises(InputError, match="named twice"):
        compare_runs(same, case)


def test_only_two_or_more_portfolio_runs_are_compared(saved):
    case, runs = _pick(saved, "base", "ranked")
    with pytest.raises(InputError) as caught:
        compare_runs(runs, case)
    assert str(caught.value) == "runs diff: run 'ranked' is a `rank` run; only portfolio runs can be compared"
    for few in ([], runs[:1]):
        with pytest.raises(InputError) as caught:
            compare_runs(few, case)
        assert str(caught.value).startswith("runs diff: name at least two portfolio runs")


def test_without_the_case_measures_come_in_the_runs_order_and_there_are_no_districts(saved):
    _, runs = _pick(saved, "cost60", "base")
    out = compare_runs(runs)
    first_seen = list(dict.fromkeys([*runs[0].result["selected"], *runs[1].result["selected"]]))
    assert [m["id"] for m in out["measures"]] == first_seen
    assert {m["district"] for m in out["measures"]} == {None}
    assert out["districts"] == []
    assert out["value"] == [r.result["objective"] for r in runs]


def test_the_text_table_marks_each_runs_measures_and_says_why_they_moved(saved):
    case, runs = _pick(saved, "base", "cost60", "tram")
    out = compare_runs(runs, case)
    text = diff_table(out)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("measure  name"))
    columns = {name: lines[header].index(name) for name in ("base", "cost60", "tram")}
    for m in out["measures"]:
        line = next(line for line in lines[header + 2 :] if line.startswith(m["id"] + " "))
        marks = [line[columns[n] : columns[n] + 1] == "x" for n in columns]
        assert marks == m["selected"], line
    assert "base -> cost60: value 0.233 -> 0.190; entered: park; left: housing" in text
    assert "the limit of cost was lowered (100 -> 60)" in text
    cost = next(line for line in lines if line.startswith("cost (EUR m)"))
    shown = [(r.result["resources"]["cost"]["used"], r.result["resources"]["cost"]["limit"]) for r in runs]
    assert cost.split()[3:] == [x for used, lim in shown for x in (f"{used:g}", "/", f"{lim:g}")]


def test_the_csv_has_one_column_per_run_and_escapes_formula_like_names(saved):
    case, runs = _pick(saved, "base", "cost60")
    out = compare_runs(runs, case)
    rows = list(csv.reader(io.StringIO(diff_csv(out))))
    assert rows[0] == ["section", "id", "name", "detail", "base", "cost60"]
    measures = {r[1]: r[4:] for r in rows if r[0] == "measure"}
    assert measures == {m["id"]: [str(s) for s in m["selected"]] for m in out["measures"]}
    [used] = [r for r in rows if r[:2] == ["resource_used", "cost"]]
    assert [float(v) for v in used[4:]] == [r.result["resources"]["cost"]["used"] for r in runs]
    [left] = [r for r in rows if r[0] == "left"]
    assert left[1:4] == ["housing", "New housing", "base -> cost60"] and left[4] == ""
    assert "the limit of cost was lowered" in left[5]

    out["measures"][0]["name"] = '=HYPERLINK("http://x")'
    out["runs"][0]["note"] = "@SUM(1)"
    text = diff_csv(out)
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
