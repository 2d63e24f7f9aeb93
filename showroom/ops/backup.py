"""`backup_database(FILE)`: one consistent copy of the whole database while the app writes.

SQLite: the online backup API copies every page in one step inside one read
transaction, so the copy is one moment of the database including what still sits in
the WAL (a plain file copy missed 3 of 104 settlements that were only in the WAL).
The copy is switched to a rollback journal so it is a single self-contained file.
PostgreSQL: `pg_dump -Fc` reads a snapshot exported by a REPEATABLE READ transaction
of ours, so the row counts we print are exactly what the dump holds.

Either way the copy is written to a temporary file beside FILE (mode 0600: it holds
phones and debts), synced, and renamed over FILE only when complete, so a crash or a
full disk never leaves a half backup under the real name.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Connection, inspect, text

from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.ops import pgtools
from showroom.ops.errors import BackupFailed, BackupRefused

# tables named first in the printed summary, when present
KEY_TABLES = ("customers", "ledger_entries", "products", "stock_moves", "orders", "settlements",
              "packings", "shipments", "print_jobs")


@dataclass
class BackupResult:
    path: Path
    backend: str
    size: int
    tables: dict[str, int]  # table -> rows in the copy
    seconds: float

    def lines(self) -> list[str]:
        return [_("backup written: %(path)s (%(backend)s, %(size)s) in %(seconds)s s",
                  path=self.path, backend=self.backend, size=human_size(self.size),
                  seconds=f"{self.seconds:.2f}"),
                "  " + rows_summary(self.tables)]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def rows_summary(tables: dict[str, int]) -> str:
    key = [f"{t} {tables[t]}" for t in KEY_TABLES if t in tables]
    return _("%(tables)s tables, %(rows)s rows (%(key)s)", tables=len(tables),
             rows=sum(tables.values()), key=", ".join(key))


def backup_database(target: str | Path, *, overwrite: bool = False) -> BackupResult:
    started = time.perf_counter()
    path = Path(target).absolute()
    if path.is_dir():
        raise ValidationFailed(_("%(path)s is a folder: give a file name", path=path))
    if not path.parent.is_dir():
        raise ValidationFailed(_("folder %(path)s does not exist", path=path.parent))
    if path.exists() and not overwrite:
        raise BackupRefused(_("%(path)s already exists: nothing written (choose a new name, "
                              "or --overwrite)", path=path))
    backend = db.engine.dialect.name
    tmp = reserve_temp(path)
    try:
        if backend == "sqlite":
            tables = _sqlite_backup(sqlite_path(), tmp)
        elif backend == "postgresql":
            tables = _pg_backup(tmp)
        else:
            raise BackupFailed(_("backups of %(backend)s databases are not supported",
                                 backend=backend))
        os.chmod(tmp, 0o600)
        sync(tmp)
        os.replace(tmp, path)
        sync(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupResult(path=path, backend=backend, size=path.stat().st_size, tables=tables,
                        seconds=time.perf_counter() - started)


def reserve_temp(path: Path) -> Path:
    """An empty file only we can read, in FILE's folder (so the rename is atomic)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return tmp


def sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sqlite_path() -> Path:
    """The app's SQLite file (Flask-SQLAlchemy has already made it absolute)."""
    name = db.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupFailed(_("the SQLite database %(name)s is not a plain file",
                             name=name or ":memory:"))
    return Path(name)


def sqlite_rows(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]  # noqa: S608
            for n in names}


def _sqlite_backup(source: Path, tmp: Path) -> dict[str, int]:
    if not source.is_file():
        raise BackupFailed(_("there is no database at %(path)s", path=source))
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # pages=-1: every page in one step, one read transaction
            dst.execute("PRAGMA journal_mode=DELETE")
            return sqlite_rows(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupFailed(_("SQLite backup failed: %(error)s", error=exc)) from exc
    finally:
        src.close()


def table_rows(conn: Connection) -> dict[str, int]:
    """Rows per table of the app's schema, through any SQLAlchemy connection."""
    prep = conn.dialect.identifier_preparer
    return {name: int(conn.scalar(text(f"SELECT count(*) FROM {prep.quote(name)}")) or 0)  # noqa: S608
            for name in sorted(inspect(conn).get_table_names())}


def _pg_backup(tmp: Path) -> dict[str, int]:
    env = pgtools.libpq_env(db.engine.url)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            major = pgtools.server_major(conn)
            snapshot = str(conn.scalar(text("SELECT pg_export_snapshot()")))
            tables = table_rows(conn)
            tool = pgtools.find_tool("pg_dump", major)
            pgtools.run_tool([tool, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                              f"--file={tmp}"], env)
    return tables
