"""Properties of the portfolio model on random small instances, checked against exhaustive search.

Every instance is a :class:`PortfolioProblem` built directly (at most 10 measures, 1-3 resources
with integer amounts, random requires/excludes/mandatory/--include/--exclude, signed pairs, goal
coverage and spatial balance). The reference is the documented model, evaluated for every one of
the 2**n subsets: objective = sum of the values of the selected measures + the pair term ``b`` of
every pair whose two measures are both selected; a subset is feasible when every resource is within
its limit, ``requires`` and ``excludes`` hold, mandatory and included measures are in, excluded ones
out, every listed district has its minimum number of measures and share of each named resource,
and every listed goal is served by at least ``coverage_min`` selected measures. With periods, a
subset is feasible when some assignment of start periods keeps every period within its limits and
lets no measure start before what it requires.

Requires and excludes may clash (A requires B, B excludes A; a mandatory measure excluded...):
the solver must then say "infeasible" exactly when exhaustive search finds no feasible subset.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from lev2040_mcda.portfolio import (
    InfeasiblePortfolio,
    PortfolioModel,
    PortfolioProblem,
    diagnose,
    explain,
    solve_portfolio,
)

TOL = 1e-6
STRENGTHS = (-1.0, -0.6, -0.25, 0.3, 0.8, 1.0)
INTERACTION_WEIGHT = 0.5
SHARES = (0.0, 0.25, 0.5)  # dyadic: share * total is exact, so the reference needs no tolerance


# -- the reference: exhaustive search -----------------------------------------------------------


def subsets(n: int):
    for mask in range(2**n):
        yield frozenset(i for i in range(n) if mask >> i & 1)


def objective(p: PortfolioProblem, chosen: frozenset[int]) -> float:
    """The documented objective: values plus the pair term of every fully selected pair."""
    total = sum(float(p.values[i]) for i in chosen)
    total += sum(b for i, j, b in p.pairs if i in chosen and j in chosen)
    return total


def logically_feasible(p: PortfolioProblem, chosen: frozenset[int]) -> bool:
    """requires, excludes, mandatory, --include and --exclude only."""
    return (
        all(j in chosen for i, j in p.requires if i in chosen)
        and not any(i in chosen and j in chosen for i, j in p.excludes)
        and (p.mandatory | p.include) <= chosen
        and not (p.exclude & chosen)
    )


def feasible(p: PortfolioProblem, chosen: frozenset[int]) -> bool:
    """Every constraint of the documented model except the periods."""
    if not logically_feasible(p, chosen):
        return False
    for r, a in p.resources.items():
        if p.limits[r] is not None and sum(a[i] for i in chosen) > p.limits[r] + 1e-9:
            return False
    for members in p.district_members.values():
        if len(chosen & set(members)) < p.balance_min_measures:
            return False
        for r, share in p.balance_min_share.items():
            a = p.resources[r]
            if sum(a[i] for i in chosen if i in members) < share * sum(a[i] for i in chosen) - 1e-9:
                return False
    return all(len(chosen & set(members)) >= p.coverage_min for members in p.goal_members.values())


def schedulable(p: PortfolioProblem, chosen: frozenset[int]) -> bool:
    """Some start period per selected measure keeps every period within its limits and lets
    no measure start before a measure it requires."""
    if not p.periods:
        return True
    order = sorted(chosen)
    for starts in itertools.product(range(len(p.periods)), repeat=len(order)):
        if schedule_ok(p, dict(zip(order, starts))):
            return True
    return False


def schedule_ok(p: PortfolioProblem, start: dict[int, int]) -> bool:
    for t, (_, lims) in enumerate(p.periods):
        for r, v in lims.items():
            if sum(p.resources[r][i] for i, s in start.items() if s == t) > v + 1e-9:
                return False
    return all(start[j] <= start[i] for i, j in p.requires if i in start)


def exhaustive(p: PortfolioProblem) -> tuple[float | None, list[frozenset[int]]]:
    """The optimum over all subsets and every subset that reaches it (None: no feasible subset)."""
    scored = [(objective(p, s), s) for s in subsets(len(p.ids)) if feasible(p, s) and schedulable(p, s)]
    if not scored:
        return None, []
    best = max(v for v, _ in scored)
    return best, [s for v, s in scored if v >= best - TOL]


def with_changes(p: PortfolioProblem, **changes) -> PortfolioProblem:
    fields = dict(p.__dict__)
    fields.update(changes)
    return PortfolioProblem(**fields)


# -- random instances ---------------------------------------------------------------------------


def index_pairs(n: int, max_size: int):
    return st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1]),
        max_size=max_size,
    )


def small_subset(n: int, max_size: int = 2):
    return st.sets(st.integers(0, n - 1), max_size=max_size)


def sometimes(strategy):
    """The strategy's value or an empty set, about half and half (fewer infeasible instances)."""
    return st.booleans().flatmap(lambda on: strategy if on else st.just(set()))


