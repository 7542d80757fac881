"""The goal-conflict graph at 50 goals, 10,000 measures and 50,000 interactions.

The case is generated in memory with a fixed seed (pydantic models, no files): 50 goals with one
criterion each (signed scales, so some measures harm goals), every measure serving 1-3 goals, all
1,225 goal pairs interacting and 48,775 measure pairs. Alternatives, measured in the same run:

- ``build_graph`` (vectorised harm rule, ``add_edges_from``) against the same MultiDiGraph built
  the straightforward way: loops over the case, the scalar harm rule per value, one ``add_edge``
  per edge;
- ``analyse_conflicts`` (graph, consensus weights, severities, hotspots, Louvain clusters, every
  measure's exposure, measure pairs) against a plain-Python dict-of-lists adjacency build with the
  same goal weights and severity sort — the least anyone would compute, without networkx.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

from lev2040_mcda.case import (
    Case,
    CaseConfig,
    Catalogue,
    Criterion,
    Goal,
    Group,
    Interaction,
    Measure,
    Submission,
)
from lev2040_mcda.conflicts import analyse_conflicts, build_graph, worse_than_neutral

from .timing import median_time

GOALS, MEASURES, INTERACTIONS, SEED = 50, 10_000, 50_000, 2040
HARM = 0.06  # Leverkusen: 54 harms over 37 measures; here about 1.5 per measure too


def make_case(
    goals: int = GOALS, measures: int = MEASURES, interactions: int = INTERACTIONS, seed: int = SEED
) -> Case:
    """A valid synthetic case built directly from the models (no loading, no files)."""
    rng = random.Random(seed)
    goal_ids = [f"g{i:02d}" for i in range(goals)]
    criteria = [
        Criterion(
            id=f"c{i:02d}",
            name=f"Criterion {i}",
            goal=g,
            direction="benefit" if i % 3 else "cost",
            min=-50.0 if i % 2 else 0.0,
            max=100.0,
        )
        for i, g in enumerate(goal_ids)
    ]
    rows = []
    for j in range(measures):
        perf = {c.id: _value(rng, c) for c in criteria}
        rows.append(
            Measure(
                id=f"m{j:05d}",
                name=f"Measure {j}",
                goals=tuple(rng.sample(goal_ids, rng.randint(1, 3))),
                performance=perf,
            )
        )
    pairs = [(a, b, "goal") for k, a in enumerate(goal_ids) for b in goal_ids[k + 1 :]]
    seen = set()
    while len(pairs) < interactions:
        a, b = rng.sample(range(measures), 2)
        if (a, b) not in seen and (b, a) not in seen:
            seen.add((a, b))
            pairs.append((f"m{a:05d}", f"m{b:05d}", "measure"))
    inter = [
        Interaction(
            source=a,
            target=b,
            level=level,
            strength=round(rng.uniform(0.05, 1), 2),
            effect=rng.choice(["synergy", "conflict"]),
        )
        for a, b, level in pairs
    ]
    groups = [Group(id=f"group_{k}", name=f"Group {k}") for k in range(1, 4)]
    submissions = [
        Submission(
            path=f"weights/{g.id}.yaml",
            group=g.id,
            method="direct",
            content={"weights": {c.id: rng.randint(1, 9) for c in criteria}},
        )
        for g in groups
    ]
    return Case(
        root=Path("."),
        config=CaseConfig(name="synthetic_graph", criteria="criteria.yaml", groups=groups),
        catalogue=Catalogue(criteria=criteria),
        goals=tuple(Goal(id=g, title=f"Goal {g}") for g in goal_ids),
        measures=tuple(rows),
        interactions=tuple(inter),
        submissions=tuple(submissions),
    )


def _value(rng: random.Random, c: Criterion) -> float:
    """A measure's value: worse than neutral on a signed criterion with probability HARM."""
    if c.min is None or c.min >= 0:
        return round(rng.uniform(0, 100), 2)
    worse = rng.random() < HARM
    if c.direction == "benefit":
        return round(rng.uniform(c.min, 0) if worse else rng.uniform(0, 100), 2)
    return round(rng.uniform(0, 100) if worse else rng.uniform(c.min, 0), 2)


