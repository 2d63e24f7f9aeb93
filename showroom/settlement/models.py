"""Settlements (结算), their payments, and on-the-spot return slips.

`settlements.order_id` is unique: the database itself refuses a second settlement.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.codes import Code
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model

if TYPE_CHECKING:
    from showroom.orders.models import Order



class PaymentMethod(Code):
    CASH = "cash", _l("Cash")
    BANK_TRANSFER = "bank_transfer", _l("Bank transfer")
    WECHAT = "wechat", _l("WeChat Pay")
    ALIPAY = "alipay", _l("Alipay")
    ON_ACCOUNT = "on_account", _l("On account")  # left as debt on the customer's ledger


PAYMENT_METHODS = PaymentMethod.codes()


class Settlement(Model):
    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    total: Mapped[int] = mapped_column(Fen)
    paid: Mapped[int] = mapped_column(Fen)  # everything but on_account
    on_account: Mapped[int] = mapped_column(Fen)
    change: Mapped[int] = mapped_column(Fen)
    balance_before: Mapped[int] = mapped_column(Fen)
    balance_after: Mapped[int] = mapped_column(Fen)
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    station: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # On account beyond the customer's credit limit: the manager who allowed it, and why.
    credit_override_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    credit_override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    payments: Mapped[list[Payment]] = relationship(order_by="Payment.id")
    order: Mapped[Order] = relationship("Order")


class Payment(Model):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Fen)  # what counts toward the order
    tendered: Mapped[int | None] = mapped_column(Fen)  # cash handed over


class ReturnKind(Code):
    ON_THE_SPOT = "on_the_spot"  # dropped at the desk before settling
    CROSS_OUT = "cross_out"  # crossed out (×) at the packing bench after settling


RETURN_KINDS = ReturnKind.codes()


class ReturnSlip(Model):
    """退货单: lines dropped at the desk before the order became final (on_the_spot), or
    crossed out (×) at the packing bench after settling (cross_out), which credits the
    customer's ledger and needs the handler, the customer and a manager's PIN."""

    __tablename__ = "return_slips"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    total: Mapped[int] = mapped_column(Fen)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(12), default="on_the_spot",
                                      server_default="on_the_spot")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    customer_agreed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    lines: Mapped[list[ReturnLine]] = relationship(order_by="ReturnLine.id")


class ReturnLine(Model):
    __tablename__ = "return_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_slip_id: Mapped[int] = mapped_column(ForeignKey("return_slips.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Fen)

    product: Mapped[Product] = relationship()
