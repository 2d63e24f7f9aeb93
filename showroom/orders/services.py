"""Building an order on the floor: lines by scan or code, quantities, removal, submit.

Every change locks the order row, checks the caller's version when one is given, and
bumps the version, so two clerks on one order never silently overwrite each other.
Adding a line touches only that line and the order's cached totals: its cost does
not grow with the order's size.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from showroom.catalog.models import Product
from showroom.catalog.services import clean_qty, find_product
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.errors import (
    Conflict,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.labels import label
from showroom.numbering import next_number
from showroom.orders.models import AWAITING, CHANNELS, OPEN, Order, OrderLine
from showroom.picking.models import RestockTask


def create_order(customer_id: int, *, channel: str = "showroom", visit_id: int | None = None,
                 clerk_id: int | None = None) -> Order:
    if channel not in CHANNELS:
        raise ValidationFailed(_("unknown channel"),
                               errors={"channel": _("one of %(choices)s", choices=", ".join(CHANNELS))})
    if db.session.get(Customer, customer_id) is None:
        raise ValidationFailed(_("unknown customer"), errors={"customer_id": _("no such customer")})
    if visit_id is not None:
        from showroom.reception.models import Visit

        if db.session.get(Visit, visit_id) is None:
            raise ValidationFailed(_("unknown visit"), errors={"visit_id": _("no such visit")})
    order = Order(number=next_number("order"), customer_id=customer_id, channel=channel,
                  visit_id=visit_id, clerk_id=clerk_id, status=OPEN, total=0, line_count=0,
                  version=1)
    db.session.add(order)
    db.session.flush()
    if channel == "online":  # answered the same working day (SPEC §5)
        from showroom.remote.services import set_due

        set_due(order)
    return order


# The statements every scan runs, built once: SQLAlchemy then skips building the
# expression and its cache key on each call (about half an ORM query's Python time).
_LOCK_ORDER = (select(Order).where(Order.id == bindparam("order_id")).with_for_update()
               .execution_options(populate_existing=True))  # fresh even if already loaded
_ACTIVE_LINE = select(OrderLine).where(OrderLine.order_id == bindparam("order_id"),
                                       OrderLine.product_id == bindparam("product_id"),
                                       OrderLine.removed_at.is_(None))
_CUSTOMER_KIND = select(Customer.kind).where(Customer.id == bindparam("customer_id"))
_PIECES = select(func.coalesce(func.sum(OrderLine.qty), 0)).where(
    OrderLine.order_id == bindparam("order_id"), OrderLine.removed_at.is_(None))


def lock_order(order_id: int, version: int | None = None) -> Order:
    """Row-lock the order (PostgreSQL; SQLite's write lock already serialises us)."""
    order = db.session.execute(_LOCK_ORDER, {"order_id": order_id}).scalar_one_or_none()
    if order is None:
        raise NotFound(_("no order %(id)s", id=order_id))
    if version is not None and version != order.version:
        raise StaleVersion(_(
            "order %(number)s was changed by someone else (version %(current)s, you had "
            "%(yours)s); reload and try again", number=order.number, current=order.version,
            yours=version))
    return order


def _editable(order: Order) -> None:
    if not order.editable:
        raise InvalidTransition(_("order %(number)s is %(status)s and can no longer change",
                                  number=order.number, status=label(order.status, "order_state")))


def _touch(order: Order, total_delta: int, count_delta: int) -> None:
    order.total += total_delta
    order.line_count += count_delta
    order.version += 1
    if order.status == AWAITING:
        order.transition(OPEN)  # a change sends it back to the clerk


def active_line(order_id: int, product_id: int) -> OrderLine | None:
    return db.session.scalar(_ACTIVE_LINE, {"order_id": order_id, "product_id": product_id})


def add_line(order_id: int, *, barcode: str | None = None, product_code: str | None = None,
             qty: object = 1, version: int | None = None) -> tuple[Order, OrderLine]:
    """Scan or type a code; a repeat adds to the same line. Price follows the customer's kind."""
    qty = clean_qty(qty)
    if barcode is not None and (not isinstance(barcode, str) or len(barcode) > 64):
        raise ValidationFailed(_("barcode must be text"),
                               errors={"barcode": _("at most %(n)s characters", n=64)})
    if product_code is not None and (not isinstance(product_code, str) or len(product_code) > 40):
        raise ValidationFailed(_("product code must be text"),
                               errors={"product_code": _("at most %(n)s", n=40)})
    order = lock_order(order_id, version)
    _editable(order)
    product = find_product(barcode=(barcode or "").strip() or None,
                           code=(product_code or "").strip() or None)
    line = active_line(order.id, product.id)
    wanted = qty + (line.qty if line else 0)
    if wanted > product.on_hand:
        raise InsufficientStock(_(
            "%(code)s %(name)s: only %(on_hand)s in stock, %(wanted)s wanted; record a wish "
            "instead", code=product.code, name=product.name, on_hand=product.on_hand,
            wanted=wanted))
    customer_kind = db.session.scalar(_CUSTOMER_KIND, {"customer_id": order.customer_id})
    if line is None:
        line = OrderLine(order_id=order.id, product_id=product.id, qty=qty,
                         unit_price=product.price_for(customer_kind or "wholesale"))
        line.product = product
        db.session.add(line)
        _touch(order, line.unit_price * qty, 1)
    else:
        line.qty += qty
        _touch(order, line.unit_price * qty, 0)
    db.session.flush()
    return order, line


def _unreturned(line: OrderLine) -> None:
    """A line with units already on a return slip is settled by that slip: changing it
    again would count the return twice."""
    if line.returned_qty:
        raise Conflict(_("%(returned)s of %(code)s already went back on a return slip; "
                         "scan it again to add more, or ask the cashier",
                         returned=line.returned_qty, code=line.product.code))


def _line(order: Order, line_id: int) -> OrderLine:
    line = db.session.get(OrderLine, line_id)
    if line is None or line.order_id != order.id or line.removed_at is not None:
        raise NotFound(_("no line %(id)s on order %(number)s", id=line_id, number=order.number))
    return line


def set_line_qty(order_id: int, line_id: int, qty: object, *, version: int | None = None,
                 staff_id: int | None = None) -> tuple[Order, OrderLine]:
    qty = clean_qty(qty)
    order = lock_order(order_id, version)
    _editable(order)
    line = _line(order, line_id)
    _unreturned(line)
    product = db.session.get(Product, line.product_id)
    assert product is not None
    if qty > product.on_hand:
        raise InsufficientStock(_("%(code)s: only %(on_hand)s in stock", code=product.code,
                                  on_hand=product.on_hand))
    if qty < line.qty:
        db.session.add(RestockTask(product_id=line.product_id, qty=line.qty - qty,
                                   order_id=order.id, created_by_id=staff_id))
    _touch(order, line.unit_price * (qty - line.qty), 0)
    line.qty = qty
    db.session.flush()
    return order, line


def remove_line(order_id: int, line_id: int, *, version: int | None = None,
                staff_id: int | None = None) -> Order:
    """The customer put it back: mark the line removed and ask for it to be reshelved."""
    order = lock_order(order_id, version)
    _editable(order)
    line = _line(order, line_id)
    _unreturned(line)
    line.removed_at = now_utc()
    db.session.add(RestockTask(product_id=line.product_id, qty=line.qty, order_id=order.id,
                               created_by_id=staff_id))
    _touch(order, -line.amount, -1)
    db.session.flush()
    return order


def submit(order_id: int, *, version: int | None = None) -> Order:
    order = lock_order(order_id, version)
    if order.status != OPEN:
        raise InvalidTransition(_("order %(number)s is %(status)s", number=order.number,
                                  status=label(order.status, "order_state")))
    if order.line_count == 0:
        raise InvalidTransition(_("order %(number)s has no lines", number=order.number))
    order.transition(AWAITING)
    order.submitted_at = now_utc()
    order.version += 1
    db.session.flush()
    return order


def order_lines(order_id: int) -> list[OrderLine]:
    """Active lines with their products, newest first: one query."""
    return list(db.session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id, OrderLine.removed_at.is_(None))
        .order_by(OrderLine.id.desc())
    ))


def recount_total(order_id: int) -> int:
    """Total from the lines themselves (for checks; the order caches it)."""
    value = db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.unit_price * (OrderLine.qty - OrderLine.returned_qty)), 0))
        .where(OrderLine.order_id == order_id, OrderLine.removed_at.is_(None))
    )
    return int(value or 0)


def pieces(order_id: int) -> int:
    """Units on the order's active lines (one query, whatever the order's size)."""
    value = db.session.scalar(_PIECES, {"order_id": order_id})
    return int(value or 0)
