"""The ``lev2040`` command: parses options, calls one library function, formats the result.

Heavy libraries (pandas, pymcdm, PuLP, networkx, even pydantic) are imported inside the commands,
so ``lev2040 --help`` starts at once.
"""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import McdaError

FORMATS = ("table", "json", "csv")


class _Group(click.Group):
    """Turns the engine's errors into one line each on stderr and their exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
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
            click.echo(f"lev2040: internal error: {type(exc).__name__}: {exc} "
                       "(please report it; LEV2040_DEBUG=1 shows the details)", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lev2040")
def cli() -> None:
    """Multi-criteria decision support for Leverkusen 2040+.

    Load a case folder (goals, criteria, measures, interactions, scenarios, stakeholder weights),
    check it, and work with it. Start with `lev2040 init DIR` or `lev2040 validate CASE`.
    """


def output_options(fn: Callable) -> Callable:
    """``--format`` and ``--output``, the same on every command."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="table for people, json (with provenance) or csv for programs.")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                  help="Write the result to this file (atomically) instead of standard output.")
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def emit(text: str, output: str | None) -> None:
    if output:
        from .report import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("case", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--strict", is_flag=True, help="Treat any rejected stakeholder submission as an error.")
@output_options
def validate(case: str, strict: bool, fmt: str, output: str | None) -> None:
    """Check a case folder and summarise it, or list every problem (exit code 2).

    CASE is the case folder (or its case.yaml). Problems are printed one per line as
    FILE:ROW: column 'x': what is wrong (what was expected).
    """
    from .errors import InputErrors
    from .load import load_case
    from .report import provenance, summary_csv, summary_table, to_json
    from .summary import summarize_case

    params = {"case": case, "strict": strict}
    try:
        loaded = load_case(case, strict=strict)
    except InputErrors as exc:
        if fmt == "json":  # programs get the problems as data too; people get the lines on stderr
            emit(to_json({"valid": False, "problems": [p.as_dict() for p in exc.problems]},
                         provenance("validate", params, exc.inputs)), output)
        raise
    summary = summarize_case(loaded)
    if fmt == "json":
        prov = provenance("validate", params, loaded.inputs)
        text = to_json({"valid": True, "summary": summary}, prov)
    elif fmt == "csv":
        text = summary_csv(summary)
    else:
        text = summary_table(summary)
    if fmt != "table":
        for line in loaded.rejected:
            click.echo(f"rejected: {line}", err=True)
    emit(text, output)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Write into DIRECTORY even when it is not empty.")
@output_options
def init(directory: str, force: bool, fmt: str, output: str | None) -> None:
    """Write the smallest valid case into DIRECTORY, as a starting point to edit."""
    from .report import provenance, to_csv, to_json
    from .scaffold import write_minimal_case

    written = write_minimal_case(directory, force=force)
    if fmt == "json":
        text = to_json({"written": written}, provenance("init", {"directory": directory}, {}))
    elif fmt == "csv":
        text = to_csv(["file"], [[w] for w in written])
    else:
        text = "".join(f"wrote {w}\n" for w in written) + (
            f"Next: edit the files, then run `lev2040 validate {directory}`.\n")
    emit(text, output)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="lev2040")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
