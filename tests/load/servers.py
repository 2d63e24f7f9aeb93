"""The system under load: a fresh database (a SQLite file, or a database on a throwaway
PostgreSQL cluster from tests/pgcluster.py), gunicorn with the production settings of
showroom/gunicorn_conf.py on 127.0.0.1 and a free port, and the print worker beside it
as in production. Everything lives under one temporary folder and is removed after."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))

import pgcluster  # noqa: E402

# Environment a production server would take from its unit file; other SHOWROOM_* settings
# of this shell (an instance folder, SHOWROOM_ENV, a database) stay out of the test.
PASSED = ("SHOWROOM_WORKERS", "SHOWROOM_THREADS", "SHOWROOM_KEEPALIVE", "SHOWROOM_ARGON2_")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Backend:
    name: str
    folder: Path
    env: dict[str, str]
    cluster: Any = None
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    base: str = ""
    server_env: dict[str, str] = field(default_factory=dict)

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def run(self, *args: str, timeout: float = 600, env: dict[str, str] | None = None) -> str:
        """A command in the backend's environment; its output, or SystemExit with it."""
        done = subprocess.run(args, cwd=ROOT, env=env or self.env, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args[:4])} failed ({done.returncode}):\n"
                             f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def flask(self, *args: str, timeout: float = 600) -> str:
        return self.run(str(BIN / "flask"), "--app", "wsgi", *args, timeout=timeout)

    def start(self, workers: int | None, threads: int | None, keepalive: int | None) -> None:
        port = free_port()
        env = dict(self.env, SHOWROOM_BIND=f"127.0.0.1:{port}",
                   SHOWROOM_ACCESS_LOG=str(self.access_log))
        for name, value in (("SHOWROOM_WORKERS", workers), ("SHOWROOM_THREADS", threads),
                            ("SHOWROOM_KEEPALIVE", keepalive)):
            if value is not None:
                env[name] = str(value)
        self.server_env = env
        log = self.log.open("ab")
        self.procs.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:showroom.gunicorn_conf", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        self.procs.append(subprocess.Popen(
            [str(BIN / "flask"), "--app", "wsgi", "print-worker"], cwd=ROOT, env=self.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.procs[0].poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.procs[0].returncode}); see {self.log}:\n"
                                 + self.log.read_text(errors="replace")[-3000:])
            try:
                if requests.get(self.base + "/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer on {self.base} within 180 s; see {self.log}")

    def server_pids(self) -> list[int]:
        """gunicorn's master and its workers (for CPU time)."""
        if not self.procs:
            return []
        master = self.procs[0].pid
        pids = [master]
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            pids += [int(p) for p in children]
        except OSError:
            pass
        return pids

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        self.procs.clear()

    def close(self, keep: bool = False) -> None:
        self.stop()
        if self.cluster is not None:
            self.cluster.stop()
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def make_backend(name: str) -> Backend:
    folder = Path(tempfile.mkdtemp(prefix=f"showroom-load-{name}-"))
    instance = folder / "instance"
    instance.mkdir()
    env = {k: v for k, v in os.environ.items()  # production settings pass, nothing else of ours
           if k.startswith(PASSED) or not k.startswith("SHOWROOM_")
           and k not in ("DATABASE_URL", "FLASK_APP")}
    env |= {"SHOWROOM_INSTANCE": str(instance), "PYTHONPATH": str(ROOT),
            "ESCPOS_CAPABILITIES_PICKLE_DIR": os.environ.get(
                "ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/showroom-escpos")}
    backend = Backend(name=name, folder=folder, env=env)
    if name == "postgresql":
        cluster = pgcluster.start()
        backend.cluster = cluster
        production_like(cluster)
        env["DATABASE_URL"] = cluster.createdb("showroom_load")
    return backend


def production_like(cluster: pgcluster.Cluster) -> None:
    """The test cluster runs without fsync for speed; a load test measures with the
    durability a real server has."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = on")
        conn.execute("SELECT pg_reload_conf()")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


def access_log_ms(path: Path, since_line: int = 0) -> list[float]:
    """Server-side request times (%(M)s ms in the access log), from a line on."""
    out: list[float] = []
    try:
        lines = path.read_text(errors="replace").splitlines()[since_line:]
    except OSError:
        return out
    for line in lines:
        parts = line.rsplit("ms pid=", 1)
        if len(parts) == 2:
            try:
                out.append(float(parts[0].rsplit(" ", 1)[1]))
            except (ValueError, IndexError):
                pass
    return out


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as fh:
            return sum(1 for _ in fh)
    except OSError:
        return 0
