"""The stakeholder-weights stage: elicitation kernels, ``elicit_case``, aggregation, ``lev2040 weights``.

Reference values come from the published worked examples named in each test; everything else is
derived from the test's own inputs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from lev2040_mcda.case import METHODS, load_case
from lev2040_mcda.cli import cli
from lev2040_mcda.weights import (
    SAATY_RI,
    AggregateOptions,
    ElicitOptions,
    aggregate,
    ahp,
    ahp_batch,
    elicit_case,
    goal_matrix,
    kendall_w,
    llsm_weights,
    positional_weights,
    random_index,
    ranking_weights,
    weights_summary,
)

from .conftest import write_weights_case

ROOT = Path(__file__).resolve().parent.parent
LEVERKUSEN = ROOT / "cases" / "leverkusen-2040"
TINY = ROOT / "cases" / "tiny"


def run_cli(*args) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


# =============================================================================================
# 1. Reference values from the literature
# =============================================================================================

# Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill — the "relative wealth of
# nations" matrix (from Saaty & Khouja 1976). Order: US, USSR, China, France, UK, Japan, W. Germany.
WEALTH = np.array(
    [
        [1, 4, 9, 6, 6, 5, 5],
        [1 / 4, 1, 7, 5, 5, 3, 4],
        [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
        [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
    ]
)
WEALTH_PRIORITIES = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]  # Saaty (1980), published


def test_wealth_matrix_is_reciprocal():
    """Guard on the transcription of Saaty's matrix itself."""
    np.testing.assert_allclose(WEALTH * WEALTH.T, np.ones((7, 7)), rtol=1e-12)


def test_ahp_saaty_1980_wealth_of_nations():
    """Saaty (1980), relative wealth of nations: priorities .427 .230 .021 .052 .052 .123 .094,
    lambda_max = 7.61, CR = 0.08 with Saaty's RI(7) = 1.32."""
    r = ahp(WEALTH)
    assert r.weights.round(3).tolist() == WEALTH_PRIORITIES
    assert round(r.lambda_max, 2) == 7.61
    assert r.ri == 1.32 and r.ri_source == "Saaty 1980"
    assert r.ci == pytest.approx((r.lambda_max - 7) / 6, rel=1e-12)
    assert r.cr == pytest.approx(r.ci / 1.32, rel=1e-12)
    assert round(r.cr, 2) == 0.08
    assert r.completed is False
    assert r.weights.sum() == pytest.approx(1.0, abs=1e-12)
    # the principal eigenvector: A w = lambda_max w
    np.testing.assert_allclose(WEALTH @ r.weights, r.lambda_max * r.weights, rtol=1e-9)


def test_ahp_matches_pymcdm_eigenvector_but_not_its_random_index():
    """pymcdm's AHP has the same principal eigenvector; its CR uses Tummala & Ling's (1998) RI
    (1.3322 for n = 7), ours Saaty's (1980) 1.32, so the CRs differ."""
    from pymcdm.weights.subjective import AHP

    theirs = AHP(matrix=WEALTH)
    w_theirs = np.asarray(theirs(), dtype=float)
    ours = ahp(WEALTH)
    np.testing.assert_allclose(ours.weights, w_theirs, atol=1e-9)
    cr_theirs = float(theirs.get_cr())
    assert cr_theirs != pytest.approx(ours.cr, abs=1e-6)
    # both are CI / RI of the same lambda_max: the ratio of the CRs is the ratio of the RIs
    assert ours.cr / cr_theirs == pytest.approx(AHP.RI_M[6] / SAATY_RI[7], rel=1e-9)


def test_ahp_batch_equals_ahp_one_by_one():
    consistent = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    saaty_doc = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    stack = np.stack([consistent, saaty_doc, saaty_doc.T])
    for one, batched in zip([ahp(m) for m in stack], ahp_batch(stack)):
        np.testing.assert_allclose(one.weights, batched.weights, atol=1e-12)
        assert one.cr == pytest.approx(batched.cr, abs=1e-12)
        assert one.lambda_max == pytest.approx(batched.lambda_max, abs=1e-12)


def test_random_index_saaty_table_and_alonso_lamata_beyond_15():
    """Saaty (1980) RI for n <= 15; Alonso & Lamata (2006) lambda_max ~ 2.7699 n - 4.3513 beyond."""
    assert random_index(3) == (0.58, "Saaty 1980")
    assert random_index(7) == (1.32, "Saaty 1980")
    ri, source = random_index(20)
    assert source == "Alonso & Lamata 2006"
    assert ri == pytest.approx(((2.7699 * 20 - 4.3513) - 20) / (20 - 1), rel=1e-12)


# Barron, F. H. & Barrett, B. E. (1996). Decision quality using ranked attribute weights.
# Management Science 42(11), 1515-1523: rank-order centroid, rank sum and rank reciprocal, n = 4.
BARRON_BARRETT_4 = {
    "roc": [0.5208, 0.2708, 0.1458, 0.0625],
    "rs": [0.4, 0.3, 0.2, 0.1],
    "rr": [0.48, 0.24, 0.16, 0.12],
}


@pytest.mark.parametrize("scheme", sorted(BARRON_BARRETT_4))
def test_ranking_schemes_barron_barrett_1996_n4(scheme):
    expected = BARRON_BARRETT_4[scheme]
    assert positional_weights(4, scheme).round(4).tolist() == expected
    # the same through ranks given in scrambled item order
    ranks = np.array([[3, 1, 4, 2]])
    w = ranking_weights(ranks, scheme)[0]
    assert w.round(4).tolist() == [expected[2], expected[0], expected[3], expected[1]]
    assert w.sum() == pytest.approx(1.0, abs=1e-12)


def test_roc_formula_barron_barrett():
    """ROC: w_k = (1/n) * sum_{i=k}^{n} 1/i (Barron & Barrett 1996, eq. for the centroid)."""
    for n in (1, 2, 3, 7, 12):
        expected = [sum(1 / i for i in range(k, n + 1)) / n for k in range(1, n + 1)]
        np.testing.assert_allclose(positional_weights(n, "roc"), expected, rtol=1e-12)


