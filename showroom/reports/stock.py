"""Company stock figures (SPEC §7, §13): pieces and value at wholesale price by category,
and the reorder list — our goods only. Consigned goods (`Product.consignor_id` set) are the
consignor's stock, never ours: they never enter these figures and are shown apart as
"consigned (not ours)". Every query that counts our stock goes through `OURS`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from showroom.catalog.models import Product
from showroom.extensions import db

OURS = Product.consignor_id.is_(None)  # the one condition that makes stock ours
CONSIGNED = Product.consignor_id.is_not(None)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    items: int  # products with stock
    pieces: int
    value: int  # fen, at wholesale price


@dataclass(frozen=True)
class StockFigures:
    rows: list[CategoryRow]
    pieces: int
    value: int
    consigned_items: int
    consigned_pieces: int
    consigned_value: int


@dataclass(frozen=True)
class ReorderItem:
    code: str
    name: str
    category: str
    on_hand: int
    price_wholesale: int


def reorder_at() -> int:
    return int(current_app.config.get("SHOWROOM_REORDER_AT", 2))


def stock_figures() -> StockFigures:
    value = func.sum(Product.on_hand * Product.price_wholesale)
    rows = [CategoryRow(cat or "", int(n), int(p or 0), int(v or 0)) for cat, n, p, v in
            db.session.execute(
                select(Product.category, func.count(), func.sum(Product.on_hand), value)
                .where(OURS, Product.on_hand > 0).group_by(Product.category)
                .order_by(Product.category)).tuples()]
    n, pieces, worth = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Product.on_hand), 0),
               func.coalesce(value, 0)).where(CONSIGNED, Product.on_hand > 0)).one()
    return StockFigures(rows=rows, pieces=sum(r.pieces for r in rows),
                        value=sum(r.value for r in rows), consigned_items=int(n),
                        consigned_pieces=int(pieces), consigned_value=int(worth))


def reorder_list(threshold: int | None = None, limit: int = 500) -> list[ReorderItem]:
    """Our products with `threshold` or fewer on hand (consigned goods are never reordered:
    they are not ours to buy), the emptiest first."""
    at = reorder_at() if threshold is None else threshold
    return [ReorderItem(*row) for row in db.session.execute(
        select(Product.code, Product.name, Product.category, Product.on_hand,
               Product.price_wholesale)
        .where(OURS, Product.on_hand <= at)
        .order_by(Product.on_hand, Product.code).limit(limit)).tuples()]
