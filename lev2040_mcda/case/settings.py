"""The settings of case.yaml beyond its catalogues: defaults, the portfolio's rules (balance,
coverage, equity, need weighting), the Stadtcheck's, and the time periods."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .fields import Id, Model, NonNegative

__all__ = ["Balance", "Coverage", "Defaults", "Equity", "Period", "PortfolioSettings", "StadtcheckSettings"]


class Defaults(Model):
    method: str = "topsis"
    solver: Literal["cbc", "highs"] = "cbc"
    seed: int = 2040


class Balance(Model):
    """Spatial balance of a portfolio: every listed district (with its parts) gets at least
    ``min_measures`` selected measures and at least ``min_share`` of each named resource used."""

    districts: Annotated[list[Id], Field(min_length=1)]
    min_measures: Annotated[int, Field(ge=0)] = 0
    min_share: dict[Id, Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] = {}


class Coverage(Model):
    """Goal coverage: each listed goal (all goals when none are listed) is served by at least
    ``min_measures`` selected measures."""

    min_measures: Annotated[int, Field(ge=0)] = 1
    goals: list[Id] | None = None


class Equity(Model):
    """Equity across districts, measured per resident (populations from case.yaml ``districts:``, else
    the Stadtcheck's ``population`` indicator). Each listed district (with its parts) gets a benefit per
    resident of at least ``min_benefit_per_resident`` times the whole portfolio's benefit per resident of
    the listed districts together, and at least ``min_budget_share`` times its population share of the
    portfolio's total use of each named resource. ``districts`` default (None): the balance
    districts, else the root district's parts."""

    districts: Annotated[list[Id], Field(min_length=1)] | None = None
    min_benefit_per_resident: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    min_budget_share: dict[Id, Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] = {}


class PortfolioSettings(Model):
    """case.yaml ``portfolio:``: how the portfolio stage treats this case."""

    interaction_weight: NonNegative = 0.5
    derive_pairs: bool = False
    balance: Balance | None = None
    coverage: Coverage | None = None
    equity: Equity | None = None
    need_weighting: bool = False  # scale benefits by the Stadtcheck's need (``--need-weighting``)


class StadtcheckSettings(Model):
    """case.yaml ``stadtcheck:``: how the district indicators enter the analysis."""

    # the need factor of a measure's benefit on a goal runs from 1 - need_strength (least need) to
    # 1 + need_strength (most need); see stadtcheck/need.py
    need_strength: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.5
    id_property: str | None = None  # the GeoJSON property holding the district id (default: id, then name)


class Period(Model):
    """A time period with its own resource limits (e.g. under a budget-recovery plan)."""

    id: Id
    title: str | None = None
    limits: dict[Id, NonNegative] = {}
