"""A manager's overrides of the business calendar (DESIGN.md "The shared kernel"): one day
made working (an extra 调休, a stock-taking Sunday) or closed (a local festival), whatever
`chinese-calendar` says. bizcal reads them; changing one drops its per-request cache."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from showroom import bizcal
from showroom.clock import now_utc
from showroom.errors import NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import CalendarDay
from showroom.validation import clean_text

MAX_YEARS_AHEAD = 3


@dataclass(frozen=True)
class DayRow:
    day: CalendarDay
    package_working: bool  # what the calendar would say without the override
    source: str  # chinese_calendar / weekday_rules


def parse_day(raw: Mapping[str, object], *, today: date | None = None
              ) -> tuple[date, bool, str]:
    """`{day: "2027-02-13", working: "1"/"0", note}` as typed; a day up to 3 years ahead
    and no more than a year back."""
    errors: dict[str, str] = {}
    today = today or now_utc().date()
    text = raw.get("day")
    day = None
    if isinstance(text, date):
        day = text
    elif isinstance(text, str) and text.strip():
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            errors["day"] = Problem("bad-date", _("a date like 2027-02-13"))
    else:
        errors["day"] = Problem("required", _("required"))
    if day is not None and not (today - timedelta(days=366) <= day
                                <= today + timedelta(days=366 * MAX_YEARS_AHEAD)):
        errors["day"] = Problem("out-of-range", _("from a year back to three years ahead"))
    working = raw.get("working")
    if working in (True, "1", "true", "working"):
        is_working = True
    elif working in (False, "0", "false", "closed"):
        is_working = False
    else:
        errors["working"] = Problem("required", _("working or closed"))
        is_working = False
    note = clean_text(raw.get("note"), "note", errors, 200)
    if errors:
        raise ValidationFailed(_("please correct the calendar day"), errors=errors)
    assert day is not None
    return day, is_working, note


def set_day(day: date, working: bool, note: str, *, staff_id: int | None) -> CalendarDay:
    """Add or change the override of `day`."""
    row = db.session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, working=working, note=note, staff_id=staff_id,
                          created_at=now_utc())
        db.session.add(row)
    else:
        row.working, row.note, row.staff_id = working, note, staff_id
    db.session.flush()
    bizcal.forget_overrides()
    return row


def remove_day(day: date) -> None:
    """Drop the override: the day is what the calendar says again."""
    gone = db.session.execute(delete(CalendarDay).where(CalendarDay.day == day))
    if not getattr(gone, "rowcount", 0):
        raise NotFound(_("no override on %(day)s", day=day.isoformat()))
    db.session.flush()
    bizcal.forget_overrides()


def override_days(*, since: date | None = None) -> list[DayRow]:
    """The overrides from `since` (default: 30 days back) on, by date."""
    since = since or now_utc().date() - timedelta(days=30)
    rows = db.session.scalars(select(CalendarDay).where(CalendarDay.day >= since)
                              .order_by(CalendarDay.day))
    return [DayRow(r, bizcal.package_working_day(r.day), bizcal.package_source(r.day))
            for r in rows]
