"""The stakeholder form: one self-contained HTML page per case (``lev2040 form``) on which a
stakeholder weights the goals or criteria with any of the engine's methods (points, ranking,
direct, swing, pairwise with the consistency ratio shown live) and gets an ordinary submission
file (YAML or JSON) for the case's ``weights/`` folder. The page works from ``file://``, loads
nothing and sends nothing.
"""

from __future__ import annotations

from .data import CR_LIMIT, form_data, script_json
from .page import FORM_SCRIPTS, build_form
from .texts import FORM_TEXTS, form_language, form_texts

__all__ = [
    "build_form",
    "form_data",
    "script_json",
    "form_texts",
    "form_language",
    "FORM_TEXTS",
    "FORM_SCRIPTS",
    "CR_LIMIT",
]