def test_ranking_ties_share_the_mean_of_their_places():
    """Ties share the mean positional weight of the places they occupy together; only order counts."""
    roc4 = positional_weights(4, "roc")
    w = ranking_weights(np.array([[1, 2, 2, 4], [1, 2, 2, 3]]))
    expected = [roc4[0], (roc4[1] + roc4[2]) / 2, (roc4[1] + roc4[2]) / 2, roc4[3]]
    np.testing.assert_allclose(w, [expected, expected], rtol=1e-12)
    # unranked (NaN) items get 0 and the ranked ones use the scheme for their own number
    w = ranking_weights(np.array([[2, np.nan, 1]]), "rs")[0]
    np.testing.assert_allclose(w, [positional_weights(2, "rs")[1], 0.0, positional_weights(2, "rs")[0]])


def test_unknown_ranking_scheme_is_an_error():
    with pytest.raises(ValueError, match="unknown ranking scheme 'xyz'"):
        positional_weights(3, "xyz")


def _aij_case(root: Path) -> Path:
    """Aczél & Saaty (1983): three judges say a is 2, 3 and 4 times as important as b."""
    subs = {
        f"judge_{k}.yaml": f"group: judges\nrespondent: j{k}\nmethod: pairwise\n"
        f"judgements:\n  - [a, b, {v}]\n"
        for k, v in enumerate((2, 3, 4), start=1)
    }
    return write_weights_case(root, ["a", "b"], {"judges": 1.0}, subs)


def test_aij_is_the_geometric_mean_of_judgements_aczel_saaty_1983(tmp_path):
    """Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. J. Math.
    Psychology 27, 93-102: the only reciprocal-preserving synthesis of 2, 3, 4 is their geometric
    mean 24^(1/3) = 2.884..., so the AIJ priorities are (g/(1+g), 1/(1+g))."""
    case = load_case(_aij_case(tmp_path / "aij"))
    out = weights_summary(case, options=AggregateOptions(pairwise="aij"))
    g = 24 ** (1 / 3)
    assert round(g, 3) == 2.884
    assert out["submissions"] == {"read": 3, "used": 3, "rejected": 0}
    assert out["weights"]["a"] == pytest.approx(g / (1 + g), rel=1e-12)
    assert out["weights"]["b"] == pytest.approx(1 / (1 + g), rel=1e-12)


def test_aip_is_the_mean_of_the_individual_priorities(tmp_path):
    """AIP (the default): each judge's priorities (v/(1+v), 1/(1+v)), then their mean."""
    case = load_case(_aij_case(tmp_path / "aip"))
    out = weights_summary(case)
    assert out["options"]["pairwise"] == "aip"
    expected_a = np.mean([v / (1 + v) for v in (2, 3, 4)])
    assert out["weights"]["a"] == pytest.approx(expected_a, rel=1e-12)
    assert out["weights"]["b"] == pytest.approx(1 - expected_a, rel=1e-12)
    # and AIP differs from AIJ here (arithmetic mean of ratios != geometric mean)
    g = 24 ** (1 / 3)
    assert out["weights"]["a"] != pytest.approx(g / (1 + g), rel=1e-6)


def test_incomplete_consistent_matrix_llsm_bozoki_fulop_ronyai_2010():
    """Bozóki, Fülöp & Rónyai (2010): for an incomplete but connected matrix whose known entries
    are consistent (a_ij = w_i / w_j), the LLSM solution is w itself and the completion is
    consistent (CR = 0)."""
    w = np.array([0.5, 0.3, 0.2])
    m = w[:, None] / w[None, :]
    m[0, 2] = m[2, 0] = np.nan  # a vs c unknown; a-b and b-c still connect everything
    np.testing.assert_allclose(llsm_weights(m), w, rtol=1e-12)
    r = ahp(m)
    assert r.completed is True
    np.testing.assert_allclose(r.weights, w, rtol=1e-9)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.matrix[0, 2] == pytest.approx(w[0] / w[2], rel=1e-12)
    assert r.matrix[2, 0] == pytest.approx(w[2] / w[0], rel=1e-12)


def test_llsm_of_complete_matrix_is_row_geometric_mean():
    """For a complete matrix LLSM is the row geometric mean (Crawford & Williams 1985)."""
    gm = np.exp(np.log(WEALTH).mean(axis=1))
    np.testing.assert_allclose(llsm_weights(WEALTH), gm / gm.sum(), rtol=1e-10)


def test_kendall_w_equals_mean_spearman_identity():
    """Kendall & Babington Smith (1939): for m untied rankings, the mean pairwise Spearman rho is
    (m W - 1) / (m - 1)."""
    from scipy.stats import spearmanr

    rng = np.random.default_rng(20240611)
    for m, n in [(2, 3), (3, 4), (5, 6), (8, 10), (4, 12)]:
        rows = np.array([rng.permutation(n) + 1 for _ in range(m)], dtype=float)
        w = kendall_w(rows)
        rhos = [spearmanr(rows[i], rows[j])[0] for i, j in itertools.combinations(range(m), 2)]
        assert np.mean(rhos) == pytest.approx((m * w - 1) / (m - 1), abs=1e-12)
        assert 0.0 <= w <= 1.0


def test_kendall_w_with_ties_matches_the_tie_corrected_formula():
    """Siegel & Castellan (1988), eq. 9.16: W = 12 S / (m^2 (n^3 - n) - m sum(t^3 - t))."""
    weights = np.array([[4, 3, 3, 1], [4, 4, 2, 1], [1, 2, 3, 4]], dtype=float)
    # ranks (1 = highest weight, ties averaged), written out by hand from the rows above
    ranks = np.array([[1, 2.5, 2.5, 4], [1.5, 1.5, 3, 4], [4, 3, 2, 1]])
    m, n = ranks.shape
    totals = ranks.sum(axis=0)
    s = ((totals - totals.mean()) ** 2).sum()
    t = (2**3 - 2) + (2**3 - 2)
    expected = 12 * s / (m * m * (n**3 - n) - m * t)
    assert kendall_w(weights) == pytest.approx(expected, rel=1e-12)


