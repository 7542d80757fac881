"""The online participation: counting the citizens' vote with the rules of participatory
budgeting, the support per measure and district, and the vote beside the MCDA portfolio."""

from __future__ import annotations

from .compare import (
    compare_with_portfolio,
    count_votes,
    district_shares,
    vote_hashes,
    vote_selection,
    vote_summary,
)
from .criterion import default_criterion, support_as_criterion
from .outcome import Outcome, Payment, Tie
from .profile import COMPLETIONS, RULES, TIE_BREAKS, UTILITIES, RuleError
from .rules import count, rules_for
from .support import DistrictSupport, ProjectSupport, Support, Turnout, support, wilson

__all__: list[str] = [
    "COMPLETIONS",
    "RULES",
    "TIE_BREAKS",
    "UTILITIES",
    "DistrictSupport",
    "Outcome",
    "Payment",
    "ProjectSupport",
    "RuleError",
    "Support",
    "Tie",
    "Turnout",
    "compare_with_portfolio",
    "count",
    "count_votes",
    "default_criterion",
    "support_as_criterion",
    "district_shares",
    "vote_hashes",
    "vote_selection",
    "vote_summary",
    "rules_for",
    "support",
    "wilson",
]
