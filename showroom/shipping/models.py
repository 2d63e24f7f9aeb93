"""Shipping (货运, Std ch.6): the manager's rate table per carrier, shipments with their
waybill numbers, and every time the customer was told (shipping notice sends).

A shipment is the carrier's receipt kept searchable (time, customer, goods count,
waybill); one per order. A notice send by e-mail is queued here and delivered by the
worker, never inside a request.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model

CARRIERS = ("china_railway_express", "sf_express", "sto_express", "road_freight", "self_pickup")
FEE_PAYERS = ("customer", "showroom")
NOTICE_CHANNELS = ("copied", "printed", "emailed", "phoned")
NOTICE_STATUSES = ("done", "queued", "sending", "sent", "failed")


class CarrierRate(Model):
    """One row of the rate table: a carrier's price to a destination (省/城市, or * for
    anywhere else): first kilogram, each further kilogram, and days on the road."""

    __tablename__ = "carrier_rates"
    __table_args__ = (
        Index("ix_carrier_rates_carrier_destination", "carrier", "destination", unique=True),
        CheckConstraint("first_kg >= 0 AND per_kg >= 0 AND per_box >= 0", name="fees_not_negative"),
        CheckConstraint("min_days >= 0 AND max_days >= min_days", name="days_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(24))
    destination: Mapped[str] = mapped_column(String(40), default="*")
    first_kg: Mapped[int] = mapped_column(Fen, default=0)  # fee for the first kilogram
    per_kg: Mapped[int] = mapped_column(Fen, default=0)  # each further (started) kilogram
    per_box: Mapped[int] = mapped_column(Fen, default=0)  # handling per carton
    min_days: Mapped[int] = mapped_column(Integer, default=1)
    max_days: Mapped[int] = mapped_column(Integer, default=3)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class Shipment(Model):
    __tablename__ = "shipments"
    __table_args__ = (
        CheckConstraint("fee >= 0", name="fee_not_negative"),
        CheckConstraint("boxes >= 0", name="boxes_not_negative"),
        Index("ix_shipments_shipped_at", "shipped_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # FH-20261122-0001
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(24))
    waybill: Mapped[str] = mapped_column(String(40), default="", index=True)
    boxes: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(Fen, default=0)
    fee_payer: Mapped[str] = mapped_column(String(10), default="customer")
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    eta: Mapped[date | None] = mapped_column(Date)
    notice_lang: Mapped[str] = mapped_column(String(2), default="zh")
    notice_text: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff | None] = relationship()
    notices: Mapped[list[ShipmentNotice]] = relationship(order_by="ShipmentNotice.id")


class ShipmentNotice(Model):
    """The customer was told: copied into a message, printed, phoned, or e-mailed (queued,
    then sent or failed by the worker). Who and when are always recorded."""

    __tablename__ = "shipment_notices"
    __table_args__ = (Index("ix_shipment_notices_status", "status", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="done")
    to_address: Mapped[str] = mapped_column(String(120), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff | None] = relationship()
