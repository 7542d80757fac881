"""Properties of the stakeholder-weights stage (hypothesis).

Cases are written into a fresh temporary folder inside each example (``tempfile``), because @given
tests cannot use function-scoped fixtures such as ``tmp_path``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from lev2040_mcda.case import load_case
from lev2040_mcda.weights import (
    RANKING_SCHEMES,
    AggregateOptions,
    aggregate,
    ahp,
    elicit_case,
    kendall_w,
    llsm_weights,
    positional_weights,
    ranking_weights,
    weights_summary,
)

from .conftest import write_weights_case

# -- writing cases ----------------------------------------------------------------------------


def criteria_ids(n: int) -> list[str]:
    return [f"c{k}" for k in range(n)]


def write_case(root: Path, n: int, groups: dict[str, float] | None) -> Path:
    """A minimal valid case with criteria c0..c{n-1}, two measures and the given groups."""
    return write_weights_case(root, criteria_ids(n), groups)


def put_json(root: Path, name: str, group: str | None, respondent: str, method: str, body: dict) -> None:
    doc = {"respondent": respondent, "method": method, **body}
    if group is not None:
        doc["group"] = group
    (root / "weights" / name).write_text(json.dumps(doc), encoding="utf-8")


def put_yaml(root: Path, name: str, doc: dict) -> None:
    (root / "weights" / name).write_text(yaml.safe_dump(doc), encoding="utf-8")


# -- strategies -------------------------------------------------------------------------------

positive = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def weight_vectors(draw, n: int, elements=positive):
    return draw(st.lists(elements, min_size=n, max_size=n))


@st.composite
def group_sets(draw):
    """1-4 groups; an influence may be 0, but a case needs one above 0 (checks.py)."""
    k = draw(st.integers(1, 4))
    influence = st.one_of(st.just(0.0), st.floats(0.1, 5, allow_nan=False))
    values = draw(st.lists(influence, min_size=k, max_size=k).filter(lambda v: max(v) > 0))
    return {f"g{i}": v for i, v in enumerate(values)}


@st.composite
def submission(draw, n: int):
    method = draw(st.sampled_from(["direct", "points", "swing", "ranking"]))
    if method == "ranking":
        return method, draw(st.lists(st.integers(1, n), min_size=n, max_size=n))
    if method == "swing":
        return method, draw(weight_vectors(n, st.floats(0.01, 100, allow_nan=False)))
    return method, draw(weight_vectors(n))


def _ranking_list(ids: list[str], ranks: list[int]) -> list:
    """Ranks -> the YAML/JSON ranking form: best first, a list inside the list is a tie."""
    out = []
    for r in sorted(set(ranks)):
        members = [i for i, x in zip(ids, ranks) if x == r]
        out.append(members[0] if len(members) == 1 else members)
    return out


def _body(method: str, ids: list[str], values: list) -> dict:
    if method == "ranking":
        return {"ranking": _ranking_list(ids, values)}
    return {"weights": dict(zip(ids, values))}


# -- final weights ----------------------------------------------------------------------------


@given(st.integers(2, 6), group_sets(), st.data())
def test_final_weights_sum_to_one_and_are_non_negative(n, groups, data):
    ids = criteria_ids(n)
    subs = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted(groups)), submission(n)), min_size=1, max_size=8)
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", n, groups)
        for k, (g, (method, values)) in enumerate(subs):
            put_json(root, f"s{k:02d}.json", g, f"r{k}", method, _body(method, ids, values))
        out = weights_summary(load_case(root))
    assert out["rejections"] == []
    assert out["submissions"] == {"read": len(subs), "used": len(subs), "rejected": 0}
    final = np.array(list(out["weights"].values()))
    assert final.sum() == pytest.approx(1.0, abs=1e-9)
    assert (final >= 0).all()
    for g in out["groups"]:
        gw = np.array(list(g["weights"].values()))
        assert gw.sum() == pytest.approx(1.0, abs=1e-9) and (gw >= 0).all()
    assert {g["id"] for g in out["groups"]} | set(out["missing_groups"]) == set(groups)
    assert {g["id"] for g in out["groups"]} == {g for g, _ in subs}
    assert 0.0 <= out["consensus"]["index"] <= 1.0 + 1e-12
    shares = [g["share"] for g in out["groups"]]
    assert sum(shares) == pytest.approx(1.0, abs=1e-9)


@given(st.integers(2, 6), group_sets(), st.data())
def test_unanimity(n, groups, data):
    """Every submission of every group is the same direct vector w: the final weights are w, the
    consensus index is 1 and Kendall's W is 1 in every group with two or more respondents."""
    ids = criteria_ids(n)
    w = data.draw(weight_vectors(n))
    per_group = data.draw(st.lists(st.integers(1, 3), min_size=len(groups), max_size=len(groups)))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", n, groups)
        k = 0
        for g, count in zip(sorted(groups), per_group):
            for _ in range(count):
                put_json(root, f"s{k:02d}.json", g, f"r{k}", "direct", _body("direct", ids, w))
                k += 1
        case = load_case(root)
        out = weights_summary(case)
        sw = elicit_case(case)
    expected = np.array(w) / sum(w)
    np.testing.assert_allclose(list(out["weights"].values()), expected, rtol=1e-9, atol=1e-15)
    assert out["consensus"]["index"] == pytest.approx(1.0, abs=1e-12)
    assert all(d["distance"] == pytest.approx(0.0, abs=1e-12) for d in out["consensus"]["distances"])
    assert out["consensus"]["contested"] == []
    for g, count in zip(sorted(groups), per_group):
        kw = next(x["kendall_w"] for x in out["groups"] if x["id"] == g)
        if count >= 2:
            assert kw == pytest.approx(1.0, abs=1e-12)
            assert kendall_w(sw.weights[sw.groups == g]) == pytest.approx(1.0, abs=1e-12)
        else:
            assert kw is None


