"""``lev2040 init``: the smallest valid case, exactly as DESIGN.md fixes it."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from ..output import write_atomic

__all__ = ["MINIMAL_CASE", "write_minimal_case"]

MINIMAL_CASE: dict[str, str] = {
    "case.yaml": """\
# The case: its name, its criteria catalogue and its limited resources.
name: example
criteria: criteria.yaml          # path relative to case.yaml
resources:                       # optional; each key is a numeric column of measures.csv
  cost: {limit: 100}
""",
    "criteria.yaml": """\
# What the measures are judged on: benefit = higher is better, cost = lower is better.
criteria:
  - {id: quality, name: Quality, direction: benefit}
  - {id: price, name: Price, direction: cost}
""",
    "measures.csv": """\
id,name,cost,quality,price
a,Option A,40,7,250
b,Option B,70,9,300
""",
    "weights/anyone.yaml": """\
# A stakeholder submission (`group` may be omitted when the case has no groups).
method: direct
weights: {quality: 2, price: 1}
""",
}


def write_minimal_case(directory: str | Path, *, force: bool = False) -> list[str]:
    """Write the smallest valid case into ``directory``; return the files written.

    Raises
    ------
    InputError
        when ``directory`` exists and is not empty (unless ``force``), or its parent folder does
        not exist (the case folder itself is created).
    """
    root = Path(directory)
    if not root.absolute().parent.is_dir():
        raise InputError(
            Problem(str(root), f"folder {root.absolute().parent} does not exist (create it first)")
        )
    if root.exists() and not root.is_dir():
        raise InputError(Problem(str(root), "exists and is not a folder"))
    if root.is_dir() and any(root.iterdir()) and not force:
        raise InputError(Problem(str(root), "folder is not empty (use --force to write into it)"))
    written = []
    for name, text in MINIMAL_CASE.items():
        write_atomic(root / name, text, parents=True)  # the case folder and weights/ in it
        written.append(str(root / name))
    return written
