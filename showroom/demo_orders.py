"""Demo orders for the packing bench and the shipping desk, so `make run` shows work
waiting there: three settled orders to count and pack (one of them for a customer at
the showroom today), and one order packed and sealed, waiting for its carrier.

Built through the real services (order, settle, scan, sign, seal), so every ledger
entry, stock move and print job is what the floor would have made.
"""
from __future__ import annotations

import random

from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.orders.services import add_line, create_order, submit
from showroom.packing.queries import active_lines
from showroom.packing.services import add_box, scan
from showroom.packing.signoff import seal
from showroom.settlement.services import PaymentIn, settle

ORDER_SIZES = (5, 8, 3)


def _order(rng: random.Random, customer: Customer, products: list[Product], lines: int,
           cashier_id: int, on_account: bool) -> int:
    order = create_order(customer.id)
    for product in rng.sample(products, lines):
        add_line(order.id, barcode=product.barcode, qty=rng.choice((1, 1, 2, 3)))
    submit(order.id)
    db.session.refresh(order)
    pays = [PaymentIn("on_account", order.total)] if on_account else [
        PaymentIn("wechat", order.total)]
    settle(order.id, pays, cashier_id=cashier_id, station="cashier-1")
    return order.id


def seed_bench_orders(rng: random.Random, staff: dict[str, Staff]) -> tuple[int, int]:
    """(orders waiting at the bench, orders waiting to ship). The sealed order's
    sign-offs are written directly: demo PINs are not known to the seed's caller."""
    from showroom.packing.models import PackingSignature
    from showroom.packing.queries import find_packing

    products = list(db.session.scalars(select(Product).where(
        Product.on_hand >= 10, Product.barcode.is_not(None)).order_by(Product.id).limit(120)))
    customers = list(db.session.scalars(select(Customer).where(Customer.address != "")
                                        .order_by(Customer.id).limit(10)))
    if len(products) < 10 or len(customers) < 4:
        return 0, 0
    cashier, packer = staff["1005"].id, staff["1006"].id
    for i, size in enumerate(ORDER_SIZES):
        _order(rng, customers[i], products, size, cashier, on_account=i == 1)
    shipped = _order(rng, customers[3], products, 4, cashier, on_account=False)
    lines = active_lines(shipped)
    for n, line in enumerate(lines):
        if n == 2:
            add_box(shipped, staff_id=packer)
        for _ in range(line.to_pack):
            scan(shipped, line.product.barcode or "", staff_id=packer, station="pack-1")
    packing = find_packing(shipped)
    assert packing is not None
    db.session.add_all(PackingSignature(packing_id=packing.id, staff_id=staff[no].id)
                       for no in ("1006", "1007"))
    db.session.flush()
    db.session.expire(packing, ["signatures"])
    seal(shipped, "absent", staff_id=packer, station="pack-1")
    return len(ORDER_SIZES), 1
