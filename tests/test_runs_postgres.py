"""The run store on a real PostgreSQL server: a throwaway cluster in a temporary folder, made with
``initdb`` and started with ``pg_ctl`` from Debian's ``postgresql`` package (``make test``
installs it where it can, as it does Chromium)."""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from lev2040_mcda.runs import StoreError, open_store
from lev2040_mcda.runs.store import SCHEMA_VERSION

from .test_runs_store import make_run


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    assert path, f"{name} is not installed (apt-get install -y postgresql); make test installs it"
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """A PostgreSQL server of its own on a free port (as the ``postgres`` user when the suite runs
    as root, since PostgreSQL refuses to run as root), stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="lev2040-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, timeout=120)

    pg(_pg_bin("initdb"), "-D", str(data), "-U", "lev2040", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    pg(_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"postgresql://lev2040@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def url(server):
    """The server with an empty store: the store's tables dropped before each test."""
    from sqlalchemy import create_engine

    engine = create_engine(server.replace("postgresql://", "postgresql+pg8000://"))
    with engine.begin() as conn:
        for table in ("lev2040_runs", "lev2040_schema", "lev2040_runs_v1_backup"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    engine.dispose()
    return server


def test_a_run_comes_back_from_postgresql_as_it_was_saved(url, tmp_path):
    run = make_run("team-a")
    with open_store(tmp_path, url) as store:
        assert store.save(run) is None
        assert store.get("tiny", "team-a") == run
        assert store.version() == SCHEMA_VERSION
        assert store.save(make_run("team-a", value=9.0)).value == run.value
        store.delete("tiny", "team-a")
        assert store.list("tiny") == []
    assert not (tmp_path / ".lev2040").exists()  # a URL store writes nothing beside the case


def test_the_cli_saves_lists_and_shows_runs_in_postgresql(url, tiny, invoke):
    printed = invoke("portfolio", str(tiny), "--save", "pg-base", "--store", url)
    assert printed.exit_code == 0, printed.output
    listed = invoke("runs", "list", str(tiny), "--store", url, "--format", "json")
    assert [r["name"] for r in json.loads(listed.stdout)["runs"]] == ["pg-base"]
    shown = invoke("runs", "show", str(tiny), "pg-base", "--store", url)
    assert shown.stdout == printed.stdout


def _save_at(args: tuple[str, int, float]) -> None:
    url, i, start = args
    while time.time() < start:
        time.sleep(0.001)
    with open_store("/nonexistent", url) as store:
        store.save(make_run(f"saver-{i}", value=float(i)))
        store.save(make_run("same-name", value=float(i)))  # ten saves of one name race too


def test_ten_savers_at_once_all_land_in_postgresql(url):
    open_store("/nonexistent", url).close()
    start = time.time() + 2.0
    with multiprocessing.get_context("spawn").Pool(10) as pool:
        pool.map(_save_at, [(url, i, start) for i in range(10)])
    with open_store("/nonexistent", url) as store:
        runs = {r.name: r.value for r in store.list("tiny")}
    assert {k: v for k, v in runs.items() if k != "same-name"} == {f"saver-{i}": float(i) for i in range(10)}
    assert runs["same-name"] in {float(i) for i in range(10)}


def test_an_older_postgresql_store_is_migrated_with_a_backup_table(url):
    open_store("/nonexistent", url, migrate_to=1).close()
    with open_store("/nonexistent", url) as store:
        assert store.migrated_from == 1 and store.version() == SCHEMA_VERSION
        assert "lev2040_runs_v1_backup" in store.backup_path
        store.save(make_run("after-migration"))
        assert [r.name for r in store.list("tiny")] == ["after-migration"]


def test_a_server_that_cannot_be_reached_is_one_line(tmp_path, tiny, invoke):
    dead = f"postgresql://nobody:s3cret@127.0.0.1:{_free_port()}/none"
    with pytest.raises(StoreError, match="cannot reach the run store") as caught:
        open_store(tmp_path, dead)
    assert "s3cret" not in str(caught.value) and "nobody:***@" in str(caught.value)
    result = invoke("portfolio", str(tiny), "--save", "x", "--store", dead)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot reach the run store" in result.stderr
    assert result.stdout == "" and "s3cret" not in result.stderr
