"""Appointment screens through the client (CSRF off as in the other view tests): booking
(double submit books once; a closed day, lunch time or refused characters: 422 with the
message and nothing written), roles on every screen, phones only for roles that may see
them, the clerk's polled list (no warning at 14:49, the warning at 14:51, never a write on
GET), "I'm ready", gathering, starting the call onto the picking order screen with the
facts panel, starting twice, reschedule and its history, and the catalog's washing and
background fields."""
from __future__ import annotations

import re
from typing import Any

import pytest
from appointment_support import AT_15, WED_11, booked, world
from sqlalchemy import func, select

from showroom.appointments.models import Appointment, AppointmentChange
from showroom.catalog.models import Product
from showroom.clock import set_now
from showroom.extensions import db
from showroom.orders.models import Order

TOKEN = re.compile(r'id="token" name="token" type="hidden" value="([^"]+)"')


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    with app.app_context():
        out = world()
        a = booked(out)
        db.session.commit()
        return {k: v.id for k, v in out.items()} | {
            "appointment": a.id, "clerk_no": out["clerk"].staff_no, "pin": "246810",
            "phone": out["customer"].phone, "p1_barcode": out["p1"].barcode}


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _as_clerk(client: Any, w: dict[str, Any]) -> None:
    resp = client.post("/login", data={"staff_no": w["clerk_no"], "pin": w["pin"]})
    assert resp.status_code == 302


def _book(client: Any, w: dict[str, Any], **over: str) -> Any:
    page = client.get(f"/appointments/new?customer_id={w['customer']}").get_data(as_text=True)
    m = TOKEN.search(page)
    assert m, page[:3000]
    data = {"token": m.group(1), "customer_id": str(w["customer"]), "clerk": w["clerk_no"],
            "day": "2026-12-08", "at": "16:00", "wanted": "吊坠"} | over
    return client.post("/appointments/new", data=data), data


def test_reception_books_once(app, client, login_as, w):
    login_as("reception")
    before = _count(app, Appointment)
    resp, data = _book(client, w)
    assert resp.status_code == 303 and "/appointments/" in resp.headers["Location"]
    again = client.post("/appointments/new", data=data)  # a double tap: same token
    assert again.status_code == 303 and again.headers["Location"] == resp.headers["Location"]
    assert _count(app, Appointment) == before + 1
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "吊坠" in page and "16:00" in page and 'data-kind="booked"' in page


@pytest.mark.parametrize(("over", "words"), [
    ({"day": "2026-12-12"}, "2026-12-12"),  # Saturday
    ({"at": "12:30"}, "12:30"),  # lunch break
    ({"at": "09:00"}, "09:00"),  # already past (now 10:00)
    ({"wanted": "吊坠\u202e"}, "U+202E"),
    ({"wanted": ""}, 'data-error-for="wanted"'),
])
def test_booking_refusals_write_nothing(app, client, login_as, w, over, words):
    login_as("reception")
    before = (_count(app, Appointment), _count(app, AppointmentChange))
    resp, _data = _book(client, w, **over)
    assert resp.status_code == 422
    assert words in resp.get_data(as_text=True)
    assert (_count(app, Appointment), _count(app, AppointmentChange)) == before


@pytest.mark.parametrize("role", ["cashier", "packer", "shipper"])
def test_roles_kept_out(client, login_as, w, role):
    login_as(role)
    aid = w["appointment"]
    for url in ("/appointments/", "/appointments/new", f"/appointments/{aid}",
                "/appointments/mine/live"):
        assert client.get(url).status_code == 403, url
    for url in (f"/appointments/{aid}/start", f"/appointments/{aid}/cancel",
                f"/appointments/{aid}/reschedule", f"/appointments/{aid}/goods"):
        assert client.post(url, data={}).status_code == 403, url


def test_phone_only_for_roles_that_may_see_it(client, login_as, w):
    login_as("clerk")
    page = client.get("/appointments/new?q=远方").get_data(as_text=True)
    assert "远方饰品店" in page and w["phone"] not in page
    page = client.get(f"/appointments/{w['appointment']}").get_data(as_text=True)
    assert w["phone"] not in page
    client.post("/logout")
    login_as("reception")
    page = client.get("/appointments/new?q=远方").get_data(as_text=True)
    assert w["phone"] in page


def test_the_clerks_warning_from_ten_minutes_before(app, client, w):
    set_now(AT_15.replace(hour=6, minute=49))  # signed in then: the idle sign-out is 15 min
    _as_clerk(client, w)
    live = client.get("/appointments/mine/live").get_data(as_text=True)
    assert "远方饰品店" in live and "data-warning" not in live
    set_now(AT_15.replace(hour=6, minute=51))
    live = client.get("/appointments/mine/live").get_data(as_text=True)
    assert f'data-warning="{w["appointment"]}"' in live
    with app.app_context():  # a GET wrote nothing
        assert db.session.get(Appointment, w["appointment"]).status == "booked"
    assert client.get("/picking/").status_code == 200
    resp = client.post(f"/appointments/{w['appointment']}/ready", data={"version": "1"})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.get(Appointment, w["appointment"]).status == "reminded"


