"""What the tablets saw: latency per request type, and what went wrong.

An *error* is what a tablet user would notice as the system failing: HTTP 5xx, a
connection reset or refused, a timeout. A *refusal* (4xx) is the app saying no, which is
part of the floor (two cashiers open the same order; a piece sold out) and is counted
apart; an *unexpected* answer (a form missing from a page, sent back to sign-in) points at
the load tool or a changed screen and is listed so it is not silently ignored.
"""
from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (nan when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Kind:
    latencies: list[float] = field(default_factory=list)  # ms, answered requests
    errors: Counter[str] = field(default_factory=Counter)
    refused: Counter[int] = field(default_factory=Counter)


class Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.kinds: dict[str, Kind] = defaultdict(Kind)
        self.unexpected: Counter[str] = Counter()
        self.samples: list[str] = []  # the first few error details, for the report

    def ok(self, name: str, ms: float, status: int) -> None:
        with self._lock:
            kind = self.kinds[name]
            kind.latencies.append(ms)
            if status >= 500:
                kind.errors[f"HTTP {status}"] += 1
            elif status >= 400:
                kind.refused[status] += 1

    def error(self, name: str, what: str, detail: str = "", ms: float | None = None) -> None:
        with self._lock:
            self.kinds[name].errors[what] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{name}: {what} {detail}"[:300])

    def note(self, what: str, detail: str = "") -> None:
        with self._lock:
            self.unexpected[what] += 1
            if detail and len(self.samples) < 20:
                self.samples.append(f"unexpected: {what} {detail}"[:300])

    def sample(self, text: str) -> None:
        with self._lock:
            if len(self.samples) < 20:
                self.samples.append(text[:300])

    # --- summaries -------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for name in sorted(self.kinds):
            kind = self.kinds[name]
            lat = sorted(kind.latencies)
            out.append({
                "type": name, "count": len(lat) + sum(
                    n for what, n in kind.errors.items() if not what.startswith("HTTP")),
                "p50": percentile(lat, 50), "p95": percentile(lat, 95),
                "p99": percentile(lat, 99), "max": lat[-1] if lat else math.nan,
                "errors": sum(kind.errors.values()), "error_kinds": dict(kind.errors),
                "refused": sum(kind.refused.values()),
                "refused_kinds": {str(k): v for k, v in sorted(kind.refused.items())},
            })
        return out

    def total(self, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        lat: list[float] = []
        errors = refused = count = 0
        for name, kind in self.kinds.items():
            if any(tag in name for tag in exclude):
                continue
            lat += kind.latencies
            errors += sum(kind.errors.values())
            refused += sum(kind.refused.values())
            count += len(kind.latencies) + sum(
                n for what, n in kind.errors.items() if not what.startswith("HTTP"))
        lat.sort()
        return {"count": count, "p50": percentile(lat, 50), "p95": percentile(lat, 95),
                "p99": percentile(lat, 99), "max": lat[-1] if lat else math.nan,
                "errors": errors, "refused": refused}


def fmt_ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right if right is not None else set(range(1, len(headers)))
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
