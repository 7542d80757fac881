"""Pydantic models of a case folder: what each file may hold, checked field by field.

Cross-file rules (references, cycles, columns) live in :mod:`lev2040_mcda.case.checks`; the models only
check what one record can check about itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import Problem
from .estimates import Uncertainty
from .fields import FilePath, Finite, Id, Model, NonNegative, Positive
from .settings import Defaults, Period, PortfolioSettings, StadtcheckSettings

__all__ = [
    "STEEP",
    "METHODS",
    "district_and_parents",
    "Criterion",
    "Catalogue",
    "Topic",
    "Group",
    "Resource",
    "District",
    "Defaults",
    "CaseConfig",
    "Goal",
    "GoalCatalogue",
    "Measure",
    "Interaction",
    "Driver",
    "Adjustment",
    "ScenarioEffects",
    "Scenario",
    "ScenarioCatalogue",
    "Submission",
    "SubmissionTable",
    "Case",
]

STEEP = ("gesellschaft", "technologie", "wirtschaft", "klima_umwelt", "politik")
"""The five environment parameters of the Leverkusen 2040+ scenarios."""

METHODS = ("direct", "points", "ranking", "pairwise", "swing")
"""Elicitation methods a weight submission may use."""


class Preference(Model):
    """PROMETHEE preference function of one criterion, with pymcdm's function names."""

    function: Literal["usual", "ushape", "vshape", "level", "vshape_2"]
    q: NonNegative | None = None
    p: NonNegative | None = None

    @model_validator(mode="after")
    def _q_below_p(self) -> Preference:
        if self.q is not None and self.p is not None and self.q > self.p:
            raise ValueError(f"q ({self.q:g}) must not exceed p ({self.p:g})")
        return self


class Criterion(Model):
    id: Id
    name: str
    unit: str | None = None
    direction: Literal["benefit", "cost"]
    goal: Id | None = None
    weight: Positive | None = None
    min: Finite | None = None
    max: Finite | None = None
    preference: Preference | None = None
    neutral: Finite | None = None
    status_quo: Finite = 0.0
    aggregate: Literal["sum", "mean"] | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Criterion:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self


class Catalogue(Model):
    """A criteria catalogue file (``criteria/<set>.yaml``)."""

    name: str | None = None
    title: str | None = None
    description: str | None = None
    criteria: Annotated[list[Criterion], Field(min_length=1)]


class Topic(Model):
    id: Id
    name: str | None = None
    description: str | None = None


class Group(Model):
    """A stakeholder group; its ``influence`` scales its weight in the consensus."""

    id: Id
    name: str | None = None
    influence: NonNegative = 1.0
    description: str | None = None


class Resource(Model):
    """A limited resource, one numeric column of measures.csv (budget, land, ...)."""

    name: str | None = None
    unit: str | None = None
    limit: NonNegative | None = None


class District(Model):
    id: Id
    name: str | None = None
    parent: Id | None = None
    population: Annotated[int, Field(ge=0)] | None = None


def district_and_parents(district: str | None, parent: dict[str, str | None]) -> list[str]:
    """``district`` and every district above it (a Stadtteil, its Stadtbezirk, ...), nearest first.

    >>> district_and_parents("opladen", {"opladen": "bezirk_2", "bezirk_2": None})
    ['opladen', 'bezirk_2']
    """
    chain: list[str] = []
    while district is not None and district not in chain:  # `not in`: a cycle cannot hang
        chain.append(district)
        district = parent.get(district)
    return chain


class CaseConfig(Model):
    """case.yaml."""

    name: Id
    title: str | None = None
    description: str | None = None
    language: Literal["de", "en"] = "en"
    criteria: FilePath
    topics: list[Topic] = []
    groups: list[Group] = []
    resources: dict[Id, Resource] = {}
    districts: list[District] = []
    defaults: Defaults = Defaults()
    portfolio: PortfolioSettings = PortfolioSettings()
    periods: list[Period] = []
    stadtcheck: StadtcheckSettings = StadtcheckSettings()

    @model_validator(mode="before")
    @classmethod
    def _empty_resources(cls, data: Any) -> Any:
        # `cost:` alone is a resource without a limit, and `cost: 100` one with limit 100
        if isinstance(data, dict) and isinstance(data.get("resources"), dict):
            data = {
                **data,
                "resources": {
                    k: {} if v is None else {"limit": v} if isinstance(v, (int, float)) else v
                    for k, v in data["resources"].items()
                },
            }
        return data


class Goal(Model):
    id: Id
    title: str
    topic: Id | None = None
    parent: Id | None = None
    description: str | None = None


class GoalCatalogue(Model):
    """goals.yaml."""

    goals: list[Goal] = []


