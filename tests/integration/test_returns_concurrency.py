"""Two cashiers take back the last returnable unit of a sale line at the same moment,
through the API, on the suite's backend: the orders' locks let one through (201) and the
other reads what is left under the lock (409, rule `returnable_qty`)."""
from __future__ import annotations

import aftersales_support as S
import factories
import pytest
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.aftersales.models import AfterSalesDoc, AfterSalesLine
from showroom.catalog.models import Product
from showroom.extensions import db

pytestmark = pytest.mark.concurrency
API = "/api/v1"


def test_two_cashiers_last_returnable_unit(app, api_headers):
    with app.app_context():
        c = factories.customer(name="远方批发")
        p = factories.product(wholesale=12_000, stock=10)
        q = factories.product(wholesale=12_000, stock=10)
        order = S.sold(c.id, [(p, 1)], how="shipped")
        line_id, cid, pid, qb = S.line_of(order, p).id, c.id, p.id, q.barcode
        db.session.commit()
    heads = [api_headers("cashier"), api_headers("cashier")]

    def send(client, i):
        r = client.post(f"{API}/returns", headers=heads[i] | {"Idempotency-Key": f"last-{i}"},
                        json={"customer_id": cid, "kind": "exchange", "reason": "goods_differ",
                              "lines": [{"line_id": line_id, "qty": 1}],
                              "replacements": [{"barcode": qb, "qty": 1}]})
        return r.status_code, r.get_json()

    results = race(app, 2, send)
    assert sorted(s for s, _ in results) == [201, 409], results
    refused = next(b for s, b in results if s == 409)
    assert refused["rule"] == "returnable_qty"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == 1
        assert db.session.scalar(select(func.sum(AfterSalesLine.qty))) == 1
        assert db.session.get(Product, pid).on_hand == 10  # 10 − 1 sold + 1 back
        assert S.stock_mismatches() == [] and S.balance_mismatches() == []
