"""The form as one HTML document: ``templates/form.html`` with the style sheet and the scripts of
``templates/`` put inline, and the case's data as JSON (:mod:`.data`).

The template is rendered by Jinja2 with autoescaping on, as the report's page is
(:mod:`lev2040_mcda.report.page`): every text from the case is escaped where it is put. The only
values marked safe are the package's own files (style sheet, scripts) and the JSON block, which
:func:`.data.script_json` has made safe for a ``<script>`` element.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

from ..case import Case
from ..errors import InputError, Problem, did_you_mean
from .data import form_data, script_json
from .texts import form_language

if TYPE_CHECKING:
    import jinja2

__all__ = ["build_form", "FORM_SCRIPTS"]

FORM_SCRIPTS = ("ahp.js", "file.js", "form.js")
"""The scripts of the page, in the order they run: the AHP arithmetic, the file, then the form."""


def _asset(name: str) -> str:
    text = (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")
    if "</" in text and name.endswith(".js"):  # a script must not be able to close its element
        raise AssertionError(f"{name} contains '</'")
    return text


@functools.cache
def _environment() -> jinja2.Environment:
    """The form's template, with the report's escaping rules (autoescaping, undefined names failing)."""
    from ..report import html_environment

    return html_environment(__package__)


def build_form(case: Case, *, lang: str | None = None, group: str | None = None) -> str:
    """The weighting form of ``case`` as one self-contained HTML document.

    ``lang`` (``de`` or ``en``; default: the case's ``language``) is the page's language;
    ``group`` fixes the stakeholder group (one of the case's groups), else the person chooses it.
    The page loads nothing and sends nothing: its style and scripts are inline, and its content
    security policy forbids any connection.

    Raises
    ------
    InputError
        for a language the form does not speak, or a group the case does not have.
    """
    from markupsafe import Markup

    lang = form_language(case.config.language, lang)
    ids = [g.id for g in case.groups]
    if group is not None and group not in ids:
        expected = f"one of {', '.join(ids)}" if ids else "none: the case has no groups"
        raise InputError(
            Problem("--group", f"unknown group {group!r} (expected {expected}){did_you_mean(group, ids)}")
        )
    data = form_data(case, lang, group)
    t = data["t"]
    title = data["case"]["title"]
    return (
        _environment()
        .get_template("form.html")
        .render(
            lang=lang,
            t=t,
            title=title,
            page_title=t["page.title"].format(case=title),
            groups=data["groups"],
            group=group,
            group_name=next((g["name"] for g in data["groups"] if g["id"] == group), None),
            levels=[lv for lv in ("goals", "criteria") if lv in data["levels"]],
            level=data["level"],
            methods=data["methods"],
            css=Markup(_asset("form.css")),
            scripts=[Markup(_asset(name)) for name in FORM_SCRIPTS],
            data=Markup(script_json(data)),
        )
    )
