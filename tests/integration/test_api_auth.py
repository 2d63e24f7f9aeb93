"""API sign-in: tokens, wrong PIN, lockout, revocation, expiry and role checks."""
from __future__ import annotations

from datetime import timedelta

from api_support import API, assert_problem
from sqlalchemy import func, select

from showroom.auth.models import ApiToken, LoginAttempt, Staff
from showroom.clock import now_utc, set_now
from showroom.extensions import db


def test_token_carries_station_and_staff(client, make_staff):
    staff = make_staff("cashier")
    resp = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"],
                                                  "pin": staff["pin"], "station": "cashier-2"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["token"] and body["station"] == "cashier-2"
    assert body["expires_at"].endswith("Z") or "+" in body["expires_at"]
    assert body["staff"] == {"staff_no": staff["staff_no"], "name": staff["name"],
                             "roles": ["cashier"]}
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["station"] == "cashier-2"


def test_wrong_pin_is_401_and_recorded(app, client, make_staff):
    staff = make_staff("clerk")
    resp = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"], "pin": "999999"})
    body = assert_problem(resp, 401)
    assert "PIN" in body["detail"]
    assert_problem(client.post(f"{API}/auth/token", json={"staff_no": "nobody", "pin": "123456"}),
                   401)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 2
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_five_wrong_pins_lock_the_staff_number(client, make_staff):
    staff = make_staff("clerk")
    wrong = {"staff_no": staff["staff_no"], "pin": "999999"}
    statuses = [client.post(f"{API}/auth/token", json=wrong).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    right = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"],
                                                   "pin": staff["pin"]})
    body = assert_problem(right, 423)
    assert "locked" in body["detail"]
    assert 15 * 60 - 15 <= int(right.headers["Retry-After"]) <= 15 * 60  # what is left of it


def test_lock_ends_after_the_lock_period(client, make_staff):
    staff = make_staff("clerk")
    for _ in range(5):
        client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"], "pin": "999999"})
    set_now(now_utc() + timedelta(minutes=16))
    resp = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"],
                                                  "pin": staff["pin"]})
    assert resp.status_code == 200


def test_logout_revokes_the_token(client, api_headers):
    headers = api_headers("clerk")
    assert client.get(f"{API}/auth/me", headers=headers).status_code == 200
    out = client.post(f"{API}/auth/logout", headers=headers)
    assert out.status_code == 200
    body = assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)
    assert "sign in again" in body["detail"]
    assert_problem(client.post(f"{API}/auth/logout", headers=headers), 401)


def test_missing_garbage_and_expired_tokens_are_401(client, api_headers):
    resp = client.get(f"{API}/products?q=x")
    assert_problem(resp, 401)
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(client.get(f"{API}/products", headers={"Authorization": "Basic abc"}), 401)
    assert_problem(client.get(f"{API}/products", headers={"Authorization": "Bearer nonsense"}),
                   401)
    assert_problem(client.get(f"{API}/products",
                              headers={"Authorization": "Bearer " + "x" * 5000}), 401)
    headers = api_headers("clerk")
    set_now(now_utc() + timedelta(hours=13))
    assert_problem(client.get(f"{API}/products", headers=headers), 401)


def test_disabled_staff_token_stops_working(app, client, api_headers):
    headers = api_headers("clerk")
    with app.app_context():
        for staff in db.session.scalars(select(Staff)):
            staff.active = False
        db.session.commit()
    assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)


def test_wrong_role_is_403_and_manager_passes(client, api_headers):
    body = assert_problem(client.post(f"{API}/products", headers=api_headers("clerk"),
                                      json={"code": "X1", "name": "n", "price_wholesale": "1.00",
                                            "price_franchise": "1.00"}), 403)
    assert "manager" in body["detail"]
    manager = api_headers("manager")
    for path in ("/customers/1/ledger",):
        assert client.get(API + path, headers=manager).status_code == 404  # passed the role check
    resp = client.post(f"{API}/products", headers=manager, json={
        "code": "X1", "name": "n", "price_wholesale": "1.00", "price_franchise": "1.00"})
    assert resp.status_code == 201