@st.composite
def problems(
    draw,
    max_n: int = 10,
    min_n: int = 1,
    periods: bool = False,
    unlimited: bool = True,
    constraints: bool = True,
) -> PortfolioProblem:
    n = draw(st.integers(min_n, max_n))
    values = np.array(draw(st.lists(st.integers(-20, 100), min_size=n, max_size=n)), dtype=float) / 10
    resources: dict[str, np.ndarray] = {}
    limits: dict[str, float | None] = {}
    for k in range(draw(st.integers(1, 3))):
        a = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
        resources[f"r{k}"] = np.array(a, dtype=float)
        limit = st.integers(0, sum(a) + 2).map(float)
        limits[f"r{k}"] = draw(st.none() | limit) if unlimited else draw(limit)
    # requires point from a higher to a lower index: no cycles
    requires = sorted({(max(i, j), min(i, j)) for i, j in draw(index_pairs(n, n))})
    excludes = sorted({tuple(sorted(t)) for t in draw(index_pairs(n, 3))})
    pairs = []
    for i, j in sorted({tuple(sorted(t)) for t in draw(index_pairs(n, n))}):
        s = draw(st.sampled_from(STRENGTHS))
        b = s * INTERACTION_WEIGHT * (values[i] + values[j]) / 2  # as build_problem derives it
        if abs(b) > 0:
            pairs.append((i, j, float(b)))
    p = PortfolioProblem(
        ids=[f"m{i}" for i in range(n)],
        names=[f"Measure {i}" for i in range(n)],
        values=values,
        resources=resources,
        limits=limits,
        requires=requires,
        excludes=excludes,
        mandatory=draw(sometimes(small_subset(n, 1))),
        include=draw(sometimes(small_subset(n))),
        exclude=draw(sometimes(small_subset(n))),
        pairs=pairs,
        objective="random values",
        units=dict.fromkeys(resources, "u"),
    )
    if constraints and draw(st.booleans()):  # goal coverage
        p.goal_members = {
            f"g{k}": sorted(draw(st.sets(st.integers(0, n - 1), min_size=1)))
            for k in range(draw(st.integers(1, 3)))
        }
        p.coverage_min = draw(st.integers(1, 2))
    if constraints and draw(st.booleans()):  # spatial balance
        p.district_members = {
            f"d{k}": sorted(draw(st.sets(st.integers(0, n - 1), min_size=1)))
            for k in range(draw(st.integers(1, 2)))
        }
        p.balance_min_measures = draw(st.integers(0, 2))
        if draw(st.booleans()):
            p.balance_min_share = {"r0": draw(st.sampled_from(SHARES))}
    if periods:
        p.periods = []
        for t in range(2):
            lims = {
                r: float(draw(st.integers(0, int(a.sum()) + 1)))
                for r, a in resources.items()
                if draw(st.booleans())
            }
            p.periods.append((f"p{t}", lims))
    return p


def instance(values, resources, limits, **kw) -> PortfolioProblem:
    """A hand-written instance (for the @example cases that pin down bugs found by the search)."""
    n = len(values)
    fields = dict(
        ids=[f"m{i}" for i in range(n)],
        names=[f"Measure {i}" for i in range(n)],
        values=np.array(values, dtype=float),
        resources={r: np.array(a, dtype=float) for r, a in resources.items()},
        limits=limits,
        requires=[],
        excludes=[],
        mandatory=set(),
        include=set(),
        exclude=set(),
        pairs=[],
        objective="hand-written",
        units=dict.fromkeys(resources, "u"),
    )
    fields.update(kw)
    return PortfolioProblem(**fields)


