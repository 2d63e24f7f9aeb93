"""Seeing the customer off (Std ch.7): the departure checklist closes the visit through
`leave`; each refusal (incomplete checklist, key not back, already left, unknown visit)
writes nothing; the "new goods first" opt-in marks the customer and is never undone."""
from __future__ import annotations

import factories
import pytest

from showroom.customers.models import Customer
from showroom.errors import InvalidTransition, LockerKeyNotReturned, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.reception import services as svc
from showroom.reception.departure import new_goods_customers, see_off
from showroom.reception.models import TRAVEL_MODES, Visit

OK = {"locker_key_returned": False, "belongings_taken": True, "travel_mode": "train",
      "new_goods_opt_in": False}


@pytest.fixture
def visit(ctx):
    customer = factories.customer(name="赵六")
    v = svc.start_visit(customer.id, locker_no="A7")
    db.session.commit()
    return v


def snapshot(visit_id: int) -> tuple:
    db.session.expire_all()
    v = db.session.get(Visit, visit_id)
    assert v is not None
    return (v.status, v.left_at, v.locker_key_returned, v.belongings_taken, v.travel_mode,
            v.new_goods_opt_in, v.seen_off_at, v.seen_off_by_id, v.customer.new_goods_first)


def refused(visit_id: int, exc: type[Exception], **kw: object) -> Exception:
    before = snapshot(visit_id)
    args = {**OK, **kw}
    with pytest.raises(exc) as info:
        see_off(visit_id, staff_id=None, **args)  # type: ignore[arg-type]
    db.session.rollback()
    assert snapshot(visit_id) == before
    return info.value


def test_see_off_records_the_checklist_and_closes_the_visit(visit):
    staff = factories.staff("packer")
    v = see_off(visit.id, locker_key_returned=True, belongings_taken=True, travel_mode="plane",
                new_goods_opt_in=True, staff_id=staff.id)
    db.session.commit()
    assert v.status == "left" and v.left_at is not None and v.locker_key_returned
    assert v.belongings_taken and v.travel_mode == "plane" and v.new_goods_opt_in
    assert v.seen_off_at == v.left_at and v.seen_off_by_id == staff.id
    assert v.customer.new_goods_first
    assert [c.id for c in new_goods_customers()] == [v.customer_id]


@pytest.mark.parametrize("mode", TRAVEL_MODES)
def test_every_travel_mode(ctx, mode):
    v = svc.start_visit(factories.customer().id)
    see_off(v.id, locker_key_returned=False, belongings_taken=True, travel_mode=f" {mode} ",
            new_goods_opt_in=False, staff_id=None)
    assert v.travel_mode == mode and v.status == "left"


def test_belongings_not_ticked_is_refused(visit):
    err = refused(visit.id, ValidationFailed, locker_key_returned=True, belongings_taken=False)
    assert isinstance(err, ValidationFailed) and set(err.errors) == {"belongings_taken"}
    assert err.status == 422


@pytest.mark.parametrize("mode", ["", "   ", "rocket", "Train", None, 3])
def test_travel_mode_required_and_known(visit, mode):
    err = refused(visit.id, ValidationFailed, locker_key_returned=True, travel_mode=mode)
    assert isinstance(err, ValidationFailed) and set(err.errors) == {"travel_mode"}


def test_everything_missing_names_every_field(visit):
    err = refused(visit.id, ValidationFailed, locker_key_returned=True, belongings_taken=False,
                  travel_mode="", new_goods_opt_in=True)
    assert isinstance(err, ValidationFailed)
    assert set(err.errors) == {"belongings_taken", "travel_mode"}


def test_truthy_non_bool_does_not_count_as_ticked(visit):
    refused(visit.id, ValidationFailed, locker_key_returned=True, belongings_taken="yes")


def test_locker_key_not_back_is_409_like_leave(visit):
    err = refused(visit.id, LockerKeyNotReturned, locker_key_returned=False, new_goods_opt_in=True)
    assert err.status == 409  # type: ignore[attr-defined]


def test_key_already_back_from_earlier_counts(ctx):
    v = svc.start_visit(factories.customer().id)  # no locker: no key to ask for
    see_off(v.id, **OK, staff_id=None)
    assert v.status == "left" and not v.locker_key_returned


def test_already_left_is_409(visit):
    svc.leave(visit.id, locker_key_returned=True)
    db.session.commit()
    err = refused(visit.id, InvalidTransition, locker_key_returned=True, new_goods_opt_in=True)
    assert err.status == 409  # type: ignore[attr-defined]
    # already left wins over bad input
    refused(visit.id, InvalidTransition, belongings_taken=False, travel_mode="")


def test_unknown_visit(ctx):
    with pytest.raises(NotFound):
        see_off(999_999, staff_id=None, **OK)


def test_opt_in_never_turns_the_flag_off(ctx):
    customer = factories.customer()
    customer.new_goods_first = True
    first = svc.start_visit(customer.id)
    see_off(first.id, **OK, staff_id=None)  # new_goods_opt_in False this time
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).new_goods_first is True  # type: ignore[union-attr]
    assert db.session.get(Visit, first.id).new_goods_opt_in is False  # type: ignore[union-attr]


def test_new_goods_list_holds_only_opted_in_customers(ctx):
    for name in ("王", "陈", "李"):
        c = factories.customer(name=name)
        c.new_goods_first = name != "陈"
    factories.customer(name="不要")
    db.session.flush()
    assert {c.name for c in new_goods_customers()} == {"王", "李"}  # order: the DB's collation