def test_kendall_w_undefined_for_one_respondent():
    assert math.isnan(kendall_w(np.array([[0.5, 0.3, 0.2]])))


# =============================================================================================
# 2. Elicitation of the Leverkusen case
# =============================================================================================


@pytest.fixture(scope="module")
def leverkusen():
    return load_case(LEVERKUSEN)


@pytest.fixture(scope="module")
def lev_sw(leverkusen):
    return elicit_case(leverkusen)


def test_leverkusen_all_submissions_used(leverkusen, lev_sw):
    files = sorted((LEVERKUSEN / "weights").iterdir())
    with open(LEVERKUSEN / "weights" / "buergerschaft_survey.csv", encoding="utf-8-sig") as fh:
        survey_rows = sum(1 for _ in csv.DictReader(fh))
    docs = [f for f in files if f.suffix in (".yaml", ".json")]
    assert len(lev_sw) == 65 == survey_rows + 1 + len(docs)  # + the one-row xlsx
    assert lev_sw.read == 65
    assert lev_sw.rejected == [] and leverkusen.rejected == ()
    assert lev_sw.weights.shape == (65, len(leverkusen.criteria))
    np.testing.assert_allclose(lev_sw.weights.sum(axis=1), 1.0, atol=1e-12)
    assert (lev_sw.weights >= 0).all()
    assert set(lev_sw.methods) == set(METHODS)
    suffixes = {
        Path(s.rsplit(":", 1)[0] if s.rsplit(":", 1)[-1].isdigit() else s).suffix for s in lev_sw.sources
    }
    assert suffixes == {".yaml", ".json", ".csv", ".xlsx"}
    assert len(set(lev_sw.respondents)) == 65
    assert set(lev_sw.groups) == {g.id for g in leverkusen.groups}


def _local_split(case) -> dict[str, dict[str, float]]:
    """goal -> {criterion: share of the goal's weight}, straight from the catalogue."""
    out: dict[str, dict[str, float]] = {}
    for c in case.criteria:
        out.setdefault(c.goal, {})[c.id] = c.weight if c.weight is not None else 1.0
    return {g: {c: v / sum(d.values()) for c, v in d.items()} for g, d in out.items()}


def _expected_from_goals(case, goal_values: dict[str, float]) -> np.ndarray:
    split = _local_split(case)
    total = sum(goal_values.values())
    crit = {c: goal_values.get(g, 0.0) / total * share for g, d in split.items() for c, share in d.items()}
    return np.array([crit[c] for c in case.criterion_ids])


