"""Sign-in rules: slow PIN hash, lockout after 5 wrong PINs in 15 minutes, idle sign-out,
the PIN rule, the same hash work for unknown numbers, rehashing, `flask staff add` and
`flask staff set-pin`, demo staff never in production."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from showroom.auth import pins
from showroom.auth.models import LoginAttempt, Staff
from showroom.auth.pins import pin_problem
from showroom.auth.services import (
    AccountLocked,
    SignInFailed,
    add_staff,
    authenticate,
    is_locked,
    sign_in,
)
from showroom.clock import set_now
from showroom.errors import Conflict, Forbidden, ValidationFailed
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
    weak = runner.invoke(args=["staff", "add", "7002", "张三", "--role", "clerk", "--pin",
                               "700299"])
    assert weak.exit_code != 0 and "不能包含工号" in weak.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Staff)) == 1


@pytest.mark.parametrize(("pin", "why"), [
    ("111111", "同一个数字重复"), ("000000000000", "同一个数字重复"),
    ("123456", "连续数字"), ("654321", "连续数字"), ("012345", "连续数字"),
    ("3456789", "连续数字"), ("890123", "连续数字"), ("210987", "连续数字"),
    ("550100", "不能包含工号"), ("105501", "不能包含工号"), ("99550199", "不能包含工号"),
])
def test_weak_pins_are_refused_with_a_reason(ctx, pin, why):
    with pytest.raises(ValidationFailed, match=why) as refused:
        factories.staff("clerk", staff_no="5501", pin=pin)
    assert refused.value.errors == {"pin": "太容易被猜到"}


def test_tests_pin_passes_the_rule(ctx):
    assert factories.staff("clerk", staff_no="5502", pin="246810")  # conftest's TEST_PIN


@pytest.mark.parametrize("pin", ["246810", "135790", "580413", "975310", "112358"])
def test_good_pins_pass_the_rule(pin):
    assert pin_problem(pin, "9001") is None


def test_demo_pins_skip_the_rule_only_through_the_demo_seed(app, ctx):
    with pytest.raises(ValidationFailed):
        add_staff("1001", "林小雅", ["reception"], "100100")
    assert add_staff("1001", "林小雅", ["reception"], "100100", demo_pin=True)
    db.session.rollback()
    app.config["SHOWROOM_ENV"] = "production"
    with pytest.raises(Forbidden, match="SHOWROOM_ENV=production"):
        add_staff("1001", "林小雅", ["reception"], "100100", demo_pin=True)


def test_seed_demo_refuses_in_production(app, runner):
    app.config["SHOWROOM_ENV"] = "production"
    for args in (["showroom", "seed-demo"], ["showroom", "seed-demo", "--if-empty"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "SHOWROOM_ENV=production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


@pytest.fixture
def verify_calls(monkeypatch):
    """Every argon2 verify, as (hash parameters) strings."""
    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self, hash, password):  # noqa: A002 - argon2's own parameter name
        calls.append(hash.rsplit("$", 2)[0])
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_unknown_and_disabled_numbers_cost_one_verify_like_known_ones(ctx, verify_calls):
    factories.staff("cashier", staff_no="5006", pin="135790")
    off = factories.staff("cashier", staff_no="5007", pin="135790")
    off.active = False
    db.session.commit()
    for staff_no in ("5006", "nobody", "5007"):
        with pytest.raises(SignInFailed):
            authenticate(staff_no, "975310")
        db.session.commit()
    with pytest.raises(SignInFailed):
        sign_in("nobody", "975310", source="test")
    db.session.commit()
    assert len(verify_calls) == 4
    assert len(set(verify_calls)) == 1  # the dummy hash has the same parameters


def test_the_dummy_hash_takes_as_long_as_a_real_one(app, ctx):
    """The fastest of several tries each, known and unknown numbers taken in turn, so
    a busy machine (the suite runs beside the browser tests) slows both alike."""
    import time

    app.config.update(SHOWROOM_ARGON2_TIME_COST=2, SHOWROOM_ARGON2_MEMORY_KIB=8192)
    factories.staff("cashier", staff_no="5008", pin="135790")
    db.session.commit()
    timings: dict[str, list[float]] = {"5008": [], "nobody": []}

    def attempt(staff_no: str) -> None:
        tries = timings[staff_no]
        started = time.perf_counter()
        with pytest.raises(SignInFailed):
            sign_in(staff_no, "975310", source="test", address=f"t-{staff_no}-{len(tries)}")
        db.session.rollback()
        tries.append(time.perf_counter() - started)

    attempt("nobody")  # warm the dummy hash for these parameters
    timings["nobody"].clear()
    for _ in range(9):
        attempt("5008")
        attempt("nobody")
    known, unknown = min(timings["5008"]), min(timings["nobody"])
    assert 0.5 <= unknown / known <= 2, (known, unknown)


def test_a_hash_with_old_parameters_is_redone_at_sign_in(app, ctx, verify_calls):
    old = PasswordHasher(time_cost=3, memory_cost=128, parallelism=2).hash("135790")
    s = factories.staff("cashier", staff_no="5009", pin="135790")
    s.pin_hash = old
    db.session.commit()
    assert sign_in("5009", "135790", source="test").id == s.id
    db.session.commit()
    new = db.session.scalar(select(Staff.pin_hash).where(Staff.id == s.id))
    assert new != old and "m=64,t=1,p=1" in new
    assert not pins.hasher().check_needs_rehash(new)
    assert sign_in("5009", "135790", source="test").pin_hash == new  # no second rehash


def test_set_pin_cli_with_option_and_hidden_prompt(app, runner, make_staff):
    staff = make_staff("clerk")
    result = runner.invoke(args=["staff", "set-pin", staff["staff_no"], "--pin", "580413"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["staff", "set-pin", staff["staff_no"]],
                           input="731904\n731904\n")
    assert result.exit_code == 0, result.output
    assert "731904" not in result.output  # the prompt hides what is typed
    with app.app_context():
        assert sign_in(staff["staff_no"], "731904", source="test").id == staff["id"]
        db.session.rollback()
    mismatch = runner.invoke(args=["staff", "set-pin", staff["staff_no"]],
                             input="731904\n731905\n" * 3)
    assert mismatch.exit_code != 0
    weak = runner.invoke(args=["staff", "set-pin", staff["staff_no"], "--pin", "123456"])
    assert weak.exit_code != 0 and "连续数字" in weak.output
    unknown = runner.invoke(args=["staff", "set-pin", "nobody", "--pin", "580413"])
    assert unknown.exit_code != 0 and "nobody" in unknown.output
