"""The citizens' vote beside the analysis: what ``lev2040 vote`` shows, JSON-ready.

Every vote of the case (one per file: a budget, or a district's) is counted with one rule; the
measures the votes select are set beside the MCDA portfolio (both, only the vote, only the
analysis), each with its support, value and cost, and with the portfolio's own reasons for leaving
out what the citizens chose; and per district, the share of the budget each selection spends there
against the district's share of the voters and of the population.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..case import Case, Vote, district_and_parents
from .rules import count
from .support import support

__all__ = [
    "compare_with_portfolio",
    "count_votes",
    "district_shares",
    "vote_hashes",
    "vote_selection",
    "vote_summary",
]


def vote_hashes(votes: list[Vote]) -> dict[str, str]:
    """The input hashes of every vote file, for a result's provenance."""
    return {k: h for vote in votes for k, h in vote.hashes.items()}


def vote_selection(case: Case, rule: str = "mes") -> tuple[list[str], dict[str, str]]:
    """The measures the case's vote (its ``votes/``) selects under ``rule``, in vote and selection
    order, and the vote files' hashes (``portfolio --include-vote``; no support computed)."""
    from ..case import load_votes

    votes = load_votes(case.root, case=case)
    chosen: list[str] = []
    for vote in votes:
        for m in count(vote, rule).measures:
            if m is not None and m not in chosen:
                chosen.append(m)
    return chosen, vote_hashes(votes)


def vote_summary(
    votes: list[Vote],
    case: Case | None = None,
    *,
    rule: str = "mes",
    utility: str | None = None,
    completion: str = "add1u",
    tie_break: str = "votes",
    compare: bool = True,
    seed: int = 0,
    as_criterion: str | None = None,
) -> dict[str, Any]:
    """Everything ``lev2040 vote`` shows: :func:`count_votes`, a row per project (``measures``:
    support, whether the vote and the analysis select it) and, on a case with ``compare``, the
    ``comparison`` with the portfolio the report computes (consensus weights, the case's defaults;
    ``skipped`` says why when there is none). ``as_criterion`` (a criterion id, or ``""`` for the
    case's acceptance criterion): the analysis weighs the vote's support as that criterion
    (:func:`~.criterion.support_as_criterion`), said in ``as_criterion``."""
    counted = count_votes(
        votes, case, rule=rule, utility=utility, completion=completion, tie_break=tie_break, seed=seed
    )
    if case is not None and as_criterion is not None:
        from .criterion import support_as_criterion

        case, counted["as_criterion"] = support_as_criterion(case, counted["support"], as_criterion or None)
    chosen = set(counted["selected"])
    analysis: set[str] = set()
    if case is not None and compare:
        from ..portfolio import InfeasiblePortfolio

        try:
            pf, values = _portfolio(case)
        except InfeasiblePortfolio as exc:
            counted["skipped"] = {"comparison": f"no portfolio: {exc}"}
        else:
            counted["comparison"] = compare_with_portfolio(case, counted, pf, values=values)
            analysis = set(pf["selected"])
    rows = []
    for v in counted["votes"]:
        picked = set(v["outcome"]["selected"])
        for p in v["support"]["projects"]:
            key = p["measure"] or p["project"]
            rows.append(
                {
                    "id": key,
                    "project": p["project"],
                    "name": p["name"],
                    "vote": v["name"],
                    "approvals": p["approvals"],
                    "share": p["share"],
                    "share_low": p["share_low"],
                    "share_high": p["share_high"],
                    "in_vote": p["project"] in picked or (p["measure"] in chosen),
                    "in_analysis": p["measure"] in analysis,
                }
            )
    counted["measures"] = sorted(rows, key=lambda r: (-(r["share"] or 0.0), -r["approvals"], r["id"]))
    return counted


def _portfolio(case: Case) -> tuple[dict[str, Any], dict[str, float]]:
    """The report's portfolio of ``case`` (with explanations, no tiers) and every measure's value."""
    from ..portfolio import measure_values, portfolio_summary
    from ..ranking import METHODS, decision_matrix, resolve_weights

    method = case.config.defaults.method if case.config.defaults.method in METHODS else "topsis"
    w, info = resolve_weights(case, decision_matrix(case), "consensus")
    pf = portfolio_summary(
        case,
        method=method,
        options={},
        weights=w,
        weights_info=info,
        solver=case.config.defaults.solver,
        tiers=0,
    )
    values, _ = measure_values(case, None, w)
    return pf, {m.id: float(v) for m, v in zip(case.measures, values)}


