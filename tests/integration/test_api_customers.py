"""Customers and their ledger through the API."""
from __future__ import annotations

from api_support import API, assert_problem, seed_world


def test_register_read_search_and_correct(client, api_headers):
    headers = api_headers("reception")
    resp = client.post(f"{API}/customers", headers=headers, json={
        "name": "陈静", "phone": "13912345678", "kind": "franchise",
        "address": "广东省深圳市福田区", "region": "深圳"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    created = resp.get_json()
    assert created["code"].startswith("K")
    # reception sees the phone but not the debt (SPEC §12); a packer sees neither
    assert (created["kind"], created["balance"], created["address"], created["region"],
            created["file_complete"]) == ("franchise", None, "广东省深圳市福田区", "深圳", True)
    cid = created["id"]
    packer = client.get(f"{API}/customers/{cid}", headers=api_headers("packer")).get_json()
    assert packer == created | {"phone": "139****5678"}
    cashier = client.get(f"{API}/customers/{cid}", headers=api_headers("cashier")).get_json()
    assert cashier == created | {"balance": "0.00"}
    for q in ("陈", "1391234", created["code"]):
        found = client.get(f"{API}/customers", query_string={"q": q}, headers=headers).get_json()
        assert [c["id"] for c in found["items"]] == [cid], q
    patched = client.patch(f"{API}/customers/{cid}", headers=api_headers("cashier"),
                           json={"phone": "13700000000", "kind": "wholesale"})
    assert patched.status_code == 200
    assert (patched.get_json()["phone"], patched.get_json()["kind"]) == ("13700000000",
                                                                        "wholesale")
    assert patched.get_json()["name"] == "陈静"


def test_register_without_address_is_an_incomplete_file(client, api_headers):
    resp = client.post(f"{API}/customers", headers=api_headers("cashier"),
                       json={"name": "赵敏", "phone": "13800000001", "kind": "wholesale"})
    assert resp.status_code == 201
    assert resp.get_json()["file_complete"] is False


def test_ledger_after_a_settlement_on_account(app, client, api_headers):
    world = seed_world(app)
    cashier = api_headers("cashier")
    resp = client.post(f"{API}/orders/{world['awaiting']}/settle", headers=cashier, json={
        "payments": [{"method": "wechat", "amount": "1.00"},
                     {"method": "on_account", "amount": "100.00"}]})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    ledger = client.get(f"{API}/customers/{world['customer']}/ledger", headers=cashier)
    assert ledger.status_code == 200
    body = ledger.get_json()
    assert body["balance"] == "100.00"
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in body["entries"]][:2] == [
        ("payment", "-1.00", "100.00"), ("sale", "101.00", "101.00")]
    assert all(e["ref"] and e["created_at"] for e in body["entries"])
    assert client.get(f"{API}/customers/{world['customer']}",
                      headers=cashier).get_json()["balance"] == "100.00"
    assert_problem(client.get(f"{API}/customers/{world['customer']}/ledger",
                              headers=api_headers("clerk")), 403)
