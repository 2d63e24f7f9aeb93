"""Packed orders for the shipping tests, made without the packing services: an order
settled at the cashier, then a sealed Packing with its boxes and the order moved to
`packed` directly. Also a small rate table."""
from __future__ import annotations

from typing import Any

import factories

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import PACKED, Order
from showroom.packing.models import SEALED, Packing, PackingBox
from showroom.settlement.services import PaymentIn, settle
from showroom.shipping.rates import set_rate


def packed_order(*, customer: Any = None, boxes: int = 2, name: str | None = None,
                 region: str = "浙江 义乌", notice_lang: str = "zh", email: str = "",
                 preferred_carrier: str = "", qty: int = 3, price: int = 2_500) -> Order:
    """A settled order (paid in cash) packed into `boxes` sealed boxes (flushed)."""
    cust = customer or factories.customer(name=name)
    cust.region, cust.notice_lang, cust.email = region, notice_lang, email
    cust.preferred_carrier = preferred_carrier
    product = factories.product(wholesale=price, stock=qty + 10)
    order = factories.order_with_lines(cust.id, [(product, qty)])
    settle(order.id, [PaymentIn("cash", order.total)], cashier_id=None)
    packing = Packing(order_id=order.id, status=SEALED, mode="present", sealed_at=now_utc())
    db.session.add(packing)
    db.session.flush()
    db.session.add_all(PackingBox(packing_id=packing.id, number=n, units=1)
                       for n in range(1, boxes + 1))
    order.transition(PACKED)
    db.session.flush()
    return order


def demo_rates() -> None:
    """SF: ¥23 first kg, ¥8 each further kg, ¥2 a box, 1–2 days anywhere, ¥18/¥6 to 浙江;
    STO anywhere ¥12 + ¥4, 2–4 days."""
    set_rate(carrier="sf_express", destination="*", first_kg="23.00", per_kg="8.00",
             per_box="2.00", min_days=1, max_days=2)
    set_rate(carrier="sf_express", destination="浙江", first_kg="18.00", per_kg="6.00",
             per_box="0", min_days=1, max_days=1)
    set_rate(carrier="sto_express", destination="*", first_kg="12.00", per_kg="4.00",
             min_days=2, max_days=4)
