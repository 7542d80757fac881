"""Writing results safely, for every stage that writes: JSON with provenance, CSV, atomic files.

Every JSON output is one object with the result and a ``provenance`` block; every CSV cell that a
spreadsheet would run as a formula is escaped. Files are written atomically and durably
(:func:`write_atomic`), folders as a whole (:func:`write_tree`): a failed or killed run never leaves
half a file, or a folder that mixes two runs. No output holds the clock (:func:`source_date`). A
write never creates missing folders on the way (a typo in ``-o`` must not grow a tree), nor, inside
:func:`protecting` (the CLI runs every command in one), goes over a file the run read.

Temporaries are named ``.NAME.lev2040-PID-XXXXXXXX.tmp`` (``.old``: a folder moved aside) next to
their target, and removed on every exit path a process can handle: exceptions, Ctrl-C, and SIGTERM
(while writing it unwinds like an exception, then the process ends by the signal). SIGKILL or a
power loss cannot be handled by the process they end: the next write into the same folder removes
the temporaries whose process is gone (the PID in the name) and puts back a folder moved aside.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from . import __version__
from .errors import McdaError, display_path
from .sheets import FORMULA_START, source_date, xlsx_bytes

__all__ = ["provenance", "to_json", "to_csv", "escape_cell", "plain", "source_date", "xlsx_bytes"]
__all__ += ["write_atomic", "write_tree", "protecting", "refuse_input", "OutputError"]


class OutputError(McdaError):
    """The result could not be written where it was asked to go."""

    exit_code = 2


def provenance(
    command: str,
    parameters: dict[str, Any],
    inputs: dict[str, str],
    solver: dict[str, Any] | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """The provenance block of every JSON output: what produced it, from which exact inputs."""
    return {
        "tool": "lev2040-mcda",
        "version": __version__,
        "python": platform.python_version(),
        "command": command,
        "parameters": parameters,
        "inputs": {path: {"sha256": digest} for path, digest in sorted(inputs.items())},
        "solver": solver,
        "seed": seed,
    }


def to_json(result: dict[str, Any], prov: dict[str, Any]) -> str:
    return json.dumps({**result, "provenance": prov}, ensure_ascii=False, indent=2, default=str) + "\n"


def escape_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would execute (``=cmd()``, ``+1``, ``@SUM``); numbers stay.

    >>> escape_cell("=HYPERLINK(1)"), escape_cell(-3.5), escape_cell("-3.5"), escape_cell("ok")
    ("'=HYPERLINK(1)", -3.5, '-3.5', 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else escape_cell(plain(v)) for v in row])
    return buf.getvalue()


def plain(v: Any) -> Any:
    """A list or tuple as one cell: its items joined by ``; ``."""
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return v


# -- never write over an input ----------------------------------------------------------------

_PROTECTED: ContextVar[Collection[str | Path]] = ContextVar("lev2040_protected", default=())


@contextlib.contextmanager
def protecting(paths: Collection[str | Path]) -> Iterator[None]:
    """Within this block, :func:`write_atomic` and :func:`write_tree` refuse to write over any of
    ``paths`` (the files the caller read; it may keep adding to a set while in the block, and what
    a writer reads for itself, an old report's marker, is taken out again). The CLI runs every
    command in one, holding every file the command opened for reading."""
    token = _PROTECTED.set(paths)
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def _inputs(extra: Iterable[str | Path]) -> list[str]:
    return [*sorted(os.fspath(p) for p in _PROTECTED.get()), *(os.fspath(p) for p in extra)]


def refuse_input(target: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Raise :class:`OutputError` when ``target`` is one of ``inputs`` or of the files protected by
    :func:`protecting` -- the same file by any spelling: a symlink, ``../``, a hard link (the
    device and inode are compared)."""
    try:
        mine = os.stat(target)
    except OSError:
        return  # nothing there yet: it cannot be an input
    for path in _inputs(inputs):
        try:
            other = os.stat(path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (mine.st_dev, mine.st_ino):
            shown = display_path(path)
            same = "" if os.path.abspath(shown) == os.path.abspath(target) else f" (it is {shown})"
            raise OutputError(
                f"{target}: is an input of this run{same}; refusing to write over it (choose another file)"
            )


def _input_inside(folder: Path, inputs: Iterable[str | Path]) -> str | None:
    """The first file the run read that lies inside ``folder`` (compared as resolved paths)."""
    root = os.path.join(os.path.realpath(folder), "")
    for path in _inputs(inputs):
        if os.path.join(os.path.realpath(path), "").startswith(root):
            return display_path(path)
    return None


# -- temporaries -------------------------------------------------------------------------------

_TEMP = re.compile(r"^\.(?P<name>.+)\.lev2040-(?P<pid>\d+)-[A-Za-z0-9_]+\.(?P<kind>tmp|old)$")


def _temp_prefix(name: str) -> str:
    return f".{name[:120]}.lev2040-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # os.kill(pid, 0) would end it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or cannot tell: keep its files
        pass
    return True


def remove_stale_temporaries(folder: str | Path) -> None:
    """Remove what killed runs left in ``folder``: temporaries named with the PID of a process
    that is gone. A folder moved aside (``.old``) whose place is empty is put back instead."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None or _alive(int(m["pid"])):
            continue
        path, home = Path(entry.path), Path(folder) / m["name"]
        with contextlib.suppress(OSError):
            if m["kind"] == "old" and not os.path.lexists(home):
                os.rename(path, home)
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()


class _Terminated(BaseException):
    """SIGTERM arrived while writing: unwind (removing temporaries), then end by the signal."""


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While writing, SIGTERM unwinds like Ctrl-C, so that ``finally`` removes the temporaries;
    then the process ends by SIGTERM as it would have. Only in the main thread and only when the
    program has not set its own handler (then that handler decides)."""
    import signal
    import threading

    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def on_term(_signum: int, _frame: Any) -> None:
        raise _Terminated

    signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


# -- writing -----------------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: str | Path) -> None:
    """Make a rename in ``folder`` durable (where the file system can sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(fd: int, data: bytes) -> None:
    """Write ``data`` to the new file ``fd`` with ordinary permissions, on disk before it returns."""
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; results are ordinary files
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _check_folder(shown: Path, folder: Path, parents: bool, shown_folder: Path | None = None) -> None:
    """The folder a result goes into must exist (or be made when ``parents``): no silent tree."""
    if parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write ({exc.strerror or exc})") from None
    elif not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{shown}: cannot write (folder {shown_folder or folder} {what})")


def write_atomic(path: str | Path, text: str | bytes, *, parents: bool = False, update: bool = False) -> None:
    """Write ``text`` (or bytes) to ``path``: never half a file, not even after a power loss.

    A temporary file next to ``path`` is written and fsynced, renamed over ``path``, and the folder
    is fsynced, so ``path`` is the old file or the whole new one. The folder must exist
    (``parents=True`` creates it). A protected file (:func:`protecting`) is refused, unless
    ``update``: the caller read the file to change it on purpose (``lev2040 scenarios --write``
    into scenarios.yaml). Raises :class:`OutputError` when the folder is missing, the target an
    input, or writing fails.
    """
    target = Path(path)
    _check_folder(target, target.parent, parents)
    if not update:
        refuse_input(target)
    remove_stale_temporaries(target.parent)
    data = text.encode("utf-8") if isinstance(text, str) else text
    with _terminate_cleanly():
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=target.parent)
            _write_synced(fd, data)
            os.replace(tmp, target)
            tmp = None
        except OSError as exc:
            raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``);
    ``False`` where the system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


def _swap_in(new: Path, target: Path) -> None:
    """Put the folder ``new`` in the place of ``target``; afterwards ``new`` holds the old folder
    (or nothing), for the caller to remove."""
    if not os.path.lexists(target):
        os.rename(new, target)
    elif not _exchange(new, target):  # two renames: between them, target is missing
        old = new.with_name(new.name[: -len(".tmp")] + ".old")
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
        os.rename(old, new)


def write_tree(
    path: str | Path,
    files: Mapping[str, str | bytes] | None,
    *,
    replaceable: Callable[[Path], str | None],
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write the folder ``path`` holding exactly ``files`` (relative path -> content), as a whole.

    The files are written and fsynced into a temporary sibling folder, which then takes the place
    of ``path`` in one step: on Linux the two names are exchanged (``renameat2``), so a reader, a
    crash or a SIGKILL finds the old folder or the new one, never a mix; elsewhere two renames,
    between which ``path`` is briefly missing (after a crash there, the next write puts the old
    folder back). The old folder is removed only once the new one is in place.

    ``path`` itself may be created, its parent must exist. An existing folder is replaced only when
    ``replaceable(folder)`` returns ``None`` (else its reason is raised): this module never removes
    a folder it was not told it may, nor one that holds one of ``inputs`` or a protected file
    (:class:`OutputError`, as when the parent is missing or the folder cannot be written).
    ``files=None`` only checks all that, so that a long computation before the write fails at once.
    """
    shown = Path(path)
    real = Path(os.path.realpath(shown))  # a symlink to a report folder: the report goes there
    _check_folder(shown, real.parent, False, shown.parent)
    inputs = list(inputs)
    if os.path.lexists(real):
        if not real.is_dir():
            raise OutputError(f"{shown}: cannot write (it is a file, not a folder)")
        inside = _input_inside(real, inputs)
        if inside is not None:
            raise OutputError(f"{shown}: holds {inside}, an input of this run; refusing to replace it")
        protected = _PROTECTED.get()
        before = set(protected)
        reason = replaceable(real)
        if isinstance(protected, set):  # what it read (an old report's marker) is no input
            protected.intersection_update(before)
        if reason is not None:
            raise OutputError(f"{shown}: {reason}")
    if files is None:
        return
    remove_stale_temporaries(real.parent)
    with _terminate_cleanly():
        tmp = None
        try:
            tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(real.name), suffix=".tmp", dir=real.parent))
            os.chmod(tmp, 0o777 & ~_umask())
            folders = {tmp}
            for rel, content in sorted(files.items()):
                file = tmp / rel
                if file.parent not in folders:
                    file.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(file.parent)
                data = content.encode("utf-8") if isinstance(content, str) else content
                _write_synced(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), data)
            for folder in sorted(folders, key=lambda p: -len(p.parts)):
                _fsync_dir(folder)
            _swap_in(tmp, real)
            _fsync_dir(real.parent)
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write ({exc.strerror or exc})") from None
        finally:
            if tmp is not None and os.path.lexists(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
