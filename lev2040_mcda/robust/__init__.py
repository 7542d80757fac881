"""Portfolios across scenarios, stakeholder groups and weight samples: the robust core, regret,
max-min, the fair compromise and core indices.
"""

from __future__ import annotations

from .core import BASELINE, PARALLEL_FROM, robust_summary

__all__ = ["BASELINE", "robust_summary", "PARALLEL_FROM"]
