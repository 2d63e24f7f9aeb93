"""Complaints over the API (API.md "Customer service"): record 201 (replayed by its key),
bad input 422 by field with nothing written, every gate through POST …/steps, out of
order / approver = proposer / no acceptance → 409 with their rule and nothing written,
roles (list and stats for managers; approve and reopen for managers), the phone masked
for roles without phones, the statistics equal a direct count, the OpenAPI document."""
from __future__ import annotations

from typing import Any

import pytest
from complaint_support import MONDAY_10, sig_b64
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.complaints.models import Complaint, ComplaintStepLog
from showroom.extensions import db

API = "/api/v1"


@pytest.fixture
def cust(app: Any) -> int:
    import factories

    set_now(MONDAY_10)
    with app.app_context():
        c = factories.customer(name="王丽华饰品店")
        db.session.commit()
        return int(c.id)


def counts(app: Any) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Complaint)) or 0,
                db.session.scalar(select(func.count()).select_from(ComplaintStepLog)) or 0)


def new(client: Any, h: dict[str, str], cust: int, **over: Any) -> dict[str, Any]:
    body = {"customer_id": cust, "channel": "phone", "category": "quality", "text": "项链掉色",
            **over}
    resp = client.post(f"{API}/complaints", json=body, headers=h)
    assert resp.status_code == 201, resp.get_json()
    return dict(resp.get_json())


def step(client: Any, h: dict[str, str], cid: int, **body: Any) -> Any:
    return client.post(f"{API}/complaints/{cid}/steps", json=body, headers=h)


def test_record_is_created_once_per_key(app, client, api_headers, cust):
    h = api_headers("packer") | {"Idempotency-Key": "ts-1"}
    first = client.post(f"{API}/complaints", json={
        "customer_id": cust, "channel": "visit", "category": "service", "text": "等太久"},
        headers=h)
    again = client.post(f"{API}/complaints", json={
        "customer_id": cust, "channel": "visit", "category": "service", "text": "等太久"},
        headers=h)
    assert first.status_code == again.status_code == 201
    out = first.get_json()
    assert out == again.get_json() and out["status"] == "recorded"
    assert out["number"].startswith("TS-20261123-")
    assert out["first_response_due"].startswith("2026-11-26T03:30:00")
    assert counts(app) == (1, 0)


@pytest.mark.parametrize(("over", "field"), [
    ({"channel": "fax"}, "channel"), ({"category": 3}, "category"), ({"text": ""}, "text"),
    ({"customer_id": 999999}, "customer_id"), ({"customer_id": "1"}, "customer_id"),
    ({"customer_id": None}, "caller"), ({"text": "坏\u202e字"}, "text"),
    ({"customer_id": None, "caller": "李", "phone": "abc"}, "phone"),
])
def test_bad_record_is_422_by_field(app, client, api_headers, cust, over, field):
    h = api_headers("clerk")
    body = {"customer_id": cust, "channel": "phone", "category": "quality", "text": "项链掉色",
            **over}
    resp = client.post(f"{API}/complaints", json=body, headers=h)
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    assert field in resp.get_json()["errors"]
    assert counts(app) == (0, 0)


def test_every_gate_then_out_of_order_refused(app, client, api_headers, cust):
    reception, clerk = api_headers("reception"), api_headers("clerk")
    m1, m2, cashier = api_headers("manager"), api_headers("manager"), api_headers("cashier")
    cid = new(client, reception, cust)["id"]
    out_of_order = step(client, clerk, cid, step="propose", solution="换货")
    assert out_of_order.status_code == 409 and out_of_order.get_json()["rule"] == "complaint_step"
    assert counts(app) == (1, 0)
    assert step(client, m1, cid, step="judge", stands=True,
                explanation="确有质量问题").status_code == 200
    assert step(client, clerk, cid, step="investigate", department="品控部",
                finding="电镀层薄").status_code == 200
    assert step(client, m1, cid, step="propose", solution="换货").status_code == 200
    same = step(client, m1, cid, step="approve", approved=True, note="")
    assert same.status_code == 409 and same.get_json()["rule"] == "approver_is_proposer"
    assert step(client, clerk, cid, step="approve", approved=True).status_code == 403
    assert counts(app) == (1, 3)
    assert step(client, m2, cid, step="approve", approved=True, note="同意").status_code == 200
    assert step(client, cashier, cid, step="implement", note="已换货").status_code == 200
    none = step(client, reception, cid, step="accept")
    assert none.status_code == 409 and none.get_json()["rule"] == "acceptance_needed"
    bad = step(client, reception, cid, step="accept", signature_png="xx")
    assert bad.status_code == 422 and "signature_png" in bad.get_json()["errors"]
    assert counts(app) == (1, 5)
    signed = step(client, reception, cid, step="accept", signature_png=sig_b64())
    assert signed.status_code == 200 and signed.get_json()["acceptance"] == "signature"
    fb = step(client, reception, cid, step="feedback", rating=5, comment="满意")
    out = fb.get_json()
    assert fb.status_code == 200 and out["status"] == "closed" and out["rating"] == 5
    assert [s["step"] for s in out["steps"]] == ["judge", "investigate", "propose", "approve",
                                                 "implement", "accept", "feedback"]
    assert step(client, clerk, cid, step="reopen", reason="又坏了").status_code == 403
    re = step(client, m2, cid, step="reopen", reason="又坏了").get_json()
    assert re["status"] == "investigated" and re["reopen_count"] == 1


