"""The ranking stage: the method registry on the repository's cases, the vectorised scores, and
the `lev2040 rank` / `lev2040 sensitivity` commands (CliRunner: exact contract and exit codes).

Contract: lev2040_mcda/methods.py (registry, departures from pymcdm), lev2040_mcda/rank.py (the
JSON of `lev2040 rank`), lev2040_mcda/sensitivity.py (SMAA-2, weight intervals). Expected numbers
are derived from the inputs in each test (written out where it matters); published examples are
in test_rank_reference.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.ranking import (
    METHODS,
    NORMALIZATIONS,
    DecisionMatrix,
    MethodNotApplicable,
    competition_ranks,
    decision_matrix,
    parse_options,
    resolve_weights,
    score,
    score_batch,
)

from .conftest import CASES

TINY = CASES / "tiny"
LEVERKUSEN = CASES / "leverkusen-2040"
TINY_IDS = ["solar", "park", "housing", "infill", "tram", "hub"]  # cases/tiny/measures.csv order


@pytest.fixture(scope="module")
def tiny_case():
    return load_case(TINY)


@pytest.fixture(scope="module")
def tiny_dm(tiny_case):
    return decision_matrix(tiny_case)


@pytest.fixture(scope="module")
def tiny_weights(tiny_case, tiny_dm):
    return resolve_weights(tiny_case, tiny_dm)[0]


@pytest.fixture(scope="module")
def leverkusen_dm():
    return decision_matrix(load_case(LEVERKUSEN))


def run_json(invoke, *args) -> dict:
    result = invoke(*args, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, ""), (result.exit_code, result.stderr)
    return json.loads(result.stdout)


def one_line_error(result) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr, no traceback; returns the line."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def is_competition_ranking(ranks, key) -> bool:
    """rank_i = 1 + number of items strictly better (key: smaller is better)."""
    key = np.asarray(key, dtype=float)
    return all(int(r) == 1 + int((key < key[i]).sum()) for i, r in enumerate(ranks))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the registry on cases/tiny ---------------------------------------------------------------


def test_tiny_criteria_with_values_le_zero_are_co2_and_homes(tiny_dm):
    """The premise of the WPM test below, read off cases/tiny/measures.csv: housing has co2 0;
    solar, park, tram and hub have homes 0; cost and acceptance are positive everywhere."""
    bad = [c for c, col in zip(tiny_dm.criterion_ids, tiny_dm.values.T) if (col <= 0).any()]
    assert bad == ["co2", "homes"]


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_ranks_tiny_or_says_why_not(method, tiny_dm, tiny_weights):
    if method == "wpm":
        with pytest.raises(MethodNotApplicable, match=r"^WPM needs a ratio scale .*: co2, homes$"):
            score(tiny_dm, tiny_weights, method)
        return
    scored = score(tiny_dm, tiny_weights, method)
    assert scored.scores.shape == (6,) and np.isfinite(scored.scores).all()
    key = -scored.scores if METHODS[method].higher_is_better else scored.scores
    assert is_competition_ranking(scored.ranks, key)
    assert scored.higher_is_better == METHODS[method].higher_is_better


def test_sum_normalisation_takes_the_zeros_of_tiny(tiny_dm, tiny_weights):
    """normalization.py: tiny's zeros are in benefit criteria (co2 of housing; homes of solar,
    park, tram and hub), where x / sum(x) is 0, so WSM keeps its sum normalisation: the score is
    sum_j w_j x_ij / sum_i x_ij, with (1 / x) / sum(1 / x) for the cost criterion."""
    scored = score(tiny_dm, tiny_weights, "wsm")
    assert scored.options == {"normalization": "sum"} and scored.warnings == []
    x, cost = tiny_dm.values, tiny_dm.types == -1
    shares = x / x.sum(axis=0)
    shares[:, cost] = (1 / x[:, cost]) / (1 / x[:, cost]).sum(axis=0)
    np.testing.assert_allclose(scored.scores, shares @ (tiny_weights / tiny_weights.sum()), rtol=1e-12)


def test_ratio_normalisation_falls_back_to_min_max_on_leverkusen(leverkusen_dm):
    """A ratio normalisation that cannot take a criterion (here: negative values, and a zero
    in the cost criterion land_ha, which sum's cost form divides by) is replaced by min-max, and
    the warning names the criteria by reason; the scores are then min-max's."""
    dm = leverkusen_dm
    w = np.full(dm.shape[1], 1.0)
    negative = [c for c, col in zip(dm.criterion_ids, dm.values.T) if (col < 0).any()]
    scored = score(dm, w, "wsm")
    assert scored.options == {"normalization": "minmax"}
    assert scored.warnings == [
        "WSM: the sum normalisation cannot take cost criteria with a zero (the cost form divides "
        f"by each value): land_ha; criteria with negative values: {few(negative)}; min-max used instead"
    ]
    np.testing.assert_array_equal(scored.scores, score(dm, w, "wsm", {"normalization": "minmax"}).scores)


@pytest.mark.parametrize("dm_name", ["tiny", "leverkusen"])
@pytest.mark.parametrize(
    "method, options",
    [
        *[(m, None) for m in METHODS],
        ("topsis", {"normalization": "vector"}),
        ("topsis", {"normalization": "max"}),
        ("vikor", {"v": 0.3}),
        ("vikor", {"normalization": "minmax", "v": 1.0}),
        ("promethee_ii", {"preference": "usual"}),
        ("promethee_ii", {"preference": "level"}),
        ("wsm", {"normalization": "minmax"}),
        ("mabac", {"normalization": "max"}),
    ],
)
def test_score_batch_equals_score_column_by_column(dm_name, method, options, request):
    """The vectorised scores (sensitivity, SMAA) are pymcdm's scores, for 12 random Dirichlet
    weight vectors; methods not applicable to the case are not applicable in both paths."""
    dm = request.getfixturevalue(f"{dm_name}_dm")
    W = np.random.default_rng(7).dirichlet(np.ones(dm.shape[1]), size=12)
    try:
        single = np.column_stack([score(dm, w, method, options).scores for w in W])
    except MethodNotApplicable:
        with pytest.raises(MethodNotApplicable):
            score_batch(dm, W, method, options)
        return
    batch = score_batch(dm, W, method, options)
    assert batch.shape == (dm.shape[0], len(W))
    np.testing.assert_allclose(batch, single, rtol=0, atol=1e-9)


def few(ids: list[str]) -> str:
    """How the refusal messages list criteria: the first three, then how many more."""
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def test_methods_applicable_on_leverkusen(leverkusen_dm):
    """The Leverkusen case has zeros and negative values: each ratio method is refused exactly
    when its assumption fails on the data, naming the criteria that break it; the others rank."""
    dm = leverkusen_dm
    cols = list(zip(dm.criterion_ids, dm.values.T, dm.types))
    le0 = [c for c, col, _ in cols if (col <= 0).any()]
    negative = [c for c, col, _ in cols if (col < 0).any()]
    mean_le0 = [c for c, col, _ in cols if col.mean() <= 0]
    assert le0 and negative and mean_le0  # the premise: this case exercises all three refusals
    expected = {
        "wpm": "WPM needs a ratio scale (it multiplies powers of the values); criteria with "
        f"values <= 0: {few(le0)}",
        "copras": "COPRAS needs a ratio scale (it divides by column sums); "
        f"criteria with negative values: {few(negative)}",
        "edas": f"EDAS divides by each criterion's average; criteria whose average is <= 0: {few(mean_le0)}",
    }
    w = np.full(dm.shape[1], 1.0)
    for method in METHODS:
        if method in expected:
            with pytest.raises(MethodNotApplicable) as info:
                score(dm, w, method)
            assert str(info.value) == expected[method]
        else:
            assert np.isfinite(score(dm, w, method).scores).all()


# -- ties and competition ranks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "scores, higher, ranks",
    [
        ([0.9, 0.5, 0.5, 0.1], True, [1, 2, 2, 4]),
        ([0.1, 0.5, 0.5, 0.9], False, [1, 2, 2, 4]),
        ([3.0, 3.0, 3.0], True, [1, 1, 1]),
        ([2.0, 1.0, 2.0, 1.0, 0.0], True, [1, 3, 1, 3, 5]),
        ([7.0], False, [1]),
    ],
)
def test_competition_ranks(scores, higher, ranks):
    s = np.array(scores)
    assert competition_ranks(s, higher).tolist() == ranks
    # column-wise on a matrix: the same ranks in every column
    assert competition_ranks(np.column_stack([s, s]), higher).tolist() == [[r, r] for r in ranks]


