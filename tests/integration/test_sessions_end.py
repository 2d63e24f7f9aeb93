"""Sessions that end: signing out (or switching user), a PIN change, a PIN reset and
disabling a staff member end every browser session and API token of theirs, so a copied
session cookie or token stops working at once."""
from __future__ import annotations

from typing import Any

from api_support import API, assert_problem
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.extensions import db

PAGE = "/customers/"


def _sign_in(app: Any, staff: dict[str, Any]) -> Any:
    """A browser (its own cookie jar) signed in as `staff`."""
    browser = app.test_client()
    resp = browser.post("/login", data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return browser


def _replay(app: Any, cookie: str) -> Any:
    """Someone else's browser with a copy of the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _signed_out(resp: Any) -> bool:
    return resp.status_code == 302 and "/login" in resp.headers["Location"]


def _token(client: Any, staff: dict[str, Any]) -> dict[str, str]:
    resp = client.post(f"{API}/auth/token", json={"staff_no": staff["staff_no"],
                                                  "pin": staff["pin"]})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_copied_cookie_stops_working_after_sign_out(app, make_staff):
    staff = make_staff("cashier")
    tablet = _sign_in(app, staff)
    cookie = tablet.get_cookie("session").value
    assert _replay(app, cookie).get(PAGE).status_code == 200  # a copy works while signed in
    assert _signed_out(tablet.post("/logout"))
    assert _signed_out(_replay(app, cookie).get(PAGE))
    assert _signed_out(_replay(app, cookie).post("/logout"))


def test_switch_user_ends_the_session_everywhere(app, make_staff):
    staff = make_staff("clerk")
    tablet, other_tablet = _sign_in(app, staff), _sign_in(app, staff)
    cookie = tablet.get_cookie("session").value
    tablet.post("/switch")
    assert _signed_out(_replay(app, cookie).get(PAGE))
    assert _signed_out(other_tablet.get(PAGE))
    again = _sign_in(app, staff)  # signing in afresh works, of course
    assert again.get(PAGE).status_code == 200


def test_screen_sign_out_ends_api_tokens_and_api_logout_ends_screens(app, client, make_staff):
    staff = make_staff("clerk")
    headers = _token(client, staff)
    tablet = _sign_in(app, staff)
    assert client.get(f"{API}/auth/me", headers=headers).status_code == 200
    tablet.post("/logout")
    body = assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)
    assert "sign in again" in body["detail"]

    tablet = _sign_in(app, staff)
    headers = _token(client, staff)
    second = _token(client, staff)
    assert client.post(f"{API}/auth/logout", headers=headers).status_code == 200
    assert_problem(client.get(f"{API}/auth/me", headers=second), 401)
    assert _signed_out(tablet.get(PAGE))


def test_own_pin_change_ends_other_sessions_but_not_this_one(app, client, make_staff):
    staff = make_staff("cashier")
    tablet, elsewhere = _sign_in(app, staff), _sign_in(app, staff)
    headers = _token(client, staff)
    resp = tablet.post("/me/pin", data={"current_pin": staff["pin"], "new_pin": "580413",
                                        "confirm": "580413"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    assert tablet.get(PAGE).status_code == 200
    assert _signed_out(elsewhere.get(PAGE))
    assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)
    assert _sign_in(app, staff | {"pin": "580413"}).get(PAGE).status_code == 200


def test_manager_reset_and_disable_end_sessions_and_tokens(app, client, make_staff):
    manager, staff = make_staff("manager"), make_staff("clerk")
    boss = _sign_in(app, manager)
    tablet = _sign_in(app, staff)
    headers = _token(client, staff)
    resp = boss.post(f"/staff/{staff['id']}/pin", data={"new_pin": "580413", "confirm": "580413"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    assert _signed_out(tablet.get(PAGE))
    assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)

    staff["pin"] = "580413"
    tablet = _sign_in(app, staff)
    headers = _token(client, staff)
    assert boss.post(f"/staff/{staff['id']}/active", data={"active": "0"}).status_code == 303
    assert _signed_out(tablet.get(PAGE))
    assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)
    # enabling again does not bring the old session back
    assert boss.post(f"/staff/{staff['id']}/active", data={"active": "1"}).status_code == 303
    assert _signed_out(tablet.get(PAGE))
    assert boss.get(PAGE).status_code == 200  # the manager's own session is untouched


def test_cli_set_pin_and_disable_end_sessions(app, client, runner, make_staff):
    staff = make_staff("clerk")
    tablet = _sign_in(app, staff)
    headers = _token(client, staff)
    result = runner.invoke(args=["staff", "set-pin", staff["staff_no"], "--pin", "580413"])
    assert result.exit_code == 0, result.output
    assert _signed_out(tablet.get(PAGE))
    assert_problem(client.get(f"{API}/auth/me", headers=headers), 401)

    tablet = _sign_in(app, staff | {"pin": "580413"})
    result = runner.invoke(args=["staff", "disable", staff["staff_no"]])
    assert result.exit_code == 0, result.output
    assert _signed_out(tablet.get(PAGE))
    with app.app_context():
        assert db.session.scalar(select(Staff.active).where(Staff.id == staff["id"])) is False


def test_a_session_cookie_naming_only_the_id_loads_nobody(app, make_staff):
    """Sessions from before this change carried the bare id: they sign in again."""
    staff = make_staff("clerk")
    browser = app.test_client()
    with browser.session_transaction() as sess:
        sess["_user_id"] = str(staff["id"])
        sess["_fresh"] = True
    assert _signed_out(browser.get(PAGE))


def test_a_polling_screen_whose_session_ended_moves_to_the_sign_in_page(app, make_staff):
    staff = make_staff("clerk")
    tablet, other = _sign_in(app, staff), _sign_in(app, staff)
    other.post("/logout")
    poll = tablet.get(PAGE, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and poll.get_data() == b""
    assert poll.headers["HX-Redirect"].startswith("/login")
    page = tablet.get(PAGE)
    assert _signed_out(page) and page.headers["Location"].endswith("/login?next=/customers/")
    back = tablet.post(page.headers["Location"], data={"staff_no": staff["staff_no"],
                                                       "pin": staff["pin"]})
    assert back.headers["Location"] == "/customers/"
