"""Races on the consignor ledger, on the suite's backend (run with --db all for both):
two payouts racing for the whole payable, one succeeds; an offset racing a settlement of
the same person never deadlocks and both ledgers stay equal to their sums."""
from __future__ import annotations

import consignor_money_support as M
import factories
import pytest
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.consignment.models import Consignor, ConsignorEntry, ConsignorPayout
from showroom.extensions import db
from showroom.ops.integrity import check_database

pytestmark = pytest.mark.concurrency
API = "/api/v1"


@pytest.fixture
def owed(app):
    with app.app_context():
        c = M.consignor(debt=100_000)
        M.sell(factories.customer().id, [(M.consigned(c, qty=4), 2)])  # payable 320.00
        db.session.commit()
        return {"id": c.id, "customer_id": c.customer_id}


@pytest.mark.parametrize("methods", [("cash", "wechat"), ("offset", "cash")])
def test_two_payouts_race_for_the_whole_payable(app, api_headers, owed, backend, methods):
    h = api_headers("manager")

    def send(client, i):
        r = client.post(f"{API}/consignors/{owed['id']}/payouts",
                        headers=h | {"Idempotency-Key": f"race-{i}"},
                        json={"amount": "320.00", "method": methods[i]})
        return r.status_code, r.get_json()

    results = race(app, 2, send)
    statuses = sorted(s for s, _ in results)
    assert statuses == [201, 409], results
    loser = next(b for s, b in results if s == 409)
    assert loser["rule"] == "payable"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsignorPayout)) == 1
        assert db.session.get(Consignor, owed["id"]).balance == 0
        assert check_database().ok


def test_offset_racing_a_sale_of_the_same_consignor(app, api_headers, owed, backend):
    """A settlement crediting the consignor while a payout offsets their debt: both stand,
    the payable is the sum of the ledger (customer row first, then the consignor's)."""
    with app.app_context():
        c = db.session.get(Consignor, owed["id"])
        p = M.consigned(c, qty=2)
        order = factories.order_with_lines(factories.customer().id, [(p, 1)])
        db.session.commit()
        oid, total = order.id, order.total
    mgr, cashier = api_headers("manager"), api_headers("cashier")

    def send(client, i):
        if i == 0:
            r = client.post(f"{API}/consignors/{owed['id']}/payouts",
                            headers=mgr | {"Idempotency-Key": "race-offset"},
                            json={"amount": "300.00", "offset_debt": True})
        else:
            r = client.post(f"{API}/orders/{oid}/settle",
                            headers=cashier | {"Idempotency-Key": "race-settle"},
                            json={"payments": [{"method": "cash",
                                                "amount": f"{total // 100}.00"}]})
        return r.status_code, r.get_json()

    results = race(app, 2, send)
    assert all(s in (200, 201) for s, _ in results), results
    with app.app_context():
        entries = db.session.scalars(select(ConsignorEntry.amount)
                                     .where(ConsignorEntry.consignor_id == owed["id"])).all()
        assert db.session.get(Consignor, owed["id"]).balance == sum(entries) == 32_000 + 16_000 - 30_000
        assert check_database().ok
