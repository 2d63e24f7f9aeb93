"""Declarative base with a naming convention, UTC datetime type and SQLite settings.

SQLite is configured for a showroom floor: WAL, busy_timeout 10 s, foreign keys,
synchronous FULL, and every transaction starts with BEGIN IMMEDIATE so two writers
queue instead of failing half-way. Read-only requests may opt out with
`deferred_reads()` so they don't wait on the write lock.
"""
from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Money is always integer fen. BigInteger keeps sums of large ledgers exact.
Fen = BigInteger

_begin_mode: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sqlite_begin_mode", default="IMMEDIATE"
)


@contextmanager
def deferred_reads() -> Iterator[None]:
    """Within this block, new SQLite transactions start DEFERRED (read-only paths)."""
    token = _begin_mode.set("DEFERRED")
    try:
        yield
    finally:
        _begin_mode.reset(token)


def set_begin_mode(mode: str) -> contextvars.Token[str]:
    return _begin_mode.set(mode)


def reset_begin_mode(token: contextvars.Token[str]) -> None:
    _begin_mode.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is too lazy).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        mode = _begin_mode.get()
        conn.info["sqlite_begin"] = mode  # read by whoever must know if it holds the lock
        conn.exec_driver_sql(f"BEGIN {mode}")


def append_only_ddl(table: str, dialect: str) -> list[str]:
    """Triggers that make a ledger table refuse UPDATE and DELETE at the database level."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for op in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION showroom_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; "
            "END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION showroom_append_only()",
        ]
    return []


APPEND_ONLY_TABLES = ("ledger_entries", "stock_moves", "packing_ticks", "consignor_entries",
                      "complaint_steps", "appointment_changes")


def guard_append_only(metadata: MetaData) -> None:
    """Attach the triggers to create_all (tests); migrations emit the same DDL."""
    from sqlalchemy import DDL

    for name in APPEND_ONLY_TABLES:
        table = metadata.tables[name]
        for dialect in ("sqlite", "postgresql"):
            for stmt in append_only_ddl(name, dialect):
                ddl = DDL(stmt.replace("%", "%%"))  # DDL() %-formats its text
                event.listen(table, "after_create", ddl.execute_if(dialect=dialect))
