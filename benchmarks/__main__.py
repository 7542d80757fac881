"""Run every ``benchmarks/bench_*.py`` and print one table.

Each module has ``run() -> list[dict]`` with the keys ``benchmark``, ``ours_s``, ``alternative``,
``alternative_s`` and ``note``; the ratio (ours / alternative) is computed here, so every figure is
read against the obvious alternative measured in the same process on the same machine.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from lev2040_mcda.cli.format import format_table


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [a for a in argv if not a.startswith("-")]
    rows = []
    for name in names:
        if wanted and not any(w in name for w in wanted):
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        for r in module.run():
            rows.append(
                [
                    r["benchmark"],
                    f"{r['ours_s'] * 1000:,.1f} ms",
                    r["alternative"],
                    f"{r['alternative_s'] * 1000:,.1f} ms",
                    f"{r['ours_s'] / r['alternative_s']:.2f}x",
                    r.get("note", ""),
                ]
            )
    print(
        f"lev2040-mcda benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]}); "
        "ratio = ours / alternative, lower is better"
    )
    print(format_table(["benchmark", "ours", "alternative", "alt. time", "ratio", "note"], rows), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