TIE_MATRIX = [[5, 3, 40], [7, 2, 20], [7, 2, 20], [4, 4, 60], [6, 1, 10]]  # rows 2 and 3 equal


@pytest.mark.parametrize("method", list(METHODS))
def test_identical_measures_share_a_rank_and_the_next_is_skipped(method):
    """Measures B and C have the same values: every method gives them the same score and the same
    rank, and no measure gets the rank after it (competition ranking 1, 2, 2, 4)."""
    v = np.array(TIE_MATRIX, dtype=float)
    dm = DecisionMatrix(
        tuple("ABCDE"),
        tuple("ABCDE"),
        ("c1", "c2", "c3"),
        v,
        np.array([1, -1, 1]),
        np.column_stack([v.min(0), v.max(0)]),
        (("usual", None, None),) * 3,
    )
    scored = score(dm, np.array([0.5, 0.2, 0.3]), method)
    assert scored.scores[1] == scored.scores[2]
    r = scored.ranks
    assert r[1] == r[2]
    assert r[1] + 1 not in r.tolist()
    key = -scored.scores if scored.higher_is_better else scored.scores
    assert is_competition_ranking(r, key)


# -- PROMETHEE: per-criterion functions and the shared one ------------------------------------


def test_promethee_mixed_functions_by_hand():
    """Three measures, three criteria with three functions; net flows derived by hand.

    C1 benefit, usual, values 3, 2, 1: single flows phi1 = (1, 0, -1).
    C2 benefit, level q=1 p=3, values 0, 2, 5: P(B,A) = 0.5 (d=2), P(C,A) = 1 (d=5), P(C,B) = 0.5
    (d=3); phi2 = ((0-1.5)/2, (0.5-0.5)/2, (1.5-0)/2) = (-0.75, 0, 0.75).
    C3 cost, V-shape p=4, values 5, 1, 3: B better than A by 4 -> 1, than C by 2 -> 0.5; C better
    than A by 2 -> 0.5; phi3 = ((0-1.5)/2, (1.5-0)/2, (0.5-0.5)/2) = (-0.75, 0.75, 0).
    Weights 0.5, 0.3, 0.2: Phi = (0.5-0.225-0.15, 0+0+0.15, -0.5+0.225+0) = (0.125, 0.15, -0.275).
    """
    v = np.array([[3, 0, 5], [2, 2, 1], [1, 5, 3]], dtype=float)
    dm = DecisionMatrix(
        ("A", "B", "C"),
        ("A", "B", "C"),
        ("c1", "c2", "c3"),
        v,
        np.array([1, 1, -1]),
        np.column_stack([v.min(0), v.max(0)]),
        (("usual", None, None), ("level", 1.0, 3.0), ("vshape", None, 4.0)),
    )
    w = np.array([0.5, 0.3, 0.2])
    scored = score(dm, w, "promethee_ii")
    np.testing.assert_allclose(scored.scores, [0.125, 0.15, -0.275], atol=1e-12)
    assert scored.ranks.tolist() == [2, 1, 3]
    assert scored.options == {"preference": {"c1": "usual", "c2": "level", "c3": "vshape"}}
    np.testing.assert_allclose(score_batch(dm, w[None], "promethee_ii")[:, 0], scored.scores, atol=1e-12)
    # one shared function instead: usual everywhere gives phi2 = (-1, 0, 1), phi3 = (-1, 1, 0)
    usual = score(dm, w, "promethee_ii", {"preference": "usual"})
    np.testing.assert_allclose(usual.scores, [0.0, 0.2, -0.2], atol=1e-12)
    assert usual.options == {"preference": "usual"}


