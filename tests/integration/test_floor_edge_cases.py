"""Edge cases found in review: edits after an on-the-spot return, a double-tapped return,
odd digits in forms, redirects after sign-in, idle sign-out on self-refreshing screens,
and who sees phone numbers and debts."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.errors import Conflict
from showroom.extensions import db
from showroom.orders.services import order_lines, recount_total, remove_line, set_line_qty
from showroom.settlement.models import ReturnSlip
from showroom.settlement.services import return_on_the_spot
from showroom.web import safe_next


def _returned_order(app):
    with app.app_context():
        cust = factories.customer(phone="13912345678")
        p = factories.product(wholesale=1_000, stock=10)
        order = factories.order_with_lines(cust.id, [(p, 3)])
        line = order_lines(order.id)[0]
        return_on_the_spot(order.id, [(line.id, 2)], staff_id=None)
        db.session.commit()
        return order.id, line.id, order.version, cust.id


def test_a_line_partly_returned_cannot_be_edited_twice(app):
    order_id, line_id, _v, _c = _returned_order(app)
    with app.app_context():
        with pytest.raises(Conflict):
            remove_line(order_id, line_id)
        db.session.rollback()
        with pytest.raises(Conflict):
            set_line_qty(order_id, line_id, 1)
        db.session.rollback()
        from showroom.orders.models import Order

        order = db.session.get(Order, order_id)
        assert order.total == recount_total(order_id) == 1_000


def test_double_tapped_return_makes_one_slip(app, client, login_as):
    with app.app_context():
        cust = factories.customer()
        p = factories.product(wholesale=1_000, stock=10)
        order = factories.order_with_lines(cust.id, [(p, 3)])
        db.session.commit()
        order_id, line_id, version = order.id, order_lines(order.id)[0].id, order.version
    login_as("cashier")
    form = {f"ret_{line_id}": "1", "version": str(version)}
    first = client.post(f"/cashier/orders/{order_id}/return", data=form)
    second = client.post(f"/cashier/orders/{order_id}/return", data=form)
    assert first.status_code == 303 and second.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReturnSlip)) == 1


@pytest.mark.parametrize("field,value", [("ret_{line}", "²"), ("ret_99999999999999999999", "1"),
                                         ("ret_{line}", "99999999999")])
def test_odd_numbers_in_the_return_form_are_refused_not_500(app, client, login_as, field, value):
    with app.app_context():
        cust = factories.customer()
        order = factories.order_with_lines(cust.id, [(factories.product(stock=5), 1)])
        db.session.commit()
        order_id, line_id = order.id, order_lines(order.id)[0].id
    login_as("cashier")
    resp = client.post(f"/cashier/orders/{order_id}/return",
                       data={field.format(line=line_id): value})
    assert 400 <= resp.status_code < 500
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReturnSlip)) == 0


def test_odd_digits_in_picking_and_reception_are_not_500(app, client, login_as):
    login_as("clerk", "reception")
    assert client.get("/reception/visits/new?customer_id=²").status_code == 200
    assert client.get("/reception/visits/new?customer_id=99999999999999999999").status_code == 200
    resp = client.post("/reception/visits/new", data={"customer_id": "99999999999999999999"})
    assert resp.status_code < 500


@pytest.mark.parametrize("target,ok", [
    ("/cashier/", True), ("//evil.example", False), ("/\t/evil.example", False),
    ("/%09/evil.example", True), ("https://evil.example/", False), ("/\\evil.example", False),
    ("", False),
])
def test_safe_next(target, ok):
    assert (safe_next(target) == target) is ok


def test_sign_in_never_redirects_off_site(client, make_staff):
    staff = make_staff("cashier")
    resp = client.post("/login?next=/%09/evil.example",  # a tab: the text rule refuses it
                       data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
    assert resp.status_code == 422 and "Location" not in resp.headers
    for target in ("//evil.example", "/\\evil.example", "https://evil.example/"):
        resp = client.post(f"/login?next={target}",
                           data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
        assert resp.status_code == 302 and not resp.headers["Location"].startswith("//"), target
        assert "evil.example" not in resp.headers["Location"], target


def test_polling_screens_still_sign_out_after_fifteen_idle_minutes(client, login_as):
    t0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    set_now(t0)
    login_as("cashier")
    for minute in range(1, 16):  # the queue refreshes itself; nobody touches the tablet
        set_now(t0 + timedelta(minutes=minute))
        client.get("/cashier/queue-rows", headers={"HX-Request": "true"})
    set_now(t0 + timedelta(minutes=16))
    resp = client.get("/cashier/queue-rows", headers={"HX-Request": "true"})
    assert "/login" in resp.headers.get("HX-Redirect", "")


def test_api_hides_phone_and_debt_from_roles_that_do_not_need_them(app, client, api_headers):
    order_id, _line, _v, cust_id = _returned_order(app)
    packer = client.get(f"/api/v1/customers/{cust_id}", headers=api_headers("packer")).get_json()
    assert packer["phone"] == "139****5678" and packer["balance"] is None
    cashier = client.get(f"/api/v1/customers/{cust_id}", headers=api_headers("cashier")).get_json()
    assert cashier["phone"] == "13912345678" and cashier["balance"] == "0.00"


def test_sales_slip_preview_is_for_cashier_and_manager(app, client, login_as):
    with app.app_context():
        from showroom.printjobs.services import queue_job

        job = queue_job("sales_slip", {"number": "XS-1", "previous_debt": "10.00"})
        db.session.commit()
        job_id = job.id
    login_as("packer")
    assert client.get(f"/print-jobs/{job_id}").status_code == 403