@given(st.integers(2, 5), st.data())
def test_permuting_submission_files_does_not_change_the_result(n, data):
    """The same submissions under other file names (so read in another order), and a survey
    table with its rows shuffled, give the same weights."""
    ids = criteria_ids(n)
    groups = {"ga": 1.0, "gb": 2.0}
    docs = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted(groups)), submission(n)), min_size=1, max_size=5)
    )
    rows = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted(groups)), weight_vectors(n)), min_size=0, max_size=5)
    )
    names = data.draw(st.permutations(range(len(docs))))
    order = data.draw(st.permutations(range(len(rows))))

    def run(doc_names: list[str], row_order: list[int]) -> tuple[dict, dict]:
        with tempfile.TemporaryDirectory() as tmp:
            root = write_case(Path(tmp) / "case", n, groups)
            for k, (g, (method, values)) in enumerate(docs):
                put_json(root, doc_names[k], g, f"doc{k}", method, _body(method, ids, values))
            if rows:
                lines = ["respondent,group," + ",".join(ids)]
                lines += [f"row{k},{rows[k][0]}," + ",".join(repr(v) for v in rows[k][1]) for k in row_order]
                (root / "weights" / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            case = load_case(root)
            sw = elicit_case(case)
            out = weights_summary(case)
        return out, {r: sw.weights[k] for k, r in enumerate(sw.respondents)}

    out_a, by_a = run([f"a{k:02d}.json" for k in range(len(docs))], list(range(len(rows))))
    out_b, by_b = run([f"{chr(ord('z') - p)}_{k}.json" for k, p in enumerate(names)], list(order))
    assert out_a["rejections"] == out_b["rejections"] == []
    assert by_a.keys() == by_b.keys()
    for r in by_a:
        np.testing.assert_allclose(by_a[r], by_b[r], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        list(out_a["weights"].values()), list(out_b["weights"].values()), rtol=1e-9, atol=1e-12
    )
    assert out_a["consensus"]["index"] == pytest.approx(out_b["consensus"]["index"], abs=1e-9)


@given(st.integers(2, 6), st.data(), st.floats(1e-3, 1e3, allow_nan=False))
def test_scaling_a_direct_submission_changes_nothing(n, data, c):
    ids = criteria_ids(n)
    w = data.draw(weight_vectors(n))
    scaled = [c * x for x in w]
    assume(all(x > 0 for x in scaled))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", n, None)
        put_json(root, "a.json", None, "plain", "direct", _body("direct", ids, w))
        put_json(root, "b.json", None, "scaled", "direct", _body("direct", ids, scaled))
        (root / "weights" / "t.csv").write_text(
            "respondent,"
            + ",".join(ids)
            + "\n"
            + "plain_row,"
            + ",".join(repr(x) for x in w)
            + "\n"
            + "scaled_row,"
            + ",".join(repr(x) for x in scaled)
            + "\n",
            encoding="utf-8",
        )
        sw = elicit_case(load_case(root))
    assert sw.rejected == []
    at = {r: sw.weights[k] for k, r in enumerate(sw.respondents)}
    expected = np.array(w) / sum(w)
    for r in ("plain", "scaled", "plain_row", "scaled_row"):
        np.testing.assert_allclose(at[r], expected, rtol=1e-9, atol=1e-15)


# -- consistent pairwise matrices --------------------------------------------------------------

saaty_range = st.floats(1.0, 9.0, allow_nan=False)  # max/min <= 9: every ratio is on Saaty's scale


@given(st.lists(saaty_range, min_size=2, max_size=9))
def test_consistent_matrix_gives_back_w_with_cr_zero(w):
    w = np.array(w)
    m = w[:, None] / w[None, :]
    r = ahp(m)
    np.testing.assert_allclose(r.weights, w / w.sum(), rtol=1e-9)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.lambda_max == pytest.approx(len(w), abs=1e-9)
    np.testing.assert_allclose(llsm_weights(m), w / w.sum(), rtol=1e-9)


@given(st.lists(saaty_range, min_size=3, max_size=8), st.data())
def test_incomplete_consistent_matrix_gives_back_w(w, data):
    """Any connected pattern of consistent judgements (a spanning tree plus any extra pairs) gives
    back w, by LLSM (Bozóki, Fülöp & Rónyai 2010) and after completion by the eigenvector."""
    w = np.array(w)
    n = len(w)
    order = data.draw(st.permutations(range(n)))
    parents = [data.draw(st.integers(0, k - 1)) for k in range(1, n)]  # random spanning tree
    known = np.eye(n, dtype=bool)
    for k, p in zip(range(1, n), parents):
        i, j = order[k], order[p]
        known[i, j] = known[j, i] = True
    extra = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n))
    for i, j in extra:
        known[i, j] = known[j, i] = True
    m = np.where(known, w[:, None] / w[None, :], np.nan)
    np.testing.assert_allclose(llsm_weights(m), w / w.sum(), rtol=1e-9)
    r = ahp(m)
    np.testing.assert_allclose(r.weights, w / w.sum(), rtol=1e-9)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.completed == bool((~known).any())


