"""The business calendar's issue-13 must-shows and additions: a member's visit at 17:50 on
the Friday before a public holiday is called back on the right working day; a 调休 Saturday
counts as working; 农历八月十五 2027 → 2027-09-15; 春节 2027 → 2027-02-06; lunar birthdays on
this year's solar date; a manager's overrides (open / closed) win over the public calendar,
on both backends; 2027 falls back to weekday rules (chinese-calendar 1.11.0 ends at 2026)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from showroom import bizcal
from showroom.bizcal import (
    Calendar,
    birthday_in,
    calendar_source,
    festival_dates,
    is_working_day,
    lunar_label,
    lunar_to_solar,
    next_birthday,
    solar_to_lunar,
    upcoming_festivals,
)
from showroom.errors import NotFound, ValidationFailed
from showroom.followups import calendar as cal
from showroom.followups.hooks import visit_due

SH = ZoneInfo("Asia/Shanghai")
CAL = Calendar.from_config({})


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


# -- must-shows --------------------------------------------------------------------------

def test_member_visit_friday_1750_before_the_spring_festival() -> None:
    """Fri 13 Feb 2026 17:50; Sat 14 Feb is a 调休 working day (1st), 15–23 Feb closed, Tue
    24 (2nd), Wed 25 (3rd): due at closing time on Wednesday 25 February."""
    due = visit_due(at(2026, 2, 13, 17, 50).astimezone(UTC))
    assert due.astimezone(SH) == at(2026, 2, 25, 18, 0)
    assert due.tzinfo is UTC


def test_member_visit_friday_1750_before_qingming() -> None:
    """Fri 3 Apr 2026 17:50; 4–6 Apr closed (Qingming on Monday): Tue, Wed, Thu → Thu 9th."""
    assert visit_due(at(2026, 4, 3, 17, 50)) == at(2026, 4, 9, 18, 0)


def test_tiaoxiu_saturday_counts_as_working() -> None:
    assert is_working_day(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert is_working_day(date(2026, 10, 10)) and not is_working_day(date(2026, 10, 3))
    assert CAL.due_after(at(2026, 2, 13, 17, 50), working_hours=1) == at(2026, 2, 14, 9, 50)


def test_mid_autumn_and_spring_festival_2027() -> None:
    assert lunar_to_solar(2027, 8, 15) == date(2027, 9, 15)
    assert dict(festival_dates(2027))["spring_festival"] == date(2027, 2, 6)
    assert dict(festival_dates(2027)) == {
        "new_year": date(2027, 1, 1), "spring_festival": date(2027, 2, 6),
        "lantern": date(2027, 2, 20), "dragon_boat": date(2027, 6, 9),
        "mid_autumn": date(2027, 9, 15), "national_day": date(2027, 10, 1)}


def test_2027_falls_back_to_weekday_rules() -> None:
    assert calendar_source(date(2026, 12, 31)) == "chinese_calendar"
    assert calendar_source(date(2027, 2, 8)) == "weekday_rules"
    assert is_working_day(date(2027, 2, 8))  # Monday in the Spring Festival week: unknown yet
    assert not is_working_day(date(2027, 2, 6))  # a Saturday


# -- lunar -------------------------------------------------------------------------------

def test_lunar_birthdays_on_this_years_solar_date() -> None:
    born = date(1980, 8, 15)  # 农历八月十五
    assert birthday_in(2027, born, lunar=True) == date(2027, 9, 15)
    assert birthday_in(2026, born, lunar=True) == date(2026, 9, 25)
    assert next_birthday(born, lunar=True, on_or_after=date(2026, 12, 6)) == date(2027, 9, 15)
    assert next_birthday(born, lunar=False, on_or_after=date(2026, 12, 6)) == date(2027, 8, 15)
    assert birthday_in(2027, date(1988, 2, 29), lunar=False) == date(2027, 2, 28)
    assert lunar_label(8, 15) == "农历八月十五"


def test_lunar_twelfth_month_falls_in_the_next_solar_year() -> None:
    # 农历腊月 of lunar year 2026 is January / February 2027
    assert lunar_to_solar(2026, 12, 8) == date(2027, 1, 15)
    assert next_birthday(date(1970, 12, 8), lunar=True,
                         on_or_after=date(2026, 12, 6)) == date(2027, 1, 15)


def test_lunar_30th_in_a_short_month_is_its_last_day() -> None:
    # lunar 2027 month 1 has 29 days? whatever it has, the 30th never overflows
    d29 = lunar_to_solar(2027, 1, 29)
    d30 = lunar_to_solar(2027, 1, 30)
    assert d30 - d29 in (timedelta(0), timedelta(days=1))


def test_upcoming_festivals_window() -> None:
    got = upcoming_festivals(date(2026, 12, 6), 90)
    assert [k for k, _d in got] == ["new_year", "spring_festival", "lantern"]
    assert upcoming_festivals(date(2027, 9, 15), 0) == [("mid_autumn", date(2027, 9, 15))]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_solar_lunar_round_trip(day: date) -> None:
    year, month, d = solar_to_lunar(day)
    assert lunar_to_solar(year, abs(month), d, leap=month < 0) == day


# -- the manager's overrides (database) ---------------------------------------------------

def test_override_closes_a_working_day_and_opens_a_sunday(ctx) -> None:  # type: ignore[no-untyped-def]
    monday, sunday = date(2026, 3, 9), date(2026, 3, 8)
    assert is_working_day(monday) and not is_working_day(sunday)
    cal.set_day(monday, False, "盘点", staff_id=None)
    cal.set_day(sunday, True, "加班", staff_id=None)
    assert not is_working_day(monday) and is_working_day(sunday)
    assert calendar_source(monday) == "override"
    # Friday 17:00 + 2 working hours: Sunday (opened) 10:00, Monday closed
    assert CAL.due_after(at(2026, 3, 6, 17, 0), working_hours=2) == at(2026, 3, 8, 10, 0)
    assert CAL.next_working_day(date(2026, 3, 8)) == at(2026, 3, 10, 9, 0)
    ctx.commit()
    rows = cal.override_days(since=date(2026, 3, 1))
    assert [(r.day.day, r.day.working, r.package_working) for r in rows] == [
        (sunday, True, False), (monday, False, True)]
    cal.remove_day(monday)
    assert is_working_day(monday)
    with pytest.raises(NotFound):
        cal.remove_day(monday)


def test_overrides_are_read_once_per_context(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cal.set_day(date(2027, 2, 8), False, "春节", staff_id=None)
    ctx.commit()
    bizcal.forget_overrides()
    calls = []
    real = ctx.execute

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(ctx, "execute", counting)
    for _i in range(5):
        assert not is_working_day(date(2027, 2, 8))
    CAL.due_after(at(2027, 2, 5, 17), working_hours=30)
    assert len(calls) == 1


@pytest.mark.parametrize(("raw", "field"), [
    ({"day": "", "working": "1"}, "day"), ({"day": "2027-13-01", "working": "1"}, "day"),
    ({"day": "2040-01-01", "working": "1"}, "day"), ({"day": "2027-01-04", "working": ""}, "working"),
    ({"day": "2027-01-04", "working": "1", "note": "x" * 201}, "note"),
    ({"day": "2027-01-04", "working": "0", "note": "a\x00b"}, "note"),
])
def test_bad_calendar_day(raw, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as e:
        cal.parse_day(raw, today=date(2026, 12, 6))
    assert field in e.value.errors
