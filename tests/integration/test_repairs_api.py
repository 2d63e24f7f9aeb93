"""Repairs over the API (API.md "Repairs"): intake 201 with an Idempotency-Key replay,
Thai silver 409 `rule: thai_silver` with nothing written, bad input 422 by field, photos as
a raw image body (415 for other types, 413 beyond the limit, 422 for a bomb header before
decoding), the manager's route and batch hand-over, back with the weight and the callback,
collect, the lists and follow-ups; roles; the OpenAPI document names every route."""
from __future__ import annotations

from datetime import UTC, datetime

import factories
import pytest
from repairs_support import counts, jpeg, png, png_bomb, too_big

from showroom.clock import set_now
from showroom.extensions import db

API = "/api/v1"
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def cust(app):
    set_now(MONDAY_10)
    with app.app_context():
        c = factories.customer(name="王丽华饰品店")
        db.session.commit()
        return c.id


def body(cid: int, **over):
    return {"customer_id": cid, "description": "主石脱落", "part": "戒托",
            "material": "silver_925", "weight_g": "5.20", **over}


def test_intake_is_created_once_per_key(app, client, api_headers, cust):
    h = api_headers("reception", station="reception") | {"Idempotency-Key": "rep-1"}
    first = client.post(f"{API}/repairs", json=body(cust), headers=h)
    again = client.post(f"{API}/repairs", json=body(cust), headers=h)
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    out = first.get_json()
    assert out == again.get_json()
    assert out["status"] == "received" and out["number"].startswith("WX-20261123-")
    assert out["weight_in_g"] == "5.20" and out["custody"][0]["from"] == "customer"
    assert counts(app)["repairs"] == 1 and counts(app)["print_jobs"] == 2


def test_weight_as_a_json_number_is_exact(client, api_headers, cust):
    h = api_headers("clerk")
    resp = client.post(f"{API}/repairs", json=body(cust, weight_g=12.35), headers=h)
    assert resp.status_code == 201 and resp.get_json()["weight_in_g"] == "12.35"


def test_thai_silver_is_409_with_its_rule_and_nothing_written(app, client, api_headers, cust):
    h = api_headers("cashier")
    before = counts(app)
    resp = client.post(f"{API}/repairs", json=body(cust, material="thai_silver"), headers=h)
    problem = resp.get_json()
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    assert problem["rule"] == "thai_silver" and len(problem["reasons"]) == 2
    assert counts(app) == before


@pytest.mark.parametrize(("over", "field"), [
    ({"description": ""}, "description"), ({"weight_g": "-1"}, "weight_g"),
    ({"weight_g": "1.2345"}, "weight_g"), ({"weight_g": -3}, "weight_g"),
    ({"material": "unobtainium"}, "material"), ({"part": ""}, "part"),
    ({"customer_id": 999999}, "customer_id"), ({"customer_id": "1"}, "customer_id"),
    ({"part": "戒\u202e托"}, "part"), ({"weight_g": True}, "weight_g"),
])
def test_bad_input_is_422_by_field_and_writes_nothing(app, client, api_headers, cust, over,
                                                      field):
    h = api_headers("reception")
    before = counts(app)
    resp = client.post(f"{API}/repairs", json=body(cust, **over), headers=h)
    assert resp.status_code == 422, resp.get_json()
    assert any(k.startswith(field) for k in resp.get_json()["errors"]), resp.get_json()
    assert counts(app) == before


def test_photos_as_raw_bodies(app, client, api_headers, cust):
    h = api_headers("reception")
    rid = client.post(f"{API}/repairs", json=body(cust), headers=h).get_json()["id"]
    ok = client.post(f"{API}/repairs/{rid}/photos", data=png(),
                     headers=h | {"Content-Type": "image/png"})
    assert ok.status_code == 201 and ok.get_json()["media_type"] == "image/png"
    big = jpeg() + b"\0" * (3 * 1024 * 1024)  # a 3 MiB photo: far over the API's 256 KiB
    assert client.post(f"{API}/repairs/{rid}/photos", data=big,
                       headers=h | {"Content-Type": "image/jpeg"}).status_code == 201
    before = counts(app)
    for data, kind, status in ((b"", "image/png", 422), (b"not an image", "image/jpeg", 422),
                               (png_bomb(), "image/png", 422), (jpeg(), "image/gif", 415),
                               (jpeg(), "application/json", 415), (too_big(), "image/jpeg", 422),
                               (jpeg() + b"\0" * (6 * 1024 * 1024), "image/jpeg", 413)):
        resp = client.post(f"{API}/repairs/{rid}/photos", data=data,
                           headers=h | {"Content-Type": kind})
        assert resp.status_code == status, (kind, resp.get_json())
        assert resp.mimetype == "application/problem+json"
    assert counts(app) == before
    shown = client.get(f"{API}/repairs/{rid}", headers=h).get_json()
    assert [p["media_type"] for p in shown["photos"]] == ["image/png", "image/jpeg"]
    assert client.post(f"{API}/repairs/999/photos", data=png(),
                       headers=h | {"Content-Type": "image/png"}).status_code == 404


def test_the_api_keeps_its_small_limit_elsewhere(client, api_headers, cust):
    h = api_headers("reception")
    resp = client.post(f"{API}/repairs", headers=h | {"Content-Type": "application/json"},
                       data=b'{"x": "' + b"a" * (300 * 1024) + b'"}')
    assert resp.status_code == 413