@given(st.lists(saaty_range, min_size=2, max_size=7), st.data())
def test_consistent_pairwise_yaml_submission_gives_back_w(w, data):
    n = len(w)
    ids = criteria_ids(n)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    # all pairs, each in a drawn direction (b vs a = 1 / (a vs b))
    flips = data.draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    judgements = [
        [ids[j], ids[i], w[j] / w[i]] if f else [ids[i], ids[j], w[i] / w[j]]
        for (i, j), f in zip(pairs, flips)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", n, None)
        put_yaml(root, "ahp.yaml", {"respondent": "ahp", "method": "pairwise", "judgements": judgements})
        sw = elicit_case(load_case(root))
    assert sw.rejected == [] and len(sw) == 1
    w = np.array(w)
    np.testing.assert_allclose(sw.weights[0], w / w.sum(), rtol=1e-9)
    assert sw.cr[0] == pytest.approx(0.0, abs=1e-9)
    assert sw.methods[0] == "pairwise" and sw.levels[0] == "criteria"


@given(st.lists(st.lists(saaty_range, min_size=3, max_size=3), min_size=1, max_size=4))
def test_aij_of_consistent_judges_is_the_normalised_geometric_mean(ws):
    """Merging consistent matrices element-wise by the geometric mean gives the consistent matrix
    of the geometric mean of the judges' weights."""
    ids = criteria_ids(3)
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", 3, {"one": 1.0})
        for k, w in enumerate(ws):
            put_yaml(
                root,
                f"j{k}.yaml",
                {
                    "group": "one",
                    "respondent": f"j{k}",
                    "method": "pairwise",
                    "judgements": [
                        [ids[0], ids[1], w[0] / w[1]],
                        [ids[1], ids[2], w[1] / w[2]],
                        [ids[0], ids[2], w[0] / w[2]],
                    ],
                },
            )
        case = load_case(root)
        out = weights_summary(case, options=AggregateOptions(pairwise="aij"))
    gm = np.exp(np.log(np.array(ws)).mean(axis=0))
    np.testing.assert_allclose(list(out["weights"].values()), gm / gm.sum(), rtol=1e-9)


# -- ranking kernels --------------------------------------------------------------------------

rank_cells = st.one_of(st.integers(1, 8), st.none())


@given(
    st.lists(rank_cells, min_size=1, max_size=10).filter(lambda r: any(x is not None for x in r)),
    st.sampled_from(RANKING_SCHEMES),
)
def test_ranking_weights_properties(ranks, scheme):
    r = np.array([np.nan if x is None else x for x in ranks], dtype=float)
    w = ranking_weights(r[None], scheme)[0]
    ranked = ~np.isnan(r)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert (w[ranked] > 0).all() and (w[~ranked] == 0).all()
    idx = np.flatnonzero(ranked)
    for i in idx:
        for j in idx:
            if r[i] == r[j]:
                assert w[i] == w[j]  # ties: equal weights
            elif r[i] < r[j]:
                assert w[i] > w[j]  # better rank: strictly more weight
    # only the order matters: a strictly increasing transform of the ranks changes nothing
    np.testing.assert_allclose(ranking_weights((3 * r + 7)[None], scheme)[0], w, rtol=1e-12)
    # a tie group gets the mean positional weight of the places it occupies
    m = int(ranked.sum())
    pos = positional_weights(m, scheme)
    for value in np.unique(r[ranked]):
        members = np.flatnonzero(r == value)
        better = int((r[ranked] < value).sum())
        assert w[members[0]] == pytest.approx(pos[better : better + len(members)].mean(), rel=1e-12)


@given(st.integers(1, 10), st.sampled_from(RANKING_SCHEMES))
def test_positional_weights_decrease_and_sum_to_one(m, scheme):
    p = positional_weights(m, scheme)
    assert len(p) == m
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert (np.diff(p) < 0).all()


@given(
    st.lists(st.lists(rank_cells, min_size=5, max_size=5), min_size=1, max_size=6),
    st.sampled_from(RANKING_SCHEMES),
)
def test_ranking_weights_vectorised_equals_row_by_row(rows, scheme):
    a = np.array([[np.nan if x is None else x for x in row] for row in rows], dtype=float)
    together = ranking_weights(a, scheme)
    for k in range(len(rows)):
        np.testing.assert_allclose(together[k], ranking_weights(a[k][None], scheme)[0], rtol=1e-12)


# -- Kendall's W -------------------------------------------------------------------------------


@given(st.integers(2, 6), st.integers(2, 7), st.data())
def test_kendall_w_bounds_and_invariances(m, n, data):
    rows = np.array(
        data.draw(st.lists(st.lists(st.integers(0, 4), min_size=n, max_size=n), min_size=m, max_size=m)),
        dtype=float,
    )
    w = kendall_w(rows)
    assert -1e-12 <= w <= 1 + 1e-12
    # positive scaling of a respondent's weights and reordering respondents leave W unchanged
    scaled = rows * np.arange(1, m + 1)[:, None]
    assert kendall_w(scaled) == pytest.approx(w, abs=1e-12)
    assert kendall_w(rows[::-1]) == pytest.approx(w, abs=1e-12)
    # every respondent identical: W = 1
    assert kendall_w(np.repeat(rows[:1], m, axis=0)) == pytest.approx(1.0, abs=1e-12)


@given(st.integers(2, 4), st.data())
def test_aggregate_group_weights_are_within_the_submissions(n, data):
    """A group's mean and median weights lie between its submissions' smallest and largest."""
    ids = criteria_ids(n)
    ws = data.draw(st.lists(weight_vectors(n), min_size=1, max_size=5))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_case(Path(tmp) / "case", n, None)
        for k, w in enumerate(ws):
            put_json(root, f"s{k}.json", None, f"r{k}", "direct", _body("direct", ids, w))
        sw = elicit_case(load_case(root))
    for within in ("mean", "median"):
        c = aggregate(sw, {}, AggregateOptions(within=within))
        assert c.groups == ["all"]
        gw = c.group_weights[0]
        if within == "mean":
            assert (gw >= sw.weights.min(axis=0) - 1e-12).all()
            assert (gw <= sw.weights.max(axis=0) + 1e-12).all()
        assert gw.sum() == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(c.final, gw, rtol=1e-12)
