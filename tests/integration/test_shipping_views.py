"""The shipper's screens through the test client: queue, ship form (errors, one-time
token), shipment page with the notice and its sends, rates and quote, search."""
from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from shipping_factories import demo_rates, packed_order
from sqlalchemy import func, select

from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.printjobs.models import PrintJob
from showroom.shipping.models import CarrierRate, Shipment, ShipmentNotice


def _world(app: Any, **kw: Any) -> dict[str, Any]:
    with app.app_context():
        demo_rates()
        order = packed_order(name="周老板", region="广东 广州", preferred_carrier="sf_express",
                             **kw)
        db.session.commit()
        return {"order": order.id, "number": order.number, "customer": order.customer_id}


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


SHIP = {"carrier": "sf_express", "waybill": "SF1234567890123", "boxes": "2", "weight": "3.5",
        "fee": "51.00", "fee_payer": "customer", "eta_days": "2"}


def test_queue_lists_packed_orders_with_boxes_and_preference(app, client, login_as):
    world = _world(app)
    login_as("shipper")
    page = client.get("/shipping/").get_data(as_text=True)
    assert world["number"] in page and "周老板" in page and "广东 广州" in page
    assert "顺丰" in page or "SF Express" in page
    rows = client.get("/shipping/queue-rows").get_data(as_text=True)
    assert world["number"] in rows


def test_ship_form_is_prefilled_and_a_double_tap_ships_once(app, client, login_as):
    world = _world(app)
    login_as("shipper")
    form = client.get(f"/shipping/orders/{world['order']}").get_data(as_text=True)
    assert re.search(r'value="sf_express"\s+checked', form)  # the customer's preference
    assert 'name="boxes" class="big" value="2"' in form
    assert 'id="eta_days" class="big" value="2"' in form  # SF "*" rate: 1–2 days
    token = str(uuid.uuid4())
    first = client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": token})
    assert first.status_code == 303
    second = client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": token})
    assert second.status_code == 303 and second.location == first.location
    assert _count(app, Shipment) == 1
    with app.app_context():
        fees = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == "shipping_fee")).all()
        assert [e.amount for e in fees] == [51_00]
        s = db.session.scalars(select(Shipment)).one()
        assert (s.weight_g, s.boxes) == (3500, 2)
    page = client.get(first.location).get_data(as_text=True)
    assert "SF1234567890123" in page and 'id="notice-text"' in page
    again = client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": "other"})
    assert again.status_code == 303 and _count(app, Shipment) == 1  # already shipped
    assert client.get(f"/shipping/orders/{world['order']}").status_code == 302


@pytest.mark.parametrize(("changes", "field_text"), [
    ({"waybill": "SF12345"}, "SF1234567890123"),  # the message shows the format
    ({"fee": "12.345"}, "1234.50"),
    ({"boxes": "x"}, "999"),
    ({"weight": "3,5"}, "3.5"),
    ({"carrier": ""}, "sf_express"),
])
def test_bad_input_re_renders_with_the_message_and_writes_nothing(app, client, login_as,
                                                                  changes, field_text):
    world = _world(app)
    login_as("shipper")
    resp = client.post(f"/shipping/orders/{world['order']}",
                       data=SHIP | changes | {"token": str(uuid.uuid4())})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'class="field-error"' in page and field_text in page
    assert _count(app, Shipment) == 0 and _count(app, LedgerEntry) == 2  # sale + payment
    with app.app_context():
        assert db.session.get(Order, world["order"]).status == "packed"


def test_unpacked_order_shows_409_without_a_form(app, client, login_as):
    import factories

    with app.app_context():
        cust = factories.customer()
        order = factories.order_with_lines(cust.id, [(factories.product(), 1)])
        db.session.commit()
        order_id = order.id
    login_as("shipper")
    resp = client.get(f"/shipping/orders/{order_id}")
    assert resp.status_code == 409 and 'id="ship-form"' not in resp.get_data(as_text=True)
    post = client.post(f"/shipping/orders/{order_id}", data=SHIP | {"token": "t-1"})
    assert post.status_code == 409 and _count(app, Shipment) == 0


