"""Builders for the consignment money tests: a consignor (a customer with a code) and
goods they leave with us, made directly (the intake side's `take_in` makes them the same
way: a Product owned by the consignor and a `consign_in` stock move)."""
from __future__ import annotations

import itertools

import factories

from showroom.catalog.models import Product
from showroom.catalog.services import move_stock
from showroom.consignment.models import Consignor
from showroom.extensions import db

_seq = itertools.count(1)


def consignor(name: str = "李秀英", *, share_bp: int = 8000, kind: str = "wholesale",
              debt: int = 0) -> Consignor:
    from showroom.customers.services import post_entry

    n = next(_seq)
    customer = factories.customer(name=name, kind=kind)
    c = Consignor(customer_id=customer.id, code=f"{'pf' if kind == 'wholesale' else 'jm'}"
                  f"{100 + n}{name[0]}", share_bp=share_bp, balance=0)
    db.session.add(c)
    db.session.flush()
    if debt:
        post_entry(customer.id, "sale", debt, ref="XS-OLD")
    return c


def consigned(c: Consignor, *, qty: int = 5, wholesale: int = 20_000, franchise: int = 18_000,
              consignor_price: int | None = None, name: str = "代销银手镯",
              category: str = "手镯") -> Product:
    n = next(_seq)
    p = Product(code=f"{c.code[:5]}-{n:03d}", barcode=f"{c.code[:5]}-{n:03d}",
                name=f"{name}{n}号", category=category, price_wholesale=wholesale,
                price_franchise=franchise, on_hand=0, consignor_id=c.id,
                consignor_price=consignor_price)
    db.session.add(p)
    db.session.flush()
    if qty:
        move_stock(p.id, qty, "consign_in", ref="DX-TEST")
        db.session.refresh(p)
    return p


def sell(buyer_id: int, items: list[tuple[Product, int]], *, on_account: bool = False):
    return factories.settled_order(buyer_id, items, on_account=on_account)