@pytest.mark.parametrize("case", ["tiny", "leverkusen-2040"])
def test_promethee_shared_usual_equals_pymcdm(case):
    """With one shared function the linear combination of single-criterion flows is pymcdm's own
    PROMETHEE_II (a new instance per call: pymcdm's instances are single-use)."""
    from pymcdm.methods import PROMETHEE_II

    dm = decision_matrix(load_case(CASES / case))
    for w in np.random.default_rng(3).dirichlet(np.ones(dm.shape[1]), size=3):
        ours = score(dm, w, "promethee_ii", {"preference": "usual"}).scores
        theirs = PROMETHEE_II("usual")(dm.values, w, dm.types)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


# -- lev2040 rank: the JSON contract ----------------------------------------------------------


@pytest.mark.parametrize("method", [m for m in METHODS if m != "wpm"])
def test_rank_json_contract(invoke, method, tiny_dm, tiny_weights):
    out = run_json(invoke, "rank", "cases/tiny", "--method", method)
    assert {"method", "higher_is_better", "weights", "ranking", "provenance"} <= set(out)
    assert out["method"] == method
    assert out["higher_is_better"] is METHODS[method].higher_is_better
    assert list(out["weights"]) == list(tiny_dm.criterion_ids)
    assert sum(out["weights"].values()) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(list(out["weights"].values()), tiny_weights / tiny_weights.sum())
    ranking = out["ranking"]
    assert all(set(r) == {"id", "name", "score", "rank"} for r in ranking)
    assert sorted(r["id"] for r in ranking) == sorted(TINY_IDS)
    ranks = [r["rank"] for r in ranking]
    assert ranks == sorted(ranks) and ranks[0] == 1  # best first
    scores = [r["score"] for r in ranking]
    assert scores == sorted(scores, reverse=METHODS[method].higher_is_better)
    # the numbers are the engine's
    scored = score(tiny_dm, tiny_weights, method)
    by_id = {r["id"]: r for r in ranking}
    for i, mid in enumerate(tiny_dm.measure_ids):
        assert by_id[mid]["score"] == pytest.approx(scored.scores[i], abs=1e-12)
        assert by_id[mid]["rank"] == scored.ranks[i]
        assert by_id[mid]["name"] == tiny_dm.measure_names[i]


