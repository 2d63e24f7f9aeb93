"""Reading a packing: lines with their packed counts, boxes with their contents, and
the queue of settled orders waiting at the bench. Reads only; no locks."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from showroom.catalog.models import Product
from showroom.extensions import db
from showroom.orders.models import SETTLED, Order, OrderLine
from showroom.packing.models import Packing, PackingBox, PackingTick
from showroom.remote.codes import PACKABLE


@dataclass
class BoxView:
    id: int
    number: int
    units: int
    contents: list[tuple[OrderLine, int]] = field(default_factory=list)  # (line, qty in box)


@dataclass
class PackingView:
    order: Order
    packing: Packing | None
    lines: list[OrderLine]
    boxes: list[BoxView]

    @property
    def to_pack(self) -> int:
        return sum(ln.to_pack for ln in self.lines)

    @property
    def packed(self) -> int:
        return sum(ln.packed_qty for ln in self.lines)

    @property
    def complete(self) -> bool:
        return all(ln.packed_qty == ln.to_pack for ln in self.lines)

    @property
    def signers(self) -> list[str]:
        return [s.staff.staff_no for s in self.packing.signatures] if self.packing else []


def active_lines(order_id: int) -> list[OrderLine]:
    """Lines still on the order (removed lines never reach the bench), first added first."""
    return list(db.session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id, OrderLine.removed_at.is_(None))
        .order_by(OrderLine.id)))


def find_packing(order_id: int) -> Packing | None:
    return db.session.scalar(select(Packing).where(Packing.order_id == order_id))


def box_contents(packing_id: int, lines: list[OrderLine]) -> list[BoxView]:
    """Every box with what is in it: one grouped query over the ticks."""
    boxes = list(db.session.scalars(
        select(PackingBox).where(PackingBox.packing_id == packing_id, PackingBox.number > 0)
        .order_by(PackingBox.number)))
    by_line = {ln.id: ln for ln in lines}
    views = {b.id: BoxView(b.id, b.number, b.units) for b in boxes}
    rows = db.session.execute(
        select(PackingTick.box_id, PackingTick.order_line_id, func.sum(PackingTick.qty))
        .where(PackingTick.packing_id == packing_id)
        .group_by(PackingTick.box_id, PackingTick.order_line_id)
        .order_by(PackingTick.box_id, func.min(PackingTick.id))).all()
    for box_id, line_id, qty in rows:
        if qty and line_id in by_line and box_id in views:
            views[box_id].contents.append((by_line[line_id], int(qty)))
    return list(views.values())


def packing_view(order: Order) -> PackingView:
    lines = active_lines(order.id)
    packing = find_packing(order.id)
    boxes = box_contents(packing.id, lines) if packing is not None else []
    return PackingView(order, packing, lines, boxes)


# Every scan's answer reads these: built once, so SQLAlchemy builds neither the
# expression nor its cache key per call (about half of a small query's Python time).
_TO_PACK = OrderLine.qty - OrderLine.returned_qty - OrderLine.crossed_qty
_SHORT = (OrderLine.order_id == bindparam("order_id"), OrderLine.removed_at.is_(None),
          OrderLine.packed_qty < _TO_PACK)
_SHORT_COUNT = select(func.count(OrderLine.id)).where(*_SHORT)
_SHORT_ROWS = (select(Product.code, OrderLine.packed_qty, _TO_PACK)
               .join(Product, Product.id == OrderLine.product_id).where(*_SHORT)
               .order_by(OrderLine.id).limit(bindparam("first")))
_TOTALS = select(
    func.coalesce(func.sum(OrderLine.packed_qty), 0), func.coalesce(func.sum(_TO_PACK), 0),
    func.count(OrderLine.id).filter(_TO_PACK > 0, OrderLine.packed_qty == _TO_PACK),
    func.count(OrderLine.id).filter(OrderLine.packed_qty < _TO_PACK),
    func.count(OrderLine.id)).where(OrderLine.order_id == bindparam("order_id"),
                                    OrderLine.removed_at.is_(None))
_BOX_TABS = select(PackingBox).where(PackingBox.packing_id == bindparam("packing_id"),
                                     PackingBox.number > 0).order_by(PackingBox.number)
_IN_BOX = select(func.coalesce(func.sum(PackingTick.qty), 0)).where(
    PackingTick.box_id == bindparam("box_id"), PackingTick.order_line_id == bindparam("line_id"))


def short_lines(order_id: int, first: int = 5, count: int | None = None
                ) -> tuple[int, list[tuple[str, int, int]]]:
    """How many lines are not fully ticked (unless the caller knows), and the first few
    (code, packed, to pack): indexed queries, whatever the order's size."""
    if count is None:
        count = db.session.scalar(_SHORT_COUNT, {"order_id": order_id}) or 0
    rows = db.session.execute(_SHORT_ROWS, {"order_id": order_id, "first": first}
                              ).all() if count else []
    return int(count), [(str(c), int(p), int(t)) for c, p, t in rows]


@dataclass(frozen=True)
class Totals:
    """The order's packing in figures: pieces packed / to pack, lines done / short / all."""

    packed: int
    to_pack: int
    done: int
    short: int
    lines: int


def totals(order_id: int) -> Totals:
    """One aggregate query over the order's lines (indexed by order), whatever its size."""
    packed, want, done, short, n = db.session.execute(_TOTALS, {"order_id": order_id}).one()
    return Totals(int(packed), int(want), int(done or 0), int(short or 0), int(n or 0))


def box_tabs(packing_id: int) -> list[BoxView]:
    """The boxes with their unit counts only (no contents): the tabs above the boxes."""
    boxes = db.session.scalars(_BOX_TABS, {"packing_id": packing_id})
    return [BoxView(b.id, b.number, b.units) for b in boxes]


def in_box(box_id: int, line_id: int) -> int:
    return int(db.session.scalar(_IN_BOX, {"box_id": box_id, "line_id": line_id}) or 0)


def packing_queue(limit: int = 100) -> list[tuple[Order, Packing | None]]:
    """Settled orders not yet sealed, oldest settlement first; with their packing if begun.
    A remote order waiting for its remittance (showroom.remote.remit) is not offered."""
    rows = db.session.execute(
        select(Order, Packing).outerjoin(Packing, Packing.order_id == Order.id)
        .options(joinedload(Order.customer))
        .where(Order.status == SETTLED, Order.remit_status.in_(PACKABLE))
        .order_by(Order.settled_at).limit(limit)).all()
    return [(o, p) for o, p in rows]
