"""Building scenarios by cross-impact balance (CIB): consistent scenarios, succession, robustness of
the judgements, interventions, a diverse selection, and scenarios for the case."""

from __future__ import annotations

__all__: list[str] = []
