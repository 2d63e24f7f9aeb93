"""The order (销售单) and its lines, with the one place order statuses may change.

`version` is bumped on every change; a client that edits with an old version gets
409 instead of silently overwriting a colleague's change.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model


class Channel(Code):
    """How an order (or an inquiry) came in."""
    SHOWROOM = "showroom", _l("Showroom")
    VIDEO = "video", _l("Video call")
    ONLINE = "online", _l("Online")
    PHONE = "phone", _l("Phone")


class OrderStatus(Code):
    """With its badge label and its form inside a sentence ("order XS-… is settled")."""
    OPEN = "open", _l("In progress"), _l("open")
    AWAITING = "awaiting_settlement", _l("Awaiting settlement"), _l("awaiting settlement")
    SETTLED = "settled", _l("Settled"), _l("settled")
    CANCELLED = "cancelled", _l("Cancelled"), _l("cancelled")
    PACKED = "packed", _l("Packed"), _l("packed")
    SHIPPED = "shipped", _l("Shipped"), _l("shipped")

    def __init__(self, value: str, text: Any = None, phrase: Any = None) -> None:
        super().__init__(value, text)
        self.phrase = phrase


CHANNELS = Channel.codes()
OPEN, AWAITING, SETTLED, CANCELLED = (OrderStatus.OPEN, OrderStatus.AWAITING,
                                      OrderStatus.SETTLED, OrderStatus.CANCELLED)
PACKED, SHIPPED = OrderStatus.PACKED, OrderStatus.SHIPPED
ORDER_MOVES = StatusTable(_l("Order"), {
    OPEN: {AWAITING, CANCELLED},
    AWAITING: {OPEN, SETTLED, CANCELLED},
    SETTLED: {PACKED},  # counted, packed, signed and sealed (Std ch.5)
    PACKED: {SHIPPED},  # handed to the carrier or picked up (Std ch.6)
    SHIPPED: set(),
    CANCELLED: set(),
})
TRANSITIONS = ORDER_MOVES.moves
EDITABLE = frozenset({OPEN, AWAITING})


class Order(Model):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_submitted", "status", "submitted_at"),
                      Index("ix_orders_channel_created", "channel", "created_at"),
                      # the website's reference: the same online order posted twice is one
                      Index("uq_orders_external_ref", "external_ref", unique=True),
                      # service levels: online answers counted by due time (SPEC §11),
                      # from the index alone (status: a cancelled order owes no answer;
                      # created_at: the few orders whose due is computed, due IS NULL)
                      Index("ix_orders_online_answer", "channel", "answer_due_at",
                            "answered_at", "status", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.SHOWROOM)
    status: Mapped[str] = mapped_column(String(24), default=OPEN)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    total: Mapped[int] = mapped_column(Fen, default=0)  # sum of active line amounts
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Remote orders (SPEC §5): the website's reference of an online order; when an online
    # order must be answered (same working day, next if it came late) and the answer.
    external_ref: Mapped[str | None] = mapped_column(String(64))
    answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    answer_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    answer_shortages: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON
    # Amount to remit (应汇款金额): a remote order settled on account waits for the money
    # before it goes to packing. remit_status: "" (no wait) | awaiting | received | released.
    remit_status: Mapped[str] = mapped_column(String(10), default="", server_default="")
    remit_carrier: Mapped[str] = mapped_column(String(24), default="", server_default="")
    shipping_fee: Mapped[int | None] = mapped_column(Fen)  # quoted freight, told to remit
    remit_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remit_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remit_payment_id: Mapped[int | None] = mapped_column(ForeignKey("desk_payments.id"))
    remit_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    customer: Mapped[Customer] = relationship()
    clerk: Mapped[Staff | None] = relationship(foreign_keys=[clerk_id])

    def transition(self, new_status: OrderStatus) -> None:
        ORDER_MOVES.move(self, new_status, name=self.number)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class OrderLine(Model):
    __tablename__ = "order_lines"
    __table_args__ = (
        Index("ix_order_lines_order_product", "order_id", "product_id"),
        CheckConstraint("qty > 0", name="qty_positive"),
        # The packing rule in the database itself: never more packed than is left to pack.
        CheckConstraint("packed_qty >= 0 AND crossed_qty >= 0 AND "
                        "returned_qty + crossed_qty + packed_qty <= qty", name="packing_within_qty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Fen)
    returned_qty: Mapped[int] = mapped_column(Integer, default=0)  # on-the-spot returns
    crossed_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # × at packing
    packed_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # ticked into boxes
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    note: Mapped[str] = mapped_column(Text, default="")

    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def to_pack(self) -> int:
        """Units that must go into boxes: bought, not returned at the desk, not crossed out."""
        return self.qty - self.returned_qty - self.crossed_qty

    @property
    def amount(self) -> int:
        """What the line costs the customer: units returned on the spot are not charged."""
        return self.unit_price * (self.qty - self.returned_qty)
