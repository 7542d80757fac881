"""Counting a vote with a rule of participatory budgeting: ``greedy``, ``mes``, ``phragmen``.

- ``greedy``: what most cities do. Projects by votes (approval ballots; the platform's totals for
  a ``totals`` export) or by their sum of points (cumulative, scoring, ordinal as Borda points),
  each taken when it still fits the budget; projects nobody voted for are never taken. The result
  is exhaustive: no project with a vote left out fits what remains.
- ``mes``: the Method of Equal Shares (see :mod:`.mes`), with ``utility`` ``cost`` (default for
  approval ballots), ``cardinality`` or ``points`` (default for point ballots: the points are the
  cardinal utilities), completed by ``add1u`` (default), ``add1``, ``add1eu``, ``add1e``,
  ``utilitarian`` or ``none``.
- ``phragmen``: Phragmén's sequential rule for approval ballots, with costs (Los, Christoff &
  Grossi 2022; Lackner & Skowron 2023, Sect. 2.6 for committees). Voters earn money at rate 1
  from time 0; the first project whose supporters together hold its cost is bought with all their
  money: with loads ``l_i`` (money spent), project ``c`` is bought at time
  ``t(c) = (cost(c) + sum_{i in N(c)} l_i) / |N(c)|`` and its supporters' loads become ``t(c)``.
  The count stops when the project bought next would not fit the budget (or nothing is left).

Ties in the rule's own criterion are broken by ``tie_break`` (see
:data:`~.profile.TIE_BREAKS`) and listed in the outcome. ``totals`` exports carry no ballots, so
only greedy counts them; MES and Phragmén need who voted for what.
"""

from __future__ import annotations

import numpy as np

from ..case.votes import Vote
from .mes import _summary, greedy_pass, mes_with_completion, utilitarian_fill
from .outcome import Outcome, Payment, Tie
from .profile import (
    COMPLETIONS,
    POINT_KINDS,
    RULES,
    TIE_BREAKS,
    UTILITIES,
    Profile,
    RuleError,
    check_choice,
    profile,
    stated_voters,
)

__all__ = ["count", "rules_for"]

_TOL = 1e-9


def rules_for(vote: Vote) -> tuple[str, ...]:
    """The rules that can count ``vote``: greedy always; MES with ballots; Phragmén with approvals."""
    if vote.kind == "totals":
        return ("greedy",)
    if vote.kind == "approval":
        return RULES
    return ("greedy", "mes")


def count(
    vote: Vote,
    rule: str = "mes",
    utility: str | None = None,
    completion: str = "add1u",
    tie_break: str = "votes",
    *,
    step: float | None = None,
    max_steps: int = 10_000,
) -> Outcome:
    """Count ``vote`` with ``rule``.

    Parameters
    ----------
    utility
        MES only: ``cost``, ``cardinality`` or ``points``; None is ``cost`` for approval ballots and
        ``points`` for cumulative, scoring and ordinal ballots.
    completion
        MES only: ``add1u`` (add-one, then utilitarian greedy: equalshares.net's standard),
        ``add1``, ``add1eu``/``add1e`` (add-one that also stops at an exhaustive outcome),
        ``utilitarian`` (greedy on the raw result) or ``none`` (the raw rule).
    tie_break
        ``votes`` (more votes, then lower cost, then file order), ``cost`` or ``order``.
    step
        MES add-one: the raise of each voter's share per step (default :func:`.mes.default_step`).

    Raises
    ------
    RuleError
        An unknown rule or option; MES or Phragmén on a ``totals`` vote; Phragmén on point ballots.

    Examples
    --------
    >>> from lev2040_mcda.case.votes import Ballot, Project, Vote
    >>> v = Vote((Project("a", "A", 60), Project("b", "B", 40)),
    ...          (Ballot("1", {"a": 1}), Ballot("2", {"b": 1}), Ballot("3", {"a": 1})), budget=100)
    >>> count(v, "mes").selected
    ('a', 'b')
    """
    rule = check_choice("rule", rule, RULES)
    if not vote.projects:
        raise RuleError(f"{vote.source or 'the vote'}: no project to count (its PROJECTS are empty)")
    completion = check_choice("completion", completion, COMPLETIONS)
    tie_break = check_choice("tie break", tie_break, TIE_BREAKS)
    if utility is not None:
        utility = check_choice("utility", utility, UTILITIES)
    if rule not in rules_for(vote):
        raise RuleError(_why_not(rule, vote))
    _check_costs(vote)
    prof = profile(vote)
    rank = prof.tie_rank(tie_break)
    notes = _notes(vote, prof)
    budget = float(vote.budget)
    if rule == "greedy":
        cand = [j for j in range(len(prof.ids)) if prof.score[j] > 0]
        picked, ties = greedy_pass(prof, cand, prof.score, budget, 0.0, rank, tie_break, "greedy", 0)
        return _outcome(vote, prof, rule, picked, ["greedy"] * len(picked), ties, (), notes, tie_break)
    if rule == "phragmen":
        picked, ties, pays = phragmen(prof, budget, rank, tie_break)
        return _outcome(vote, prof, rule, picked, ["phragmen"] * len(picked), ties, pays, notes, tie_break)
    utility = utility or ("points" if vote.kind in POINT_KINDS else "cost")
    util = prof.utilities(utility)
    run, used_step, more = mes_with_completion(
        prof, util, budget, rank, tie_break, completion, step, max_steps
    )
    notes += more
    picked, stages, ties = list(run.selected), ["mes"] * len(run.selected), list(run.ties)
    if completion in ("add1u", "add1eu", "utilitarian"):
        added, fill_ties = utilitarian_fill(prof, util, run.selected, budget, rank, tie_break)
        picked += added
        stages += ["completion"] * len(added)
        ties += fill_ties
    share = budget / prof.voters if prof.voters else None
    return _outcome(
        vote,
        prof,
        rule,
        picked,
        stages,
        ties,
        run.payments,
        notes,
        tie_break,
        utility=utility,
        completion=completion,
        voter_budget=run.share if prof.voters else None,
        initial_voter_budget=share,
        step=used_step,
    )


