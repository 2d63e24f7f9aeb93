"""Relations without HTTP, on both backends: birthdays in the next days (solar and lunar,
on this year's solar date), festivals with the customers to greet, the A-level gift list,
the weekly contact list by level (A weekly, B fortnightly, C monthly) with notes kept and
7/15/30-day flags, and the planning of greetings and the week's contacts once per customer
and occasion / ISO week (twice, or two clerks at once: one follow-up each)."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.followups.services import mark_done
from showroom.reception.models import Visit
from showroom.relations import services as rel

TODAY = date(2026, 12, 7)  # a Monday
MONDAY_10 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def count(**where: Any) -> int:
    q = select(func.count()).select_from(FollowUp)
    for k, v in where.items():
        q = q.where(getattr(FollowUp, k) == v)
    return int(db.session.scalar(q) or 0)


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    set_now(MONDAY_10)
    li = factories.staff("clerk", staff_no="7201", name="李店员")
    wang = factories.staff("clerk", staff_no="7202", name="王店员")
    w: dict[str, Any] = {"li": li, "wang": wang,
                         "manager": factories.staff("manager", staff_no="7203")}
    specs = {  # name: (member, level, owner, birthday, lunar)
        "lunar": (True, "", li, date(1975, 12, 18), True),    # 农历腊月十八 → 2027-01-25
        "solar": (False, "A", li, date(1980, 12, 20), False),
        "far": (False, "B", wang, date(1990, 6, 1), False),
        "c": (False, "C", li, None, False),
        "none": (False, "", None, date(1985, 12, 8), False),
    }
    for key, (member, level, owner, born, lunar) in specs.items():
        c = factories.customer(name=f"客户{key}")
        c.member, c.level, c.owner_id = member, level, owner.id if owner else None
        c.birthday, c.birthday_lunar = born, lunar
        w[key] = c
    db.session.commit()
    return w


def test_birthdays_solar_and_lunar_on_this_years_date(world: dict[str, Any]) -> None:
    rows = rel.birthday_list(world["manager"], days=60, today=TODAY)
    got = [(r.customer.name, r.on, r.lunar, r.days_away) for r in rows]
    assert got == [("客户none", date(2026, 12, 8), False, 1),
                   ("客户solar", date(2026, 12, 20), False, 13),
                   ("客户lunar", date(2027, 1, 25), True, 49)]
    lunar = rows[2]
    assert lunar.lunar_text == "农历腊月十八"
    assert "客户lunar" in lunar.greeting and "银饰批发展厅" in lunar.greeting
    assert [r.customer.name for r in rel.birthday_list(world["li"], days=60, today=TODAY)] == [
        "客户solar", "客户lunar"]  # a clerk: the customers they look after
    assert rel.birthday_list(world["manager"], days=0, today=date(2026, 12, 8))[0].days_away == 0


def test_festivals_with_the_customers_to_greet(world: dict[str, Any]) -> None:
    fests = rel.festival_list(world["manager"], days=70, today=TODAY)
    assert [(str(f.occasion), f.on) for f in fests] == [
        ("new_year", date(2027, 1, 1)), ("spring_festival", date(2027, 2, 6))]
    names = [g.customer.name for g in fests[1].customers]
    assert set(names) == {"客户lunar", "客户solar", "客户far", "客户c"}  # members and levels
    assert all(g.customer.name in g.greeting for g in fests[1].customers)
    assert [g.customer.name for g in rel.festival_list(
        world["wang"], days=90, today=TODAY)[0].customers] == ["客户far"]


def test_gift_list_is_the_a_level_customers(world: dict[str, Any]) -> None:
    assert [c.name for c in rel.gift_list(world["manager"])] == ["客户solar"]
    assert rel.gift_list(world["wang"]) == []


def test_weekly_list_by_level_and_flags(world: dict[str, Any]) -> None:
    db.session.add(Visit(customer_id=world["solar"].id, status="left", purpose="",
                         arrived_at=MONDAY_10 - timedelta(days=16), locker_no="",
                         water_offered=False, locker_key_returned=False))
    db.session.add(Visit(customer_id=world["c"].id, status="left", purpose="",
                         arrived_at=MONDAY_10 - timedelta(days=3), locker_no="",
                         water_offered=False, locker_key_returned=False))
    db.session.flush()
    rows = {r.customer.name: r for r in rel.weekly_list(world["manager"], today=TODAY)}
    assert set(rows) == {"客户solar", "客户far", "客户c"}
    assert (rows["客户solar"].cadence_days, rows["客户solar"].flag) == (7, 15)
    assert rows["客户solar"].quiet_days == 16
    assert (rows["客户far"].cadence_days, rows["客户far"].flag) == (14, 30)  # never: flagged
    assert rows["客户far"].last_contact is None
    assert (rows["客户c"].cadence_days, rows["客户c"].flag) == (30, 0)
    assert all(r.due for r in rows.values())
    quiet = rel.weekly_list(world["manager"], today=TODAY, quiet=15)
    assert {r.customer.name for r in quiet} == {"客户solar", "客户far"}
    assert {r.customer.name for r in rel.weekly_list(world["li"], today=TODAY)} == {
        "客户solar", "客户c"}
    assert {r.customer.name for r in rel.weekly_list(
        world["manager"], owner_id=world["wang"].id, today=TODAY)} == {"客户far"}


def test_plan_week_once_per_customer_and_week_notes_kept(world: dict[str, Any]) -> None:
    made = rel.plan_week(world["li"], today=TODAY)
    assert {f.customer_id for f in made} == {world["solar"].id, world["c"].id}
    assert {f.source_type for f in made} == {"week-2026W50"}
    f = next(f for f in made if f.customer_id == world["solar"].id)
    assert f.owner_id == world["li"].id
    assert f.due_at == datetime(2026, 12, 11, 10, 0, tzinfo=UTC)  # Friday 18:00
    again = rel.plan_week(world["li"], today=TODAY + timedelta(days=2))
    assert {g.id for g in again} == {g.id for g in made} and count() == 2
    mark_done(f.id, "satisfied", "想看新款手镯", staff=world["li"])
    db.session.commit()
    # next week: A is due again (weekly), C not (monthly), the note is kept
    set_now(MONDAY_10 + timedelta(days=7))
    rows = {r.customer.name: r for r in rel.weekly_list(world["li"],
                                                        today=TODAY + timedelta(days=7))}
    assert rows["客户solar"].due and not rows["客户c"].due
    assert [n.note for n in rows["客户solar"].notes] == ["想看新款手镯"]
    assert rows["客户solar"].flag == 7 or rows["客户solar"].quiet_days == 7
    made2 = rel.plan_week(world["li"], today=TODAY + timedelta(days=7))
    assert [g.customer_id for g in made2] == [world["solar"].id]
    assert made2[0].source_type == "week-2026W51"


def test_plan_greetings_once_per_customer_and_occasion(world: dict[str, Any]) -> None:
    made = rel.plan_greetings(world["manager"], days=30, today=TODAY)
    kinds = sorted((f.kind, f.source_type, f.source_id) for f in made)
    assert kinds == sorted([
        ("birthday", "birthday-2026", world["none"].id),
        ("birthday", "birthday-2026", world["solar"].id),
        *[("holiday", "new_year-2027", world[k].id) for k in ("lunar", "solar", "far", "c")]])
    bday = next(f for f in made if f.source_id == world["solar"].id and f.kind == "birthday")
    # 20 Dec 2026 is a Sunday: greet on Friday 18th, at opening time
    assert bday.due_at == datetime(2026, 12, 18, 1, 0, tzinfo=UTC)
    assert bday.owner_id == world["li"].id
    again = rel.plan_greetings(world["manager"], days=30, today=TODAY)
    assert {f.id for f in again} == {f.id for f in made} and count() == len(made)
    assert rel.birthday_list(world["manager"], days=30, today=TODAY)[0].followup is not None


def test_two_clerks_plan_the_same_week_at_once(app: Any) -> None:
    set_now(MONDAY_10)
    with app.app_context():
        li = factories.staff("clerk", staff_no="7301")
        for i in range(3):
            c = factories.customer(name=f"A{i}")
            c.level, c.owner_id = "A", li.id
        mgr = factories.staff("manager", staff_no="7302")
        db.session.commit()
        ids = (li.id, mgr.id)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(staff_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                from showroom.auth.models import Staff
                rel.plan_week(db.session.get(Staff, staff_id), today=TODAY)
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with app.app_context():
        assert count(kind="weekly_contact") == 3
