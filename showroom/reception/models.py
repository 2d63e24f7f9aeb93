"""Visits (厅前接待) and phone / online inquiries with their 24 h callback."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model


class VisitStatus(Code):
    WAITING = "waiting", _l("Waiting")
    GREETED = "greeted", _l("Greeted")
    WITH_CLERK = "with_clerk", _l("With clerk")
    LEFT = "left", _l("Left")


class TravelMode(Code):
    """How the customer travels home (Std ch.7 §3)."""
    TRAIN = "train", _l("Train")
    PLANE = "plane", _l("Plane")
    OWN_CAR = "own_car", _l("Own car")
    TAXI = "taxi", _l("Taxi")
    BUS = "bus", _l("Coach")
    OTHER = "other", _l("Other")


VISIT_STATUSES = VisitStatus.codes()
TRAVEL_MODES = TravelMode.codes()
# A visit is greeted, handed to a clerk (again, to another clerk) and leaves; it can be
# handed over without a greeting first, and leave from any state but `left`.
VISIT_MOVES = StatusTable(_l("Visit"), {
    VisitStatus.WAITING: {VisitStatus.GREETED, VisitStatus.WITH_CLERK, VisitStatus.LEFT},
    VisitStatus.GREETED: {VisitStatus.WITH_CLERK, VisitStatus.LEFT},
    VisitStatus.WITH_CLERK: {VisitStatus.WITH_CLERK, VisitStatus.LEFT},
    VisitStatus.LEFT: set(),
})


class Visit(Model):
    __tablename__ = "visits"
    # service levels: greetings counted by arrival without reading the rows (SPEC §11)
    __table_args__ = (Index("ix_visits_arrived_greeted", "arrived_at", "greeted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=VisitStatus.WAITING, index=True)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    greeted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    greeted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    water_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(120), default="")
    locker_no: Mapped[str] = mapped_column(String(10), default="")
    locker_key_returned: Mapped[bool] = mapped_column(Boolean, default=False)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Seeing the customer off (送客, Std ch.7): the departure checklist.
    belongings_taken: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    travel_mode: Mapped[str] = mapped_column(String(12), default="", server_default="")
    new_goods_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    seen_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    customer: Mapped[Customer] = relationship()
    clerk: Mapped[Staff | None] = relationship(foreign_keys=[clerk_id])


class Inquiry(Model):
    """A phone or online inquiry (Std ch.1, ch.9); every one gets a callback in 24 h."""

    __tablename__ = "inquiries"
    # service levels: callbacks counted by due time without reading the rows (SPEC §11)
    __table_args__ = (Index("ix_inquiries_callback", "callback_due_at", "called_back_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), default="phone")  # phone / online
    caller_name: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    callback_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    called_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_note: Mapped[str] = mapped_column(Text, default="")
    called_back_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # How urgent the prospect is (Std ch.13 §9: "" not rated, A/B/C), and when a manager
    # dealt with an escalated inquiry in their inbox.
    urgency: Mapped[str] = mapped_column(String(1), default="", server_default="")
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
