"""The goal-conflict graph: hand-checked answers on cases/tiny, the Leverkusen case, invariants."""

from __future__ import annotations

import json
import math
import re
import tempfile
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lev2040_mcda.case import Case, CaseConfig, Catalogue, Criterion, Goal, Interaction, Measure, load_case
from lev2040_mcda.cli.conflicts import conflicts_table
from lev2040_mcda.conflicts import (
    analyse_conflicts,
    build_graph,
    conflict_hotspots,
    goal_conflicts,
    goal_weights,
    measure_pairs,
    severity,
    synergy_clusters,
    to_dot,
    worse_than_neutral,
    write_dot,
    write_graphml,
)
from lev2040_mcda.weights import weights_summary

CASES = Path(__file__).resolve().parent.parent / "cases"

# klima 0.5, wohnen 0.2 + 0.1 = 0.3, finanzen 0.2: severities 0.6*0.5*0.3 = 0.09, 0.4*0.5*0.2 = 0.04
TINY_WEIGHTS = {"cost": 0.2, "co2": 0.5, "homes": 0.2, "acceptance": 0.1}


@pytest.fixture(scope="module")
def tiny_case() -> Case:
    return load_case(CASES / "tiny")


@pytest.fixture(scope="module")
def tiny_result(tiny_case) -> dict:
    return analyse_conflicts(tiny_case, TINY_WEIGHTS, derive_pairs=True)


@pytest.fixture(scope="module")
def lev_case() -> Case:
    return load_case(CASES / "leverkusen-2040")


@pytest.fixture(scope="module")
def lev_result(lev_case) -> dict:
    return analyse_conflicts(lev_case)


def _with_measure(case: Case, mid: str, **performance: float) -> Case:
    measures = tuple(
        m.model_copy(update={"performance": {**m.performance, **performance}}) if m.id == mid else m
        for m in case.measures
    )
    return case.model_copy(update={"measures": measures})


# -- the graph --------------------------------------------------------------------------------


def test_graph_has_typed_nodes_and_every_relation(tiny_case):
    G = build_graph(tiny_case)
    kinds = {
        k: sorted(d["id"] for _, d in G.nodes(data=True) if d["kind"] == k)
        for k in ("goal", "criterion", "measure")
    }
    assert kinds == {
        "goal": ["finanzen", "klima", "wohnen"],
        "criterion": ["acceptance", "co2", "cost", "homes"],
        "measure": ["housing", "hub", "infill", "park", "solar", "tram"],
    }
    assert G.nodes["measure:infill"]["label"] == "Infill housing"
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    # criterion -> goal with its share of the goal (homes 2 : acceptance 1)
    share = {u: d["strength"] for (u, v, k), d in edges.items() if k == "measures"}
    assert share == pytest.approx(
        {"criterion:homes": 2 / 3, "criterion:acceptance": 1 / 3, "criterion:co2": 1.0, "criterion:cost": 1.0}
    )
    assert {v for u, v, k in edges if u == "measure:infill" and k == "serves"} == {
        "goal:wohnen",
        "goal:klima",
    }
    assert edges[("goal:klima", "goal:wohnen", "conflict")] | {} == {
        "relation": "conflict",
        "sign": -1,
        "strength": 0.6,
        "note": "New housing takes open land",
        "index": 0,
    }
    assert edges[("measure:tram", "measure:hub", "synergy")]["sign"] == 1
    assert edges[("measure:housing", "measure:park", "conflict")]["strength"] == 1.0
    # tiny has no value worse than neutral: cost has min 0, every benefit value is >= 0
    assert not [e for e in edges if e[2] == "harms"]
    assert {d["relation"] for d in edges.values()} == {"measures", "serves", "synergy", "conflict"}


