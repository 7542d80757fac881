"""The CIB engine's behaviour: search options, succession, robustness, ensembles, selection, and
the scenarios it hands to the case (validated by the case's own pydantic model)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lev2040_mcda.case import CIBModel, Descriptor, Scenario, Variant
from lev2040_mcda.errors import InputErrors
from lev2040_mcda.scenarios import (
    CIBResult,
    SearchTooLarge,
    basins,
    brute_force,
    consistent_scenarios,
    ensemble_consistency,
    evaluate,
    random_model,
    robust_margins,
    robust_scenarios,
    robustness_radius,
    search_chunk,
    search_chunks,
    select_diverse,
    succession,
    to_case_scenarios,
    to_json_dict,
)

from .test_cib_reference import parse, somewhereland


def test_fixed_descriptor_is_exempt_but_its_row_still_acts():
    """Intervention: fixing Government to the Patriots party (A1) keeps the scenarios that are
    consistent in B..F given A1, whether or not A1 itself would be chosen by its balance."""
    model = somewhereland()
    found = consistent_scenarios(model, fixed={"a": "a1"})
    assert found and all(r.variants[0] == 0 for r in found)
    # the three published consistent scenarios with A1 stay
    assert {parse(s) for s in ("A1 B2 C2 D1 E1 F2", "A1 B3 C2 D1 E1 F2", "A1 B3 C2 D1 E1 F3")} <= {
        r.variants for r in found
    }
    free = {r.variants for r in consistent_scenarios(model)}
    exempt = [r for r in found if r.variants not in free]  # only consistent because A is exempt
    for r in exempt:
        assert evaluate(model, r.variants).inconsistency > 0
        assert evaluate(model, r.variants, exempt=[0]).inconsistency == 0
    assert found == brute_force(model, fixed={"a": "a1"})


def test_unknown_fixed_ids_are_named():
    with pytest.raises(ValueError, match="unknown descriptor 'x'"):
        consistent_scenarios(somewhereland(), fixed={"x": "a1"})
    with pytest.raises(ValueError, match="unknown variant 'a9' of 'a'"):
        consistent_scenarios(somewhereland(), fixed={"a": "a9"})


def test_weakly_inconsistent_scenarios_with_k():
    model = somewhereland()
    k1 = consistent_scenarios(model, max_inconsistency=1)
    assert {r.inconsistency for r in k1} == {0, 1}
    assert [r for r in k1 if r.inconsistency == 0] == consistent_scenarios(model)
    assert k1 == brute_force(model, 1)


def test_limit_progress_and_chunks():
    model = random_model([3, 4, 3, 3, 2, 3, 4], seed=5)
    calls = []
    whole = consistent_scenarios(model, 1, progress=lambda done, total: calls.append((done, total)))
    chunks = search_chunks(model)
    assert calls == [(k, len(chunks)) for k in range(1, len(chunks) + 1)]
    assert len(chunks) == 12 and chunks[0].prefix == (0, 0)
    assert [r for c in chunks for r in search_chunk(model, c, 1)] == whole
    assert consistent_scenarios(model, 1, limit=2) == whole[:2]
    assert whole == sorted(whole, key=lambda r: r.variants)


def test_chunks_run_in_a_process_pool_give_the_same_result():
    from concurrent.futures import ProcessPoolExecutor

    model = random_model([3, 3, 4, 3, 3, 3], seed=1)
    chunks = search_chunks(model)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(search_chunk, [model] * len(chunks), chunks))
    assert [r for p in parts for r in p] == consistent_scenarios(model)


def test_time_budget_says_use_monte_carlo():
    model = random_model([4] * 14, seed=3, density=0.1, strong=0.0)
    with pytest.raises(SearchTooLarge, match="succession Monte-Carlo") as err:
        consistent_scenarios(model, max_inconsistency=6, time_budget=0.0)
    assert err.value.exit_code == 2
    assert "268,435,456 scenarios" in str(err.value)


def test_succession_global_and_adiabatic_end_in_consistent_scenarios():
    model = somewhereland()
    consistent = {r.variants for r in consistent_scenarios(model)}
    start = parse("A2 B1 C3 D1 E1 F1")
    path, att = succession(model, start, "global")
    assert path[0] == start and not att.is_cycle and att.states[0] in consistent
    path_a, att_a = succession(model, start, "adiabatic")
    # adiabatic: only D (the one inconsistent descriptor, fig. 2-3) switches, to D2
    assert path_a[1] == parse("A2 B1 C3 D2 E1 F1")
    assert all(sum(x != y for x, y in zip(p, q, strict=True)) == 1 for p, q in itertools.pairwise(path_a))
    assert att_a.states[0] in consistent
    with pytest.raises(ValueError, match="unknown succession rule"):
        succession(model, start, "random")


def test_global_succession_can_cycle():
    """x promotes the same variant in y, y the opposite one in x: no consistent scenario, and
    global succession goes round all four scenarios."""
    m = np.array([[0, 0, 3, -3], [0, 0, -3, 3], [-3, 3, 0, 0], [3, -3, 0, 0]])
    d = tuple(Descriptor(x, x, None, (Variant("p", "p"), Variant("q", "q"))) for x in ("x", "y"))
    model = CIBModel(d, m)
    assert consistent_scenarios(model) == []
    _, att = succession(model, (0, 0), "global")
    assert att.is_cycle and att.states == ((0, 0), (1, 0), (1, 1), (0, 1))
    (only,) = basins(model, starts=50, seed=1)
    assert only.attractor == att and only.count == 50


def test_basins_are_seeded_and_cover_every_start():
    model = somewhereland()
    a = basins(model, starts=400, seed=7)
    assert a == basins(model, starts=400, seed=7)
    assert sum(b.count for b in a) == 400 and abs(sum(b.share for b in a) - 1) < 1e-12
    consistent = {r.variants for r in consistent_scenarios(model)}
    assert {b.attractor.states[0] for b in a if not b.attractor.is_cycle} <= consistent
    assert [b.count for b in a] == sorted((b.count for b in a), reverse=True)
    adiabatic = basins(model, starts=200, seed=7, rule="adiabatic")
    assert sum(b.count for b in adiabatic) == 200


def _vertex_worst_margins(model: CIBModel, s: tuple[int, ...], d: int) -> list[float]:
    """Worst margin per descriptor over every vertex of the box of ±d perturbations."""
    rows = np.asarray(model.offsets) + s
    chosen = model.matrix[rows].astype(float)
    owner = np.repeat(np.arange(len(model.sizes)), model.sizes)
    cells = [(i, c) for i in range(len(s)) for c in range(chosen.shape[1]) if owner[c] != i]
    worst = [np.inf] * len(s)
    for signs in itertools.product((-d, d), repeat=len(cells)):
        p = chosen.copy()
        for (i, c), e in zip(cells, signs, strict=True):
            p[i, c] += e
        b = p.sum(axis=0)
        for j, (o, n) in enumerate(zip(model.offsets, model.sizes, strict=True)):
            rivals = [b[o + s[j]] - b[o + c] for c in range(n) if c != s[j]]
            worst[j] = min(worst[j], min(rivals))
    return worst


def test_robust_margins_are_the_worst_case_over_all_perturbations():
    m = np.array(
        [
            [0, 0, 2, -1, 1, 0],
            [0, 0, -2, 2, 0, 1],
            [3, -1, 0, 0, 2, -2],
            [0, 1, 0, 0, -1, 1],
            [1, 0, 2, 0, 0, 0],
            [0, 2, -1, 1, 0, 0],
        ]
    )
    d = tuple(Descriptor(x, x, None, (Variant("p", "p"), Variant("q", "q"))) for x in ("x", "y", "z"))
    model = CIBModel(d, m)
    for s in itertools.product(range(2), repeat=3):
        assert robust_margins(model, s, d=1).tolist() == _vertex_worst_margins(model, s, 1)


def test_robust_scenarios_and_radius():
    model = somewhereland()
    found = consistent_scenarios(model)
    robust0 = robust_scenarios(model, found, d=0)
    assert robust0 == found
    robust1 = robust_scenarios(model, found, d=1)
    assert set(robust1) <= set(found)
    for r in found:
        radius = robustness_radius(model, r.variants)
        assert (r in robust1) == (radius >= 1)
        assert robust_margins(model, r.variants, d=radius).min() >= -1e-9
    # keeping empty cells fixed can only make a scenario more robust
    assert set(robust1) <= set(robust_scenarios(model, found, d=1, keep_zeros=True))


def test_ensemble_counts_members():
    model = somewhereland()
    other = CIBModel(model.descriptors, np.where(model.matrix == 1, 2, model.matrix), source="group_b")
    result = ensemble_consistency([model, model, other])
    ten = {r.variants for r in consistent_scenarios(model)}
    assert {e.variants for e in result if set(e.consistent_in) >= {0, 1}} == ten
    assert all(e.count == len(e.consistent_in) for e in result)
    assert [e.count for e in result] == sorted((e.count for e in result), reverse=True)


def test_ensemble_of_different_structures_is_a_located_input_error():
    model = somewhereland()
    fewer = CIBModel(model.descriptors[:5], model.matrix[:14, :14], source="weights/group_b.csv")
    with pytest.raises(InputErrors) as err:
        ensemble_consistency([model, fewer])
    assert str(err.value).startswith("weights/group_b.csv: descriptors and variants differ")
    assert "missing f.f1, f.f2, f.f3" in str(err.value)


def test_select_diverse_consistency_first_then_distance():
    results = [
        CIBResult((0, 0, 0), 0, 5),
        CIBResult((0, 0, 1), 0, 9),
        CIBResult((1, 1, 1), 1, 20),
        CIBResult((1, 1, 0), 0, 1),
        CIBResult((0, 1, 0), 0, 1),
    ]
    picked = select_diverse(results, 3)
    assert picked[0] == CIBResult((0, 0, 1), 0, 9)  # most consistent, highest total impact
    assert picked[1] == CIBResult((1, 1, 0), 0, 1)  # 3 descriptors away from the first
    assert picked[2] == CIBResult((0, 0, 0), 0, 5)  # the tie at distance 1 goes to the better one
    assert select_diverse(results, 0) == [] and len(select_diverse(results, 10)) == 5


def _case_model() -> CIBModel:
    m = np.array([[0, 0, 2, -2], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]])
    pop = Descriptor(
        "bevoelkerung",
        "Bevölkerung",
        "gesellschaft",
        (
            Variant("wachstum", "Wachstum", {"limits": {"land_ha": 0.8}}, text="Wachstum auf 175.000"),
            Variant("stagnation", "Stagnation"),
        ),
    )
    land = Descriptor(
        "flaeche",
        "Flächenpolitik",
        "politik",
        (
            Variant(
                "deckel",
                "5-ha-Deckel",
                {"limits": {"land_ha": 0.5}, "adjust": [{"resource": "cost_eur_m", "multiply": 1.1}]},
            ),
            Variant("frei", "Kein Deckel", {"adjust": [{"criterion": "co2e_t_yr", "add": 5}]}),
        ),
    )
    return CIBModel((pop, land), m)


def test_to_case_scenarios_validate_as_case_scenarios():
    model = _case_model()
    found = consistent_scenarios(model)
    assert [r.variants for r in found] == [(0, 0), (1, 1)]
    entries = to_case_scenarios(model, found)
    first, second = (Scenario.model_validate(e) for e in entries)
    assert first.id == "cib_01" and first.title == "Wachstum / 5-ha-Deckel"
    assert first.drivers["gesellschaft"].text == "Wachstum auf 175.000"
    assert first.drivers["politik"].text == "Flächenpolitik: 5-ha-Deckel"
    assert first.drivers["politik"].value is None
    assert first.effects.limits == {"land_ha": pytest.approx(0.4)}  # 0.8 * 0.5
    assert [a.resource for a in first.effects.adjust] == ["cost_eur_m"]
    assert second.effects.limits == {} and second.effects.adjust[0].criterion == "co2e_t_yr"
    assert to_case_scenarios(model, found, prefix="s_")[1]["id"] == "s_02"


def test_to_json_dict():
    model = _case_model()
    found = consistent_scenarios(model)
    shares = basins(model, starts=100, seed=0)
    data = to_json_dict(model, found, basins=shares)
    assert data["descriptors"][0] == {
        "id": "bevoelkerung",
        "name": "Bevölkerung",
        "parameter": "gesellschaft",
        "variants": [{"id": "wachstum", "name": "Wachstum"}, {"id": "stagnation", "name": "Stagnation"}],
    }
    first = data["scenarios"][0]
    assert first["variants"] == {"bevoelkerung": "wachstum", "flaeche": "deckel"}
    assert (first["inconsistency"], first["total_impact"]) == (0, found[0].total_impact)
    # the starts that do not end in a consistent scenario end in the cycle (0, 1) <-> (1, 0)
    cycles = [b for b in shares if b.attractor.is_cycle]
    assert [b.attractor.states for b in cycles] == [((0, 1), (1, 0))]
    assert sum(s["basin"] for s in data["scenarios"]) + cycles[0].share == pytest.approx(1.0)
    assert "basin" not in to_json_dict(model, found)["scenarios"][0]