def test_leverkusen_goal_level_submissions_split_by_local_weights(leverkusen, lev_sw):
    """Goal weights go to the goal's criteria in proportion to the catalogue's local weights:
    a criterion gets weight exactly when its goal does."""
    assert all(g.parent is None for g in leverkusen.goals)  # flat goal tree in this case
    by_resp = {r: k for k, r in enumerate(lev_sw.respondents)}
    # the survey (points on goals)
    with open(LEVERKUSEN / "weights" / "buergerschaft_survey.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    goal_ids = {g.id for g in leverkusen.goals}
    for row in rows:
        k = by_resp[row["respondent"]]
        assert lev_sw.levels[k] == "goals"
        values = {g: float(v) for g, v in row.items() if g in goal_ids}
        expected = _expected_from_goals(leverkusen, values)
        np.testing.assert_allclose(lev_sw.weights[k], expected, atol=1e-12)
        crit_goal = {c.id: c.goal for c in leverkusen.criteria}
        for j, cid in enumerate(lev_sw.criteria):
            assert (lev_sw.weights[k, j] > 0) == (values[crit_goal[cid]] > 0)
    # politik.json (points on goals, budget 100)
    politik = json.loads((LEVERKUSEN / "weights" / "politik.json").read_text(encoding="utf-8"))
    k = by_resp[politik["respondent"]]
    np.testing.assert_allclose(
        lev_sw.weights[k], _expected_from_goals(leverkusen, politik["weights"]), atol=1e-12
    )
    # every goal-level submission leaves no criterion of a weighted goal at zero
    goal_rows = np.flatnonzero(lev_sw.levels == "goals")
    assert len(goal_rows) == len(rows) + 2  # survey + politik + the AHP on goals
    k = by_resp["runde_beteiligungsgesellschaften"]
    assert lev_sw.levels[k] == "goals" and (lev_sw.weights[k] > 0).all()


def test_leverkusen_goal_matrix_rows_sum_to_one(leverkusen):
    goals, g = goal_matrix(leverkusen)
    assert goals == tuple(x.id for x in leverkusen.goals)
    np.testing.assert_allclose(g.sum(axis=1), 1.0, atol=1e-12)
    split = _local_split(leverkusen)
    for i, gid in enumerate(goals):
        for j, cid in enumerate(leverkusen.criterion_ids):
            assert g[i, j] == pytest.approx(split.get(gid, {}).get(cid, 0.0), abs=1e-12)


def test_leverkusen_pairwise_submission_is_consistent_enough(lev_sw):
    pairwise = [k for k, m in enumerate(lev_sw.methods) if m == "pairwise"]
    assert len(pairwise) == 1
    k = pairwise[0]
    assert lev_sw.cr[k] < 0.1
    assert k in lev_sw.pairwise
    level, ids, matrix = lev_sw.pairwise[k]
    assert level == "goals" and len(ids) == 10 and matrix.shape == (10, 10)
    assert not np.isnan(matrix).any()  # 17 of 45 judgements given, the rest completed by LLSM
    np.testing.assert_allclose(matrix * matrix.T, 1.0, rtol=1e-9)
    others = [k for k, m in enumerate(lev_sw.methods) if m != "pairwise"]
    assert np.isnan(lev_sw.cr[others]).all()


def test_leverkusen_ranking_and_swing_submissions(leverkusen, lev_sw):
    by_resp = {r: k for k, r in enumerate(lev_sw.respondents)}
    crit = list(lev_sw.criteria)
    # the ranking: ROC over 16 places, ties share the mean of their places
    import yaml

    doc = yaml.safe_load((LEVERKUSEN / "weights" / "wirtschaft_und_verbaende.yaml").read_text("utf-8"))
    ranks = np.full(len(crit), np.nan)
    for place, entry in enumerate(doc["ranking"], start=1):
        for cid in entry if isinstance(entry, list) else [entry]:
            ranks[crit.index(cid)] = place
    np.testing.assert_allclose(
        lev_sw.weights[by_resp[doc["respondent"]]], ranking_weights(ranks[None])[0], atol=1e-12
    )
    # the swing (xlsx): normalised swing points
    import openpyxl

    ws = openpyxl.load_workbook(LEVERKUSEN / "weights" / "verwaltung_umwelt.xlsx").active
    header, row = list(ws.iter_rows(values_only=True))[:2]
    values = dict(zip(header, row))
    expected = np.array([float(values[c]) for c in crit])
    np.testing.assert_allclose(
        lev_sw.weights[by_resp[values["respondent"]]], expected / expected.sum(), atol=1e-12
    )


def test_leverkusen_aggregate_structure(leverkusen, lev_sw):
    influence = {g.id: g.influence for g in leverkusen.groups}
    c = aggregate(lev_sw, influence)
    assert c.groups == list(influence)  # case order, all present
    assert c.missing_groups == []
    assert c.final.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(c.group_weights.sum(axis=1), 1.0, atol=1e-12)
    raw = np.array(list(influence.values()))
    np.testing.assert_allclose(c.influence, raw / raw.sum(), rtol=1e-12)
    np.testing.assert_allclose(c.final, (raw / raw.sum()) @ c.group_weights, rtol=1e-12)
    # within a group: the mean of its submissions
    for k, g in enumerate(c.groups):
        rows = lev_sw.weights[lev_sw.groups == g]
        assert c.counts[k] == len(rows)
        np.testing.assert_allclose(c.group_weights[k], rows.mean(axis=0), atol=1e-12)
    # distances: total variation, symmetric, zero diagonal; index = 1 - weighted mean distance
    d = 0.5 * np.abs(c.group_weights[:, None] - c.group_weights[None]).sum(axis=2)
    np.testing.assert_allclose(c.distances, d, atol=1e-12)
    iu = np.triu_indices(len(c.groups), 1)
    pw = np.outer(c.influence, c.influence)[iu]
    assert c.index == pytest.approx(1 - (pw * d[iu]).sum() / pw.sum(), abs=1e-12)
    cv = c.group_weights.std(axis=0) / c.group_weights.mean(axis=0)
    np.testing.assert_allclose(c.cv, cv, atol=1e-12)
    assert c.contested == [cid for cid, v in zip(c.criteria, cv) if v >= 0.5]
    for g, (w, m) in c.kendall.items():
        rows = lev_sw.weights[lev_sw.groups == g]
        assert m == len(rows)
        if m >= 2:
            assert w == pytest.approx(kendall_w(rows), abs=1e-12) and 0 <= w <= 1
        else:
            assert math.isnan(w)


# =============================================================================================
# 3. Bad submissions: rejected with file, row and column/key; the valid ones still used
# =============================================================================================

CSV_HEAD = "respondent,group,method,cost,co2,homes,acceptance\n"
CSV_GOOD = "ok1,buerger,direct,1,2,3,4\n"  # line 2 of every bad CSV below: valid


def _yaml(method: str, body: str, group: str = "verwaltung") -> str:
    return f"group: {group}\nrespondent: someone_new\nmethod: {method}\n{body}"


# (file name, content, valid submissions added, expected location + reason fragments).
# A table whose header names an unknown id rejects all its rows: the location is the file and the
# column (the header line today; a per-row rejection would be as good).
BAD = [
    # unknown criterion or goal
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 1, nope: 2}\n"),
        0,
        ["weights/x.yaml: key 'weights':", "unknown criterion or goal 'nope'"],
        id="unknown-id-yaml",
    ),
    pytest.param(
        "x.csv",
        "group,cost,nope\nbuerger,1,2\nbuerger,2,1\n",
        0,
        ["weights/x.csv:", "column 'nope':", "unknown criterion or goal 'nope'"],
        id="unknown-id-csv",
    ),
    # mixing goals and criteria
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 1, klima: 2}\n"),
        0,
        ["weights/x.yaml: key 'weights':", "'klima' is a goal, but other ids here are criteria"],
        id="mixed-levels-yaml",
    ),
    pytest.param(
        "x.csv",
        "group,cost,klima\nbuerger,1,2\nbuerger,2,1\n",
        0,
        ["weights/x.csv:", "column 'klima':", "'klima' is a goal"],
        id="mixed-levels-csv",
    ),
    # negative value
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,direct,1,-2,3,4\n",
        1,
        ["weights/x.csv:3: column 'co2':", "-2 is not allowed for direct"],
        id="negative-csv",
    ),
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 1, co2: -2}\n"),
        0,
        ["weights/x.yaml: key 'weights.co2':", "-2 is not allowed"],
        id="negative-yaml",
    ),
    # non-numeric value
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,direct,1,viel,3,4\n",
        1,
        ["weights/x.csv:3: column 'co2':", "'viel' is not a number"],
        id="text-csv",
    ),
    pytest.param(
        "x.xlsx",
        [
            CSV_HEAD.strip().split(","),
            ["ok1", "buerger", "direct", 1, 2, 3, 4],
            ["bad", "buerger", "direct", 1, 2, "viel", 4],
        ],
        1,
        ["weights/x.xlsx:3: column 'homes':", "'viel' is not a number"],
        id="text-xlsx",
    ),
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 1, co2: viel}\n"),
        0,
        ["weights/x.yaml: key 'weights.co2':", "'viel' is not allowed"],
        id="text-yaml",
    ),
    # all zeros
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,direct,0,0,0,0\n",
        1,
        ["weights/x.csv:3:", "all weights are zero"],
        id="zeros-csv",
    ),
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 0, co2: 0}\n"),
        0,
        ["weights/x.yaml: key 'weights':", "all weights are zero"],
        id="zeros-yaml",
    ),
    # unknown method (rejected when the case is loaded)
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,magic,1,2,3,4\n",
        1,
        ["weights/x.csv:3: column 'method':", "'magic' is not a method"],
        id="method-csv",
    ),
    pytest.param(
        "x.yaml",
        _yaml("magic", "weights: {cost: 1}\n"),
        0,
        ["weights/x.yaml:3: key 'method':", "'magic' is not allowed"],
        id="method-yaml",
    ),
    # swing above 100
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,swing,100,120,3,4\n",
        1,
        ["weights/x.csv:3: column 'co2':", "120 is not allowed for swing"],
        id="swing-csv",
    ),
    pytest.param(
        "x.yaml",
        _yaml("swing", "weights: {cost: 100, co2: 120}\n"),
        0,
        ["weights/x.yaml: key 'weights.co2':", "120 is not allowed", "a swing from 0 to 100"],
        id="swing-yaml",
    ),
    # points not adding up to the budget
    pytest.param(
        "x.yaml",
        _yaml("points", "budget: 100\nweights: {cost: 10, co2: 20}\n"),
        0,
        ["weights/x.yaml: key 'weights':", "the points add up to 30, not to the budget 100"],
        id="points-budget",
    ),
    # ranks that are not 1, 2, 3, ...
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,ranking,1,0,2,3\n",
        1,
        ["weights/x.csv:3: column 'co2':", "0 is not allowed for ranking"],
        id="rank-0",
    ),
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,ranking,1,1.5,2,3\n",
        1,
        ["weights/x.csv:3: column 'co2':", "1.5 is not allowed for ranking"],
        id="rank-1.5",
    ),
    # pairwise
    pytest.param(
        "x.yaml",
        _yaml(
            "pairwise", "judgements:\n  - [cost, co2, 12]\n  - [co2, homes, 2]\n  - [homes, acceptance, 2]\n"
        ),
        0,
        ["weights/x.yaml: key 'judgements':", "12 is outside Saaty's scale"],
        id="pairwise-scale",
    ),
    pytest.param(
        "x.yaml",
        _yaml(
            "pairwise",
            "judgements:\n  - [cost, co2, 3]\n  - [co2, cost, 3]\n"
            "  - [co2, homes, 2]\n  - [homes, acceptance, 2]\n",
        ),
        0,
        ["weights/x.yaml: key 'judgements':", "judged twice", "reciprocal"],
        id="pairwise-not-reciprocal",
    ),
    pytest.param(
        "x.yaml",
        _yaml("pairwise", "judgements:\n  - [cost, co2, 3]\n  - [homes, acceptance, 2]\n"),
        0,
        ["weights/x.yaml: key 'judgements':", "do not connect all items"],
        id="pairwise-disconnected",
    ),
    pytest.param(
        "x.yaml",
        _yaml("pairwise", "judgements:\n  - [cost, co2, 3]\n  - [co2, homes, 2]\n"),
        0,
        ["weights/x.yaml: key 'judgements':", "acceptance not compared"],
        id="pairwise-missing-item",
    ),
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,buerger,pairwise,1,2,3,4\n",
        1,
        ["weights/x.csv:3: column 'method':", "pairwise judgements need a YAML or JSON file"],
        id="pairwise-in-table",
    ),
    # unknown group
    pytest.param(
        "x.csv",
        CSV_HEAD + CSV_GOOD + "bad,nobody,direct,1,2,3,4\n",
        1,
        ["weights/x.csv:3: column 'group':", "unknown group 'nobody'"],
        id="group-csv",
    ),
    pytest.param(
        "x.yaml",
        _yaml("direct", "weights: {cost: 1}\n", group="nobody"),
        0,
        ["weights/x.yaml:1: key 'group':", "unknown group 'nobody'"],
        id="group-yaml",
    ),
]


