"""Complaints over the API (API.md "Customer service"): record one (any staff), take its
next step (one endpoint, `step` names it; a step out of order → 409 `rule:
"complaint_step"`, approver = proposer → 409 `rule: "approver_is_proposer"`, acceptance
with neither a signature nor a phone confirmation → 409 `rule: "acceptance_needed"`;
nothing written on any refusal), the manager's list and the statistics the charts draw.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, OneOf, Out, Para, QueryIn
from showroom.auth.models import Staff
from showroom.complaints.gates import next_steps
from showroom.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    ComplaintStep,
)
from showroom.complaints.queries import complaint_list, response_overdue
from showroom.complaints.services import get_complaint, record_complaint, take_step
from showroom.complaints.stats import complaint_stats
from showroom.customers.services import may_see_phone
from showroom.extensions import db
from showroom.privacy import mask_phone

TAG = "complaints"
SIGNATURE_MAX = 300_000


class ComplaintIn(In):
    customer_id: Id | None = None
    caller: Line | None = Field(None, max_length=60, description="without a customer file")
    phone: Line | None = Field(None, max_length=30, description="without a customer file")
    channel: Annotated[str, OneOf(ComplaintChannel)]
    category: Annotated[str, OneOf(ComplaintCategory)]
    text: Para = Field(min_length=1, max_length=2000)
    order_id: Id | None = None


class StepIn(In):
    step: Annotated[str, OneOf(ComplaintStep)] = Field(
        description="the next step; reopen (manager) from accepted or closed")
    stands: bool | None = Field(None, description="judge")
    explanation: Para | None = Field(None, max_length=2000, description="judge")
    department: Line | None = Field(None, max_length=60, description="investigate")
    finding: Para | None = Field(None, max_length=2000, description="investigate")
    solution: Para | None = Field(None, max_length=2000, description="propose")
    approved: bool | None = Field(None, description="approve (a manager, not the proposer)")
    note: Para | None = Field(None, max_length=2000, description="approve / implement")
    return_id: Id | None = Field(None, description="implement: a return or exchange document")
    repair_id: Id | None = Field(None, description="implement: a repair")
    signature_png: str | None = Field(None, max_length=SIGNATURE_MAX,
                                      description="accept: the customer's signature, base64 PNG")
    customer_confirmed: bool | None = Field(None, description="accept: confirmed by phone")
    rating: Annotated[int, Field(ge=1, le=5)] | None = Field(None, description="feedback")
    comment: Para | None = Field(None, max_length=500, description="feedback")
    reason: Para | None = Field(None, max_length=500, description="reopen")


class StepOut(Out):
    step: str
    status_after: str
    staff_no: str | None
    at: datetime
    data: str = Field(description="the step's data as JSON")


class ComplaintOut(Out):
    id: int
    number: str = Field(examples=["TS-20261206-0001"])
    status: str
    next_steps: list[str]
    customer_id: int | None
    caller: str
    phone: str = Field(description="masked unless the caller's role may see phones")
    channel: str
    category: str
    text: str
    order_id: int | None
    followup_id: int | None
    recorded_by: str | None
    recorded_at: datetime
    first_response_due: datetime
    first_response_at: datetime | None
    first_response_overdue: bool
    stands: bool | None
    explanation: str
    department: str
    finding: str
    solution: str
    proposed_by: str | None
    approved_by: str | None
    approval_note: str
    implement_note: str
    return_id: int | None
    repair_id: int | None
    acceptance: str
    signature_id: int | None
    accepted_by: str | None
    rating: int | None
    feedback_comment: str
    closed_at: datetime | None
    reopen_count: int
    version: int
    steps: list[StepOut]


class ComplaintCreated(Out):
    id: int
    number: str
    status: str
    first_response_due: datetime


class ComplaintQuery(QueryIn):
    status: Annotated[str, OneOf(ComplaintStatus)] | None = None
    category: Annotated[str, OneOf(ComplaintCategory)] | None = None
    from_: date | None = Field(None, alias="from", description="recorded on or after (local)")
    to: date | None = Field(None, description="recorded on or before (local day)")
    customer_id: Id | None = None


class StatsQuery(QueryIn):
    from_: date | None = Field(None, alias="from")
    to: date | None = None


class ComplaintList(Out):
    items: list[ComplaintOut]


class ComplaintStats(Out):
    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True,
                              populate_by_name=True)

    from_: str | None = Field(alias="from", serialization_alias="from")
    to: str | None
    total: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_month: dict[str, int] = Field(description="YYYY-MM of recording → count")
    stands_share: float | None = Field(description="stood / judged; null when none judged")
    judged: int
    first_response_met_share: float | None
    first_response_counted: int
    reopen_count: int
    reopened: int
    closed: int
    median_days_to_close: float | None


def _no(staff_id: int | None) -> str | None:
    s = db.session.get(Staff, staff_id) if staff_id else None
    return s.staff_no if s is not None else None


def complaint_out(c: Complaint, viewer: Staff) -> ComplaintOut:
    fields: dict[str, Any] = {k: getattr(c, k) for k in (
        "id", "number", "status", "customer_id", "caller", "channel", "category", "text",
        "order_id", "followup_id", "recorded_at", "first_response_due", "first_response_at",
        "stands", "explanation", "department", "finding", "solution", "approval_note",
        "implement_note", "repair_id", "acceptance", "signature_id", "rating",
        "feedback_comment", "closed_at", "reopen_count", "version")}
    return ComplaintOut(
        **fields, next_steps=[str(s) for s in next_steps(c)],
        phone=c.phone if may_see_phone(viewer) else mask_phone(c.phone),
        recorded_by=_no(c.recorded_by_id), proposed_by=_no(c.proposed_by_id),
        approved_by=_no(c.approved_by_id), accepted_by=_no(c.accepted_by_id),
        return_id=c.aftersales_doc_id, first_response_overdue=response_overdue(c),
        steps=[StepOut(step=s.step, status_after=s.status_after, staff_no=_no(s.staff_id),
                       at=s.created_at, data=s.data) for s in c.steps])


@api_route("POST", "/complaints", body=ComplaintIn, response=ComplaintCreated, status=201,
           idempotent=True, tag=TAG, errors=(422,),
           summary="Record a complaint (投诉登记): any staff; a customer or a caller + phone",
           description="First response due after 24 working hours on the business calendar.")
def create(call: Call) -> ComplaintCreated:
    b: ComplaintIn = call.body
    c = record_complaint(customer_id=b.customer_id, caller=b.caller or "", phone=b.phone or "",
                         channel=b.channel, category=b.category, text=b.text,
                         order_id=b.order_id, staff_id=call.staff.id)
    return ComplaintCreated(id=c.id, number=c.number, status=c.status,
                            first_response_due=c.first_response_due)


@api_route("POST", "/complaints/{complaint_id}/steps", body=StepIn, response=ComplaintOut,
           idempotent=True, tag=TAG, errors=(403, 404, 409, 422), max_body=SIGNATURE_MAX + 8192,
           summary="Take the complaint's next step (judge … feedback, reopen)",
           description="judge {stands, explanation}; investigate {department, finding}; "
                       "propose {solution}; approve {approved, note} (a manager who is not "
                       "the proposer: 409 approver_is_proposer); implement {note, return_id?, "
                       "repair_id?}; accept {signature_png} or {customer_confirmed: true} "
                       "(neither: 409 acceptance_needed); feedback {rating 1–5, comment?}; "
                       "reopen {reason} (manager). Out of order: 409 complaint_step.")
def step(call: Call, complaint_id: int) -> ComplaintOut:
    b: StepIn = call.body
    raw = b.model_dump(exclude={"step"}, exclude_none=True)
    c = take_step(complaint_id, b.step, raw, staff=call.staff)
    return complaint_out(c, call.staff)


@api_route("GET", "/complaints/{complaint_id}", response=ComplaintOut, tag=TAG,
           errors=(404,), summary="One complaint with every gate and its step log")
def show(call: Call, complaint_id: int) -> ComplaintOut:
    return complaint_out(get_complaint(complaint_id), call.staff)


@api_route("GET", "/complaints", roles=("manager",), query=ComplaintQuery,
           response=ComplaintList, tag=TAG,
           summary="Complaints by status, category and recording period (overdue first)")
def index(call: Call) -> ComplaintList:
    q: ComplaintQuery = call.query
    return ComplaintList(items=[complaint_out(c, call.staff) for c in complaint_list(
        status=q.status, category=q.category, start=q.from_, end=q.to,
        customer_id=q.customer_id)])


@api_route("GET", "/complaints/stats", roles=("manager",), query=StatsQuery,
           response=ComplaintStats, tag=TAG,
           summary="Complaint statistics: by category, status and month; shares; median "
                   "days to close")
def stats(call: Call) -> ComplaintStats:
    q: StatsQuery = call.query
    return ComplaintStats.model_validate(complaint_stats(q.from_, q.to))
