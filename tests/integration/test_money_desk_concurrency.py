"""Races at the money desk through the API, on the suite's backend: one payment sent ten
times with one Idempotency-Key is one entry; two refunds racing for the same credit, one
succeeds."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.money_desk.models import CreditRefund, DeskPayment

pytestmark = pytest.mark.concurrency
API = "/api/v1"


def test_ten_sends_one_key_one_payment(app, api_headers):
    with app.app_context():
        c = factories.customer(name="周老板")
        post_entry(c.id, "sale", 853_000, ref="XS-OLD")
        db.session.commit()
        cid = c.id
    h = api_headers("cashier") | {"Idempotency-Key": "desk-pay-same-key"}

    def send(client, _i):
        r = client.post(f"{API}/customers/{cid}/payments", headers=h,
                        json={"method": "cash", "amount": "5000.00", "tendered": "5100.00"})
        return r.status_code, r.get_data(as_text=True)

    results = race(app, 10, send)
    assert {s for s, _ in results} <= {201, 409}, results
    assert any(s == 201 for s, _ in results)
    assert len({b for s, b in results if s == 201}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DeskPayment)) == 1
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)
                                 .where(LedgerEntry.kind == "payment")) == 1
        assert db.session.get(Customer, cid).balance == 353_000


def test_two_refunds_race_for_one_credit(app, api_headers, make_staff):
    mgr = make_staff("manager", staff_no="7001")
    with app.app_context():
        c = factories.customer(name="吴姐")
        post_entry(c.id, "payment", -50_000, ref="PREPAY")
        db.session.commit()
        cid = c.id
    h = api_headers("cashier")

    def send(client, i):
        r = client.post(f"{API}/customers/{cid}/refunds", headers=h | {"Idempotency-Key": f"r{i}"},
                        json={"method": "cash", "amount": "400.00", "reason": "退余款",
                              "manager_staff_no": "7001", "manager_pin": mgr["pin"]})
        return r.status_code, r.get_json()

    results = race(app, 2, send)
    statuses = sorted(s for s, _ in results)
    assert statuses == [201, 409], results
    refused = next(b for s, b in results if s == 409)
    assert refused["rule"] == "credit_held"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CreditRefund)) == 1
        assert db.session.get(Customer, cid).balance == -10_000
