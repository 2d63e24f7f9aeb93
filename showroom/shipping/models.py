"""Shipping (货运, Std ch.6): the manager's rate table per carrier, shipments with their
waybill numbers, and every time the customer was told (shipping notice sends).

A shipment is the carrier's receipt kept searchable (time, customer, goods count,
waybill); one per order. A notice send by e-mail is queued here and delivered by the
worker, never inside a request.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model
from showroom.shipping.carriers import Carrier


class FeePayer(Code):
    CUSTOMER = "customer", _l("Customer pays")  # posted to the customer's ledger
    SHOWROOM = "showroom", _l("Showroom pays")


class NoticeChannel(Code):
    COPIED = "copied", _l("Copied into a message")
    PRINTED = "printed", _l("Printed")
    EMAILED = "emailed", _l("E-mail")  # queued here, sent by the worker
    PHONED = "phoned", _l("Phoned")


class NoticeStatus(Code):
    DONE = "done", _l("Recorded")  # told by staff: copied, printed or phoned
    QUEUED = "queued", _l("Waiting to send")
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Not sent")


class MailError(Code):
    """Why an e-mailed notice is not sent (`ShipmentNotice.error`); `error_detail` keeps
    what the mail server said, for the manager."""
    UNREACHABLE = "server_unreachable", _l("The mail server could not be reached")
    LOGIN_REFUSED = "login_refused", _l("The mail server refused the sign-in (SHOWROOM_SMTP_USER "
                                        "and SHOWROOM_SMTP_PASSWORD)")
    SENDER_REFUSED = "sender_refused", _l("The mail server refused the shop's sender address")
    RECIPIENT_REFUSED = "recipient_refused", _l("The mail server refused the customer's address")
    MESSAGE_REFUSED = "message_refused", _l("The mail server refused the message")
    SERVER_ERROR = "server_error", _l("The mail server answered with an error")
    CANNOT_ENCODE = "cannot_encode", _l("The e-mail cannot be written (address or text)")
    WORKER_STOPPED = "worker_stopped", _l("The worker stopped while sending this e-mail: it may "
                                          "have arrived; ask the customer or send it again")


CARRIERS = Carrier.codes()
FEE_PAYERS = FeePayer.codes()
NOTICE_CHANNELS = NoticeChannel.codes()
NOTICE_STATUSES = NoticeStatus.codes()
# Staff-told notices are recorded done; an e-mail is queued, claimed by the worker, then
# sent, queued again for another try, or not sent. Done, sent and failed are final: a new
# e-mail is a new notice.
NOTICE_MOVES = StatusTable(_l("Shipping notice"), {
    NoticeStatus.QUEUED: {NoticeStatus.SENDING},
    NoticeStatus.SENDING: {NoticeStatus.SENT, NoticeStatus.QUEUED, NoticeStatus.FAILED},
    NoticeStatus.DONE: set(),
    NoticeStatus.SENT: set(),
    NoticeStatus.FAILED: set(),
})


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
    fee_payer: Mapped[str] = mapped_column(String(10), default=FeePayer.CUSTOMER)
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
    status: Mapped[str] = mapped_column(String(10), default=NoticeStatus.DONE)
    to_address: Mapped[str] = mapped_column(String(120), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # a MailError code, "" when fine
    error_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff | None] = relationship()
