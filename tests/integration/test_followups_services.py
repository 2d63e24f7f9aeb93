"""The follow-up engine without HTTP, on both backends: each hook (member visit, inquiry,
wish arrived, complaint callback) opens its follow-up in the event's transaction, once per
source (the same event twice → one row; two threads at once → one row), owned by the
customer's clerk or by nobody (reception); done with an outcome, `unsatisfied` opens a
complaint, a complaint callback takes the rating; bad input writes nothing; the lists'
filters."""
from __future__ import annotations

import sys
import threading
import types
from datetime import UTC, datetime, timedelta
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.services import receive_stock
from showroom.clock import now_utc, set_now
from showroom.errors import Conflict, ValidationFailed
from showroom.extensions import db
from showroom.followups.hooks import inquiry_callback, visit_callback, visit_due
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.followups.services import (
    complaint_callback,
    followup_list,
    mark_done,
    open_followup,
    owner_for,
    parse_done,
    parse_rating,
)
from showroom.picking.services import mark_notified, record_wish
from showroom.reception.inquiries import log_inquiry, mark_called_back
from showroom.reception.models import Inquiry, Visit
from showroom.reception.services import leave, start_visit

FRI_1750 = datetime(2026, 2, 13, 9, 50, tzinfo=UTC)  # Fri 13 Feb 2026 17:50 Shanghai
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def count(**where: Any) -> int:
    q = select(func.count()).select_from(FollowUp)
    for k, v in where.items():
        q = q.where(getattr(FollowUp, k) == v)
    return int(db.session.scalar(q) or 0)


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    set_now(MONDAY_10)
    clerk = factories.staff("clerk", staff_no="7101", name="李店员")
    w = {"clerk": clerk, "desk": factories.staff("reception", staff_no="7102"),
         "manager": factories.staff("manager", staff_no="7103"),
         "other": factories.staff("clerk", staff_no="7104"),
         "member": factories.customer(name="会员张姐", phone="13900000001"),
         "plain": factories.customer(name="散客王", phone="13900000002")}
    w["member"].member = True
    w["member"].owner_id = clerk.id
    db.session.commit()
    return w


@pytest.fixture
def complaints(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    """A stand-in for cs-complaints' services (its own tests cover the real ones)."""
    calls: dict[str, list[dict[str, Any]]] = {"record_complaint": [], "record_feedback": []}
    fake = types.ModuleType("showroom.complaints.services")

    def record_complaint(**kw: Any) -> None:
        calls["record_complaint"].append(kw)

    def record_feedback(complaint_id: int, rating: int, comment: str, *, staff_id: Any) -> None:
        calls["record_feedback"].append({"complaint_id": complaint_id, "rating": rating,
                                         "comment": comment, "staff_id": staff_id})

    fake.record_complaint = record_complaint  # type: ignore[attr-defined]
    fake.record_feedback = record_feedback  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "showroom.complaints.services", fake)
    return calls


# -- hooks -------------------------------------------------------------------------------

def test_member_visit_opens_one_callback_owned_by_the_clerk(world: dict[str, Any]) -> None:
    set_now(FRI_1750)
    visit = start_visit(world["member"].id)
    f = db.session.scalars(select(FollowUp)).one()
    assert (f.kind, f.source_type, f.source_id) == ("visit_callback", "visit", visit.id)
    assert f.owner_id == world["clerk"].id and f.customer_id == world["member"].id
    assert f.due_at == visit_due(FRI_1750)
    assert f.due_at == datetime(2026, 2, 25, 10, 0, tzinfo=UTC)  # Wed 25 Feb 18:00
    again = visit_callback(visit)  # the same event twice
    assert again is not None and again.id == f.id and count() == 1
    leave(visit.id, locker_key_returned=True)
    assert count() == 1


def test_a_visit_of_a_customer_who_is_no_member_opens_nothing(world: dict[str, Any]) -> None:
    start_visit(world["plain"].id)
    assert count() == 0


