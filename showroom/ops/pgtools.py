"""PostgreSQL's own tools (pg_dump, pg_restore) run for backups and restores.

The tool must be at least as new as the server, so it is looked up by the server's
major version: SHOWROOM_PG_BINDIR if set, else Debian's /usr/lib/postgresql/<v>/bin
(the server's version or the nearest newer one), else the one on PATH. The connection
comes from the app's database URL and travels in libpq's environment variables
(PGHOST, PGUSER, PGPASSWORD, ...): never on the command line, where `ps` shows it.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from showroom.ops.errors import BackupFailed

DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
# libpq connection keywords that may come in the URL's query, and their variables
QUERY_ENV = {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE",
             "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
             "sslcrl": "PGSSLCRL", "connect_timeout": "PGCONNECT_TIMEOUT",
             "application_name": "PGAPPNAME", "options": "PGOPTIONS",
             "target_session_attrs": "PGTARGETSESSIONATTRS", "service": "PGSERVICE"}


def server_major(conn: Connection) -> int:
    return int(conn.scalar(text("SHOW server_version_num")) or 0) // 10000


def libpq_env(url: URL) -> dict[str, str]:
    """This process's environment with the URL's connection settings as PG* variables."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value not in (None, ""):
            env[key] = str(value)
    for key, option in url.query.items():
        name = QUERY_ENV.get(key)
        if name and isinstance(option, str):
            env[name] = option
    return env


def find_tool(name: str, major: int) -> str:
    """The path of pg_dump / pg_restore able to talk to a server of this major version."""
    bindir = str(current_app.config.get("SHOWROOM_PG_BINDIR") or "")
    if bindir:
        candidates = [str(Path(bindir) / name)]
    else:
        found = {}
        for path in glob.glob(f"{DEBIAN_BINDIRS}/{name}"):
            version = Path(path).parent.parent.name
            if version.isdigit():
                found[int(version)] = path
        newer = sorted(v for v in found if v >= major)
        candidates = [found[v] for v in newer]
        on_path = shutil.which(name)
        if on_path:
            candidates.append(on_path)
    for path in candidates:
        if os.access(path, os.X_OK) and tool_major(path) >= major:
            return path
    raise BackupFailed(_(
        "no %(tool)s for PostgreSQL %(major)s or newer was found (install postgresql-client-"
        "%(major)s, or set SHOWROOM_PG_BINDIR to the folder holding it)", tool=name, major=major))


def tool_major(path: str) -> int:
    out = subprocess.run([path, "--version"], capture_output=True, text=True,  # noqa: S603
                         timeout=30, check=False).stdout  # a path we found; no shell
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def run_tool(cmd: list[str], env: dict[str, str]) -> str:
    """Run a PostgreSQL tool; its complaint (stderr's last lines) becomes the error."""
    done = subprocess.run(cmd, env=env, capture_output=True, text=True,  # noqa: S603 - no shell
                          check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise BackupFailed(_("%(tool)s failed (exit %(code)s): %(error)s",
                             tool=Path(cmd[0]).name, code=done.returncode, error=tail))
    return done.stdout