def count_votes(
    votes: list[Vote],
    case: Case | None = None,
    *,
    rule: str = "mes",
    utility: str | None = None,
    completion: str = "add1u",
    tie_break: str = "votes",
    seed: int = 0,
) -> dict[str, Any]:
    """Each vote counted and its support: ``votes`` (one entry per vote: name, kind, budget,
    ballots counted and rejected, the outcome, the support per project), the measures selected by
    any vote (``selected``, in vote and selection order) and their support (``support``, measure ->
    share of the voters of the vote that has it)."""
    population = _population(case) if case is not None else None
    out_votes, selected, measure_support = [], [], {}
    for vote in votes:
        outcome = count(vote, rule, utility, completion, tie_break)
        sup = support(vote, population, seed=seed)
        out_votes.append(
            {
                "name": vote.name or vote.source,
                "source": vote.source,
                "kind": vote.kind,
                "budget": vote.budget,
                "ballots": len(vote.ballots),
                "rejected": len(vote.rejected),
                "rejected_lines": [str(p) for p in vote.rejected],
                "notes": list(getattr(vote, "notes", ())),
                "outcome": asdict(outcome),
                "support": sup.as_dict(),
                "unmapped": list(getattr(vote, "unmapped", ())),
            }
        )
        for m in outcome.measures:
            if m is not None and m not in selected:
                selected.append(m)
        for p in sup.projects:
            if p.measure is not None and p.share is not None:
                measure_support[p.measure] = max(measure_support.get(p.measure, 0.0), p.share)
    return {
        "rule": rule,
        "utility": utility,
        "completion": completion if rule == "mes" else None,
        "tie_break": tie_break,
        "votes": out_votes,
        "selected": selected,
        "support": measure_support,
    }


def compare_with_portfolio(
    case: Case,
    counted: dict[str, Any],
    portfolio: dict[str, Any],
    resource: str | None = None,
    values: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The vote's selection against the MCDA portfolio (``portfolio_summary``'s result, with its
    explanations): ``rows`` per measure in either (``in`` both | vote | analysis), with support,
    value and cost, and for what only the vote chose the analysis's reasons (its explanation
    codes and sentences); and ``districts`` (:func:`district_shares`)."""
    resource = resource or next(iter(case.resources), None)
    by_id = {m.id: m for m in case.measures}
    vote, analysis = list(counted["selected"]), list(portfolio["selected"])
    values = values or {m["id"]: m["value"] for m in portfolio.get("measures", [])}
    reasons = {e["id"]: e for e in portfolio.get("explanations", {}).get("not_selected", [])}
    rows = []
    for mid in [*analysis, *(m for m in vote if m not in analysis)]:
        where = "both" if mid in vote and mid in analysis else "vote" if mid in vote else "analysis"
        m = by_id[mid]
        row: dict[str, Any] = {
            "id": mid,
            "name": m.name,
            "in": where,
            "support": counted["support"].get(mid),
            "value": values.get(mid),
            "cost": None if resource is None else m.resources.get(resource),
        }
        if where == "vote" and mid in reasons:
            why = reasons[mid]
            row["reasons"] = why.get("reasons", [])
            row["why_not"] = why.get("blocked_by", [])
            row["opportunity_cost"] = why.get("opportunity_cost")
        rows.append(row)
    return {
        "resource": resource,
        "both": [r["id"] for r in rows if r["in"] == "both"],
        "only_vote": [r["id"] for r in rows if r["in"] == "vote"],
        "only_analysis": [r["id"] for r in rows if r["in"] == "analysis"],
        "rows": rows,
        "districts": district_shares(case, counted, {"vote": vote, "analysis": analysis}, resource),
    }


def district_shares(
    case: Case, counted: dict[str, Any], selections: dict[str, list[str]], resource: str | None
) -> list[dict[str, Any]]:
    """Per district the voters cast ballots from: its share of the voters and of the population,
    and the share of each selection's ``resource`` spent on measures in it (a measure counts for its
    district and every district above it; one for the whole city for none)."""
    voters: dict[str, int] = {}
    for v in counted["votes"]:
        for t in v["support"].get("turnout", []):
            if t["voters"]:
                voters[t["district"]] = voters.get(t["district"], 0) + int(t["voters"])
    if not voters or resource is None:
        return []
    parent = {d.id: d.parent for d in case.config.districts}
    population = {d.id: d.population for d in case.config.districts}
    names = {d.id: d.name or d.id for d in case.config.districts}
    known_pop = sum(population.get(d) or 0 for d in voters)
    total_voters = sum(voters.values())
    by_id = {m.id: m for m in case.measures}
    spent = {name: dict.fromkeys(voters, 0.0) for name in selections}
    totals = {}
    for name, chosen in selections.items():
        totals[name] = sum(float(by_id[m].resources.get(resource, 0.0)) for m in chosen)
        for m in chosen:
            for d in district_and_parents(by_id[m].district, parent):
                if d in spent[name]:
                    spent[name][d] += float(by_id[m].resources.get(resource, 0.0))
    out = []
    for d in sorted(voters, key=lambda d: (-voters[d], d)):
        row: dict[str, Any] = {
            "district": d,
            "name": names.get(d, d),
            "voters": voters[d],
            "voter_share": voters[d] / total_voters,
            "population_share": (population.get(d) or 0) / known_pop
            if known_pop and population.get(d)
            else None,
        }
        for name in selections:
            row[f"{name}_share"] = spent[name][d] / totals[name] if totals[name] else None
        out.append(row)
    return out


def _population(case: Case) -> dict[str, float] | None:
    pop = {d.id: float(d.population) for d in case.config.districts if d.population is not None}
    return pop or None
