"""Seeing the customer off (送客, Std ch.7, SPEC §4.6): the departure checklist that
closes a visit.

Before the customer goes: the locker key is back (the `leave` rule, reused), they were
reminded to take all their things (so nothing has to be posted after them), staff asked
how they travel (train or plane from afar, own car or taxi nearby), and whether we
should tell them first when new goods arrive — a yes marks the customer for the
"new goods first" list and is never turned off here. Bad input writes nothing.
Services flush, never commit.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.errors import InvalidTransition, ValidationFailed
from showroom.extensions import db
from showroom.reception.models import TRAVEL_MODES, Visit, VisitStatus
from showroom.reception.services import get_visit, leave


def check_departure(belongings_taken: object, travel_mode: object) -> tuple[str, dict[str, str]]:
    """The travel mode and the problems with the checklist (empty when it is complete)."""
    errors: dict[str, str] = {}
    if belongings_taken is not True:
        errors["belongings_taken"] = _("remind the customer to take all their things, then tick")
    mode = travel_mode.strip() if isinstance(travel_mode, str) else ""
    if not mode:
        errors["travel_mode"] = _("ask how the customer travels")
    elif mode not in TRAVEL_MODES:
        errors["travel_mode"] = _("unknown travel mode")
    return mode, errors


def see_off(visit_id: int, *, locker_key_returned: bool, belongings_taken: bool, travel_mode: str,
            new_goods_opt_in: bool, staff_id: int | None) -> Visit:
    """Close the visit with its departure checklist.

    Visit gone → 404; already left → 409; checklist incomplete → 422; locker key not back
    → 409 (from `leave`). In every refusal nothing is written.
    """
    visit = get_visit(visit_id, lock=True)
    if visit.status == VisitStatus.LEFT:
        raise InvalidTransition(_("visit %(id)s has already left", id=visit.id))
    mode, errors = check_departure(belongings_taken, travel_mode)
    if errors:
        raise ValidationFailed(_("the departure checklist is not complete"), errors=errors)
    leave(visit.id, locker_key_returned=locker_key_returned is True)
    visit.belongings_taken = True
    visit.travel_mode = mode
    visit.new_goods_opt_in = new_goods_opt_in is True
    visit.seen_off_at = visit.left_at or now_utc()
    visit.seen_off_by_id = staff_id
    if visit.new_goods_opt_in:
        visit.customer.new_goods_first = True
    db.session.flush()
    return visit


def new_goods_customers(limit: int = 200) -> list[Customer]:
    """Customers who asked to hear first when new goods arrive, by name."""
    stmt = (select(Customer).where(Customer.new_goods_first.is_(True))
            .order_by(Customer.name, Customer.id).limit(limit))
    return list(db.session.scalars(stmt))
