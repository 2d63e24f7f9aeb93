"""Returns and exchanges through the API (API.md "Returns and exchanges"): returnable lines,
the check that writes nothing, 201 / 409 with the verdict, a manager's override (a wrong
PIN is 401 and counted), exactly once by Idempotency-Key, franchise contracts and the
quota meter, role checks, and bad input of every kind → a clear 4xx, nothing written."""
from __future__ import annotations

import aftersales_support as S
import factories
import pytest
from api_support import API, assert_problem, snapshot
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc
from showroom.auth.models import LoginAttempt
from showroom.extensions import db

MGR, PIN = "1001", "135790"


@pytest.fixture
def shop(app):
    with app.app_context():
        factories.staff("manager", staff_no=MGR, pin=PIN)
        c = factories.customer(name="远方批发")
        f = factories.customer(name="加盟店", kind="franchise")
        p = factories.product(code="SL-0001", barcode="6900000000011", wholesale=12_000,
                              franchise=11_000, stock=20)
        factories.product(code="SL-0002", barcode="6900000000028", wholesale=13_500,
                              stock=5)
        old = S.sold(c.id, [(p, 2)], how="shipped", days_ago=30)
        new = S.sold(c.id, [(p, 1)], how="shipped", days_ago=3)
        picked = S.sold(c.id, [(p, 1)], how="self_pickup")
        db.session.commit()
        return {"c": c.id, "f": f.id, "old": S.line_of(old, p).id, "new": S.line_of(new, p).id,
                "picked": S.line_of(picked, p).id, "old_no": old.number, "new_no": new.number}


def _exchange(shop, **extra):  # type: ignore[no-untyped-def]
    return {"customer_id": shop["c"], "kind": "exchange", "reason": "goods_differ",
            "lines": [{"line_id": shop["old"], "qty": 1}],
            "replacements": [{"barcode": "6900000000028", "qty": 1}]} | extra


def test_returnable_oldest_first(client, api_headers, shop):
    h = api_headers("clerk")
    r = client.get(f"{API}/customers/{shop['c']}/returnable?barcode=6900000000011", headers=h)
    assert r.status_code == 200, r.get_data(as_text=True)
    items = r.get_json()["items"]
    assert [i["order_number"] for i in items][:2] == [shop["old_no"], shop["new_no"]]
    assert items[0] | {"settled_at": None} == {
        "order_id": items[0]["order_id"], "order_number": shop["old_no"], "line_id": shop["old"],
        "product_code": "SL-0001", "name": items[0]["name"], "sold_qty": 2, "returned_qty": 0,
        "returnable_qty": 2, "unit_price": "120.00", "channel": "showroom",
        "delivery": "shipped", "settled_at": None, "at_packing_bench": False}
    assert items[2]["delivery"] == "self_pickup"
    by_code = client.get(f"{API}/customers/{shop['c']}/returnable?product_code=SL-0001",
                         headers=h)
    assert by_code.get_json()["items"] == items


def test_check_writes_nothing_and_create_makes_one_document(app, client, api_headers, shop):
    h = api_headers("cashier", station="cashier-1")
    before = snapshot(app)
    r = client.post(f"{API}/returns/check", headers=h, json=_exchange(shop))
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert body | {"reasons": []} == {"allowed": True, "rule": "remote_exchange", "reasons": [],
                                      "overridable": True, "credit": "120.00",
                                      "replacement_total": "135.00", "difference": "15.00",
                                      "headroom": None}
    assert snapshot(app) == before
    key = {"Idempotency-Key": "exchange-1"}
    r = client.post(f"{API}/returns", headers=h | key, json=_exchange(shop))
    assert r.status_code == 201, r.get_data(as_text=True)
    doc = r.get_json()
    assert doc["number"].startswith("HH-") and doc["difference"] == "15.00"
    assert doc["verdict"]["rule"] == "remote_exchange" and doc["verdict"]["allowed"]
    again = client.post(f"{API}/returns", headers=h | key, json=_exchange(shop))
    assert again.status_code == 201 and again.get_json() == doc
    assert again.headers.get("Idempotent-Replayed") == "true"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == 1
        assert len(S.entries_for(doc["number"])) == 1
    shown = client.get(f"{API}/returns/{doc['id']}", headers=h)
    assert shown.status_code == 200 and shown.get_json()["number"] == doc["number"]


def test_refused_409_with_verdict_then_override(app, client, api_headers, shop):
    h = api_headers("cashier")
    body = {"customer_id": shop["c"], "kind": "return", "reason": "quality",
            "quality_confirmed": True, "lines": [{"line_id": shop["picked"], "qty": 1}]}
    before = snapshot(app)
    r = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "r1"}, json=body)
    problem = assert_problem(r, 409)
    assert problem["rule"] == "wholesale_self_pickup" and problem["reasons"]
    assert problem["verdict"] == {"allowed": False, "rule": "wholesale_self_pickup",
                                  "reasons": problem["reasons"]}
    assert snapshot(app) == before
    wrong = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "r2"}, json=body | {
        "override": {"manager_staff_no": MGR, "manager_pin": "000000", "reason": "特批"}})
    assert wrong.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.staff_no == MGR, LoginAttempt.success.is_(False))) == 1
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == 0
    ok = client.post(f"{API}/returns", headers=h | {"Idempotency-Key": "r3"}, json=body | {
        "override": {"manager_staff_no": MGR, "manager_pin": PIN, "reason": "老客户特批"}})
    assert ok.status_code == 201, ok.get_data(as_text=True)
    doc = ok.get_json()
    assert doc["overridden"] and doc["override_reason"] == "老客户特批"
    assert doc["verdict"]["allowed"] is False and doc["difference"] == "-120.00"


