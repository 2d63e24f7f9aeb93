"""How much of an item's time is used, on the clock its level runs on (SPEC §11): opening
time of the business calendar (showroom/bizcal.py: lunch break, holidays, 调休, the
manager's overrides) for the working-hour levels, the wall clock for the one-minute
greeting. The dashboard's "at risk" (≥ 75 % used) and "time left" come from here.

`BusinessClock` asks the calendar about each day once (a dashboard measures hundreds of
open items over the same few days)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from showroom import bizcal
from showroom.clock import showroom_tz

AT_RISK_SHARE = 0.75


class BusinessClock:
    """Opening time between moments, and same-day due times, with each day's
    working-or-not looked up once."""

    def __init__(self, cal: bizcal.Calendar | None = None) -> None:
        self.cal = cal or bizcal.Calendar.from_config()
        self.tz = showroom_tz(self.cal.tz_name)
        self.day_length = sum((datetime.combine(date.min, b) - datetime.combine(date.min, a)
                               for a, b in self.cal.periods), timedelta(0))
        self._working: dict[date, bool] = {}

    def working(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = bizcal.is_working_day(day)
        return known

    def _in_day(self, day: date, a: datetime, b: datetime) -> timedelta:
        total = timedelta(0)
        for p_start, p_end in self.cal.periods:
            lo = max(a, datetime.combine(day, p_start, tzinfo=self.tz))
            hi = min(b, datetime.combine(day, p_end, tzinfo=self.tz))
            if hi > lo:
                total += hi - lo
        return total

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Opening time in [start, end) (zero when end ≤ start)."""
        if end <= start:
            return timedelta(0)
        a, b = start.astimezone(self.tz), end.astimezone(self.tz)
        first, last = a.date(), b.date()
        if first == last:
            return self._in_day(first, a, b) if self.working(first) else timedelta(0)
        total = self._in_day(first, a, b) if self.working(first) else timedelta(0)
        day = first + timedelta(days=1)
        while day < last:
            if self.working(day):
                total += self.day_length
            day += timedelta(days=1)
        if self.working(last):
            total += self._in_day(last, a, b)
        return total

    def same_day_due(self, received: datetime, cutoff: time) -> datetime:
        """`bizcal.Calendar.same_day_due` with the memoised days."""
        at = received.astimezone(self.tz)
        closing = self.cal.periods[-1][1]
        day = at.date()
        if not (self.working(day) and at.time() < cutoff):
            day += timedelta(days=1)
            for _i in range(bizcal.MAX_DAYS_AHEAD):
                if self.working(day):
                    break
                day += timedelta(days=1)
        return datetime.combine(day, closing, tzinfo=self.tz).astimezone(received.tzinfo)


def working_between(start: datetime, end: datetime,
                    cal: bizcal.Calendar | None = None) -> timedelta:
    """Opening time between two moments: the overlap of [start, end) with every opening
    period of every working day in between."""
    return BusinessClock(cal).between(start, end)


def used_share(start: datetime, due: datetime, now: datetime, *, business: bool,
               clock: BusinessClock | None = None) -> float:
    """The share of the time between `start` and `due` that has passed at `now` (0…1+)."""
    if business:
        clock = clock or BusinessClock()
        whole = clock.between(start, due)
        if whole > timedelta(0):
            return clock.between(start, now) / whole
    whole = due - start
    if whole <= timedelta(0):
        return 1.0
    return (now - start) / whole


def time_left(now: datetime, due: datetime, *, business: bool,
              clock: BusinessClock | None = None) -> timedelta:
    """What is left until `due`: opening time for business levels, wall time otherwise."""
    if business:
        return (clock or BusinessClock()).between(now, due)
    return max(due - now, timedelta(0))


def day_start(day: date, tz_name: str) -> datetime:
    """Local midnight of a date, aware."""
    return datetime.combine(day, time.min, tzinfo=showroom_tz(tz_name))
