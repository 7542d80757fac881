"""Stakeholder weights at scale: a 100,000-respondent survey export, and 2,000 submission files.

Ours: read, validate, elicit, aggregate and analyse consensus (``load_case`` + ``weights_summary``).
The alternative is the obvious unchecked pandas pipeline: read the table, normalise rows, average
per group — no located errors, no methods, no consensus.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import numpy as np
import yaml

import lev2040_mcda.weights.elicitation as weights_module
from lev2040_mcda.case import load_case, write_synthetic_case
from lev2040_mcda.weights import weights_summary

from .timing import median_time

CRITERIA = 15


def _survey(root: Path, rows: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    groups = rng.integers(1, 4, rows)
    values = rng.integers(0, 11, (rows, CRITERIA))
    path = root / "weights" / "survey.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["respondent", "group", "method", *[f"c{i:02d}" for i in range(1, CRITERIA + 1)]])
        for k in range(rows):
            w.writerow([f"r{k}", f"group_{groups[k]}", "points", *values[k]])
    return path


def _files(root: Path, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for k in range(count):
        data = {
            "group": f"group_{k % 3 + 1}",
            "respondent": f"p{k}",
            "method": "direct",
            "weights": {f"c{i:02d}": int(v) for i, v in enumerate(rng.integers(1, 10, CRITERIA), start=1)},
        }
        (root / "weights" / f"s{k:04d}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def _pandas_survey(path: Path) -> None:
    import pandas as pd

    df = pd.read_csv(path)
    cols = [c for c in df.columns if c.startswith("c")]
    w = df[cols].div(df[cols].sum(axis=1), axis=0)
    w.groupby(df["group"]).mean()


def _plain_files(root: Path) -> None:
    rows = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "weights").glob("s*.yaml"))]
    w = np.array([list(r["weights"].values()) for r in rows], dtype=float)
    (w / w.sum(axis=1, keepdims=True)).mean(axis=0)


def run() -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(Path(tmp) / "survey", measures=20, criteria=CRITERIA, seed=7)
        for p in (root / "weights").glob("*.yaml"):
            p.unlink()
        path = _survey(root, 100_000, seed=7)
        ours = median_time(lambda: weights_summary(load_case(root)), repeat=3)
        alt = median_time(lambda: _pandas_survey(path), repeat=3)
        out.append(
            {
                "benchmark": "survey 100,000 x 15 -> weights + consensus",
                "ours_s": ours,
                "alternative": "pandas read + row-normalise + groupby",
                "alternative_s": alt,
                "note": f"{100_000 / ours:,.0f} rows/s; goal < 3 s",
            }
        )
        # the report asks for the same weights in five stages (weights, ranking, groups,
        # conflicts, robustness): elicited once and kept, against eliciting them each time
        case = load_case(root)

        def five_stages(keep: bool) -> None:
            # a copy with new (equal) submission tables: elicited once, then kept
            one = case.model_copy(update={"submission_tables": tuple(case.submission_tables)})
            for _ in range(5):
                if not keep:
                    weights_module._KEPT.clear()
                weights_summary(one)

        ours = median_time(lambda: five_stages(True), repeat=3)
        alt = median_time(lambda: five_stages(False), repeat=3)
        out.append(
            {
                "benchmark": "same survey, weights asked for by 5 stages",
                "ours_s": ours,
                "alternative": "elicit + aggregate 5 times",
                "alternative_s": alt,
                "note": "the elicited submissions kept per case and options",
            }
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(Path(tmp) / "files", measures=20, criteria=CRITERIA, seed=8)
        for p in (root / "weights").glob("*.yaml"):
            p.unlink()
        _files(root, 2_000, seed=8)
        ours = median_time(lambda: weights_summary(load_case(root)), repeat=3)
        alt = median_time(lambda: _plain_files(root), repeat=3)
        out.append(
            {
                "benchmark": "2,000 submission files -> weights",
                "ours_s": ours,
                "alternative": "yaml.safe_load each + numpy mean",
                "alternative_s": alt,
                "note": f"{2_000 / ours:,.0f} files/s; goal < 5 s",
            }
        )
    return out
