"""The guard every command runs in: no result is written over a file the command read.

:func:`guard_inputs` notes each file opened for reading (an audit hook) and protects it from the
writers of :mod:`lev2040_mcda.output`; the ``lev2040`` group (:mod:`lev2040_mcda.cli.app`) runs
every command in it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["guard_inputs"]

_READS: ContextVar[set[str] | None] = ContextVar("lev2040_reads", default=None)
_RUNTIME = tuple(sorted({os.path.join(p, "") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}))
_hooked = False


def _note_read(event: str, args: tuple) -> None:
    """Audit hook: note each file opened for reading while :func:`guard_inputs` is active.

    Python's own files (the interpreter's and the environment's, compiled modules) and folders
    are left out; an audit hook must never raise, so anything unexpected is ignored.
    """
    if event != "open":
        return
    reads = _READS.get()
    if reads is None:
        return
    try:
        path, _mode, flags = args
        flags = flags or 0
        if isinstance(path, int) or flags & getattr(os, "O_DIRECTORY", 0):
            return
        if flags & getattr(os, "O_ACCMODE", 3) == os.O_WRONLY:
            return
        name = os.path.abspath(os.fsdecode(path))
        if not name.endswith(".pyc") and not name.startswith(_RUNTIME):
            reads.add(name)
    except Exception:  # an audit hook that raises would break the open it watches
        pass


@contextlib.contextmanager
def guard_inputs() -> Iterator[None]:
    """Within this block, no result is written over a file that the command read.

    Every file opened for reading in the block -- the case's files, a shared criteria catalogue
    outside the case, a ``--weights`` file, whatever the command read -- is noted by an audit hook
    (:func:`sys.addaudithook`, installed once, idle outside the block) and protected from the
    writers of :mod:`lev2040_mcda.output` (:func:`~lev2040_mcda.output.protecting`), which compare
    files, not names: a symlink or a ``../`` spelling of an input is refused too. So no command
    has to list what it read, and a new reader cannot forget to. Nested blocks share the outer
    one's notes; reads in other threads are not seen (the case is read in the command's thread).
    """
    global _hooked
    if _READS.get() is not None:
        yield
        return
    from ..output import protecting

    if not _hooked:
        sys.addaudithook(_note_read)
        _hooked = True
    reads: set[str] = set()
    token = _READS.set(reads)
    try:
        with protecting(reads):
            yield
    finally:
        _READS.reset(token)
