"""Customers and their append-only ledger. Balance > 0 means the customer owes us."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.clock import now_utc
from showroom.codes import Code
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model


class CustomerKind(Code):
    WHOLESALE = "wholesale", _l("Wholesale")
    FRANCHISE = "franchise", _l("Franchise")


class LedgerKind(Code):
    SALE = "sale", _l("Sale")
    PAYMENT = "payment", _l("Payment")
    REFUND = "refund", _l("Refund")
    RETURN_CREDIT = "return_credit", _l("Return credit")
    ADJUSTMENT = "adjustment", _l("Adjustment")
    REVERSAL = "reversal", _l("Reversal")
    SHIPPING_FEE = "shipping_fee", _l("Shipping fee")
    # A consignor's payout set off against their own debt (SPEC §7): one entry here, one on
    # the consignor's ledger.
    CONSIGNMENT_OFFSET = "consignment_offset", _l("Consignment offset")


class NoticeLang(Code):
    """The language a customer's shipping notices are written in (never the screen's)."""
    ZH = "zh"
    EN = "en"


CUSTOMER_KINDS = CustomerKind.codes()
LEDGER_KINDS = LedgerKind.codes()


class Customer(Model):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint("kind in ('wholesale','franchise')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    phone: Mapped[str] = mapped_column(String(30), index=True, default="")
    kind: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # How the customer wants goods sent (a CARRIERS code, "" = ask) and the language of
    # their shipping notices; "tell me first when new goods arrive" (Std ch.7 §5).
    preferred_carrier: Mapped[str] = mapped_column(String(24), default="", server_default="")
    notice_lang: Mapped[str] = mapped_column(String(2), default=NoticeLang.ZH, server_default="zh")
    new_goods_first: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Cached sum of ledger entries, written only together with an entry.
    balance: Mapped[int] = mapped_column(Fen, default=0)
    # Most debt the customer may carry (fen); None = no limit. Beyond it, settling on
    # account needs a manager's PIN and a reason (SPEC §9.1).
    credit_limit: Mapped[int | None] = mapped_column(Fen)
    # The customer file (SPEC §8, Std ch.13): member, gender, birthday (solar, or the lunar
    # month and day 农历 when birthday_lunar — the year then only says which lunar year),
    # interests, relationship level A/B/C ("" = not rated), the clerk who looks after them.
    # "Last contact" is never stored: it is read from what happened.
    member: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gender: Mapped[str] = mapped_column(String(1), default="", server_default="")
    birthday: Mapped[date | None] = mapped_column(Date)
    birthday_lunar: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    interests: Mapped[str] = mapped_column(Text, default="", server_default="")
    level: Mapped[str] = mapped_column(String(1), default="", server_default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def file_complete(self) -> bool:
        return bool(self.name.strip() and self.phone.strip() and self.address.strip())

    @property
    def missing_fields(self) -> list[str]:
        return [f for f in ("name", "phone", "address") if not getattr(self, f).strip()]


class CustomerContact(Model):
    """Another person to reach at the customer (a shop assistant, the owner's spouse…)."""

    __tablename__ = "customer_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(30), default="")
    wechat: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class LedgerEntry(Model):
    """Never updated or deleted: a mistake is corrected by a reversing entry."""

    __tablename__ = "ledger_entries"
    # The manager's home (issue 14): debt ageing sums each debtor's debits by age from the
    # first index alone; return credits per day find their kind's rows by time.
    __table_args__ = (Index("ix_ledger_entries_customer_amount_at", "customer_id", "amount",
                            "created_at"),
                      Index("ix_ledger_entries_kind_at", "kind", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Fen)  # + raises what the customer owes
    balance_after: Mapped[int] = mapped_column(Fen)
    ref: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id"), unique=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    customer: Mapped[Customer] = relationship()