def test_harm_rule_benefit_below_zero_and_signed_cost_above_zero(tiny_case):
    case = _with_measure(tiny_case, "housing", co2=-50.0)
    G = build_graph(case)
    assert dict(G["measure:housing"]["goal:klima"]["harms"]) == {
        "relation": "harms",
        "sign": -1,
        "strength": 1.0,
        "criteria": "co2",
    }
    # cost 50 on a criterion with min 0 is spending, not harm ...
    assert "goal:finanzen" not in G["measure:housing"]
    # ... but with a signed scale (min < 0) a positive cost value is a change for the worse
    signed = Catalogue(
        criteria=[c.model_copy(update={"min": -10.0}) if c.id == "cost" else c for c in tiny_case.criteria]
    )
    G2 = build_graph(case.model_copy(update={"catalogue": signed}))
    harmed = {u for u, v, k in G2.edges(keys=True) if k == "harms" and v == "goal:finanzen"}
    assert harmed == {f"measure:{m.id}" for m in tiny_case.measures}  # every cost is > 0
    # the measure both serves and harms: two edges, keyed by relation
    G3 = build_graph(_with_measure(tiny_case, "solar", co2=-1.0))
    assert sorted(G3["measure:solar"]["goal:klima"]) == ["harms", "serves"]


@pytest.mark.parametrize(
    "direction, lo, value, harms",
    [
        ("benefit", None, -0.1, True),
        ("benefit", 0.0, 0.0, False),
        ("benefit", -5.0, 3.0, False),
        ("cost", -5.0, 0.1, True),
        ("cost", -5.0, -2.0, False),
        ("cost", 0.0, 12.0, False),
        ("cost", None, 12.0, False),
        ("cost", 1.0, 3.0, False),
    ],
)
def test_worse_than_neutral(direction, lo, value, harms):
    c = Criterion(id="x", name="X", direction=direction, min=lo)
    assert worse_than_neutral(c, value) is harms


def test_goal_weights_include_sub_goals(tiny_case):
    goals = tuple(
        g.model_copy(update={"parent": "klima"}) if g.id == "wohnen" else g for g in tiny_case.goals
    )
    G = build_graph(tiny_case.model_copy(update={"goals": goals}))
    w = goal_weights(G, TINY_WEIGHTS)
    assert w == pytest.approx({"klima": 0.5 + 0.2 + 0.1, "wohnen": 0.3, "finanzen": 0.2})
    with pytest.raises(ValueError, match="unknown criterion 'nope'"):
        goal_weights(G, {"nope": 1.0})


# -- analyses on cases/tiny (hand-checked) ---------------------------------------------------


def test_tiny_conflicts_ranked_by_severity(tiny_result):
    got = [(c["rank"], c["a"], c["b"], c["strength"], c["severity"]) for c in tiny_result["conflicts"]]
    assert got == [
        (1, "klima", "wohnen", 0.6, pytest.approx(0.09)),
        (2, "klima", "finanzen", 0.4, pytest.approx(0.04)),
    ]
    top = tiny_result["conflicts"][0]
    assert (top["title_a"], top["title_b"]) == ("Klimaneutrale Stadt", "Bezahlbares Wohnen")
    assert (top["weight_a"], top["weight_b"]) == (pytest.approx(0.5), pytest.approx(0.3))
    assert top["share"] == pytest.approx(0.09 / 0.13)
    assert tiny_result["weights"]["source"] == "given"


def test_tiny_highest_groups_per_side(tiny_result):
    # verwaltung: klima .2, wohnen .4 + .1, finanzen .3; buerger (points): klima .367, wohnen .433
    top = tiny_result["conflicts"][0]
    assert top["highest_a"]["group"] == "buerger"
    assert top["highest_a"]["weight"] == pytest.approx((0.5 + 0.2 + 0.4) / 3)
    assert top["highest_b"] == {"group": "verwaltung", "name": "Verwaltung", "weight": pytest.approx(0.5)}
    second = tiny_result["conflicts"][1]
    assert (second["highest_a"]["group"], second["highest_b"]["group"]) == ("buerger", "verwaltung")


