"""The relations lists and the follow-ups they plan (SPEC §8, Std ch.13).

- birthdays in the next N days, solar or lunar (农历, turned into this year's solar date);
- festivals coming up (春节, 元宵, 端午, 中秋 by the lunar calendar; 元旦, 国庆) with the
  customers to greet: members and customers with a relationship level;
- the New Year gift list: A-level customers;
- the weekly contact list per clerk by level — A every week, B every two weeks, C every
  month — with the notes of earlier contacts, and how long since the last contact
  (flagged at 7 / 15 / 30 days);
- planning: `birthday` and `holiday` follow-ups once per customer and occasion in a year
  (source type "birthday-2027", "mid_autumn-2027"; id = the customer), `weekly_contact`
  once per customer and ISO week (source type "week-2026W49").

A clerk sees the customers they look after; the manager sees everyone's.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, or_, select

from showroom import bizcal
from showroom.auth.models import Staff
from showroom.clock import now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind
from showroom.followups.services import open_followup, owner_for
from showroom.reception.models import Visit
from showroom.relations.greetings import Occasion, greeting

T = TypeVar("T", bound=tuple[Any, ...])
CADENCE_DAYS = {"A": 7, "B": 14, "C": 30}
QUIET_FLAGS = (30, 15, 7)
MAX_DAYS = 366
NOTES_KEPT = 3


def local_today(now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(showroom_tz()).date()


def _scope(query: Select[T], staff: Staff | None) -> Select[T]:
    """A clerk's own customers; the manager (or no staff: a script) everyone's."""
    if staff is None or "manager" in staff.role_set:
        return query
    return query.where(Customer.owner_id == staff.id)


# -- birthdays ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BirthdayRow:
    customer: Customer
    on: date            # this year's solar date
    lunar: bool
    lunar_text: str     # 农历八月十五 for a lunar birthday
    days_away: int
    greeting: str
    followup: FollowUp | None


def birthday_list(staff: Staff | None, *, days: int = 30, today: date | None = None
                  ) -> list[BirthdayRow]:
    """Customers whose birthday falls in the next `days` days (today included)."""
    today = today or local_today()
    days = max(0, min(days, MAX_DAYS))
    customers = db.session.scalars(_scope(select(Customer).where(
        Customer.birthday.is_not(None)), staff).order_by(Customer.id))
    rows = []
    for c in customers:
        assert c.birthday is not None
        try:
            on = bizcal.next_birthday(c.birthday, lunar=c.birthday_lunar, on_or_after=today)
        except ValueError:  # a lunar day the calendar cannot place
            continue
        if (on - today).days > days:
            continue
        rows.append(BirthdayRow(
            c, on, c.birthday_lunar,
            bizcal.lunar_label(c.birthday.month, c.birthday.day) if c.birthday_lunar else "",
            (on - today).days, greeting(Occasion.BIRTHDAY, c.name),
            _existing(FollowUpKind.BIRTHDAY, f"birthday-{on.year}", c.id)))
    return sorted(rows, key=lambda r: (r.on, r.customer.id))


# -- festivals ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GreetRow:
    customer: Customer
    greeting: str
    followup: FollowUp | None


@dataclass(frozen=True)
class Festival:
    occasion: Occasion
    on: date
    days_away: int
    greeting: str  # the text, addressed to nobody in particular
    customers: list[GreetRow] = field(default_factory=list)


def to_greet(staff: Staff | None) -> list[Customer]:
    """Whom we greet at festivals: members and customers with a relationship level."""
    return list(db.session.scalars(_scope(select(Customer).where(
        or_(Customer.member.is_(True), Customer.level != "")), staff)
        .order_by(case((Customer.level == "", 1), else_=0), Customer.level, Customer.name,
                  Customer.id)))


def festival_list(staff: Staff | None, *, days: int = 60, today: date | None = None
                  ) -> list[Festival]:
    """Festivals in the next `days` days, each with its customers and their greetings."""
    today = today or local_today()
    days = max(0, min(days, MAX_DAYS))
    people = to_greet(staff)
    out = []
    for key, on in bizcal.upcoming_festivals(today, days):
        occasion = Occasion(key)
        source = f"{key}-{on.year}"
        out.append(Festival(occasion, on, (on - today).days, greeting(occasion, "…"), [
            GreetRow(c, greeting(occasion, c.name), _existing(FollowUpKind.HOLIDAY, source, c.id))
            for c in people]))
    return out


def gift_list(staff: Staff | None) -> list[Customer]:
    """The New Year gift list: A-level customers, by name."""
    return list(db.session.scalars(_scope(select(Customer).where(Customer.level == "A"), staff)
                                   .order_by(Customer.name, Customer.id)))


# -- weekly contact ----------------------------------------------------------------------

@dataclass(frozen=True)
class ContactRow:
    customer: Customer
    cadence_days: int
    last_contact: datetime | None
    quiet_days: int | None     # days since the last contact (None: never)
    flag: int                  # 30 / 15 / 7 when quiet that long, else 0
    due: bool                  # a weekly contact is due this week
    this_week: FollowUp | None
    notes: list[FollowUp]      # the last contacts' notes, newest first


def week_source(day: date) -> str:
    year, week, _d = day.isocalendar()
    return f"week-{year}W{week:02d}"


def weekly_list(staff: Staff | None, *, owner_id: int | None = None,
                today: date | None = None, quiet: int = 0) -> list[ContactRow]:
    """The customers a clerk looks after, with a level: who is due a contact this week,
    the notes kept, how long since the last contact. `owner_id` narrows the manager's
    list to one clerk; `quiet` keeps only those not contacted for that many days."""
    today = today or local_today()
    query = _scope(select(Customer).where(Customer.level.in_(tuple(CADENCE_DAYS)),
                                          Customer.owner_id.is_not(None)), staff)
    if owner_id is not None:
        query = query.where(Customer.owner_id == owner_id)
    customers = list(db.session.scalars(query.order_by(Customer.owner_id, Customer.level,
                                                       Customer.name, Customer.id)))
    ids = [c.id for c in customers]
    last = last_contacts(ids)
    planned = _last_planned(ids)
    notes = _notes(ids)
    this_week = {f.customer_id: f for f in db.session.scalars(select(FollowUp).where(
        FollowUp.kind == FollowUpKind.WEEKLY_CONTACT, FollowUp.source_type == week_source(today),
        FollowUp.customer_id.in_(ids)))} if ids else {}
    rows = []
    for c in customers:
        cadence = CADENCE_DAYS[c.level]
        seen = last.get(c.id)
        quiet_days = (today - seen.astimezone(showroom_tz()).date()).days if seen else None
        flag = next((f for f in QUIET_FLAGS if quiet_days is None or quiet_days >= f), 0)
        if quiet and not (quiet_days is None or quiet_days >= quiet):
            continue
        before = planned.get(c.id)
        due = c.id in this_week or before is None or (today - before).days >= cadence
        rows.append(ContactRow(c, cadence, seen, quiet_days, flag, due, this_week.get(c.id),
                               notes.get(c.id, [])))
    return rows


def plan_week(staff: Staff | None, *, owner_id: int | None = None,
              today: date | None = None) -> list[FollowUp]:
    """Open this week's `weekly_contact` follow-ups for the customers due one (once per
    customer and ISO week: planning twice, or two clerks at once, adds nothing)."""
    today = today or local_today()
    due_at = _end_of_week(today)
    source = week_source(today)
    return [open_followup(FollowUpKind.WEEKLY_CONTACT, customer_id=r.customer.id,
                          source_type=source, source_id=r.customer.id, due_at=due_at,
                          owner_id=owner_for(r.customer))
            for r in weekly_list(staff, owner_id=owner_id, today=today) if r.due]


def plan_greetings(staff: Staff | None, *, days: int = 14, today: date | None = None
                   ) -> list[FollowUp]:
    """Open `birthday` and `holiday` follow-ups for the next `days` days, once per
    customer and occasion in a year; due at opening time of the last working day on or
    before the day."""
    today = today or local_today()
    made = [open_followup(FollowUpKind.BIRTHDAY, customer_id=r.customer.id,
                          source_type=f"birthday-{r.on.year}", source_id=r.customer.id,
                          due_at=_greeting_due(r.on, today), owner_id=owner_for(r.customer))
            for r in birthday_list(staff, days=days, today=today)]
    for fest in festival_list(staff, days=days, today=today):
        made += [open_followup(FollowUpKind.HOLIDAY, customer_id=g.customer.id,
                               source_type=f"{fest.occasion}-{fest.on.year}",
                               source_id=g.customer.id, due_at=_greeting_due(fest.on, today),
                               owner_id=owner_for(g.customer)) for g in fest.customers]
    return made


# -- last contact ------------------------------------------------------------------------

def last_contacts(customer_ids: Sequence[int]) -> dict[int, datetime | None]:
    """cs-customer-file's `last_contacts` (visit, sale, payment, shipment, repair, call)
    once merged; until then the latest visit or follow-up done."""
    try:
        contact = importlib.import_module("showroom.customers.contact")
    except ImportError:
        return fallback_last_contacts(customer_ids)
    found: dict[int, datetime | None] = contact.last_contacts(customer_ids)
    return found


def fallback_last_contacts(customer_ids: Sequence[int]) -> dict[int, datetime | None]:
    ids = list(customer_ids)
    out: dict[int, datetime | None] = dict.fromkeys(ids)
    if not ids:
        return out
    for stmt in (select(Visit.customer_id, func.max(Visit.arrived_at))
                 .where(Visit.customer_id.in_(ids)).group_by(Visit.customer_id),
                 select(FollowUp.customer_id, func.max(FollowUp.done_at))
                 .where(FollowUp.customer_id.in_(ids), FollowUp.done_at.is_not(None))
                 .group_by(FollowUp.customer_id)):
        for cid, when in db.session.execute(stmt):
            if when is not None and (out.get(cid) is None or when > out[cid]):
                out[cid] = when
    return out


# -- helpers -----------------------------------------------------------------------------

def _existing(kind: FollowUpKind, source_type: str, source_id: int) -> FollowUp | None:
    return db.session.scalar(select(FollowUp).where(
        FollowUp.kind == kind, FollowUp.source_type == source_type,
        FollowUp.source_id == source_id))


def _last_planned(ids: list[int]) -> dict[int, date]:
    """The local day each customer's latest weekly contact was planned."""
    if not ids:
        return {}
    rows = db.session.execute(select(FollowUp.customer_id, func.max(FollowUp.created_at)).where(
        FollowUp.kind == FollowUpKind.WEEKLY_CONTACT, FollowUp.customer_id.in_(ids))
        .group_by(FollowUp.customer_id))
    return {cid: when.astimezone(showroom_tz()).date() for cid, when in rows if when}


