"""Need and equity in the portfolio: measure values scaled by the need of the district where a
measure acts, and two rules on what each district gets per resident.

**Need weighting** (``--need-weighting``, case.yaml ``portfolio: {need_weighting: true}``): each
measure's partial value on each criterion is multiplied by the Stadtcheck's need factor
(:func:`lev2040_mcda.stadtcheck.need.need_factors`, between ``1 - s`` and ``1 + s``), before the
weights add the partial values up; the fixed scales themselves do not change. It needs a
Stadtcheck: without one the factors would all be 1 and the flag would say something untrue.

**Equity rules** (case.yaml ``portfolio: {equity: ...}``, ``--min-benefit-per-resident``,
``--min-budget-share``), over the listed districts L (``equity.districts``, default the balance
districts, else the root district's parts), each district d counting the measures in it and in
its parts, with residents P_d and ``s_d = P_d / sum_{e in L} P_e``:

- benefit: ``B_d / P_d >= X * V / sum_{e in L} P_e`` with ``B_d = sum_{i in d} v_i x_i`` and
  ``V = sum_i v_i x_i`` (every selected measure, citywide ones too): each district's benefit per
  resident at least X times the listed districts' average;
- budget, per named resource r: ``C_d >= Y_r * s_d * sum_i c_i x_i``: no district below Y_r of its
  population share of what the portfolio spends.

Both are linear once the ratios are multiplied out: ``sum_i a_i (m_di - t s_d) x_i >= 0`` with
``a`` the values (benefit) or the resource's column (budget), ``m_di`` 1 when measure i counts for
d, and t the threshold. :func:`equity_rows` gives these rows; the model, the repair's rules, the
elastic diagnosis and the report all read them, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..case import Case, district_and_parents
from ..errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from .problem import PortfolioProblem

__all__ = ["EquityRow", "equity_report", "equity_rows", "need_matrix", "set_equity", "split_fair", "use_need"]

NEED_FLAG = "--need-weighting"


def use_need(case: Case, need_weighting: bool | None) -> bool:
    """Whether the values are need-weighted: ``need_weighting``, else case.yaml's
    ``portfolio.need_weighting``."""
    return bool(case.config.portfolio.need_weighting if need_weighting is None else need_weighting)


def need_matrix(case: Case, need_weighting: bool | None) -> np.ndarray | None:
    """The need factors (measures x criteria) when need weighting is on, None when it is off.

    Raises
    ------
    InputError
        when need weighting is asked for and the case has no Stadtcheck (stadtcheck.csv).
    """
    if not use_need(case, need_weighting):
        return None
    if case.stadtcheck is None:
        where = NEED_FLAG if need_weighting else "case.yaml"
        raise InputError(
            Problem(
                where,
                "need weighting needs the case's Stadtcheck (stadtcheck.csv or stadtcheck.xlsx with "
                "stadtcheck.yaml), which this case lacks",
                column=None if need_weighting else "portfolio.need_weighting",
                kind="key",
            )
        )
    from ..stadtcheck.need import need_factors

    return need_factors(case)


@dataclass(frozen=True)
class EquityRow:
    """One equity rule of one district as a linear row ``coef @ x >= 0`` (over every measure)."""

    kind: str  # "benefit" | "budget"
    district: str
    resource: str | None  # the budget rule's resource
    threshold: float  # X (benefit) or Y (budget)
    share: float  # s_d: the district's share of the listed districts' residents
    coef: np.ndarray

    def text(self) -> str:
        """The rule in words (the diagnosis names it so)."""
        if self.kind == "benefit":
            return (
                f"equity of district {self.district}: benefit per resident at least {self.threshold:g} "
                "x the listed districts' average"
            )
        return (
            f"equity of district {self.district} in {self.resource}: at least {self.threshold:g} "
            f"x its population share ({self.share:.3g}) of what the portfolio uses"
        )


def equity_rows(p: PortfolioProblem, values: np.ndarray | None = None) -> list[EquityRow]:
    """The equity rules of ``p`` as rows (benefit first, then each resource, district by district);
    ``values``: the measures' values to use (default ``p.values``; the benefit rows follow them)."""
    if not p.equity_members:
        return []
    v = np.asarray(p.values if values is None else values, dtype=float)
    total = float(sum(p.populations[d] for d in p.equity_members))
    out = []
    for d, members in p.equity_members.items():
        m = np.zeros(len(p.ids))
        m[members] = 1.0
        share = p.populations[d] / total
        if p.equity_min_benefit > 0:
            coef = v * (m - p.equity_min_benefit * share)
            out.append(EquityRow("benefit", d, None, p.equity_min_benefit, share, coef))
        for r, y in p.equity_min_budget.items():
            if y > 0:
                coef = np.asarray(p.resources[r], dtype=float) * (m - y * share)
                out.append(EquityRow("budget", d, r, y, share, coef))
    return out