def test_tiny_hotspots_and_clusters(tiny_result):
    hs = [(h["goal"], h["conflicts"], h["degree"]) for h in tiny_result["hotspots"]]
    assert hs == [
        ("klima", 2, pytest.approx(0.13)),
        ("wohnen", 1, pytest.approx(0.09)),
        ("finanzen", 1, pytest.approx(0.04)),
    ]
    assert tiny_result["hotspots"][0]["with"] == ["wohnen", "finanzen"]
    # tiny has no goal synergy: every goal is a singleton cluster, in case order
    assert [(c["cluster"], c["goals"], c["synergy"]) for c in tiny_result["clusters"]] == [
        (1, ["klima"], 0.0),
        (2, ["wohnen"], 0.0),
        (3, ["finanzen"], 0.0),
    ]


def test_tiny_measure_exposure(tiny_result):
    by_id = {m["id"]: m for m in tiny_result["measures"]}
    assert [m["id"] for m in tiny_result["measures"]] == ["solar", "park", "tram", "hub", "housing", "infill"]
    assert by_id["solar"]["exposure"] == pytest.approx(0.13)
    assert [(p["goal"], p["other"]) for p in by_id["solar"]["conflicts"]] == [
        ("klima", "wohnen"),
        ("klima", "finanzen"),
    ]
    assert by_id["housing"]["exposure"] == pytest.approx(0.09)
    # infill serves klima and wohnen: it bridges klima-wohnen and is exposed to klima-finanzen only
    assert by_id["infill"]["exposure"] == pytest.approx(0.04)
    assert by_id["infill"]["bridges"] == [
        {"rank": 1, "a": "klima", "b": "wohnen", "severity": pytest.approx(0.09)}
    ]
    assert [p["rank"] for p in by_id["infill"]["conflicts"]] == [2]
    top = tiny_result["conflicts"][0]
    assert (top["measures_a"], top["measures_b"], top["bridges"]) == (
        ["solar", "park", "tram", "hub"],
        ["housing"],
        ["infill"],
    )
    assert tiny_result["conflicts"][1]["measures_a"] == ["solar", "park", "infill", "tram", "hub"]
    assert tiny_result["conflicts"][1]["measures_b"] == []


def test_exposure_notes_when_the_measure_harms_the_other_side(tiny_case):
    r = analyse_conflicts(_with_measure(tiny_case, "housing", co2=-50.0), TINY_WEIGHTS)
    housing = next(m for m in r["measures"] if m["id"] == "housing")
    assert housing["harms"] == [{"goal": "klima", "criteria": ["co2"]}]
    assert housing["conflicts"] == [
        {"rank": 1, "goal": "wohnen", "other": "klima", "severity": pytest.approx(0.09), "harms_other": True}
    ]


def test_tiny_measure_pairs_explicit_then_derived(tiny_result, tiny_case):
    pairs = [(p["a"], p["b"], p["effect"], p["strength"], p["origin"]) for p in tiny_result["measure_pairs"]]
    # housing-park is explicit (conflict 1.0): the derived park-housing pair is not added again
    assert pairs == [
        ("tram", "hub", "synergy", 0.8, "interaction"),
        ("housing", "park", "conflict", 1.0, "interaction"),
        ("solar", "housing", "conflict", pytest.approx(0.3), "derived"),
        ("tram", "housing", "conflict", pytest.approx(0.3), "derived"),
        ("hub", "housing", "conflict", pytest.approx(0.3), "derived"),
    ]
    assert tiny_result["measure_pairs"][2]["via"] == {
        "a": "klima",
        "b": "wohnen",
        "severity": pytest.approx(0.09),
    }
    assert tiny_result["counts"]["derived_pairs"] == 3
    G = build_graph(tiny_case)
    conflicts = goal_conflicts(G, goal_weights(G, TINY_WEIGHTS))
    assert len(measure_pairs(G, conflicts)) == 2  # derive off: interactions only
    capped = measure_pairs(G, conflicts, derive=True, max_derived=2)
    assert [(p["a"], p["b"]) for p in capped if p["origin"] == "derived"] == [
        ("solar", "housing"),
        ("tram", "housing"),
    ]


