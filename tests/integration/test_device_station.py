"""The device's station, chosen at sign-in, decides where the documents a screen causes
are printed: a settlement at the second till queues its slips for cashier-2."""
from __future__ import annotations

import re

import factories
from sqlalchemy import select

from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job


def test_settling_at_a_chosen_station_prints_there(app, client, make_staff):
    with app.app_context():
        cust = factories.customer()
        p = factories.product(wholesale=2_000)
        order = factories.order_with_lines(cust.id, [(p, 1)])
        queue_job("locker_ticket", {"locker": "1"}, station="cashier-2")  # a known station
        db.session.commit()
        order_id = order.id
    cashier = make_staff("cashier")
    resp = client.post("/login", data={"staff_no": cashier["staff_no"], "pin": cashier["pin"],
                                       "station": "cashier-2"})
    assert resp.status_code == 302
    assert "showroom_station=cashier-2" in resp.headers.get("Set-Cookie", "")
    page = client.get(f"/cashier/orders/{order_id}").get_data(as_text=True)
    assert "cashier-2" in page  # shown in the top bar
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="token"', page)
    assert token, "the settle form carries a one-time token"
    resp = client.post(f"/cashier/orders/{order_id}/settle",
                       data={"token": token.group(1), "cash_amount": "20.00",
                             "cash_tendered": "20.00"})
    assert resp.status_code in (200, 302, 303), resp.get_data(as_text=True)[:500]
    with app.app_context():
        stations = set(db.session.scalars(select(PrintJob.station)
                                          .where(PrintJob.order_id == order_id)))
    assert stations == {"cashier-2"}


def test_unknown_station_is_refused_and_nothing_remembered(client, make_staff):
    cashier = make_staff("cashier")
    resp = client.post("/login", data={"staff_no": cashier["staff_no"], "pin": cashier["pin"],
                                       "station": "<script>"})
    assert resp.status_code == 422
    assert "showroom_station" not in resp.headers.get("Set-Cookie", "")
