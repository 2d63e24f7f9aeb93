"""A repair's moves after intake — each one a custody record (who handed it, who took it,
when) and a status change through `REPAIR_MOVES`:

- route (manager): in-house — the workshop's staff member takes it with their staff
  number + PIN; abroad — a batch of pieces goes to a partner through a courier, with an
  expected-back window of 1–6 months and one printed hand-over list;
- back: the weight checked again (beyond the tolerance → flagged), and a callback falls
  due the next working day (a follow-up made in the same transaction, once);
- collected at the counter, or shipped (linked to the customer's shipment).
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.auth.services import authenticate
from showroom.bizcal import next_working_day
from showroom.clock import local, now_utc
from showroom.errors import Forbidden, NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import FollowUpKind
from showroom.followups.services import open_followup
from showroom.numbering import next_number
from showroom.printjobs.services import queue_job
from showroom.reception.models import Visit
from showroom.repairs.documents import handover_payload
from showroom.repairs.intake import parse_weight
from showroom.repairs.models import (
    REPAIR_MOVES,
    Custody,
    Place,
    Repair,
    RepairRoute,
    RepairStatus,
)
from showroom.shipping.models import Shipment
from showroom.validation import MAX_ID, clean_text

WEIGHT_TOLERANCE_CG = 5  # 0.05 g: a scale's wobble, not a lost stone


@dataclass(frozen=True)
class AbroadIn:
    partner: str
    months_from: int
    months_to: int
    carrier_staff_no: str = ""
    carrier_pin: str = ""


def get_repair(repair_id: int, *, lock: bool = False) -> Repair:
    repair = db.session.get(Repair, repair_id, with_for_update=lock) \
        if 1 <= repair_id <= MAX_ID else None
    if repair is None:
        raise NotFound(_("no repair %(id)s", id=repair_id))
    return repair


def _manager(staff: Staff) -> None:
    if "manager" not in staff.role_set:
        raise Forbidden(_("only a manager routes a repair"))


def _receiver(staff_no: str, pin: str, source: str, field: str) -> Staff:
    if not staff_no.strip() or not pin:
        raise ValidationFailed(_("the receiver's staff number and PIN"), errors={
            field: Problem("required", _("the receiver's staff number and PIN"))})
    return authenticate(staff_no.strip(), pin, source=source)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def route_in_house(repair_id: int, *, receiver_staff_no: str, receiver_pin: str,
                   manager: Staff) -> Repair:
    """To the in-house workshop (a fallen stone): its staff member takes the piece."""
    _manager(manager)
    repair = get_repair(repair_id, lock=True)
    REPAIR_MOVES.check(repair.status, RepairStatus.IN_HOUSE, name=repair.number)
    taker = _receiver(receiver_staff_no, receiver_pin, f"repair:{repair.number}",
                      "receiver_staff_no")
    REPAIR_MOVES.move(repair, RepairStatus.IN_HOUSE, name=repair.number)
    repair.route = RepairRoute.IN_HOUSE
    repair.routed_at = now_utc()
    db.session.add(Custody(repair_id=repair.id, from_place=Place.COUNTER,
                           to_place=Place.WORKSHOP, staff_id=manager.id, receiver_id=taker.id))
    db.session.flush()
    return repair


def parse_abroad(raw: Mapping[str, object]) -> AbroadIn:
    errors: dict[str, str] = {}
    partner = clean_text(raw.get("partner"), "partner", errors, 60, required=True)
    months = []
    for name, default in (("months_from", 1), ("months_to", 6)):
        value = raw.get(name)
        if value in (None, ""):
            value = default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 6:
            errors[name] = Problem("bad-months", _("1 to 6 months"))
            value = default
        months.append(value)
    if months[0] > months[1]:
        errors["months_to"] = Problem("bad-months", _("not before the start of the window"))
    carrier = clean_text(raw.get("carrier_staff_no"), "carrier_staff_no", errors, 20)
    pin = raw.get("carrier_pin") if isinstance(raw.get("carrier_pin"), str) else ""
    if carrier and not pin:
        errors["carrier_pin"] = Problem("required", _("the PIN of the staff member who takes "
                                                      "the pieces"))
    if errors:
        raise ValidationFailed(_("please correct the hand-over"), errors=errors)
    return AbroadIn(partner, months[0], months[1], carrier, str(pin or ""))


def route_abroad(repair_ids: Sequence[int], a: AbroadIn, *, manager: Staff,
                 station: str | None = None) -> list[Repair]:
    """Badly damaged pieces go abroad (1–6 months): one batch, one hand-over list."""
    _manager(manager)
    ids = sorted(set(repair_ids))
    if not ids:
        raise ValidationFailed(_("choose at least one piece"), errors={
            "repair_ids": Problem("required", _("choose at least one piece"))})
    repairs = [get_repair(i, lock=True) for i in ids]
    for r in repairs:
        REPAIR_MOVES.check(r.status, RepairStatus.ABROAD, name=r.number)
    batch = next_number("repair_batch")
    carrier = (_receiver(a.carrier_staff_no, a.carrier_pin, f"repair-batch:{batch}",
                         "carrier_staff_no") if a.carrier_staff_no else None)
    today = local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).date()
    for r in repairs:
        REPAIR_MOVES.move(r, RepairStatus.ABROAD, name=r.number)
        r.route = RepairRoute.ABROAD
        r.routed_at = now_utc()
        r.partner = a.partner
        r.batch = batch
        r.expected_back_from = add_months(today, a.months_from)
        r.expected_back_to = add_months(today, a.months_to)
        db.session.add(Custody(repair_id=r.id, from_place=Place.COUNTER, to_place=Place.ABROAD,
                               staff_id=manager.id,
                               receiver_id=carrier.id if carrier else None,
                               receiver_name=a.partner, note=batch))
    db.session.flush()
    queue_job("repair_handover", handover_payload(batch, repairs, a.partner, manager, carrier),
              station=station, ref=batch, staff_id=manager.id)
    return repairs


def back(repair_id: int, *, weight_g: object = None, note: object = "", staff: Staff) -> Repair:
    """Back at the counter: weighed again, flagged beyond the tolerance, and the callback
    due the next working day opened in this transaction."""
    errors: dict[str, str] = {}
    weight = parse_weight(weight_g, "weight_g", errors)
    text = clean_text(note, "note", errors, 500, multiline=True)
    if errors:
        raise ValidationFailed(_("please correct the return of the piece"), errors=errors)
    repair = get_repair(repair_id, lock=True)
    REPAIR_MOVES.check(repair.status, RepairStatus.BACK, name=repair.number)
    if repair.weight_in_cg is not None and weight is None:
        raise ValidationFailed(_("weigh the piece: it was weighed at intake"), errors={
            "weight_g": Problem("required", _("weigh the piece: it was weighed at intake"))})
    came_from = Place.WORKSHOP if repair.status == RepairStatus.IN_HOUSE else Place.ABROAD
    REPAIR_MOVES.move(repair, RepairStatus.BACK, name=repair.number)
    repair.back_at = now_utc()
    repair.weight_out_cg = weight
    repair.back_note = text
    tolerance = int(current_app.config.get("SHOWROOM_REPAIR_WEIGHT_TOLERANCE_CG",
                                           WEIGHT_TOLERANCE_CG))
    repair.weight_flag = (repair.weight_in_cg is not None and weight is not None
                          and abs(weight - repair.weight_in_cg) > tolerance)
    db.session.add(Custody(repair_id=repair.id, from_place=came_from, to_place=Place.COUNTER,
                           staff_id=None, receiver_id=staff.id, receiver_name=repair.partner
                           if came_from == Place.ABROAD else "", note=text))
    db.session.flush()
    open_followup(FollowUpKind.REPAIR_CALLBACK, customer_id=repair.customer_id,
                  source_type="repair", source_id=repair.id,
                  due_at=next_working_day(repair.back_at), owner_id=_owner(repair.customer_id))
    return repair


def _owner(customer_id: int) -> int | None:
    """The clerk of the customer's latest visit; none: reception's list."""
    return db.session.scalar(select(Visit.clerk_id).where(
        Visit.customer_id == customer_id, Visit.clerk_id.is_not(None))
        .order_by(Visit.id.desc()).limit(1))


def collect(repair_id: int, *, shipment_id: int | None = None, staff: Staff) -> Repair:
    """Handed to the customer at the counter, or shipped with one of their shipments."""
    repair = get_repair(repair_id, lock=True)
    new = RepairStatus.SHIPPED if shipment_id else RepairStatus.COLLECTED
    REPAIR_MOVES.check(repair.status, new, name=repair.number)
    if shipment_id:
        shipment = db.session.get(Shipment, shipment_id) if 1 <= shipment_id <= MAX_ID else None
        if shipment is None or shipment.customer_id != repair.customer_id:
            raise ValidationFailed(_("no shipment %(id)s for this customer", id=shipment_id),
                                   errors={"shipment_id": Problem("unknown", _(
                                       "not a shipment of this customer"))})
        repair.shipment_id = shipment_id
    REPAIR_MOVES.move(repair, new, name=repair.number)
    repair.closed_at = now_utc()
    db.session.add(Custody(repair_id=repair.id, from_place=Place.COUNTER,
                           to_place=Place.CARRIER if shipment_id else Place.CUSTOMER,
                           staff_id=staff.id, receiver_name=repair.customer.name))
    db.session.flush()
    return repair
