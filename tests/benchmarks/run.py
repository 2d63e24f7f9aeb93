"""`make bench`: latency of the floor's hot paths on a showroom-sized SQLite database.

Builds (once, then cached under instance/bench/) a database of 200,000 products,
20,000 customers and 1,000,000 past order lines, copies it, and times through the
service layer and through HTTP (Flask test client: routing, auth, JSON, the view):
adding a line by barcode to 5- and 500-line orders, settling 300-line orders,
product search, scan-to-tick at the packing bench, payments on account and the daily
report, a returning customer's returnable lines (10,000 past lines), and printing (ESC/POS and PDF
rendering, sizes, settling with the printer down vs up). Prints p50/p95 against the
targets and writes artifacts/bench.json.

    .venv/bin/python tests/benchmarks/run.py
        [--only lines|settle|search|packing|printing|desk|returns|consign|service_levels|manager]
        [--quick] [--regen]
        [--scale 0.1] [--strict] [--no-gc-freeze]

--regen (or BENCH_REGEN=1) rebuilds the cached database; --scale builds a smaller one
for trying changes (cached under its own key); BENCH_PROFILE=1 writes a cProfile of
every measured loop to artifacts/bench-profiles/; --strict exits 1 on any MISS;
--no-gc-freeze skips moving the start-up heap out of the garbage collector's reach (a full
collection of it takes ~60-100 ms here and lands in some requests' p95).
Not collected by pytest (no test_ files here).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE)]
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/showroom-escpos")

import bench_consign  # noqa: E402
import bench_desk  # noqa: E402
import bench_lines  # noqa: E402
import bench_manager_home  # noqa: E402
import bench_packing  # noqa: E402
import bench_printing  # noqa: E402
import bench_returns  # noqa: E402
import bench_search  # noqa: E402
import bench_service_levels  # noqa: E402
import bench_settle  # noqa: E402
import datagen  # noqa: E402
import servicegen  # noqa: E402
from harness import ARTIFACTS, Ratio, Result, machine, table  # noqa: E402
from world import World, working_copy  # noqa: E402

REPS = {"lines": 200, "settle": 30, "search": 200, "printing": 40, "packing": 200,
        "desk": 200, "returns": 200, "consign": 200, "service_levels": 40, "manager": 30}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(REPS), action="append")
    parser.add_argument("--quick", action="store_true", help="a fifth of the repetitions")
    parser.add_argument("--regen", action="store_true", default=os.environ.get("BENCH_REGEN") == "1")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--no-gc-freeze", dest="gc_freeze", action="store_false",
                        help="skip the gc.freeze() that wsgi.py does after start-up (shows the "
                             "garbage collector's share of p95)")
    args = parser.parse_args()
    if args.scale != 1.0:
        datagen.SIZES = {k: max(10, int(v * args.scale)) for k, v in datagen.SIZES.items()}
    reps = {k: max(5, v // 5) if args.quick else v for k, v in REPS.items()}
    chosen = args.only or list(REPS)

    box = machine()
    # the service levels and the manager's home need a year of service data on top
    # (servicegen: cached the same way)
    yearly = {"service_levels", "manager"} & set(chosen)
    golden, meta = (servicegen if yearly else datagen).ensure_database(
        force=args.regen)
    started = time.perf_counter()
    world = World(working_copy(golden), meta, random.Random(20261122))
    if args.gc_freeze:
        gc.collect()
        gc.freeze()  # the app's start-up objects leave the generations full collections scan
    results: list[Result] = []
    ratios: list[Ratio] = []
    if "search" in chosen:
        results += bench_search.run(world, reps["search"])
    if "lines" in chosen:
        found, found_ratios = bench_lines.run(world, reps["lines"])
        results += found
        ratios += found_ratios
    if "settle" in chosen:
        results += bench_settle.run(world, reps["settle"])
    if "packing" in chosen:
        found, found_ratios = bench_packing.run(world, reps["packing"])
        results += found
        ratios += found_ratios
    if "desk" in chosen:
        results += bench_desk.run(world, reps["desk"])
    if "returns" in chosen:
        results += bench_returns.run(world, reps["returns"])
    if "consign" in chosen:
        results += bench_consign.run(world, reps["consign"])
    if "service_levels" in chosen:
        results += bench_service_levels.run(world, reps["service_levels"])
    if "manager" in chosen:
        results += bench_manager_home.run(world, reps["manager"])
    extra_lines: list[str] = []
    size_passed = True
    if "printing" in chosen:
        found, extra_lines, size_passed = bench_printing.run_render(reps["printing"])
        results += found
        found, found_ratios = bench_printing.run_settle_with_printer(world, reps["settle"])
        results += found
        ratios += found_ratios
    mismatches = world.ledger_mismatches()
    box["loadavg_at_end"] = machine()["loadavg_1_5_15"]

    sizes = meta["sizes"]
    print()
    print(f"Showroom benchmarks on SQLite {box['sqlite']}: {sizes['products']:,} products, "
          f"{sizes['customers']:,} customers, {sizes['lines']:,} past order lines "
          f"in {sizes['orders']:,} settled orders")
    print(f"machine: {box['nproc']} CPU ({box['cpu']}), Python {box['python']}, "
          f"SQLAlchemy {box['sqlalchemy']}, load average {box['loadavg_1_5_15'][0]} at start, "
          f"{box['loadavg_at_end'][0]} at end")
    if "service" in meta:
        print("plus a year of service data (servicegen): " + ", ".join(
            f"{v:,} {k.replace('_', ' ')}" for k, v in meta["service"].items()))
    state = "reused from cache" if meta.get("reused") else "generated now"
    print(f"data: instance/bench/showroom-{meta['key']}.db ({meta['size_mb']} MB), {state}; generation "
          f"took {meta['generation_seconds']} s (BENCH_REGEN=1 make bench rebuilds it)")
    if args.gc_freeze:
        print("gc.freeze() after start-up, as wsgi.py does (--no-gc-freeze to compare)")
    print("service = the service call + commit; api = Flask test client through /api/v1 "
          "(bearer token); htmx = the picking screen's scan (session + CSRF)")
    print()
    print(table(results, ratios))
    for line in extra_lines:
        print(line)
    noted = set()
    for r in results:
        if r.note and (r.name, r.note) not in noted:
            noted.add((r.name, r.note))
            print(f"  {r.name}: {r.note}")
    print()
    busy = max(box["loadavg_1_5_15"][0], box["loadavg_at_end"][0])
    if busy > box["nproc"] / 2:
        print(f"NOTE: the machine was busy (load average {busy} on {box['nproc']} CPUs): other work "
              "shared the CPUs, so wall times are inflated; 'cpu p95' is this process's own CPU time.")
    misses: list[object] = [r for r in results if r.passed is False] + [q for q in ratios if not q.passed]
    if not size_passed:
        misses.append("escpos size")
    consistent = not any(mismatches.values())
    print(f"ledgers after the run: {'consistent' if consistent else mismatches} "
          f"(on_hand = sum of stock moves, balance = sum of ledger entries)")
    print(f"{len(misses)} MISS, {sum(r.passed is True for r in results) + sum(q.passed for q in ratios)} "
          f"PASS; benchmarks took {time.perf_counter() - started:.0f} s; details in artifacts/bench.json")

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bench.json").write_text(json.dumps({
        "machine": box, "data": meta, "repetitions": reps, "gc_freeze": args.gc_freeze,
        "results": [r.as_dict() for r in results], "ratios": [q.as_dict() for q in ratios],
        "printing_sizes": extra_lines,
        "ledgers_after_run": mismatches,
    }, indent=2, ensure_ascii=False))
    return 1 if (args.strict and misses) or not consistent else 0


if __name__ == "__main__":
    sys.exit(main())