def test_weights_are_normalised_and_checked(tiny_case):
    doubled = analyse_conflicts(tiny_case, {k: 2 * v for k, v in TINY_WEIGHTS.items()})
    assert doubled["conflicts"][0]["severity"] == pytest.approx(0.09)
    with pytest.raises(ValueError, match="unknown criterion 'co3'"):
        analyse_conflicts(tiny_case, {"co3": 1})
    with pytest.raises(ValueError, match="expected a finite number >= 0"):
        analyse_conflicts(tiny_case, {"co2": -1})
    with pytest.raises(ValueError, match="all weights are zero"):
        analyse_conflicts(tiny_case, {"co2": 0})


def test_consensus_weights_by_default_and_equal_weights_without_submissions(tiny_case):
    r = analyse_conflicts(tiny_case)
    consensus = weights_summary(tiny_case)["weights"]
    assert r["weights"]["source"] == "consensus"
    assert r["weights"]["criteria"] == pytest.approx(consensus)
    assert r["weights"]["goals"]["wohnen"] == pytest.approx(consensus["homes"] + consensus["acceptance"])
    bare = tiny_case.model_copy(update={"submissions": (), "submission_tables": ()})
    r2 = analyse_conflicts(bare)
    assert r2["weights"]["source"] == "equal (no submissions)"
    assert r2["weights"]["goals"] == pytest.approx({"klima": 0.25, "wohnen": 0.5, "finanzen": 0.25})
    assert r2["groups"] == [] and r2["conflicts"][0]["highest_a"] is None
    why = "the case has no stakeholder submissions (nothing in weights/)"
    assert r2["skipped"] == {"consensus": why, "groups": why}
    assert r2["warnings"] == []


def test_result_is_json_ready_and_table_names_conflicts(tiny_result):
    json.dumps(tiny_result, allow_nan=False)  # plain types only: no numpy, no tuples needed
    text = conflicts_table(tiny_result)
    assert re.search(
        r"\n1  klima × wohnen\s+0\.60\s+0\.500\s+0\.300\s+0\.0900\s+69%\s+buerger "
        r"\(37%\)\s+verwaltung \(50%\)\n",
        text,
    )
    assert ("  1. klima × wohnen — klima: solar, park, tram, hub; wohnen: housing; bridge: infill\n") in text
    assert re.search(r"\nklima\s+Klimaneutrale Stadt\s+2\s+0\.1300\s+100%\n", text)
    assert "  1. klima (synergy 0.00)\n" in text
    assert "Measure pairs for the portfolio: 2 from interactions.csv, 3 derived" in text


# -- the Leverkusen case -----------------------------------------------------------------------


def test_leverkusen_top_conflicts(lev_case, lev_result):
    w = weights_summary(lev_case)["weights"]
    wohnen = w["dwellings_n"] + w["subsidised_share_pct"]
    innen = w["land_ha"] + w["brownfield_reuse_ha"]
    top = lev_result["conflicts"][0]
    assert (top["a"], top["b"], top["title_a"], top["title_b"]) == (
        "wohnen",
        "innenentwicklung",
        "Bezahlbares Wohnen",
        "Flächensparende Innenentwicklung",
    )
    assert top["severity"] == pytest.approx(0.7 * wohnen * innen)
    assert top["severity"] == pytest.approx(0.0080, abs=5e-5)
    # exposed: greenfield housing and the other housing measures vs. brownfield measures;
    # City C (housing inside the city) serves both sides and bridges the conflict
    assert top["measures_a"] == [
        "m06_rheindorf_nord_friedenspark",
        "m07_hitdorf_neubau",
        "m12_nbso_westseite",
        "m17_quettingen_neubau",
        "m27_steinbuechel_neubau",
    ]
    assert top["measures_b"] == [
        "m11_gewerbebrache_manfort",
        "m32_innovationspark_nachverdichtung",
        "m36_brachflaechenkataster",
    ]
    assert top["bridges"] == ["m01_city_c_wohnen"]
    assert [(c["a"], c["b"]) for c in lev_result["conflicts"][:3]] == [
        ("wohnen", "innenentwicklung"),
        ("finanzen", "mobilitaet"),
        ("finanzen", "bildung_teilhabe"),
    ]
    sev = [c["severity"] for c in lev_result["conflicts"]]
    assert sev == sorted(sev, reverse=True) and len(sev) == 12
    assert sum(c["share"] for c in lev_result["conflicts"]) == pytest.approx(1.0)


