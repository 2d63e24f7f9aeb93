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
    samples: list[float] = field(default_factory=list)
    target_p95: float | None = None
    note: str = ""

    @property
    def n(self) -> int:
        return len(self.samples)

    def pct(self, p: int) -> float:
        if len(self.samples) < 2:
            return self.samples[0] if self.samples else float("nan")
        return statistics.quantiles(self.samples, n=100, method="inclusive")[p - 1]

    @property
    def passed(self) -> bool | None:
        return None if self.target_p95 is None else self.pct(95) <= self.target_p95

    def as_dict(self) -> dict[str, Any]:
        s = self.samples
        return {"name": self.name, "layer": self.layer, "n": self.n,
                "p50_ms": round(self.pct(50), 2), "p95_ms": round(self.pct(95), 2),
                "mean_ms": round(statistics.fmean(s), 2), "min_ms": round(min(s), 2),
                "max_ms": round(max(s), 2), "target_p95_ms": self.target_p95,
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


def measure(result: Result, reps: int, prepare: Callable[[int], Any], action: Callable[[Any], Any],
            cleanup: Callable[[Any, Any], None] | None = None, warmup: int = 10) -> Result:
    """Run prepare(i) → time action(prep) → cleanup(prep, out), `warmup` times unrecorded."""
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") == "1" else None
    for i in range(warmup + reps):
        prep = prepare(i)
        if profiler is not None and i >= warmup:
            profiler.enable()
        t0 = time.perf_counter()
        out = action(prep)
        elapsed = (time.perf_counter() - t0) * 1000
        if profiler is not None:
            profiler.disable()
        if i >= warmup:
            result.samples.append(elapsed)
        if cleanup is not None:
            cleanup(prep, out)
    if profiler is not None:
        write_profile(profiler, f"{result.layer}-{result.name}")
    return result


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
    head = f"{'benchmark':<46} {'layer':<8} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'target':>14}  result"
    out = [head, "-" * len(head)]
    for r in results:
        target = f"p95 <= {r.target_p95:g} ms" if r.target_p95 is not None else "(info)"
        verdict = {True: "PASS", False: "MISS", None: "-"}[r.passed]
        out.append(f"{r.name:<46} {r.layer:<8} {r.n:>4} {r.pct(50):>8.1f} {r.pct(95):>8.1f} "
                   f"{target:>14}  {verdict}")
    for q in ratios:
        out.append(f"{q.name:<46} {q.layer:<8} {'':>4} {'':>8} {q.value:>8.2f} "
                   f"{'<= ' + format(q.limit, 'g'):>14}  {'PASS' if q.passed else 'MISS'}")
    return "\n".join(out)