def test_inquiry_callback_due_in_24_working_hours_and_consistent(world: dict[str, Any]) -> None:
    inq = log_inquiry(channel="phone", caller_name="刘女士", region="长沙", phone="13700001234",
                      question="加盟条件", reason="", staff_id=None)
    f = db.session.scalars(select(FollowUp)).one()
    assert f.kind == FollowUpKind.INQUIRY_CALLBACK and f.customer_id is None
    assert f.owner_id is None  # reception's list
    # Monday 10:00 + 24 working hours = Thursday 11:30
    assert f.due_at == inq.callback_due_at == datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
    assert inquiry_callback(inq).id == f.id and count() == 1
    mark_called_back(inq.id, "已回电,寄资料", world["desk"].id)
    db.session.refresh(f)
    assert f.done_at is not None and f.outcome == "done" and f.note == "已回电,寄资料"


def test_inquiry_of_a_known_customer_goes_to_their_clerk(world: dict[str, Any]) -> None:
    log_inquiry(channel="phone", caller_name="张姐", region="", phone="13900000001",
                question="新款到了吗", reason="", staff_id=None)
    f = db.session.scalars(select(FollowUp)).one()
    assert f.customer_id == world["member"].id and f.owner_id == world["clerk"].id


def test_done_inquiry_followup_marks_the_inquiry_called_back(world: dict[str, Any]) -> None:
    inq = log_inquiry(channel="online", caller_name="陈", region="", phone="13600000000",
                      question="价格", reason="", staff_id=None)
    f = db.session.scalars(select(FollowUp)).one()
    mark_done(f.id, "satisfied", "", staff=world["desk"])
    db.session.refresh(inq)
    assert inq.called_back_at is not None and inq.called_back_by_id == world["desk"].id


def test_wish_arrived_once_per_wish_and_closed_when_notified(world: dict[str, Any]) -> None:
    p = factories.product(stock=0)
    wish = record_wish(world["member"].id, product_code=p.code, qty=2)
    other = factories.product(stock=0)
    receive_stock([(other.code, 1)], staff_id=None)
    assert count() == 0
    receive_stock([(p.code, 3)], staff_id=None)
    receive_stock([(p.code, 1)], staff_id=None)  # more stock: still one follow-up
    f = db.session.scalars(select(FollowUp)).one()
    assert (f.kind, f.source_type, f.source_id) == ("wish_arrived", "wish", wish.id)
    assert f.owner_id == world["clerk"].id
    mark_notified(wish.id, world["clerk"].id)
    db.session.refresh(f)
    assert f.done_at is not None and f.done_by_id == world["clerk"].id


def test_wish_arrived_done_marks_the_wish_notified(world: dict[str, Any]) -> None:
    p = factories.product(stock=0)
    wish = record_wish(world["plain"].id, product_code=p.code, qty=1)
    receive_stock([(p.code, 1)], staff_id=None)
    f = db.session.scalars(select(FollowUp)).one()
    assert f.owner_id is None
    mark_done(f.id, "unreachable", "", staff=world["desk"])
    db.session.refresh(wish)
    assert wish.notified_at is None  # not reached: still to tell
    g = open_followup(FollowUpKind.WISH_ARRIVED, customer_id=world["plain"].id,
                      source_type="wish", source_id=wish.id, due_at=now_utc())
    assert g.id == f.id  # done or not, the source has its one follow-up


def test_complaint_callback_next_working_day_once(world: dict[str, Any]) -> None:
    complaint = types.SimpleNamespace(id=41, customer_id=world["member"].id,
                                      customer=world["member"],
                                      accepted_at=datetime(2026, 2, 13, 9, 50, tzinfo=UTC))
    f = complaint_callback(complaint)
    assert f.kind == "complaint_callback" and f.owner_id == world["clerk"].id
    assert f.due_at == datetime(2026, 2, 14, 1, 0, tzinfo=UTC)  # 调休 Saturday 09:00
    assert complaint_callback(complaint).id == f.id and count() == 1


