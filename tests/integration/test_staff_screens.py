"""Keeping staff on screen: the managers' staff list (reset a PIN, disable / enable) and
everyone's own PIN change. Bad input gets a clear message and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt, Staff
from showroom.extensions import db


def _can_sign_in(app, staff_no, pin):
    return app.test_client().post("/login", data={"staff_no": staff_no, "pin": pin}).status_code == 302


def _pin_hash(app, staff_id):
    with app.app_context():
        return db.session.scalar(select(Staff.pin_hash).where(Staff.id == staff_id))


def test_staff_list_is_for_managers(app, client, login_as, make_staff):
    clerk = make_staff("clerk", name="陈志强")
    assert client.get("/staff/").status_code == 302  # signed out: to the sign-in page
    login_as("manager")
    page = client.get("/staff/").get_data(as_text=True)
    assert "陈志强" in page and clerk["staff_no"] in page and "跟单" in page
    assert f'action="/staff/{clerk["id"]}/pin"' in page and "停用" in page
    assert 'href="/staff/"' in page  # the manager's tab in the top bar

    other = app.test_client()
    member = make_staff("cashier")
    other.post("/login", data={"staff_no": member["staff_no"], "pin": member["pin"]})
    assert other.get("/staff/").status_code == 403
    assert other.post(f"/staff/{clerk['id']}/pin",
                      data={"new_pin": "580413", "confirm": "580413"}).status_code == 403
    assert other.post(f"/staff/{clerk['id']}/active", data={"active": "0"}).status_code == 403
    assert 'href="/staff/"' not in other.get("/customers/").get_data(as_text=True)


@pytest.mark.parametrize(("new", "again", "message"), [
    ("123456", "123456", "连续数字"),
    ("888888", "888888", "同一个数字重复"),
    ("580413", "580414", "两次输入的新密码不一致"),
    ("12", "12", "6 到 12 位数字"),
])
def test_manager_reset_refuses_bad_pins_and_changes_nothing(app, client, login_as, make_staff,
                                                           new, again, message):
    login_as("manager")
    clerk = make_staff("clerk")
    before = _pin_hash(app, clerk["id"])
    resp = client.post(f"/staff/{clerk['id']}/pin", data={"new_pin": new, "confirm": again})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _pin_hash(app, clerk["id"]) == before
    assert _can_sign_in(app, clerk["staff_no"], clerk["pin"])


def test_manager_reset_refuses_the_staff_number_inside(app, client, login_as, make_staff):
    login_as("manager")
    clerk = make_staff("clerk", staff_no="4321")
    resp = client.post(f"/staff/{clerk['id']}/pin", data={"new_pin": "432100", "confirm": "432100"})
    assert resp.status_code == 422 and "不能包含工号" in resp.get_data(as_text=True)


def test_manager_resets_a_pin(app, client, login_as, make_staff):
    login_as("manager")
    clerk = make_staff("clerk", name="黄丽娟")
    resp = client.post(f"/staff/{clerk['id']}/pin", data={"new_pin": "580413", "confirm": "580413"},
                       follow_redirects=True)
    assert resp.status_code == 200
    assert "已为 黄丽娟" in resp.get_data(as_text=True)
    assert _can_sign_in(app, clerk["staff_no"], "580413")
    assert not _can_sign_in(app, clerk["staff_no"], clerk["pin"])


def test_a_manager_changes_their_own_pin_on_their_own_page(app, client, login_as):
    manager = login_as("manager")
    resp = client.post(f"/staff/{manager['id']}/pin", data={"new_pin": "580413",
                                                           "confirm": "580413"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/me/pin")
    assert _can_sign_in(app, manager["staff_no"], manager["pin"])


def test_disable_and_enable(app, client, login_as, make_staff):
    manager = login_as("manager")
    clerk = make_staff("clerk", name="吴晓燕")
    resp = client.post(f"/staff/{clerk['id']}/active", data={"active": "0"}, follow_redirects=True)
    assert "吴晓燕" in resp.get_data(as_text=True) and "已停用" in resp.get_data(as_text=True)
    assert not _can_sign_in(app, clerk["staff_no"], clerk["pin"])
    client.post(f"/staff/{clerk['id']}/active", data={"active": "1"})
    assert _can_sign_in(app, clerk["staff_no"], clerk["pin"])
    refused = client.post(f"/staff/{manager['id']}/active", data={"active": "0"})
    assert refused.status_code == 403 and "不能停用自己" in refused.get_data(as_text=True)
    assert _can_sign_in(app, manager["staff_no"], manager["pin"])
    assert client.post("/staff/999999/active", data={"active": "0"}).status_code == 404


def test_change_own_pin(app, client, login_as):
    staff = login_as("cashier")
    page = client.get("/me/pin").get_data(as_text=True)
    assert "当前密码" in page and "再次输入新密码" in page
    assert 'href="/me/pin" id="nav-my-pin"' in client.get("/customers/").get_data(
        as_text=True)  # the top bar's name menu
    resp = client.post("/me/pin", data={"current_pin": staff["pin"], "new_pin": "580413",
                                        "confirm": "580413"}, follow_redirects=True)
    assert resp.status_code == 200 and "密码已修改" in resp.get_data(as_text=True)
    assert _can_sign_in(app, staff["staff_no"], "580413")
    assert not _can_sign_in(app, staff["staff_no"], staff["pin"])


@pytest.mark.parametrize(("current", "new", "again", "status", "message"), [
    ("975310", "580413", "580413", 401, "当前密码错误"),
    ("246810", "654321", "654321", 422, "连续数字"),
    ("246810", "580413", "580414", 422, "两次输入的新密码不一致"),
    ("246810", "246810", "246810", 422, "新密码不能与当前密码相同"),
])
def test_change_own_pin_refusals(app, client, login_as, current, new, again, status, message):
    staff = login_as("cashier")
    before = _pin_hash(app, staff["id"])
    resp = client.post("/me/pin", data={"current_pin": current, "new_pin": new, "confirm": again})
    assert resp.status_code == status
    assert message in resp.get_data(as_text=True)
    assert _pin_hash(app, staff["id"]) == before
    assert client.get("/customers/").status_code == 200  # still signed in here
    with app.app_context():
        wrong = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.source == "change-pin", LoginAttempt.success.is_(False)))
        assert wrong == (1 if status == 401 else 0)  # a wrong current PIN counts


def test_guessing_the_current_pin_is_throttled(app, client, login_as):
    staff = login_as("cashier")
    codes = [client.post("/me/pin", data={"current_pin": "975310", "new_pin": "580413",
                                          "confirm": "580413"}).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    resp = client.post("/me/pin", data={"current_pin": staff["pin"], "new_pin": "580413",
                                        "confirm": "580413"})
    assert resp.status_code == 423 and "Retry-After" in resp.headers


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_pin_forms_need_the_csrf_token(app, client, make_staff, app_config):
    import re

    manager = make_staff("manager")
    clerk = make_staff("clerk")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    resp = client.post("/login", data={"staff_no": manager["staff_no"], "pin": manager["pin"],
                                       "csrf_token": token})
    assert resp.status_code == 302
    before = _pin_hash(app, clerk["id"])
    assert client.post(f"/staff/{clerk['id']}/pin",
                       data={"new_pin": "580413", "confirm": "580413"}).status_code == 400
    assert client.post("/me/pin", data={"current_pin": manager["pin"], "new_pin": "580413",
                                        "confirm": "580413"}).status_code == 400
    assert client.post(f"/staff/{clerk['id']}/active", data={"active": "0"}).status_code == 400
    assert _pin_hash(app, clerk["id"]) == before
