"""Stock receipt by scanning (入库): the draft the manager scans into, and after the
receipt, the customers waiting for what arrived.

The draft lives in the screen's form (product codes and quantities), so nothing is
written until "Finish" makes one numbered receipt through `receive_stock`. Each scan
adds one of the product (or the typed quantity) to its line; an unknown barcode adds
nothing and says so. After the receipt, the open wishes (缺货登记) for the products it
brought are listed at once, oldest first, each to be marked notified.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from showroom import text_rule
from showroom.auth.models import Staff
from showroom.catalog.models import Product, StockMove, StockReceipt
from showroom.catalog.services import MAX_QTY, find_product
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.picking.models import Wish
from showroom.validation import small_int

MAX_LINES = 200


@dataclass
class DraftLine:
    code: str
    name: str
    barcode: str | None
    qty: int
    on_hand: int


def _qty(text: str | None, field: str, errors: dict[str, str], default: int = 1) -> int:
    if not (text or "").strip():
        return default
    value = small_int(text)
    if value is None:
        errors[field] = _("whole number")
    elif value < 1:
        errors[field] = _("at least 1")
    elif value > MAX_QTY:
        errors[field] = _("at most %(n)s", n=MAX_QTY)
    return value or 0


def read_draft(pairs: Sequence[tuple[str, str]]) -> list[DraftLine]:
    """The draft's lines from the form's (code, qty) pairs; every bad quantity is named
    (`qty-<code>`), a product no longer in the catalog too."""
    errors: dict[str, str] = {}
    wanted: dict[str, int] = {}
    for code, qty in pairs[:MAX_LINES + 1]:
        code = (code or "").strip()[:40]
        if not code or text_rule.problem(code) is not None:
            continue
        wanted[code] = wanted.get(code, 0) + _qty(qty, f"qty-{code}", errors, default=0)
        if not (qty or "").strip():
            errors[f"qty-{code}"] = _("at least 1")
    if len(wanted) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)s products on one receipt.", n=MAX_LINES),
                               errors={"lines": _("too many")})
    products = {p.code: p for p in db.session.scalars(
        select(Product).where(Product.code.in_(list(wanted))))} if wanted else {}
    lines = []
    for code, count in wanted.items():
        product = products.get(code)
        if product is None:
            errors[f"qty-{code}"] = _("no product with code %(code)s", code=code)
            lines.append(DraftLine(code, "", None, count, 0))
        else:
            lines.append(DraftLine(code, product.name, product.barcode, count,
                                   product.on_hand))
    if errors:
        raise DraftRefused(_("Please correct the marked quantities."), errors=errors,
                           lines=lines)
    return lines


class DraftRefused(ValidationFailed):
    """A draft with a bad line: the lines as read, to show them again with the marks."""

    def __init__(self, message: str, *, errors: dict[str, str],
                 lines: list[DraftLine]) -> None:
        super().__init__(message, errors=errors)
        self.lines = lines


def add_scan(lines: list[DraftLine], scan: str, qty_text: str | None) -> list[DraftLine]:
    """One scan: +1 (or the typed quantity) on the product's line, a new line if it has
    none. An unknown barcode or code adds nothing."""
    scan = (scan or "").strip()
    errors: dict[str, str] = {}
    qty = _qty(qty_text, "scan_qty", errors)
    if errors:
        raise DraftRefused(_("The quantity must be a whole number from 1 to %(n)s.", n=MAX_QTY),
                           errors=errors, lines=lines)
    if len(scan) > 64 or text_rule.problem(scan) is not None:
        raise DraftRefused(_("Unknown barcode: nothing added."),
                           errors={"scan": _("not a barcode")}, lines=lines)
    try:
        product = find_product(barcode=scan)
    except NotFound:
        raise DraftRefused(_("Unknown barcode %(barcode)s: nothing added.", barcode=scan),
                           errors={"scan": _("unknown barcode")}, lines=lines) from None
    for line in lines:
        if line.code == product.code:
            if line.qty + qty > MAX_QTY:
                raise DraftRefused(_("The quantity must be a whole number from 1 to %(n)s.",
                                     n=MAX_QTY), errors={"scan_qty": _("too many")},
                                   lines=lines)
            line.qty += qty
            return lines
    if len(lines) >= MAX_LINES:
        raise DraftRefused(_("At most %(n)s products on one receipt.", n=MAX_LINES),
                           errors={"scan": _("too many")}, lines=lines)
    return [*lines, DraftLine(product.code, product.name, product.barcode, qty,
                              product.on_hand)]


@dataclass
class ReceivedLine:
    product: Product
    qty: int


def receipt_lines(receipt: StockReceipt) -> list[ReceivedLine]:
    rows = db.session.execute(
        select(StockMove.product_id, func.sum(StockMove.qty))
        .where(StockMove.receipt_id == receipt.id).group_by(StockMove.product_id)
        .order_by(func.min(StockMove.id))).tuples().all()
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_([pid for pid, _q in rows])))}
    return [ReceivedLine(products[pid], int(qty)) for pid, qty in rows]


@dataclass
class WaitingWish:
    wish: Wish
    clerk: str
    created_at: datetime


def waiting_wishes(receipt: StockReceipt) -> list[WaitingWish]:
    """Open wishes for the products this receipt brought in, oldest first."""
    product_ids = select(StockMove.product_id).where(StockMove.receipt_id == receipt.id)
    wishes = list(db.session.scalars(
        select(Wish).options(joinedload(Wish.customer), joinedload(Wish.product))
        .where(Wish.notified_at.is_(None), Wish.product_id.in_(product_ids))
        .order_by(Wish.created_at, Wish.id)))
    staff_ids = {w.staff_id for w in wishes if w.staff_id}
    names = dict(db.session.execute(select(Staff.id, Staff.name)
                                    .where(Staff.id.in_(staff_ids))).tuples().all()
                 ) if staff_ids else {}
    return [WaitingWish(w, names.get(w.staff_id or 0, ""), w.created_at) for w in wishes]


def notified_in(receipt: StockReceipt) -> list[Wish]:
    """Wishes for this receipt's products marked notified since the receipt was made."""
    product_ids = select(StockMove.product_id).where(StockMove.receipt_id == receipt.id)
    return list(db.session.scalars(
        select(Wish).options(joinedload(Wish.customer), joinedload(Wish.product))
        .where(Wish.notified_at >= receipt.created_at, Wish.product_id.in_(product_ids))
        .order_by(Wish.notified_at, Wish.id)))


def wish_of_receipt(receipt: StockReceipt, wish_id: int) -> Wish:
    """The wish, if it waits for a product of this receipt (a button on its page)."""
    wish = db.session.get(Wish, wish_id)
    product_ids = set(db.session.scalars(
        select(StockMove.product_id).where(StockMove.receipt_id == receipt.id)))
    if wish is None or wish.product_id not in product_ids:
        raise NotFound(_("no wish %(id)s", id=wish_id))
    return wish
