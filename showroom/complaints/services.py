"""Complaints through every gate (SPEC §6, Std ch.14, seed 003): record one (anyone, a
customer on file or a caller with a phone; first response due in 24 working hours), then
take the steps in order. Each step is checked in this order — role (403), the gate
(409 rule `complaint_step`), the fields (422), the step's own rule (409) — before
anything is written; a step then moves the status through its StatusTable, fills the
gate's who/when/what, appends a ComplaintStepLog row and bumps the version.

Services flush, never commit; the screen and the API call the same functions.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from showroom.auth.models import Staff
from showroom.bizcal import due_after
from showroom.clock import now_utc
from showroom.complaints.gates import COMPLAINT_STATUS, MANAGER_STEPS, next_steps, target
from showroom.complaints.models import (
    Acceptance,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    ComplaintStep,
    ComplaintStepLog,
)
from showroom.complaints.steps import StepIn, parse_step
from showroom.customers.models import Customer
from showroom.errors import Forbidden, NotFound, Problem, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.numbering import next_number
from showroom.phones import clean_phone
from showroom.validation import MAX_ID, clean_text

FIRST_RESPONSE_HOURS = 24
MAX_TEXT = 2000


def _known(model: type, value: object, field: str, errors: dict[str, str],
           message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        errors[field] = Problem("bad-id", _("a number"))
        return None
    if db.session.get(model, value) is None:
        errors[field] = Problem("unknown", message)
        return None
    return value


def record_complaint(*, customer_id: int | None, caller: str = "", phone: str = "",
                     channel: str, category: str, text: str, order_id: int | None = None,
                     followup_id: int | None = None, staff_id: int | None) -> Complaint:
    """投诉登记: anyone may record one; it is numbered (TS-…) and its first response falls
    due 24 working hours later on the business calendar."""
    from showroom.followups.models import FollowUp
    from showroom.orders.models import Order

    errors: dict[str, str] = {}
    cid = _known(Customer, customer_id, "customer_id", errors, _("no such customer"))
    name = clean_text(caller, "caller", errors, 60)
    raw_phone = clean_text(phone, "phone", errors, 30)
    number = ""
    if raw_phone:
        number = clean_phone(raw_phone) or ""
        if not number:
            errors["phone"] = Problem("bad-phone", _("a mobile (11 digits) or a landline with "
                                                     "its area code"))
    if cid is None and "customer_id" not in errors:
        if not name:
            errors["caller"] = Problem("required", _("the caller's name, or choose a customer"))
        if not raw_phone:
            errors["phone"] = Problem("required", _("the caller's phone, or choose a customer"))
    if channel not in ComplaintChannel.codes():
        errors["channel"] = Problem("bad-choice", _("one of %(choices)s",
                                                    choices=", ".join(ComplaintChannel.codes())))
    if category not in ComplaintCategory.codes():
        errors["category"] = Problem("bad-choice", _("one of %(choices)s",
                                                     choices=", ".join(ComplaintCategory.codes())))
    body = clean_text(text, "text", errors, MAX_TEXT, required=True, multiline=True)
    oid = _known(Order, order_id, "order_id", errors, _("no such order"))
    if oid is not None and cid is not None:
        order = db.session.get(Order, oid)
        if order is not None and order.customer_id != cid:
            errors["order_id"] = Problem("other-customer", _("that order is another customer's"))
    fid = _known(FollowUp, followup_id, "followup_id", errors, _("no such follow-up"))
    if errors:
        raise ValidationFailed(_("please correct the complaint"), errors=errors)
    now = now_utc()
    c = Complaint(number=next_number("complaint"), status=ComplaintStatus.RECORDED,
                  customer_id=cid, caller=name, phone=number, channel=channel,
                  category=category, text=body, order_id=oid, followup_id=fid,
                  recorded_by_id=staff_id, recorded_at=now,
                  first_response_due=due_after(now, working_hours=FIRST_RESPONSE_HOURS),
                  reopen_count=0, version=1)
    db.session.add(c)
    db.session.flush()
    return c


def get_complaint(complaint_id: int, *, lock: bool = False) -> Complaint:
    c = db.session.get(Complaint, complaint_id, with_for_update=lock or None)
    if c is None:
        raise NotFound(_("no complaint %(id)s", id=complaint_id))
    return c


def check_step(c: Complaint, step: str, staff: Staff) -> None:
    """Role, then the gate: raises before anything is written."""
    if step in MANAGER_STEPS and "manager" not in staff.role_set:
        raise Forbidden(_("only a manager may %(step)s a complaint",
                          step=ComplaintStep(step).label))
    allowed = next_steps(c)
    if step not in allowed:
        label = ComplaintStep(step).label if step in ComplaintStep.codes() else step
        raise RuleRefused("complaint_step", [_(
            "Complaint %(number)s is %(status)s: the next step is %(next)s, not %(step)s.",
            number=c.number, status=ComplaintStatus(c.status).label,
            next=" / ".join(ComplaintStep(s).label for s in allowed) or "—", step=label)])


def take_step(complaint_id: int, step: str, raw: Mapping[str, object], *,
              staff: Staff) -> Complaint:
    """Take one step of a complaint (locked), in order, or refuse with nothing written."""
    if step not in ComplaintStep.codes():
        raise ValidationFailed(_("unknown step"), errors={"step": Problem(
            "bad-choice", _("one of %(choices)s", choices=", ".join(ComplaintStep.codes())))})
    c = get_complaint(complaint_id, lock=True)
    check_step(c, step, staff)
    data = parse_step(step, raw, c)
    _rules(c, data, staff)
    _apply(c, data, staff)
    return c


def _rules(c: Complaint, d: StepIn, staff: Staff) -> None:
    if d.step == ComplaintStep.APPROVE and c.proposed_by_id == staff.id:
        raise RuleRefused("approver_is_proposer", [_(
            "The manager who approves a solution may not be the one who proposed it: ask "
            "another manager.")])
    if d.step == ComplaintStep.ACCEPT and not d.signature and not d.customer_confirmed:
        raise RuleRefused("acceptance_needed", [_(
            "The customer's acceptance needs their signature on the tablet, or their "
            "confirmation by phone recorded by whoever took the call.")])


def _apply(c: Complaint, d: StepIn, staff: Staff) -> None:
    from showroom.attachments.services import store_photo

    now = now_utc()
    step = d.step
    new = target(step, approved=d.approved)
    COMPLAINT_STATUS.move(c, new, name=c.number)
    if c.first_response_at is None:
        c.first_response_at = now
    logged: dict[str, Any] = {}
    if step == ComplaintStep.JUDGE:
        c.stands, c.explanation, c.judged_by_id, c.judged_at = d.stands, d.text, staff.id, now
        logged = {"stands": d.stands, "explanation": d.text}
    elif step == ComplaintStep.INVESTIGATE:
        c.department, c.finding = d.department, d.text
        c.investigated_by_id, c.investigated_at = staff.id, now
        logged = {"department": d.department, "finding": d.text}
    elif step == ComplaintStep.PROPOSE:
        c.solution, c.proposed_by_id, c.proposed_at = d.text, staff.id, now
        c.approved_by_id, c.approved_at, c.approval_note = None, None, ""
        logged = {"solution": d.text}
    elif step == ComplaintStep.APPROVE:
        c.approval_note = d.text
        if d.approved:
            c.approved_by_id, c.approved_at = staff.id, now
        logged = {"approved": d.approved, "note": d.text}
    elif step == ComplaintStep.IMPLEMENT:
        c.implement_note, c.aftersales_doc_id, c.repair_id = d.text, d.return_id, d.repair_id
        c.implemented_by_id, c.implemented_at = staff.id, now
        logged = {"note": d.text, "return_id": d.return_id, "repair_id": d.repair_id}
    elif step == ComplaintStep.ACCEPT:
        c.accepted_by_id, c.accepted_at = staff.id, now
        if d.signature:
            sig = store_photo("complaint", c.id, d.signature, staff_id=staff.id,
                              field="signature_png")
            c.acceptance, c.signature_id = Acceptance.SIGNATURE, sig.id
            logged = {"acceptance": "signature", "signature_id": sig.id}
        else:
            c.acceptance, c.signature_id = Acceptance.PHONE, None
            logged = {"acceptance": "phone", "confirmed_by": staff.staff_no}
    elif step == ComplaintStep.FEEDBACK:
        c.rating, c.feedback_comment, c.feedback_at, c.closed_at = d.rating, d.text, now, now
        logged = {"rating": d.rating, "comment": d.text}
    elif step == ComplaintStep.REOPEN:
        c.reopen_count = (c.reopen_count or 0) + 1
        c.closed_at = None
        logged = {"reason": d.text, "from": d.reopened_from}
    c.version = (c.version or 0) + 1
    db.session.add(ComplaintStepLog(
        complaint_id=c.id, step=str(step), status_after=str(new),
        data=json.dumps(logged, ensure_ascii=False, sort_keys=True), staff_id=staff.id,
        created_at=now))
    db.session.flush()
    if step == ComplaintStep.ACCEPT:
        open_callback(c)


def open_callback(c: Complaint) -> Any:
    """The next-day callback whose answer is the feedback (the follow-up engine's
    complaint_callback: once per complaint, owned by the customer's clerk). After a reopen
    the new acceptance gets its own callback: source "complaint#<round>" (same complaint id),
    since the first round's follow-up exists and is done."""
    from showroom import bizcal
    from showroom.followups.models import FollowUpKind
    from showroom.followups.services import complaint_callback, open_followup, owner_for

    if not c.reopen_count:
        return complaint_callback(c)
    return open_followup(FollowUpKind.COMPLAINT_CALLBACK, customer_id=c.customer_id,
                         source_type=f"complaint#{c.reopen_count}", source_id=c.id,
                         due_at=bizcal.next_working_day(c.accepted_at or now_utc()),
                         owner_id=owner_for(c.customer))


def callbacks_of(c: Complaint) -> list[Any]:
    """Every round's callback of a complaint, oldest first."""
    from sqlalchemy import or_, select

    from showroom.followups.models import FollowUp

    return list(db.session.scalars(select(FollowUp).where(
        FollowUp.source_id == c.id, or_(FollowUp.source_type == "complaint",
                                        FollowUp.source_type.like("complaint#%")))
        .order_by(FollowUp.id)))


def record_feedback(complaint_id: int, rating: int, comment: str, *,
                    staff_id: int | None) -> Complaint:
    """The callback's answer (rating 1–5, a comment) closes an accepted complaint."""
    staff = db.session.get(Staff, staff_id) if staff_id else None
    if staff is None:
        raise ValidationFailed(_("who took the call?"), errors={"staff_id": Problem(
            "required", _("required"))})
    return take_step(complaint_id, ComplaintStep.FEEDBACK,
                     {"rating": rating, "comment": comment}, staff=staff)


def remark_complaint(remark: Any) -> Complaint:
    """A 投诉 remark taken on the floor is also a complaint (recorded in the showroom)."""
    return record_complaint(customer_id=remark.customer_id, channel=ComplaintChannel.VISIT,
                            category=ComplaintCategory.OTHER, text=remark.text,
                            order_id=remark.order_id, staff_id=remark.staff_id)
