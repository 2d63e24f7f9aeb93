"""What a customer can still bring back (SPEC §6 "Returns by rule"): their sale lines of a
product, oldest first, with sold, already returned (dropped at the desk, crossed out at
packing, or taken back by an after-sales document), returnable, the price paid, the
channel and how the goods left. Also the packing ticks of those lines (the evidence when
"the goods differ from the order") and a franchisee's quota meter.

One indexed query per question, whatever the customer's history: the lines come by
(customer, product) through `orders.customer_id` and `order_lines(order_id, product_id)`,
the after-sales units by `aftersales_lines.order_line_id`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from showroom.aftersales.models import (
    AfterSalesDoc,
    AfterSalesLine,
    Delivery,
    FranchiseContract,
)
from showroom.aftersales.rules import Quota
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import local, now_utc, showroom_tz
from showroom.extensions import db
from showroom.orders.models import PACKED, SETTLED, SHIPPED, Order, OrderLine
from showroom.packing.models import PackingBox, PackingTick
from showroom.shipping.carriers import Carrier
from showroom.shipping.models import Shipment

SOLD = (SETTLED, PACKED, SHIPPED)
MAX_LINES = 200


@dataclass(frozen=True)
class ReturnableLine:
    line_id: int
    order_id: int
    order_number: str
    customer_id: int
    product_id: int
    product_code: str
    name: str
    sold_qty: int
    returned_qty: int
    unit_price: int
    channel: str
    delivery: str
    settled_at: datetime | None
    at_bench: bool = False  # settled, still being packed: the bench crosses out (×)

    @property
    def returnable_qty(self) -> int:
        """Sold − returned, never below zero; none while the order is still at the packing
        bench, where units not wanted are crossed out instead (one way back per unit)."""
        return 0 if self.at_bench else max(0, self.sold_qty - self.returned_qty)


def delivery_of(status: str, carrier: str | None) -> str:
    """How the goods left: by a carrier (shipped), with the customer (a shipment by the
    carrier `self_pickup`, or an order that left without a shipment record), or not yet
    (settled or packed, still in the showroom)."""
    if carrier is not None:
        return Delivery.SELF_PICKUP if carrier == Carrier.SELF_PICKUP else Delivery.SHIPPED
    return Delivery.SELF_PICKUP if status == SHIPPED else Delivery.UNSHIPPED


def _lines_query() -> Select[Any]:
    back = (select(func.coalesce(func.sum(AfterSalesLine.qty), 0))
            .where(AfterSalesLine.order_line_id == OrderLine.id).scalar_subquery())
    return (select(OrderLine.id, OrderLine.order_id, Order.number, Order.customer_id,
                   OrderLine.product_id, Product.code, Product.name, OrderLine.qty,
                   OrderLine.returned_qty + OrderLine.crossed_qty + back, OrderLine.unit_price,
                   Order.channel, Shipment.carrier, Order.settled_at, Order.status)
            .join(Order, Order.id == OrderLine.order_id)
            .join(Product, Product.id == OrderLine.product_id)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(Order.status.in_(SOLD), OrderLine.removed_at.is_(None)))


def _row(r: Any) -> ReturnableLine:
    (line_id, order_id, number, customer_id, product_id, code, name, qty, returned, price,
     channel, carrier, settled_at, status) = r
    return ReturnableLine(
        line_id=line_id, order_id=order_id, order_number=number, customer_id=customer_id,
        product_id=product_id, product_code=code, name=name, sold_qty=qty,
        returned_qty=int(returned), unit_price=price, channel=channel,
        delivery=delivery_of(status, carrier), settled_at=settled_at,
        at_bench=status == SETTLED)


def returnable_lines(customer_id: int, product_id: int) -> list[ReturnableLine]:
    """The customer's sale lines of the product, oldest sale first."""
    stmt = (_lines_query().where(Order.customer_id == customer_id,
                                 OrderLine.product_id == product_id)
            .order_by(Order.settled_at, OrderLine.id).limit(MAX_LINES))
    return [_row(r) for r in db.session.execute(stmt)]


def lines_by_id(line_ids: Iterable[int]) -> dict[int, ReturnableLine]:
    """The same facts for chosen lines (read again under the orders' locks)."""
    ids = sorted(set(line_ids))
    if not ids:
        return {}
    rows = db.session.execute(_lines_query().where(OrderLine.id.in_(ids)))
    return {line.line_id: line for line in map(_row, rows)}


@dataclass(frozen=True)
class TickRow:
    """One packing tick: who put how many of the line into which box, when, and how."""
    qty: int
    box: int
    method: str
    reason: str
    staff: str
    at: datetime


def packing_ticks(line_ids: Iterable[int]) -> dict[int, list[TickRow]]:
    ids = sorted(set(line_ids))
    out: dict[int, list[TickRow]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.session.execute(
        select(PackingTick.order_line_id, PackingTick.qty, PackingBox.number, PackingTick.method,
               PackingTick.reason, Staff.staff_no, Staff.name, PackingTick.created_at)
        .join(PackingBox, PackingBox.id == PackingTick.box_id)
        .outerjoin(Staff, Staff.id == PackingTick.staff_id)
        .where(PackingTick.order_line_id.in_(ids)).order_by(PackingTick.id))
    for line_id, qty, box, method, reason, staff_no, name, at in rows:
        who = f"{staff_no} {name}" if staff_no else "—"
        out[line_id].append(TickRow(qty, box, method, reason or "", who, at))
    return out


def today_local() -> date:
    return local(now_utc()).date()


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants of the showroom's local start of `start` and end of `end`."""
    tz = showroom_tz()
    lo = datetime.combine(start, time(), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return lo, hi


def contract_of(customer_id: int) -> FranchiseContract | None:
    return db.session.scalar(select(FranchiseContract)
                             .where(FranchiseContract.customer_id == customer_id))


def quota_of(customer_id: int) -> Quota | None:
    """The quota meter: bought (sale lines of orders settled in the period, at the prices
    paid, less units dropped or crossed out) and returned (after-sales documents of the
    period) — None without a contract."""
    contract = contract_of(customer_id)
    if contract is None:
        return None
    lo, hi = day_bounds(contract.starts_on, contract.ends_on)
    purchased = db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.unit_price * (
            OrderLine.qty - OrderLine.returned_qty - OrderLine.crossed_qty)), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.customer_id == customer_id, Order.status.in_(SOLD),
               OrderLine.removed_at.is_(None), Order.settled_at >= lo, Order.settled_at < hi))
    returned = db.session.scalar(
        select(func.coalesce(func.sum(AfterSalesDoc.quota_value), 0))
        .where(AfterSalesDoc.customer_id == customer_id, AfterSalesDoc.created_at >= lo,
               AfterSalesDoc.created_at < hi))
    return Quota(contract.starts_on, contract.ends_on, contract.ratio_bp, int(purchased or 0),
                 int(returned or 0))
