"""Reception rules (SPEC §4.1): visits from arrival to leaving, lockers, clerk assignment,
and phone / online inquiries with their 24 h callback.

Every change locks the visit row (PostgreSQL; SQLite's write lock already serialises
writers), so two tablets at the door cannot greet, assign or close one visit twice.
A locker number is held by at most one visit that has not left; on PostgreSQL an
advisory lock per locker number keeps two receptionists from handing out the same one.
Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from showroom.auth.models import Staff
from showroom.clock import local, now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.errors import (
    Conflict,
    InvalidTransition,
    LockerKeyNotReturned,
    NotFound,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.printjobs.models import DocumentKind
from showroom.printjobs.services import queue_job
from showroom.reception.models import VISIT_MOVES, Visit, VisitStatus
from showroom.validation import clean_text

LIMITS = {"purpose": 120, "locker_no": 10}


# --- small helpers -------------------------------------------------------------------

def _tz_name() -> str:
    return str(current_app.config.get("SHOWROOM_TIMEZONE", "Asia/Shanghai"))


def day_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """UTC start and end of the showroom-local calendar day containing `now`."""
    tz = showroom_tz(_tz_name())
    day = local(now or now_utc(), _tz_name()).date()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _text(value: object, field: str, errors: dict[str, str], *, required: bool = False) -> str:
    return clean_text(value, field, errors, LIMITS[field], required=required)


def _raise(errors: dict[str, str], message: str) -> None:
    if errors:
        raise ValidationFailed(message, errors=errors)


def get_visit(visit_id: int, *, lock: bool = False) -> Visit:
    stmt = select(Visit).where(Visit.id == visit_id)
    visit = db.session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if visit is None:
        raise NotFound(_("no visit %(id)s", id=visit_id))
    if lock:
        db.session.refresh(visit)
    return visit


def _open(visit: Visit) -> None:
    if visit.status == VisitStatus.LEFT:
        raise InvalidTransition(_("visit %(id)s has already left", id=visit.id))


def _claim_locker(locker_no: str, visit_id: int | None) -> None:
    """Refuse a locker another visit still holds (key not back yet)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("locker:" + locker_no))))
    stmt = select(Visit.id).where(Visit.locker_no == locker_no, Visit.status != VisitStatus.LEFT)
    if visit_id is not None:
        stmt = stmt.where(Visit.id != visit_id)
    holder = db.session.scalar(stmt.limit(1))
    if holder is not None:
        raise Conflict(_("locker %(no)s is still held by visit %(visit)s", no=locker_no,
                         visit=holder), errors={"locker_no": _("already in use")})


def _locker_ticket(visit: Visit, staff_id: int | None) -> None:
    at = now_utc()
    queue_job(DocumentKind.LOCKER_TICKET, {
        "visit_id": visit.id, "customer_name": visit.customer.name,
        "customer_code": visit.customer.code, "locker_no": visit.locker_no,
        "time": local(at, _tz_name()).strftime("%Y-%m-%d %H:%M"), "at_utc": at.isoformat(),
    }, ref=f"visit-{visit.id}", staff_id=staff_id)


def _set_locker(visit: Visit, raw: str, staff_id: int | None) -> None:
    errors: dict[str, str] = {}
    locker_no = _text(raw, "locker_no", errors)
    _raise(errors, _("please correct the locker number"))
    if locker_no == visit.locker_no:
        return
    if locker_no:
        _claim_locker(locker_no, visit.id)
    visit.locker_no = locker_no
    visit.locker_key_returned = False
    db.session.flush()
    if locker_no:
        _locker_ticket(visit, staff_id)


# --- visits ----------------------------------------------------------------------------

