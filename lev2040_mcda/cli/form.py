"""``lev2040 form``: the weighting form for stakeholders, one self-contained HTML page (built by
``lev2040_mcda.form``) that makes an ordinary submission file for the case's ``weights/``."""

from __future__ import annotations

import click

__all__ = ["form"]


@click.command()
@click.argument("case", type=click.Path())
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (e.g. form.html); its folder must exist.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the page [default: the case's language].",
)
@click.option("--group", metavar="GROUP", help="Fix the stakeholder group (one of the case's groups).")
def form(case: str, output: str, lang: str | None, group: str | None) -> None:
    """A weighting form for stakeholders: one HTML page to e-mail or put online.

    The page lists the case's goals and criteria and lets a stakeholder weight them with any
    method (points, ranking, direct, swing, pairwise with the consistency ratio shown live),
    then saves the submission as a YAML or JSON file for CASE/weights/. It works offline from
    the file itself, loads nothing and sends nothing. --group fixes the group, so that each
    group can get its own page.
    """
    from ..case import load_case
    from ..errors import did_you_mean
    from ..form import build_form
    from ..output import write_atomic

    loaded = load_case(case)
    ids = [g.id for g in loaded.groups]
    if group is not None and group not in ids:
        expected = f"one of {', '.join(ids)}" if ids else "none: the case has no groups"
        raise click.BadParameter(
            f"unknown group {group!r} (expected {expected}){did_you_mean(group, ids)}", param_hint="'--group'"
        )
    write_atomic(output, build_form(loaded, lang=lang, group=group))
    click.echo(f"wrote {output}", err=True)
