"""Loading and checking a case: 10,000 measures x 20 criteria.

The alternative is reading the same files without any checking (pandas.read_csv for the tables,
yaml.safe_load for the rest): the ratio is the price of located, complete validation. The second
row sets the column-at-a-time checks of measures.csv (``case/measures.py``) against reading the
same table cell by cell and row by row with the pydantic model, the path that locates problems.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from pathlib import Path

from lev2040_mcda.case import load as load_module
from lev2040_mcda.case import load_case, write_synthetic_case
from lev2040_mcda.case.measures import read_measures

from .timing import median_time


def _read_unchecked(root: Path) -> None:
    import pandas as pd
    import yaml

    pd.read_csv(root / "measures.csv")
    pd.read_csv(root / "interactions.csv")
    for path in [*root.glob("*.yaml"), *(root / "weights").glob("*.yaml")]:
        yaml.safe_load(path.read_text(encoding="utf-8"))


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_case(Path(tmp) / "case", measures=10_000, criteria=20, seed=2040)
        import pandas  # noqa: F401  (imported once, outside the timing)

        ours = median_time(lambda: load_case(root), repeat=5)
        alt = median_time(lambda: _read_unchecked(root), repeat=5)
        rows.append(
            {
                "benchmark": "load + validate 10,000 x 20",
                "ours_s": ours,
                "alternative": "pandas/yaml read, unchecked",
                "alternative_s": alt,
                "note": "every cell parsed and checked; problems located",
            }
        )
        cell_by_cell = functools.partial(read_measures, fast=False)
        load_module.read_measures = cell_by_cell  # type: ignore[assignment]
        try:
            careful = median_time(lambda: load_case(root), repeat=5)
        finally:
            load_module.read_measures = read_measures
        rows.append(
            {
                "benchmark": "load + validate 10,000 x 20, a column at a time",
                "ours_s": ours,
                "alternative": "cell by cell, row by row",
                "alternative_s": careful,
                "note": "same measures and problems (tests/test_load_fast.py)",
            }
        )

    cli = [sys.executable, "-c", "from lev2040_mcda.cli import main; main()", "--help"]
    eager = [sys.executable, "-c", "import click, pandas, pymcdm, pulp, networkx"]
    run_cli = median_time(lambda: subprocess.run(cli, check=True, capture_output=True), repeat=5)
    run_eager = median_time(lambda: subprocess.run(eager, check=True, capture_output=True), repeat=5)
    rows.append(
        {
            "benchmark": "lev2040 --help (new process)",
            "ours_s": run_cli,
            "alternative": "eager import of the stack",
            "alternative_s": run_eager,
            "note": "heavy libraries load lazily",
        }
    )
    return rows
