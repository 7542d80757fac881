"""The parallel loops (:mod:`lev2040_mcda.parallel`): the same results in this process, in a local
process pool and on a real Dask cluster (a ``distributed.LocalCluster`` of two worker processes),
for the explanations' re-optimisations, the frontier's steps and the core indices; and what the
command line says about a scheduler it cannot use."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.errors import InputError
from lev2040_mcda.parallel import InProcess, Scheduler, open_executor, run
from lev2040_mcda.portfolio import FastModel, PortfolioModel, explain, frontier_points

from .test_explain_fast import random_problem

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def dask_executor(cluster):
    from distributed import Client

    with Client(cluster) as client:
        yield client.get_executor(pure=False)


def _square(x: int) -> int:
    return x * x


def _fail(x: int) -> int:
    raise ValueError(f"bad {x}")


def test_run_keeps_chunk_order_and_reports_each_chunk():
    seen = []
    with ThreadPoolExecutor(3) as ex:
        assert run(_square, [(k,) for k in range(20)], ex, seen.append) == [k * k for k in range(20)]
    assert sorted(seen) == [k * k for k in range(20)]
    seen.clear()
    assert run(_square, [(3,), (4,)], None, seen.append) == [9, 16]
    assert seen == [9, 16]


def test_an_error_in_a_chunk_reaches_the_caller():
    with pytest.raises(ValueError, match="bad 2"):
        run(_fail, [(2,)], InProcess())
    with ThreadPoolExecutor(2) as ex, pytest.raises(ValueError, match="bad 1"):
        run(_fail, [(1,), (5,)], ex)


def test_local_stays_in_process_and_a_callers_executor_is_left_open():
    with open_executor(Scheduler("auto", 1), size=10**6, parallel_from=1) as ex:
        assert isinstance(ex, InProcess)  # one worker: nothing to share
    with open_executor(Scheduler("local", 2), size=10**6, parallel_from=1) as ex:
        assert isinstance(ex, InProcess)
    with ThreadPoolExecutor(1) as own:
        with open_executor(own, size=10**6) as ex:
            assert ex is own
        assert own.submit(_square, 5).result() == 25  # still open


def test_a_scheduler_is_auto_local_processes_or_an_address(monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    assert Scheduler.parse(None) == Scheduler("auto")
    assert Scheduler.parse("tcp://10.0.0.5:8786").address() == "tcp://10.0.0.5:8786"
    assert Scheduler.parse("auto").address() is None
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://h:1")
    assert Scheduler.parse("auto").address() == "tcp://h:1"
    assert Scheduler.parse("local").address() is None  # local means this process, whatever is set
    with pytest.raises(InputError, match="neither auto, local, processes"):
        Scheduler.parse("cluster-7")


def _explained(executor) -> dict:
    p = random_problem(5, 44)  # 44 measures + 2 resources: two chunks of re-optimisations
    model = PortfolioModel(p, "cbc")
    best = model.solve()
    return explain(model, best, fast=FastModel(model, nodes=0), executor=executor)


def test_explanations_are_the_same_on_every_executor(dask_executor):
    here = _explained(None)
    rows = here["selected"] + here["not_selected"]
    # some proven intervals and some exact answers: both kinds must travel unchanged
    assert any(r.get("exact") is False for r in rows) and any("exact" not in r for r in rows)
    assert _explained(Scheduler("processes", 2)) == here
    assert _explained(dask_executor) == here


def _steps(executor, solver: str = "highs") -> list[dict]:
    p = random_problem(8, 40)
    model = PortfolioModel(p, solver)
    fast = FastModel(model) if solver == "highs" else None
    return frontier_points(model, "cost", 12, fast=fast, executor=executor)


def test_frontier_steps_are_the_same_on_every_executor(dask_executor):
    here = _steps(None)
    assert all(pt["status"] == "optimal" for pt in here)
    assert len({tuple(pt["selected"]) for pt in here}) > 3
    assert _steps(Scheduler("processes", 2)) == here
    assert _steps(dask_executor) == here
    assert _steps(dask_executor, "cbc") == _steps(None, "cbc")


def test_core_indices_are_the_same_on_a_dask_cluster(dask_executor, monkeypatch):
    import lev2040_mcda.robust.core as robust

    from .test_robust import summary

    monkeypatch.setattr(robust, "CHUNK", 3)
    case = load_case(CASES / "leverkusen-2040")
    here = summary(case, samples=7)
    assert summary(case, samples=7, executor=dask_executor) == here
    assert 0 < sum(r["core_index"] for r in here["core_index"]) < len(here["core_index"])


def _without_time(text: str) -> dict:
    out = json.loads(text)
    out["provenance"].pop("created", None)
    return out


def test_the_command_line_runs_on_the_cluster_it_is_given(cluster, invoke, monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    case = str(CASES / "leverkusen-2040")
    args = ["robust", case, "--samples", "3", "--format", "json"]
    here = invoke(*args)
    there = invoke(*args, "--scheduler", cluster.scheduler_address)
    assert here.exit_code == 0 and there.exit_code == 0, there.stderr
    assert _without_time(there.output) == _without_time(here.output)
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    again = invoke("portfolio", case, "--format", "json")
    assert again.exit_code == 0, again.stderr


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_2(invoke, monkeypatch):
    import lev2040_mcda.parallel as parallel

    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")
    case = str(CASES / "leverkusen-2040")
    result = invoke("robust", case, "--samples", "2", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no Dask scheduler answers at tcp://127.0.0.1:9" in lines[0], lines
    bad = invoke("robust", case, "--scheduler", "cluster-7")
    assert bad.exit_code == 2 and "neither auto, local, processes" in bad.stderr


def test_smaa_blocks_add_up_the_same_on_every_executor(dask_executor, monkeypatch):
    import numpy as np

    import lev2040_mcda.ranking.sensitivity as sensitivity
    from lev2040_mcda.ranking import decision_matrix, sample_weights, smaa

    case = load_case(CASES / "leverkusen-2040")
    dm = decision_matrix(case)
    monkeypatch.setattr(sensitivity, "_CHUNK_SCORES", dm.shape[0] * 40)  # 13 blocks of 40 samples
    n = dm.shape[1]
    W = sample_weights(np.random.default_rng(3), n, 500, "dirichlet", center=np.full(n, 1 / n))
    seen = []
    here = smaa(dm, "topsis", {}, W, progress=lambda done, total: seen.append(done))
    assert seen == [*range(40, 500, 40), 500]
    for there in (
        smaa(dm, "topsis", {}, W, executor=Scheduler("processes", 2)),
        smaa(dm, "topsis", {}, W, executor=dask_executor),
    ):
        assert there.keys() == here.keys()
        for key, value in here.items():
            np.testing.assert_array_equal(there[key], value)


def _pid_after(seconds: float) -> int:
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def test_auto_moves_a_long_loop_to_processes_after_its_first_chunk():
    import os

    from lev2040_mcda.parallel import Auto

    with open_executor(Scheduler("auto", 2), size=1, parallel_from=100) as ex:
        assert isinstance(ex, Auto)
        quick = run(_pid_after, [(0.0,)] * 4, ex)
        assert quick == [os.getpid()] * 4  # the first chunk showed the rest is quick: all here
        ex.after = 0.2
        slow = run(_pid_after, [(0.15,)] * 4, ex)
    assert slow[0] == os.getpid() and os.getpid() not in slow[1:]


def test_dask_workers_with_more_than_one_thread_are_refused():
    distributed = pytest.importorskip("distributed")
    from lev2040_mcda.parallel import _dask

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as threaded:
        with pytest.raises(InputError, match="--nthreads 1"), _dask(threaded.scheduler_address):
            pass


def test_a_lost_worker_is_the_clusters_failure_and_a_chunks_own_error_is_not():
    from lev2040_mcda.parallel import _cluster_failure

    KilledWorker = type("KilledWorker", (Exception,), {})
    assert _cluster_failure(KilledWorker("w1"))
    assert _cluster_failure(ModuleNotFoundError("x", name="lev2040_mcda.portfolio"))
    assert not _cluster_failure(ModuleNotFoundError("x", name="highspy"))
    assert not _cluster_failure(InputError.__new__(InputError))