@pytest.mark.parametrize("body", [
    {"step": "fly"}, {"step": "feedback", "rating": 9}, {"step": "judge", "stands": "yes"},
    {"step": "judge", "stands": True, "explanation": "x" * 2001},
])
def test_bad_step_body_422(app, client, api_headers, cust, body):
    h = api_headers("manager")
    cid = new(client, h, cust)["id"]
    resp = step(client, h, cid, **body)
    assert resp.status_code == 422
    assert counts(app) == (1, 0)


def test_unknown_complaint_404(client, api_headers):
    assert step(client, api_headers("clerk"), 999999, step="judge").status_code == 404


def test_list_and_stats_are_for_managers_and_phones_masked(app, client, api_headers, cust):
    clerk = api_headers("clerk")
    new(client, clerk, None, customer_id=None, caller="李先生", phone="13800138000")
    assert client.get(f"{API}/complaints", headers=clerk).status_code == 403
    assert client.get(f"{API}/complaints/stats", headers=clerk).status_code == 403
    items = client.get(f"{API}/complaints", headers=api_headers("manager")).get_json()["items"]
    assert items[0]["phone"] == "13800138000"
    one = client.get(f"{API}/complaints/{items[0]['id']}", headers=api_headers("packer"))
    assert one.status_code == 200 and one.get_json()["phone"] != "13800138000"
    bad = client.get(f"{API}/complaints?status=nope", headers=api_headers("manager"))
    assert bad.status_code == 422
    bad = client.get(f"{API}/complaints/stats?from=2026-13-01", headers=api_headers("manager"))
    assert bad.status_code == 422


def test_stats_equal_a_direct_count(app, client, api_headers, cust):
    m = api_headers("manager")
    for cat in ("quality", "quality", "price"):
        new(client, m, cust, category=cat)
    first = client.get(f"{API}/complaints", headers=m).get_json()["items"][-1]["id"]
    step(client, m, first, step="judge", stands=False, explanation="正常磨损")
    stats = client.get(f"{API}/complaints/stats?from=2026-11-01&to=2026-11-30",
                       headers=m).get_json()
    assert stats["total"] == 3 and stats["by_category"]["quality"] == 2
    assert stats["by_category"]["price"] == 1 and stats["by_category"]["other"] == 0
    assert stats["by_status"] == {"recorded": 2, "judged": 1, "investigated": 0,
                                  "proposed": 0, "approved": 0, "implemented": 0,
                                  "accepted": 0, "closed": 0}
    assert stats["by_month"] == {"2026-11": 3} and stats["stands_share"] == 0.0
    assert stats["first_response_met_share"] == 1.0 and stats["from"] == "2026-11-01"
    empty = client.get(f"{API}/complaints/stats?from=2026-12-01", headers=m).get_json()
    assert empty["total"] == 0 and empty["median_days_to_close"] is None


def test_openapi_lists_the_complaint_routes(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    for path in ("/complaints", "/complaints/{complaint_id}/steps", "/complaints/stats",
                 "/complaints/{complaint_id}"):
        assert f"/api/v1{path}" in doc["paths"] or path in doc["paths"], path


def test_list_filters_by_status_category_and_period(app, client, api_headers, cust):
    m = api_headers("manager")
    new(client, m, cust, category="price")
    first = new(client, m, cust, category="quality")["id"]
    step(client, m, first, step="judge", stands=True, explanation="成立")
    set_now(MONDAY_10.replace(day=30))
    m = api_headers("manager")  # a week on: a fresh token
    new(client, m, cust, category="quality")

    def ids(query: str) -> list[int]:
        resp = client.get(f"{API}/complaints?{query}", headers=m)
        assert resp.status_code == 200, resp.get_json()
        return [c["id"] for c in resp.get_json()["items"]]

    assert len(ids("")) == 3
    assert ids("status=judged") == [first]
    assert len(ids("category=quality")) == 2
    assert len(ids("from=2026-11-23&to=2026-11-23")) == 2
    assert len(ids("from=2026-11-30")) == 1
    judged = client.get(f"{API}/complaints?status=judged", headers=m).get_json()["items"][0]
    assert judged["next_steps"] == ["investigate"] and judged["steps"][0]["step"] == "judge"