def _put(case: Path, name: str, content) -> None:
    path = case / "weights" / name
    if name.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.Workbook()
        for row in content:
            wb.active.append(row)
        wb.save(path)
    else:
        path.write_text(content, encoding="utf-8")


def _rows(name: str, content) -> int:
    """Data rows of a table given as CSV text or as xlsx rows (header first)."""
    if name.endswith(".xlsx"):
        return len(content) - 1
    return sum(1 for line in content.splitlines()[1:] if line.strip())


def _baseline() -> dict:
    return weights_summary(load_case(TINY))["submissions"]


@pytest.mark.parametrize("name, content, added, fragments", BAD)
def test_bad_submission_rejected_with_location(tiny, name, content, added, fragments):
    base = _baseline()
    assert base == {"read": 4, "used": 4, "rejected": 0}
    _put(tiny, name, content)
    out = weights_summary(load_case(tiny))
    mine = [line for line in out["rejections"] if f"weights/{name}" in line]
    assert len(mine) >= 1, out["rejections"]
    first = mine[0]
    for fragment in fragments:
        assert fragment in first, (fragment, first)
    # every other submission is still used, the valid row of a bad table too
    assert out["submissions"]["used"] == base["used"] + added
    assert out["rejections"] == mine  # nothing else was rejected
    # each submission (a file, or a row of a table) is read and rejected once
    in_file = 1 if name.endswith((".yaml", ".json")) else _rows(name, content)
    s = out["submissions"]
    assert s == {"read": base["read"] + in_file, "used": base["used"] + added, "rejected": in_file - added}, s


@pytest.mark.parametrize("name, content, added, fragments", BAD)
def test_bad_submission_cli_strict_exit_2_otherwise_listed(tiny, name, content, added, fragments):
    _put(tiny, name, content)
    lenient = run_cli("weights", tiny)
    assert lenient.exit_code == 0, lenient.output
    rejected = [line for line in lenient.stdout.splitlines() if line.startswith("rejected: ")]
    assert any(all(f in line for f in fragments) for line in rejected), rejected
    strict = run_cli("weights", tiny, "--strict")
    assert strict.exit_code == 2, strict.output
    assert fragments[0] in strict.stderr
    assert "Traceback" not in strict.output


def test_clean_case_strict_exits_0(tiny):
    r = run_cli("weights", tiny, "--strict")
    assert r.exit_code == 0, r.output
    assert "rejected:" not in r.stdout
    assert "Submissions: 4 read, 4 used, 0 rejected" in r.stdout


