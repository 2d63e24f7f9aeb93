"""Shift close over the API and on the cashier's screens: figures, the manager's PIN on a
cash difference (409 rule cash_difference; a wrong PIN counts toward the lockout), bad
input refused with nothing written, one close per shift, two closes at once → one."""
from __future__ import annotations

import threading
from typing import Any

import factories
import pytest
from api_support import API, assert_problem, snapshot
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.extensions import db
from showroom.money_desk.models import ShiftClose
from showroom.settlement.services import PaymentIn, settle


def _sale(app: Any, cashier_id: int, cash: int = 10_000, wechat: int = 0) -> None:
    with app.app_context():
        cust = factories.customer()
        prod = factories.product(wholesale=cash + wechat, stock=10)
        order = factories.order_with_lines(cust.id, [(prod, 1)])
        pays = [PaymentIn("cash", cash, tendered=cash + 500)]
        if wechat:
            pays.append(PaymentIn("wechat", wechat))
        settle(order.id, pays, cashier_id=cashier_id)
        db.session.commit()


def _token(client: Any, staff: dict[str, Any]) -> dict[str, str]:
    resp = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"],
                                                   "pin": staff["pin"]})
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_api_close_matches(app: Any, client: Any, make_staff: Any) -> None:
    cashier = make_staff("cashier")
    h = _token(client, cashier)
    _sale(app, cashier["id"], cash=10_000, wechat=2_550)
    resp = client.post(f"{API}/shifts/close", headers=h,
                       json={"counted": {"cash": "100.00", "wechat": "25.50"}})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["number"].startswith("JB-") and body["seq"] == 1
    assert body["expected"] == {"cash": "100.00", "bank_transfer": "0.00", "wechat": "25.50",
                                "alipay": "0.00"}
    assert body["counted"] == {"cash": "100.00", "bank_transfer": None, "wechat": "25.50",
                               "alipay": None}
    assert body["difference"]["cash"] == "0.00" and body["manager_staff_no"] is None
    again = client.post(f"{API}/shifts/close", headers=h, json={"counted": {"cash": "0"}})
    assert again.status_code == 201 and again.get_json()["seq"] == 2


def test_api_cash_difference_needs_the_managers_pin(app: Any, client: Any,
                                                     make_staff: Any) -> None:
    cashier = make_staff("cashier")
    manager = make_staff("manager")
    h = _token(client, cashier)
    _sale(app, cashier["id"])
    before = snapshot(app)
    short = {"counted": {"cash": "90.00"}}
    body = assert_problem(client.post(f"{API}/shifts/close", headers=h, json=short), 409)
    assert body["rule"] == "cash_difference" and any("10.00" in r for r in body["reasons"])
    wrong = short | {"manager_staff_no": manager["staff_no"], "manager_pin": "135792"}
    assert_problem(client.post(f"{API}/shifts/close", headers=h, json=wrong), 401)
    after = snapshot(app)
    assert after["counts"]["shift_closes"] == before["counts"]["shift_closes"] == 0
    with app.app_context():  # the wrong PIN was kept for the lockout
        assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.staff_no == manager["staff_no"], LoginAttempt.success.is_(False))) == 1
    not_manager = short | {"manager_staff_no": cashier["staff_no"], "manager_pin": cashier["pin"]}
    assert_problem(client.post(f"{API}/shifts/close", headers=h, json=not_manager), 403)
    ok = short | {"manager_staff_no": manager["staff_no"], "manager_pin": manager["pin"],
                  "note": "少十元"}
    resp = client.post(f"{API}/shifts/close", headers=h, json=ok)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["difference"]["cash"] == "-10.00" and body["manager_staff_no"] == manager["staff_no"]


@pytest.mark.parametrize("counted, field", [
    ({}, "counted.cash"),
    ({"cash": "-5.00"}, "counted.cash"),
    ({"cash": "1.234"}, "counted.cash"),
    ({"cash": 12.5}, "counted.cash"),
    ({"cash": "10", "alipay": "x"}, "counted.alipay"),
])
def test_api_bad_counts_write_nothing(app: Any, client: Any, make_staff: Any,
                                      counted: Any, field: str) -> None:
    h = _token(client, make_staff("cashier"))
    before = snapshot(app)
    assert_problem(client.post(f"{API}/shifts/close", headers=h, json={"counted": counted}),
                   422, field)
    assert snapshot(app) == before


