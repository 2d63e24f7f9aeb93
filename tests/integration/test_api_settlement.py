"""Settlement and on-the-spot returns through the API: exactly once, at the token's station."""
from __future__ import annotations

import uuid

from api_support import API, assert_problem, order_json, seed_world, snapshot
from sqlalchemy import func, select

from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import Settlement

CASH_AND_DEBT = {"payments": [{"method": "cash", "amount": "60.00", "tendered": "100.00"},
                              {"method": "on_account", "amount": "41.00"}]}


def test_settle_returns_the_figures_and_prints_at_the_station(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier", station="cashier-2")
    resp = client.post(f"{API}/orders/{world['awaiting']}/settle", headers=cashier,
                       json=CASH_AND_DEBT)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert {k: body[k] for k in ("order_id", "total", "paid", "change", "balance_before",
                                 "balance_after")} == {
        "order_id": world["awaiting"], "total": "101.00", "paid": "60.00", "change": "40.00",
        "balance_before": "0.00", "balance_after": "41.00"}
    assert body["number"].startswith("XS-")
    assert order_json(client, cashier, world["awaiting"])["status"] == "settled"
    jobs = client.get(f"{API}/print-jobs?order_id={world['awaiting']}",
                      headers=cashier).get_json()["items"]
    assert sorted((j["document"], j["station"]) for j in jobs) == [
        ("cash_receipt", "cashier-2"), ("sales_slip", "cashier-2")]


def test_same_key_twice_settles_once_with_identical_responses(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier") | {"Idempotency-Key": str(uuid.uuid4())}
    url = f"{API}/orders/{world['awaiting']}/settle"
    first = client.post(url, headers=cashier, json=CASH_AND_DEBT)
    assert first.status_code == 200
    after_first = snapshot(app)
    second = client.post(url, headers=cashier, json=CASH_AND_DEBT)
    assert (second.status_code, second.get_data()) == (first.status_code, first.get_data())
    assert snapshot(app) == after_first
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Settlement)) == 2  # + world's
        assert db.session.scalar(select(func.count()).select_from(PrintJob)
                                 .where(PrintJob.order_id == world["awaiting"])) == 2


def test_a_different_key_on_a_settled_order_is_409(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier")
    url = f"{API}/orders/{world['awaiting']}/settle"
    assert client.post(url, headers=cashier | {"Idempotency-Key": "k-1"},
                       json=CASH_AND_DEBT).status_code == 200
    before = snapshot(app)
    body = assert_problem(client.post(url, headers=cashier | {"Idempotency-Key": "k-2"},
                                      json=CASH_AND_DEBT), 409)
    assert "already settled" in body["detail"]
    assert_problem(client.post(url, headers=cashier, json=CASH_AND_DEBT), 409)
    assert snapshot(app) == before


def test_the_same_key_with_another_body_is_409(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier") | {"Idempotency-Key": "reused"}
    url = f"{API}/orders/{world['awaiting']}/settle"
    assert client.post(url, headers=cashier, json=CASH_AND_DEBT).status_code == 200
    before = snapshot(app)
    body = assert_problem(client.post(url, headers=cashier, json={
        "payments": [{"method": "wechat", "amount": "101.00"}]}), 409)
    assert "Idempotency-Key" in body["detail"]
    other_order = f"{API}/orders/{world['settled']}/settle"
    assert_problem(client.post(other_order, headers=cashier, json=CASH_AND_DEBT), 409)
    assert snapshot(app) == before


def test_a_refused_settlement_leaves_the_key_free(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier") | {"Idempotency-Key": "retry-me"}
    url = f"{API}/orders/{world['awaiting']}/settle"
    short = {"payments": [{"method": "cash", "amount": "100.00"}]}
    body = assert_problem(client.post(url, headers=cashier, json=short), 422, "payments")
    assert "101.00" in body["detail"]
    assert client.post(url, headers=cashier, json=CASH_AND_DEBT).status_code == 200


def test_return_on_the_spot_then_settle_the_rest(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier", station="cashier-3") | {"Idempotency-Key": "ret-1"}
    url = f"{API}/orders/{world['awaiting']}/returns"
    payload = {"lines": [{"line_id": world["awaiting_line"], "qty": 1}]}
    resp = client.post(url, headers=cashier, json=payload)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    slip = resp.get_json()
    assert slip["number"].startswith("TH-")
    assert (slip["total"], slip["order_id"]) == ("50.50", world["awaiting"])
    assert slip["lines"] == [{"line_id": world["awaiting_line"], "product_code": "SL-0002",
                              "qty": 1, "unit_price": "50.50", "amount": "50.50"}]
    before = snapshot(app)
    replay = client.post(url, headers=cashier, json=payload)
    assert (replay.status_code, replay.get_json()) == (201, slip)
    assert snapshot(app) == before
    order = order_json(client, cashier, world["awaiting"])
    assert (order["total"], order["lines"][0]["returned_qty"], order["lines"][0]["amount"]) == (
        "50.50", 1, "50.50")
    jobs = client.get(f"{API}/print-jobs?order_id={world['awaiting']}",
                      headers=cashier).get_json()["items"]
    assert [(j["document"], j["station"]) for j in jobs] == [("return_slip", "cashier-3")]
    settled = client.post(f"{API}/orders/{world['awaiting']}/settle", headers=api_headers(
        "cashier"), json={"payments": [{"method": "alipay", "amount": "50.50"}]})
    assert settled.status_code == 200, settled.get_data(as_text=True)
    assert settled.get_json()["total"] == "50.50"
