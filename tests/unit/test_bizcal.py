"""The business calendar: opening hours with the lunch break, evenings, weekends, a 调休
Saturday that is worked, the Spring Festival holidays, and the weekday rules used for
years the chinese-calendar package does not cover yet."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from showroom.bizcal import Calendar, calendar_source, holiday_name, is_working_day

SH = ZoneInfo("Asia/Shanghai")
CAL = Calendar.from_config({})


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_defaults_are_nine_to_six_with_a_lunch_break() -> None:
    assert CAL.periods == ((time(9), time(12)), (time(13, 30), time(18)))


@pytest.mark.parametrize(("start", "hours", "due"), [
    (at(2026, 3, 10, 11, 30), 1, at(2026, 3, 10, 14, 0)),    # across lunch
    (at(2026, 3, 10, 12, 15), 1, at(2026, 3, 10, 14, 30)),   # starts in lunch
    (at(2026, 3, 10, 17, 30), 1, at(2026, 3, 11, 9, 30)),    # evening → next morning
    (at(2026, 3, 10, 20, 0), 0, at(2026, 3, 11, 9, 0)),      # nothing left: next opening
    (at(2026, 3, 13, 17, 0), 2, at(2026, 3, 16, 10, 0)),     # Friday → Monday
    (at(2026, 3, 14, 10, 0), 1, at(2026, 3, 16, 10, 0)),     # Saturday counts nothing
    (at(2026, 3, 9, 9, 0), 7.5, at(2026, 3, 9, 18, 0)),      # one full day ends at closing
    (at(2026, 3, 9, 9, 0), 24, at(2026, 3, 12, 10, 30)),     # 24 working hours = 3.2 days
    (at(2026, 2, 13, 17, 50), 1, at(2026, 2, 14, 9, 50)),    # 调休: Saturday 14 Feb is worked
    (at(2026, 2, 14, 17, 0), 2, at(2026, 2, 24, 10, 0)),     # Spring Festival 15–23 Feb
    (at(2026, 9, 30, 17, 30), 1, at(2026, 10, 8, 9, 30)),    # National Day week
])
def test_due_after(start: datetime, hours: float, due: datetime) -> None:
    assert CAL.due_after(start, working_hours=hours) == due


def test_due_after_answers_in_the_callers_zone() -> None:
    start = at(2026, 3, 10, 17, 30).astimezone(UTC)
    due = CAL.due_after(start, working_hours=timedelta(minutes=45))
    assert due.tzinfo is UTC
    assert due == at(2026, 3, 11, 9, 15)


@pytest.mark.parametrize(("start", "due"), [
    (at(2026, 3, 10, 15, 0), at(2026, 3, 11, 9, 0)),  # Tuesday → Wednesday
    (at(2026, 3, 13, 15, 0), at(2026, 3, 16, 9, 0)),  # Friday → Monday
    (at(2026, 2, 13, 15, 0), at(2026, 2, 14, 9, 0)),  # Friday → the 调休 Saturday
    (at(2026, 2, 14, 15, 0), at(2026, 2, 24, 9, 0)),  # into the Spring Festival → after it
    (at(2026, 1, 3, 10, 0), at(2026, 1, 4, 9, 0)),    # Sunday 4 Jan 2026 is a make-up day
    (date(2026, 4, 3), at(2026, 4, 7, 9, 0)),         # Qingming 4–6 Apr
])
def test_next_working_day(start: datetime | date, due: datetime) -> None:
    assert CAL.next_working_day(start) == due


def test_the_calendar_knows_holidays_and_make_up_days() -> None:
    assert not is_working_day(date(2026, 2, 17))  # 春节
    assert is_working_day(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert holiday_name(date(2026, 2, 17)) == "Spring Festival"
    assert holiday_name(date(2026, 2, 14)) == ""
    assert calendar_source(date(2026, 6, 1)) == "chinese_calendar"


def test_years_beyond_the_package_fall_back_to_weekdays_and_say_so() -> None:
    assert calendar_source(date(2031, 1, 1)) == "weekday_rules"
    assert is_working_day(date(2031, 1, 1))  # a Wednesday: no holidays known that year
    assert not is_working_day(date(2031, 1, 4))  # Saturday
    assert holiday_name(date(2031, 1, 1)) == ""
    assert CAL.next_working_day(at(2031, 1, 3, 10)) == at(2031, 1, 6, 9, 0)


def test_hours_from_settings_and_refusals() -> None:
    cal = Calendar.from_config({"SHOWROOM_OPEN_HOURS": "08:30-12:00, 14:00-17:30"})
    assert cal.periods == ((time(8, 30), time(12)), (time(14), time(17, 30)))
    assert cal.due_after(at(2026, 3, 10, 11, 0), working_hours=2) == at(2026, 3, 10, 15, 0)
    with pytest.raises(ValueError):
        CAL.due_after(at(2026, 3, 10), working_hours=-1)
    with pytest.raises(ValueError):
        Calendar(((time(13), time(12)),))
    with pytest.raises(ValueError):
        Calendar(())


def test_is_open() -> None:
    assert CAL.is_open(at(2026, 3, 10, 9, 0))
    assert not CAL.is_open(at(2026, 3, 10, 12, 30))
    assert not CAL.is_open(at(2026, 3, 10, 18, 0))
    assert not CAL.is_open(at(2026, 2, 17, 10, 0))


@settings(max_examples=60, deadline=None)
@given(start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
       a=st.floats(min_value=0, max_value=60, allow_nan=False),
       b=st.floats(min_value=0, max_value=60, allow_nan=False))
def test_due_after_is_monotonic_and_never_before_the_start(start: datetime, a: float,
                                                           b: float) -> None:
    start = start.replace(tzinfo=SH)
    lo, hi = sorted((a, b))
    due_lo = CAL.due_after(start, working_hours=lo)
    due_hi = CAL.due_after(start, working_hours=hi)
    assert start <= due_lo <= due_hi
    # a due time is inside opening hours, or exactly at a period's close
    local = due_hi.astimezone(SH)
    assert is_working_day(local.date())
    assert any(p0 <= local.time() <= p1 for p0, p1 in CAL.periods)
