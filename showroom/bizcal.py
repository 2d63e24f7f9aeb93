"""The business calendar (SPEC §11, DESIGN.md "The shared kernel"): when the showroom is
open, so every due time — a repair callback, an inquiry's 24 working hours — is counted
in the hours somebody is there to act on it.

Opening hours have a lunch break (settings SHOWROOM_OPEN_HOURS, default 09:00–12:00 and
13:30–18:00) in the showroom's time zone (showroom/clock.py). Public holidays and the
make-up working days (调休) come from the `chinese-calendar` package; a date outside the
years its data covers falls back to weekday rules (Monday–Friday work) and
`calendar_source(day)` says so ("weekday_rules"), so a screen can warn. A manager's
override of one day (`CalendarDay`: open or closed, whatever the package says) wins over
both; the overrides are read once per request (or app context) and the cache is dropped
when one changes.
Lunar dates (农历 birthdays, 春节, 元宵, 端午, 中秋) come from `lunar-python`.
Times go in and out as aware datetimes (UTC in the database); arithmetic is done in
local time and converted back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import chinese_calendar
from lunar_python import Lunar, LunarYear

from showroom.clock import showroom_tz

DEFAULT_HOURS = (("09:00", "12:00"), ("13:30", "18:00"))
MAX_DAYS_AHEAD = 400  # no search runs longer than this: a calendar with no working day


@dataclass(frozen=True)
class Calendar:
    """Opening periods of a working day, in local time, and the time zone."""

    periods: tuple[tuple[time, time], ...]
    tz_name: str = "Asia/Shanghai"

    @classmethod
    def from_config(cls, config: Any = None) -> Calendar:
        """The showroom's calendar from the app's settings (defaults without an app)."""
        if config is None:
            try:
                from flask import current_app

                config = current_app.config
            except RuntimeError:  # outside an app: the defaults
                config = {}
        hours = config.get("SHOWROOM_OPEN_HOURS") or DEFAULT_HOURS
        if isinstance(hours, str):  # from the environment: "09:00-12:00,13:30-18:00"
            hours = tuple(tuple(p.strip().split("-", 1)) for p in hours.split(",") if p.strip())
        tz_name = config.get("SHOWROOM_TIMEZONE") or "Asia/Shanghai"
        return cls(tuple((_hm(a), _hm(b)) for a, b in hours), tz_name)

    def __post_init__(self) -> None:
        last = time.min
        for start, end in self.periods:
            if not last <= start < end:
                raise ValueError("opening periods must be in order and not overlap")
            last = end
        if not self.periods:
            raise ValueError("a calendar needs at least one opening period")

    # -- days ----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day)

    def next_working_day(self, start: datetime | date, *, at: time | None = None) -> datetime:
        """The opening time (or `at`) of the first working day after `start`'s local day."""
        day = (start.astimezone(showroom_tz(self.tz_name)).date()
               if isinstance(start, datetime) else start)
        for _i in range(MAX_DAYS_AHEAD):
            day += timedelta(days=1)
            if is_working_day(day):
                return self._at(day, at or self.periods[0][0])
        raise ValueError("no working day within a year")

    # -- hours ---------------------------------------------------------------------------

    def due_after(self, start: datetime, *, working_hours: float | timedelta) -> datetime:
        """The moment `working_hours` of opening time have passed after `start` (aware).
        Time outside the opening periods (evenings, lunch, weekends, holidays) does not
        count; a due time falls inside a period, never on its closing instant unless the
        hours end exactly there."""
        left = (working_hours if isinstance(working_hours, timedelta)
                else timedelta(hours=working_hours))
        if left < timedelta(0):
            raise ValueError("working_hours must not be negative")
        tz = showroom_tz(self.tz_name)
        now = start.astimezone(tz)
        for _i in range(MAX_DAYS_AHEAD * len(self.periods) + 1):
            day = now.date()
            if is_working_day(day):
                for p_start, p_end in self.periods:
                    begin, end = self._at(day, p_start), self._at(day, p_end)
                    if now >= end:
                        continue
                    now = max(now, begin)
                    room = end - now
                    if left <= room:
                        return (now + left).astimezone(start.tzinfo)
                    left -= room
                    now = end
            now = self._at(day + timedelta(days=1), time.min)
        raise ValueError("no opening hours within a year")

    def same_day_due(self, received: datetime, *, cutoff: time | None = None) -> datetime:
        """Closing time of the working day `received` falls on, if it came on a working
        day before `cutoff` (default: the last closing time); else closing time of the next
        working day. "Answered the same day" (SPEC §5): an online order that came late, in
        the evening or on a holiday is due by the end of the next working day."""
        tz = showroom_tz(self.tz_name)
        at = received.astimezone(tz)
        closing = self.periods[-1][1]
        if is_working_day(at.date()) and at.time() < (cutoff or closing):
            return self._at(at.date(), closing).astimezone(received.tzinfo)
        return self.next_working_day(at, at=closing).astimezone(received.tzinfo)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(showroom_tz(self.tz_name))
        return is_working_day(local.date()) and any(
            a <= local.time() < b for a, b in self.periods)

    def _at(self, day: date, t: time) -> datetime:
        return datetime.combine(day, t, tzinfo=showroom_tz(self.tz_name))


def _hm(text: str | time) -> time:
    if isinstance(text, time):
        return text
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def calendar_source(day: date) -> str:
    """"override" for a manager's day, "chinese_calendar" where the package has that
    year's holidays, else "weekday_rules" (Monday–Friday, no holidays known)."""
    if day in overrides():
        return "override"
    return package_source(day)


