"""The money desk's documents (SPEC §9.1): payments on account (还款 / 汇款到账), refunds
of credit held, and the cashier's shift close (交班对账).

Each payment and refund posts exactly one entry on the customer's append-only ledger
(`ledger_entry_id` is unique); the document keeps the figures printed on its receipt.
A shift close is the n-th close of one cashier (`seq`, unique per cashier), so two closes
sent at once cannot both stand: the second fails on the constraint.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model


class DeskMethod(Code):
    """How money crosses the desk without an order (on account is not money)."""

    CASH = "cash", _l("Cash")
    BANK_TRANSFER = "bank_transfer", _l("Bank transfer")
    WECHAT = "wechat", _l("WeChat Pay")
    ALIPAY = "alipay", _l("Alipay")


DESK_METHODS = DeskMethod.codes()
_METHODS_SQL = "method in ('cash','bank_transfer','wechat','alipay')"


class DeskPayment(Model):
    """收款单: a customer pays off debt, or a remittance arrives; more than the debt
    leaves a credit. Cash records what was tendered and the change given."""

    __tablename__ = "desk_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),
                      CheckConstraint(_METHODS_SQL, name="method"),
                      CheckConstraint("change >= 0", name="change_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Fen)
    tendered: Mapped[int | None] = mapped_column(Fen)  # cash handed over
    change: Mapped[int] = mapped_column(Fen, default=0)
    reference: Mapped[str] = mapped_column(String(60), default="")  # transfer / wallet ref
    note: Mapped[str] = mapped_column(Text, default="")
    balance_before: Mapped[int] = mapped_column(Fen)
    balance_after: Mapped[int] = mapped_column(Fen)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    station: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])


class CreditRefund(Model):
    """退款单: credit the customer holds paid back to them, only with a manager's PIN and
    a reason, never more than the credit held."""

    __tablename__ = "credit_refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),
                      CheckConstraint(_METHODS_SQL, name="method"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Fen)
    reason: Mapped[str] = mapped_column(Text)
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    balance_before: Mapped[int] = mapped_column(Fen)
    balance_after: Mapped[int] = mapped_column(Fen)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    station: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    customer: Mapped[Customer] = relationship()
    manager: Mapped[Staff] = relationship(foreign_keys=[manager_id])
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])


class ShiftClose(Model):
    """交班对账: what the cashier counted per method against what the app says each should
    hold since their previous close (`since`, None for their first). A cash difference
    carries the approving manager."""

    __tablename__ = "shift_closes"
    __table_args__ = (UniqueConstraint("cashier_id", "seq", name="cashier_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # this cashier's n-th close
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    opening_float: Mapped[int] = mapped_column(Fen, default=0)
    expected_cash: Mapped[int] = mapped_column(Fen)
    expected_bank_transfer: Mapped[int] = mapped_column(Fen)
    expected_wechat: Mapped[int] = mapped_column(Fen)
    expected_alipay: Mapped[int] = mapped_column(Fen)
    counted_cash: Mapped[int] = mapped_column(Fen)
    counted_bank_transfer: Mapped[int | None] = mapped_column(Fen)  # None: not counted
    counted_wechat: Mapped[int | None] = mapped_column(Fen)
    counted_alipay: Mapped[int | None] = mapped_column(Fen)
    cash_difference: Mapped[int] = mapped_column(Fen)  # counted - expected
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    station: Mapped[str] = mapped_column(String(40), default="")

    cashier: Mapped[Staff] = relationship(foreign_keys=[cashier_id])
    manager: Mapped[Staff | None] = relationship(foreign_keys=[manager_id])