def test_rejections_in_several_files_are_all_listed(tiny):
    _put(tiny, "a.yaml", _yaml("direct", "weights: {cost: 1, nope: 2}\n"))
    _put(tiny, "b.csv", CSV_HEAD + CSV_GOOD + "bad,buerger,direct,1,-2,3,4\n")
    _put(
        tiny,
        "c.yaml",
        _yaml("swing", "weights: {cost: 100, co2: 120}\n").replace("someone_new", "someone_else"),
    )
    out = weights_summary(load_case(tiny))
    assert len(out["rejections"]) == 3
    assert [Path(r.split(":")[0]).name for r in out["rejections"]] == ["a.yaml", "b.csv", "c.yaml"]
    assert out["submissions"] == {"read": 8, "used": 5, "rejected": 3}


def test_respondent_counts_once_csv_row_first(tiny):
    """planning_office answers in buerger.csv (sorted first) and in verwaltung.yaml: the YAML is
    the later one and is rejected, naming the first."""
    path = tiny / "weights" / "buerger.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "planning_office,buerger,points,10,80,10\n", encoding="utf-8"
    )
    sw = elicit_case(load_case(tiny))
    assert sw.respondents.count("planning_office") == 1
    k = sw.respondents.index("planning_office")
    assert sw.sources[k].endswith("weights/buerger.csv:5")
    assert len(sw) == 4 and sw.read == 5
    (p,) = sw.rejected
    assert p.path.endswith("weights/verwaltung.yaml") and p.row is None
    assert p.column == "respondent"
    assert "'planning_office' was already counted" in p.reason
    assert "weights/buerger.csv:5)" in p.reason


def test_respondent_counts_once_yaml_first(tiny):
    """A YAML file sorted before buerger.csv claims respondent b2: row 3 of the table is rejected."""
    _put(
        tiny,
        "a_first.yaml",
        "group: buerger\nrespondent: b2\nmethod: direct\nweights: {klima: 1, wohnen: 1}\n",
    )
    out = weights_summary(load_case(tiny))
    (line,) = out["rejections"]
    assert "weights/buerger.csv:3: column 'respondent':" in line
    assert "'b2' was already counted (in " in line and "weights/a_first.yaml)" in line
    assert out["submissions"] == {"read": 5, "used": 4, "rejected": 1}


def test_respondent_twice_rejection_of_yaml_is_labelled_key(tiny):
    """Problem docs (errors.py): kind is "column" in tables, "key" in YAML/JSON. The rejected
    duplicate here is a YAML file, so its message must say key 'respondent'."""
    path = tiny / "weights" / "buerger.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "planning_office,buerger,points,10,80,10\n", encoding="utf-8"
    )
    (line,) = weights_summary(load_case(tiny))["rejections"]
    assert "weights/verwaltung.yaml: key 'respondent':" in line, line


def test_respondent_twice_in_one_table(tiny):
    path = tiny / "weights" / "buerger.csv"
    path.write_text(path.read_text(encoding="utf-8") + "b1,buerger,points,10,80,10\n", encoding="utf-8")
    out = weights_summary(load_case(tiny))
    (line,) = out["rejections"]
    assert "weights/buerger.csv:5: column 'respondent':" in line
    assert "weights/buerger.csv:2)" in line
    assert out["submissions"] == {"read": 5, "used": 4, "rejected": 1}


CYCLIC = (
    "group: verwaltung\nrespondent: cyc\nmethod: pairwise\njudgements:\n"
    "  - [cost, co2, 5]\n  - [co2, homes, 5]\n  - [homes, cost, 5]\n"
    "  - [acceptance, cost, 1]\n  - [acceptance, co2, 1]\n  - [acceptance, homes, 1]\n"
)


def _cyclic_cr() -> float:
    # order cost, co2, homes, acceptance: cost > co2 > homes > cost, acceptance ties all
    m = np.ones((4, 4))
    for i, j in [(0, 1), (1, 2), (2, 0)]:
        m[i, j], m[j, i] = 5, 1 / 5
    return ahp(m).cr


def test_inconsistent_ahp_kept_with_warning_without_max_cr(tiny):
    _put(tiny, "cyc.yaml", CYCLIC)
    cr = _cyclic_cr()
    assert cr > 0.1
    out = weights_summary(load_case(tiny))
    assert out["submissions"] == {"read": 5, "used": 5, "rejected": 0}
    (warning,) = out["warnings"]
    assert "weights/cyc.yaml" in warning and f"consistency ratio {cr:.3f}" in warning
    sw = elicit_case(load_case(tiny))
    k = sw.respondents.index("cyc")
    assert sw.cr[k] == pytest.approx(cr, rel=1e-9)
    # cost, co2 and homes are symmetric in a 3-cycle: equal priorities
    assert sw.weights[k, 0] == pytest.approx(sw.weights[k, 1], rel=1e-9)
    assert sw.weights[k, 1] == pytest.approx(sw.weights[k, 2], rel=1e-9)
    r = run_cli("weights", tiny)
    assert r.exit_code == 0 and "warning: " in r.stdout and "cyc.yaml" in r.stdout


def test_inconsistent_ahp_rejected_with_max_cr(tiny):
    _put(tiny, "cyc.yaml", CYCLIC)
    _put(
        tiny,
        "fine.yaml",
        "group: verwaltung\nrespondent: fine\nmethod: pairwise\njudgements:\n"
        "  - [cost, co2, 2]\n  - [co2, homes, 2]\n  - [homes, acceptance, 2]\n",
    )
    cr = _cyclic_cr()
    out = weights_summary(load_case(tiny), ElicitOptions(max_cr=0.1))
    (line,) = out["rejections"]
    assert "weights/cyc.yaml: key 'judgements':" in line
    assert f"consistency ratio {cr:.3f} is above --max-cr 0.1" in line
    assert out["submissions"] == {"read": 6, "used": 5, "rejected": 1}  # the consistent one stays
    assert out["warnings"] == []
    r = run_cli("weights", tiny, "--max-cr", "0.1")
    assert r.exit_code == 0 and any(
        x.startswith("rejected: ") and "cyc.yaml" in x for x in r.stdout.splitlines()
    )
    r = run_cli("weights", tiny, "--max-cr", "0.1", "--strict")
    assert r.exit_code == 2 and "cyc.yaml" in r.stderr