def _naive_build(case: Case) -> object:
    """The same graph the straightforward way: loops over the case, one ``add_edge`` per edge,
    the scalar harm rule per value."""
    import networkx as nx

    from lev2040_mcda.weights import goal_matrix

    goal_ids, split = goal_matrix(case)
    row = {g: i for i, g in enumerate(goal_ids)}
    G = nx.MultiDiGraph(name=case.name, title=case.config.title or "")
    for g in case.goals:
        G.add_node(
            f"goal:{g.id}", kind="goal", id=g.id, label=g.title, topic=g.topic or "", parent=g.parent or ""
        )
    for j, c in enumerate(case.criteria):
        G.add_node(
            f"criterion:{c.id}",
            kind="criterion",
            id=c.id,
            label=c.name,
            unit=c.unit or "",
            direction=c.direction,
            goal=c.goal or "",
        )
        if c.goal in row:
            G.add_edge(
                f"criterion:{c.id}",
                f"goal:{c.goal}",
                key="measures",
                relation="measures",
                sign=1,
                strength=float(split[row[c.goal], j]),
            )
    for m in case.measures:
        G.add_node(
            f"measure:{m.id}",
            kind="measure",
            id=m.id,
            label=m.name,
            district=m.district or "",
            mandatory=m.mandatory,
        )
        for g in m.goals:
            G.add_edge(f"measure:{m.id}", f"goal:{g}", key="serves", relation="serves", sign=1, strength=1.0)
        harmed: dict[str, list[int]] = {}
        for j, c in enumerate(case.criteria):
            if c.goal in row and worse_than_neutral(c, m.performance[c.id]):
                harmed.setdefault(c.goal, []).append(j)
        for g, cols in harmed.items():
            G.add_edge(
                f"measure:{m.id}",
                f"goal:{g}",
                key="harms",
                relation="harms",
                sign=-1,
                strength=float(sum(split[row[g], j] for j in cols)),
                criteria=";".join(case.criteria[j].id for j in cols),
            )
    for k, it in enumerate(case.interactions):
        G.add_edge(
            f"{it.level}:{it.source}",
            f"{it.level}:{it.target}",
            key=it.effect,
            relation=it.effect,
            sign=1 if it.effect == "synergy" else -1,
            strength=it.strength,
            note=it.note or "",
            index=k,
        )
    return G


def _plain_python(case: Case, weights: dict[str, float]) -> list[tuple[float, str, str]]:
    """Dict-of-lists adjacency of goals and measures, goal weights and the severity sort."""
    adjacency: dict[str, list[tuple[str, str, float]]] = {}
    for it in case.interactions:
        adjacency.setdefault(it.source, []).append((it.target, it.effect, it.strength))
        adjacency.setdefault(it.target, []).append((it.source, it.effect, it.strength))
    serves: dict[str, list[str]] = {m.id: list(m.goals) for m in case.measures}
    goal_w = {g.id: 0.0 for g in case.goals}
    for c in case.criteria:
        if c.goal in goal_w:
            goal_w[c.goal] += weights.get(c.id, 0.0)
    severities = [
        (s * goal_w[a] * goal_w[b], a, b)
        for a in goal_w
        for b, effect, s in adjacency.get(a, ())
        if effect == "conflict" and a < b
    ]
    severities.sort(reverse=True)
    assert serves
    return severities


def _peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run() -> list[dict]:
    case = make_case()
    import networkx  # noqa: F401  (imported once, outside the timing)

    G, naive = build_graph(case), _naive_build(case)
    assert sorted(G.edges(keys=True)) == sorted(naive.edges(keys=True))  # the same graph
    counts = analyse_conflicts(case)["counts"]
    weights = {c.id: 1.0 / len(case.criteria) for c in case.criteria}
    size = (
        f"{counts['nodes']:,} nodes, {counts['edges']:,} edges "
        f"({counts['harms']:,} harms, {counts['goal_conflicts']} goal conflicts)"
    )

    build = median_time(lambda: build_graph(case), repeat=3)
    by_edge = median_time(lambda: _naive_build(case), repeat=3)
    analyse = median_time(lambda: analyse_conflicts(case), repeat=3)
    derive = median_time(lambda: analyse_conflicts(case, derive_pairs=True), repeat=3)
    plain = median_time(lambda: _plain_python(case, weights), repeat=3)
    peak = _peak_mb(lambda: analyse_conflicts(case, derive_pairs=True))
    scale = f"{GOALS} goals, {MEASURES:,} measures, {INTERACTIONS:,} interactions"
    return [
        {
            "benchmark": f"build_graph: {scale}",
            "ours_s": build,
            "alternative": "loops + add_edge per edge",
            "alternative_s": by_edge,
            "note": f"{size}; vectorised harm rule, add_edges_from",
        },
        {
            "benchmark": f"analyse_conflicts: {scale}",
            "ours_s": analyse,
            "alternative": "plain dict-of-lists + severity sort",
            "alternative_s": plain,
            "note": "graph + consensus weights + hotspots + Louvain + exposures + pairs; goal < 3 s",
        },
        {
            "benchmark": "analyse_conflicts, derive_pairs=True",
            "ours_s": derive,
            "alternative": "plain dict-of-lists + severity sort",
            "alternative_s": plain,
            "note": f"{counts['measure_pairs']:,} explicit pairs + up to 1,000 derived; "
            f"peak {peak:,.0f} MB (tracemalloc)",
        },
    ]
