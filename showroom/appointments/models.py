"""An appointment for a video call (视频预约), the goods the clerk gathers for it, and the
append-only log of its changes (a reschedule keeps the old time and the reason).

Status moves only through `APPOINTMENT_MOVES`:
booked → reminded → in_call → done, and booked/reminded → no_show | cancelled; a
reschedule moves a booked or reminded (or no-show) appointment back to booked at a new time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model

REMIND_MINUTES = 10  # Std ch.8: online ten minutes before the call


class AppointmentStatus(Code):
    BOOKED = "booked", _l("Booked")
    REMINDED = "reminded", _l("Reminded")
    IN_CALL = "in_call", _l("In call")
    DONE = "done", _l("Done")
    NO_SHOW = "no_show", _l("No-show")
    CANCELLED = "cancelled", _l("Cancelled")


class ChangeKind(Code):
    """What the log line records."""
    BOOKED = "booked", _l("Booked")
    RESCHEDULED = "rescheduled", _l("Rescheduled")
    REMINDED = "reminded", _l("Reminded")
    STARTED = "started", _l("Call started")
    DONE = "done", _l("Done")
    NO_SHOW = "no_show", _l("No-show")
    CANCELLED = "cancelled", _l("Cancelled")


S = AppointmentStatus
APPOINTMENT_MOVES = StatusTable(_l("Appointment"), {
    S.BOOKED: {S.BOOKED, S.REMINDED, S.IN_CALL, S.NO_SHOW, S.CANCELLED},
    S.REMINDED: {S.BOOKED, S.IN_CALL, S.NO_SHOW, S.CANCELLED},
    S.IN_CALL: {S.DONE},
    S.NO_SHOW: {S.BOOKED},  # the call failed: rescheduled (Std ch.8)
    S.DONE: set(),
    S.CANCELLED: set(),
})
OPEN_STATUSES = frozenset({S.BOOKED, S.REMINDED, S.IN_CALL})


class Appointment(Model):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_clerk_starts", "clerk_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # YY-20261206-0001
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime)  # starts_at − 10 minutes
    wanted: Mapped[str] = mapped_column(Text, default="")  # what the customer wants to see
    status: Mapped[str] = mapped_column(String(12), default=S.BOOKED, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")  # last reschedule / cancel / no-show
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer: Mapped[Customer] = relationship()
    clerk: Mapped[Staff] = relationship(foreign_keys=[clerk_id])

    def transition(self, new_status: AppointmentStatus) -> None:
        APPOINTMENT_MOVES.move(self, new_status, name=self.number)


class AppointmentGood(Model):
    """A piece the clerk gathered before the call; it becomes an order line on start."""
    __tablename__ = "appointment_goods"
    __table_args__ = (UniqueConstraint("appointment_id", "product_id"),
                      CheckConstraint("qty > 0", name="qty_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


class AppointmentChange(Model):
    """Append-only (DB triggers): every booking, reschedule (old and new time, reason),
    reminder, start, no-show and cancellation, with who and when."""
    __tablename__ = "appointment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    old_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