def test_pairwise_fractions_and_mapping_form_accepted(tiny):
    """Judgements as '1/3' strings and as {a, b, value} mappings mean the same."""
    _put(
        tiny,
        "p1.yaml",
        "group: verwaltung\nrespondent: p1\nmethod: pairwise\njudgements:\n"
        "  - [cost, co2, 1/3]\n  - [co2, homes, 2]\n  - [homes, acceptance, 4]\n",
    )
    _put(
        tiny,
        "p2.yaml",
        "group: verwaltung\nrespondent: p2\nmethod: pairwise\njudgements:\n"
        "  - {a: co2, b: cost, value: 3}\n  - {a: homes, b: co2, value: 0.5}\n"
        "  - {a: acceptance, b: homes, value: 0.25}\n",
    )
    sw = elicit_case(load_case(tiny))
    assert sw.rejected == []
    w1, w2 = sw.weights[sw.respondents.index("p1")], sw.weights[sw.respondents.index("p2")]
    np.testing.assert_allclose(w1, w2, atol=1e-12)
    # a spanning chain is consistent: w = (1/3 * 2 * 4, 2 * 4, 4, 1) normalised
    chain = np.array([8 / 3, 8, 4, 1])
    np.testing.assert_allclose(w1, chain / chain.sum(), rtol=1e-9)
    assert sw.cr[sw.respondents.index("p1")] == pytest.approx(0, abs=1e-9)


def test_unknown_method_rejected_at_load(tiny):
    _put(tiny, "x.yaml", _yaml("magic", "weights: {cost: 1}\n"))
    case = load_case(tiny)
    assert len(case.rejected) == 1 and "weights/x.yaml:3: key 'method'" in case.rejected[0]
    assert len(case.submissions) == 1  # only verwaltung.yaml


# =============================================================================================
# 4. The CLI on the Leverkusen case
# =============================================================================================


@pytest.fixture(scope="module")
def lev_json():
    r = run_cli("weights", "cases/leverkusen-2040", "--format", "json")
    assert r.exit_code == 0, r.output
    return r.stdout


def test_cli_table_leverkusen(leverkusen):
    r = run_cli("weights", "cases/leverkusen-2040")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Submissions: 65 read, 65 used, 0 rejected" in out
    assert "Consensus index" in out
    assert "Contested criteria (CV across groups >= 0.5)" in out
    for g in leverkusen.groups:
        assert g.id in out
    for cid in leverkusen.criterion_ids:
        assert cid in out
    assert "rejected:" not in out


