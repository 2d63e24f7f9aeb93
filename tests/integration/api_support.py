"""Helpers for the API tests: a seeded little world, database snapshots, problem checks."""
from __future__ import annotations

from typing import Any

import factories
from sqlalchemy import func, select

from showroom.catalog.models import Product
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.orders.services import add_line, create_order, order_lines
from showroom.printjobs.models import PrintJob
from showroom.reception.services import start_visit
from showroom.settlement.services import PaymentIn, settle

API = "/api/v1"


def seed_world(app: Any) -> dict[str, Any]:
    """Customers, products, orders in every state, a visit with a locker, an on-duty clerk,
    print jobs. Returns plain ids / codes (committed)."""
    with app.app_context():
        cust = factories.customer(name="王丽")
        other = factories.customer(name="李强")
        p1 = factories.product(code="SL-0001", barcode="6900000000011", wholesale=12_000,
                               franchise=11_000, stock=10)
        p2 = factories.product(code="SL-0002", barcode="6900000000028", wholesale=5_050,
                               stock=5)
        p_none = factories.product(code="SL-0003", barcode="6900000000035", stock=0)
        open_order = create_order(cust.id)
        _o, open_line = add_line(open_order.id, barcode=p1.barcode, qty=2)
        empty_order = create_order(cust.id)
        awaiting = factories.order_with_lines(cust.id, [(p2, 2)])
        awaiting_line = order_lines(awaiting.id)[0].id
        settled = factories.order_with_lines(cust.id, [(p1, 1)])
        settle(settled.id, [PaymentIn("cash", settled.total)], cashier_id=None)
        visit = start_visit(cust.id, locker_no="L1")
        clerk = factories.staff("clerk")
        job_id = db.session.scalar(select(func.max(PrintJob.id)))
        db.session.commit()
        return {
            "customer": cust.id, "other_customer": other.id,
            "p1": p1.code, "p1_barcode": p1.barcode, "p2": p2.code, "p_none": p_none.code,
            "open": open_order.id, "open_line": open_line.id, "open_version": open_order.version,
            "empty": empty_order.id, "awaiting": awaiting.id, "awaiting_line": awaiting_line,
            "awaiting_total": awaiting.total, "settled": settled.id, "visit": visit.id,
            "clerk_no": clerk.staff_no, "job": job_id,
        }


def snapshot(app: Any) -> dict[str, Any]:
    """Row counts of every table, every customer's balance, every product's on-hand."""
    with app.app_context():
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
                  for t in db.metadata.sorted_tables}
        balances = dict(db.session.execute(select(Customer.id, Customer.balance)).tuples().all())
        stock = dict(db.session.execute(select(Product.code, Product.on_hand)).tuples().all())
        db.session.rollback()
        return {"counts": counts, "balances": balances, "stock": stock}


def assert_problem(resp: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """A problem+json body with the status, a title and a detail a person can act on."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json", resp.mimetype
    body = resp.get_json(force=True)
    assert body["status"] == status
    assert body["type"] and body["title"]
    assert isinstance(body["detail"], str) and len(body["detail"]) >= 8, body
    if field is not None:
        assert field in body.get("errors", {}), body
        assert body["errors"][field]
    return dict(body)


def order_json(client: Any, headers: dict[str, str], order_id: int) -> dict[str, Any]:
    resp = client.get(f"{API}/orders/{order_id}", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return dict(resp.get_json())
