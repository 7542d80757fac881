"""Many CLI runs in one child process, each under a time limit, all under one address-space limit.

``python -m tests.hostile_batch SPEC OUT`` reads a JSON list of runs (``{"id", "args", "cwd"}``),
runs each in-process with click's test runner (stdout and stderr apart, warnings on stderr as a
user would see them) and writes a JSON list of ``{"id", "code", "stdout", "stderr", "seconds",
"timed_out"}``. One Python start for a whole matrix of hostile files instead of one per file;
:func:`run_batch` is the parent's side.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

from .hostile import MEMORY_LIMIT, ROOT

__all__ = ["run_batch"]

PER_RUN_LIMIT = 10  # seconds for one command on one small hostile file


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that the CLI's `except Exception` does not eat it."""


def _on_alarm(signum, frame):  # pragma: no cover - runs in the child
    raise _Timeout


def run_batch(runs: list[dict], tmp: Path, timeout: float = 600) -> dict[str, dict]:
    """Run ``runs`` in one limited child; results by id."""
    spec, out = tmp / "batch-spec.json", tmp / "batch-out.json"
    spec.write_text(json.dumps(runs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    env.pop("LEV2040_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.hostile_batch", str(spec), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"the batch child failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}


def _main(spec: str, out: str) -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    warnings.simplefilter("default")  # every warning shows, once per place, as without filters
    from click.testing import CliRunner

    from lev2040_mcda.cli import cli

    signal.signal(signal.SIGALRM, _on_alarm)
    results = []
    for run in json.loads(Path(spec).read_text(encoding="utf-8")):
        os.chdir(run.get("cwd") or ROOT)
        start = time.perf_counter()
        timed_out = False
        signal.alarm(PER_RUN_LIMIT)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                res = CliRunner().invoke(cli, run["args"])
            code, stdout, stderr = res.exit_code, res.stdout, res.stderr
            if res.exception is not None and not isinstance(res.exception, SystemExit):
                stderr += f"\nTraceback: {type(res.exception).__name__}: {res.exception}"
        except _Timeout:
            timed_out, code, stdout, stderr = True, -1, "", "timed out"
        finally:
            signal.alarm(0)
        results.append(
            {
                "id": run["id"],
                "code": code,
                "stdout": stdout,
                "stderr": stderr,
                "seconds": round(time.perf_counter() - start, 3),
                "timed_out": timed_out,
            }
        )
    Path(out).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    _main(*sys.argv[1:3])
