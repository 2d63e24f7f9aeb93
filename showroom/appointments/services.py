"""Booking and moving video-call appointments (SPEC §5, Std ch.8): book a clerk at a time
the showroom is open, reschedule keeping the old time and the reason in the log, the
clerk's "I'm ready" ten minutes before, no-show, cancel and the end of the call.

Every change locks the appointment, checks the caller's version when one is given, moves
the status only through APPOINTMENT_MOVES, appends an AppointmentChange and bumps the
version. Services flush, never commit; the screens and the API call the same functions.
Refusals raise before anything is written, with a message per field.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.appointments.models import (
    OPEN_STATUSES,
    REMIND_MINUTES,
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    ChangeKind,
)
from showroom.auth.models import Staff
from showroom.bizcal import Calendar, is_working_day
from showroom.clock import local, now_utc
from showroom.customers.models import Customer
from showroom.errors import Forbidden, NotFound, Problem, StaleVersion, ValidationFailed
from showroom.extensions import db
from showroom.numbering import next_number
from showroom.validation import MAX_ID, clean_text

S = AppointmentStatus
MAX_WANTED = 1000
MAX_REASON = 500
CLASH_MINUTES = 30  # a clerk's calls closer than this get a warning (not a refusal)


def check_start(starts_at: object, errors: dict[str, str], field: str = "starts_at"
                ) -> datetime | None:
    """A call's start: an aware time, not in the past, on a working day, in opening hours
    (showroom/bizcal.py). Problems go into `errors[field]`."""
    if not isinstance(starts_at, datetime):
        errors[field] = Problem("required", _("the date and time of the call"))
        return None
    if starts_at.tzinfo is None:
        errors[field] = Problem("no-offset", _("a time with its offset, e.g. +08:00"))
        return None
    cal = Calendar.from_config()
    day = local(starts_at, cal.tz_name)
    if starts_at <= now_utc():
        errors[field] = Problem("past", _("%(when)s is already past: choose a later time",
                                          when=day.strftime("%Y-%m-%d %H:%M")))
    elif not is_working_day(day.date()):
        errors[field] = Problem("closed-day", _(
            "the showroom is closed on %(day)s: choose a working day", day=day.strftime("%Y-%m-%d")))
    elif not cal.is_open(starts_at):
        hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in cal.periods)
        errors[field] = Problem("closed-hours", _(
            "%(time)s is outside opening hours (%(hours)s)", time=day.strftime("%H:%M"),
            hours=hours))
    return starts_at.astimezone(UTC)


def _clerk(clerk_id: object, clerk_staff_no: object, errors: dict[str, str]) -> Staff | None:
    staff: Staff | None = None
    key = "clerk_staff_no" if clerk_staff_no not in (None, "") else "clerk"
    if isinstance(clerk_staff_no, str) and clerk_staff_no.strip():
        staff = db.session.scalar(select(Staff).where(Staff.staff_no == clerk_staff_no.strip()))
    elif isinstance(clerk_id, int) and not isinstance(clerk_id, bool) and 1 <= clerk_id <= MAX_ID:
        staff = db.session.get(Staff, clerk_id)
    elif clerk_id in (None, "") and clerk_staff_no in (None, ""):
        errors["clerk"] = Problem("required", _("choose the clerk who takes the call"))
        return None
    if staff is None or not staff.active or "clerk" not in staff.role_set:
        errors[key] = Problem("unknown", _("no active clerk with that number"))
        return None
    return staff


def clashes(clerk_id: int, starts_at: datetime, *, exclude_id: int | None = None
            ) -> list[Appointment]:
    """The clerk's other open calls within CLASH_MINUTES of `starts_at`."""
    gap = timedelta(minutes=CLASH_MINUTES)
    query = select(Appointment).where(
        Appointment.clerk_id == clerk_id, Appointment.status.in_(sorted(OPEN_STATUSES)),
        Appointment.starts_at > starts_at - gap, Appointment.starts_at < starts_at + gap)
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return list(db.session.scalars(query.order_by(Appointment.starts_at)))


def clash_warnings(a: Appointment) -> list[str]:
    """Warnings in the request's language: the clerk already has a call close to this one."""
    tz = Calendar.from_config().tz_name
    return [_("%(clerk)s already has a call at %(time)s (%(number)s, %(customer)s)",
              clerk=a.clerk.name, time=local(o.starts_at, tz).strftime("%H:%M"),
              number=o.number, customer=o.customer.name)
            for o in clashes(a.clerk_id, a.starts_at, exclude_id=a.id)]


def _log(a: Appointment, kind: ChangeKind, staff_id: int | None, *, reason: str = "",
         old: datetime | None = None, new: datetime | None = None) -> None:
    db.session.add(AppointmentChange(appointment_id=a.id, kind=kind, reason=reason,
                                     old_starts_at=old, new_starts_at=new, staff_id=staff_id,
                                     created_at=now_utc()))


