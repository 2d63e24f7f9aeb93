"""Each service level's share met per week: the series the manager's home draws.

The contract between the service levels and the manager's home (issue 14): `weekly`
returns one row per (week, level) for the weeks (Monday first, showroom local time) that
overlap [start, end], in week order then level order; `total` counts the items due in that
week, `met` those done in time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WeekRow:
    week_start: date  # a Monday
    code: str  # greeting_1min, inquiry_callback_24h, …
    met: int
    total: int

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.met / self.total


def weekly(start: date, end: date) -> list[WeekRow]:
    """Placeholder until the service levels land: no rows."""
    return []
