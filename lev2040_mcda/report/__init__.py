"""The report for people who never open a terminal: the HTML page with its figures, the workbook,
and the German and English texts.
"""

from __future__ import annotations

from .build import build_report, write_report
from .context import report_language
from .page import CIB_SECTION, SECTIONS, render_page
from .stadtcheck import stadtcheck_maps
from .stages import Stages, compute_stages
from .templating import html_environment
from .workbook import SHEETS, render_workbook, sheet_names

__all__ = [
    "SECTIONS",
    "CIB_SECTION",
    "SHEETS",
    "Stages",
    "compute_stages",
    "render_page",
    "html_environment",
    "render_workbook",
    "write_report",
    "build_report",
    "report_language",
    "sheet_names",
    "stadtcheck_maps",
]
