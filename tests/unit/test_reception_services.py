"""Reception services without HTTP: visits, lockers, greeting time, clerks, inquiries."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import factories
import pytest
from sqlalchemy import func, select

from showroom.bizcal import due_after
from showroom.clock import set_now
from showroom.errors import (
    Conflict,
    InvalidTransition,
    LockerKeyNotReturned,
    NotFound,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.reception import services as svc
from showroom.reception.models import Inquiry, Visit

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_start_visit_waits_and_prints_locker_ticket(ctx):
    set_now(T0)
    c = factories.customer(name="张三")
    v = svc.start_visit(c.id, locker_no=" 12 ", purpose="补货", staff_id=None)
    assert (v.status, v.arrived_at, v.greeted_at, v.locker_no) == ("waiting", T0, None, "12")
    job = db.session.scalars(select(PrintJob)).one()
    assert (job.document, job.station) == ("locker_ticket", "reception")
    payload = json.loads(job.payload)
    assert payload["visit_id"] == v.id and payload["customer_name"] == "张三"
    assert payload["locker_no"] == "12" and payload["time"] == "2026-11-22 10:00"


def test_start_visit_without_locker_prints_nothing(ctx):
    svc.start_visit(factories.customer().id)
    assert _count(PrintJob) == 0


@pytest.mark.parametrize("kwargs,field", [
    ({"customer_id": 999}, "customer_id"),
    ({"locker_no": "12345678901"}, "locker_no"),
    ({"purpose": "x" * 121}, "purpose"),
])
def test_start_visit_bad_input_writes_nothing(ctx, kwargs, field):
    c = factories.customer()
    args = {"customer_id": c.id} | kwargs
    cid = args.pop("customer_id")
    with pytest.raises(ValidationFailed) as exc:
        svc.start_visit(cid, **args)
    assert field in exc.value.errors
    assert _count(Visit) == 0 and _count(PrintJob) == 0


def test_locker_held_until_the_visit_leaves(ctx):
    a, b = factories.customer(), factories.customer()
    va = svc.start_visit(a.id, locker_no="7")
    with pytest.raises(Conflict) as exc:
        svc.start_visit(b.id, locker_no="7")
    assert "locker_no" in exc.value.errors
    vb = svc.start_visit(b.id)
    with pytest.raises(Conflict):
        svc.greet(vb.id, locker_no="7", water_offered=True)
    assert vb.greeted_at is None and not vb.water_offered and vb.locker_no == ""
    svc.leave(va.id, locker_key_returned=True)
    svc.greet(vb.id, locker_no="7")
    assert vb.locker_no == "7" and _count(PrintJob) == 2


def test_one_open_visit_per_customer(ctx):
    c = factories.customer()
    v = svc.start_visit(c.id)
    with pytest.raises(Conflict):
        svc.start_visit(c.id)
    svc.leave(v.id, locker_key_returned=False)
    assert svc.start_visit(c.id).id != v.id


def test_greet_once_and_set_details(ctx):
    set_now(T0)
    v = svc.start_visit(factories.customer().id)
    set_now(T0 + timedelta(seconds=40))
    svc.greet(v.id, staff_id=None, water_offered=True, purpose="看新款")
    set_now(T0 + timedelta(seconds=90))
    svc.greet(v.id, purpose="补货")
    assert v.greeted_at == T0 + timedelta(seconds=40)
    assert (v.status, v.water_offered, v.purpose) == ("greeted", True, "补货")


def test_greet_bad_purpose_writes_nothing(ctx):
    v = svc.start_visit(factories.customer().id)
    with pytest.raises(ValidationFailed):
        svc.greet(v.id, purpose="x" * 200)
    db.session.refresh(v)
    assert v.greeted_at is None and v.status == "waiting"


def test_assign_clerk_rules(ctx):
    set_now(T0)
    v = svc.start_visit(factories.customer().id)
    cashier = factories.staff("cashier")
    off = factories.staff("clerk")
    off.on_duty = False
    gone = factories.staff("clerk")
    gone.active = False
    for staff_no in ("nobody", cashier.staff_no, off.staff_no, gone.staff_no, ""):
        with pytest.raises(ValidationFailed) as exc:
            svc.assign_clerk(v.id, staff_no)
        assert "clerk_staff_no" in exc.value.errors
    assert v.clerk_id is None and v.status == "waiting"
    clerk = factories.staff("clerk")
    svc.assign_clerk(v.id, clerk.staff_no)
    assert (v.status, v.clerk_id, v.assigned_at, v.greeted_at) == ("with_clerk", clerk.id, T0, T0)
    assert svc.clerk_visits(clerk.id) == [v]
    assert svc.clerk_load() == {clerk.id: 1}


def test_leave_needs_the_key_back(ctx):
    v = svc.start_visit(factories.customer().id, locker_no="3")
    with pytest.raises(LockerKeyNotReturned) as exc:
        svc.leave(v.id, locker_key_returned=False)
    assert exc.value.status == 409
    assert v.status == "waiting" and v.left_at is None
    set_now(T0)
    svc.leave(v.id, locker_key_returned=True)
    assert (v.status, v.left_at, v.locker_key_returned) == ("left", T0, True)
    with pytest.raises(InvalidTransition):
        svc.leave(v.id, locker_key_returned=True)
    with pytest.raises(InvalidTransition):
        svc.greet(v.id)
    with pytest.raises(NotFound):
        svc.leave(9999, locker_key_returned=True)


def test_board_lateness_with_frozen_clock(ctx):
    a, b, c, d = (factories.customer(name=n) for n in ("甲", "乙", "丙", "丁"))
    set_now(T0)
    late_waiting = svc.start_visit(a.id)
    greeted_late = svc.start_visit(b.id)
    set_now(T0 + timedelta(seconds=30))
    on_time = svc.start_visit(c.id)
    svc.greet(on_time.id)
    set_now(T0 + timedelta(seconds=75))
    svc.greet(greeted_late.id)
    gone = svc.start_visit(d.id)
    svc.leave(gone.id, locker_key_returned=False)
    rows = {r.visit.id: r for r in svc.todays_board(T0 + timedelta(seconds=100))}
    assert rows[late_waiting.id].waiting_seconds == 100
    assert rows[late_waiting.id].late and rows[late_waiting.id].still_waiting
    assert rows[greeted_late.id].late and not rows[greeted_late.id].still_waiting
    assert rows[greeted_late.id].waiting_seconds == 75
    assert not rows[on_time.id].late and rows[on_time.id].waiting_seconds == 0
    assert gone.id in rows and not rows[gone.id].still_waiting
    order = [r.visit.id for r in svc.todays_board(T0 + timedelta(seconds=100))]
    assert order[0] == late_waiting.id and order[-1] == gone.id


def test_board_exactly_sixty_seconds_is_not_late(ctx):
    set_now(T0)
    v = svc.start_visit(factories.customer().id)
    assert not svc.todays_board(T0 + timedelta(seconds=60))[0].late
    assert svc.todays_board(T0 + timedelta(seconds=61))[0].late
    assert v.status == "waiting"


def test_board_uses_the_showroom_day(ctx):
    # 23:50 Shanghai on the 21st = 15:50 UTC; the next morning it is yesterday's departure.
    set_now(datetime(2026, 11, 21, 15, 50, tzinfo=UTC))
    v = svc.start_visit(factories.customer().id)
    svc.leave(v.id, locker_key_returned=False)
    stays = svc.start_visit(factories.customer().id)
    next_morning = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    ids = [r.visit.id for r in svc.todays_board(next_morning)]
    assert ids == [stays.id]  # left yesterday: gone; still open: kept so it can be closed
    assert svc.clerk_visits(1, next_morning) == []


def test_log_inquiry_and_callbacks(ctx):
    set_now(T0)
    c = factories.customer(phone="13700001234")
    i = svc.log_inquiry(channel="phone", caller_name=" 刘女士 ", region="长沙",
                        phone="13700001234", question="加盟条件", reason="想开店",
                        staff_id=None, escalated=True)
    assert i.caller_name == "刘女士" and i.customer_id == c.id and i.escalated
    # 24 working hours (issue 13): Sunday 10:00 → Thursday 10:30, the follow-up's due time
    assert i.callback_due_at == datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    assert i.callback_due_at == due_after(T0, working_hours=24)
    set_now(T0 + timedelta(days=1))  # Monday 10:00 → Thursday 11:30
    j = svc.log_inquiry(channel="online", caller_name="陈", region="", phone="13600000000",
                        question="价格", reason="", staff_id=None)
    rows = svc.due_callbacks(i.callback_due_at + timedelta(minutes=30))
    assert [r.inquiry.id for r in rows] == [i.id, j.id]
    assert rows[0].overdue and not rows[1].overdue and rows[0].due_in_seconds == -1800
    staff = factories.staff("reception")
    svc.mark_called_back(i.id, "已回电", staff.id)
    assert i.called_back_by_id == staff.id and i.called_back_at is not None
    assert [r.inquiry.id for r in svc.due_callbacks()] == [j.id]
    with pytest.raises(InvalidTransition):
        svc.mark_called_back(i.id, "again", None)
    with pytest.raises(NotFound):
        svc.mark_called_back(999, "x", None)


@pytest.mark.parametrize("change,field", [
    ({"channel": "fax"}, "channel"), ({"caller_name": "  "}, "caller_name"),
    ({"phone": "12"}, "phone"), ({"phone": ""}, "phone"), ({"question": ""}, "question"),
    ({"region": "x" * 61}, "region"), ({"caller_name": 5}, "caller_name"),
])
def test_log_inquiry_bad_input_writes_nothing(ctx, change, field):
    data = {"channel": "phone", "caller_name": "刘", "region": "", "phone": "13700001234",
            "question": "q", "reason": "", "staff_id": None} | change
    with pytest.raises(ValidationFailed) as exc:
        svc.log_inquiry(**data)
    assert field in exc.value.errors
    assert _count(Inquiry) == 0


def test_mark_called_back_needs_a_note(ctx):
    i = svc.log_inquiry(channel="phone", caller_name="刘", region="", phone="13700001234",
                        question="q", reason="", staff_id=None)
    with pytest.raises(ValidationFailed):
        svc.mark_called_back(i.id, "  ", None)
    assert i.called_back_at is None


def _race(app, n, work):
    """n threads released together, each in its own app context; commit or roll back."""
    import threading

    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i).id
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - surfaced to the assertion
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.concurrency
def test_racing_receptionists_one_locker_one_visit(app):
    with app.app_context():
        ids = [factories.customer().id for _ in range(6)]
        same = factories.customer().id
        db.session.commit()
    results = _race(app, 6, lambda i: svc.start_visit(ids[i], locker_no="5"))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, int)), results
    results = _race(app, 4, lambda i: svc.start_visit(same))
    assert sum(isinstance(r, int) for r in results) == 1, results
    with app.app_context():
        assert _count(Visit) == 2 and _count(PrintJob) == 1
