"""Wishes and print jobs through the API."""
from __future__ import annotations

from api_support import API, assert_problem, seed_world


def test_record_and_list_wishes(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk")
    resp = client.post(f"{API}/wishes", headers=clerk, json={
        "customer_id": world["customer"], "product_code": world["p_none"], "qty": 3,
        "order_id": world["open"]})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    wish = resp.get_json()
    assert (wish["product_code"], wish["qty"], wish["customer_name"], wish["order_id"]) == (
        world["p_none"], 3, "王丽", world["open"])
    text = client.post(f"{API}/wishes", headers=api_headers("reception"), json={
        "customer_id": world["other_customer"], "description": "莲花吊坠 大号"})
    assert text.status_code == 201
    assert (text.get_json()["product_code"], text.get_json()["qty"]) == (None, 1)
    for_product = client.get(f"{API}/wishes", query_string={"product_code": world["p_none"]},
                             headers=api_headers("packer")).get_json()["items"]
    assert [w["id"] for w in for_product] == [wish["id"]]
    everything = client.get(f"{API}/wishes", headers=clerk).get_json()["items"]
    assert [w["id"] for w in everything] == [wish["id"], text.get_json()["id"]]


def test_print_jobs_list_filter_and_reprint(app, client, api_headers):
    world = seed_world(app)
    headers = api_headers("cashier")
    jobs = client.get(f"{API}/print-jobs", query_string={"order_id": world["settled"]},
                      headers=headers).get_json()["items"]
    assert {j["document"] for j in jobs} == {"sales_slip", "cash_receipt"}
    slip = next(j for j in jobs if j["document"] == "sales_slip")
    assert (slip["copies"], slip["reprint"], slip["status"], slip["station"]) == (
        3, False, "queued", "cashier-1")
    assert set(slip) >= {"id", "document", "station", "printer", "status", "attempts", "error",
                         "copies", "reprint"}
    assert_problem(client.post(f"{API}/print-jobs/{slip['id']}/reprint", headers=headers), 409)
    _mark_printed(app, slip["id"])  # only a job that has been through the printer is reprinted
    assert_problem(client.post(f"{API}/print-jobs/{slip['id']}/reprint",
                               headers=api_headers("clerk")), 403)  # shows debts (SPEC §12)
    resp = client.post(f"{API}/print-jobs/{slip['id']}/reprint", headers=headers)
    assert resp.status_code == 201
    again = resp.get_json()
    assert (again["reprint"], again["reprint_of_id"], again["copies"], again["document"]) == (
        True, slip["id"], 3, "sales_slip")
    queued = client.get(f"{API}/print-jobs?status=queued&station=cashier-1",
                        headers=headers).get_json()["items"]
    assert again["id"] in [j["id"] for j in queued]
    assert client.get(f"{API}/print-jobs?status=failed", headers=headers).get_json() == {
        "items": []}
    assert_problem(client.post(f"{API}/print-jobs/999999/reprint", headers=headers), 404)
    twice = client.post(f"{API}/print-jobs/{slip['id']}/reprint", headers=headers)
    assert_problem(twice, 409)  # a double tap: the first reprint has not printed yet
    assert f"#{again['id']}" in twice.get_json()["detail"]
    _mark_printed(app, again["id"])
    elsewhere = client.post(f"{API}/print-jobs/{slip['id']}/reprint",
                            headers=api_headers("manager", station="manager"))
    assert (elsewhere.get_json()["station"], elsewhere.get_json()["reprint"]) == ("manager", True)


def _mark_printed(app, job_id):
    from showroom.extensions import db
    from showroom.printjobs.models import PrintJob

    with app.app_context():
        db.session.get(PrintJob, job_id).status = "printed"
        db.session.commit()
