"""The floor replayed in one process, for profiling: no gunicorn, no sockets.

The load test's tablets (tests/load/tablets.py) drive the Flask app through a requests
transport adapter that calls the WSGI app directly, so the request mix is exactly the load
test's. Per request type it prints the server's CPU ms (the request thread's CPU time, so
other threads' work does not count) and the SQL statements it ran; `--profile TYPE` adds
a cProfile of that type's requests (sorted by cumulative time).

    .venv/bin/python tests/load/inproc.py [--backend sqlite|postgresql] [--seconds 60]
        [--profile "packing scan" | --profile ALL] [--dump PREFIX] [--sql TYPE] [--json OUT]

A measuring tool like run.py, not collected by pytest.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import http.client
import io
import json
import os
import pstats
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import requests  # noqa: E402
import run as loadrun  # noqa: E402
import servers  # noqa: E402
import tablets as tb  # noqa: E402
from requests.adapters import BaseAdapter  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402
from stats import Recorder, percentile  # noqa: E402

BASE = "http://inproc"
_local = threading.local()
SERIAL = threading.Lock()


class _Raw:
    """What requests reads the Set-Cookie headers from."""

    def __init__(self, headers: list[tuple[str, str]]) -> None:
        msg = http.client.HTTPMessage()
        for k, v in headers:
            msg[k] = v
        self._original_response = type("R", (), {"msg": msg})()

    def release_conn(self) -> None:
        pass


class Measure:
    def __init__(self, profile: set[str]) -> None:
        self.lock = threading.Lock()
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.profile = profile
        self.stats: dict[str, pstats.Stats] = {}

    def add(self, kind: str, cpu_ms: float, queries: int, prof: cProfile.Profile | None,
            into: str | None = None) -> None:
        with self.lock:
            self.cpu[kind].append(cpu_ms)
            self.queries[kind].append(queries)
            if prof is not None:
                key = into or kind
                if key in self.stats:
                    self.stats[key].add(prof)
                else:
                    self.stats[key] = pstats.Stats(prof, stream=io.StringIO())


class WSGIAdapter(BaseAdapter):
    def __init__(self, app: Any, measure: Measure) -> None:
        super().__init__()
        self.app = app
        self.measure = measure

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = dict(request.headers)
        builder = EnvironBuilder(path=url.path, query_string=url.query,
                                 method=request.method or "GET", headers=headers, data=body,
                                 base_url=BASE)
        environ = builder.get_environ()
        builder.close()
        kind = getattr(_local, "kind", "(seeding)")
        profiled = kind in self.measure.profile or (
            "ALL" in self.measure.profile and not kind.startswith("(") and tb.ARGON2 not in kind)
        prof = cProfile.Profile(time.thread_time) if profiled else None
        with SERIAL:  # one request at a time: the profile's wall time is this request's CPU
            _local.queries = 0
            _local.in_request = True
            cpu0 = time.thread_time()
            if prof is not None:
                prof.enable()
            app_iter, status, resp_headers = run_wsgi_app(self.app, environ, buffered=True)
            content = b"".join(app_iter)
            if prof is not None:
                prof.disable()
            cpu_ms = (time.thread_time() - cpu0) * 1000
            _local.in_request = False
        self.measure.add(kind, cpu_ms, _local.queries, prof,
                         "ALL" if "ALL" in self.measure.profile else None)
        resp = requests.Response()
        resp.status_code = int(status.split(" ", 1)[0])
        resp.headers = CaseInsensitiveDict(list(resp_headers.items()))
        resp._content = content
        resp.url = request.url or ""
        resp.request = request
        resp.encoding = "utf-8"
        resp.raw = _Raw(list(resp_headers.items()))
        return resp

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--tablets", type=int, default=40)
    parser.add_argument("--customers", type=int, default=400)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--profile", action="append", default=[])
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--json")
    parser.add_argument("--sql", action="append", default=[],
                        help="print the SQL of this type's first requests")
    parser.add_argument("--dump", help="write the profiles' pstats files with this prefix")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    staff = loadrun.plan_staff(args.tablets, rng)
    backend = servers.make_backend(args.backend)
    try:
        backend.flask("db", "upgrade")
        backend.flask("showroom", "seed-demo", "--products", str(args.products))
        plan = backend.folder / "plan.json"
        plan.write_text(json.dumps({"staff": [s.__dict__ for s in staff]}, ensure_ascii=False),
                        encoding="utf-8")
        out = backend.folder / "prepared.json"
        backend.run(sys.executable, str(HERE / "prepare.py"), str(plan), str(out))
        prepared = json.loads(out.read_text(encoding="utf-8"))
        for k in [k for k in os.environ if k.startswith("SHOWROOM_") or k == "DATABASE_URL"]:
            del os.environ[k]
        os.environ.update(backend.env)
        measure = replay(args, staff, prepared, rng)
    finally:
        backend.close()
    report(measure, args)


def replay(args: argparse.Namespace, staff: list[tb.Staff], prepared: dict[str, Any],
           rng: random.Random) -> Measure:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from showroom import create_app

    app = create_app()
    from showroom.warmup import warm_up

    warm_up(app)  # as gunicorn_conf.when_ready does before forking
    if os.environ.get("INPROC_GC_THRESHOLD"):
        gc.set_threshold(*(int(x) for x in os.environ["INPROC_GC_THRESHOLD"].split(",")))
    measure = Measure(set(args.profile))
    gc_ms = {"total": 0.0, "n": 0, "start": 0.0}

    def _gc(phase: str, info: dict[str, int]) -> None:
        if not getattr(_local, "in_request", False):
            return  # the tablets' own garbage: not the server's
        if phase == "start":
            gc_ms["start"] = time.thread_time()
        else:
            gc_ms["total"] += (time.thread_time() - gc_ms["start"]) * 1000
            gc_ms["n"] += 1
            gc_ms[f"gen{info['generation']}"] = gc_ms.get(f"gen{info['generation']}", 0) + 1

    gc.callbacks.append(_gc)

    shown: dict[str, int] = defaultdict(int)

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        _local.queries = getattr(_local, "queries", 0) + 1
        kind = getattr(_local, "kind", "")
        if kind in args.sql:
            shown[kind] += 1
            print(f"SQL {kind} #{_local.queries}: {' '.join(statement.split())[:300]}")

    original_init = requests.Session.__init__

    def session_init(self: requests.Session) -> None:
        original_init(self)
        self.mount(BASE, WSGIAdapter(app, measure))

    requests.Session.__init__ = session_init  # type: ignore[method-assign]

    class Tagged(tb.Client):
        def request(self, kind: str, *a: Any, **kw: Any) -> requests.Response:
            _local.kind = kind
            try:
                return super().request(kind, *a, **kw)
            finally:
                _local.kind = "(other)"

    print("seeding the floor ...", flush=True)
    floor = loadrun.seed_floor(BASE, staff, prepared["products"], rng, args.customers)
    _local.kind = "(warm-up)"
    loadrun.warm_up(BASE, staff[0], 1)
    measure.cpu.clear()
    measure.queries.clear()
    rec = Recorder()
    clock = tb.Clock()
    packers = [s for s in staff[1:] if s.kind == "packer"]
    threads = []
    for s in staff[1:]:
        client = Tagged(BASE, rec, clock, s)
        cls = tb.ROLE_CLASSES[s.kind]
        own = random.Random(rng.random())
        if cls is tb.Packer:
            others = [p for p in packers if p.staff_no != s.staff_no] or [staff[0]]
            tablet: tb.Tablet = tb.Packer(s, floor, client, own,
                                          colleague=lambda o=others, r=own: r.choice(o))
        else:
            tablet = cls(s, floor, client, own)
        threads.append(threading.Thread(target=tablet.run, args=(own.uniform(0, 10),),
                                        daemon=True))
    for t in threads:
        t.start()
    t0 = time.monotonic()
    while clock.signed_in < len(threads) and time.monotonic() - t0 < 180:
        time.sleep(0.2)
    print(f"floor: {args.seconds:.0f} s", flush=True)
    clock.deadline = time.monotonic() + args.seconds
    clock.go.set()
    for t in threads:
        t.join(args.seconds + 60)
    with app.app_context():
        from showroom.extensions import db

        for engine in db.engines.values():
            cache = engine._compiled_cache
            print(f"compiled cache: {len(cache) if cache is not None else None} statements "
                  f"(capacity {getattr(cache, 'capacity', '?')})")
    print(f"garbage collector in requests: {gc_ms['n']} passes, {gc_ms['total']:.0f} ms CPU "
          f"in all ({ {k: v for k, v in gc_ms.items() if k.startswith('gen')} })")
    if rec.samples or rec.unexpected:
        print("problems:", rec.samples[:5], dict(rec.unexpected))
    return measure


def report(measure: Measure, args: argparse.Namespace) -> None:
    rows = []
    all_cpu: list[float] = []
    weighted = 0.0
    for kind, cpu in measure.cpu.items():
        q = measure.queries[kind]
        s = sorted(cpu)
        rows.append((kind, len(s), statistics.mean(s), percentile(s, 50), percentile(s, 95),
                     statistics.mean(q), max(q)))
        if tb.ARGON2 not in kind and not kind.startswith("("):
            all_cpu += s
            weighted += sum(s)
    rows.sort(key=lambda r: -r[1] * r[2])
    print(f"{'request type':34} {'n':>5} {'cpu mean':>9} {'p50':>6} {'p95':>6} {'queries':>8} "
          f"{'max q':>6}")
    for kind, n, mean, p50, p95, qm, qx in rows:
        print(f"{kind:34} {n:5d} {mean:9.1f} {p50:6.1f} {p95:6.1f} {qm:8.1f} {qx:6d}")
    all_cpu.sort()
    print(f"{'ALL but PIN checks':34} {len(all_cpu):5d} {statistics.mean(all_cpu):9.1f} "
          f"{percentile(all_cpu, 50):6.1f} {percentile(all_cpu, 95):6.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [dict(zip(("type", "n", "cpu_mean", "cpu_p50", "cpu_p95", "queries_mean",
                       "queries_max"), r)) for r in rows], ensure_ascii=False, indent=1))
    for kind, st in measure.stats.items():
        buf = io.StringIO()
        st.stream = buf  # type: ignore[attr-defined]
        st.sort_stats("cumulative").print_stats(70)
        st.sort_stats("tottime").print_stats(40)
        print(f"\n--- profile: {kind} ({len(measure.cpu.get(kind, []))} requests)")
        print(buf.getvalue())
        if args.dump:
            st.dump_stats(f"{args.dump}{kind.replace(' ', '_')}.pstats")


if __name__ == "__main__":
    main()
