"""Repairs and follow-ups over the API (API.md "Repairs"): intake (Thai silver → 409
`rule: "thai_silver"`, nothing written), photos as a raw image body, the manager's route
(in-house, abroad alone or as a batch), back with the weight checked and the callback
opened, collected or shipped, the lists; the follow-ups list and marking one done.

POSTs that create (intake, photos, a batch hand-over) take an Idempotency-Key. A receiver's
wrong PIN is 401 and counts toward their lockout.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from flask import request
from flask_babel import gettext as _
from pydantic import ConfigDict, Field

from showroom.api.packing import keeping_refused_pins
from showroom.api.problems import ApiError
from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, OneOf, Out, Para, QueryIn
from showroom.attachments.services import MAX_BYTES, attachments_of, store_photo
from showroom.errors import Problem, ValidationFailed
from showroom.followups.models import Outcome
from showroom.followups.services import followup_list, followups_of, mark_done, parse_done
from showroom.repairs.documents import grams
from showroom.repairs.intake import MAX_PHOTOS, parse_intake, take_in
from showroom.repairs.models import Material, Repair, RepairRoute, RepairStatus
from showroom.repairs.moves import (
    back,
    collect,
    get_repair,
    parse_abroad,
    route_abroad,
    route_in_house,
)
from showroom.repairs.queries import is_overdue, repair_list

TAG = "repairs"
DESK = ("reception", "clerk", "cashier")
Weight = Annotated[str | int | float, Field(description='grams, e.g. "12.35" (at most two '
                                                        'decimals, more than 0)')]
Months = Annotated[int, Field(ge=1, le=6)]


class RepairIn(In):
    customer_id: Id
    product_code: Line | None = Field(None, max_length=40)
    description: Para = Field(min_length=1, max_length=500)
    part: Line = Field(min_length=1, max_length=60)
    material: Annotated[str, OneOf(Material)] = Field(
        description="thai_silver is refused: 409 rule thai_silver")
    weight_g: Weight | None = None


class PhotoOut(Out):
    id: int
    repair_id: int
    media_type: str
    width: int
    height: int


class CustodyOut(Out):
    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    staff_no: str | None
    receiver_staff_no: str | None
    receiver_name: str
    at: datetime


class FollowUpOut(Out):
    id: int
    kind: str
    customer_id: int | None
    source_type: str
    source_id: int
    owner_staff_no: str | None
    due_at: datetime
    done_at: datetime | None
    outcome: str
    note: str


class RepairOut(Out):
    id: int
    number: str = Field(examples=["WX-20261122-0001"])
    customer_id: int | None
    product_code: str
    description: str
    part: str
    material: str
    weight_in_g: str | None
    weight_out_g: str | None
    weight_flag: bool = Field(description="the weight back differs from intake beyond tolerance")
    route: str
    status: str
    partner: str
    batch: str
    received_at: datetime
    expected_back_from: date | None
    expected_back_to: date | None
    overdue: bool
    shipment_id: int | None
    photos: list[PhotoOut]
    custody: list[CustodyOut]
    followups: list[FollowUpOut]


class RepairList(Out):
    items: list[RepairOut]


class RouteIn(In):
    route: Annotated[str, OneOf(RepairRoute)]
    receiver_staff_no: Line | None = Field(None, max_length=20,
                                           description="in-house: the workshop staff who takes it")
    receiver_pin: Line | None = Field(None, max_length=12)
    partner: Line | None = Field(None, max_length=60, description="abroad: partner / courier")
    months_from: Months = 1
    months_to: Months = 6
    carrier_staff_no: Line | None = Field(None, max_length=20,
                                          description="abroad: the staff member who takes it")
    carrier_pin: Line | None = Field(None, max_length=12)


class HandoverIn(In):
    repair_ids: list[Id] = Field(min_length=1, max_length=100)
    partner: Line = Field(min_length=1, max_length=60)
    months_from: Months = 1
    months_to: Months = 6
    carrier_staff_no: Line | None = Field(None, max_length=20)
    carrier_pin: Line | None = Field(None, max_length=12)


class HandoverOut(Out):
    batch: str
    items: list[RepairOut]


class BackIn(In):
    weight_g: Weight | None = None
    note: Para | None = Field(None, max_length=500)


class CollectIn(In):
    shipment_id: Id | None = None


class RepairQuery(QueryIn):
    status: Annotated[str, OneOf(RepairStatus)] | None = None
    overdue: bool = False
    customer_id: Id | None = None


class FollowUpQuery(QueryIn):
    all: bool = False


class FollowUpList(Out):
    overdue: list[FollowUpOut]
    today: list[FollowUpOut]
    coming: list[FollowUpOut]


class DoneIn(In):
    outcome: Annotated[str, OneOf(Outcome)]
    note: Para | None = Field(None, max_length=500)


def _weight(value: str | int | float | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def followup_out(f: object) -> FollowUpOut:
    return FollowUpOut(id=f.id, kind=f.kind, customer_id=f.customer_id,  # type: ignore[attr-defined]
                       source_type=f.source_type, source_id=f.source_id,  # type: ignore[attr-defined]
                       owner_staff_no=f.owner.staff_no if f.owner else None,  # type: ignore[attr-defined]
                       due_at=f.due_at, done_at=f.done_at, outcome=f.outcome,  # type: ignore[attr-defined]
                       note=f.note)  # type: ignore[attr-defined]


def repair_out(r: Repair) -> RepairOut:
    return RepairOut(
        id=r.id, number=r.number, customer_id=r.customer_id, product_code=r.product_code,
        description=r.description, part=r.part, material=r.material,
        weight_in_g=grams(r.weight_in_cg) or None, weight_out_g=grams(r.weight_out_cg) or None,
        weight_flag=r.weight_flag, route=r.route, status=r.status, partner=r.partner,
        batch=r.batch, received_at=r.received_at, expected_back_from=r.expected_back_from,
        expected_back_to=r.expected_back_to, overdue=is_overdue(r), shipment_id=r.shipment_id,
        photos=[PhotoOut(id=p.id, repair_id=r.id, media_type=p.media_type, width=p.width,
                         height=p.height) for p in attachments_of("repair", r.id)],
        custody=[CustodyOut.model_validate({
            "from": c.from_place, "to": c.to_place,
            "staff_no": c.staff.staff_no if c.staff else None,
            "receiver_staff_no": c.receiver.staff_no if c.receiver else None,
            "receiver_name": c.receiver_name, "at": c.at}) for c in r.custody],
        followups=[followup_out(f) for f in followups_of("repair", r.id)])


@api_route("POST", "/repairs", roles=DESK, body=RepairIn, response=RepairOut, status=201,
           idempotent=True, tag=TAG, errors=(409,),
           summary="Take a piece in for repair (维修登记)",
           description="Queues the intake receipt (3 copies, QR of the number) and the bag "
                       "label. Thai silver → 409 `rule: thai_silver`, nothing written.")
def create(call: Call) -> RepairOut:
    body: RepairIn = call.body
    raw = {**body.model_dump(), "weight_g": _weight(body.weight_g)}
    r = take_in(parse_intake(raw), staff_id=call.staff.id, station=call.station)
    return repair_out(r)


@api_route("POST", "/repairs/{repair_id}/photos", roles=DESK, response=PhotoOut, status=201,
           idempotent=True, tag=TAG, errors=(404, 413, 415), max_body=MAX_BYTES + 1024,
           raw_body=("image/jpeg", "image/png"),
           summary="Add a photo (raw image/jpeg or image/png body, at most 5 MiB, 40 MP)",
           description="The image is checked before decoding (size, type, pixel count) and "
                       "stored re-encoded.")
def add_photo(call: Call, repair_id: int) -> PhotoOut:
    if request.mimetype not in ("image/jpeg", "image/png"):
        raise ApiError(415, _("Send the photo as the raw body with Content-Type image/jpeg or "
                              "image/png (got \"%(got)s\").", got=request.mimetype or "nothing"),
                       code="unsupported-media-type")
    repair = get_repair(repair_id, lock=True)
    if len(attachments_of("repair", repair.id)) >= MAX_PHOTOS:
        raise ValidationFailed(_("at most %(n)s photos per repair", n=MAX_PHOTOS),
                               errors={"photo": Problem("too-many", _("at most %(n)s photos",
                                                                      n=MAX_PHOTOS))})
    p = store_photo("repair", repair.id, request.get_data(cache=True), staff_id=call.staff.id)
    return PhotoOut(id=p.id, repair_id=repair.id, media_type=p.media_type, width=p.width,
                    height=p.height)


@api_route("GET", "/repairs", response=RepairList, query=RepairQuery, tag=TAG,
           summary="Repairs by status, overdue (abroad past their window) or customer")
def index(call: Call) -> RepairList:
    q: RepairQuery = call.query
    return RepairList(items=[repair_out(r) for r in repair_list(
        status=q.status, overdue=q.overdue, customer_id=q.customer_id)])


@api_route("GET", "/repairs/{repair_id}", response=RepairOut, tag=TAG, errors=(404,),
           summary="One repair with its photos, custody and callback")
def show(call: Call, repair_id: int) -> RepairOut:
    return repair_out(get_repair(repair_id))


@api_route("POST", "/repairs/{repair_id}/route", roles=("manager",), body=RouteIn,
           response=RepairOut, tag=TAG, errors=(401, 404, 409),
           summary="Route a piece in-house (the workshop staff's PIN) or abroad (1–6 months)")
def route(call: Call, repair_id: int) -> RepairOut:
    body: RouteIn = call.body
    if body.route == RepairRoute.IN_HOUSE:
        staff_no = body.receiver_staff_no or ""
        r = keeping_refused_pins(staff_no, f"repair:{repair_id}", lambda: route_in_house(
            repair_id, receiver_staff_no=staff_no, receiver_pin=body.receiver_pin or "",
            manager=call.staff))
        return repair_out(r)
    a = parse_abroad(body.model_dump())
    rs = keeping_refused_pins(a.carrier_staff_no, "repair-batch", lambda: route_abroad(
        [repair_id], a, manager=call.staff, station=call.station))
    return repair_out(rs[0])


@api_route("POST", "/repairs/handover", roles=("manager",), body=HandoverIn,
           response=HandoverOut, status=201, idempotent=True, tag=TAG, errors=(401, 404, 409),
           summary="Send several pieces abroad as one batch with a printed hand-over list")
def handover(call: Call) -> HandoverOut:
    body: HandoverIn = call.body
    a = parse_abroad(body.model_dump())
    rs = keeping_refused_pins(a.carrier_staff_no, "repair-batch", lambda: route_abroad(
        body.repair_ids, a, manager=call.staff, station=call.station))
    return HandoverOut(batch=rs[0].batch, items=[repair_out(r) for r in rs])


@api_route("POST", "/repairs/{repair_id}/back", roles=DESK, body=BackIn, response=RepairOut,
           tag=TAG, errors=(404, 409),
           summary="Back from repair: weighed again (flagged beyond tolerance); the callback "
                   "falls due the next working day")
def piece_back(call: Call, repair_id: int) -> RepairOut:
    body: BackIn = call.body
    return repair_out(back(repair_id, weight_g=_weight(body.weight_g), note=body.note or "",
                           staff=call.staff))


@api_route("POST", "/repairs/{repair_id}/collect", roles=DESK, body=CollectIn,
           response=RepairOut, tag=TAG, errors=(404, 409),
           summary="Collected at the counter, or shipped with one of the customer's shipments")
def piece_collect(call: Call, repair_id: int) -> RepairOut:
    body: CollectIn = call.body
    return repair_out(collect(repair_id, shipment_id=body.shipment_id, staff=call.staff))


@api_route("GET", "/followups", roles=DESK, response=FollowUpList, query=FollowUpQuery,
           tag=TAG, summary="My follow-ups (overdue, today, coming week); all=true: "
                            "everyone's (manager)")
def followups(call: Call) -> FollowUpList:
    q: FollowUpQuery = call.query
    lists = followup_list(call.staff, everyone=q.all and "manager" in call.staff.role_set)
    return FollowUpList(overdue=[followup_out(f) for f in lists.overdue],
                        today=[followup_out(f) for f in lists.today],
                        coming=[followup_out(f) for f in lists.coming])


@api_route("POST", "/followups/{followup_id}/done", roles=DESK, body=DoneIn,
           response=FollowUpOut, tag=TAG, errors=(403, 404, 409),
           summary="Mark a follow-up done with the outcome of the call and a note")
def followup_done(call: Call, followup_id: int) -> FollowUpOut:
    body: DoneIn = call.body
    outcome, note = parse_done(body.model_dump())
    return followup_out(mark_done(followup_id, outcome, note, staff=call.staff))


