"""The see-off screen through the test client (roles, a clerk's own customers only, the
checklist's refusals shown with nothing written, the opt-in), the buttons that lead to
it, the "new goods first" list on the clerk's follow-up screen, and the API's leave with
and without the departure fields."""
from __future__ import annotations

import factories
import pytest

from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.reception import services as svc
from showroom.reception.models import Visit

API = "/api/v1/visits"
GOOD = {"belongings_taken": "y", "travel_mode": "taxi", "locker_key_returned": "y"}


@pytest.fixture
def visit_id(app):
    with app.app_context():
        c = factories.customer(name="孙七", phone="13900001111")
        v = svc.start_visit(c.id, locker_no="B3")
        db.session.commit()
        return v.id


def state(app, visit_id: int) -> tuple:
    with app.app_context():
        v = db.session.get(Visit, visit_id)
        return (v.status, v.belongings_taken, v.travel_mode, v.new_goods_opt_in, v.seen_off_at,
                v.customer.new_goods_first)


def url(visit_id: int) -> str:
    return f"/reception/visits/{visit_id}/see-off"


@pytest.mark.parametrize("role", ["reception", "packer", "manager"])
def test_roles_that_see_off_any_visit(app, client, login_as, visit_id, role):
    staff = login_as(role)
    page = client.get(url(visit_id) + "?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "孙七" in html and "Walk the customer downstairs" in html
    for mode in ("train", "plane", "own_car", "taxi", "bus", "other"):
        assert f'value="{mode}"' in html
    assert "Locker key returned" in html
    resp = client.post(url(visit_id), data={**GOOD, "new_goods_opt_in": "y"})
    assert resp.status_code == 302
    with app.app_context():
        v = db.session.get(Visit, visit_id)
        assert v.status == "left" and v.travel_mode == "taxi" and v.seen_off_by_id == staff["id"]
        assert v.customer.new_goods_first and v.new_goods_opt_in


@pytest.mark.parametrize("role", ["cashier", "shipper"])
def test_other_roles_are_forbidden(client, login_as, visit_id, role):
    login_as(role)
    assert client.get(url(visit_id)).status_code == 403
    assert client.post(url(visit_id), data=GOOD).status_code == 403


def test_signed_out_goes_to_sign_in(client, visit_id):
    assert client.get(url(visit_id)).status_code == 302


def test_clerk_sees_off_only_their_own_customers(app, client, login_as, visit_id):
    clerk = login_as("clerk")
    assert client.get(url(visit_id)).status_code == 403  # not assigned to anyone yet
    with app.app_context():
        db.session.get(Visit, visit_id).clerk_id = clerk["id"]
        db.session.commit()
    assert url(visit_id) in client.get("/picking/live").get_data(as_text=True)  # my customers
    assert client.get(url(visit_id)).status_code == 200
    assert client.post(url(visit_id), data=GOOD).status_code == 302
    assert state(app, visit_id)[0] == "left"


def test_unknown_visit_is_404(client, login_as):
    login_as("reception")
    assert client.get(url(999_999)).status_code == 404
    assert client.post(url(999_999), data=GOOD).status_code == 404


@pytest.mark.parametrize(("data", "status", "shown"), [
    ({"travel_mode": "taxi", "locker_key_returned": "y"}, 422, "remind the customer"),
    ({"belongings_taken": "y", "locker_key_returned": "y"}, 422, "ask how the customer travels"),
    ({"belongings_taken": "y", "travel_mode": "boat", "locker_key_returned": "y"}, 422,
     "unknown travel mode"),
    ({"belongings_taken": "y", "travel_mode": "x" * 40, "locker_key_returned": "y"}, 422,
     "Please correct the marked fields."),
    ({"belongings_taken": "y", "travel_mode": "bus"}, 409, "locker key is not back"),
])
def test_refusals_are_shown_and_write_nothing(app, client, login_as, visit_id, data, status, shown):
    login_as("reception")
    before = state(app, visit_id)
    resp = client.post(url(visit_id) + "?lang=en", data={**data, "new_goods_opt_in": "y"})
    assert resp.status_code == status
    html = resp.get_data(as_text=True)
    assert shown in html and 'role="alert"' in html
    assert 'name="travel_mode"' in html  # the form is shown again
    assert state(app, visit_id) == before


def test_already_left(app, client, login_as, visit_id):
    login_as("reception")
    with app.app_context():
        svc.leave(visit_id, locker_key_returned=True)
        db.session.commit()
    page = client.get(url(visit_id) + "?lang=en")
    assert page.status_code == 200 and "already ended" in page.get_data(as_text=True)
    resp = client.post(url(visit_id) + "?lang=en", data=GOOD)
    assert resp.status_code == 409 and "already ended" in resp.get_data(as_text=True)


def test_buttons_lead_to_the_screen(app, client, login_as, visit_id, make_staff):
    login_as("reception")
    assert url(visit_id) in client.get(f"/reception/visits/{visit_id}").get_data(as_text=True)
    clerk = make_staff("clerk")
    with app.app_context():
        svc.assign_clerk(visit_id, clerk["staff_no"])
        db.session.commit()
    client.post("/logout")
    client.post("/login", data={"staff_no": clerk["staff_no"], "pin": clerk["pin"]})
    assert url(visit_id) in client.get("/picking/live").get_data(as_text=True)


def test_new_goods_first_list_on_the_follow_up_screen(app, client, login_as):
    with app.app_context():
        yes = factories.customer(name="要新货")
        yes.new_goods_first = True
        factories.customer(name="不用了")
        db.session.commit()
    login_as("clerk")
    html = client.get("/picking/tasks?lang=en").get_data(as_text=True)
    assert 'id="new-goods-first"' in html and "要新货" in html and "不用了" not in html


# -- the API ------------------------------------------------------------------------------

def test_api_leave_without_departure_fields_works_as_before(app, client, api_headers, visit_id):
    headers = api_headers("reception")
    refused = client.post(f"{API}/{visit_id}/leave", headers=headers, json={"locker_key_returned": False})
    assert refused.status_code == 409
    left = client.post(f"{API}/{visit_id}/leave", headers=headers, json={"locker_key_returned": True})
    assert left.status_code == 200
    body = left.get_json()
    assert body["status"] == "left" and body["seen_off_at"] is None
    assert body["belongings_taken"] is False and body["travel_mode"] == ""


def test_api_leave_with_departure_fields_sees_off(app, client, api_headers, visit_id):
    headers = api_headers("reception")
    resp = client.post(f"{API}/{visit_id}/leave", headers=headers, json={
        "locker_key_returned": True, "belongings_taken": True, "travel_mode": "plane",
        "new_goods_opt_in": True})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["status"] == "left" and body["travel_mode"] == "plane"
    assert body["belongings_taken"] is True and body["new_goods_opt_in"] is True
    assert body["seen_off_at"] is not None
    with app.app_context():
        assert db.session.get(Visit, visit_id).customer.new_goods_first


@pytest.mark.parametrize(("extra", "status", "field"), [
    ({"new_goods_opt_in": True}, 422, "belongings_taken"),  # any field → the whole checklist
    ({"belongings_taken": False, "travel_mode": "bus"}, 422, "belongings_taken"),
    ({"belongings_taken": True}, 422, "travel_mode"),
    ({"belongings_taken": True, "travel_mode": "rocket"}, 422, "travel_mode"),
    ({"belongings_taken": "yes", "travel_mode": "bus"}, 422, "belongings_taken"),
])
def test_api_departure_refusals_write_nothing(app, client, api_headers, visit_id, extra, status, field):
    headers = api_headers("reception")
    before = state(app, visit_id)
    resp = client.post(f"{API}/{visit_id}/leave", headers=headers,
                       json={"locker_key_returned": True, **extra})
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    assert field in resp.get_json()["errors"]
    assert state(app, visit_id) == before


def test_api_departure_key_not_back_is_409(app, client, api_headers, visit_id):
    headers = api_headers("reception")
    resp = client.post(f"{API}/{visit_id}/leave", headers=headers, json={
        "locker_key_returned": False, "belongings_taken": True, "travel_mode": "bus"})
    assert resp.status_code == 409
    assert state(app, visit_id)[0] != "left"
    with app.app_context():
        assert not db.session.get(Customer, db.session.get(Visit, visit_id).customer_id).new_goods_first


def test_openapi_documents_the_departure_fields(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    props = doc["components"]["schemas"]["LeaveIn"]["properties"]
    assert {"belongings_taken", "travel_mode", "new_goods_opt_in"} <= set(props)
    out = doc["components"]["schemas"]["VisitOut"]["properties"]
    assert {"belongings_taken", "travel_mode", "new_goods_opt_in", "seen_off_at"} <= set(out)
