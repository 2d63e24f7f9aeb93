"""Consignment's tables (SPEC §7, Std ch.12).

A **consignor** is a customer with a consignor code (`pf123李`, `jm45薛`) and a default
share of the sale. Each consigned item is a `Product` whose `consignor_id` is set: its stock
is the consignor's, never ours (company stock figures leave it out), and its
`consignor_price` (per piece, optional) is what the consignor earns when it sells; without
it they earn their share of the line.

Intake and withdrawal lists (委托代销清单 / 代销退还清单) are numbered documents with lines;
each is signed by the consignor on the tablet, or sent for signature when they are absent
and the signature recorded when it comes back.

The consignor's **ledger** is built like the customer ledger: append-only (database
triggers refuse UPDATE and DELETE), balance = sum of entries, `Consignor.balance` a cache
written only together with an entry. Positive = we owe the consignor (payable). A sale of a
consigned line and its return are posted once each: `source_key` is unique
("sale:<order_line id>", "return:<return line kind>:<id>"), so a retried settlement or
return can never post twice.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model


class ConsignmentKind(Code):
    INTAKE = "intake", _l("Consignment list")  # 委托代销清单
    WITHDRAWAL = "withdrawal", _l("Withdrawal list")  # 代销退还清单


class SignatureState(Code):
    """Where the consignor's signature on a list stands."""

    SIGNED = "signed", _l("Signed")  # signed on the tablet, consignor present
    SENT = "sent", _l("Sent for signature")  # consignor absent: list and contract sent
    RETURNED = "returned", _l("Signed copy returned")  # the signed copy came back


class ConsignorEntryKind(Code):
    SALE = "sale", _l("Sold")  # + their price or share of a sold consigned line
    RETURN = "return", _l("Returned")  # − reverses a sale's credit when the goods come back
    PAYOUT = "payout", _l("Payout")  # − money paid to the consignor
    OFFSET = "offset", _l("Offset against debt")  # − paid by settling their own customer debt
    ADJUSTMENT = "adjustment", _l("Adjustment")
    REVERSAL = "reversal", _l("Reversal")


class PayoutMethod(Code):
    CASH = "cash", _l("Cash")
    BANK_TRANSFER = "bank_transfer", _l("Bank transfer")
    WECHAT = "wechat", _l("WeChat Pay")
    ALIPAY = "alipay", _l("Alipay")
    OFFSET = "offset", _l("Offset against debt")


class Consignor(Model):
    __tablename__ = "consignors"
    __table_args__ = (CheckConstraint("share_bp between 0 and 10000", name="share_bp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)  # pf123李 / jm45薛
    # The consignor's default share of a sale in basis points (8000 = 80.00 %), used for an
    # item without its own consignor price.
    share_bp: Mapped[int] = mapped_column(Integer, default=8000)
    # Cached sum of the consignor's ledger (payable), written only together with an entry.
    balance: Mapped[int] = mapped_column(Fen, default=0)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)


class Consignment(Model):
    """An intake or withdrawal list (numbered, printed, signed)."""

    __tablename__ = "consignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    # A withdrawal names the intake list its goods came in on.
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("consignments.id"), index=True)
    consignor_present: Mapped[bool] = mapped_column(default=False)
    signature_state: Mapped[str] = mapped_column(String(12))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    consignor: Mapped[Consignor] = relationship(lazy="joined", innerjoin=True)
    lines: Mapped[list[ConsignmentLine]] = relationship(
        order_by="ConsignmentLine.id", back_populates="consignment")


class ConsignmentLine(Model):
    """One item on a list: the product (owned by the consignor), how many, and the prices
    as they stood on the list."""

    __tablename__ = "consignment_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignments.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    price_wholesale: Mapped[int] = mapped_column(Fen)
    price_franchise: Mapped[int] = mapped_column(Fen)
    consignor_price: Mapped[int | None] = mapped_column(Fen)

    consignment: Mapped[Consignment] = relationship(back_populates="lines")


class ConsignorPayout(Model):
    """Money paid to a consignor (付代销款), or set off against their own customer debt."""

    __tablename__ = "consignor_payouts"
    __table_args__ = (CheckConstraint("amount > 0", name="amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    amount: Mapped[int] = mapped_column(Fen)
    method: Mapped[str] = mapped_column(String(16))
    payable_before: Mapped[int] = mapped_column(Fen)
    payable_after: Mapped[int] = mapped_column(Fen)
    # The customer-ledger entry of an offset (one entry on each ledger).
    ledger_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id"), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    consignor: Mapped[Consignor] = relationship(lazy="joined", innerjoin=True)


class ConsignorEntry(Model):
    """The consignor's ledger: never updated or deleted; + = we owe them more."""

    __tablename__ = "consignor_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Fen)
    balance_after: Mapped[int] = mapped_column(Fen)
    # What moved: a sold or returned consigned line (product, pieces, the order) or a payout.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer, default=0)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("consignor_payouts.id"))
    # Exactly once: "sale:<order_line id>", "return:slip:<return_line id>",
    # "return:doc:<after-sales line id>", "payout:<payout id>".
    source_key: Mapped[str | None] = mapped_column(String(48), unique=True)
    ref: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("consignor_entries.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