def _notes(ids: list[int]) -> dict[int, list[FollowUp]]:
    """The last NOTES_KEPT contacts done of each customer, newest first (the notes kept)."""
    out: dict[int, list[FollowUp]] = {}
    if not ids:
        return out
    for f in db.session.scalars(select(FollowUp).where(
            FollowUp.kind == FollowUpKind.WEEKLY_CONTACT, FollowUp.customer_id.in_(ids),
            FollowUp.done_at.is_not(None)).order_by(FollowUp.done_at.desc(), FollowUp.id.desc())):
        kept = out.setdefault(f.customer_id or 0, [])
        if len(kept) < NOTES_KEPT:
            kept.append(f)
    return out


def _end_of_week(today: date) -> datetime:
    """Closing time of the last working day of `today`'s ISO week (today at the latest),
    or of the next working day when none is left this week."""
    cal = bizcal.Calendar.from_config()
    close = cal.periods[-1][1]
    sunday = today + timedelta(days=6 - today.weekday())
    day = sunday
    while day >= today:
        if bizcal.is_working_day(day):
            return datetime.combine(day, close, tzinfo=showroom_tz())
        day -= timedelta(days=1)
    return cal.next_working_day(today, at=close)


def _greeting_due(on: date, today: date) -> datetime:
    """Opening time of the last working day on or before `on` (today at the earliest)."""
    cal = bizcal.Calendar.from_config()
    day = on
    while day > today and not bizcal.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, cal.periods[0][0], tzinfo=showroom_tz())
