"""Products, floor areas with their owners, and stock as append-only moves.

`Product.on_hand` is a cache of the sum of the product's stock moves, changed only
in the same statement batch that appends a move.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.db import Fen, UTCDateTime
from showroom.extensions import Model

MOVE_REASONS = ("receipt", "sale", "return", "exchange", "adjustment", "reversal")


class Area(Model):
    """A section of the floor (区域) and the staff member responsible for it."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    owner: Mapped[Staff | None] = relationship()


class Product(Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    price_wholesale: Mapped[int] = mapped_column(Fen)
    price_franchise: Mapped[int] = mapped_column(Fen)
    care_note: Mapped[str] = mapped_column(Text, default="")
    material: Mapped[str] = mapped_column(String(60), default="")
    origin: Mapped[str] = mapped_column(String(60), default="")
    # Product facts told during a video call (Std ch.8): washing and the piece's background.
    washing_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    background: Mapped[str] = mapped_column(Text, default="", server_default="")
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    # Consigned goods (SPEC §7): the consignor who owns this item (its stock is theirs and
    # company stock figures leave it out) and what they earn per piece sold (None = their
    # share of the line).
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"), index=True)
    consignor_price: Mapped[int | None] = mapped_column(Fen)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    area: Mapped[Area | None] = relationship()

    def price_for(self, customer_kind: str) -> int:
        return self.price_franchise if customer_kind == "franchise" else self.price_wholesale


class StockReceipt(Model):
    """Goods received into stock (入库单); its lines are the stock moves it made."""

    __tablename__ = "stock_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class StockMove(Model):
    """Append-only: qty > 0 into stock, < 0 out. Never updated or deleted."""

    __tablename__ = "stock_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(40), default="")
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("stock_receipts.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class ProductNameGram(Model):
    """Two-character pieces of product names: a substring index that works for Chinese on
    SQLite and PostgreSQL alike (LIKE '%…%' alone scans all 200,000 names)."""

    __tablename__ = "product_name_grams"

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True
    )
