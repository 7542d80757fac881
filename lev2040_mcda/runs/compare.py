"""Being written: compare of saved runs."""

from __future__ import annotations

__all__ = ["compare_runs"]


def compare_runs(runs, case=None):
    raise NotImplementedError("not yet in this version")
