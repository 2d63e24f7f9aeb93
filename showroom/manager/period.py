"""The period the manager's home shows: `from` and `to` as showroom-local calendar days,
both inclusive; missing = the last 30 days up to today. A period longer than a year, one
that ends before it starts, or a date that does not parse is refused with a message (422),
never a 500. Quick picks: this month, last month, this year (each up to today)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _

from showroom.clock import local, now_utc, showroom_tz
from showroom.errors import ValidationFailed
from showroom.money import ascii_number

DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year, a leap year included
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnight of `start` to that after `end`."""
        tz = showroom_tz(current_app.config["SHOWROOM_TIMEZONE"])
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))

    def day_list(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]


def today() -> date:
    return local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).date()


def _day(text: object, field: str) -> date:
    raw = ascii_number(str(text)).strip()
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed(_("the date must look like 2026-11-22"),
                               errors={field: _("a date like 2026-11-22")})
    return day


def parse_period(start: object, end: object) -> Period:
    """The period asked for; either end missing (or empty) takes its default."""
    blank = [v is None or (isinstance(v, str) and not v.strip()) for v in (start, end)]
    hi = today() if blank[1] else _day(end, "to")
    lo = hi - timedelta(days=DEFAULT_DAYS - 1) if blank[0] else _day(start, "from")
    if lo > hi:
        raise ValidationFailed(_("the period starts after it ends"),
                               errors={"from": _("on or before the end of the period")})
    if (hi - lo).days + 1 > MAX_DAYS:
        raise ValidationFailed(_("a period of at most a year (366 days)"),
                               errors={"to": _("at most 366 days after the start")})
    return Period(lo, hi)


def parse_month(text: str) -> Period:
    """YYYY-MM → that calendar month (the monthly report)."""
    raw = ascii_number(text).strip()
    try:
        first = date.fromisoformat(f"{raw}-01") if len(raw) == 7 else None
    except ValueError:
        first = None
    if first is None or not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise ValidationFailed(_("the month must look like 2026-11"),
                               errors={"month": _("a month like 2026-11")})
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, nxt - timedelta(days=1))


def quick_picks() -> list[tuple[str, Period]]:
    """(name, period) of the page's quick picks, each ending today or at its month's end."""
    t = today()
    month_start = t.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    return [("last_30", Period(t - timedelta(days=DEFAULT_DAYS - 1), t)),
            ("this_month", Period(month_start, t)),
            ("last_month", Period(last_month_end.replace(day=1), last_month_end)),
            ("this_year", Period(t.replace(month=1, day=1), t))]
