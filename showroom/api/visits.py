"""Visits over the API (reception): a customer arrives, is handed to a clerk, leaves.

Leaving with a locker whose key is not back → 409. The locker ticket prints at the
token's station, else at the default reception station. Leaving may carry the departure
checklist (Std ch.7: belongings, travel mode, "new goods first"); when any of it is given
the visit closes through `see_off`, which needs all of it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field
from sqlalchemy import update

from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, OneOf, Out
from showroom.extensions import db
from showroom.printjobs.models import DocumentKind, JobStatus, PrintJob
from showroom.reception.departure import see_off
from showroom.reception.models import TravelMode, Visit, VisitStatus
from showroom.reception.services import assign_clerk, leave, start_visit


class VisitIn(In):
    customer_id: Id
    locker_no: Line = Field("", max_length=10, examples=["A12"])
    purpose: Line = Field("", max_length=120)


class AssignIn(In):
    clerk_staff_no: Line = Field(min_length=1, max_length=20)


class LeaveIn(In):
    locker_key_returned: bool = Field(description="true once the locker key is back")
    belongings_taken: bool | None = Field(
        None, description="seeing off: the customer was reminded to take all their things "
                          "(must be true when given)")
    travel_mode: Annotated[str, OneOf(TravelMode)] | None = Field(
        None, description="seeing off: how the customer travels")
    new_goods_opt_in: bool | None = Field(
        None, description="seeing off: tell the customer first when new goods arrive "
                          "(true marks the customer; never turns it off)")

    def seeing_off(self) -> bool:
        return any(v is not None for v in (self.belongings_taken, self.travel_mode,
                                           self.new_goods_opt_in))


class VisitOut(Out):
    id: int
    customer_id: int
    status: Annotated[str, OneOf(VisitStatus)]
    arrived_at: datetime
    greeted_at: datetime | None
    locker_no: str
    locker_key_returned: bool
    purpose: str
    clerk_staff_no: str | None
    assigned_at: datetime | None
    left_at: datetime | None
    belongings_taken: bool
    travel_mode: str
    new_goods_opt_in: bool
    seen_off_at: datetime | None

    @classmethod
    def of(cls, v: Visit) -> VisitOut:
        return cls(id=v.id, customer_id=v.customer_id, status=v.status,
                   arrived_at=v.arrived_at, greeted_at=v.greeted_at, locker_no=v.locker_no,
                   locker_key_returned=v.locker_key_returned, purpose=v.purpose,
                   clerk_staff_no=v.clerk.staff_no if v.clerk else None,
                   assigned_at=v.assigned_at, left_at=v.left_at,
                   belongings_taken=v.belongings_taken, travel_mode=v.travel_mode,
                   new_goods_opt_in=v.new_goods_opt_in, seen_off_at=v.seen_off_at)


@api_route("POST", "/visits", roles=("reception",), body=VisitIn, response=VisitOut,
           status=201, summary="A customer arrives", tag="reception", errors=(409,))
def arrive(call: Call) -> VisitOut:
    body: VisitIn = call.body
    visit = start_visit(body.customer_id, locker_no=body.locker_no, purpose=body.purpose,
                        staff_id=call.staff.id)
    if call.station:  # the service has no station parameter: move its ticket here
        db.session.execute(
            update(PrintJob).where(PrintJob.ref == f"visit-{visit.id}",
                                   PrintJob.document == DocumentKind.LOCKER_TICKET,
                                   PrintJob.status == JobStatus.QUEUED)
            .values(station=call.station).execution_options(synchronize_session=False))
    return VisitOut.of(visit)


@api_route("POST", "/visits/{visit_id}/assign", roles=("reception",), body=AssignIn,
           response=VisitOut, summary="Hand the customer to a clerk on duty", tag="reception",
           errors=(404, 409))
def assign(call: Call, visit_id: int) -> VisitOut:
    body: AssignIn = call.body
    return VisitOut.of(assign_clerk(visit_id, body.clerk_staff_no, staff_id=call.staff.id))


@api_route("POST", "/visits/{visit_id}/leave", roles=("reception",), body=LeaveIn,
           response=VisitOut, summary="The customer leaves (locker key back), optionally seen off",
           tag="reception", errors=(404, 409))
def depart(call: Call, visit_id: int) -> VisitOut:
    body: LeaveIn = call.body
    if body.seeing_off():
        return VisitOut.of(see_off(
            visit_id, locker_key_returned=body.locker_key_returned,
            belongings_taken=body.belongings_taken is True, travel_mode=body.travel_mode or "",
            new_goods_opt_in=body.new_goods_opt_in is True, staff_id=call.staff.id))
    return VisitOut.of(leave(visit_id, locker_key_returned=body.locker_key_returned))