def test_rank_json_provenance_hashes_the_inputs(invoke):
    prov = run_json(invoke, "rank", "cases/tiny")["provenance"]
    assert (prov["command"], prov["parameters"]["method"]) == ("rank", "topsis")  # case default
    assert {
        "case.yaml",
        "criteria.yaml",
        "measures.csv",
        "weights/verwaltung.yaml",
        "weights/buerger.csv",
    } <= set(prov["inputs"])
    for rel, entry in prov["inputs"].items():
        assert entry == {"sha256": sha256(TINY / rel)}


def test_rank_json_is_byte_identical_across_runs(invoke):
    a = invoke("rank", "cases/tiny", "--method", "all", "--format", "json")
    b = invoke("rank", "cases/tiny", "--method", "all", "--format", "json")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout_bytes == b.stdout_bytes


def test_rank_wpm_on_tiny_is_exit_2_naming_the_criteria(invoke):
    line = one_line_error(invoke("rank", "cases/tiny", "--method", "wpm"))
    assert line == (
        "--method: wpm: WPM needs a ratio scale (it multiplies powers of the values); "
        "criteria with values <= 0: co2, homes"
    )


def test_rank_csv_and_table_list_every_measure(invoke):
    result = invoke("rank", "cases/tiny", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "rank,id,name,score"
    assert sorted(ln.split(",")[1] for ln in lines[1:]) == sorted(TINY_IDS)
    table = invoke("rank", "cases/tiny")
    assert table.exit_code == 0
    assert all(mid in table.stdout for mid in TINY_IDS)


# -- --method all -----------------------------------------------------------------------------


def copeland(ranks: np.ndarray) -> np.ndarray:
    """Copeland score per measure from ranks (measures x methods): pairwise majority wins minus
    losses (written here independently of rank.py)."""
    m = ranks.shape[0]
    out = np.zeros(m)
    for i in range(m):
        for j in range(m):
            if i != j:
                better = int((ranks[i] < ranks[j]).sum())
                worse = int((ranks[i] > ranks[j]).sum())
                out[i] += (better > worse) - (better < worse)
    return out


@pytest.mark.parametrize("rule", ["copeland", "borda"])
def test_rank_all_methods(invoke, rule, tiny_dm, tiny_weights):
    out = run_json(invoke, "rank", "cases/tiny", "--method", "all", "--compromise", rule)
    names = out["correlation"]["methods"]
    assert names == [m for m in METHODS if m != "wpm"] == list(out["methods"])
    assert set(out["not_applicable"]) == {"wpm"}
    assert "co2, homes" in out["not_applicable"]["wpm"]
    for key in ("weighted_spearman", "ws_similarity"):
        mat = np.array(out["correlation"][key])
        assert mat.shape == (len(names), len(names))
        np.testing.assert_allclose(np.diag(mat), 1.0, atol=1e-12)
    rw = np.array(out["correlation"]["weighted_spearman"])
    np.testing.assert_allclose(rw, rw.T, atol=1e-12)
    assert out["compromise"]["rule"] == rule and out["compromise"]["description"]
    rows = out["ranks"]
    assert sorted(r["id"] for r in rows) == sorted(TINY_IDS)
    comp = [r["compromise"] for r in rows]
    assert comp == sorted(comp) and comp[0] == 1
    # every method's ranks are the single-method ranks
    for name in names:
        scored = score(tiny_dm, tiny_weights, name)
        assert [r["ranks"][name] for r in rows] == [
            int(scored.ranks[tiny_dm.measure_ids.index(r["id"])]) for r in rows
        ]
    # the compromise follows from the ranks in the output
    table = np.array([[r["ranks"][n] for n in names] for r in rows])
    if rule == "copeland":
        expected = competition_ranks(copeland(table), True)
    else:
        expected = competition_ranks((len(rows) - table).sum(axis=1).astype(float), True)
    assert comp == expected.tolist()


def test_rank_all_correlations_are_pymcdm_weighted_spearman(invoke, tiny_dm, tiny_weights):
    from pymcdm.correlations import weighted_spearman

    out = run_json(invoke, "rank", "cases/tiny", "--method", "all")
    names = out["correlation"]["methods"]
    ranks = {n: score(tiny_dm, tiny_weights, n).ranks.astype(float) for n in names}
    for a, row in zip(names, out["correlation"]["weighted_spearman"]):
        for b, value in zip(names, row):
            assert value == pytest.approx(weighted_spearman(ranks[a], ranks[b]), abs=1e-12)


# -- --by-group -------------------------------------------------------------------------------


def test_rank_by_group(invoke, tiny_case, tiny_dm, tiny_weights):
    from lev2040_mcda.weights import weights_summary

    out = run_json(invoke, "rank", "cases/tiny", "--by-group", "--top-k", "3")
    summary = weights_summary(tiny_case)
    groups = {g["id"]: g["weights"] for g in summary["groups"]}
    assert out["groups"] == list(groups) == ["verwaltung", "buerger"]
    expected = {
        g: score(tiny_dm, np.array([w[c] for c in tiny_dm.criterion_ids]), "topsis").ranks
        for g, w in groups.items()
    }
    rows = out["ranks"]
    assert [r["consensus"] for r in rows] == sorted(r["consensus"] for r in rows)
    consensus = score(tiny_dm, tiny_weights, "topsis").ranks
    for r in rows:
        i = tiny_dm.measure_ids.index(r["id"])
        assert r["consensus"] == consensus[i]
        assert r["groups"] == {g: int(expected[g][i]) for g in groups}
        assert r["spread"] == max(r["groups"].values()) - min(r["groups"].values())
        assert r["in_every_top_k"] == all(v <= 3 for v in r["groups"].values())
    assert out["consensus_measures"] == [r["id"] for r in rows if r["in_every_top_k"]]
    contested = out["contested_measures"]
    assert contested, "the two groups disagree on tiny (ranks differ by up to 2)"
    spreads = {r["id"]: r["spread"] for r in rows}
    assert all(c["spread"] == spreads[c["id"]] > 0 for c in contested)
    assert [c["spread"] for c in contested] == sorted((c["spread"] for c in contested), reverse=True)
    assert max(spreads.values()) == contested[0]["spread"]


def test_rank_by_group_refuses_all(invoke):
    result = invoke("rank", "cases/tiny", "--by-group", "--method", "all")
    assert result.exit_code == 2
    assert "--by-group needs one method" in result.stderr


# -- where the weights come from --------------------------------------------------------------


def weights_stage_of_one_file(invoke, tiny: Path, keep: str) -> dict:
    """What `lev2040 weights` gives for a copy of tiny whose weights/ holds only ``keep``."""
    for f in (tiny / "weights").iterdir():
        if f.name != keep:
            f.unlink()
    return run_json(invoke, "weights", str(tiny))["weights"]


@pytest.mark.parametrize("name", ["verwaltung.yaml", "buerger.csv"])
def test_rank_weights_file_equals_the_weights_stage(invoke, tiny, name):
    expected = weights_stage_of_one_file(invoke, tiny, name)
    out = run_json(invoke, "rank", "cases/tiny", "--weights", f"cases/tiny/weights/{name}")
    assert list(out["weights"]) == list(expected)
    np.testing.assert_allclose(list(out["weights"].values()), list(expected.values()), atol=1e-12)
    src = out["weights_source"]
    assert (src["source"], src["file"]) == ("file", f"cases/tiny/weights/{name}")
    assert src["sha256"] == sha256(TINY / "weights" / name)


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (
            "w.yaml",
            "group: verwaltung\nrespondent: t\nmethod: direct\n"
            "weights: {cost: 1, co2: 1, homes: 1, acceptance: 2}\n",
            [0.2, 0.2, 0.2, 0.4],
        ),
        (
            "w.csv",
            "respondent,group,method,cost,co2,homes,acceptance\nr1,buerger,points,10,20,30,40\n",
            [0.1, 0.2, 0.3, 0.4],
        ),
    ],
)
def test_rank_weights_file_outside_the_case(invoke, tmp_path, name, text, expected):
    """A submission anywhere: its weights are the written ones over their sum."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = run_json(invoke, "rank", "cases/tiny", "--weights", str(path))
    np.testing.assert_allclose(list(out["weights"].values()), expected, atol=1e-12)


def test_rank_group_weights(invoke, tiny_case, tiny_dm):
    from lev2040_mcda.weights import weights_summary

    for g in weights_summary(tiny_case)["groups"]:
        out = run_json(invoke, "rank", "cases/tiny", "--group", g["id"])
        assert out["weights_source"] == {
            "source": "group",
            "group": g["id"],
            "rejected_submissions": 0,
            "missing_groups": [],
        }
        np.testing.assert_allclose(
            [out["weights"][c] for c in tiny_dm.criterion_ids],
            [g["weights"][c] for c in tiny_dm.criterion_ids],
            atol=1e-12,
        )
    line = one_line_error(invoke("rank", "cases/tiny", "--group", "nope"))
    assert line == "--group: unknown group 'nope' (expected one of verwaltung, buerger)"


@pytest.mark.parametrize("source", ["equal", "entropy", "critic"])
def test_rank_weights_from(invoke, source):
    out = run_json(invoke, "rank", "cases/tiny", "--weights-from", source)
    w = np.array(list(out["weights"].values()))
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert (w >= 0).all()
    assert out["weights_source"]["source"] == source
    if source == "equal":
        np.testing.assert_allclose(w, 0.25)
    else:
        assert not np.allclose(w, 0.25)  # objective weights depend on the data


# -- options ----------------------------------------------------------------------------------


def test_option_normalization_vector_is_used_on_positive_data(invoke, tiny):
    """On a copy of tiny without zeros the vector normalisation is used and echoed."""
    measures = tiny / "measures.csv"
    text = measures.read_text(encoding="utf-8")
    # housing co2 0 -> 5; homes 0 -> 1 for solar, park, tram and hub (columns: cost,land,co2,homes)
    text = text.replace("50,5,0,200,", "50,5,5,200,")
    for row in ("20,0,400,0,", "10,1,50,0,", "60,2,300,0,", "15,0.5,80,0,"):
        assert row in text
        text = text.replace(row, row[:-2] + "1,")
    measures.write_text(text, encoding="utf-8")
    out = run_json(invoke, "rank", str(tiny), "--method", "topsis", "--option", "normalization=vector")
    assert out["options"] == {"normalization": "vector"} and out["warnings"] == []
    assert out["provenance"]["parameters"]["options"] == ["normalization=vector"]
    case = load_case(tiny)
    dm = decision_matrix(case)
    assert (dm.values > 0).all()
    w, _ = resolve_weights(case, dm)
    expected = score(dm, w, "topsis", {"normalization": "vector"})
    got = {r["id"]: r["score"] for r in out["ranking"]}
    np.testing.assert_allclose([got[m] for m in dm.measure_ids], expected.scores, atol=1e-12)
    minmax = score(dm, w, "topsis").scores
    assert not np.allclose(expected.scores, minmax)  # the option changes the numbers


def test_option_normalization_max_takes_the_zeros_of_tiny(invoke, tiny_dm, tiny_weights):
    """`--option normalization=max` on tiny, whose zeros are all in benefit criteria: x / max
    (1 - x / max for the cost criterion) is used as asked, without a warning."""
    out = run_json(invoke, "rank", "cases/tiny", "--method", "topsis", "--option", "normalization=max")
    assert out["options"] == {"normalization": "max"} and out["warnings"] == []
    expected = score(tiny_dm, tiny_weights, "topsis", {"normalization": "max"}).scores
    got = {r["id"]: r["score"] for r in out["ranking"]}
    np.testing.assert_allclose([got[m] for m in tiny_dm.measure_ids], expected, atol=1e-12)


def test_option_normalization_vector_falls_back_on_leverkusen(invoke, leverkusen_dm):
    out = run_json(invoke, "rank", str(LEVERKUSEN), "--method", "topsis", "--option", "normalization=vector")
    negative = [c for c, col in zip(leverkusen_dm.criterion_ids, leverkusen_dm.values.T) if (col < 0).any()]
    assert out["options"] == {"normalization": "minmax"}
    assert out["warnings"] == [
        f"TOPSIS: the vector normalisation cannot take criteria with negative values: {few(negative)}; "
        "min-max used instead"
    ]


def test_option_v_for_vikor(invoke, tiny_dm, tiny_weights):
    out = run_json(invoke, "rank", "cases/tiny", "--method", "vikor", "--option", "v=0.3")
    assert out["options"] == {"normalization": "none", "v": 0.3}
    assert out["higher_is_better"] is False
    expected = score(tiny_dm, tiny_weights, "vikor", {"v": 0.3})
    got = {r["id"]: r["score"] for r in out["ranking"]}
    np.testing.assert_allclose([got[m] for m in tiny_dm.measure_ids], expected.scores, atol=1e-12)
    default = score(tiny_dm, tiny_weights, "vikor").scores
    assert not np.allclose(expected.scores, default)


@pytest.mark.parametrize(
    "method, option, message",
    [
        ("vikor", "v=1.5", "--option: v=1.5 must lie in [0, 1]"),
        ("vikor", "v=abc", "--option: v='abc' is not a number"),
        ("topsis", "v=0.3", "--option: TOPSIS has no option 'v' (its options: normalization)"),
        ("topsis", "bogus", "--option: option 'bogus' is not KEY=VALUE"),
        (
            "topsis",
            "normalization=zscore",
            "--option: unknown normalization 'zscore' (expected one of "
            "minmax, max, sum, vector, logarithmic, linear, nonlinear, enhanced_accuracy, "
            "zavadskas_turskis, none)",
        ),
        ("promethee_ii", "preference=gaussian", "--option: unknown preference function 'gaussian'"),
        ("spotis", "normalization=max", "--option: SPOTIS has no option 'normalization' (its options: none)"),
    ],
)
def test_bad_option_is_exit_2_with_one_line(invoke, method, option, message):
    assert one_line_error(invoke("rank", "cases/tiny", "--method", method, "--option", option)) == message


POSITIVE = np.array([[5, 3, 40], [7, 2, 20], [6, 4, 60], [4, 1, 10], [8, 5, 30]], dtype=float)


@pytest.mark.parametrize(
    "method, normalization",
    [(m, nm) for m in METHODS if "normalization" in METHODS[m].options for nm in NORMALIZATIONS],
)
def test_every_accepted_normalization_scores_or_says_why_not(method, normalization):
    """parse_options accepts every name in NORMALIZATIONS for these methods; on positive data
    (no fallback needed) each must then give finite scores equal to score_batch, or raise
    MethodNotApplicable, never another error."""
    opts = parse_options(method, [f"normalization={normalization}"])
    dm = DecisionMatrix(
        tuple("ABCDE"),
        tuple("ABCDE"),
        ("c1", "c2", "c3"),
        POSITIVE,
        np.array([1, -1, 1]),
        np.column_stack([POSITIVE.min(0), POSITIVE.max(0)]),
        (("usual", None, None),) * 3,
    )
    w = np.array([0.5, 0.2, 0.3])
    try:
        scored = score(dm, w, method, opts)
    except MethodNotApplicable:
        return
    assert np.isfinite(scored.scores).all()
    assert scored.options["normalization"] == normalization
    np.testing.assert_allclose(score_batch(dm, w[None], method, opts)[:, 0], scored.scores, rtol=0, atol=1e-9)


@pytest.mark.parametrize("method", ["topsis", "wsm", "mabac"])
def test_option_normalization_none_is_not_an_internal_error(invoke, method):
    """`--option normalization=none` is accepted by the option parser (it is in NORMALIZATIONS and
    the --help text), so it must either rank or be refused with exit 2 and one line."""
    result = invoke("rank", "cases/tiny", "--method", method, "--option", "normalization=none")
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code != 0:
        one_line_error(result)


@pytest.mark.parametrize("option", ["vv=0.3", "bogus"])
def test_rank_all_refuses_an_option_no_method_has(invoke, option):
    """With --method all an option is passed to the methods that have it; one that no method has
    (a typo) must still be refused, as it is with one method, not silently ignored."""
    line = one_line_error(invoke("rank", "cases/tiny", "--method", "all", "--option", option))
    assert line.startswith("--option: ") and option.partition("=")[0] in line


def test_rank_all_passes_options_to_the_methods_that_have_them(invoke):
    out = run_json(invoke, "rank", "cases/tiny", "--method", "all", "--option", "v=0.3")
    assert out["methods"]["vikor"]["options"] == {"normalization": "none", "v": 0.3}
    assert out["methods"]["topsis"]["options"] == {"normalization": "minmax"}
    line = one_line_error(invoke("rank", "cases/tiny", "--method", "all", "--option", "v=2"))
    assert line == "--option: v=2 must lie in [0, 1]"


def test_parse_options_reads_every_kind():
    assert parse_options("vikor", ["v = 0.25", "normalization=max"]) == {"v": 0.25, "normalization": "max"}
    assert parse_options("promethee_ii", ["preference=vshape_2"]) == {"preference": "vshape_2"}
    assert parse_options("spotis", []) == {}


# -- scenarios --------------------------------------------------------------------------------


def test_scenario_boom_changes_the_matrix_as_scenarios_yaml_says(tiny_case, tiny_dm):
    """cases/tiny/scenarios.yaml, boom: resource cost x 1.2 for every measure (cost is also a
    criterion, so the criterion moves with it) and criterion homes x 1.5 for housing and infill;
    everything else stays."""
    boom = decision_matrix(tiny_case, "boom")
    expected = tiny_dm.values.copy()
    col = {c: j for j, c in enumerate(tiny_dm.criterion_ids)}
    expected[:, col["cost"]] *= 1.2
    for mid in ("housing", "infill"):
        expected[tiny_dm.measure_ids.index(mid), col["homes"]] *= 1.5
    np.testing.assert_allclose(boom.values, expected, rtol=1e-12)
    assert boom.measure_ids == tiny_dm.measure_ids


def test_rank_scenario(invoke, tiny_case, tiny_weights):
    out = run_json(invoke, "rank", "cases/tiny", "--scenario", "boom")
    assert out["scenario"] == "boom"
    dm = decision_matrix(tiny_case, "boom")
    expected = score(dm, tiny_weights, "topsis")
    got = {r["id"]: r["score"] for r in out["ranking"]}
    np.testing.assert_allclose([got[m] for m in dm.measure_ids], expected.scores, atol=1e-12)
    line = one_line_error(invoke("rank", "cases/tiny", "--scenario", "nope"))
    assert line == "--scenario: unknown scenario 'nope' (expected boom, austerity)"


# -- lev2040 sensitivity ----------------------------------------------------------------------

SENS = ("sensitivity", "cases/tiny", "--samples", "500", "--format", "json")


@pytest.fixture(scope="module")
def sensitivity_runs():
    from click.testing import CliRunner

    from lev2040_mcda.cli import cli

    def run(*extra):
        return CliRunner().invoke(cli, [*SENS, *extra])

    cwd = os.getcwd()  # module scope: the autouse chdir of conftest has not run yet
    os.chdir(CASES.parent)
    try:
        return {"seed1": run("--seed", "1"), "seed1_again": run("--seed", "1"), "seed2": run("--seed", "2")}
    finally:
        os.chdir(cwd)


def test_sensitivity_is_byte_identical_for_one_seed(sensitivity_runs):
    a, b = sensitivity_runs["seed1"], sensitivity_runs["seed1_again"]
    assert a.exit_code == b.exit_code == 0
    assert a.stdout_bytes == b.stdout_bytes


def test_sensitivity_differs_between_seeds(sensitivity_runs):
    a = json.loads(sensitivity_runs["seed1"].stdout)
    b = json.loads(sensitivity_runs["seed2"].stdout)
    assert (a["sampling"]["seed"], b["sampling"]["seed"]) == (1, 2)
    assert a["provenance"]["seed"] == 1
    assert [x["by_rank"] for x in a["acceptability"]] != [x["by_rank"] for x in b["acceptability"]]


def test_sensitivity_acceptability_and_intervals(sensitivity_runs, tiny_weights):
    out = json.loads(sensitivity_runs["seed1"].stdout)
    assert out["sampling"] == {
        "sampler": "dirichlet",
        "samples": 500,
        "seed": 1,
        "concentration": 40.0,
    }  # default 10 x 4 criteria
    acc = out["acceptability"]
    assert sorted(x["id"] for x in acc) == sorted(TINY_IDS)
    for x in acc:
        assert len(x["by_rank"]) == 6
        assert sum(x["by_rank"]) == pytest.approx(1.0, abs=1e-12)
        assert x["first"] == x["by_rank"][0]
        assert x["top_k"] == pytest.approx(sum(x["by_rank"][:3]), abs=1e-12)
        assert all(v * 500 == pytest.approx(round(v * 500), abs=1e-9) for v in x["by_rank"])
    w = tiny_weights / tiny_weights.sum()
    assert [iv["criterion"] for iv in out["intervals"]] == ["cost", "co2", "homes", "acceptance"]
    for iv, wj in zip(out["intervals"], w):
        assert iv["weight"] == pytest.approx(wj, abs=1e-12)
        for key in ("first", "top_k"):
            lo, hi = iv[key]
            assert 0.0 <= lo <= wj <= hi <= 1.0


@pytest.mark.parametrize("sampling", ["uniform", "dirichlet", "submissions"])
def test_sensitivity_samplers(invoke, sampling):
    out = run_json(
        invoke,
        "sensitivity",
        "cases/tiny",
        "--samples",
        "200",
        "--seed",
        "5",
        "--sampling",
        sampling,
        "--method",
        "vikor",
    )
    assert out["sampling"]["sampler"] == sampling and out["method"] == "vikor"
    for x in out["acceptability"]:
        assert sum(x["by_rank"]) == pytest.approx(1.0, abs=1e-12)


def test_sensitivity_method_not_applicable_is_exit_2_like_rank(invoke):
    """`rank --method wpm` on tiny is refused with exit 2 and one line naming the criteria; the
    same data and method in `sensitivity` must be refused the same way, not end as an internal
    error (exit 1)."""
    expected = one_line_error(invoke("rank", "cases/tiny", "--method", "wpm"))
    result = invoke("sensitivity", "cases/tiny", "--method", "wpm", "--samples", "10")
    assert one_line_error(result) == expected


def test_sensitivity_bad_option_is_exit_2(invoke):
    line = one_line_error(
        invoke("sensitivity", "cases/tiny", "--method", "vikor", "--option", "v=7", "--samples", "10")
    )
    assert line == "--option: v=7 must lie in [0, 1]"


def test_sensitivity_submissions_resamples_the_submissions(invoke, tiny_dm):
    """--sampling submissions draws every sample from the four submissions' weights (`lev2040
    weights --by submission`), so a measure can only ever be first if it is first under one of
    them; and every measure first under a submission is drawn first at least once in 500 samples
    (each submission has a drawing share of at least 2/9)."""
    subs = run_json(invoke, "weights", "cases/tiny", "--by", "submission")["by_submission"]
    assert len(subs) == 4
    firsts = set()
    for sub in subs:
        w = np.array([sub["weights"][c] for c in tiny_dm.criterion_ids])
        ranks = score(tiny_dm, w, "topsis").ranks
        firsts |= {tiny_dm.measure_ids[i] for i in np.flatnonzero(ranks == 1)}
    out = run_json(
        invoke,
        "sensitivity",
        "cases/tiny",
        "--samples",
        "500",
        "--seed",
        "3",
        "--sampling",
        "submissions",
        "--method",
        "topsis",
    )
    assert {x["id"] for x in out["acceptability"] if x["first"] > 0} == firsts
