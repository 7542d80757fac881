"""SMAA-2 with uncertain estimates (ranking/uncertain.py): analytic cases, confidence factors, the
drivers of a rank, exactness when every range has zero width, and the CLI."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lev2040_mcda import load_case
from lev2040_mcda.case.estimates import Estimate, Uncertainty
from lev2040_mcda.cli import cli
from lev2040_mcda.ranking import sensitivity_summary

CASE_YAML = """name: two
criteria: criteria.yaml
defaults: {method: topsis, solver: cbc, seed: 7}
"""


def _case(tmp_path: Path, rows: list[tuple], criteria=(("c1", "benefit"),), estimates=()):
    """A case of ``rows`` (id, value per criterion) with hand-made estimates
    ``(measure, column, low, high, distribution)``."""
    crit = "\n".join(
        f"  - {{id: {c}, name: {c}, unit: u, direction: {d}, min: 0, max: 1}}" for c, d in criteria
    )
    (tmp_path / "case.yaml").write_text(CASE_YAML)
    (tmp_path / "criteria.yaml").write_text(f"name: two\ncriteria:\n{crit}\n")
    head = "id,name," + ",".join(c for c, _ in criteria)
    lines = [head] + [f"{mid},{mid}," + ",".join(str(v) for v in vals) for mid, *vals in rows]
    (tmp_path / "measures.csv").write_text("\n".join(lines) + "\n")
    case = load_case(tmp_path)
    value = {(m.id, c): m.performance[c] for m in case.measures for c, _ in criteria}
    est = tuple(
        Estimate(m, c, value[m, c], lo, hi, d, row=k + 2) for k, (m, c, lo, hi, d) in enumerate(estimates)
    )
    return case.model_copy(update={"uncertainty": Uncertainty(est, "uncertainty.csv")})


def _summary(case, method="value", samples=20_000, **kw):
    n = len(case.criteria)
    return sensitivity_summary(case, method, {}, np.full(n, 1 / n), {}, samples, 11, "dirichlet", **kw)


def _first(result, mid: str) -> float:
    return next(r["first"] for r in result["acceptability"] if r["id"] == mid)


@pytest.mark.parametrize("method", ["value", "wsm", "topsis"])
def test_a_uniform_estimate_against_a_fixed_one_is_first_half_the_time(tmp_path, method):
    # B ~ U(0, 1), A = 0.5 exactly: P(B > A) = 1/2 (one criterion: the weights change nothing)
    case = _case(tmp_path, [("a", 0.5), ("b", 0.5)], estimates=[("b", "c1", 0.0, 1.0, "uniform")])
    r = _summary(case, method)
    assert r["estimates"] == {"mode": "uncertain", "source": "uncertainty.csv", "cells": 1}
    assert _first(r, "b") == pytest.approx(0.5, abs=0.015)
    assert _first(r, "a") + _first(r, "b") == pytest.approx(1.0)


def test_a_triangular_estimate_is_first_as_often_as_its_closed_form_says(tmp_path):
    # B ~ Triangular(a=0, c=0.2, b=1), A = 0.5: P(B > 0.5) = (b - x)^2 / ((b - a)(b - c)) = 0.3125
    case = _case(tmp_path, [("a", 0.5), ("b", 0.2)], estimates=[("b", "c1", 0.0, 1.0, "triangular")])
    assert _first(_summary(case), "b") == pytest.approx(0.3125, abs=0.012)


def test_confidence_factors_lie_between_0_and_1_and_say_how_sure_a_first_place_is(tmp_path):
    case = _case(tmp_path, [("a", 0.5), ("b", 0.5)], estimates=[("b", "c1", 0.0, 1.0, "uniform")])
    r = _summary(case)
    conf = {x["id"]: x["confidence"] for x in r["acceptability"]}
    assert all(0 < c < 1 for c in conf.values())
    # one criterion: the central weights are (1,), so the factor is P(first) itself
    assert conf["b"] == pytest.approx(0.5, abs=0.05)
    assert "confidence_note" not in r


def test_zero_width_ranges_give_exactly_the_exact_result(tmp_path):
    rows = [("a", 0.5, 0.1), ("b", 0.4, 0.3), ("c", 0.2, 0.6)]
    crit = (("c1", "benefit"), ("c2", "benefit"))
    flat = [(m, c, v, v, "uniform") for m, *vals in rows for c, v in zip(("c1", "c2"), vals)]
    case = _case(tmp_path, rows, crit, flat)
    for method in ("topsis", "value"):
        exact = _summary(case, method, 3000, estimates="exact")
        assert _summary(case, method, 3000) == exact
        assert exact["estimates"]["mode"] == "exact"


def test_drivers_name_only_the_sources_that_vary(tmp_path):
    rows = [("a", 0.5, 0.5), ("b", 0.5, 0.45), ("c", 0.1, 0.1)]
    crit = (("c1", "benefit"), ("c2", "benefit"))
    case = _case(tmp_path, rows, crit, [("b", "c1", 0.2, 0.8, "uniform")])
    r = _summary(case, samples=4000)
    drivers = {d["id"]: d for d in r["drivers"]}
    assert set(drivers["b"]["shares"]) <= {"weights", "c1"}
    assert sum(drivers["b"]["shares"].values()) == pytest.approx(1.0)
    assert drivers["b"]["shares"]["c1"] > 0
    assert drivers["c"]["shares"] == {}  # last in every draw: its rank never varies
    assert [d["id"] for d in r["drivers"]] == [x["id"] for x in r["acceptability"]]


def test_the_result_does_not_depend_on_where_the_blocks_run(tmp_path):
    rows = [(f"m{i}", (i * 37 % 11) / 11, (i * 13 % 7) / 7) for i in range(40)]
    crit = (("c1", "benefit"), ("c2", "cost"))
    est = [(f"m{i}", "c1", 0.0, 1.0, "pert") for i in range(0, 40, 3)]
    case = _case(tmp_path, rows, crit, est)
    here = _summary(case, samples=3000)
    with ProcessPoolExecutor(2) as pool:
        there = _summary(case, samples=3000, executor=pool)
    assert here == there


def test_the_cli_draws_the_estimates_unless_told_they_are_exact(tmp_path):
    case_dir = tmp_path / "c"
    case_dir.mkdir()
    _case(case_dir, [("a", 0.5), ("b", 0.5)])
    (case_dir / "uncertainty.csv").write_text("measure,criterion,low,high,distribution\nb,c1,0,1,uniform\n")
    runner = CliRunner()
    got = runner.invoke(
        cli, ["sensitivity", str(case_dir), "--method", "value", "--samples", "500", "--format", "json"]
    )
    assert got.exit_code == 0, got.output
    r = json.loads(got.stdout)
    assert r["estimates"]["mode"] == "uncertain" and r["drivers"]
    got = runner.invoke(cli, ["sensitivity", str(case_dir), "--samples", "500", "--estimates", "exact"])
    assert got.exit_code == 0, got.output
    assert "uncertain estimates" not in got.stdout
    got = runner.invoke(cli, ["sensitivity", str(case_dir), "--samples", "500"])
    assert "uncertain estimates (uncertainty.csv)" in got.stdout and "rank driven by" in got.stdout
