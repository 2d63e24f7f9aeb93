"""Consignment intake over the API (API.md "Consignment"): POST /consignors (code, share as
a fraction, once per customer → 409), POST /consignments with an Idempotency-Key replay
(products, stock, the list and one label per piece), present needs the pad's PNG, bad input
422 by field with nothing written, withdrawals never beyond on hand (409 with its rule);
products carry consignor_code (null for ours); roles; the OpenAPI document names them."""
from __future__ import annotations

import base64
from typing import Any

import factories
import pytest
from consignment_support import counts

from showroom.extensions import db

API = "/api/v1"
SIG = base64.b64encode(factories.signature_png()).decode()


@pytest.fixture
def cust(app: Any) -> int:
    with app.app_context():
        c = factories.customer(name="李明", kind="wholesale")
        db.session.commit()
        return c.id


def _counts(app: Any) -> dict[str, int]:
    with app.app_context():
        return counts()


def _consignor(client: Any, h: dict[str, str], cust: int, **over: Any) -> dict[str, Any]:
    resp = client.post(f"{API}/consignors", json={"customer_id": cust, **over}, headers=h)
    assert resp.status_code == 201, resp.get_json()
    return dict(resp.get_json())


def _lines(n: int = 2) -> list[dict[str, Any]]:
    return [{"name": f"古法银手镯{i}", "qty": i + 2, "price_wholesale": "128.00",
             "price_franchise": "118.00", **({"consignor_price": "90.00"} if i else {})}
            for i in range(n)]


def test_consignor_code_share_and_once(app: Any, client: Any, api_headers: Any, cust: int
                                       ) -> None:
    h = api_headers("manager")
    out = _consignor(client, h, cust, consignor_share="0.75")
    assert out["code"].startswith("pf") and out["code"].endswith("李")
    assert out["customer_id"] == cust and out["consignor_share"] == "0.75"
    again = client.post(f"{API}/consignors", json={"customer_id": cust}, headers=h)
    problem = again.get_json()
    assert again.status_code == 409 and problem["rule"] == "consignor_exists"
    assert out["code"] in problem["reasons"][0]
    with app.app_context():
        franchise = factories.customer(name="薛宝钗", kind="franchise")
        db.session.commit()
        fid = franchise.id
    jm = _consignor(client, h, fid)
    assert jm["code"].startswith("jm") and jm["code"].endswith("薛")
    assert jm["consignor_share"] == "0.80"


@pytest.mark.parametrize(("body", "field"), [
    ({"consignor_share": "1.5"}, "consignor_share"), ({"consignor_share": "-0.1"}, "consignor_share"),
    ({"consignor_share": 0.8}, "consignor_share"), ({"customer_id": "1"}, "customer_id")])
def test_bad_consignor_is_422(app: Any, client: Any, api_headers: Any, cust: int,
                              body: dict[str, Any], field: str) -> None:
    before = _counts(app)
    resp = client.post(f"{API}/consignors", json={"customer_id": cust, **body},
                       headers=api_headers("manager"))
    assert resp.status_code == 422 and field in resp.get_json()["errors"]
    assert _counts(app) == before


def test_unknown_customer_is_404(client: Any, api_headers: Any) -> None:
    resp = client.post(f"{API}/consignors", json={"customer_id": 999999},
                       headers=api_headers("manager"))
    assert resp.status_code == 404


def test_intake_once_per_key_with_products_and_printouts(app: Any, client: Any,
                                                         api_headers: Any, cust: int) -> None:
    c = _consignor(client, api_headers("manager"), cust)
    h = api_headers("reception", station="reception") | {"Idempotency-Key": "dx-1"}
    body = {"consignor_id": c["id"], "lines": _lines(2), "consignor_present": False}
    first = client.post(f"{API}/consignments", json=body, headers=h)
    again = client.post(f"{API}/consignments", json=body, headers=h)
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true" and first.get_json() == again.get_json()
    out = first.get_json()
    head = c["code"][:-1]
    assert out["number"].startswith("DX-") and out["signature_state"] == "sent"
    assert [(i["product_code"], i["barcode"], i["qty"]) for i in out["items"]] == [
        (f"{head}-001", f"{head}-001", 2), (f"{head}-002", f"{head}-002", 3)]
    assert out["items"][1]["consignor_price"] == "90.00" and out["items"][0]["consignor_price"] is None
    n = _counts(app)
    assert n["consignments"] == 1 and n["products"] == 2 and n["jobs"] == 3
    prod = client.get(f"{API}/products/by-barcode/{head}-001", headers=api_headers("clerk"))
    assert prod.get_json()["consignor_code"] == c["code"] and prod.get_json()["stock_qty"] == 2
    with app.app_context():
        ours = factories.product(code="SL-0001")
        db.session.commit()
        assert ours.consignor_id is None
    listed = client.get(f"{API}/products?q=SL-0001", headers=api_headers("clerk")).get_json()["items"]
    assert {p["code"]: p["consignor_code"] for p in listed}["SL-0001"] is None


def test_present_needs_the_signature(app: Any, client: Any, api_headers: Any, cust: int) -> None:
    c = _consignor(client, api_headers("manager"), cust)
    h = api_headers("manager")
    before = _counts(app)
    body = {"consignor_id": c["id"], "lines": _lines(1), "consignor_present": True}
    missing = client.post(f"{API}/consignments", json=body, headers=h)
    assert missing.status_code == 422 and "signature" in missing.get_json()["errors"]
    garbage = client.post(f"{API}/consignments", json=body | {"signature_png": "@@@"}, headers=h)
    assert garbage.status_code == 422
    assert _counts(app) == before
    signed = client.post(f"{API}/consignments", json=body | {"signature_png": SIG}, headers=h)
    assert signed.status_code == 201 and signed.get_json()["signature_state"] == "signed"


