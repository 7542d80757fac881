"""Files to a checked ``Case``: reading YAML/CSV/XLSX with locations, the pydantic models, loading and
cross-checking a case folder, applying a scenario, the ``init`` scaffold and synthetic cases.
"""
from __future__ import annotations

from .models import STEEP, METHODS, district_and_parents, Criterion, Catalogue, Topic, Group, Resource, District, Defaults, CaseConfig, Goal, GoalCatalogue, Measure, Interaction, Driver, Adjustment, ScenarioEffects, Scenario, ScenarioCatalogue, Submission, SubmissionTable, Case
from .readers import Reader, Document, Table, Cell, parse_number, parse_bool, parse_list
from .validation import Locator, validate, describe
from .checks import Located, check_case, check_bounds
from .submissions import SUBMISSION_SUFFIXES, read_submissions, read_submission_file
from .load import load_case, find_case_file
from .scenarios import apply_scenario
from .scaffold import MINIMAL_CASE, write_minimal_case
from .synthetic import write_synthetic_case

__all__ = ["STEEP", "METHODS", "district_and_parents", "Criterion", "Catalogue", "Topic", "Group", "Resource", "District", "Defaults", "CaseConfig", "Goal", "GoalCatalogue", "Measure", "Interaction", "Driver", "Adjustment", "ScenarioEffects", "Scenario", "ScenarioCatalogue", "Submission", "SubmissionTable", "Case", "Reader", "Document", "Table", "Cell", "parse_number", "parse_bool", "parse_list", "Locator", "validate", "describe", "Located", "check_case", "check_bounds", "SUBMISSION_SUFFIXES", "read_submissions", "read_submission_file", "load_case", "find_case_file", "apply_scenario", "MINIMAL_CASE", "write_minimal_case", "write_synthetic_case"]
