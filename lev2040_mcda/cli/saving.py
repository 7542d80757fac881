"""``--save NAME [--note TEXT]`` on every analysis command, and writing a command's result in the
format asked (saving it on the way when asked).

A command hands :func:`emit_result` one renderer per format; without ``--save`` only the format
asked is rendered, as before. With ``--save`` every format is rendered once from the same result
and kept in the run store (:mod:`lev2040_mcda.runs`), so that ``lev2040 runs show`` prints, byte
for byte, what the command printed (or would have printed with another ``--format``); what is
printed does not change, and one line on stderr says where the run went.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .options import FORMATS, emit

__all__ = ["case_root", "emit_result", "file_options", "save_options", "store_option"]

_SAVE = "lev2040.save"
_NOT_KEPT = ("save", "note", "store")
"""Options of a command that are not part of what it computed (``runs rerun`` sets them anew)."""

store_option = click.option(
    "--store",
    envvar="LEV2040_STORE",
    default=None,
    metavar="PATH|URL",
    help="The run store: an SQLite file, or postgresql://user@host/db for a team "
    "(needs lev2040-mcda[team]) [default: CASE/.lev2040/runs.sqlite; env LEV2040_STORE].",
)


@dataclasses.dataclass(frozen=True)
class _Saving:
    name: str
    note: str
    store: str | None


def case_root(case: str | Path) -> Path:
    """The case folder of a CASE argument (the folder, or its ``case.yaml``)."""
    path = Path(case)
    return path.parent if path.suffix.lower() in (".yaml", ".yml") and not path.is_dir() else path


def save_options(fn: Callable) -> Callable:
    """``--save NAME``, ``--note TEXT`` and ``--store``: keep this run in the run store. The name
    and the store are checked before the command computes anything."""

    @click.option(
        "--save",
        metavar="NAME",
        default=None,
        help="Also keep this run under NAME in the run store (`lev2040 runs list CASE`); "
        "a run of that name is replaced. What is printed does not change.",
    )
    @click.option("--note", default=None, help="A note kept with the saved run (with --save).")
    @store_option
    @functools.wraps(fn)
    def wrapper(*args: Any, save: str | None, note: str | None, store: str | None, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        ctx.meta.pop(_SAVE, None)
        if save is None:
            if note is not None:
                raise click.UsageError("--note goes with --save NAME")
            return fn(*args, **kwargs)
        from ..case import find_case_file
        from ..errors import McdaError
        from ..runs import check_name, open_store

        check_name(save)
        target = kwargs["case"] if "case" in kwargs else kwargs["source"]
        if not find_case_file(target).is_file():
            raise click.UsageError(f"--save keeps the runs of a case: {target} is not a case")
        open_store(case_root(target), store).close()  # a bad store fails before the work
        ctx.meta[_SAVE] = _Saving(save, note or "", store)
        try:
            return fn(*args, **kwargs)
        except McdaError:
            if ctx.meta.pop(_SAVE, None) is not None:  # the command stopped before its result
                click.echo(f"note: run {save!r} not saved: the command gave no result", err=True)
            raise

    return wrapper


def emit_result(fmt: str, output: str | None, loaded: Any, render: dict[str, Callable[[], str]]) -> None:
    """Write the result in ``fmt`` (to ``output`` or stdout; see :func:`~.options.emit`), and keep
    it in the run store when the command was given ``--save``."""
    ctx = click.get_current_context()
    saving: _Saving | None = ctx.meta.pop(_SAVE, None)
    if saving is None:
        emit(render[fmt](), output)
        return
    texts = {f: render[f]() for f in FORMATS}
    run = _run(ctx, saving, loaded, texts)
    from ..runs import open_store

    emit(texts[fmt], output)  # first: a store that fails now loses no result
    with open_store(loaded.root, saving.store) as store:
        old = store.save(run)
        where = store.location
    click.echo(
        f"saved run {run.name!r} in {where}"
        + (f" (it replaces the {old.command} run saved {old.created})" if old is not None else ""),
        err=True,
    )


def _run(ctx: click.Context, saving: _Saving, loaded: Any, texts: dict[str, str]) -> Any:
    from .. import __version__
    from ..runs import Run

    result = json.loads(texts["json"])
    prov = result.get("provenance", {})
    solver = prov.get("solver") or {}
    value = result.get("objective")
    params, files = _relative_files(ctx, loaded.root)
    inputs = {k: v["sha256"] for k, v in prov.get("inputs", {}).items()}
    return Run(
        name=saving.name,
        command=ctx.info_name or ctx.command.name or "",
        case=loaded.config.name,
        params=_plain(params),
        inputs={**files, **inputs},
        version=__version__,
        solver=solver.get("name"),
        status=result.get("status") or solver.get("status") or "done",
        value=value if isinstance(value, int | float) and not isinstance(value, bool) else None,
        result=result,
        outputs=texts,
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
        note=saving.note,
        defaults=_plain({p.name: _default(p, ctx) for p in ctx.command.params if p.name not in _NOT_KEPT}),
    )


def file_options(command: click.Command) -> set[str]:
    """The options of ``command`` that name a file it reads (``--weights FILE``): saved relative to
    the case folder, hashed for staleness, and found again from the case when a run is rerun."""
    return {
        p.name
        for p in command.params
        if isinstance(p.type, click.Path) and p.name not in ("case", "source", "output", "store")
    }


def _relative_files(ctx: click.Context, root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The command's options to keep (file options relative to the case folder), and the sha256 of
    each file they name, as the provenance names inputs."""
    from ..case import current_hashes

    params = {k: v for k, v in ctx.params.items() if k not in _NOT_KEPT}
    files: dict[str, str] = {}
    for name in file_options(ctx.command) & set(params):
        if params[name]:
            rel = Path(os.path.relpath(os.path.abspath(params[name]), os.path.abspath(root))).as_posix()
            params[name] = rel
            digest = current_hashes(root, [rel])[rel]
            if digest is not None:
                files[rel] = digest
    return params, files


def _default(param: click.Parameter, ctx: click.Context) -> Any:
    value = param.get_default(ctx)
    return None if value is getattr(click.core, "UNSET", object()) else value


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Options as JSON: tuples as lists; anything else JSON cannot hold as its text."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, tuple):
            v = list(v)
        try:
            json.dumps(v, allow_nan=False)
        except (TypeError, ValueError):
            v = str(v)
        out[k] = v
    return out
