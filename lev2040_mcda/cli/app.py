"""The ``lev2040`` command group: the command families registered on it, and the translation of
the engine's errors into one line each and an exit code.

Each command parses options, calls one library function and formats the result; the commands live
in one module per family (``case``, ``weights``, ``ranking``, ``conflicts``, ``portfolio``,
``robust``, ``report``). Heavy libraries (pandas, pymcdm, PuLP, networkx, even pydantic) are
imported inside the commands, so ``lev2040 --help`` starts at once.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from ..errors import McdaError
from .case import init, validate
from .conflicts import conflicts
from .form import form
from .frontier import frontier
from .guard import guard_inputs
from .portfolio import portfolio
from .ranking import rank, sensitivity
from .report import report
from .robust import robust
from .runs import runs
from .scenarios import scenarios
from .stadtcheck import stadtcheck
from .vote import vote
from .weights import schema, template, weights

__all__ = ["cli", "main"]


class _Group(click.Group):
    """Turns the engine's errors into one line each on stderr and their exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with guard_inputs():  # no command writes over a file it read (schema, template included)
                return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except McdaError as exc:
            for line in str(exc).splitlines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("LEV2040_DEBUG"):
                raise
            click.echo(
                f"lev2040: internal error: {type(exc).__name__}: {exc} "
                "(please report it; LEV2040_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lev2040")
def cli() -> None:
    """Multi-criteria decision support for a city's development strategy, for any case.

    Load a case folder (goals, criteria, measures, interactions, scenarios, stakeholder weights),
    check it, and work with it. Start with `lev2040 init DIR` or `lev2040 validate CASE`; the
    example case is cases/leverkusen-2040.
    """


# `lev2040 --help` lists the commands by name; here they are in the order of the data flow
for _command in (
    validate,
    init,
    stadtcheck,
    weights,
    schema,
    template,
    form,
    rank,
    sensitivity,
    conflicts,
    portfolio,
    frontier,
    scenarios,
    robust,
    vote,
    report,
    runs,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="lev2040")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
