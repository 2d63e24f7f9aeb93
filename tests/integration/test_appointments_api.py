"""Appointments over the API (API.md "Remote orders"): book (201, Idempotency-Key replays
the first answer), roles (403 problem bodies), 422 bodies naming the field (a closed day,
a naive time, refused characters), reschedule keeping the old time and reason in
`history`, no-show / cancel, goods, start → {appointment, order} on channel video (a
second start the same order), a stale version 409, end; the day list."""
from __future__ import annotations

from typing import Any

import pytest
from appointment_support import AT_15, booked, world
from sqlalchemy import func, select

from showroom.appointments.models import Appointment
from showroom.extensions import db

API = "/api/v1"


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    with app.app_context():
        out = world()
        a = booked(out)
        db.session.commit()
        return {"customer": out["customer"].id, "clerk_no": out["clerk"].staff_no,
                "appointment": a.id, "p1": out["p1"].barcode}


def _clerk_headers(client: Any, w: dict[str, Any]) -> dict[str, str]:
    resp = client.post(f"{API}/auth/token", json={"staff_no": w["clerk_no"], "pin": "246810"})
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def _count(app: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Appointment)) or 0)


def _body(w: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"customer_id": w["customer"], "starts_at": "2026-12-08T16:30:00+08:00",
            "clerk_staff_no": w["clerk_no"], "wanted": "耳环"} | over


def test_book_and_replay(app, client, api_headers, w):
    h = api_headers("reception") | {"Idempotency-Key": "3f9c1d52-aaaa-4bbb-8ccc-000000000001"}
    resp = client.post(f"{API}/appointments", headers=h, json=_body(w))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "booked" and body["starts_at"].startswith("2026-12-08T08:30")
    assert body["remind_at"].startswith("2026-12-08T08:20") and body["id"]
    again = client.post(f"{API}/appointments", headers=h, json=_body(w))
    assert again.get_json()["id"] == body["id"] and _count(app) == 2


def test_book_warns_on_a_clash(client, api_headers, w):
    resp = client.post(f"{API}/appointments", headers=api_headers("clerk"),
                       json=_body(w, starts_at="2026-12-08T15:20:00+08:00"))
    assert resp.status_code == 201 and "15:00" in resp.get_json()["warnings"][0]


@pytest.mark.parametrize(("over", "field"), [
    ({"starts_at": "2026-12-12T10:00:00+08:00"}, "starts_at"),  # Saturday
    ({"starts_at": "2026-12-08T12:30:00+08:00"}, "starts_at"),  # lunch
    ({"starts_at": "2026-12-08T16:30:00"}, "starts_at"),  # no offset
    ({"wanted": "耳环\x00"}, "wanted"),
    ({"wanted": ""}, "wanted"),
    ({"clerk_staff_no": "0000"}, "clerk_staff_no"),
])
def test_book_refusals(app, client, api_headers, w, over, field):
    before = _count(app)
    resp = client.post(f"{API}/appointments", headers=api_headers("reception"),
                       json=_body(w, **over))
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert resp.content_type == "application/problem+json" and body["detail"]
    assert any(k == field or k.startswith(field) for k in body["errors"]), body
    assert _count(app) == before


@pytest.mark.parametrize("role", ["cashier", "packer"])
def test_roles(client, api_headers, w, role):
    h = api_headers(role)
    aid = w["appointment"]
    assert client.post(f"{API}/appointments", headers=h, json=_body(w)).status_code == 403
    assert client.post(f"{API}/appointments/{aid}/start", headers=h).status_code == 403
    assert client.get(f"{API}/appointments", headers=h).status_code == 403


def test_reception_cannot_start(client, api_headers, w):
    resp = client.post(f"{API}/appointments/{w['appointment']}/start",
                       headers=api_headers("reception"))
    assert resp.status_code == 403 and resp.get_json()["status"] == 403


def test_reschedule_keeps_history(client, api_headers, w):
    h = api_headers("reception")
    url = f"{API}/appointments/{w['appointment']}/reschedule"
    bad = client.post(url, headers=h, json={"starts_at": "2026-12-09T11:00:00+08:00",
                                             "reason": ""})
    assert bad.status_code == 422
    resp = client.post(url, headers=h, json={"starts_at": "2026-12-09T11:00:00+08:00",
                                              "reason": "客户网络不好", "version": 1})
    assert resp.status_code == 200, resp.get_json()
    a = resp.get_json()
    assert a["status"] == "booked" and a["starts_at"].startswith("2026-12-09T03:00")
    last = a["history"][-1]
    assert last["kind"] == "rescheduled" and last["reason"] == "客户网络不好"
    assert last["old_starts_at"].startswith("2026-12-08T07:00")
    stale = client.post(url, headers=h, json={"starts_at": "2026-12-09T14:00:00+08:00",
                                               "reason": "再改", "version": 1})
    assert stale.status_code == 409
    day = client.get(f"{API}/appointments?date=2026-12-09", headers=h).get_json()
    assert [x["id"] for x in day["items"]] == [w["appointment"]]


def test_goods_start_twice_and_end(client, w):
    h = _clerk_headers(client, w)
    aid = w["appointment"]
    g = client.post(f"{API}/appointments/{aid}/goods", headers=h, json={"code": w["p1"], "qty": 2})
    assert g.status_code == 200 and g.get_json()["goods"][0]["qty"] == 2
    assert client.post(f"{API}/appointments/{aid}/goods", headers=h,
                       json={"code": "NOPE"}).status_code == 404
    s1 = client.post(f"{API}/appointments/{aid}/start", headers=h)
    assert s1.status_code == 200, s1.get_json()
    body = s1.get_json()
    assert body["appointment"]["status"] == "in_call"
    assert body["order"]["status"] == "open" and len(body["order"]["lines"]) == 1
    assert body["appointment"]["order_id"] == body["order"]["id"]
    s2 = client.post(f"{API}/appointments/{aid}/start", headers=h).get_json()
    assert s2["order"]["id"] == body["order"]["id"]
    order = client.get(f"{API}/orders/{body['order']['id']}", headers=h).get_json()
    assert order["lines"][0]["qty"] == 2
    assert client.post(f"{API}/appointments/{aid}/cancel", headers=h,
                       json={"reason": "x"}).status_code == 409
    end = client.post(f"{API}/appointments/{aid}/end", headers=h, json={})
    assert end.status_code == 200 and end.get_json()["status"] == "done"


def test_no_show_then_cancel(client, api_headers, w):
    h = api_headers("reception")
    aid = w["appointment"]
    r = client.post(f"{API}/appointments/{aid}/no-show", headers=h, json={"reason": "没上线"})
    assert r.status_code == 200 and r.get_json()["status"] == "no_show"
    r = client.post(f"{API}/appointments/{aid}/cancel", headers=h, json={"reason": "取消"})
    assert r.status_code == 409  # a no-show can only be rescheduled
    r = client.get(f"{API}/appointments/{aid}", headers=h).get_json()
    assert [c["kind"] for c in r["history"]] == ["booked", "no_show"]
    assert r["starts_at"].startswith(AT_15.strftime("%Y-%m-%dT%H:%M"))
