"""``lev2040 report``: the whole analysis as one page for people and its data for programs (the
page itself is built by ``lev2040_mcda.report``)."""

from __future__ import annotations

import click

from .options import _ONE_METHOD, _limits, scheduler_options, weight_options
from .portfolio_run import budget_shares, with_fair_options
from .progress import showing

__all__ = ["report"]


_SKIPPED = {
    "weights": "the group and consensus weights (equal weights used)",
    "portfolio": "the proposed portfolio and its frontier",
    "fair": "the fair compromise between the groups",
    "frontier_stage": "the frontier",
    "cib": "the CIB scenarios",
}
"""Parts of the report that a case may lack what they need for, as the notes on stderr name them."""


@click.command()
@click.argument("case", type=click.Path())
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for index.html, results.xlsx and json/ (created when missing; replaced as a whole).",
)
@click.option("--scenario", help="Rank and build the portfolio as the case looks in this scenario.")
@weight_options(scenario=False)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="RESOURCE=VALUE",
    help="Override a resource limit, repeatable (e.g. cost_eur_m=180).",
)
@click.option("--include", multiple=True, metavar="ID", help="Force a measure in.")
@click.option("--exclude", multiple=True, metavar="ID", help="Force a measure out.")
@click.option(
    "--cover",
    type=click.IntRange(min=0),
    default=None,
    help="Every goal served by at least this many selected measures.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the report [default: the case's `language`, else en].",
)
@click.option(
    "--method", type=_ONE_METHOD, default=None, help="MCDM method [default: the case's, else topsis]."
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Weight samples for SMAA (ranking stability).",
)
@click.option(
    "--robust-samples",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Weight samples per scenario for the core index (robustness).",
)
@click.option("--seed", type=int, default=None, help="Random seed [default: the case's].")
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs"]),
    default=None,
    help="MILP solver [default: the case's, else cbc].",
)
@click.option(
    "--steps",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Levels of the value-against-budget frontier.",
)
@with_fair_options
@scheduler_options
def report(
    case: str,
    out_dir: str,
    scenario: str | None,
    weights_from: str,
    group: str | None,
    weights_file: str | None,
    option_pairs: tuple[str, ...],
    limits: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    cover: int | None,
    lang: str | None,
    method: str | None,
    samples: int,
    robust_samples: int,
    seed: int | None,
    solver: str | None,
    steps: int,
    need_weighting: bool | None,
    min_benefit_per_resident: float | None,
    min_budget_share: tuple[str, ...],
    scheduler,
) -> None:
    """The whole analysis of CASE as one report for people, and its data for programs.

    Writes DIR/index.html (one self-contained page: figures inline, no network needed),
    DIR/results.xlsx (one sheet per table) and DIR/json/<stage>.json (each with provenance),
    then prints the path of index.html. On a terminal, stderr shows which step it is in (stage
    k/N), how far a long step is (samples, solves), its time and about how long it has left.

    DIR is replaced as a whole, in one step, once the new report is complete: a failed or killed
    run leaves the previous report. DIR may be new (its parent folder must exist), empty, or an
    earlier report; a folder with other files in it is never replaced.

    The what-if options are those of `lev2040 portfolio`: the weights (--weights-from, --group,
    --weights, --option) in every section that ranks or values measures, the limits, --include,
    --exclude, --cover, need weighting and the equity rules in the proposed portfolio and its
    frontier; the page says at its top which what-if it shows.
    """
    from ..case import load_case
    from ..report import build_report
    from ..report.build import report_steps

    if method == "all":
        raise click.UsageError("the report needs one method, not `all`")
    loaded = load_case(case)
    what_if = {
        "weights_from": weights_from,
        "group": group,
        "weights_file": weights_file,
        "option_pairs": option_pairs,
        "limits": _limits(limits),
        "include": include,
        "exclude": exclude,
        "coverage": cover,
        "need_weighting": need_weighting,
        "min_benefit_per_resident": min_benefit_per_resident,
        "min_budget_share": budget_shares(min_budget_share, loaded) or None,
    }
    with showing("report", report_steps(loaded)) as display:
        result = build_report(
            loaded,
            out_dir,
            lang=lang,
            scenario=scenario,
            method=method,
            solver=solver,
            samples=samples,
            seed=seed,
            steps=steps,
            robust_samples=robust_samples,
            **what_if,
            executor=scheduler,
            progress=display.stage if display else None,
            detail=(lambda part, done, total: display.update(done, total, part)) if display else None,
        )
    for part, what in _SKIPPED.items():
        if part in result["details"]:
            click.echo(f"note: skipped {what}: {result['details'][part]}", err=True)
    click.echo(str(result["index"]))
