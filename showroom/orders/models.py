"""The order (销售单) and its lines, with the one place order statuses may change.

`version` is bumped on every change; a client that edits with an old version gets
409 instead of silently overwriting a colleague's change.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.db import Fen, UTCDateTime
from showroom.errors import InvalidTransition
from showroom.extensions import Model

CHANNELS = ("showroom", "video", "online", "phone")
OPEN, AWAITING, SETTLED, CANCELLED = "open", "awaiting_settlement", "settled", "cancelled"
PACKED, SHIPPED = "packed", "shipped"
TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({AWAITING, CANCELLED}),
    AWAITING: frozenset({OPEN, SETTLED, CANCELLED}),
    SETTLED: frozenset({PACKED}),  # counted, packed, signed and sealed (Std ch.5)
    PACKED: frozenset({SHIPPED}),  # handed to the carrier or picked up (Std ch.6)
    SHIPPED: frozenset(),
    CANCELLED: frozenset(),
}
EDITABLE = frozenset({OPEN, AWAITING})


class Order(Model):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_submitted", "status", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="showroom")
    status: Mapped[str] = mapped_column(String(24), default=OPEN)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    total: Mapped[int] = mapped_column(Fen, default=0)  # sum of active line amounts
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship()
    clerk: Mapped[Staff | None] = relationship()

    def transition(self, new_status: str) -> None:
        if new_status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"order {self.number} is {self.status}, cannot become {new_status}")
        self.status = new_status

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
