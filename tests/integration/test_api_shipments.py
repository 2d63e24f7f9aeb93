"""POST/GET /api/v1/shipments: 201 shape, Idempotency-Key replay changes nothing, 404 /
409 / 422 with nothing written, search by waybill / customer / day."""
from __future__ import annotations

from typing import Any

import pytest
from api_support import API, assert_problem, snapshot
from shipping_factories import demo_rates, packed_order

from showroom.extensions import db

BODY = {"carrier": "sf_express", "waybill": "sf 1234 5678 90123", "fee": "51.00",
        "eta_days": 2}


def _world(app: Any, **kw: Any) -> dict[str, Any]:
    with app.app_context():
        demo_rates()
        order = packed_order(name="王丽", region="广东 广州", **kw)
        other = packed_order(name="李强", region="浙江 义乌")
        db.session.commit()
        return {"order": order.id, "number": order.number, "customer": order.customer_id,
                "other": other.id, "other_customer": other.customer_id}


def test_ship_returns_201_with_the_notice(app, client, api_headers):
    world = _world(app)
    shipper = api_headers("shipper", station="ship-2")
    resp = client.post(f"{API}/shipments", headers=shipper,
                       json=BODY | {"order_id": world["order"], "weight_kg": "3.5"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert {"id", "number", "carrier", "waybill", "fee", "shipped_at", "eta",
            "notice_text"} <= set(body)
    assert body["number"].startswith("FH-") and body["waybill"] == "SF1234567890123"
    assert (body["fee"], body["boxes"], body["weight_kg"], body["order_id"]) == (
        "51.00", 2, "3.5", world["order"])
    assert "SF1234567890123" in body["notice_text"] and "顺丰" in body["notice_text"]
    assert body["ledger_entry_id"] and body["customer_id"] == world["customer"]
    order = client.get(f"{API}/orders/{world['order']}", headers=shipper).get_json()
    assert order["status"] == "shipped"


def test_same_key_replays_and_changes_nothing(app, client, api_headers):
    world = _world(app)
    shipper = api_headers("shipper") | {"Idempotency-Key": "ship-once-1"}
    body = BODY | {"order_id": world["order"]}
    first = client.post(f"{API}/shipments", headers=shipper, json=body)
    assert first.status_code == 201
    after = snapshot(app)
    second = client.post(f"{API}/shipments", headers=shipper, json=body)
    assert (second.status_code, second.get_data()) == (first.status_code, first.get_data())
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert snapshot(app) == after
    other_key = client.post(f"{API}/shipments", headers=shipper | {"Idempotency-Key": "k-2"},
                            json=body)
    assert_problem(other_key, 409)  # already shipped
    assert snapshot(app) == after


@pytest.mark.parametrize(("changes", "status", "field"), [
    ({"waybill": "SF123"}, 422, "waybill"),
    ({"carrier": "ems"}, 422, "carrier"),
    ({"fee": 12.5}, 422, "fee"),
    ({"fee": "-1"}, 422, "fee"),
    ({"eta_days": 99}, 422, "eta_days"),
    ({"boxes": 0}, 422, "boxes"),
    ({"weight_kg": "3,5"}, 422, "weight_kg"),
    ({"order_id": 999_999}, 404, None),
    ({"order_id": 0}, 422, "order_id"),
])
def test_bad_requests_write_nothing(app, client, api_headers, changes, status, field):
    world = _world(app)
    shipper = api_headers("shipper")
    before = snapshot(app)
    resp = client.post(f"{API}/shipments", headers=shipper,
                       json=BODY | {"order_id": world["order"]} | changes)
    problem = assert_problem(resp, status)
    if field:
        assert field in problem["errors"], problem
    assert snapshot(app) == before


def test_unpacked_order_is_409_and_roles(app, client, api_headers):
    import factories

    with app.app_context():
        cust = factories.customer()
        order = factories.order_with_lines(cust.id, [(factories.product(), 1)])
        db.session.commit()
        order_id = order.id
    shipper, clerk = api_headers("shipper"), api_headers("clerk")
    before = snapshot(app)
    assert_problem(client.post(f"{API}/shipments", headers=shipper,
                               json=BODY | {"order_id": order_id}), 409)
    assert_problem(client.post(f"{API}/shipments", headers=clerk,
                               json=BODY | {"order_id": order_id}), 403)
    assert snapshot(app) == before


def test_search_by_waybill_customer_and_day(app, client, api_headers):
    world = _world(app)
    shipper = api_headers("shipper")
    client.post(f"{API}/shipments", headers=shipper, json=BODY | {"order_id": world["order"]})
    client.post(f"{API}/shipments", headers=shipper,
                json={"order_id": world["other"], "carrier": "sto_express",
                      "waybill": "773012345678", "fee": "0"})
    clerk = api_headers("clerk")  # any staff may search

    def waybills(query: str) -> list[str]:
        resp = client.get(f"{API}/shipments?{query}", headers=clerk)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return [s["waybill"] for s in resp.get_json()["items"]]

    assert waybills("waybill=SF1234567890123") == ["SF1234567890123"]
    assert waybills("waybill=sf123") == ["SF1234567890123"]
    assert waybills("waybill=7730") == ["773012345678"]
    assert waybills(f"customer_id={world['other_customer']}") == ["773012345678"]
    assert sorted(waybills("")) == ["773012345678", "SF1234567890123"]
    assert waybills("date_from=2000-01-01&date_to=2000-01-02") == []
    assert_problem(client.get(f"{API}/shipments?date_from=22/11/2026", headers=clerk), 422)


def test_self_pickup_needs_no_waybill(app, client, api_headers):
    world = _world(app, boxes=0)
    resp = client.post(f"{API}/shipments", headers=api_headers("shipper"),
                       json={"order_id": world["order"], "carrier": "self_pickup", "fee": "0"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert (body["waybill"], body["boxes"], body["eta"], body["ledger_entry_id"]) == (
        "", 0, None, None)
