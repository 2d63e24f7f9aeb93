"""Follow-ups over the API (API.md "Customer service"): the lists by due (today, overdue,
all open), owner and kind, and marking one done — `unsatisfied` opens a complaint linked to
it; a complaint callback where the customer was reached needs the rating 1–5.

A member of staff sees their own follow-ups (reception also those nobody owns); a manager
everyone's, or one owner's with `staff_no`. POST done takes an Idempotency-Key: a retry
replays the answer and opens no second complaint.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import select

from showroom.api.registry import Call, api_route
from showroom.api.types import In as InBase
from showroom.api.types import Line, OneOf, Out, Para, QueryIn
from showroom.auth.models import Staff
from showroom.errors import Forbidden, NotFound
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.followups.services import followup_list, mark_done, parse_done

TAG = "follow-ups"


class FollowUpQuery(QueryIn):
    due: Literal["today", "overdue", "all"] = Field(
        "all", description="today: due later today; overdue: past due; all: every open one")
    staff_no: Line | None = Field(None, max_length=20, description='an owner ("reception": '
                                  "nobody's); others than yourself: manager only")
    kind: Annotated[str, OneOf(FollowUpKind)] | None = None


class SourceOut(Out):
    type: str
    id: int


class FollowUpItem(Out):
    id: int
    kind: str
    customer_id: int | None
    owner_staff_no: str | None
    due_at: datetime
    done_at: datetime | None
    outcome: str
    note: str
    source: SourceOut


class FollowUpItems(Out):
    items: list[FollowUpItem]


class DoneIn(InBase):
    outcome: Annotated[str, OneOf(Outcome.offered())] = Field(
        description="unsatisfied opens a complaint linked to the follow-up")
    note: Para | None = Field(None, max_length=500, description="needed for done and "
                              "unsatisfied (what the customer says)")
    rating: int | None = Field(None, ge=1, le=5, description="complaint_callback: the "
                               "customer's rating 1–5 (needed when they were reached)")


def item(f: FollowUp) -> FollowUpItem:
    return FollowUpItem(id=f.id, kind=f.kind, customer_id=f.customer_id,
                        owner_staff_no=f.owner.staff_no if f.owner else None, due_at=f.due_at,
                        done_at=f.done_at, outcome=f.outcome, note=f.note,
                        source=SourceOut(type=f.source_type, id=f.source_id))


@api_route("GET", "/follow-ups", query=FollowUpQuery, response=FollowUpItems,
           tag=TAG, errors=(403,),
           summary="Open follow-ups: mine (and reception's), or a manager's pick by owner; "
                   "by due (today / overdue / all) and kind")
def list_followups(call: Call) -> FollowUpItems:
    q: FollowUpQuery = call.query
    me = call.staff
    is_manager = "manager" in me.role_set
    owner_id, reception = None, False
    if q.staff_no == "reception":
        if not (is_manager or "reception" in me.role_set):
            raise Forbidden(_("only reception and managers see reception's follow-ups"))
        reception = True
    elif q.staff_no and q.staff_no != me.staff_no:
        if not is_manager:
            raise Forbidden(_("only a manager sees another person's follow-ups"))
        owner_id = db.session.scalar(select(Staff.id).where(Staff.staff_no == q.staff_no))
        if owner_id is None:
            raise NotFound(_("no staff member %(no)s", no=q.staff_no))
    elif q.staff_no:
        owner_id = me.id
    lists = followup_list(me, everyone=is_manager or reception or owner_id is not None,
                          kind=q.kind, owner_id=owner_id, reception=reception,
                          horizon_days=None)
    rows = {"today": lists.today, "overdue": lists.overdue}.get(
        q.due, lists.overdue + lists.today + lists.coming)
    return FollowUpItems(items=[item(f) for f in rows])


@api_route("POST", "/follow-ups/{followup_id}/done", body=DoneIn,
           response=FollowUpItem, tag=TAG, errors=(403, 404, 409), idempotent=True,
           summary="Done with the outcome of the call; unsatisfied opens a complaint linked "
                   "to it; a complaint callback takes the rating 1–5")
def followup_done(call: Call, followup_id: int) -> FollowUpItem:
    body: DoneIn = call.body
    outcome, note = parse_done(body.model_dump())
    return item(mark_done(followup_id, outcome, note, rating=body.rating, staff=call.staff))
