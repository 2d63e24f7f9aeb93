"""A throwaway PostgreSQL cluster for the test run, on 127.0.0.1 with trust auth.

Uses Debian's server binaries. Root cannot run postgres, so as root the cluster runs
as the `postgres` system user. The data directory lives under /tmp and is removed at
the end. Each pytest-xdist worker starts its own (`tag` names it in the folder).
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    datadir: str
    port: int
    bindir: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def createdb(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def stop(self) -> None:
        _run([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-m", "immediate", "stop"], check=False)
        shutil.rmtree(os.path.dirname(self.datadir), ignore_errors=True)


def _run(cmd: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def start(tag: str = "") -> Cluster:
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    reap_orphans()
    base = tempfile.mkdtemp(prefix=f"showroom-pg-{tag}-" if tag else "showroom-pg-")
    datadir = os.path.join(base, "data")
    with open(os.path.join(base, "owner"), "w") as f:
        f.write(str(os.getpid()))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    # --no-sync: a throwaway cluster need not wait for the disk (initdb's fsync is most of its time)
    _run([f"{bindir}/initdb", "--no-sync", "-D", datadir, "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--locale=C.UTF-8"])
    # The free port is only free when asked: another worker or program may take it before
    # the server binds it, so a start that fails is tried again on a new port.
    for attempt in range(5):
        port = _free_port()
        opts = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        started = _run([f"{bindir}/pg_ctl", "-D", datadir, "-o", opts, "-l", os.path.join(base, "log"),
                        "-w", "-t", "60", "start"], check=False)
        if started.returncode == 0 and _accepts(port):
            return Cluster(datadir=datadir, port=port, bindir=bindir)
        _run([f"{bindir}/pg_ctl", "-D", datadir, "-m", "immediate", "stop"], check=False)
    log = open(os.path.join(base, "log"), encoding="utf-8", errors="replace").read()[-2000:]
    shutil.rmtree(base, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start after {attempt + 1} tries:\n{log}")


def reap_orphans() -> None:
    """Stop and remove the clusters of test runs that died without stopping theirs (a killed
    xdist worker skips its teardown); clusters whose owner still runs are left alone."""
    bindir = pg_bin()
    for owner_file in glob.glob(os.path.join(tempfile.gettempdir(), "showroom-pg-*", "owner")):
        base = os.path.dirname(owner_file)
        try:
            with open(owner_file) as f:
                pid = int(f.read() or 0)
            os.kill(pid, 0)
            continue  # its run is still going
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue
        if bindir:
            _run([f"{bindir}/pg_ctl", "-D", os.path.join(base, "data"), "-m", "immediate", "stop"],
                 check=False)
        shutil.rmtree(base, ignore_errors=True)


def _accepts(port: int) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False
