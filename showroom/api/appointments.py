"""Video-call appointments over the API (API.md "Remote orders"): book (reception, clerk;
Idempotency-Key honoured), a day's list, one appointment with its history, reschedule
(the old time and the reason kept), ready, no-show, cancel, the gathered goods, start the
call (→ the appointment and its open `video` order; a second start returns the same
order) and its end. Refusals: 422 with a message per field (a closed day, a time outside
opening hours or past, no reason, refused characters), 409 for a move the status table
does not allow or a stale version, nothing written."""
from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from showroom.api.registry import Call, api_route
from showroom.api.schemas import OrderOut
from showroom.api.types import Id, In, Line, Out, Para, Qty, QueryIn, Version
from showroom.appointments import call as calls
from showroom.appointments import services as svc
from showroom.appointments.models import Appointment
from showroom.auth.models import Staff
from showroom.clock import local, now_utc
from showroom.extensions import db

TAG = "appointments"
BOOKERS = ("reception", "clerk")
ERRORS = (403, 404, 409, 422)


def _iso_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "an ISO 8601 time as text, with its offset")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise PydanticCustomError("datetime_format", "an ISO 8601 time like "
                                  "2026-12-08T15:00:00+08:00") from exc


# A call's start as ISO 8601 text (its offset is checked by the service, with a message).
When = Annotated[datetime, BeforeValidator(_iso_time),
                 WithJsonSchema({"type": "string", "format": "date-time",
                                 "examples": ["2026-12-08T15:00:00+08:00"]})]


class AppointmentIn(In):
    customer_id: Id
    starts_at: When = Field(description="with its offset, e.g. 2026-12-08T15:00:00+08:00; "
                                            "in opening hours on a working day, not past")
    clerk_staff_no: Line = Field(min_length=1, max_length=20)
    wanted: Para = Field(min_length=1, max_length=1000, description="what they want to see")


class RescheduleIn(In):
    starts_at: When
    reason: Para = Field(min_length=1, max_length=500)
    version: Version | None = None


class ReasonIn(In):
    reason: Para = Field(min_length=1, max_length=500)
    version: Version | None = None


class VersionIn(In):
    version: Version | None = None


class GoodIn(In):
    code: Line = Field(min_length=1, max_length=64, description="a barcode or a product code")
    qty: Qty = 1


class ChangeOut(Out):
    kind: str
    at: datetime
    old_starts_at: datetime | None
    new_starts_at: datetime | None
    reason: str
    staff_no: str | None


class GoodOut(Out):
    id: int
    product_code: str
    name: str
    qty: int
    stock_qty: int


class AppointmentOut(Out):
    id: int
    number: str = Field(examples=["YY-20261208-0001"])
    status: str
    customer_id: int
    clerk_staff_no: str
    starts_at: datetime
    remind_at: datetime
    wanted: str
    reason: str
    order_id: int | None
    reminded_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    version: int
    due_now: bool = Field(description="from remind_at until the call starts: the warning")
    warnings: list[str] = Field(description="the clerk's other calls within 30 minutes")
    goods: list[GoodOut]
    history: list[ChangeOut]


class AppointmentCreated(Out):
    id: int
    number: str
    status: str
    starts_at: datetime
    remind_at: datetime
    warnings: list[str]


class AppointmentList(Out):
    items: list[AppointmentOut]


class ShortageOut(Out):
    product_code: str
    name: str
    wanted: int
    added: int


class StartedOut(Out):
    appointment: AppointmentOut
    order: OrderOut
    shortages: list[ShortageOut]


class DayQuery(QueryIn):
    date: Date | None = Field(None, description="a local day; today when left out")
    clerk_staff_no: Line | None = Field(None, max_length=20)


def _no(staff_id: int | None) -> str | None:
    s = db.session.get(Staff, staff_id) if staff_id else None
    return s.staff_no if s is not None else None


def appointment_out(a: Appointment) -> AppointmentOut:
    open_ = a.status in ("booked", "reminded")
    return AppointmentOut(
        id=a.id, number=a.number, status=a.status, customer_id=a.customer_id,
        clerk_staff_no=a.clerk.staff_no, starts_at=a.starts_at, remind_at=a.remind_at,
        wanted=a.wanted, reason=a.reason, order_id=a.order_id, reminded_at=a.reminded_at,
        started_at=a.started_at, ended_at=a.ended_at, version=a.version,
        due_now=calls.due_now(a), warnings=svc.clash_warnings(a) if open_ else [],
        goods=[GoodOut(id=g.id, product_code=g.product.code, name=g.product.name, qty=g.qty,
                       stock_qty=g.product.on_hand) for g in calls.goods(a.id)],
        history=[ChangeOut(kind=c.kind, at=c.created_at, old_starts_at=c.old_starts_at,
                           new_starts_at=c.new_starts_at, reason=c.reason,
                           staff_no=_no(c.staff_id)) for c in svc.history(a.id)])


@api_route("POST", "/appointments", roles=BOOKERS, body=AppointmentIn,
           response=AppointmentCreated, status=201, idempotent=True, tag=TAG, errors=(422,),
           summary="Book a video call (预约视频): customer, clerk, time, what they want to see",
           description="remind_at is 10 minutes before. A closed day, a time outside opening "
                       "hours or in the past: 422. Another call of the clerk within 30 minutes "
                       "is a warning, not a refusal.")
