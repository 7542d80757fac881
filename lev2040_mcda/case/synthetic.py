"""Seeded synthetic cases of any size, for benchmarks, property tests and trying the engine out.

The cases are valid by construction: ``requires`` only point to earlier measures (no cycles), and
``excludes`` only join measures that neither require nor are required (no clash).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import yaml

__all__ = ["write_synthetic_case"]


def write_synthetic_case(
    directory: str | Path,
    *,
    measures: int = 100,
    criteria: int = 10,
    goals: int | None = None,
    groups: int = 3,
    districts: int = 5,
    interactions: int | None = None,
    scenarios: int = 2,
    seed: int = 0,
    delimiter: str = ",",
) -> Path:
    """Write a valid random case folder and return its path.

    Examples
    --------
    >>> import tempfile
    >>> from lev2040_mcda import load_case
    >>> case = load_case(write_synthetic_case(tempfile.mkdtemp(), measures=30, criteria=4, seed=1))
    >>> len(case.measures), len(case.criteria)
    (30, 4)
    """
    rng = random.Random(seed)
    root = Path(directory)
    (root / "weights").mkdir(parents=True, exist_ok=True)
    n_goals = goals if goals is not None else max(1, criteria // 2)
    goal_ids = [f"g{i:02d}" for i in range(1, n_goals + 1)]
    crit = [
        {
            "id": f"c{i:02d}",
            "name": f"Criterion {i}",
            "unit": "pt",
            "direction": "benefit" if i % 3 else "cost",
            **({"goal": goal_ids[(i - 1) % n_goals]} if n_goals else {}),
            "min": 0,
            "max": 100,
            "preference": {
                "function": ("usual", "vshape", "level", "ushape", "vshape_2")[i % 5],
                "q": 5,
                "p": 20,
            },
        }
        for i in range(1, criteria + 1)
    ]
    group_ids = [f"group_{i}" for i in range(1, groups + 1)]
    district_ids = [f"d{i}" for i in range(1, districts + 1)]

    rows = []
    for i in range(measures):
        mid = f"m{i:05d}"
        requires = f"m{i - 1:05d}" if i % 10 == 1 else ""
        excludes = f"m{i + 1:05d}" if i % 10 == 5 and i + 1 < measures else ""
        cost = round(rng.uniform(1, 50), 2)
        land = round(rng.uniform(0, 5), 2) if rng.random() < 0.5 else 0.0
        values = [round(rng.uniform(0, 100), 3) for _ in crit]
        rows.append(
            [
                mid,
                f"Measure {i}",
                rng.choice(district_ids) if district_ids else "",
                ";".join(rng.sample(goal_ids, min(2, n_goals))),
                cost,
                land,
                *values,
                requires,
                excludes,
            ]
        )
    totals = (sum(r[4] for r in rows), sum(r[5] for r in rows))
    config = {
        "name": f"synthetic_{measures}x{criteria}",
        "title": "Synthetic case",
        "criteria": "criteria.yaml",
        "groups": [{"id": g, "name": g.replace("_", " ").title(), "influence": 1} for g in group_ids],
        "resources": {
            "cost": {"unit": "EUR m", "limit": round(totals[0] * 0.3, 2)},
            "land": {"unit": "ha", "limit": round(totals[1] * 0.3, 2)},
        },
    }
    if district_ids:
        config["districts"] = [{"id": d, "name": d.upper()} for d in district_ids]
    _yaml(root / "case.yaml", config)
    _yaml(root / "criteria.yaml", {"criteria": crit})
    if goal_ids:
        _yaml(root / "goals.yaml", {"goals": [{"id": g, "title": f"Goal {g}"} for g in goal_ids]})

    def number(x: float) -> str:
        return str(x).replace(".", ",") if delimiter == ";" else str(x)

    with open(root / "measures.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(
            [
                "id",
                "name",
                "district",
                "goals",
                "cost",
                "land",
                *[c["id"] for c in crit],
                "requires",
                "excludes",
            ]
        )
        for r in rows:
            w.writerow([*r[:4], *[number(v) for v in r[4:-2]], *r[-2:]])

    n_inter = interactions if interactions is not None else min(2 * measures, 200)
    with open(root / "interactions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["source", "target", "effect", "strength", "note"])
        seen: set[frozenset[str]] = set()
        pool = goal_ids if len(goal_ids) > 1 else []
        for k in range(n_inter * 3):
            if len(seen) >= n_inter:
                break
            ids = pool if (k % 4 == 0 and pool) else [r[0] for r in rows]
            if len(ids) < 2:
                continue
            a, b = rng.sample(ids, 2)
            if frozenset((a, b)) in seen:
                continue
            seen.add(frozenset((a, b)))
            w.writerow(
                [a, b, rng.choice(["synergy", "conflict"]), number(round(rng.uniform(0.05, 1), 2)), ""]
            )

    _yaml(
        root / "scenarios.yaml",
        {
            "scenarios": [
                {
                    "id": f"s{j}",
                    "title": f"Scenario {j}",
                    "drivers": {"gesellschaft": {"value": 100 + j}, "politik": "steady"},
                    "effects": {
                        "limits": {"cost": round(rng.uniform(0.5, 1.2), 2)},
                        "adjust": [
                            {"resource": "cost", "multiply": round(rng.uniform(0.9, 1.3), 2)},
                            {"criterion": crit[0]["id"], "add": 1.0},
                        ],
                    },
                }
                for j in range(1, scenarios + 1)
            ]
        },
    )
    for g in group_ids:
        _yaml(
            root / "weights" / f"{g}.yaml",
            {"group": g, "method": "direct", "weights": {c["id"]: rng.randint(1, 9) for c in crit}},
        )
    return root


def _yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
