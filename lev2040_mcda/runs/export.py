"""Being written: export of saved runs."""

from __future__ import annotations

__all__ = ["runs_workbook"]


def runs_workbook(runs, comparison=None):
    raise NotImplementedError("not yet in this version")