def test_route_back_collect_and_the_callback(app, client, api_headers, make_staff, cust):
    desk = api_headers("reception")
    mgr = api_headers("manager")
    worker = make_staff("clerk", staff_no="6203")
    a = client.post(f"{API}/repairs", json=body(cust), headers=desk).get_json()["id"]
    b = client.post(f"{API}/repairs", json=body(cust), headers=desk).get_json()["id"]
    assert client.post(f"{API}/repairs/{a}/route", json={"route": "abroad", "partner": "X"},
                       headers=desk).status_code == 403
    wrong = client.post(f"{API}/repairs/{a}/route", headers=mgr, json={
        "route": "in_house", "receiver_staff_no": "6203", "receiver_pin": "000000"})
    assert wrong.status_code == 401
    inhouse = client.post(f"{API}/repairs/{a}/route", headers=mgr, json={
        "route": "in_house", "receiver_staff_no": "6203", "receiver_pin": worker["pin"]})
    assert inhouse.status_code == 200 and inhouse.get_json()["status"] == "in_house"
    assert inhouse.get_json()["custody"][-1]["receiver_staff_no"] == "6203"
    abroad = client.post(f"{API}/repairs/{b}/route", headers=mgr, json={
        "route": "abroad", "partner": "曼谷金工坊", "months_from": 1, "months_to": 3})
    out = abroad.get_json()
    assert (out["status"], out["expected_back_from"], out["expected_back_to"]) == (
        "abroad", "2026-12-23", "2027-02-23")
    bad = client.post(f"{API}/repairs/{a}/route", headers=mgr, json={"route": "abroad",
                                                                     "partner": "X"})
    assert bad.status_code == 409  # in the workshop already
    assert client.post(f"{API}/repairs/{b}/route", headers=mgr, json={
        "route": "abroad", "partner": "X", "months_to": 7}).status_code == 422
    assert client.get(f"{API}/repairs?overdue=true", headers=desk).get_json()["items"] == []
    set_now(datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    desk = api_headers("reception")  # tokens outlive the moved clock? sign in again anyway
    overdue = client.get(f"{API}/repairs?overdue=true", headers=desk).get_json()["items"]
    assert [r["id"] for r in overdue] == [b] and overdue[0]["overdue"] is True
    backed = client.post(f"{API}/repairs/{b}/back", headers=desk,
                         json={"weight_g": "5.40", "note": "已修好"})
    out = backed.get_json()
    assert backed.status_code == 200 and out["status"] == "back" and out["weight_flag"] is True
    assert out["followups"][0]["kind"] == "repair_callback"
    assert out["followups"][0]["due_at"] == "2027-03-02T01:00:00Z"  # next working day 09:00
    assert client.post(f"{API}/repairs/{b}/back", headers=desk,
                       json={"weight_g": "5.40"}).status_code == 409
    fus = client.get(f"{API}/followups", headers=desk).get_json()
    assert [f["source_id"] for f in fus["coming"]] == [b]
    fid = fus["coming"][0]["id"]
    assert client.post(f"{API}/followups/{fid}/done", headers=desk,
                       json={"outcome": "maybe"}).status_code == 422
    done = client.post(f"{API}/followups/{fid}/done", headers=desk,
                       json={"outcome": "satisfied", "note": "满意"})
    assert done.status_code == 200 and done.get_json()["outcome"] == "satisfied"
    assert client.post(f"{API}/followups/{fid}/done", headers=desk,
                       json={"outcome": "satisfied"}).status_code == 409
    collected = client.post(f"{API}/repairs/{b}/collect", headers=desk, json={})
    assert collected.status_code == 200 and collected.get_json()["status"] == "collected"
    assert client.post(f"{API}/repairs/{b}/collect", headers=desk,
                       json={"shipment_id": 99999}).status_code == 409
    listed = client.get(f"{API}/repairs?status=collected&customer_id={cust}",
                        headers=desk).get_json()["items"]
    assert [r["id"] for r in listed] == [b]
    assert client.get(f"{API}/repairs?status=nope", headers=desk).status_code == 422


def test_batch_hand_over(app, client, api_headers, cust):
    desk, mgr = api_headers("reception"), api_headers("manager")
    ids = [client.post(f"{API}/repairs", json=body(cust), headers=desk).get_json()["id"]
           for _ in range(3)]
    h = mgr | {"Idempotency-Key": "batch-1"}
    resp = client.post(f"{API}/repairs/handover", headers=h,
                       json={"repair_ids": ids, "partner": "曼谷金工坊"})
    again = client.post(f"{API}/repairs/handover", headers=h,
                        json={"repair_ids": ids, "partner": "曼谷金工坊"})
    assert resp.status_code == 201 and again.get_json() == resp.get_json()
    out = resp.get_json()
    assert out["batch"].startswith("SW-") and len(out["items"]) == 3
    assert counts(app)["print_jobs"] == 3 * 2 + 1
    assert client.post(f"{API}/repairs/handover", headers=mgr,
                       json={"repair_ids": [], "partner": "X"}).status_code == 422


def test_roles_and_openapi(client, api_headers, cust):
    packer = api_headers("packer")
    assert client.post(f"{API}/repairs", json=body(cust), headers=packer).status_code == 403
    doc = client.get(f"{API}/openapi.json").get_json()
    for path in ("/api/v1/repairs", "/api/v1/repairs/{repair_id}/photos",
                 "/api/v1/repairs/{repair_id}/route", "/api/v1/repairs/handover",
                 "/api/v1/repairs/{repair_id}/back", "/api/v1/repairs/{repair_id}/collect",
                 "/api/v1/followups", "/api/v1/followups/{followup_id}/done"):
        assert path in doc["paths"], path
    photo = doc["paths"]["/api/v1/repairs/{repair_id}/photos"]["post"]["requestBody"]
    assert set(photo["content"]) == {"image/jpeg", "image/png"}
