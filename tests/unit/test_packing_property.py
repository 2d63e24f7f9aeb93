"""Property: whatever the packer does — scans (right, wrong, too many), hand ticks,
unticks, new boxes, box removals, cross-outs — no line is ever packed beyond what is
left to pack, the cached counts equal their ticks, and stock and ledger still add up.
Every refused step must leave the database exactly as it was."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from showroom.catalog.models import Product, StockMove
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.orders.models import OrderLine
from showroom.packing import crossout, services
from showroom.packing.models import Packing, PackingBox, PackingTick
from showroom.packing.queries import packing_view

scan = st.tuples(st.just("scan"), st.integers(0, 4), st.integers(0, 3))  # product, box pick
manual = st.tuples(st.just("manual"), st.integers(0, 3), st.integers(1, 4))
untick = st.tuples(st.just("untick"), st.integers(0, 3), st.integers(0, 3))
new_box = st.tuples(st.just("add_box"), st.just(0), st.just(0))
drop_box = st.tuples(st.just("remove_box"), st.just(0), st.integers(0, 3))
cross = st.tuples(st.just("cross"), st.integers(0, 3), st.integers(1, 3))
steps = st.lists(st.one_of(scan, scan, scan, manual, untick, new_box, drop_box, cross),
                 min_size=1, max_size=40)


def _apply(step: tuple[str, int, int], order_id: int, barcodes: list[str]) -> None:
    kind, a, b = step
    view = packing_view(services.get_order(order_id))
    lines = view.lines
    boxes = view.boxes
    box_id = boxes[b % len(boxes)].id if boxes and b else None
    if kind == "scan":
        services.scan(order_id, barcodes[a], box_id=box_id)
    elif kind == "manual":
        services.manual_tick(order_id, lines[a % len(lines)].id, reason="标签掉了", qty=b)
    elif kind == "untick":
        if boxes:
            services.untick(order_id, lines[a % len(lines)].id, box_id=boxes[b % len(boxes)].id)
    elif kind == "add_box":
        services.add_box(order_id)
    elif kind == "remove_box":
        if boxes:
            services.remove_empty_box(order_id, boxes[b % len(boxes)].id)
    elif kind == "cross":
        crossout.cross_out(order_id, [(lines[a % len(lines)].id, b)], handler_id=None,
                           manager_staff_no="7009", manager_pin="975310", customer_agreed=True)


def _state() -> tuple[Any, ...]:
    db.session.expire_all()
    return (tuple(db.session.execute(select(OrderLine.id, OrderLine.packed_qty,
                                            OrderLine.crossed_qty).order_by(OrderLine.id))),
            db.session.scalar(select(func.count(PackingTick.id))),
            tuple(db.session.execute(select(PackingBox.id, PackingBox.number, PackingBox.units)
                                     .order_by(PackingBox.id))),
            db.session.scalar(select(func.count(LedgerEntry.id))),
            db.session.scalar(select(func.count(StockMove.id))))


def _check(order_id: int) -> None:
    db.session.expire_all()
    lines = db.session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    ticks = dict(db.session.execute(select(PackingTick.order_line_id, func.sum(PackingTick.qty))
                                    .group_by(PackingTick.order_line_id)).all())
    for ln in lines:
        assert 0 <= ln.packed_qty <= ln.qty - ln.returned_qty - ln.crossed_qty
        assert ln.packed_qty == ticks.get(ln.id, 0)
    per_box = dict(db.session.execute(select(PackingTick.box_id, func.sum(PackingTick.qty))
                                      .group_by(PackingTick.box_id)).all())
    boxes = db.session.scalars(select(PackingBox).join(Packing)
                               .where(Packing.order_id == order_id)).all()
    for box in boxes:
        assert box.units == per_box.get(box.id, 0) >= 0
    live = sorted(b.number for b in boxes if b.number > 0)
    assert live == list(range(1, len(live) + 1))  # numbered 1..N, no gaps
    moves = dict(db.session.execute(select(StockMove.product_id, func.sum(StockMove.qty))
                                    .group_by(StockMove.product_id)).all())
    for prod in db.session.scalars(select(Product)):
        assert prod.on_hand == moves.get(prod.id, 0)
    for cust in db.session.scalars(select(Customer)):
        total = db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0))
                                  .where(LedgerEntry.customer_id == cust.id))
        assert cust.balance == total


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        factories.staff("manager", staff_no="7009", pin="975310")
        db.session.commit()
    return {}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=steps, qtys=st.lists(st.integers(1, 4), min_size=4, max_size=4))
def test_packed_never_exceeds_ordered(app: Any, world: dict[str, Any], ops: list[Any],
                                      qtys: list[int]) -> None:
    with app.app_context():
        cust = factories.customer()
        prods = [factories.product(stock=20) for _ in range(5)]
        order = factories.settled_order(cust.id, [(prods[i], qtys[i]) for i in range(4)])
        db.session.commit()
        barcodes = [p.barcode or "" for p in prods]  # the 5th is not on the order
        for step in ops:
            before = _state()
            try:
                _apply(step, order.id, barcodes)
                db.session.commit()
            except DomainError:
                db.session.rollback()
                assert _state() == before, f"a refused {step[0]} changed the database"
            _check(order.id)
        db.session.remove()