# A mandatory or included measure of value 0 that uses no resource and is in no rule: it must be
# in the portfolio all the same (the worst measure of an MCDM ranking has value exactly 0).
ISOLATED_ZERO_INCLUDED = instance([0, 0, 0], {"r0": [0, 0, 0]}, {"r0": None}, include={0})
ISOLATED_ZERO_MANDATORY = instance([0, 1], {"r0": [0, 1]}, {"r0": 5.0}, mandatory={0})
# m1 requires the excluded m0, and goal g0 is served only by m0 and m1: the coverage fails,
# not a resource; the elastic model must keep m0 out as --exclude says.
COVERAGE_BEHIND_EXCLUDE = instance(
    [0, 0, 0, 0],
    {"r0": [4, 0, 0, 0]},
    {"r0": 3.0},
    requires=[(1, 0)],
    exclude={0},
    goal_members={"g0": [0, 1]},
    coverage_min=1,
)
COVERAGE_BEHIND_EXCLUDE_NO_LIMIT = instance(
    [0, 0, 0],
    {"r0": [0, 0, 0]},
    {"r0": None},
    requires=[(1, 0)],
    exclude={0},
    goal_members={"g0": [0, 1]},
    coverage_min=1,
)
# two periods without limits: the periods cannot be the reason m1 (forced) and m0 (the only
# measure serving g0, which m1 excludes) do not go together
PERIODS_NOT_THE_REASON = instance(
    [0, 0],
    {"r0": [0, 0]},
    {"r0": None},
    excludes=[(0, 1)],
    include={1},
    goal_members={"g0": [0]},
    coverage_min=1,
    periods=[("p0", {}), ("p1", {})],
)


def check_against_exhaustive(p: PortfolioProblem, solver: str) -> None:
    best, optima = exhaustive(p)
    sol = PortfolioModel(p, solver).solve()
    if best is None:
        assert sol.status == "infeasible", (sol, "exhaustive search finds no feasible subset")
        assert sol.selected == [] and sol.objective is None
        return
    assert sol.status == "optimal" and sol.proven, sol
    chosen = frozenset(sol.selected)
    assert feasible(p, chosen), f"{solver} returned an infeasible portfolio {sorted(chosen)}"
    assert sol.selected == sorted(sol.selected)
    assert objective(p, chosen) == pytest.approx(sol.objective, abs=TOL)
    assert sol.objective == pytest.approx(best, abs=TOL), (solver, sorted(chosen), optima)
    if p.periods:
        assert set(sol.start) == chosen
        assert all(0 <= t < len(p.periods) for t in sol.start.values())
        assert schedule_ok(p, sol.start), f"start periods {sol.start} break a period limit or order"
    else:
        assert sol.start == {}


# -- the optimum --------------------------------------------------------------------------------


@given(problems())
@example(ISOLATED_ZERO_INCLUDED)
@example(ISOLATED_ZERO_MANDATORY)
def test_cbc_optimum_equals_exhaustive_search(p):
    check_against_exhaustive(p, "cbc")


@given(problems())
@example(ISOLATED_ZERO_INCLUDED)
@example(ISOLATED_ZERO_MANDATORY)
def test_highs_optimum_equals_exhaustive_search(p):
    check_against_exhaustive(p, "highs")


@given(problems(max_n=8))
def test_cbc_and_highs_agree(p):
    cbc, highs = PortfolioModel(p, "cbc").solve(), PortfolioModel(p, "highs").solve()
    assert cbc.status == highs.status
    if cbc.ok:
        assert cbc.objective == pytest.approx(highs.objective, abs=TOL)


@given(problems(max_n=6, periods=True))
def test_periods_optimum_equals_exhaustive_search_over_start_periods(p):
    check_against_exhaustive(p, "cbc")


@given(problems(max_n=6, periods=True))
def test_periods_highs_optimum_equals_exhaustive_search(p):
    check_against_exhaustive(p, "highs")


