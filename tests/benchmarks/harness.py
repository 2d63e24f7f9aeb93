"""Timing, percentiles, the printed table and the machine description for the benchmarks.

A benchmark is a list of samples (milliseconds, one per repetition, warm-up excluded)
with a p95 target; `Result` turns it into p50/p95 and PASS/MISS. With BENCH_PROFILE=1
each measured loop also runs under cProfile and its top functions are written to
artifacts/bench-profiles/<name>.txt.
"""
from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import re
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy

from showroom.config import REPO_ROOT

ARTIFACTS = REPO_ROOT / "artifacts"


@dataclass
class Result:
    name: str
    layer: str
    samples: list[float] = field(default_factory=list)  # wall-clock ms
    cpu: list[float] = field(default_factory=list)  # this process's CPU ms
    target_p95: float | None = None
    note: str = ""

    @property
    def n(self) -> int:
        return len(self.samples)

    def pct(self, p: int, cpu: bool = False) -> float:
        values = self.cpu if cpu else self.samples
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]

    @property
    def passed(self) -> bool | None:
        return None if self.target_p95 is None else self.pct(95) <= self.target_p95

    def as_dict(self) -> dict[str, Any]:
        s = self.samples
        return {"name": self.name, "layer": self.layer, "n": self.n,
                "p50_ms": round(self.pct(50), 2), "p95_ms": round(self.pct(95), 2),
                "mean_ms": round(statistics.fmean(s), 2), "min_ms": round(min(s), 2),
                "max_ms": round(max(s), 2), "cpu_p50_ms": round(self.pct(50, cpu=True), 2),
                "cpu_p95_ms": round(self.pct(95, cpu=True), 2), "target_p95_ms": self.target_p95,
                "result": {True: "PASS", False: "MISS", None: "-"}[self.passed], "note": self.note}


@dataclass
class Ratio:
    name: str
    layer: str
    high: Result
    low: Result
    limit: float

    @property
    def value(self) -> float:
        return self.high.pct(95) / self.low.pct(95)

    @property
    def passed(self) -> bool:
        return self.value <= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "layer": self.layer, "ratio": round(self.value, 2),
                "limit": self.limit, "result": "PASS" if self.passed else "MISS"}


@dataclass
class Case:
    """One thing to time: prepare(i) untimed → action(prep) timed → cleanup(prep, out) untimed."""

    result: Result
    prepare: Callable[[int], Any]
    action: Callable[[Any], Any]
    cleanup: Callable[[Any, Any], None] | None = None


def measure(result: Result, reps: int, prepare: Callable[[int], Any], action: Callable[[Any], Any],
            cleanup: Callable[[Any, Any], None] | None = None, warmup: int = 10) -> Result:
    measure_cases([Case(result, prepare, action, cleanup)], reps, warmup)
    return result


def measure_cases(cases: list[Case], reps: int, warmup: int = 10) -> None:
    """Time the cases in turn (a, b, a, b, ...), so a load change on a shared machine hits
    them alike; the first `warmup` rounds are not recorded. Records wall and CPU time."""
    profilers = {id(c): cProfile.Profile() for c in cases} if os.environ.get("BENCH_PROFILE") == "1" else {}
    for i in range(warmup + reps):
        for case in cases:
            prep = case.prepare(i)
            profiler = profilers.get(id(case)) if i >= warmup else None
            if profiler is not None:
                profiler.enable()
            c0, t0 = time.process_time(), time.perf_counter()
            out = case.action(prep)
            elapsed, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            if profiler is not None:
                profiler.disable()
            if i >= warmup:
                case.result.samples.append(elapsed)
                case.result.cpu.append(cpu)
            if case.cleanup is not None:
                case.cleanup(prep, out)
    for case in cases:
        if id(case) in profilers:
            write_profile(profilers[id(case)], f"{case.result.layer}-{case.result.name}")


def write_profile(profiler: cProfile.Profile, name: str) -> None:
    folder = ARTIFACTS / "bench-profiles"
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    (folder / f"{slug}.txt").write_text(text.getvalue())
    profiler.dump_stats(str(folder / f"{slug}.prof"))


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    return {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": model or platform.processor(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__,
            "platform": platform.platform(), "loadavg_1_5_15": [round(x, 2) for x in load]}


def table(results: list[Result], ratios: list[Ratio]) -> str:
    head = (f"{'benchmark':<42} {'layer':<7} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'cpu p95':>7} "
            f"{'target':>14}  result")
    out = [head, "-" * len(head)]
    for r in results:
        target = f"p95 <= {r.target_p95:g} ms" if r.target_p95 is not None else "(info)"
        verdict = {True: "PASS", False: "MISS", None: "-"}[r.passed]
        out.append(f"{r.name:<42} {r.layer:<7} {r.n:>4} {r.pct(50):>7.1f} {r.pct(95):>7.1f} "
                   f"{r.pct(95, cpu=True):>7.1f} {target:>14}  {verdict}")
    for q in ratios:
        out.append(f"{q.name:<42} {q.layer:<7} {'':>4} {'':>7} {q.value:>7.2f} {'':>7} "
                   f"{'<= ' + format(q.limit, 'g'):>14}  {'PASS' if q.passed else 'MISS'}")
    return "\n".join(out)
