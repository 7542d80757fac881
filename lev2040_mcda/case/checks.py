"""Rules across records and files: unique ids, resolving references, cycles, bounds.

Each rule returns located problems; nothing here reads files or raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING, Any

from ..errors import Problem, did_you_mean
from .cells import out_of_range
from .measure_rules import check_bounds, required_and_excluded, self_refs
from .models import CaseConfig, Catalogue, Interaction, Scenario
from .readers import Document
from .stadtcheck import residents

if TYPE_CHECKING:
    from .stadtcheck import Stadtcheck

__all__ = ["Located", "check_case", "check_bounds", "check_fairness"]


@dataclass(frozen=True)
class Located:
    """A validated record and the way to point at one of its fields in its file."""

    item: Any
    locate: Callable[[tuple, str], Problem]

    def at(self, field: str | tuple, reason: str) -> Problem:
        return self.locate(field if isinstance(field, tuple) else (field,), reason)


def check_case(
    config: CaseConfig | None,
    config_doc: Document | None,
    catalogue: Catalogue | None,
    catalogue_doc: Document | None,
    goals: list[Located] | None,
    measures: list[Located] | None,
    interactions: list[Located],
    scenarios: list[Located] | None,
) -> list[Problem]:
    """All cross-record rules of a case.

    A file that failed to load (``None``) only switches off the rules that need it, so that the
    problems of every other file are still found in the same run, and nothing is reported as
    unknown just because the file that defines it is broken.
    """
    goal_ids = None if goals is None else {g.item.id for g in goals}
    measure_ids = None if measures is None else {m.item.id for m in measures}
    goals, measures, scenarios = goals or [], measures or [], scenarios or []
    criteria = _listed(catalogue, catalogue_doc, "criteria")
    groups = _listed(config, config_doc, "groups")
    topics = _listed(config, config_doc, "topics")
    districts = _listed(config, config_doc, "districts")
    problems: list[Problem] = []
    for kind, items in (
        ("criterion", criteria),
        ("goal", goals),
        ("measure", measures),
        ("group", groups),
        ("topic", topics),
        ("district", districts),
        ("scenario", scenarios),
    ):
        problems += _unique(kind, items)
    district_ids = {d.item.id for d in districts}
    problems += _refs(criteria, "goal", goal_ids, "goal", "goals.yaml")
    problems += _refs(goals, "parent", goal_ids, "goal", "goals.yaml")
    if topics:
        problems += _refs(goals, "topic", {t.item.id for t in topics}, "topic", "case.yaml topics")
    problems += _refs(districts, "parent", district_ids, "district", "case.yaml districts")
    problems += _cycles(goals, "parent", "goal")
    problems += _cycles(districts, "parent", "district")
    if districts:
        problems += _refs(measures, "district", district_ids, "district", "case.yaml districts")
    problems += _refs(measures, "goals", goal_ids, "goal", "goals.yaml")
    if goal_ids:
        for located in measures:  # interactions.csv names goals and measures in the same columns
            if located.item.id in goal_ids:
                problems.append(
                    located.at(
                        "id",
                        f"{located.item.id!r} is also a goal id (goals "
                        "and measures need different ids: interactions.csv "
                        "names both)",
                    )
                )
    problems += _refs(measures, "requires", measure_ids, "measure", "measures.csv")
    problems += _refs(measures, "excludes", measure_ids, "measure", "measures.csv")
    problems += self_refs(measures)
    cyclic = _cycles(measures, "requires", "measure")
    problems += cyclic
    if not cyclic:
        problems += required_and_excluded(measures)
    if catalogue is not None:
        problems += check_bounds(catalogue.criteria, measures)
    problems += _interactions(interactions, goal_ids, measure_ids)
    if config is not None and catalogue is not None:
        problems += _scenarios(scenarios, config, catalogue, measure_ids, goal_ids)
    if config is not None and config_doc is not None:
        problems += _portfolio_settings(config, config_doc, goal_ids, district_ids)
    problems += _magnitudes(config, config_doc, catalogue, catalogue_doc, scenarios)
    if groups and sum(g.item.influence for g in groups) <= 0:
        problems.append(
            groups[0].at("influence", "every group has influence 0 (expected at least one above 0)")
        )
    return problems


def _magnitudes(
    config: Any, config_doc: Document | None, catalogue: Any, catalogue_doc: Document | None, scenarios: list
) -> list[Problem]:
    """Every number of case.yaml, the catalogue and scenarios.yaml within the engine's range
    (:mod:`.cells`): a limit of 1e308 would otherwise reach the solver, a ``max`` of 1e300 SPOTIS."""
    out = []
    for model, doc in ((config, config_doc), (catalogue, catalogue_doc)):
        if model is not None and doc is not None:
            out += [doc.problem(loc, why) for loc, why in out_of_range(model.model_dump(), skip=_SEED)]
    for located in scenarios:
        out += [located.at(loc, why) for loc, why in out_of_range(located.item.model_dump())]
    return out


_SEED = frozenset({"seed"})  # a random seed is a name for a stream, not a quantity


def _listed(model: Any, doc: Document | None, key: str) -> list[Located]:
    """The items of list ``key`` of a file's model, each able to point at its own lines."""
    if model is None or doc is None:
        return []
    return [Located(item, _prefixed(doc.problem, (key, i))) for i, item in enumerate(getattr(model, key))]


