"""Where the embarrassingly parallel loops run: in this process, a local process pool, or a Dask
cluster, always through one :class:`concurrent.futures.Executor`.

A loop (core-index samples, explanation re-solves, SMAA blocks, the CIB search) cuts its work into
fixed chunks, each a call of a module-level function on picklable data, seeded per chunk where it
samples; :func:`run` hands the chunks to the executor and returns their results in chunk order. So
the result is the same whichever executor runs it, and the caller chooses the executor:

- an :class:`~concurrent.futures.Executor` of its own (a ``ProcessPoolExecutor``, or
  ``distributed.Client(...).get_executor(pure=False)``), used as it is and left open;
- a :class:`Scheduler`, what the command line's ``--scheduler`` says: ``auto`` (a local process
  pool from a size on; below it, this process until the first chunk shows that the rest would take
  longer than :data:`AFTER` seconds, then a pool for the rest; a Dask cluster when
  ``DASK_SCHEDULER_ADDRESS`` is set), ``local``, ``processes``, or a Dask scheduler's address
  (``tcp://host:8786``);
- None: this process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import InputError, Problem

__all__ = ["AFTER", "ENV_ADDRESS", "Auto", "InProcess", "Scheduler", "cores", "open_executor", "run"]

ENV_ADDRESS = "DASK_SCHEDULER_ADDRESS"
"""The environment variable Dask itself reads for its scheduler; ``auto`` follows it too."""
KINDS = ("auto", "local", "processes")
AFTER = 3.0
"""Seconds of work left, judged from the first chunk, from which ``auto`` starts a local pool for
the rest of a loop (starting one costs about a second per process)."""
CONNECT_TIMEOUT = "10s"
"""How long a Dask scheduler may take to answer before the run stops with a message."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Scheduler:
    """Where a run's parallel loops go. ``where`` is ``auto``, ``local``, ``processes`` or a Dask
    scheduler's address; ``workers`` the size of a local pool (None: one per core)."""

    where: str = "auto"
    workers: int | None = None

    @classmethod
    def parse(cls, text: str | None, workers: int | None = None) -> Scheduler:
        """The command line's ``--scheduler`` (None: ``auto``); an address needs a ``scheme://``."""
        where = (text or "auto").strip()
        if where not in KINDS and "://" not in where:
            raise InputError(
                Problem(
                    "--scheduler",
                    f"{where!r} is neither auto, local, processes nor a Dask scheduler's address "
                    "(such as tcp://host:8786)",
                )
            )
        if workers is not None and workers < 1:
            raise InputError(Problem("--workers", f"needs at least 1 worker, got {workers}"))
        return cls(where, workers)

    def address(self) -> str | None:
        """The Dask scheduler this run uses, if any: the one named, or under ``auto`` the one in
        :data:`ENV_ADDRESS`."""
        if "://" in self.where:
            return self.where
        if self.where == "auto":
            return os.environ.get(ENV_ADDRESS) or None
        return None