def test_never_more_than_returnable(client, api_headers, shop):
    h = api_headers("cashier")
    body = _exchange(shop, lines=[{"line_id": shop["new"], "qty": 2}],
                     override={"manager_staff_no": MGR, "manager_pin": PIN, "reason": "x"})
    problem = assert_problem(client.post(f"{API}/returns", headers=h, json=body), 409)
    assert problem["rule"] == "returnable_qty"


def test_franchise_contract_and_quota(client, api_headers, shop):
    m, c = api_headers("manager"), api_headers("cashier")
    r = client.put(f"{API}/customers/{shop['f']}/franchise-contract", headers=m,
                   json={"starts_on": "2026-01-01", "ends_on": "2027-12-31",
                         "return_ratio": "0.10"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["return_ratio"] == "0.10"
    q = client.get(f"{API}/customers/{shop['f']}/franchise-quota", headers=c)
    assert q.status_code == 200
    assert q.get_json() | {"starts_on": "", "ends_on": ""} == {
        "starts_on": "", "ends_on": "", "return_ratio": "0.10", "purchased": "0.00",
        "returned": "0.00", "limit": "0.00", "headroom": "0.00"}
    assert_problem(client.put(f"{API}/customers/{shop['c']}/franchise-contract", headers=m,
                              json={"starts_on": "2026-01-01", "ends_on": "2026-12-31",
                                    "return_ratio": "0.10"}), 409)
    assert_problem(client.get(f"{API}/customers/{shop['c']}/franchise-quota", headers=c), 404)
    assert client.put(f"{API}/customers/{shop['f']}/franchise-contract", headers=c,
                      json={}).status_code == 403


@pytest.mark.parametrize(("path", "method", "roles", "status"), [
    ("/returns", "post", ("clerk",), 403),
    ("/returns", "post", ("packer",), 403),
    ("/returns/check", "post", ("shipper",), 403),
    ("/customers/{c}/returnable?barcode=6900000000011", "get", ("packer",), 403),
    ("/customers/{c}/franchise-quota", "get", ("clerk",), 403),
    ("/returns", "post", (), 401),
])
def test_roles(client, api_headers, shop, path, method, roles, status):
    h = api_headers(*roles) if roles else {}
    r = getattr(client, method)(API + path.format(c=shop["c"]), headers=h, json=_exchange(shop))
    assert_problem(r, status)


BAD = [
    ({"kind": "refund"}, "kind"),
    ({"reason": "changed_mind"}, "reason"),
    ({"lines": []}, "lines"),
    ({"lines": [{"line_id": 0, "qty": 1}]}, "lines[0].line_id"),
    ({"lines": [{"line_id": "1", "qty": 1}]}, "lines[0].line_id"),
    ({"lines": [{"qty": 1}]}, "lines[0].line_id"),
    ({"lines": [{"line_id": 1, "qty": 0}]}, "lines[0].qty"),
    ({"lines": [{"line_id": 1, "qty": 1.5}]}, "lines[0].qty"),
    ({"lines": [{"line_id": 1, "qty": 10**9}]}, "lines[0].qty"),
    ({"replacements": []}, "replacements"),
    ({"replacements": [{"qty": 1}]}, "replacements[0].barcode"),
    ({"replacements": [{"barcode": "NO-SUCH", "qty": 1}]}, "replacements[0].barcode"),
    ({"replacements": [{"barcode": "a\u202eb", "qty": 1}]}, "replacements[0].barcode"),
    ({"kind": "return", "reason": "quality"}, "replacements"),
    ({"note": "x" * 201}, "note"),
    ({"note": "bad\u0000nul"}, "note"),
    ({"quality_confirmed": "yes"}, "quality_confirmed"),
    ({"customer_id": "1"}, "customer_id"),
    ({"customer_id": 999_999}, "customer_id"),
    ({"override": {"manager_staff_no": "1001", "manager_pin": "", "reason": "x"}},
     "override.manager_pin"),
    ({"override": {"manager_staff_no": "1001", "manager_pin": "1", "reason": ""}},
     "override.reason"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_input_is_422_with_the_field_and_writes_nothing(app, client, api_headers, shop,
                                                              change, field):
    h = api_headers("cashier")
    before = snapshot(app)
    for path in ("/returns/check", "/returns"):
        r = client.post(API + path, headers=h, json=_exchange(shop) | change)
        problem = assert_problem(r, 422)
        assert field in problem.get("errors", {}), problem
    assert snapshot(app) == before


def test_unknown_line_of_this_customer_is_422(client, api_headers, shop):
    h = api_headers("cashier")
    r = client.post(f"{API}/returns", headers=h, json=_exchange(shop, customer_id=shop["f"]))
    assert_problem(r, 422, "lines[0].line_id")


def test_not_json_and_bad_query(client, api_headers, shop):
    h = api_headers("cashier")
    assert_problem(client.post(f"{API}/returns", headers=h | {"Content-Type": "text/plain"},
                               data="lines"), 415)
    assert_problem(client.post(f"{API}/returns", headers=h | {"Content-Type":
                                                              "application/json"},
                               data="{bad"), 400)
    assert_problem(client.get(f"{API}/customers/{shop['c']}/returnable", headers=h), 422)
    assert_problem(client.get(f"{API}/customers/{shop['c']}/returnable?barcode=NOPE",
                              headers=h), 404)
    assert_problem(client.get(f"{API}/customers/999999/returnable?barcode=6900000000011",
                              headers=h), 404)


def test_openapi_documents_the_routes(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    for path in ("/customers/{customer_id}/returnable", "/customers/{customer_id}/franchise-quota",
                 "/customers/{customer_id}/franchise-contract", "/returns/check", "/returns",
                 "/returns/{doc_id}"):
        assert any(p.endswith(path) for p in doc["paths"]), path
