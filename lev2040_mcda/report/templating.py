"""The Jinja2 environment of every HTML page the engine writes (the report, the stakeholders'
form): one place for the escaping rules, so that a name from a case reads the same, and is as
harmless, on each page."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["html_environment"]


def html_environment(package: str) -> jinja2.Environment:
    """A Jinja2 environment for the HTML templates in ``package``'s ``templates/`` folder, with
    the escaping rules of every page the engine writes (the report, the stakeholders' form).

    Autoescaping is on for every template, and undefined names fail (a misspelt key is an error,
    not an empty cell). Values are escaped as :func:`html.escape` does (``&quot;``, ``&#x27;``),
    as the page always has: markupsafe's own entities (``&#34;``) would change the page's bytes.
    ``trim_blocks`` and ``lstrip_blocks`` let block tags stand on lines of their own.
    """
    import jinja2
    from markupsafe import Markup

    def escape(value: Any) -> Any:
        return value if hasattr(value, "__html__") else Markup(html.escape(str(value)))

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=escape,
    )
