"""Production settings for gunicorn: `gunicorn -c python:showroom.gunicorn_conf wsgi:app`.

Sized for the showroom's server (2 cores, about 40 tablets) and measured with
`make loadtest` (tests/load/run.py); the README's "Running it for real" has the figures.
Environment overrides, read when gunicorn starts:

    SHOWROOM_BIND        where to listen (default 127.0.0.1:8000; 0.0.0.0:8000 for tablets
                         on the shop's network when no proxy stands in front)
    SHOWROOM_WORKERS     processes (default 4: two per core)
    SHOWROOM_THREADS     threads per process (default 2)
    SHOWROOM_KEEPALIVE   seconds an idle connection stays open (default 75)
    SHOWROOM_ACCESS_LOG  access log file, "-" for stdout (the default, for journald), or
                         "off"
    SHOWROOM_CONTROL_SOCKET  a path for gunicorn's control socket (`gunicornc`); off by
                         default, so two instances on one machine do not fight over
                         ~/.gunicorn/gunicorn.ctl

Command-line flags given after `-c` win over this file (gunicorn's rule), so
`--bind`, `--workers` and `--threads` still work for a one-off run.
"""
from __future__ import annotations

import os
from typing import Any


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: a whole number from {low} to {high}, please") from None
    if not low <= value <= high:
        raise SystemExit(f"{name}={value}: a whole number from {low} to {high}, please")
    return value


bind = [part.strip() for part in os.environ.get("SHOWROOM_BIND", "127.0.0.1:8000").split(",")
        if part.strip()]

# Threaded workers: a request waiting on the database, a printer socket or an argon2 PIN
# check (which runs outside the GIL) leaves the core to the other threads. Four processes
# of two threads let 8 requests be in flight, enough for 40 tablets whose requests take
# 5-30 ms each at a few seconds' think time. Fewer threads per process means less waiting
# for one process's GIL: on the 2-core machine `make loadtest` measured the floor's p95 at
# 63 ms (SQLite) and 99 ms (PostgreSQL) with 4 x 2, against 76 and 127 ms with 2 x 8.
worker_class = "gthread"
workers = _int("SHOWROOM_WORKERS", 4, 1, 32)
threads = _int("SHOWROOM_THREADS", 2, 1, 64)

# Tablets poll their screens every 5-15 s (hx-trigger in the templates) and scan every few
# seconds. gunicorn's default keep-alive of 2 s closes a connection between two polls, and
# a tablet that reuses it at that moment gets a reset ("connection reset by peer"). Keep
# idle connections longer than any pause between a tablet's requests: in the gthread
# worker they wait in the event loop, not in a thread, so holding them is cheap.
keepalive = _int("SHOWROOM_KEEPALIVE", 75, 1, 3600)
worker_connections = 1000  # open connections per worker, idle keep-alives included

# A worker whose main loop stops answering for 30 s is killed and replaced (requests run
# in threads, so a slow request alone does not trip it). On a restart (SIGTERM, or SIGHUP
# to reload) workers get 30 s to finish what they are doing.
timeout = 30
graceful_timeout = 30

# Load the app once in the master and fork it: workers start at once, and the start-up
# heap (wsgi.py gc.freeze()s it) is shared copy-on-write instead of built per worker.
# A preloaded app is not re-read on SIGHUP: restart the service to deploy new code.
preload_app = True

# The heartbeat file lives in memory, so a busy or slow disk cannot make workers look dead
# (gunicorn makes it with mkstemp and unlinks it at once).
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM

# Access log with the time each request took, in milliseconds (%(M)s).
_access = os.environ.get("SHOWROOM_ACCESS_LOG", "-").strip() or "-"
accesslog = None if _access.lower() == "off" else _access
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s "%(a)s"'
errorlog = "-"
loglevel = "info"

_control = os.environ.get("SHOWROOM_CONTROL_SOCKET", "").strip()
if _control:
    control_socket = _control
else:
    control_socket_disable = True

# Keep request headers and lines to sane sizes (gunicorn's defaults, written down).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def when_ready(server: Any) -> None:
    """In the master, after the app is preloaded and before any worker is forked: compile
    every template and load the catalogs once (showroom.warmup), shared by the workers."""
    app = getattr(server.app, "callable", None)
    if app is None or not hasattr(app, "jinja_env"):
        return
    from showroom.warmup import warm_up

    server.log.info("warmed up: %s templates compiled before forking", warm_up(app))


def post_fork(server: Any, worker: Any) -> None:
    """Each worker opens its own database connections: drop any the master made while
    preloading, without closing them under the master's feet."""
    app = getattr(server.app, "callable", None)
    if app is None or not hasattr(app, "app_context"):
        return
    from showroom.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