def _prefixed(at: Callable, prefix: tuple) -> Callable[[tuple, str], Problem]:
    return lambda loc, reason: at(prefix + tuple(loc), reason)


def _unique(kind: str, items: list[Located]) -> list[Problem]:
    seen: dict[str, Located] = {}
    out = []
    for located in items:
        key = located.item.id
        if key in seen:
            first = seen[key].at("id", "").row
            where = f" (first at line {first})" if first else ""
            out.append(located.at("id", f"{kind} id {key!r} appears twice{where}"))
        else:
            seen[key] = located
    return out


def _values(item: Any, field: str) -> tuple[str, ...]:
    value = getattr(item, field)
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _refs(items: list[Located], field: str, known: set[str] | None, kind: str, where: str) -> list[Problem]:
    if known is None:  # the file defining them is broken; it has its own problems
        return []
    out = []
    for located in items:
        for ref in _values(located.item, field):
            if ref not in known:
                out.append(located.at(field, _unknown(kind, ref, known, where)))
    return out


_SHOWN = 8
"""How many known ids a message lists."""


def _expected(known: Iterable[str], where: str) -> str:
    known = sorted(known)
    if not known:
        return f"none defined in {where}"
    shown = ", ".join(known[:_SHOWN]) + (", ..." if len(known) > _SHOWN else "")
    return f"expected one of {where}: {shown}"


def _unknown(kind: str, ref: str, known: Iterable[str], where: str) -> str:
    """``unknown KIND 'ref' (expected one of WHERE: ...)``, and the closest known id when the
    list is cut short (a full list already shows it)."""
    known = set(known)
    hint = did_you_mean(ref, known) if len(known) > _SHOWN else ""
    return f"unknown {kind} {ref!r} ({_expected(known, where)}){hint}"