def create(call: Call) -> AppointmentCreated:
    b: AppointmentIn = call.body
    a = svc.book(customer_id=b.customer_id, starts_at=b.starts_at, wanted=b.wanted,
                 clerk_staff_no=b.clerk_staff_no, staff_id=call.staff.id)
    return AppointmentCreated(id=a.id, number=a.number, status=a.status,
                              starts_at=a.starts_at, remind_at=a.remind_at,
                              warnings=svc.clash_warnings(a))


@api_route("GET", "/appointments", roles=BOOKERS, query=DayQuery, response=AppointmentList,
           tag=TAG, summary="One local day's video calls (all clerks, or one), by time")
def index(call: Call) -> AppointmentList:
    q: DayQuery = call.query
    day = q.date or local(now_utc()).date()
    rows = calls.day_list(day)
    if q.clerk_staff_no:
        rows = [a for a in rows if a.clerk.staff_no == q.clerk_staff_no]
    return AppointmentList(items=[appointment_out(a) for a in rows])


@api_route("GET", "/appointments/{appointment_id}", roles=BOOKERS, response=AppointmentOut,
           tag=TAG, errors=(404,), summary="One appointment with its goods and history")
def show(call: Call, appointment_id: int) -> AppointmentOut:
    return appointment_out(svc.get_appointment(appointment_id))


@api_route("POST", "/appointments/{appointment_id}/reschedule", roles=BOOKERS,
           body=RescheduleIn, response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="Reschedule (改约): a new time and the reason; the old time stays in history")
def reschedule(call: Call, appointment_id: int) -> AppointmentOut:
    b: RescheduleIn = call.body
    return appointment_out(svc.reschedule(appointment_id, starts_at=b.starts_at,
                                          reason=b.reason, staff_id=call.staff.id,
                                          version=b.version))


@api_route("POST", "/appointments/{appointment_id}/ready", roles=("clerk",), body=VersionIn,
           response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="The clerk is online and ready (status reminded); twice is once")
def ready(call: Call, appointment_id: int) -> AppointmentOut:
    b: VersionIn = call.body
    return appointment_out(svc.mark_ready(appointment_id, staff_id=call.staff.id,
                                          version=b.version))


@api_route("POST", "/appointments/{appointment_id}/no-show", roles=BOOKERS, body=ReasonIn,
           response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="The customer did not come online: the reason; it may be rescheduled")
def no_show(call: Call, appointment_id: int) -> AppointmentOut:
    b: ReasonIn = call.body
    return appointment_out(svc.no_show(appointment_id, reason=b.reason,
                                       staff_id=call.staff.id, version=b.version))


@api_route("POST", "/appointments/{appointment_id}/cancel", roles=BOOKERS, body=ReasonIn,
           response=AppointmentOut, tag=TAG, errors=ERRORS, summary="Cancel, with the reason")
def cancel(call: Call, appointment_id: int) -> AppointmentOut:
    b: ReasonIn = call.body
    return appointment_out(svc.cancel(appointment_id, reason=b.reason,
                                      staff_id=call.staff.id, version=b.version))


@api_route("POST", "/appointments/{appointment_id}/goods", roles=BOOKERS, body=GoodIn,
           response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="Gather a piece for the call (a barcode or code; again adds to its qty)")
def gather(call: Call, appointment_id: int) -> AppointmentOut:
    b: GoodIn = call.body
    calls.gather(appointment_id, code=b.code, qty=b.qty, staff_id=call.staff.id)
    return appointment_out(svc.get_appointment(appointment_id))


@api_route("DELETE", "/appointments/{appointment_id}/goods/{good_id}", roles=BOOKERS,
           response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="Take a gathered piece off the call's goods")
def drop(call: Call, appointment_id: int, good_id: int) -> AppointmentOut:
    return appointment_out(calls.drop_good(appointment_id, good_id))


@api_route("POST", "/appointments/{appointment_id}/start", roles=("clerk",),
           response=StartedOut, tag=TAG, errors=ERRORS,
           summary="Start the call: the appointment and its open `video` order",
           description="The order has the appointment's clerk and the gathered goods as lines "
                       "(a piece short in stock is added as far as there is stock and listed "
                       "in shortages). Starting again returns the same order. Only the "
                       "appointment's clerk (or a manager): 403 otherwise.")
def start(call: Call, appointment_id: int) -> StartedOut:
    s = calls.start_call(appointment_id, staff=call.staff)
    return StartedOut(appointment=appointment_out(s.appointment), order=OrderOut.of(s.order),
                      shortages=[ShortageOut(**x) for x in s.shortages])  # type: ignore[arg-type]


@api_route("POST", "/appointments/{appointment_id}/end", roles=("clerk",), body=VersionIn,
           response=AppointmentOut, tag=TAG, errors=ERRORS,
           summary="End the call (done); the order stays open until it is submitted")
def end(call: Call, appointment_id: int) -> AppointmentOut:
    b: VersionIn = call.body
    return appointment_out(svc.end_call(appointment_id, staff=call.staff, version=b.version))
