"""`make loadtest`: 40 tablets at floor pace, and 40 sign-ins at once, against gunicorn
with the production settings (showroom/gunicorn_conf.py) on a fresh SQLite file and on a
throwaway PostgreSQL cluster - all on 127.0.0.1, bounded in time.

Per backend: a new database (`flask db upgrade`, the demo seed, one staff member per
tablet with the production argon2 parameters), gunicorn and the print worker on a free
port, the floor's morning seeded through the JSON API (customers, stock, visits with the
clerks, orders at the cashier and at the packing bench), a warm-up, then

  * the sign-in storm: 40 tablets post the sign-in form at the same instant (a barrier),
    repeated --storms times;
  * the floor: 40 tablets (reception, clerks with screens, handheld scanners on the API,
    cashiers, packers, shippers, managers, print stations) sign in once and work with
    think time for --seconds, polling their screens' htmx parts as the templates do.

Prints per request type p50/p95/p99 (ms), count, errors (HTTP >= 500, connection
resets, timeouts) and refusals (4xx); the storm's median/p95/max; the machine (cores,
load average before and during, CPU used) and the argon2 parameters; then the targets
of issue 9 and whether each was met. Writes artifacts/loadtest/<time>.json.

    .venv/bin/python tests/load/run.py [--backend sqlite|postgresql]... [--seconds 90]
        [--storms 3] [--tablets 40] [--workers N] [--threads N] [--keepalive S]
        [--storm-under-load] [--strict] [--keep]

Environment: LOADTEST_SECONDS, LOADTEST_STORMS, LOADTEST_BACKENDS (e.g. "sqlite"),
SHOWROOM_WORKERS / SHOWROOM_THREADS / SHOWROOM_KEEPALIVE (as for production).
Not collected by pytest (no test_ files here).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import htmlforms  # noqa: E402
import requests  # noqa: E402
import servers  # noqa: E402
import tablets as tb  # noqa: E402
from stats import Recorder, fmt_ms, percentile, table  # noqa: E402

SEED_PIN_STAFF = "7000"
# 40 tablets: who stands where on a busy morning.
MIX = (("reception", 3), ("clerk", 12), ("scanner", 6), ("cashier", 5), ("packer", 8),
       ("shipper", 2), ("manager", 2), ("printer", 2))
ROLES = {"reception": ["reception"], "clerk": ["clerk"], "scanner": ["clerk"],
         "cashier": ["cashier"], "packer": ["packer"], "shipper": ["shipper"],
         "manager": ["manager"], "printer": ["cashier"]}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = ("美玲", "丽华", "建国", "晓燕", "志强", "秀英", "海涛", "婷婷", "小红", "伟", "芳", "静",
         "敏", "军", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚")
REGIONS = ("浙江", "广东", "江苏", "福建", "山东", "湖南", "四川", "河南")
TARGET_P95_MS = 50.0
TARGET_STORM_MEDIAN_MS = 1500.0
REQUEST_CAP = 300_000  # a hard bound on requests per run, whatever the duration


def good_pin(rng: random.Random, staff_no: str) -> str:
    """Six digits any PIN rule should take: four different digits, no run of three (123,
    321, 555), not containing the staff number."""
    while True:
        pin = "".join(rng.choice("0123456789") for _ in range(6))
        runs = any(pin[i:i + 3] in "0123456789" or pin[i:i + 3] in "9876543210"
                   or len(set(pin[i:i + 3])) == 1 for i in range(4))
        if len(set(pin)) >= 4 and not runs and staff_no not in pin:
            return pin


def plan_staff(tablets: int, rng: random.Random) -> list[tb.Staff]:
    """The seeding manager, then one staff member per tablet in MIX's proportions (at
    least one of each kind; what rounding leaves goes to the clerks)."""
    if tablets < len(MIX):
        raise SystemExit(f"at least {len(MIX)} tablets, one per kind of {MIX}")
    total = sum(n for _kind, n in MIX)
    counts = {kind: max(1, n * tablets // total) for kind, n in MIX}
    while sum(counts.values()) > tablets:
        counts[max(counts, key=lambda k: counts[k])] -= 1
    counts["clerk"] += tablets - sum(counts.values())
    kinds = [kind for kind, _n in MIX for _ in range(counts[kind])]
    names = rng.sample([s + g for s in SURNAMES for g in GIVEN], tablets + 1)
    staff = [tb.Staff(SEED_PIN_STAFF, good_pin(rng, SEED_PIN_STAFF), "测试店长", ["manager"],
                      "seed")]
    for i, kind in enumerate(kinds, 1):
        staff_no = f"{7000 + i}"
        staff.append(tb.Staff(staff_no, good_pin(rng, staff_no), names[i], ROLES[kind], kind))
    return staff


# --- seeding the floor through the API ---------------------------------------------------

class Api:
    def __init__(self, base: str, staff: tb.Staff) -> None:
        self.base = base
        self.s = requests.Session()
        resp = self.s.post(base + "/api/v1/auth/token",
                           json={"staff_no": staff.staff_no, "pin": staff.pin}, timeout=60)
        resp.raise_for_status()
        self.s.headers["Authorization"] = f"Bearer {resp.json()['token']}"

    def call(self, method: str, path: str, body: Any = None, *, key: bool = False,
             ok: tuple[int, ...] = (200, 201)) -> Any:
        headers = {"Idempotency-Key": str(uuid.uuid4())} if key else {}
        for attempt in range(3):  # the floor is not measured yet; say so and try again
            resp = self.s.request(method, self.base + "/api/v1" + path, json=body,
                                  headers=headers, timeout=60)
            if resp.status_code < 500:
                break
            print(f"   seeding: {method} {path} -> {resp.status_code}, try {attempt + 2} of 3 "
                  f"(see server.log)", flush=True)
            time.sleep(2)
        if resp.status_code not in ok:
            raise SystemExit(f"seeding: {method} {path} -> {resp.status_code} {resp.text[:300]}")
        return resp.json()


def seed_floor(base: str, staff: list[tb.Staff], products: list[dict[str, Any]],
               rng: random.Random, customers: int) -> tb.Floor:
    api = Api(base, staff[0])
    goods = [p for p in products if p["barcode"]][:400]
    api.call("POST", "/stock/receipts", {"lines": [
        {"product_code": p["code"], "qty": 5000} for p in goods]}, key=True)
    names = rng.sample([s + g + n for s in SURNAMES for g in GIVEN for n in ("", "华", "琳")],
                       customers)
    phones = rng.sample(range(10_000_000, 100_000_000), customers)
    made: list[dict[str, Any]] = []
    lock = threading.Lock()

    def register(i: int) -> None:
        region = rng.choice(REGIONS)
        body = {"name": names[i], "phone": f"139{phones[i]}", "kind": rng.choice(
            ["wholesale", "wholesale", "franchise"]), "address": f"{region}省义乌市稠州北路{i + 1}号",
            "region": region}
        out = api.call("POST", "/customers", body)
        with lock:
            made.append({"id": out["id"], "name": body["name"]})

    run_parallel(register, customers, 4)
    made.sort(key=lambda c: c["id"])
    rng.shuffle(made)
    clerks = [s.staff_no for s in staff if s.kind == "clerk"]
    floor = tb.Floor(barcodes=[p["barcode"] for p in goods], customers=made, screen_clerks=clerks)
    for clerk in clerks:  # each clerk already has a customer at their side
        customer = floor.next_customer()
        assert customer is not None
        visit = api.call("POST", "/visits", {"customer_id": customer["id"], "purpose": "补货"})
        api.call("POST", f"/visits/{visit['id']}/assign", {"clerk_staff_no": clerk})
        floor.clerk_load[clerk] += 1

    def order(settled: bool) -> int:
        customer = floor.any_customer(rng)
        opened = api.call("POST", "/orders", {"customer_id": customer["id"]}, key=True)
        for _ in range(rng.randint(3, 8)):
            barcode, qty = rng.choice(floor.barcodes), rng.randint(1, 3)
            api.call("POST", f"/orders/{opened['id']}/lines", {"barcode": barcode, "qty": qty})
            floor.add_units(opened["id"], barcode, qty)
        sent = api.call("POST", f"/orders/{opened['id']}/submit", {}, key=True)
        if settled:
            api.call("POST", f"/orders/{opened['id']}/settle", {"payments": [
                {"method": "wechat", "amount": sent["total"]}]}, key=True)
        return int(opened["id"])

    packers = [s for s in staff if s.kind == "packer"]
    run_parallel(lambda i: order(False), 8, 4)  # at the cashier
    settled = run_parallel(lambda i: order(True), 3 * len(packers) + 4, 4)  # at the bench
    for order_id in settled[:4]:  # packed, waiting for the carrier
        for code, n in (floor.units(order_id) or Counter()).items():
            for _ in range(n):
                api.call("POST", f"/orders/{order_id}/packing/scan", {"barcode": code}, key=True)
        for who in packers[:2]:
            api.call("POST", f"/orders/{order_id}/packing/sign",
                     {"staff_no": who.staff_no, "pin": who.pin})
        api.call("POST", f"/orders/{order_id}/packing/seal", {"mode": "absent"})
        with floor.lock:  # the packers must not take them again
            floor.claims.setdefault("packer", set()).add(order_id)
    return floor


def run_parallel(fn: Any, n: int, threads: int) -> list[Any]:
    results: list[Any] = [None] * n
    todo = list(range(n))
    lock = threading.Lock()
    failure: list[BaseException] = []

    def worker() -> None:
        while True:
            with lock:
                if not todo or failure:
                    return
                i = todo.pop()
            try:
                results[i] = fn(i)
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                failure.append(exc)
                return

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failure:
        raise failure[0]
    return results


def warm_up(base: str, manager: tb.Staff, workers: int) -> None:
    """Every screen a few times per worker, unrecorded: templates compile, catalogs load."""
    s = requests.Session()
    page = s.get(base + "/login", timeout=60).text
    form = htmlforms.find(page, re.compile(r"(^|/login)$"))
    if form is None:
        raise SystemExit("warm-up: no sign-in form on /login")
    for _ in range(10):  # SQLite may refuse a sign-in while another holds the write lock
        resp = s.post(base + "/login", data=form.data(staff_no=manager.staff_no, pin=manager.pin),
                      timeout=60, allow_redirects=False)
        if resp.status_code == 302:
            break
        time.sleep(2)
    else:
        raise SystemExit(f"warm-up: sign-in refused ({resp.status_code})")
    paths = ["/reception/", "/reception/board/rows", "/picking/", "/picking/live", "/cashier/",
             "/cashier/queue-rows", "/packing/", "/packing/rows", "/shipping/",
             "/shipping/queue-rows", "/print-jobs/", "/customers/", "/customers/?q=王",
             "/reception/visits/new"]
    for _ in range(3 * max(1, workers)):
        for path in paths:
            s.get(base + path, timeout=60, headers={"HX-Request": "true"}
                  if path.endswith(("rows", "live")) else {})
    s.close()


# --- the storm ---------------------------------------------------------------------------

def storm_round(base: str, staff: list[tb.Staff]) -> dict[str, Any]:
    """Every tablet has the sign-in form open; all post it at the same instant."""
    n = len(staff)
    rec = Recorder()
    clients = [tb.Client(base, rec, tb.Clock(), s) for s in staff]
    failures: Counter[str] = Counter()

    def page(i: int) -> Any:
        try:
            return clients[i].sign_in_page()
        except tb.Trouble:  # recorded; this tablet's sign-in failed before the storm
            return None

    forms = run_parallel(page, n, 8)
    for kind in rec.kinds.values():
        failures.update(kind.errors)
    barrier = threading.Barrier(n)
    times: list[float | None] = [None] * n
    lock = threading.Lock()

    def go(i: int) -> None:
        c = clients[i]
        barrier.wait()
        if forms[i] is None:
            return
        started = time.perf_counter()
        try:
            resp = c.s.post(base + "/login", allow_redirects=False, timeout=(10, 60),
                            data=forms[i].data(staff_no=c.staff.staff_no, pin=c.staff.pin))
            ms = (time.perf_counter() - started) * 1000
            problem = None if resp.status_code == 302 else f"HTTP {resp.status_code}"
        except requests.exceptions.Timeout:
            ms, problem = (time.perf_counter() - started) * 1000, "timeout"
        except requests.exceptions.ConnectionError as exc:
            ms, problem = (time.perf_counter() - started) * 1000, tb._classify(exc)
        with lock:
            times[i] = ms
            if problem:
                failures[problem] += 1

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in clients:
        c.close()
    done = sorted(t for t in times if t is not None)
    return {"n": n, "median": statistics.median(done) if done else math.nan,
            "p95": percentile(done, 95), "max": done[-1] if done else math.nan,
            "errors": sum(failures.values()), "error_kinds": dict(failures), "times": done}


def storms(base: str, staff: list[tb.Staff], rounds: int) -> list[dict[str, Any]]:
    out = []
    for r in range(rounds):
        if r:
            time.sleep(5)
        result = storm_round(base, staff)
        print(f"  storm {r + 1}/{rounds}: median {fmt_ms(result['median'])} ms, p95 "
              f"{fmt_ms(result['p95'])}, max {fmt_ms(result['max'])}, errors {result['errors']}"
              f" {result['error_kinds'] or ''}", flush=True)
        out.append(result)
    return out


# --- the floor ---------------------------------------------------------------------------

class Sampler(threading.Thread):
    """Load average and CPU use every 2 s while the floor works."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.loads: list[float] = []

    def run(self) -> None:
        while not self.stop.wait(2):
            self.loads.append(os.getloadavg()[0])


