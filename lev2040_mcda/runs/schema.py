"""The run store's schema, one for SQLite and PostgreSQL (SQLAlchemy Core), and the migrations
that bring an older store to it.

Each migration is one step from version ``k - 1`` to ``k``, run inside the transaction that
records the new version, after a backup of the store (:mod:`.opening`, :class:`.store.RunStore`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "tables"]

SCHEMA_VERSION = 2
"""The store's schema version. 1: the runs table; 2: the commands' defaults beside each run (what
a run changed can be said without the command at hand) and an index on the creation time."""


def tables() -> tuple[Any, Any, Any]:
    """The schema as this version reads and writes it: (metadata, the version table, the runs)."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    return metadata, _schema_table(metadata), _runs_table(metadata, SCHEMA_VERSION)


def _schema_table(metadata: Any) -> Any:
    from sqlalchemy import Column, Integer, Table

    return Table("lev2040_schema", metadata, Column("version", Integer, nullable=False))


def _runs_table(metadata: Any, version: int) -> Any:
    """The runs table as schema ``version`` has it (``defaults`` came with version 2)."""
    from sqlalchemy import Column, Float, Integer, String, Table, Text, UniqueConstraint

    since_2 = [Column("defaults", Text, nullable=False, server_default="{}")] if version >= 2 else []
    return Table(
        "lev2040_runs",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("case_name", String(200), nullable=False),
        Column("name", String(64), nullable=False),
        Column("command", String(32), nullable=False),
        Column("params", Text, nullable=False),
        *since_2,
        Column("inputs", Text, nullable=False),
        Column("version", String(32), nullable=False),
        Column("solver", String(32)),
        Column("status", String(64)),
        Column("value", Float),
        Column("result", Text, nullable=False),
        Column("output_table", Text, nullable=False),
        Column("output_json", Text, nullable=False),
        Column("output_csv", Text, nullable=False),
        Column("created", String(32), nullable=False),
        Column("note", Text, nullable=False),
        UniqueConstraint("case_name", "name", name="uq_lev2040_runs_case_name"),
    )


def _migrate_1(conn: Any) -> None:
    """Version 1: the version table and the runs table (without ``defaults``)."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    _schema_table(metadata)
    _runs_table(metadata, 1)
    metadata.create_all(conn)


def _migrate_2(conn: Any) -> None:
    """Version 2: each run's command defaults, and an index for listing by time."""
    conn.exec_driver_sql("ALTER TABLE lev2040_runs ADD COLUMN defaults TEXT NOT NULL DEFAULT '{}'")
    conn.exec_driver_sql("CREATE INDEX ix_lev2040_runs_created ON lev2040_runs (case_name, created)")


MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1, 2: _migrate_2}
"""The step that brings a store from version ``k - 1`` to ``k``; a new store runs them all."""
