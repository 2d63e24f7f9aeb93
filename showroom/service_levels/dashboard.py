"""The figures of every service level for the manager's dashboard and the API: the share
met today, this week (Monday first), this month and in a chosen date range (showroom local
days), the late items of the range and the items at risk now. See measure.py for exactly
which items a period counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from showroom.clock import now_utc, showroom_tz
from showroom.errors import ValidationFailed
from showroom.service_levels.clock import day_start
from showroom.service_levels.levels import Level, levels
from showroom.service_levels.measure import Item, Tally, at_risk_items, late_items, tallies

MAX_RANGE_DAYS = 400
LATE_LIMIT = 50


@dataclass(frozen=True)
class LevelFigures:
    level: Level
    today: Tally
    week: Tally
    month: Tally
    range: Tally
    late: list[Item]
    at_risk: list[Item]

    @property
    def code(self) -> str:
        return self.level.code


def tz_name() -> str:
    return str(current_app.config.get("SHOWROOM_TIMEZONE") or "Asia/Shanghai")


def days_period(first: date, last: date) -> tuple[datetime, datetime]:
    """[local midnight of `first`, local midnight after `last`)."""
    name = tz_name()
    return day_start(first, name), day_start(last + timedelta(days=1), name)


def today_local(now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(showroom_tz(tz_name())).date()


def parse_range(start: Any, end: Any, *, now: datetime | None = None) -> tuple[date, date]:
    """The range asked for (YYYY-MM-DD strings or dates; default: this month up to today).
    Bad dates, from after to, or more than 400 days → ValidationFailed naming the field."""
    today = today_local(now)
    errors: dict[str, str] = {}

    def read(value: Any, name: str, default: date) -> date:
        if value is None or value == "":
            return default
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            errors[name] = _("a date like 2026-11-22")
            return default

    first = read(start, "from", today.replace(day=1))
    last = read(end, "to", today)
    if not errors and first > last:
        errors["to"] = _("the end date must not be before the start date")
    if not errors and (last - first).days >= MAX_RANGE_DAYS:
        errors["to"] = _("at most %(n)d days at once", n=MAX_RANGE_DAYS)
    if errors:
        raise ValidationFailed(_("Please check the dates."), errors=errors)
    return first, last


def dashboard(first: date, last: date, *, now: datetime | None = None,
              late_limit: int = LATE_LIMIT) -> list[LevelFigures]:
    """Every level's figures; one query per level for the four shares."""
    now = now or now_utc()
    today = today_local(now)
    monday = today - timedelta(days=today.weekday())
    month_first = today.replace(day=1)
    month_last = (month_first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    periods = [days_period(today, today), days_period(monday, monday + timedelta(days=6)),
               days_period(month_first, month_last), days_period(first, last)]
    out = []
    for level in levels():
        # today / week / month span five weeks at most; the range (up to a year) apart, so
        # its rows are not tested against the three short periods too
        t = tallies(level, periods[:3], now) + tallies(level, periods[3:], now)
        out.append(LevelFigures(level, t[0], t[1], t[2], t[3],
                                late_items(level, periods[3], now, late_limit),
                                at_risk_items(level, now)))
    return out


def fares(tally: Tally) -> str:
    """How a share fares, for its colour: good ≥ 95 %, warn ≥ 80 %, bad below, none."""
    share = tally.share
    if share is None:
        return "none"
    return "good" if share >= 0.95 else "warn" if share >= 0.8 else "bad"
