"""Files to a checked ``Case``: reading YAML/CSV/XLSX with locations, parsing their cells, the pydantic
models, loading and cross-checking a case folder, applying a scenario, the ``init`` scaffold,
synthetic cases, every measure's numbers as read, the ranges of uncertain estimates, and the
Stadtcheck (indicators per district, their catalogue, the districts' map).
"""

from __future__ import annotations

from .cells import (
    MAX_MAGNITUDE,
    MIN_MAGNITUDE,
    Cell,
    magnitude_problem,
    number_dots,
    parse_bool,
    parse_list,
    parse_number,
    shown_number,
    two_readings,
    underflows,
)
from .checks import Located, check_bounds, check_case
from .cib import CIBModel, Descriptor, Variant
from .cib_read import check_cib, has_cib, load_cib
from .estimates import DISTRIBUTIONS, UNCERTAINTY_FILE, Estimate, Uncertainty
from .estimates_read import read_uncertainty
from .hashes import current_hashes
from .limits import ENV_MAX_FILE_MB, Limits
from .load import find_case_file, load_case, load_case_config
from .models import (
    METHODS,
    STEEP,
    Adjustment,
    Case,
    CaseConfig,
    Catalogue,
    Criterion,
    Defaults,
    District,
    Driver,
    Goal,
    GoalCatalogue,
    Group,
    Interaction,
    Measure,
    Resource,
    Scenario,
    ScenarioCatalogue,
    ScenarioEffects,
    Submission,
    SubmissionTable,
    Topic,
    district_and_parents,
)
from .readers import Document, Reader, Table
from .scaffold import MINIMAL_CASE, write_minimal_case
from .scenarios import apply_scenario
from .stadtcheck import (
    GEOJSON_FILE,
    LAYOUT_FILE,
    STADTCHECK_CATALOGUE,
    STADTCHECK_FILE,
    DistrictShape,
    Indicator,
    Stadtcheck,
)
from .stadtcheck_read import IndicatorEntry, StadtcheckCatalogue, load_stadtcheck
from .submissions import SUBMISSION_SUFFIXES, read_submission_file, read_submissions
from .synthetic import write_synthetic_case
from .validation import Kind, Locator, describe, validate
from .values import VALUE_COLUMNS, measure_numbers
from .votes import BALLOT_KINDS, Ballot, Project, Vote
from .votes_read import MAPPING_FILE, VOTE_SUFFIXES, VOTES_FOLDER, load_votes

__all__ = [
    "VOTES_FOLDER",
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
    "Reader",
    "current_hashes",
    "Document",
    "Table",
    "Kind",
    "Limits",
    "ENV_MAX_FILE_MB",
    "Cell",
    "parse_number",
    "number_dots",
    "two_readings",
    "MAX_MAGNITUDE",
    "MIN_MAGNITUDE",
    "magnitude_problem",
    "shown_number",
    "underflows",
    "parse_bool",
    "parse_list",
    "Locator",
    "validate",
    "describe",
    "Located",
    "check_case",
    "check_bounds",
    "SUBMISSION_SUFFIXES",
    "read_submissions",
    "read_submission_file",
    "load_case",
    "load_case_config",
    "find_case_file",
    "apply_scenario",
    "MINIMAL_CASE",
    "write_minimal_case",
    "write_synthetic_case",
    "VALUE_COLUMNS",
    "measure_numbers",
    "CIBModel",
    "Descriptor",
    "Variant",
    "load_cib",
    "has_cib",
    "check_cib",
    "BALLOT_KINDS",
    "Ballot",
    "Project",
    "Vote",
    "load_votes",
    "VOTE_SUFFIXES",
    "MAPPING_FILE",
    "DISTRIBUTIONS",
    "UNCERTAINTY_FILE",
    "Estimate",
    "Uncertainty",
    "read_uncertainty",
    "STADTCHECK_FILE",
    "STADTCHECK_CATALOGUE",
    "GEOJSON_FILE",
    "LAYOUT_FILE",
    "Indicator",
    "DistrictShape",
    "Stadtcheck",
    "IndicatorEntry",
    "StadtcheckCatalogue",
    "load_stadtcheck",
]
