"""A repair (维修) and every change of hands of the piece (custody).

Weights are kept exactly, in centigrams (0.01 g), in and out; `weight_flag` marks a piece
whose weight on return differs from intake by more than the tolerance. Status changes
only through `REPAIR_MOVES`. A piece sent abroad has an expected-back window; it is
overdue once `expected_back_to` has passed while it is still out.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model


class Material(Code):
    SILVER_925 = "silver_925", _l("925 silver")
    THAI_SILVER = "thai_silver", _l("Thai silver")
    GOLD = "gold", _l("Gold")
    K_GOLD = "k_gold", _l("K gold")
    PLATINUM = "platinum", _l("Platinum")
    COPPER = "copper", _l("Copper")
    ALLOY = "alloy", _l("Alloy")
    OTHER = "other", _l("Other")


class RepairRoute(Code):
    IN_HOUSE = "in_house", _l("In-house workshop")
    ABROAD = "abroad", _l("Abroad")


class RepairStatus(Code):
    RECEIVED = "received", _l("Taken in")
    IN_HOUSE = "in_house", _l("In the workshop")
    ABROAD = "abroad", _l("Abroad")
    BACK = "back", _l("Back, awaiting collection")
    COLLECTED = "collected", _l("Collected")
    SHIPPED = "shipped", _l("Shipped")


class Place(Code):
    """Where a piece is, for the custody record."""

    CUSTOMER = "customer", _l("Customer")
    COUNTER = "counter", _l("Counter")
    WORKSHOP = "workshop", _l("Workshop")
    ABROAD = "abroad", _l("Abroad partner")
    CARRIER = "carrier", _l("Carrier")


REPAIR_MOVES = StatusTable(_l("Repair"), {
    RepairStatus.RECEIVED: {RepairStatus.IN_HOUSE, RepairStatus.ABROAD},
    RepairStatus.IN_HOUSE: {RepairStatus.BACK},
    RepairStatus.ABROAD: {RepairStatus.BACK},
    RepairStatus.BACK: {RepairStatus.COLLECTED, RepairStatus.SHIPPED},
    RepairStatus.COLLECTED: set(),
    RepairStatus.SHIPPED: set(),
})
OUT_STATES = (RepairStatus.IN_HOUSE, RepairStatus.ABROAD)


class Repair(Model):
    __tablename__ = "repairs"
    __table_args__ = (CheckConstraint("weight_in_cg IS NULL OR weight_in_cg > 0",
                                      name="weight_in_positive"),
                      CheckConstraint("weight_out_cg IS NULL OR weight_out_cg > 0",
                                      name="weight_out_positive"),
                      CheckConstraint("material <> 'thai_silver'", name="no_thai_silver"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_code: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    part: Mapped[str] = mapped_column(String(60))
    material: Mapped[str] = mapped_column(String(16))
    weight_in_cg: Mapped[int | None] = mapped_column(Integer)
    weight_out_cg: Mapped[int | None] = mapped_column(Integer)
    weight_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    route: Mapped[str] = mapped_column(String(12), default="")
    status: Mapped[str] = mapped_column(String(12), index=True)
    partner: Mapped[str] = mapped_column(String(60), default="")  # abroad workshop / courier
    batch: Mapped[str] = mapped_column(String(24), default="", index=True)  # hand-over list
    expected_back_from: Mapped[date | None] = mapped_column(Date)
    expected_back_to: Mapped[date | None] = mapped_column(Date, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    back_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    customer: Mapped[Customer] = relationship()
    received_by: Mapped[Staff | None] = relationship(foreign_keys=[received_by_id])
    custody: Mapped[list[Custody]] = relationship(order_by="Custody.id",
                                                  back_populates="repair")


class Custody(Model):
    """One change of hands: from where to where, who handed it over, who took it (a staff
    member who typed their PIN, or a named outsider: the courier, the partner, the
    customer), and when."""

    __tablename__ = "repair_custody"

    id: Mapped[int] = mapped_column(primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), index=True)
    from_place: Mapped[str] = mapped_column(String(12))
    to_place: Mapped[str] = mapped_column(String(12))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    receiver_name: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    note: Mapped[str] = mapped_column(Text, default="")

    repair: Mapped[Repair] = relationship(back_populates="custody")
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])
    receiver: Mapped[Staff | None] = relationship(foreign_keys=[receiver_id])