class InProcess(Executor):
    """Runs each call at once, in this process: the executor of small loops and of tests."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as e:  # handed to whoever asks for the result, as any executor does
            future.set_exception(e)
        return future


class Auto(Executor):
    """``auto`` below a loop's size: :func:`run` solves the first chunk here, and hands the rest to
    ``pool`` (a context manager of an executor: local processes, or the Dask cluster of
    :data:`ENV_ADDRESS`; opened at the first :meth:`submit`) only when they would take long."""

    def __init__(self, pool: Callable[[], AbstractContextManager[Executor]], after: float = AFTER):
        self.after = after
        self._open = pool
        self._stack = ExitStack()
        self._pool: Executor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if self._pool is None:
            self._pool = self._stack.enter_context(self._open())
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._stack.close()


def _process_pool(workers: int) -> Executor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: HiGHS keeps threads, and a forked copy of them can hang
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


@contextmanager
def open_executor(
    chosen: Executor | Scheduler | None, size: int = 0, parallel_from: int = 1, threads: bool = False
) -> Iterator[Executor]:
    """The executor for a loop of ``size`` (in whatever unit ``parallel_from`` counts): the caller's
    own, or the one a :class:`Scheduler` names, opened here and closed after the loop. Under
    ``auto`` a loop below ``parallel_from`` gets :class:`Auto`: local processes, or the Dask
    cluster of :data:`ENV_ADDRESS`, only once its first chunk shows that it is long.

    ``threads``: the loop's chunks spend their time in numpy calls that release the GIL (drawing,
    sorting, array arithmetic), so ``auto`` and ``processes`` share them among threads of this
    process: as fast as processes, without a second to start them or the data to pickle."""
    if isinstance(chosen, Executor):
        yield chosen
        return
    spec = chosen or Scheduler("local")
    address = spec.address()
    workers = spec.workers or cores()
    if address is not None:
        if spec.where == "auto" and size < parallel_from:
            with Auto(lambda: _dask(address)) as ex:
                yield ex
            return
        with _dask(address) as ex:
            yield ex
        return
    if spec.where == "local" or (spec.where == "auto" and workers < 2):
        yield InProcess()
        return
    if threads:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as ex:
            yield ex
        return
    if spec.where == "processes" or size >= parallel_from:
        with _process_pool(workers) as ex:
            yield ex
        return
    with Auto(lambda: _process_pool(workers)) as ex:
        yield ex


@contextmanager
def _dask(address: str) -> Iterator[Executor]:
    """An executor on the Dask cluster at ``address``; what goes wrong with the cluster (no answer,
    a worker with more than one thread, a worker lost or without lev2040-mcda) is one line."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            Problem("--scheduler", "a Dask scheduler needs Dask: pip install 'lev2040-mcda[dask]'")
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(Problem("--scheduler", f"no Dask scheduler answers at {address} ({e})")) from None
    try:
        threads = sorted({n for n in client.nthreads().values() if n > 1})
        if threads:
            # HiGHS's thread pool and the quiet solver output are per process: one chunk at a time
            raise InputError(
                Problem(
                    "--scheduler",
                    f"the Dask workers at {address} run {threads[-1]} threads each; start them with "
                    "`dask worker ADDRESS --nthreads 1` (as many workers as cores)",
                )
            )
        try:
            yield client.get_executor(pure=False)
        except Exception as e:
            if _cluster_failure(e):
                raise InputError(
                    Problem("--scheduler", f"the Dask cluster at {address} failed: {type(e).__name__}: {e}")
                ) from None
            raise
    finally:
        client.close()


def _cluster_failure(e: BaseException) -> bool:
    """Whether ``e`` is the cluster's failure rather than the chunk's own error: a lost worker or
    connection, or a worker that cannot import this package."""
    if isinstance(e, ModuleNotFoundError):
        return (e.name or "").split(".")[0] == __package__
    names = {c.__name__ for c in type(e).__mro__}
    return bool(names & {"KilledWorker", "CommClosedError", "FutureCancelledError", "CancelledError"})


def run(
    fn: Callable[..., Any],
    chunks: Sequence[tuple],
    executor: Executor | None = None,
    done: Callable[[Any], None] | None = None,
    local: Callable[..., Any] | None = None,
) -> list[Any]:
    """``fn(*chunk)`` for every chunk, in chunk order; ``done(result)`` as each one finishes (in
    this process one after the other, so a progress line moves). ``local``, when given, is what
    this process calls instead of ``fn`` for the chunks it runs itself (the same result, from what
    it already holds: a built model); it reports its own progress, ``done`` is not called for them."""
    here = local or fn
    tell = done if local is None else None
    results: list[Any] = []
    if isinstance(executor, Auto) and chunks:
        start = time.perf_counter()
        results.append(here(*chunks[0]))
        if tell is not None:
            tell(results[0])
        chunks = chunks[1:]
        if (time.perf_counter() - start) * len(chunks) <= executor.after:
            executor = None  # the rest is quick: here too
    if executor is None or isinstance(executor, InProcess):
        for chunk in chunks:
            results.append(here(*chunk))
            if tell is not None:
                tell(results[-1])
        return results
    return results + _pooled(executor, fn, chunks, done)


def _pooled(
    executor: Executor, fn: Callable[..., Any], chunks: Sequence[tuple], done: Callable[[Any], None] | None
) -> list[Any]:
    futures = [executor.submit(fn, *chunk) for chunk in chunks]
    try:
        for f in as_completed(futures):
            if done is not None:
                done(f.result())
        return [f.result() for f in futures]
    finally:
        for f in futures:
            f.cancel()