def test_owner_for() -> None:
    assert owner_for(None) is None
    assert owner_for(types.SimpleNamespace(owner_id=5)) == 5  # type: ignore[arg-type]


# -- done ----------------------------------------------------------------------------------

def _open(w: dict[str, Any], kind: FollowUpKind = FollowUpKind.VISIT_CALLBACK,
          source_id: int = 1, owner: Any = None) -> FollowUp:
    return open_followup(kind, customer_id=w["member"].id, source_type="test",
                         source_id=source_id, due_at=now_utc(),
                         owner_id=owner.id if owner else None)


def test_unsatisfied_opens_a_complaint_linked_to_the_followup(world, complaints) -> None:  # type: ignore[no-untyped-def]
    f = _open(world, owner=world["clerk"])
    mark_done(f.id, *parse_done({"outcome": "unsatisfied", "note": "手链掉色"}),
              staff=world["clerk"])
    [kw] = complaints["record_complaint"]
    assert kw["followup_id"] == f.id and kw["customer_id"] == world["member"].id
    assert kw["text"] == "手链掉色" and kw["channel"] == "phone" and kw["category"] == "service"
    assert kw["staff_id"] == world["clerk"].id
    assert complaints["record_feedback"] == []


def test_unsatisfied_inquiry_caller_without_a_file(world, complaints) -> None:  # type: ignore[no-untyped-def]
    log_inquiry(channel="phone", caller_name="刘女士", region="", phone="13700001234",
                question="?", reason="", staff_id=None)
    f = db.session.scalars(select(FollowUp)).one()
    mark_done(f.id, "unsatisfied", "一直没人回", staff=world["desk"])
    [kw] = complaints["record_complaint"]
    assert (kw["customer_id"], kw["caller"], kw["phone"]) == (None, "刘女士", "13700001234")


def test_complaint_callback_needs_the_rating(world, complaints) -> None:  # type: ignore[no-untyped-def]
    f = _open(world, FollowUpKind.COMPLAINT_CALLBACK, source_id=77)
    db.session.commit()
    with pytest.raises(ValidationFailed) as e:
        mark_done(f.id, "satisfied", "", staff=world["desk"])
    assert "rating" in e.value.errors
    db.session.rollback()
    assert db.session.get(FollowUp, f.id).done_at is None
    mark_done(f.id, "satisfied", "很满意", staff=world["desk"], rating=5)
    assert complaints["record_feedback"] == [{"complaint_id": 77, "rating": 5,
                                              "comment": "很满意",
                                              "staff_id": world["desk"].id}]
    g = _open(world, FollowUpKind.COMPLAINT_CALLBACK, source_id=78)
    mark_done(g.id, "unreachable", "", staff=world["desk"])  # not reached: no rating asked
    assert len(complaints["record_feedback"]) == 1


def test_done_twice_and_someone_elses(world: dict[str, Any]) -> None:
    f = _open(world, owner=world["clerk"])
    with pytest.raises(Exception) as e:
        mark_done(f.id, "satisfied", "", staff=world["other"])
    assert e.value.code == "forbidden"  # type: ignore[attr-defined]
    mark_done(f.id, "satisfied", "", staff=world["clerk"])
    with pytest.raises(Conflict):
        mark_done(f.id, "satisfied", "", staff=world["manager"])