def test_api_full_width_digits_and_roles(app: Any, client: Any, make_staff: Any) -> None:
    h = _token(client, make_staff("cashier"))
    resp = client.post(f"{API}/shifts/close", headers=h, json={"counted": {"cash": "０．００"}})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    clerk = _token(client, make_staff("clerk"))
    assert_problem(client.post(f"{API}/shifts/close", headers=clerk,
                               json={"counted": {"cash": "0"}}), 403)


def test_api_same_shift_twice_is_409(app: Any, client: Any, make_staff: Any) -> None:
    h = _token(client, make_staff("cashier"))
    body = {"counted": {"cash": "0.00"}, "seq": 1}
    assert client.post(f"{API}/shifts/close", headers=h, json=body).status_code == 201
    assert_problem(client.post(f"{API}/shifts/close", headers=h, json=body), 409)


def test_two_closes_at_once_one_stands(app: Any, make_staff: Any) -> None:
    cashier = make_staff("cashier")
    barrier = threading.Barrier(2)
    codes: list[int] = []
    lock = threading.Lock()

    def close() -> None:
        client = app.test_client()
        h = _token(client, cashier)
        barrier.wait()
        resp = client.post(f"{API}/shifts/close", headers=h,
                           json={"counted": {"cash": "0.00"}, "seq": 1})
        with lock:
            codes.append(resp.status_code)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(codes) == [201, 409], codes
    with app.app_context():
        assert db.session.scalar(select(func.count(ShiftClose.id))) == 1


def test_openapi_lists_the_new_endpoints(client: Any) -> None:
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/shifts/close"] or "post" in paths.get("/shifts/close", {})


# --- the screens -----------------------------------------------------------------------

def test_screen_blind_count_then_check_then_close(app: Any, client: Any, login_as: Any,
                                                  make_staff: Any) -> None:
    cashier = login_as("cashier")
    manager = make_staff("manager")
    _sale(app, cashier["id"], cash=10_000)
    page = client.get("/cashier/shift/").get_data(as_text=True)
    assert "100.00" not in page  # blind: the expected cash is not shown before the count
    checked = client.post("/cashier/shift/check", data={"cash": "９０．００", "seq": "1"})
    assert checked.status_code == 200
    html = checked.get_data(as_text=True)
    assert "¥100.00" in html and "¥90.00" in html and 'data-cash-difference="-1000"' in html
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    form = {"cash": "90.00", "seq": "1", "token": token}
    refused = client.post("/cashier/shift/close", data=form)
    assert refused.status_code == 409
    wrong = client.post("/cashier/shift/close", data=form | {
        "manager_staff_no": manager["staff_no"], "manager_pin": "135792"})
    assert wrong.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count(ShiftClose.id))) == 0
        assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.staff_no == manager["staff_no"],
            LoginAttempt.success.is_(False))) == 1
    ok = client.post("/cashier/shift/close", data=form | {
        "manager_staff_no": manager["staff_no"], "manager_pin": manager["pin"]})
    assert ok.status_code == 303, ok.get_data(as_text=True)
    replay = client.post("/cashier/shift/close", data=form | {
        "manager_staff_no": manager["staff_no"], "manager_pin": manager["pin"]})
    assert replay.status_code == 303 and replay.location == ok.location  # one close
    result = client.get(ok.location).get_data(as_text=True)
    assert "-¥10.00" in result and manager["name"] in result and 'data-job="shift_report"' in result
    with app.app_context():
        assert db.session.scalar(select(func.count(ShiftClose.id))) == 1


@pytest.mark.parametrize("cash", ["", "-1", "1.005", "abc"])
def test_screen_bad_counts(app: Any, client: Any, login_as: Any, cash: str) -> None:
    login_as("cashier")
    resp = client.post("/cashier/shift/check", data={"cash": cash, "seq": "1"})
    assert resp.status_code == 422
    assert 'data-error-for="cash"' in resp.get_data(as_text=True)
    resp = client.post("/cashier/shift/close", data={"cash": cash, "seq": "1", "token": "t" * 36})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(ShiftClose.id))) == 0


def test_screen_roles(client: Any, login_as: Any) -> None:
    login_as("clerk")
    assert client.get("/cashier/shift/").status_code in (302, 403)