@given(problems(max_n=8), st.data())
def test_re_solves_with_fixed_measures_and_limits_match_exhaustive_search(p, data):
    """solve(fix=..., limits=...) solves the changed problem and then restores the model."""
    model = PortfolioModel(p, "cbc")
    i = data.draw(st.integers(0, len(p.ids) - 1))
    v = data.draw(st.sampled_from([0, 1]))
    r = data.draw(st.sampled_from(sorted(p.resources)))
    level = float(data.draw(st.integers(0, int(p.resources[r].sum()) + 1)))
    changed = with_changes(
        p,
        limits={**p.limits, r: level},
        include=p.include - {i} | ({i} if v else set()),
        exclude=p.exclude - {i} | (set() if v else {i}),
        mandatory=p.mandatory - {i} if not v else p.mandatory,
    )
    best, _ = exhaustive(changed)
    sol = model.solve(fix={i: v}, limits={r: level})
    if best is None:
        assert sol.status == "infeasible"
    else:
        assert sol.status == "optimal"
        assert feasible(changed, frozenset(sol.selected))
        assert sol.objective == pytest.approx(best, abs=TOL)
    # the model is back to the original problem
    again, _ = exhaustive(p)
    sol = model.solve()
    assert (sol.objective is None and again is None) or sol.objective == pytest.approx(again, abs=TOL)


def test_fix_forces_in_a_measure_of_value_zero_in_no_rule():
    """solve(fix={i: 1}) selects i even when i has value 0, uses no resource and is in no rule
    (explain forces measures in this way for their opportunity cost)."""
    p = instance([0, 2], {"r0": [0, 1]}, {"r0": 1.0})
    model = PortfolioModel(p, "cbc")
    assert model.solve().objective == 2
    sol = model.solve(fix={0: 1})
    assert sol.status == "optimal"
    assert sol.selected == [0, 1]


# -- infeasibility ------------------------------------------------------------------------------


RELAX = re.compile(
    r"^resource (\w+) must be relaxed by (\S+) to admit any portfolio"
    r"(?:: with the rules in force \(.*\) a portfolio needs at least (\S+), "
    r"the limit is (\S+))?$"
)


@given(problems(max_n=8))
@example(COVERAGE_BEHIND_EXCLUDE)
@example(COVERAGE_BEHIND_EXCLUDE_NO_LIMIT)
def test_infeasible_instances_raise_with_reasons(p):
    best, _ = exhaustive(p)
    if best is not None:
        _model, sol = solve_portfolio(p, "cbc", None)
        assert feasible(p, frozenset(sol.selected))
        return
    with pytest.raises(InfeasiblePortfolio) as err:
        solve_portfolio(p, "cbc", None)
    assert err.value.exit_code == 3
    lines = str(err.value).splitlines()
    assert lines[0] == "no portfolio satisfies the constraints:"
    assert len(lines) > 1 and all(line.startswith("- ") for line in lines[1:])
    reasons = diagnose(p)
    assert lines[1:] == [f"- {r}" for r in reasons]
    assert "no portfolio satisfies all constraints" not in reasons, (
        "the elastic model found no relaxation for an infeasible instance"
    )
    if any(r.startswith("the requires/excludes rules leave no selection") for r in reasons):
        assert not any(logically_feasible(p, s) for s in subsets(len(p.ids)))
    relaxed = [RELAX.match(r) for r in reasons]
    if all(relaxed):  # only resource relaxations: applying them admits a portfolio
        limits = dict(p.limits)
        for m in relaxed:
            v = float(m.group(2))
            limits[m.group(1)] += v * (1 + 1e-5) + 1e-6  # reasons print 6 significant digits
        assert exhaustive(with_changes(p, limits=limits))[0] is not None, reasons
        if len(relaxed) == 1 and relaxed[0].group(3):  # the least the other rules need of it
            r = relaxed[0].group(1)
            free = with_changes(p, limits={**p.limits, r: None})
            least = min(
                sum(p.resources[r][i] for i in s)
                for s in subsets(len(p.ids))
                if feasible(free, s) and schedulable(free, s)
            )
            assert float(relaxed[0].group(3)) == pytest.approx(least, rel=1e-5, abs=1e-6)
            assert float(relaxed[0].group(4)) == pytest.approx(p.limits[r], rel=1e-5)


