"""Sign-in rules: slow PIN hash, lockout after 5 wrong PINs in 15 minutes, idle sign-out,
`flask staff add`."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
import pytest
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt, Staff
from showroom.auth.services import AccountLocked, SignInFailed, authenticate, is_locked
from showroom.clock import set_now
from showroom.errors import Conflict, ValidationFailed
from showroom.extensions import db

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_pin_is_hashed_with_argon2(ctx):
    s = factories.staff("cashier", staff_no="5001", pin="135790")
    assert s.pin_hash.startswith("$argon2id$") and "135790" not in s.pin_hash


@pytest.mark.parametrize("pin", ["12345", "abcdef", "12345a", "1234567890123", ""])
def test_bad_pins_are_refused(ctx, pin):
    with pytest.raises(ValidationFailed):
        factories.staff("clerk", pin=pin)


def test_unknown_role_and_duplicate_number(ctx):
    with pytest.raises(ValidationFailed):
        factories.staff("janitor")
    factories.staff("clerk", staff_no="5002")
    with pytest.raises(Conflict):
        factories.staff("clerk", staff_no="5002")


def test_five_wrong_pins_lock_for_fifteen_minutes(ctx):
    factories.staff("cashier", staff_no="5003", pin="135790")
    db.session.commit()
    for i in range(4):
        set_now(T0 + timedelta(minutes=i))
        with pytest.raises(SignInFailed):
            authenticate("5003", "000000")
        db.session.commit()
    set_now(T0 + timedelta(minutes=5))
    with pytest.raises(AccountLocked):  # the fifth wrong PIN locks
        authenticate("5003", "000000")
    db.session.commit()
    set_now(T0 + timedelta(minutes=10))
    with pytest.raises(AccountLocked):  # even the right PIN is refused while locked
        authenticate("5003", "135790")
    db.session.commit()
    locked = db.session.scalar(select(func.count()).select_from(LoginAttempt)
                               .where(LoginAttempt.locked.is_(True)))
    assert locked == 1
    set_now(T0 + timedelta(minutes=20, seconds=1))
    assert not is_locked("5003")
    assert authenticate("5003", "135790").staff_no == "5003"


def test_wrong_pins_spread_over_time_do_not_lock(ctx):
    factories.staff("cashier", staff_no="5004", pin="135790")
    db.session.commit()
    for i in range(6):
        set_now(T0 + timedelta(minutes=4 * i))
        with pytest.raises(SignInFailed):
            authenticate("5004", "000000")
        db.session.commit()
    assert not is_locked("5004")


def test_disabled_staff_cannot_sign_in(ctx):
    s = factories.staff("cashier", staff_no="5005", pin="135790")
    s.active = False
    db.session.commit()
    with pytest.raises(SignInFailed):
        authenticate("5005", "135790")


def test_idle_sign_out_after_fifteen_minutes(app, client, login_as):
    set_now(T0)
    login_as("cashier")
    assert client.get("/customers/").status_code == 200
    set_now(T0 + timedelta(minutes=14))
    assert client.get("/customers/").status_code == 200
    set_now(T0 + timedelta(minutes=29, seconds=30))
    resp = client.get("/customers/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_login_page_wrong_pin_is_recorded(app, client, make_staff):
    staff = make_staff("clerk")
    resp = client.post("/login", data={"staff_no": staff["staff_no"], "pin": "999999"})
    assert resp.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)
                                 .where(LoginAttempt.success.is_(False))) == 1


def test_staff_add_cli(app, runner):
    result = runner.invoke(args=["staff", "add", "7001", "李娜", "--role", "clerk", "--role",
                                 "packer", "--pin", "864209"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        s = db.session.scalar(select(Staff).where(Staff.staff_no == "7001"))
        assert s.role_set == {"clerk", "packer"}
    bad = runner.invoke(args=["staff", "add", "7002", "张三", "--role", "clerk", "--pin", "12"])
    assert bad.exit_code != 0 and "密码须为 6 到 12 位数字" in bad.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Staff)) == 1
