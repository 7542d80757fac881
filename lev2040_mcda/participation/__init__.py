"""The online participation: counting the citizens' vote with the rules of participatory
budgeting, the support per measure and district, and the vote beside the MCDA portfolio."""

from __future__ import annotations

__all__: list[str] = []
