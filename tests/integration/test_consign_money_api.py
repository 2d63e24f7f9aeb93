"""The consignor money API (API.md "Consignment"): statement and payouts, roles, bad input
writes nothing, the payable and offset rules as 409, exactly once by Idempotency-Key, a
consigned sale settled ten times with one key credits once, and the OpenAPI document."""
from __future__ import annotations

import consignor_money_support as M
import factories
import pytest
from sqlalchemy import func, select

from showroom.consignment.models import Consignor, ConsignorEntry, ConsignorPayout
from showroom.customers.models import Customer
from showroom.extensions import db

API = "/api/v1"


@pytest.fixture
def li(app):
    """李 owes us 500.00 as a customer and is owed 320.00 for two pieces sold."""
    with app.app_context():
        c = M.consignor(debt=50_000)
        p = M.consigned(c, qty=5)
        M.sell(factories.customer(name="赵老板").id, [(p, 2)])
        db.session.commit()
        return {"id": c.id, "customer_id": c.customer_id, "code": c.code, "product": p.code}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_statement(client, api_headers, li):
    r = client.get(f"{API}/consignors/{li['id']}/statement", headers=api_headers("manager"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["consignor"]["code"] == li["code"]
    assert [(s["product_code"], s["qty"], s["amount"]) for s in body["sold"]] == [
        (li["product"], 2, "320.00")]
    assert body["sold"][0]["order_number"].startswith("XS-")
    assert (body["earned"], body["paid"], body["payable"]) == ("320.00", "0.00", "320.00")
    assert [(f["product_code"], f["qty"]) for f in body["on_hand"]] == [(li["product"], 3)]
    old = client.get(f"{API}/consignors/{li['id']}/statement?from=2020-01-01&to=2020-01-31",
                     headers=api_headers("manager")).get_json()
    assert old["sold"] == [] and old["payable"] == "0.00"


@pytest.mark.parametrize("query", ["from=2026-13-01&to=2026-12-31", "from=2026-12-31&to=2026-12-01",
                                   "from=x&to=y", "from=2026-12-01"])
def test_statement_bad_period(client, api_headers, li, query):
    r = client.get(f"{API}/consignors/{li['id']}/statement?{query}",
                   headers=api_headers("manager"))
    assert r.status_code == 422 and r.content_type.startswith("application/problem+json")


@pytest.mark.parametrize("roles", [("cashier",), ("clerk",), ("reception",)])
def test_managers_only(client, api_headers, li, roles):
    h = api_headers(*roles)
    assert client.get(f"{API}/consignors/{li['id']}/statement", headers=h).status_code == 403
    r = client.post(f"{API}/consignors/{li['id']}/payouts", headers=h | {"Idempotency-Key": "k"},
                    json={"amount": "1.00", "method": "cash"})
    assert r.status_code == 403


def test_unknown_consignor(client, api_headers):
    h = api_headers("manager")
    assert client.get(f"{API}/consignors/999/statement", headers=h).status_code == 404
    assert client.post(f"{API}/consignors/999/payouts", headers=h,
                       json={"amount": "1.00", "method": "cash"}).status_code == 404


@pytest.mark.parametrize("body", [
    {"amount": "0.00", "method": "cash"}, {"amount": "-1.00", "method": "cash"},
    {"amount": 10.5, "method": "cash"}, {"amount": 10, "method": "cash"},
    {"amount": "1.005", "method": "cash"}, {"amount": "10.00", "method": "cheque"},
    {"amount": "10.00"}, {"amount": "10.00", "method": "cash", "offset_debt": True},
    {"amount": "10.00", "method": "cash", "note": "bad\u0000"}, {"method": "cash"},
    {"amount": "10.00", "offset_debt": "yes"},
])
def test_bad_payout_writes_nothing(app, client, api_headers, li, body):
    r = client.post(f"{API}/consignors/{li['id']}/payouts",
                    headers=api_headers("manager") | {"Idempotency-Key": "bad"}, json=body)
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"]
    assert _count(app, ConsignorPayout) == 0


def test_payout_over_payable_and_over_debt_are_409(app, client, api_headers, li):
    h = api_headers("manager")
    r = client.post(f"{API}/consignors/{li['id']}/payouts", headers=h | {"Idempotency-Key": "a"},
                    json={"amount": "320.01", "method": "cash"})
    assert r.status_code == 409 and r.get_json()["rule"] == "payable"
    assert r.get_json()["reasons"]
    with app.app_context():  # debt down to 100.00, payable still 320.00
        from showroom.customers.services import post_entry

        post_entry(li["customer_id"], "payment", -40_000, ref="SK-T")
        db.session.commit()
    r = client.post(f"{API}/consignors/{li['id']}/payouts", headers=h | {"Idempotency-Key": "b"},
                    json={"amount": "100.01", "offset_debt": True})
    assert r.status_code == 409 and r.get_json()["rule"] == "offset_debt"
    assert _count(app, ConsignorPayout) == 0


def test_payout_full_width_and_once_per_key(app, client, api_headers, li):
    h = api_headers("manager") | {"Idempotency-Key": "pay-li-1"}
    first = client.post(f"{API}/consignors/{li['id']}/payouts", headers=h,
                        json={"amount": "１２０．００", "method": "offset"})
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert (body["amount"], body["payable_before"], body["payable_after"]) == (
        "120.00", "320.00", "200.00")
    again = client.post(f"{API}/consignors/{li['id']}/payouts", headers=h,
                        json={"amount": "１２０．００", "method": "offset"})
    assert again.get_json() == body
    assert _count(app, ConsignorPayout) == 1
    with app.app_context():
        assert db.session.get(Consignor, li["id"]).balance == 20_000
        assert db.session.get(Customer, li["customer_id"]).balance == 38_000


def test_settled_ten_times_with_one_key_credits_once(app, client, api_headers):
    with app.app_context():
        c = M.consignor(name="薛梅")
        p = M.consigned(c, qty=3)
        order = factories.order_with_lines(factories.customer().id, [(p, 1)])
        db.session.commit()
        oid, total, cid = order.id, order.total, c.id
    h = api_headers("cashier") | {"Idempotency-Key": "settle-consigned-once"}
    for _ in range(10):
        r = client.post(f"{API}/orders/{oid}/settle", headers=h,
                        json={"payments": [{"method": "cash", "amount": f"{total // 100}.00"}]})
        assert r.status_code in (200, 201), r.get_json()
    with app.app_context():
        rows = db.session.scalars(select(ConsignorEntry)).all()
        assert [(e.kind, e.qty, e.amount) for e in rows] == [("sale", 1, 16_000)]
        assert db.session.get(Consignor, cid).balance == 16_000


def test_openapi_knows_the_routes(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    st = doc["paths"]["/api/v1/consignors/{consignor_id}/statement"]["get"]
    assert {p["name"] for p in st["parameters"]} >= {"consignor_id", "from", "to"}
    post = doc["paths"]["/api/v1/consignors/{consignor_id}/payouts"]["post"]
    assert "requestBody" in post and {"201", "409", "422"} <= set(post["responses"])


def test_return_sent_twice_reverses_once(app, client, api_headers):
    """A consigned piece sold and shipped comes back in an exchange sent twice with one
    key (and then once more with another key, refused: nothing left to return): one
    reversal of exactly what the sale credited; the consigned replacement credits once."""
    import aftersales_support as S

    with app.app_context():
        c = M.consignor(name="李秀英")
        p = M.consigned(c, qty=5)  # 200.00, 80 %: 160.00 a piece
        q = M.consigned(c, qty=2, consignor_price=9_000)
        buyer = factories.customer(name="远方批发")
        order = S.sold(buyer.id, [(p, 1)], how="shipped")
        db.session.commit()
        line, bid, cid, qbar = S.line_of(order, p).id, buyer.id, c.id, q.barcode
    body = {"customer_id": bid, "kind": "exchange", "reason": "goods_differ",
            "lines": [{"line_id": line, "qty": 1}], "replacements": [{"barcode": qbar, "qty": 1}]}
    h = api_headers("cashier")
    first = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "ret-1"}, json=body)
    assert first.status_code == 201, first.get_json()
    again = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "ret-1"}, json=body)
    assert again.get_json() == first.get_json()
    other = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "ret-2"}, json=body)
    assert other.status_code in (409, 422)
    with app.app_context():
        rows = db.session.scalars(select(ConsignorEntry).order_by(ConsignorEntry.id)).all()
        assert [(e.kind, e.qty, e.amount) for e in rows] == [
            ("sale", 1, 16_000), ("return", 1, -16_000), ("sale", 1, 9_000)]
        assert db.session.get(Consignor, cid).balance == 9_000