@given(problems(max_n=8))
def test_diagnosis_read_off_the_data_is_true(p):
    """Each reason that names data states a fact of the instance."""
    assume(exhaustive(p)[0] is None)
    forced = p.forced
    for reason in diagnose(p):
        if m := re.fullmatch(r"(\w+) must be selected \((.*)\) but is excluded \(--exclude\)", reason):
            i = p.ids.index(m.group(1))
            assert i in forced and i in p.exclude
        elif m := re.fullmatch(r"(\w+) excludes (\w+), but both must be selected \(.*\)", reason):
            i, j = p.ids.index(m.group(1)), p.ids.index(m.group(2))
            assert (i, j) in p.excludes and {i, j} <= forced
        elif m := re.fullmatch(
            r"(?:mandatory|included|required) .+ needs? (\S+) u of (\w+); "
            r"the limit is (\S+) u",
            reason,
        ):
            need = sum(p.resources[m.group(2)][i] for i in forced)
            assert float(m.group(1)) == pytest.approx(need)
            assert float(m.group(3)) == pytest.approx(p.limits[m.group(2)])
            assert need > p.limits[m.group(2)]
        elif m := re.fullmatch(
            r"goal (\w+) is served by (\d+) measure\(s\) that may be selected; "
            r"coverage asks for (\d+)",
            reason,
        ):
            open_ = [i for i in p.goal_members[m.group(1)] if i not in p.exclude]
            assert int(m.group(2)) == len(open_) < int(m.group(3)) == p.coverage_min
        elif m := re.fullmatch(
            r"district (\w+) has (\d+) measure\(s\) that may be selected; "
            r"the balance asks for (\d+)",
            reason,
        ):
            open_ = [i for i in p.district_members[m.group(1)] if i not in p.exclude]
            assert int(m.group(2)) == len(open_) < int(m.group(3)) == p.balance_min_measures


@given(problems(max_n=6, periods=True))
@example(PERIODS_NOT_THE_REASON)
def test_period_reason_only_when_the_periods_cannot_hold_the_forced_measures(p):
    """The reason "the period limits cannot hold the measures that must be selected" is given
    only when it is true: no start periods fit the mandatory and included measures (with what
    they require) into the per-period limits."""
    assume(exhaustive(p)[0] is None)
    reasons = diagnose(p)
    assert reasons
    if any(r.startswith("the period limits cannot hold") for r in reasons):
        forced = frozenset(p.forced)
        assert not schedulable(p, forced), (
            f"the periods are blamed, but the forced measures {sorted(forced)} fit into them; "
            f"without periods the instance is "
            f"{'feasible' if exhaustive(with_changes(p, periods=[]))[0] is not None else 'infeasible'}"
        )


# -- explanations -------------------------------------------------------------------------------


@given(problems(max_n=6, unlimited=False))
def test_explanations_match_exhaustive_re_solves(p):
    """loss_if_removed = optimum - optimum without the measure; opportunity_cost = optimum -
    optimum with the measure forced in (an --exclude of it lifted); marginal value = optimum with
    one more unit of the resource - optimum; None where the changed problem has no portfolio."""
    best, _ = exhaustive(p)
    assume(best is not None)
    model = PortfolioModel(p, "cbc")
    sol = model.solve()
    ex = explain(model, sol)
    chosen = set(sol.selected)
    forced = p.forced
    assert sorted(e["id"] for e in ex["selected"]) == sorted(p.ids[i] for i in chosen)
    assert sorted(e["id"] for e in ex["not_selected"]) == sorted(
        p.ids[i] for i in range(len(p.ids)) if i not in chosen
    )
    for e in ex["selected"]:
        i = p.ids.index(e["id"])
        if i in forced:
            assert e["loss_if_removed"] is None
            assert e["note"].startswith("cannot be removed: ")
            continue
        without, _ = exhaustive(with_changes(p, exclude=p.exclude | {i}))
        if without is None:
            assert e["loss_if_removed"] is None
            assert e["note"] == "removing it leaves no feasible portfolio"
        else:
            assert e["loss_if_removed"] == pytest.approx(best - without, abs=TOL)
            assert e["loss_if_removed"] >= -TOL
    for e in ex["not_selected"]:
        i = p.ids.index(e["id"])
        forced_in, _ = exhaustive(with_changes(p, include=p.include | {i}, exclude=p.exclude - {i}))
        assert e["blocked_by"], "every left-out measure names what blocks it"
        if forced_in is None:
            assert e["opportunity_cost"] is None
            assert "cannot be selected together with the constraints in force" in e["blocked_by"]
        else:
            assert e["opportunity_cost"] == pytest.approx(best - forced_in, abs=TOL)
            if i not in p.exclude:
                assert e["opportunity_cost"] >= -TOL
        if i in p.exclude:
            assert "excluded (--exclude)" in e["blocked_by"]
    for r, gain in ex["marginal_value"].items():
        more, _ = exhaustive(with_changes(p, limits={**p.limits, r: p.limits[r] + 1.0}))
        assert gain == pytest.approx(more - best, abs=TOL)
        assert gain >= -TOL
    assert set(ex["marginal_value"]) == set(p.resources)


