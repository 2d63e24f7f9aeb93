"""The goods a clerk gathers before a video call, starting the call as a `video` order,
and the lists the screens show (a day's calls, the clerk's calls today, the call of an
order).

Starting is exactly once: the appointment row is locked (PostgreSQL row lock; SQLite's
BEGIN IMMEDIATE), so a second start — a double tap, a retry, a race — finds it in call
and returns the same order. Gathered pieces become order lines at the customer's price;
a piece short in stock is added as far as there is stock and reported, never fatal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from showroom.appointments.models import (
    Appointment,
    AppointmentGood,
    AppointmentStatus,
    ChangeKind,
)
from showroom.appointments.services import _log, get_appointment, may_run_call
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.catalog.services import clean_qty, find_product
from showroom.clock import local, now_utc, showroom_tz
from showroom.errors import Conflict, InsufficientStock, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.orders.models import Channel, Order
from showroom.orders.services import add_line, create_order

S = AppointmentStatus
GATHERING = frozenset({S.BOOKED, S.REMINDED})


def goods(appointment_id: int) -> list[AppointmentGood]:
    return list(db.session.scalars(select(AppointmentGood).where(
        AppointmentGood.appointment_id == appointment_id).order_by(AppointmentGood.id)))


def _gathering(a: Appointment) -> None:
    if a.status not in GATHERING:
        raise Conflict(_("appointment %(number)s is %(status)s: its goods can no longer change",
                         number=a.number, status=S(a.status).label))


def gather(appointment_id: int, *, code: object, qty: object = 1,
           staff_id: int | None) -> AppointmentGood:
    """配货: a scanned barcode or a typed code; the same piece again adds to its quantity."""
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 64:
        raise ValidationFailed(_("scan or type a product code"),
                               errors={"code": _("scan or type a product code")})
    n = clean_qty(qty)
    a = get_appointment(appointment_id, lock=True)
    _gathering(a)
    product = find_product(barcode=code.strip())
    good = db.session.scalar(select(AppointmentGood).where(
        AppointmentGood.appointment_id == a.id, AppointmentGood.product_id == product.id))
    if good is None:
        good = AppointmentGood(appointment_id=a.id, product_id=product.id, qty=n,
                               added_by_id=staff_id, added_at=now_utc())
        good.product = product
        db.session.add(good)
    else:
        good.qty += n
    a.version += 1
    db.session.flush()
    return good


def drop_good(appointment_id: int, good_id: int) -> Appointment:
    a = get_appointment(appointment_id, lock=True)
    _gathering(a)
    good = db.session.get(AppointmentGood, good_id)
    if good is None or good.appointment_id != a.id:
        raise NotFound(_("no such piece on appointment %(number)s", number=a.number))
    db.session.delete(good)
    a.version += 1
    db.session.flush()
    return a


@dataclass
class Started:
    appointment: Appointment
    order: Order
    shortages: list[dict[str, object]] = field(default_factory=list)
    created: bool = True


def start_call(appointment_id: int, *, staff: Staff) -> Started:
    """开始视频: opens the `video` order for the customer with the clerk as its clerk and the
    gathered goods as lines; links it; the appointment is in call. A second start returns
    the same order."""
    a = get_appointment(appointment_id, lock=True)
    may_run_call(a, staff)
    if a.status == S.IN_CALL and a.order_id is not None:
        order = db.session.get(Order, a.order_id)
        assert order is not None
        return Started(a, order, created=False)
    a.transition(S.IN_CALL)
    order = create_order(a.customer_id, channel=Channel.VIDEO, clerk_id=a.clerk_id)
    shortages: list[dict[str, object]] = []
    for good in goods(a.id):
        product: Product = good.product
        take = min(good.qty, product.on_hand)
        if take > 0:
            try:
                add_line(order.id, product_code=product.code, qty=take)
            except InsufficientStock:  # stock fell between the read and the lock
                take = 0
        if take < good.qty:
            shortages.append({"product_code": product.code, "name": product.name,
                              "wanted": good.qty, "added": take})
    a.order_id, a.started_at = order.id, now_utc()
    a.version += 1
    note = "; ".join(f"{s['product_code']} {s['added']}/{s['wanted']}" for s in shortages)
    _log(a, ChangeKind.STARTED, staff.id, reason=note)
    db.session.flush()
    return Started(a, order, shortages)


# --- what the screens list ------------------------------------------------------------

def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=showroom_tz())
    return start, start + timedelta(days=1)


def day_list(day: date, *, clerk_id: int | None = None) -> list[Appointment]:
    """A local day's appointments (every status), by time."""
    start, end = _local_day_bounds(day)
    query = (select(Appointment).options(joinedload(Appointment.customer),
                                         joinedload(Appointment.clerk))
             .where(Appointment.starts_at >= start, Appointment.starts_at < end))
    if clerk_id is not None:
        query = query.where(Appointment.clerk_id == clerk_id)
    return list(db.session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))


def today_for_clerk(clerk_id: int) -> list[Appointment]:
    return day_list(local(now_utc()).date(), clerk_id=clerk_id)


def due_now(a: Appointment, now: datetime | None = None) -> bool:
    """The 10-minute warning shows: it is remind_at or later and the call has not started."""
    return a.status in GATHERING and (now or now_utc()) >= a.remind_at


def for_order(order_id: int) -> Appointment | None:
    return db.session.scalar(select(Appointment).where(Appointment.order_id == order_id))