def test_leverkusen_hotspots_clusters_and_measures(lev_result):
    finanzen = lev_result["hotspots"][0]
    assert (finanzen["goal"], finanzen["conflicts"]) == ("finanzen", 7)
    assert finanzen["degree"] == pytest.approx(
        sum(c["severity"] for c in lev_result["conflicts"] if "finanzen" in (c["a"], c["b"]))
    )
    assert [c["goals"] for c in lev_result["clusters"]] == [
        ["klimaneutral", "schwammstadt", "mobilitaet", "laerm_luft"],
        ["wohnen", "innenentwicklung", "zentren", "finanzen"],
        ["wirtschaft", "bildung_teilhabe"],
    ]
    by_id = {m["id"]: m for m in lev_result["measures"]}
    # the trade tax rise serves finances only and costs jobs: it pulls in all 7 finance conflicts
    hebesatz = by_id["m37_hebesatz_280"]
    assert hebesatz["serves"] == ["finanzen"]
    assert hebesatz["harms"] == [{"goal": "wirtschaft", "criteria": ["jobs_n"]}]
    assert hebesatz["exposure"] == pytest.approx(finanzen["degree"])
    assert {p["other"] for p in hebesatz["conflicts"] if p["harms_other"]} == {"wirtschaft"}
    hitdorf = {h["goal"]: h["criteria"] for h in by_id["m07_hitdorf_neubau"]["harms"]}
    assert hitdorf["schwammstadt"] == ["heat_relief_residents_n", "flood_damage_avoided_eur_m_yr"]
    assert hitdorf["laerm_luft"] == ["noise_65db_residents_n"]  # +150 residents above 65 dB
    # land_ha has min 0, but the catalogue sets neutral: 2 ha: Hitdorf's 12 ha harm infill
    assert hitdorf["innenentwicklung"] == ["land_ha"]
    explicit = [p for p in lev_result["measure_pairs"] if p["origin"] == "interaction"]
    assert len(explicit) == 21 and lev_result["counts"]["derived_pairs"] == 0
    assert ("m17_quettingen_neubau", "m13_wupperdeiche_wiembach", "conflict", 0.9) in [
        (p["a"], p["b"], p["effect"], p["strength"]) for p in explicit
    ]


def test_leverkusen_is_deterministic(lev_case, lev_result):
    again = analyse_conflicts(lev_case, seed=2040)
    assert json.dumps(again, sort_keys=True) == json.dumps(lev_result, sort_keys=True)


# -- files -----------------------------------------------------------------------------------


_DOT_STRING = r'"((?:[^"\\]|\\.)*)"'