def floor_phase(backend: servers.Backend, staff: list[tb.Staff], floor: tb.Floor,
                seconds: float, rng: random.Random, storm_under_load: bool
                ) -> dict[str, Any]:
    """Tablets come on over 10 s and sign in; once all have (or after 180 s), the floor
    works for `seconds`. Sign-ins are recorded as their own request types."""
    rec = Recorder()
    clock = tb.Clock()
    count = {"n": 0}
    count_lock = threading.Lock()

    class Capped(tb.Client):
        def request(self, *args: Any, **kw: Any) -> requests.Response:
            with count_lock:
                count["n"] += 1
                if count["n"] > REQUEST_CAP:
                    raise tb.Stop
            return super().request(*args, **kw)

    tablets_staff = staff[1:]
    packers = [s for s in tablets_staff if s.kind == "packer"]
    threads = []
    for s in tablets_staff:
        client = Capped(backend.base, rec, clock, s)
        cls = tb.ROLE_CLASSES[s.kind]
        own = random.Random(rng.random())
        if cls is tb.Packer:
            others = [p for p in packers if p.staff_no != s.staff_no] or [staff[0]]
            tablet: tb.Tablet = tb.Packer(s, floor, client, own,
                                          colleague=lambda o=others, r=own: r.choice(o))
        else:
            tablet = cls(s, floor, client, own)
        threads.append(threading.Thread(target=tablet.run, args=(own.uniform(0, 10),),
                                        name=f"tablet-{s.staff_no}", daemon=True))
    ramp0 = time.monotonic()
    for t in threads:
        t.start()
    while clock.signed_in < len(threads) and time.monotonic() - ramp0 < 180:
        time.sleep(0.2)
    ramp = time.monotonic() - ramp0
    sampler = Sampler()
    log_from = servers.count_lines(backend.access_log)
    pids = backend.server_pids()
    cpu0, busy0, client0 = servers.cpu_seconds(pids), servers.machine_busy(), time.process_time()
    wall0 = time.monotonic()
    clock.deadline = wall0 + seconds
    sampler.start()
    clock.go.set()
    under_load = None
    if storm_under_load:
        time.sleep(seconds / 2)
        under_load = storm_round(backend.base, tablets_staff)
    for t in threads:
        t.join(max(1.0, clock.deadline - time.monotonic()) + 90)
    wall = time.monotonic() - wall0
    sampler.stop.set()
    pids = backend.server_pids()
    cpu1, busy1, client1 = servers.cpu_seconds(pids), servers.machine_busy(), time.process_time()
    server_ms = sorted(servers.access_log_ms(backend.access_log, log_from))
    cores = os.cpu_count() or 1
    return {
        "rec": rec, "seconds": wall, "ramp_seconds": ramp, "signed_in": clock.signed_in,
        "requests": count["n"], "done": dict(floor.done),
        "load_during": {"mean": statistics.mean(sampler.loads) if sampler.loads else math.nan,
                        "max": max(sampler.loads) if sampler.loads else math.nan},
        "machine_busy_pct": 100 * (busy1[0] - busy0[0]) / max(1.0, busy1[1] - busy0[1]),
        "server_cpu_pct_of_core": 100 * (cpu1 - cpu0) / wall,
        "client_cpu_pct_of_core": 100 * (client1 - client0) / wall,
        "cores": cores,
        "server_side_ms": {"count": len(server_ms), "p50": percentile(server_ms, 50),
                           "p95": percentile(server_ms, 95), "p99": percentile(server_ms, 99)},
        "storm_under_load": under_load,
    }


