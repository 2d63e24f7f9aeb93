"""Keeping staff (back office): add a staff member and edit their name and roles on
screen; POST /api/v1/staff and PATCH /api/v1/staff/{staff_no}. Weak PINs refused by the
one PIN rule, no PIN or hash in answers, disabling ends sessions and tokens, and a
manager cannot disable themself or drop their own manager role."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from showroom.auth.models import Staff
from showroom.extensions import db


def _staff(app, staff_no):
    with app.app_context():
        s = db.session.scalar(select(Staff).where(Staff.staff_no == staff_no))
        if s is not None:
            db.session.expunge(s)
        return s


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Staff))


def test_add_a_staff_member_on_screen(app, client, login_as):
    login_as("manager")
    page = client.get("/staff/new").get_data(as_text=True)
    assert "新员工" in page and 'value="cashier"' in page
    resp = client.post("/staff/new", data={"staff_no": "2024", "name": "陈志强",
                                           "roles": ["cashier", "packer"], "new_pin": "580413",
                                           "confirm": "580413"})
    assert resp.status_code == 303
    assert "已添加 陈志强" in client.get(resp.location).get_data(as_text=True)
    assert _staff(app, "2024").role_set == {"cashier", "packer"}
    other = app.test_client()
    assert other.post("/login", data={"staff_no": "2024", "pin": "580413"}).status_code == 302


@pytest.mark.parametrize(("change", "message", "status"), [
    ({"new_pin": "123456", "confirm": "123456"}, "连续数字", 422),
    ({"new_pin": "777777", "confirm": "777777"}, "同一个数字重复", 422),
    ({"new_pin": "920241", "confirm": "920241"}, "工号", 422),
    ({"new_pin": "580413", "confirm": "580414"}, "不一致", 422),
    ({"roles": []}, "请至少选择一个角色", 422),
    ({"roles": ["boss"]}, "", 422),
    ({"name": "陈\x07"}, "U+0007", 422),
    ({"staff_no": "20 24"}, "字母或数字", 422),
    ({"staff_no": "１２３"}, "字母或数字", 422),
    ({"staff_no": "EXIST"}, "已存在", 409),
])
def test_bad_new_staff_is_refused_and_nothing_written(app, client, login_as, make_staff, change,
                                                      message, status):
    make_staff("clerk", staff_no="EXIST")
    login_as("manager")
    before = _count(app)
    data = {"staff_no": "2024", "name": "陈志强", "roles": ["cashier"], "new_pin": "580413",
            "confirm": "580413"} | change
    resp = client.post("/staff/new", data=data)
    assert resp.status_code == status
    assert message in resp.get_data(as_text=True)
    assert _count(app) == before


def test_edit_roles_and_keep_ones_own_manager_role(app, client, login_as, make_staff):
    me = login_as("manager")
    clerk = make_staff("clerk", name="小李")
    page = client.get(f"/staff/{clerk['id']}/edit").get_data(as_text=True)
    assert "小李" in page
    assert re.search(r'<input checked [^>]*value="clerk"', page)
    assert not re.search(r'<input checked [^>]*value="cashier"', page)
    resp = client.post(f"/staff/{clerk['id']}/edit", data={"name": "李小龙",
                                                            "roles": ["clerk", "reception"]})
    assert resp.status_code == 303
    s = _staff(app, clerk["staff_no"])
    assert s.name == "李小龙" and s.role_set == {"clerk", "reception"}
    resp = client.post(f"/staff/{me['id']}/edit", data={"name": me["name"], "roles": ["cashier"]})
    assert resp.status_code == 403 and "主管角色" in resp.get_data(as_text=True)
    assert "manager" in _staff(app, me["staff_no"]).role_set


# --- API ------------------------------------------------------------------------------------

def test_api_adds_staff_without_pin_in_the_answer(app, client, api_headers):
    headers = api_headers("manager")
    resp = client.post("/api/v1/staff", headers=headers, json={
        "staff_no": "3001", "name": "王芳", "roles": ["cashier"], "pin": "580413"})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["staff_no"] == "3001" and body["roles"] == ["cashier"] and body["active"] is True
    text = resp.get_data(as_text=True)
    assert "580413" not in text and "argon2" not in text and "pin" not in body
    token = client.post("/api/v1/auth/token", json={"staff_no": "3001", "pin": "580413"})
    assert token.status_code == 200


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"pin": "123456"}, 422, "pin"),
    ({"pin": "111111"}, 422, "pin"),
    ({"pin": "58041"}, 422, "pin"),
    ({"pin": 580413}, 422, "pin"),
    ({"roles": []}, 422, "roles"),
    ({"roles": ["boss"]}, 422, "roles[0]"),
    ({"name": "王\x1b"}, 422, "name"),
    ({"staff_no": "30 01"}, 422, "staff_no"),
    ({"staff_no": "EXIST"}, 409, None),
])
def test_api_refuses_bad_new_staff(app, client, api_headers, make_staff, body, status, field):
    make_staff("clerk", staff_no="EXIST")
    headers = api_headers("manager")
    before = _count(app)
    resp = client.post("/api/v1/staff", headers=headers, json={
        "staff_no": "3001", "name": "王芳", "roles": ["cashier"], "pin": "580413"} | body)
    assert resp.status_code == status, resp.get_json()
    if field:
        assert field in resp.get_json()["errors"], resp.get_json()
    assert _count(app) == before


def test_api_patch_roles_name_pin_and_disable_ends_tokens(app, client, api_headers, make_staff):
    headers = api_headers("manager")
    clerk = make_staff("clerk")
    tok = client.post("/api/v1/auth/token", json={"staff_no": clerk["staff_no"],
                                                  "pin": clerk["pin"]}).get_json()["token"]
    theirs = {"Authorization": f"Bearer {tok}"}
    assert client.get("/api/v1/products?q=x", headers=theirs).status_code == 200
    resp = client.patch(f"/api/v1/staff/{clerk['staff_no']}", headers=headers,
                        json={"name": "新名字", "roles": ["clerk", "packer"]})
    assert resp.status_code == 200 and resp.get_json()["roles"] == ["clerk", "packer"]
    assert client.get("/api/v1/products?q=x", headers=theirs).status_code == 200
    resp = client.patch(f"/api/v1/staff/{clerk['staff_no']}", headers=headers,
                        json={"active": False})
    assert resp.status_code == 200 and resp.get_json()["active"] is False
    assert client.get("/api/v1/products?q=x", headers=theirs).status_code == 401
    assert client.post("/api/v1/auth/token", json={"staff_no": clerk["staff_no"],
                                                   "pin": clerk["pin"]}).status_code == 401
    resp = client.patch(f"/api/v1/staff/{clerk['staff_no']}", headers=headers,
                        json={"active": True, "pin": "580413"})
    assert resp.status_code == 200
    assert client.post("/api/v1/auth/token", json={"staff_no": clerk["staff_no"],
                                                   "pin": "580413"}).status_code == 200


def test_api_patch_refusals(app, client, make_staff):
    me = make_staff("manager")
    tok = client.post("/api/v1/auth/token", json={"staff_no": me["staff_no"],
                                                  "pin": me["pin"]}).get_json()["token"]
    headers = {"Authorization": f"Bearer {tok}"}
    clerk = make_staff("clerk")
    url = f"/api/v1/staff/{me['staff_no']}"
    resp = client.patch(url, headers=headers, json={"active": False})
    assert resp.status_code == 403 and "disable yourself" in resp.get_json()["detail"]
    resp = client.patch(url, headers=headers | {"Accept-Language": "zh-CN"},
                        json={"roles": ["cashier"]})
    assert resp.status_code == 403 and "主管角色" in resp.get_json()["detail"]
    assert client.patch(url, headers=headers, json={}).status_code == 422
    assert client.patch(url, headers=headers, json={"name": None}).status_code == 422
    assert client.patch("/api/v1/staff/NOPE", headers=headers,
                        json={"name": "x"}).status_code == 404
    resp = client.patch(f"/api/v1/staff/{clerk['staff_no']}", headers=headers,
                        json={"pin": "654321", "name": "改了"})
    assert resp.status_code == 422
    assert _staff(app, clerk["staff_no"]).name != "改了"
    assert _staff(app, me["staff_no"]).active


def test_api_staff_needs_a_manager(app, client, api_headers, make_staff):
    clerk_headers = api_headers("clerk")
    other = make_staff("clerk")
    assert client.post("/api/v1/staff", headers=clerk_headers, json={
        "staff_no": "3001", "name": "王芳", "roles": ["manager"], "pin": "580413"}).status_code == 403
    assert client.patch(f"/api/v1/staff/{other['staff_no']}", headers=clerk_headers,
                        json={"roles": ["manager"]}).status_code == 403
