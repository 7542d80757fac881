"""The run store: saved runs in SQLite (``CASE/.lev2040/runs.sqlite``) or a shared PostgreSQL
database, through one SQLAlchemy Core schema.

Why SQLAlchemy Core for both: one table definition, one set of queries and one migration path
serve the file an analyst keeps beside the case and the database a team shares; SQLite still
needs nothing installed (SQLAlchemy drives the standard library's ``sqlite3``), and PostgreSQL
needs only the pure-Python driver ``pg8000`` (``lev2040-mcda[team]``).

Reliability, as the store promises it:

- a save is one transaction (a run is saved whole or not at all, also when the process is killed);
- several analysts at once: SQLite in WAL mode with a busy timeout, writes begun with
  ``BEGIN IMMEDIATE`` (no lock upgrade that could deadlock), and a retry with back-off when the
  database stays busy; PostgreSQL's own transactions, with a retry when two saves of one name race;
- a file at the store's path that is not an SQLite database, an SQLite database of something else,
  a damaged database or a store of a newer version is reported and left as it is; an older store
  is migrated in place, after a backup beside it (``runs.sqlite.v1.bak``; in PostgreSQL a copy of
  the table);
- the store writes only its own file (and SQLite's ``-wal``/``-shm`` files and the backup beside
  it), whatever the run names: names are checked (:func:`~.record.check_name`).
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..errors import McdaError
from .record import Run
from .schema import MIGRATIONS, SCHEMA_VERSION, tables

__all__ = ["RunStore", "StoreError", "default_store_path"]

_RETRIES = 8
T = TypeVar("T")


class StoreError(McdaError):
    """The run store cannot be used as asked (not a store, damaged, newer, unreachable, no such run)."""

    exit_code = 2


def default_store_path(case_root: Path) -> Path:
    """Where a case keeps its runs when ``--store`` is not given."""
    return Path(case_root) / ".lev2040" / "runs.sqlite"


class RunStore:
    """Saved runs of any number of cases (a run belongs to its case by the case's name).

    Open it with :func:`open_store`; every method is one transaction.
    """

    def __init__(self, engine: Any, location: str, backup: Callable[[int], str] | None = None):
        self._engine = engine
        self.location = location
        self._backup = backup
        _, self._schema, self._runs = tables()
        self.migrated_from: int | None = None
        self.backup_path: str | None = None

    # -- opening and migrating ------------------------------------------------------------

    def _prepare(self, *, migrate_to: int = SCHEMA_VERSION) -> None:
        """Check what is at the location; create the schema, or migrate an older one after a backup."""
        from sqlalchemy import inspect, select

        def step() -> None:
            with self._writing() as conn:
                if self._engine.dialect.name == "postgresql":  # one migrating process at a time
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(204020400)")
                names = set(inspect(conn).get_table_names())
                if "lev2040_schema" not in names:
                    if names - {"lev2040_runs"}:
                        shown = ", ".join(sorted(names)[:5])
                        raise StoreError(
                            f"{self.location}: a database of something else (tables: {shown}), "
                            "not a lev2040 run store; it is left as it is (choose another --store)"
                        )
                    version = 0
                else:
                    version = conn.execute(select(self._schema.c.version)).scalar_one_or_none() or 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.location}: a run store of a newer lev2040 (schema version {version}; "
                        f"this version knows {SCHEMA_VERSION}); it is left as it is"
                    )
                if version >= migrate_to:
                    return
                if version > 0:
                    self.migrated_from = version
                    self.backup_path = self._backup_table(conn, version)
                for k in range(version + 1, migrate_to + 1):
                    MIGRATIONS[k](conn)
                conn.execute(self._schema.delete())
                conn.execute(self._schema.insert().values(version=migrate_to))

        self._retrying(step)

    def _backup_table(self, conn: Any, version: int) -> str:
        """Keep the store as it was before migrating: a file copy beside SQLite's, a table in
        PostgreSQL (both inside the folder or database of the store)."""
        if self._backup is not None:
            return self._backup(version)
        table = f"lev2040_runs_v{version}_backup"
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        conn.exec_driver_sql(f"CREATE TABLE {table} AS SELECT * FROM lev2040_runs")
        return f"{self.location} (table {table})"

    # -- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        with self._engine.connect() as conn:
            conn = conn.execution_options(lev2040_write=True)
            with conn.begin():
                yield conn

    def _retrying(self, work: Callable[[], T]) -> T:
        """``work()``, again after a short random wait while the database is busy or two saves of
        one name raced; a damaged or unreachable store is reported in one line."""
        from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

        for attempt in range(_RETRIES):
            try:
                return work()
            except (OperationalError, IntegrityError) as exc:
                text = str(exc.orig or exc).lower()
                busy = "locked" in text or "busy" in text or "deadlock" in text or "serializ" in text
                raced = isinstance(exc, IntegrityError) and "uq_lev2040_runs_case_name" in text
                if (busy or raced) and attempt < _RETRIES - 1:
                    time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
                    continue
                raise StoreError(
                    f"{self.location}: the run store cannot be used: {first_line(exc)}"
                ) from None
            except InterfaceError as exc:  # no connection (pg8000 says so with this class)
                raise StoreError(f"{self.location}: cannot reach the run store: {first_line(exc)}") from None
            except DBAPIError as exc:
                raise StoreError(
                    f"{self.location}: the run store is damaged or not a run store ({first_line(exc)}); "
                    "it is left as it is"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- runs -----------------------------------------------------------------------------

    def save(self, run: Run) -> Run | None:
        """Save ``run`` in one transaction, replacing a run of the same case and name; the run it
        replaced, or None."""
        row = _row(run)
        runs = self._runs

        def work() -> Run | None:
            with self._writing() as conn:
                where = (runs.c.case_name == run.case) & (runs.c.name == run.name)
                old = conn.execute(runs.select().where(where)).mappings().first()
                if old is not None:
                    conn.execute(runs.delete().where(where))
                conn.execute(runs.insert().values(**row))
                return _run(old) if old is not None else None

        return self._retrying(work)

    def get(self, case: str, name: str) -> Run:
        """The run ``name`` of ``case``, or a one-line error naming the runs there are."""
        runs = self._runs

        def work() -> Run | None:
            with self._engine.connect() as conn:
                where = (runs.c.case_name == case) & (runs.c.name == name)
                row = conn.execute(runs.select().where(where)).mappings().first()
                return _run(row) if row is not None else None

        found = self._retrying(work)
        if found is None:
            names = [r.name for r in self.list(case)]
            hint = f"the runs are: {', '.join(names[:10])}" + (" ..." if len(names) > 10 else "")
            raise StoreError(
                f"{self.location}: no run named {name!r} for case {case!r} "
                f"({hint if names else 'nothing is saved yet: add --save NAME to a command'})"
            )
        return found

    def list(self, case: str) -> list[Run]:
        """The runs of ``case``, oldest first (ties by name)."""
        runs = self._runs

        def work() -> list[Run]:
            with self._engine.connect() as conn:
                query = runs.select().where(runs.c.case_name == case).order_by(runs.c.created, runs.c.name)
                return [_run(row) for row in conn.execute(query).mappings()]

        return self._retrying(work)

    def delete(self, case: str, name: str) -> Run:
        """Delete the run ``name`` of ``case`` (an error when there is none); the deleted run."""
        run = self.get(case, name)
        runs = self._runs

        def work() -> None:
            with self._writing() as conn:
                conn.execute(runs.delete().where((runs.c.case_name == case) & (runs.c.name == name)))

        self._retrying(work)
        return run

    def version(self) -> int:
        """The schema version of the store as it is now."""
        from sqlalchemy import select

        def work() -> int:
            with self._engine.connect() as conn:
                return int(conn.execute(select(self._schema.c.version)).scalar_one())

        return self._retrying(work)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _row(run: Run) -> dict[str, Any]:
    dump = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return {
        "case_name": run.case,
        "name": run.name,
        "command": run.command,
        "params": dump(run.params),
        "defaults": dump(run.defaults),
        "inputs": dump(run.inputs),
        "version": run.version,
        "solver": run.solver,
        "status": run.status,
        "value": run.value,
        "result": dump(run.result),
        "output_table": run.outputs.get("table", ""),
        "output_json": run.outputs.get("json", ""),
        "output_csv": run.outputs.get("csv", ""),
        "created": run.created,
        "note": run.note,
    }


def _run(row: Any) -> Run:
    return Run(
        name=row["name"],
        command=row["command"],
        case=row["case_name"],
        params=json.loads(row["params"]),
        inputs=json.loads(row["inputs"]),
        version=row["version"],
        solver=row["solver"],
        status=row["status"],
        value=row["value"],
        result=json.loads(row["result"]),
        outputs={"table": row["output_table"], "json": row["output_json"], "csv": row["output_csv"]},
        created=row["created"],
        note=row["note"],
        defaults=json.loads(row.get("defaults") or "{}"),
    )