# --- one backend -------------------------------------------------------------------------

def run_backend(name: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    staff = plan_staff(args.tablets, rng)
    print(f"\n== {name}: preparing a fresh database", flush=True)
    backend = servers.make_backend(name)
    keep = args.keep
    try:
        started = time.monotonic()
        backend.flask("db", "upgrade")
        backend.flask("showroom", "seed-demo", "--products", str(args.products))
        plan = backend.folder / "plan.json"
        plan.write_text(json.dumps({"staff": [s.__dict__ for s in staff]}, ensure_ascii=False),
                        encoding="utf-8")
        out = backend.folder / "prepared.json"
        backend.run(sys.executable, str(HERE / "prepare.py"), str(plan), str(out))
        prepared = json.loads(out.read_text(encoding="utf-8"))
        backend.start(args.workers, args.threads, args.keepalive)
        settings = server_settings(backend)
        print(f"   gunicorn on {backend.base}: {settings}", flush=True)
        floor = seed_floor(backend.base, staff, prepared["products"], rng, args.customers)
        warm_up(backend.base, staff[0], settings.get("workers", 2))
        print(f"   ready in {time.monotonic() - started:.0f} s ({len(floor.customers)} customers, "
              f"{len(floor.barcodes)} goods, {len(floor.lines)} orders in the pipeline); "
              f"argon2 {prepared['argon2']['hash']}", flush=True)
        load_before = os.getloadavg()
        print(f"   sign-in storm: {len(staff) - 1} at once x {args.storms}", flush=True)
        storm = storms(backend.base, staff[1:], args.storms)
        time.sleep(3)
        print(f"   the floor: {len(staff) - 1} tablets for {args.seconds:.0f} s", flush=True)
        floor_result = floor_phase(backend, staff, floor, args.seconds, rng, args.storm_under_load)
        return {"backend": name, "settings": settings, "argon2": prepared["argon2"],
                "load_before": load_before, "storm": storm, "floor": floor_result}
    except BaseException:
        keep = True  # the logs say what went wrong
        raise
    finally:
        backend.close(keep=keep)
        if keep:
            print(f"   kept {backend.folder} (server.log, access.log)", flush=True)


def server_settings(backend: servers.Backend) -> dict[str, Any]:
    """What gunicorn runs with, read back from the config module in the server's env."""
    out = backend.run(sys.executable, "-c", (
        "import json, showroom.gunicorn_conf as c; print(json.dumps({k: getattr(c, k) "
        "for k in ('workers', 'threads', 'keepalive', 'timeout', 'graceful_timeout', "
        "'preload_app', 'worker_class')}))"), timeout=120, env=backend.server_env)
    return dict(json.loads(out))


# --- the report --------------------------------------------------------------------------

def report(results: list[dict[str, Any]]) -> tuple[str, list[str]]:
    lines: list[str] = []
    misses: list[str] = []
    for res in results:
        fl = res["floor"]
        rec: Recorder = fl["rec"]
        s = res["settings"]
        lines.append("")
        lines.append(f"=== {res['backend']}: gunicorn {s['worker_class']} {s['workers']} workers x "
                     f"{s['threads']} threads, keep-alive {s['keepalive']} s; argon2 "
                     f"{res['argon2']['hash']}")
        lines.append(f"floor: {fl['signed_in']} tablets signed in over {fl['ramp_seconds']:.0f} s,"
                     f" then worked {fl['seconds']:.0f} s: {fl['requests']} requests "
                     f"({fl['requests'] / max(1.0, fl['seconds']):.1f}/s); done: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(fl["done"].items())))
        rows = []
        for row in rec.rows():
            errs = str(row["errors"]) + (f" {row['error_kinds']}" if row["errors"] else "")
            refused = str(row["refused"]) + (f" {row['refused_kinds']}" if row["refused"] else "")
            rows.append([row["type"], str(row["count"]), fmt_ms(row["p50"]), fmt_ms(row["p95"]),
                         fmt_ms(row["p99"]), fmt_ms(row["max"]), errs, refused])
        total = rec.total(exclude=(tb.ARGON2,))
        rows.append(["ALL but PIN checks", str(total["count"]), fmt_ms(total["p50"]),
                     fmt_ms(total["p95"]), fmt_ms(total["p99"]), fmt_ms(total["max"]),
                     str(total["errors"]), str(total["refused"])])
        lines.append(table(["request type", "count", "p50 ms", "p95 ms", "p99 ms", "max ms",
                            "errors", "4xx"], rows, right={1, 2, 3, 4, 5}))
        ss = fl["server_side_ms"]
        lines.append(f"server side (access log, all requests): p50 {fmt_ms(ss['p50'])} ms, "
                     f"p95 {fmt_ms(ss['p95'])}, p99 {fmt_ms(ss['p99'])} over {ss['count']}")
        if rec.unexpected:
            lines.append("unexpected (a changed screen or a tool bug): " + ", ".join(
                f"{k} x{v}" for k, v in rec.unexpected.items()))
        if rec.samples:
            lines.append("first problems seen:")
            lines += [f"  {s}" for s in rec.samples[:8]]
        st = res["storm"]
        all_times = sorted(t for r in st for t in r["times"])
        storm_errors = sum(r["errors"] for r in st)
        storm_median = statistics.median(all_times) if all_times else math.nan
        lines.append(
            "sign-in storm: none" if not st else
            f"sign-in storm ({st[0]['n']} at once x {len(st)}): median "
            f"{fmt_ms(storm_median)} ms, p95 {fmt_ms(percentile(all_times, 95))}, max "
            f"{fmt_ms(all_times[-1] if all_times else math.nan)}, errors {storm_errors}; per "
            "round medians " + ", ".join(fmt_ms(r["median"]) for r in st))
        if fl["storm_under_load"]:
            u = fl["storm_under_load"]
            lines.append(f"sign-in storm during the floor: median {fmt_ms(u['median'])} ms, p95 "
                         f"{fmt_ms(u['p95'])}, max {fmt_ms(u['max'])}, errors {u['errors']} "
                         f"{u['error_kinds'] or ''}")
        lb = res["load_before"]
        lines.append(
            f"machine: {fl['cores']} cores; load average before {lb[0]:.2f} / {lb[1]:.2f} / "
            f"{lb[2]:.2f}, during the floor mean {fl['load_during']['mean']:.2f} max "
            f"{fl['load_during']['max']:.2f}; all cores {fl['machine_busy_pct']:.0f}% busy; "
            f"gunicorn used {fl['server_cpu_pct_of_core']:.0f}% of a core, this load tool "
            f"{fl['client_cpu_pct_of_core']:.0f}%")
        name = res["backend"]
        slow = [r["type"] for r in rec.rows()
                if tb.ARGON2 not in r["type"] and r["p95"] > TARGET_P95_MS]
        floor_errors = sum(r["errors"] for r in rec.rows())
        checks = [
            (f"{name}: floor errors 0", floor_errors == 0, str(floor_errors)),
            (f"{name}: every request type p95 <= {TARGET_P95_MS:.0f} ms (PIN checks aside)",
             not slow, ", ".join(slow) or f"worst {fmt_ms(worst_p95(rec))} ms"),
        ]
        if st:
            checks += [
                (f"{name}: storm errors 0", storm_errors == 0, str(storm_errors)),
                (f"{name}: storm median <= {TARGET_STORM_MEDIAN_MS:.0f} ms",
                 storm_median <= TARGET_STORM_MEDIAN_MS, f"{fmt_ms(storm_median)} ms"),
            ]
        for what, ok, detail in checks:
            lines.append(f"  {'met ' if ok else 'MISS'}  {what}: {detail}")
            if not ok:
                misses.append(what)
    return "\n".join(lines), misses


def summary(results: list[dict[str, Any]]) -> str:
    """One line per backend: the figures the README quotes."""
    rows = []
    for res in results:
        fl, rec = res["floor"], res["floor"]["rec"]
        total = rec.total(exclude=(tb.ARGON2,))
        times = sorted(t for r in res["storm"] for t in r["times"])
        rows.append([
            res["backend"], f"{res['settings']['workers']}x{res['settings']['threads']}",
            str(total["count"]), f"{fmt_ms(total['p50'])} / {fmt_ms(total['p95'])} / "
            f"{fmt_ms(total['p99'])}", fmt_ms(worst_p95(rec)),
            str(sum(r["errors"] for r in rec.rows())),
            f"{fmt_ms(statistics.median(times) if times else math.nan)} / "
            f"{fmt_ms(percentile(times, 95))} / {fmt_ms(times[-1] if times else math.nan)}",
            str(sum(r["errors"] for r in res["storm"])),
            f"{res['load_before'][0]:.1f} / {fl['load_during']['mean']:.1f}"])
    return table(["backend", "gunicorn", "floor requests", "p50 / p95 / p99 ms",
                  "worst type p95", "errors", "storm median / p95 / max ms", "storm errors",
                  "load before / during"], rows)


def worst_p95(rec: Recorder) -> float:
    values = [r["p95"] for r in rec.rows() if tb.ARGON2 not in r["type"] and not math.isnan(r["p95"])]
    return max(values) if values else math.nan


def to_json(results: list[dict[str, Any]]) -> dict[str, Any]:
    out = []
    for res in results:
        fl = dict(res["floor"])
        rec: Recorder = fl.pop("rec")
        fl["types"] = rec.rows()
        fl["unexpected"] = dict(rec.unexpected)
        fl["samples"] = rec.samples
        out.append({**res, "floor": fl})
    return {"when": datetime.now().isoformat(timespec="seconds"), "results": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    env_backends = [b for b in os.environ.get("LOADTEST_BACKENDS", "").replace(",", " ").split() if b]
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"],
                        help="default: both (or LOADTEST_BACKENDS)")
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("LOADTEST_SECONDS", "90")),
                        help="floor time per backend (default 90, or LOADTEST_SECONDS)")
    parser.add_argument("--storms", type=int, default=int(os.environ.get("LOADTEST_STORMS", "3")),
                        help="sign-in storm rounds per backend (default 3)")
    parser.add_argument("--tablets", type=int, default=40)
    parser.add_argument("--customers", type=int, default=400)
    parser.add_argument("--products", type=int, default=2000,
                        help="demo products seeded (seed-demo --products)")
    parser.add_argument("--workers", type=int, help="override SHOWROOM_WORKERS / the config")
    parser.add_argument("--threads", type=int, help="override SHOWROOM_THREADS / the config")
    parser.add_argument("--keepalive", type=int, help="override SHOWROOM_KEEPALIVE / the config")
    parser.add_argument("--storm-under-load", action="store_true",
                        help="also one storm in the middle of the floor (it slows the floor)")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders and logs")
    args = parser.parse_args()
    if not 1 <= args.tablets <= 200 or not 5 <= args.seconds <= 3600 or not 0 <= args.storms <= 20:
        parser.error("--tablets 1..200, --seconds 5..3600, --storms 0..20")
    backends = args.backend or env_backends or ["sqlite", "postgresql"]
    print(f"load test: {', '.join(backends)}; {args.tablets} tablets, {args.seconds:.0f} s of "
          f"floor and {args.storms} sign-in storms per backend; {os.cpu_count()} cores, load "
          "average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg()), flush=True)
    results = []
    for name in backends:
        try:
            results.append(run_backend(name, args))
        except Exception as exc:  # noqa: BLE001 - the other backend still runs and reports
            print(f"   {name}: the run failed: {exc!r}", flush=True)
            continue
        print(report(results[-1:])[0], flush=True)
    _text, misses = report(results)
    if results:
        print("\n" + summary(results))
    if len(results) < len(backends):
        misses.append("a backend's run failed")
    folder = ROOT / "artifacts" / "loadtest"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"loadtest-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.json"
    path.write_text(json.dumps(to_json(results), ensure_ascii=False, indent=1, default=str),
                    encoding="utf-8")
    print(f"\n{len(misses)} target(s) missed; details in {path.relative_to(ROOT)}")
    return 1 if misses and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
