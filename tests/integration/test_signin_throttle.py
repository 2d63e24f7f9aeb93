"""Sign-in throttle keyed on the client address as well as the staff number: a device
that gets many numbers wrong is refused with 429 (screens and API, a message, Retry-After),
while the staff it targeted still sign in from their own tablet; lock and idle minutes in
every message come from the settings."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from api_support import API, assert_problem
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.clock import set_now
from showroom.extensions import db

ATTACKER = {"REMOTE_ADDR": "10.0.0.66"}
OWN_TABLET = {"REMOTE_ADDR": "10.0.0.7"}
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _screen(client, staff_no, pin, env):
    return client.post("/login", data={"staff_no": staff_no, "pin": pin}, environ_base=env)


def _api(client, staff_no, pin, env):
    return client.post(f"{API}/auth/token", json={"staff_no": staff_no, "pin": pin},
                       environ_base=env)


def test_a_device_that_fails_many_numbers_is_refused_with_429(app, client, make_staff):
    victim = make_staff("cashier", staff_no="4100")
    budget = app.config.get("SHOWROOM_SOURCE_ATTEMPTS", 20)
    numbers = [f"{4100 + i}" for i in range(budget)]  # sequential numbers, one of them real
    statuses = [_screen(client, no, "975310", ATTACKER).status_code for no in numbers]
    assert statuses == [401] * budget
    refused = _screen(client, "4100", victim["pin"], ATTACKER)  # even the right PIN
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "此设备密码错误次数过多" in refused.get_data(as_text=True)
    problem = assert_problem(_api(client, "4100", victim["pin"], ATTACKER), 429)
    assert "too many wrong PINs from this device" in problem["detail"]
    # the cashier signs in from their own tablet, on the screen and through the API
    assert _screen(client, "4100", victim["pin"], OWN_TABLET).status_code == 302
    assert _api(client, "4100", victim["pin"], OWN_TABLET).status_code == 200
    with app.app_context():  # refused tries are kept, marked, and never counted
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.address == "10.0.0.66", LoginAttempt.locked.is_(True))) == 2


def test_the_device_may_try_again_once_its_failures_age(app, client, make_staff):
    staff = make_staff("clerk")
    budget = app.config.get("SHOWROOM_SOURCE_ATTEMPTS", 20)
    for i in range(budget):
        set_now(T0 + timedelta(seconds=20 * i))
        assert _screen(client, f"{5200 + i}", "975310", ATTACKER).status_code == 401
    set_now(T0 + timedelta(minutes=14, seconds=50))
    resp = _screen(client, staff["staff_no"], staff["pin"], ATTACKER)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "10"
    set_now(T0 + timedelta(minutes=15, seconds=1))  # the first failure left the window
    assert _screen(client, staff["staff_no"], staff["pin"], ATTACKER).status_code == 302


def test_a_locked_number_is_locked_only_for_the_device_that_failed(app, client, make_staff):
    staff = make_staff("cashier")
    codes = [_api(client, staff["staff_no"], "975310", ATTACKER).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    assert _api(client, staff["staff_no"], staff["pin"], OWN_TABLET).status_code == 200
    assert _screen(client, staff["staff_no"], staff["pin"], OWN_TABLET).status_code == 302
    assert _api(client, staff["staff_no"], staff["pin"], ATTACKER).status_code == 423
    assert _screen(client, staff["staff_no"], staff["pin"], ATTACKER).status_code == 423


def test_a_locked_try_does_not_extend_the_lock(app, client, make_staff):
    staff = make_staff("cashier")
    for i in range(5):
        set_now(T0 + timedelta(minutes=i))
        _screen(client, staff["staff_no"], "975310", ATTACKER)
    for i in range(5):  # hammering while locked
        set_now(T0 + timedelta(minutes=5 + i))
        assert _screen(client, staff["staff_no"], "975310", ATTACKER).status_code == 423
    set_now(T0 + timedelta(minutes=19, seconds=1))  # 15 minutes after the fifth wrong PIN
    assert _screen(client, staff["staff_no"], staff["pin"], ATTACKER).status_code == 302


@pytest.mark.parametrize("app_config", [{"SHOWROOM_LOCKOUT_MINUTES": 7,
                                         "SHOWROOM_IDLE_MINUTES": 5}])
def test_minutes_in_messages_come_from_the_settings(app, client, make_staff, app_config):
    staff = make_staff("cashier")
    for _ in range(4):
        _screen(client, staff["staff_no"], "975310", ATTACKER)
    resp = _screen(client, staff["staff_no"], "975310", ATTACKER)
    page = resp.get_data(as_text=True)
    assert "锁定 7 分钟" in page and "15 分钟" not in page
    assert resp.status_code == 423 and resp.headers["Retry-After"] == str(7 * 60)
    problem = assert_problem(_api(client, staff["staff_no"], staff["pin"], ATTACKER), 423)
    assert "for 7 minutes" in problem["detail"]

    set_now(T0)
    assert _screen(client, staff["staff_no"], staff["pin"], OWN_TABLET).status_code == 302
    set_now(T0 + timedelta(minutes=5, seconds=30))
    resp = client.get("/customers/", environ_base=OWN_TABLET)
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "5 分钟无操作，已自动退出。" in page


def test_packing_pins_count_per_device_too(app, client, make_staff):
    """The bench's PINs go through the same check: a wrong manager PIN at the bench counts
    for the bench's address, not for the manager's own tablet."""
    from showroom.auth.services import AccountLocked, SignInFailed, authenticate

    manager = make_staff("manager")
    with app.test_request_context(environ_base=ATTACKER):
        for expected in (SignInFailed,) * 4 + (AccountLocked,):
            with pytest.raises(expected):
                authenticate(manager["staff_no"], "975310", source="packing:XS-1")
            db.session.commit()
        with pytest.raises(AccountLocked):
            authenticate(manager["staff_no"], manager["pin"], source="packing:XS-1")
        db.session.rollback()
    with app.test_request_context(environ_base=OWN_TABLET):
        assert authenticate(manager["staff_no"], manager["pin"]).id == manager["id"]
        db.session.rollback()
        sources = set(db.session.scalars(select(LoginAttempt.source)))
        addresses = set(db.session.scalars(select(LoginAttempt.address)))
        assert sources == {"packing:XS-1"} and addresses == {"10.0.0.66"}