def start_visit(customer_id: int, *, locker_no: str = "", purpose: str = "",
                staff_id: int | None = None) -> Visit:
    """A customer arrives: the visit starts waiting; a locker prints its ticket."""
    errors: dict[str, str] = {}
    customer = None
    if isinstance(customer_id, int) and not isinstance(customer_id, bool):
        customer = db.session.execute(  # lock: one open visit per customer, even on PostgreSQL
            select(Customer).where(Customer.id == customer_id).with_for_update()
        ).scalar_one_or_none()
    if customer is None:
        errors["customer_id"] = _("no such customer")
    locker_no = _text(locker_no, "locker_no", errors)
    purpose = _text(purpose, "purpose", errors)
    _raise(errors, _("please correct the visit details"))
    assert customer is not None  # narrowed by the check above
    already = db.session.scalar(select(Visit.id).where(
        Visit.customer_id == customer.id, Visit.status != VisitStatus.LEFT).limit(1))
    if already is not None:
        raise Conflict(_("%(name)s is already in the showroom (visit %(visit)s)",
                         name=customer.name, visit=already),
                       errors={"customer_id": _("already has an open visit")})
    if locker_no:
        _claim_locker(locker_no, None)
    visit = Visit(customer_id=customer.id, status=VisitStatus.WAITING, arrived_at=now_utc(),
                  purpose=purpose, locker_no=locker_no, water_offered=False,
                  locker_key_returned=False)
    db.session.add(visit)
    db.session.flush()
    if locker_no:
        _locker_ticket(visit, staff_id)
    from showroom.followups.hooks import visit_callback

    visit_callback(visit)  # a member: called back within 3 working days (SPEC §8)
    return visit


def greet(visit_id: int, *, staff_id: int | None = None, water_offered: bool | None = None,
          purpose: str | None = None, locker_no: str | None = None) -> Visit:
    """Record the greeting (first time only) and any of water / purpose / locker."""
    visit = get_visit(visit_id, lock=True)
    _open(visit)
    errors: dict[str, str] = {}
    clean_purpose = _text(purpose, "purpose", errors) if purpose is not None else None
    if locker_no is not None:
        _text(locker_no, "locker_no", errors)
    _raise(errors, _("please correct the visit details"))
    if locker_no is not None:  # first: a taken locker refuses before anything changes
        _set_locker(visit, locker_no, staff_id)
    if visit.greeted_at is None:
        visit.greeted_at = now_utc()
        visit.greeted_by_id = staff_id
    if visit.status == VisitStatus.WAITING:
        VISIT_MOVES.move(visit, VisitStatus.GREETED, name=visit.id)
    if water_offered is not None:
        visit.water_offered = bool(water_offered)
    if clean_purpose is not None:
        visit.purpose = clean_purpose
    db.session.flush()
    return visit


def assign_clerk(visit_id: int, clerk_staff_no: str, *, staff_id: int | None = None) -> Visit:
    """Hand the customer to a clerk on duty; the clerk's screen lists the visit at once."""
    visit = get_visit(visit_id, lock=True)
    _open(visit)
    staff_no = clerk_staff_no.strip() if isinstance(clerk_staff_no, str) else ""
    clerk = db.session.scalar(select(Staff).where(Staff.staff_no == staff_no)) if staff_no else None
    problem = None
    if clerk is None:
        problem = _("no such staff member")
    elif not clerk.active:
        problem = _("this staff member is not active")
    elif "clerk" not in clerk.role_set:
        problem = _("this staff member is not a clerk")
    elif not clerk.on_duty:
        problem = _("this clerk is not on duty")
    if problem:
        raise ValidationFailed(_("cannot assign %(who)s: %(problem)s",
                                 who=staff_no or _("nobody"), problem=problem),
                               errors={"clerk_staff_no": problem})
    assert clerk is not None  # narrowed by the checks above
    now = now_utc()
    if visit.greeted_at is None:
        visit.greeted_at = now
        visit.greeted_by_id = staff_id
    visit.clerk_id = clerk.id
    visit.assigned_at = now
    VISIT_MOVES.move(visit, VisitStatus.WITH_CLERK, name=visit.id)
    db.session.flush()
    return visit


