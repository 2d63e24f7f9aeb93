"""Products and stock receipts through the API."""
from __future__ import annotations

from api_support import API, assert_problem, seed_world, snapshot

PRODUCT = {"code": "BR-2001", "barcode": "6901234567892", "name": "925银手镯 莲花",
           "price_wholesale": "1234.50", "price_franchise": "1100", "care_note": "避免接触香水"}


def test_create_product(client, api_headers):
    resp = client.post(f"{API}/products", headers=api_headers("manager"), json=PRODUCT)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body == {"id": body["id"], "code": "BR-2001", "barcode": "6901234567892",
                    "name": "925银手镯 莲花", "price_wholesale": "1234.50",
                    "price_franchise": "1100.00", "stock_qty": 0, "category": "", "area": None,
                    "care_note": "避免接触香水", "material": "", "origin": "",
                    "washing_note": "", "background": "", "consignor_code": None}


def test_search_by_code_barcode_and_name(app, client, api_headers):
    seed_world(app)
    headers = api_headers("packer")
    by_code = client.get(f"{API}/products?q=SL-0002", headers=headers).get_json()["items"]
    assert [p["code"] for p in by_code] == ["SL-0002"]
    by_barcode = client.get(f"{API}/products?q=6900000000011", headers=headers).get_json()
    assert [p["code"] for p in by_barcode["items"]] == ["SL-0001"]
    prefix = client.get(f"{API}/products?q=SL-", headers=headers).get_json()["items"]
    assert {p["code"] for p in prefix} == {"SL-0001", "SL-0002", "SL-0003"}
    by_name = client.get(f"{API}/products", query_string={"q": "手链"}, headers=headers)
    assert len(by_name.get_json()["items"]) == 3
    assert client.get(f"{API}/products", headers=headers).get_json() == {"items": []}


def test_lookup_by_barcode(app, client, api_headers):
    seed_world(app)
    headers = api_headers("clerk")
    resp = client.get(f"{API}/products/by-barcode/6900000000011", headers=headers)
    assert resp.status_code == 200
    assert resp.get_json()["code"] == "SL-0001"
    assert resp.get_json()["stock_qty"] == 10 - 1  # one was sold in the settled order
    assert_problem(client.get(f"{API}/products/by-barcode/0000", headers=headers), 404)


def test_stock_receipt_raises_stock(app, client, api_headers):
    seed_world(app)
    headers = api_headers("manager")
    resp = client.post(f"{API}/stock/receipts", headers=headers,
                       json={"lines": [{"product_code": "SL-0003", "qty": 4},
                                       {"product_code": "SL-0002", "qty": 1}]})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["number"].startswith("RK-")
    assert body["lines"] == [{"product_code": "SL-0003", "qty": 4, "stock_qty": 4},
                             {"product_code": "SL-0002", "qty": 1, "stock_qty": 6}]
    after = client.get(f"{API}/products/by-barcode/6900000000035", headers=headers).get_json()
    assert after["stock_qty"] == 4


def test_stock_receipt_with_the_same_key_receives_once(app, client, api_headers):
    seed_world(app)
    headers = api_headers("manager") | {"Idempotency-Key": "a0c4f9e2-receipt-1"}
    body = {"lines": [{"product_code": "SL-0003", "qty": 3}]}
    first = client.post(f"{API}/stock/receipts", headers=headers, json=body)
    before = snapshot(app)
    again = client.post(f"{API}/stock/receipts", headers=headers, json=body)
    assert (again.status_code, again.get_json()) == (first.status_code, first.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert snapshot(app) == before
    assert before["stock"]["SL-0003"] == 3
    other = client.post(f"{API}/stock/receipts", headers=headers,
                        json={"lines": [{"product_code": "SL-0003", "qty": 4}]})
    assert_problem(other, 409)
    assert snapshot(app) == before
