"""Core indices under uncertain weights and estimates (robust/core.py with uncertainty.csv)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lev2040_mcda import load_case
from lev2040_mcda.robust import robust_summary

UNCERTAIN = (
    "measure,criterion,low,high,distribution,district,goal,group,note\n"
    "*,co2,-60%,+60%,uniform,,,,\n"
    "*,cost,-10%,+50%,triangular,,,,\n"
    "housing,homes,100,300,pert,,,,\n"
)


def _summary(case, **kw):
    w = np.full(len(case.criteria), 1 / len(case.criteria))
    args = dict(method="topsis", options={}, weights=w, weights_info={}, samples=30, seed=5, solver="highs")
    return robust_summary(case, **(args | kw))


def _core(r) -> dict[str, float]:
    return {c["id"]: c["core_index"] for c in r["core_index"]}


def test_drawn_estimates_change_the_core_indices_and_say_so(tiny):
    exact = _summary(load_case(tiny))
    (tiny / "uncertainty.csv").write_text(UNCERTAIN, encoding="utf-8")
    case = load_case(tiny)
    drawn = _summary(case)
    assert drawn["estimates"] == {
        "mode": "uncertain",
        "source": "uncertainty.csv",
        "cells": 12,
    }  # co2 of housing is 0: exact
    assert exact["estimates"]["mode"] == "exact" and exact["budget"] == {}
    assert _core(drawn) != _core(exact)
    # told to take the numbers as exact, the same case gives the weights-only result
    same = _summary(case, estimates="exact")
    assert _core(same) == _core(exact) and same["estimates"]["mode"] == "exact"
    # the mandatory hub is in every optimum, whatever is drawn
    assert _core(drawn)["hub"] == 1.0


def test_zero_width_ranges_give_exactly_the_weights_only_core_indices(tiny):
    exact = _summary(load_case(tiny))
    (tiny / "uncertainty.csv").write_text(
        "measure,criterion,low,high\nsolar,co2,400,400\ntram,cost,60,60\n", encoding="utf-8"
    )
    flat = _summary(load_case(tiny))
    assert _core(flat) == _core(exact) and flat["estimates"]["mode"] == "exact"


def test_the_budget_probability_of_the_baseline_portfolio(tiny):
    (tiny / "uncertainty.csv").write_text(UNCERTAIN, encoding="utf-8")
    r = _summary(load_case(tiny))
    b = r["budget"]["cost"]
    assert b["limit"] == 100 and 0 <= b["probability_within"] <= 1
    chosen = r["portfolios"]["(baseline)"]["selected"]
    cost = {m.id: m.resources.get("cost", m.performance.get("cost")) for m in load_case(tiny).measures}
    assert b["nominal"] == pytest.approx(sum(cost[m] for m in chosen))
    assert b["p50"] >= b["nominal"] * 0.95  # overruns are likelier than savings (-10 % .. +50 %)


def test_the_cli_reports_drawn_estimates_and_the_budget(tiny, invoke):
    (tiny / "uncertainty.csv").write_text(UNCERTAIN, encoding="utf-8")
    text = invoke("robust", str(tiny), "--samples", "10").stdout
    assert "weight-and-value-sample" in text and "12 uncertain estimates drawn (uncertainty.csv)" in text
    assert "Budget cost: the baseline portfolio stays within 100.0 with probability" in text
    r = json.loads(
        invoke("robust", str(tiny), "--samples", "10", "--estimates", "exact", "--format", "json").stdout
    )
    assert r["estimates"]["mode"] == "exact"