def test_cli_json_leverkusen(lev_json, leverkusen):
    d = json.loads(lev_json)
    assert {"weights", "groups", "consensus", "submissions", "rejections", "provenance"} <= set(d)
    assert list(d["weights"]) == list(leverkusen.criterion_ids)
    assert sum(d["weights"].values()) == pytest.approx(1.0, abs=1e-12)
    assert [g["id"] for g in d["groups"]] == [g.id for g in leverkusen.groups]
    assert sum(g["submissions"] for g in d["groups"]) == 65
    cons = d["consensus"]
    assert 0.0 <= cons["index"] <= 1.0
    assert len(cons["distances"]) == math.comb(5, 2)
    assert all(0 <= x["distance"] <= 1 for x in cons["distances"])
    assert [s["criterion"] for s in cons["spread"]] == list(leverkusen.criterion_ids)
    assert cons["contested_threshold"] == {"cv": 0.5}
    assert cons["contested"] == [s["criterion"] for s in cons["spread"] if s["cv"] >= 0.5]
    assert d["submissions"] == {"read": 65, "used": 65, "rejected": 0}
    assert d["rejections"] == []
    prov = d["provenance"]
    assert prov["command"] == "weights"
    inputs = prov["inputs"]
    for f in (LEVERKUSEN / "weights").iterdir():
        key = f"weights/{f.name}"
        assert key in inputs, key
        assert inputs[key]["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
    for key, v in inputs.items():
        assert v["sha256"] == hashlib.sha256((LEVERKUSEN / key).read_bytes()).hexdigest()


def test_cli_json_is_reproducible(lev_json):
    again = run_cli("weights", "cases/leverkusen-2040", "--format", "json")
    assert again.exit_code == 0
    assert again.stdout == lev_json


def test_cli_by_submission_csv(lev_sw):
    r = run_cli("weights", "cases/leverkusen-2040", "--by", "submission", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(lev_sw) == 65
    assert [row["source"] for row in rows] == lev_sw.sources
    for row, w in zip(rows, lev_sw.weights):
        got = np.array([float(row[c]) for c in lev_sw.criteria])
        np.testing.assert_allclose(got, w, rtol=1e-12)
        assert (row["cr"] == "") == (row["method"] != "pairwise")


def test_cli_by_group_csv_matches_json(lev_json):
    d = json.loads(lev_json)
    r = run_cli("weights", "cases/leverkusen-2040", "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["criterion"] for row in rows] == list(d["weights"])
    for row in rows:
        assert float(row["final"]) == pytest.approx(d["weights"][row["criterion"]], rel=1e-12)


def _cli_json(*options) -> dict:
    r = run_cli("weights", "cases/leverkusen-2040", "--format", "json", *options)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize(
    "options",
    [
        ["--within", "geomean"],
        ["--within", "median"],
        ["--ranking", "rs"],
        ["--ranking", "rr"],
        ["--pairwise", "aij"],
    ],
    ids=" ".join,
)
def test_cli_options_run_and_sum_to_one(options, lev_json):
    d = _cli_json(*options)
    assert sum(d["weights"].values()) == pytest.approx(1.0, abs=1e-12)
    assert all(v >= 0 for v in d["weights"].values())
    for g in d["groups"]:
        assert sum(g["weights"].values()) == pytest.approx(1.0, abs=1e-12)
    key = options[0].lstrip("-")
    assert d["options"][key] == options[1]
    assert d["provenance"]["parameters"][key] == options[1]


def _group(d: dict, gid: str) -> np.ndarray:
    return np.array(list(next(g for g in d["groups"] if g["id"] == gid)["weights"].values()))


def test_cli_options_change_only_what_they_should(lev_json):
    base = json.loads(lev_json)
    # a ranking scheme only changes the group that submitted a ranking
    rs = _cli_json("--ranking", "rs")
    assert not np.allclose(_group(rs, "wirtschaft_und_verbaende"), _group(base, "wirtschaft_und_verbaende"))
    for g in ("verwaltung", "politik", "staedtische_institutionen", "buergerschaft"):
        np.testing.assert_allclose(_group(rs, g), _group(base, g), atol=1e-12)
    # within-group aggregation leaves one-submission groups alone, changes the 60-answer survey
    for within in ("geomean", "median"):
        d = _cli_json("--within", within)
        for g in ("politik", "staedtische_institutionen", "wirtschaft_und_verbaende"):
            np.testing.assert_allclose(_group(d, g), _group(base, g), atol=1e-12)
        assert not np.allclose(_group(d, "buergerschaft"), _group(base, "buergerschaft"))
    # AIJ merges a group's judgement matrices; one matrix merged with itself is itself
    aij = _cli_json("--pairwise", "aij")
    np.testing.assert_allclose(list(aij["weights"].values()), list(base["weights"].values()), atol=1e-9)


def test_cli_weights_missing_case_exits_2(tmp_path):
    r = run_cli("weights", tmp_path / "nowhere")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_cli_contested_threshold_option():
    d = _cli_json("--contested", "0.3")
    assert d["consensus"]["contested_threshold"] == {"cv": 0.3}
    assert d["consensus"]["contested"] == [s["criterion"] for s in d["consensus"]["spread"] if s["cv"] >= 0.3]


def test_missing_group_is_left_out_and_named(tmp_path):
    case = tmp_path / "tiny"
    shutil.copytree(TINY, case)
    (case / "weights" / "verwaltung.yaml").unlink()
    out = weights_summary(load_case(case))
    assert out["missing_groups"] == ["verwaltung"]
    assert [g["id"] for g in out["groups"]] == ["buerger"]
    assert out["weights"] == pytest.approx(out["groups"][0]["weights"], abs=1e-12)
    assert any("verwaltung" in w and "left out" in w for w in out["warnings"])


# -- the summary is computed once per case and options ------------------------------------------


def test_summary_is_elicited_once_per_case_and_handed_out_as_a_copy(monkeypatch):
    import lev2040_mcda.weights.elicitation as weights_module
    from lev2040_mcda.case import apply_scenario

    case = load_case(LEVERKUSEN)
    calls = []
    real = weights_module._elicit  # the elicitation itself, behind elicit_case's keeping
    monkeypatch.setattr(weights_module, "_elicit", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = weights_summary(case)
    first["weights"].clear()  # a caller changing its result changes nobody else's
    again = weights_summary(case)
    in_scenario = weights_summary(apply_scenario(case, case.scenarios[0].id))  # same submissions
    assert len(calls) == 1
    assert again == in_scenario and set(again["weights"]) == set(case.criterion_ids)
    weights_summary(case, options=AggregateOptions(within="median"))  # only aggregated anew
    weights_summary(case, ElicitOptions(ranking="rs"))  # other elicitation options: computed
    assert len(calls) == 2


def test_summary_of_a_case_with_other_submissions_is_not_taken_from_the_memo():
    case = load_case(LEVERKUSEN)
    everyone = weights_summary(case)
    one_group = [s for s in case.submissions if s.group == case.submissions[0].group]
    fewer = case.model_copy(update={"submissions": tuple(one_group), "submission_tables": ()})
    result = weights_summary(fewer)
    assert result["submissions"]["used"] == len(one_group) < everyone["submissions"]["used"]
    assert result["weights"] != everyone["weights"]


def test_items_left_out_of_a_submission_are_weight_zero_with_a_warning(tmp_path):
    root = write_weights_case(
        tmp_path / "case",
        ["a", "b", "c"],
        None,
        {
            "one.yaml": "method: direct\nweights: {a: 1, b: 3}\n",
            "two.yaml": "method: ranking\nranking: [c, a, b]\n",
        },
    )
    result = weights_summary(load_case(root))
    [warning] = result["warnings"]  # the ranking's items are all there: no warning for it
    assert warning.endswith("weights/one.yaml: 1 of 3 criteria not weighted (weight 0): c")
    assert result["submissions"]["used"] == 2


def test_goals_weighted_through_their_parent_are_not_called_left_out(tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    (root / "case.yaml").write_text("name: nested\ncriteria: criteria.yaml\n", encoding="utf-8")
    (root / "goals.yaml").write_text(
        "goals:\n  - {id: p, title: Parent}\n  - {id: c1, title: One, parent: p}\n"
        "  - {id: c2, title: Two, parent: p}\n  - {id: q, title: Other}\n",
        encoding="utf-8",
    )
    (root / "criteria.yaml").write_text(
        "criteria:\n  - {id: a, name: A, direction: benefit, goal: c1}\n"
        "  - {id: b, name: B, direction: benefit, goal: c2}\n"
        "  - {id: d, name: D, direction: benefit, goal: q}\n",
        encoding="utf-8",
    )
    (root / "measures.csv").write_text("id,name,a,b,d\nm1,M1,1,2,3\nm2,M2,3,2,1\n", encoding="utf-8")
    (root / "weights").mkdir()
    (root / "weights" / "parent.yaml").write_text("method: direct\nweights: {p: 1, q: 1}\n", encoding="utf-8")
    (root / "weights" / "child.yaml").write_text("method: direct\nweights: {c1: 1, q: 1}\n", encoding="utf-8")
    result = weights_summary(load_case(root))
    # the parent's weight reaches c1 and c2: nothing left out; c1 alone leaves c2 (and its b) out
    [warning] = result["warnings"]
    assert warning.endswith("weights/child.yaml: 1 of 4 goals not weighted (weight 0): c2")
