"""Test data builders. They work in the current app context's session and flush."""
from __future__ import annotations

import itertools
from typing import Any

from showroom.auth.services import add_staff
from showroom.catalog.models import Area, Product
from showroom.catalog.services import move_stock
from showroom.customers.models import Customer
from showroom.customers.services import register_customer
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.orders.services import add_line, create_order, submit

_seq = itertools.count(1)


def staff(*roles: str, staff_no: str | None = None, name: str | None = None,
          pin: str = "246810") -> Any:
    n = next(_seq)  # 80001…: never one of make_staff's 9001… however long a worker runs
    return add_staff(staff_no or f"{80000 + n}", name or f"员工{n}", list(roles or ("clerk",)), pin)


def area(code: str | None = None, owner_id: int | None = None) -> Area:
    n = next(_seq)
    a = Area(code=code or f"A{n}", name=f"区域{n}", owner_id=owner_id)
    db.session.add(a)
    db.session.flush()
    return a


def product(*, code: str | None = None, barcode: str | None = None, name: str | None = None,
            wholesale: int = 1000, franchise: int = 900, stock: int = 100,
            care_note: str = "", area_id: int | None = None) -> Product:
    n = next(_seq)
    p = Product(code=code or f"P{n:05d}", barcode=barcode or f"69{n:011d}",
                name=name or f"925银手链{n}号", category="手链", price_wholesale=wholesale,
                price_franchise=franchise, care_note=care_note, material="925银",
                origin="广州", on_hand=0, area_id=area_id)
    db.session.add(p)
    db.session.flush()
    if stock:
        move_stock(p.id, stock, "receipt", ref="TEST")
        db.session.refresh(p)
    return p


def customer(*, name: str | None = None, phone: str | None = None, kind: str = "wholesale",
             address: str = "广东省广州市荔湾区华林路1号") -> Customer:
    n = next(_seq)
    c = register_customer(name=name or f"客户{n}", phone=phone or f"1380000{n:04d}", kind=kind)
    c.address = address
    db.session.flush()
    return c


def order_with_lines(customer_id: int, products: list[tuple[Product, int]],
                     *, submitted: bool = True) -> Order:
    order = create_order(customer_id)
    for prod, qty in products:
        add_line(order.id, barcode=prod.barcode, qty=qty)
    if submitted:
        submit(order.id)
    return order


def settled_order(customer_id: int, products: list[tuple[Product, int]], *,
                  on_account: bool = False) -> Order:
    """An order settled at the cashier (cash, or all on account), ready for the bench."""
    from showroom.settlement.services import PaymentIn, settle

    order = order_with_lines(customer_id, products)
    method = "on_account" if on_account else "cash"
    settle(order.id, [PaymentIn(method, order.total)], cashier_id=None)
    db.session.refresh(order)
    return order


def signature_png(width: int = 300, height: int = 100) -> bytes:
    """A customer's scrawl as the signature pad would send it."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.line([(10, 70), (60, 20), (110, 80), (170, 25), (260, 60)], fill="black", width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