def test_notice_sends_are_recorded_and_print_is_queued(app, client, login_as):
    world = _world(app)
    staff = login_as("shipper")
    client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": "t-2"})
    with app.app_context():
        sid = db.session.scalar(select(Shipment.id))
    for channel in ("copied", "printed", "phoned"):
        resp = client.post(f"/shipping/shipments/{sid}/notices", data={"channel": channel})
        assert resp.status_code == 303
    assert client.post(f"/shipping/shipments/{sid}/notices",
                       data={"channel": "emailed"}).status_code == 422
    page = client.get(f"/shipping/shipments/{sid}").get_data(as_text=True)
    assert page.count('<tr class="send ') == 3
    assert 'id="email-button" disabled' in page and 'id="email-why"' in page
    email = client.post(f"/shipping/shipments/{sid}/email", data={})
    assert email.status_code == 409 and _count(app, ShipmentNotice) == 3
    with app.app_context():
        job = db.session.scalars(select(PrintJob).where(PrintJob.document == "shipping_notice")).one()
        assert job.ref.startswith("FH-") and "SF1234567890123" in job.payload
        assert {n.staff_id for n in db.session.scalars(select(ShipmentNotice))} == {staff["id"]}


def test_email_is_queued_when_the_customer_has_an_address(app, client, login_as):
    app.config["SHOWROOM_SMTP_HOST"] = "127.0.0.1"
    world = _world(app, email="zhou@example.com")
    login_as("shipper")
    client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": "t-3"})
    with app.app_context():
        sid = db.session.scalar(select(Shipment.id))
    # shipping queued the e-mail itself; pressing E-mail while it waits is refused
    assert client.post(f"/shipping/shipments/{sid}/email", data={}).status_code == 409
    with app.app_context():
        n = db.session.scalars(select(ShipmentNotice)).one()
        assert (n.channel, n.status, n.to_address) == ("emailed", "queued", "zhou@example.com")


def test_rates_manager_edits_others_read_and_quote(app, client, login_as):
    _world(app)
    login_as("shipper")
    page = client.get("/shipping/rates?carrier=sf_express&destination=广东&weight=3.5&boxes=2")
    assert page.status_code == 200 and "¥51.00" in page.get_data(as_text=True)
    bad = client.get("/shipping/rates?carrier=road_freight&weight=2")
    assert bad.status_code == 422 and 'id="quote-error"' in bad.get_data(as_text=True)
    assert client.post("/shipping/rates", data={"carrier": "sf_express"}).status_code == 403
    client.get("/logout")
    login_as("manager")
    resp = client.post("/shipping/rates", data={"carrier": "road_freight", "destination": "*",
                                                "first_kg": "30", "per_kg": "2",
                                                "min_days": "3", "max_days": "6"})
    assert resp.status_code == 303 and _count(app, CarrierRate) == 4
    bad = client.post("/shipping/rates", data={"carrier": "road_freight", "first_kg": "-3",
                                               "min_days": "5", "max_days": "2"})
    assert bad.status_code == 422 and _count(app, CarrierRate) == 4
    with app.app_context():
        rid = db.session.scalar(select(CarrierRate.id).where(CarrierRate.carrier == "road_freight"))
    assert client.post(f"/shipping/rates/{rid}/delete", data={}).status_code == 303
    assert _count(app, CarrierRate) == 3


def test_search_by_waybill_customer_and_day(app, client, login_as):
    world = _world(app)
    login_as("shipper")
    client.post(f"/shipping/orders/{world['order']}", data=SHIP | {"token": "t-4"})
    found = client.get("/shipping/shipments?waybill=sf12345").get_data(as_text=True)
    assert "SF1234567890123" in found
    assert "SF1234567890123" not in client.get(
        "/shipping/shipments?waybill=SF9").get_data(as_text=True)
    assert "SF1234567890123" in client.get(
        "/shipping/shipments?customer=周老板").get_data(as_text=True)
    assert client.get("/shipping/shipments?date_from=22-11-2026").status_code == 422


def test_roles(app, client, login_as):
    _world(app)
    login_as("clerk")
    assert client.get("/shipping/").status_code == 403
    assert client.get("/shipping/rates").status_code == 200
    assert client.get("/shipping/shipments").status_code == 200