def test_gather_start_and_facts(app, client, w):
    _as_clerk(client, w)
    aid = w["appointment"]
    assert client.post(f"/appointments/{aid}/goods", data={"code": w["p1_barcode"],
                                                           "qty": "2"}).status_code == 303
    assert client.post(f"/appointments/{aid}/goods", data={"code": "VC-0002"}).status_code == 303
    bad = client.post(f"/appointments/{aid}/goods", data={"code": "NOPE-1"})
    assert bad.status_code == 404 and "NOPE-1" in bad.get_data(as_text=True)
    page = client.get(f"/appointments/{aid}").get_data(as_text=True)
    assert 'data-good="VC-0001"' in page and 'data-good="VC-0002"' in page
    resp = client.post(f"/appointments/{aid}/start", data={})
    assert resp.status_code == 303 and "/picking/orders/" in resp.headers["Location"]
    again = client.post(f"/appointments/{aid}/start", data={})
    assert again.headers["Location"] == resp.headers["Location"]
    with app.app_context():
        orders = db.session.scalars(select(Order).where(Order.channel == "video")).all()
        assert len(orders) == 1 and orders[0].line_count == 2
    order_page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'data-facts="VC-0001"' in order_page and "苗族银饰纹样" in order_page
    assert "温水加中性洗剂轻洗" in order_page and "广州" in order_page
    bar = client.get(f"/appointments/orders/{orders[0].id}/bar").get_data(as_text=True)
    assert 'id="ap-end"' in bar
    scan = client.post(f"/picking/orders/{orders[0].id}/scan", data={"code": "VC-0001"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-facts="VC-0001"' in scan  # the scan result opens the same panel
    assert client.post(f"/appointments/{aid}/end", data={}).status_code == 303
    with app.app_context():
        assert db.session.get(Appointment, aid).status == "done"


def test_another_clerk_cannot_start(client, login_as, w):
    login_as("clerk")
    assert client.post(f"/appointments/{w['appointment']}/start", data={}).status_code == 403


def test_reschedule_on_screen(app, client, login_as, w):
    login_as("reception")
    aid = w["appointment"]
    url = f"/appointments/{aid}/reschedule"
    resp = client.post(url, data={"version": "1", "day": "2026-12-09", "at": "11:00",
                                  "reason": ""})
    assert resp.status_code == 422 and 'data-error-for="reason"' in resp.get_data(as_text=True)
    resp = client.post(url, data={"version": "1", "day": "2026-12-09", "at": "11:00",
                                  "reason": "客户网络不好"})
    assert resp.status_code == 303
    stale = client.post(url, data={"version": "1", "day": "2026-12-09", "at": "14:00",
                                   "reason": "再改"})
    assert stale.status_code == 409
    page = client.get(f"/appointments/{aid}").get_data(as_text=True)
    assert "客户网络不好" in page and "2026-12-08 15:00" in page and "2026-12-09 11:00" in page
    with app.app_context():
        assert db.session.get(Appointment, aid).starts_at == WED_11
    day = client.get("/appointments/?date=2026-12-09").get_data(as_text=True)
    assert f'data-appointment="{aid}"' in day


def test_no_show_and_cancel_need_a_reason(app, client, login_as, w):
    login_as("reception")
    aid = w["appointment"]
    assert client.post(f"/appointments/{aid}/no-show", data={"reason": ""}).status_code == 422
    assert client.post(f"/appointments/{aid}/cancel", data={"reason": "\x1b"}).status_code == 422
    assert client.post(f"/appointments/{aid}/cancel", data={"reason": "客户不要了"}
                       ).status_code == 303
    with app.app_context():
        assert db.session.get(Appointment, aid).status == "cancelled"


def test_catalog_edits_washing_and_background(app, client, login_as, w):
    login_as("manager")
    url = f"/catalog/products/{w['p2']}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="washing_note"' in page and 'name="background"' in page
    resp = client.post(url, data={"code": "VC-0002", "name": "银戒指", "price_wholesale": "88",
                                  "price_franchise": "80", "washing_note": "清水冲洗\n晾干",
                                  "background": "云南手工"})
    assert resp.status_code == 303
    with app.app_context():
        p = db.session.get(Product, w["p2"])
        assert (p.washing_note, p.background) == ("清水冲洗\n晾干", "云南手工")
    bad = client.post(url, data={"code": "VC-0002", "name": "银戒指", "price_wholesale": "88",
                                 "price_franchise": "80", "background": "云南\u200b"})
    assert bad.status_code == 422