def set_equity(
    prob: PortfolioProblem,
    case: Case,
    min_benefit_per_resident: float | None = None,
    min_budget_share: Mapping[str, float] | None = None,
) -> None:
    """Put the equity rules of ``case`` (case.yaml ``portfolio.equity``, overridden by the CLI's
    ``min_benefit_per_resident`` and, resource by resource, ``min_budget_share``) into ``prob``.

    Raises
    ------
    InputError
        for a threshold outside [0, 1], an unknown resource, a listed district the case does not
        have, no districts to list, or a listed district without a (positive) population.
    """
    eq = case.config.portfolio.equity
    x = eq.min_benefit_per_resident if eq is not None else 0.0
    shares = dict(eq.min_budget_share) if eq is not None else {}
    if min_benefit_per_resident is not None:
        _check_share("--min-benefit-per-resident", min_benefit_per_resident)
        x = float(min_benefit_per_resident)
    for r, y in (min_budget_share or {}).items():
        _check_share("--min-budget-share", y, r)
        shares[r] = float(y)
    for r in shares:
        if r not in prob.resources:
            flag = "--min-budget-share" if r in (min_budget_share or {}) else "case.yaml"
            raise InputError(
                Problem(
                    flag,
                    f"unknown resource {r!r} (expected one of {', '.join(prob.resources) or 'none'})"
                    + did_you_mean(r, prob.resources),
                )
            )
    shares = {r: y for r, y in shares.items() if y > 0}
    if x <= 0 and not shares:
        return
    districts = _listed(case, eq)
    from ..stadtcheck.need import populations

    pop = populations(case)
    lacking = [d for d in districts if not pop.get(d)]
    if lacking:
        raise InputError(
            Problem(
                "case.yaml",
                f"the equity rules count per resident, but district(s) {', '.join(lacking)} have no "
                "population (case.yaml districts: population, or the Stadtcheck's population indicator)",
                column="portfolio.equity.districts",
                kind="key",
            )
        )
    parent = {d.id: d.parent for d in case.config.districts}
    prob.equity_members = {
        d: [i for i, m in enumerate(case.measures) if d in district_and_parents(m.district, parent)]
        for d in districts
    }
    prob.populations = {d: float(pop[d]) for d in districts}
    prob.equity_min_benefit = x
    prob.equity_min_budget = shares


def split_fair(
    need_weighting: bool | None = None,
    min_benefit_per_resident: float | None = None,
    min_budget_share: Mapping[str, float] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The need and equity keywords of a run (None: the case's own) split in two: those of
    :func:`~lev2040_mcda.portfolio.values.measure_values` and those of
    :func:`~lev2040_mcda.portfolio.problem.build_problem`."""
    rules = {"min_benefit_per_resident": min_benefit_per_resident, "min_budget_share": min_budget_share}
    return {"need_weighting": need_weighting}, rules


def _check_share(flag: str, value: float, resource: str | None = None) -> None:
    v = float(value)
    if not (0.0 <= v <= 1.0):  # NaN fails too
        what = f"{resource}={value!r}" if resource else repr(value)
        raise InputError(Problem(flag, f"{what} is not a share between 0 and 1"))


def _listed(case: Case, eq: Any) -> list[str]:
    """The districts the equity rules cover: ``equity.districts``, else the balance districts,
    else the parts of the root district (the one district without a parent)."""
    known = [d.id for d in case.config.districts]
    if eq is not None and eq.districts is not None:
        for d in eq.districts:
            if d not in known:
                raise InputError(
                    Problem(
                        "case.yaml",
                        f"unknown district {d!r}{did_you_mean(d, known)}",
                        column="portfolio.equity.districts",
                        kind="key",
                    )
                )
        return list(dict.fromkeys(eq.districts))
    balance = case.config.portfolio.balance
    if balance is not None:
        return list(dict.fromkeys(balance.districts))
    tops = [d.id for d in case.config.districts if d.parent is None]
    listed = [d.id for d in case.config.districts if d.parent == tops[0]] if len(tops) == 1 else tops
    if not listed:
        raise InputError(
            Problem(
                "case.yaml",
                "the equity rules need districts (case.yaml districts:, or portfolio.equity.districts)",
                column="districts",
                kind="key",
            )
        )
    return listed


def equity_report(p: PortfolioProblem, selected: list[int], need: bool) -> dict[str, Any]:
    """What the portfolio result says about need and equity: ``need_weighting: true`` when the
    values are need-weighted, and with equity rules, ``equity``: the rules and, per listed
    district, its residents, benefit, benefit per resident against the average, and each named
    resource's share against its population share. Empty when neither is in force (the result
    then has the keys it always had)."""
    out: dict[str, Any] = {}
    if need:
        out["need_weighting"] = True
    if not p.equity_members:
        return out
    sel = sorted(set(selected))
    mask = np.zeros(len(p.ids), dtype=bool)
    mask[sel] = True
    v = np.asarray(p.values, dtype=float)
    total_pop = float(sum(p.populations.values()))
    value = float(v[mask].sum())
    average = value / total_pop
    districts = {}
    for d, members in p.equity_members.items():
        inside = np.zeros(len(p.ids), dtype=bool)
        inside[members] = True
        benefit = float(v[mask & inside].sum())
        per = benefit / p.populations[d]
        entry: dict[str, Any] = {
            "population": p.populations[d],
            "population_share": p.populations[d] / total_pop,
            "benefit": benefit,
            "benefit_per_resident": per,
            "of_average": per / average if average != 0 else None,
        }
        for r in p.equity_min_budget:
            a = np.asarray(p.resources[r], dtype=float)
            used = float(a[mask].sum())
            entry[f"share_of_{r}"] = float(a[mask & inside].sum()) / used if used else None
        districts[d] = entry
    out["equity"] = {
        "min_benefit_per_resident": p.equity_min_benefit,
        "min_budget_share": dict(p.equity_min_budget),
        "benefit_per_resident": average,
        "districts": districts,
        "holds": all(float(row.coef[mask].sum()) >= -1e-9 * _size(row.coef) for row in equity_rows(p)),
    }
    return out


def _size(coef: np.ndarray) -> float:
    big = float(np.abs(coef).max()) if len(coef) else 0.0
    return big if big > 0 else 1.0
