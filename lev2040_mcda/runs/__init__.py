"""The run store: every what-if saved with what it read and printed, listed, compared and
turned into a report.

``store.py`` keeps runs in SQLite (the default, ``CASE/.lev2040/runs.sqlite``) or a shared
PostgreSQL database, through one SQLAlchemy Core schema with a version table and migrations;
``record.py`` is a saved run as plain data; ``compare.py`` sets portfolio runs side by side
(which measures, what entered and left and why, value, resources, totals, districts);
``export.py`` the workbook of every run and their comparison.
"""

from __future__ import annotations

from .compare import compare_runs
from .export import comparison_rows, runs_workbook
from .opening import open_store
from .record import NAME_PATTERN, Run, check_name
from .store import RunStore, StoreError, default_store_path

__all__ = [
    "NAME_PATTERN",
    "Run",
    "RunStore",
    "StoreError",
    "check_name",
    "compare_runs",
    "default_store_path",
    "comparison_rows",
    "open_store",
    "runs_workbook",
]