@pytest.mark.parametrize(("raw", "field"), [
    ({"outcome": "happy"}, "outcome"), ({"outcome": None}, "outcome"),
    ({"outcome": "unsatisfied", "note": ""}, "note"), ({"outcome": "done", "note": " "}, "note"),
    ({"outcome": "satisfied", "note": "x" * 501}, "note"),
    ({"outcome": "satisfied", "note": "a\x07b"}, "note"),
])
def test_bad_done_input(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        parse_done(raw)
    assert field in e.value.errors


@pytest.mark.parametrize("value", ["0", "6", "x", 3.5, True, "-1", 10])
def test_bad_rating(value: Any) -> None:
    with pytest.raises(ValidationFailed):
        parse_rating(value)


def test_ratings_and_old_outcomes_stay_valid() -> None:
    assert parse_rating("4") == 4 and parse_rating(1) == 1 and parse_rating("") is None
    assert parse_done({"outcome": "no_answer"}) == ("no_answer", "")
    assert [str(o) for o in Outcome.offered()] == ["satisfied", "unsatisfied", "unreachable",
                                                   "done"]


# -- lists -------------------------------------------------------------------------------

def test_lists_by_owner_kind_and_reception(world: dict[str, Any]) -> None:
    now = now_utc()
    mine = open_followup(FollowUpKind.WEEKLY_CONTACT, customer_id=world["member"].id,
                         source_type="t", source_id=1, due_at=now - timedelta(hours=1),
                         owner_id=world["clerk"].id)
    nobody = open_followup(FollowUpKind.INQUIRY_CALLBACK, customer_id=None, source_type="t",
                           source_id=2, due_at=now + timedelta(hours=2))
    later = open_followup(FollowUpKind.BIRTHDAY, customer_id=world["member"].id,
                          source_type="t", source_id=3, due_at=now + timedelta(days=30),
                          owner_id=world["other"].id)
    clerk = followup_list(world["clerk"])
    assert [f.id for f in clerk.overdue] == [mine.id] and clerk.count == 1
    desk = followup_list(world["desk"])
    assert [f.id for f in desk.today] == [nobody.id] and desk.count == 1
    boss = followup_list(world["manager"], everyone=True)
    assert boss.count == 2  # a week ahead
    assert followup_list(world["manager"], everyone=True, horizon_days=None).count == 3
    assert [f.id for f in followup_list(world["manager"], everyone=True, horizon_days=None,
                                        kind="birthday").coming] == [later.id]
    assert [f.id for f in followup_list(world["manager"], everyone=True,
                                        reception=True).today] == [nobody.id]
    assert followup_list(world["manager"], everyone=True,
                         owner_id=world["clerk"].id).count == 1


# -- races -------------------------------------------------------------------------------

def test_two_workers_hook_the_same_visit_one_followup(app: Any) -> None:
    set_now(MONDAY_10)
    with app.app_context():
        c = factories.customer(name="会员赵", phone="13900000009")
        c.member = True
        visit = Visit(customer_id=c.id, status="left", arrived_at=MONDAY_10, purpose="",
                      locker_no="", water_offered=False, locker_key_returned=False)
        db.session.add(visit)
        db.session.commit()
        vid = visit.id
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    ids: list[int] = []

    def work() -> None:
        try:
            with app.app_context():
                barrier.wait()  # before any statement: SQLite's BEGIN IMMEDIATE would wait
                f = visit_callback(db.session.get(Visit, vid))
                db.session.commit()
                assert f is not None
                ids.append(f.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with app.app_context():
        assert len(set(ids)) == 1 and count(kind="visit_callback") == 1


def test_two_workers_log_inquiries_each_gets_its_own(app: Any) -> None:
    """Different sources never collide: two inquiries at once, two follow-ups."""
    set_now(MONDAY_10)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                log_inquiry(channel="phone", caller_name=f"客{i}", region="",
                            phone=f"1370000000{i}", question="?", reason="", staff_id=None)
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with app.app_context():
        assert count(kind="inquiry_callback") == 2
        assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 2


def test_wish_arrived_from_a_csv_import_restock(world: dict[str, Any]) -> None:
    from types import SimpleNamespace

    from showroom.catalog.bulk import write_rows

    p = factories.product(stock=0)
    wish = record_wish(world["member"].id, product_code=p.code, qty=1)
    row = SimpleNamespace(line=2, values={"code": p.code}, stock=5, existing_id=p.id)
    write_rows([row])
    f = db.session.scalars(select(FollowUp)).one()
    assert (f.kind, f.source_id, f.owner_id) == ("wish_arrived", wish.id, world["clerk"].id)
