"""The solvers every portfolio model of the engine uses (CBC or HiGHS through PuLP): made the same
way (quiet, to the same proven gap), the bound a stopped solve proved, and standard output kept for
results.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import warnings
from typing import Any

import numpy as np

__all__ = ["make_solver", "solver_bound", "quiet_stdout", "run_one_thread", "SOLVERS", "MIP_GAP"]

SOLVERS = ("cbc", "highs")
MIP_GAP = 1e-9
"""Relative gap at which both solvers must stop: "optimal" means proven to this tolerance (HiGHS
would otherwise stop at its default 1e-4 and still say optimal)."""


def make_solver(name: str, time_limit: float | None = None, log_path: str | None = None) -> Any:
    """The PuLP solver object every model of the engine uses: quiet, to the same proven gap.

    ``log_path`` (CBC only) keeps CBC's log, the one place it states its bound."""
    import pulp

    kw: dict[str, Any] = {"msg": False, "gapRel": MIP_GAP}
    if time_limit is not None:
        kw["timeLimit"] = time_limit
    if name == "highs":
        return pulp.HiGHS(**kw)
    # CBC skips any portfolio less than its cutoff increment (about 1e-5) better than the best one
    # so far, whatever the gap: a measure worth 1e-5 would be left out of a proven optimum
    # PuLP 3.3 deprecates its bundled CBC for 4.0 (COIN_CMD with `pulp[cbc]`); until the engine moves,
    # that notice is for us, not for the user running a command
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PULP_CBC_CMD is deprecated", category=DeprecationWarning)
        return pulp.PULP_CBC_CMD(
            **kw, options=["increment 1e-9"], **({"logPath": log_path} if log_path else {})
        )


@contextlib.contextmanager
def _log_file(wanted: bool):
    """A temporary path for a solver log (None when not wanted), removed afterwards."""
    if not wanted:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="lev2040-") as tmp:
        yield os.path.join(tmp, "solver.log")


_CBC_BOUND = re.compile(r"^(?:Upper|Lower) bound:\s*(\S+)", re.MULTILINE)


def solver_bound(prob: Any, solver: str, log_path: str | None = None) -> float | None:
    """The best bound on the objective of ``prob`` that its last solve proved, in the problem's own
    sense (an upper bound when maximising); None when the solver did not state one.

    HiGHS keeps it in its info (PuLP hands HiGHS a maximisation negated); CBC only prints it, in the
    log it writes when stopped early ("Upper bound: ..." when maximising)."""
    import pulp

    sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
    if solver == "highs":
        model = getattr(prob, "solverModel", None)
        if model is None:
            return None
        bound = float(model.getInfo().mip_dual_bound)
        return sign * bound if np.isfinite(bound) else None
    if not log_path or not os.path.exists(log_path):
        return None
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        found = _CBC_BOUND.findall(fh.read())
    try:
        bound = float(found[-1]) if found else None
    except ValueError:
        return None
    if bound is None or not np.isfinite(bound):
        return None
    # CBC prints the bound rounded: widen it by half its last digit, so that it stays a bound
    digits = len(found[-1].split(".")[1]) if "." in found[-1] and "e" not in found[-1].lower() else 0
    half = 0.5 * 10.0**-digits if digits else 0.0
    return bound + half if prob.sense == pulp.LpMaximize else bound - half


@contextlib.contextmanager
def quiet_stdout():
    """HiGHS prints a banner on standard output even with msg=False; keep stdout for results."""
    try:
        fd = os.dup(1)
    except OSError:  # no real stdout (e.g. captured in tests): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)


def run_one_thread(h: Any) -> None:
    """Run a highspy model set to one thread (``threads`` 1). HiGHS fixes its thread pool at a
    process's first solve and refuses a model whose ``threads`` differs from it, so when a solve
    through PuLP (HiGHS's default threads) came in between, the pool is reset and the run repeated."""
    import highspy

    if h.run() == highspy.HighsStatus.kError:
        highspy.Highs.resetGlobalScheduler(True)
        h.run()
