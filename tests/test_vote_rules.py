"""The counting rules and the support per project: options, ties, errors, districts, intervals."""

from __future__ import annotations

import json

import pytest

from lev2040_mcda.case.votes import Ballot, Project, Vote
from lev2040_mcda.participation import RuleError, count, rules_for, support, wilson


def _vote(costs, ballots, budget, kind="approval", districts=None, **kw) -> Vote:
    projects = tuple(Project(p, p.upper(), c, measure=f"m_{p}") for p, c in costs.items())
    bs = []
    for i, b in enumerate(ballots):
        points = b if isinstance(b, dict) else dict.fromkeys(b, 1.0)
        bs.append(Ballot(f"v{i}", points, districts[i] if districts else None))
    return Vote(projects, tuple(bs), budget, kind=kind, **kw)


def test_greedy_skips_what_does_not_fit_and_never_takes_unvoted():
    vote = _vote({"a": 60, "b": 50, "c": 30, "d": 5}, [{"a", "b"}, {"a", "b"}, {"a", "c"}, {"c"}], 100)
    out = count(vote, "greedy")
    assert out.selected == ("a", "c")  # b (2 votes) does not fit after a; d has no vote
    assert out.stages == ("greedy", "greedy") and out.measures == ("m_a", "m_c")
    assert out.cost == 90 and out.left == 10


def test_ties_are_broken_by_votes_then_cost_then_order_and_reported():
    # b and c: one vote each (a tie in greedy's own criterion); only one of them fits
    vote = _vote({"a": 50, "b": 50, "c": 40}, [{"a"}, {"a"}, {"b"}, {"c"}], 100)
    out = count(vote, "greedy")
    assert out.selected == ("a", "c")  # c is cheaper; b, which would have fitted instead, is out
    assert [(t.tied, t.chosen, t.by) for t in out.ties] == [(("c", "b"), "c", "cost")]
    by_order = count(vote, "greedy", tie_break="order")
    assert by_order.selected == ("a", "b") and by_order.ties[0].by == "order"


def test_mes_ties_use_the_same_keys():
    # two disjoint groups of equal size and equal cost: the first in the file wins the tie
    vote = _vote({"x": 30, "y": 30}, [{"x"}, {"x"}, {"y"}, {"y"}], 60)
    out = count(vote, "mes", completion="none")
    assert out.selected == ("x", "y")
    assert [(t.stage, t.tied, t.chosen, t.by) for t in out.ties] == [("mes", ("x", "y"), "x", "order")]


def test_mes_completion_add1u_fills_with_greedy():
    vote = _vote({"a": 60, "b": 45, "c": 10}, [{"a"}, {"a"}, {"b"}, {"c", "b"}], 100)
    raw = count(vote, "mes", completion="none")
    full = count(vote, "mes")  # add1u
    assert raw.cost <= full.cost <= 100
    assert set(raw.selected) <= set(full.selected)
    assert full.completion == "add1u" and full.utility == "cost" and full.step is not None
    assert full.voter_budget >= full.initial_voter_budget - full.step


def test_mes_with_points_uses_them_as_utilities():
    # cumulative ballots: the voter who puts all points on "b" pays for it (cardinal MES)
    ballots = [{"a": 3, "b": 1}, {"a": 3, "b": 1}, {"b": 4}, {"c": 4}]
    vote = _vote({"a": 40, "b": 40, "c": 40}, ballots, 100, kind="cumulative")
    out = count(vote, "mes", completion="none")
    assert out.utility == "points"
    assert out.selected[0] == "a"
    greedy = count(vote, "greedy")
    assert greedy.selected == ("b", "a")  # 6 points each: b has more voters (3 against 2)
    assert greedy.ties == ()  # both taken: the tie decided nothing
    with pytest.raises(RuleError, match="approval ballots"):
        count(vote, "phragmen")
    assert rules_for(vote) == ("greedy", "mes")


def test_ordinal_ballots_count_as_borda_points():
    ballots = [{"a": 1, "b": 2}, {"b": 1, "a": 2}, {"b": 1}]
    vote = _vote({"a": 50, "b": 50}, ballots, 50, kind="ordinal", max_approvals=2)
    out = count(vote, "greedy")
    assert out.selected == ("b",)  # b: 1 + 2 + 2 = 5 points, a: 2 + 1 = 3
    assert any("Borda" in n for n in out.notes)