def _parse_dot(text: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Nodes and (u, v, attribute list) of the DOT we write (a minimal reader for the test)."""
    unq = lambda s: re.sub(r"\\(.)", r"\1", s)
    nodes = {unq(m) for m in re.findall(rf"^  {_DOT_STRING} \[label=", text, re.M)}
    edges = [
        (unq(u), unq(v), a)
        for u, v, a in re.findall(rf"^  {_DOT_STRING} -> {_DOT_STRING}(?: \[(.*)\])?;$", text, re.M)
    ]
    return nodes, edges


def test_dot_quotes_ids_and_colours_conflicts_and_synergies(tiny_case, tmp_path):
    measures = tuple(
        m.model_copy(update={"name": 'Tram "Nord" \\ Süd'}) if m.id == "tram" else m
        for m in tiny_case.measures
    )
    G = build_graph(tiny_case.model_copy(update={"measures": measures}))
    write_dot(G, tmp_path / "g.dot")
    text = (tmp_path / "g.dot").read_text(encoding="utf-8")
    assert text == to_dot(G) and text.startswith('digraph "tiny" {')
    assert '"measure:tram" [label="Tram \\"Nord\\" \\\\ Süd"' in text
    nodes, edges = _parse_dot(text)
    assert nodes == set(G.nodes)
    assert sorted((u, v) for u, v, _ in edges) == sorted((u, v) for u, v in G.edges())
    for u, v, attrs in edges:
        rel = next(iter(G[u][v]))
        assert ('color="red"' in attrs) == (rel == "conflict")
        assert ('color="darkgreen"' in attrs) == (rel == "synergy")
    assert '"goal:klima" -> "goal:wohnen" [label="-0.6", color="red"' in text
    assert '"measure:tram" -> "measure:hub" [label="0.8", color="darkgreen"' in text


def test_graphml_converts_none_and_lists(tiny_case, tmp_path):
    G = build_graph(tiny_case)
    G.graph["description"] = None
    G.nodes["goal:klima"]["tags"] = ["a", "b"]
    write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert H.graph["description"] == "" and H.nodes["goal:klima"]["tags"] == "a;b"
    assert G.graph["description"] is None  # the graph itself is not changed
    assert H.nodes["measure:hub"]["mandatory"] is True


# -- invariants (hypothesis) -----------------------------------------------------------------


@st.composite
def small_cases(draw) -> tuple[Case, list[tuple[str, str]]]:
    """A random valid case (in memory) and the goal/measure pairs still free for an interaction."""
    n_goals = draw(st.integers(2, 5))
    goal_ids = [f"g{i}" for i in range(n_goals)]
    goals = [
        Goal(id=g, title=f"Goal {g}", parent=draw(st.sampled_from([None, *goal_ids[:i]])))
        for i, g in enumerate(goal_ids)
    ]
    criteria = [
        Criterion(
            id=f"c{i}",
            name=f"C{i}",
            direction=draw(st.sampled_from(["benefit", "cost"])),
            goal=draw(st.sampled_from(goal_ids)),
            min=draw(st.sampled_from([None, -10.0, 0.0])),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    values = st.floats(-10, 10, allow_nan=False)
    measures = [
        Measure(
            id=f"m{j}",
            name=f"Measure {j}",
            goals=tuple(draw(st.lists(st.sampled_from(goal_ids), max_size=3, unique=True))),
            performance={
                c.id: draw(values) if c.min is None or c.min < 0 else abs(draw(values)) for c in criteria
            },
        )
        for j in range(draw(st.integers(1, 7)))
    ]
    pairs = [(a, b, "goal") for a, b in combinations(goal_ids, 2)]
    pairs += [(a.id, b.id, "measure") for a, b in combinations(measures, 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=8))
    interactions = [
        Interaction(
            source=a,
            target=b,
            level=level,
            effect=draw(st.sampled_from(["synergy", "conflict"])),
            strength=draw(st.floats(0.01, 1.0)),
        )
        for a, b, level in chosen
    ]
    case = Case(
        root=Path("."),
        config=CaseConfig(name="h", criteria="criteria.yaml"),
        catalogue=Catalogue(criteria=criteria),
        goals=tuple(goals),
        measures=tuple(measures),
        interactions=tuple(interactions),
    )
    return case, [p for p in pairs if p not in chosen]


def _weights(case: Case, draw) -> dict[str, float]:
    return {c.id: draw(st.floats(0.01, 1.0)) for c in case.criteria}


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_severity_is_monotone_in_strength_and_weights(s, wa, wb, ds, dwa, dwb):
    base = severity(s, wa, wb)
    assert severity(s + ds, wa, wb) >= base
    assert severity(s, wa + dwa, wb) >= base
    assert severity(s, wa, wb + dwb) >= base


@given(small_cases(), st.data())
def test_graph_severity_is_monotone_in_strength_and_goal_weight(generated, data):
    case, _ = generated
    G = build_graph(case)
    weights = goal_weights(G, _weights(case, data.draw))
    before = {(c["a"], c["b"]): c["severity"] for c in goal_conflicts(G, weights)}
    assume(before)
    a, b = data.draw(st.sampled_from(sorted(before)))
    # a stronger conflict
    edge = G[f"goal:{a}"][f"goal:{b}"]["conflict"]
    edge["strength"] = min(1.0, edge["strength"] + data.draw(st.floats(0, 1)))
    after = {(c["a"], c["b"]): c["severity"] for c in goal_conflicts(G, weights)}
    assert after[(a, b)] >= before[(a, b)]
    assert {k: v for k, v in after.items() if k != (a, b)} == {k: v for k, v in before.items() if k != (a, b)}
    # a heavier goal: no conflict gets less severe
    goal = data.draw(st.sampled_from(sorted(weights)))
    heavier = {**weights, goal: weights[goal] + data.draw(st.floats(0, 1))}
    bumped = {(c["a"], c["b"]): c["severity"] for c in goal_conflicts(G, heavier)}
    assert all(bumped[k] >= after[k] for k in after)


@given(small_cases(), st.data())
def test_adding_a_synergy_never_adds_a_conflict(generated, data):
    case, free = generated
    assume(free)
    a, b, level = data.draw(st.sampled_from(free))
    weights = _weights(case, data.draw)
    synergy = Interaction(
        source=a, target=b, effect="synergy", level=level, strength=data.draw(st.floats(0.01, 1.0))
    )
    more = case.model_copy(update={"interactions": (*case.interactions, synergy)})
    r0 = analyse_conflicts(case, weights, derive_pairs=True)
    r1 = analyse_conflicts(more, weights, derive_pairs=True)
    conflicts = lambda r: [(c["a"], c["b"], c["severity"]) for c in r["conflicts"]]
    pairs = lambda r: [
        (p["a"], p["b"], p["strength"]) for p in r["measure_pairs"] if p["effect"] == "conflict"
    ]
    assert conflicts(r1) == conflicts(r0)
    # a new explicit measure pair may replace a derived conflict pair, never add one
    assert pairs(r1) == pairs(r0) or level == "measure"
    assert set(pairs(r1)) <= set(pairs(r0))
    assert [m["exposure"] for m in r1["measures"]] == [m["exposure"] for m in r0["measures"]]
    assert r1["counts"]["goal_conflicts"] == r0["counts"]["goal_conflicts"]


@given(small_cases(), st.data())
def test_exposure_is_the_sum_of_one_sided_conflicts(generated, data):
    case, _ = generated
    r = analyse_conflicts(case, _weights(case, data.draw), seed=data.draw(st.integers(0, 99)))
    served = {m.id: set(m.goals) for m in case.measures}
    for m in r["measures"]:
        assert m["exposure"] == pytest.approx(sum(p["severity"] for p in m["conflicts"]))
        for p in m["conflicts"]:
            assert p["goal"] in served[m["id"]] and p["other"] not in served[m["id"]]
        for br in m["bridges"]:
            assert {br["a"], br["b"]} <= served[m["id"]]
    # clusters partition the goals; hotspots add every severity twice
    clustered = [g for c in r["clusters"] for g in c["goals"]]
    assert sorted(clustered) == sorted(case.goal_ids)
    assert sum(h["degree"] for h in r["hotspots"]) == pytest.approx(
        2 * sum(c["severity"] for c in r["conflicts"])
    )


@given(small_cases())
def test_harm_edges_follow_the_scalar_rule(generated):
    case, _ = generated
    G = build_graph(case)
    crit = {c.id: c for c in case.criteria}
    expected = {
        (m.id, crit[c].goal)
        for m in case.measures
        for c, v in m.performance.items()
        if crit[c].goal is not None and worse_than_neutral(crit[c], v)
    }
    got = {(G.nodes[u]["id"], G.nodes[v]["id"]) for u, v, k in G.edges(keys=True) if k == "harms"}
    assert got == expected


@given(small_cases())
def test_graphml_round_trip_keeps_nodes_edges_and_signs(generated):
    case, _ = generated
    G = build_graph(case)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.graphml"
        write_graphml(G, path)
        H = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(H, nx.MultiDiGraph)
    assert dict(H.nodes(data="kind")) == dict(G.nodes(data="kind"))
    signs = lambda g: sorted(
        (u, v, k, d["sign"], d["relation"]) for u, v, k, d in g.edges(keys=True, data=True)
    )
    assert signs(H) == signs(G)
    strengths = lambda g: sorted((u, v, k, d["strength"]) for u, v, k, d in g.edges(keys=True, data=True))
    assert all(math.isclose(x[3], y[3]) for x, y in zip(strengths(H), strengths(G)))


def test_hotspots_and_clusters_helpers_on_a_hand_built_graph():
    G = nx.MultiDiGraph()
    for g in ("a", "b", "c", "d"):
        G.add_node(f"goal:{g}", kind="goal", id=g, label=g.upper())
    G.add_edge("goal:a", "goal:b", key="synergy", relation="synergy", sign=1, strength=0.9)
    G.add_edge("goal:c", "goal:d", key="synergy", relation="synergy", sign=1, strength=0.4)
    G.add_edge("goal:a", "goal:c", key="conflict", relation="conflict", sign=-1, strength=0.5)
    G.add_edge("goal:b", "goal:d", key="conflict", relation="conflict", sign=-1, strength=1.0)
    weights = {"a": 0.4, "b": 0.3, "c": 0.2, "d": 0.1}
    conflicts = goal_conflicts(G, weights)
    assert [(c["a"], c["b"], c["severity"]) for c in conflicts] == [
        ("a", "c", pytest.approx(0.04)),
        ("b", "d", pytest.approx(0.03)),
    ]
    assert [(h["goal"], h["degree"]) for h in conflict_hotspots(conflicts)] == [
        ("a", pytest.approx(0.04)),
        ("c", pytest.approx(0.04)),
        ("b", pytest.approx(0.03)),
        ("d", pytest.approx(0.03)),
    ]
    clusters = synergy_clusters(G, seed=1)
    assert [(c["goals"], round(c["synergy"], 6)) for c in clusters] == [(["a", "b"], 0.9), (["c", "d"], 0.4)]
    assert synergy_clusters(G, seed=1) == synergy_clusters(G, seed=1)


def test_groups_passed_explicitly_and_a_goal_nobody_weights(tiny_case):
    groups = [
        {"id": "a", "name": "A", "weights": {"co2": 1.0}},
        {"id": "b", "weights": {"homes": 0.5, "co2": 0.5}},
    ]
    r = analyse_conflicts(tiny_case, TINY_WEIGHTS, groups=groups)
    top, second = r["conflicts"]
    assert top["highest_a"] == {"group": "a", "name": "A", "weight": 1.0}
    assert top["highest_b"] == {"group": "b", "name": "b", "weight": 0.5}
    assert second["highest_b"] is None  # neither group gives finanzen any weight
    assert [g["goal_weights"] for g in r["groups"]] == [
        {"klima": 1.0, "wohnen": 0.0, "finanzen": 0.0},
        {"klima": 0.5, "wohnen": 0.5, "finanzen": 0.0},
    ]


def test_interaction_level_is_inferred_when_a_hand_built_case_leaves_it_unset(tiny_case):
    unset = tuple(it.model_copy(update={"level": None}) for it in tiny_case.interactions)
    G = build_graph(tiny_case.model_copy(update={"interactions": unset}))
    assert sorted(G.edges(keys=True)) == sorted(build_graph(tiny_case).edges(keys=True))
    assert G.number_of_nodes() == 13  # 3 goals, 4 criteria, 6 measures: no stray nodes