def leave(visit_id: int, *, locker_key_returned: bool) -> Visit:
    """Close the visit; a locker key must be back first (Std ch.7)."""
    visit = get_visit(visit_id, lock=True)
    _open(visit)
    if visit.locker_no and not (locker_key_returned or visit.locker_key_returned):
        raise LockerKeyNotReturned(
            _("locker %(no)s: the key must be returned before the customer leaves",
              no=visit.locker_no), errors={"locker_key_returned": _("the key is not back")})
    if visit.locker_no:
        visit.locker_key_returned = True
    VISIT_MOVES.move(visit, VisitStatus.LEFT, name=visit.id)
    visit.left_at = now_utc()
    db.session.flush()
    return visit


@dataclass(frozen=True)
class BoardRow:
    """A visit on the reception board. `waiting_seconds` runs until the greeting."""

    visit: Visit
    waiting_seconds: int
    late: bool
    still_waiting: bool


def todays_board(now: datetime | None = None) -> list[BoardRow]:
    """Everyone in the showroom (oldest waiting first), then today's departures.

    Visits left open from an earlier day stay on the board so they can be closed.
    """
    now = now or now_utc()
    start, end = day_bounds(now)
    limit = int(current_app.config.get("SHOWROOM_GREETING_SECONDS", 60))
    stmt = (select(Visit).where(or_(Visit.status != VisitStatus.LEFT, Visit.left_at >= start))
            .where(Visit.arrived_at < end)
            .options(joinedload(Visit.customer), joinedload(Visit.clerk)))
    rows = []
    for v in db.session.scalars(stmt):
        if v.status == VisitStatus.LEFT and (v.left_at is None or v.left_at >= end):
            continue
        until = v.greeted_at or now
        waited = max(0, int((until - v.arrived_at).total_seconds()))
        waiting = v.greeted_at is None and v.status != VisitStatus.LEFT
        rows.append(BoardRow(v, waited, waited > limit, waiting))
    order: dict[str, int] = {s.value: i for i, s in enumerate(VisitStatus)}  # waiting … left
    rows.sort(key=lambda r: (order.get(r.visit.status, 9),
                             -(r.visit.left_at or now).timestamp() if r.visit.status == VisitStatus.LEFT
                             else r.visit.arrived_at.timestamp()))
    return rows


def clerk_visits(clerk_id: int, now: datetime | None = None) -> list[Visit]:
    """Today's visits assigned to this clerk and still in the showroom, newest first."""
    start, end = day_bounds(now)
    stmt = (select(Visit).where(Visit.clerk_id == clerk_id, Visit.status != VisitStatus.LEFT,
                                Visit.arrived_at >= start, Visit.arrived_at < end)
            .order_by(Visit.assigned_at.desc(), Visit.id.desc()))
    return list(db.session.scalars(stmt))


def clerk_load(now: datetime | None = None) -> dict[int, int]:
    """How many customers each clerk has in the showroom today (for fair assignment)."""
    start, end = day_bounds(now)
    stmt = (select(Visit.clerk_id, func.count()).where(
        Visit.clerk_id.is_not(None), Visit.status != VisitStatus.LEFT,
        Visit.arrived_at >= start, Visit.arrived_at < end).group_by(Visit.clerk_id))
    return {int(cid): int(n) for cid, n in db.session.execute(stmt)}


# Inquiries live in their own module; re-exported here so callers have one service API.
from showroom.reception.inquiries import (  # noqa: E402
    INQUIRY_CHANNELS,
    CallbackRow,
    due_callbacks,
    log_inquiry,
    mark_called_back,
)

__all__ = ["INQUIRY_CHANNELS", "BoardRow", "CallbackRow", "assign_clerk", "clerk_load",
           "clerk_visits", "day_bounds", "due_callbacks", "get_visit", "greet", "leave",
           "log_inquiry", "mark_called_back", "start_visit", "todays_board"]