def test_totals_only_greedy():
    projects = (
        Project("p1", "P1", 70, votes=120),
        Project("p2", "P2", 50, votes=80),
        Project("p3", "P3", 30, votes=60),
    )
    vote = Vote(projects, (), 100, kind="totals", meta={"num_votes": 200})
    out = count(vote, "greedy")
    assert out.selected == ("p1", "p3") and out.voters == 200
    assert any("need the ballots" in n for n in out.notes)
    for rule in ("mes", "phragmen"):
        with pytest.raises(RuleError, match="only 'greedy' counts totals"):
            count(vote, rule)
    s = support(vote)
    assert s.get("p1").approvals == 120 and s.get("p1").share == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [
        ("rule", "MES", "did you mean 'mes'"),
        ("completion", "add-1", "choose one of"),
        ("tie_break", "random", "votes"),
    ],
)
def test_unknown_options_are_named(option, value, hint):
    vote = _vote({"a": 1}, [{"a"}], 1)
    with pytest.raises(RuleError, match=hint):
        count(vote, **{option: value})


def test_a_project_without_a_usable_cost_is_an_error_not_a_traceback():
    vote = Vote((Project("a", "A", float("nan")),), (Ballot("1", {"a": 1}),), 10)
    with pytest.raises(RuleError, match="no usable cost for project"):
        count(vote, "greedy")


def test_empty_and_odd_votes():
    empty = _vote({"a": 10}, [], 100)
    for rule in ("greedy", "mes", "phragmen"):
        assert count(empty, rule).selected == ()
    free = _vote({"a": 0, "b": 20}, [{"a"}, {"b"}], 10)
    assert count(free, "mes").selected == ("a",)  # costs nothing; b does not fit
    unknown = _vote({"a": 5}, [{"a", "zz"}], 10)
    out = count(unknown, "greedy")
    assert out.selected == ("a",) and any("name no project" in n for n in out.notes)


def test_outcome_is_json_ready():
    vote = _vote({"a": 6, "b": 4}, [{"a"}, {"b"}, {"a", "b"}], 10)
    data = count(vote, "mes").as_dict()
    text = json.dumps(data)
    # a and b: the same price per unit (1/2), the same votes; b is cheaper
    assert json.loads(text)["selected"] == ["b", "a"] and data["left"] == 0
    assert data["ties"][0]["by"] == "cost"


def test_wilson_interval_known_values():
    # 0 of 10: the upper end is z^2 / (n + z^2) = 0.2775 (Wilson 1927; e.g. Newcombe 1998, Table I)
    low, high = wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(5, 10)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_support_per_district_and_turnout():
    ballots = [{"a"}, {"a", "b"}, {"b"}, {"a"}]
    vote = _vote({"a": 1, "b": 1}, ballots, 1, districts=["nord", "nord", "sued", None])
    s = support(vote, {"nord": 100, "sued": 50, "west": 10})
    a = s.get("a")
    assert a.approvals == 3 and a.share == pytest.approx(0.75)
    assert a.share_low < 0.75 < a.share_high
    nord, sued, west = a.by_district
    assert (nord.voters, nord.approvals, nord.share) == (2, 2, 1.0)
    assert (sued.approvals, west.voters, west.share) == (0, 0, None)
    assert [(t.district, t.voters, t.turnout) for t in s.turnout] == [
        ("nord", 2, 0.02), ("sued", 1, 0.02), ("west", 0, 0.0)
    ]  # fmt: skip
    assert any("no district" in n for n in s.notes)
    assert [d.district for d in support(vote).get("b").by_district] == ["nord", "sued"]


def test_mean_rating_with_seeded_bootstrap():
    ratings = [{"a": r} for r in (1, 2, 3, 4, 5, 5, 4, 4)] + [{"b": 3}]
    vote = _vote({"a": 1, "b": 1}, ratings, 1, kind="scoring")
    s1, s2 = support(vote, seed=7), support(vote, seed=7)
    a = s1.get("a")
    assert a.mean_rating == pytest.approx(3.5) and a.raters == 8
    assert a.rating_low < 3.5 < a.rating_high
    assert (a.rating_low, a.rating_high) == (s2.get("a").rating_low, s2.get("a").rating_high)
    b = s1.get("b")
    assert (b.mean_rating, b.rating_low, b.rating_high) == (3.0, 3.0, 3.0)
    assert s1.get("a").share == pytest.approx(8 / 9)
