"""Remote orders over the API (API.md "Remote orders"): online orders idempotent on
external_ref (201, then 200 with the same order; two posts racing → one order, on the
suite's backend), bad input 422 by line with nothing written, role refusals, the answer
(once: a second → 409), the amount to remit and the freight, the wait for the money
released by a payment on account or by a manager."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from api_support import assert_problem, snapshot
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.orders.models import Order

API = "/api/v1"


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer(name="网店客户")
        cust.region = "浙江"
        post_entry(cust.id, "sale", 20_000, ref="XS-OLD")  # owes ¥200.00
        factories.product(code="ON-0001", wholesale=10_050, stock=20)
        factories.product(code="ON-0002", wholesale=2_000, stock=1)
        db.session.commit()
        return {"customer": cust.id}


def _online(world: dict[str, Any], ref: str = "WEB-1001", **extra: Any) -> dict[str, Any]:
    return {"customer_id": world["customer"], "channel": "online", "external_ref": ref,
            "lines": [{"product_code": "ON-0001", "qty": 2}, {"product_code": "ON-0002",
                                                              "qty": 3}]} | extra


def test_online_order_201_then_200(client, api_headers, world):
    h = api_headers("clerk")
    first = client.post(f"{API}/orders", headers=h, json=_online(world))
    assert first.status_code == 201, first.get_data(as_text=True)
    body = first.get_json()
    assert body["channel"] == "online" and body["external_ref"] == "WEB-1001"
    assert body["answer_due_at"] and body["answered_at"] is None
    assert {ln["product_code"]: ln["qty"] for ln in body["lines"]} == {"ON-0001": 2,
                                                                       "ON-0002": 1}
    assert body["answer_shortages"][0]["product_code"] == "ON-0002"
    assert body["answer_shortages"][0]["qty"] == 2
    again = client.post(f"{API}/orders", headers=h, json=_online(world))
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


@pytest.mark.concurrency
def test_two_posts_race_one_order(app, api_headers, world):
    h = api_headers("clerk")

    def send(client: Any, _i: int) -> tuple[int, Any]:
        r = client.post(f"{API}/orders", headers=h, json=_online(world, "RACE-1"))
        return r.status_code, r.get_json()

    results = race(app, 4, send)
    assert sorted(s for s, _ in results).count(201) == 1, results
    assert {s for s, _ in results} <= {200, 201}, results
    assert len({b["id"] for _s, b in results}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)
                                 .where(Order.external_ref == "RACE-1")) == 1


@pytest.mark.parametrize("body, field", [
    ({"lines": [{"product_code": "NOPE", "qty": 1}]}, "lines[0].product_code"),
    ({"lines": [{"product_code": "ON-0001", "qty": 0}]}, "lines.0.qty"),
    ({"channel": "video"}, "channel"),
    ({"external_ref": None}, "external_ref"),
    ({"external_ref": "a\u202eb"}, "external_ref"),
    ({"customer_id": 999_999}, "customer_id"),
])
def test_bad_online_orders_write_nothing(app, client, api_headers, world, body, field):
    h = api_headers("clerk")
    before = snapshot(app)
    payload = _online(world) | body
    resp = client.post(f"{API}/orders", headers=h, json=payload)
    problem = assert_problem(resp, 422)
    assert any(k.startswith(field.split(".")[0]) for k in problem["errors"]), problem
    assert snapshot(app) == before


def test_roles(client, api_headers, world):
    packer = api_headers("packer")
    assert client.post(f"{API}/orders", headers=packer, json=_online(world)).status_code == 403
    clerk = api_headers("clerk")
    oid = client.post(f"{API}/orders", headers=clerk, json=_online(world)).get_json()["id"]
    assert client.get(f"{API}/orders/{oid}/remittance", headers=packer).status_code == 403
    assert client.put(f"{API}/orders/{oid}/freight", headers=packer,
                      json={"carrier": "sf_express", "fee": "10"}).status_code == 403
    assert client.post(f"{API}/orders/{oid}/remittance/release", headers=clerk,
                       json={"manager_staff_no": "1", "manager_pin": "1",
                             "reason": "x"}).status_code == 403
    for roles in (("clerk",), ("cashier",), ("manager",)):
        assert client.get(f"{API}/orders/{oid}/remittance",
                          headers=api_headers(*roles)).status_code == 200


def test_answer_once(client, api_headers, world):
    h = api_headers("clerk")
    oid = client.post(f"{API}/orders", headers=h, json=_online(world)).get_json()["id"]
    assert_problem(client.post(f"{API}/orders/{oid}/answer", headers=h, json={"note": ""}), 422,
                   "note")
    bad = client.post(f"{API}/orders/{oid}/answer", headers=h, json={
        "note": "ok", "shortages": [{"product_code": "NOPE", "qty": 1}]})
    assert_problem(bad, 422, "shortages[0].product_code")
    ok = client.post(f"{API}/orders/{oid}/answer", headers=h, json={
        "note": "已电话告知缺货两件", "shortages": [{"product_code": "ON-0002", "qty": 2},
                                         {"product_code": "ON-0001", "kind": "price",
                                          "note": "涨价 ¥2"}]})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    body = ok.get_json()
    assert body["answered_at"] and body["answer_note"] == "已电话告知缺货两件"
    assert [s["kind"] for s in body["answer_shortages"]] == ["shortage", "price"]
    twice = client.post(f"{API}/orders/{oid}/answer", headers=h, json={"note": "again"})
    assert_problem(twice, 409)
    assert_problem(client.post(f"{API}/orders/999999/answer", headers=h, json={"note": "x"}), 404)


def test_remittance_freight_and_the_wait(app, client, api_headers, make_staff, world):
    clerk = api_headers("clerk")
    cashier = api_headers("cashier")
    made = client.post(f"{API}/orders", headers=clerk, json={
        "customer_id": world["customer"], "channel": "phone"})
    assert made.status_code == 201
    oid = made.get_json()["id"]
    client.post(f"{API}/orders/{oid}/lines", headers=clerk,
                json={"product_code": "ON-0001", "qty": 3})
    assert client.post(f"{API}/orders/{oid}/submit", headers=clerk, json={}).status_code == 200
    fee = client.put(f"{API}/orders/{oid}/freight", headers=clerk,
                     json={"carrier": "sf_express", "fee": "25.5"})
    assert fee.status_code == 200 and fee.get_json()["shipping_fee"] == "25.50"
    assert_problem(client.put(f"{API}/orders/{oid}/freight", headers=clerk,
                              json={"carrier": "sf_express"}), 422, "destination")  # no rate
    settled = client.post(f"{API}/orders/{oid}/settle", headers=cashier | {
        "Idempotency-Key": "remote-settle-1"}, json={"payments": [
            {"method": "on_account", "amount": "301.50"}]})
    assert settled.status_code == 200, settled.get_data(as_text=True)
    rem = client.get(f"{API}/orders/{oid}/remittance", headers=cashier).get_json()
    assert rem["order_total"] == "301.50" and rem["previous_balance"] == "200.00"
    assert rem["shipping_fee"] == "25.50" and rem["amount_to_remit"] == "527.00"
    assert rem["remit_status"] == "awaiting" and rem["bank_accounts"][0]["number"]
    assert client.get(f"{API}/orders/{oid}", headers=clerk).get_json()["remit_status"] == \
        "awaiting"
    part = client.post(f"{API}/customers/{world['customer']}/payments", headers=cashier | {
        "Idempotency-Key": "remit-part"}, json={"method": "bank_transfer", "amount": "300.00"})
    assert part.status_code == 201, part.get_data(as_text=True)
    rem = client.get(f"{API}/orders/{oid}/remittance", headers=cashier).get_json()
    assert rem["remit_status"] == "awaiting" and rem["still_short"] == "227.00"
    rest = client.post(f"{API}/customers/{world['customer']}/payments", headers=cashier | {
        "Idempotency-Key": "remit-rest"}, json={"method": "bank_transfer", "amount": "227.00"})
    assert rest.status_code == 201
    rem = client.get(f"{API}/orders/{oid}/remittance", headers=cashier).get_json()
    assert rem["remit_status"] == "received" and rem["still_short"] == "0.00"


def test_release_by_manager(app, client, api_headers, make_staff, world):
    mgr = make_staff("manager", staff_no="7301")
    clerk = api_headers("clerk")
    cashier = api_headers("cashier")
    oid = client.post(f"{API}/orders", headers=clerk, json={
        "customer_id": world["customer"], "channel": "video"}).get_json()["id"]
    client.post(f"{API}/orders/{oid}/lines", headers=clerk, json={"product_code": "ON-0001"})
    client.post(f"{API}/orders/{oid}/submit", headers=clerk, json={})
    client.post(f"{API}/orders/{oid}/settle", headers=cashier | {"Idempotency-Key": "rs-2"},
                json={"payments": [{"method": "on_account", "amount": "100.50"}]})
    wrong = client.post(f"{API}/orders/{oid}/remittance/release", headers=cashier, json={
        "manager_staff_no": "7301", "manager_pin": "000000", "reason": "老客户"})
    assert wrong.status_code in (401, 403, 422), wrong.get_data(as_text=True)
    ok = client.post(f"{API}/orders/{oid}/remittance/release", headers=cashier, json={
        "manager_staff_no": "7301", "manager_pin": mgr["pin"], "reason": "老客户先发"})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json()["remit_status"] == "released"
    assert_problem(client.post(f"{API}/orders/{oid}/remittance/release", headers=cashier, json={
        "manager_staff_no": "7301", "manager_pin": mgr["pin"], "reason": "again"}), 409)