@given(problems(max_n=6, unlimited=False, constraints=False))
def test_blockers_are_true_and_complete(p):
    """Every blocker of a left-out measure is a fact about the optimum, and "its value does not
    pay" is given exactly when adding the measure alone breaks no limit, exclusion or dependency
    and meets no conflict with a selected measure."""
    best, _ = exhaustive(p)
    assume(best is not None)
    model = PortfolioModel(p, "cbc")
    sol = model.solve()
    chosen = set(sol.selected)
    ex = explain(model, sol, marginal=False)
    assert ex["marginal_value"] == {}
    for e in ex["not_selected"]:
        i = p.ids.index(e["id"])
        facts = set()
        if i in p.exclude:
            facts.add("excluded (--exclude)")
        for r, a in p.resources.items():
            used = sum(a[k] for k in chosen)
            if used + a[i] > p.limits[r] + 1e-9:
                facts.add(f"resource {r}: needs {a[i]:g}, {max(p.limits[r] - used, 0):g} left")
        for a, b in p.excludes:
            if i in (a, b) and (b if a == i else a) in chosen:
                facts.add(f"excluded by {p.ids[b if a == i else a]} (selected)")
        facts |= {f"requires {p.ids[b]} (not selected)" for a, b in p.requires if a == i and b not in chosen}
        excludes = {b if a == i else a for a, b in p.excludes if i in (a, b)}
        for a, b, bonus in p.pairs:  # a conflict with a selected measure it does not exclude
            other = b if a == i else a if b == i else None
            if other in chosen and other not in excludes and bonus < 0:
                facts.add(f"conflicts with {p.ids[other]} (selected), which would cost {-bonus:.3g} of value")
        named = [
            b for b in e["blocked_by"] if b != "cannot be selected together with the constraints in force"
        ]
        assert set(named) == (facts or {"its value does not pay for what it takes"}), e
        assert len(named) == len(set(named)), f"a blocker is listed twice: {e}"
        if e["opportunity_cost"] is None:
            assert e["blocked_by"][-1] == "cannot be selected together with the constraints in force"


@given(problems(max_n=7, periods=True))
@example(
    PortfolioProblem(
        ids=["m0"],
        names=["Measure 0"],
        values=np.array([0.1]),
        resources={"r0": np.array([0.0])},
        limits={"r0": None},
        requires=[],
        excludes=[],
        mandatory=set(),
        include=set(),
        exclude=set(),
        pairs=[],
    )
)
def test_least_is_the_smallest_use_of_a_resource_by_any_feasible_portfolio(p):
    """What the frontier starts from: the least of a resource that a portfolio within every rule
    needs, against all subsets (None when no subset is feasible)."""
    r = next(iter(p.resources))
    uses = [
        sum(p.resources[r][i] for i in s) for s in subsets(len(p.ids)) if feasible(p, s) and schedulable(p, s)
    ]
    model = PortfolioModel(p, "cbc")
    least = model.least(r)
    if not uses:
        assert least is None
    else:
        assert least == pytest.approx(min(uses), abs=TOL)
    best, _ = exhaustive(p)  # the model maximises the value again afterwards
    after = model.solve()
    assert (after.objective == pytest.approx(best, abs=TOL)) if best is not None else not after.ok


@given(problems(max_n=6, periods=True))
def test_starts_are_the_earliest_schedule_of_the_portfolio(p):
    """Each selected measure starts as early as the period limits and the requires order allow:
    the schedule is valid and has the least sum of start periods of all valid schedules."""
    from lev2040_mcda.portfolio import earliest_starts

    assume(p.periods)
    best, optima = exhaustive(p)
    assume(best is not None)
    chosen = sorted(min(optima, key=sorted))
    starts = earliest_starts(p, chosen)
    if not chosen:
        assert starts == {}
        return
    assert set(starts) == set(chosen) and schedule_ok(p, starts)
    least = min(
        sum(ts)
        for ts in itertools.product(range(len(p.periods)), repeat=len(chosen))
        if schedule_ok(p, dict(zip(chosen, ts)))
    )
    assert sum(starts.values()) == least
    assert (
        earliest_starts(p, chosen, "highs") == starts
        or sum(earliest_starts(p, chosen, "highs").values()) == least
    )
