"""Consignor money (SPEC §7): the statement of a consignor with 5,000 sold lines in the
period (target p95 ≤ 300 ms), through the service (`build` + the PDF snapshot + the
WeChat text) and `GET /api/v1/consignors/{id}/statement`; and a payout (target p95 ≤
30 ms) through the service (`make_payout` + commit, slip queued) and `POST
/api/v1/consignors/{id}/payouts` with an Idempotency-Key.

The consignor is added to the working copy here: a customer, 200 consigned products and
5,000 sale entries on their ledger over the last four days (payable = Σ entries, running
balances true), so the ledger check at the end still agrees.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import Result, measure
from sqlalchemy import insert, select
from world import World

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.consignment import statement as st
from showroom.consignment.models import Consignor, ConsignorEntry
from showroom.consignment.payouts import PayoutIn, make_payout
from showroom.customers.models import Customer
from showroom.extensions import db

STATEMENT_MS, PAYOUT_MS = 300.0, 30.0
WARMUP = 5
SOLD, PRODUCTS = 5_000, 200


def heavy_consignor(world: World) -> tuple[int, st.Period]:
    rng = world.rng
    now = datetime.now(UTC)
    with world.ctx():
        cid = db.session.execute(insert(Customer).values(
            code="KBENCHDX", name="李代销", phone="13900000001", kind="wholesale",
            address="广东省广州市", region="", balance=0, created_at=now - timedelta(days=400))
            .returning(Customer.id)).scalar_one()
        consignor = db.session.execute(insert(Consignor).values(
            customer_id=cid, code="pf999李", share_bp=8000, balance=0, created_at=now)
            .returning(Consignor.id)).scalar_one()
        db.session.execute(insert(Product), [
            {"code": f"pf999-{n:03d}", "barcode": f"pf999-{n:03d}", "name": f"代销银饰{n}号",
             "category": "代销", "price_wholesale": 20_000, "price_franchise": 18_000,
             "on_hand": 0, "consignor_id": consignor, "care_note": "", "material": "",
             "origin": "", "created_at": now - timedelta(days=30)} for n in range(PRODUCTS)])
        pids = db.session.scalars(select(Product.id).where(
            Product.consignor_id == consignor)).all()
        rows, balance = [], 0
        stamps = sorted(now - timedelta(minutes=rng.randint(5, 4 * 24 * 60))
                        for _ in range(SOLD))
        for n, at in enumerate(stamps):
            qty = rng.choice((1, 1, 2, 3))
            balance += 16_000 * qty
            rows.append({"consignor_id": consignor, "kind": "sale", "amount": 16_000 * qty,
                         "balance_after": balance, "product_id": rng.choice(pids), "qty": qty,
                         "source_key": f"bench-sale:{n}", "ref": f"XS-BENCH-DX{n:05d}",
                         "note": "", "created_at": at})
        db.session.execute(insert(ConsignorEntry), rows)
        db.session.execute(Consignor.__table__.update().where(Consignor.id == consignor)
                           .values(balance=balance))
        db.session.commit()
    today = now.date()
    return consignor, st.Period(today - timedelta(days=5), today + timedelta(days=1))


def run(world: World, reps: int) -> list[Result]:
    cid, period = heavy_consignor(world)
    out = []
    reps_statement = max(5, reps // 4)
    service = Result("consignor statement, 5,000 sold lines", "service",
                     target_p95=STATEMENT_MS)
    with world.app.app_context():
        measure(service, reps_statement, lambda i: period, lambda p: _statement(cid, p),
                warmup=2)
        db.session.remove()
    out.append(service)
    api = Result("consignor statement, 5,000 sold lines", "api", target_p95=STATEMENT_MS)
    query = f"from={period.start.isoformat()}&to={period.end.isoformat()}"
    measure(api, reps_statement, lambda i: query, lambda q: _statement_api(world, cid, q),
            warmup=2)
    out.append(api)
    with world.ctx():
        manager_id = db.session.scalar(select(Staff.id).where(
            Staff.staff_no == world.meta["staff"]["manager"]))
    pay = Result("consignor payout", "service", target_p95=PAYOUT_MS)
    with world.app.app_context():
        measure(pay, reps, lambda i: i, lambda i: _payout(cid, i, manager_id), warmup=WARMUP)
        db.session.remove()
    out.append(pay)
    pay_api = Result("consignor payout", "api", target_p95=PAYOUT_MS)
    measure(pay_api, reps, lambda i: i, lambda i: _payout_api(world, cid, i), warmup=WARMUP)
    out.append(pay_api)
    return out


def _statement(cid: int, period: st.Period) -> Any:
    data = st.build(cid, period)
    assert len(data.sold) == SOLD
    st.payload(data)
    st.wechat_text(data)
    db.session.rollback()


def _statement_api(world: World, cid: int, query: str) -> Any:
    resp = world.api.get(f"/api/v1/consignors/{cid}/statement?{query}",
                         headers=world.manager_headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _payout(cid: int, i: int, manager_id: int | None) -> Any:
    make_payout(cid, PayoutIn(100 + i % 7, "cash" if i % 2 else "wechat"), staff_id=manager_id,
                station="manager")
    db.session.commit()


def _payout_api(world: World, cid: int, i: int) -> Any:
    resp = world.api.post(f"/api/v1/consignors/{cid}/payouts",
                          json={"amount": f"1.{i % 90 + 10}", "method": "bank_transfer"},
                          headers=world.manager_headers | {"Idempotency-Key": uuid.uuid4().hex})
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