class Measure(Model):
    """One candidate measure (a row of measures.csv)."""

    id: Id
    name: str
    district: Id | None = None
    goals: tuple[Id, ...] = ()
    resources: dict[str, NonNegative] = {}
    performance: dict[str, Finite] = {}
    requires: tuple[Id, ...] = ()
    excludes: tuple[Id, ...] = ()
    mandatory: bool = False
    attributes: dict[str, str] = {}


class Interaction(Model):
    """A synergy or conflict between two goals or two measures (a row of interactions.csv)."""

    source: Id
    target: Id
    effect: Literal["synergy", "conflict"]
    strength: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    note: str | None = None
    level: Literal["goal", "measure"] | None = None  # filled in when the case is loaded


class Driver(Model):
    """One STEEP parameter of a scenario: a narrative, a value, or both."""

    text: str | None = None
    value: Finite | None = None
    unit: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


class Adjustment(Model):
    """A scenario's change to one column of measures.csv, for all measures or those selected by
    id, by district (with its parts) and/or by goal served (all selectors must match)."""

    criterion: Id | None = None
    resource: Id | None = None
    measures: tuple[Id, ...] | None = None
    districts: tuple[Id, ...] | None = None
    goals: tuple[Id, ...] | None = None
    multiply: NonNegative | None = None
    add: Finite | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Adjustment:
        if (self.criterion is None) == (self.resource is None):
            raise ValueError("name exactly one of criterion or resource")
        if self.multiply is None and self.add is None:
            raise ValueError("give multiply, add or both")
        return self

    @property
    def column(self) -> str:
        return self.criterion or self.resource  # type: ignore[return-value]


class ScenarioEffects(Model):
    limits: dict[Id, NonNegative] = {}
    adjust: list[Adjustment] = []


class Scenario(Model):
    id: Id
    title: str
    description: str | None = None
    drivers: dict[Literal[STEEP], Driver] = {}  # type: ignore[valid-type]
    effects: ScenarioEffects = ScenarioEffects()


class ScenarioCatalogue(Model):
    """scenarios.yaml."""

    scenarios: list[Scenario] = []


class Submission(Model):
    """One stakeholder submission as read from a file: who, how, and the raw content.

    Turning the content into weights is the weights stage's job; here it is only located.
    ``row`` is the line of a table row (surveys); ``None`` for a YAML/JSON file.
    """

    path: str
    row: int | None = None
    group: Id | None = None
    method: Literal[METHODS]  # type: ignore[valid-type]
    respondent: str | None = None
    content: dict[str, Any] = {}


@dataclass(frozen=True)
class SubmissionTable:
    """The accepted rows of one CSV/XLSX weights file (a survey export or a single submission),
    kept column by column so that thousands of respondents are handled as arrays.

    ``columns[j]`` is an item column (a criterion or goal id) and ``values[j]`` its raw cells, one
    per accepted row; ``lines[k]`` is row ``k``'s line in the file. Built by our own reader (not
    from user data directly), so it is a plain dataclass, not a validating model.
    """

    path: str
    columns: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]
    lines: tuple[int, ...]
    groups: tuple[str | None, ...]
    methods: tuple[str, ...]
    respondents: tuple[str | None, ...]
    decimal_comma: bool = False
    header_line: int = 1

    def __len__(self) -> int:
        return len(self.lines)


class Case(BaseModel):
    """A loaded, fully checked case folder."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: Path
    config: CaseConfig
    catalogue: Catalogue
    goals: tuple[Goal, ...] = ()
    measures: tuple[Measure, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    submissions: tuple[Submission, ...] = ()
    submission_tables: tuple[SubmissionTable, ...] = ()
    rejections: tuple[Problem, ...] = ()
    inputs: dict[str, str] = {}
    cib: Any = None  # the CIB model (case/cib.py CIBModel) of descriptors.yaml + cross_impacts.csv
    uncertainty: Uncertainty = Uncertainty()  # the ranges of uncertainty.csv (case/estimates.py)
    stadtcheck: Any = None  # the district indicators (case/stadtcheck.py Stadtcheck), None without them

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(self.catalogue.criteria)

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.catalogue.criteria)

    @cached_property
    def measure_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)

    @cached_property
    def goal_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.goals)

    @property
    def rejected(self) -> tuple[str, ...]:
        """The rejected submissions, one ``FILE:ROW: column 'x': reason`` line each."""
        return tuple(str(p) for p in self.rejections)

    @property
    def submission_count(self) -> int:
        """Accepted submissions: one per YAML/JSON file plus one per accepted table row."""
        return len(self.submissions) + sum(len(t) for t in self.submission_tables)

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(self.config.groups)

    @property
    def resources(self) -> dict[str, Resource]:
        return dict(self.config.resources)