def phragmen(
    prof: Profile, budget: float, rank: np.ndarray, tie_break: str
) -> tuple[list[int], list[Tie], list[Payment]]:
    """Phragmén's sequential rule with costs (see the module's docstring); loads as in the book."""
    load = np.zeros(prof.voters)
    count_ = np.array([len(s) for s in prof.supporters], dtype=float)
    alive = [j for j in range(len(prof.ids)) if count_[j] > 0]
    spent, now = 0.0, 0.0
    picked: list[int] = []
    ties: list[Tie] = []
    pays: list[Payment] = []
    while alive:
        times = np.array([(prof.cost[j] + load[prof.supporters[j]].sum()) / count_[j] for j in alive])
        times = np.maximum(times, now)  # a project the supporters could already afford: bought now
        best = float(times.min())
        tied = [alive[i] for i in np.flatnonzero(times <= best * (1 + _TOL) + 1e-300)]
        win = min(tied, key=lambda j: rank[j])
        if spent + prof.cost[win] > budget * (1 + 1e-12):
            break
        if len(tied) > 1:
            others = [j for j in tied if j != win]
            why = prof.tie_reason(win, others, tie_break)
            ids = tuple(prof.ids[j] for j in sorted(tied, key=lambda j: rank[j]))
            ties.append(Tie(len(picked) + 1, "phragmen", ids, prof.ids[win], why))
        idx = prof.supporters[win]
        pay = best - load[idx]
        load[idx] = best
        now = best
        spent += float(prof.cost[win])
        paying = pay[pay > 0]
        pays.append(_summary(prof.ids[win], best, paying, int(paying.size)))
        picked.append(win)
        alive.remove(win)
    return picked, ties, pays


def _why_not(rule: str, vote: Vote) -> str:
    if vote.kind == "totals":
        return (
            f"{_name(vote)} carries only each project's total of votes, not the ballots: the "
            f"rule '{rule}' needs who voted for what; only 'greedy' counts totals"
        )
    return (
        f"Phragmén's sequential rule counts approval ballots; {_name(vote)} has {vote.kind} "
        "ballots (count them with 'greedy' or 'mes')"
    )


def _name(vote: Vote) -> str:
    return f"the vote {vote.name or vote.source or ''}".rstrip()


def _notes(vote: Vote, prof: Profile) -> list[str]:
    notes = []
    if vote.kind == "totals":
        notes.append("counted from the platform's totals per project: MES and Phragmén need the ballots")
    if vote.kind == "ordinal":
        notes.append("ordinal ballots counted as Borda points (first of L ranks: L points)")
    if vote.rejected:
        notes.append(f"{len(vote.rejected):,} rejected ballots not counted")
    if prof.ignored:
        notes.append(f"{prof.ignored:,} ballot entries name no project of the vote and were ignored")
    return notes


def _check_costs(vote: Vote) -> None:
    """A reader refuses a project without a cost; a Vote built by hand may still lack one."""
    bad = [p.id for p in vote.projects if not isinstance(p.cost, (int, float)) or not np.isfinite(p.cost)]
    if bad:
        raise RuleError(f"{_name(vote)}: no usable cost for project(s) {', '.join(bad)}")


def _outcome(
    vote: Vote,
    prof: Profile,
    rule: str,
    picked: list[int],
    stages: list[str],
    ties: list[Tie],
    payments: tuple[Payment, ...] | list[Payment],
    notes: list[str],
    tie_break: str,
    **extra: object,
) -> Outcome:
    measure = {p.id: p.measure for p in vote.projects}
    ids = tuple(prof.ids[j] for j in picked)
    return Outcome(
        rule=rule,
        kind=vote.kind,
        selected=ids,
        stages=tuple(stages),
        measures=tuple(measure[i] for i in ids),
        cost=float(prof.cost[picked].sum()) if picked else 0.0,
        budget=float(vote.budget),
        voters=prof.voters if vote.kind != "totals" else stated_voters(vote),
        rejected=len(vote.rejected),
        tie_break=tie_break,
        ties=tuple(ties),
        payments=tuple(payments),
        notes=tuple(notes),
        **extra,  # type: ignore[arg-type]
    )
