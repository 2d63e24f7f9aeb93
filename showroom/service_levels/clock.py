"""How much of an item's time is used, on the clock its level runs on (SPEC §11): opening
time of the business calendar (showroom/bizcal.py: lunch break, holidays, 调休, the
manager's overrides) for the working-hour levels, the wall clock for the one-minute
greeting. The dashboard's "at risk" (≥ 75 % used) and "time left" come from here."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from showroom import bizcal
from showroom.clock import showroom_tz

AT_RISK_SHARE = 0.75


def working_between(start: datetime, end: datetime,
                    cal: bizcal.Calendar | None = None) -> timedelta:
    """Opening time between two moments (zero when `end` ≤ `start`): the overlap of
    [start, end) with every opening period of every working day in between."""
    if end <= start:
        return timedelta(0)
    cal = cal or bizcal.Calendar.from_config()
    tz = showroom_tz(cal.tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        if bizcal.is_working_day(day):
            for p_start, p_end in cal.periods:
                lo = max(a, datetime.combine(day, p_start, tzinfo=tz))
                hi = min(b, datetime.combine(day, p_end, tzinfo=tz))
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total


def used_share(start: datetime, due: datetime, now: datetime, *, business: bool,
               cal: bizcal.Calendar | None = None) -> float:
    """The share of the time between `start` and `due` that has passed at `now` (0…1+)."""
    if business:
        whole = working_between(start, due, cal)
        if whole > timedelta(0):
            return working_between(start, now, cal) / whole
    whole = due - start
    if whole <= timedelta(0):
        return 1.0
    return (now - start) / whole


def time_left(now: datetime, due: datetime, *, business: bool,
              cal: bizcal.Calendar | None = None) -> timedelta:
    """What is left until `due`: opening time for business levels, wall time otherwise."""
    if business:
        return working_between(now, due, cal)
    return max(due - now, timedelta(0))


def day_start(day: object, tz_name: str) -> datetime:
    """Local midnight of a date, aware."""
    from datetime import date

    assert isinstance(day, date)
    return datetime.combine(day, time.min, tzinfo=showroom_tz(tz_name))
