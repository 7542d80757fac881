"""The CIB engine against published worked examples, reproduced exactly.

"Somewhereland" is the teaching example of Weimer-Jehle's CIB: six descriptors (A government,
B foreign policy, C economy, D distribution of wealth, E social cohesion, F social values), 486
scenarios. Sources:

- W. Weimer-Jehle, *ScenarioWizard 4.1: Constructing Consistent Scenarios Using Cross-Impact
  Balance Analysis. Manual*, ZIRIUS, University of Stuttgart, 2013: Fig. 2-2 (the matrix; the same
  numbers as the project file listed in its Appendix 1, "The scw file format"), Fig. 2-3 (the impact
  balances of the test scenario [A2 B1 C3 D1 E1 F1]), sect. 2.3.3 (the ten consistent scenarios);
- the same example on www.cross-impact.de, "The CIB algorithm" pages 3/4 and 4/4 (Fig. 3: the test
  scenario, D inconsistent; the list of the ten consistent scenarios; Fig. 4: scenario no. 10).

The judgements are copied as numbers from those pages for a reference test (facts of a published
example, cited here); no text is copied.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lev2040_mcda.case import CIBModel, Descriptor, Variant
from lev2040_mcda.scenarios import (
    balances,
    brute_force,
    consistent_scenarios,
    descriptor_inconsistency,
    inconsistency,
    succession,
)

# rows and columns A1 A2 A3 | B1 B2 B3 | C1 C2 C3 | D1 D2 | E1 E2 E3 | F1 F2 F3 (manual Fig. 2-2)
SOMEWHERELAND_ROWS = """
 0  0  0  -2  1  1   0  0  0   0  0  -2  1  1   0  0  0
 0  0  0   2  1 -3  -2 -1  3  -2  2   0  0  0   2 -1 -1
 0  0  0   0  0  0   0  2 -2   3 -3   2 -1 -1  -2  2  0
 0  0  0   0  0  0  -2  1  1   0  0   0  0  0   0  0  0
 0  0  0   0  0  0   0  1 -1   0  0   1  0 -1   0  0  0
 3 -1 -2   0  0  0   3  0 -3   0  0   3 -1 -2  -2  1  1
 2  1 -3   0  0  0   0  0  0  -2  2  -3  1  2   0  0  0
-1  2 -1   0  0  0   0  0  0   0  0   0  0  0   0  0  0
 0  0  0   0  0  0   0  0  0  -2  2   3 -1 -2   0  0  0
 0  0  0   0  0  0   0  0  0   0  0   3 -1 -2  -2  1  1
 0 -3  3   0  0  0   0  0  0   0  0  -3  1  2   2 -1 -1
 0  0  0   0  0  0  -2 -1  3   0  0   0  0  0   2 -1 -1
 0  0  0  -1  0  1   1  1 -2   0  0   0  0  0  -1  0  1
 2 -1 -1  -3  1  2   3  0 -3   0  0   0  0  0  -2 -1  3
 0  3 -3   0  0  0  -3  0  3  -3  3  -2  1  1   0  0  0
 1 -2  1   0  0  0  -1  2 -1   2 -2   2 -1 -1   0  0  0
 0  0  0   0  0  0  -1  2 -1   1 -1   2 -1 -1   0  0  0
