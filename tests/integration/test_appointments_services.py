"""Appointments without HTTP (both backends): booking in opening hours only (past, closed
day, lunch break refused with a message and nothing written), the clash warning, every
status move through APPOINTMENT_MOVES, a reschedule keeping the old time and the reason,
the text rule on `wanted` and `reason`, stale versions refused, gathering goods, and
starting the call as a `video` order with the gathered lines (shortages reported)."""
from __future__ import annotations

from typing import Any

import pytest
from appointment_support import (
    AT_15,
    AT_1530,
    SATURDAY_10,
    TUESDAY_LUNCH,
    WED_11,
    booked,
    world,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from showroom.appointments import call as calls
from showroom.appointments import services as svc
from showroom.appointments.models import (
    APPOINTMENT_MOVES,
    Appointment,
    AppointmentChange,
    AppointmentStatus,
)
from showroom.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.orders.services import order_lines

S = AppointmentStatus


@pytest.fixture
def w(ctx: Any) -> dict[str, Any]:
    return world()


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_book_numbers_and_logs(w: dict[str, Any]) -> None:
    a = booked(w)
    assert a.number.startswith("YY-20261208-")
    assert a.status == S.BOOKED and a.version == 1
    assert a.remind_at == AT_15.replace(minute=50, hour=6)  # 14:50 local
    log = svc.history(a.id)
    assert [c.kind for c in log] == ["booked"] and log[0].new_starts_at == AT_15


@pytest.mark.parametrize(("when", "code"), [
    (AT_15.replace(hour=1), "past"),  # 09:00 today, before 'now' (10:00)
    (SATURDAY_10, "closed-day"),
    (TUESDAY_LUNCH, "closed-hours"),
    (AT_15.replace(hour=12), "closed-hours"),  # 20:00 local
])
def test_book_refuses_times_nobody_can_take(w: dict[str, Any], when: Any, code: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        booked(w, at=when)
    assert err.value.errors["starts_at"].code == code  # type: ignore[attr-defined]
    assert str(err.value.errors["starts_at"])
    assert _count(Appointment) == 0 and _count(AppointmentChange) == 0


def test_book_refuses_missing_fields_all_at_once(w: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as err:
        svc.book(customer_id=None, starts_at=None, wanted="", staff_id=None)
    assert set(err.value.errors) == {"customer_id", "clerk", "starts_at", "wanted"}
    with pytest.raises(ValidationFailed) as err:  # a cashier is no clerk
        svc.book(customer_id=w["customer"].id, clerk_id=w["desk"].id, starts_at=AT_15,
                 wanted="x", staff_id=None)
    assert set(err.value.errors) == {"clerk"}


@pytest.mark.parametrize("bad", ["手链\x00", "手\u202e链", "手\u200b链", "a\x1b[0m"])
def test_text_rule_on_wanted_and_reason(w: dict[str, Any], bad: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        booked(w, wanted=bad)
    assert err.value.errors["wanted"].code == "bad-text"  # type: ignore[attr-defined]
    assert _count(Appointment) == 0
    a = booked(w)
    with pytest.raises(ValidationFailed) as err:
        svc.reschedule(a.id, starts_at=WED_11, reason=bad, staff_id=None)
    assert err.value.errors["reason"].code == "bad-text"  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed):
        svc.cancel(a.id, reason=bad, staff_id=None)
    assert a.status == S.BOOKED and len(svc.history(a.id)) == 1


def test_clash_within_30_minutes_warns(w: dict[str, Any]) -> None:
    first = booked(w)
    second = booked(w, at=AT_1530.replace(minute=20))  # 15:20
    far = booked(w, at=AT_1530)  # 15:30: 30 min from the first, none within
    assert svc.clash_warnings(first) and first.number in svc.clash_warnings(second)[0]
    assert first.number not in " ".join(svc.clash_warnings(far))


def test_reschedule_keeps_old_time_and_reason(w: dict[str, Any]) -> None:
    a = booked(w)
    svc.mark_ready(a.id, staff_id=w["clerk"].id)
    a = svc.reschedule(a.id, starts_at=WED_11, reason="客户网络不好", staff_id=w["clerk"].id,
                       version=a.version)
    assert a.status == S.BOOKED and a.starts_at == WED_11 and a.reminded_at is None
    assert a.remind_at == WED_11.replace(hour=2, minute=50)
    last = svc.history(a.id)[-1]
    assert (last.kind, last.old_starts_at, last.new_starts_at, last.reason) == (
        "rescheduled", AT_15, WED_11, "客户网络不好")


def test_reschedule_needs_reason_and_a_good_time(w: dict[str, Any]) -> None:
    a = booked(w)
    with pytest.raises(ValidationFailed) as err:
        svc.reschedule(a.id, starts_at=SATURDAY_10, reason="", staff_id=None)
    assert set(err.value.errors) == {"starts_at", "reason"}
    assert a.starts_at == AT_15 and len(svc.history(a.id)) == 1


def test_stale_version_refused(w: dict[str, Any]) -> None:
    a = booked(w)
    svc.reschedule(a.id, starts_at=WED_11, reason="改时间", staff_id=None, version=1)
    with pytest.raises(StaleVersion):
        svc.cancel(a.id, reason="不要了", staff_id=None, version=1)
    assert db.session.get(Appointment, a.id).status == S.BOOKED  # type: ignore[union-attr]


def test_no_show_then_reschedule_and_cancel_is_final(w: dict[str, Any]) -> None:
    a = booked(w)
    svc.no_show(a.id, reason="客户没上线", staff_id=None)
    assert a.status == S.NO_SHOW and a.reason == "客户没上线"
    svc.reschedule(a.id, starts_at=WED_11, reason="约明天", staff_id=None)
    svc.cancel(a.id, reason="客户取消", staff_id=None)
    with pytest.raises(InvalidTransition):
        svc.reschedule(a.id, starts_at=AT_15, reason="再约", staff_id=None)
    with pytest.raises(InvalidTransition):
        svc.mark_ready(a.id, staff_id=None)
    assert [c.kind for c in svc.history(a.id)] == [
        "booked", "no_show", "rescheduled", "cancelled"]


def test_ready_twice_is_one_reminder(w: dict[str, Any]) -> None:
    a = booked(w)
    svc.mark_ready(a.id, staff_id=None)
    svc.mark_ready(a.id, staff_id=None)
    assert a.status == S.REMINDED and [c.kind for c in svc.history(a.id)].count("reminded") == 1


def test_gather_start_and_end(w: dict[str, Any]) -> None:
    a = booked(w)
    calls.gather(a.id, code=w["p1"].barcode, qty=2, staff_id=w["clerk"].id)
    calls.gather(a.id, code="VC-0001", staff_id=w["clerk"].id)  # same piece: adds
    calls.gather(a.id, code="VC-0002", qty=3, staff_id=w["clerk"].id)  # only 1 in stock
    assert [(g.product.code, g.qty) for g in calls.goods(a.id)] == [("VC-0001", 3),
                                                                   ("VC-0002", 3)]
    with pytest.raises(NotFound):
        calls.gather(a.id, code="NOPE", staff_id=None)
    with pytest.raises(Forbidden):
        calls.start_call(a.id, staff=w["desk"])
    started = calls.start_call(a.id, staff=w["clerk"])
    order = started.order
    assert order.channel == "video" and order.clerk_id == w["clerk"].id
    assert order.customer_id == w["customer"].id and a.order_id == order.id
    assert a.status == S.IN_CALL and a.started_at is not None
    assert sorted((li.product.code, li.qty) for li in order_lines(order.id)) == [
        ("VC-0001", 3), ("VC-0002", 1)]
    assert started.shortages == [{"product_code": "VC-0002", "name": w["p2"].name,
                                  "wanted": 3, "added": 1}]
    again = calls.start_call(a.id, staff=w["clerk"])
    assert again.order.id == order.id and not again.created
    with pytest.raises(Conflict):
        calls.gather(a.id, code="VC-0001", staff_id=None)
    assert calls.for_order(order.id) is a
    svc.end_call(a.id, staff=w["clerk"])
    assert a.status == S.DONE and a.ended_at is not None
    assert [c.kind for c in svc.history(a.id)] == ["booked", "started", "done"]


def test_drop_good(w: dict[str, Any]) -> None:
    a = booked(w)
    g = calls.gather(a.id, code="VC-0001", staff_id=None)
    calls.drop_good(a.id, g.id)
    assert calls.goods(a.id) == []
    with pytest.raises(NotFound):
        calls.drop_good(a.id, g.id)


def test_warning_from_remind_at(w: dict[str, Any]) -> None:
    a = booked(w)
    assert not calls.due_now(a, AT_15.replace(hour=6, minute=49))
    assert calls.due_now(a, AT_15.replace(hour=6, minute=50))
    svc.mark_ready(a.id, staff_id=None)
    assert calls.due_now(a, AT_15)  # still waiting to start
    assert [x.id for x in calls.today_for_clerk(w["clerk"].id)] == [a.id]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(S)), max_size=6))
def test_moves_only_through_the_table(moves: list[AppointmentStatus]) -> None:
    """Whatever order of moves is asked, a row only ever takes the table's allowed moves."""
    class Row:
        status = S.BOOKED.value
        number = "YY-1"

    row = Row()
    for new in moves:
        before = row.status
        try:
            APPOINTMENT_MOVES.move(row, new, name=row.number)
        except InvalidTransition:
            assert row.status == before and not APPOINTMENT_MOVES.allows(before, new)
        else:
            assert APPOINTMENT_MOVES.allows(before, new)