def package_source(day: date) -> str:
    """"chinese_calendar" where the package has that year's holidays, else "weekday_rules"
    (overrides aside)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return "weekday_rules"
    return "chinese_calendar"


_CACHE_KEY = "_bizcal_overrides"


def overrides() -> dict[date, bool]:
    """The manager's overrides, day → working, read once per request / app context (none
    without an app or a database)."""
    try:
        from flask import g
    except ImportError:  # pragma: no cover - Flask is always installed
        return {}
    try:
        cached = g.get(_CACHE_KEY)
    except RuntimeError:  # outside an app context: no overrides
        return {}
    if cached is None:
        from sqlalchemy import select

        from showroom.extensions import db
        from showroom.followups.models import CalendarDay

        cached = {d: bool(w) for d, w in db.session.execute(
            select(CalendarDay.day, CalendarDay.working))}
        setattr(g, _CACHE_KEY, cached)
    return dict(cached)


def forget_overrides() -> None:
    """Drop the cached overrides (after a manager changed one)."""
    try:
        from flask import g

        g.pop(_CACHE_KEY, None)
    except RuntimeError:
        pass


def is_working_day(day: date) -> bool:
    """A working day: a manager's override if there is one; else a weekday that is no
    public holiday, or a 调休 make-up day (a Saturday or Sunday worked instead). Outside
    the package's years: Monday–Friday."""
    manager = overrides().get(day)
    if manager is not None:
        return manager
    return package_working_day(day)


def package_working_day(day: date) -> bool:
    """What `chinese-calendar` says (weekday rules outside its years), overrides aside."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def holiday_name(day: date) -> str:
    """The public holiday's English name ("Spring Festival"), or "" (also outside the data)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return str(name) if on_holiday and name else ""


def next_working_day(start: datetime | date, *, at: time | None = None) -> datetime:
    return Calendar.from_config().next_working_day(start, at=at)


def same_day_due(received: datetime, *, cutoff: time | None = None) -> datetime:
    """`Calendar.same_day_due` on the showroom's calendar."""
    return Calendar.from_config().same_day_due(received, cutoff=cutoff)


def due_after(start: datetime, *, working_hours: float | timedelta) -> datetime:
    return Calendar.from_config().due_after(start, working_hours=working_hours)


# -- the lunar calendar (农历) -----------------------------------------------------------

def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> date:
    """The solar date of lunar `year`-`month`-`day` (the 30th of a 29-day month falls on
    its last day; a leap month that year does not have falls back to the ordinary one)."""
    months = {m.getMonth(): m for m in LunarYear.fromYear(year).getMonths()
              if m.getYear() == year}
    wanted = -month if leap and -month in months else month
    if wanted not in months:
        raise ValueError(f"no lunar month {month} in {year}")
    day = min(day, months[wanted].getDayCount())
    solar = Lunar.fromYmd(year, wanted, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def solar_to_lunar(day: date) -> tuple[int, int, int]:
    """(lunar year, month, day) of a solar date; a leap month is negative."""
    lunar = Lunar.fromDate(datetime(day.year, day.month, day.day))
    return lunar.getYear(), lunar.getMonth(), lunar.getDay()


def lunar_label(month: int, day: int) -> str:
    """农历八月十五 as the Chinese write it (for the lists)."""
    lunar = Lunar.fromYmd(2000, month, day if day <= 29 else 29)
    text = f"农历{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"
    return text if day <= 29 else text.replace("廿九", "三十")


# Festivals we greet customers on: key, (lunar) month, day, lunar?
FESTIVALS: tuple[tuple[str, int, int, bool], ...] = (
    ("new_year", 1, 1, False),          # 元旦
    ("spring_festival", 1, 1, True),    # 春节
    ("lantern", 1, 15, True),           # 元宵
    ("dragon_boat", 5, 5, True),        # 端午
    ("mid_autumn", 8, 15, True),        # 中秋
    ("national_day", 10, 1, False),     # 国庆
)


def festival_dates(year: int) -> list[tuple[str, date]]:
    """The festivals of lunar/solar `year` with their solar dates, in date order."""
    out = [(key, lunar_to_solar(year, m, d) if lunar else date(year, m, d))
           for key, m, d, lunar in FESTIVALS]
    return sorted(out, key=lambda kd: kd[1])


def upcoming_festivals(start: date, days: int) -> list[tuple[str, date]]:
    """Festivals on `start` … `start + days` (inclusive), soonest first."""
    end = start + timedelta(days=days)
    found = [(k, d) for year in range(start.year - 1, end.year + 1)
             for k, d in festival_dates(year) if start <= d <= end]
    return sorted(found, key=lambda kd: kd[1])


def birthday_in(year: int, born: date, *, lunar: bool) -> date:
    """The solar date of a birthday in `year`: the same month and day (29 February → 28th
    in a common year), or for a lunar birthday the lunar month and day of lunar `year`."""
    if lunar:
        return lunar_to_solar(year, born.month, born.day)
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def next_birthday(born: date, *, lunar: bool, on_or_after: date) -> date:
    """The first birthday on or after `on_or_after` (solar date)."""
    for year in range(on_or_after.year - 1, on_or_after.year + 2):
        when = birthday_in(year, born, lunar=lunar)
        if when >= on_or_after:
            return when
    return birthday_in(on_or_after.year + 1, born, lunar=lunar)