"""

DESCRIPTORS = {
    "a": ("Government", ["Patriots party", "Prosperity party", "Social party"]),
    "b": ("Foreign policy", ["Cooperation", "Rivalry", "Conflict"]),
    "c": ("Economy", ["Shrinking", "Stagnant", "Dynamic"]),
    "d": ("Distribution of wealth", ["Balanced", "Strong contrasts"]),
    "e": ("Social cohesion", ["Social peace", "Tensions", "Riots"]),
    "f": ("Social values", ["Meritocratic", "Solidarity", "Family"]),
}

# sect. 2.3.3 of the manual / cross-impact.de page 4/4, numbered as printed there
PUBLISHED_CONSISTENT = {
    1: "A3 B1 C3 D2 E1 F1",
    2: "A3 B2 C3 D2 E1 F1",
    3: "A2 B1 C3 D2 E2 F1",
    4: "A2 B2 C3 D2 E2 F1",
    5: "A3 B1 C2 D1 E1 F2",
    6: "A1 B2 C2 D1 E1 F2",
    7: "A3 B2 C2 D1 E1 F2",
    8: "A1 B3 C2 D1 E1 F2",
    9: "A1 B3 C2 D1 E1 F3",
    10: "A1 B3 C1 D2 E3 F3",
}


def somewhereland() -> CIBModel:
    matrix = np.array([[int(x) for x in line.split()] for line in SOMEWHERELAND_ROWS.strip().splitlines()])
    descriptors = tuple(
        Descriptor(
            id=d,
            name=name,
            parameter=None,
            variants=tuple(Variant(id=f"{d}{k + 1}", name=v) for k, v in enumerate(variants)),
        )
        for d, (name, variants) in DESCRIPTORS.items()
    )
    return CIBModel(descriptors=descriptors, matrix=matrix, source="somewhereland")


def parse(text: str) -> tuple[int, ...]:
    """'A3 B1 C3 ...' as variant indices."""
    return tuple(int(part[1:]) - 1 for part in text.split())


def test_somewhereland_has_486_scenarios_and_zero_own_blocks():
    model = somewhereland()
    assert int(np.prod(model.sizes)) == 486  # "3*3*3*2*3*3 = 486 possible scenarios"
    for o, n in zip(model.offsets, model.sizes, strict=True):
        assert not model.matrix[o : o + n, o : o + n].any()


def test_somewhereland_test_scenario_balances_fig_2_3():
    """Manual Fig. 2-3: the balances of [A2 B1 C3 D1 E1 F1], and D the one inconsistent descriptor."""
    model = somewhereland()
    s = parse("A2 B1 C3 D1 E1 F1")
    printed = [0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1]
    assert balances(model, s).tolist() == printed
    # D1 scores -7 against D2's 7: D is 14 short of its best; the other five point at their maximum
    assert descriptor_inconsistency(model, s).tolist() == [0, 0, 0, 14, 0, 0]
    assert inconsistency(model, s) == 14


def test_somewhereland_the_ten_consistent_scenarios():
    """Manual sect. 2.3.3 / cross-impact.de 4/4: exactly these ten of 486 are consistent."""
    model = somewhereland()
    found = consistent_scenarios(model)
    assert sorted(r.variants for r in found) == sorted(parse(s) for s in PUBLISHED_CONSISTENT.values())
    assert all(r.inconsistency == 0 for r in found)
    assert found == brute_force(model)


def test_somewhereland_scenario_10_is_a_fixed_point_fig_4():
    """cross-impact.de Fig. 4: in scenario no. 10 every chosen variant has its block's maximum,
    so succession leaves it where it is."""
    model = somewhereland()
    s = parse(PUBLISHED_CONSISTENT[10])
    assert descriptor_inconsistency(model, s).tolist() == [0] * 6
    path, attractor = succession(model, s)
    assert path == [s] and attractor.states == (s,)


SCW = Path(__file__).parent / "data" / "cib" / "CIB_global.scw"


def _solution_set(path: Path) -> list[tuple[tuple[int, ...], int]]:
    """ScenarioWizard's solution file (.sl): one line per consistent scenario, the variant numbers
    (1-based) in quotes, then four numbers of which the last is the total impact score."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith('" '):
            variants, *numbers = line.split(",")
            rows.append((tuple(int(v) - 1 for v in variants.strip('"').split()), int(numbers[3])))
    return rows


@pytest.mark.skipif(not SCW.exists(), reason="the .scw sample comes with the CIB reader (helper A)")
def test_scenariowizard_sample_matches_its_solution_file():
    """A ScenarioWizard project and the solution set ScenarioWizard saved for it (.sl, shipped next
    to it with its attribution): the same consistent scenarios with the same total impact scores."""
    from lev2040_mcda.case import load_cib

    model = load_cib(SCW)
    expected = _solution_set(SCW.with_suffix(".sl"))
    found = consistent_scenarios(model)
    assert sorted((r.variants, r.total_impact) for r in found) == sorted(expected)