def _cycles(items: list[Located], field: str, kind: str) -> list[Problem]:
    by_id = {located.item.id: located for located in items}
    graph = {
        i: refs for i, loc in by_id.items() if (refs := [r for r in _values(loc.item, field) if r in by_id])
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = exc.args[1]
        return [by_id[cycle[0]].at(field, f"{kind}s form a cycle: {' -> '.join(cycle)}")]
    return []


def _interactions(
    interactions: list[Located], goals: set[str] | None, measures: set[str] | None
) -> list[Problem]:
    if goals is None or measures is None:
        return []
    out = []
    pairs: dict[frozenset[str], int] = {}
    for located in interactions:
        it: Interaction = located.item
        kinds = []
        for field in ("source", "target"):
            ref = getattr(it, field)
            kind = "goal" if ref in goals else "measure" if ref in measures else None
            if kind is None:
                out.append(
                    located.at(field, f"unknown goal or measure {ref!r}{did_you_mean(ref, goals | measures)}")
                )
            kinds.append(kind)
        if None not in kinds and kinds[0] != kinds[1]:
            out.append(
                located.at(
                    "target", f"links a {kinds[0]} to a {kinds[1]} (expected two goals or two measures)"
                )
            )
        if it.source == it.target:
            out.append(located.at("target", f"{it.source!r} interacts with itself"))
        pair = frozenset((it.source, it.target))
        if pair in pairs:
            out.append(
                located.at(
                    "source", f"the pair {it.source!r}–{it.target!r} appears twice (list each pair once)"
                )
            )
        pairs[pair] = 1
    return out


def _scenarios(
    scenarios: list[Located],
    config: CaseConfig,
    catalogue: Catalogue,
    measures: set[str] | None,
    goals: set[str] | None = None,
) -> list[Problem]:
    resources = set(config.resources)
    criteria = {c.id for c in catalogue.criteria}
    districts = {d.id for d in config.districts}
    out = []
    for located in scenarios:
        s: Scenario = located.item
        for rid in s.effects.limits:
            if rid not in resources:
                out.append(
                    located.at(
                        ("effects", "limits", rid),
                        _unknown("resource", rid, resources, "case.yaml resources"),
                    )
                )
        for i, adj in enumerate(s.effects.adjust):
            base = ("effects", "adjust", i)
            if adj.criterion is not None and adj.criterion not in criteria:
                out.append(
                    located.at(
                        base + ("criterion",),
                        _unknown("criterion", adj.criterion, criteria, "the criteria catalogue"),
                    )
                )
            if adj.resource is not None and adj.resource not in resources:
                out.append(
                    located.at(
                        base + ("resource",),
                        _unknown("resource", adj.resource, resources, "case.yaml resources"),
                    )
                )
            for mid in adj.measures or ():
                if measures is not None and mid not in measures:
                    out.append(
                        located.at(
                            base + ("measures",), f"unknown measure {mid!r}{did_you_mean(mid, measures)}"
                        )
                    )
            for did in adj.districts or ():
                if did not in districts:
                    out.append(
                        located.at(
                            base + ("districts",), f"unknown district {did!r}{did_you_mean(did, districts)}"
                        )
                    )
            for gid in adj.goals or ():
                if goals is not None and gid not in goals:
                    out.append(
                        located.at(base + ("goals",), f"unknown goal {gid!r}{did_you_mean(gid, goals)}")
                    )
    return out


def _unknown_at(
    doc: Document, loc: tuple, refs: Iterable, kind: str, known: set[str], where: str, index: bool = True
) -> list[Problem]:
    """One problem per reference of a case.yaml list or mapping at ``loc`` not in ``known``: at its
    own line (``index``: the list position, or the mapping's key) or at the key's."""
    out = []
    for i, ref in enumerate(refs):
        at = loc + ((ref if isinstance(refs, dict) else i),) if index else loc
        if ref not in known:
            out.append(doc.problem(at, _unknown(kind, ref, known, where)))
    return out


def _portfolio_settings(
    config: CaseConfig, doc: Document, goals: set[str] | None, districts: set[str]
) -> list[Problem]:
    """References in case.yaml's ``portfolio:`` and ``periods:``."""
    out = []
    resources = set(config.resources)
    balance, coverage, equity = (config.portfolio.balance, config.portfolio.coverage, config.portfolio.equity)
    ours, theirs = (
        ("district", districts, "case.yaml districts"),
        ("resource", resources, "case.yaml resources"),
    )
    if balance is not None:
        out += _unknown_at(doc, ("portfolio", "balance", "districts"), balance.districts, *ours, index=False)
        out += _unknown_at(doc, ("portfolio", "balance", "min_share"), balance.min_share, *theirs)
    if equity is not None:
        out += _unknown_at(doc, ("portfolio", "equity", "districts"), equity.districts or (), *ours)
        out += _unknown_at(doc, ("portfolio", "equity", "min_budget_share"), equity.min_budget_share, *theirs)
    if coverage is not None and coverage.goals is not None and goals is not None:
        for g in coverage.goals:
            if g not in goals:
                out.append(
                    doc.problem(("portfolio", "coverage", "goals"), _unknown("goal", g, goals, "goals.yaml"))
                )
    seen: set[str] = set()
    for i, period in enumerate(config.periods):
        if period.id in seen:
            out.append(doc.problem(("periods", i, "id"), f"period id {period.id!r} appears twice"))
        seen.add(period.id)
        for r in period.limits:
            if r not in resources:
                out.append(
                    doc.problem(
                        ("periods", i, "limits", r), _unknown("resource", r, resources, "case.yaml resources")
                    )
                )
    return out


# -- need and equity: what they need of the Stadtcheck ----------------------------------------


def check_fairness(
    config: CaseConfig | None, doc: Document | None, stadtcheck: Stadtcheck | None, stadtcheck_files: bool
) -> list[Problem]:
    """What case.yaml's ``portfolio.need_weighting`` needs (a Stadtcheck) and ``portfolio.equity``
    (residents in every district it lists: ``equity.districts``, else the balance districts, else
    the root's parts, as :mod:`lev2040_mcda.portfolio.equity` chooses them). ``stadtcheck_files``:
    whether the case has a Stadtcheck's files; with files but no ``stadtcheck`` (they have
    problems of their own) nothing is checked."""
    if config is None or doc is None or (stadtcheck_files and stadtcheck is None):
        return []
    out = []
    if config.portfolio.need_weighting and stadtcheck is None:
        reason = "need weighting needs the case's Stadtcheck (stadtcheck.csv or .xlsx with stadtcheck.yaml), which this case lacks"
        out.append(doc.problem(("portfolio", "need_weighting"), reason))
    equity, balance = config.portfolio.equity, config.portfolio.balance
    if equity is None:
        return out
    if equity.districts is not None:
        listed = [(("portfolio", "equity", "districts", i), d) for i, d in enumerate(equity.districts)]
    else:
        tops = [d.id for d in config.districts if d.parent is None]
        parts = [d.id for d in config.districts if len(tops) == 1 and d.parent == tops[0]] or tops
        listed = [(("portfolio", "equity"), d) for d in (balance.districts if balance else parts)]
        if not listed:
            out.append(
                doc.problem(("portfolio", "equity"), "the equity rules need districts (case.yaml districts:)")
            )
    figures, known = residents(config.districts, stadtcheck), {d.id for d in config.districts}
    why = "the equity rules count per resident"
    for loc, d in listed:
        if d in known and figures.get(d) is None:  # an unknown one is reported as unknown
            reason = (
                f"district {d!r} has no population ({why}: give it `population:` under case.yaml districts, "
                "a `population` indicator in the Stadtcheck, or a population to each of its parts)"
            )
            out.append(doc.problem(loc, reason))
        elif d in known and figures[d] <= 0:
            out.append(
                doc.problem(loc, f"district {d!r} has 0 residents ({why}: expected a population above 0)")
            )
    return out
