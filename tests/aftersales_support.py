"""Builders for the after-sales tests: orders that left the showroom in each way (picked
up, shipped by a carrier with their packing ticks, not shipped yet), franchise contracts,
and the money / stock invariants the return documents must keep."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factories
from sqlalchemy import func, select

from showroom.aftersales.contracts import set_contract
from showroom.aftersales.requests import ReturnRequest
from showroom.catalog.models import Product, StockMove
from showroom.clock import now_utc
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.money_desk.approval import ManagerApproval
from showroom.orders.models import PACKED, SHIPPED, Order, OrderLine
from showroom.orders.services import create_order
from showroom.packing.models import PACKING_MOVES, SEALED, Packing
from showroom.packing.services import scan
from showroom.remote.codes import REMIT_MOVES, RemitStatus
from showroom.shipping.models import Shipment


def sold(customer_id: int, items: list[tuple[Product, int]], *, how: str = "shipped",
         packer_id: int | None = None, days_ago: int = 0) -> Order:
    """A settled order of `items` that left as `how`, each unit scanned into a box first:
    "shipped" (handed to SF Express), "self_pickup" (a shipment by the carrier
    self_pickup: the customer took it), "left" (shipped status without a shipment record:
    left with the customer), "unshipped" (a video order packed and sealed, waiting at the
    shipping desk), or "at_bench" (settled, not packed yet: the bench crosses out)."""
    if how in ("unshipped", "at_bench"):
        from showroom.orders.services import add_line, submit
        from showroom.settlement.services import PaymentIn, settle

        order = create_order(customer_id, channel="video")
        for prod, qty in items:
            add_line(order.id, barcode=prod.barcode, qty=qty)
        submit(order.id)
        settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
        if order.remit_status == RemitStatus.AWAITING:
            # a video order on account waits for the remittance before the bench takes it
            # (tests/integration/test_remote_*.py); here the money has come in
            REMIT_MOVES.check(order.remit_status, RemitStatus.RECEIVED)
            order.remit_status = RemitStatus.RECEIVED
    else:
        order = factories.settled_order(customer_id, items, on_account=True)
    if days_ago:
        order.settled_at = now_utc() - timedelta(days=days_ago)
    if how == "at_bench":
        db.session.flush()
        return order
    for prod, qty in items:
        for _ in range(qty):
            scan(order.id, prod.barcode or prod.code, staff_id=packer_id)
    packing = db.session.scalar(select(Packing).where(Packing.order_id == order.id))
    if packing is not None:  # counted and sealed (the sign-offs are the bench's own tests)
        PACKING_MOVES.move(packing, SEALED)
        packing.mode, packing.sealed_at = "absent", now_utc()
    db.session.refresh(order)
    order.transition(PACKED)
    if how != "unshipped":
        order.transition(SHIPPED)
    if how in ("shipped", "self_pickup"):
        carrier = "sf_express" if how == "shipped" else "self_pickup"
        db.session.add(Shipment(number=f"FH-T-{order.id:05d}", order_id=order.id,
                                customer_id=customer_id, carrier=carrier,
                                waybill="SF1234567890" if how == "shipped" else "",
                                boxes=1, fee=0, staff_id=packer_id))
    db.session.flush()
    return order


def line_of(order: Order, product: Product) -> OrderLine:
    line = db.session.scalar(select(OrderLine).where(OrderLine.order_id == order.id,
                                                     OrderLine.product_id == product.id))
    assert line is not None
    return line


def contract(customer_id: int, ratio_bp: int, *, days: int = 365) -> None:
    today = date.today()
    set_contract(customer_id, today - timedelta(days=days), today + timedelta(days=days),
                 ratio_bp, staff_id=None)


def request(customer_id: int, lines: list[tuple[int, int]], *, kind: str = "return",
            reason: str = "quality", confirmed: bool = True,
            replacements: list[tuple[str, int]] | None = None,
            override: tuple[str, str, str] | None = None) -> ReturnRequest:
    return ReturnRequest(customer_id=customer_id, kind=kind, reason=reason,
                         quality_confirmed=confirmed, lines=tuple(lines),
                         replacements=tuple(replacements or ()),
                         override=ManagerApproval(*override) if override else None)


def stock_mismatches() -> list[str]:
    """Products whose on-hand differs from the sum of their stock moves."""
    moves = dict(db.session.execute(select(StockMove.product_id, func.sum(StockMove.qty))
                                    .group_by(StockMove.product_id)).tuples().all())
    return [p.code for p in db.session.scalars(select(Product))
            if p.on_hand != (moves.get(p.id) or 0)]


def balance_mismatches() -> list[str]:
    sums = dict(db.session.execute(select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount))
                                   .group_by(LedgerEntry.customer_id)).tuples().all())
    return [c.code for c in db.session.scalars(select(Customer))
            if c.balance != (sums.get(c.id) or 0)]


def entries_for(ref: str) -> list[Any]:
    return list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.ref == ref)))