def book(*, customer_id: object, starts_at: object, wanted: object, staff_id: int | None,
         clerk_id: object = None, clerk_staff_no: object = None) -> Appointment:
    """预约视频: a customer, a clerk, a time the showroom is open, what they want to see."""
    errors: dict[str, str] = {}
    customer = None
    if isinstance(customer_id, int) and not isinstance(customer_id, bool) \
            and 1 <= customer_id <= MAX_ID:
        customer = db.session.get(Customer, customer_id)
    if customer is None:
        errors["customer_id"] = Problem("unknown", _("choose a customer"))
    clerk = _clerk(clerk_id, clerk_staff_no, errors)
    when = check_start(starts_at, errors)
    text = clean_text(wanted, "wanted", errors, MAX_WANTED, required=True, multiline=True)
    if errors or customer is None or clerk is None or when is None:
        raise ValidationFailed(_("please correct the appointment"), errors=errors)
    now = now_utc()
    a = Appointment(number=next_number("appointment"), customer_id=customer.id,
                    clerk_id=clerk.id, starts_at=when,
                    remind_at=when - timedelta(minutes=REMIND_MINUTES), wanted=text,
                    status=S.BOOKED, reason="", booked_by_id=staff_id, created_at=now,
                    version=1)
    a.customer, a.clerk = customer, clerk
    db.session.add(a)
    db.session.flush()
    _log(a, ChangeKind.BOOKED, staff_id, new=when)
    db.session.flush()
    return a


def get_appointment(appointment_id: int, *, lock: bool = False,
                    version: int | None = None) -> Appointment:
    """The appointment (row-locked and re-read when `lock`), its version checked."""
    query = select(Appointment).where(Appointment.id == appointment_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    a = db.session.scalar(query)
    if a is None:
        raise NotFound(_("no appointment %(id)s", id=appointment_id))
    if version is not None and version != a.version:
        raise StaleVersion(_(
            "appointment %(number)s was changed by someone else (version %(current)s, you had "
            "%(yours)s); reload and try again", number=a.number, current=a.version,
            yours=version))
    return a


def _reason(reason: object) -> str:
    errors: dict[str, str] = {}
    text = clean_text(reason, "reason", errors, MAX_REASON, required=True, multiline=True)
    if errors:
        raise ValidationFailed(_("please give the reason"), errors=errors)
    return text


def reschedule(appointment_id: int, *, starts_at: object, reason: object,
               staff_id: int | None, version: int | None = None) -> Appointment:
    """改约: a new time and why; the old time and the reason stay in the log."""
    errors: dict[str, str] = {}
    when = check_start(starts_at, errors)
    text = clean_text(reason, "reason", errors, MAX_REASON, required=True, multiline=True)
    if errors or when is None:
        raise ValidationFailed(_("please correct the new time and the reason"), errors=errors)
    a = get_appointment(appointment_id, lock=True, version=version)
    a.transition(S.BOOKED)
    old = a.starts_at
    a.starts_at, a.remind_at = when, when - timedelta(minutes=REMIND_MINUTES)
    a.reminded_at, a.reason = None, text
    a.version += 1
    _log(a, ChangeKind.RESCHEDULED, staff_id, reason=text, old=old, new=when)
    db.session.flush()
    return a


def mark_ready(appointment_id: int, *, staff_id: int | None,
               version: int | None = None) -> Appointment:
    """The clerk is online and ready (Std ch.8: ten minutes before). Saying it twice is
    one reminder."""
    a = get_appointment(appointment_id, lock=True, version=version)
    if a.status == S.REMINDED:
        return a
    a.transition(S.REMINDED)
    a.reminded_at = now_utc()
    a.version += 1
    _log(a, ChangeKind.REMINDED, staff_id)
    db.session.flush()
    return a


def _close(appointment_id: int, new: AppointmentStatus, kind: ChangeKind, reason: object,
           staff_id: int | None, version: int | None) -> Appointment:
    text = _reason(reason)
    a = get_appointment(appointment_id, lock=True, version=version)
    a.transition(new)
    a.reason = text
    a.version += 1
    _log(a, kind, staff_id, reason=text)
    db.session.flush()
    return a


def no_show(appointment_id: int, *, reason: object, staff_id: int | None,
            version: int | None = None) -> Appointment:
    """The customer did not come online (or the call failed): why; it may be rescheduled."""
    return _close(appointment_id, S.NO_SHOW, ChangeKind.NO_SHOW, reason, staff_id, version)


def cancel(appointment_id: int, *, reason: object, staff_id: int | None,
           version: int | None = None) -> Appointment:
    return _close(appointment_id, S.CANCELLED, ChangeKind.CANCELLED, reason, staff_id, version)


def may_run_call(a: Appointment, staff: Staff) -> None:
    """Only the appointment's clerk (or a manager) starts and ends its call."""
    if a.clerk_id != staff.id and "manager" not in staff.role_set:
        raise Forbidden(_("this call is %(clerk)s's", clerk=a.clerk.name))


def end_call(appointment_id: int, *, staff: Staff, version: int | None = None) -> Appointment:
    """通话结束: the clerk ends the call (the order stays open until it is submitted)."""
    a = get_appointment(appointment_id, lock=True, version=version)
    may_run_call(a, staff)
    a.transition(S.DONE)
    a.ended_at = now_utc()
    a.version += 1
    _log(a, ChangeKind.DONE, staff.id)
    db.session.flush()
    return a


def history(appointment_id: int) -> list[AppointmentChange]:
    return list(db.session.scalars(select(AppointmentChange).where(
        AppointmentChange.appointment_id == appointment_id).order_by(AppointmentChange.id)))
