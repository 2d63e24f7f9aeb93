"""Returns and exchanges by rule (SPEC §6, Std ch.11): franchise contracts, and the one
numbered document a return or an exchange makes — the goods back (lines of past sales, at
the price paid), the replacements out (at today's price for the customer's kind), the
verdict quoted when it was made and, when a rule refused it, the manager who overrode it.

The lines here count as "returned" on a sale line beside `returned_qty` (dropped at the
desk) and `crossed_qty` (crossed out at packing): returnable = sold − all three.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model


class AfterSalesKind(Code):
    RETURN = "return", _l("Return")
    EXCHANGE = "exchange", _l("Exchange")


class AfterSalesReason(Code):
    GOODS_DIFFER = "goods_differ", _l("Goods differ from the order")
    QUALITY = "quality", _l("Quality problem")
    OTHER = "other", _l("Other")


class ReturnRule(Code):
    """The rules a return or exchange is judged by (API.md "Returns and exchanges")."""
    WHOLESALE_SELF_PICKUP = "wholesale_self_pickup", _l("Wholesale goods taken at the showroom")
    REMOTE_EXCHANGE = "remote_exchange", _l("Shipped wholesale goods: exchange")
    FRANCHISE_RATIO = "franchise_ratio", _l("Franchise return ratio")
    RETURNABLE_QTY = "returnable_qty", _l("Returnable quantity")


class Delivery(Code):
    """How the goods of a sale line left: with the customer (no carrier shipment, or the
    carrier `self_pickup`), shipped by a carrier, or not yet left (a remote order)."""
    SELF_PICKUP = "self_pickup", _l("Self-pickup")
    SHIPPED = "shipped", _l("Shipped")
    UNSHIPPED = "unshipped", _l("Not shipped yet")


KINDS = AfterSalesKind.codes()
REASONS = AfterSalesReason.codes()
RATIO_SCALE = 10_000  # a return ratio is stored exactly in basis points: "0.10" = 1000


class FranchiseContract(Model):
    """A franchisee's contract on their file: its period and return ratio (basis points)."""

    __tablename__ = "franchise_contracts"
    __table_args__ = (
        CheckConstraint("ratio_bp >= 0 AND ratio_bp <= 10000", name="ratio_range"),
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    ratio_bp: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class AfterSalesDoc(Model):
    """售后退货单 (TH-…) or 换货单 (HH-…): one document, one ledger entry at most."""

    __tablename__ = "aftersales_docs"
    __table_args__ = (
        Index("ix_aftersales_docs_customer_created", "customer_id", "created_at"),
        CheckConstraint("kind in ('return','exchange')", name="kind"),
        CheckConstraint("credit >= 0 AND replacement_total >= 0 AND quota_value >= 0",
                        name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    reason: Mapped[str] = mapped_column(String(16))
    quality_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[int] = mapped_column(Fen, default=0)  # goods back, at the prices paid
    replacement_total: Mapped[int] = mapped_column(Fen, default=0)  # goods out, today's price
    quota_value: Mapped[int] = mapped_column(Fen, default=0)  # counted against a franchise ratio
    # The verdict as it was when the document was made, and who overrode a refusal.
    rule: Mapped[str] = mapped_column(String(30))
    allowed: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text, default="")  # one reason a line
    override_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"),
                                                        unique=True)
    balance_after: Mapped[int] = mapped_column(Fen, default=0)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    station: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])
    override_manager: Mapped[Staff | None] = relationship(foreign_keys=[override_manager_id])
    lines: Mapped[list[AfterSalesLine]] = relationship(order_by="AfterSalesLine.id")
    replacements: Mapped[list[AfterSalesReplacement]] = relationship(
        order_by="AfterSalesReplacement.id")

    @property
    def difference(self) -> int:
        """What the customer owes for an exchange (> 0) or is credited (< 0)."""
        return self.replacement_total - self.credit

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split("\n") if r]


class AfterSalesLine(Model):
    """Units of one sale line taken back, at the price paid for them."""

    __tablename__ = "aftersales_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("aftersales_docs.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Fen)

    product: Mapped[Product] = relationship()


class AfterSalesReplacement(Model):
    """Units sent out in an exchange, at the customer's price on the day."""

    __tablename__ = "aftersales_replacements"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("aftersales_docs.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Fen)

    product: Mapped[Product] = relationship()
