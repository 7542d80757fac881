"""Opening a run store: a file path (SQLite, checked before it is touched) or a PostgreSQL URL.

SQLite is opened in WAL mode with a busy timeout, and writes begin with ``BEGIN IMMEDIATE``; a
file that is not a store of this or an older version is refused untouched (:func:`_probe_sqlite`);
an older store is backed up beside itself (:func:`_backup_sqlite`) and migrated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import display_path
from .schema import SCHEMA_VERSION
from .store import RunStore, StoreError, default_store_path, first_line

__all__ = ["open_store"]

_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY_SECONDS = 30.0


def open_store(
    case_root: Path | str,
    store: str | None = None,
    *,
    create: bool = True,
    migrate_to: int = SCHEMA_VERSION,
) -> RunStore:
    """The run store of the case at ``case_root``: ``store`` is a file path (SQLite), a
    ``postgresql://user@host/db`` URL, or None for ``CASE/.lev2040/runs.sqlite`` (its folder is
    made when missing, never through a symbolic link out of the case). ``create=False`` (the
    commands that only read runs) refuses a store file that does not exist yet instead of making
    one. ``migrate_to`` is for tests of the migrations only."""
    if store and "://" in store:
        return _open_url(store, migrate_to)
    path = Path(store) if store else default_store_path(Path(case_root))
    if not store:
        for link in (path.parent, path):
            if link.is_symlink():
                raise StoreError(
                    f"{display_path(link)}: a symbolic link; the case's run store stays inside the "
                    "case folder (give --store PATH for a store elsewhere)"
                )
    if not create and not path.exists():
        raise StoreError(f"{display_path(path)}: no runs are saved here yet (add --save NAME to a command)")
    if not store:
        try:
            path.parent.mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{display_path(path.parent)}: cannot make the run store's folder: {exc.strerror}"
            ) from None
    return _open_sqlite(path, migrate_to)


def _open_url(url: str, migrate_to: int) -> RunStore:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"--store: {url!r} is not a database URL (postgresql://user@host:port/db)") from None
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(
            f"--store: {parsed.get_backend_name()!r} is not supported (a file path or postgresql://...)"
        )
    shown = parsed.render_as_string(hide_password=True)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+pg8000")
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"--store {shown}: PostgreSQL needs the driver {exc.name} (pip install {exc.name}; lev2040-mcda[team] installs pg8000, the default)"
        ) from None
    store = RunStore(engine, shown)
    _connecting(store, lambda: store._prepare(migrate_to=migrate_to))
    return store


def _connecting(store: RunStore, prepare: Callable[[], None]) -> None:
    """``prepare()``, with a server that cannot be reached said in one line."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

    try:
        prepare()
    except (InterfaceError, OperationalError, DBAPIError) as exc:
        store.close()
        raise StoreError(f"{store.location}: cannot reach the run store: {first_line(exc)}") from None
    except (TypeError, ValueError, ArgumentError) as exc:  # an option of the URL the driver refuses
        store.close()
        raise StoreError(f"{store.location}: the driver refuses this URL: {first_line(exc)}") from None
    except BaseException:
        store.close()
        raise


def _open_sqlite(path: Path, migrate_to: int) -> RunStore:
    from sqlalchemy import create_engine, event

    shown = display_path(path)
    _check_sqlite_file(path, shown)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": _BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the store says when a transaction begins (below)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # a writer takes the write lock at once: two writers never both hold a read lock and wait
        # for each other to upgrade (which SQLite answers with 'database is locked' at once)
        write = conn.get_execution_options().get("lev2040_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    def backup(version: int) -> str:
        return _backup_sqlite(engine, path, version)

    store = RunStore(engine, shown, backup)
    _connecting(store, lambda: store._prepare(migrate_to=migrate_to))
    return store


def _check_sqlite_file(path: Path, shown: str) -> None:
    """Refuse, before SQLite touches it, whatever at ``path`` is not an SQLite file (a folder, a
    file of anything else): it is reported and left as it is."""
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(f"{shown}: the run store's folder {display_path(folder)} does not exist")
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_file():
        raise StoreError(f"{shown}: not a file, so not a run store; it is left as it is")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{shown}: cannot read the run store: {exc.strerror}") from None
    if head and head != _SQLITE_HEADER:
        raise StoreError(f"{shown}: not an SQLite database, so not a run store; it is left as it is")
    if head:
        _probe_sqlite(path, shown)


def _probe_sqlite(path: Path, shown: str) -> None:
    """Look at an SQLite file read-only before the store opens it for writing (which would turn
    on WAL mode, a change to the file): another program's database, a damaged file and a store of
    a newer version are refused untouched."""
    import sqlite3
    import urllib.parse

    try:
        conn = sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = (
                conn.execute("SELECT max(version) FROM lev2040_schema").fetchone()[0]
                if "lev2040_schema" in names
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{shown}: the run store is damaged or not a run store ({exc}); it is left as it is"
        ) from None
    if version is None and names - {"lev2040_runs"}:
        raise StoreError(
            f"{shown}: a database of something else (tables: {', '.join(sorted(names)[:5])}), "
            "not a lev2040 run store; it is left as it is (choose another --store)"
        )
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"{shown}: a run store of a newer lev2040 (schema version {version}; this version "
            f"knows {SCHEMA_VERSION}); it is left as it is"
        )


def _backup_sqlite(engine: Any, path: Path, version: int) -> str:
    """A consistent copy of the store beside it (SQLite's online backup), before migrating."""
    import sqlite3

    from ..output import write_atomic

    target = path.with_name(f"{path.name}.v{version}.bak")
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(":memory:")
        raw.driver_connection.backup(copy)
        data = bytearray(copy.serialize())
        copy.close()
    finally:
        raw.close()
    # the copy in rollback-journal mode (the header's read/write versions 1, not WAL's 2), so that
    # opening the backup later makes no -wal and -shm files beside it
    data[18:20] = b"\x01\x01"
    write_atomic(target, bytes(data))
    return display_path(target)
