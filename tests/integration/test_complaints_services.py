"""Complaints without HTTP, on both backends: recording (customer or caller + phone, first
response due in 24 working hours), every gate in order, every out-of-order step refused
(409 rule complaint_step) with nothing written, approver = proposer refused, acceptance
needing a signature or a phone confirmation, linked documents checked, reopen counted,
the callback opened on acceptance, the feedback closing, and the floor's 投诉 remark."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import factories
import pytest
from complaint_support import PATHS, STEP_DATA, exchange_doc, sig_b64, snapshot, walk, world
from sqlalchemy import select

from showroom.complaints.gates import next_steps
from showroom.complaints.models import Complaint, ComplaintStepLog
from showroom.complaints.services import record_complaint, record_feedback, take_step
from showroom.errors import Forbidden, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import FollowUp


@pytest.fixture
def w(ctx: Any) -> dict[str, Any]:
    return world()


def test_record_numbers_and_sets_first_response_due(w: dict[str, Any]) -> None:
    c = walk(w, "recorded")
    assert c.number.startswith("TS-20261123-")
    assert c.status == "recorded" and c.version == 1
    # Monday 10:00 + 24 working hours (7.5 h a day: 09–12, 13:30–18) → Thursday 11:30
    assert c.first_response_due == datetime(2026, 11, 26, 3, 30, tzinfo=UTC)


def test_caller_with_phone_needs_no_customer(w: dict[str, Any]) -> None:
    c = record_complaint(customer_id=None, caller="李先生", phone="138 0013 8000",
                         channel="phone", category="service", text="态度不好", staff_id=None)
    assert c.customer_id is None and c.phone == "13800138000"


@pytest.mark.parametrize("over, field", [
    ({"customer_id": None}, "caller"),
    ({"customer_id": None, "caller": "李", "phone": "12"}, "phone"),
    ({"customer_id": 999999}, "customer_id"),
    ({"customer_id": "x1"}, "customer_id"),
    ({"channel": "fax"}, "channel"),
    ({"category": ""}, "category"),
    ({"text": "  "}, "text"),
    ({"text": "坏\u202e字"}, "text"),
    ({"text": "x" * 2001}, "text"),
    ({"order_id": 999999}, "order_id"),
    ({"followup_id": 999999}, "followup_id"),
])
def test_bad_record_refused_nothing_written(w: dict[str, Any], over: dict[str, Any],
                                            field: str) -> None:
    kw: dict[str, Any] = {"customer_id": w["customer"].id, "channel": "phone",
                          "category": "quality", "text": "项链掉色", "staff_id": None}
    kw.update(over)
    with pytest.raises(ValidationFailed) as e:
        record_complaint(**kw)
    assert field in e.value.errors
    db.session.rollback()
    assert db.session.scalar(select(Complaint.id)) is None


def test_every_gate_in_order_with_log(w: dict[str, Any]) -> None:
    c = walk(w, "closed")
    assert c.status == "closed" and c.version == 8 and c.rating == 5
    assert c.first_response_at == c.judged_at and c.closed_at is not None
    assert c.judged_by_id == w["manager"].id and c.approved_by_id == w["manager2"].id
    assert c.acceptance == "phone" and c.accepted_by_id == w["reception"].id
    logs = db.session.scalars(select(ComplaintStepLog).where(
        ComplaintStepLog.complaint_id == c.id).order_by(ComplaintStepLog.id)).all()
    assert [x.step for x in logs] == ["judge", "investigate", "propose", "approve",
                                      "implement", "accept", "feedback"]
    assert json.loads(logs[1].data) == {"department": "品控部", "finding": "电镀层过薄"}
    assert json.loads(logs[5].data)["confirmed_by"] == w["reception"].staff_no


def test_not_standing_goes_to_acceptance_of_the_explanation(w: dict[str, Any]) -> None:
    c = walk(w, "judged_not")
    assert next_steps(c) == ("accept",)
    take_step(c.id, "accept", {"customer_confirmed": True}, staff=w["reception"])
    assert c.status == "accepted"


STATUSES = list(PATHS)
STEPS = list(STEP_DATA)


# The steps each walked status allows (checked against the gates below, so it cannot drift):
# every other (status, step) pair is out of order.
IN_ORDER = {("recorded", "judge"), ("judged", "investigate"), ("investigated", "propose"),
            ("proposed", "approve"), ("approved", "implement"), ("judged_not", "accept"),
            ("implemented", "accept"), ("accepted", "feedback"), ("accepted", "reopen"),
            ("closed", "reopen")}
OUT_OF_ORDER = [(st, step) for step in STEPS for st in STATUSES if (st, step) not in IN_ORDER]


def test_the_in_order_table_is_what_the_gates_allow(w: dict[str, Any]) -> None:
    assert {(st, s) for st in STATUSES for s in next_steps(walk(w, st))} == IN_ORDER


@pytest.mark.parametrize("status,step", OUT_OF_ORDER, ids=[f"{s}-{st}" for st, s in OUT_OF_ORDER])
def test_out_of_order_step_refused_nothing_written(w: dict[str, Any], status: str,
                                                    step: str) -> None:
    c = walk(w, status)
    assert step not in next_steps(c)
    before = snapshot(c)
    with pytest.raises(RuleRefused) as e:
        take_step(c.id, step, STEP_DATA[step], staff=w["manager"])
    assert e.value.rule == "complaint_step" and e.value.status == 409
    db.session.rollback()
    assert snapshot(c) == before


def test_in_order_steps_cover_every_status(w: dict[str, Any]) -> None:
    assert {s for st in STATUSES for s in next_steps(walk(w, st))} == set(STEPS)


def test_approver_may_not_be_proposer(w: dict[str, Any]) -> None:
    c = walk(w, "investigated")
    take_step(c.id, "propose", {"solution": "退款"}, staff=w["manager"])
    db.session.commit()
    before = snapshot(c)
    with pytest.raises(RuleRefused) as e:
        take_step(c.id, "approve", {"approved": True}, staff=w["manager"])
    assert e.value.rule == "approver_is_proposer"
    db.session.rollback()
    assert snapshot(c) == before
    take_step(c.id, "approve", {"approved": True}, staff=w["manager2"])
    assert c.status == "approved"


def test_only_a_manager_approves_or_reopens(w: dict[str, Any]) -> None:
    c = walk(w, "proposed")
    with pytest.raises(Forbidden):
        take_step(c.id, "approve", {"approved": True}, staff=w["clerk"])
    d = walk(w, "closed")
    with pytest.raises(Forbidden):
        take_step(d.id, "reopen", {"reason": "再次投诉"}, staff=w["cashier"])


def test_refused_approval_sends_back_to_propose(w: dict[str, Any]) -> None:
    c = walk(w, "proposed")
    with pytest.raises(ValidationFailed) as e:
        take_step(c.id, "approve", {"approved": False}, staff=w["manager2"])
    assert "note" in e.value.errors
    take_step(c.id, "approve", {"approved": False, "note": "方案不够"}, staff=w["manager2"])
    assert c.status == "investigated" and c.approved_by_id is None
    assert next_steps(c) == ("propose",)


def test_accept_needs_signature_or_phone(w: dict[str, Any]) -> None:
    c = walk(w, "implemented")
    before = snapshot(c)
    with pytest.raises(RuleRefused) as e:
        take_step(c.id, "accept", {}, staff=w["reception"])
    assert e.value.rule == "acceptance_needed"
    with pytest.raises(RuleRefused):
        take_step(c.id, "accept", {"customer_confirmed": False}, staff=w["reception"])
    db.session.rollback()
    assert snapshot(c) == before
    with pytest.raises(ValidationFailed) as v:
        take_step(c.id, "accept", {"signature_png": "not base64!"}, staff=w["reception"])
    assert "signature_png" in v.value.errors
    db.session.rollback()
    take_step(c.id, "accept", {"signature_png": "data:image/png;base64," + sig_b64()},
              staff=w["reception"])
    assert c.acceptance == "signature" and c.signature_id is not None


def test_acceptance_opens_the_callback_once(w: dict[str, Any]) -> None:
    c = walk(w, "accepted")
    f = db.session.scalars(select(FollowUp).where(FollowUp.source_type == "complaint",
                                                  FollowUp.source_id == c.id)).one()
    assert f.kind == "complaint_callback" and f.customer_id == w["customer"].id
    # accepted Monday → due Tuesday at opening time
    assert f.due_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_feedback_closes_and_reopen_counts(w: dict[str, Any]) -> None:
    c = walk(w, "accepted")
    with pytest.raises(ValidationFailed):
        record_feedback(c.id, 6, "", staff_id=w["reception"].id)
    db.session.rollback()
    record_feedback(c.id, 4, "还行", staff_id=w["reception"].id)
    assert c.status == "closed" and c.rating == 4
    take_step(c.id, "reopen", {"reason": "又坏了"}, staff=w["manager"])
    assert c.status == "investigated" and c.reopen_count == 1 and c.closed_at is None


def test_implement_links_only_this_customers_documents(w: dict[str, Any]) -> None:
    c = walk(w, "approved")
    other = factories.customer()
    theirs = exchange_doc(other.id)
    with pytest.raises(ValidationFailed) as e:
        take_step(c.id, "implement", {"return_id": theirs.id}, staff=w["cashier"])
    assert e.value.errors["return_id"].code == "other-customer"
    with pytest.raises(ValidationFailed) as e:
        take_step(c.id, "implement", {"return_id": 999999}, staff=w["cashier"])
    assert e.value.errors["return_id"].code == "unknown"
    with pytest.raises(ValidationFailed) as e:
        take_step(c.id, "implement", {}, staff=w["cashier"])
    assert "note" in e.value.errors
    db.session.rollback()
    mine = exchange_doc(w["customer"].id)
    take_step(c.id, "implement", {"return_id": mine.id}, staff=w["cashier"])
    assert c.aftersales_doc_id == mine.id and c.status == "implemented"


@pytest.mark.parametrize("step, data, field", [
    ("judge", {"explanation": "x"}, "stands"),
    ("judge", {"stands": "maybe", "explanation": "x"}, "stands"),
    ("judge", {"stands": True, "explanation": ""}, "explanation"),
    ("judge", {"stands": True, "explanation": 5}, "explanation"),
])
def test_bad_step_input_refused(w: dict[str, Any], step: str, data: dict[str, Any],
                                field: str) -> None:
    c = walk(w, "recorded")
    before = snapshot(c)
    with pytest.raises(ValidationFailed) as e:
        take_step(c.id, step, data, staff=w["manager"])
    assert field in e.value.errors
    db.session.rollback()
    assert snapshot(c) == before


def test_floor_complaint_remark_records_a_complaint(w: dict[str, Any]) -> None:
    from showroom.picking.services import add_remark

    add_remark(w["customer"].id, "complaint", "店员态度差", w["clerk"].id)
    c = db.session.scalars(select(Complaint)).one()
    assert c.channel == "visit" and c.text == "店员态度差" and c.recorded_by_id == w["clerk"].id


def test_callback_done_with_rating_is_the_feedback(w: dict[str, Any]) -> None:
    from showroom.followups.services import mark_done

    c = walk(w, "accepted")
    f = db.session.scalars(select(FollowUp).where(FollowUp.source_type == "complaint")).one()
    mark_done(f.id, "satisfied", "处理及时", staff=w["reception"], rating=4)
    assert c.status == "closed" and c.rating == 4 and c.feedback_comment == "处理及时"


def test_unsatisfied_callback_opens_a_complaint(w: dict[str, Any]) -> None:
    from showroom.followups.services import mark_done, open_followup

    f = open_followup("repair_callback", customer_id=w["customer"].id, source_type="repair",
                      source_id=1, due_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    mark_done(f.id, "unsatisfied", "修完又掉石了", staff=w["reception"])
    c = db.session.scalars(select(Complaint)).one()
    assert (c.followup_id, c.customer_id, c.text, c.status) == (
        f.id, w["customer"].id, "修完又掉石了", "recorded")


def test_reopened_and_accepted_again_gets_a_new_callback(w: dict[str, Any]) -> None:
    from showroom.complaints.services import callbacks_of
    from showroom.followups.services import mark_done

    c = walk(w, "closed")
    (first,) = callbacks_of(c)
    mark_done(first.id, "unreachable", "", staff=w["reception"])
    take_step(c.id, "reopen", {"reason": "又掉色"}, staff=w["manager"])
    for step, data, who in PATHS["accepted"][2:]:
        take_step(c.id, step, data, staff=w[who])
    assert c.status == "accepted" and c.reopen_count == 1
    rounds = callbacks_of(c)
    assert [f.source_type for f in rounds] == ["complaint", "complaint#1"]
    mark_done(rounds[1].id, "satisfied", "这次好了", staff=w["reception"], rating=5)
    assert c.status == "closed" and c.rating == 5
