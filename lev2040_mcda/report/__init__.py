"""The report for people who never open a terminal: the HTML page with its figures, the workbook,
and the German and English texts.
"""

from __future__ import annotations

from .page import (
    SECTIONS,
    SHEETS,
    Stages,
    build_report,
    compute_stages,
    render_page,
    render_workbook,
    report_language,
    sheet_names,
    write_report,
)

__all__ = [
    "SECTIONS",
    "SHEETS",
    "Stages",
    "compute_stages",
    "render_page",
    "render_workbook",
    "write_report",
    "build_report",
    "report_language",
    "sheet_names",
]