@pytest.mark.parametrize(("line", "field"), [
    ({"qty": 0}, "lines[0].qty"), ({"qty": -1}, "lines[0].qty"), ({"qty": "2"}, "lines[0].qty"),
    ({"price_wholesale": "-1.00"}, "lines[0].price_wholesale"),
    ({"price_franchise": 12.5}, "lines[0].price_franchise"),
    ({"consignor_price": "1.234"}, "lines[0].consignor_price"),
    ({"name": "长" * 121}, "lines[0].name"), ({"name": ""}, "lines[0].name"),
    ({"name": "手\u202e镯"}, "lines[0].name")])
def test_bad_lines_are_422_and_write_nothing(app: Any, client: Any, api_headers: Any,
                                             cust: int, line: dict[str, Any], field: str) -> None:
    c = _consignor(client, api_headers("manager"), cust)
    before = _counts(app)
    body = {"consignor_id": c["id"], "lines": [_lines(1)[0] | line], "consignor_present": False}
    resp = client.post(f"{API}/consignments", json=body, headers=api_headers("reception"))
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["errors"]
    assert _counts(app) == before


def test_empty_list_and_unknown_consignor(app: Any, client: Any, api_headers: Any, cust: int
                                          ) -> None:
    c = _consignor(client, api_headers("manager"), cust)
    h = api_headers("reception")
    empty = client.post(f"{API}/consignments", json={"consignor_id": c["id"], "lines": [],
                                                     "consignor_present": False}, headers=h)
    assert empty.status_code == 422 and "lines" in empty.get_json()["errors"]
    nobody = client.post(f"{API}/consignments", json={"consignor_id": 424242, "lines": _lines(1),
                                                      "consignor_present": False}, headers=h)
    assert nobody.status_code == 404


def test_withdrawal_never_beyond_on_hand(app: Any, client: Any, api_headers: Any, cust: int
                                         ) -> None:
    c = _consignor(client, api_headers("manager"), cust)
    h = api_headers("manager")
    k = client.post(f"{API}/consignments", json={"consignor_id": c["id"], "lines": _lines(2),
                                                 "consignor_present": False},
                    headers=h | {"Idempotency-Key": "dx-2"}).get_json()
    code1, code2 = (i["product_code"] for i in k["items"])
    url = f"{API}/consignments/{k['id']}/withdrawals"
    before = _counts(app)
    over = client.post(url, json={"lines": [{"product_code": code1, "qty": 3}]},
                       headers=h | {"Idempotency-Key": "dt-0"})
    assert over.status_code == 409 and over.get_json()["rule"] == "consigned_on_hand"
    alien = client.post(url, json={"lines": [{"product_code": "NOPE", "qty": 1}]},
                        headers=h | {"Idempotency-Key": "dt-00"})
    assert alien.status_code == 422 and "lines[0].product_code" in alien.get_json()["errors"]
    assert _counts(app) == before
    body = {"lines": [{"product_code": code1, "qty": 1}, {"product_code": code2, "qty": 3}]}
    first = client.post(url, json=body, headers=h | {"Idempotency-Key": "dt-1"})
    again = client.post(url, json=body, headers=h | {"Idempotency-Key": "dt-1"})
    assert first.status_code == 201 and first.get_json() == again.get_json()
    out = first.get_json()
    assert out["kind"] == "withdrawal" and out["intake_id"] == k["id"]
    assert [(i["product_code"], i["qty"], i["on_hand"]) for i in out["items"]] == [
        (code1, 1, 1), (code2, 3, 0)]
    assert client.post(f"{API}/consignments/999999/withdrawals", json=body,
                       headers=h | {"Idempotency-Key": "dt-3"}).status_code == 404


@pytest.mark.parametrize("role", ["clerk", "cashier", "packer", "shipper"])
def test_roles(client: Any, api_headers: Any, cust: int, role: str) -> None:
    h = api_headers(role)
    assert client.post(f"{API}/consignors", json={"customer_id": cust}, headers=h).status_code == 403
    assert client.post(f"{API}/consignments", json={"consignor_id": 1, "lines": _lines(1),
                                                    "consignor_present": False},
                       headers=h).status_code == 403
    assert client.post(f"{API}/consignments/1/withdrawals",
                       json={"lines": [{"product_code": "X", "qty": 1}]},
                       headers=h).status_code == 403


def test_reception_may_take_in_but_not_make_consignors_or_withdraw(client: Any, api_headers: Any,
                                                                   cust: int) -> None:
    h = api_headers("reception")
    assert client.post(f"{API}/consignors", json={"customer_id": cust}, headers=h).status_code == 403
    assert client.post(f"{API}/consignments/1/withdrawals",
                       json={"lines": [{"product_code": "X", "qty": 1}]},
                       headers=h).status_code == 403


def test_openapi_names_the_routes(client: Any) -> None:
    doc = client.get(f"{API}/openapi.json").get_json()
    paths = {p.removeprefix("/api/v1") for p in doc["paths"]}
    assert {"/consignors", "/consignments", "/consignments/{consignment_id}/withdrawals"} <= paths
    product = doc["components"]["schemas"]["ProductOut"]["properties"]
    assert "consignor_code" in product
