"""Each service level's share met per week: the series the manager's home draws.

The contract between the service levels and the manager's home (issue 14): `weekly`
returns one row per (week, level) for the weeks (Monday first, showroom local time) that
overlap [start, end], in week order then level order; `total` counts the items due in that
week, `met` those done in time. Items are counted exactly as on the dashboard
(showroom/service_levels/measure.py): due in the week and decided by now.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class WeekRow:
    week_start: date  # a Monday
    code: str  # greeting_1min, inquiry_callback_24h, …
    met: int
    total: int

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.met / self.total


def weekly(start: date, end: date, *, now: datetime | None = None) -> list[WeekRow]:
    """One row per (week, level), weeks overlapping [start, end]: ended weeks from their
    kept tallies (kept.py), the rest counted, one GROUP BY query per level and run of
    weeks."""
    from showroom.clock import now_utc
    from showroom.service_levels.dashboard import days_period
    from showroom.service_levels.kept import weekly_tallies_kept
    from showroom.service_levels.levels import levels

    if end < start:
        return []
    now = now or now_utc()
    mondays = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        mondays.append(monday)
        monday += timedelta(days=7)
    edges = [days_period(m, m)[0] for m in mondays] + [
        days_period(mondays[-1] + timedelta(days=7), mondays[-1] + timedelta(days=7))[0]]
    per_level = [(lv.code, weekly_tallies_kept(lv, mondays, edges, now)) for lv in levels()]
    return [WeekRow(m, code, t[i].met, t[i].total)
            for i, m in enumerate(mondays) for code, t in per_level]
