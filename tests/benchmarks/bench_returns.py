"""Returnable lines (SPEC §6): a customer with 10,000 past sale lines scans an item and
sees their sale lines of it, oldest first, with sold / already returned / returnable, the
price paid and how the goods left (target p95 ≤ 20 ms), through the service
(`returnable_lines`) and `GET /api/v1/customers/{id}/returnable?barcode=`.

The heavy customer is added to the working copy here: 250 settled orders of 40 lines over
two years, drawn from 400 products (so a product comes back in ~25 of their lines), all
gone (a third shipped by a carrier, the rest picked up), and after-sales documents taking back a unit of
every tenth line. Only reads are timed; no stock or ledger figure changes.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness import Result, measure
from sqlalchemy import func, insert, select
from world import World

from showroom.aftersales.models import AfterSalesDoc, AfterSalesLine
from showroom.aftersales.returnable import returnable_lines
from showroom.catalog.models import Product
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine
from showroom.shipping.models import Shipment

TARGET_MS = 20.0
WARMUP = 5
ORDERS, LINES_EACH, POOL = 250, 40, 400


def heavy_customer(world: World) -> tuple[int, list[str]]:
    """A new customer with ORDERS × LINES_EACH past lines; the barcodes they bought."""
    rng = world.rng
    with world.ctx():
        ids = sorted({world.rng.randint(1, world.n_products) for _ in range(POOL * 2)})[:POOL]
        pool = db.session.execute(select(Product.id, Product.barcode, Product.price_wholesale)
                                  .where(Product.id.in_(ids))).all()
        cid = db.session.execute(insert(Customer).values(
            code="KBENCHRET", name="十年老客户", phone="13900000000", kind="wholesale",
            address="浙江省义乌市", region="", balance=0,
            created_at=datetime.now(UTC) - timedelta(days=800)).returning(Customer.id)).scalar_one()
        first = (db.session.scalar(select(func.max(Order.id))) or 0) + 1
        start = datetime.now(UTC) - timedelta(days=730)
        orders, lines, ships = [], [], []
        for n in range(ORDERS):
            oid = first + n
            at = start + timedelta(days=730 * n / ORDERS, minutes=rng.randint(0, 600))
            picked = rng.sample(pool, LINES_EACH)
            total = 0
            for pid, _barcode, price in picked:
                qty = rng.choice((1, 2, 3, 5))
                total += qty * price
                lines.append({"order_id": oid, "product_id": pid, "qty": qty, "unit_price": price,
                              "returned_qty": 0, "crossed_qty": 0, "packed_qty": 0,
                              "added_at": at, "note": ""})
            orders.append({"id": oid, "number": f"XS-BENCH-{n:05d}", "customer_id": cid,
                           "channel": "showroom" if n % 3 else "video", "status": "shipped",
                           "total": total, "line_count": LINES_EACH, "version": 1,
                           "created_at": at, "submitted_at": at, "settled_at": at})
            if n % 3 == 0:
                ships.append({"number": f"FH-BENCH-{n:05d}", "order_id": oid, "customer_id": cid,
                              "carrier": "sf_express", "waybill": f"SF{n:010d}", "boxes": 1,
                              "fee": 0, "fee_payer": "customer", "shipped_at": at,
                              "notice_lang": "zh", "notice_text": "", "note": "",
                              "created_at": at})
        db.session.execute(insert(Order), orders)
        db.session.execute(insert(OrderLine), lines)
        db.session.execute(insert(Shipment), ships)
        line_rows = db.session.execute(select(OrderLine.id, OrderLine.order_id,
                                              OrderLine.product_id, OrderLine.unit_price)
                                       .join(Order).where(Order.customer_id == cid)).all()
        doc_id = db.session.execute(insert(AfterSalesDoc).values(
            number="TH-BENCH-00001", kind="return", customer_id=cid, reason="quality",
            quality_confirmed=True, note="", credit=0, replacement_total=0, quota_value=0,
            rule="remote_exchange", allowed=True, reasons="", override_reason="",
            balance_after=0, station="", created_at=datetime.now(UTC))
            .returning(AfterSalesDoc.id)).scalar_one()
        db.session.execute(insert(AfterSalesLine), [
            {"doc_id": doc_id, "order_line_id": lid, "order_id": oid, "product_id": pid,
             "qty": 1, "unit_price": price} for lid, oid, pid, price in line_rows[::10]])
        db.session.commit()
        assert len(line_rows) == ORDERS * LINES_EACH
        return cid, [barcode for _pid, barcode, _price in pool]


def run(world: World, reps: int) -> list[Result]:
    cid, barcodes = heavy_customer(world)
    with world.ctx():
        product_of = dict(db.session.execute(select(Product.barcode, Product.id)
                                             .where(Product.barcode.in_(barcodes))).tuples().all())
    picks = [barcodes[world.rng.randrange(len(barcodes))] for _ in range(reps + WARMUP)]
    out = []
    service = Result("returnable lines, customer with 10,000 lines", "service",
                     target_p95=TARGET_MS)
    counts: list[int] = []
    with world.app.app_context():
        measure(service, reps, lambda i: product_of[picks[i]],
                lambda pid: _service(cid, pid, counts), warmup=WARMUP)
        db.session.remove()
    service.note = (f"{ORDERS * LINES_EACH:,} lines in {ORDERS} orders; "
                    f"{sum(counts) / max(1, len(counts)):.0f} candidate lines a scan on average")
    out.append(service)
    api = Result("returnable lines, customer with 10,000 lines", "api", target_p95=TARGET_MS)
    measure(api, reps, lambda i: picks[i], lambda b: _api(world, cid, b), warmup=WARMUP)
    out.append(api)
    return out


def _service(cid: int, pid: int, counts: list[int]) -> Any:
    lines = returnable_lines(cid, pid)
    assert lines, "the heavy customer bought every product of the pool"
    counts.append(len(lines))
    db.session.rollback()


def _api(world: World, cid: int, barcode: str) -> Any:
    resp = world.api.get(f"/api/v1/customers/{cid}/returnable?barcode={barcode}",
                         headers=world.cashier_headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.get_json()["items"]
