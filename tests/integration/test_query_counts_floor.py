"""What the floor's busiest requests cost in SQL statements, as ceilings: a packing scan,
a picking scan, an API scan and a screen's poll (`make loadtest`: together about half of
the floor's requests). Each statement is a round trip on PostgreSQL and about half a
millisecond of ORM work on the shop's server, so a new one in these paths is a choice to
make on purpose: raise the ceiling here and say why (tests/load/inproc.py shows the cost).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factories
from sqlalchemy import event

from showroom.extensions import db
from showroom.orders.services import add_line, create_order
from showroom.settlement.services import PaymentIn, settle

HX = {"HX-Request": "true"}

# Statements per request, BEGIN included, on a warm session (staff member read once).
PACKING_SCAN = 14  # staff, lock, packing, product, lines, boxes, 3 writes, totals, in-box,
#                    short lines, signatures (+ BEGIN)
PICKING_SCAN = 10
API_ADD_LINE = 10  # token with its staff member in one read
SCREEN_POLL = 3  # BEGIN, the staff member, the rows


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _settled(app: Any, lines: int) -> tuple[int, list[str]]:
    with app.app_context():
        cust = factories.customer()
        prods = [factories.product(stock=20) for _ in range(lines)]
        order = factories.order_with_lines(cust.id, [(p, 3) for p in prods])
        settle(order.id, [PaymentIn("cash", order.total)], cashier_id=None)
        db.session.commit()
        return order.id, [p.barcode or "" for p in prods]


def test_a_packing_scan_stays_within_its_statements(app, client, login_as):
    login_as("packer")
    for lines in (3, 60):
        order_id, barcodes = _settled(app, lines)
        first = client.post(f"/packing/orders/{order_id}/scan", data={"barcode": barcodes[0]},
                            headers=HX)
        assert first.status_code == 200  # box 1's first piece: the whole boxes panel
        with counting(app) as seen:
            resp = client.post(f"/packing/orders/{order_id}/scan",
                               data={"barcode": barcodes[-1]}, headers=HX)
        assert resp.status_code == 200 and 'data-scan-result="ok"' in resp.get_data(as_text=True)
        assert len(seen) <= PACKING_SCAN, (lines, len(seen), seen)


def test_a_picking_scan_stays_within_its_statements(app, client, login_as):
    clerk = login_as("clerk")
    with app.app_context():
        cust = factories.customer()
        order = create_order(cust.id, clerk_id=clerk["id"])
        for _ in range(5):
            add_line(order.id, barcode=factories.product(stock=50).barcode)
        extra = factories.product(stock=50).barcode
        db.session.commit()
        order_id = order.id
    with counting(app) as seen:
        resp = client.post(f"/picking/orders/{order_id}/scan", data={"code": extra}, headers=HX)
    assert resp.status_code == 200
    assert len(seen) <= PICKING_SCAN, (len(seen), seen)


def test_an_api_scan_stays_within_its_statements(app, client, api_headers):
    headers = api_headers("clerk") | {"Prefer": "return=minimal"}
    with app.app_context():
        order = create_order(factories.customer().id)
        add_line(order.id, barcode=factories.product(stock=50).barcode)
        barcode = factories.product(stock=50).barcode
        db.session.commit()
        order_id = order.id
    with counting(app) as seen:
        resp = client.post(f"/api/v1/orders/{order_id}/lines", headers=headers,
                           json={"barcode": barcode})
    assert resp.status_code == 200
    assert len(seen) <= API_ADD_LINE, (len(seen), seen)


def test_a_screen_poll_reads_its_staff_member_once(app, client, login_as):
    login_as("cashier")
    with counting(app) as seen:
        resp = client.get("/cashier/queue-rows", headers=HX)
    assert resp.status_code == 200
    assert sum("FROM staff" in s for s in seen) == 1, seen
    assert len(seen) <= SCREEN_POLL, (len(seen), seen)


SETTLE_CUSTOMER_READS = 3  # the settlement's lock, then each ledger entry's (sale, payment)
SETTLE = 24  # was 28: one customer read fewer, the consignment reads skipped (no consigned
#            piece); the two print jobs and the idempotency record kept


def test_a_settlement_reads_its_customer_no_more_than_it_must(app, client, api_headers):
    """Cash and on account post a sale and a payment: the customer's row is locked once by
    the settlement and once by each ledger entry, and not read again after them."""
    from api_support import API, seed_world

    world = seed_world(app)
    cashier = api_headers("cashier")
    body = {"payments": [{"method": "cash", "amount": "60.00", "tendered": "100.00"},
                         {"method": "on_account", "amount": "41.00"}]}
    with counting(app) as seen:
        resp = client.post(f"{API}/orders/{world['awaiting']}/settle", headers=cashier,
                           json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    reads = [s for s in seen if "FROM customers\n" in s or "FROM customers " in s]
    assert len(reads) <= SETTLE_CUSTOMER_READS, reads
    assert sum(s.startswith("INSERT INTO ledger_entries") for s in seen) == 2
    assert len(seen) <= SETTLE, (len(seen), seen)
