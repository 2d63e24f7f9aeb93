"""Orders through the API: lines by scan or code, quantities, removal, submit, versions."""
from __future__ import annotations

from api_support import API, assert_problem, order_json, seed_world, snapshot
from sqlalchemy import select

from showroom.extensions import db
from showroom.picking.models import RestockTask


def test_build_an_order_and_submit_it(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    resp = client.post(f"{API}/orders", headers=clerk,
                       json={"customer_id": world["other_customer"], "channel": "video"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    order = resp.get_json()
    assert (order["status"], order["lines"], order["total"], order["version"], order["channel"]) \
        == ("open", [], "0.00", 1, "video")
    assert order["number"].startswith("XS-")
    oid = order["id"]
    scan = client.post(f"{API}/orders/{oid}/lines", headers=clerk,
                       json={"barcode": world["p1_barcode"]})
    assert scan.status_code == 200, scan.get_data(as_text=True)
    again = client.post(f"{API}/orders/{oid}/lines", headers=clerk,
                        json={"product_code": world["p1"], "qty": 2})
    body = again.get_json()
    assert len(body["lines"]) == 1  # the same product adds to its line
    line = body["lines"][0]
    assert (line["product_code"], line["qty"], line["unit_price"], line["amount"]) == (
        "SL-0001", 3, "120.00", "360.00")
    assert set(line) >= {"id", "product_code", "name", "qty", "unit_price", "amount"}
    second = client.post(f"{API}/orders/{oid}/lines", headers=clerk,
                         json={"product_code": world["p2"], "version": body["version"]})
    assert second.status_code == 200
    assert second.get_json()["total"] == "410.50"
    version = second.get_json()["version"]
    changed = client.patch(f"{API}/orders/{oid}/lines/{line['id']}", headers=clerk,
                           json={"qty": 1, "version": version})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["total"] == "170.50"
    etag = changed.headers["ETag"]
    p2_line = next(ln for ln in changed.get_json()["lines"] if ln["product_code"] == "SL-0002")
    dropped = client.delete(f"{API}/orders/{oid}/lines/{p2_line['id']}",
                            headers=clerk | {"If-Match": etag})
    assert dropped.status_code == 200, dropped.get_data(as_text=True)
    assert [ln["product_code"] for ln in dropped.get_json()["lines"]] == ["SL-0001"]
    with app.app_context():
        tasks = db.session.scalars(select(RestockTask).where(RestockTask.order_id == oid)).all()
        assert sorted(t.qty for t in tasks) == [1, 2]  # 3 → 1 on the line, then SL-0002 put back
    submitted = client.post(f"{API}/orders/{oid}/submit", headers=clerk,
                            json={"version": dropped.get_json()["version"]})
    assert submitted.status_code == 200
    assert submitted.get_json()["status"] == "awaiting_settlement"
    assert order_json(client, api_headers("cashier"), oid)["status"] == "awaiting_settlement"


def test_stale_version_is_409_and_changes_nothing(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    oid, line = world["open"], world["open_line"]
    old = world["open_version"]
    client.patch(f"{API}/orders/{oid}/lines/{line}", headers=clerk, json={"qty": 3})
    before = snapshot(app)
    for resp in (
        client.patch(f"{API}/orders/{oid}/lines/{line}", headers=clerk,
                     json={"qty": 1, "version": old}),
        client.patch(f"{API}/orders/{oid}/lines/{line}", headers=clerk | {"If-Match": f'"{old}"'},
                     json={"qty": 1}),
        client.delete(f"{API}/orders/{oid}/lines/{line}", headers=clerk | {"If-Match": str(old)}),
        client.post(f"{API}/orders/{oid}/submit", headers=clerk, json={"version": old}),
        client.post(f"{API}/orders/{oid}/lines", headers=clerk,
                    json={"product_code": world["p2"], "version": old}),
    ):
        body = assert_problem(resp, 409)
        assert "reload" in body["detail"]
        assert body["type"].endswith("stale-version")
    assert snapshot(app) == before
    assert order_json(client, clerk, oid)["lines"][0]["qty"] == 3


def test_a_settled_order_cannot_change(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    oid = world["settled"]
    line = order_json(client, clerk, oid)["lines"][0]["id"]
    before = snapshot(app)
    for resp in (
        client.post(f"{API}/orders/{oid}/lines", headers=clerk, json={"product_code": "SL-0002"}),
        client.patch(f"{API}/orders/{oid}/lines/{line}", headers=clerk, json={"qty": 2}),
        client.delete(f"{API}/orders/{oid}/lines/{line}", headers=clerk),
        client.post(f"{API}/orders/{oid}/submit", headers=clerk),
    ):
        body = assert_problem(resp, 409)
        assert "settled" in body["detail"]
    assert snapshot(app) == before


def test_more_than_in_stock_is_409(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    resp = client.post(f"{API}/orders/{world['open']}/lines", headers=clerk,
                       json={"product_code": world["p_none"]})
    body = assert_problem(resp, 409)
    assert "wish" in body["detail"]


def test_a_changed_awaiting_order_goes_back_to_the_clerk(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    resp = client.patch(f"{API}/orders/{world['awaiting']}/lines/{world['awaiting_line']}",
                        headers=clerk, json={"qty": 1})
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "open"
