"""`restore_database(FILE)`: put a backup back, into an empty database only, then check it.

A restore replaces everything, so it refuses (and writes nothing) while the target
holds any row — staff, products, anything but Alembic's version — unless the caller
says `force`. The file must be a backup of the same kind as the app's database:
SQLite's own file (checked with `PRAGMA quick_check` first, then copied page by page
with the backup API, which is safe even if something else has the file open) or a
`pg_dump -Fc` archive, loaded by `pg_restore` in one transaction: all of it or none.
`--clean` is passed only when the target already has tables — an empty schema from
`flask db upgrade`, or data the caller forced us to replace. Afterwards the database
is checked by `integrity.check_database` and the report comes back with the result.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from psycopg.conninfo import make_conninfo

from showroom.db import deferred_reads
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.ops import pgtools
from showroom.ops.backup import rows_summary, sqlite_path, sqlite_rows, table_rows
from showroom.ops.errors import BackupFailed, BackupRefused
from showroom.ops.integrity import CheckReport, check_database

NOT_DATA = ("alembic_version",)  # present in a migrated, still empty database
SQLITE_MAGIC, PGDUMP_MAGIC = b"SQLite format 3\x00", b"PGDMP"


@dataclass
class RestoreResult:
    path: Path
    backend: str
    tables: dict[str, int]
    replaced: dict[str, int]  # rows that were in the target (only with force)
    seconds: float
    report: CheckReport

    def lines(self) -> list[str]:
        out = [_("restored %(path)s into the %(backend)s database in %(seconds)s s",
                 path=self.path, backend=self.backend, seconds=f"{self.seconds:.2f}"),
               "  " + rows_summary(self.tables)]
        if self.replaced:
            out.append("  " + _("replaced the %(rows)s rows that were there (--force)",
                                rows=sum(self.replaced.values())))
        return out + self.report.lines()


def backup_kind(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def present_rows() -> tuple[bool, dict[str, int]]:
    """(has any tables, {table: rows} for the tables holding data) of the app's database."""
    if db.engine.dialect.name == "sqlite" and not sqlite_path().exists():
        return False, {}
    with deferred_reads(), db.engine.connect() as conn:
        rows = table_rows(conn)
        conn.rollback()
    return bool(rows), {t: n for t, n in rows.items() if n and t not in NOT_DATA}


def restore_database(source: str | Path, *, force: bool = False) -> RestoreResult:
    started = time.perf_counter()
    path = Path(source).absolute()
    if not path.is_file():
        raise ValidationFailed(_("there is no backup file at %(path)s", path=path))
    backend, kind = db.engine.dialect.name, backup_kind(path)
    if kind is None:
        raise ValidationFailed(_("%(path)s is not a backup (neither a SQLite file nor a "
                                 "pg_dump archive): nothing restored", path=path))
    if kind != backend:
        raise ValidationFailed(_("%(path)s is a %(kind)s backup, but this app's database is "
                                 "%(backend)s: nothing restored", path=path, kind=kind,
                                 backend=backend))
    db.session.remove()
    has_tables, present = present_rows()
    if present and not force:
        biggest = sorted(present.items(), key=lambda item: -item[1])[:5]
        raise BackupRefused(_(
            "the database is not empty (%(rows)s rows, e.g. %(tables)s): nothing restored. "
            "Restore into an empty database, or add --force to replace all of its data",
            rows=sum(present.values()), tables=", ".join(f"{t} {n}" for t, n in biggest)))
    if backend == "sqlite":
        tables = _sqlite_restore(path, sqlite_path())
    else:
        tables = _pg_restore(path, clean=has_tables)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may remember the old database
    try:
        report = check_database()
    finally:
        db.session.rollback()
    return RestoreResult(path=path, backend=backend, tables=tables, replaced=present,
                         seconds=time.perf_counter() - started, report=report)


def _sqlite_restore(source: Path, target: Path) -> dict[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationFailed(_("cannot open %(path)s: %(error)s", path=source, error=exc)) from exc
    try:
        try:
            verdict = src.execute("PRAGMA quick_check").fetchone()[0]
            tables = sqlite_rows(src)
        except sqlite3.Error as exc:
            raise ValidationFailed(_("%(path)s is damaged: %(error)s", path=source,
                                     error=exc)) from exc
        if verdict != "ok":
            raise ValidationFailed(_("%(path)s is damaged (%(verdict)s): nothing restored",
                                     path=source, verdict=verdict))
        if "customers" not in tables:
            raise ValidationFailed(_("%(path)s is not a Showroom database: nothing restored",
                                     path=source))
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # one step, in the destination's own transaction
            dst.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            raise BackupFailed(_("SQLite restore failed: %(error)s", error=exc)) from exc
        finally:
            dst.close()
    finally:
        src.close()
    return tables


def _pg_restore(source: Path, *, clean: bool) -> dict[str, int]:
    url = db.engine.url
    env = pgtools.libpq_env(url)
    with db.engine.connect() as conn:
        major = pgtools.server_major(conn)
        conn.rollback()
    tool = pgtools.find_tool("pg_restore", major)
    listing = pgtools.run_tool([tool, "--list", str(source)], env)
    if not any(" TABLE DATA " in line and line.split()[-2:-1] == ["customers"]
               for line in listing.splitlines()):
        raise ValidationFailed(_("%(path)s is not a Showroom database: nothing restored",
                                 path=source))
    cmd = [tool, "--no-password", "--no-owner", "--no-privileges", "--single-transaction",
           "--exit-on-error"]
    if clean:
        cmd += ["--clean", "--if-exists"]
    dbname = url.database or url.username or "postgres"
    pgtools.run_tool([*cmd, f"--dbname={make_conninfo(dbname=dbname)}", str(source)], env)
    with db.engine.connect() as conn:
        tables = table_rows(conn)
        conn.rollback()
    return tables
